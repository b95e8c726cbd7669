//! The Yew floor (`benches/yew-floor`): the plain-DOM floor's prompt as the
//! smallest Yew app, built for `cargo xtask bench` exactly as `dist`
//! builds the widget (the same profile, source paths remapped,
//! wasm-bindgen, `wasm-opt` passes, short import names and minified glue), into `target/bench/yew-floor/`,
//! which the bench's receiver serves. Its bytes and times are what Yew
//! itself costs to show the prompt; the widget's are that plus its own
//! code.

use std::fs;
use std::process::Command;

use crate::dist::{WASM_FEATURES, WASM_OPT_PASSES};
use crate::{cargo, cargo_target_dir, imports, root, run, tools, Result};

pub fn build() -> Result {
    let root = root();
    let out = root.join("target/bench/yew-floor");
    // Its own target directory: it is not in the workspace, and sharing the
    // widget's would make each rebuild the other's dependencies.
    let target = cargo_target_dir().join("yew-floor");
    run(cargo()
        .args(["build", "--release", "--target", "wasm32-unknown-unknown", "--manifest-path"])
        .arg(root.join("benches/yew-floor/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .env("CARGO_ENCODED_RUSTFLAGS", crate::dist::remap_paths(&root)))?;
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("clearing {}: {e}", out.display()))?;
    }
    run(Command::new("wasm-bindgen")
        .arg(target.join("wasm32-unknown-unknown/release/yew_floor.wasm"))
        .args(["--target", "web", "--out-dir"])
        .arg(&out))?;
    let wasm = out.join("yew_floor_bg.wasm");
    run(Command::new(tools::wasm_opt()?)
        .args(WASM_OPT_PASSES)
        .args(["--strip-debug", "--strip-producers"])
        .args(WASM_FEATURES)
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm))?;
    let glue = out.join("yew_floor.js");
    imports::shorten_files(&wasm, &glue, "./yew_floor_bg.js")?;
    run(Command::new(tools::esbuild()?)
        .arg(&glue)
        .args(["--minify", "--target=es2020", "--allow-overwrite", "--log-level=warning", "--format=esm"])
        .arg(format!("--outfile={}", glue.display())))
}
