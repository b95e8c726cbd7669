//! `cargo xtask <command>`: build, demo and test the widget.
//!
//! - `dist`: release wasm tuned for size, wasm-bindgen, wasm-opt, the loader;
//!   writes `dist/` and prints every file's raw, gzip and brotli size.
//! - `demo`: `dist`, then serves `index.html` and `dist/` with a receiving
//!   endpoint on http://127.0.0.1:8080.
//! - `test`: every test layer (lint, native, browser, end-to-end).
//! - `lint`: the architecture invariants (a grep).
//!
//! Each command installs what it needs on a fresh Debian machine (the wasm
//! target, the matching wasm-bindgen-cli, Chromium and its driver, npm
//! packages) and skips whatever is already there.

mod bloat;
mod dist;
mod floor;
mod imports;
mod postgres;
mod tools;

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <dist|demo|test|test-receiver|bench|package|lint>

  dist    build dist/ (feedback.js and what it loads) and print its sizes;
          --nightly: with the pinned nightly and the standard library
          rebuilt for size (optional; stable is the default and what CI tests)
  demo    build dist/ and serve the demo and the inbox on http://127.0.0.1:8080
  test    run every test layer, installing what they need
  test-receiver
          only the receiver's tests, on SQLite and a throwaway PostgreSQL
  bench   measure size, speed and memory against a plain-DOM floor and
          the same prompt as the smallest Yew app (the Yew floor);
          --peers: other survey widgets too (Formbricks, PostHog), from
          their npm packages installed into target/tools/peers;
          --browser-only: only the browser half (no criterion, no
          receiver load test)
  package build dist/ and pack it as an npm package (dist/*.tgz)
  bloat   what the shipped wasm is made of (twiggy): top items, totals per
          crate, and the change since the last run (target/bench/)
  explain FILE.json
          how the transcript reader read a conversation (a context with
          messages, or an array of messages): per customer message the
          normalized text, language, phrases found and running signals,
          then the decision and its reasons, and the learned model's
          log-odds with the n-grams that weighed most
  train   fit the transcript reader's model to tests/corpus/tuning/ and
          write transcript/src/lexicons/model.txt (a few seconds;
          deterministic); --without LETTER: leave one tuning batch out
          and print its conversations' log-odds instead
  lint    check the architecture invariants";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dist") if args.get(1).map(String::as_str) == Some("--nightly") => {
            dist::dist_with(dist::Toolchain::Nightly).map(|_| ())
        }
        Some("dist") => dist::dist().map(|_| ()),
        Some("demo") => demo(),
        Some("test") => test(),
        Some("test-receiver") => test_receiver(),
        Some("explain") => explain(),
        Some("train") => run(cargo()
            .current_dir(root())
            .args(["run", "--release", "--quiet", "--example", "train", "--"])
            .args(&args[1..])),
        Some("bloat") => bloat::bloat(),
        Some("lint") => lint(),
        Some("bench") => bench(&args[1..]),
        Some("package") => package().map(|_| ()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of `xtask/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set (relative
/// to the workspace root, as cargo reads it), else `target/`. Files xtask
/// writes itself (screenshots, tools, the demo database) stay in the
/// workspace's `target/`.
fn cargo_target_dir() -> PathBuf {
    match env::var_os("CARGO_TARGET_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

/// Runs a command in the workspace root; fails with its name if it fails.
fn run(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    eprintln!("$ {shown}");
    let status = cmd.current_dir_if_unset(&root()).status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

trait CommandExt {
    fn current_dir_if_unset(&mut self, dir: &Path) -> &mut Self;
}

impl CommandExt for Command {
    fn current_dir_if_unset(&mut self, dir: &Path) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(dir);
        }
        self
    }
}

fn cargo() -> Command {
    Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn demo() -> Result {
    dist::dist()?;
    let root = root();
    let db = env::var("FEEDBACK_DB").unwrap_or_else(|_| root.join("target/demo.sqlite").display().to_string());
    let password = env::var("FEEDBACK_INBOX_PASSWORD").unwrap_or_else(|_| "demo-inbox-password".into());
    let agent_password = "demo-agent-password";
    run(cargo().args(["build", "--quiet", "--release", "-p", "feedback-receiver"]))?;
    let receiver = cargo_target_dir().join("release/feedback-receiver");
    // An admin and an agent who sees only the answers of `agent-ada`, added
    // once (on later runs the command says the name is taken, which is fine).
    let add = |args: &[&str], password: &str| -> Result {
        let mut child = Command::new(&receiver)
            .args(["user", "add"])
            .args(args)
            .args(["--db", &db])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", receiver.display()))?;
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write as _;
            let _ = writeln!(stdin, "{password}");
        }
        let _ = child.wait();
        Ok(())
    };
    add(&["admin", "--role", "admin"], &password)?;
    add(&["ada", "--role", "agent", "--agent-id", "agent-ada"], agent_password)?;
    eprintln!(
        "\nDemo: http://127.0.0.1:8080/  inbox: http://127.0.0.1:8080/inbox\n\
         Sign in as admin (password {password:?}: sees everything, and the Admin page)\n\
         or as ada (password {agent_password:?}: an agent, sees only agent-ada's answers).\n\
         Responses are stored in {db}; Ctrl-C to stop.\n"
    );
    run(Command::new(&receiver)
        .args(["--listen", "127.0.0.1:8080", "--db", &db, "--static", &root.display().to_string(), "--seed-demo"])
        // Notifications the demo page shows as they are sent: every answer
        // goes to the receiver's own demo sink as a signed webhook.
        .args([
            "--demo-sink",
            "--webhook",
            "http://127.0.0.1:8080/_demo/sink",
            "--webhook-secret",
            "demo-webhook-secret",
        ])
        .env("FEEDBACK_INBOX_PASSWORD", &password))
}

/// `dist/` as an npm package: writes `dist/package.json` (exports, types,
/// files) and runs `npm pack`, leaving `dist/feedback-widget-<version>.tgz`.
fn package() -> Result<PathBuf> {
    dist::dist()?;
    tools::ensure_node()?;
    let dist = root().join("dist");
    let version = widget_version()?;
    let manifest = format!(
        r#"{{
  "name": "feedback-widget",
  "version": "{version}",
  "description": "An embeddable, context-aware customer effort (CES 2.0) and venting prompt, in Rust + Yew + WebAssembly",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "./feedback.mjs",
  "module": "./feedback.mjs",
  "types": "./feedback.d.ts",
  "exports": {{
    ".": {{ "types": "./feedback.d.ts", "import": "./feedback.mjs" }},
    "./feedback.js": "./feedback.js",
    "./feedback_wasm.js": "./feedback_wasm.js",
    "./feedback_wasm_bg.wasm": "./feedback_wasm_bg.wasm",
    "./feedback_reader.wasm": "./feedback_reader.wasm",
    "./feedback_lexicons.txt": "./feedback_lexicons.txt",
    "./package.json": "./package.json"
  }},
  "files": ["feedback.js", "feedback.mjs", "feedback.d.ts", "feedback.d.mts", "feedback_wasm.js",
            "feedback_wasm.d.ts", "feedback_wasm_bg.wasm", "feedback_wasm_bg.wasm.d.ts", "feedback_reader.wasm", "feedback_lexicons.txt",
            "locales"],
  "sideEffects": false
}}
"#
    );
    std::fs::write(dist.join("package.json"), manifest).map_err(|e| format!("dist/package.json: {e}"))?;
    run(Command::new("npm").args(["pack", "--silent"]).current_dir(&dist))?;
    let tarball = dist.join(format!("feedback-widget-{version}.tgz"));
    if !tarball.exists() {
        return Err(format!("npm pack did not write {}", tarball.display()));
    }
    eprintln!("package: {}", tarball.display());
    Ok(tarball)
}

/// The Yew app in `examples/yew_app.rs`, built for the browser into
/// `target/yew-example/` (the end-to-end tests run it).
fn build_yew_example() -> Result {
    run(cargo().args([
        "build",
        "--example",
        "yew_app",
        "-p",
        "feedback-widget",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let out = root().join("target/yew-example");
    run(Command::new("wasm-bindgen")
        .arg(cargo_target_dir().join("wasm32-unknown-unknown/debug/examples/yew_app.wasm"))
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(&out))?;
    std::fs::copy(root().join("examples/yew_app.html"), out.join("index.html")).map_err(|e| e.to_string())?;
    Ok(())
}

/// The widget crate's version, from the top-level Cargo.toml.
fn widget_version() -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    let package = manifest.split("[package]").nth(1).ok_or("Cargo.toml has no [package]")?;
    package
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = \"").and_then(|v| v.strip_suffix('"')))
        .map(str::to_owned)
        .ok_or_else(|| "Cargo.toml's [package] has no version".into())
}

/// Size, time to prompt, blocking time and memory in headless Chromium,
/// against the plain-DOM floor in `benches/floor` and the same prompt as
/// the smallest Yew app (`benches/yew-floor`), with `--peers` other survey
/// widgets too (`benches/peers`), then, unless `--browser-only`,
/// the native criterion benchmarks and the receiver's load test.
fn bench(args: &[String]) -> Result {
    let mut peers = false;
    let mut browser_only = false;
    for arg in args {
        match arg.as_str() {
            "--peers" => peers = true,
            "--browser-only" => browser_only = true,
            other => return Err(format!("bench: unknown option {other}\n\n{USAGE}")),
        }
    }
    tools::ensure_chromium()?;
    dist::dist()?;
    floor::build()?;
    run(cargo().args(["build", "--release", "-p", "feedback-receiver"]))?;
    tools::ensure_npm_packages(&root().join("tests/e2e"))?;
    let mut browser = Command::new("node");
    browser
        .arg(root().join("benches/browser.mjs"))
        .env("CHROMIUM", tools::CHROMIUM)
        .env("RECEIVER", cargo_target_dir().join("release/feedback-receiver"));
    if peers {
        // Served by the receiver from the workspace, so the pages load them
        // from /target/tools/peers like any other file.
        let dir = root().join("target/tools/peers");
        tools::ensure_npm_packages_into(&root().join("benches/peers"), &dir)?;
        browser.arg("--peers").env("BENCH_PEERS_DIR", &dir);
    }
    run(&mut browser)?;
    if browser_only {
        return Ok(());
    }
    run(cargo().args(["bench", "-p", "feedback-widget", "--bench", "native"]))?;
    let postgres = postgres::TestPostgres::start()?;
    run(cargo()
        .args(["bench", "-p", "feedback-receiver", "--bench", "load"])
        .env("FEEDBACK_TEST_POSTGRES_URL", &postgres.url))
}

fn lint() -> Result {
    // Architecture Invariant: the domain and the transcript reader (and
    // its wasm) never import the browser stack.
    let output = Command::new("grep")
        .args(["-rnE", r"web_sys|yew|gloo|wasm_bindgen|js_sys", "src/domain", "transcript/src", "reader/src"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("grep: {e}"))?;
    if !output.stdout.is_empty() {
        return Err(format!(
            "src/domain, transcript/ and reader/ must not use the browser stack:\n{}",
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    // Architecture Invariant: only shell/api.rs exports to JavaScript.
    let output = Command::new("grep")
        .args(["-rlnE", r"^\s*#\[wasm_bindgen", "src"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("grep: {e}"))?;
    let exporters: Vec<&str> = std::str::from_utf8(&output.stdout).unwrap_or("").lines().collect();
    if exporters.iter().any(|f| *f != "src/shell/api.rs") {
        return Err(format!("only src/shell/api.rs may carry #[wasm_bindgen] exports, found: {exporters:?}"));
    }
    // Architecture Invariant: the receiver stays in rooms, no file in
    // server/src over 400 lines (split by job before it grows past that).
    let mut long = Vec::new();
    for file in rust_files(&root().join("server/src"))? {
        let lines = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?.lines().count();
        if lines > MAX_RECEIVER_FILE_LINES {
            long.push(format!("{} ({lines} lines)", file.strip_prefix(root()).unwrap_or(&file).display()));
        }
    }
    if !long.is_empty() {
        return Err(format!("server/src files over {MAX_RECEIVER_FILE_LINES} lines: {}", long.join(", ")));
    }
    eprintln!("lint: architecture invariants hold");
    Ok(())
}

const MAX_RECEIVER_FILE_LINES: usize = 400;

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(out)
}

/// `cargo xtask explain FILE.json`: how the transcript reader read a
/// conversation, message by message, and what was decided (the
/// `explain` example, run natively).
fn explain() -> Result {
    let file = env::args()
        .nth(2)
        .ok_or("usage: cargo xtask explain FILE.json (a context with messages, or an array of messages)")?;
    let file = std::path::Path::new(&file);
    let file =
        if file.is_absolute() { file.to_path_buf() } else { env::current_dir().map_err(|e| e.to_string())?.join(file) };
    run(cargo().current_dir(root()).args(["run", "--quiet", "--example", "explain", "--"]).arg(file))
}

/// `cargo test -p feedback-receiver` with a PostgreSQL to test against.
fn test_receiver() -> Result {
    let postgres = postgres::TestPostgres::start()?;
    run(postgres.serve_tests(cargo().args(["test", "-p", "feedback-receiver"])))
}

fn test() -> Result {
    let started = std::time::Instant::now();
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_chromium()?;
    lint()?;
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo()
        .args(["clippy", "-p", "feedback-widget", "--target", "wasm32-unknown-unknown", "--lib", "--tests"])
        .args(["--", "-D", "warnings"]))?;
    // The shipped feature set (no reader compiled in, the small allocator).
    run(cargo().args(["clippy", "-p", "feedback-widget", "--target", "wasm32-unknown-unknown", "--lib"]).args([
        "--no-default-features",
        "--features",
        "small-allocator",
        "--",
        "-D",
        "warnings",
    ]))?;
    // The reader wasm's exports and panic handler exist only in the wasm.
    run(cargo()
        .args(["clippy", "-p", "feedback-reader", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release"])
        .args(["--", "-D", "warnings"]))?;

    eprintln!("\n== native tests (domain, receiver on SQLite and PostgreSQL, xtask) ==");
    {
        let postgres = postgres::TestPostgres::start()?;
        run(postgres.serve_tests(cargo().args(["test", "--workspace"])))?;
    }

    eprintln!("\n== browser tests (wasm-bindgen-test in headless Chromium) ==");
    run(cargo()
        // With the shipped wasm's allocator, so its leak test covers it.
        .args(["test", "--target", "wasm32-unknown-unknown", "--test", "browser", "--features", "small-allocator"])
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))?;

    eprintln!("\n== dist (size budget) and the npm package ==");
    package()?;

    eprintln!("\n== end-to-end tests (Playwright + headless Chromium) ==");
    run(cargo().args(["build", "--release", "-p", "feedback-receiver"]))?;
    build_yew_example()?;
    let e2e = root().join("tests/e2e");
    tools::ensure_npm_packages(&e2e)?;
    run(Command::new("node")
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .arg(".")
        .current_dir(&e2e)
        .env("CHROMIUM", tools::CHROMIUM)
        .env("RECEIVER", cargo_target_dir().join("release/feedback-receiver")))?;

    eprintln!("\nall test layers passed in {:.0?}", started.elapsed());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_artifacts_follow_cargo_target_dir() {
        // One test owns the variable, so no other test races it.
        let saved = env::var_os("CARGO_TARGET_DIR");
        env::set_var("CARGO_TARGET_DIR", "/elsewhere/target");
        assert_eq!(cargo_target_dir(), PathBuf::from("/elsewhere/target"));
        env::set_var("CARGO_TARGET_DIR", "build");
        assert_eq!(cargo_target_dir(), root().join("build"), "relative to the workspace, as cargo reads it");
        env::remove_var("CARGO_TARGET_DIR");
        assert_eq!(cargo_target_dir(), root().join("target"));
        if let Some(saved) = saved {
            env::set_var("CARGO_TARGET_DIR", saved);
        }
    }
}
