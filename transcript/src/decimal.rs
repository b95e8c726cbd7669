//! Plain decimal numbers, as the data files (and the widget's options) write them.

#[allow(unused_imports)]
use crate::prelude::*;
/// Reads a plain decimal number (`14`, `-0.5`, `.25`, `1e3` is not one).
/// Written by hand because Rust's float parser adds kilobytes to the wasm;
/// config values need nothing more.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    // (The point found as a byte: `split_once('.')` brought a character
    // searcher into the wasm for this one caller.)
    let (whole, frac) = match digits.bytes().position(|b| b == b'.') {
        Some(at) => (&digits[..at], &digits[at + 1..]),
        None => (digits, ""),
    };
    if whole.is_empty() && frac.is_empty() || whole.len() + frac.len() > 15 {
        return None;
    }
    if !whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut mantissa: u64 = 0;
    for b in whole.bytes().chain(frac.bytes()) {
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
