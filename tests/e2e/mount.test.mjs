// `Feedback.mount(element, context)` as an in-app messenger uses it: the
// prompt inline at the end of a chat view that a framework re-renders, that
// scrolls, that is narrow, dark, right to left, inside the host's own
// shadow DOM or an iframe, driven by keyboard. For each: the prompt is
// visible, answerable and not cut off, the answer is posted once, and
// nothing of ours reaches the page's error monitoring.
//
// Each test runs on a small site of its own (node's http, 127.0.0.1 only)
// that serves the page and dist/ and records what is posted to /collect.
// (The pattern of tests/e2e/quiet.test.mjs.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { launch, until, serveDist } from "./harness.mjs";

let browser;
const sites = new Set();
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); await Promise.all([...sites].map((s) => s.close())); });

const T = { timeout: 60_000 };
const score = (n) => new RegExp(`^${n}(,|$)`);

/** A site: `pages` maps a path to its HTML; /dist/ is the repository's
 * dist/; POST /collect is recorded and answered 200 `{}`. */
async function site(pages, { answerAfterMs = 0 } = {}) {
  const posts = [];
  const server = createServer((req, res) => {
    const path = req.url.split("?")[0];
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "*", "access-control-allow-methods": "POST" };
    if (req.method === "OPTIONS") { res.writeHead(204, cors); return res.end(); }
    if (req.method === "POST") {
      let body = "";
      req.on("data", (c) => { body += c; });
      req.on("end", () => {
        posts.push({ path, body });
        setTimeout(() => { if (!res.destroyed) { res.writeHead(200, { ...cors, "content-type": "application/json" }); res.end("{}"); } }, answerAfterMs);
      });
      return;
    }
    if (pages[path] !== undefined) { res.writeHead(200, { "content-type": "text/html" }); return res.end(pages[path]); }
    if (serveDist(path, res, cors)) return;
    res.writeHead(path === "/favicon.ico" ? 204 : 404); res.end();
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const made = {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Every payload posted, parsed. */
    payloads: () => posts.filter((p) => p.path === "/collect").map((p) => { const b = JSON.parse(p.body); return b.properties || b; }),
    close: () => { sites.delete(made); return new Promise((ok) => { server.closeAllConnections(); server.close(ok); }); },
  };
  sites.add(made);
  return made;
}

/** The payloads posted for `conversationId`, as `kind`s. */
const kinds = (s, conversationId) => s.payloads().filter((p) => p.conversationId === conversationId).map((p) => p.kind);

const TAG = `<script src="/dist/feedback.js" data-endpoint="/collect" data-company="Acme"></script>`;
/** A messenger page: `head` (styles), `body`. */
const messenger = ({ head = "", body = "", lang = "en", dir = "ltr" } = {}) =>
  `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${TAG}${head}</head><body>${body}</body></html>`;

/** A fresh context on `url`, recording what would reach the host's error
 * monitoring (unhandled rejections, uncaught errors, console errors). */
async function watched(url, { viewport } = {}) {
  const context = await browser.newContext(viewport ? { viewport } : {});
  const seen = { rejections: [], errors: [], console: [] };
  await context.exposeBinding("__monitor", (_s, kind, text) => { seen[kind].push(text); });
  await context.addInitScript(() => {
    addEventListener("unhandledrejection", (e) => window.__monitor("rejections", String(e.reason && (e.reason.stack || e.reason))));
    addEventListener("error", (e) => window.__monitor("errors", String(e.message)));
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => seen.errors.push("pageerror: " + String(e)));
  page.on("console", (m) => { if (m.type() === "error") seen.console.push(m.text()); });
  await page.goto(url);
  await page.evaluate(() => Feedback.ready);
  return { context, page, seen };
}
const NOTHING = { rejections: [], errors: [], console: [] };

/** Starts `Feedback.mount(target, context)` in the page, keeping its outcome
 * in `window.outcomes[name]` (or its rejection's message). `target` is a
 * page expression that evaluates to the element or selector. */
function mount(page, name, target, context) {
  return page.evaluate(([name, target, context]) => {
    window.outcomes = window.outcomes || {};
    // eslint-disable-next-line no-eval
    const element = (0, eval)(target);
    Feedback.mount(element, context).then((o) => { outcomes[name] = o; }, (e) => { outcomes[name] = { rejected: e.message }; });
  }, [name, target, context]);
}
const outcome = (page, name) => until(() => page.evaluate((n) => window.outcomes && window.outcomes[n], name), 10_000, `the outcome of ${name}`);

// ---------------------------------------------------------------------------
// Findings: these fail today.

test("a framework re-renders the chat view (the mount element removed and re-created) and mounts again for the same conversation: the customer still gets the prompt", T, async () => {
  const s = await site({ "/": messenger({ body: `<div id="app"><div class="view"><p>Thanks, all sorted!</p><div class="slot"></div></div></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await mount(page, "first", `".slot"`, { conversationId: "rr-1", customerId: "cust-rr" });
  await page.locator(".slot feedback-prompt").getByRole("radio").first().waitFor();
  // A new message arrives; the framework renders the view again from scratch.
  await page.evaluate(() => { document.getElementById("app").innerHTML = `<div class="view"><p>Thanks, all sorted!</p><p>Bye!</p><div class="slot"></div></div>`; });
  await mount(page, "second", `".slot"`, { conversationId: "rr-1", customerId: "cust-rr" });
  await page.waitForTimeout(1000);
  const second = await page.evaluate(() => window.outcomes?.second ?? null);
  assert.equal(await page.locator(".slot feedback-prompt").count(), 1,
    `the re-rendered view shows the prompt again (second mount resolved ${JSON.stringify(second)}; posted: ${JSON.stringify(kinds(s, "rr-1"))})`);
  assert.deepEqual(kinds(s, "rr-1"), [], "nothing posted for a prompt the customer has not answered yet (no 'suppressed' record)");
  const panel = page.locator(".slot feedback-prompt");
  await panel.getByRole("radio", { name: score(6) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "second")).outcome, "submitted");
  await until(() => kinds(s, "rr-1").length === 1, 5000, "the answer");
  assert.deepEqual(kinds(s, "rr-1"), ["response"]);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("the same element mounted twice for the same conversation (an effect that runs twice): one prompt, and no 'suppressed' record for a conversation whose prompt is on screen", T, async () => {
  const s = await site({ "/": messenger({ body: `<div id="chat"><p>Done!</p><div class="slot"></div></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await mount(page, "a", `".slot"`, { conversationId: "tw-1" });
  await mount(page, "b", `".slot"`, { conversationId: "tw-1" });
  await page.locator(".slot feedback-prompt").first().getByRole("radio").first().waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.locator(".slot feedback-prompt").count(), 1, "one prompt");
  const panel = page.locator(".slot feedback-prompt").first();
  await panel.getByRole("radio", { name: score(7) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  await until(() => kinds(s, "tw-1").includes("response"), 5000, "the answer");
  await page.waitForTimeout(300);
  assert.deepEqual(kinds(s, "tw-1"), ["response"],
    `one record for the conversation: its answer (the second mount resolved ${JSON.stringify(await page.evaluate(() => window.outcomes.b))})`);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("a chat view kept off-document while the customer reads another conversation, then put back: its prompt is still there and answerable", { ...T, todo: "a prompt whose element has been off the page for half a second is let go (a closed chat view must be, and nothing else tells the widget); the README says so: mount again when the view is back" }, async () => {
  const s = await site({ "/": messenger({ body: `<div id="app"><div id="view-a"><p>Conversation A</p><div class="slot"></div></div></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await mount(page, "a", `"#view-a .slot"`, { conversationId: "cache-a" });
  await page.locator("#view-a feedback-prompt").getByRole("radio").first().waitFor();
  // Switch to conversation B: A's view is detached and cached, as many
  // messengers (and keep-alive routers) do; 1.2 s later, back to A.
  await page.evaluate(() => { window.viewA = document.getElementById("view-a"); window.viewA.remove(); document.getElementById("app").innerHTML = "<div id=view-b>Conversation B</div>"; });
  await page.waitForTimeout(1200);
  await page.evaluate(() => document.getElementById("app").replaceChildren(window.viewA));
  await page.waitForTimeout(300);
  const early = await page.evaluate(() => window.outcomes?.a ?? null);
  assert.equal(await page.locator("#view-a feedback-prompt").count(), 1, `the prompt is still in view A (mount resolved ${JSON.stringify(early)})`);
  const panel = page.locator("#view-a feedback-prompt");
  await panel.getByRole("radio", { name: score(5) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "a")).outcome, "submitted");
  await until(() => kinds(s, "cache-a").length === 1, 5000, "the answer");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("a messenger scrolls the chat to the bottom when the prompt is shown (the 'show' event): the whole prompt is in view", T, async () => {
  const s = await site({ "/": messenger({
    head: `<style>#chat{height:320px;width:320px;overflow:auto;border:1px solid #999}.m{height:80px;margin:0}</style>`,
    body: `<div id="chat">${'<p class="m">message</p>'.repeat(8)}<div id="slot"></div></div>`,
  }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => {
    Feedback.on("show", () => { const chat = document.getElementById("chat"); chat.scrollTop = chat.scrollHeight; });
  });
  await mount(page, "m", `"#slot"`, { conversationId: "sh-1" });
  await page.locator("#slot feedback-prompt").getByRole("radio").first().waitFor();
  await page.waitForTimeout(400);
  const g = await page.evaluate(() => {
    const chat = document.getElementById("chat");
    const host = document.querySelector("#slot feedback-prompt").getBoundingClientRect();
    return { promptBottom: Math.round(host.bottom), chatBottom: Math.round(chat.getBoundingClientRect().bottom), scrollTop: chat.scrollTop, maxScroll: chat.scrollHeight - chat.clientHeight };
  });
  await page.screenshot({ path: "/work/scratch/out-mount/show-scroll.png" }).catch(() => {});
  assert.ok(g.promptBottom <= g.chatBottom + 1, `the prompt's bottom is inside the chat after scrolling on 'show': ${JSON.stringify(g)}`);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("a vent prompt at the bottom of a fixed-height chat: writing the message does not push Submit out of the chat", T, async () => {
  const s = await site({ "/": messenger({
    head: `<style>#chat{height:400px;width:320px;overflow:auto;border:1px solid #999}.m{height:90px;margin:0}</style>`,
    body: `<div id="chat">${'<p class="m">message</p>'.repeat(6)}<div id="slot"></div></div><textarea id="msg"></textarea>`,
  }) });
  const { context, page, seen } = await watched(s.url + "/");
  await mount(page, "m", `"#slot"`, { conversationId: "grow-1", waitSeconds: 3000 });
  const panel = page.locator("#slot feedback-prompt");
  await panel.getByRole("textbox").waitFor();
  await page.evaluate(() => { const c = document.getElementById("chat"); c.scrollTop = c.scrollHeight; });
  const geo = () => page.evaluate(() => {
    const chat = document.getElementById("chat").getBoundingClientRect();
    const submit = document.querySelector("#slot feedback-prompt").shadowRoot.querySelector(".fb-submit").getBoundingClientRect();
    return { chatBottom: Math.round(chat.bottom), submitBottom: Math.round(submit.bottom) };
  });
  const before = await geo();
  assert.ok(before.submitBottom <= before.chatBottom, `Submit in view at first: ${JSON.stringify(before)}`);
  await panel.getByRole("textbox").click();
  await page.keyboard.type("It took three days and two transfers.");
  await page.waitForTimeout(300);
  const after = await geo();
  await page.screenshot({ path: "/work/scratch/out-mount/vent-grow.png" }).catch(() => {});
  assert.ok(after.submitBottom <= after.chatBottom, `Submit still inside the chat once the follow-up box appears: before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("Escape inside a mounted prompt skips it and is not also taken by the messenger (which closes the chat on Escape)", T, async () => {
  const s = await site({ "/": messenger({
    body: `<div id="chat"><p>Done!</p><div id="slot"></div></div><input id="msg">
      <script>window.chatClosedByEscape = 0; document.addEventListener("keydown", (e) => { if (e.key === "Escape") window.chatClosedByEscape++; });</script>`,
  }) });
  const { context, page, seen } = await watched(s.url + "/");
  await mount(page, "m", `"#slot"`, { conversationId: "esc-1" });
  const panel = page.locator("#slot feedback-prompt");
  await panel.getByRole("radio").first().waitFor();
  await panel.getByRole("radio", { name: score(4) }).focus();
  await page.keyboard.press("Escape");
  assert.equal((await outcome(page, "m")).outcome, "dismissed");
  assert.equal(await page.evaluate(() => window.chatClosedByEscape), 0, "the skip's Escape does not also reach the messenger's own Escape handler");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("a messenger whose chat lives in a same-origin iframe mounts into it from the parent page: refused with a clear error (the widget renders into its own document; load it in the frame), nothing shown, nothing posted", T, async () => {
  const s = await site({
    "/": messenger({ body: `<iframe id="chat-frame" src="/frame" style="width:320px;height:600px;border:1px solid #999"></iframe>` }),
    "/frame": `<!doctype html><html lang="en"><body><div id="chat"><p>Done!</p><div id="slot"></div></div></body></html>`,
  });
  const { context, page, seen } = await watched(s.url + "/");
  await until(() => page.evaluate(() => !!document.getElementById("chat-frame").contentDocument?.getElementById("slot")), 5000, "the frame");
  await mount(page, "m", `document.getElementById("chat-frame").contentDocument.getElementById("slot")`, { conversationId: "if-1" });
  const result = await outcome(page, "m");
  assert.match(result.rejected || "", /iframe/, `a rejection that names the case: ${JSON.stringify(result)}`);
  assert.equal(await page.frameLocator("#chat-frame").locator("#slot feedback-prompt").count(), 0);
  await page.waitForTimeout(300);
  assert.deepEqual(kinds(s, "if-1"), []);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("the customer submits and the messenger closes the chat view at once, on a slow network: mount resolves 'submitted' (what was posted), not 'removed'", T, async () => {
  const s = await site({ "/": messenger({ body: `<div id="app"><div id="view"><p>Done!</p><div id="slot"></div></div></div>` }) }, { answerAfterMs: 1500 });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => Feedback.on("submit", () => setTimeout(() => document.getElementById("view").remove(), 50)));
  await mount(page, "m", `"#slot"`, { conversationId: "close-1" });
  const panel = page.locator("#slot feedback-prompt");
  await panel.getByRole("radio", { name: score(6) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  const done = await outcome(page, "m");
  await until(() => kinds(s, "close-1").length === 1, 5000, "the answer");
  assert.deepEqual(kinds(s, "close-1"), ["response"], "the answer was posted");
  assert.equal(done.outcome, "submitted", `the page is told what happened to the answer: ${JSON.stringify(done)}`);
  assert.equal(done.delivery, "delivered");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("a mount whose element the framework threw away before the widget loaded (mount at chat end, view re-rendered while the wasm arrives): no 'show' for it, and the live view gets the prompt", T, async () => {
  const s = await site({ "/": messenger({ body: `<div id="app"><div class="view"><p>Done!</p><div class="slot"></div></div></div>
    <script>
      window.shows = 0; window.outcomes = {};
      Feedback.on("show", () => { window.shows++; });
      // Before the wasm has loaded: the chat ends, the view mounts...
      const keep = (name, p) => p.then((o) => { outcomes[name] = o; }, (e) => { outcomes[name] = { rejected: e.message }; });
      keep("stale", Feedback.mount(document.querySelector(".slot"), { conversationId: "early-1" }));
      // ...and a last message re-renders it: the slot it passed is gone, a new one is there.
      document.getElementById("app").innerHTML = '<div class="view"><p>Done!</p><p>Bye</p><div class="slot"></div></div>';
      keep("live", Feedback.mount(document.querySelector(".slot"), { conversationId: "early-1" }));
    </script>` }) });
  const context = await browser.newContext();
  const seen = { rejections: [], errors: [], console: [] };
  const page = await context.newPage();
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") seen.console.push(m.text()); });
  await page.goto(s.url + "/");
  await page.evaluate(() => Feedback.ready);
  await page.waitForTimeout(1200);
  const state = await page.evaluate(() => ({ shows: window.shows, outcomes: window.outcomes, live: document.querySelectorAll("#app feedback-prompt").length }));
  assert.equal(state.live, 1, `the live view shows the prompt: ${JSON.stringify(state)}; posted ${JSON.stringify(kinds(s, "early-1"))}`);
  assert.equal(state.shows, 1, "'show' only for the prompt on screen");
  await context.close(); await s.close();
});

// ---------------------------------------------------------------------------
// Paths that work today and that no other test covers.

test("inside the messenger's own shadow DOM, under its reset (`* { all: unset }`, `button { display: none }`, a huge font): visible, answerable, posted once; removed with the view", T, async () => {
  const s = await site({ "/": messenger({
    body: `<chat-app id="app"></chat-app><script>
      const root = document.getElementById("app").attachShadow({ mode: "open" });
      root.innerHTML = '<style>* { all: unset; } button { display: none !important; } :host, div, p { font-size: 40px !important; } #list { display: block; height: 500px; width: 300px; overflow: auto; }</style>'
        + '<div id="list"><p>Bye!</p><div id="slot"></div></div><input id="msg">';
      window.chatRoot = root;
    </script>`,
  }) });
  const { context, page, seen } = await watched(s.url + "/");
  await mount(page, "m", `window.chatRoot.getElementById("slot")`, { conversationId: "sd-1" });
  const panel = page.locator("chat-app feedback-prompt");
  await panel.getByRole("radio").first().waitFor();
  const box = await panel.boundingBox();
  assert.ok(box && box.width >= 280 && box.height > 200, `laid out: ${JSON.stringify(box)}`);
  const font = await panel.evaluate((h) => getComputedStyle(h.shadowRoot.querySelector(".fb")).fontSize);
  assert.equal(font, "15px", "the messenger's font size does not reach in");
  await panel.getByRole("radio", { name: score(6) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "m")).outcome, "submitted");
  assert.deepEqual(kinds(s, "sd-1"), ["response"]);
  // The next conversation: a new view, the old one (and its thank-you) thrown away.
  await page.evaluate(() => window.chatRoot.getElementById("list").remove());
  await page.waitForTimeout(800);
  assert.equal(await page.evaluate(() => window.chatRoot.querySelectorAll("feedback-prompt").length), 0);
  assert.deepEqual(kinds(s, "sd-1"), ["response"], "posted once");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

for (const [width, theme, lang, dir] of [[260, "dark", "ar", "rtl"], [320, "light", "en", "ltr"]]) {
  test(`a ${width} px side panel (transform and contain: layout on an ancestor, overflow hidden, ${theme}, ${dir}): nothing overflows, every score 44 px or more, answered once`, T, async () => {
    const s = await site({ "/": messenger({
      lang, dir,
      head: `<style>body{margin:0;background:#0f1115}#panel{position:fixed;top:0;right:0;width:${width}px;height:100vh;transform:translateZ(0);contain:layout}#chat{height:100%;overflow:hidden;display:flex;flex-direction:column;justify-content:flex-end}</style>`,
      body: `<aside id="panel"><div id="chat"><p>message</p><div id="slot"></div></div></aside>`,
    }) });
    const { context, page, seen } = await watched(s.url + "/");
    await page.evaluate((theme) => Feedback.configure({ theme }), theme);
    await mount(page, "m", `"#slot"`, { conversationId: `panel-${width}` });
    const panel = page.locator("#slot feedback-prompt");
    await panel.getByRole("radio").first().waitFor();
    await page.waitForTimeout(300);
    const g = await panel.evaluate((host) => {
      const chat = document.getElementById("chat");
      const hb = host.getBoundingClientRect();
      const cb = chat.getBoundingClientRect();
      const overflowing = [...host.shadowRoot.querySelectorAll("*")].map((e) => [e.className, e.getBoundingClientRect()])
        .filter(([, b]) => b.width > 0 && (b.right > hb.right + 0.5 || b.left < hb.left - 0.5)).map(([n]) => n);
      const scores = [...host.shadowRoot.querySelectorAll(".fb-option span")].map((e) => e.getBoundingClientRect()).map((b) => Math.min(b.width, b.height));
      return { chatScroll: chat.scrollWidth - chat.clientWidth, inside: hb.left >= cb.left - 0.5 && hb.right <= cb.right + 0.5 && hb.top >= cb.top - 0.5 && hb.bottom <= cb.bottom + 0.5, overflowing, smallest: Math.min(...scores),
        bg: getComputedStyle(host.shadowRoot.querySelector(".fb")).backgroundColor, dir: host.shadowRoot.querySelector(".fb").getAttribute("dir") };
    });
    await page.screenshot({ path: `/work/scratch/out-mount/panel-${width}.png` }).catch(() => {});
    assert.equal(g.chatScroll, 0, "no horizontal overflow");
    assert.ok(g.inside, "the prompt is inside the panel");
    assert.deepEqual(g.overflowing, []);
    assert.ok(g.smallest >= 44, `each score at least 44 px (smallest ${g.smallest})`);
    if (theme === "dark") assert.equal(g.bg, "rgb(27, 31, 36)");
    assert.equal(g.dir, dir);
    await panel.getByRole("radio", { name: score(3) }).check();
    await panel.locator(".fb-submit").click();
    const done = await outcome(page, "m");
    assert.equal(done.outcome, "submitted", JSON.stringify(done));
    assert.deepEqual(kinds(s, `panel-${width}`), ["response"]);
    assert.deepEqual(seen, NOTHING);
    await context.close(); await s.close();
  });
}

test("keyboard: Shift+Tab from the message input reaches the mounted prompt, Tab returns to the input; the prompt never takes focus itself", T, async () => {
  const s = await site({ "/": messenger({ body: `<div id="chat"><p>Done!</p><div id="slot"></div></div><input id="msg" aria-label="Message"><button id="send">Send</button>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.focus("#msg");
  await page.keyboard.type("one sec");
  await mount(page, "m", `"#slot"`, { conversationId: "kb-1" });
  const panel = page.locator("#slot feedback-prompt");
  await panel.getByRole("radio").first().waitFor();
  await page.keyboard.type(" more");
  assert.equal(await page.inputValue("#msg"), "one sec more", "typing goes on in the message input");
  const active = () => page.evaluate(() => { const a = document.activeElement; return a.id || a.tagName.toLowerCase(); });
  await page.keyboard.press("Shift+Tab"); // the prompt's last target (No thanks; Submit is disabled)
  assert.equal(await active(), "feedback-prompt");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "msg", "back to the message input");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("a chat view reused for the next conversation (props change, no remount) mounts again: the last conversation's prompt goes ('removed'), the new one shows, and the answer is posted for the new conversation", T, async () => {
  // An outsider's React messenger: the second mount resolved
  // 'already_open', the first conversation's prompt stayed under the new
  // conversation's messages, and the answer was posted for it.
  const s = await site({ "/": messenger({ body: `<div id="chat"><p>Done!</p><div class="slot"></div></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => Feedback.configure({ sessionCap: 2 }));
  await mount(page, "c6", `".slot"`, { conversationId: "reuse-6", agentId: "ag-6", customerId: "cust-r" });
  await page.locator(".slot feedback-prompt").getByRole("radio").first().waitFor();
  await mount(page, "c7", `".slot"`, { conversationId: "reuse-7", agentId: "ag-7", customerId: "cust-r" });
  assert.equal((await outcome(page, "c6")).outcome, "removed");
  await until(() => page.evaluate(() => document.querySelectorAll(".slot feedback-prompt").length === 1), 5000, "one prompt in the view");
  let panel = page.locator(".slot feedback-prompt");
  await panel.getByRole("radio", { name: score(5) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "c7")).outcome, "submitted");
  await until(() => kinds(s, "reuse-7").length === 1, 5000, "the answer");
  assert.deepEqual(kinds(s, "reuse-6"), []);
  assert.equal(s.payloads().find((p) => p.conversationId === "reuse-7").agentId, "ag-7");
  // And during the thank-you: the next conversation's prompt takes its place.
  await mount(page, "c8", `".slot"`, { conversationId: "reuse-8", customerId: "cust-r2" });
  await page.locator(".slot feedback-prompt").getByRole("radio").first().waitFor({ timeout: 5000 });
  assert.equal(await page.locator(".slot feedback-prompt").count(), 1);
  panel = page.locator(".slot feedback-prompt");
  await panel.getByRole("radio", { name: score(3) }).check();
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "c8")).outcome, "submitted");
  await until(() => kinds(s, "reuse-8").length === 1, 5000, "the third answer");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("a keyboard customer sends, focus goes back to the chat input, and the page's focus handler mounts the next conversation there: the answer is posted and resolves 'submitted'; that mount, inside the prompt's own sending, is 'already_open'", T, async () => {
  // A second reading's: giving focus back reached the page's handler
  // before the answer was recorded, and its mount for another conversation
  // ended the prompt as 'removed' from inside its own callback.
  const s = await site({ "/": messenger({ body: `<div id="chat"><p>Done!</p><div class="slot"></div></div><input id="msg" aria-label="Message">` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => {
    Feedback.configure({ sessionCap: 2 });
    document.getElementById("msg").addEventListener("focus", () => {
      if (!window.nextReady) return;
      window.nextReady = false;
      Feedback.mount(".slot", { conversationId: "fb-2", customerId: "cust-f2" }).then((o) => { outcomes.f2 = o; });
    });
  });
  await page.focus("#msg");
  await mount(page, "f1", `".slot"`, { conversationId: "fb-1", customerId: "cust-f1" });
  const panel = page.locator(".slot feedback-prompt");
  await panel.getByRole("radio", { name: score(5) }).check();
  await panel.getByRole("textbox").click();
  await page.keyboard.type("quick and kind");
  await page.evaluate(() => { window.nextReady = true; });
  await page.keyboard.press("Tab"); // No thanks
  await page.keyboard.press("Tab"); // Submit
  await page.keyboard.press("Enter");
  assert.equal((await outcome(page, "f1")).outcome, "submitted");
  await until(() => kinds(s, "fb-1").length === 1, 5000, "the answer");
  assert.deepEqual(kinds(s, "fb-1"), ["response"]);
  assert.equal(s.payloads().find((p) => p.conversationId === "fb-1").comment, "quick and kind");
  const next = await outcome(page, "f2");
  assert.deepEqual([next.outcome, next.reasons, next.id], ["suppressed", ["already_open"], null]);
  assert.deepEqual(kinds(s, "fb-2"), []);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

test("two conversations open side by side (session cap 2): two inline prompts, each answered once, removed views resolve 'removed' without posting", T, async () => {
  const s = await site({ "/": messenger({ body: `<div id="c1" class="conv"><div class="slot"></div></div><div id="c2" class="conv"><div class="slot"></div></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => Feedback.configure({ sessionCap: 2 }));
  await mount(page, "one", `"#c1 .slot"`, { conversationId: "two-1", customerId: "a" });
  await mount(page, "two", `"#c2 .slot"`, { conversationId: "two-2", customerId: "b" });
  const p1 = page.locator("#c1 feedback-prompt"), p2 = page.locator("#c2 feedback-prompt");
  await p1.getByRole("radio").first().waitFor();
  await p2.getByRole("radio").first().waitFor();
  await p2.getByRole("radio", { name: score(2) }).check();
  await p2.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "two")).outcome, "submitted");
  await page.evaluate(() => document.getElementById("c1").remove());
  assert.equal((await outcome(page, "one")).outcome, "removed");
  await page.waitForTimeout(300);
  assert.deepEqual(kinds(s, "two-1"), []);
  assert.deepEqual(kinds(s, "two-2"), ["response"]);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

// A view taken off the page for a moment (a route transition, Vue's
// <KeepAlive>, a tab of the messenger switched and back): the README
// promises half a second. An outsider found a view put back after 250 to
// 350 ms losing its prompt and the score chosen: the check ran twice a
// second and let go of whatever it found off the page once.
test("a chat view off the page for 450 ms keeps its prompt and the score chosen; one off for 2 s is let go ('removed', nothing posted)", T, async () => {
  const s = await site({ "/": messenger({ body: `<div id="app"><div id="view"><p>Chat</p><div class="slot"></div></div></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  const panel = page.locator("#view feedback-prompt");
  const away = (ms) => page.evaluate((ms) => new Promise((back) => {
    const view = document.getElementById("view");
    view.remove();
    setTimeout(() => { document.getElementById("app").append(view); back(); }, ms);
  }), ms);
  await page.evaluate(() => Feedback.configure({ sessionCap: 2 }));
  await mount(page, "kept", `"#view .slot"`, { conversationId: "away-1", customerId: "one" });
  await panel.getByRole("radio").first().waitFor();
  await panel.getByRole("radio", { name: score(4) }).check();
  for (let i = 0; i < 3; i++) { await away(450); await page.waitForTimeout(600); }
  assert.equal(await panel.getByRole("radio", { name: score(4) }).isChecked({ timeout: 2000 }), true, "the score chosen is still there");
  await panel.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "kept")).outcome, "submitted");
  await until(() => kinds(s, "away-1").length === 1, 5000, "the answer");
  await panel.waitFor({ state: "detached", timeout: 5000 });
  await mount(page, "gone", `"#view .slot"`, { conversationId: "away-2", customerId: "another" });
  await panel.getByRole("radio").first().waitFor();
  await away(2000);
  assert.equal((await outcome(page, "gone")).outcome, "removed");
  assert.deepEqual(kinds(s, "away-2"), []);
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

// ---------------------------------------------------------------------------
// A page that takes the floating prompt away (a document replaced by a
// framework's client render or a swap of <html>'s children, a script that
// clears it): the widget must not keep counting it as open, which made every
// later ask() on that page resolve "suppressed" with nothing shown.

test("the page removes the open floating prompt: that ask resolves 'removed', nothing is posted, and the next ask shows a prompt", T, async () => {
  const s = await site({ "/": messenger({ body: `<p>Chat over.</p>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => {
    window.outcomes = {};
    Feedback.ask({ conversationId: "fl-1", customerId: "cust-fl" }).then((o) => { outcomes.first = o; });
  });
  const floating = page.locator("html > feedback-prompt");
  await floating.getByRole("radio").first().waitFor();
  await page.evaluate(() => document.querySelector("feedback-prompt").remove());
  await page.evaluate(() => {
    Feedback.ask({ conversationId: "fl-2", customerId: "cust-fl2" }).then((o) => { outcomes.second = o; });
  });
  const first = await outcome(page, "first");
  assert.deepEqual([first.outcome, first.id], ["removed", null], "no id: nothing was posted");
  await floating.getByRole("radio").first().waitFor({ timeout: 5000 });
  await floating.getByRole("radio", { name: score(6) }).check();
  await floating.getByRole("button", { name: "Submit" }).click();
  assert.equal((await outcome(page, "second")).outcome, "submitted");
  await until(() => kinds(s, "fl-2").length === 1, 5000, "the answer");
  assert.deepEqual(kinds(s, "fl-1"), [], "nothing posted for the prompt the page took away");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

// mount() into an <input> (or an <img>, a <br>...) rendered a prompt no one
// could see, fired `show`, never settled, and spent the session's one
// prompt: the next ask() was suppressed (an outsider's try found it).
// (An outsider's try of the README later found <svg>, <meter> and
// <progress> still taken: a 0 x 0 prompt, `show` fired, the session spent.)
test("mount into an element that shows no children (input, img, textarea, select, br, svg, meter, progress, wbr, head) or with a selector that is not one: rejects naming it, nothing shown, the next mount still shows", T, async () => {
  const s = await site({ "/": messenger({ body: `<input id="i"><img id="im" alt=""><textarea id="t"></textarea><select id="se"></select><br id="b"><svg id="sv" width="200" height="100"></svg><meter id="me" value="0.5"></meter><progress id="pr"></progress><wbr id="w"><div id="slot"></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  for (const [name, target, tag] of [["i", `"#i"`, "input"], ["im", `document.getElementById("im")`, "img"], ["t", `"#t"`, "textarea"], ["se", `"#se"`, "select"], ["b", `"#b"`, "br"], ["sv", `"#sv"`, "svg"], ["me", `"#me"`, "meter"], ["pr", `"#pr"`, "progress"], ["w", `"#w"`, "wbr"], ["h", `"head"`, "head"]]) {
    await mount(page, name, target, { conversationId: "void-" + name });
    assert.equal((await outcome(page, name)).rejected, "mount: that element shows no children (a form control, an image, a line break...); mount into one such as a <div>", tag);
  }
  await mount(page, "bad", `"##bad"`, { conversationId: "void-bad" });
  assert.equal((await outcome(page, "bad")).rejected, "mount: not a CSS selector: ##bad");
  assert.equal(await page.locator("feedback-prompt").count(), 0, "nothing shown");
  await mount(page, "div", `"#slot"`, { conversationId: "void-div" });
  await page.locator("#slot feedback-prompt").getByRole("radio").first().waitFor();
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

// A messenger closes each chat view as soon as the customer has answered
// and opens the next; the thank-you was still showing in the closed view,
// so every next prompt took a new host, and each one let go later leaked
// Yew's listeners and its nodes (an outsider's soak: +4.7 listeners and
// +2.8 nodes for every answered conversation, for the tab's life).
test("a messenger that closes each chat view as soon as the customer has answered: nothing is left behind, however many conversations", { timeout: 120_000 }, async () => {
  const s = await site({ "/": messenger({ body: `<div id="views"></div>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => Feedback.configure({ sessionCap: 1000, answeredCooldownDays: 0 }));
  await page.evaluate(() => {
    window.conversations = async (from, to) => {
      for (let i = from; i < to; i++) {
        const view = document.createElement("div");
        view.innerHTML = `<p>Conversation ${i} is over.</p><div class="slot"></div>`;
        document.getElementById("views").append(view);
        const slot = view.querySelector(".slot");
        const shown = new Promise((ok) => { const off = Feedback.on("show", () => { off(); ok(); }); });
        const asked = Feedback.mount(slot, { conversationId: `soak-${i}`, customerId: `c-${i}` });
        await shown;
        const root = slot.querySelector("feedback-prompt").shadowRoot;
        root.querySelectorAll("input[type=radio]")[5].click();
        await new Promise((ok) => setTimeout(ok, 10));
        root.querySelector(".fb-submit").click();
        const outcome = await asked;
        if (outcome.outcome !== "submitted") throw new Error(`conversation ${i}: ${JSON.stringify(outcome)}`);
        view.remove();
      }
    };
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const metrics = async () => {
    await page.waitForTimeout(3000); // every thank-you over
    await cdp.send("HeapProfiler.collectGarbage");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
    return { listeners: m.JSEventListeners, nodes: m.Nodes };
  };
  await page.evaluate(() => conversations(0, 10));
  const warm = await metrics();
  await page.evaluate(() => conversations(10, 40));
  const after = await metrics();
  assert.ok(after.listeners - warm.listeners <= 10, `listeners ${warm.listeners} -> ${after.listeners} over 30 conversations`);
  assert.ok(after.nodes - warm.nodes <= 30, `nodes ${warm.nodes} -> ${after.nodes} over 30 conversations`);
  await until(() => s.payloads().length === 40, 10_000, "every answer");
  assert.equal(new Set(s.payloads().map((p) => p.conversationId)).size, 40, "each posted once");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});

// `ask` during a floating prompt's 2.5 s thank-you resolved `already_open`
// with no id: the next conversation, here a cancellation whose suppression
// must be recorded, was lost from the counts (an outsider's try). A second
// reading then found the thank-you ended for a silent decision, and a
// site's `dismiss` handler that asks again leaving the widget believing no
// floating prompt was open, so the next `ask` opened a second one over it.
test("ask while the last floating prompt shows its thank-you: a cancellation is recorded and the thank-you stays; a prompt takes its place; asking from a dismiss handler keeps one floating prompt", T, async () => {
  const s = await site({ "/": messenger({ body: `<p>Chat over.</p>` }) });
  const { context, page, seen } = await watched(s.url + "/");
  await page.evaluate(() => Feedback.configure({ sessionCap: 10 }));
  const ask = (name, ctx) => page.evaluate(([name, ctx]) => {
    window.outcomes = window.outcomes || {};
    Feedback.ask(ctx).then((o) => { outcomes[name] = o; });
  }, [name, ctx]);
  const floating = page.locator("html > feedback-prompt");
  await ask("first", { conversationId: "ty-1", customerId: "cust-ty" });
  await floating.getByRole("radio", { name: score(6) }).check();
  await floating.getByRole("button", { name: "Submit" }).click();
  await floating.getByText("Thank you").waitFor();
  assert.equal((await outcome(page, "first")).outcome, "submitted");

  await ask("cancelled", { conversationId: "ty-2", customerId: "cust-ty2", outcome: "cancelled" });
  const cancelled = await outcome(page, "cancelled");
  assert.deepEqual([cancelled.outcome, cancelled.reasons], ["suppressed", ["cancelled"]], JSON.stringify(cancelled));
  assert.ok(cancelled.id, "recorded, with the id it was posted under");
  await until(() => kinds(s, "ty-2").length === 1, 5000, "the suppression record");
  assert.equal(await floating.getByText("Thank you").count(), 1, "a silent decision leaves the thank-you be");

  await ask("next", { conversationId: "ty-3", customerId: "cust-ty3" });
  await floating.getByRole("radio").first().waitFor({ timeout: 5000 });
  assert.equal(await page.locator("feedback-prompt").count(), 1, "the new prompt took the thank-you's place");

  await page.evaluate(() => Feedback.on("dismiss", () => { Feedback.ask({ conversationId: "ty-4", customerId: "cust-ty4" }).then((o) => { outcomes.fromHandler = o; }); }));
  await floating.getByRole("button", { name: "No thanks" }).click();
  await floating.getByRole("radio").first().waitFor({ timeout: 5000 });
  await page.waitForTimeout(300);
  await ask("again", { conversationId: "ty-5", customerId: "cust-ty5" });
  const again = await outcome(page, "again");
  assert.deepEqual([again.outcome, again.reasons], ["suppressed", ["already_open"]], JSON.stringify(again));
  assert.equal(await page.locator("feedback-prompt").count(), 1, "one floating prompt");
  assert.deepEqual(seen, NOTHING);
  await context.close(); await s.close();
});
