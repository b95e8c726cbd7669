// Records long tasks (main-thread blocking) on a bench page, and measures
// the time from asking to a prompt that is visible and can be answered.
window.__longTasks = [];
try {
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) { window.__longTasks.push({ start: e.startTime, duration: e.duration }); });
  }).observe({ type: "longtask", buffered: true });
} catch (e) { /* no long task API */ }

/** Calls `ask()` and resolves with milliseconds until a radio is on screen. */
window.__timeToPrompt = function (ask, hostTag) {
  return new Promise(function (resolve) {
    var t0 = performance.now();
    ask();
    (function poll() {
      var host = document.querySelector(hostTag);
      var radio = host && host.shadowRoot && host.shadowRoot.querySelector("input[type=radio]");
      if (radio && radio.getBoundingClientRect().width > 0) return resolve({ ms: performance.now() - t0, t0: t0 });
      requestAnimationFrame(poll);
    })();
  });
};
