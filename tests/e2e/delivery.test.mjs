// Delivery end to end, against a receiver that misbehaves on purpose: every
// answer a customer gives ends up stored exactly once, with the same id and
// Idempotency-Key on every attempt, whatever the network does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import { join } from "node:path";
import { startReceiver, launch, servePage, siteServer, until, prompt } from "./harness.mjs";

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); });
after(async () => { await browser?.close(); await receiver?.stop(); });

const score = (n) => new RegExp(`^${n}(,|$)`);
const rowsFor = async (r, id) => (await r.rows()).filter((row) => row.payload.id === id);

/** A browser context and a page at `path` embedding the loader with `attrs`. */
async function open(path, attrs = 'data-endpoint="/collect"', { context, origin = receiver.url, init } = {}) {
  context = context || (await browser.newContext());
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(String(e)));
  page.posts = [];
  page.on("request", (r) => { if (r.url().endsWith("/collect") && r.method() === "POST") page.posts.push({ at: Date.now(), key: r.headers()["idempotency-key"], body: r.postData() }); });
  page.statuses = [];
  page.on("response", (r) => { if (r.url().endsWith("/collect") && r.request().method() === "POST") page.statuses.push(r.status()); });
  if (init) await page.addInitScript(init);
  await servePage(page, origin + path, `<!doctype html><html><head><meta charset="utf-8">
    <script src="/dist/feedback.js" ${attrs}></script></head><body>
    <script>window.events = []; window.shapes = []; for (const n of ["submit","delivered","failed"]) Feedback.on(n, (d) => { events.push([n, d.id, d.status ?? null, d.reason ?? null]); shapes.push([n, d.id, Object.keys(d).join()]); });</script>
    </body></html>`);
  await page.goto(origin + path);
  return page;
}

/** The real fixture page (served over HTTP, not intercepted) with `params` as data-* attributes. */
async function openReal(params, { context } = {}) {
  context = context || (await browser.newContext());
  const page = await context.newPage();
  page.posts = [];
  page.on("request", (r) => { if (r.url().endsWith("/collect") && r.method() === "POST") page.posts.push({ at: Date.now(), key: r.headers()["idempotency-key"], body: r.postData() }); });
  await page.goto(receiver.url + "/tests/e2e/pages/embed.html?" + new URLSearchParams(params));
  await page.waitForFunction(() => window.Feedback && window.events);
  return page;
}

/** Answers the floating prompt with `n` and a comment; resolves with the payload id. */
async function answer(page, n, comment, context = {}) {
  const result = page.evaluate((ctx) => Feedback.ask(ctx), { customerId: "c-" + Math.random(), ...context });
  const panel = prompt(page);
  await panel.getByRole("radio", { name: score(n) }).check();
  if (comment) await panel.getByRole("textbox").fill(comment);
  await panel.getByRole("button", { name: "Submit" }).click();
  return (await result).id;
}

const events = (page) => page.evaluate(() => window.events);

/** The outbox as stored: each item an entry of its own, `feedback:v1:outbox:<id>`. */
const outbox = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("feedback:v1:outbox:")).map((k) => JSON.parse(localStorage.getItem(k))));
/** No outbox left in storage, in the entries or in the single value an earlier version wrote. */
const emptied = async (page) => (await outbox(page)).length === 0 && (await page.evaluate(() => localStorage.getItem("feedback:v1:outbox"))) === null;

/**
 * Waits for the page's own `delivered` event for `id`. The page's request
 * events reach the test through the browser's connection, the receiver's rows
 * through another; a row can be read before the request that stored it has
 * been reported (a CI run counted 1 post of 2). The page's event comes after.
 */
const delivered = (page, id) =>
  until(async () => (await events(page)).some(([n, i]) => n === "delivered" && i === id), 10_000, "the delivered event");

test("1. 503 three times, then 200: delivered once, same key on every attempt", async () => {
  await receiver.faults([{ status: 503 }, { status: 503 }, { status: 503 }]);
  const page = await open("/d1.html");
  const id = await answer(page, 5, "retry me");
  await until(async () => (await events(page)).some(([n, i]) => n === "delivered" && i === id), 15_000, "delivered");
  assert.equal(page.posts.length, 4, "three refusals and one success");
  const [, , status] = (await events(page)).find(([n, i]) => n === "delivered" && i === id);
  const [, , keys] = (await page.evaluate(() => window.shapes)).find(([n, i]) => n === "delivered" && i === id);
  assert.deepEqual([status, keys], [201, "id,status"], "the delivered event is {id, status}, as the README says");
  assert.ok(page.posts.every((p) => p.key === id && JSON.parse(p.body).id === id), "same id and key every time");
  const rows = await rowsFor(receiver, id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].deliveries, 1);
  assert.equal(rows[0].payload.comment, "retry me");
  await page.context().close();
});

test("2. endpoint down, page reloaded, endpoint back: delivered once", async () => {
  const db = join(mkdtempSync(join(tmpdir(), "feedback-down-")), "db.sqlite");
  // Another loopback address: another origin, so this is cross-origin too.
  const endpoint = await startReceiver({ host: "127.0.0.2", db });
  await endpoint.stop();
  const page = await openReal({ endpoint: `http://127.0.0.2:${endpoint.port}/collect` });
  const id = await answer(page, 3, "while you were down");
  await until(async () => page.posts.length >= 1, 5000, "a first attempt");
  await page.reload();
  await page.waitForFunction(() => window.Feedback && window.events);
  await page.waitForTimeout(500);
  const back = await startReceiver({ host: "127.0.0.2", port: endpoint.port, db });
  try {
    await until(async () => (await rowsFor(back, id)).length === 1, 20_000, "the row once the endpoint is back");
    await page.waitForTimeout(1000);
    const rows = await rowsFor(back, id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].idempotencyKey, id);
  } finally {
    await page.context().close();
    await back.stop();
  }
});

test("3. tab closed right after submit: the keepalive request or the next page load delivers, once", async () => {
  // The receiver answers slowly, so the tab is gone before the answer.
  await receiver.faults([{ delayMs: 1500 }]);
  const context = await browser.newContext();
  const page = await open("/d3.html", undefined, { context });
  const id = await answer(page, 6, "closing now");
  await page.close();
  const next = await open("/d3.html", undefined, { context });
  await until(async () => (await rowsFor(receiver, id)).length === 1, 15_000, "the row");
  await until(() => emptied(next), 15_000, "an empty outbox");
  const rows = await rowsFor(receiver, id);
  assert.equal(rows.length, 1, "exactly one row");
  assert.equal(rows[0].payload.comment, "closing now");
  await context.close();
});

test("4. offline, then online: sent as soon as the browser is back", async () => {
  const context = await browser.newContext();
  const page = await open("/d4.html", undefined, { context });
  await page.evaluate(() => Feedback.ready);
  await context.setOffline(true);
  const id = await answer(page, 2, "from a train");
  await page.waitForTimeout(800);
  assert.equal((await rowsFor(receiver, id)).length, 0);
  assert.ok((await outbox(page)).some((i) => i.id === id), "kept in the outbox while offline");
  await context.setOffline(false);
  await until(async () => (await rowsFor(receiver, id)).length === 1, 10_000, "the row after going online");
  await context.close();
});

test("5. 400: dropped at once, a failed event with the status, nothing retried", async () => {
  await receiver.faults([{ status: 400 }]);
  const page = await open("/d5.html");
  const id = await answer(page, 4);
  await until(async () => (await events(page)).some(([n]) => n === "failed"), 5000, "failed event");
  const failed = (await events(page)).find(([n]) => n === "failed");
  assert.deepEqual(failed, ["failed", id, 400, "rejected"]);
  await page.waitForTimeout(3000);
  assert.equal(page.posts.length, 1, "no retry");
  assert.equal((await rowsFor(receiver, id)).length, 0);
  assert.ok(await emptied(page), "nothing left in the outbox");
  await page.context().close();
});

test("6. 429 with Retry-After: 2 waits at least two seconds", async () => {
  await receiver.faults([{ status: 429, retryAfter: 2 }]);
  const page = await open("/d6.html");
  const id = await answer(page, 7);
  await until(async () => (await rowsFor(receiver, id)).length === 1, 10_000, "the row");
  await delivered(page, id);
  assert.equal(page.posts.length, 2);
  const waited = page.posts[1].at - page.posts[0].at;
  assert.ok(waited >= 1900, `waited ${waited} ms`);
  await page.context().close();
});

test("7. a cross-origin endpoint: with CORS (preflight, key header) and in simple-request mode (no preflight)", async () => {
  const endpoint = await startReceiver({ host: "127.0.0.2" });
  try {
    const cors = await openReal({ endpoint: `http://127.0.0.2:${endpoint.port}/collect` });
    const id = await answer(cors, 6, "cross origin");
    await until(async () => (await rowsFor(endpoint, id)).length === 1, 10_000, "the CORS row");
    const row = (await rowsFor(endpoint, id))[0];
    assert.equal(row.idempotencyKey, id);
    const afterCors = await endpoint.stats();
    assert.ok(afterCors.preflights >= 1, "a preflight for the JSON request");
    await cors.context().close();

    const simple = await openReal({ endpoint: `http://127.0.0.2:${endpoint.port}/collect`, "simple-request": "" });
    const id2 = await answer(simple, 5, "simple");
    await until(async () => (await rowsFor(endpoint, id2)).length === 1, 10_000, "the simple row");
    const row2 = (await rowsFor(endpoint, id2))[0];
    assert.equal(row2.idempotencyKey, null, "no custom header in simple mode");
    assert.equal(row2.payload.id, id2, "the key travels in the body");
    assert.equal((await endpoint.stats()).preflights, afterCors.preflights, "no preflight in simple mode");
    await simple.context().close();
  } finally {
    await endpoint.stop();
  }
});

test("8. an http endpoint on a non-local host is refused at configuration time", async () => {
  const page = await open("/d8.html", 'data-endpoint="http://feedback.example.com/collect"');
  const message = await page.evaluate(() => Feedback.ready.then(() => "ok", (e) => e.message));
  assert.match(message, /data-endpoint: "http:\/\/feedback\.example\.com\/collect" is not allowed; endpoints must use https/);
  const ok = await open("/d8b.html");
  const configured = await ok.evaluate(() => Feedback.configure({ endpoint: "http://feedback.example.com/c" }).then(() => "ok", (e) => e.message));
  assert.match(configured, /^endpoint: .* is not allowed/);
  await page.context().close();
  await ok.context().close();
});

test("9. localStorage full (setItem throws): kept in memory and still delivered, retries included", async () => {
  await receiver.faults([{ status: 503 }]);
  const init = () => {
    Storage.prototype.setItem = function () { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
  };
  const page = await open("/d9.html", undefined, { init });
  const id = await answer(page, 6, "no room");
  await until(async () => (await rowsFor(receiver, id)).length === 1, 15_000, "the row");
  await delivered(page, id);
  assert.equal(page.posts.length, 2, `the refused attempt and the retry (answers seen: ${page.statuses})`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("10. two tabs with pending items: every item stored once, none sent twice", async () => {
  await receiver.faults(Array.from({ length: 6 }, () => ({ status: 503 })));
  const context = await browser.newContext();
  const a = await open("/d10.html", undefined, { context });
  const b = await open("/d10.html", undefined, { context });
  const ids = [await answer(a, 2, "tab a"), await answer(b, 6, "tab b")];
  for (const id of ids) {
    await until(async () => (await rowsFor(receiver, id)).length === 1, 30_000, `row ${id}`);
  }
  await a.waitForTimeout(1500);
  for (const id of ids) {
    const rows = await rowsFor(receiver, id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].deliveries, 1, "stored by exactly one successful send");
    const sends = [...a.posts, ...b.posts].filter((p) => p.key === id);
    assert.ok(sends.length >= 1);
  }
  await context.close();
});

test("11. tabs whose customers submit in the same millisecond: every answer is stored, once (each is an entry of its own in the shared outbox)", async () => {
  // An outsider's: the outbox was one localStorage value, read, changed
  // and written back by each tab, so two tabs writing at once kept one
  // tab's answers and lost the other's for good (5 runs of 5), while the
  // losing page was told `queued`.
  const ids = [];
  for (let round = 0; round < 3; round++) {
    const context = await browser.newContext();
    const tabs = [await open("/d11.html", undefined, { context }), await open("/d11.html", undefined, { context })];
    const asked = [];
    for (const [i, tab] of tabs.entries()) {
      asked.push(tab.evaluate((ctx) => Feedback.ask(ctx), { customerId: `race-${round}-${i}`, conversationId: `race-${round}-${i}` }));
      await prompt(tab).getByRole("radio", { name: score(5) }).check();
    }
    const at = Date.now() + 500;
    await Promise.all(tabs.map((tab) => tab.evaluate((at) => {
      const submit = document.querySelector("feedback-prompt").shadowRoot.querySelector(".fb-submit");
      setTimeout(() => submit.click(), at - Date.now());
    }, at)));
    for (const a of asked) ids.push((await a).id);
    for (const id of ids.slice(-2)) await until(async () => (await rowsFor(receiver, id)).length === 1, 20_000, `row ${id} (round ${round})`);
    await context.close();
  }
  assert.equal(new Set(ids).size, 6);
});

test("12. an answer a closed tab left waiting out its back-off is sent by a tab still open, when it falls due", async () => {
  // An outsider's: tab B, open all along, never sent it (it had no timer
  // for an item another tab wrote after B loaded); it waited for a page
  // load, up to the 7 days after which it is given up.
  await receiver.faults([{ status: 503 }, { status: 503 }]);
  const context = await browser.newContext();
  const b = await open("/d12.html", undefined, { context });
  await b.evaluate(() => Feedback.ready);
  const a = await open("/d12.html", undefined, { context });
  const id = await answer(a, 3, "left by tab a");
  await until(async () => a.statuses.includes(503), 5000, "tab a's first attempt");
  await a.close();
  await until(async () => (await rowsFor(receiver, id)).length === 1, 30_000, "the row, sent by tab b");
  assert.ok(b.posts.some((p) => p.key === id), "tab b sent it");
  await until(() => emptied(b), 5000, "an empty outbox");
  await context.close();
});

test("13. an outbox an earlier version kept in one value, found with storage too full for its entries: the answer is sent from memory, once, and the value stays for the next visit", async () => {
  // A second reading's: the value was removed once its items had been
  // written, but with storage full they were written to the page's
  // memory only, and a tab closed (or crashing) before sending lost them.
  const context = await browser.newContext();
  const first = await open("/d13.html", undefined, { context });
  await first.evaluate(() => Feedback.ready);
  await context.setOffline(true);
  const id = await answer(first, 2, "kept through the upgrade");
  // Taken out of storage here, and put back as an earlier version stored
  // the outbox, in one value, before the next page's scripts run.
  const items = await first.evaluate(() => {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith("feedback:v1:outbox:"));
    const items = keys.map((k) => JSON.parse(localStorage.getItem(k)));
    for (const k of keys) localStorage.removeItem(k);
    for (const item of items) { item.leaseUntilMs = 0; item.nextMs = 0; }
    return items;
  });
  await first.close();
  await context.setOffline(false);
  // And storage that takes no new entry (full).
  const init = `(${(items) => {
    localStorage.setItem("feedback:v1:outbox", JSON.stringify(items));
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (String(key).startsWith("feedback:v1:outbox:")) throw new DOMException("full", "QuotaExceededError");
      return setItem.call(this, key, value);
    };
  }})(${JSON.stringify(items)})`;
  const next = await open("/d13.html", undefined, { context, init });
  await until(async () => (await rowsFor(receiver, id)).length === 1, 15_000, "the row");
  await next.waitForTimeout(2500);
  assert.equal(next.posts.filter((p) => p.key === id).length, 1, "sent once, not again and again");
  const kept = await next.evaluate(() => JSON.parse(localStorage.getItem("feedback:v1:outbox") || "[]").map((i) => i.id));
  assert.deepEqual(kept, [id], "the value stays: its answer was never in the browser's storage as an entry");
  await context.close();
});

test("the demo receiver: 64 KB limit (413, with the reason as JSON), JSON validation (400 with a reason), replays answer 200 with the original result", async () => {
  const post = (body, headers = {}) => fetch(receiver.url + "/collect", { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  const big = await post(JSON.stringify({ id: "big", kind: "response", comment: "x".repeat(65 * 1024) }));
  assert.equal(big.status, 413);
  assert.match((await big.json()).error, /over 65536 bytes/);
  const bad = await post("{not json");
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /not JSON/);
  const noKind = await post(JSON.stringify({ id: "k1" }));
  assert.equal(noKind.status, 400);
  assert.equal((await noKind.json()).error, "kind: expected response, dismissed or suppressed");
  const payload = JSON.stringify({ id: "replay-1", kind: "dismissed", action: "effort", reasons: ["smooth"] });
  const first = await post(payload, { "idempotency-key": "replay-1" });
  const again = await post(payload, { "idempotency-key": "replay-1" });
  assert.equal(first.status, 201);
  assert.equal(again.status, 200);
  assert.equal(again.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(await again.json(), await first.json());
  const rows = await rowsFor(receiver, "replay-1");
  assert.equal(rows.length, 1);
  assert.equal(rows[0].deliveries, 2);
  const mismatch = await post(JSON.stringify({ id: "m1", kind: "dismissed" }), { "idempotency-key": "other" });
  assert.equal(mismatch.status, 400);
});

test("the request carries what the site configured: its headers, the key, the body's type, and cookies only as `credentials` says", async () => {
  const cases = [
    ['data-credentials="omit" data-headers=\'{"X-Api-Key": "k-1"}\'', { "x-api-key": "k-1", "content-type": "application/json", cookie: undefined }],
    ['data-credentials="same-origin" data-headers=\'{"X-Api-Key": "k-2"}\'', { "x-api-key": "k-2", "content-type": "application/json", cookie: "visit=v1" }],
    ['data-credentials="include"', { "x-api-key": undefined, "content-type": "application/json", cookie: "visit=v1" }],
    ["data-simple-request", { "x-api-key": undefined, "content-type": "text/plain;charset=UTF-8", cookie: undefined, "idempotency-key": undefined }],
  ];
  for (const [i, [attrs, want]] of cases.entries()) {
    const context = await browser.newContext();
    await context.addCookies([{ name: "visit", value: "v1", url: receiver.url }]);
    const page = await open(`/configured-${i}.html`, `data-endpoint="/collect" ${attrs}`, { context });
    const sent = page.waitForRequest((r) => r.url().endsWith("/collect") && r.method() === "POST");
    const id = await answer(page, 5, "");
    const headers = await (await sent).allHeaders();
    for (const [name, value] of Object.entries(want)) assert.equal(headers[name], value, `${attrs}: ${name}`);
    if (!("idempotency-key" in want)) assert.equal(headers["idempotency-key"], id);
    await until(async () => (await rowsFor(receiver, id)).length === 1, 5000, "the stored row");
    assert.deepEqual(page.errors, []);
    await context.close();
  }
});

test("a tab closed with an answer unsent, in simple-request mode without `include`: the last-chance send carries no cookie", async () => {
  // (Both on sites of their own: a page the browser fetched for real may
  // post to another loopback origin. The endpoint answers after 20 s, so
  // the answer is still unsent when the tab closes.)
  const endpoint = await siteServer("", { answerAfterMs: 20000 });
  const site = await siteServer(`<!doctype html><html><head><meta charset="utf-8">
    <script src="/dist/feedback.js" data-endpoint="${endpoint.url}/collect" data-simple-request></script></head><body></body></html>`);
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: "visit", value: "v1", url: endpoint.url }]);
    const page = await context.newPage();
    await page.goto(site.url + "/");
    await answer(page, 5, "");
    await until(() => endpoint.posts.length >= 1, 5000, "the first attempt");
    await page.close({ runBeforeUnload: true });
    await until(() => endpoint.posts.length >= 2, 5000, "the last-chance send");
    assert.deepEqual(endpoint.posts.map((p) => p.headers.cookie), endpoint.posts.map(() => undefined), "no cookie on any send");
    await context.close();
  } finally {
    await endpoint.close();
    await site.close();
  }
});

test("endpoint down and the customer switches tabs: the last-chance sends fail quietly (no unhandled rejection for the host's error monitoring), the answer stays queued", async () => {
  const endpoint = await startReceiver({ host: "127.0.0.2" });
  await endpoint.stop();
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.addInitScript(() => {
    window.rejections = [];
    addEventListener("unhandledrejection", (e) => window.rejections.push(String(e.reason)));
  });
  await page.goto(receiver.url + "/tests/e2e/pages/embed.html?" + new URLSearchParams({ endpoint: `http://127.0.0.2:${endpoint.port}/collect` }));
  await page.waitForFunction(() => window.Feedback && window.events);
  const id = await answer(page, 4, "sent while you were down");
  // As after a few failures: waiting out its back-off, and no tab's lease
  // on it (a network error just now keeps it leased to this tab a second,
  // which the retries renew), so a hidden tab sends it at once, and a
  // second event of the same leave (`visibilitychange`, then `pagehide`)
  // does not send it again.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage).filter((k) => k.startsWith("feedback:v1:outbox:"))) {
      const item = JSON.parse(localStorage.getItem(key));
      item.nextMs = Date.now() + 60_000;
      item.leaseUntilMs = 0;
      localStorage.setItem(key, JSON.stringify(item));
    }
  });
  let sent = 0;
  page.on("request", (r) => { if (r.url().startsWith(`http://127.0.0.2:${endpoint.port}/`) && r.method() === "POST") sent += 1; });
  for (const event of ["visibilitychange", "pagehide"]) {
    await page.evaluate((event) => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      Object.defineProperty(document, "hidden", { value: true, configurable: true });
      (event === "pagehide" ? window : document).dispatchEvent(new Event(event));
    }, event);
    await page.waitForTimeout(700);
    assert.equal(sent, 1, `after ${event}: the pending answer sent once`);
  }
  const rejections = await page.evaluate(() => window.rejections);
  assert.deepEqual(rejections, [], "no unhandled rejection reached the host page");
  assert.deepEqual(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)), [], "no page error");
  assert.ok((await outbox(page)).some((i) => i.id === id), "still queued for the next try");
  await context.close();
});

test("six answers at the payload's limits pending as a tab closes: the browser's 64 KB keepalive quota takes some, the rest fail quietly and leave on the next visit, each stored once", async () => {
  // Each answer: a 2,000-character Chinese comment and 8 KB of metadata,
  // about 14.5 KB as JSON; six are more than a closing page may send.
  const comment = "等".repeat(2000);
  const metadata = { note: "x".repeat(8192 - 20) };
  const context = await browser.newContext();
  const page = await open("/d-quota.html", undefined, { context });
  await page.evaluate(() => Feedback.ready);
  await context.setOffline(true);
  const first = await answer(page, 5, comment, { metadata });
  await until(async () => (await outbox(page)).length === 1, 5000, "the answer queued");
  // Five more like it (one prompt per tab and session, so written as the
  // widget writes them, an entry each), due in a few seconds: pending,
  // not yet sent.
  const ids = await page.evaluate(({ first, dueInMs }) => {
    const item = JSON.parse(localStorage.getItem("feedback:v1:outbox:" + first));
    const ids = [];
    for (let i = 0; i < 6; i++) {
      const id = i === 0 ? first : crypto.randomUUID();
      const body = JSON.stringify({ ...JSON.parse(item.body), id });
      localStorage.setItem("feedback:v1:outbox:" + id, JSON.stringify({ ...item, id, body, nextMs: Date.now() + dueInMs, leaseUntilMs: 0 }));
      ids.push(id);
    }
    return ids;
  }, { first, dueInMs: 6000 });
  await context.setOffline(false);
  await page.waitForTimeout(500);
  const before = (await Promise.all(ids.map((id) => rowsFor(receiver, id)))).flat().length;
  assert.equal(before, 0, "none sent before the tab closes");
  await page.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 1500));
  const atClose = (await Promise.all(ids.map((id) => rowsFor(receiver, id)))).flat().length;
  assert.ok(atClose >= 1 && atClose < 6, `the closing page sent some, not all (the browser's quota): ${atClose}`);
  assert.deepEqual(page.errors, [], "no page error");
  const next = await open("/d-quota.html", undefined, { context });
  for (const id of ids) await until(async () => (await rowsFor(receiver, id)).length === 1, 30_000, `row ${id}`);
  await until(() => emptied(next), 15_000, "an empty outbox");
  for (const id of ids) {
    const rows = await rowsFor(receiver, id);
    assert.equal(rows.length, 1, "stored once");
    assert.equal(rows[0].payload.comment.length, 2000);
    assert.deepEqual(rows[0].payload.metadata, metadata);
  }
  await context.close();
});

// A 301, 302 or 303 from the endpoint turns the browser's POST into a GET
// without the body, and the GET's 200 looked like a confirmation: the
// answer was reported delivered and dropped from the outbox, and never
// arrived (an outsider's try found it). Every redirect code, JSON and
// simple-request mode: the answer arrives, with its body, where the
// redirect led, and the console says where to point `data-endpoint`.
test("an endpoint that redirects (301, 302, 303, 307, 308): the answer arrives at the new address with its body, and the console names it", async () => {
  const posts = [];
  const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type, idempotency-key", "access-control-allow-methods": "POST" };
  const server = createServer((req, res) => {
    if (req.method === "OPTIONS") { res.writeHead(204, cors); return res.end(); }
    const moved = req.url.match(/^\/old-(\d+)/);
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      if (moved) res.writeHead(Number(moved[1]), { ...cors, location: "/new" });
      else { if (req.method === "POST") posts.push(body); res.writeHead(200, cors); }
      res.end("{}");
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  try {
    for (const code of [301, 302, 303, 307, 308]) {
      for (const simple of [false, true]) {
        const page = await openReal({ endpoint: `http://127.0.0.1:${server.address().port}/old-${code}`, ...(simple ? { "simple-request": "" } : {}) });
        const warnings = [];
        page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
        const id = await answer(page, 4, `moved ${code}`);
        const what = `${code}${simple ? ", simple request" : ""}`;
        await until(async () => (await events(page)).some(([name, eid]) => name === "delivered" && eid === id), 10_000, `delivered (${what})`);
        const arrived = posts.filter((body) => body.includes(id));
        assert.ok(arrived.length >= 1 && arrived.length <= 2, `${what}: ${arrived.length} posts with the answer at /new`);
        assert.ok(arrived.every((body) => JSON.parse(body).comment === `moved ${code}`), `${what}: the body arrived whole`);
        assert.ok(warnings.some((w) => w.includes(`/new`)), `${what}: a console warning names the new address (${warnings.join(" | ")})`);
        await page.context().close();
      }
    }
  } finally {
    server.close();
  }
});

// Leaving a page sent every pending answer at once on `visibilitychange`
// and again on `pagehide`, an attempt still on the wire included, and
// whatever the endpoint's Retry-After: one answer given just before
// following a link reached the endpoint four times (an outsider's try).
test("a page left right after Submit, the first attempt still on the wire: that attempt delivers it, nothing more is sent at leaving", async () => {
  // (A real page, not one served through page.route: with a route,
  // Playwright intercepts every request and sends an intercepted one
  // still in flight at a navigation again.)
  await receiver.faults([{ delayMs: 600 }]);
  const page = await openReal({ endpoint: "/collect" });
  await page.evaluate(() => Feedback.ready);
  const before = (await receiver.stats()).posts;
  page.evaluate(() => Feedback.ask({ customerId: "leave-" + Math.random() })).catch(() => {});
  const panel = prompt(page);
  await panel.getByRole("radio", { name: score(5) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  await until(async () => (await receiver.stats()).posts > before, 5000, "the first attempt");
  await page.goto(receiver.url + "/tests/e2e/pages/elsewhere.html").catch(() => {});
  await page.waitForTimeout(1500);
  const posts = (await receiver.stats()).posts - before;
  assert.equal(posts, 1, `one post: the first attempt, none at leaving (${posts})`);
  await page.context().close();
});

test("a page left while the endpoint's Retry-After holds an answer: nothing is sent at leaving", async () => {
  await receiver.faults([{ status: 429, retryAfter: 3600 }]);
  const page = await openReal({ endpoint: "/collect" });
  await page.evaluate(() => Feedback.ready);
  const before = (await receiver.stats()).posts;
  const asked = page.evaluate(() => Feedback.ask({ customerId: "held-" + Math.random() }));
  const panel = prompt(page);
  await panel.getByRole("radio", { name: score(3) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal((await asked).delivery, "queued");
  assert.equal((await receiver.stats()).posts - before, 1);
  await page.evaluate(() => {
    Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await page.goto(receiver.url + "/tests/e2e/pages/elsewhere.html").catch(() => {});
  await page.waitForTimeout(1000);
  assert.equal((await receiver.stats()).posts - before, 1, "no post at leaving: the endpoint asked for an hour");
  await page.context().close();
});

// The answer posted again after a redirect to another origin must not
// carry the site's `Authorization` there: the browser's own following of
// the redirect drops it (a second reading of the redirect fix found the
// repost put it back).
test("a redirect to another origin: the answer arrives there, without the site's Authorization header", async () => {
  const posts = [];
  const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type, idempotency-key, authorization, x-api-key", "access-control-allow-methods": "POST" };
  const there = createServer((req, res) => {
    if (req.method === "OPTIONS") { res.writeHead(204, cors); return res.end(); }
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => { if (req.method === "POST") posts.push({ body, headers: req.headers }); res.writeHead(200, cors); res.end("{}"); });
  });
  await new Promise((ok) => there.listen(0, "127.0.0.2", ok));
  const here = createServer((req, res) => {
    if (req.method === "OPTIONS") { res.writeHead(204, cors); return res.end(); }
    req.resume();
    req.on("end", () => { res.writeHead(301, { ...cors, location: `http://127.0.0.2:${there.address().port}/new` }); res.end(); });
  });
  await new Promise((ok) => here.listen(0, "127.0.0.1", ok));
  try {
    const page = await openReal({ endpoint: `http://127.0.0.1:${here.address().port}/old`, headers: JSON.stringify({ Authorization: "Bearer secret", "X-Api-Key": "k" }) });
    const id = await answer(page, 4, "moved away");
    await until(async () => (await events(page)).some(([name, eid]) => name === "delivered" && eid === id), 10_000, "delivered");
    const arrived = posts.filter((p) => p.body.includes(id));
    assert.equal(arrived.length, 1, "posted again where the redirect led");
    assert.equal(arrived[0].headers.authorization, undefined, "no Authorization to the other origin");
    assert.equal(arrived[0].headers["x-api-key"], "k", "the site's other headers, as the browser's own redirect keeps them");
    await page.context().close();
  } finally {
    here.close(); there.close();
  }
});
