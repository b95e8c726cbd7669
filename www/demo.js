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
    cancel: {
      context: { channel: "chat", waitSeconds: 60, durationSeconds: 300, transfers: 0, contacts: 1, resolved: true, outcome: "cancelled" },
      messages: [
        ["customer", "I'd like to cancel my subscription, please."],
        ["agent", "Done: your subscription is cancelled. Your access lasts until the end of the month."],
        ["customer", "Thanks."]
      ]
    }
  };

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

  document.getElementById("end-chat").addEventListener("click", function () {
    var context = Object.assign({}, SCENARIOS[scenario.value].context, {
      conversationId: "demo-" + Date.now().toString(36) + "-" + conversation,
      agentId: "agent-ada",
      locale: document.documentElement.lang,
      messages: messages.slice(),
      metadata: { page: "demo", scenario: scenario.value }
    });
    status.textContent = "Chat ended.";
    window.Feedback.ask(context).then(function (result) {
      status.textContent = "Chat ended; widget: " + result.outcome + " (" + result.action + ": " + result.reasons.join(", ") + ")";
      reset();
    }, function (error) {
      status.textContent = "Widget error: " + error.message;
    });
  });

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

  window.Feedback.on("delivered", refresh);
  reset();
  refresh();
  setInterval(refresh, 3000);
})();
