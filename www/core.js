// The shared core of the loaders: the page-facing API (ready, decide, ask,
// mount, configure, on), the queue of calls made before the WebAssembly
// has loaded, and the lazy, integrity-checked loading itself.
// `cargo xtask dist` wraps it into dist/feedback.js (the script tag) and
// dist/feedback.mjs (the ES module); both share this one implementation.

/**
 * @param {object} setup
 *   glueUrl, wasmUrl: where the wasm-bindgen glue and the wasm are;
 *   integrity: the wasm's SRI hash, checked when it is fetched;
 *   readerUrl, lexiconUrl: the transcript reader and its lexicons;
 *   localeUrl: (tag) =>
 *     where a locale pack is; locale: () => the language known at load
 *     (the site's, the page's, the browser's). What to fetch, and their
 *     hashes, is www/assets.js's, appended to the glue;
 *   create: (glue, emit) => Widget, given the loaded glue module.
 */
function createFeedback(setup) {
  "use strict";
  var PREFIX = "[feedback] ";
  // Where `item` is in `list`, or -1. (Plain loops here, not the page's
  // `indexOf`, `some` or `forEach`, which libraries of old replace:
  // Prototype.js and MooTools together left `[].some` throwing.)
  function position(list, item) {
    for (var i = 0; i < list.length; i++) if (list[i] === item) return i;
    return -1;
  }
  var EVENTS = ["show", "submit", "dismiss", "suppress", "delivered", "failed"];
  var handlers = {};
  // Called with a name only, it says whether the page listens: the
  // widget makes an event's detail into a page object only for a page
  // that does.
  function emit(name, detail) {
    var list = (handlers[name] || []).slice();
    if (arguments.length < 2) return list.length > 0;
    for (var j = 0; j < list.length; j++) {
      try {
        list[j](detail);
      } catch (error) {
        // A broken handler is the page's bug: report it, keep going.
        setTimeout(function () { throw error; });
      }
    }
  }

  // `ready`: settled by the first load that works, or by one that cannot
  // ever work (a configuration error, a wasm from another build).
  var settle;
  var widget = new Promise(function (resolve, reject) { settle = { resolve: resolve, reject: reject }; });
  var memory = null;
  // The load under way, or done; null while none is (or after one failed
  // to fetch its files: the next call tries again).
  var attempt = null;
  // A page being left aborts its fetches. That is not a failure to report,
  // and a page restored from the back/forward cache must load again, so a
  // load that fails after the page was hidden is neither logged nor
  // settled: it starts over when the page is shown again (or at once, if
  // it already has been), and `ready` and the queued calls wait for it.
  var hidden = false;
  var hiddenDuringLoad = false;
  var onShow = null;
  // Our fetches are aborted then, by us (`page.abortable()`): one the
  // browser cancels as it leaves the page is a console error on the page.
  var fetches = [];
  window.addEventListener("pagehide", function () {
    hidden = true;
    hiddenDuringLoad = true;
    var all = fetches.slice();
    for (var i = 0; i < all.length; i++) all[i].abort();
  });
  // (`settled(abort)` once a fetch is over: a page whose reader keeps
  // failing asks again and again, and would keep every controller.)
  var page = {
    abortable: function () {
      var abort = window.AbortController ? new AbortController() : null;
      if (abort) fetches.push(abort);
      return abort;
    },
    settled: function (abort) {
      var at = position(fetches, abort);
      if (at >= 0) fetches.splice(at, 1);
    },
    left: function () { return hidden; }
  };
  window.addEventListener("pageshow", function () {
    hidden = false;
    var run = onShow;
    onShow = null;
    if (run) run();
  });
  /** Loads the widget (once; again after a load that could not fetch its
   * files). */
  function load() {
    if (attempt) return attempt;
    attempt = new Promise(function (resolve, reject) { run(resolve, reject); });
    // (Its failure is reported below, and to the calls waiting for it.)
    attempt.catch(function () {});
    return attempt;
  }
  function run(resolve, reject) {
    hiddenDuringLoad = hidden;
    // Past the files: what fails from here on fails every time.
    var lasting = false;
    Promise.resolve(setup.ready)
      .then(function () { return import(setup.glueUrl()); })
      .then(function (glue) {
        // The transcript reader and locale packs the calls so far need are fetched
        // now, in parallel with the wasm (see www/assets.js, in the glue).
        if (!assets) {
          assets = glue.assets(setup, PREFIX, page);
          assets.prefetch(early);
          early = null;
        }
        var wasmUrl = setup.wasmUrl();
        // The wasm is fetched with the hash it was built with, so a
        // tampered file is refused (the browser rejects the fetch).
        var integrity = setup.integrity && setup.integrity.indexOf("sha") === 0 ? setup.integrity : undefined;
        var abort = page.abortable();
        // The browser says only "Failed to fetch", offline, for a file
        // failing its hash (a stale cache after an upgrade) and for one
        // the server does not have (a 404's body fails the hash) alike.
        // (An abort, as the page is hidden, is not reported: see below.)
        var wasm = fetch(wasmUrl, { integrity: integrity, signal: abort && abort.signal }).catch(function (error) {
          throw new TypeError(error.message + " (" + wasmUrl + ": not found, offline, blocked, or refused by its integrity hash)");
        });
        return glue.default({ module_or_path: wasm }).finally(function () { page.settled(abort); }).then(function (exports) {
          memory = exports.memory;
          lasting = true;
          return setup.create(glue, emit);
        });
      })
      .then(function (w) {
        settle.resolve(w);
        resolve(w);
      }, function (error) {
        if (hiddenDuringLoad) {
          if (hidden) onShow = function () { run(resolve, reject); };
          else run(resolve, reject);
          return;
        }
        var err = error instanceof Error ? error : new Error(String(error));
        // A wasm from another build does not link, and a configuration
        // error stays one: every call rejects with it, and `ready` too.
        // A file that could not be fetched (offline, the server failing,
        // a refused hash) is tried again by the next call.
        lasting = lasting || /^(Link|Compile)Error$/.test(err.name);
        if (lasting) settle.reject(err);
        else {
          attempt = null;
          // The calls waiting have been told; a page waiting on `ready`
          // is served when the browser is back online.
          if (!assets) early = [];
          // (One listener, however many loads fail before the browser is back.)
          if (!waitingOnline) {
            waitingOnline = true;
            addEventListener("online", function () { waitingOnline = false; load(); }, { once: true });
          }
        }
        // (Only a warning while the browser is offline: nothing to fix.)
        (lasting || navigator.onLine !== false ? console.error : console.warn)(PREFIX + err.message);
        reject(err);
      });
  }

  var assets = null;
  var early = [];
  var waitingOnline = false;
  function call(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    if (early) early.push([method, args]);
    else if (assets) assets.prefetch([[method, args]]);
    return load().then(function (w) { return assets.call(w, method, args); });
  }

  var api = {
    __loader: true,
    ready: null,
    load: load,
    decide: function (context) { return call("decide", context); },
    ask: function (context) { return call("ask", context); },
    mount: function (element, context) { return call("mount", element, context); },
    configure: function (settings) { return call("configure", settings); },
    reset: function () { return call("reset"); },
    on: function (name, handler) {
      if (typeof handler !== "function") throw new TypeError(PREFIX + "on(name, handler): handler must be a function");
      if (position(EVENTS, name) < 0) console.warn(PREFIX + "unknown event \"" + name + "\"; events are " + EVENTS.join(", "));
      (handlers[name] = handlers[name] || []).push(handler);
      return function off() {
        var list = handlers[name] || [];
        var at = position(list, handler);
        if (at >= 0) list.splice(at, 1);
      };
    },
    // For benchmarks: bytes of WebAssembly memory (0 before loading).
    __wasmMemoryBytes: function () { return memory ? memory.buffer.byteLength : 0; },
    // For tests: the comment scanner being fetched, or null.
    __scanner: function () { return assets && assets.scanner(); }
  };
  api.ready = widget.then(function () { return api; });
  // The error is already on the console once; a page that never looks at
  // `ready` must not get a second, "uncaught" report of it.
  api.ready.catch(function () {});
  return api;
}

/** Loads when the page is idle after its own load event. */
function loadWhenIdle(load) {
  function idle() {
    if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 5000 });
    else setTimeout(load, 1000);
  }
  if (document.readyState === "complete") idle();
  else window.addEventListener("load", idle, { once: true });
}
