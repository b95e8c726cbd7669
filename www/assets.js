// What a call needs besides the wasm: the transcript reader (a wasm of
// its own, feedback_reader.wasm, and its lexicons, feedback_lexicons.txt;
// only for a context with messages) and the locale pack of the prompt's
// language (only for languages other than English), each fetched once,
// integrity-checked, in parallel with the wasm when the call came before
// it had loaded. `cargo xtask dist` appends this file to the glue
// (dist/feedback_wasm.js) with the hashes of the files it may fetch
// (READER, LEXICONS, LOCALES), so the loader, which every page downloads,
// stays small. If a fetch fails or takes longer than TIMEOUT_MS, the call
// goes ahead without it (English copy, or a decision made without reading
// the messages), with a warning, and the next call that needs it tries
// again. Calls run in the order they were made, whatever each waits for.
export function assets(setup, PREFIX, page) {
  var TIMEOUT_MS = 10000;
  var WITHOUT = "; deciding without reading the messages";
  var MASKING = "; masking every address and long number in comments";
  // feedback_reader.wasm's exports (the reader and the comment scanner),
  // with the lexicons installed (`reader`) or not (`wasm`).
  var wasm = null;
  var wasmFor = "";
  var reader = null;
  var given = null;
  var scanner = null;
  var redactorGiven = false;
  var packs = {};
  var installedPacks = {};
  var siteLocale = setup.locale && setup.locale();
  // The calls that wait for something, chained so that none overtakes an
  // earlier one, and how many of them have not started yet.
  var queue = Promise.resolve();
  var waiting = 0;

  // The same mapping as `pack_tag` in src/domain/strings.rs.
  function packTag(locale) {
    var l = String(locale || "").toLowerCase().replace("_", "-");
    var lang = l.split("-")[0];
    if (lang === "zh") return /hant|-tw|-hk|-mo/.test(l) ? "zh-Hant" : "zh-Hans";
    return lang === "pt" ? "pt-BR" : lang;
  }

  // `what` is fetched for `read(response)`; if it cannot be, the warning
  // says so and what the call does instead (`otherwise`). A page being
  // left aborts the fetch itself (one the browser cancels is a console
  // error on the page) and, if the page is shown again, fetches it again.
  function get(url, integrity, what, otherwise, read) {
    var abort = page.abortable();
    var timer = abort && setTimeout(function () { abort.abort(); }, TIMEOUT_MS);
    return fetch(url, { integrity: integrity, signal: abort && abort.signal })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return read(r);
      })
      .finally(function () { clearTimeout(timer); page.settled(abort); })
      .catch(function (error) {
        if (page.left()) {
          return new Promise(function (again) {
            addEventListener("pageshow", function () { again(get(url, integrity, what, otherwise, read)); }, { once: true });
          });
        }
        if (document.visibilityState !== "hidden") {
          var why = error && error.name === "AbortError" ? "no answer in " + TIMEOUT_MS / 1000 + " s" : error && error.message;
          console.warn(PREFIX + "could not load " + what + " (" + why + ")" + otherwise);
        }
        return null;
      });
  }

  function buffer(r) { return r.arrayBuffer(); }

  // The reader wasm (src: reader/) as `{ e: its exports, dead }` (the
  // exports object itself is frozen), fetched once for whichever of the
  // reader and the scanner asks first; if it cannot be had, each says so
  // in its own words.
  function fetchWasm(what, otherwise) {
    if (!wasm) {
      wasmFor = what;
      wasm = get(setup.readerUrl(), READER, what, otherwise, buffer)
        .then(function (bytes) {
          return bytes && WebAssembly.instantiate(bytes).then(function (module) { return { e: module.instance.exports, dead: false }; });
        })
        .catch(function (error) {
          console.warn(PREFIX + "could not start " + what + " (" + (error && error.message) + ")" + otherwise);
          return null;
        });
      wasm.then(function (x) { if (!x) wasm = null; });
    } else if (what !== wasmFor) {
      wasm.then(function (x) { if (!x) console.warn(PREFIX + "could not load " + what + otherwise); });
    }
    return wasm;
  }

  // The reader once it runs with its lexicons.
  function fetchReader() {
    if (!reader) {
      reader = Promise.all([
        fetchWasm("the transcript reader", WITHOUT),
        get(setup.lexiconUrl(), LEXICONS, "the transcript lexicons", WITHOUT, buffer)
      ]).then(function (got) {
        var x = got[0];
        if (!x || x.dead || !got[1]) return null;
        try {
          if (pass(x, x.e.install, new Uint8Array(got[1])) === 1) return x;
          console.warn(PREFIX + "the transcript lexicons could not be read" + WITHOUT);
        } catch (error) {
          failed(x, "the transcript reader", error, WITHOUT);
        }
        return null;
      }).catch(function (error) {
        console.warn(PREFIX + "could not start the transcript reader (" + (error && error.message) + ")" + WITHOUT);
        return null;
      });
      reader.then(function (x) { if (!x) reader = null; });
    }
    return reader;
  }

  // A reader wasm that trapped is not used again, for reading or
  // redacting: the next call that needs it fetches it anew.
  function failed(x, what, error, otherwise) {
    x.dead = true;
    if (wasm) wasm.then(function (current) { if (current === x) wasm = reader = null; });
    console.warn(PREFIX + what + " failed (" + (error && error.message) + ")" + otherwise);
  }

  // What the widget's wasm redacts comments with (`useRedactor`): called
  // with nothing once a customer starts answering, it fetches the scanner
  // (in the reader wasm, without the lexicons; once a prompt at most);
  // called with a comment, it gives the comment redacted, or undefined
  // while there is no scanner (the widget masks coarsely then).
  function redactor(text, cut) {
    if (text === undefined) {
      if (!scanner || scanner.dead) fetchWasm("the comment scanner", MASKING).then(function (x) { scanner = x; });
      return undefined;
    }
    var x = scanner;
    if (!x || x.dead) return undefined;
    try {
      var n = pass(x, function (at, len) { return x.e.redact(at, len, cut ? 1 : 0); }, new TextEncoder().encode(text));
      // (Nothing left of a comment would be a scanner gone wrong.)
      return n > 0 ? new TextDecoder().decode(new Uint8Array(x.e.memory.buffer, x.e.output(), n)) : undefined;
    } catch (error) {
      failed(x, "the comment scanner", error, MASKING);
      return undefined;
    }
  }

  // Copies `bytes` into the reader's memory and calls `fn` with them (it
  // takes the buffer back).
  function pass(x, fn, bytes) {
    var at = x.e.buffer(bytes.length);
    new Uint8Array(x.e.memory.buffer, at, bytes.length).set(bytes);
    return fn(at, bytes.length);
  }

  // What the widget's wasm reads messages with: it writes the messages it
  // validated (src: transcript/src/wire.rs) and gets the bits of what was
  // read, or -1. A reader that traps is not used again.
  function reading(x) {
    return function (bytes) {
      if (x.dead) return -1;
      try {
        return pass(x, x.e.read, bytes);
      } catch (error) {
        failed(x, "the transcript reader", error, WITHOUT);
        return -1;
      }
    };
  }

  // What `method(args)` needs: the reader if its context has messages,
  // the pack for the prompt's language (the context's, else the site's).
  // A context that throws when read (a getter, a revoked Proxy) needs
  // nothing here: the widget refuses it with its own error.
  function needs(method, args) {
    try {
      return needed(method, args);
    } catch (error) {
      return { reader: null, tag: "" };
    }
  }

  function needed(method, args) {
    var context = method === "mount" ? args[1] : args[0];
    if (method === "configure" && context && context.locale) siteLocale = context.locale;
    var shows = method === "ask" || method === "mount";
    // (Only the customer's words are read: no reader for an agent's.)
    var messages = false;
    if ((shows || method === "decide") && context && Array.isArray(context.messages)) {
      for (var i = 0; i < context.messages.length && !messages; i++) {
        var m = context.messages[i];
        messages = Boolean(m && typeof m.from === "string" && m.from.toLowerCase() === "customer");
      }
    }
    return { reader: messages ? fetchReader() : null, tag: shows ? packTag((context && context.locale) || siteLocale) : "" };
  }

  return {
    scanner: function () { return wasm; },
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
      if (!redactorGiven) {
        w.useRedactor(redactor);
        redactorGiven = true;
      }
      if (!need.reader && !pack && !waiting) return w[method].apply(w, args);
      waiting++;
      // (Each fetch gives up after TIMEOUT_MS: `get`.)
      var wanted = Promise.all([need.reader, pack]);
      var started = queue.then(function () { return wanted; }).then(function (got) {
        waiting--;
        if (got[0] && got[0] !== given) {
          w.useReader(reading(got[0]));
          given = got[0];
        }
        if (got[1] && !installedPacks[need.tag]) {
          w.installLocale(need.tag, got[1]);
          installedPacks[need.tag] = true;
        }
        // (In an array: the ask's promise settles when the customer is done,
        // and the next call must not wait for that.)
        return [w[method].apply(w, args)];
      });
      queue = started.then(null, function () {});
      return started.then(function (result) { return result[0]; });
    }
  };

  function fetchPack(tag) {
    if (!LOCALES[tag] || installedPacks[tag]) return null;
    if (!packs[tag]) {
      packs[tag] = get(setup.localeUrl(tag), LOCALES[tag], "the " + tag + " copy", "; showing English", function (r) { return r.json(); });
      packs[tag].then(function (pack) { if (!pack) delete packs[tag]; });
    }
    return packs[tag];
  }
}
