//! The one reader of page data: the fields of an object a page passed (a
//! context, `configure` settings) or of the script tag's `data-*`
//! attributes, each read by kind (number in a range, whole number,
//! boolean, text, one of a few words), with the error naming the field as
//! the page wrote it: `context.waitSeconds`, `rules.sessionCap`,
//! `timeoutMs`, or `data-timeout-ms` for the script tag, whose attribute
//! strings are read as numbers and booleans. `context`, `options` and
//! `rules` read through it; what a field means is theirs.

use super::error::{parse_decimal, Error, ErrorKind};
use super::json::Value;
use super::options::Source;

/// The fields of one object of page data.
pub struct Fields<'a> {
    value: &'a Value,
    source: Source,
    /// Put before a field's name in errors (`"context."`), for objects.
    prefix: &'static str,
}

impl<'a> Fields<'a> {
    pub fn new(value: &'a Value, source: Source, prefix: &'static str) -> Fields<'a> {
        Fields { value, source, prefix }
    }

    /// How `field` is named in errors: `data-timeout-ms` for `timeoutMs`
    /// from the script tag, the prefix and the field from an object.
    pub fn name(&self, field: &str) -> String {
        match self.source {
            Source::ScriptTag => {
                let mut out = String::from("data-");
                for c in field.chars() {
                    if c.is_ascii_uppercase() {
                        out.push('-');
                        out.push(c.to_ascii_lowercase());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
            Source::Object => [self.prefix, field].concat(),
        }
    }

    /// The field as given (`null` is absent).
    pub fn raw(&self, field: &str) -> Option<&'a Value> {
        self.value.get(field).filter(|v| !v.is_null())
    }

    /// The field, with the script tag's attribute strings read as numbers
    /// or booleans (a present but empty attribute, `data-simple-request`,
    /// is `true`).
    pub fn get(&self, field: &str) -> Option<Value> {
        let value = self.raw(field)?;
        match (self.source, value) {
            (Source::ScriptTag, Value::String(s)) => Some(match s.trim() {
                "true" | "" => Value::Bool(true),
                "false" => Value::Bool(false),
                t => parse_decimal(t).map(Value::Number).unwrap_or_else(|| Value::String(t.to_owned())),
            }),
            _ => Some(value.clone()),
        }
    }

    /// A wrong-type error for `field`: an attribute as it was written
    /// (`data-session-cap=""` got "", not the boolean it reads as).
    pub fn wrong(&self, field: &str, expected: &'static str, found: &Value) -> Error {
        if let (Source::ScriptTag, Some(Value::String(written))) = (self.source, self.raw(field)) {
            return Error::new(self.name(field), ErrorKind::BadText { expected, found: written.clone() });
        }
        Error::new(self.name(field), ErrorKind::WrongType { expected, found: found.kind() })
    }

    /// A number from `min` to `max`.
    pub fn number(&self, field: &str, min: f64, max: f64, expected: &'static str) -> Result<Option<f64>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Number(n)) if n.is_finite() && (min..=max).contains(&n) => Ok(Some(n)),
            Some(Value::Number(n)) => Err(Error::new(self.name(field), ErrorKind::OutOfRange { expected, found: n })),
            Some(other) => Err(self.wrong(field, expected, &other)),
        }
    }

    /// A whole number from 0 to `max`.
    pub fn count(&self, field: &str, max: u32) -> Result<Option<u32>, Error> {
        const EXPECTED: &str = "a whole number (0 or more)";
        match self.number(field, 0.0, f64::from(max), EXPECTED)? {
            None => Ok(None),
            Some(n) if n.fract() == 0.0 => Ok(Some(n as u32)),
            Some(n) => Err(Error::new(self.name(field), ErrorKind::OutOfRange { expected: EXPECTED, found: n })),
        }
    }

    pub fn boolean(&self, field: &str) -> Result<Option<bool>, Error> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(b)),
            Some(other) => Err(self.wrong(field, "true or false", &other)),
        }
    }

    /// A string, trimmed; empty is absent.
    pub fn text(&self, field: &str) -> Result<Option<String>, Error> {
        match self.raw(field) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
            Some(other) => Err(self.wrong(field, "a string", other)),
        }
    }

    /// One of `choices` (a word and what it means), named in `expected`.
    pub fn choice<T: Copy>(
        &self,
        field: &str,
        choices: &[(&str, T)],
        expected: &'static str,
    ) -> Result<Option<T>, Error> {
        let Some(word) = self.text(field)? else { return Ok(None) };
        match choices.iter().find(|(w, _)| *w == word) {
            Some((_, value)) => Ok(Some(*value)),
            None => Err(Error::new(self.name(field), ErrorKind::BadText { expected, found: word })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    #[test]
    fn one_reader_names_fields_as_the_page_wrote_them() {
        let tag = object(&[("timeoutMs", Value::String("250".into())), ("simpleRequest", Value::String("".into()))]);
        let fields = Fields::new(&tag, Source::ScriptTag, "");
        assert_eq!(fields.number("timeoutMs", 100.0, 1000.0, "ms").unwrap(), Some(250.0));
        assert_eq!(fields.boolean("simpleRequest").unwrap(), Some(true));
        let err = fields.number("timeoutMs", 300.0, 1000.0, "ms").unwrap_err();
        assert!(err.to_string().starts_with("data-timeout-ms"), "{err}");

        let page = object(&[("waitSeconds", Value::String("long".into())), ("transfers", Value::Number(1.5))]);
        let fields = Fields::new(&page, Source::Object, "context.");
        let err = fields.number("waitSeconds", 0.0, 10.0, "seconds").unwrap_err();
        assert!(err.to_string().starts_with("context.waitSeconds"), "{err}");
        assert!(fields.count("transfers", 100).unwrap_err().to_string().starts_with("context.transfers"));
        assert_eq!(fields.text("missing").unwrap(), None);
        let theme = object(&[("theme", Value::String(" dark ".into()))]);
        let fields = Fields::new(&theme, Source::Object, "");
        assert_eq!(fields.choice("theme", &[("light", 1), ("dark", 2)], "light or dark").unwrap(), Some(2));
        let bad = object(&[("theme", Value::String("pink".into()))]);
        assert!(Fields::new(&bad, Source::Object, "").choice("theme", &[("light", 1)], "light").is_err());
    }

    /// An attribute is text as written: `data-session-cap=""` is refused
    /// as "", not as the boolean an empty attribute reads as (an
    /// outsider's).
    #[test]
    fn an_attribute_is_refused_as_it_was_written() {
        let tag = object(&[("sessionCap", Value::String("".into())), ("redact", Value::String("7".into()))]);
        let fields = Fields::new(&tag, Source::ScriptTag, "");
        let cap = fields.count("sessionCap", 10).unwrap_err().to_string();
        assert_eq!(cap, r#"data-session-cap: expected a whole number (0 or more), got """#);
        let redact = fields.boolean("redact").unwrap_err().to_string();
        assert_eq!(redact, r#"data-redact: expected true or false, got "7""#);
        let page = object(&[("sessionCap", Value::Bool(true))]);
        let cap = Fields::new(&page, Source::Object, "rules.").count("sessionCap", 10).unwrap_err().to_string();
        assert_eq!(cap, "rules.sessionCap: expected a whole number (0 or more), got a boolean");
    }
}
