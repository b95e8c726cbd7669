// The manual's links: every local link in README.md and docs/*.md names a
// file that exists, and every #anchor a heading that exists in it (GitHub's
// slugs). Needs no browser and no build: moved sections leave no dead links.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PAGES = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The lines of a Markdown file outside fenced code blocks, inline code blanked. */
function prose(text) {
  let fenced = false;
  return text.split("\n").map((line) => {
    if (line.startsWith("```")) { fenced = !fenced; return ""; }
    return fenced ? "" : line.replace(/`[^`]*`/g, (code) => (line.startsWith("#") ? code.slice(1, -1) : ""));
  });
}

/** GitHub's anchors for a file's headings: lowercased, punctuation other than
 * `-` and `_` dropped, each space a `-`, repeats suffixed `-1`, `-2`, ... */
function anchors(file) {
  const seen = new Map();
  const found = new Set();
  for (const line of prose(readFileSync(file, "utf8"))) {
    const heading = line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
    if (!heading) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const slug = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    found.add(n ? `${slug}-${n}` : slug);
  }
  return found;
}

/** Every broken local link in `page`, as "page:line: target (why)". */
function broken(page) {
  const problems = [];
  prose(readFileSync(join(ROOT, page), "utf8")).forEach((line, i) => {
    for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
      const [path, anchor] = target.split("#");
      const file = path ? resolve(ROOT, dirname(page), path) : join(ROOT, page);
      const where = `${page}:${i + 1}: ${target}`;
      if (!existsSync(file)) problems.push(`${where} (no such file)`);
      else if (anchor !== undefined && !anchors(file).has(anchor)) {
        problems.push(`${where} (no heading #${anchor} in ${relative(ROOT, file)})`);
      }
    }
  });
  return problems;
}

test("the manual's pages are the README and an index of docs/", () => {
  assert.ok(PAGES.includes("docs/README.md"), "docs/README.md indexes the docs pages");
  const index = readFileSync(join(ROOT, "docs/README.md"), "utf8");
  for (const page of PAGES.filter((p) => p.startsWith("docs/") && p !== "docs/README.md")) {
    assert.ok(index.includes(`](${page.slice("docs/".length)})`), `docs/README.md links ${page}`);
  }
});

for (const page of PAGES) {
  test(`every local link and anchor in ${page} resolves`, () => {
    assert.deepEqual(broken(page), []);
  });
}
