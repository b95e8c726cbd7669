//! Conversions at the JS boundary: page values into [`Value`] (then the
//! domain validates them), domain values out as plain JS objects, and
//! domain errors into JavaScript `Error`s.

use serde::Serialize;
use wasm_bindgen::{JsError, JsValue};

use crate::domain::{Error, Value};

/// Reads any JS value as JSON-like data. Functions, symbols and other
/// exotic values are reported as an error naming `field`.
pub fn to_value(field: &str, js: &JsValue) -> Result<Value, JsError> {
    if js.is_undefined() || js.is_null() {
        return Ok(Value::Null);
    }
    serde_wasm_bindgen::from_value(js.clone()).map_err(|_| {
        JsError::new(&[field, ": expected plain JSON data (objects, arrays, strings, numbers, booleans)"].concat())
    })
}

/// Turns a domain value into a plain JS object (`None` becomes `null`,
/// maps become objects), ready for `JSON.stringify` or for a page's code.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// A domain error as a JS `Error` whose message names the field.
pub fn js_error(error: Error) -> JsError {
    JsError::new(&error.to_string())
}
