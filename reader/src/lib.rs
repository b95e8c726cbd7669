//! The transcript reader (`feedback-transcript`) as a wasm of its own:
//! `cargo xtask dist` builds it into `dist/feedback_reader.wasm`, which the
//! loader fetches (integrity-checked, with `feedback_lexicons.txt`) only
//! when a context has `messages`, so the wasm that shows a prompt does not
//! carry it. No wasm-bindgen, no imports: three functions over its memory.
//!
//! The loader (`www/assets.js`):
//! 1. `buffer(len)` for the lexicon bundle's UTF-8 bytes, copies them in,
//!    `install(ptr, len)`: 1 when the reader has lexicons.
//! 2. For each call whose context has messages, `buffer(len)` for the
//!    messages ([`decode`] says how they are written), `read(ptr, len)`:
//!    [`feedback_transcript::Verdict::bits`] of what was read, or -1 (no lexicons, or not
//!    messages). The widget's wasm takes the bits with the context.
//!
//! Each call takes back the buffer it is given.
//!
//! In the wasm it is `no_std` (the reader is too), with a panic handler
//! that stops at once: none of the standard library's panic formatting,
//! which would be half of the file.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

use alloc::string::String;
use alloc::vec::Vec;

use feedback_transcript::{Message, Sender, MAX_MESSAGES, MAX_MESSAGE_CHARS};

/// The messages the loader wrote: for each of the context's `messages`, in
/// order, a byte (1: from the customer, 0: anything else), the text's
/// length in UTF-8 bytes (4 bytes, little-endian), and the text. Kept as
/// the widget keeps a context's messages: the last [`MAX_MESSAGES`], each
/// cut to [`MAX_MESSAGE_CHARS`]. `None` if the bytes are not that.
pub fn decode(bytes: &[u8]) -> Option<Vec<Message>> {
    let mut messages = Vec::new();
    let mut rest = bytes;
    while let [from, a, b, c, d, tail @ ..] = rest {
        let len = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
        let text = core::str::from_utf8(tail.get(..len)?).ok()?;
        let from = if *from == 1 { Sender::Customer } else { Sender::Agent };
        // As the widget cuts them (`feedback_contract::text::cut`).
        let end = text.char_indices().nth(MAX_MESSAGE_CHARS).map_or(text.len(), |(at, _)| at);
        messages.push(Message { from, text: String::from(text.get(..end).unwrap_or_default()) });
        rest = tail.get(len..)?;
    }
    if !rest.is_empty() {
        return None;
    }
    let skip = messages.len().saturating_sub(MAX_MESSAGES);
    messages.drain(..skip);
    Some(messages)
}

/// What the reader makes of `bytes` ([`decode`]): [`feedback_transcript::Verdict::bits`], or
/// -1 without lexicons or when the bytes are not messages.
pub fn read_encoded(bytes: &[u8]) -> i32 {
    match decode(bytes) {
        Some(messages) if feedback_transcript::installed() => {
            i32::from(feedback_transcript::read(&messages).verdict().bits())
        }
        _ => -1,
    }
}

/// The functions the loader calls (only in the wasm: natively a `read`
/// would stand in for libc's).
#[cfg(target_arch = "wasm32")]
mod exports {
    use alloc::boxed::Box;
    use alloc::vec;

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo) -> ! {
        core::arch::wasm32::unreachable()
    }

    // SAFETY: wasm32-unknown-unknown without threads runs one thread.
    #[global_allocator]
    static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
        unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

    /// A buffer of `len` bytes for the loader to write into and hand to
    /// `install` or `read`, which take it back.
    #[no_mangle]
    pub extern "C" fn buffer(len: usize) -> *mut u8 {
        Box::into_raw(vec![0u8; len].into_boxed_slice()).cast()
    }

    /// Takes back a buffer `buffer(len)` made.
    ///
    /// # Safety
    /// `ptr` and `len` come from one call to `buffer`, not taken back yet.
    unsafe fn take(ptr: *mut u8, len: usize) -> Box<[u8]> {
        unsafe { Box::from_raw(core::ptr::slice_from_raw_parts_mut(ptr, len)) }
    }

    /// Installs the lexicon bundle in `buffer(len)`: 1 when the reader has
    /// lexicons (these, or ones installed before), 0 if not.
    ///
    /// # Safety
    /// `ptr` and `len` come from one call to `buffer`, not taken back yet.
    #[no_mangle]
    pub unsafe extern "C" fn install(ptr: *mut u8, len: usize) -> i32 {
        let bytes = unsafe { take(ptr, len) };
        if let Ok(bundle) = core::str::from_utf8(&bytes) {
            feedback_transcript::install(bundle);
        }
        i32::from(feedback_transcript::installed())
    }

    /// Reads the messages in `buffer(len)`: see [`super::read_encoded`].
    ///
    /// # Safety
    /// `ptr` and `len` come from one call to `buffer`, not taken back yet.
    #[no_mangle]
    pub unsafe extern "C" fn read(ptr: *mut u8, len: usize) -> i32 {
        super::read_encoded(&unsafe { take(ptr, len) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use feedback_transcript::Verdict;

    fn encode(messages: &[(u8, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (from, text) in messages {
            out.push(*from);
            out.extend_from_slice(&(text.len() as u32).to_le_bytes());
            out.extend_from_slice(text.as_bytes());
        }
        out
    }

    #[test]
    fn messages_decode_as_the_widget_keeps_them() {
        let bytes = encode(&[(1, "等咗好耐"), (0, "sorry"), (2, ""), (1, "ok")]);
        let messages = decode(&bytes).unwrap();
        let from: Vec<Sender> = messages.iter().map(|m| m.from).collect();
        assert_eq!(from, [Sender::Customer, Sender::Agent, Sender::Agent, Sender::Customer]);
        assert_eq!(messages[0].text, "等咗好耐");
        assert_eq!(decode(&[]), Some(Vec::new()));

        let long = "a".repeat(MAX_MESSAGE_CHARS + 10);
        let many: Vec<(u8, &str)> =
            (0..MAX_MESSAGES + 5).map(|i| (1, if i == 5 { "first kept" } else { &long })).collect();
        let messages = decode(&encode(&many)).unwrap();
        assert_eq!(messages.len(), MAX_MESSAGES);
        assert_eq!(messages[0].text, "first kept");
        assert_eq!(messages[1].text.chars().count(), MAX_MESSAGE_CHARS);
    }

    #[test]
    fn what_is_not_messages_is_refused() {
        let bytes = encode(&[(1, "hello")]);
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None, "a text cut short");
        assert_eq!(decode(&bytes[..3]), None, "a header cut short");
        let mut bad = encode(&[(1, "ab")]);
        bad[5] = 0xff;
        assert_eq!(decode(&bad), None, "not UTF-8");
    }

    /// The same reading as the widget's own reader (this is a native
    /// build, so the lexicons are compiled in through the dev feature).
    #[test]
    fn it_reads_as_the_widget_would() {
        let angry = encode(&[(1, "我等咗好耐都冇人理，真係好嬲"), (0, "唔好意思")]);
        let calm = encode(&[(1, "thanks, that fixed it")]);
        let verdict = |bytes: &[u8]| Verdict::from_bits(read_encoded(bytes) as u8);
        assert!(verdict(&angry).frustrated || verdict(&angry).waited);
        assert_eq!(verdict(&calm), Verdict::default());
        assert_eq!(read_encoded(&[1, 9]), -1);
    }
}
