/*! feedback.js - the script-tag loader of the effort & venting prompt.
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
  // Included twice: the first tag's options stay, and the page is told
  // (a second tag's data-* were ignored without a word).
  if (window.Feedback && window.Feedback.__loader) {
    console.warn("[feedback] feedback.js is included twice: the first tag's data-* options apply, this tag's are ignored");
    return;
  }
  // The page's own `Feedback` stays: replacing it would break the page.
  if (window.Feedback !== undefined) {
    console.error("[feedback] window.Feedback is the page's own: not replaced (rename it, or import feedback.mjs)");
    return;
  }
  /* core.js */

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
  // (Its own keys only: a library may have put a property on every object.)
  var attributes = Object.assign({}, script && script.dataset);

  var Feedback = createFeedback({
    glueUrl: function () { return base + "feedback_wasm.js"; },
    wasmUrl: function () { return base + "feedback_wasm_bg.wasm"; },
    integrity: "__WASM_INTEGRITY__",
    readerUrl: function () { return base + "feedback_reader.wasm"; },
    lexiconUrl: function () { return base + "feedback_lexicons.txt"; },
    localeUrl: function (tag) { return base + "locales/" + tag + ".json"; },
    locale: function () {
      return attributes.locale || document.documentElement.getAttribute("lang") || (navigator.languages || [])[0];
    },
    create: function (glue, emit) { return glue.Widget.fromScriptTag(attributes, emit); }
  });
  window.Feedback = Feedback;
  loadWhenIdle(Feedback.load);
})();
