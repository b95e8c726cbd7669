//! `cargo xtask bloat`: what the shipped wasm is made of. It builds
//! `dist/`, then runs the same `wasm-opt` passes on the wasm-bindgen output
//! without stripping names, and asks twiggy (installed under
//! `target/tools/twiggy` on first use) for every item's size. It prints
//! the top 20 items, the totals per crate (from each item's demangled
//! path) and the change in each against the last saved run, and saves
//! this run as `target/bench/bloat-latest.json` (the previous one becomes
//! `bloat-previous.json`).

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use crate::{cargo_target_dir, dist, root, run, tools, Result};

const TWIGGY: &str = "0.8.0";

pub fn bloat() -> Result {
    dist::dist()?;
    let twiggy = root().join("target/tools/twiggy/bin/twiggy");
    if !twiggy.exists() {
        eprintln!("installing twiggy {TWIGGY} (a minute or two, once)");
        run(crate::cargo()
            .args(["install", "twiggy", "--version", TWIGGY, "--root"])
            .arg(root().join("target/tools/twiggy")))?;
    }
    let bench = root().join("target/bench");
    fs::create_dir_all(&bench).map_err(|e| e.to_string())?;
    let built = cargo_target_dir().join("wasm32-unknown-unknown/wasm-release/feedback_widget.wasm");
    let out = bench.join("bloat");
    run(Command::new("wasm-bindgen")
        .arg(&built)
        .args(["--target", "web", "--out-name", "named", "--out-dir"])
        .arg(&out))?;
    let named = out.join("named_bg.wasm");
    run(Command::new(tools::wasm_opt()?)
        .args(dist::WASM_OPT_PASSES)
        .args(dist::WASM_FEATURES)
        .args(["--debuginfo", "--strip-dwarf"])
        .arg(&named)
        .arg("-o")
        .arg(&named))?;
    let output = Command::new(&twiggy)
        .args(["top", "--format", "json"])
        .arg(&named)
        .output()
        .map_err(|e| format!("twiggy: {e}"))?;
    if !output.status.success() {
        return Err(format!("twiggy failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let items: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("twiggy's JSON: {e}"))?;
    let items: Vec<(String, u64)> = items
        .iter()
        .filter_map(|i| Some((i["name"].as_str()?.to_owned(), i["shallow_size"].as_u64()?)))
        .filter(|(name, _)| !name.starts_with("custom section") && !name.contains("subsection"))
        .collect();
    let total: u64 = items.iter().map(|(_, s)| s).sum();
    let mut crates: BTreeMap<String, u64> = BTreeMap::new();
    for (name, size) in &items {
        *crates.entry(crate_of(name)).or_default() += size;
    }

    let latest = bench.join("bloat-latest.json");
    let previous: Option<serde_json::Value> =
        fs::read_to_string(&latest).ok().and_then(|t| serde_json::from_str(&t).ok());
    let was = |kind: &str, key: &str| previous.as_ref().and_then(|p| p[kind][key].as_u64());
    let delta = |now: u64, then: Option<u64>| match then {
        Some(then) if then != now => format!(" ({:+})", now as i64 - then as i64),
        Some(_) => String::new(),
        None => " (new)".to_owned(),
    };

    println!(
        "\ncode and data of the shipped wasm (after wasm-opt, before gzip): {total} bytes{}",
        delta(total, previous.as_ref().and_then(|p| p["total"].as_u64()))
    );
    println!("\n| crate | bytes | share |\n|---|---:|---:|");
    let mut by_size: Vec<(&String, &u64)> = crates.iter().collect();
    by_size.sort_by_key(|item| std::cmp::Reverse(*item.1));
    for (name, size) in &by_size {
        println!(
            "| {name} | {size}{} | {:.1}% |",
            delta(**size, was("crates", name)),
            **size as f64 * 100.0 / total as f64
        );
    }
    println!("\n| top 20 items | bytes |\n|---|---:|");
    let mut top = items.clone();
    top.sort_by_key(|item| std::cmp::Reverse(item.1));
    for (name, size) in top.iter().take(20) {
        let short: String = name.chars().take(110).collect();
        println!("| {} | {size}{} |", short.replace('|', "\\|"), delta(*size, was("items", name)));
    }
    let record = serde_json::json!({
        "total": total,
        "crates": crates,
        "items": top.iter().take(200).map(|(n, s)| (n.clone(), *s)).collect::<BTreeMap<_, _>>(),
    });
    if latest.exists() {
        fs::rename(&latest, bench.join("bloat-previous.json")).map_err(|e| e.to_string())?;
    }
    fs::write(&latest, serde_json::to_string_pretty(&record).expect("JSON")).map_err(|e| e.to_string())?;
    eprintln!("\nsaved {}", latest.display());
    Ok(())
}

/// The crate an item belongs to, from its demangled name:
/// `yew::dom_bundle::...` -> `yew`; `<alloc::vec::Vec<T> as ...>::f` ->
/// `alloc`; `core[1a2b]::str::...` -> `core`; data and glue items by kind.
fn crate_of(name: &str) -> String {
    let name = name.trim_start_matches('<').trim_start_matches('&').trim_start_matches("mut ");
    if name.starts_with("data[") || name.starts_with("data segment") {
        return "(data)".into();
    }
    let head = name.split("::").next().unwrap_or(name);
    let head = head.split('[').next().unwrap_or(head);
    let head = head.split(['<', ' ', '(']).next().unwrap_or(head);
    if head.is_empty() || name.starts_with("elem") || name.starts_with("table") || name.starts_with("import") {
        return "(wasm tables, imports)".into();
    }
    if !name.contains("::") {
        return "(unnamed)".into();
    }
    // `<T as Trait>::f`, `<char as ...>`, `<[u8] ...>`: an impl on a generic
    // parameter or a primitive, wherever it was instantiated.
    let primitive = matches!(head, "char" | "str" | "bool" | "dyn" | "usize" | "isize" | "f32" | "f64")
        || head.trim_end_matches('>').parse::<PrimitiveInt>().is_ok()
        || (head.len() <= 2 && head.chars().all(|c| c.is_ascii_uppercase()));
    if primitive {
        return "(impls on primitives and generics)".into();
    }
    head.to_owned()
}

/// `u8` ... `u128`, `i8` ... `i128`.
struct PrimitiveInt;

impl std::str::FromStr for PrimitiveInt {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        let digits = s.strip_prefix('u').or_else(|| s.strip_prefix('i')).ok_or(())?;
        matches!(digits, "8" | "16" | "32" | "64" | "128").then_some(PrimitiveInt).ok_or(())
    }
}
