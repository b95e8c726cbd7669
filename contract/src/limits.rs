//! Every length and size limit of the payload, defined once. The widget
//! refuses page input past these limits up front (naming the field); the
//! receiver refuses payloads past them. Because both read the same
//! constants, nothing the widget accepts can be refused for its size.
//!
//! Text limits are in UTF-8 bytes, except the comment, which a customer
//! types and which is cut (never refused) at a number of characters.

/// The payload's own `id` (a UUID, 36 bytes, also the `Idempotency-Key`).
pub const MAX_PAYLOAD_ID_BYTES: usize = 64;
/// `conversationId`, `customerId`, `agentId`.
pub const MAX_ID_BYTES: usize = 256;
/// Short words: `channel`, the context's `outcome` and `locale`, `version`.
pub const MAX_WORD_BYTES: usize = 64;
/// A BCP 47 language tag as the payload reports it (`zh-Hant-TW`).
pub const MAX_LOCALE_BYTES: usize = 35;
/// The customer's comment, in characters; the widget cuts longer ones.
pub const MAX_COMMENT_CHARS: usize = 2_000;
/// Reason codes per payload.
pub const MAX_REASONS: usize = 32;
/// One reason code.
pub const MAX_REASON_BYTES: usize = 64;
/// The site's `metadata` object, measured as the most bytes its JSON text
/// can take ([`crate::json::Value::encoded_len_bound`]).
pub const MAX_METADATA_BYTES: usize = 8 * 1024;
/// How deep metadata (and any page data) may nest.
pub const MAX_DEPTH: usize = 32;
/// The largest request body a receiver must accept: 64 KB, which every
/// valid payload fits however it is escaped ([`WORST_CASE_BODY_BYTES`]).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The most bytes any valid payload's JSON text can take, written
/// compactly or with a space after each `,` and `:` (Python's `json.dumps`
/// by default), with non-ASCII text as it is (`JSON.stringify`,
/// `serde_json`) or escaped as `\uXXXX` (`json.dumps` again):
/// every text field at its limit, every byte of a byte-limited field
/// escaped (at most 6 bytes a byte: a control character is `\u001f`, a
/// 4-byte character two escapes, 12), every character of the comment a
/// 12-byte pair, the metadata's text three times its UTF-8 length, plus
/// the keys and punctuation. Checked against [`MAX_BODY_BYTES`] when this
/// crate compiles.
pub const WORST_CASE_BODY_BYTES: usize = {
    // Fourteen keys with quotes, colons and commas, and the braces.
    let keys = 14 * 20 + 2;
    let codes = MAX_REASONS * (MAX_REASON_BYTES + 3) + 2;
    keys + quoted(MAX_PAYLOAD_ID_BYTES)
        + "\"suppressed\"".len()
        + "\"effort\"".len()
        + codes
        + "null".len()
        // A character outside the BMP escapes as a surrogate pair: 12 bytes.
        + 12 * MAX_COMMENT_CHARS + 2
        + "false".len()
        + 2 * quoted(MAX_ID_BYTES)
        + quoted(MAX_WORD_BYTES)
        + MAX_LOCALE_BYTES + 2
        // Measured as written unescaped; escaping multiplies text by at most 3.
        + 3 * MAX_METADATA_BYTES
        + "\"2026-11-27T09:05:03.123Z\"".len()
        + quoted(MAX_WORD_BYTES)
        // A space after each separator: two per key at the top, and in the
        // metadata at most one per two bytes (`0,` is the shortest item).
        + 2 * 14
        + MAX_METADATA_BYTES / 2
};

/// A JSON string of `bytes` bytes, every one escaped, with its quotes.
const fn quoted(bytes: usize) -> usize {
    6 * bytes + 2
}

const _: () = assert!(WORST_CASE_BODY_BYTES <= MAX_BODY_BYTES, "a valid payload must always fit the body limit");
