//! Which answers a destination wants (`all`, `low`, `follow-up`, `vents`),
//! and the [`Route`]s the batch writer reads to record what it owes: a
//! destination's name (a webhook's made from its URL, [`webhook_name`])
//! with its choice. Parsing the `#when=` suffix of a
//! destination's flag is here too. It decides nothing about how or when a
//! notification is sent (`worker`), and runs no statement.

use feedback_contract::{Action, Kind, Payload};

/// A set of the answers a destination wants; an answer is wanted when it
/// is any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When(u8);

impl When {
    /// Every answer (a payload of kind `response`).
    pub const ALL: When = When(1);
    /// A score of 1-3.
    pub const LOW: When = When(2);
    /// The customer asked to be contacted (`followUp: true`).
    pub const FOLLOW_UP: When = When(4);
    /// A vent (`action: vent`) with a comment.
    pub const VENTS: When = When(8);

    const NAMES: [(&'static str, When); 4] =
        [("all", When::ALL), ("low", When::LOW), ("follow-up", When::FOLLOW_UP), ("vents", When::VENTS)];

    /// `low,follow-up`: names separated by commas.
    pub fn parse(list: &str) -> Result<When, String> {
        let mut when = When(0);
        for name in list.split(',').map(str::trim) {
            match When::NAMES.iter().find(|(n, _)| *n == name) {
                Some((_, w)) => when.0 |= w.0,
                None => return Err(format!("{name:?} is not one of all, low, follow-up, vents")),
            }
        }
        Ok(when)
    }

    /// Whether a destination with this choice wants `payload`. Skipped
    /// prompts and suppression records are never notified.
    pub fn wants(self, payload: &Payload) -> bool {
        if payload.kind != Kind::Response {
            return false;
        }
        let has = |w: When| self.0 & w.0 != 0;
        let commented = payload.comment.as_deref().is_some_and(|c| !c.trim().is_empty());
        has(When::ALL)
            || (has(When::LOW) && payload.effort.is_some_and(|e| (1..=3).contains(&e)))
            || (has(When::FOLLOW_UP) && payload.follow_up)
            || (has(When::VENTS) && payload.action == Some(Action::Vent) && commented)
    }

    /// The names, as the flag takes them.
    pub fn names(self) -> String {
        let names: Vec<&str> = When::NAMES.iter().filter(|(_, w)| self.0 & w.0 != 0).map(|(n, _)| *n).collect();
        names.join(",")
    }
}

/// A destination as the batch writer sees it: its name (the first part
/// of every delivery id it owes) and the answers it wants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub name: String,
    pub when: When,
}

/// A webhook's name, the first part of its delivery ids: `webhook-` and
/// the first 8 hex digits of the SHA-256 of its URL. Named by what it is,
/// not by its place among the flags, so that a flag removed or moved never
/// sends one destination's notifications to another; a URL that changes
/// is a new destination (the old one's pending rows stay pending).
///
/// The user and password in a URL are left out of the hash: the name is
/// shown on the admin page and in delivery ids, and must not let anyone
/// test guesses of a password; a new password is the same destination.
pub fn webhook_name(url: &str) -> String {
    use sha2::{Digest, Sha256};
    let without_secrets = match reqwest::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => url.to_owned(),
    };
    let digest = Sha256::digest(without_secrets.as_bytes());
    format!("webhook-{}", &crate::auth::hex(&digest[..4]))
}

/// Splits `URL#when=LIST` into the URL and the choice (`default` without
/// a suffix). `flag` names the flag in the message of a mistake, which
/// shows the URL without its secrets (a webhook's path is its token).
pub fn split_when(value: &str, flag: &str, default: When) -> Result<(String, When), String> {
    let url = |u: &str| super::settings::shown(u.trim());
    match value.rsplit_once("#when=") {
        Some((u, list)) => {
            let when = When::parse(list).map_err(|why| format!("{flag} {}: #when= {why}", url(u)))?;
            Ok((u.trim().to_owned(), when))
        }
        None if value.contains('#') => Err(format!(
            "{flag} {}: the only suffix is #when=LIST (all, low, follow-up, vents)",
            url(value.split('#').next().unwrap_or_default())
        )),
        None => Ok((value.trim().to_owned(), default)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(v: serde_json::Value) -> Payload {
        crate::record::Record::from_payload(&v, None).unwrap().payload
    }

    #[test]
    fn each_choice_wants_its_answers() {
        let low = payload(json!({"id": "a", "kind": "response", "action": "effort", "effort": 2}));
        let high = payload(json!({"id": "b", "kind": "response", "action": "effort", "effort": 6}));
        let follow = payload(json!({"id": "c", "kind": "response", "action": "effort", "effort": 6, "followUp": true}));
        let vent = payload(json!({"id": "d", "kind": "response", "action": "vent", "comment": "slow"}));
        let silent_vent = payload(json!({"id": "e", "kind": "response", "action": "vent", "comment": "  "}));
        let skipped = payload(json!({"id": "f", "kind": "dismissed", "action": "effort"}));
        let cases = [
            ("all", [true, true, true, true, true, false]),
            ("low", [true, false, false, false, false, false]),
            ("follow-up", [false, false, true, false, false, false]),
            ("vents", [false, false, false, true, false, false]),
            ("low,follow-up", [true, false, true, false, false, false]),
        ];
        for (list, want) in cases {
            let when = When::parse(list).unwrap();
            let got = [&low, &high, &follow, &vent, &silent_vent, &skipped].map(|p| when.wants(p));
            assert_eq!(got, want, "{list}");
            assert_eq!(When::parse(&when.names()).unwrap(), when);
        }
    }

    #[test]
    fn the_suffix_is_optional_and_checked() {
        assert_eq!(
            split_when("https://h.example/x#when=low,vents", "--webhook", When::ALL).unwrap(),
            ("https://h.example/x".into(), When(When::LOW.0 | When::VENTS.0))
        );
        assert_eq!(split_when("https://h.example/x", "--webhook", When::ALL).unwrap().1, When::ALL);
        let err = split_when("https://h.example/x#when=loud", "--webhook", When::ALL).unwrap_err();
        assert!(err.starts_with("--webhook") && err.contains("\"loud\""), "{err}");
        let err = split_when("https://h.example/x#top", "--slack-webhook", When::ALL).unwrap_err();
        assert!(err.starts_with("--slack-webhook") && err.contains("#when="), "{err}");
        // A password is not part of a webhook's name.
        assert_eq!(webhook_name("https://u:one@h.example/x"), webhook_name("https://h.example/x"));
        assert_ne!(webhook_name("https://h.example/x"), webhook_name("https://h.example/y"));
        // A mistake names the flag and the host, never the URL's secrets.
        for value in [
            "https://user:pw@hooks.example/services/T0/SECRETTOKEN#when=never",
            "https://user:pw@hooks.example/services/T0/SECRETTOKEN#never",
        ] {
            let err = split_when(value, "--webhook", When::ALL).unwrap_err();
            assert!(err.contains("https://hooks.example"), "{err}");
            for secret in ["user", "pw", "SECRETTOKEN", "services"] {
                assert!(!err.contains(secret), "{secret} in {err}");
            }
        }
    }
}
