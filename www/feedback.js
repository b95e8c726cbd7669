/*! feedback.js - the loader of the effort & venting prompt.
 *
 * Embed:  <script src=".../feedback.js" data-endpoint="https://..." async></script>
 *
 * Defines window.Feedback = { ready, decide, ask, mount, configure, on }.
 * The WebAssembly is loaded lazily: on the first call, or when the browser
 * is idle after the page has loaded (to send what an earlier page left in
 * the outbox), so it never delays the host page. Calls made before it has
 * loaded wait for it, in order; none is dropped. It is loaded from the
 * directory this file was served from, whatever the page's own path.
 * Nothing here throws into the page.
 */
(function () {
  "use strict";
  var PREFIX = "[feedback] ";
  var EVENTS = ["show", "submit", "dismiss", "suppress", "delivered", "failed"];
  if (window.Feedback && window.Feedback.__loader) return; // included twice

  // Must be read now: currentScript is only set while this file first runs.
  var script = document.currentScript;
  if (!script || !script.src) {
    var all = document.querySelectorAll("script[src]");
    for (var i = all.length - 1; i >= 0; i--) {
      if (/(^|\/)feedback(\.min)?\.js(\?|#|$)/.test(all[i].src)) { script = all[i]; break; }
    }
  }
  var base = script && script.src ? new URL(".", script.src).href : new URL(".", document.baseURI).href;

  // data-endpoint -> endpoint, data-report-suppressed -> reportSuppressed, ...
  var attributes = {};
  if (script) {
    for (var key in script.dataset) attributes[key] = script.dataset[key];
  }

  var handlers = {};
  function emit(name, detail) {
    var list = (handlers[name] || []).slice();
    for (var j = 0; j < list.length; j++) {
      try {
        list[j](detail);
      } catch (error) {
        // A broken handler is the page's bug: report it, keep going.
        setTimeout(function () { throw error; });
      }
    }
  }

  var settle;
  var widget = new Promise(function (resolve, reject) { settle = { resolve: resolve, reject: reject }; });
  var memory = null;
  var started = false;
  function load() {
    if (started) return widget;
    started = true;
    import(base + "feedback_wasm.js")
      .then(function (glue) {
        return glue.default({ module_or_path: base + "feedback_wasm_bg.wasm" }).then(function (exports) {
          memory = exports.memory;
          return glue.Widget.fromScriptTag(attributes, emit);
        });
      })
      .then(settle.resolve, function (error) {
        var err = error instanceof Error ? error : new Error(String(error));
        console.error(PREFIX + err.message);
        settle.reject(err);
      });
    return widget;
  }

  function call(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    return load().then(function (w) { return w[method].apply(w, args); });
  }

  var Feedback = {
    __loader: true,
    ready: null,
    decide: function (context) { return call("decide", context); },
    ask: function (context) { return call("ask", context); },
    mount: function (element, context) { return call("mount", element, context); },
    configure: function (settings) { return call("configure", settings); },
    on: function (name, handler) {
      if (typeof handler !== "function") throw new TypeError(PREFIX + "on(name, handler): handler must be a function");
      if (EVENTS.indexOf(name) < 0) console.warn(PREFIX + "unknown event \"" + name + "\"; events are " + EVENTS.join(", "));
      (handlers[name] = handlers[name] || []).push(handler);
      return function off() {
        var list = handlers[name] || [];
        var at = list.indexOf(handler);
        if (at >= 0) list.splice(at, 1);
      };
    },
    // For benchmarks: bytes of WebAssembly memory (0 before loading).
    __wasmMemoryBytes: function () { return memory ? memory.buffer.byteLength : 0; }
  };
  Feedback.ready = widget.then(function () { return Feedback; });
  // The error is already on the console once; a page that never looks at
  // `ready` must not get a second, "uncaught" report of it.
  Feedback.ready.catch(function () {});
  window.Feedback = Feedback;

  // Load when the page is idle after its own load, so pending answers from
  // an earlier page are sent without ever competing with the host page.
  function whenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 5000 });
    else setTimeout(load, 1000);
  }
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
})();
