// The npm package as a bundler consumes it: the tarball from
// `cargo xtask package` installed into a scratch project, bundled with
// esbuild, served, and answered in Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startReceiver, launch, newPage, until, prompt, ROOT } from "./harness.mjs";

const require = createRequire(import.meta.url);
let project, receiver, browser;

before(async () => {
  const tarball = readdirSync(join(ROOT, "dist")).find((f) => f.endsWith(".tgz"));
  assert.ok(tarball, "run `cargo xtask package` first (cargo xtask test does)");
  project = mkdtempSync(join(tmpdir(), "feedback-bundler-"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch-app", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", join(ROOT, "dist", tarball)], { cwd: project, stdio: "pipe" });
  writeFileSync(join(project, "app.js"), `
    import { init, ask, decide, configure, on } from "feedback-widget";
    // The transcript reader, its lexicons and the locale packs where this
    // app puts its assets (the packs' directory written without its
    // trailing slash, as an outsider did).
    const assets = (file) => new URL("/assets/" + file, location.href).href;
    init({ endpoint: "/collect", company: "Bundled Co", readerUrl: assets("feedback_reader.wasm"), lexiconUrl: assets("feedback_lexicons.txt"), localesUrl: assets("locales") });
    window.decide = decide;
    window.configure = configure;
    window.delivered = [];
    on("delivered", (d) => window.delivered.push(d.id));
    document.querySelector("#end").addEventListener("click", () => { window.asked = ask({ conversationId: "bundled" }); });
  `);
  const out = join(project, "out");
  mkdirSync(out);
  const esbuild = require("esbuild");
  await esbuild.build({ entryPoints: [join(project, "app.js")], bundle: true, format: "esm", outfile: join(out, "app.js"), absWorkingDir: project, logLevel: "error" });
  // esbuild does not copy files referenced with new URL(..., import.meta.url): the app ships them next to its bundle.
  for (const file of ["feedback_wasm.js", "feedback_wasm_bg.wasm"]) {
    copyFileSync(join(project, "node_modules/feedback-widget", file), join(out, file));
  }
  mkdirSync(join(out, "assets"));
  for (const file of ["feedback_reader.wasm", "feedback_lexicons.txt"]) {
    copyFileSync(join(project, "node_modules/feedback-widget", file), join(out, "assets", file));
  }
  cpSync(join(project, "node_modules/feedback-widget/locales"), join(out, "assets/locales"), { recursive: true });
  writeFileSync(join(out, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="app.js"></script></head>
    <body><button id="end">End chat</button></body></html>`);
  receiver = await startReceiver({ staticDir: out });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await receiver?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

test("the packed package bundles with esbuild and runs: a customer answers, the row is stored", async () => {
  const page = await newPage(browser);
  await page.goto(receiver.url + "/");
  await page.click("#end");
  const panel = prompt(page);
  await panel.getByText("Bundled Co made it easy for me to handle my issue.").waitFor();
  await panel.getByRole("radio", { name: /^5(,|$)/ }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  const { id } = await page.evaluate(() => window.asked);
  await until(async () => (await page.evaluate(() => window.delivered)).includes(id), 8000, "delivered");
  const row = (await receiver.rows()).find((r) => r.payload.id === id);
  assert.equal(row.payload.effort, 5);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a bundled app that keeps the transcript reader elsewhere (readerUrl, lexiconUrl) reads a transcript", async () => {
  const page = await newPage(browser);
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(receiver.url + "/");
  const decision = await page.evaluate(() => window.decide({ messages: [{ from: "customer", text: "This is ridiculous, I am so angry" }] }));
  assert.ok(decision.reasons.includes("transcript_frustrated"), JSON.stringify(decision));
  assert.ok(fetched.includes("/assets/feedback_reader.wasm") && fetched.includes("/assets/feedback_lexicons.txt"), fetched.join(" "));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a bundled app that keeps the locale packs elsewhere (localesUrl, with or without its last slash) shows a French prompt", async () => {
  const page = await newPage(browser);
  const fetched = [];
  page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(receiver.url + "/");
  await page.evaluate(() => window.configure({ locale: "fr" }));
  await page.click("#end");
  await prompt(page).getByText("Bundled Co m’a permis de régler mon problème facilement.").waitFor({ timeout: 8000 });
  assert.ok(fetched.includes("/assets/locales/fr.json"), fetched.join(" "));
  assert.deepEqual(page.errors, []);
  await page.close();
});
