/*! feedback.mjs - the ES module of the effort & venting prompt.
 *
 *   import { init, ask, on } from "feedback-widget";
 *   init({ endpoint: "https://api.example.com/feedback", company: "Acme" });
 *   const { outcome } = await ask({ conversationId: "c-1", waitSeconds: 40 });
 *
 * The same implementation as the script tag. The wasm and its glue are
 * loaded relative to this module (import.meta.url), or from `wasmUrl` /
 * `glueUrl` / `readerUrl` / `lexiconUrl` given to init (for CDNs and bundlers). Calls
 * made before init wait for it.
 */
/* core.js */

var initialized;
var configured = new Promise(function (resolve) { initialized = resolve; });
var options = null;

var Feedback = createFeedback({
  ready: configured,
  glueUrl: function () { return options.glueUrl || new URL("./feedback_wasm.js", import.meta.url).href; },
  wasmUrl: function () { return options.wasmUrl || new URL("./feedback_wasm_bg.wasm", import.meta.url).href; },
  integrity: "__WASM_INTEGRITY__",
  readerUrl: function () { return options.readerUrl || new URL("./feedback_reader.wasm", import.meta.url).href; },
  lexiconUrl: function () { return options.lexiconUrl || new URL("./feedback_lexicons.txt", import.meta.url).href; },
  // (`localesUrl` is a directory, with or without its last "/".)
  localeUrl: function (tag) { return new URL((options.localesUrl ? options.localesUrl.replace(/\/?$/, "/") : "./locales/") + tag + ".json", options.localesUrl ? undefined : import.meta.url).href; },
  locale: function () {
    return options.locale || document.documentElement.getAttribute("lang") || (navigator.languages || [])[0];
  },
  create: function (glue, emit) {
    var settings = {};
    // (Its own keys only: a library may have put a property on every object.)
    var keys = Object.keys(options);
    for (var i = 0; i < keys.length; i++) {
      if (!/^(wasm|glue|reader|lexicon|locales)Url$/.test(keys[i])) settings[keys[i]] = options[keys[i]];
    }
    return new glue.Widget(settings, emit);
  }
});

/** Configures the widget (options as in the README) and starts loading it. */
export function init(settings) {
  var done;
  if (options) {
    // (Loading again if the first init's load failed.) A setting refused
    // here is said on the console as the first init's are: a page's
    // second init (a route, after consent) is not awaited either.
    done = Feedback.load().then(function () {
      return Feedback.configure(settings).catch(function (err) {
        console.error("[feedback] " + err.message);
        throw err;
      });
    });
  } else {
    options = Object.assign({}, settings || {});
    initialized();
    done = Feedback.load().then(function () {});
  }
  // Its error is on the console already; a page that does not await
  // init() (as the README writes it) must not get an unhandled rejection
  // for it as well.
  done.catch(function () {});
  return done;
}
// A call that waits for an init() the page has not made says so once, 5 s
// on, on the console (it still waits: a page may init after consent).
var waiting = false;
["decide", "ask", "mount"].forEach(function (name) {
  var call = Feedback[name];
  Feedback[name] = function () {
    if (!options && !waiting) {
      waiting = setTimeout(function () {
        if (!options) console.warn("feedback-widget: " + name + "() waits for init({ endpoint: ... }), which this page has not called");
      }, 5000);
    }
    return call.apply(Feedback, arguments);
  };
});
export var ready = Feedback.ready;
export var decide = Feedback.decide;
export var ask = Feedback.ask;
export var mount = Feedback.mount;
export var configure = Feedback.configure;
export var reset = Feedback.reset;
export var on = Feedback.on;
export default Feedback;
