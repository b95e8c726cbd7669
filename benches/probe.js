// Records long tasks (main-thread blocking) on a bench page, and measures
// the time from asking to a prompt that is visible and can be answered,
// and to the prompt's entrance animations having finished.
window.__longTasks = [];
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__longTasks.push({ start: e.startTime, duration: e.duration }); });
  }).observe({ type: "longtask", buffered: true });
} catch (e) { /* no long task API */ }

/** The element to wait for: `target` inside `host` (inside its shadow root if it has one). */
function __find(host, target) {
  var el = document.querySelector(host);
  if (!el) return null;
  return (el.shadowRoot || el).querySelector(target) || (el.shadowRoot ? el.querySelector(target) : null);
}

/** Every animation or transition on the page, in the light DOM and in the prompt's shadow root. */
function __animations(host) {
  var list = document.getAnimations();
  var el = document.querySelector(host);
  if (el) {
    list = list.concat(el.getAnimations({ subtree: true }));
    if (el.shadowRoot) list = list.concat(el.shadowRoot.getAnimations());
  }
  return list.filter(function (a, i) { return list.indexOf(a) === i; });
}

function __frame() { return new Promise(function (r) { requestAnimationFrame(function () { requestAnimationFrame(r); }); }); }
function __sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

/**
 * Resolves with the time (performance.now()) at which the prompt's finite
 * animations and transitions end: for each one, its start time plus its end
 * time on the document timeline, so the figure does not include polling.
 * Looks again after they finish, for ones started by a later frame; gives up
 * after a few rounds or 5 s.
 */
function __visuallyComplete(host, visibleAt) {
  var seen = [], end = visibleAt, deadline = performance.now() + 5000;
  function round(n) {
    var fresh = __animations(host).filter(function (a) {
      if (seen.indexOf(a) >= 0 || a.playState === "finished" || !a.effect) return false;
      return isFinite(a.effect.getComputedTiming().endTime);
    });
    if (!fresh.length || n > 4 || performance.now() > deadline) return Promise.resolve(end);
    seen = seen.concat(fresh);
    return Promise.all(fresh.map(function (a) {
      return Promise.race([a.ready, __sleep(1000)]).then(function () {
        var timing = a.effect.getComputedTiming();
        var rate = Math.abs(a.playbackRate || 1);
        if (a.startTime != null) end = Math.max(end, a.startTime + timing.endTime / rate);
        return Promise.race([a.finished, __sleep(Math.max(0, deadline - performance.now()))]);
      }).catch(function () { /* cancelled: it no longer shows */ });
    })).then(__frame).then(function () { return round(n + 1); });
  }
  return round(0);
}

/**
 * Calls `ask()` and resolves with { ms, visualMs, t0 }: milliseconds until
 * `target` (a rating option) inside `host` is on screen, and until the
 * prompt's entrance animations have finished. After `timeoutMs` without a
 * prompt it resolves with { error }. With `skipVisual`, only the first.
 */
window.__timeToPrompt = function (ask, host, target, timeoutMs, skipVisual) {
  target = target || "input[type=radio]";
  timeoutMs = timeoutMs || 10000;
  return new Promise(function (resolve) {
    var t0 = performance.now();
    try { ask(); } catch (e) { return resolve({ error: "ask() threw: " + e, t0: t0 }); }
    (function poll() {
      var el = __find(host, target);
      if (el && el.getBoundingClientRect().width > 0) {
        var visibleAt = performance.now();
        if (skipVisual) return resolve({ ms: visibleAt - t0, t0: t0 });
        return __visuallyComplete(host, visibleAt).then(function (end) {
          resolve({ ms: visibleAt - t0, visualMs: end - t0, t0: t0 });
        });
      }
      if (performance.now() - t0 > timeoutMs) return resolve({ error: "no prompt within " + timeoutMs + " ms", t0: t0 });
      requestAnimationFrame(poll);
    })();
  });
};

/** Resolves once an idle callback has run (the loader's own idle preload was queued before it). */
window.__idle = function () {
  return new Promise(function (resolve) {
    if (window.requestIdleCallback) requestIdleCallback(function () { resolve(); }, { timeout: 5000 });
    else setTimeout(resolve, 1000);
  });
};
