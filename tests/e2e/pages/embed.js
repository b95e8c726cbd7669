// Builds <script src="/dist/feedback.js" data-...> from the query string:
// every parameter becomes a data-* attribute of the loader tag.
(function () {
  var params = new URLSearchParams(location.search);
  var tag = document.createElement("script");
  tag.src = "/dist/feedback.js";
  params.forEach(function (value, key) { tag.setAttribute("data-" + key, value); });
  tag.onload = function () {
    window.events = [];
    ["submit", "delivered", "failed"].forEach(function (n) {
      Feedback.on(n, function (d) { window.events.push([n, d.id, d.status == null ? null : d.status, d.reason == null ? null : d.reason]); });
    });
  };
  document.head.appendChild(tag);
})();
