// The comment box's limit of 2,000 characters (what its counter and the
// payload count; `maxlength` counts UTF-16 code units), from a customer's
// keyboard, clipboard and IME. Two re-reads found what these check:
//
// Re-read (reread-s12) of the comment box's limit after `fit_edit`
// (eb59092): a paste into the middle of a nearly full box loses the end of
// the paste, not the customer's last words, and the counter, the box and
// the payload agree. But the cut was made by setting the box's `value` from
// script, which the browser's undo history does not know about: after the
// box had cut an edit, Ctrl+Z no longer took that edit back (it did
// nothing), and a redo (Ctrl+Y / Ctrl+Shift+Z) replayed the paste over the
// cut text and dropped the customer's last words after all. `maxlength`,
// which the box imitates, cuts the edit before it goes in, and now so does
// the box (`cut_before` in src/ui/prompt.rs: `beforeinput`, then
// `execCommand('insertText')` with what fits), so undo and redo work.
//
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
// 1,995 characters: the customer's comment, with its last words at the end.
const WRITTEN = "Start. " + "m".repeat(1995 - 7 - 9) + " The end.";
const PASTE = "PASTED-0123456789"; // 17 characters: 5 go in

/** A customer's page with the prompt asked, a score chosen and WRITTEN in
 * the box, then PASTE pasted (Ctrl+V from the clipboard) after "Start. ". */
async function pastedIntoFullBox(id, pageScript = null) {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: receiver.url });
  const page = await context.newPage();
  await page.route(receiver.url + "/comment.html", (r) => r.fulfill({ status: 200, contentType: "text/html", body: PAGE }));
  await page.goto(receiver.url + "/comment.html");
  await page.evaluate(() => Feedback.ready);
  if (pageScript) await page.evaluate(pageScript);
  const asked = page.evaluate((id) => Feedback.ask({ conversationId: id, agentId: "agent-ada", waitSeconds: 5 }), id);
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^2(,|$)/ }).check();
  const box = panel.getByRole("textbox");
  await box.click();
  await page.keyboard.insertText(WRITTEN);
  await box.evaluate((el) => el.setSelectionRange(7, 7));
  await page.evaluate((text) => navigator.clipboard.writeText(text), PASTE);
  await page.keyboard.press("Control+V");
  await page.waitForTimeout(100);
  // What eb59092 fixed, and holds: the end of the paste went, not the end of the comment.
  assert.ok(await box.inputValue() === "Start. PASTE" + WRITTEN.slice(7), "the paste cut as maxlength would cut it");
  asked.catch(() => {}); // a failed check closes the page before it settles
  return { context, page, panel, box, asked };
}

async function send({ panel, box, asked }) {
  const shown = await box.inputValue();
  await panel.getByRole("button", { name: "Submit" }).click();
  const outcome = await asked;
  const row = (await receiver.rows()).find((r) => r.payload.id === outcome.id);
  assert.equal(row.payload.comment, shown, "the comment sent is the box's text");
}

test("Ctrl+Z after a paste the full comment box cut takes the paste back out, and Ctrl+Shift+Z puts it back as it was cut", T, async () => {
  const customer = await pastedIntoFullBox("c-undo-cut-paste");
  const { page, panel, box, context } = customer;
  // The customer sees the paste did not fit and takes it back.
  await page.keyboard.press("Control+Z");
  await page.waitForTimeout(100);
  const undone = await box.inputValue();
  const counter = await panel.locator(".fb-count").textContent();
  assert.ok(undone === WRITTEN, `Ctrl+Z left ${JSON.stringify(undone.slice(0, 16))}… (${[...undone].length} characters): the box's cut, set from script, is not in the undo history`);
  assert.equal(counter, "1995/2000");
  // Then thinks better of it.
  await page.keyboard.press("Control+Shift+Z");
  await page.waitForTimeout(100);
  assert.equal(await box.inputValue(), "Start. PASTE" + WRITTEN.slice(7), "the paste back as it was cut");
  assert.equal(await box.evaluate((el) => el.selectionEnd), 12, "the caret after the paste");
  assert.equal(await panel.locator(".fb-count").textContent(), "2000/2000");
  await send(customer);
  await context.close();
});

test("a page that replaced document.execCommand: a paste into a nearly full box still goes in, cut as maxlength would", T, async () => {
  // The box inserts what fits of a paste with execCommand('insertText');
  // where that does nothing (a page's own editor library replaced it, a
  // browser that refuses it), setRangeText puts it in instead.
  const customer = await pastedIntoFullBox("c-no-exec-command", () => { document.execCommand = () => false; });
  const { panel, context } = customer;
  assert.equal(await panel.locator(".fb-count").textContent(), "2000/2000");
  assert.equal(await customer.box.evaluate((el) => el.selectionEnd), 12, "the caret after the paste");
  await send(customer);
  await context.close();
});

test("undo twice then redo after a paste the full comment box cut keeps the customer's last words", T, async () => {
  const customer = await pastedIntoFullBox("c-redo-cut-paste");
  const { page, panel, box, context } = customer;
  // Where Ctrl+Z seemed to do nothing (a cut set from script), a customer
  // presses it again, then thinks better of it and redoes.
  await page.keyboard.press("Control+Z");
  await page.waitForTimeout(100);
  await page.keyboard.press("Control+Z");
  await page.waitForTimeout(100);
  await page.keyboard.press("Control+Shift+Z");
  await page.waitForTimeout(100);
  const redone = await box.inputValue();
  // Whatever undo and redo do, no edit of the customer's takes away the
  // end of what they wrote.
  assert.ok(redone.endsWith(" The end."), `after undo and redo the box ends ${JSON.stringify(redone.slice(-12))}: the redo replayed the whole paste over the cut text and the comment's end went`);
  assert.ok([...redone].length <= 2000);
  assert.equal(await panel.locator(".fb-count").textContent(), `${[...redone].length}/2000`);
  await send(customer);
  await context.close();
});

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
