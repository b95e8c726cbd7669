// Types of the public API, for dist/feedback.mjs (import) and for
// window.Feedback (the script tag). The shapes of contexts, decisions,
// payloads, options and events are generated from the Rust side into
// feedback_wasm.d.ts.
import type {
  FeedbackContext, FeedbackDecision, FeedbackOutcome, FeedbackOptions, FeedbackEvents,
} from "./feedback_wasm.js";

export type {
  FeedbackAction, FeedbackContext, FeedbackDecision, FeedbackEvents, FeedbackOptions, FeedbackOutcome,
  FeedbackPayload, FeedbackStrings,
} from "./feedback_wasm.js";

/** Options for the ES module's `init`: the widget's options, plus where its files live. */
export interface FeedbackInit extends FeedbackOptions {
  endpoint: string;
  /** Absolute URL of feedback_wasm_bg.wasm (default: next to this module). */
  wasmUrl?: string;
  /** Absolute URL of feedback_wasm.js (default: next to this module). */
  glueUrl?: string;
  /** Absolute URL of feedback_reader.wasm, the transcript reader (default: next to this module). */
  readerUrl?: string;
  /** Absolute URL of feedback_lexicons.txt (default: next to this module). */
  lexiconUrl?: string;
  /** Absolute URL of the locales/ directory, with or without its last "/" (default: next to this module). */
  localesUrl?: string;
}

/** The API, as the ES module exports it and as window.Feedback holds it. */
export interface FeedbackApi {
  /** Resolves once the widget can run; rejects with the configuration error. */
  readonly ready: Promise<FeedbackApi>;
  /** The decision for a context: shows nothing, records nothing, posts nothing. */
  decide(context?: FeedbackContext): Promise<FeedbackDecision>;
  /** Decides and shows the floating prompt unless the action is silent. */
  ask(context?: FeedbackContext): Promise<FeedbackOutcome>;
  /** The same, rendered inline as the last child of an element (or a CSS selector). */
  mount(element: Element | string, context?: FeedbackContext): Promise<FeedbackOutcome>;
  /** Overrides options and rules; all or nothing. */
  configure(settings: FeedbackOptions): Promise<void>;
  /** Forgets what this browser remembers about customers (answers, dismissals,
   * this tab's prompt count): for testing and demos. Undelivered answers stay queued. */
  reset(): Promise<void>;
  /** Subscribes to a lifecycle event; returns a function that unsubscribes. */
  on<K extends keyof FeedbackEvents>(event: K, handler: (detail: FeedbackEvents[K]) => void): () => void;
}

export function init(options: FeedbackInit): Promise<void>;
export const ready: Promise<FeedbackApi>;
export const decide: FeedbackApi["decide"];
export const ask: FeedbackApi["ask"];
export const mount: FeedbackApi["mount"];
export const configure: FeedbackApi["configure"];
export const reset: FeedbackApi["reset"];
export const on: FeedbackApi["on"];
declare const Feedback: FeedbackApi;
export default Feedback;

declare global {
  interface Window {
    /** Defined by the script tag loader, dist/feedback.js. */
    Feedback: FeedbackApi;
  }
}
