//! The one error type of the domain: a value from the page was not what we
//! expected.
//!
//! Every error names the offending field as the site owner wrote it
//! (`context.waitSeconds`, `data-endpoint`) and says what was expected, so
//! the message alone is enough to fix the call. The shell turns it into a
//! JavaScript `Error` at the exported function; nothing here panics.

use std::fmt;

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
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    /// A number outside its allowed range.
    OutOfRange { expected: &'static str, found: f64 },
    /// A string that is too long or not one of the allowed words.
    BadText {
        expected: &'static str,
        found: String,
    },
    /// A required field was missing or empty.
    Missing { expected: &'static str },
    /// The endpoint could not be read as a URL.
    NotAUrl { found: String },
    /// The endpoint is a URL, but not one we may post to.
    ForbiddenEndpoint { found: String },
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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.kind {
            ErrorKind::WrongType { expected, found } => {
                write!(f, "{field}: expected {expected}, got {found}")
            }
            ErrorKind::OutOfRange { expected, found } => {
                write!(f, "{field}: expected {expected}, got {found}")
            }
            ErrorKind::BadText { expected, found } => {
                write!(f, "{field}: expected {expected}, got {found:?}")
            }
            ErrorKind::Missing { expected } => write!(f, "{field} is missing: expected {expected}"),
            ErrorKind::NotAUrl { found } => write!(
                f,
                "{field}: expected an http(s) URL, absolute or relative to the page, got {found:?}"
            ),
            ErrorKind::ForbiddenEndpoint { found } => write!(
                f,
                "{field}: {found:?} is not allowed; endpoints must use https \
                 (plain http only for localhost and 127.0.0.1)"
            ),
        }
    }
}

impl std::error::Error for Error {}
