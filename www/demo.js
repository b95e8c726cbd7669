// The demo page's own script: a scripted support chat and a live view of
// what the receiver stored. Not part of the widget.
(function () {
  "use strict";
  var SCENARIOS = {
    smooth: {
      context: { channel: "chat", waitSeconds: 40, durationSeconds: 240, transfers: 0, contacts: 1, resolved: true, outcome: "resolved" },
      messages: [
        ["customer", "Hi, I can't find my invoice for October."],
        ["agent", "Hi! I've just sent it to your email address on file."],
        ["customer", "Got it, thanks!"]
      ]
    },
    hard: {
      context: { channel: "chat", waitSeconds: 2100, durationSeconds: 2700, transfers: 3, contacts: 3, resolved: false, outcome: "unresolved", sentiment: -0.6 },
      messages: [
        ["customer", "My package never arrived. This is the third time I'm contacting you."],
        ["agent", "I'm sorry, let me transfer you to the delivery team."],
        ["customer", "I've been waiting for 35 minutes and got transferred three times!!!"],
        ["agent", "I'm afraid we can't resolve this today."]
      ]
    },
    words: {
      // Nothing but the customer's own words says this was hard.
      context: { channel: "messenger" },
      messages: [
        ["customer", "我張單等咗成個禮拜都未到"],
        ["agent", "唔好意思，我幫你查一查。"],
        ["customer", "上次都話幫我跟進，到而家都冇人覆我，真係好嬲"],
        ["agent", "明白，我會即刻幫你跟進。"],
        ["customer", "ok"]
      ]
    },
    cancel: {
      context: { channel: "chat", waitSeconds: 60, durationSeconds: 300, transfers: 0, contacts: 1, resolved: true, outcome: "cancelled" },
      messages: [
        ["customer", "I'd like to cancel my subscription, please."],
        ["agent", "Done: your subscription is cancelled. Your access lasts until the end of the month."],
        ["customer", "Thanks."]
      ]
    }
  };

  // What each reason code means (the README's table, shortened).
  var REASONS = {
    smooth: "nothing made the conversation hard: ask the effort question",
    long_wait: "the customer waited longer than the channel's threshold",
    long_conversation: "the conversation took longer than the channel's threshold",
    many_transfers: "the customer was transferred twice or more",
    repeat_contact: "the customer contacted you three times or more about this",
    unresolved: "the issue was not resolved",
    escalated: "the conversation was escalated",
    refund_denied: "a refund was denied",
    negative_sentiment: "the conversation's sentiment was negative",
    mild_signals: "two mild signals together",
    transcript_frustrated: "the customer's own words read as frustrated",
    transcript_waited: "the customer complained about waiting or being passed around",
    cancelled: "the customer cancelled: let them go",
    transcript_cancel_intent: "the customer said they want to leave",
    forced_by_outcome: "the site forced this action for the outcome",
    forced_by_channel: "the site forced this action for the channel",
    recently_answered: "this customer answered recently (press New customer to forget)",
    recently_dismissed: "this customer skipped a prompt recently (press New customer)",
    recent_vent: "the previous prompt was a vent",
    session_cap: "this tab already showed a prompt (press New customer)",
    sampled_out: "outside the sample rate",
    already_open: "a prompt is already open"
  };
  var ACTIONS = {
    effort: "the Customer Effort Score question (7 points)",
    vent: "a gentle comment box, no score",
    silent: "nothing: stay quiet"
  };
  var embedded = window.top !== window;

  var transcript = document.getElementById("transcript");
  var scenario = document.getElementById("scenario");
  var status = document.getElementById("status");
  var messages = [];
  var conversation = 0;

  function say(from, text) {
    messages.push({ from: from, text: text });
    var li = document.createElement("li");
    li.className = from;
    li.textContent = text;
    transcript.appendChild(li);
    transcript.scrollTop = transcript.scrollHeight;
  }

  function reset() {
    conversation += 1;
    messages = [];
    transcript.textContent = "";
    SCENARIOS[scenario.value].messages.forEach(function (m) { say(m[0], m[1]); });
  }

  scenario.addEventListener("change", reset);
  document.getElementById("composer").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = document.getElementById("message");
    if (input.value.trim()) say("customer", input.value.trim());
    input.value = "";
  });

  function showDecision(result) {
    var panel = document.getElementById("decision");
    document.getElementById("decision-action").textContent =
      "Action: " + result.action + " (" + (ACTIONS[result.action] || result.action) + "); outcome: " + result.outcome + ".";
    var list = document.getElementById("decision-reasons");
    list.textContent = "";
    result.reasons.forEach(function (code, i) {
      var li = document.createElement("li");
      var c = document.createElement("code");
      c.textContent = code;
      li.appendChild(c);
      li.appendChild(document.createTextNode((i === 0 ? " (deciding): " : ": ") + (REASONS[code] || "")));
      list.appendChild(li);
    });
    panel.hidden = false;
  }

  document.getElementById("end-chat").addEventListener("click", function () {
    var context = Object.assign({}, SCENARIOS[scenario.value].context, {
      conversationId: "demo-" + Date.now().toString(36) + "-" + conversation,
      agentId: "agent-ada",
      locale: document.getElementById("language").value,
      messages: messages.slice(),
      metadata: { page: "demo", scenario: scenario.value }
    });
    status.textContent = "Chat ended.";
    window.Feedback.ask(context).then(function (result) {
      status.textContent = "Chat ended; widget: " + result.outcome + ".";
      showDecision(result);
      reset();
    }, function (error) {
      status.textContent = "Widget error: " + error.message;
    });
  });

  // A new customer: the widget forgets what this browser remembers (its
  // documented testing API), so every scenario can be tried in one tab.
  document.getElementById("new-customer").addEventListener("click", function () {
    window.Feedback.reset().then(function () {
      status.textContent = "New customer: the widget has forgotten this browser's answers and prompts.";
      document.getElementById("decision").hidden = true;
      reset();
    });
  });

  var language = document.getElementById("language");
  language.addEventListener("change", function () {
    document.documentElement.lang = language.value;
    document.documentElement.dir = language.value === "ar" ? "rtl" : "ltr";
  });
  var fromQuery = /[?&]lang=([\w-]+)/.exec(location.search);
  if (fromQuery) {
    language.value = fromQuery[1];
    language.dispatchEvent(new Event("change"));
  }

  var phone = document.getElementById("phone");
  if (embedded) {
    phone.hidden = true;
  } else {
    phone.addEventListener("click", function () {
      var preview = document.getElementById("preview");
      var on = preview.hidden;
      preview.hidden = !on;
      phone.setAttribute("aria-pressed", String(on));
      if (on) document.getElementById("preview-frame").src = "/?lang=" + encodeURIComponent(language.value);
    });
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (className) td.className = className;
    row.appendChild(td);
  }

  // /responses is behind the inbox's sign-in; ask first, so a signed-out
  // visitor sees a hint instead of a 401.
  function refresh() {
    var body = document.getElementById("rows");
    fetch("/inbox/session").then(function (r) { return r.json(); }).then(function (session) {
      if (!session.signedIn) {
        body.textContent = "";
        var tr = document.createElement("tr");
        var td = document.createElement("td");
        td.colSpan = 6;
        td.className = "hint";
        var link = document.createElement("a");
        link.href = "/login?next=%2Finbox";
        link.textContent = "Sign in to the inbox";
        td.appendChild(link);
        td.appendChild(document.createTextNode(" (in this browser) to see what the receiver stored."));
        tr.appendChild(td);
        body.appendChild(tr);
        return null;
      }
      return fetch("/responses").then(function (r) { return r.json(); });
    }).then(function (rows) {
      if (!rows) return;
      body.textContent = "";
      rows.forEach(function (row) {
        var p = row.payload || {};
        var tr = document.createElement("tr");
        cell(tr, (row.receivedAt || "").replace("T", " ").slice(0, 19));
        cell(tr, p.kind);
        cell(tr, p.action);
        cell(tr, (p.reasons || []).join(", "));
        cell(tr, p.effort);
        cell(tr, p.comment, "comment");
        body.appendChild(tr);
      });
    }).catch(function () { /* the receiver may be restarting */ });
  }

  // With `cargo xtask demo` the receiver sends every answer as a signed
  // webhook to its own demo sink; show them as they arrive.
  function notifications() {
    fetch("/_demo/sink").then(function (r) { return r.ok ? r.json() : null; }).then(function (sent) {
      if (!sent || !sent.length) return;
      document.getElementById("sent").hidden = false;
      var body = document.getElementById("sent-rows");
      body.textContent = "";
      sent.forEach(function (d) {
        var p = (d.body && d.body.payload) || {};
        var tr = document.createElement("tr");
        cell(tr, (d.arrivedAt || "").replace("T", " ").slice(0, 19));
        cell(tr, d.delivery);
        cell(tr, d.signed ? "yes" : "no");
        cell(tr, p.kind + (p.effort ? " " + p.effort + "/7" : "") + (p.action === "vent" ? " (vent)" : ""));
        cell(tr, p.comment, "comment");
        body.appendChild(tr);
      });
    }).catch(function () {});
  }

  window.Feedback.on("delivered", refresh);
  reset();
  refresh();
  notifications();
  setInterval(refresh, 3000);
  setInterval(notifications, 2000);
})();
