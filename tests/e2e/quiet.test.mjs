// The host page is never hurt by the widget: whatever goes wrong around it
// (the network, the CDN, the endpoint, storage, the tab), no uncaught
// exception, no unhandled promise rejection and no console error of ours
// reaches the page, where error monitors (Sentry, Datadog RUM...) listen
// to `error` and `unhandledrejection` on window and would blame the host.
// And the customer's answer is not lost.
//
// Each test runs the page on a small site of its own (node's http), whose
// files of dist/ and whose endpoint can be told to misbehave.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { launch, until, prompt, serveDist, ROOT } from "./harness.mjs";

let browser;
// Every site still open when the file ends (a failed test does not reach
// its own close) is closed then, so that node exits.
const sites = new Set();
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); await Promise.all([...sites].map((s) => s.close())); });

const score = (n) => new RegExp(`^${n}(,|$)`);

/**
 * A site on `host`: `pages` maps a path to its HTML; /dist/ is the
 * repository's dist/, unless `files(path, req, res)` answers the request
 * itself (returns true); POST /collect is recorded in `posts` and answered
 * by `endpoint(req, res, body)` (200 `{}` by default). CORS is open.
 */
async function site({ pages = {}, files = () => false, endpoint = null, host = "127.0.0.1", refuseCors = () => false } = {}) {
  const posts = [];
  const server = createServer((req, res) => {
    const path = req.url.split("?")[0];
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "POST" };
    if (req.method === "OPTIONS") { res.writeHead(204, refuseCors() ? {} : cors); return res.end(); }
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        posts.push({ path, headers: req.headers, body, at: Date.now() });
        if (endpoint && endpoint(req, res, body, posts.length)) return;
        if (!res.destroyed) { res.writeHead(200, { ...cors, "content-type": "application/json" }); res.end("{}"); }
      });
      return;
    }
    if (files(path, req, res)) return;
    if (pages[path] !== undefined) {
      res.writeHead(200, { "content-type": "text/html", ...(pages[path].headers || {}) });
      return res.end(pages[path].html ?? pages[path]);
    }
    if (serveDist(path, res, cors)) return;
    res.writeHead(path === "/favicon.ico" ? 204 : 404); res.end();
  });
  await new Promise((ok) => server.listen(0, host, ok));
  const url = `http://${host}:${server.address().port}`;
  const made = {
    url, posts,
    answers: () => posts.filter((p) => p.path === "/collect").map((p) => JSON.parse(p.body)).filter((b) => (b.properties || b).kind === "response"),
    close: () => { sites.delete(made); return new Promise((ok) => { server.closeAllConnections(); server.close(ok); }); },
  };
  sites.add(made);
  return made;
}

/** A loader tag page. */
const tagPage = (attrs = 'data-endpoint="/collect"', body = "", head = "") => `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}
  <script src="/dist/feedback.js" ${attrs}></script></head><body><div id="slot"></div>${body}</body></html>`;

/**
 * A page in a fresh context that records, across navigations, everything
 * that would reach a host's error monitoring: `unhandledrejection`,
 * uncaught errors (`pageerror` and window `error`), console errors, and
 * (for the report) console warnings.
 */
async function watched({ init, offline = false } = {}) {
  const context = await browser.newContext();
  if (offline) await context.setOffline(true);
  const seen = { rejections: [], errors: [], console: [], warnings: [] };
  await context.exposeBinding("__quietReport", (_source, kind, text) => { seen[kind].push(text); });
  await context.addInitScript(() => {
    addEventListener("unhandledrejection", (e) => { window.__quietReport("rejections", String(e.reason && (e.reason.stack || e.reason))); });
    addEventListener("error", (e) => { if (e.error !== undefined || e.message) window.__quietReport("errors", String(e.message)); });
  });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.on("pageerror", (e) => seen.errors.push("pageerror: " + String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") seen.console.push(m.text());
    if (m.type() === "warning") seen.warnings.push(m.text());
  });
  page.seen = seen;
  return { context, page, seen };
}

/** What reached the host's monitoring, as one object for deepEqual. `allow`
 * filters console errors that are the browser's own network lines for a
 * request that really failed. */
function reached(seen, allow = null) {
  return {
    rejections: seen.rejections,
    errors: seen.errors,
    console: seen.console.filter((t) => !(allow && allow.test(t))),
  };
}
const NOTHING = { rejections: [], errors: [], console: [] };
const settle = (page, ms = 300) => page.waitForTimeout(ms);

/** Answers the floating prompt that `ask` opens with `n`; resolves with the outcome. */
async function answer(page, n = 5, context = {}) {
  const result = page.evaluate((ctx) => Feedback.ask(ctx), { customerId: "q-" + Math.random(), ...context });
  const panel = prompt(page);
  await panel.getByRole("radio", { name: score(n) }).check({ timeout: 15000 });
  await panel.getByRole("button", { name: /^(Submit|Envoyer)$/ }).click();
  return result;
}

// ---------------------------------------------------------------------------
// Loading: offline, the CDN failing.

/** A page whose HTML and loader arrived, and then the network went away
 * before the browser was idle (a train, a lift, a flaky mobile link): the
 * idle preload runs offline; then the browser is back online. */
async function offlineAtLoad() {
  const s = await site({ pages: { "/": tagPage() } });
  const { context, page, seen } = await watched();
  await page.route(s.url + "/", (r) => r.fulfill({ status: 200, contentType: "text/html", body: tagPage() }));
  await page.route(s.url + "/dist/feedback.js", (r) => r.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(join(ROOT, "dist/feedback.js")) }));
  await context.setOffline(true);
  await page.goto(s.url + "/");
  await page.waitForTimeout(2500); // the idle preload has run, offline
  await context.setOffline(false);
  await page.waitForTimeout(300);
  return { s, context, page, seen };
}

test("browser offline at page load: the failed idle preload logs no console error of ours (the host called nothing)", async () => {
  const { s, context, seen } = await offlineAtLoad();
  // (The browser's own net::ERR_INTERNET_DISCONNECTED line is not ours.)
  assert.deepEqual(reached(seen, /ERR_INTERNET_DISCONNECTED/), NOTHING);
  await context.close();
  await s.close();
});

test("browser offline at page load, then online: the widget still loads and the customer's answer is stored", async () => {
  const { s, context, page } = await offlineAtLoad();
  // (Whether `Feedback.ready`, settled by then, may stay rejected is the
  // fix's choice; the calls made once online must work.)
  const outcome = await page.evaluate(() => Feedback.decide({}).then((d) => d.action, (e) => "rejected: " + e.message));
  assert.equal(outcome, "effort", "calls made once online work");
  const asked = await answer(page, 6);
  assert.equal(asked.outcome, "submitted");
  await until(() => s.answers().length === 1, 5000, "the answer");
  await context.close();
  await s.close();
});

test("offline, every call fails to load and the loader waits for `online` with one listener, not one per failed load; back online, the calls work", async () => {
  const s = await site({ pages: { "/": tagPage() } });
  const { context, page } = await watched({
    init: () => {
      window.__online = 0;
      const add = window.addEventListener;
      window.addEventListener = function (type, ...rest) {
        if (type === "online") window.__online += 1;
        return add.call(this, type, ...rest);
      };
    },
  });
  await page.goto(s.url + "/");
  await context.setOffline(true);
  for (let i = 0; i < 4; i++) {
    const got = await page.evaluate(() => Feedback.decide({}).then(() => "resolved", () => "rejected"));
    assert.equal(got, "rejected", "offline: the call could not load the widget");
  }
  assert.equal(await page.evaluate(() => window.__online), 1, "one `online` listener for four failed loads");
  await context.setOffline(false);
  await until(() => page.evaluate(() => Feedback.decide({}).then((d) => d.action, () => null)), 8000, "a call once online");
  await context.close();
  await s.close();
});

test("the ES module, as the README writes it (`init({...})` without await): a wasm the CDN fails to serve leaves no unhandled rejection", async () => {
  const s = await site({
    pages: { "/": `<!doctype html><html><body><script type="module">
      import { init, on } from "/dist/feedback.mjs";
      init({ endpoint: "/collect", company: "Acme" });
      on("delivered", () => {});
    </script></body></html>` },
    files: (path, req, res) => {
      if (!path.endsWith("/feedback_wasm_bg.wasm")) return false;
      res.writeHead(503, { "access-control-allow-origin": "*" }); res.end("try later"); return true;
    },
  });
  const { context, page, seen } = await watched();
  await page.goto(s.url + "/");
  await settle(page, 1500);
  assert.deepEqual(seen.rejections, [], "no unhandled rejection from init()'s promise");
  assert.deepEqual(seen.errors, []);
  await context.close();
  await s.close();
});

test("the ES module, `init({...})` without await and the browser offline: no unhandled rejection", async () => {
  const s = await site({});
  const { context, page, seen } = await watched();
  const html = `<!doctype html><html><body><script type="module">
      import { init } from "/dist/feedback.mjs";
      init({ endpoint: "/collect", company: "Acme" });
    </script></body></html>`;
  await page.route(s.url + "/", (r) => r.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.route(s.url + "/dist/feedback.mjs", (r) => r.fulfill({ status: 200, contentType: "text/javascript", body: readFileSync(join(ROOT, "dist/feedback.mjs")) }));
  await context.setOffline(true);
  await page.goto(s.url + "/");
  await settle(page, 1500);
  assert.deepEqual(seen.rejections, [], "no unhandled rejection from init()'s promise");
  assert.deepEqual(reached(seen, /ERR_INTERNET_DISCONNECTED/), NOTHING);
  await context.close();
  await s.close();
});

// An outsider's find: with the ES module, an ask() whose page never called
// init() waited for ever without a word. It still waits (a page may init
// after consent), but says so once on the console after 5 s.
test("the ES module, ask() without init(): one console warning naming init() after 5 s, and the prompt shows once init() is called", { timeout: 60_000 }, async () => {
  const s = await site({});
  const { context, page, seen } = await watched();
  const html = `<!doctype html><html><body><script type="module">
      import * as F from "/dist/feedback.mjs";
      window.F = F;
      F.ask({ conversationId: "no-init" }).then((o) => { window.outcome = o; });
      F.ask({ conversationId: "no-init-2" });
    </script></body></html>`;
  await page.route(s.url + "/", (r) => r.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(s.url + "/");
  await until(() => page.evaluate(() => Boolean(window.F)), 5000, "the module");
  await settle(page, 3000);
  assert.deepEqual(seen.warnings, [], "not before 5 s");
  await settle(page, 3000);
  assert.equal(seen.warnings.length, 1, JSON.stringify(seen.warnings));
  assert.match(seen.warnings[0], /init\(/);
  await page.evaluate(() => F.init({ endpoint: "/collect", company: "Acme" }));
  await page.locator("html > feedback-prompt").getByRole("radio").first().waitFor();
  assert.deepEqual(reached(seen), NOTHING);
  await context.close();
  await s.close();
});

// What the loader fetches besides the wasm, failing in each way a CDN can.
const FAILURES = {
  404: (req, res) => { res.writeHead(404, { "access-control-allow-origin": "*" }); res.end("not found"); },
  500: (req, res) => { res.writeHead(500, { "access-control-allow-origin": "*" }); res.end("oops"); },
  truncated: (req, res, body) => { res.writeHead(200, { "access-control-allow-origin": "*", "content-length": body.length }); res.write(body.subarray(0, body.length >> 1)); setTimeout(() => res.destroy(), 50); },
  tampered: (req, res, body) => { const b = Buffer.from(body); b[b.length - 3] ^= 1; res.writeHead(200, { "access-control-allow-origin": "*", "content-type": "application/octet-stream" }); res.end(b); },
  reset: (req, res) => { req.socket.destroy(); },
};
const failing = (pattern, how) => (path, req, res) => {
  if (!pattern.test(path)) return false;
  let body = Buffer.alloc(0);
  try { body = readFileSync(join(ROOT, path)); } catch {}
  FAILURES[how](req, res, body);
  return true;
};

for (const [file, pattern] of [["reader", /feedback_reader\.wasm$/], ["lexicons", /feedback_lexicons\.txt$/], ["locale pack", /locales\/fr\.json$/]]) {
  for (const how of Object.keys(FAILURES)) {
    test(`the ${file} ${how === "reset" ? "connection reset" : "answering " + how}, with a French ask with messages: warnings only, the answer is stored`, async () => {
      const s = await site({ pages: { "/": tagPage() }, files: failing(pattern, how) });
      const { context, page, seen } = await watched();
      await page.goto(s.url + "/");
      const outcome = await answer(page, 3, { locale: "fr", messages: [{ from: "customer", text: "thanks, that fixed it" }] });
      assert.equal(outcome.outcome, "submitted");
      await until(() => s.answers().length === 1, 5000, "the answer");
      // The browser's own lines for the file that failed (its status, its
      // integrity, a cut connection) are the CDN's, not ours.
      assert.deepEqual(reached(seen, /^Failed to load resource|^Failed to find a valid digest|^Fetch API cannot load/), NOTHING);
      assert.ok(seen.warnings.some((w) => w.startsWith("[feedback] could not load")), "a warning says what was not loaded");
      await context.close();
      await s.close();
    });
  }
}

// ---------------------------------------------------------------------------
// The endpoint misbehaving: the first attempt fails in some way, later ones
// are answered 200.
const ENDPOINT = {
  "500": (req, res) => { res.writeHead(500, { "access-control-allow-origin": "*" }); res.end("{\"error\":\"db down\"}"); },
  "503 with Retry-After": (req, res) => { res.writeHead(503, { "access-control-allow-origin": "*", "retry-after": "1", "access-control-expose-headers": "retry-after" }); res.end(); },
  "429 with Retry-After": (req, res) => { res.writeHead(429, { "access-control-allow-origin": "*", "retry-after": "1", "access-control-expose-headers": "retry-after" }); res.end(); },
  "307 redirect": (req, res) => { res.writeHead(307, { "access-control-allow-origin": "*", location: "/collect?moved" }); res.end(); },
  "connection reset": (req, res) => { req.socket.destroy(); },
  "slower than timeoutMs": (req, res) => { setTimeout(() => { if (!res.destroyed) { res.writeHead(200, { "access-control-allow-origin": "*" }); res.end("{}"); } }, 2500); return true; },
  "a body that is not JSON": (req, res) => { res.writeHead(200, { "access-control-allow-origin": "*", "content-type": "application/json" }); res.end("<html>"); },
};
for (const [name, misbehave] of Object.entries(ENDPOINT)) {
  test(`the endpoint's first answer is ${name}: nothing reaches the host, the answer is stored`, async () => {
    const s = await site({ pages: { "/": tagPage('data-endpoint="/collect" data-timeout-ms="1000"') }, endpoint: (req, res, body, n) => (n === 1 ? (misbehave(req, res), true) : false) });
    const { context, page, seen } = await watched();
    await page.goto(s.url + "/");
    const outcome = await answer(page, 2);
    assert.equal(outcome.outcome, "submitted");
    await until(() => s.posts.length >= 2 || outcome.delivery === "delivered", 8000, "a retry");
    await settle(page, 500);
    // (The browser's own "Failed to load resource" line for an endpoint
    // that answered 5xx/429 or cut the connection: the endpoint's failure.)
    assert.deepEqual(reached(seen, /^Failed to load resource/), NOTHING);
    // (After a redirect the answer is posted again where it led, and the
    // site is told, once, which address to configure: the README says so.)
    assert.deepEqual(seen.warnings, name === "307 redirect"
      ? [`[feedback] the endpoint redirects to ${s.url}/collect?moved: set data-endpoint to that address`] : []);
    await context.close();
    await s.close();
  });
}

test("a cross-origin endpoint that refuses CORS at first: nothing of ours reaches the host, the answer is stored once it allows it", async () => {
  let allow = false;
  const e = await site({ host: "127.0.0.2", refuseCors: () => !allow });
  const s = await site({ pages: { "/": tagPage(`data-endpoint="${e.url}/collect"`) } });
  const { context, page, seen } = await watched();
  await page.goto(s.url + "/");
  const outcome = await answer(page, 2);
  assert.equal(outcome.delivery, "queued");
  allow = true;
  await until(() => e.answers().length === 1, 8000, "the answer, once CORS allows it");
  // (Chromium's "Access to fetch ... blocked by CORS policy" and "Failed to
  // load resource" lines are the endpoint's misconfiguration.)
  assert.deepEqual(reached(seen, /blocked by CORS policy|^Failed to load resource/), NOTHING);
  await context.close();
  await s.close();
  await e.close();
});

// ---------------------------------------------------------------------------
// The browser's APIs missing or throwing.
const BROKEN = {
  "localStorage and sessionStorage full (setItem throws QuotaExceededError)": () => {
    Storage.prototype.setItem = function () { throw new DOMException("full", "QuotaExceededError"); };
  },
  "storage blocked (the localStorage getter throws SecurityError)": () => {
    for (const name of ["localStorage", "sessionStorage"]) Object.defineProperty(window, name, { get() { throw new DOMException("blocked", "SecurityError"); }, configurable: true });
  },
  "no Web Locks": () => { Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true }); },
  "Web Locks that refuse (locks.request rejects, as in an opaque origin)": () => {
    if (navigator.locks) navigator.locks.request = () => Promise.reject(new DOMException("The request was denied.", "SecurityError"));
  },
  // Prototype.js 1.6 gave arrays a toJSON that JSON.stringify obeys (it
  // wrote the outbox as "[[object Object]]", and the answer was lost
  // while the page heard `submitted`); other libraries add enumerable
  // properties to every object.
  "a library's Array.prototype.toJSON and Object.prototype pollution": () => {
    Object.defineProperty(Array.prototype, "toJSON", { value: function () { return "[" + this.map(String).join(", ") + "]"; }, configurable: true, writable: true });
    Object.prototype.polluted = "yes";
    String.prototype.toJSON = function () { return "string"; };
    Number.prototype.toJSON = function () { return "number"; };
  },
  "no BroadcastChannel, no requestIdleCallback, no AbortController": () => {
    delete window.BroadcastChannel; delete window.requestIdleCallback; delete window.AbortController;
  },
};
for (const [name, init] of Object.entries(BROKEN)) {
  test(`${name}: nothing reaches the host, and the answer is stored`, async () => {
    const s = await site({ pages: { "/": tagPage() } });
    const { context, page, seen } = await watched({ init });
    await page.goto(s.url + "/");
    const outcome = await answer(page, 4);
    assert.equal(outcome.outcome, "submitted");
    await until(() => s.answers().length === 1, 8000, "the answer at the endpoint");
    const [stored] = s.answers();
    assert.deepEqual([stored.effort, stored.reasons, stored.metadata], [4, ["smooth"], {}]);
    assert.equal(outcome.delivery, "delivered");
    assert.deepEqual(reached(seen), NOTHING);
    await context.close();
    await s.close();
  });
}

// An outsider's host pages: Prototype.js and MooTools together left the
// page's own `[].some` throwing, and the loader's check for a customer's
// message used it (the transcript was skipped, an angry chat was asked the
// score question, without a word); an enumerable function on every object
// made the loader pass it as an option (`ready` rejected).
test("the page's libraries broke arrays' methods and put an enumerable function on every object: the widget starts, reads an angry transcript, and the answer is stored", async () => {
  const s = await site({ pages: { "/": tagPage() } });
  const { context, page, seen } = await watched({ init: () => {
    for (const name of ["some", "every", "forEach", "indexOf", "map", "filter"]) {
      Object.defineProperty(Array.prototype, name, { value: function () { throw new TypeError("broken " + name); }, configurable: true, writable: true });
    }
    Object.prototype.each = function () {};
  } });
  await page.goto(s.url + "/");
  const decided = await page.evaluate(() => Feedback.decide({ messages: [
    { from: "customer", text: "This is the third time I've contacted you and nobody has fixed it. Absolutely furious." },
    { from: "agent", text: "I'm sorry about that." },
  ] }).then((d) => d.action + " " + d.reasons.join(","), (e) => "rejected " + e.message));
  assert.match(decided, /^vent /, decided);
  const outcome = await answer(page, 4);
  assert.equal(outcome.outcome, "submitted");
  await until(() => s.answers().length === 1, 8000, "the answer at the endpoint");
  assert.deepEqual(reached(seen), NOTHING);
  await context.close();
  await s.close();
});

test("Prototype.js's Element#remove (which throws on an element already off the page): a floating prompt the page removes resolves 'removed', and no error reaches the page", async () => {
  const s = await site({ pages: { "/": tagPage() } });
  const { context, page, seen } = await watched({ init: () => {
    Element.prototype.remove = function () { this.parentNode.removeChild(this); return this; };
  } });
  await page.goto(s.url + "/");
  await page.evaluate(() => { window.asked = Feedback.ask({ customerId: "proto-remove" }); });
  await page.locator("html > feedback-prompt").getByRole("radio").first().waitFor();
  await page.evaluate(() => document.querySelector("html > feedback-prompt").remove());
  assert.equal(await page.evaluate(() => window.asked.then((o) => o.outcome)), "removed");
  await settle(page, 800);
  assert.deepEqual(reached(seen), NOTHING);
  // And the next prompt shows, is answered and stored.
  const outcome = await answer(page, 6);
  assert.equal(outcome.outcome, "submitted");
  await settle(page, 3000);
  assert.deepEqual(reached(seen), NOTHING);
  await context.close();
  await s.close();
});

test("a page that has a window.Feedback of its own keeps it: the loader does not replace it and says so on the console", async () => {
  const s = await site({ pages: { "/": tagPage('data-endpoint="/collect"', "", "<script>window.Feedback = { open: function () { return 'theirs'; } };</script>") } });
  const { context, page, seen } = await watched();
  await page.goto(s.url + "/");
  await settle(page, 500);
  assert.equal(await page.evaluate(() => window.Feedback.open()), "theirs");
  assert.deepEqual(reached(seen, /^\[feedback\] window\.Feedback is the page's own/), NOTHING);
  assert.equal(seen.console.filter((t) => /^\[feedback\] window\.Feedback is the page's own/.test(t)).length, 1, JSON.stringify(seen.console));
  await context.close();
  await s.close();
});

// In a sandboxed iframe without allow-same-origin (an opaque origin),
// Chromium has `navigator.locks`, but its `request` rejects with
// SecurityError ("Access to the Locks API is denied in this context") and
// `localStorage` throws: the case above, for real.
test("an opaque origin (sandboxed iframe): navigator.locks exists and its request rejects, as the test above emulates", async () => {
  const s2 = await site({ pages: { "/": `<!doctype html><iframe sandbox="allow-scripts" srcdoc="<p>x</p>"></iframe>` } });
  const { context, page } = await watched();
  await page.goto(s2.url + "/");
  await until(() => page.frames().length > 1, 5000, "the frame");
  const frame = page.frames()[1];
  await frame.waitForLoadState();
  const req = await frame.evaluate(() => navigator.locks.request("x", () => 1).then(() => "granted", (e) => e.name));
  assert.equal(req, "SecurityError");
  await context.close(); await s2.close();
});

// A chat sandboxed for scripts only (`sandbox="allow-scripts"`, as
// app-marketplace embeds are): the browser blocks a form's submission
// there before its `submit` event, so an outsider's Submit (and Enter on a
// score) did nothing, and the answer, a vent's words too, was lost. The
// button's click is the customer's intent, taken before the form's.
test("in a frame sandboxed without allow-forms, Submit and Enter on a score send the answer", async () => {
  const inner = tagPage('data-endpoint="/collect"');
  const s = await site({ pages: { "/": `<!doctype html><iframe sandbox="allow-scripts" src="/inner" style="width:600px;height:700px"></iframe>`, "/inner": inner } });
  const { context, page, seen } = await watched();
  for (const [i, how] of [[1, "click"], [2, "enter"]]) {
    // (A page of its own each: the frame's storage, in memory, remembers
    // the first answer, and the widget would not ask again so soon.)
    await page.goto(s.url + "/");
    await until(() => page.frames().length > 1, 5000, "the frame");
    const frame = page.frames()[1];
    await frame.waitForLoadState();
    await until(() => frame.evaluate(() => typeof window.Feedback === "object"), 5000, "the loader in the frame");
    const outcome = frame.evaluate((id) => Feedback.ask({ conversationId: "sandboxed-" + id, waitSeconds: 1 }), i);
    const panel = frame.locator("feedback-prompt");
    await panel.getByRole("radio", { name: score(6) }).check({ timeout: 15000 });
    await panel.getByRole("textbox").fill("words from a sandboxed chat " + i);
    if (how === "click") await panel.getByRole("button", { name: /^Submit$/ }).click();
    else { await panel.getByRole("radio", { name: score(6) }).focus(); await page.keyboard.press("Enter"); }
    const result = await Promise.race([outcome, new Promise((ok) => setTimeout(() => ok({ outcome: "unsettled after 10 s" }), 10000))]);
    assert.equal(result.outcome, "submitted", `${how}: ${JSON.stringify(result)}`);
    await until(() => s.answers().length >= i, 8000, `the answer sent by ${how}`);
    assert.equal(s.answers()[i - 1].comment, "words from a sandboxed chat " + i);
    assert.equal(s.answers()[i - 1].effort, 6);
  }
  // (A submission the frame blocks would be a console error of Chromium's.)
  assert.deepEqual(reached(seen), NOTHING, "nothing reached the page, and no submission was tried");
  await context.close(); await s.close();
});

// ---------------------------------------------------------------------------
// The tab hidden, shown, left at every moment.
const hide = (page, hidden) => page.evaluate((hidden) => {
  Object.defineProperty(document, "visibilityState", { value: hidden ? "hidden" : "visible", configurable: true });
  Object.defineProperty(document, "hidden", { value: hidden, configurable: true });
  document.dispatchEvent(new Event("visibilitychange"));
}, hidden);

test("the tab hidden and shown before ready, while the prompt is open and after an answer the endpoint drops, then the page left and come back to: nothing reaches the host, the answer is stored", async () => {
  // The endpoint cuts its first three connections.
  const s = await site({ pages: { "/": tagPage(), "/next": "<!doctype html><title>next</title>" }, endpoint: (req, res, body, n) => (n <= 3 ? (setTimeout(() => req.socket.destroy(), 400), true) : false) });
  const { context, page, seen } = await watched();
  await page.goto(s.url + "/");
  await hide(page, true); await hide(page, false);
  await page.evaluate(() => { window.asked = Feedback.ask({ customerId: "v" }); });
  await hide(page, true); await page.waitForTimeout(100); await hide(page, false);
  const panel = prompt(page);
  await panel.getByRole("radio", { name: score(3) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  await hide(page, true); await page.waitForTimeout(200); await hide(page, false);
  await page.goto(s.url + "/next");
  await page.waitForTimeout(500);
  await page.goBack();
  await until(() => s.posts.length >= 4, 10000, "an attempt the endpoint stores");
  await page.waitForTimeout(500);
  assert.deepEqual(reached(seen, /^Failed to load resource: net::ERR_EMPTY_RESPONSE/), NOTHING);
  await context.close(); await s.close();
});

// ---------------------------------------------------------------------------
// The API in odd orders, under a strict Content-Security-Policy.
test("calls before the loader has loaded, reset while a prompt is open, a second ask, a mounted prompt's element removed, under the strict CSP with Trusted Types enforced: nothing reaches the host, the answer is stored", async () => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'";
  const s = await site({ pages: { "/": { html: tagPage('data-endpoint="/collect"', "", ""), headers: { "content-security-policy": csp } } } });
  const { context, page, seen } = await watched({ init: () => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective));
  } });
  await page.goto(s.url + "/");
  await page.evaluate(() => {
    window.results = [];
    const keep = (name, p) => p.then((o) => results.push([name, o.outcome]), (e) => results.push([name, "rejected " + e.message]));
    keep("reset", Feedback.reset().then(() => ({ outcome: "ok" })));
    keep("mount", Feedback.mount("#slot", { customerId: "m" }));
    keep("reset2", Feedback.reset().then(() => ({ outcome: "ok" })));
    window.asked = Feedback.ask({ customerId: "a" });
    keep("ask", window.asked);
    keep("ask2", Feedback.ask({ customerId: "b" }));
  });
  await until(() => page.evaluate(() => document.querySelectorAll("feedback-prompt").length >= 1), 5000, "a prompt");
  await page.evaluate(() => document.querySelector("#slot").remove());
  await page.evaluate(() => Feedback.reset());
  // (The floating prompt is a child of <html>, beside <body>.)
  const panel = page.locator("html > feedback-prompt");
  await panel.getByRole("radio", { name: score(5) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  await until(() => s.answers().length === 1, 5000, "the answer");
  await until(() => page.evaluate(() => results.length === 5), 8000, "every call settled");
  const results = Object.fromEntries(await page.evaluate(() => results));
  assert.deepEqual(results, { reset: "ok", reset2: "ok", mount: "removed", ask: "submitted", ask2: "suppressed" });
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(reached(seen), NOTHING);
  await context.close(); await s.close();
});
test("the ES module under the strict CSP with Trusted Types enforced: the answer is stored, no violation", async () => {
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; require-trusted-types-for 'script'; trusted-types 'none'";
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><script type="module" src="/app.js"></script></body></html>`;
  const app = `import * as F from "/dist/feedback.mjs"; await F.init({ endpoint: "/collect" }); window.F = F;`;
  const files = (path, req, res) => {
    if (path !== "/app.js") return false;
    res.writeHead(200, { "content-type": "text/javascript" });
    res.end(app);
    return true;
  };
  const s = await site({ pages: { "/": { html, headers: { "content-security-policy": csp } } }, files });
  const { context, page, seen } = await watched({ init: () => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.violations.push(e.violatedDirective));
  } });
  await page.goto(s.url + "/");
  await until(() => page.evaluate(() => Boolean(window.F)), 5000, "the module");
  await page.evaluate(() => { window.asked = F.ask({ customerId: "tt" }); });
  const panel = page.locator("html > feedback-prompt");
  await panel.getByRole("radio", { name: score(6) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal(await page.evaluate(() => window.asked.then((o) => o.outcome)), "submitted");
  await until(() => s.answers().length === 1, 5000, "the answer");
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(reached(seen), NOTHING);
  await context.close(); await s.close();
});

// ---------------------------------------------------------------------------
// A second reading of the loader that loads again after a failed load:
// not only a call loads again, so a page that waits on `ready`, or calls
// `init()` again, does not wait for ever.

test("the ES module, init() called again after a first init whose wasm the CDN failed to serve, loads again and settles", async () => {
  let failing = true;
  const s = await site({
    pages: { "/": `<!doctype html><html><body><script type="module">
      import * as F from "/dist/feedback.mjs"; window.F = F;
    </script></body></html>` },
    files: (path, req, res) => {
      if (!failing || !path.endsWith("/feedback_wasm_bg.wasm")) return false;
      res.writeHead(503, { "access-control-allow-origin": "*" }); res.end("try later"); return true;
    },
  });
  const { context, page } = await watched();
  await page.goto(s.url + "/");
  await page.waitForFunction(() => window.F);
  const first = await page.evaluate(() => F.init({ endpoint: "/collect" }).then(() => "ok", () => "rejected"));
  assert.equal(first, "rejected", "the first init rejects (the wasm was not served)");
  failing = false;
  // An app retries init (or a second component calls it): it waits on
  // `ready`, which nothing loads any more.
  const second = await page.evaluate(() => Promise.race([
    F.init({ company: "Acme" }).then(() => "ok", (e) => "rejected: " + e.message),
    new Promise((r) => setTimeout(() => r("still pending after 5 s"), 5000)),
  ]));
  assert.equal(second, "ok");
  await context.close(); await s.close();
});

test("the script tag, offline when the page went idle, then online: a page that waits on Feedback.ready before its first call is not left waiting for ever", async () => {
  const { s, context, page } = await offlineAtLoad();
  const got = await page.evaluate(() => Promise.race([
    Feedback.ready.then(() => "ready", (e) => "rejected: " + e.message),
    new Promise((r) => setTimeout(() => r("still pending 5 s after the browser came back online"), 5000)),
  ]));
  assert.equal(got, "ready");
  await context.close(); await s.close();
});
