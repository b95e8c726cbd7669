//! The prompt's stylesheet as shipped: `www/prompt.css` without its
//! comments and the whitespace that carries no meaning (they are for
//! people; the wasm carries every byte): line breaks between rules and
//! declarations, spaces next to `{`, `}`, `;`, `,` and after `:`, and
//! the `;` before a `}`, never inside a quoted string. Every line must end a selector list,
//! a declaration or a block (`,`, `{`, `;`, `}`), so joining lines can
//! never glue two words of a selector together; the build stops if one
//! does not.

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
    let mut joined = String::with_capacity(out.len());
    for line in out.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(
            line.ends_with([',', '{', ';', '}']),
            "www/prompt.css: a line must end in , {{ ; or }} to be joined safely: {line:?}"
        );
        joined.push_str(line);
    }
    let chars: Vec<char> = joined.chars().collect();
    let mut min = String::with_capacity(joined.len());
    let mut quote = None;
    for (i, &c) in chars.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ' ' => {
                let before = min.chars().last().unwrap_or(' ');
                let after = chars.get(i + 1).copied().unwrap_or(' ');
                if "{};,:".contains(before) || "{};,".contains(after) {
                    continue;
                }
            }
            // The last declaration of a block needs no `;`.
            None if c == '}' && min.ends_with(';') => {
                min.pop();
            }
            None => {}
        }
        min.push(c);
    }
    assert!(quote.is_none(), "www/prompt.css: a string is not closed");
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(std::path::Path::new(&dir).join("prompt.min.css"), min).expect("writing the stylesheet");
}
