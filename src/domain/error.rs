//! The one error type of the domain: a value from the page was not what we
//! expected.
//!
//! Every error names the offending field as the site owner wrote it
//! (`context.waitSeconds`, `data-endpoint`) and says what was expected, so
//! the message alone is enough to fix the call. The shell turns it into a
//! JavaScript `Error` at the exported function; nothing here panics.

use std::fmt;

use feedback_contract::text::integer;

/// A field of a context or of the options did not validate.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    field: String,
    kind: ErrorKind,
}

/// What exactly was wrong with the field.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The field had the wrong JSON type.
    WrongType { expected: &'static str, found: &'static str },
    /// A number outside its allowed range.
    OutOfRange { expected: &'static str, found: f64 },
    /// A string that is too long or not one of the allowed words.
    BadText { expected: &'static str, found: String },
    /// A value larger than the wire contract allows.
    TooLarge { expected: &'static str, bytes: usize },
    /// A required field was missing or empty.
    Missing { expected: &'static str },
    /// The endpoint could not be read as a URL.
    NotAUrl { found: String },
    /// The endpoint is a URL, but not one we may post to.
    ForbiddenEndpoint { found: String },
    /// The endpoint's URL carries a user name or password, which browsers
    /// refuse to send a request to (and which a message must not repeat).
    CredentialsInEndpoint,
}

impl Error {
    pub fn new(field: impl Into<String>, kind: ErrorKind) -> Error {
        Error { field: field.into(), kind }
    }

    /// The field as the site owner wrote it, e.g. `context.sentiment`.
    pub fn field(&self) -> &str {
        &self.field
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The message a site owner reads: the field, then what was expected
    /// and what was found. Joined from its parts rather than `write!`n, so
    /// that each kind is not its own formatting code in the wasm.
    pub fn message(&self) -> String {
        let field = self.field.as_str();
        match &self.kind {
            ErrorKind::WrongType { expected, found } => [field, ": expected ", expected, ", got ", found].concat(),
            ErrorKind::OutOfRange { expected, found } => {
                [field, ": expected ", expected, ", got ", &number_text(*found)].concat()
            }
            ErrorKind::BadText { expected, found } => {
                [field, ": expected ", expected, ", got \"", found, "\""].concat()
            }
            ErrorKind::TooLarge { expected, bytes } => {
                [field, ": expected ", expected, ", got ", &integer(*bytes as i64), " bytes"].concat()
            }
            ErrorKind::Missing { expected } => [field, " is missing: expected ", expected].concat(),
            ErrorKind::NotAUrl { found } => {
                [field, ": expected an http(s) URL, absolute or relative to the page, got \"", found, "\""].concat()
            }
            ErrorKind::ForbiddenEndpoint { found } => [
                field,
                ": \"",
                found,
                "\" is not allowed; endpoints must use https \
                 (plain http only for this machine: localhost, *.localhost, 127.x.x.x, [::1])",
            ]
            .concat(),
            ErrorKind::CredentialsInEndpoint => [
                field,
                ": a user name or password in the URL is not allowed (browsers refuse to send to it); \
                 send credentials in the headers option (data-headers)",
            ]
            .concat(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

/// A number as a person writes it: `7`, `-1`, `1.5`, `0.333333`. Written
/// by hand because Rust's float formatting adds kilobytes to the wasm.
pub fn number_text(n: f64) -> String {
    if !n.is_finite() {
        return if n.is_nan() {
            "NaN".into()
        } else if n > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let negative = n < 0.0;
    let n = n.abs();
    if n >= 1e15 {
        return [if negative { "-" } else { "" }, "a very large number"].concat();
    }
    // Six decimals, rounded, trailing zeros dropped. (The whole part apart:
    // scaled by a million, a number past 2^64 millionths saturated.)
    let mut whole = n.trunc() as i64;
    let mut frac = ((n - n.trunc()) * 1e6).round() as u64;
    if frac == 1_000_000 {
        (whole, frac) = (whole + 1, 0);
    }
    let mut out = String::new();
    if negative && (whole, frac) != (0, 0) {
        out.push('-');
    }
    out.push_str(&integer(whole));
    if frac != 0 {
        let mut digits = 6;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        let text = integer(frac as i64);
        out.push('.');
        out.extend(std::iter::repeat_n('0', digits - text.len()));
        out.push_str(&text);
    }
    out
}

/// Reads a plain decimal number; shared with the transcript reader's data files.
pub use feedback_transcript::parse_decimal;

#[cfg(test)]
mod tests {
    use super::*;

    // (proptest is a native dev-dependency: these tests are also built
    // for the browser.)
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn a_number_is_written_to_six_decimals(n in -1e15f64..1e15) {
            let text = number_text(n);
            let back: f64 = text.parse().unwrap();
            proptest::prop_assert!((back - n).abs() <= 5e-7 + n.abs() * 1e-15, "{} written {}", n, text);
            let decimals = text.split('.').nth(1).map_or(0, str::len);
            proptest::prop_assert!(decimals <= 6 && !text.ends_with('0') || !text.contains('.'), "{}", text);
        }
    }

    #[test]
    fn numbers_read_and_print_like_people_write_them() {
        for (n, text) in [
            (7.0, "7"),
            (-1.0, "-1"),
            (1.5, "1.5"),
            (0.25, "0.25"),
            (1.0 / 3.0, "0.333333"),
            (-0.0000001, "0"),
            (120.05, "120.05"),
            // Past 2^64 millionths the scaled value saturated: 5e14 was
            // written "18446744073709.551615" (a second reading).
            (5e14, "500000000000000"),
            (-123_456_789_012_345.0, "-123456789012345"),
            (12_345_678_901_234.5, "12345678901234.5"),
            (999_999_999_999_999.0, "999999999999999"),
            (1e15, "a very large number"),
        ] {
            assert_eq!(number_text(n), text);
        }
        for (text, n) in [
            ("14", Some(14.0)),
            ("-0.5", Some(-0.5)),
            (".25", Some(0.25)),
            ("0.1", Some(0.1)),
            ("1.", Some(1.0)),
            ("+3", Some(3.0)),
        ] {
            assert_eq!(parse_decimal(text), n, "{text}");
        }
        for text in ["", "-", ".", "abc", "1e3", "1.2.3", "0x10", " 1", "1234567890123456"] {
            assert_eq!(parse_decimal(text), None, "{text}");
        }
    }
}
