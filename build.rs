//! The prompt's stylesheet as shipped: `www/prompt.css` without its
//! comments and indentation (they are for people; the wasm carries every
//! byte). Only whole comments and whitespace at line ends go, so no rule
//! changes meaning.

fn main() {
    println!("cargo:rerun-if-changed=www/prompt.css");
    let css = std::fs::read_to_string("www/prompt.css").expect("www/prompt.css");
    let mut out = String::with_capacity(css.len());
    let mut rest = css.as_str();
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("*/").map_or(rest.len(), |e| start + e + 2);
        rest = &rest[end..];
    }
    out.push_str(rest);
    let min: Vec<&str> = out.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(std::path::Path::new(&dir).join("prompt.min.css"), min.join("\n")).expect("writing the stylesheet");
}
