//! Notifications: pushing answers out to the people who handled the
//! conversation, instead of letting them wait in the inbox. The answer and
//! the notifications it owes are written in one transaction (`db::writer`
//! and `db::outbox`: a transactional outbox), and a worker delivers them
//! at least once, each under a stable delivery id
//! (`<destination>:<payload id>`) that receivers de-duplicate on.
//!
//! This module only starts things; its children, in reading order:
//! [`rules`] (which answers a destination wants), [`settings`] (the flags),
//! `worker` (claiming, retrying, recording), and the destinations:
//! [`webhook`] (signed JSON, and the HTTP post the others share), [`slack`]
//! (a readable, inert message) and [`mail`] (SMTP: answers at once, a
//! daily digest per agent). The live inbox is `inbox::live`'s.

pub mod mail;
pub mod rules;
pub mod settings;
pub mod slack;
pub mod webhook;
mod worker;

use std::sync::Arc;
use std::time::Duration;

pub use settings::Settings;
pub use worker::backoff_ms;

/// The characters that reorder the text after them (bidi marks,
/// embeddings, overrides and isolates): in a payload's text they can make
/// `\u{202e}gnp.exe` read as "exe.png", or a line's date and ids read
/// backwards. Notifications drop them.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

use crate::clock;
use crate::db::Db;

/// How often the digests owed are looked for (they are recorded once per
/// agent and day, whoever looks).
const DIGEST_CHECK: Duration = Duration::from_secs(600);

/// Puts right what older versions stored under other names (see
/// `db::upgrade`), and says which owed notifications no destination of
/// this receiver will send: they wait for a receiver started with theirs.
pub async fn adopt(db: &Db, settings: &Settings) -> Result<(), String> {
    let failed = |e: sqlx::Error| format!("reading the outbox: {e}");
    for (i, target) in settings.webhooks.iter().enumerate() {
        let (old, new) = (format!("webhook-{}", i + 1), &target.name);
        let renamed = db.rename_destination(&old, new).await.map_err(failed)?;
        if renamed > 0 {
            tracing::info!(renamed, from = %old, to = %new, "notifications: an older version's rows, named by their webhook's URL now");
        }
    }
    let ours = settings.destinations();
    for (destination, owed) in db.owed_by_destination().await.map_err(failed)? {
        if !ours.contains(&destination) {
            tracing::warn!(
                destination,
                owed,
                "notifications owed to a destination this receiver was not started with: they wait for one that is"
            );
        }
    }
    Ok(())
}

/// Starts the worker (and, with `--smtp-url`, the digests) for `db`,
/// which must have been opened with [`Settings::routes`]. Both stop when
/// the database closes.
pub fn start(db: &Db, settings: &Settings, public_url: Option<String>) -> Result<(), String> {
    if !settings.any() {
        return Ok(());
    }
    let mailer = match &settings.smtp {
        Some(target) => Some(
            mail::transport(&target.url, settings.timeout, settings.smtp_ca.as_ref())
                .map_err(|e| format!("--smtp-url: {e}"))?,
        ),
        None => None,
    };
    let http = reqwest::Client::builder()
        .connect_timeout(settings.timeout)
        // A redirect could take the signed body somewhere else.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("notifications: cannot make an HTTP client: {e}"))?;
    let worker = Arc::new(worker::Worker {
        db: db.clone(),
        settings: settings.clone(),
        http,
        mailer: mailer.clone(),
        public_url,
    });
    db.hold(tokio::spawn(worker.run()));
    if mailer.is_some() {
        db.hold(tokio::spawn(digests(db.clone())));
    }
    for (name, target) in settings.shown() {
        tracing::info!(destination = name, target, "notifications");
    }
    Ok(())
}

/// At start and every [`DIGEST_CHECK`]: record yesterday's digests.
async fn digests(db: Db) {
    let mut closing = db.closing();
    loop {
        match mail::owe_digests(&db, clock::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(digests = n, "daily digests owed"),
            Err(e) => tracing::warn!(error = %e, "looking for the digests owed failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(DIGEST_CHECK) => {}
            _ = closing.wait_for(|c| *c) => return,
        }
    }
}
