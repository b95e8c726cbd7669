//! People, their sessions, and API tokens, as stored: users with an
//! Argon2id hash and a role, the agent ids an agent answers for, sessions
//! and tokens kept as SHA-256 hashes only. Signing out, a new password and
//! removing a user delete the sessions at once. Hashing and checking
//! passwords is `auth`'s; this module runs statements only.

use sqlx::Row;

use super::{Db, Pools};
use crate::auth::{Principal, Role, Scope, Via, SESSION_IDLE_MS, SESSION_MAX_MS};

/// A user as `user list` and the admin page show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    pub agent_ids: Vec<String>,
    pub created_ms: i64,
    pub sessions: i64,
    /// Where their notifications go (`user email`).
    pub email: Option<String>,
}

/// A session as the admin page shows it (never the token).
#[derive(Clone, Debug)]
pub struct Session {
    pub token_hash: String,
    pub user: String,
    pub created_ms: i64,
    pub seen_ms: i64,
    pub client: String,
}

#[derive(Clone, Debug)]
pub struct Token {
    pub name: String,
    pub read_only: bool,
    pub created_ms: i64,
    pub used_ms: Option<i64>,
}

/// A session's last-seen time is written at most this often.
const TOUCH_MS: i64 = 60_000;

impl Db {
    pub async fn user_count(&self) -> Result<i64, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(pool).await)
    }

    /// Adds a user; false if the name is taken.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        agent_ids: &[String],
        now_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let mut tx = pool.begin().await?;
            let added = sqlx::query(
                "INSERT INTO users (name, role, password_hash, created_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(role.as_str())
            .bind(password_hash)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if added {
                for id in agent_ids {
                    sqlx::query(
                        "INSERT INTO user_agent_ids (user_name, agent_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(name)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    /// Sets a user's password and signs them out everywhere; false if no such user.
    pub async fn set_password(&self, name: &str, password_hash: &str) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
                .bind(password_hash)
                .bind(name)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            sqlx::query("DELETE FROM sessions WHERE user_name = $1").bind(name).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(changed)
        })
    }

    /// Removes a user with their sessions; false if no such user.
    pub async fn remove_user(&self, name: &str) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM sessions WHERE user_name = $1").bind(name).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM user_agent_ids WHERE user_name = $1").bind(name).execute(&mut *tx).await?;
            let removed =
                sqlx::query("DELETE FROM users WHERE name = $1").bind(name).execute(&mut *tx).await?.rows_affected()
                    == 1;
            tx.commit().await?;
            Ok(removed)
        })
    }

    pub async fn users(&self) -> Result<Vec<User>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query(
                "SELECT name, role, created_ms, email, (SELECT count(*) FROM sessions s WHERE s.user_name = u.name) AS n
                 FROM users u ORDER BY name",
            )
            .fetch_all(pool)
            .await?;
            let links = sqlx::query("SELECT user_name, agent_id FROM user_agent_ids ORDER BY user_name, agent_id")
                .fetch_all(pool)
                .await?;
            let mut users = Vec::with_capacity(rows.len());
            for row in &rows {
                let name: String = row.try_get("name")?;
                let role: String = row.try_get("role")?;
                let mut agent_ids = Vec::new();
                for link in &links {
                    if link.try_get::<String, _>("user_name")? == name {
                        agent_ids.push(link.try_get("agent_id")?);
                    }
                }
                users.push(User {
                    role: Role::parse(&role).unwrap_or(Role::Agent),
                    name,
                    agent_ids,
                    created_ms: row.try_get("created_ms")?,
                    sessions: row.try_get("n")?,
                    email: row.try_get("email")?,
                });
            }
            Ok(users)
        })
    }

    /// The stored hash of `name`, for signing in.
    pub async fn password_hash(&self, name: &str) -> Result<Option<String>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            sqlx::query_scalar("SELECT password_hash FROM users WHERE name = $1").bind(name).fetch_optional(pool).await
        })
    }

    /// The person `typed` names, whatever its case ("Lea" is lea: a phone
    /// capitalises what is typed first), as stored: that name exactly, or
    /// else the one name that differs from it only in case. Case is folded
    /// here rather than in SQL, where SQLite's `lower` folds only ASCII.
    pub async fn user_named(&self, typed: &str) -> Result<Option<String>, sqlx::Error> {
        let names: Vec<String> =
            on_pool!(&self.pools, read, |pool| { sqlx::query_scalar("SELECT name FROM users").fetch_all(pool).await })?;
        if names.iter().any(|n| n == typed) {
            return Ok(Some(typed.to_owned()));
        }
        let folded = typed.to_lowercase();
        let mut alike = names.into_iter().filter(|n| n.to_lowercase() == folded);
        Ok(match (alike.next(), alike.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        })
    }

    /// Stores a new session for `user`.
    pub async fn add_session(
        &self,
        token_hash: &str,
        user: &str,
        now_ms: i64,
        client: &str,
    ) -> Result<(), sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_name, created_ms, seen_ms, client) VALUES ($1, $2, $3, $3, $4)",
            )
            .bind(token_hash)
            .bind(user)
            .bind(now_ms)
            .bind(client)
            .execute(pool)
            .await
            .map(drop)
        })
    }

    /// Who holds the session, if it is alive (idle and absolute expiry);
    /// an expired one is deleted.
    pub async fn session(&self, token_hash: &str, now_ms: i64) -> Result<Option<Principal>, sqlx::Error> {
        let row = on_pool!(&self.pools, read, |pool| {
            sqlx::query(
                "SELECT s.user_name, s.created_ms, s.seen_ms, u.role FROM sessions s JOIN users u ON u.name = s.user_name
                 WHERE s.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
            .map(|row| -> Result<(String, i64, i64, String), sqlx::Error> {
                Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?))
            })
            .transpose()?
        });
        let Some((user, created_ms, seen_ms, role)) = row else { return Ok(None) };
        if now_ms - seen_ms >= SESSION_IDLE_MS || now_ms - created_ms >= SESSION_MAX_MS {
            self.remove_session(token_hash).await?;
            return Ok(None);
        }
        if now_ms - seen_ms >= TOUCH_MS {
            on_pool!(&self.pools, write, |pool| {
                sqlx::query("UPDATE sessions SET seen_ms = $1 WHERE token_hash = $2")
                    .bind(now_ms)
                    .bind(token_hash)
                    .execute(pool)
                    .await
                    .map(drop)?
            });
        }
        let role = Role::parse(&role).unwrap_or(Role::Agent);
        let scope = self.scope(&user, role).await?;
        Ok(Some(Principal { name: user, role: Some(role), scope, via: Via::Session { token_hash: token_hash.into() } }))
    }

    async fn scope(&self, user: &str, role: Role) -> Result<Scope, sqlx::Error> {
        if role != Role::Agent {
            return Ok(Scope::Everything);
        }
        let ids: Vec<String> = on_pool!(&self.pools, read, |pool| {
            sqlx::query_scalar("SELECT agent_id FROM user_agent_ids WHERE user_name = $1 ORDER BY agent_id")
                .bind(user)
                .fetch_all(pool)
                .await?
        });
        Ok(Scope::Agents(ids))
    }

    /// Ends a session (sign-out, or an admin revoking it); false if there was none.
    pub async fn remove_session(&self, token_hash: &str) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Live sessions, newest first; expired ones are deleted first.
    pub async fn sessions(&self, now_ms: i64) -> Result<Vec<Session>, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            sqlx::query("DELETE FROM sessions WHERE seen_ms <= $1 OR created_ms <= $2")
                .bind(now_ms - SESSION_IDLE_MS)
                .bind(now_ms - SESSION_MAX_MS)
                .execute(pool)
                .await
                .map(drop)?
        });
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query(
                "SELECT token_hash, user_name, created_ms, seen_ms, client FROM sessions ORDER BY created_ms DESC",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(Session {
                        token_hash: r.try_get(0)?,
                        user: r.try_get(1)?,
                        created_ms: r.try_get(2)?,
                        seen_ms: r.try_get(3)?,
                        client: r.try_get(4)?,
                    })
                })
                .collect()
        })
    }

    /// Adds an API token (stored as its hash); false if the name is taken.
    pub async fn add_token(
        &self,
        name: &str,
        token_hash: &str,
        read_only: bool,
        now_ms: i64,
    ) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done = sqlx::query(
                "INSERT INTO api_tokens (name, token_hash, read_only, created_ms) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(token_hash)
            .bind(read_only)
            .bind(now_ms)
            .execute(pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    pub async fn revoke_token(&self, name: &str) -> Result<bool, sqlx::Error> {
        on_pool!(&self.pools, write, |pool| {
            let done = sqlx::query("DELETE FROM api_tokens WHERE name = $1").bind(name).execute(pool).await?;
            Ok(done.rows_affected() == 1)
        })
    }

    pub async fn tokens(&self) -> Result<Vec<Token>, sqlx::Error> {
        on_pool!(&self.pools, read, |pool| {
            let rows = sqlx::query("SELECT name, read_only, created_ms, used_ms FROM api_tokens ORDER BY name")
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(Token {
                        name: r.try_get(0)?,
                        read_only: r.try_get(1)?,
                        created_ms: r.try_get(2)?,
                        used_ms: r.try_get(3)?,
                    })
                })
                .collect()
        })
    }

    /// Who holds the API token with this hash (a machine that sees every answer).
    pub async fn token(&self, token_hash: &str, now_ms: i64) -> Result<Option<Principal>, sqlx::Error> {
        let found: Option<(String, bool, Option<i64>)> = on_pool!(&self.pools, read, |pool| {
            sqlx::query_as("SELECT name, read_only, used_ms FROM api_tokens WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
        });
        let Some((name, read_only, used_ms)) = found else { return Ok(None) };
        if used_ms.is_none_or(|used| now_ms - used >= TOUCH_MS) {
            on_pool!(&self.pools, write, |pool| {
                sqlx::query("UPDATE api_tokens SET used_ms = $1 WHERE token_hash = $2")
                    .bind(now_ms)
                    .bind(token_hash)
                    .execute(pool)
                    .await
                    .map(drop)?
            });
        }
        Ok(Some(Principal {
            name: format!("token:{name}"),
            role: None,
            scope: Scope::Everything,
            via: Via::Token { read_only },
        }))
    }
}
