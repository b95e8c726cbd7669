//! The README's limit on `metadata` is "at most 8,192 bytes as JSON", and
//! the error names the size it found ("got N bytes"). An outsider found
//! the check measuring a bound instead (every number as 24 bytes, `null`
//! and booleans as 5): metadata far under the limit as JSON was refused by
//! the widget (`ask`, `mount`, `decide` rejected) and by the receiver
//! (400), with a size it never had: 400 small ids, 1,506 bytes as JSON,
//! were "got 9,6xx bytes". Now only a number with a fraction counts as
//! its longest, 25 bytes (see reread_number_len.rs).

use feedback_contract::limits::MAX_METADATA_BYTES;
use feedback_contract::{Payload, Value};

fn payload_with(metadata: &str) -> Value {
    let text = format!(r#"{{"id":"m-1","kind":"response","effort":2,"metadata":{metadata}}}"#);
    serde_json::from_str(&text).unwrap()
}

#[test]
fn metadata_well_under_8192_bytes_as_json_is_accepted() {
    // A host app's list of product ids: 400 small integers.
    let ids: Vec<String> = (0..400).map(|i| i.to_string()).collect();
    let metadata = format!(r#"{{"productIds":[{}]}}"#, ids.join(","));
    assert!(metadata.len() < 2_000, "{} bytes as JSON", metadata.len());
    let got = Payload::from_value(&payload_with(&metadata));
    assert!(got.is_ok(), "{} bytes of metadata as JSON refused: {:?}", metadata.len(), got.err());
}

#[test]
fn metadata_of_exactly_8192_bytes_as_json_is_accepted_whatever_it_holds() {
    // 8,192 bytes exactly as JSON (as JSON.stringify and serde_json write it),
    // holding a boolean and a number besides text.
    let head = r#"{"vip":true,"n":1,"pad":""#;
    let pad = "a".repeat(MAX_METADATA_BYTES - head.len() - 2);
    let metadata = format!(r#"{head}{pad}"}}"#);
    assert_eq!(metadata.len(), MAX_METADATA_BYTES);
    let got = Payload::from_value(&payload_with(&metadata));
    assert!(got.is_ok(), "metadata of exactly {MAX_METADATA_BYTES} bytes refused: {:?}", got.err());
}
