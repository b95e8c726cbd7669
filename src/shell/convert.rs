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
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// A domain error as a JS `Error` whose message names the field.
pub fn js_error(error: Error) -> JsError {
    JsError::new(&error.to_string())
}
