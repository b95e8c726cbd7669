// The live inbox in a real browser, against the real receiver: answers
// posted to /collect (a score, a vent with a hostile comment and CJK text,
// a follow-up request) appear in a signed-in page without a reload, as
// text, with no CSP violation and no script of theirs running; the
// follow-up request joins the follow-ups; an answer stored while the page
// was still loading its script is not lost; an agent's page never receives
// another agent's answers; and with JavaScript off a reload lists them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startReceiver, launch, until, INBOX_PASSWORD, RECEIVER } from "./harness.mjs";

const HOSTILE = '<img src=x onerror=alert(1)> <script>window.__pwned = 1</script> ' +
  '<a href="javascript:window.__pwned = 2">click</a> "quotes" & 客户很生气：退款三次都失败了 お問い合わせ 🙁';
const PEOPLE = {
  ada: { role: "agent", agentId: "agent-ada", password: "ada's own password, long" },
  grace: { role: "agent", agentId: "agent-grace", password: "grace's own password, long" },
  lea: { role: "lead", agentId: null, password: "lea's own password, long" },
};

let receiver, browser;
before(async () => {
  receiver = await startReceiver({ faults: false });
  for (const [name, p] of Object.entries(PEOPLE)) {
    const args = ["user", "add", name, "--role", p.role, "--db", receiver.db];
    if (p.agentId) args.push("--agent-id", p.agentId);
    const made = spawnSync(RECEIVER, args, { input: p.password + "\n", encoding: "utf8", timeout: 10_000 });
    assert.equal(made.status, 0, `user add ${name}: ${made.stderr}`);
  }
  browser = await launch();
});
after(async () => { await browser?.close(); await receiver?.stop(); });

/** Every answer posted, by id: its agent. */
const agentOf = new Map();

/** Posts one answer from Node, as a customer's browser would. */
async function post(answer, base = receiver.url) {
  agentOf.set(answer.id, answer.agentId ?? null);
  const r = await fetch(base + "/collect", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "response", ...answer }),
    signal: AbortSignal.timeout(5000),
  });
  assert.ok(r.ok, `${answer.id}: ${r.status} ${await r.text()}`);
}

/** Before any script of the page's: records CSP violations and every
 * `answer` event the page's EventSource receives (not only those shown). */
function recorder() {
  window.__csp = [];
  window.__received = [];
  window.__streams = [];
  window.__loadedOnce = true;
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
  });
  const Native = window.EventSource;
  if (Native) {
    window.EventSource = class extends Native {
      constructor(url, init) {
        super(url, init);
        window.__streams.push(String(url));
        this.addEventListener("answer", (m) => window.__received.push(JSON.parse(m.data).id));
      }
    };
  }
}

/** A signed-in page of `/inbox` in a context of its own; `problems` holds
 * CSP reports from the console, page errors and dialogs. */
async function signIn(name, password, { javaScriptEnabled = true, path = "/inbox", delayScript = null, base = receiver.url } = {}) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  page.problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || /Content.Security.Policy|Refused to/i.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e}`));
  page.on("dialog", (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  if (javaScriptEnabled) await page.addInitScript(recorder);
  if (delayScript) await page.route("**/inbox/live.js", delayScript);
  await page.goto(base + "/login?next=" + encodeURIComponent(path));
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/inbox(\?|$)/, { timeout: 10_000 });
  if (javaScriptEnabled) {
    await page.locator("#live").filter({ hasText: "Live:" }).waitFor({ timeout: 10_000 });
    // Marks this document: a reload would lose it.
    await page.evaluate(() => { window.__sameDocument = true; });
  }
  return page;
}

const listRow = (page, text) => page.locator("table.list tbody tr").filter({ hasText: text });
const card = (page, text) => page.locator("section.follow-ups ol.cards li").filter({ hasText: text });
const cells = (row) => row.locator("td").allTextContents();

test("new answers, a hostile vent and a follow-up request appear live, as text, without a CSP violation", { timeout: 60_000 }, async () => {
  const page = await signIn("admin", INBOX_PASSWORD);
  const followUpsBefore = Number(await page.locator("section.follow-ups .count").textContent());
  const ids = { score: randomUUID(), vent: randomUUID(), followUp: randomUUID() };
  await post({ id: ids.score, action: "effort", effort: 6, agentId: "agent-ada", channel: "chat",
    conversationId: "conv-score", comment: "すぐに解決しました。ありがとう！" });
  await post({ id: ids.vent, action: "vent", agentId: "agent-ada", conversationId: "conv-vent", comment: HOSTILE });
  await post({ id: ids.followUp, action: "effort", effort: 2, followUp: true, agentId: "agent-grace",
    conversationId: "conv-follow-up", comment: "请尽快联系我 — 订单 #4417" });

  // In the list, newest first, without a reload.
  await listRow(page, "请尽快联系我").waitFor({ timeout: 10_000 });
  await listRow(page, "すぐに解決しました").waitFor({ timeout: 10_000 });
  const vent = listRow(page, "客户很生气");
  await vent.waitFor({ timeout: 10_000 });
  assert.equal(await vent.locator("td.comment").textContent(), HOSTILE, "the hostile comment, exactly, as text");
  assert.equal((await cells(vent))[3], "vent");
  const score = await cells(listRow(page, "すぐに解決しました"));
  assert.deepEqual(score.slice(1, 6), ["agent-ada", "chat", "score", "6", "すぐに解決しました。ありがとう！"]);
  const top = await page.locator("table.list tbody tr td.comment").evaluateAll((tds) => tds.slice(0, 3).map((td) => td.textContent));
  assert.deepEqual(top, ["请尽快联系我 — 订单 #4417", HOSTILE, "すぐに解決しました。ありがとう！"], "newest first");

  // The follow-up request: a card in the follow-ups, the count up by one.
  const fu = card(page, "请尽快联系我");
  await fu.waitFor({ timeout: 10_000 });
  assert.match(await fu.textContent(), /scored 2\/7 · agent-grace · conversation conv-follow-up/);
  assert.deepEqual(await fu.locator("bdi").allTextContents(), ["agent-grace", "conv-follow-up"],
    "each posted id isolated, as the page renders it: a right-to-left override in one reorders nothing else");
  assert.equal(await page.locator("section.follow-ups .count").textContent(), String(followUpsBefore + 1));
  assert.equal(await fu.locator("input[name=id]").inputValue(), ids.followUp, "its button marks this answer");
  assert.equal(await listRow(page, "请尽快联系我").locator("td").nth(6).textContent(), "wants contact");

  // Nothing of the comment ran or became markup; the page never reloaded.
  const dom = await page.evaluate(() => ({
    pwned: window.__pwned,
    same: window.__sameDocument,
    images: document.querySelectorAll("img").length,
    scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
    handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
    csp: window.__csp,
    received: window.__received,
  }));
  assert.deepEqual(dom, {
    pwned: undefined, same: true, images: 0, scripts: ["/inbox/live.js"], handlers: 0, csp: [],
    received: [ids.score, ids.vent, ids.followUp],
  });
  assert.deepEqual(page.problems, [], "no CSP report, page error or dialog");

  // What the script drew is what the server draws after a reload.
  const live = { vent: await cells(vent), score, followUp: await cells(listRow(page, "请尽快联系我")),
    card: (await fu.textContent()).replace(/\s+/g, " ") };
  await page.reload();
  await page.locator("#live").filter({ hasText: "Live:" }).waitFor({ timeout: 10_000 });
  const served = { vent: await cells(listRow(page, "客户很生气")), score: await cells(listRow(page, "すぐに解決しました")),
    followUp: await cells(listRow(page, "请尽快联系我")), card: (await card(page, "请尽快联系我").textContent()).replace(/\s+/g, " ") };
  assert.deepEqual(live, served);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("an answer stored while the page was still loading its script is not lost, nor shown twice", { timeout: 60_000 }, async () => {
  const early = randomUUID();
  let posted = false;
  // The page is served; before its script runs, a customer answers.
  const page = await signIn("admin", INBOX_PASSWORD, {
    delayScript: async (route) => {
      if (!posted) {
        posted = true;
        await post({ id: early, action: "effort", effort: 1, followUp: true, agentId: "agent-ada", comment: "arrived during the page load" });
      }
      await route.continue();
    },
  });
  assert.ok(posted, "the script was requested");
  await listRow(page, "arrived during the page load").waitFor({ timeout: 10_000 });
  await card(page, "arrived during the page load").waitFor({ timeout: 10_000 });
  const later = randomUUID();
  await post({ id: later, action: "effort", effort: 5, agentId: "agent-ada", comment: "after it" });
  await listRow(page, "after it").waitFor({ timeout: 10_000 });
  assert.equal(await listRow(page, "arrived during the page load").count(), 1, "once in the list");
  assert.equal(await card(page, "arrived during the page load").count(), 1, "once in the follow-ups");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("with the list filtered, a new follow-up request still joins the follow-ups, as after a reload", { timeout: 60_000 }, async () => {
  // The follow-ups section is narrowed by agent, channel and dates only;
  // kind, score and comment narrow the list.
  const page = await signIn("admin", INBOX_PASSWORD, { path: "/inbox?score=high" });
  const before = Number(await page.locator("section.follow-ups .count").textContent());
  await post({ id: randomUUID(), action: "effort", effort: 1, followUp: true, agentId: "agent-ada", comment: "low, filtered out of the list" });
  await post({ id: randomUUID(), action: "effort", effort: 7, agentId: "agent-ada", comment: "high, in the list" });
  await listRow(page, "high, in the list").waitFor({ timeout: 10_000 });
  await card(page, "low, filtered out of the list").waitFor({ timeout: 10_000 });
  assert.equal(await page.locator("section.follow-ups .count").textContent(), String(before + 1));
  assert.equal(await listRow(page, "low, filtered out of the list").count(), 0, "the list keeps its filter");
  await page.reload();
  await card(page, "low, filtered out of the list").waitFor({ timeout: 5000 });
  assert.equal(await listRow(page, "low, filtered out of the list").count(), 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("a burst of answers arrives whole, each once", { timeout: 90_000 }, async () => {
  const page = await signIn("admin", INBOX_PASSWORD);
  const burst = Array.from({ length: 250 }, (_, i) => ({ id: randomUUID(), action: "effort", effort: (i % 7) + 1,
    agentId: "agent-burst", comment: `burst ${i}` }));
  // Ten at a time, as many customers at once would.
  for (let i = 0; i < burst.length; i += 10) await Promise.all(burst.slice(i, i + 10).map((a) => post(a)));
  const mine = new Set(burst.map((a) => a.id));
  const shown = async () => (await page.locator("table.list tbody tr td.comment").allTextContents()).filter((t) => t.startsWith("burst "));
  await until(async () => (await shown()).length >= burst.length, 20_000, "all 250 rows").catch(() => {});
  const texts = await shown();
  assert.equal(texts.length, burst.length, `${texts.length} of ${burst.length} shown`);
  assert.equal(new Set(texts).size, burst.length, "each once");
  const received = (await page.evaluate(() => window.__received)).filter((id) => mine.has(id));
  assert.equal(received.length, burst.length, "each event once");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("after the receiver restarts, the page reconnects and misses nothing stored meanwhile", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "feedback-live-"));
  const db = join(dir, "db.sqlite");
  let first = await startReceiver({ db, faults: false });
  let second = null;
  try {
    const page = await signIn("admin", INBOX_PASSWORD, { base: first.url });
    await post({ id: randomUUID(), action: "effort", effort: 4, comment: "before the restart" }, first.url);
    await listRow(page, "before the restart").waitFor({ timeout: 10_000 });
    await first.stop();
    first = null;
    await page.locator("#live").filter({ hasText: "reconnecting" }).waitFor({ timeout: 10_000 });
    // The same address and database; an answer is stored before the
    // browser is back (it retries after about 3 s).
    second = await startReceiver({ db, port: new URL(page.url()).port, faults: false });
    await post({ id: randomUUID(), action: "effort", effort: 2, followUp: true, comment: "while it was away" }, second.url);
    await listRow(page, "while it was away").waitFor({ timeout: 15_000 });
    await card(page, "while it was away").waitFor({ timeout: 5000 });
    await page.locator("#live").filter({ hasText: "Live:" }).waitFor({ timeout: 5000 });
    assert.equal(await listRow(page, "before the restart").count(), 1, "not added again");
    assert.equal(await page.evaluate(() => window.__sameDocument), true, "without a reload");
    assert.deepEqual(page.problems.filter((p) => !/ERR_CONNECTION_REFUSED|net::ERR/.test(p)), []);
    await page.context().close();
  } finally {
    await first?.stop();
    await second?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an agent's live page never receives another agent's answers; a lead's gets both", { timeout: 60_000 }, async () => {
  const ada = await signIn("ada", PEOPLE.ada.password);
  // Asking for a colleague's answers narrows, never widens.
  const adaAsksForGrace = await signIn("ada", PEOPLE.ada.password, { path: "/inbox?agent=agent-grace" });
  const lea = await signIn("lea", PEOPLE.lea.password);
  const ids = { grace: randomUUID(), ada: randomUUID(), graceFollowUp: randomUUID() };
  await post({ id: ids.grace, action: "effort", effort: 3, agentId: "agent-grace", comment: "grace's customer, private" });
  await post({ id: ids.graceFollowUp, action: "effort", effort: 1, followUp: true, agentId: "agent-grace", comment: "grace's follow-up, private" });
  await post({ id: ids.ada, action: "effort", effort: 4, agentId: "agent-ada", comment: "ada's own customer" });
  // Events come in order: once ada's arrived, grace's earlier ones would have.
  await listRow(ada, "ada's own customer").waitFor({ timeout: 10_000 });
  await listRow(lea, "ada's own customer").waitFor({ timeout: 10_000 });
  // Of this test's answers (a stream may also carry the last seconds'
  // answers from before its page, which the script does not show twice).
  const mine = Object.values(ids);
  const received = async (page) => (await page.evaluate(() => window.__received)).filter((id) => mine.includes(id));
  await until(async () => (await received(lea)).length === 3, 5000, "the lead's three events");
  // Give a stray event time to arrive (the stream polls every 3 s at most).
  await new Promise((r) => setTimeout(r, 3500));
  assert.deepEqual(await received(ada), [ids.ada], "ada: her own answer");
  assert.deepEqual(await received(lea), [ids.grace, ids.graceFollowUp, ids.ada], "a lead: everything");
  for (const page of [ada, adaAsksForGrace]) {
    const all = await page.evaluate(() => window.__received);
    const others = all.filter((id) => agentOf.get(id) !== "agent-ada");
    assert.deepEqual(others, [], "never an answer of another agent's (or of none)");
  }
  for (const page of [ada, adaAsksForGrace]) {
    assert.equal(await page.getByText("private").count(), 0);
    assert.deepEqual(page.problems, []);
  }
  await card(lea, "grace's follow-up, private").waitFor({ timeout: 5000 });
  // After a reload too: the server's page shows ada nothing of grace's.
  await ada.reload();
  await listRow(ada, "ada's own customer").waitFor({ timeout: 5000 });
  assert.equal(await ada.getByText("private").count(), 0);
  for (const page of [ada, adaAsksForGrace, lea]) await page.context().close();
});

test("without JavaScript the inbox lists new answers after a reload", { timeout: 60_000 }, async () => {
  const page = await signIn("admin", INBOX_PASSWORD, { javaScriptEnabled: false });
  assert.equal(await page.locator("#live").textContent(), "", "no live status without the script");
  const id = randomUUID();
  await post({ id, action: "vent", agentId: "agent-ada", comment: "no script here <b>bold?</b> 你好" });
  await post({ id: randomUUID(), action: "effort", effort: 2, followUp: true, agentId: "agent-ada", comment: "call me back, no script" });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await listRow(page, "no script here").count(), 0, "nothing changes by itself");
  await page.reload();
  const row = listRow(page, "no script here");
  await row.waitFor({ timeout: 5000 });
  assert.equal(await row.locator("td.comment").textContent(), "no script here <b>bold?</b> 你好");
  await card(page, "call me back, no script").waitFor({ timeout: 5000 });
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
