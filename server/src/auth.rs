//! The inbox login: one shared password (or the same secret as a bearer
//! token for scripts), and a signed, expiring session cookie. The cookie
//! is an HMAC over its expiry keyed by the password, so changing the
//! password signs everyone out and nothing is kept on the server.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

pub const COOKIE: &str = "feedback_inbox";
/// How long a login lasts.
pub const SESSION_SECS: i64 = 12 * 3600;

pub struct Auth {
    password: String,
}

impl Auth {
    pub fn new(password: String) -> Auth {
        Auth { password }
    }

    /// Compares in constant time (over fixed-length digests).
    pub fn password_matches(&self, given: &str) -> bool {
        let digest = |text: &str| {
            let mut mac = HmacSha256::new_from_slice(b"feedback-inbox-password").expect("any key length");
            mac.update(text.as_bytes());
            mac
        };
        let expected = digest(&self.password).finalize().into_bytes();
        digest(given).verify_slice(&expected).is_ok()
    }

    /// `Authorization: Bearer <password>`.
    pub fn bearer_matches(&self, header: &str) -> bool {
        header.strip_prefix("Bearer ").is_some_and(|token| self.password_matches(token.trim()))
    }

    fn signature(&self, expires: i64) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(self.password.as_bytes()).expect("any key length");
        mac.update(format!("inbox-session:{expires}").as_bytes());
        mac
    }

    /// A cookie value valid until `now_secs + SESSION_SECS`.
    pub fn issue(&self, now_secs: i64) -> String {
        let expires = now_secs + SESSION_SECS;
        let tag = self.signature(expires).finalize().into_bytes();
        format!("{expires}.{}", hex(&tag))
    }

    pub fn session_valid(&self, value: &str, now_secs: i64) -> bool {
        let Some((expires, tag)) = value.split_once('.') else { return false };
        let (Ok(expires), Some(tag)) = (expires.parse::<i64>(), unhex(tag)) else { return false };
        expires > now_secs && expires <= now_secs + SESSION_SECS && self.signature(expires).verify_slice(&tag).is_ok()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok()).collect()
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_sessions() {
        let auth = Auth::new("correct horse battery".into());
        assert!(auth.password_matches("correct horse battery"));
        assert!(!auth.password_matches("correct horse batter"));
        assert!(!auth.password_matches(""));
        assert!(auth.bearer_matches("Bearer correct horse battery"));
        assert!(!auth.bearer_matches("Basic correct horse battery"));
        let now = 1_800_000_000;
        let session = auth.issue(now);
        assert!(auth.session_valid(&session, now + 60));
        assert!(!auth.session_valid(&session, now + SESSION_SECS), "expired");
        let (expires, tag) = session.split_once('.').unwrap();
        let stretched = format!("{}.{tag}", expires.parse::<i64>().unwrap() + 3600);
        assert!(!auth.session_valid(&stretched, now), "the expiry is signed");
        assert!(!auth.session_valid("garbage", now));
        assert!(!auth.session_valid(&format!("{expires}.zz"), now));
        assert!(!Auth::new("another password".into()).session_valid(&session, now), "a new password signs out");
        assert_eq!(cookie("a=1; feedback_inbox=x.y; b=2", COOKIE), Some("x.y"));
        assert_eq!(cookie("a=1", COOKIE), None);
    }
}
