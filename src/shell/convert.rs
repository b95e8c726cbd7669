//! Conversions at the JS boundary: page values into [`Value`] (then the
//! domain validates them), domain values out as plain JS objects, and
//! domain errors into JavaScript `Error`s.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsError, JsValue};

use crate::domain::{Error, Value};

/// How deep page data may nest; deeper (or cyclic) data is refused.
const MAX_DEPTH: u32 = 32;

/// Reads any JS value as JSON-like data, as `JSON.stringify` would send
/// it where it can: an object with `toJSON` (a `Date`) as what that
/// gives (an ISO string). Functions, symbols, BigInts and data nested
/// deeper than 32 levels (or cyclic) are an error naming `field`. Walked
/// by hand rather than through serde's deserializer, which would add
/// kilobytes of number formatting to the wasm.
pub fn to_value(field: &str, js: &JsValue) -> Result<Value, JsError> {
    read(js, 0).ok_or_else(|| {
        JsError::new(&[field, ": expected plain JSON data (objects, arrays, strings, numbers, booleans)"].concat())
    })
}

fn read(js: &JsValue, depth: u32) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    if js.is_null() || js.is_undefined() {
        return Some(Value::Null);
    }
    if let Some(b) = js.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Some(n) = js.as_f64() {
        return Some(Value::Number(n));
    }
    if let Some(s) = js.as_string() {
        return Some(Value::String(s));
    }
    if Array::is_array(js) {
        let mut items = Vec::new();
        for item in Array::from(js).iter() {
            items.push(read(&item, depth + 1)?);
        }
        return Some(Value::Array(items));
    }
    if js.is_object() && !js.is_function() {
        if let Ok(to_json) = Reflect::get(js, &JsValue::from_str("toJSON")).ok()?.dyn_into::<Function>() {
            return read(&to_json.call0(js).ok()?, depth + 1);
        }
        let mut fields = Vec::new();
        for entry in Object::entries(js.unchecked_ref()).iter() {
            let pair = Array::from(&entry);
            let key = pair.get(0).as_string()?;
            let value = read(&pair.get(1), depth + 1)?;
            fields.push((key, value));
        }
        return Some(Value::Object(fields));
    }
    None
}

/// Turns JSON data into a plain JS object, ready for `JSON.stringify` or
/// for a page's code. Every domain value that leaves the wasm is built as
/// a [`Value`] first (`to_value`), so serde's serializer is instantiated
/// for this one type, not once per struct.
pub fn to_js(value: &Value) -> JsValue {
    use serde::Serialize;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    Js(value).serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// [`Value`] as `to_js` hands it to serde: as the contract's own
/// `Serialize` does, but every number through `serialize_f64`. The
/// contract writes a whole number with `serialize_i64` (so that JSON
/// text says `3`, not `3.0`), which serde-wasm-bindgen turns into the same
/// JS number, after a range check whose error message brought integer
/// formatting into the wasm. (`+ 0.0`: the whole-number path wrote `-0`
/// as `0`; every other number is unchanged by it.)
struct Js<'a>(&'a Value);

impl serde::Serialize for Js<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => serializer.serialize_f64(n + 0.0),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Js(item))?;
                }
                seq.end()
            }
            Value::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, &Js(v))?;
                }
                map.end()
            }
        }
    }
}

/// `value` as JSON text, as `JSON.stringify` writes it, whatever a page
/// did to `Array.prototype` or `Object.prototype`: `JSON.stringify` obeys
/// a `toJSON` it finds on an object (Prototype.js 1.6 gave arrays one,
/// and the outbox went to storage as "[[object Object]]": the answer was
/// lost). So the brackets are written here, and only strings and
/// numbers, primitives no `toJSON` reaches, go through `JSON.stringify`.
pub fn to_json(value: &Value) -> String {
    let mut out = String::new();
    write_json(value, &mut out);
    out
}

fn write_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => scalar(JsValue::from_f64(*n), out),
        Value::String(s) => scalar(JsValue::from_str(s), out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        Value::Object(fields) => {
            out.push('{');
            for (i, (key, item)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                scalar(JsValue::from_str(key), out);
                out.push(':');
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// A string or a number as `JSON.stringify` writes it.
#[inline(never)]
fn scalar(js: JsValue, out: &mut String) {
    if let Some(text) = super::platform::json("stringify", js).and_then(|text| text.as_string()) {
        out.push_str(&text);
    }
}

/// A domain error as a JS `Error` whose message names the field.
pub fn js_error(error: Error) -> JsError {
    JsError::new(&error.message())
}
