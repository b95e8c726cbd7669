//! A small JSON value: the shape in which contexts, options and metadata
//! arrive from the page before they are validated, and in which `metadata`
//! travels in a [`crate::Payload`].
//!
//! The widget's shell reads whatever the page passed into [`Value`], and
//! its domain validates that value field by field, so every error can name
//! the field it is about. The receiver converts what it parsed into the
//! same type to check metadata against the same limits. This module must
//! not know about the browser; it exists so that the wasm does not need
//! `serde_json`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Any JSON value. Object keys keep their order; a repeated key keeps the
/// last value, as `JSON.parse` does.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    /// `null`, and also `undefined` when it comes from JavaScript.
    #[default]
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The value of `key` if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// True for `null` (and JavaScript's `undefined`).
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The most bytes this value's JSON text can take, whoever writes it
    /// (`JSON.stringify` and `serde_json` escape the same characters), no
    /// whitespace: exactly its length for strings, `true`, `false`, `null`
    /// and whole numbers (which both write as integers, ids and counts:
    /// an outsider's 400 product ids were 1,506 bytes of JSON, and refused
    /// as over 8,192 when every number counted 24); 25 bytes, the longest
    /// a double prints as, for any other number. Never less than the real
    /// length, so a bound on it is a bound on the body.
    pub fn encoded_len_bound(&self) -> usize {
        match self {
            Value::Null | Value::Bool(true) => 4,
            Value::Bool(false) => 5,
            Value::Number(n) => number_len(*n),
            Value::String(s) => string_len(s),
            // The brackets, the items, and a comma between each two.
            Value::Array(items) => {
                2 + items.iter().map(Value::encoded_len_bound).sum::<usize>() + items.len().saturating_sub(1)
            }
            Value::Object(fields) => {
                2 + fields.iter().map(|(k, v)| string_len(k) + 1 + v.encoded_len_bound()).sum::<usize>()
                    + fields.len().saturating_sub(1)
            }
        }
    }

    /// How deeply this value nests: 0 for a scalar, 1 for `[]` or `{}`.
    pub fn depth(&self) -> usize {
        match self {
            Value::Array(items) => 1 + items.iter().map(Value::depth).max().unwrap_or(0),
            Value::Object(fields) => 1 + fields.iter().map(|(_, v)| v.depth()).max().unwrap_or(0),
            _ => 0,
        }
    }

    /// The same value with every number that JSON cannot carry (`NaN`,
    /// `Infinity`) replaced by `null`, as `JSON.stringify` would send it,
    /// and every NUL in a string or a key by U+FFFD, as the receiver
    /// stores it (a body with one cannot be read as `jsonb` by PostgreSQL:
    /// erasure by customer key failed for every answer once one was
    /// stored): what the receiver stores is then what the payload held.
    pub fn json_safe(mut self) -> Value {
        self.make_json_safe();
        self
    }

    /// [`Value::json_safe`] in place (rebuilding each array and object
    /// through iterators took the wasm a kilobyte of collecting code).
    fn make_json_safe(&mut self) {
        match self {
            Value::Number(n) if !n.is_finite() => *self = Value::Null,
            Value::String(s) if s.contains('\0') => *s = crate::text::without_nul(s),
            Value::Array(items) => items.iter_mut().for_each(Value::make_json_safe),
            Value::Object(fields) => {
                for (key, item) in fields.iter_mut() {
                    if key.contains('\0') {
                        *key = crate::text::without_nul(key);
                    }
                    item.make_json_safe();
                }
            }
            _ => {}
        }
    }

    /// What kind of value this is, in the words an error message uses.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// The length of `n` as JSON: exact for a whole number that
/// [`Value`] writes as an integer (`-12` is 3), else 25, the most a double
/// takes as `JSON.stringify` writes it (`-0.0000012345678901234567`: 17
/// digits after five zeros; a second reading found it over the 24 counted
/// before). (By comparing with powers of ten,
/// exact in a double to 10^22: no integer formatting or 128-bit division
/// in the wasm.)
fn number_len(n: f64) -> usize {
    if n.fract() != 0.0 || n.abs() > MAX_SAFE_INTEGER {
        return 25;
    }
    let (mut len, mut power) = (1 + usize::from(n < 0.0), 10.0);
    while n.abs() >= power {
        len += 1;
        power *= 10.0;
    }
    len
}

/// The length of `s` as a JSON string, quotes included: `"` and `\\` and
/// the short escapes (`\\n`, `\\t`, ...) take 2 bytes, other control
/// characters 6 (`\\u001f`), everything else its UTF-8 length.
pub fn string_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// The largest integer a JavaScript number holds exactly (2^53 - 1).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Value {
    /// An object from its fields, in order.
    pub fn object(fields: Vec<(&str, Value)>) -> Value {
        Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Value {
        Value::Number(f64::from(n))
    }
}

/// `None` is `null`.
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(o: Option<T>) -> Value {
        o.map_or(Value::Null, Into::into)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            // A whole number is written whole (`3`, not `3.0`), as the
            // page wrote it: a receiver's Python reads an int back.
            Value::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => serializer.serialize_i64(*n as i64),
            Value::Number(n) => serializer.serialize_f64(*n),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut fields: Vec<(String, Value)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, Value>()? {
            match fields.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => fields.push((key, value)),
            }
        }
        Ok(Value::Object(fields))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn numbers_json_cannot_carry_become_null_at_any_depth() {
        let object = |fields: Vec<(&str, Value)>| Value::object(fields);
        let unsafe_value = object(vec![
            ("a", Value::Number(f64::NAN)),
            ("b", Value::Array(vec![Value::Number(1.5), Value::Number(f64::INFINITY), "x".into()])),
            ("c", object(vec![("d", Value::Number(f64::NEG_INFINITY)), ("e", true.into())])),
        ]);
        let expected = object(vec![
            ("a", Value::Null),
            ("b", Value::Array(vec![Value::Number(1.5), Value::Null, "x".into()])),
            ("c", object(vec![("d", Value::Null), ("e", true.into())])),
        ]);
        assert_eq!(unsafe_value.json_safe(), expected);
    }

    #[test]
    fn round_trips_through_serde_json() {
        for text in [r#"null"#, r#"{"a":1.5,"b":[true,false,null],"c":{"d":"中文 <b>x</b>"}}"#, r#"[]"#, r#"{}"#] {
            let value = parse(text);
            let back = serde_json::to_string(&value).unwrap();
            assert_eq!(parse(&back), value, "{text}");
        }
    }

    #[test]
    fn the_length_bound_is_never_below_the_real_length() {
        for text in [
            r#"{"a":1.5,"b":[true,false,null],"c":{"d":"中文 <b>x</b>\u0000\n\"q\""}}"#,
            r#"[-1.2345678901234567e-300,1e300,123456789012345680000]"#,
            r#"{"":{"":{"":[]}}}"#,
            r#"{"\"\\\b\f\n\r\t\u0001\u001f\u007f\u2028 é😀":1}"#,
            r#"[0,-0,9,10,-10,99,100,9007199254740991,-9007199254740991,9007199254740992,1e21,0.5,-7.25]"#,
        ] {
            let value = parse(text);
            let real = serde_json::to_string(&value).unwrap().len();
            assert!(value.encoded_len_bound() >= real, "{text}: {} < {real}", value.encoded_len_bound());
            if let Value::Object(fields) = &value {
                for (key, _) in fields {
                    assert_eq!(string_len(key), serde_json::to_string(key).unwrap().len(), "{key:?}");
                }
            }
        }
        assert_eq!(parse(r#"{"a":{"b":[1]}}"#).depth(), 3);
        assert_eq!(parse("1").depth(), 0);
    }

    /// What the README promises ("at most 8,192 bytes as JSON"): the
    /// measure is the JSON's length itself for everything but fractions.
    #[test]
    fn the_length_is_exact_but_for_fractions() {
        for text in [
            r#"{"productIds":[0,1,22,333,4444,-5,9007199254740991],"vip":true,"gone":false,"x":null}"#,
            r#"["中文","é😀","\"\n\u0001"]"#,
        ] {
            let value = parse(text);
            assert_eq!(value.encoded_len_bound(), serde_json::to_string(&value).unwrap().len(), "{text}");
        }
    }

    #[test]
    fn a_whole_number_is_written_whole() {
        let value = parse(r#"{"n":3,"m":-2,"x":1.5,"big":9007199254740993,"e":1e300}"#);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"n":3,"m":-2,"x":1.5,"big":9007199254740992.0,"e":1e+300}"#
        );
    }

    #[test]
    fn a_repeated_key_keeps_the_last_value() {
        let value = parse(r#"{"a":1,"a":2}"#);
        assert_eq!(value, Value::Object(vec![("a".into(), Value::Number(2.0))]));
        assert_eq!(value.get("a"), Some(&Value::Number(2.0)));
    }
}
