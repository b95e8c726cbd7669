//! Plain decimal numbers, as the data files (and the widget's options) write them.

#[allow(unused_imports)]
use crate::prelude::*;
/// Reads a plain decimal number (`14`, `-0.5`, `.25`, `1e3` is not one).
/// Written by hand because Rust's float parser adds kilobytes to the wasm;
/// config values need nothing more.
pub fn parse_decimal(s: &str) -> Option<f64> {
    // (Slice patterns and `split_at_checked`, not indexes: each index was
    // a panic location of its own in the wasm, for a panic no input
    // reaches: the sign is one byte and the point is found where it is.)
    let (negative, digits) = match s.as_bytes() {
        [] => return None,
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        all => (false, all),
    };
    // (The point found as a byte: `split_once('.')` brought a character
    // searcher into the wasm for this one caller.)
    let (whole, frac) = match digits.iter().position(|&b| b == b'.').and_then(|at| digits.split_at_checked(at)) {
        Some((whole, [_, frac @ ..])) => (whole, frac),
        _ => (digits, &[][..]),
    };
    if whole.is_empty() && frac.is_empty() || whole.len() + frac.len() > 15 {
        return None;
    }
    if !whole.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    let mut mantissa: u64 = 0;
    for &b in whole.iter().chain(frac) {
        mantissa = mantissa * 10 + u64::from(b - b'0');
    }
    // Both operands are exact (at most 15 digits), so one correctly
    // rounded division.
    let mut power = 1.0f64;
    for _ in 0..frac.len() {
        power *= 10.0;
    }
    let value = mantissa as f64 / power;
    Some(if negative { -value } else { value })
}
