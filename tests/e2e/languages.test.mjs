// Every language the widget has a pack for, in Chromium: chosen from the
// page's lang (and data-locale, the context, the browser's languages),
// fetched only then, rendered, screenshotted, right to left for Arabic,
// and checked with axe-core (WCAG 2.2 A/AA), also in forced-colors mode.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startReceiver, launch, servePage, prompt, ROOT } from "./harness.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SHOTS = join(ROOT, "target/screenshots");
const LOCALES = join(ROOT, "www/locales");
const PACKS = Object.fromEntries(readdirSync(LOCALES).filter((f) => f.endsWith(".json"))
  .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(LOCALES, f), "utf8"))]));

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); mkdirSync(SHOTS, { recursive: true }); });
after(async () => { await browser?.close(); await receiver?.stop(); });

async function open({ lang = "", attrs = "", locale = "en-US", forcedColors = "none" } = {}) {
  const context = await browser.newContext({ locale, reducedMotion: "reduce", forcedColors, viewport: { width: 480, height: 760 } });
  const page = await context.newPage();
  page.packs = [];
  page.on("request", (r) => { if (r.url().includes("/locales/")) page.packs.push(r.url().split("/locales/")[1]); });
  const path = `/languages-${Math.random().toString(36).slice(2)}.html`;
  await servePage(page, receiver.url + path, `<!doctype html><html${lang ? ` lang="${lang}"` : ""}><head><meta charset="utf-8">
    <title>Host</title><script src="/dist/feedback.js" data-endpoint="/collect" data-company="Acme" ${attrs}></script></head>
    <body><main><h1>Host</h1></main></body></html>`);
  await page.goto(receiver.url + path);
  return page;
}

async function axe(page, what) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] } }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), [], what);
}

for (const [tag, pack] of Object.entries(PACKS)) {
  test(`${tag}: the page's lang chooses the pack; its copy is shown, right to left where it should be; axe finds nothing`, async () => {
    const page = await open({ lang: tag });
    page.evaluate(() => Feedback.ask({})).catch(() => {});
    const panel = prompt(page);
    await panel.getByText(pack.effortStatement.replace("{company}", "Acme")).waitFor();
    await panel.getByText(pack.stronglyDisagree).first().waitFor();
    await panel.getByRole("button", { name: pack.submit }).waitFor();
    const dir = await panel.locator("section").getAttribute("dir");
    assert.equal(dir === "rtl", tag === "ar", `dir=${dir}`);
    assert.deepEqual(page.packs, [`${tag}.json`], "only this language's pack was fetched");
    await axe(page, tag);
    await page.screenshot({ path: join(SHOTS, `lang-${tag}.png`) });
    // The vent prompt's copy too.
    await panel.getByRole("button", { name: pack.noThanks }).click();
    await page.locator("feedback-prompt").waitFor({ state: "detached" });
    await page.evaluate(() => Feedback.reset());
    page.evaluate(() => Feedback.ask({ transfers: 3 })).catch(() => {});
    await panel.getByText(pack.ventTitle).waitFor();
    await axe(page, `${tag} vent`);
    await page.screenshot({ path: join(SHOTS, `lang-${tag}-vent.png`) });
    await page.context().close();
  });
}

test("English needs no pack; regional tags find theirs (zh-HK, pt-PT, es-MX); the browser's language counts after the page's", async () => {
  const en = await open({ lang: "en" });
  en.evaluate(() => Feedback.ask({})).catch(() => {});
  await prompt(en).getByText("Acme made it easy for me to handle my issue.").waitFor();
  assert.deepEqual(en.packs, []);
  await en.context().close();
  for (const [lang, tag] of [["zh-HK", "zh-Hant"], ["pt-PT", "pt-BR"], ["es-MX", "es"]]) {
    const page = await open({ lang });
    page.evaluate(() => Feedback.ask({})).catch(() => {});
    await prompt(page).getByText(PACKS[tag].effortStatement.replace("{company}", "Acme")).waitFor();
    await page.context().close();
  }
  const browserFr = await open({ locale: "fr-CA" });
  browserFr.evaluate(() => Feedback.ask({})).catch(() => {});
  await prompt(browserFr).getByText(PACKS.fr.effortStatement.replace("{company}", "Acme")).waitFor();
  await browserFr.context().close();
  const context = await open({ lang: "de" });
  context.evaluate(() => Feedback.ask({ locale: "ja" })).catch(() => {});
  await prompt(context).getByText(PACKS.ja.effortStatement.replace("{company}", "Acme")).waitFor();
  await context.context().close();
});

test("a pack that fails its integrity check leaves English, with a warning", async () => {
  const page = await open({ lang: "de" });
  const warnings = [];
  page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
  await page.route("**/locales/de.json", (route) => route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ ...PACKS.de, submit: "Absenden!!" }) }));
  page.evaluate(() => Feedback.ask({})).catch(() => {});
  await prompt(page).getByText("Acme made it easy for me to handle my issue.").waitFor();
  assert.ok(warnings.some((w) => w.includes("could not load the de copy")), warnings.join("\n"));
  await page.context().close();
});

test("forced-colors mode (Windows high contrast): the chosen score and the focus ring stay visible; axe finds nothing", async () => {
  const page = await open({ lang: "en", forcedColors: "active" });
  page.evaluate(() => Feedback.ask({})).catch(() => {});
  const panel = prompt(page);
  await panel.getByRole("radio", { name: /^3(,|$)/ }).check();
  const chosen = await panel.locator(".fb-option input:checked + span").evaluate((el) => getComputedStyle(el).backgroundColor);
  const other = await panel.locator(".fb-option input:not(:checked) + span").first().evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(chosen, other, "the chosen score looks different");
  await page.keyboard.press("Tab");
  await axe(page, "forced colors");
  await page.screenshot({ path: join(SHOTS, "forced-colors.png") });
  await page.context().close();
});
