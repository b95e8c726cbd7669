// The peers `cargo xtask bench --peers` measures beside the widget: other
// survey widgets' published npm packages (benches/peers/package.json,
// installed by xtask into target/tools/peers), each on a page in
// benches/peers/ that shows a one-question 1-7 rating survey in English
// when `PeerFeedback.ask()` is called, with no network but the receiver
// serving the files and the bench answering the peer's API calls.
import { readFileSync, mkdirSync, copyFileSync, existsSync } from "node:fs";
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
// (<api host>/array/<token>/config.js): surveys on, everything else off,
// no feature flags.
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
 * element), target (a rating option inside it), ask (an expression), and
 * setup(context) for the API answers. `dir` is target/tools/peers.
 */
export function peers(root, dir) {
  // PostHog loads array.js from its asset host as /static/array.js, and
  // surveys.js as /static/<version>/surveys.js (falling back to
  // /static/surveys.js?v=<version>): lay out the npm package's files the
  // same way under the receiver's static root.
  const posthog = version(dir, "posthog-js");
  const assets = join(dir, "posthog-assets");
  mkdirSync(join(assets, "static", posthog), { recursive: true });
  for (const file of ["static/array.js", `static/${posthog}/surveys.js`, "static/surveys.js"]) {
    copyFileSync(join(dir, "node_modules/posthog-js/dist", file.split("/").pop()), join(assets, file));
  }
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
      async setup(context, origin) {
        await context.route(origin + "/posthog/**", (route) => {
          const url = new URL(route.request().url());
          if (url.pathname === "/posthog/array/phc_bench/config.js") {
            return route.fulfill({ contentType: "application/javascript", body: POSTHOG_CONFIG_JS });
          }
          if (url.pathname.startsWith("/posthog/api/surveys")) return route.fulfill({ json: { surveys: [POSTHOG_SURVEY] } });
          if (url.pathname.startsWith("/posthog/flags")) {
            return route.fulfill({ json: { featureFlags: {}, featureFlagPayloads: {}, errorsWhileComputingFlags: false, flags: {} } });
          }
          return route.fulfill({ json: { status: 1 } });
        });
      },
    },
  };
}
