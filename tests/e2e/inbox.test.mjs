// The team's inbox in a real browser: a hostile comment sent through the
// widget by a customer is stored verbatim and shown as inert text; sign-in,
// filters, "followed up" and the CSV export work with JavaScript off; the
// page passes axe; and a screenshot with demo data for people to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startReceiver, launch, newPage, until, prompt, ROOT, INBOX_PASSWORD } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = join(ROOT, "target/screenshots");
const HOSTILE = '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> ' +
  '<a href="javascript:window.__pwned = 3">click me</a> "quotes" & 好';

let receiver, browser;
before(async () => {
  receiver = await startReceiver({ args: ["--seed-demo"] });
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => { await browser?.close(); await receiver?.stop(); });

const score = (n) => new RegExp(`^${n}(,|$)`);

/** Signs in through the form as the first admin, after one wrong password
 * if `typo` (failed attempts are limited per client, so only one test does). */
async function signIn(context, { typo = false } = {}) {
  const page = await context.newPage();
  page.dialogs = 0;
  page.on("dialog", (d) => { page.dialogs++; d.dismiss(); });
  await page.goto(receiver.url + "/inbox");
  assert.match(page.url(), /\/login\?next=%2Finbox/, "signed-out visitors are sent to sign in");
  if (typo) {
    await page.getByLabel("Name").fill("admin");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That name and password do not match.").waitFor();
  }
  await page.getByLabel("Name").fill("admin");
  await page.getByLabel("Password").fill(INBOX_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/inbox(\?|$)/);
  return page;
}

test("a hostile comment sent through the widget is stored verbatim and shown inert in the inbox", async () => {
  const customer = await newPage(browser);
  await customer.goto(receiver.url + "/");
  await customer.click("#end-chat");
  const panel = prompt(customer);
  await panel.getByRole("radio", { name: score(2) }).check();
  await panel.getByRole("textbox").fill(HOSTILE);
  await panel.getByRole("checkbox").check();
  await panel.getByRole("button", { name: "Submit" }).click();
  await panel.getByText("Thank you").waitFor();
  const row = await until(async () => (await receiver.rows()).find((r) => r.payload.comment === HOSTILE), 8000, "the row");
  assert.equal(row.payload.followUp, true);
  assert.equal(row.payload.effort, 2);

  const context = await browser.newContext();
  const inbox = await signIn(context, { typo: true });
  const card = inbox.locator(".follow-ups .card").filter({ hasText: "click me" });
  await card.waitFor();
  assert.equal(await card.locator("blockquote").textContent(), HOSTILE, "shown exactly as written");
  assert.match(await card.locator(".clock").textContent(), /due in 4[78] h/);
  const dom = await inbox.evaluate(() => ({
    pwned: window.__pwned,
    // Only the inbox's own live-update script, from its own file; none from the comment.
    scripts: [...document.querySelectorAll("script")].filter((el) => el.getAttribute("src") !== "/inbox/live.js" || el.textContent).length,
    images: document.querySelectorAll("img").length,
    jsLinks: [...document.querySelectorAll("a")].filter((a) => /^\s*javascript:/i.test(a.getAttribute("href") || "")).length,
    handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
  }));
  assert.deepEqual(dom, { pwned: undefined, scripts: 0, images: 0, jsLinks: 0, handlers: 0 });
  await card.getByText("click me", { exact: false }).click();
  assert.equal(await inbox.evaluate(() => window.__pwned), undefined, "clicking the text does nothing");
  assert.equal(inbox.dialogs, 0);
  const listed = inbox.locator("table.list td.comment").filter({ hasText: "click me" });
  assert.equal(await listed.textContent(), HOSTILE, "verbatim in the list as well");

  // Followed up: the card leaves the top, the row says so.
  await card.getByRole("button", { name: "Mark followed up" }).click();
  await inbox.waitForURL(/\/inbox/);
  assert.equal(await inbox.locator(".follow-ups .card").filter({ hasText: "click me" }).count(), 0);
  assert.match(await inbox.locator("table.list tr").filter({ hasText: "click me" }).textContent(), /followed up \d{4}-\d\d-\d\d/);
  await context.close();
  await customer.context().close();
});

test("without JavaScript: sign in, filter, export the filter as CSV; the page passes axe", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  const inbox = await signIn(context);
  await inbox.getByLabel("Agent", { exact: true }).selectOption("agent-linus");
  await inbox.getByLabel("Score", { exact: true }).selectOption("low");
  await inbox.getByRole("button", { name: "Apply" }).click();
  await inbox.waitForURL(/agent=agent-linus/);
  assert.match(inbox.url(), /score=low/);
  const rows = await inbox.locator("table.list tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({ agent: tr.cells[1].textContent, score: Number(tr.cells[4].textContent) })));
  assert.ok(rows.length > 0, "Linus has hard conversations in the demo data");
  for (const r of rows) {
    assert.equal(r.agent, "agent-linus");
    assert.ok(r.score >= 1 && r.score <= 3, JSON.stringify(r));
  }

  const [download] = await Promise.all([inbox.waitForEvent("download"), inbox.getByRole("link", { name: "Export CSV" }).click()]);
  const csv = readFileSync(await download.path(), "utf8");
  const lines = csv.trimEnd().split("\r\n");
  assert.match(lines[0], /^\uFEFFreceived_at,id,kind,what,effort,comment/);
  assert.equal(lines.length - 1, rows.length, "the export holds the current filter");
  assert.ok(lines.slice(1).every((l) => l.includes('"agent-linus"')));

  const withJs = await browser.newContext();
  const page = await signIn(withJs);
  // Evaluated through the DevTools protocol, which the inbox's CSP (no
  // script at all) does not govern.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe?.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }));
  assert.ok(result, "axe ran");
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
  await withJs.close();
  await context.close();
});

test("screenshots: the inbox with demo data, light and dark (target/screenshots/inbox*.png)", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1300 }, colorScheme: "light" });
  const page = await signIn(context);
  assert.ok(await page.locator(".follow-ups .card").count() >= 3, "open follow-ups from the demo data");
  assert.match(await page.locator("#spared").textContent(), /Spared \d+/);
  await page.screenshot({ path: join(SHOTS, "inbox.png") });
  await context.close();
  const dark = await browser.newContext({ viewport: { width: 1280, height: 1300 }, colorScheme: "dark" });
  const night = await signIn(dark);
  const background = await night.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(21, 25, 30)", "the dark palette follows the system");
  await night.screenshot({ path: join(SHOTS, "inbox-dark.png") });
  await dark.close();
});

// On a 360 px phone the answers table kept all eight columns on screen: the
// comment column was 43 px wide (a 2,000-character answer a cell 15,000 px
// tall) and headers broke mid-word ("Agen t"). An outsider's try found it.
test("the inbox on a 360 px phone: the answers scroll sideways in their own box, headers stay whole words, a comment has room", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await signIn(context);
  const seen = await page.evaluate(() => {
    const lines = (el) => { const r = document.createRange(); r.selectNodeContents(el); return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; };
    const comments = [...document.querySelectorAll("td.comment")].filter((td) => td.textContent.trim());
    return {
      pageWidth: document.documentElement.scrollWidth,
      // (A header may wrap between words, "Easy (5-7)", never inside one.)
      broken: [...document.querySelectorAll("thead th")].filter((th) => lines(th) > th.textContent.trim().split(/\s+/).length).map((th) => th.textContent),
      narrowest: Math.min(...comments.map((td) => td.getBoundingClientRect().width)),
      scrolls: (() => { const box = document.querySelector(".scroll"); return box.scrollWidth > box.clientWidth; })(),
    };
  });
  assert.ok(seen.pageWidth <= 360, `the page is ${seen.pageWidth} px wide on a 360 px screen`);
  assert.deepEqual(seen.broken, [], "headers broken over lines");
  assert.ok(seen.narrowest >= 200, `the narrowest comment cell is ${seen.narrowest} px`);
  assert.ok(seen.scrolls, "the table scrolls sideways in its box");
  await context.close();
});
