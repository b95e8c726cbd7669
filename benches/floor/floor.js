// The floor: a hand-written plain-DOM CES prompt with no framework and no
// policy, doing the same visible work as the widget (a shadow root, an
// adopted stylesheet, seven radios, a comment box, two buttons, a POST on
// submit). `cargo xtask bench` measures the widget against it.
(function () {
  "use strict";
  var CSS = ".fb{font:15px/1.45 system-ui,sans-serif;color:#1b1f24;background:#fff;border:1px solid #767f8c;" +
    "border-radius:12px;padding:16px;position:fixed;right:16px;bottom:16px;width:380px}" +
    ".o{display:grid;grid-template-columns:repeat(7,1fr);gap:4px}.o label{position:relative}" +
    ".o input{position:absolute;inset:0;opacity:0;margin:0}.o span{display:flex;min-height:44px;align-items:center;" +
    "justify-content:center;border:1px solid #767f8c;border-radius:8px}textarea{width:100%;min-height:64px}";
  var sheet = null;
  function ask(context) {
    return new Promise(function (resolve) {
      var host = document.createElement("floor-prompt");
      var root = host.attachShadow({ mode: "open" });
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
      root.adoptedStyleSheets = [sheet];
      var section = document.createElement("section");
      section.className = "fb";
      section.setAttribute("role", "region");
      var form = document.createElement("form");
      var fieldset = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = "Acme made it easy for me to handle my issue.";
      fieldset.appendChild(legend);
      var options = document.createElement("div");
      options.className = "o";
      var score = null;
      for (var n = 1; n <= 7; n++) {
        var label = document.createElement("label");
        var input = document.createElement("input");
        input.type = "radio"; input.name = "effort"; input.value = String(n);
        input.addEventListener("change", function (e) { score = Number(e.target.value); submit.disabled = false; });
        var span = document.createElement("span");
        span.textContent = String(n);
        label.appendChild(input); label.appendChild(span); options.appendChild(label);
      }
      fieldset.appendChild(options);
      form.appendChild(fieldset);
      var comment = document.createElement("textarea");
      comment.setAttribute("aria-label", "What would have made it easier?");
      form.appendChild(comment);
      var skip = document.createElement("button");
      skip.type = "button"; skip.textContent = "No thanks";
      var submit = document.createElement("button");
      submit.type = "submit"; submit.textContent = "Submit"; submit.disabled = true;
      form.appendChild(skip); form.appendChild(submit);
      section.appendChild(form);
      root.appendChild(section);
      document.body.appendChild(host);
      function done(kind) {
        var body = JSON.stringify({ id: crypto.randomUUID(), kind: kind, action: "effort", reasons: ["smooth"],
          effort: kind === "response" ? score : null, comment: comment.value || null, followUp: false,
          conversationId: (context || {}).conversationId || null, createdAt: new Date().toISOString(), version: "floor" });
        fetch("/collect", { method: "POST", headers: { "Content-Type": "application/json" }, body: body, keepalive: true });
        host.remove();
        resolve({ outcome: kind === "response" ? "submitted" : "dismissed" });
      }
      skip.addEventListener("click", function () { done("dismissed"); });
      form.addEventListener("submit", function (e) { e.preventDefault(); done("response"); });
    });
  }
  window.FloorFeedback = { ask: ask };
})();
