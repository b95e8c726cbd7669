// The context-adaptive policy, end to end in the demo: a hard conversation
// gets the vent box, a smooth one the CES prompt, a cancellation nothing,
// and every suppression is stored with its reasons.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startReceiver, launch, newPage, servePage, until, prompt } from "./harness.mjs";

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); });
after(async () => { await browser?.close(); await receiver?.stop(); });

/** Ends the demo chat as `scenario`; resolves with the posted payload. */
async function endChat(page, scenario) {
  await page.selectOption("#scenario", scenario);
  const posted = page.waitForRequest((r) => r.url().endsWith("/collect"));
  await page.click("#end-chat");
  return posted;
}

async function storedRow(id) {
  return until(async () => (await receiver.rows()).find((r) => r.payload.id === id), 5000, `row ${id}`);
}

test("a frustrating conversation gets a gentle vent box, never a score", async () => {
  const page = await newPage(browser);
  await page.goto(receiver.url + "/");
  await page.selectOption("#scenario", "hard");
  await page.click("#end-chat");
  const panel = prompt(page);
  await panel.getByText("Anything you want to tell us?").waitFor();
  assert.equal(await panel.getByRole("radio").count(), 0, "no score question");
  const posted = page.waitForRequest((r) => r.url().endsWith("/collect"));
  await panel.getByLabel("Your message").fill("Three transfers and nobody could help.");
  await panel.getByRole("button", { name: "Submit" }).click();
  const sent = JSON.parse((await posted).postData());
  const row = await storedRow(sent.id);
  assert.equal(row.payload.kind, "response");
  assert.equal(row.payload.action, "vent");
  assert.equal(row.payload.effort, null);
  assert.equal(row.payload.comment, "Three transfers and nobody could help.");
  assert.deepEqual(row.payload.reasons, ["long_wait", "long_conversation", "many_transfers", "repeat_contact", "unresolved", "negative_sentiment", "transcript_frustrated", "transcript_waited"]);
  await page.close();
});

test("a smooth conversation gets the CES prompt; the next one in the session is spared and reported", async () => {
  const page = await newPage(browser);
  await page.goto(receiver.url + "/");
  await page.selectOption("#scenario", "smooth");
  await page.click("#end-chat");
  const panel = prompt(page);
  await panel.getByRole("radio").first().waitFor();
  assert.equal(await panel.getByRole("radio").count(), 7);
  await panel.getByRole("button", { name: "No thanks" }).click();
  await panel.waitFor({ state: "detached" });

  // A second conversation in the same session: nothing shown, one suppressed row.
  const sent = JSON.parse((await endChat(page, "smooth")).postData());
  assert.equal(sent.kind, "suppressed");
  const row = await storedRow(sent.id);
  assert.deepEqual(row.payload.reasons, ["session_cap", "recently_dismissed", "smooth"]);
  assert.equal(await prompt(page).count(), 0);
  await page.locator("#status", { hasText: "suppressed" }).waitFor();
  await page.close();
});

test("a cancellation shows nothing and the receiver stores the suppressed row with its reason", async () => {
  const page = await newPage(browser);
  await page.goto(receiver.url + "/");
  const sent = JSON.parse((await endChat(page, "cancel")).postData());
  assert.equal(sent.kind, "suppressed");
  assert.equal(sent.action, "silent");
  const row = await storedRow(sent.id);
  assert.deepEqual(row.payload.reasons, ["cancelled", "transcript_cancel_intent"]);
  assert.equal(row.payload.effort, null);
  assert.equal(row.payload.comment, null);
  await page.locator("#status", { hasText: "suppressed" }).waitFor();
  assert.match(await page.locator("#decision-action").textContent(), /silent/);
  assert.deepEqual(await page.locator("#decision-reasons code").allTextContents(), ["cancelled", "transcript_cancel_intent"]);
  assert.equal(await prompt(page).count(), 0, "nothing was shown");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("data-report-suppressed=false keeps suppressions local; data-* rules apply", async () => {
  const page = await newPage(browser);
  let posts = 0;
  page.on("request", (r) => { if (r.url().endsWith("/collect")) posts += 1; });
  const url = receiver.url + "/quiet.html";
  await servePage(page, url, `<!doctype html><html><head>
    <script src="/dist/feedback.js" data-endpoint="/collect" data-report-suppressed="false" data-sample-rate="0"></script>
    </head><body></body></html>`);
  await page.goto(url);
  const r1 = await page.evaluate(() => Feedback.ask({ outcome: "cancelled" }));
  const r2 = await page.evaluate(() => Feedback.ask({ conversationId: "sampled" }));
  assert.deepEqual([r1.outcome, r1.reasons, r1.id], ["suppressed", ["cancelled"], null], "no id: nothing was posted");
  assert.deepEqual([r2.outcome, r2.reasons, r2.id], ["suppressed", ["sampled_out", "smooth"], null]);
  await page.waitForTimeout(500);
  assert.equal(posts, 0);
  await page.close();
});

test("customers never asked (cancelled, sampled out, over the session's cap) leave nothing in localStorage; an answer does", async () => {
  const page = await newPage(browser);
  const url = receiver.url + "/kept.html";
  await servePage(page, url, `<!doctype html><html><head>
    <script src="/dist/feedback.js" data-endpoint="/collect"></script></head><body></body></html>`);
  await page.goto(url);
  const history = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("feedback:v1:history:")).length);
  for (let i = 0; i < 5; i++) await page.evaluate((i) => Feedback.ask({ customerId: `gone-${i}`, outcome: "cancelled" }), i);
  await page.evaluate(() => Feedback.configure({ sampleRate: 0 }));
  for (let i = 0; i < 5; i++) await page.evaluate((i) => Feedback.ask({ customerId: `sampled-${i}` }), i);
  assert.equal(await history(), 0, "nothing kept for ten customers never asked");
  await page.evaluate(() => Feedback.configure({ sampleRate: 1 }));
  const asked = page.evaluate(() => Feedback.ask({ customerId: "asked" }));
  await prompt(page).getByRole("radio").nth(5).check();
  await prompt(page).getByRole("button", { name: "Submit" }).click();
  await asked;
  assert.equal(await history(), 1, "the customer who answered is remembered (the cooldown reads it)");
  for (let i = 0; i < 5; i++) await page.evaluate((i) => Feedback.ask({ customerId: `capped-${i}` }), i);
  assert.equal(await history(), 1, "nor anything for customers over the session's cap");
  await page.close();
});

test("a bad data-* rule is refused naming the attribute", async () => {
  const page = await newPage(browser);
  const url = receiver.url + "/badrule.html";
  await servePage(page, url, `<!doctype html><html><head>
    <script src="/dist/feedback.js" data-endpoint="/collect" data-sample-rate="half"></script></head><body></body></html>`);
  await page.goto(url);
  const message = await page.evaluate(() => Feedback.ready.then(() => "ok", (e) => e.message));
  assert.equal(message, 'data-sample-rate: expected a number from 0 to 1, got "half"');
  assert.equal(page.errors.length, 1);
  await page.close();
});

test("the transcript alone: a customer who writes that it is the third contact and still unsolved gets no score question", async () => {
  for (const words of ["这已经是我第三次联系你们了，还是没解决！", "This is the third time I've contacted you and it's still not resolved!"]) {
    const page = await newPage(browser);
    await page.goto(receiver.url + "/");
    await page.selectOption("#scenario", "smooth");
    await page.fill("#message", words);
    await page.press("#message", "Enter");
    await page.click("#end-chat");
    const panel = prompt(page);
    await panel.getByText("Anything you want to tell us?").waitFor();
    assert.equal(await panel.getByRole("radio").count(), 0, words);
    const posted = page.waitForRequest((r) => r.url().endsWith("/collect"));
    await panel.getByRole("button", { name: "No thanks" }).click();
    const sent = JSON.parse((await posted).postData());
    assert.equal(sent.action, "vent");
    // Frustrated for certain (a third contact); whether the wait counts
    // too is the reader's call on the whole chat.
    assert.ok(sent.reasons.includes("transcript_frustrated"), JSON.stringify(sent.reasons));
    assert.ok(sent.reasons.every((r) => r.startsWith("transcript_")), JSON.stringify(sent.reasons));
    assert.ok(!JSON.stringify(sent).includes(words), "the transcript itself is never posted");
    await page.close();
  }
});
