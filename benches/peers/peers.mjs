// The peers `cargo xtask bench --peers` measures beside the widget: other
// survey widgets' published npm packages (benches/peers/package.json,
// installed by xtask into target/tools/peers), each on a page in
// benches/peers/ that shows a one-question 1-7 rating survey in English
// when `PeerFeedback.ask()` is called, with no network but the receiver
// serving the files and the peer's API answers (written here).
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const QUESTION = "Acme made it easy for me to handle my issue.";

function version(dir, name) {
  const file = join(dir, "node_modules", name, "package.json");
  if (!existsSync(file)) throw new Error(`${name} is not installed in ${dir} (cargo xtask bench --peers installs it)`);
  return JSON.parse(readFileSync(file, "utf8")).version;
}

// PostHog's API answer to /api/surveys/: one popover survey, one rating
// question on a 1-7 number scale, shown at once.
const POSTHOG_SURVEY = {
  id: "bench", name: "Bench", description: "", type: "popover",
  questions: [{
    id: "effort", type: "rating", question: QUESTION, description: "", descriptionContentType: "text",
    display: "number", scale: 7, lowerBoundLabel: "Strongly disagree", upperBoundLabel: "Strongly agree",
    optional: false, buttonText: "Submit",
  }],
  appearance: { position: "right", displayThankYouMessage: true, thankYouMessageHeader: "Thank you!", surveyPopupDelaySeconds: 0 },
  conditions: null, start_date: "2020-01-01T00:00:00Z", end_date: null,
  current_iteration: null, current_iteration_start_date: null, schedule: "always",
  linked_flag_key: null, targeting_flag_key: null, internal_targeting_flag_key: null, feature_flag_keys: null,
  enable_partial_responses: false,
};

// What PostHog serves as the project's remote config script
// (array/<token>/config.js): surveys on, everything else off, no feature
// flags.
const POSTHOG_CONFIG = {
  token: "phc_bench", supportedCompression: ["gzip", "gzip-js"], hasFeatureFlags: false,
  captureDeadClicks: false, capturePerformance: false, autocapture_opt_out: true, autocaptureExceptions: false,
  analytics: { endpoint: "/i/v0/e/" }, elementsChainAsString: true, sessionRecording: false, heatmaps: false,
  surveys: true, productTours: false, defaultIdentifiedOnly: true, siteApps: [],
};

const POSTHOG_CONFIG_JS = `(function(){window._POSTHOG_REMOTE_CONFIG=window._POSTHOG_REMOTE_CONFIG||{};` +
  `window._POSTHOG_REMOTE_CONFIG["phc_bench"]={config:${JSON.stringify(POSTHOG_CONFIG)},siteApps:[]}})();\n`;

/**
 * The peers, keyed like the bench's variants: page, host (the survey's root
 * element), target (a rating option inside it) and ask (an expression).
 * `dir` is target/tools/peers, which the receiver serves.
 */
export function peers(root, dir) {
  // PostHog loads everything from its host: array.js as /static/array.js,
  // surveys.js as /static/<version>/surveys.js (falling back to
  // /static/surveys.js?v=<version>), the project's remote config as
  // /array/<token>/config.js and the surveys as /api/surveys/?token=...
  // Lay the npm package's files and those answers out the same way under
  // the receiver's static root (the surveys as api/surveys/index.html,
  // which the receiver serves for that directory; PostHog parses the body
  // as JSON whatever its type). Served files, not page.route: Playwright
  // would then intercept every request of the page, slowing PostHog alone.
  const posthog = version(dir, "posthog-js");
  const host = join(dir, "posthog");
  for (const sub of [`static/${posthog}`, "array/phc_bench", "api/surveys"]) mkdirSync(join(host, sub), { recursive: true });
  for (const file of ["static/array.js", `static/${posthog}/surveys.js`, "static/surveys.js"]) {
    copyFileSync(join(dir, "node_modules/posthog-js/dist", file.split("/").pop()), join(host, file));
  }
  writeFileSync(join(host, "array/phc_bench/config.js"), POSTHOG_CONFIG_JS);
  writeFileSync(join(host, "api/surveys/index.html"), JSON.stringify({ surveys: [POSTHOG_SURVEY] }));
  const served = "/" + relative(root, dir).split("\\").join("/");
  if (served !== "/target/tools/peers") throw new Error(`the peer pages load from /target/tools/peers, not ${served}`);

  const formbricks = version(dir, "@formbricks/surveys");
  return {
    formbricks: {
      label: `Formbricks (@formbricks/surveys ${formbricks})`,
      packages: { "@formbricks/surveys": formbricks },
      page: "/benches/peers/formbricks.html",
      host: "#formbricks-modal-container", target: "input[type=radio]",
      ask: "PeerFeedback.ask()",
    },
    posthog: {
      label: `PostHog (posthog-js ${posthog})`,
      packages: { "posthog-js": posthog, "@posthog/browser-common": version(dir, "@posthog/browser-common") },
      page: "/benches/peers/posthog.html",
      host: ".PostHogSurvey-bench", target: ".ratings-number",
      ask: "PeerFeedback.ask()",
    },
  };
}
