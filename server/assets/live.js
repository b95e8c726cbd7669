// The live inbox (served as /inbox/live.js, the only script the inbox's CSP
// allows): new answers and follow-up requests appear without a reload. It
// listens to /inbox/events with the page's own filters (the server applies
// them and the reader's scope) from when the page was read (#live's
// data-since), and adds each answer to the list if the list's filters take
// it and, if the customer asked to be contacted, to the follow-ups; never an
// answer the page already shows there (data-id). Everything is set as text,
// never as HTML. Without it the page works as before.
(function () {
  "use strict";
  if (!window.EventSource || !window.URLSearchParams) return;
  var params = new URLSearchParams(window.location.search);
  // An older page of the list: new answers do not belong on it.
  if (params.get("before")) return;
  var status = document.getElementById("live");
  var list = document.querySelector("table.list tbody");
  var cards = document.querySelector("section.follow-ups ol.cards");
  // Ids shown, per place: the stream starts a little before the page was
  // read (and again on reconnecting), so some it sends are there already.
  // (No prototype: an id such as "constructor" is an id like any other.)
  var shown = { list: Object.create(null), cards: Object.create(null) };
  [["list", "table.list tbody tr[data-id]"], ["cards", "section.follow-ups li[data-id]"]].forEach(function (p) {
    var nodes = document.querySelectorAll(p[1]);
    for (var i = 0; i < nodes.length; i++) shown[p[0]][nodes[i].getAttribute("data-id")] = true;
  });
  var stream = new URLSearchParams(params.toString());
  var since = status && status.getAttribute("data-since");
  if (since) stream.set("since", since);
  var source = new EventSource("/inbox/events?" + stream.toString());

  function say(text) {
    if (status) status.textContent = text;
  }
  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }
  function cell(value, className) {
    var td = document.createElement("td");
    td.textContent = text(value);
    if (className) td.className = className;
    return td;
  }
  function row(a) {
    var tr = document.createElement("tr");
    tr.className = "new";
    tr.setAttribute("data-id", text(a.id));
    tr.appendChild(cell(a.received, "when"));
    tr.appendChild(cell(a.agent));
    tr.appendChild(cell(a.channel));
    var what = cell(a.what);
    if (a.reasons) {
      var small = document.createElement("small");
      small.textContent = a.reasons;
      what.appendChild(document.createTextNode(" "));
      what.appendChild(small);
    }
    tr.appendChild(what);
    tr.appendChild(cell(a.effort, "n"));
    tr.appendChild(cell(a.comment, "comment"));
    tr.appendChild(cell(a.followUp ? "wants contact" : ""));
    tr.appendChild(cell(a.conversation));
    return tr;
  }
  function card(a) {
    var li = document.createElement("li");
    li.className = "card new";
    li.setAttribute("data-id", text(a.id));
    var clock = document.createElement("span");
    clock.className = "clock";
    clock.textContent = "due in 48 h";
    var score = document.createElement("strong");
    score.textContent = a.effort ? "scored " + a.effort + "/7" : text(a.what);
    li.appendChild(clock);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(score);
    // Each posted id in a <bdi>, as the page renders it: a right-to-left
    // override inside one cannot reorder the rest of the line.
    var isolated = function (value) {
      var bdi = document.createElement("bdi");
      bdi.textContent = text(value);
      return bdi;
    };
    li.appendChild(document.createTextNode(" · "));
    li.appendChild(isolated(a.agent || "(no agent)"));
    li.appendChild(document.createTextNode(" · " + (a.conversation ? "conversation " : "no conversation id")));
    if (a.conversation) li.appendChild(isolated(a.conversation));
    li.appendChild(document.createTextNode(" · " + text(a.received)));
    var quote = document.createElement("blockquote");
    quote.className = "comment";
    quote.textContent = a.comment || "(no comment)";
    li.appendChild(quote);
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/inbox/follow-up";
    [["id", a.id], ["back", params.toString()]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = text(pair[1]);
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.textContent = "Mark followed up";
    form.appendChild(button);
    li.appendChild(form);
    return li;
  }

  source.addEventListener("open", function () {
    say("Live: new answers appear here as they arrive.");
  });
  source.addEventListener("error", function () {
    say("Live updates paused; reconnecting…");
  });
  source.addEventListener("answer", function (message) {
    var a;
    try {
      a = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    var id = text(a.id);
    if (list && a.list && !shown.list[id]) {
      shown.list[id] = true;
      var empty = list.querySelector("td.empty");
      if (empty && empty.parentNode) empty.parentNode.parentNode.removeChild(empty.parentNode);
      list.insertBefore(row(a), list.firstChild);
    }
    if (a.followUp && cards && !shown.cards[id]) {
      shown.cards[id] = true;
      cards.appendChild(card(a));
      var count = document.querySelector("section.follow-ups .count");
      if (count) count.textContent = String((parseInt(count.textContent, 10) || 0) + 1);
      var none = document.querySelector("section.follow-ups p.empty");
      if (none && none.parentNode) none.parentNode.removeChild(none);
    }
  });
})();
