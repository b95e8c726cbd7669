// Re-read (reread11): the comment box's cut (`fit` in src/ui/prompt.rs) ran
// on `input` events only, and those are skipped while an IME composes; the
// text an IME commits arrives through `compositionend`, which sent the box's
// value to the state uncut. With `maxlength` gone, a customer typing Chinese
// into a nearly full box saw 2,002 characters while the counter said
// 2000/2000 and the payload dropped the rest. `compositionend` cuts too now.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startReceiver, launch, prompt } from "./harness.mjs";

let receiver, browser;
before(async () => {
  receiver = await startReceiver();
  browser = await launch();
});
after(async () => { await browser?.close(); await receiver?.stop(); });

const T = { timeout: 60_000 };
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
  `<script src="/dist/feedback.js" data-endpoint="/collect" data-company="Acme"></script></head><body></body></html>`;

test("text an IME commits into a nearly full comment box is cut to 2,000 characters too", T, async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.route(receiver.url + "/ime.html", (r) => r.fulfill({ status: 200, contentType: "text/html", body: PAGE }));
  await page.goto(receiver.url + "/ime.html");
  await page.evaluate(() => Feedback.ready);
  const asked = page.evaluate(() => Feedback.ask({ conversationId: "c-ime-2000", agentId: "agent-ada", waitSeconds: 5 }));
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^2(,|$)/ }).check();
  const box = panel.getByRole("textbox");
  await box.fill("好".repeat(1998));
  await box.press("End");
  // An IME composes "你好世界" and commits it (what a pinyin keyboard does).
  const cdp = await context.newCDPSession(page);
  await cdp.send("Input.imeSetComposition", { text: "你好世界", selectionStart: 4, selectionEnd: 4 });
  await cdp.send("Input.insertText", { text: "你好世界" });
  await page.waitForTimeout(200);
  const typed = await box.inputValue();
  const counter = await panel.locator(".fb-count").textContent();
  await panel.getByRole("button", { name: "Submit" }).click();
  const outcome = await asked;
  const row = (await receiver.rows()).find((r) => r.payload.id === outcome.id);
  assert.equal(counter, "2000/2000", "the counter at the limit");
  // What the customer sees in the box is what is sent.
  assert.equal([...typed].length, 2000, `the box shows ${[...typed].length} characters, the counter ${counter}`);
  assert.equal(row.payload.comment, typed, "the comment sent is the box's text");
  await context.close();
});
