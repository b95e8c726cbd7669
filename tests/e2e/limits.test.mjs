// An outsider's answers at the widget's limits, through the whole chain:
// the comment box takes the 2,000 characters its counter promises, emoji
// included, and the inbox stays inside a phone's 390 px screen, with the
// demo data and with ids and a comment at the payload's limits.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startReceiver, launch, prompt, INBOX_PASSWORD } from "./harness.mjs";

let receiver, browser;
before(async () => {
  receiver = await startReceiver({ args: ["--seed-demo"] });
  browser = await launch();
});
after(async () => { await browser?.close(); await receiver?.stop(); });

const T = { timeout: 60_000 };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<script src="/dist/feedback.js" data-endpoint="/collect" data-company="Acme"></script></head><body></body></html>`;

/** The longest text of `unit`s whose UTF-8 fits `bytes`. */
function fit(unit, bytes) {
  let s = "";
  while (Buffer.byteLength(s + unit) <= bytes) s += unit;
  return s;
}

/** A customer's page on the receiver's origin, the widget loaded. */
async function customerPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.route(receiver.url + "/limits.html", (r) => r.fulfill({ status: 200, contentType: "text/html", body: PAGE }));
  await page.goto(receiver.url + "/limits.html");
  await page.evaluate(() => Feedback.ready);
  return { context, page };
}

async function signIn(options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(receiver.url + "/login");
  await page.getByLabel("Name").fill("admin");
  await page.getByLabel("Password").fill(INBOX_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/inbox(\?|$)/);
  return { context, page };
}

/** The elements of the page whose box goes past the right edge of the screen. */
function pastTheEdge(page, selector = "body *") {
  return page.evaluate((selector) => {
    const vw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll(selector)]
      // (The answers table scrolls sideways in its own box, `.scroll`,
      // which itself stays inside the screen.)
      .filter((el) => el.getBoundingClientRect().right > vw + 1 && !el.closest("[hidden]") && !el.parentElement.closest(".scroll"))
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} (right edge at ${Math.round(el.getBoundingClientRect().right)} px)`);
    return { screen: vw, page: document.documentElement.scrollWidth, wide: [...new Set(wide)].slice(0, 8) };
  }, selector);
}

test("the comment box takes the 2,000 characters its counter promises, emoji included", T, async () => {
  const { context, page } = await customerPage();
  const comment = "🙂".repeat(2000); // 2,000 characters (4,000 UTF-16 code units)
  const asked = page.evaluate(() => Feedback.ask({ conversationId: "c-emoji-2000", agentId: "agent-ada", waitSeconds: 5 }));
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^2(,|$)/ }).check();
  await panel.getByRole("textbox").fill(comment);
  // One more character at the end does not go in.
  await panel.getByRole("textbox").press("End");
  await panel.getByRole("textbox").pressSequentially("x");
  const typed = await panel.getByRole("textbox").inputValue();
  const counter = await panel.locator(".fb-count").textContent();
  await panel.getByRole("button", { name: "Submit" }).click();
  const outcome = await asked;
  assert.equal(outcome.outcome, "submitted");
  const row = (await receiver.rows()).find((r) => r.payload.id === outcome.id);
  // The counter and the payload's limit count characters; the box must not
  // stop the customer earlier (textarea maxlength counts UTF-16 code units:
  // it stops at 1,000 emoji while the counter says 1000/2000).
  assert.equal(counter, "2000/2000", "the counter at the limit");
  assert.equal([...typed].length, 2000, `the box took ${[...typed].length} of the 2,000 characters`);
  assert.equal(row.payload.comment, comment, "the whole comment arrived");
  await context.close();
});

test("a paste into the middle of a nearly full comment box loses the end of the paste, not the end of the comment", T, async () => {
  const { context, page } = await customerPage();
  // 1,995 characters, then ten emoji pasted after "Start. ": five go in,
  // as `maxlength` would keep them (counted in characters, not UTF-16
  // units), and the customer's last words stay.
  const written = "Start. " + "m".repeat(1995 - 7 - 9) + " The end.";
  const asked = page.evaluate(() => Feedback.ask({ conversationId: "c-paste-middle", agentId: "agent-ada", waitSeconds: 5 }));
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^2(,|$)/ }).check();
  const box = panel.getByRole("textbox");
  await box.fill(written);
  await box.evaluate((el) => el.setSelectionRange(7, 7));
  await page.keyboard.insertText("🙂".repeat(10));
  const typed = await box.inputValue();
  const caret = await box.evaluate((el) => el.selectionStart);
  const counter = await panel.locator(".fb-count").textContent();
  // Typing on goes where the caret is: after what went in.
  await page.keyboard.insertText("x");
  assert.equal(await box.inputValue(), typed, "a full box takes nothing more");
  await panel.getByRole("button", { name: "Submit" }).click();
  const outcome = await asked;
  const row = (await receiver.rows()).find((r) => r.payload.id === outcome.id);
  const want = "Start. " + "🙂".repeat(5) + written.slice(7);
  assert.equal(counter, "2000/2000", "the counter at the limit");
  assert.equal(typed, want, `the box kept ${JSON.stringify(typed.slice(0, 20))}…${JSON.stringify(typed.slice(-12))}`);
  assert.equal(caret, 7 + 10, "the caret after the five emoji (ten UTF-16 units)");
  assert.equal(row.payload.comment, want, "the comment sent is the box's text");
  await context.close();
});

test("the inbox at 390 px (a phone) with the demo data: nothing wider than the screen", T, async () => {
  const { context, page } = await signIn(PHONE);
  const seen = await pastTheEdge(page);
  assert.deepEqual(seen.wide, [], `the page is ${seen.page} px wide on a ${seen.screen} px screen`);
  assert.equal(seen.page, seen.screen, "no sideways scrolling");
  await context.close();
});

test("the inbox at 390 px with an answer at the payload's limits: its ids and words wrap inside the screen", T, async () => {
  // What the widget lets a host page post: 256-byte ids without a space or
  // a hyphen (an e-mail address as the agent id, a ticket key), a 64-byte
  // channel, and words in Cantonese, Hebrew and emoji.
  const { context: customer, page } = await customerPage();
  const ctx = {
    conversationId: fit("ticket_0123456789", 256), agentId: fit("ada.lovelace@example.com.", 256), channel: fit("台語", 64), waitSeconds: 5,
  };
  const asked = page.evaluate((c) => Feedback.ask(c), ctx);
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^2(,|$)/ }).check();
  const words = [...("我哋講廣東話，佢話唔該晒 שלום עליכם 👨‍👩‍👧‍👦 ").repeat(80)].slice(0, 1500).join("");
  await panel.getByRole("textbox").fill(words);
  await panel.getByRole("checkbox").check();
  await panel.getByRole("button", { name: "Submit" }).click();
  const outcome = await asked;
  assert.equal(outcome.delivery, "delivered");
  await customer.close();

  const { context, page: inbox } = await signIn(PHONE);
  await inbox.goto(receiver.url + "/inbox?kind=all");
  const card = inbox.locator(".follow-ups .card").filter({ hasText: "廣東話" });
  await card.waitFor();
  assert.equal(await card.locator("blockquote").textContent(), words.trim(), "the words shown whole");
  // Only what this answer brings (the follow-up card, the filters' options);
  // the sections' own width is the previous test's.
  const seen = await pastTheEdge(inbox, ".filters, .filters *, .follow-ups .card, .follow-ups .card *");
  assert.deepEqual(seen.wide, [], `the page is ${seen.page} px wide on a ${seen.screen} px screen`);
  await context.close();
});

test("a comment with a NUL: the receiver refuses it as the README's limits say, or the JSON and the CSV agree", T, async () => {
  // README, the payload's limits: comment "no NUL". An outsider found the
  // receiver answering 201, storing U+FFFD in the columns (the inbox, the
  // CSV) and keeping the NUL in the stored body (/responses, webhooks): two
  // exports of one answer differed. Now the body holds U+FFFD too.
  const body = JSON.stringify({ id: "nul-1", kind: "response", action: "vent", comment: "before\u0000after", createdAt: new Date().toISOString() });
  const posted = await fetch(receiver.url + "/collect", { method: "POST", headers: { "content-type": "application/json" }, body });
  if (posted.status === 400) return;
  assert.equal(posted.status, 201);
  const row = (await receiver.rows()).find((r) => r.payload.id === "nul-1");
  const { context, page } = await signIn();
  const csv = await page.evaluate(async () => (await fetch("/inbox/export.csv?kind=all")).text());
  await context.close();
  const line = csv.split("\r\n").find((l) => l.includes('"nul-1"'));
  assert.ok(line, "the answer is in the CSV");
  const shown = line.match(/"(before.after)"/u)[1];
  assert.equal(row.payload.comment, shown, "/responses and the CSV give the same comment");
});
