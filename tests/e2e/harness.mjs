// Shared end-to-end plumbing: start the real receiver (serving the repo's
// index.html and dist/) on a free 127.0.0.1 port with a fresh SQLite file,
// and launch Debian's headless Chromium through playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The receiver binary (`RECEIVER`, as `cargo xtask test` sets it). */
export const RECEIVER = process.env.RECEIVER || join(ROOT, "target/release/feedback-receiver");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** The password of `admin`, the first account of every test receiver. */
export const INBOX_PASSWORD = "e2e-inbox-password";

/**
 * Starts a receiver; resolves with { url, port, rows(), faults(list),
 * stats(), stop(), restart() }. Options: `port` (0 = any free one), `db`
 * (a SQLite file, to survive a restart), `faults` (enable fault injection),
 * `args` (more flags). Test pages come from several loopback origins and
 * post many times a second, so any origin may post and there is no rate
 * limit unless `args` says otherwise.
 */
export async function startReceiver({ host = "127.0.0.1", port = 0, db = null, faults = true, staticDir = ROOT, args: extra = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "feedback-e2e-"));
  const file = db || join(dir, "db.sqlite");
  const args = ["--listen", `${host}:${port}`, "--db", file, "--static", staticDir,
    "--allow-origin", "*", "--rate-limit", "0", "--inbox-password", INBOX_PASSWORD, "--log-level", "warn", ...extra];
  if (faults) args.push("--faults");
  // An API token for reading rows, made the way an operator makes one.
  const made = spawnSync(RECEIVER, ["token", "add", `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`, "--db", file], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`token add failed: ${made.stderr}`);
  const token = made.stdout.trim();
  const child = spawn(RECEIVER, args, { stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("receiver did not start within 10 s")), 10_000);
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); fail(new Error(`receiver exited with ${code}`)); });
  });
  const boundPort = Number(new URL(url).port);
  const receiver = {
    url,
    port: boundPort,
    db: file,
    async rows() {
      const r = await fetch(url + "/responses", { headers: { authorization: `Bearer ${token}` } });
      return r.json();
    },
    async faults(list) {
      await fetch(url + "/_faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(list) });
    },
    async stats() {
      return (await fetch(url + "/_stats")).json();
    },
    async stop() {
      child.kill("SIGINT");
      await new Promise((ok) => { if (child.exitCode !== null) ok(); child.once("exit", ok); setTimeout(ok, 3000); });
      if (!db) rmSync(dir, { recursive: true, force: true });
    },
  };
  return receiver;
}

/** Launches Chromium; `bfcache: true` keeps its back/forward cache, which
 * playwright turns off by default (`--disable-back-forward-cache`). */
export async function launch({ bfcache = false } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: bfcache ? ["--disable-back-forward-cache"] : undefined,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

/** A new page that records console errors and page errors. */
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (msg) => { if (msg.type() === "error") page.errors.push(msg.text()); });
  page.on("pageerror", (err) => page.errors.push(String(err)));
  return page;
}

/** Serves `html` at `url` for this page only (any path on the receiver's origin). */
export async function servePage(page, url, html) {
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
}

/** Polls `fn` until it returns a truthy value or `ms` pass. */
export async function until(fn, ms = 5000, what = "condition") {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The prompt's shadow-root content, for locators: `prompt(page).locator(...)`. */
export function prompt(page) {
  return page.locator("feedback-prompt");
}

/** The content types of what dist/ holds, by extension. */
const DIST_TYPES = { js: "text/javascript", mjs: "text/javascript", wasm: "application/wasm", txt: "text/plain", json: "application/json", html: "text/html" };

/** Answers a request for `path` under /dist/ with the repository's file
 * (CORS open), or 404; false when `path` is not under /dist/. For the
 * small sites of node's http that e2e files start. */
export function serveDist(path, res, cors = { "access-control-allow-origin": "*" }) {
  if (!path.startsWith("/dist/")) return false;
  let body;
  try { body = readFileSync(join(ROOT, path)); } catch { res.writeHead(404, cors); res.end(); return true; }
  res.writeHead(200, { ...cors, "content-type": DIST_TYPES[path.split(".").pop()] || "application/octet-stream" });
  res.end(body);
  return true;
}

/** A site of its own on 127.0.0.1, for a real page origin other than the
 * receiver's: `page` (HTML) at /, an empty page at any other path and the
 * repository's dist/. A file of dist/ matching `hold` gets its first
 * kilobyte at once and the rest only on `release()`, so that its fetch is
 * really on the wire (`held` names the files so held); a POST is recorded
 * in `posts` and answered only after `answerAfterMs`. */
export async function siteServer(page = "", { hold = null, answerAfterMs = 0 } = {}) {
  let release;
  const held = new Set();
  const posts = [];
  const released = new Promise((ok) => { release = ok; });
  const types = { js: "text/javascript", mjs: "text/javascript", wasm: "application/wasm", txt: "text/plain", html: "text/html" };
  const server = createServer(async (req, res) => {
    const path = req.url.split("?")[0];
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        posts.push({ headers: req.headers, body });
        setTimeout(() => { if (!res.destroyed) { res.writeHead(200, { "access-control-allow-origin": "*" }); res.end("{}"); } }, answerAfterMs);
      });
      return;
    }
    let body;
    try {
      body = path.startsWith("/dist/") ? readFileSync(join(ROOT, path)) : Buffer.from(path === "/" ? page : "<!doctype html><title>elsewhere</title>");
    } catch {
      res.writeHead(404); return res.end();
    }
    res.writeHead(200, { "content-type": types[path.split(".").pop()] || "text/html", "content-length": body.length });
    if (!hold || !path.startsWith("/dist/") || !hold.test(path)) return res.end(body);
    res.write(body.subarray(0, 1024));
    held.add(path.split("/").pop());
    await released;
    res.end(body.subarray(1024));
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const close = () => { release(); return new Promise((ok) => { server.closeAllConnections(); server.close(ok); }); };
  return { url: `http://127.0.0.1:${server.address().port}`, held, posts, release, close };
}
