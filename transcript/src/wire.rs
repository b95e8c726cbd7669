//! How the widget hands a transcript to the reader wasm (`reader/`): the
//! customer's messages it would read ([`crate::what_is_read`]), each as
//! the text's length in UTF-8 bytes (4 bytes, little-endian) and the text.
//! The widget validated them (at most 200 messages, 4,000 characters
//! each) and writes them; the loader only copies the bytes into the reader.
//! One format, written once: [`encode`] and [`decode`] are each other's
//! inverse.

#[allow(unused_imports)]
use crate::prelude::*;
use crate::{what_is_read, Message, Sender};

/// The customer's messages of `messages` that the reader reads, as bytes.
pub fn encode(messages: &[Message]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in what_is_read(messages) {
        if m.from == Sender::Customer {
            out.extend_from_slice(&(m.text.len() as u32).to_le_bytes());
            out.extend_from_slice(m.text.as_bytes());
        }
    }
    out
}

/// The messages [`encode`] wrote (all from the customer), or `None` if
/// `bytes` are not that.
pub fn decode(bytes: &[u8]) -> Option<Vec<Message>> {
    let mut messages = Vec::new();
    let mut rest = bytes;
    while let [a, b, c, d, tail @ ..] = rest {
        let len = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
        let text = core::str::from_utf8(tail.get(..len)?).ok()?;
        messages.push(Message { from: Sender::Customer, text: text.to_owned() });
        rest = tail.get(len..)?;
    }
    rest.is_empty().then_some(messages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(from: Sender, text: &str) -> Message {
        Message { from, text: text.to_owned() }
    }

    #[test]
    fn only_what_the_reader_reads_is_written() {
        let messages = [
            msg(Sender::Customer, "等咗好耐"),
            msg(Sender::Agent, "sorry"),
            msg(Sender::Customer, ""),
            msg(Sender::Customer, "ok"),
        ];
        let decoded = decode(&encode(&messages)).unwrap();
        let customers: Vec<Message> = messages.iter().filter(|m| m.from == Sender::Customer).cloned().collect();
        assert_eq!(decoded, customers);
        assert_eq!(encode(&[msg(Sender::Agent, "hi")]), Vec::<u8>::new());
        assert_eq!(decode(&[]), Some(Vec::new()));
    }

    #[test]
    fn what_is_not_messages_is_refused() {
        let bytes = encode(&[msg(Sender::Customer, "hello")]);
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None, "a text cut short");
        assert_eq!(decode(&bytes[..3]), None, "a length cut short");
        let mut bad = encode(&[msg(Sender::Customer, "ab")]);
        bad[4] = 0xff;
        assert_eq!(decode(&bad), None, "not UTF-8");
    }

    proptest::proptest! {
        /// The reader reads from the bytes exactly what the widget's own
        /// reader would read from the messages.
        #[test]
        fn the_reader_reads_what_the_widget_would(
            messages in proptest::collection::vec((proptest::bool::ANY, "\\PC{0,3000}"), 0..30),
        ) {
            let messages: Vec<Message> = messages
                .into_iter()
                .map(|(customer, text)| Message { from: if customer { Sender::Customer } else { Sender::Agent }, text })
                .collect();
            let decoded = decode(&encode(&messages)).unwrap();
            let read: Vec<&Message> = what_is_read(&messages).iter().filter(|m| m.from == Sender::Customer).collect();
            proptest::prop_assert_eq!(decoded.iter().collect::<Vec<_>>(), read);
            proptest::prop_assert_eq!(what_is_read(&decoded).len(), decoded.len(), "nothing more is cut");
            proptest::prop_assert_eq!(crate::read(&decoded), crate::read(&messages));
        }
    }
}
