// The TypeScript types: a small app type-checks with --strict, and a
// wrong context field does not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const check = (file) =>
  spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2020", "--module", "esnext",
    "--moduleResolution", "bundler", "--lib", "es2022,dom,esnext.disposable", join(here, "types", file)], { encoding: "utf8" });

test("tsc --noEmit --strict accepts an app written against dist/feedback.d.ts", () => {
  const result = check("example.ts");
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test("and rejects a context field of the wrong type", () => {
  const result = check("wrong.ts");
  assert.notEqual(result.status, 0);
  assert.match(result.stdout, /wrong\.ts\(3,\d+\): error TS2322/);
});
