//! Installing what the build and the tests need, skipping what is present:
//! the wasm32 target (rustup), wasm-bindgen-cli at exactly the version in
//! Cargo.lock (cargo install), Chromium and ChromeDriver (apt), and npm
//! packages (npm ci / npm install into `target/tools`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, root, run, Result};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// wasm-opt comes from npm's `binaryen`; Debian's is too old.
const BINARYEN: &str = "binaryen@132.0.0";
/// Minifies the wasm-bindgen glue (the same version the e2e tests use).
const ESBUILD: &str = "esbuild@0.28.2";

pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn ensure_wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The exact wasm-bindgen version the lock file resolved.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

pub fn ensure_wasm_bindgen() -> Result {
    let want = wasm_bindgen_version()?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    eprintln!("installing wasm-bindgen-cli {want} (a few minutes, once)");
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &want]))
}

/// A CJK font, so that Chinese renders in the screenshots the tests take.
const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

pub fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() && Path::new(CJK_FONT).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver", "fonts-wqy-zenhei"])
}

pub fn ensure_node() -> Result {
    if output(Command::new("npm").arg("--version")).is_some() {
        return Ok(());
    }
    apt_install(&["nodejs", "npm"])
}

pub fn apt_install(packages: &[&str]) -> Result {
    run(Command::new("apt-get").arg("update").arg("-q"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-q", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// `npm ci` in `dir` unless its node_modules is current.
pub fn ensure_npm_packages(dir: &Path) -> Result {
    ensure_node()?;
    let marker = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (std::fs::metadata(&marker), std::fs::metadata(&lock)) {
        (Ok(m), Ok(l)) => m.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir))
}

/// `npm ci` of the package.json and package-lock.json committed in `manifest`
/// into `dest` (under `target/`, so that no node_modules lands beside the
/// sources), unless `dest` already has that lock file installed. Install
/// scripts are not run: these packages are only served to a browser.
pub fn ensure_npm_packages_into(manifest: &Path, dest: &Path) -> Result {
    ensure_node()?;
    let lock = std::fs::read(manifest.join("package-lock.json")).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let installed = std::fs::read(dest.join("package-lock.json")).ok();
    if installed.as_deref() == Some(lock.as_slice()) && dest.join("node_modules/.package-lock.json").exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(manifest.join(file), dest.join(file)).map_err(|e| format!("{file}: {e}"))?;
    }
    run(Command::new("npm").args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]).current_dir(dest))
}

/// Path to `wasm-opt`, installing npm's binaryen under `target/tools`.
pub fn wasm_opt() -> Result<PathBuf> {
    node_tool("wasm-opt")
}

pub fn esbuild() -> Result<PathBuf> {
    node_tool("esbuild")
}

/// A tool from npm under `target/tools` (binaryen's `wasm-opt`, `esbuild`),
/// both installed by one `npm install` (a second `--no-save` install would
/// prune the first).
fn node_tool(name: &str) -> Result<PathBuf> {
    let prefix = root().join("target/tools");
    let bin = prefix.join("node_modules/.bin").join(name);
    if bin.exists() {
        return Ok(bin);
    }
    ensure_node()?;
    std::fs::create_dir_all(&prefix).map_err(|e| e.to_string())?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"])
        .arg(&prefix)
        .args([BINARYEN, ESBUILD]))?;
    Ok(bin)
}
