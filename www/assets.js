// What a call needs besides the wasm: the transcript reader (a wasm of
// its own, feedback_reader.wasm, and its lexicons, feedback_lexicons.txt;
// only for a context with messages) and the locale pack of the prompt's
// language (only for languages other than English), each fetched once,
// integrity-checked, in parallel with the wasm when the call came before
// it had loaded. `cargo xtask dist` appends this file to the glue
// (dist/feedback_wasm.js) with the hashes of the files it may fetch
// (READER, LEXICONS, LOCALES), so the loader, which every page downloads,
// stays small. If a fetch fails, the call goes ahead without it (English
// copy, or a decision made without reading the messages), with one
// warning, and the next call that needs it tries again.
export function assets(setup, PREFIX) {
  var reader = null;
  var packs = {};
  var installedPacks = {};
  var siteLocale = setup.locale && setup.locale();

  // The same mapping as `pack_tag` in src/domain/strings.rs.
  function packTag(locale) {
    var l = String(locale || "").toLowerCase().replace("_", "-");
    var lang = l.split("-")[0];
    if (lang === "zh") return /hant|-tw|-hk|-mo/.test(l) ? "zh-Hant" : "zh-Hans";
    return lang === "pt" ? "pt-BR" : lang;
  }

  function get(url, integrity, what, read) {
    return fetch(url, { integrity: integrity })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return read(r);
      })
      .catch(function (error) {
        // A page being left aborts its fetches: nothing to tell anyone.
        if (document.visibilityState !== "hidden") {
          console.warn(PREFIX + "could not load " + what + " (" + (error && error.message) + ")");
        }
        return null;
      });
  }

  // The reader's exports once it runs with its lexicons (src: reader/).
  function fetchReader() {
    if (!reader) {
      var without = "; deciding without reading the messages";
      var buffer = function (r) { return r.arrayBuffer(); };
      reader = Promise.all([
        get(setup.readerUrl(), READER, "the transcript reader" + without, buffer),
        get(setup.lexiconUrl(), LEXICONS, "the transcript lexicons" + without, buffer)
      ]).then(function (got) {
        if (!got[0] || !got[1]) return null;
        return WebAssembly.instantiate(got[0]).then(function (module) {
          var x = module.instance.exports;
          if (pass(x, x.install, new Uint8Array(got[1])) === 1) return x;
          console.warn(PREFIX + "the transcript lexicons could not be read" + without);
          return null;
        });
      }).catch(function (error) {
        console.warn(PREFIX + "could not start the transcript reader (" + (error && error.message) + ")" + without);
        return null;
      });
      reader.then(function (x) { if (!x) reader = null; });
    }
    return reader;
  }

  // Copies `bytes` into the reader's memory and calls `fn` with them (it
  // takes the buffer back).
  function pass(x, fn, bytes) {
    var at = x.buffer(bytes.length);
    new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes);
    return fn(at, bytes.length);
  }

  // What the reader makes of `messages` (the bits of reader/src/lib.rs's
  // Verdict), or undefined. Written as reader/src/lib.rs's `decode` reads
  // them: per message a byte (1: from the customer), the text's UTF-8
  // length (4 bytes, little-endian) and the text. Only the last 200
  // messages and their first 4,000 characters count (as in the widget),
  // so no more is copied.
  function read(x, messages) {
    try {
      var encoder = new TextEncoder();
      var items = messages.slice(-200).map(function (m) {
        var text = m && typeof m.text === "string" ? m.text.slice(0, 8000) : "";
        var customer = m && typeof m.from === "string" && m.from.toLowerCase() === "customer";
        return [customer ? 1 : 0, encoder.encode(text)];
      });
      var size = 0;
      for (var i = 0; i < items.length; i++) size += 5 + items[i][1].length;
      var bytes = new Uint8Array(size);
      var view = new DataView(bytes.buffer);
      for (var j = 0, at = 0; j < items.length; at += 5 + items[j][1].length, j++) {
        bytes[at] = items[j][0];
        view.setUint32(at + 1, items[j][1].length, true);
        bytes.set(items[j][1], at + 5);
      }
      var bits = pass(x, x.read, bytes);
      return bits >= 0 ? bits : undefined;
    } catch (error) {
      console.warn(PREFIX + "the transcript reader failed (" + (error && error.message) + "); deciding without reading the messages");
      reader = null;
      return undefined;
    }
  }

  function fetchPack(tag) {
    if (!LOCALES[tag] || installedPacks[tag]) return null;
    if (!packs[tag]) {
      packs[tag] = get(setup.localeUrl(tag), LOCALES[tag], "the " + tag + " copy; showing English", function (r) { return r.json(); });
      packs[tag].then(function (pack) { if (!pack) delete packs[tag]; });
    }
    return packs[tag];
  }

  // What `method(args)` needs: the reader if its context has messages,
  // the pack for the prompt's language (the context's, else the site's).
  function needs(method, args) {
    var at = method === "mount" ? 1 : 0;
    var context = args[at];
    if (method === "configure" && context && context.locale) siteLocale = context.locale;
    var shows = method === "ask" || method === "mount";
    var decides = shows || method === "decide";
    var messages = decides && context && Array.isArray(context.messages) && context.messages.length ? context.messages : null;
    if (messages) fetchReader();
    return { messages: messages, at: at, tag: shows ? packTag((context && context.locale) || siteLocale) : "" };
  }

  return {
    prefetch: function (calls) {
      fetchPack(packTag(siteLocale));
      for (var i = 0; i < calls.length; i++) {
        var need = needs(calls[i][0], calls[i][1]);
        fetchPack(need.tag);
      }
    },
    call: function (w, method, args) {
      var need = needs(method, args);
      var pack = fetchPack(need.tag);
      if (!need.messages && !pack) return w[method].apply(w, args);
      return Promise.all([need.messages && fetchReader(), pack]).then(function (got) {
        if (got[1] && !installedPacks[need.tag]) {
          w.installLocale(need.tag, got[1]);
          installedPacks[need.tag] = true;
        }
        // The widget's wasm takes what the reader read after the context.
        if (need.messages) args = args.slice(0, need.at + 1).concat([got[0] ? read(got[0], need.messages) : undefined]);
        return w[method].apply(w, args);
      });
    }
  };
}
