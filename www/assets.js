// What a call needs besides the wasm: the transcript reader's lexicons
// (only for a context with messages) and the locale pack of the prompt's
// language (only for languages other than English), each fetched once,
// integrity-checked, in parallel with the wasm when the call came before
// it had loaded. `cargo xtask dist` appends this file to the glue
// (dist/feedback_wasm.js) with the hashes of the files it may fetch
// (LEXICONS, LOCALES), so the loader, which every page downloads, stays
// small. If a fetch fails, the call goes ahead without it (English copy,
// or a decision made without reading the messages), with one warning, and
// the next call that needs it tries again.
export function assets(setup, PREFIX) {
  var lexicons = null;
  var lexiconsInstalled = false;
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

  function fetchLexicons() {
    if (!lexicons) {
      lexicons = get(setup.lexiconUrl(), LEXICONS, "the transcript lexicons; deciding without reading the messages", function (r) { return r.text(); });
      lexicons.then(function (text) { if (!text) lexicons = null; });
    }
    return lexicons;
  }

  function fetchPack(tag) {
    if (!LOCALES[tag] || installedPacks[tag]) return null;
    if (!packs[tag]) {
      packs[tag] = get(setup.localeUrl(tag), LOCALES[tag], "the " + tag + " copy; showing English", function (r) { return r.json(); });
      packs[tag].then(function (pack) { if (!pack) delete packs[tag]; });
    }
    return packs[tag];
  }

  // What `method(args)` needs: lexicons if its context has messages, the
  // pack for the prompt's language (the context's, else the site's).
  function needs(method, args) {
    var context = method === "mount" ? args[1] : args[0];
    if (method === "configure" && context && context.locale) siteLocale = context.locale;
    var shows = method === "ask" || method === "mount";
    return {
      lexicons: !lexiconsInstalled && context && context.messages && context.messages.length ? fetchLexicons() : null,
      tag: shows ? packTag((context && context.locale) || siteLocale) : ""
    };
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
      if (!need.lexicons && !pack) return w[method].apply(w, args);
      return Promise.all([need.lexicons, pack]).then(function (got) {
        if (got[0] && !lexiconsInstalled) {
          w.installLexicons(got[0]);
          lexiconsInstalled = true;
        }
        if (got[1] && !installedPacks[need.tag]) {
          w.installLocale(need.tag, got[1]);
          installedPacks[need.tag] = true;
        }
        return w[method].apply(w, args);
      });
    }
  };
}
