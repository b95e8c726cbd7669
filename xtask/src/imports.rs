//! The import and export sections of a wasm module: whether it imports
//! anything (the transcript reader must not), and shorter names for what
//! the widget's wasm and its glue call each other by.
//!
//! wasm-bindgen names every function the wasm imports from its glue after
//! what it calls and a hash (`__wbg_addEventListener_f2d27251d333a631`),
//! under a module named after the glue (`./feedback_wasm_bg.js`), and both
//! files carry each name: the wasm in its import section, the glue as a
//! key of the object it instantiates the wasm with. It names the exports
//! that call a Rust closure with a hash too
//! (`wasm_bindgen__convert__closures_____invoke__h1bb6e7b99eb05f6b`), which
//! the glue calls as `wasm.NAME(`. The hashes are random to gzip, and the
//! names are there only to be matched, so [`shorten`] renames them in both
//! (`a`, `b`, ... `Z`, `aa`, ...; the module `w`). Nothing else reads them:
//! the page calls the glue's class, whose methods call exports that keep
//! their names (`widget_ask`, `memory`...).
//!
//! The first import's short name also carries a digest of the wasm
//! (`a3f9c01d7`): a glue from another build (a stale copy in a cache, a
//! half-finished deploy) then fails to link with the browser's own error,
//! as the hashed names did, instead of giving the new wasm another build's
//! functions under the same letters.

use crate::Result;

/// [`shorten`] on the files `wasm` and `glue`, rewritten in place.
pub fn shorten_files(wasm: &std::path::Path, glue: &std::path::Path, module: &str) -> Result {
    let failed = |path: &std::path::Path, e: std::io::Error| format!("{}: {e}", path.display());
    let (bytes, text) = shorten(
        &std::fs::read(wasm).map_err(|e| failed(wasm, e))?,
        &std::fs::read_to_string(glue).map_err(|e| failed(glue, e))?,
        module,
    )?;
    std::fs::write(wasm, bytes).map_err(|e| failed(wasm, e))?;
    std::fs::write(glue, text).map_err(|e| failed(glue, e))
}

/// The imports of `wasm` from `module` and its exports named with a hash
/// given short names, in the wasm and in `glue` (wasm-bindgen's
/// JavaScript, before minifying), which must name the module and each
/// import exactly once, as an object key, and call each such export only
/// as `wasm.NAME(`.
pub fn shorten(wasm: &[u8], glue: &str, module: &str) -> Result<(Vec<u8>, String)> {
    let build = digest(wasm);
    let mut glue = glue.to_owned();
    let mut out = wasm[..HEADER_LEN].to_vec();
    for (id, body) in sections(wasm)? {
        let body = match id {
            2 => shorten_imports(body, module, &build, &mut glue)?,
            7 => shorten_exports(body, &mut glue)?,
            _ => body.to_vec(),
        };
        out.push(id);
        push_leb(&mut out, body.len());
        out.extend(body);
    }
    Ok((out, glue))
}

/// The magic number and the version that start a module.
const HEADER_LEN: usize = 8;

/// A module's sections after its header, in order: each one's id and body.
fn sections(wasm: &[u8]) -> Result<Vec<(u8, &[u8])>> {
    if wasm.len() < HEADER_LEN {
        return Err("not a wasm module".to_owned());
    }
    let (mut all, mut at) = (Vec::new(), HEADER_LEN);
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at).ok_or("a truncated section")?;
        all.push((id, wasm.get(at..at + size).ok_or("a truncated section")?));
        at += size;
    }
    Ok(all)
}

/// The import section with the names from `module` shortened (the first
/// one followed by `build`), and the glue's keys for them.
fn shorten_imports(body: &[u8], module: &str, build: &str, glue: &mut String) -> Result<Vec<u8>> {
    const SHORT_MODULE: &str = "w";
    // A count, then each entry's module, name and what is imported
    // (copied as it is).
    let mut i = 0;
    let count = leb(body, &mut i).ok_or("a truncated import section")?;
    let mut out = Vec::new();
    push_leb(&mut out, count);
    let mut renamed: Vec<(String, String)> = Vec::new();
    for _ in 0..count {
        let from = name(body, &mut i)?;
        let field = name(body, &mut i)?;
        let kind = i;
        skip_import_kind(body, &mut i).ok_or("an import of a kind not known here")?;
        let (from, field) = if from == module {
            let short = match renamed.iter().find(|(old, _)| old == field) {
                Some((_, short)) => short.clone(),
                None => {
                    let short = short_name(renamed.len()) + if renamed.is_empty() { build } else { "" };
                    renamed.push((field.to_owned(), short.clone()));
                    short
                }
            };
            (SHORT_MODULE, short)
        } else {
            (from, field.to_owned())
        };
        push_name(&mut out, from);
        push_name(&mut out, &field);
        out.extend_from_slice(&body[kind..i]);
    }
    if !renamed.is_empty() {
        *glue = replace_key(glue, &format!("\"{module}\""), SHORT_MODULE)?;
    }
    for (old, short) in &renamed {
        *glue = replace_key(glue, old, short)?;
    }
    Ok(out)
}

/// The export section with the names wasm-bindgen made with a hash
/// shortened, and the glue's calls of them.
fn shorten_exports(body: &[u8], glue: &mut String) -> Result<Vec<u8>> {
    // A count, then each entry's name, kind and index.
    let mut i = 0;
    let count = leb(body, &mut i).ok_or("a truncated export section")?;
    let mut out = Vec::new();
    push_leb(&mut out, count);
    let mut names = Vec::new();
    let mut shortened = 0;
    for _ in 0..count {
        let old = name(body, &mut i)?;
        let rest = i;
        i += 1;
        leb(body, &mut i).ok_or("a truncated export")?;
        let new = if hashed(old) {
            let short = short_name(shortened);
            shortened += 1;
            *glue = replace_call(glue, old, &short)?;
            short
        } else {
            old.to_owned()
        };
        push_name(&mut out, &new);
        out.extend_from_slice(&body[rest..i]);
        names.push(new);
    }
    if names.iter().enumerate().any(|(i, name)| names[..i].contains(name)) {
        return Err("a short export name is taken".to_owned());
    }
    Ok(out)
}

/// Whether wasm-bindgen made `name` with a hash: `__h` and 16 hex digits,
/// at the end or before a `_` and a number.
fn hashed(name: &str) -> bool {
    let Some(at) = name.rfind("__h") else { return false };
    let rest = &name.as_bytes()[at + 3..];
    let (hash, tail) = rest.split_at(rest.len().min(16));
    let number = |n: &[u8]| !n.is_empty() && n.iter().all(u8::is_ascii_digit);
    hash.len() == 16
        && hash.iter().all(u8::is_ascii_hexdigit)
        && (tail.is_empty() || tail.strip_prefix(b"_").is_some_and(number))
}

/// Eight hex digits that tell one build's wasm from another's (FNV-1a).
fn digest(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0x811c_9dc5_u32, |h, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

/// Whether a wasm module has an import section (id 2) with any entry; a
/// module that does not read whole counts as having one.
pub fn has_imports(wasm: &[u8]) -> bool {
    sections(wasm).map_or(true, |all| all.iter().any(|&(id, body)| id == 2 && leb(body, &mut 0).is_none_or(|n| n > 0)))
}

/// The lowest address an active data segment of a wasm module starts at
/// (`None`: none, or a module that does not read whole). `wasm-opt
/// --low-memory-unused` needs it at 1 KB or more.
pub fn lowest_data_address(wasm: &[u8]) -> Option<usize> {
    let all = sections(wasm).ok()?;
    let (_, body) = all.into_iter().find(|&(id, _)| id == 11)?;
    let mut at = 0;
    let mut lowest = None;
    for _ in 0..leb(body, &mut at)? {
        let flags = leb(body, &mut at)?;
        if flags == 2 {
            leb(body, &mut at)?;
        }
        if flags != 1 {
            // `i32.const offset` `end` (a non-negative offset reads the
            // same as an unsigned one).
            (*body.get(at)? == 0x41).then_some(())?;
            at += 1;
            let offset = leb(body, &mut at)?;
            at += 1;
            lowest = Some(lowest.map_or(offset, |l: usize| l.min(offset)));
        }
        let len = leb(body, &mut at)?;
        at += len;
    }
    lowest
}

/// `glue` with the object key `key` (found once, followed by a colon, and
/// nowhere else) renamed `short`.
fn replace_key(glue: &str, key: &str, short: &str) -> Result<String> {
    if glue.matches(key).count() != 1 || glue.matches(&format!("{key}:")).count() != 1 {
        return Err(format!("the glue does not name the wasm's import {key} exactly once, as a key"));
    }
    Ok(glue.replacen(&format!("{key}:"), &format!("{short}:"), 1))
}

/// `glue` with its one call of the wasm's export `export`, `wasm.NAME(`,
/// made to `short`; the export named in any other way (a property read
/// without a call, another object's) is refused. The glue's own wrapper
/// function of the same name stays (esbuild shortens it).
fn replace_call(glue: &str, export: &str, short: &str) -> Result<String> {
    let whole = |at: &usize| {
        !glue[at + export.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$')
    };
    let reads: Vec<usize> =
        glue.match_indices(export).map(|(at, _)| at).filter(whole).filter(|&at| glue[..at].ends_with('.')).collect();
    match reads[..] {
        [at] if glue[..at].ends_with("wasm.") && glue[at + export.len()..].starts_with('(') => {
            Ok([&glue[..at], short, &glue[at + export.len()..]].concat())
        }
        _ => Err(format!("the glue does not call the wasm's export {export} once, as wasm.{export}(")),
    }
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

fn push_name(out: &mut Vec<u8>, text: &str) {
    push_leb(out, text.len());
    out.extend_from_slice(text.as_bytes());
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
    const HASHED: &str = "call__h0123456789abcdef";

    /// A module importing `imports` (module, name, what) and exporting
    /// `exports` (name, kind and index), then a custom section that must
    /// come through unchanged.
    fn module(imports: &[(&str, &str, &[u8])], exports: &[(&str, [u8; 2])]) -> Vec<u8> {
        let mut import_section = Vec::new();
        push_leb(&mut import_section, imports.len());
        for (module, field, what) in imports {
            push_name(&mut import_section, module);
            push_name(&mut import_section, field);
            import_section.extend_from_slice(what);
        }
        let mut export_section = Vec::new();
        push_leb(&mut export_section, exports.len());
        for (name, what) in exports {
            push_name(&mut export_section, name);
            export_section.extend(what);
        }
        let custom = [0u8, 3, 1, b'c', 9];
        let (i, e) = (import_section.len() as u8, export_section.len() as u8);
        [HEADER, &TYPES, &[2, i], &import_section, &[7, e], &export_section, &custom].concat()
    }

    #[test]
    fn the_lowest_data_address_is_read_from_the_data_section() {
        // One active segment at i32.const 1048576 (LEB 80 80 c0 00) holding
        // two bytes, one passive segment, one at 2048 (80 10) holding one.
        let data = [11, 20, 3, 0, 0x41, 0x80, 0x80, 0xc0, 0x00, 0x0b, 2, 7, 7, 1, 0, 0, 0x41, 0x80, 0x10, 0x0b, 1, 9];
        assert_eq!(lowest_data_address(&[HEADER, &data].concat()), Some(2048));
        assert_eq!(lowest_data_address(HEADER), None, "no data section");
    }

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
    fn the_glues_imports_and_hashed_exports_get_short_names_in_both_files() {
        // Two functions from the glue ("./g.js") and a memory from
        // elsewhere (limits 1 to 2); a function named with a hash and the
        // memory exported.
        let wasm = module(
            &[("./g.js", "f_0123", &[0, 0]), ("env", "mem", &[2, 1, 1, 2]), ("./g.js", "g_4567", &[0, 0])],
            &[(HASHED, [0, 0]), ("memory", [2, 0])],
        );
        let glue = "const i = {\"./g.js\": {f_0123: function() {}, g_4567: () => 1}};\n\
                    function call__h0123456789abcdef(x) { wasm.call__h0123456789abcdef(x); }";
        let first = format!("a{}", digest(&wasm));
        let (wasm, glue) = shorten(&wasm, glue, "./g.js").unwrap();
        assert_eq!(
            glue,
            format!(
                "const i = {{w: {{{first}: function() {{}}, b: () => 1}}}};\n\
                 function call__h0123456789abcdef(x) {{ wasm.a(x); }}"
            )
        );
        let expected = module(
            &[("w", &first, &[0, 0]), ("env", "mem", &[2, 1, 1, 2]), ("w", "b", &[0, 0])],
            &[("a", [0, 0]), ("memory", [2, 0])],
        );
        assert_eq!(wasm, expected);
    }

    #[test]
    fn a_name_the_glue_does_not_use_as_expected_stops_the_build() {
        let wasm = module(&[("./g.js", "f_0123", &[0, 0])], &[(HASHED, [0, 0])]);
        let call = "wasm.call__h0123456789abcdef(x);";
        for glue in [
            ["const i = {\"./g.js\": {}};", call].concat(),
            ["const i = {\"./g.js\": {f_0123() {}}};", call].concat(),
            "const i = {\"./g.js\": {f_0123: 1}}; const f = wasm.call__h0123456789abcdef;".to_owned(),
        ] {
            assert!(shorten(&wasm, &glue, "./g.js").is_err(), "{glue}");
        }
    }

    #[test]
    fn another_builds_glue_does_not_fit() {
        // The same imports in two builds whose code differs: their glues
        // name the first import differently, so one does not link the
        // other's wasm.
        let imports: &[(&str, &str, &[u8])] = &[("./g.js", "f_0123", &[0, 0]), ("./g.js", "g_4567", &[0, 0])];
        let glue = "const i = {\"./g.js\": {f_0123: function() {}, g_4567: () => 1}};";
        let one = module(imports, &[("widget_ask", [0, 0])]);
        let two = module(imports, &[("widget_ask", [0, 1])]);
        let (_, glue_one) = shorten(&one, glue, "./g.js").unwrap();
        let (_, glue_two) = shorten(&two, glue, "./g.js").unwrap();
        assert_ne!(glue_one, glue_two);
        assert_eq!(shorten(&one, glue, "./g.js").unwrap().1, glue_one, "the same build, the same names");
    }

    #[test]
    fn hashed_names_are_told_apart() {
        assert!(hashed(HASHED));
        assert!(hashed("call__h0123456789abcdef_13"));
        assert!(!hashed("widget_ask"));
        assert!(!hashed("call__h0123456789abcdeg"));
        assert!(!hashed("call__h0123456789abcdef_"));
        assert!(!hashed("call__h0123456789abcdef0"));
    }

    #[test]
    fn short_names_count_up() {
        let names: Vec<String> = [0, 1, 25, 26, 51, 52, 53, 103, 104].into_iter().map(short_name).collect();
        assert_eq!(names, ["a", "b", "z", "A", "Z", "aa", "ab", "aZ", "ba"]);
    }
}
