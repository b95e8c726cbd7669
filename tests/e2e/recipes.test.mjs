// The README's recipes, run as written: each snippet is read out of the
// README, its example hosts replaced by a local stand-in for the service.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startReceiver, launch, newPage, until, prompt, ROOT } from "./harness.mjs";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
/** The code block after `<!-- recipe: name -->` in the README. */
function recipe(name) {
  const at = README.indexOf(`<!-- recipe: ${name} -->`);
  assert.ok(at >= 0, `README has the ${name} recipe`);
  const block = README.slice(at).match(/```\w*\n([\s\S]*?)```/);
  return block[1];
}

/** A stand-in third-party service on 127.0.0.1 that records what it gets. */
async function standIn() {
  const received = [];
  const server = createServer((req, res) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "content-type, authorization, idempotency-key");
    if (req.method === "OPTIONS") { res.writeHead(204); return res.end(); }
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => {
      received.push({ path: req.url, headers: req.headers, body: JSON.parse(body) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const close = () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); });
  return { url: `http://127.0.0.1:${server.address().port}`, received, close };
}

let receiver, browser;
before(async () => { receiver = await startReceiver(); browser = await launch(); });
after(async () => { await browser?.close(); await receiver?.stop(); });

const score = (n) => new RegExp(`^${n}(,|$)`);

/** A real page (served over HTTP from target/recipes/, so it is a loopback
 * origin that may post to another loopback service) holding `snippet`. */
async function pageWith(snippet, name) {
  const page = await newPage(browser);
  const html = snippet.replaceAll("https://cdn.example.com/feedback/", "/dist/");
  const dir = join(ROOT, "target/recipes");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `<!doctype html><html><head><meta charset="utf-8">${html}</head><body><div id="view"><div class="feedback-slot"></div></div></body></html>`);
  await page.goto(`${receiver.url}/target/recipes/${name}`);
  return page;
}

async function answer(page, n) {
  const asked = page.evaluate(() => Feedback.ask({ conversationId: "recipe" }));
  await prompt(page).getByRole("radio", { name: score(n) }).check();
  await prompt(page).getByRole("button", { name: "Submit" }).click();
  return (await asked).id;
}

test("recipe: a generic webhook in simple-request mode", async () => {
  const hook = await standIn();
  try {
    const page = await pageWith(recipe("webhook").replace("https://hooks.example.com", hook.url), "/r-webhook.html");
    const id = await answer(page, 6);
    await until(async () => hook.received.length === 1, 8000, "the webhook call");
    const [call] = hook.received;
    assert.equal(call.path, "/feedback");
    assert.match(call.headers["content-type"], /^text\/plain/);
    assert.equal(call.headers["idempotency-key"], undefined);
    assert.equal(call.body.id, id);
    assert.equal(call.body.effort, 6);
    await page.close();
  } finally {
    await hook.close();
  }
});

test("recipe: an analytics track API with an event name and a write key", async () => {
  const api = await standIn();
  try {
    const page = await pageWith(recipe("track").replace("https://api.analytics.example.com", api.url), "/r-track.html");
    const id = await answer(page, 2);
    await until(async () => api.received.length === 1, 8000, "the track call");
    const [call] = api.received;
    assert.equal(call.path, "/v1/track");
    assert.equal(call.headers.authorization, "Basic d3JpdGVLZXk6");
    assert.equal(call.body.event, "Customer Feedback");
    assert.equal(call.body.messageId, id);
    assert.equal(call.body.properties.id, id);
    assert.equal(call.body.properties.effort, 2);
    assert.match(call.body.timestamp, /^\d{4}-/);
    await page.close();
  } finally {
    await api.close();
  }
});

test("recipe: this project's receiver", async () => {
  const page = await pageWith(recipe("receiver").replace("https://feedback.example.com", receiver.url), "/r-receiver.html");
  const id = await answer(page, 7);
  const row = await until(async () => (await receiver.rows()).find((r) => r.payload.id === id), 8000, "the row");
  assert.equal(row.idempotencyKey, id);
  await page.close();
});

test("recipe: inside a chat view that is thrown away", async () => {
  const page = await pageWith(recipe("receiver").replace("https://feedback.example.com", receiver.url), "/r-chat.html");
  await page.addScriptTag({ content: recipe("chat-view") });
  const outcome = page.evaluate(() => onConversationEnded(document.querySelector("#view"),
    { id: "chat-recipe", agentId: "a1", waitSeconds: 20, messages: [{ from: "customer", text: "thanks!" }] }));
  await page.locator("#view feedback-prompt").getByRole("radio").first().waitFor();
  await page.evaluate(() => document.querySelector("#view").remove());
  assert.equal(await outcome, "removed");
  await page.close();
});

test("recipe: the ES module snippet", async () => {
  const code = recipe("esm")
    .replace("./feedback/feedback.mjs", "/dist/feedback.mjs")
    .replace("https://api.example.com/feedback", "/collect");
  // The snippet as the page's module (top-level await included).
  const page = await pageWith(`<script type="module">\n${code}\nwindow.done = outcome;\n</script>`, "esm.html");
  await prompt(page).getByRole("radio", { name: score(4) }).check();
  await prompt(page).getByRole("button", { name: "Submit" }).click();
  await page.waitForFunction(() => window.done);
  assert.equal(await page.evaluate(() => window.done), "submitted");
  await page.close();
});
