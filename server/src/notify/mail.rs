//! E-mail over SMTP (lettre, on tokio, TLS by rustls): an answer at once
//! to the address of the agent it names (`user email`), or to
//! `--mail-team` when that agent has none; and each agent's daily digest
//! of their own answers of the previous UTC day, recorded in the outbox
//! once per agent and day ([`owe_digests`]) so that neither a restart nor
//! a second receiver sends it twice. Messages are plain text; whatever came
//! from a payload is only ever text in them. Retrying is the worker's.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Message, Tokio1Executor};

use super::settings::TrustedCa;
use super::webhook::Failure;
use crate::clock::{self, DAY_MS};
use crate::db::{Clause, Db, Entry, Param};

pub type Transport = AsyncSmtpTransport<Tokio1Executor>;

/// The transport for `--smtp-url`, or why not (without the URL). TLS is
/// rustls with the public (webpki) roots, and `ca`'s certificates too; a
/// password is only sent over TLS that cannot be skipped.
pub fn transport(url: &str, timeout: Duration, ca: Option<&TrustedCa>) -> Result<Transport, String> {
    // A password sent where TLS may be missing (no TLS, or STARTTLS only
    // if offered, which someone on the path can strip) would cross the
    // network in clear. (A user without a password: lettre does not log in.)
    let password = reqwest::Url::parse(url).is_ok_and(|u| u.password().is_some());
    if password && !matches!(tls_mode(url), Some((TlsMode::Wrapper | TlsMode::Required, _))) {
        return Err(
            "a user and password need TLS that cannot be skipped, or they could cross the network in clear".into()
        );
    }
    let mut builder = Transport::from_url(url).map_err(|e| format!("cannot use it: {}", sentence(&e.to_string())))?;
    if let Some(ca) = ca {
        // The same mode and name to check as `from_url` chose, with more roots.
        let (mode, host) = tls_mode(url).ok_or("it has no TLS for --smtp-ca")?;
        let cert = Certificate::from_pem(&ca.pem).map_err(|e| format!("--smtp-ca {:?}: {e}", ca.path))?;
        let params = TlsParameters::builder(host).add_root_certificate(cert).build().map_err(|e| {
            format!("--smtp-ca {:?}: not a certificate to trust: {}", ca.path, sentence(&e.to_string()))
        })?;
        builder = builder.tls(match mode {
            TlsMode::Wrapper => Tls::Wrapper(params),
            TlsMode::Required => Tls::Required(params),
            TlsMode::Opportunistic => Tls::Opportunistic(params),
        });
    }
    Ok(builder.timeout(Some(timeout)).build())
}

/// How an SMTP URL asks for TLS, as lettre reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TlsMode {
    /// `smtps://`: TLS from the first byte.
    Wrapper,
    /// `smtp://...?tls=required`: STARTTLS, or nothing is sent.
    Required,
    /// `smtp://...?tls=opportunistic`: STARTTLS if offered.
    Opportunistic,
}

/// The URL's TLS mode and host, or `None` without TLS (or not a URL).
pub fn tls_mode(url: &str) -> Option<(TlsMode, String)> {
    let parsed = reqwest::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_owned();
    let tls = parsed.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.into_owned());
    let mode = match (parsed.scheme(), tls.as_deref()) {
        ("smtps", _) => TlsMode::Wrapper,
        ("smtp", Some("required")) => TlsMode::Required,
        ("smtp", Some("opportunistic")) => TlsMode::Opportunistic,
        _ => return None,
    };
    Some((mode, host))
}

/// The most answers a digest lists.
const DIGEST_ROWS: i64 = 500;

/// Sends one message; a failure says what the server said, without the URL.
pub async fn send(transport: &Transport, message: Message) -> Result<(), Failure> {
    match transport.send(message).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => {
            Err(Failure::permanent(format!("the mail server refused: {}", sentence(&e.to_string()))))
        }
        Err(e) if e.is_timeout() => Err(Failure::again("the mail server did not answer in time")),
        // rustls refused the server's certificate (unknown issuer, wrong
        // name, expired): nothing was sent, in clear or otherwise.
        Err(e) if e.is_tls() || e.to_string().contains("certificate") => Err(Failure::again(format!(
            "TLS: the mail server's certificate is not trusted ({}); nothing was sent. A private CA's \
             certificate goes in --smtp-ca",
            sentence(&innermost(&e))
        ))),
        // `?tls=required` and the server offers no STARTTLS: lettre stops
        // before MAIL FROM rather than go on in clear.
        Err(e) if e.to_string().contains("STARTTLS is not supported") => {
            Err(Failure::again("the mail server offers no STARTTLS and the --smtp-url requires TLS; nothing was sent"))
        }
        Err(e) => Err(Failure::again(format!("sending failed: {}", sentence(&e.to_string())))),
    }
}

/// A message from `from` to `to`, with a Message-ID made from the delivery
/// id, so a mail client shows a second delivery of it as the same message
/// (and two deliveries as two: the id's hash keeps ids that differ only in
/// characters a Message-ID cannot hold apart).
fn message(from: &str, to: &str, delivery_id: &str, subject: &str, text: String) -> Result<Message, Failure> {
    use sha2::{Digest, Sha256};
    let from: Mailbox = from.parse().map_err(|_| Failure::permanent("--mail-from is not an address"))?;
    let to: Mailbox = to.parse().map_err(|_| Failure::permanent("the recipient is not an e-mail address"))?;
    let readable: String = delivery_id
        .chars()
        .take(64)
        // Letters, digits and `-` only: always a valid dot-atom.
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let hash = crate::auth::hex(&Sha256::digest(delivery_id.as_bytes())[..16]);
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject_line(subject))
        .message_id(Some(format!("<{readable}.{hash}@feedback-receiver.invalid>")))
        .header(ContentType::TEXT_PLAIN)
        .body(text)
        .map_err(|e| Failure::permanent(format!("cannot build the message: {e}")))
}

/// The message about one answer (usually a follow-up request).
pub fn answer_message(
    from: &str,
    to: &str,
    delivery_id: &str,
    e: &Entry,
    link: Option<&str>,
) -> Result<Message, Failure> {
    let score = score(e);
    let about = e.answer.conversation_id.as_deref().map(|c| format!(", conversation {c}")).unwrap_or_default();
    let subject = if e.answer.follow_up {
        format!("Follow-up requested: {score}{about}")
    } else {
        format!("New answer: {score}{about}")
    };
    let mut text = String::new();
    if e.answer.follow_up {
        text.push_str("The customer asked to be contacted about this answer.\n\n");
    }
    text.push_str(&details(e));
    if let Some(link) = link {
        text.push_str(&format!("\nOpen it in the inbox: {link}\n"));
    }
    message(from, to, delivery_id, &subject, text)
}

/// "What your customers said yesterday": `entries` (one agent's own answers
/// of `day`), scores and comments.
pub fn digest_message(
    from: &str,
    to: &str,
    delivery_id: &str,
    day: &str,
    entries: &[Entry],
    link: Option<&str>,
) -> Result<Message, Failure> {
    let scores: Vec<i64> = entries.iter().filter_map(|e| e.answer.effort.map(i64::from)).collect();
    let mut text = format!("What your customers said yesterday ({day}, UTC): {} answers", entries.len());
    if !scores.is_empty() {
        let mean = scores.iter().sum::<i64>() as f64 / scores.len() as f64;
        text.push_str(&format!(", {} scores, mean effort {mean:.1}/7", scores.len()));
    }
    text.push_str(".\n");
    for e in entries {
        text.push('\n');
        text.push_str(&details(e));
    }
    if let Some(link) = link {
        text.push_str(&format!("\nIn the inbox: {link}\n"));
    }
    message(from, to, delivery_id, &format!("What your customers said yesterday ({day})"), text)
}

/// An answer's score ("effort 2/7"), or what it was without one ("vent").
fn score(e: &Entry) -> String {
    e.answer.effort.map_or_else(|| e.what().to_owned(), |n| format!("effort {n}/7"))
}

/// One answer as lines of text.
fn details(e: &Entry) -> String {
    let score = score(e);
    let mut text = format!("{} UTC · {score}", clock::short(e.received_ms));
    let a = &e.answer;
    for (label, value) in [("agent", &a.agent_id), ("conversation", &a.conversation_id), ("channel", &a.channel)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            // On the line of the date and the score.
            text.push_str(&format!(" · {label} {}", inert_line(v)));
        }
    }
    text.push('\n');
    if let Some(comment) = e.answer.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        for line in comment.lines() {
            text.push_str("  > ");
            // A control character (a lone CR) is a space, not glue.
            text.push_str(&line.chars().map(|c| if c.is_control() && c != '\t' { ' ' } else { c }).collect::<String>());
            text.push('\n');
        }
    }
    text
}

/// The message of the error at the end of `e`'s chain of causes
/// ("invalid peer certificate: UnknownIssuer", without the wrappers).
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Without line breaks or other control characters (for a subject).
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c }).collect()
}

/// A customer's or a page's text on a line of ours, shown as that text:
/// on one line, and without the characters that reorder what follows them
/// (bidi embeddings, overrides and isolates: `\u{202e}gnp.exe` would read
/// as "exe.png", and an id would turn the rest of its line around).
fn inert_line(text: &str) -> String {
    one_line(text).chars().filter(|c| !super::is_bidi_control(*c)).collect()
}

/// A subject made of a customer's or a page's text: an [`inert_line`],
/// with `=?` broken so that an ASCII subject holding `=?utf-8?B?...?=` is
/// not decoded by the mail client as words of ours.
fn subject_line(text: &str) -> String {
    inert_line(text).replace("=?", "= ?")
}

/// The first 200 characters of a library's message, on one line.
fn sentence(text: &str) -> String {
    one_line(text).chars().take(200).collect()
}

/// The UTC day before the one holding `now_ms`: its name and bounds.
pub fn yesterday(now_ms: i64) -> (String, i64, i64) {
    let today = now_ms - now_ms.rem_euclid(DAY_MS);
    (clock::date(today - DAY_MS), today - DAY_MS, today)
}

/// One agent's own answers (their agent ids only) received in `[from_ms, to_ms)`.
pub async fn answers_of(db: &Db, agent_ids: &[String], from_ms: i64, to_ms: i64) -> Result<Vec<Entry>, sqlx::Error> {
    if agent_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut clause = Clause::new();
    let marks = vec!["?"; agent_ids.len()].join(", ");
    clause.and(&format!("agent_id IN ({marks})"), agent_ids.iter().map(|id| Param::Text(id.clone())));
    clause.and(
        "kind = ? AND received_ms >= ? AND received_ms < ?",
        [Param::Text("response".into()), Param::Int(from_ms), Param::Int(to_ms)],
    );
    db.entries(&clause, "received_ms ASC, id ASC", DIGEST_ROWS).await
}

/// Records yesterday's digest for each agent with an address and at least
/// one answer that day (once: the outbox keeps one row per agent and day);
/// returns how many were new.
pub async fn owe_digests(db: &Db, now_ms: i64) -> Result<usize, sqlx::Error> {
    let (day, from, to) = yesterday(now_ms);
    let mut new = 0;
    for (name, _email, agent_ids) in db.digest_people().await? {
        if answers_of(db, &agent_ids, from, to).await?.is_empty() {
            continue;
        }
        if db.owe_digest(&name, &day, now_ms).await? {
            new += 1;
        }
    }
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yesterday_is_the_previous_utc_day() {
        let now = clock::parse_date("2026-11-28").unwrap() + 5 * clock::HOUR_MS;
        let (day, from, to) = yesterday(now);
        assert_eq!(day, "2026-11-27");
        assert_eq!((from, to), (clock::parse_date("2026-11-27").unwrap(), clock::parse_date("2026-11-28").unwrap()));
    }

    #[test]
    fn a_subject_is_one_line() {
        assert_eq!(one_line("a\r\nBcc: x@example.com"), "a  Bcc: x@example.com");
    }

    /// A conversation id or comment in a subject reads as itself: no encoded
    /// word of the sender's, no reordering, no second line.
    #[test]
    fn a_subject_is_shown_as_the_text_it_holds() {
        let cases = [
            ("conversation =?utf-8?B?SGFja2Vk?=", "conversation = ?utf-8?B?SGFja2Vk?= "),
            ("محادثة\u{202e}gnp.exe\u{202c}", "محادثةgnp.exe"),
            ("a\u{2066}b\u{2069}\u{200f}c", "abc"),
            ("line\rbreak\nBcc: x", "line break Bcc: x"),
            ("a\u{2028}b\u{61c}c", "a bc"),
        ];
        for (text, shown) in cases {
            assert_eq!(subject_line(text).trim_end(), shown.trim_end(), "{text:?}");
        }
    }

    /// Two delivery ids that differ only where a Message-ID cannot carry the
    /// difference get two Message-IDs; the same id, the same one.
    #[test]
    fn message_ids_keep_deliveries_apart() {
        let id = |delivery: &str| {
            let m = message("f@example.com", "t@example.com", delivery, "s", "x".into()).unwrap();
            let text = String::from_utf8(m.formatted()).unwrap();
            text.lines().find(|l| l.starts_with("Message-ID:")).unwrap().to_owned()
        };
        let ids = ["mail:ticket#123/1", "mail:ticket#123:1", "mail:ticket 123_1"].map(id);
        assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2], "{ids:?}");
        // Dots a dot-atom cannot take (`..`, a final `.`) never appear.
        let odd = id("mail:a..b.");
        assert!(odd.starts_with("Message-ID: <mail-a--b-.") && !odd.contains(".."), "{odd}");
        assert_eq!(id("mail:ticket#123/1"), ids[0]);
    }

    /// A customer's lone CR in a comment keeps the words apart.
    #[test]
    fn a_comment_keeps_its_words() {
        let mut answer = feedback_contract::Payload::new("p".into(), feedback_contract::Kind::Response);
        answer.comment = Some("first\rsecond".into());
        assert!(details(&Entry::new(answer, 0)).contains("first second"));
    }

    /// An id holding a right-to-left override cannot turn the rest of its
    /// line (the other ids) around.
    #[test]
    fn an_id_cannot_turn_its_line_around() {
        let mut answer = feedback_contract::Payload::new("p".into(), feedback_contract::Kind::Response);
        answer.conversation_id = Some("\u{202e}c-42".into());
        answer.channel = Some("chat".into());
        let first = details(&Entry::new(answer, 0)).lines().next().unwrap_or_default().to_owned();
        assert!(first.ends_with(" · conversation c-42 · channel chat"), "{first:?}");
    }
}
