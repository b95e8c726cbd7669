//! The transcript reader (`feedback-transcript`) and the comment scanner
//! (`feedback-redact`) as a wasm of their own: `cargo xtask dist` builds
//! it into `dist/feedback_reader.wasm`, which the loader fetches
//! (integrity-checked) when a context has `messages` (with
//! `feedback_lexicons.txt`) or once a customer answers (for the scanner,
//! without the lexicons), so the wasm that shows a prompt carries neither.
//! No wasm-bindgen, no imports: five functions over its memory.
//!
//! The loader (`www/assets.js`):
//! 1. `buffer(len)` for the lexicon bundle's UTF-8 bytes, copies them in,
//!    `install(ptr, len)`: 1 when the reader has lexicons.
//! 2. Hands the widget's wasm a function that, for the bytes the widget
//!    writes of a context's messages (`feedback_transcript::wire`), calls
//!    `buffer(len)`, copies them in, and `read(ptr, len)`: the bits of the
//!    `Verdict` read, or -1 (no lexicons, or not messages).
//!
//! 3. Hands the widget's wasm a function that, for a comment's UTF-8
//!    bytes, calls `buffer(len)`, copies them in, and `redact(ptr, len,
//!    cut)`: the length of the comment redacted (`feedback_redact::
//!    redact_cut`), whose bytes start at `output()`, or -1.
//!
//! Each call takes back the buffer it is given. In the wasm it is `no_std`
//! (the reader is too), with a panic handler that stops at once: none of
//! the standard library's panic formatting, which would be half of the
//! file.

#![cfg_attr(target_arch = "wasm32", no_std)]

extern crate alloc;

/// What the reader makes of the bytes the widget wrote
/// (`feedback_transcript::wire`): the bits of the `Verdict` read, or -1
/// without lexicons or when the bytes are not messages.
pub fn read_encoded(bytes: &[u8]) -> i32 {
    match feedback_transcript::wire::decode(bytes) {
        Some(messages) if feedback_transcript::installed() => {
            i32::from(feedback_transcript::read(&messages).verdict().bits())
        }
        _ => -1,
    }
}

/// The comment in `bytes` redacted (`cut`: the comment box cut it at its
/// limit), or `None` when the bytes are not UTF-8.
pub fn redact_encoded(bytes: &[u8], cut: bool) -> Option<alloc::string::String> {
    Some(feedback_redact::redact_cut(core::str::from_utf8(bytes).ok()?, cut))
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

    /// The last `redact`'s output (one thread: nothing else touches it).
    struct Output(core::cell::UnsafeCell<alloc::vec::Vec<u8>>);
    // SAFETY: wasm32-unknown-unknown without threads runs one thread.
    unsafe impl Sync for Output {}
    static OUTPUT: Output = Output(core::cell::UnsafeCell::new(alloc::vec::Vec::new()));

    /// Redacts the comment in `buffer(len)` (`cut` non-zero: the box cut it
    /// at its limit): its length in bytes, read from `output()`, or -1 if
    /// the bytes are not UTF-8.
    ///
    /// # Safety
    /// `ptr` and `len` come from one call to `buffer`, not taken back yet.
    #[no_mangle]
    pub unsafe extern "C" fn redact(ptr: *mut u8, len: usize, cut: i32) -> i32 {
        let Some(text) = super::redact_encoded(&unsafe { take(ptr, len) }, cut != 0) else { return -1 };
        // SAFETY: one thread, and no reference to it is held between calls.
        let out = unsafe { &mut *OUTPUT.0.get() };
        *out = text.into_bytes();
        out.len() as i32
    }

    /// Where the last `redact`'s output starts.
    #[no_mangle]
    pub extern "C" fn output() -> *const u8 {
        // SAFETY: as in `redact`.
        unsafe { (*OUTPUT.0.get()).as_ptr() }
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
    use feedback_transcript::{wire, Message, Sender, Verdict};

    fn customer(texts: &[&str]) -> Vec<Message> {
        texts.iter().map(|t| Message { from: Sender::Customer, text: (*t).to_owned() }).collect()
    }

    /// The same reading as the widget's own reader (this is a native
    /// build, so the lexicons are compiled in through the dev feature).
    #[test]
    fn it_reads_as_the_widget_would() {
        let verdict = |messages: &[Message]| Verdict::from_bits(read_encoded(&wire::encode(messages)) as u8);
        for messages in [
            customer(&["我等咗好耐都冇人理，真係好嬲"]),
            customer(&["thanks, that fixed it"]),
            customer(&["I want to cancel my account"]),
            customer(&["this is ridiculous", "ok"]),
        ] {
            assert_eq!(verdict(&messages), feedback_transcript::read(&messages).verdict(), "{messages:?}");
        }
        assert_eq!(read_encoded(&[1, 9]), -1, "not messages");
    }

    #[test]
    fn it_redacts_as_the_widget_would_with_the_scanner_compiled_in() {
        for (text, cut) in
            [("mail jane@example.com or call +44 20 7946 0958", false), ("jane.doe@examp", true), ("", false)]
        {
            assert_eq!(redact_encoded(text.as_bytes(), cut).as_deref(), Some(&*feedback_redact::redact_cut(text, cut)));
        }
        assert_eq!(redact_encoded(&[0xff, 0xfe], false), None, "not UTF-8");
    }
}
