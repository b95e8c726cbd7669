// The shared core of the loaders: the page-facing API (ready, decide, ask,
// mount, configure, on), the queue of calls made before the WebAssembly
// has loaded, and the lazy, integrity-checked loading itself.
// `cargo xtask dist` wraps it into dist/feedback.js (the script tag) and
// dist/feedback.mjs (the ES module); both share this one implementation.

/**
 * @param {object} setup
 *   glueUrl, wasmUrl: where the wasm-bindgen glue and the wasm are;
 *   integrity: the wasm's SRI hash, checked when it is fetched;
 *   lexiconUrl, lexiconIntegrity: the transcript reader's lexicons, fetched
 *     (in parallel with the wasm) only when a context has messages;
 *   locale: () => the language known at load (the site's, the page's, the
 *     browser's); localeUrl: (tag) => where that locale pack is. Packs
 *     and their hashes are listed in the glue (LOCALES); the one for the
 *     language known at load is fetched in parallel with the wasm;
 *   create: (glue, emit) => Widget, given the loaded glue module.
 */
function createFeedback(setup) {
  "use strict";
  var PREFIX = "[feedback] ";
  var EVENTS = ["show", "submit", "dismiss", "suppress", "delivered", "failed"];
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

  // Locale packs: tag -> SRI hash (from the glue), tag -> Promise of the pack.
  var locales = {};
  var packs = {};
  var installedPacks = {};
  var siteLocale = null;
  function packTag(locale) {
    var l = String(locale || "").toLowerCase().replace("_", "-");
    var lang = l.split("-")[0];
    if (lang === "zh") return /hant|-tw|-hk|-mo/.test(l) ? "zh-Hant" : "zh-Hans";
    return lang === "pt" ? "pt-BR" : lang;
  }
  function fetchPack(tag) {
    if (!locales[tag]) return null;
    if (!packs[tag]) {
      packs[tag] = fetch(setup.localeUrl(tag), { integrity: locales[tag] })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .catch(function (error) {
          delete packs[tag];
          console.warn(PREFIX + "could not load the " + tag + " copy (" + (error && error.message) + "); showing English");
          return null;
        });
    }
    return packs[tag];
  }

  var settle;
  var widget = new Promise(function (resolve, reject) { settle = { resolve: resolve, reject: reject }; });
  var memory = null;
  var started = false;
  function load() {
    if (started) return widget;
    started = true;
    Promise.resolve(setup.ready)
      .then(function () { return import(setup.glueUrl()); })
      .then(function (glue) {
        locales = glue.LOCALES || {};
        siteLocale = setup.locale && setup.locale();
        fetchPack(packTag(siteLocale));
        var wasmUrl = setup.wasmUrl();
        // The wasm is fetched with the hash it was built with, so a
        // tampered file is refused (the browser rejects the fetch).
        var integrity = setup.integrity && setup.integrity.indexOf("sha") === 0 ? setup.integrity : undefined;
        var wasm = fetch(wasmUrl, integrity ? { integrity: integrity } : undefined);
        return glue.default({ module_or_path: wasm }).then(function (exports) {
          memory = exports.memory;
          return setup.create(glue, emit);
        });
      })
      .then(settle.resolve, function (error) {
        var err = error instanceof Error ? error : new Error(String(error));
        console.error(PREFIX + err.message);
        settle.reject(err);
      });
    return widget;
  }

  // The lexicons: one fetch, started with the first call whose context has
  // messages; if it fails, the decision is made without reading them (and
  // the next such call tries again).
  var lexicons = null;
  var lexiconsInstalled = false;
  function fetchLexicons() {
    if (!lexicons) {
      lexicons = Promise.resolve(setup.ready)
        .then(function () {
          var integrity = setup.lexiconIntegrity && setup.lexiconIntegrity.indexOf("sha") === 0 ? setup.lexiconIntegrity : undefined;
          return fetch(setup.lexiconUrl(), integrity ? { integrity: integrity } : undefined);
        })
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.text();
        })
        .catch(function (error) {
          lexicons = null;
          console.warn(PREFIX + "could not load the transcript lexicons (" + (error && error.message) + "); deciding without reading the messages");
          return null;
        });
    }
    return lexicons;
  }

  function call(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    var context = method === "mount" ? args[1] : args[0];
    var text = setup.lexiconUrl && !lexiconsInstalled && context && context.messages && context.messages.length ? fetchLexicons() : null;
    return load().then(function (w) {
      if (method === "configure" && context && context.locale) siteLocale = context.locale;
      // The prompt's copy: the context's language, else the site's.
      var tag = method === "ask" || method === "mount" ? packTag((context && context.locale) || siteLocale) : "";
      var pack = installedPacks[tag] ? null : fetchPack(tag);
      return Promise.all([text, pack]).then(function (got) {
        if (got[0] && !lexiconsInstalled) {
          w.installLexicons(got[0]);
          lexiconsInstalled = true;
        }
        if (got[1] && !installedPacks[tag]) {
          w.installLocale(tag, got[1]);
          installedPacks[tag] = true;
        }
        return w[method].apply(w, args);
      });
    });
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
