// A small TypeScript app against dist/feedback.d.ts, checked with
// `tsc --noEmit --strict` by types.test.mjs.
import { init, ask, mount, decide, configure, on, type FeedbackContext, type FeedbackPayload } from "../../../dist/feedback.mjs";

async function main(): Promise<void> {
  await init({ endpoint: "https://api.example.com/feedback", company: "Acme", theme: "dark", sampleRate: 0.5 });
  const context: FeedbackContext = {
    conversationId: "c-1",
    channel: "chat",
    waitSeconds: 40,
    outcome: "resolved",
    messages: [{ from: "customer", text: "thanks!" }],
    metadata: { plan: "pro" },
  };
  const decision = await decide(context);
  const action: "effort" | "vent" | "silent" = decision.action;
  const off = on("submit", (payload: FeedbackPayload) => console.log(payload.effort ?? "no score", payload.comment));
  on("failed", ({ id, status, reason }) => console.log(id, status, reason));
  // (`show` was typed as an outcome without "shown": TS2367 here.)
  on("show", (shown) => { if (shown.outcome === "shown" && shown.action !== "silent") console.log(shown.id.length); });
  const result = await ask(context);
  if (result.outcome === "submitted") off();
  await mount("#feedback", { conversationId: 42 });
  await configure({ forceChannel: { email: "silent" }, longWaitSeconds: { chat: 120 } });
  console.log(action);
  // The script tag's global has the same API.
  await window.Feedback.ask({ transfers: 3 });
}
void main();
