// The wire contract end to end: the widget in Chromium, the real receiver.
// What the widget accepts at its limits is stored as sent; what is past
// them is refused by ask() naming the field, before anything is shown or
// posted; an answer the endpoint refuses is never reported as submitted.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startReceiver, launch, servePage, until, prompt } from "./harness.mjs";

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); });
after(async () => { await browser?.close(); await receiver?.stop(); });

const rowsFor = async (id) => (await receiver.rows()).filter((row) => row.payload.id === id);

async function open(path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.posts = 0;
  page.warnings = [];
  page.on("request", (r) => { if (r.url().endsWith("/collect") && r.method() === "POST") page.posts += 1; });
  page.on("console", (m) => { if (m.type() === "warning" || m.type() === "warn") page.warnings.push(m.text()); });
  await servePage(page, receiver.url + path, `<!doctype html><html><head><meta charset="utf-8">
    <script src="/dist/feedback.js" data-endpoint="/collect"></script></head><body>
    <script>window.events = []; Feedback.on("failed", (d) => events.push(d));</script></body></html>`);
  await page.goto(receiver.url + path);
  return page;
}

/** Asks with `context`, scores `n` and submits; resolves with the outcome. */
async function answer(page, context, n) {
  const result = page.evaluate((ctx) => Feedback.ask(ctx), context);
  const panel = prompt(page);
  await panel.getByRole("radio", { name: new RegExp(`^${n}(,|$)`) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  return result;
}

// At the limits: 256-byte ids (in CJK and ASCII), a 64-byte channel,
// 8 KB of CJK metadata, and a 2,000-character comment in CJK with emoji.
const AT_LIMITS = {
  conversationId: "会".repeat(85),
  agentId: "a".repeat(256),
  customerId: "客".repeat(85),
  channel: "c".repeat(64),
  metadata: { note: "注".repeat(2_650), nested: { list: [1.5, -0, 1e300, null, true] } },
};

test("the longest ids, metadata and comment the widget accepts are stored as sent", async () => {
  const page = await open("/contract-limits.html");
  const result = page.evaluate((ctx) => Feedback.ask(ctx), AT_LIMITS);
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^2(,|$)/ }).check();
  // 2,000 characters (code points, as the contract counts them).
  const comment = [...("这次等得太久了😤，请改进。").repeat(200)].slice(0, 2_000).join("");
  await panel.getByRole("textbox").fill(comment);
  // The box holds the contract's 2,000 characters (not 2,000 UTF-16
  // units, as a maxlength would: the emoji here take two): what it shows
  // is what is stored.
  const typed = await panel.getByRole("textbox").inputValue();
  assert.equal([...typed].length, 2_000, `${typed.length} units`);
  await panel.getByRole("button", { name: "Submit" }).click();
  const outcome = await result;
  assert.equal(outcome.outcome, "submitted");
  assert.equal(outcome.delivery, "delivered", "ask() resolves once the receiver has stored it");
  const rows = await rowsFor(outcome.id);
  assert.equal(rows.length, 1, "submitted means a row exists");
  const stored = rows[0].payload;
  assert.equal(stored.conversationId, AT_LIMITS.conversationId);
  assert.equal(stored.agentId, AT_LIMITS.agentId);
  assert.equal(stored.channel, AT_LIMITS.channel);
  assert.deepEqual(stored.metadata, JSON.parse(JSON.stringify(AT_LIMITS.metadata)));
  assert.equal(stored.comment, typed);
  assert.equal(stored.effort, 2);
  await page.context().close();
});

test("anything past the limits is refused by ask() naming the field; nothing shown or posted", async () => {
  const page = await open("/contract-over.html");
  const cases = [
    [{ agentId: "a".repeat(257) }, /^context\.agentId: expected at most 256 bytes/],
    [{ conversationId: "会".repeat(86) }, /^context\.conversationId: expected at most 256 bytes/],
    [{ channel: "c".repeat(65) }, /^context\.channel: expected a short word/],
    [{ metadata: { note: "注".repeat(2_800) } }, /^context\.metadata: expected an object of at most 8192 bytes/],
    [{ agentId: "tab\tinside" }, /^context\.agentId: .*without control characters/],
  ];
  for (const [context, message] of cases) {
    const error = await page.evaluate((ctx) => Feedback.ask(ctx).then(() => null, (e) => e.message), context);
    assert.match(error ?? "resolved", message, JSON.stringify(context).slice(0, 60));
  }
  assert.equal(await prompt(page).count(), 0, "no prompt was shown");
  await page.waitForTimeout(300);
  assert.equal(page.posts, 0, "nothing was posted");
  await page.context().close();
});

// metadata is posted as JSON.stringify would send it: a Date arrived as {}
// (its own properties, none; an outsider's try).
test("metadata with a Date is posted as JSON.stringify sends it; a function inside it is refused", async () => {
  const page = await open("/contract-metadata.html");
  const refused = await page.evaluate(() => Feedback.ask({ metadata: { plan: "pro", items: [1, { when: () => 1 }] } }).then(() => null, (e) => e.message));
  assert.match(refused ?? "resolved", /^context: expected plain JSON data/);
  const result = page.evaluate(() => Feedback.ask({ metadata: { at: new Date(Date.UTC(2026, 10, 28, 9, 30)), custom: { toJSON: () => "mine" } } }));
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^6(,|$)/ }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  const outcome = await result;
  const rows = await rowsFor(outcome.id);
  assert.deepEqual(rows[0].payload.metadata, { at: "2026-11-28T09:30:00.000Z", custom: "mine" });
  await page.context().close();
});

test("an answer the endpoint refuses resolves 'failed' with its words, emits failed, warns once", async () => {
  await receiver.faults([{ status: 422 }]);
  const page = await open("/contract-refused.html");
  const outcome = await answer(page, { conversationId: "refused-1" }, 6);
  assert.equal(outcome.outcome, "failed", "never 'submitted' for an answer nobody stored");
  assert.equal(outcome.delivery, "failed");
  assert.equal(outcome.status, 422);
  assert.equal(outcome.error, "injected fault", "the receiver's own error text");
  await until(async () => (await page.evaluate(() => window.events)).length === 1, 5000, "the failed event");
  const [failed] = await page.evaluate(() => window.events);
  assert.deepEqual(failed, { id: outcome.id, status: 422, reason: "rejected", error: "injected fault" });
  const warnings = page.warnings.filter((w) => w.includes(outcome.id));
  assert.equal(warnings.length, 1, "one console line");
  assert.match(warnings[0], /HTTP 422: injected fault/);
  assert.equal((await rowsFor(outcome.id)).length, 0);
  await page.context().close();
});

test("a failing receiver that will recover: ask() says queued, and the row arrives", async () => {
  await receiver.faults([{ status: 503 }]);
  const page = await open("/contract-queued.html");
  const outcome = await answer(page, { conversationId: "queued-1" }, 5);
  assert.equal(outcome.outcome, "submitted");
  assert.equal(outcome.delivery, "queued");
  await until(async () => (await rowsFor(outcome.id)).length === 1, 10_000, "the retried row");
  await page.context().close();
});
