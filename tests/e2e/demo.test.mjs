// The demo as a showcase, tried as a newcomer on a phone would: it fits a
// 390 px screen without sideways scrolling; all the scenarios can be tried
// in one tab (New customer forgets the widget's memory through
// Feedback.reset()); it says which rule decided and why; the language
// picker changes the prompt's language; the phone preview shows the demo
// at phone size.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startReceiver, launch, prompt, ROOT } from "./harness.mjs";

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); });
after(async () => { await browser?.close(); await receiver?.stop(); });

const JA = JSON.parse(readFileSync(join(ROOT, "www/locales/ja.json"), "utf8"));

test("on a 390 px phone: no sideways scrolling; every scenario in one tab; the deciding rule shown; another language", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 });
  const page = await context.newPage();
  await page.goto(receiver.url + "/");
  await page.evaluate(() => Feedback.ready);
  const wide = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `the page is ${wide} px wider than the screen`);

  const end = async (scenario) => {
    await page.selectOption("#scenario", scenario);
    await page.tap("#end-chat");
  };
  // Smooth: the CES question; skip it.
  await end("smooth");
  await prompt(page).getByRole("radio").first().waitFor();
  await prompt(page).getByRole("button", { name: "No thanks" }).tap();
  await page.locator("#decision-reasons").getByText("smooth").waitFor();
  assert.match(await page.locator("#decision-action").textContent(), /effort/);
  // Hard, in the same tab: the session cap says no, and the panel says why.
  await page.locator("feedback-prompt").waitFor({ state: "detached" });
  await end("hard");
  await page.locator("#decision-reasons").getByText("session_cap").waitFor();
  // A new customer, then the hard conversation gets the vent box.
  await page.tap("#new-customer");
  await page.getByText("New customer").first().waitFor();
  await end("hard");
  await prompt(page).getByRole("textbox").waitFor();
  assert.equal(await prompt(page).getByRole("radio").count(), 0, "no score after a hard conversation");
  await prompt(page).getByRole("button", { name: "No thanks" }).tap();
  await page.locator("#decision-reasons").getByText("long_wait").waitFor();
  // Only words, in Cantonese, after another new customer: no score either.
  await page.locator("feedback-prompt").waitFor({ state: "detached" });
  await page.tap("#new-customer");
  await end("words");
  await prompt(page).getByRole("textbox").waitFor();
  assert.equal(await prompt(page).getByRole("radio").count(), 0);
  await prompt(page).getByRole("button", { name: "No thanks" }).tap();
  await page.locator("#decision-reasons").getByText("transcript_frustrated").waitFor();
  // Another language.
  await page.locator("feedback-prompt").waitFor({ state: "detached" });
  await page.tap("#new-customer");
  await page.selectOption("#language", "ja");
  await end("smooth");
  await prompt(page).getByText(JA.effortStatement.replace("{company}", "Acme")).waitFor();
  await page.screenshot({ path: join(ROOT, "target/screenshots/demo-phone-ja.png") });
  await context.close();
});

test("the phone preview shows the demo at phone size", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(receiver.url + "/");
  await page.click("#phone");
  const frame = page.frameLocator("#preview-frame");
  await frame.locator("#end-chat").waitFor();
  assert.equal(await frame.locator("#phone").isHidden(), true, "no preview inside the preview");
  const box = await page.locator("#preview-frame").boundingBox();
  assert.ok(box.width <= 420, JSON.stringify(box));
  await page.close();
});

test("the demo shows the notifications the receiver sends, as they arrive (a signed webhook to its own sink)", async () => {
  // A free port, so the webhook can name the receiver's own address.
  const { createServer } = await import("node:net");
  const port = await new Promise((ok) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => ok(p)); }); });
  const demo = await startReceiver({ port, args: ["--demo-sink", "--webhook", `http://127.0.0.1:${port}/_demo/sink`, "--webhook-secret", "demo-webhook-secret"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(demo.url + "/");
    await page.selectOption("#scenario", "smooth");
    await page.click("#end-chat");
    await prompt(page).getByRole("radio", { name: /^2(,|$)/ }).check();
    await prompt(page).getByRole("textbox").fill("Took three tries to find the invoice.");
    await prompt(page).getByRole("button", { name: "Submit" }).click();
    const row = page.locator("#sent-rows tr").filter({ hasText: "Took three tries" });
    await row.waitFor({ timeout: 15000 });
    assert.match(await row.textContent(), /webhook-[0-9a-f]{8}:.*yes.*response 2\/7/s);
    await page.close();
  } finally {
    await demo.stop();
  }
});

test("without --demo-sink the sink keeps nothing: a post is refused and the page's list stays empty", async () => {
  const r = await fetch(receiver.url + "/_demo/sink", { method: "POST", headers: { "content-type": "application/json" }, body: "{\"payload\":{}}" });
  assert.equal(r.status, 404);
  assert.deepEqual(await (await fetch(receiver.url + "/_demo/sink")).json(), []);
});
