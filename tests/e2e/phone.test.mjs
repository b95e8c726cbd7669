// A phone on a host page a little wider than its screen (420 px of content
// on a 390 x 844 screen, deviceScaleFactor 3, touch), scrolled down, whose
// own CSS gives <body> a transform, a filter, `will-change: transform` or
// `contain: paint`. Each of these makes <body> the containing block of its
// position:fixed descendants, so a "floating" prompt appended to <body> is
// laid out inside the page instead of the screen: scrolled away out of
// sight (and, under the transform, shrunk below 44 px targets).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startReceiver, launch, prompt } from "./harness.mjs";

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); });
after(async () => { await browser?.close(); await receiver?.stop(); });

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

const HOSTS = {
  "no host CSS (the control)": "",
  "body { transform: scale(0.9) }": "body { transform: scale(0.9); transform-origin: 0 0 }",
  "body { filter: ... }": "body { filter: saturate(1.1) }",
  "body { will-change: transform }": "body { will-change: transform }",
  "body { contain: paint }": "body { contain: paint }",
  // Right to left (an outsider's find): Chromium lays out position:fixed
  // in a layout viewport as wide as the page (420 px), whose left edge is
  // then 30 px left of the screen, while visualViewport.offsetLeft says 0.
  // A prompt placed at `left: 8px` had its close button off screen.
  "an Arabic page, dir=rtl": { css: "", lang: "ar", dir: "rtl" },
  "an English prompt on a dir=rtl page": { css: "", lang: "en", dir: "rtl" },
};

for (const [name, host] of Object.entries(HOSTS)) {
  const { css, lang, dir } = typeof host === "string" ? { css: host, lang: "en", dir: "ltr" } : host;
  test(`a phone, a 420 px page scrolled down, ${name}: the floating prompt is on screen, every target at least 44 px, Submit tappable`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const html = `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<script src="/dist/feedback.js" data-endpoint="/collect" data-company="Acme"></script>` +
      `<style>${css} .wide { width: 420px; height: 3000px; background: #ddd }</style></head><body><div class="wide">host content</div></body></html>`;
    await page.route(receiver.url + "/phone.html", (r) => r.fulfill({ status: 200, contentType: "text/html", body: html }));
    await page.goto(receiver.url + "/phone.html");
    await page.evaluate(() => Feedback.ready);
    await page.evaluate(() => window.scrollTo(0, 1200));
    const asked = page.evaluate(() => Feedback.ask({ conversationId: "c-phone", waitSeconds: 5 }));
    const panel = prompt(page);
    await panel.getByRole("radio").first().waitFor({ state: "attached" });
    await page.waitForTimeout(600); // past the entrance animation
    const seen = await page.evaluate(() => {
      const root = document.querySelector("feedback-prompt").shadowRoot;
      const box = (el) => { const b = el.getBoundingClientRect(); return { left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width, height: b.height }; };
      const targets = [...root.querySelectorAll("button, input[type=radio], textarea")].map((el) => ({ what: el.className || el.type, ...box(el) }));
      return { panel: box(document.querySelector("feedback-prompt")), targets, vw: visualViewport.width, vh: visualViewport.height };
    });
    const p = seen.panel;
    assert.ok(p.top >= 0 && p.left >= 0 && p.bottom <= seen.vh && p.right <= seen.vw,
      `the prompt is at ${Math.round(p.left)},${Math.round(p.top)} to ${Math.round(p.right)},${Math.round(p.bottom)} on a ${seen.vw} x ${seen.vh} screen`);
    const off = seen.targets.filter((t) => t.left < 0 || t.right > seen.vw).map((t) => `${t.what} ${Math.round(t.left)}..${Math.round(t.right)}`);
    assert.deepEqual(off, [], "targets off the screen");
    const small = seen.targets.filter((t) => t.what !== "fb-comment" && (t.width < 44 || t.height < 44)).map((t) => `${t.what} ${t.width.toFixed(1)} x ${t.height.toFixed(1)}`);
    assert.deepEqual(small, [], "targets under 44 px");
    await panel.getByRole("radio").nth(5).tap({ timeout: 5000 });
    await panel.locator(".fb-submit").tap({ timeout: 5000 });
    assert.equal((await asked).outcome, "submitted");
    await context.close();
  });
}

// The seven scores stay in one row, 1 to 7 under "Strongly disagree ...
// Strongly agree", wherever seven 44 px targets fit; they wrap (1-4, 5-7)
// only on a scale narrower than that. (An outsider found 360 and 375 px
// phones, the commonest widths, wrapping with room to spare.)
test("phones from 320 to 430 px wide: the scale wraps only where seven 44 px scores do not fit in a row", { timeout: 60_000 }, async () => {
  const { context, page } = await askOnPhone({ width: 360, height: 740 }, "Acme", "c-widths");
  const wrong = await scaleRows(page, "feedback-prompt", [320, 340, 360, 375, 390, 412, 430], (width) => page.setViewportSize({ width, height: 740 }));
  assert.deepEqual(wrong, []);
  await context.close();
});

test("an inline slot from 300 to 400 px wide on a desktop page: the same rule", { timeout: 60_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(receiver.url + "/tests/e2e/pages/embed.html?endpoint=/collect");
  await page.evaluate(() => Feedback.ready);
  page.evaluate(() => Feedback.mount("#slot", { conversationId: "c-slot-widths" })).catch(() => {});
  await page.locator("#slot feedback-prompt").waitFor({ state: "attached" });
  await prompt(page).getByRole("radio").first().waitFor({ state: "attached" });
  const wrong = await scaleRows(page, "#slot feedback-prompt", [300, 330, 345, 360, 400],
    (width) => page.evaluate((w) => { document.getElementById("slot").style.width = w + "px"; }, width));
  assert.deepEqual(wrong, []);
  await page.close();
});

/** A phone of `viewport` on a plain page for `company`, asked for
 * `conversationId`, with the prompt's scale on the page. */
async function askOnPhone(viewport, company, conversationId) {
  const context = await browser.newContext({ ...PHONE, viewport });
  const page = await context.newPage();
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<script src="/dist/feedback.js" data-endpoint="/collect" data-company="${company}"></script></head><body><p>host content</p></body></html>`;
  const path = `/${conversationId}.html`;
  await page.route(receiver.url + path, (r) => r.fulfill({ status: 200, contentType: "text/html", body: html }));
  await page.goto(receiver.url + path);
  await page.evaluate(() => Feedback.ready);
  page.evaluate((id) => Feedback.ask({ conversationId: id, waitSeconds: 5 }), conversationId).catch(() => {});
  await prompt(page).getByRole("radio").first().waitFor({ state: "attached" });
  return { context, page };
}

/** For each width (set by `resize`): what is wrong with the scale's rows in `host`. */
async function scaleRows(page, host, widths, resize) {
  const wrong = [];
  for (const width of widths) {
    await resize(width);
    await page.waitForTimeout(100);
    const seen = await page.evaluate((host) => {
      const root = document.querySelector(host).shadowRoot;
      const scores = [...root.querySelectorAll(".fb-option span")].map((s) => s.getBoundingClientRect());
      const gap = parseFloat(getComputedStyle(root.querySelector(".fb-options")).columnGap) || 0;
      return { room: root.querySelector(".fb-options").clientWidth, gap, rows: new Set(scores.map((b) => Math.round(b.top))).size, narrowest: Math.min(...scores.map((b) => b.width)) };
    }, host);
    const fits = seen.room >= 7 * 44 + 6 * Math.min(seen.gap, 2);
    if (seen.narrowest < 44 || seen.rows !== (fits ? 1 : 2)) wrong.push(`${width} px: ${seen.rows} rows, ${seen.room} px of room, scores ${seen.narrowest.toFixed(1)} px`);
  }
  return wrong;
}

// A company name that is one long word (a German compound) ran under the
// close button and out of the prompt on a 320 px phone (an outsider's find).
test("a company name of one 63-letter word on a 320 px phone: the title wraps inside the prompt, clear of the close button", { timeout: 60_000 }, async () => {
  const company = "Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauunterbeamtengesellschaft".slice(0, 63);
  const { context, page } = await askOnPhone({ width: 320, height: 640 }, company, "c-long-word");
  const seen = await page.evaluate(() => {
    const root = document.querySelector("feedback-prompt").shadowRoot;
    const title = root.querySelector(".fb-title"), close = root.querySelector(".fb-close").getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(title);
    const text = range.getBoundingClientRect();
    return { overflow: title.scrollWidth - title.clientWidth, textRight: text.right, closeLeft: close.left, vw: visualViewport.width };
  });
  assert.ok(seen.overflow <= 0 && seen.textRight <= seen.closeLeft && seen.textRight <= seen.vw, JSON.stringify(seen));
  await context.close();
});
