// Ways in other than the plain script tag: the ES module (with its own
// wasm URL), Subresource Integrity refusing a tampered wasm, and a glue
// from another build refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startReceiver, launch, newPage, servePage, until, prompt, ROOT } from "./harness.mjs";

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); });
after(async () => { await browser?.close(); await receiver?.stop(); });

const score = (n) => new RegExp(`^${n}(,|$)`);

test("the ES module: init, on and ask behave like the script tag; calls before init wait for it", async () => {
  const page = await newPage(browser);
  const url = receiver.url + "/esm/app.html";
  await servePage(page, url, `<!doctype html><html><head><meta charset="utf-8"></head><body>
    <script type="module">
      import { init, ask, on, decide } from "/dist/feedback.mjs";
      window.seen = [];
      on("delivered", (d) => seen.push(d.id));
      window.early = decide({ transfers: 3 });
      window.asked = ask({ conversationId: "esm-1" });
      init({ endpoint: "/collect", company: "Acme" });
    </script></body></html>`);
  await page.goto(url);
  assert.deepEqual(await page.evaluate(() => window.early), { action: "vent", reasons: ["many_transfers"] });
  const panel = prompt(page);
  await panel.getByText("Acme made it easy for me to handle my issue.").waitFor();
  await panel.getByRole("radio", { name: score(6) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  const { id, outcome } = await page.evaluate(() => window.asked);
  assert.equal(outcome, "submitted");
  await until(async () => (await page.evaluate(() => window.seen)).includes(id), 5000, "delivered");
  assert.deepEqual(page.errors, []);
  await page.close();
});

// An SPA calls init() again (on a route, after consent) with a typo: an
// outsider saw nothing on the console, and the old settings kept going.
test("the ES module: a second init() with a wrong option says so on the console, without an unhandled rejection, and the first settings stay", async () => {
  const page = await newPage(browser);
  const url = receiver.url + "/esm/again.html";
  const rejections = [];
  await page.exposeFunction("__rejected", (r) => rejections.push(r));
  await servePage(page, url, `<!doctype html><html><head><meta charset="utf-8"></head><body>
    <script type="module">
      import { init, decide } from "/dist/feedback.mjs";
      addEventListener("unhandledrejection", (e) => window.__rejected(String(e.reason)));
      init({ endpoint: "/collect" });
      init({ endpoint: "not a url" });
      window.decided = init({ endpoint: "/collect", sampleRate: 7 }).then(() => "settled", (e) => e.message)
        .then((second) => decide({}).then((d) => ({ second, action: d.action })));
    </script></body></html>`);
  await page.goto(url);
  const { second, action } = await page.evaluate(() => window.decided);
  assert.match(second, /sampleRate/, "the init promise rejects with the error");
  assert.equal(action, "effort", "the first settings still decide");
  await until(() => page.errors.length >= 2, 5000, "two console lines");
  assert.match(page.errors.find((e) => /endpoint/.test(e)) || "", /^\[feedback\] endpoint: /, JSON.stringify(page.errors));
  assert.match(page.errors.find((e) => /sampleRate/.test(e)) || "", /^\[feedback\] rules\.sampleRate: /, JSON.stringify(page.errors));
  assert.equal(page.errors.length, 2, JSON.stringify(page.errors));
  await page.waitForTimeout(200);
  assert.deepEqual(rejections, []);
  await page.close();
});

test("the ES module can be told where the wasm lives (a CDN or a bundler's asset path)", async () => {
  const page = await newPage(browser);
  const wasm = [];
  page.on("request", (r) => { if (r.url().includes(".wasm")) wasm.push(new URL(r.url()).pathname + new URL(r.url()).search); });
  const url = receiver.url + "/esm/cdn.html";
  await servePage(page, url, `<!doctype html><html><body><script type="module">
      import { init, decide } from "/dist/feedback.mjs";
      init({ endpoint: "/collect", wasmUrl: "/dist/feedback_wasm_bg.wasm?from=cdn" });
      window.d = decide({});
    </script></body></html>`);
  await page.goto(url);
  assert.deepEqual(await page.evaluate(() => window.d), { action: "effort", reasons: ["smooth"] });
  assert.deepEqual(wasm, ["/dist/feedback_wasm_bg.wasm?from=cdn"]);
  await page.close();
});

test("a tampered wasm is refused by its integrity hash: the call rejects, nothing runs, the page is fine", async () => {
  const page = await newPage(browser);
  await page.route("**/feedback_wasm_bg.wasm", async (route) => {
    const original = await route.fetch();
    const bytes = Buffer.from(await original.body());
    bytes[bytes.length - 10] ^= 0xff;
    await route.fulfill({ status: 200, headers: { "content-type": "application/wasm" }, body: bytes });
  });
  const url = receiver.url + "/tampered.html";
  await servePage(page, url, `<!doctype html><html><head><script src="/dist/feedback.js" data-endpoint="/collect"></script></head><body></body></html>`);
  await page.goto(url);
  const message = await page.evaluate(() => Feedback.ask({}).then(() => "ran", (e) => e.message));
  assert.notEqual(message, "ran");
  // The browser says only "Failed to fetch": the message names the file
  // and the likely cause (an outsider was sent looking at the network).
  assert.match(message, /feedback_wasm_bg\.wasm.*integrity/, message);
  assert.ok(page.errors.some((e) => e.includes("[feedback]") && e.includes("integrity")), page.errors.join(" | "));
  assert.equal(await prompt(page).count(), 0);
  await page.close();
});

// With its integrity hash, a wasm answered 404 (a deploy that forgot it)
// fails as a tampered one does, "Failed to fetch": an outsider was told
// only "offline, blocked, or refused by its integrity hash".
test("a wasm the server does not have (404): the message says it may not be there", async () => {
  const page = await newPage(browser);
  await page.route("**/feedback_wasm_bg.wasm", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "Not Found" }));
  const url = receiver.url + "/missing-wasm.html";
  await servePage(page, url, `<!doctype html><html><head><script src="/dist/feedback.js" data-endpoint="/collect"></script></head><body></body></html>`);
  await page.goto(url);
  const message = await page.evaluate(() => Feedback.ask({}).then(() => "ran", (e) => e.message));
  assert.match(message, /feedback_wasm_bg\.wasm: not found, offline, blocked, or refused by its integrity hash/, message);
  assert.equal(await prompt(page).count(), 0);
  await page.close();
});

test("a glue from another build (a stale cache, a half-done deploy) is refused: ready rejects, nothing runs, the page is fine", async () => {
  const page = await newPage(browser);
  let swapped = false;
  await page.route("**/feedback_wasm.js", async (route) => {
    const original = await route.fetch();
    const glue = await original.text();
    // Another build names its imports with the same letters but its own
    // digest on the first one.
    const other = glue.replace(/\ba[0-9a-f]{8}:/, () => { swapped = true; return "a00000000:"; });
    await route.fulfill({ status: 200, headers: { "content-type": "text/javascript" }, body: other });
  });
  const url = receiver.url + "/stale-glue.html";
  await servePage(page, url, `<!doctype html><html><head><script src="/dist/feedback.js" data-endpoint="/collect"></script></head><body><p id="host">host</p></body></html>`);
  await page.goto(url);
  const message = await page.evaluate(() => Feedback.ready.then(() => "ran", (e) => e.message));
  assert.ok(swapped, "the glue names its first import with the build's digest");
  assert.notEqual(message, "ran");
  assert.ok(page.errors.some((e) => e.includes("[feedback]")), page.errors.join(" | "));
  assert.equal(await prompt(page).count(), 0);
  assert.equal(await page.locator("#host").textContent(), "host");
  await page.close();
});

test("a Rust/Yew app uses <FeedbackPrompt> with typed props: it renders inline, posts, and reports the outcome", async () => {
  const app = await startReceiver({ staticDir: join(ROOT, "target/yew-example") });
  try {
    const page = await newPage(browser);
    await page.goto(app.url + "/");
    await page.click("#end-chat");
    const panel = page.locator(".feedback-prompt-slot feedback-prompt[data-placement=inline]");
    await panel.getByText("Rusty Co made it easy for me to handle my issue.").waitFor();
    await panel.getByRole("radio", { name: score(7) }).check();
    await panel.getByRole("button", { name: "Submit" }).click();
    await page.locator("#outcome", { hasText: "submitted (effort: smooth)" }).waitFor();
    const row = await until(async () => (await app.rows()).find((r) => r.payload.conversationId === "yew-app-1"), 8000, "the row");
    assert.equal(row.payload.effort, 7);
    assert.equal(row.payload.agentId, "agent-rust");
    assert.equal(row.payload.channel, "messenger");
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    await app.stop();
  }
});
