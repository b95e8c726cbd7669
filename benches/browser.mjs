// `cargo xtask bench`, the browser half: the widget against a hand-written
// plain-DOM prompt (the floor) in real headless Chromium, in one run.
// Prints a table and writes target/bench/bench-<time>.json and latest.json.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import { startReceiver, launch, ROOT } from "../tests/e2e/harness.mjs";

const RUNS = Number(process.env.BENCH_RUNS || 20);
const CYCLES = Number(process.env.BENCH_CYCLES || 100);

const variants = {
  widget: { page: "/benches/widget.html", host: "feedback-prompt", ask: "Feedback.ask({conversationId: 'bench-' + Math.random()})",
    loadFiles: ["dist/feedback.js"], promptFiles: ["dist/feedback.js", "dist/feedback_wasm.js", "dist/feedback_wasm_bg.wasm"] },
  floor: { page: "/benches/floor/page.html", host: "floor-prompt", ask: "FloorFeedback.ask({conversationId: 'bench'})",
    loadFiles: ["benches/floor/floor.js"], promptFiles: ["benches/floor/floor.js"] },
};

function sizes(files) {
  return files.map((file) => {
    const bytes = readFileSync(join(ROOT, file));
    return {
      file,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
}
const total = (list, key) => list.reduce((sum, f) => sum + f[key], 0);

function stats(values) {
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

async function openPage(context, receiver, v) {
  const page = await context.newPage();
  await page.goto(receiver.url + v.page, { waitUntil: "load" });
  return page;
}

async function timeToPrompt(page, v) {
  const result = await page.evaluate(([ask, host]) => window.__timeToPrompt(() => eval(ask), host), [v.ask, v.host]);
  return result;
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

async function measure(browser, receiver, name) {
  const v = variants[name];
  const cold = [], warm = [], loadBlocking = [], askBlocking = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await openPage(context, receiver, v);
    const { ms, t0 } = await timeToPrompt(page, v);
    cold.push(ms);
    const tasks = await page.evaluate(() => window.__longTasks);
    loadBlocking.push(blocking(tasks.filter((t) => t.start < t0)));
    askBlocking.push(blocking(tasks.filter((t) => t.start >= t0)));
    const again = await openPage(context, receiver, v);
    await again.waitForTimeout(50);
    warm.push((await timeToPrompt(again, v)).ms);
    await context.close();
  }
  // Memory: idle after one prompt, then after many ask/submit cycles.
  const context = await browser.newContext();
  const page = await openPage(context, receiver, v);
  if (name === "widget") await page.evaluate(() => Feedback.configure({ sessionCap: 100000, answeredCooldownDays: 0 }));
  await timeToPrompt(page, v);
  await answerAndClose(page, v);
  await page.waitForTimeout(300);
  const heapIdle = await heap(page);
  const wasmIdle = await page.evaluate(() => (window.Feedback ? Feedback.__wasmMemoryBytes() : 0));
  for (let i = 0; i < CYCLES; i++) {
    await timeToPrompt(page, v);
    await answerAndClose(page, v);
  }
  await page.waitForTimeout(500);
  const heapAfter = await heap(page);
  const wasmAfter = await page.evaluate(() => (window.Feedback ? Feedback.__wasmMemoryBytes() : 0));
  // A second round: a leak grows by the same amount again; warm-up does not.
  for (let i = 0; i < CYCLES; i++) {
    await timeToPrompt(page, v);
    await answerAndClose(page, v);
  }
  await page.waitForTimeout(500);
  const heapAfter2 = await heap(page);
  const wasmAfter2 = await page.evaluate(() => (window.Feedback ? Feedback.__wasmMemoryBytes() : 0));
  await context.close();
  return {
    bytesOnLoad: sizes(v.loadFiles),
    bytesToPrompt: sizes(v.promptFiles),
    coldMs: stats(cold),
    warmMs: stats(warm),
    blockingMs: { load: stats(loadBlocking), ask: stats(askBlocking) },
    heapBytes: { idle: heapIdle, afterCycles: heapAfter, afterTwiceAsMany: heapAfter2, cycles: CYCLES },
    wasmMemoryBytes: { idle: wasmIdle, afterCycles: wasmAfter, afterTwiceAsMany: wasmAfter2 },
  };
}

const receiver = await startReceiver();
const browser = await launch();
try {
  const floor = await measure(browser, receiver, "floor");
  const widget = await measure(browser, receiver, "widget");
  const kb = (n) => (n / 1000).toFixed(1) + " KB";
  const mb = (n) => (n / 1e6).toFixed(2) + " MB";
  const ms = (s) => `${s.median.toFixed(0)} ms (p10 ${s.p10.toFixed(0)}, p90 ${s.p90.toFixed(0)})`;
  const ratio = (a, b) => (a / b).toFixed(2) + "x";
  const rows = [
    ["bytes on page load, gzip", kb(total(widget.bytesOnLoad, "gzip")), kb(total(floor.bytesOnLoad, "gzip")), ""],
    ["bytes to show a prompt, gzip", kb(total(widget.bytesToPrompt, "gzip")), kb(total(floor.bytesToPrompt, "gzip")), ""],
    ["bytes to show a prompt, brotli", kb(total(widget.bytesToPrompt, "brotli")), kb(total(floor.bytesToPrompt, "brotli")), ""],
    ["ask to visible, cold", ms(widget.coldMs), ms(floor.coldMs), ratio(widget.coldMs.median, floor.coldMs.median)],
    ["ask to visible, warm", ms(widget.warmMs), ms(floor.warmMs), ratio(widget.warmMs.median, floor.warmMs.median)],
    ["blocking time during load (median)", widget.blockingMs.load.median.toFixed(0) + " ms", floor.blockingMs.load.median.toFixed(0) + " ms", ""],
    ["blocking time during ask (median)", widget.blockingMs.ask.median.toFixed(0) + " ms", floor.blockingMs.ask.median.toFixed(0) + " ms", ""],
    ["JS heap after GC, idle", mb(widget.heapBytes.idle), mb(floor.heapBytes.idle), ""],
    [`JS heap after GC, after ${CYCLES} ask/submit`, mb(widget.heapBytes.afterCycles), mb(floor.heapBytes.afterCycles), ""],
    [`JS heap after GC, after ${2 * CYCLES} ask/submit`, mb(widget.heapBytes.afterTwiceAsMany), mb(floor.heapBytes.afterTwiceAsMany), ""],
    [`wasm memory, idle / ${CYCLES} / ${2 * CYCLES} cycles`, `${mb(widget.wasmMemoryBytes.idle)} / ${mb(widget.wasmMemoryBytes.afterCycles)} / ${mb(widget.wasmMemoryBytes.afterTwiceAsMany)}`, "-", ""],
  ];
  console.log(`\n| measure (${RUNS} runs each) | widget | plain-DOM floor | ratio |\n|---|---:|---:|---:|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log("\nper file (gzip):", widget.bytesToPrompt.map((f) => `${f.file} ${f.gzip}`).join(", "));
  const result = { date: new Date().toISOString(), runs: RUNS, widget, floor };
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
