// Every phone and every host page: the prompt on a host page that is wider
// than the screen (as many real pages are on phones), on phones, a tablet,
// a desktop at 200% and 400% zoom, and a landscape phone, in Chromium's
// device emulation. Each asserts that all seven scores and Submit are
// inside the visual viewport (what the customer can see) and answerable by
// touch, and that with the on-screen keyboard up (simulated by shrinking
// the viewport) the comment box and Submit stay visible. Screenshots go to
// target/screenshots/reach-*.png. Also: Feedback.reset() lets one tab try
// every scenario again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startReceiver, launch, servePage, until, prompt, ROOT } from "./harness.mjs";

const SHOTS = join(ROOT, "target/screenshots");
let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await browser?.close(); await receiver?.stop(); });

const DEVICES = [
  { name: "phone-320", viewport: { width: 320, height: 568 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  { name: "phone-375x667", viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  { name: "phone-412x915", viewport: { width: 412, height: 915 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true },
  { name: "tablet", viewport: { width: 820, height: 1180 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  // A 1280x800 desktop at 200% and 400% zoom: the page sees 640x400 and 320x200 CSS pixels.
  { name: "desktop-200", viewport: { width: 640, height: 400 }, deviceScaleFactor: 2, isMobile: false, hasTouch: false },
  { name: "desktop-400", viewport: { width: 320, height: 200 }, deviceScaleFactor: 4, isMobile: false, hasTouch: false },
  { name: "landscape", viewport: { width: 844, height: 390 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
];

// A host page a little wider than the screen: a 700 px banner.
const WIDE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1"><title>Wide host</title>
  <script src="/dist/feedback.js" data-endpoint="/collect" data-company="Acme"></script></head>
  <body style="margin:0;font:16px sans-serif"><div style="width:700px;height:1600px;background:linear-gradient(90deg,#eef,#99c)">
  <h1 style="margin:0;padding:12px">A host page wider than the phone</h1></div></body></html>`;

async function open(device, path) {
  const { name, ...options } = device;
  const context = await browser.newContext({ ...options, reducedMotion: "reduce" });
  const page = await context.newPage();
  await servePage(page, receiver.url + path, WIDE);
  await page.goto(receiver.url + path);
  await page.evaluate(() => Feedback.ready);
  return page;
}

/** Whether the element's box lies inside the visual viewport (1 px slack). */
function inside(page, locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const v = window.visualViewport;
    const box = { left: v.offsetLeft, top: v.offsetTop, right: v.offsetLeft + v.width, bottom: v.offsetTop + v.height };
    return r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1
      ? true
      : JSON.stringify({ el: [r.left, r.top, r.right, r.bottom], viewport: box });
  });
}

/** Whether the element is on top at the middle of its first line (not covered). */
function uncovered(locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = el.getRootNode().elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 14));
    return hit === el || el.contains(hit);
  });
}

for (const device of DEVICES) {
  test(`${device.name}: every score and Submit inside what the customer sees, on a host page wider than the screen`, async () => {
    const page = await open(device, `/reach-${device.name}.html`);
    // The page is scrolled sideways a little, as a customer would have done.
    await page.evaluate(() => window.scrollTo(60, 0));
    const outcome = page.evaluate(() => Feedback.ask({ conversationId: "reach" }));
    const panel = prompt(page);
    const submit = panel.getByRole("button", { name: "Submit" });
    await submit.waitFor();
    const radios = panel.locator(".fb-option span");
    assert.equal(await radios.count(), 7);
    for (let i = 0; i < 7; i++) {
      const score = radios.nth(i);
      await score.scrollIntoViewIfNeeded();
      assert.equal(await inside(page, score), true, `score ${i + 1}`);
      const box = await score.boundingBox();
      assert.ok(box.width >= 44 - 0.5 && box.height >= 44 - 0.5, `score ${i + 1} is a 44 px target: ${JSON.stringify(box)}`);
    }
    await submit.scrollIntoViewIfNeeded();
    assert.equal(await inside(page, submit), true, "Submit");
    await page.screenshot({ path: join(SHOTS, `reach-${device.name}.png`) });

    // Answer by touch (or click, without a touch screen).
    const five = panel.getByRole("radio", { name: /^5(,|$)/ });
    if (device.hasTouch) await five.tap(); else await five.click();
    const box = panel.getByRole("textbox");
    await box.scrollIntoViewIfNeeded();
    await box.focus();
    // The on-screen keyboard takes about 40% of the height.
    const { width, height } = device.viewport;
    await page.setViewportSize({ width, height: Math.round(height * 0.6) });
    await until(() => inside(page, submit).then((ok) => ok === true), 3000, "Submit inside after the keyboard");
    await box.scrollIntoViewIfNeeded();
    assert.equal(await inside(page, box), true, "the comment box with the keyboard up");
    assert.ok(await uncovered(box), "the comment box is not covered by the buttons");
    assert.equal(await inside(page, submit), true, "Submit with the keyboard up");
    await page.screenshot({ path: join(SHOTS, `reach-${device.name}-keyboard.png`) });
    await box.fill("Fine on my phone.");
    if (device.hasTouch) await submit.tap(); else await submit.click();
    const result = await outcome;
    assert.equal(result.outcome, "submitted");
    await page.context().close();
  });
}

test("pinch-zoom: the prompt follows the visual viewport", async () => {
  const page = await open(DEVICES[1], "/reach-zoom.html");
  const cdp = await page.context().newCDPSession(page);
  page.evaluate(() => Feedback.ask({})).catch(() => {});
  const submit = prompt(page).getByRole("button", { name: "Submit" });
  await submit.waitFor();
  await cdp.send("Emulation.setPageScaleFactor", { pageScaleFactor: 1.5 });
  await until(() => page.evaluate(() => window.visualViewport.scale > 1.4), 3000, "zoomed");
  await page.evaluate(() => window.visualViewport && window.scrollTo(200, 0));
  await until(() => inside(page, prompt(page).locator(".fb-title")).then((ok) => ok === true), 3000, "the title inside after zooming");
  await page.screenshot({ path: join(SHOTS, "reach-zoomed.png") });
  await page.context().close();
});

test("Feedback.reset(): one tab can be a new customer again (the session cap and the 14-day quiet period are forgotten), and nothing queued is lost", async () => {
  const page = await open(DEVICES[4], "/reach-reset.html");
  const first = page.evaluate(() => Feedback.ask({ conversationId: "r-1" }));
  await prompt(page).getByRole("radio", { name: /^6(,|$)/ }).check();
  await prompt(page).getByRole("button", { name: "Submit" }).click();
  assert.equal((await first).outcome, "submitted");
  await page.locator("feedback-prompt").waitFor({ state: "detached" });
  const capped = await page.evaluate(() => Feedback.ask({ conversationId: "r-2" }));
  assert.equal(capped.action, "silent");
  assert.ok(capped.reasons.includes("session_cap") || capped.reasons.includes("recently_answered"), capped.reasons.join());
  await page.evaluate(() => Feedback.reset());
  const again = page.evaluate(() => Feedback.ask({ conversationId: "r-3" }));
  await prompt(page).getByRole("button", { name: "No thanks" }).click();
  const result = await again;
  assert.equal(result.action, "effort", "asked again after reset");
  const rows = await until(async () => {
    const all = await receiver.rows();
    const mine = all.filter((r) => ["r-1", "r-2", "r-3"].includes(r.payload.conversationId));
    return mine.length === 3 && mine;
  }, 8000, "three rows");
  assert.deepEqual(rows.map((r) => r.payload.kind).sort(), ["dismissed", "response", "suppressed"]);
  await page.context().close();
});
