//! The operator's commands, run against the database and not the HTTP
//! service: people (`user add|list|remove|passwd`), machine tokens
//! (`token add|list|revoke`), and the data-protection requests (`erase`,
//! `export`). A password is only ever read from stdin, never from an
//! argument (arguments end up in shell history and `ps`). Each change is
//! audited with the actor `cli`.

use std::io::{BufRead, Write};

use crate::auth::{self, Role};
use crate::clock;
use crate::db::erase::Target;
use crate::db::Db;

/// The admin created from `FEEDBACK_INBOX_PASSWORD` when there is no user.
pub const FIRST_ADMIN: &str = "admin";

/// What the command line asked the database for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admin {
    UserAdd {
        name: String,
        role: Role,
        agent_ids: Vec<String>,
        email: Option<String>,
    },
    /// Sets (or with `None` removes) where notifications for NAME go.
    UserEmail {
        name: String,
        email: Option<String>,
    },
    UserList,
    UserRemove {
        name: String,
    },
    UserPasswd {
        name: String,
    },
    TokenAdd {
        name: String,
        read_only: bool,
    },
    TokenList,
    TokenRevoke {
        name: String,
    },
    Erase(Target),
    Export {
        conversation: String,
    },
}

pub const USAGE: &str = "\
usage: feedback-receiver COMMAND [--db PATH | --database-url URL]

People (a password is read from stdin, one line; never give it as an argument)
  user add NAME --role admin|lead|agent [--agent-id ID]... [--email ADDR]
                          admin: people, tokens, sessions, audit, erasure;
                          lead: every answer; agent: answers whose agentId
                          is one of theirs (repeat --agent-id); --email:
                          where follow-ups and the daily digest go
  user email NAME ADDR    set that address (- removes it)
  user list
  user passwd NAME        a new password; signs NAME out everywhere
  user remove NAME        and ends their sessions
Machines
  token add NAME [--read] prints a new API token once (send it as
                          Authorization: Bearer TOKEN); --read: read only
  token list
  token revoke NAME
Data protection
  erase --conversation ID | --customer-key KEY | --agent ID
                          deletes every stored answer of it, and the audit
                          rows that name those answers
  export --conversation ID
                          prints what is stored for it, as JSON";

/// Creates the first admin from `password` if the database has no user;
/// true if it did.
pub async fn bootstrap_admin(db: &Db, password: &str) -> Result<bool, sqlx::Error> {
    if db.user_count().await? > 0 {
        return Ok(false);
    }
    let hash = hash_off_thread(password.to_owned()).await;
    let created = db.add_user(FIRST_ADMIN, Role::Admin, &hash, &[], clock::now_ms()).await?;
    if created {
        db.audit(clock::now_ms(), "system", "user add", "admin (admin, from the inbox password)", "").await;
    }
    Ok(created)
}

async fn hash_off_thread(password: String) -> String {
    tokio::task::spawn_blocking(move || auth::hash_password(&password)).await.expect("hashing does not panic")
}

/// Runs one command; `input` is where a password is read from, `out`
/// where results go (tokens, lists, JSON). Errors are sentences.
pub async fn run(db: &Db, command: Admin, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<(), String> {
    let now = clock::now_ms();
    let storage = |e: sqlx::Error| format!("the database: {e}");
    let write = |out: &mut dyn Write, text: &str| writeln!(out, "{text}").map_err(|e| e.to_string());
    match command {
        Admin::UserAdd { name, role, agent_ids, email } => {
            if let Some(problem) = auth::name_problem(&name) {
                return Err(format!("{name:?}: {problem}"));
            }
            if role == Role::Agent && agent_ids.is_empty() {
                return Err("an agent needs at least one --agent-id (the agentId their answers carry)".into());
            }
            if role != Role::Agent && !agent_ids.is_empty() {
                return Err(format!("--agent-id is for agents; a {} sees every answer", role.as_str()));
            }
            if let Some(stored) = db.user_named(&name).await.map_err(storage)? {
                return Err(format!(
                    "a user named {stored:?} exists already (names are one person whatever their case)"
                ));
            }
            let password = read_password(input)?;
            let hash = hash_off_thread(password).await;
            if !db.add_user(&name, role, &hash, &agent_ids, now).await.map_err(storage)? {
                return Err(format!("a user named {name:?} exists already"));
            }
            if let Some(email) = &email {
                db.set_email(&name, Some(email)).await.map_err(storage)?;
            }
            db.audit(now, "cli", "user add", &format!("{name} ({})", role.as_str()), "").await;
            write(out, &format!("added {name} ({})", role.as_str()))
        }
        Admin::UserEmail { name, email } => {
            if !db.set_email(&name, email.as_deref()).await.map_err(storage)? {
                return Err(format!("no user named {name:?}"));
            }
            db.audit(now, "cli", "user email", &name, "").await;
            match email {
                Some(email) => write(out, &format!("{name}'s notifications go to {email}")),
                None => write(out, &format!("{name} has no e-mail address now")),
            }
        }
        Admin::UserList => {
            for u in db.users().await.map_err(storage)? {
                let ids = if u.agent_ids.is_empty() {
                    String::new()
                } else {
                    format!(" agent ids: {}", u.agent_ids.join(", "))
                };
                let email = u.email.as_deref().map(|e| format!(" e-mail: {e}")).unwrap_or_default();
                let line = format!(
                    "{}\t{}\t{} sessions\tsince {}{ids}{email}",
                    u.name,
                    u.role.as_str(),
                    u.sessions,
                    clock::date(u.created_ms)
                );
                write(out, &line)?;
            }
            Ok(())
        }
        Admin::UserRemove { name } => {
            if !db.remove_user(&name).await.map_err(storage)? {
                return Err(format!("no user named {name:?}"));
            }
            db.audit(now, "cli", "user remove", &name, "").await;
            write(out, &format!("removed {name}; their sessions ended"))
        }
        Admin::UserPasswd { name } => {
            if db.password_hash(&name).await.map_err(storage)?.is_none() {
                return Err(format!("no user named {name:?}"));
            }
            let password = read_password(input)?;
            let hash = hash_off_thread(password).await;
            db.set_password(&name, &hash).await.map_err(storage)?;
            db.audit(now, "cli", "user passwd", &name, "").await;
            write(out, &format!("new password for {name}; their sessions ended"))
        }
        Admin::TokenAdd { name, read_only } => {
            if let Some(problem) = auth::name_problem(&name) {
                return Err(format!("{name:?}: {problem}"));
            }
            let token = auth::new_api_token();
            if !db.add_token(&name, &auth::token_hash(&token), read_only, now).await.map_err(storage)? {
                return Err(format!("a token named {name:?} exists already"));
            }
            db.audit(now, "cli", "token add", &format!("{name}{}", if read_only { " (read)" } else { "" }), "").await;
            // Only the token on stdout, so that scripts can capture it.
            write(out, &token)
        }
        Admin::TokenList => {
            for t in db.tokens().await.map_err(storage)? {
                let used = t.used_ms.map_or("never used".to_owned(), |ms| format!("last used {}", clock::rfc3339(ms)));
                let access = if t.read_only { "read" } else { "read, follow-up" };
                write(out, &format!("{}\t{access}\tsince {}\t{used}", t.name, clock::date(t.created_ms)))?;
            }
            Ok(())
        }
        Admin::TokenRevoke { name } => {
            if !db.revoke_token(&name).await.map_err(storage)? {
                return Err(format!("no token named {name:?}"));
            }
            db.audit(now, "cli", "token revoke", &name, "").await;
            write(out, &format!("revoked {name}"))
        }
        Admin::Erase(target) => {
            let n = db.erase(&target).await.map_err(storage)?;
            db.audit(now, "cli", "erase", &erase_subject(&target, n), "").await;
            write(
                out,
                &format!(
                    "erased {n} answer{} of {} {:?}",
                    if n == 1 { "" } else { "s" },
                    target.kind(),
                    target.value()
                ),
            )
        }
        Admin::Export { conversation } => {
            let rows = db.conversation(&conversation).await.map_err(storage)?;
            db.audit(now, "cli", "export", "one conversation", "").await;
            write(out, &serde_json::to_string_pretty(&rows).expect("JSON values serialize"))
        }
    }
}

/// What the audit log keeps of an erasure: the kind, a short hash of the
/// value (so the erased id is not kept, but a repeated request can be
/// matched) and the count.
pub fn erase_subject(target: &Target, erased: u64) -> String {
    let hash = auth::token_hash(target.value());
    format!("{} sha256:{} ({erased} answers)", target.kind(), &hash[..16])
}

/// One line from `input`, without its line break, at least 12 characters.
fn read_password(input: &mut dyn BufRead) -> Result<String, String> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(|e| format!("reading the password from stdin: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Some(problem) = auth::password_problem(&password) {
        return Err(format!("{problem} (read from stdin, one line)"));
    }
    Ok(password)
}
