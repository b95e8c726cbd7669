//! Native tests of comment redaction: what is replaced, and what must stay.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::redact::{luhn, redact};
use proptest::prelude::*;

fn check(input: &str, expected: &str) {
    assert_eq!(redact(input), expected, "{input:?}");
}

#[test]
fn personal_data_is_replaced_and_the_rest_stays() {
    // Emails.
    check("write to jane.doe+vip@example.co.uk please", "write to [email] please");
    check("我的邮箱是12345@qq.com。", "我的邮箱是[email]。");
    check("mail me: A_B@mail-server.example.", "mail me: [email].");
    check("the @ sign and user@localhost stay", "the @ sign and user@localhost stay");
    check("@handle on twitter", "@handle on twitter");
    // Cards: Luhn-valid only.
    check("card 4111 1111 1111 1111 was charged", "card [card] was charged");
    check("card 4111-1111-1111-1111.", "card [card].");
    check("5555555555554444", "[card]");
    check("amex 378282246310005 ok", "amex [card] ok");
    check("not a card: 4111 1111 1111 1112", "not a card: 4111 1111 1111 1112");
    check("tracking 1234567890123456789", "tracking 1234567890123456789");
    // Phones.
    check("call +1 (415) 555-2671 now", "call [phone] now");
    check("我的手机 13812345678，谢谢", "我的手机 [phone]，谢谢");
    check("ring 020 7946 0958", "ring [phone]");
    check("+44 20 7946 0958", "[phone]");
    check("4155552671", "[phone]");
    check("13812345678@163.com", "[email]");
    // Numbers that are not personal data stay.
    check("order 48213 arrived", "order 48213 arrived");
    check("I paid 1,299.00 yuan on 2024-05-01", "I paid 1,299.00 yuan on 2024-05-01");
    check("version 4.2.1, error 0x80070005", "version 4.2.1, error 0x80070005");
    check("waited 45 minutes for 3 transfers", "waited 45 minutes for 3 transfers");
    check("SKU AB123456789", "SKU AB123456789");
    check("", "");
    check("<b>客服</b> 很好", "<b>客服</b> 很好");
}

#[test]
fn the_luhn_check() {
    let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<_>>();
    assert!(luhn(&digits("79927398713")));
    assert!(luhn(&digits("4111111111111111")));
    assert!(!luhn(&digits("4111111111111112")));
    assert!(!luhn(&[]));
}

proptest! {
    #[test]
    fn redaction_never_panics_and_text_without_digits_or_at_is_untouched(text in "\\PC{0,200}") {
        let out = redact(&text);
        if !text.chars().any(|c| c.is_ascii_digit() || c == '@') {
            prop_assert_eq!(out, text);
        }
    }

    #[test]
    fn valid_card_numbers_never_survive(groups in proptest::collection::vec(0u8..10, 15)) {
        // Append the Luhn check digit to 15 random digits.
        let mut digits = groups.clone();
        let check = (0..10u8).find(|d| { let mut v = digits.clone(); v.push(*d); luhn(&v) }).unwrap();
        digits.push(check);
        let text: String = digits.chunks(4).map(|c| c.iter().map(|d| char::from(b'0' + d)).collect::<String>()).collect::<Vec<_>>().join(" ");
        let redacted = redact(&format!("my card is {text} thanks"));
        prop_assert_eq!(redacted, "my card is [card] thanks");
    }
}
