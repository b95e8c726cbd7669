// `cargo xtask bench`, the browser half: the widget against a hand-written
// plain-DOM prompt (the floor) in real headless Chromium, in one run; with
// `--peers`, other survey widgets too (benches/peers/). Prints a table and
// writes target/bench/bench-<time>.json and latest.json.
import { writeFileSync, mkdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { loadavg, cpus } from "node:os";
import { startReceiver, launch, ROOT } from "../tests/e2e/harness.mjs";

const RUNS = Number(process.env.BENCH_RUNS || 20);
const CYCLES = Number(process.env.BENCH_CYCLES || 100);
const PEERS = process.argv.includes("--peers");
const PEERS_DIR = process.env.BENCH_PEERS_DIR || join(ROOT, "target/tools/peers");
/** How long a prompt may take to show before a run counts as failed. */
const PROMPT_TIMEOUT_MS = 10_000;
/** "After idle": this long without network activity, then this long again. */
const QUIET_MS = 500;

const variants = {
  widget: { label: "widget", page: "/benches/widget.html", host: "feedback-prompt", target: "input[type=radio]",
    ask: "Feedback.ask({conversationId: 'bench-' + Math.random()})", heap: true },
  floor: { label: "plain-DOM floor", page: "/benches/floor/page.html", host: "floor-prompt", target: "input[type=radio]",
    ask: "FloorFeedback.ask({conversationId: 'bench'})", heap: true },
  // The same prompt as the smallest Yew app (benches/yew-floor, built by
  // xtask): what Yew itself costs, which no change in the widget can cut.
  yew: { label: "Yew floor", page: "/benches/yew-floor/page.html", host: "yew-floor-prompt", target: "input[type=radio]",
    ask: "YewFloor.ask({conversationId: 'bench'})", heap: true },
};
if (PEERS) {
  const { peers } = await import("./peers/peers.mjs");
  Object.assign(variants, peers(ROOT, PEERS_DIR));
}

function compressed(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}
const total = (list, key) => list.reduce((sum, f) => sum + f[key], 0);

function stats(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

const blocking = (tasks) => tasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0);

async function heap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.enable");
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  await cdp.detach();
  return usedSize;
}

/**
 * Every response the page receives, with the phase it finished in ("load":
 * before the load event, "ask": between ask() and the prompt on screen,
 * "after"), its body's raw, gzip and brotli size; and the number of
 * requests in flight, for waiting until the network is quiet.
 */
function watchNetwork(page) {
  const net = { phase: "load", entries: [], pending: [], inflight: 0, lastChange: Date.now() };
  const touch = () => { net.lastChange = Date.now(); };
  page.on("request", () => { net.inflight++; touch(); });
  page.on("requestfailed", (request) => {
    net.inflight--; touch();
    net.entries.push({ url: request.url(), phase: net.phase, failed: request.failure()?.errorText || "failed" });
  });
  page.on("requestfinished", (request) => {
    net.inflight--; touch();
    const entry = { url: request.url(), phase: net.phase, type: request.resourceType() };
    net.entries.push(entry);
    net.pending.push((async () => {
      const response = await request.response();
      entry.status = response?.status();
      Object.assign(entry, compressed(response ? await response.body() : Buffer.alloc(0)));
    })().catch((e) => { entry.error = String(e); }));
  });
  return net;
}

/** Resolves when no request has been in flight for `ms` (at most 15 s). */
async function quiet(page, net, ms = QUIET_MS) {
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    if (net.inflight <= 0 && Date.now() - net.lastChange >= ms) return;
    await page.waitForTimeout(50);
  }
}

/** What the page fetched for the prompt: not the page itself nor the bench's probe. */
function promptFiles(net, origin, phases) {
  return net.entries
    .filter((e) => phases.includes(e.phase) && !e.failed && e.type !== "document" && !e.url.endsWith("/benches/probe.js"))
    .map((e) => ({ file: e.url.startsWith(origin) ? e.url.slice(origin.length + 1) : e.url, raw: e.raw, gzip: e.gzip, brotli: e.brotli, status: e.status }));
}

async function openPage(context, receiver, v) {
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (err) => page.errors.push(String(err)));
  page.on("console", (msg) => { if (msg.type() === "error") page.errors.push(msg.text()); });
  return page;
}

async function goto(page, receiver, v) {
  await page.goto(receiver.url + v.page, { waitUntil: "load", timeout: 30_000 });
}

async function newContext(browser) {
  // No page.route anywhere: with one, Playwright intercepts every request.
  return browser.newContext();
}

/** Asks and resolves with { ms, visualMs, t0 } or { error }. */
async function timeToPrompt(page, v, skipVisual = false) {
  return page.evaluate(([ask, host, target, timeout, skip]) => window.__timeToPrompt(() => eval(ask), host, target, timeout, skip),
    [v.ask, v.host, v.target, PROMPT_TIMEOUT_MS, skipVisual]);
}

async function answerAndClose(page, v) {
  // Answer in page (no driver round trips): pick 6, submit, close the thank-you.
  await page.evaluate(async (host) => {
    const root = document.querySelector(host).shadowRoot;
    root.querySelectorAll("input[type=radio]")[5].click();
    await new Promise((r) => setTimeout(r, 0));
    root.querySelector("button[type=submit]").click();
    await new Promise((r) => setTimeout(r, 0));
    const close = root.querySelector(".fb-close");
    if (close) close.click();
    for (let i = 0; i < 100 && document.querySelector(host); i++) await new Promise((r) => setTimeout(r, 10));
  }, v.host);
}

function emptyResult() {
  return { fromStart: [], cold: [], coldVisual: [], warm: [], warmVisual: [], idle: [], idleVisual: [], loadBlocking: [], askBlocking: [], errors: [] };
}

/**
 * One run of one variant: cold (fresh context, ask at the load event), warm
 * (a second page in that context), after idle (fresh context, ask once an
 * idle callback has run, the network has been quiet for 500 ms, and 500 ms
 * more). The first run also records what the page fetched.
 */
async function runOnce(browser, receiver, name, r, first) {
  const v = variants[name];
  const context = await newContext(browser);
  try {
    const page = await openPage(context, receiver, v);
    const net = watchNetwork(page);
    await goto(page, receiver, v);
    net.phase = "ask";
    const cold = await timeToPrompt(page, v);
    net.phase = "after";
    if (first) {
      await quiet(page, net);
      await Promise.all(net.pending);
      r.network = net.entries;
      r.bytesOnLoad = promptFiles(net, receiver.url, ["load"]);
      r.bytesToPrompt = promptFiles(net, receiver.url, ["load", "ask"]);
    }
    if (cold.error) {
      r.errors.push(`cold: ${cold.error}${page.errors.length ? "; page errors: " + page.errors.slice(0, 3).join(" | ") : ""}`);
      return false;
    }
    r.cold.push(cold.ms);
    r.fromStart.push(cold.t0 + cold.ms);
    r.coldVisual.push(cold.visualMs);
    const tasks = await page.evaluate(() => window.__longTasks);
    r.loadBlocking.push(blocking(tasks.filter((t) => t.start < cold.t0)));
    r.askBlocking.push(blocking(tasks.filter((t) => t.start >= cold.t0)));
    const again = await openPage(context, receiver, v);
    await goto(again, receiver, v);
    await again.waitForTimeout(50);
    const warm = await timeToPrompt(again, v);
    if (warm.error) r.errors.push(`warm: ${warm.error}`);
    else { r.warm.push(warm.ms); r.warmVisual.push(warm.visualMs); }
  } finally {
    await context.close();
  }
  const idleContext = await newContext(browser);
  try {
    const page = await openPage(idleContext, receiver, v);
    const net = watchNetwork(page);
    await goto(page, receiver, v);
    await page.evaluate(() => window.__idle());
    await quiet(page, net);
    await page.waitForTimeout(QUIET_MS);
    net.phase = "ask";
    const idle = await timeToPrompt(page, v);
    net.phase = "after";
    if (idle.error) r.errors.push(`after idle: ${idle.error}`);
    else { r.idle.push(idle.ms); r.idleVisual.push(idle.visualMs); }
    if (first) {
      // What was still fetched after the ask: nothing, if preloading worked.
      await Promise.all(net.pending);
      r.idleFetchedOnAsk = promptFiles(net, receiver.url, ["ask"]);
    }
  } finally {
    await idleContext.close();
  }
  return true;
}

/** Memory: idle after one prompt, then after many ask/submit cycles (the widget and the floors). */
async function measureHeap(browser, receiver, name) {
  const v = variants[name];
  const context = await browser.newContext();
  const page = await openPage(context, receiver, v);
  await goto(page, receiver, v);
  if (name === "widget") await page.evaluate(() => Feedback.configure({ sessionCap: 100000, answeredCooldownDays: 0 }));
  await timeToPrompt(page, v);
  await answerAndClose(page, v);
  await page.waitForTimeout(300);
  const heapIdle = await heap(page);
  const wasm = () => page.evaluate(() => (window.Feedback ? Feedback.__wasmMemoryBytes() : 0));
  const wasmIdle = await wasm();
  for (let i = 0; i < CYCLES; i++) {
    await timeToPrompt(page, v, true);
    await answerAndClose(page, v);
  }
  await page.waitForTimeout(500);
  const heapAfter = await heap(page);
  const wasmAfter = await wasm();
  // A second round: a leak grows by the same amount again; warm-up does not.
  for (let i = 0; i < CYCLES; i++) {
    await timeToPrompt(page, v, true);
    await answerAndClose(page, v);
  }
  await page.waitForTimeout(500);
  const heapAfter2 = await heap(page);
  const wasmAfter2 = await wasm();
  await context.close();
  return {
    heapBytes: { idle: heapIdle, afterCycles: heapAfter, afterTwiceAsMany: heapAfter2, cycles: CYCLES },
    wasmMemoryBytes: { idle: wasmIdle, afterCycles: wasmAfter, afterTwiceAsMany: wasmAfter2 },
  };
}

const loadBefore = loadavg()[0];
const receiver = await startReceiver();
const browser = await launch();
try {
  const names = Object.keys(variants);
  const raw = Object.fromEntries(names.map((n) => [n, emptyResult()]));
  const failed = new Set();
  // Interleaved, so a slow moment of a shared machine falls on every variant alike.
  for (let i = 0; i < RUNS; i++) {
    for (const name of names) {
      if (failed.has(name)) continue;
      const ok = await runOnce(browser, receiver, name, raw[name], i === 0);
      if (!ok) failed.add(name);
    }
    process.stderr.write(`run ${i + 1}/${RUNS}\r`);
  }
  const results = {};
  for (const name of names) {
    const r = raw[name];
    results[name] = {
      label: variants[name].label,
      packages: variants[name].packages,
      rendered: !failed.has(name),
      errors: [...new Set(r.errors)],
      bytesOnLoad: r.bytesOnLoad,
      bytesToPrompt: r.bytesToPrompt,
      idleFetchedOnAsk: r.idleFetchedOnAsk,
      network: r.network,
      fromStartMs: stats(r.fromStart), coldMs: stats(r.cold), coldVisualMs: stats(r.coldVisual),
      warmMs: stats(r.warm), warmVisualMs: stats(r.warmVisual),
      idleMs: stats(r.idle), idleVisualMs: stats(r.idleVisual),
      blockingMs: { load: stats(r.loadBlocking), ask: stats(r.askBlocking) },
    };
    if (variants[name].heap) Object.assign(results[name], await measureHeap(browser, receiver, name));
  }

  const { widget, floor, yew } = results;
  const kb = (n) => (n / 1000).toFixed(1) + " KB";
  const mb = (n) => (n / 1e6).toFixed(2) + " MB";
  const time = (s) => (s ? `${s.median.toFixed(0)} ms (p10 ${s.p10.toFixed(0)}, p90 ${s.p90.toFixed(0)})` : "-");
  const ratio = (a, b) => (a && b ? (a.median / b.median).toFixed(2) + "x" : "");
  const cell = (name, fn) => {
    const r = results[name];
    if (!r.rendered && fn.timing) return "did not render";
    const value = fn(r);
    return value === undefined || value === null ? "-" : value;
  };
  const timing = (fn) => Object.assign(fn, { timing: true });
  const bytes = (key, list) => (r) => (r[list] ? kb(total(r[list], key)) : "-");
  const rows = [
    ["bytes on page load, gzip", bytes("gzip", "bytesOnLoad"), null],
    ["bytes to show a prompt, gzip", bytes("gzip", "bytesToPrompt"), null],
    ["bytes to show a prompt, brotli", bytes("brotli", "bytesToPrompt"), null],
    ["ask to visible, cold", timing((r) => time(r.coldMs)), "coldMs"],
    ["page start to visible, cold (ask at load)", timing((r) => time(r.fromStartMs)), "fromStartMs"],
    ["ask to visually complete, cold", timing((r) => time(r.coldVisualMs)), "coldVisualMs"],
    ["ask to visible, warm", timing((r) => time(r.warmMs)), "warmMs"],
    ["ask to visually complete, warm", timing((r) => time(r.warmVisualMs)), "warmVisualMs"],
    ["ask to visible, after idle", timing((r) => time(r.idleMs)), "idleMs"],
    ["ask to visually complete, after idle", timing((r) => time(r.idleVisualMs)), "idleVisualMs"],
    ["blocking time during load (median)", timing((r) => r.blockingMs.load && r.blockingMs.load.median.toFixed(0) + " ms"), null],
    ["blocking time during ask (median)", timing((r) => r.blockingMs.ask && r.blockingMs.ask.median.toFixed(0) + " ms"), null],
    ["JS heap after GC, idle", (r) => r.heapBytes && mb(r.heapBytes.idle), null],
    [`JS heap after GC, after ${CYCLES} ask/submit`, (r) => r.heapBytes && mb(r.heapBytes.afterCycles), null],
    [`JS heap after GC, after ${2 * CYCLES} ask/submit`, (r) => r.heapBytes && mb(r.heapBytes.afterTwiceAsMany), null],
    [`wasm memory, idle / ${CYCLES} / ${2 * CYCLES} cycles`,
      (r) => r === widget ? `${mb(r.wasmMemoryBytes.idle)} / ${mb(r.wasmMemoryBytes.afterCycles)} / ${mb(r.wasmMemoryBytes.afterTwiceAsMany)}` : null, null],
  ];
  const peerNames = names.filter((n) => !["widget", "floor", "yew"].includes(n));
  const header = names.map((n) => variants[n].label);
  console.log(`\n| measure (${RUNS} runs each) | ${header.join(" | ")} | widget ÷ floor | Yew floor ÷ floor |`);
  console.log(`|---|${header.map(() => "---:").join("|")}|---:|---:|`);
  const gzip = (r) => r.bytesToPrompt && total(r.bytesToPrompt, "gzip");
  for (const [label, fn, key] of rows) {
    const cells = names.map((n) => cell(n, fn));
    const [a, b, c] = key ? [widget[key], floor[key], yew[key]] : [];
    console.log(`| ${label} | ${cells.join(" | ")} | ${ratio(a, b)} | ${ratio(c, b)} |`);
  }
  if (gzip(widget) && gzip(yew)) {
    console.log(`\nthe Yew floor is ${(100 * gzip(yew) / gzip(widget)).toFixed(0)}% of the widget's bytes to show a prompt (gzip)`);
  }
  if (peerNames.length) {
    const times = [["ask to visible, cold", "coldMs"], ["page start to visible, cold", "fromStartMs"], ["ask to visually complete, cold", "coldVisualMs"],
      ["ask to visible, warm", "warmMs"], ["ask to visible, after idle", "idleMs"], ["ask to visually complete, after idle", "idleVisualMs"]];
    console.log(`\n| widget ÷ peer (medians, same run) | ${peerNames.map((n) => variants[n].label).join(" | ")} |`);
    console.log(`|---|${peerNames.map(() => "---:").join("|")}|`);
    console.log(`| bytes to show a prompt, gzip | ${peerNames.map((n) => (gzip(results[n]) ? (gzip(widget) / gzip(results[n])).toFixed(2) + "x" : "-")).join(" | ")} |`);
    for (const [label, key] of times) {
      console.log(`| ${label} | ${peerNames.map((n) => (results[n].rendered ? ratio(widget[key], results[n][key]) || "-" : "-")).join(" | ")} |`);
    }
  }
  for (const name of names) {
    const r = results[name];
    if (r.errors.length) console.log(`\n${r.label}: ${r.rendered ? "" : "did not render: "}${r.errors.join("; ")}`);
    const list = (files) => files.map((f) => `${f.file} ${f.gzip}`).join(", ");
    if (r.bytesToPrompt) console.log(`\n${r.label}, files to show a prompt (gzip): ${list(r.bytesToPrompt)}`);
    if (r.idleFetchedOnAsk?.length) console.log(`${r.label}, fetched on ask after idle (gzip): ${list(r.idleFetchedOnAsk)}`);
  }
  // The machine may be shared: say how busy it was (1-minute load average).
  const load = { before: loadBefore, after: loadavg()[0], cpus: cpus().length };
  console.log(`\nload average (1 min) ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after, on ${load.cpus} CPUs`);
  const result = { date: new Date().toISOString(), runs: RUNS, peers: PEERS, load, ...results };
  const dir = join(ROOT, "target/bench");
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(result, null, 2);
  writeFileSync(join(dir, `bench-${Date.now()}.json`), text);
  writeFileSync(join(dir, "latest.json"), text);
  console.log(`\nwritten: target/bench/latest.json`);
} finally {
  await browser.close();
  await receiver.stop();
}
