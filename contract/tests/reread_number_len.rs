//! Re-read (reread11): `encoded_len_bound` promises "never less than the
//! real length, whoever writes it (`JSON.stringify` and `serde_json`)",
//! and counts a number with a fraction as 24 bytes. The widget sends its
//! body with `JSON.stringify`, which writes a number from 1e-6 up to 1e-7
//! in plain decimal: `JSON.stringify(-0.0000012345678901234567)` is
//! "-0.0000012345678901234567", 25 bytes (serde_json writes
//! "-1.2345678901234567e-6", 22). (Harmless for the body limit, which
//! allows three times the metadata; the bound's promise was what was
//! wrong: a fraction now counts 25, the most `JSON.stringify` writes.)

use feedback_contract::Value;

#[test]
fn a_fraction_is_bounded_by_its_json_stringify_length() {
    let value: Value = serde_json::from_str("-0.0000012345678901234567").unwrap();
    // The length node's JSON.stringify gives this double.
    let js = "-0.0000012345678901234567".len();
    assert_eq!(js, 25);
    assert!(value.encoded_len_bound() >= js, "bound {} < JSON.stringify's {js}", value.encoded_len_bound());
}
