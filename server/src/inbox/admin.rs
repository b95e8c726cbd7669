//! `GET /inbox/admin` (admins only): the people and their agent ids, the
//! live sessions with a **Sign out** button each, the API tokens, the
//! notifications and their delivery state (with **Resend**), the newest
//! lines of the audit log, and the erasure form. Adding people and
//! tokens stays on the command line, where a password or a new token
//! never passes through a browser. Every form here checks the origin like
//! the inbox's others, and each action is audited.

use std::collections::HashMap;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};

use super::access::{access, from_our_page, see_other};
use super::layout::{forbidden, page, refused, storage_error};
use crate::accounts::erase_subject;
use crate::auth::{Principal, Via};
use crate::clock;
use crate::db::accounts::{Session, Token, User};
use crate::db::audit::AuditEntry;
use crate::db::erase::Target;
use crate::db::outbox::Notification;
use crate::{AppState, ClientIp};

/// Audit lines shown.
const AUDIT_LINES: i64 = 200;
/// Notifications shown, newest first.
const NOTIFICATIONS: i64 = 200;

/// What the admin page shows of the notifications: the destinations (no
/// secrets), the count in each state, and the newest rows.
struct Outbox<'a> {
    destinations: &'a [(String, String)],
    counts: Vec<(String, i64)>,
    rows: Vec<Notification>,
}

/// An admin posting one of this page's forms, from this page.
async fn admin_form(state: &AppState, headers: &HeaderMap, client: std::net::IpAddr) -> Result<Principal, Response> {
    let who = admin(state, headers, client).await?;
    if !from_our_page(headers, state.trust_proxy) {
        return Err(refused());
    }
    Ok(who)
}

/// An admin signed in with a session (a token is for machines, not for this page).
async fn admin(state: &AppState, headers: &HeaderMap, client: std::net::IpAddr) -> Result<Principal, Response> {
    let who = access(state, headers, client).await.map_err(|denied| denied.page("/inbox/admin"))?;
    if !who.is_admin() || !matches!(who.via, Via::Session { .. }) {
        return Err(forbidden());
    }
    Ok(who)
}

pub async fn show(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
) -> Response {
    let who = match admin(&state, &headers, client).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let db = &state.db;
    let read = async {
        Ok::<_, sqlx::Error>((
            db.users().await?,
            db.sessions(clock::now_ms()).await?,
            db.tokens().await?,
            db.audit_log(AUDIT_LINES).await?,
            db.notifications(NOTIFICATIONS).await?,
        ))
    };
    match read.await {
        Ok((users, sessions, tokens, audit, (rows, counts))) => {
            let outbox = Outbox { destinations: &state.destinations, counts, rows };
            page(StatusCode::OK, "Admin · Feedback inbox", body(&who, &users, &sessions, &tokens, &audit, &outbox))
        }
        Err(e) => storage_error(e),
    }
}

/// `POST /inbox/admin/resend`: makes one notification due again now
/// (unless a worker holds it at this moment), or with `failed` (a
/// destination's name) every failed notification of that destination;
/// audited, naming the answer (so erasing the answer erases that line
/// too) or the destination and how many.
pub async fn resend(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let who = match admin_form(&state, &headers, client).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let now = clock::now_ms();
    if let Some(destination) = form.get("failed").filter(|d| state.destinations.iter().any(|(name, _)| name == *d)) {
        return match state.db.resend_failed(destination, now).await {
            Ok(n) => {
                tracing::info!(by = who.name, destination, n, "failed notifications resent");
                let action = format!("notification resend ({destination}, every failed one)");
                state.db.audit(now, &who.name, &action, &n.to_string(), &client.to_string()).await;
                see_other("/inbox/admin#notifications")
            }
            Err(e) => storage_error(e),
        };
    }
    let delivery = form.get("delivery").map(String::as_str).unwrap_or_default();
    match state.db.resend(delivery, now).await {
        Ok(Some(answer)) => {
            tracing::info!(by = who.name, delivery, "notification resent");
            let destination = delivery.split(':').next().unwrap_or_default();
            let subject = answer.unwrap_or_else(|| delivery.to_owned());
            let action = format!("notification resend ({destination})");
            state.db.audit(now, &who.name, &action, &subject, &client.to_string()).await;
            see_other("/inbox/admin#notifications")
        }
        Ok(None) => see_other("/inbox/admin#notifications"),
        Err(e) => storage_error(e),
    }
}

/// `POST /inbox/admin/revoke-session`: ends one session at once.
pub async fn revoke_session(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let who = match admin_form(&state, &headers, client).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let hash = form.get("session").map(String::as_str).unwrap_or_default();
    match state.db.remove_session(hash).await {
        Ok(true) => {
            state
                .db
                .audit(clock::now_ms(), &who.name, "session revoke", &hash[..hash.len().min(12)], &client.to_string())
                .await;
            see_other("/inbox/admin")
        }
        Ok(false) => see_other("/inbox/admin"),
        Err(e) => storage_error(e),
    }
}

/// `POST /inbox/admin/erase`: erases every answer of a conversation,
/// customer key or agent, as `feedback-receiver erase` does.
pub async fn erase(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let who = match admin_form(&state, &headers, client).await {
        Ok(who) => who,
        Err(r) => return r,
    };
    let value = form.get("value").map_or("", |v| v.trim()).to_owned();
    let target = match form.get("what").map(String::as_str) {
        _ if value.is_empty() => return see_other("/inbox/admin"),
        Some("conversation") => Target::Conversation(value),
        Some("customer-key") => Target::CustomerKey(value),
        Some("agent") => Target::Agent(value),
        _ => return see_other("/inbox/admin"),
    };
    match state.db.erase(&target).await {
        Ok(n) => {
            tracing::info!(by = who.name, what = target.kind(), erased = n, "erased");
            state.db.audit(clock::now_ms(), &who.name, "erase", &erase_subject(&target, n), &client.to_string()).await;
            see_other("/inbox/admin")
        }
        Err(e) => storage_error(e),
    }
}

fn body(
    who: &Principal,
    users: &[User],
    sessions: &[Session],
    tokens: &[Token],
    audit: &[AuditEntry],
    outbox: &Outbox,
) -> Markup {
    html! {
        header.bar {
            h1 { "Admin" }
            a href="/inbox" { "Back to the inbox" }
            form method="post" action="/logout" { button type="submit" class="link" { "Sign out " (who.name) } }
        }
        main {
            section aria-labelledby="people" {
                h2 #people { "People" }
                p.hint { "Add, remove and change passwords with " code { "feedback-receiver user" } "." }
                table {
                    thead { tr { th { "name" } th { "role" } th { "agent ids" } th { "e-mail" } th { "sessions" } th { "since" } } }
                    tbody {
                        @for u in users {
                            tr { td { (u.name) } td { (u.role.as_str()) } td { (u.agent_ids.join(", ")) }
                                 td { (u.email.as_deref().unwrap_or_default()) }
                                 td.num { (u.sessions) } td { (clock::date(u.created_ms)) } }
                        }
                    }
                }
            }
            section aria-labelledby="sessions" {
                h2 #sessions { "Sessions" }
                table {
                    thead { tr { th { "person" } th { "signed in" } th { "last seen" } th { "from" } th {} } }
                    tbody {
                        @for s in sessions {
                            tr {
                                td { (s.user) } td { (clock::short(s.created_ms)) } td { (clock::short(s.seen_ms)) }
                                td { (s.client) }
                                td {
                                    form method="post" action="/inbox/admin/revoke-session" {
                                        input type="hidden" name="session" value=(s.token_hash);
                                        button type="submit" { "Sign out" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="tokens" {
                h2 #tokens { "API tokens" }
                p.hint { "Add and revoke with " code { "feedback-receiver token" } "." }
                table {
                    thead { tr { th { "name" } th { "access" } th { "since" } th { "last used" } } }
                    tbody {
                        @for t in tokens {
                            tr { td { (t.name) } td { (if t.read_only { "read" } else { "read, follow-up" }) }
                                 td { (clock::date(t.created_ms)) }
                                 td { (t.used_ms.map(clock::short).unwrap_or_else(|| "never".into())) } }
                        }
                    }
                }
            }
            (notifications(outbox))
            section aria-labelledby="erase" {
                h2 #erase { "Erase" }
                p.hint { "Deletes every stored answer of one conversation, customer key (" code { "metadata.customerKey" }
                         ") or agent, and the audit lines that name those answers. It cannot be undone." }
                form method="post" action="/inbox/admin/erase" class="erase" {
                    label for="what" { "Erase" }
                    select #what name="what" {
                        option value="conversation" { "conversation" }
                        option value="customer-key" { "customer key" }
                        option value="agent" { "agent" }
                    }
                    label for="value" { "id" }
                    input #value name="value" type="text" required;
                    button type="submit" { "Erase" }
                }
            }
            section aria-labelledby="audit" {
                h2 #audit { "Audit log" }
                p.hint { "Newest first; the application only appends to it." }
                table {
                    thead { tr { th { "when" } th { "who" } th { "what" } th { "subject" } th { "from" } } }
                    tbody {
                        @for a in audit {
                            tr { td { (clock::rfc3339(a.at_ms)) } td { (a.actor) } td { (a.action) }
                                 td { (a.subject) } td { (a.client) } }
                        }
                    }
                }
            }
        }
    }
}

/// The destinations, the count per state, and the newest notifications
/// with their state and a **Resend** button each.
fn notifications(outbox: &Outbox) -> Markup {
    let count = |state: &str| outbox.counts.iter().find(|(s, _)| s == state).map_or(0, |(_, n)| *n);
    html! {
        section aria-labelledby="notifications" {
            h2 #notifications { "Notifications" }
            @if outbox.destinations.is_empty() {
                p.hint { "None: start the receiver with --webhook, --slack-webhook or --smtp-url." }
            } @else {
                p.hint {
                    @for (i, (name, target)) in outbox.destinations.iter().enumerate() {
                        @if i > 0 { "; " }
                        strong { (name) } " → " (target)
                    }
                }
                @if count("failed") > 0 {
                    // Once a destination is fixed: its failed ones due again.
                    @for (name, _) in outbox.destinations {
                        form method="post" action="/inbox/admin/resend" {
                            input type="hidden" name="failed" value=(name);
                            button type="submit" { "Resend every failed one of " (name) }
                        }
                    }
                }
            }
            p { (count("sent")) " sent, " (count("pending")) " pending or retrying, " (count("failed")) " failed." }
            table {
                thead { tr { th { "owed" } th { "destination" } th { "delivery id" } th { "state" } th { "attempts" }
                             th { "last error" } th {} } }
                tbody {
                    @for n in &outbox.rows {
                        tr {
                            td { (clock::short(n.created_ms)) }
                            td { (n.destination) }
                            td { code { (n.delivery_id) } }
                            td {
                                @match (n.state.as_str(), n.sent_ms) {
                                    ("sent", Some(at)) => { "sent " (clock::short(at)) },
                                    ("pending", _) if n.attempts == 0 => { "waiting" },
                                    ("pending", _) => { "retrying, next attempt " (clock::rfc3339(n.next_ms)) },
                                    (other, _) => { (other) },
                                }
                            }
                            td.num { (n.attempts) }
                            td { (n.last_error.as_deref().unwrap_or_default()) }
                            td {
                                form method="post" action="/inbox/admin/resend" {
                                    input type="hidden" name="delivery" value=(n.delivery_id);
                                    button type="submit" { "Resend" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
