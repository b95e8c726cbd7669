//! The import section of a wasm module: whether it has any (the
//! transcript reader must not), and shorter names for the widget's.
//!
//! wasm-bindgen names every function the wasm imports from its glue after
//! what it calls and a hash (`__wbg_addEventListener_f2d27251d333a631`),
//! under a module named after the glue (`./feedback_wasm_bg.js`), and both
//! files carry each name: the wasm in its import section, the glue as a
//! key of the object it instantiates the wasm with. The hashes are random
//! to gzip, and the names are there only to be matched, so [`shorten`]
//! renames them in both (`a`, `b`, ... `Z`, `aa`, ...; the module `w`).
//! Nothing else reads them: the page calls the glue's class, whose
//! methods call the wasm's exports, which keep their names.

use crate::Result;

/// The imports of `wasm` from `module` given short names, in the wasm and
/// in `glue` (wasm-bindgen's JavaScript, before minifying), which must
/// name the module and each import exactly once, as an object key.
pub fn shorten(wasm: &[u8], glue: &str, module: &str) -> Result<(Vec<u8>, String)> {
    const SHORT_MODULE: &str = "w";
    let (mut out, mut at) = (wasm[..8].to_vec(), 8);
    let mut renamed: Vec<(String, String)> = Vec::new();
    while at < wasm.len() {
        let id = wasm[at];
        let mut body_at = at + 1;
        let size = leb(wasm, &mut body_at).ok_or("a truncated section")?;
        let end = body_at + size;
        let body = wasm.get(body_at..end).ok_or("a truncated section")?;
        if id != 2 {
            out.extend_from_slice(&wasm[at..end]);
            at = end;
            continue;
        }
        // The import section: a count, then each entry's module, name and
        // what is imported (copied as it is).
        let mut i = 0;
        let count = leb(body, &mut i).ok_or("a truncated import section")?;
        let mut section = Vec::new();
        push_leb(&mut section, count);
        for _ in 0..count {
            let from = name(body, &mut i)?;
            let field = name(body, &mut i)?;
            let kind = i;
            skip_import_kind(body, &mut i).ok_or("an import of a kind not known here")?;
            let (from, field) = if from == module {
                let short = match renamed.iter().find(|(old, _)| old == field) {
                    Some((_, short)) => short.clone(),
                    None => {
                        let short = short_name(renamed.len());
                        renamed.push((field.to_owned(), short.clone()));
                        short
                    }
                };
                (SHORT_MODULE, short)
            } else {
                (from, field.to_owned())
            };
            for text in [from, &field] {
                push_leb(&mut section, text.len());
                section.extend_from_slice(text.as_bytes());
            }
            section.extend_from_slice(&body[kind..i]);
        }
        out.push(2);
        push_leb(&mut out, section.len());
        out.extend(section);
        at = end;
    }

    let mut glue = replace_key(glue, &format!("\"{module}\""), SHORT_MODULE)?;
    for (old, short) in &renamed {
        glue = replace_key(&glue, old, short)?;
    }
    Ok((out, glue))
}

/// Whether a wasm module has an import section (id 2) with any entry.
pub fn has_imports(wasm: &[u8]) -> bool {
    let mut at = 8;
    while let Some(&id) = wasm.get(at) {
        at += 1;
        let Some(size) = leb(wasm, &mut at) else { return true };
        if id == 2 {
            return leb(wasm, &mut at.clone()).is_none_or(|count| count > 0);
        }
        at += size;
    }
    false
}

/// `glue` with the object key `key` (found once, followed by a colon, and
/// nowhere else) renamed `short`.
fn replace_key(glue: &str, key: &str, short: &str) -> Result<String> {
    if glue.matches(key).count() != 1 || glue.matches(&format!("{key}:")).count() != 1 {
        return Err(format!("the glue does not name the wasm's import {key} exactly once, as a key"));
    }
    Ok(glue.replacen(&format!("{key}:"), &format!("{short}:"), 1))
}

/// The `n`th short name: `a` to `Z`, then `aa`, `ab`...
fn short_name(n: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let (mut n, mut out) = (n, Vec::new());
    loop {
        out.insert(0, LETTERS[n % 52]);
        if n < 52 {
            break;
        }
        n = n / 52 - 1;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// Moves `at` past what an import entry imports: a function (its type), a
/// table (its element type and limits), a memory (its limits), a global
/// (its type and mutability) or a tag (its attribute and type).
fn skip_import_kind(body: &[u8], at: &mut usize) -> Option<()> {
    let kind = *body.get(*at)?;
    *at += 1;
    let limits = |at: &mut usize| -> Option<()> {
        let flags = *body.get(*at)?;
        *at += 1;
        leb(body, at)?;
        if flags & 1 == 1 {
            leb(body, at)?;
        }
        Some(())
    };
    match kind {
        0 => leb(body, at).map(drop),
        1 => {
            *at += 1;
            limits(at)
        }
        2 => limits(at),
        3 => {
            *at += 2;
            Some(())
        }
        4 => {
            *at += 1;
            leb(body, at).map(drop)
        }
        _ => None,
    }
}

/// A length-prefixed UTF-8 name.
fn name<'a>(body: &'a [u8], at: &mut usize) -> Result<&'a str> {
    let len = leb(body, at).ok_or("a truncated name")?;
    let bytes = body.get(*at..*at + len).ok_or("a truncated name")?;
    *at += len;
    std::str::from_utf8(bytes).map_err(|_| "a name that is not UTF-8".to_owned())
}

/// An unsigned LEB128 number.
fn leb(bytes: &[u8], at: &mut usize) -> Option<usize> {
    let (mut value, mut shift) = (0usize, 0);
    loop {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
    }
}

fn push_leb(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = b"\0asm\x01\0\0\0";
    // A type section (id 1) with one type, a function of no arguments.
    const TYPES: [u8; 6] = [1, 4, 1, 0x60, 0, 0];

    #[test]
    fn a_wasm_with_an_import_is_told_apart() {
        assert!(!has_imports(HEADER));
        // An import section (id 2) of one entry: module "m", name "f", a
        // function of type 0.
        let imports = [2u8, 7, 1, 1, b'm', 1, b'f', 0, 0];
        assert!(has_imports(&[HEADER, &TYPES, &imports].concat()));
        assert!(!has_imports(&[HEADER, &TYPES, &[2, 1, 0]].concat()), "an empty import section");
        assert!(!has_imports(&[HEADER, &TYPES].concat()));
    }

    #[test]
    fn the_glues_imports_get_short_names_in_both_files() {
        // Three imports: two functions from the glue ("./g.js"), a memory
        // from elsewhere ("env", with limits 1 to 2), then a section that
        // must come through unchanged (a custom section "c").
        let mut imports = vec![3u8];
        for (module, field, kind) in
            [("./g.js", "f_0123", &[0u8, 0][..]), ("env", "mem", &[2, 1, 1, 2]), ("./g.js", "g_4567", &[0, 0])]
        {
            for text in [module, field] {
                imports.push(text.len() as u8);
                imports.extend_from_slice(text.as_bytes());
            }
            imports.extend_from_slice(kind);
        }
        let custom = [0u8, 3, 1, b'c', 9];
        let wasm = [HEADER, &TYPES, &[2, imports.len() as u8], &imports, &custom].concat();
        let glue = "const i = {\"./g.js\": {f_0123: function() {}, g_4567: () => 1}};";

        let (wasm, glue) = shorten(&wasm, glue, "./g.js").unwrap();
        assert_eq!(glue, "const i = {w: {a: function() {}, b: () => 1}};");
        let mut expected = vec![3u8, 1, b'w', 1, b'a', 0, 0, 3, b'e', b'n', b'v', 3, b'm', b'e', b'm', 2, 1, 1, 2];
        expected.extend([1, b'w', 1, b'b', 0, 0]);
        assert_eq!(wasm, [HEADER, &TYPES, &[2, expected.len() as u8], &expected, &custom].concat());

        let unknown = "const i = {\"./g.js\": {f_0123: function() {}}};";
        let original = [HEADER, &TYPES, &[2, imports.len() as u8], &imports[..]].concat();
        assert!(shorten(&original, unknown, "./g.js").is_err(), "an import the glue does not name");
    }

    #[test]
    fn short_names_count_up() {
        let names: Vec<String> = [0, 1, 25, 26, 51, 52, 53, 103, 104].into_iter().map(short_name).collect();
        assert_eq!(names, ["a", "b", "z", "A", "Z", "aa", "ab", "aZ", "ba"]);
    }
}
