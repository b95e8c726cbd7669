-- People and machines that may read the inbox, their sessions, the audit
-- log, and the failed-credential counters every receiver shares.
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'agent')),
    -- An Argon2id PHC string; never the password.
    password_hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
-- Which answers an agent sees: those whose agentId is one of these.
CREATE TABLE user_agent_ids (
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    agent_id TEXT NOT NULL,
    PRIMARY KEY (user_name, agent_id)
);
-- A session is a random 256-bit token; only its SHA-256 is kept.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_ms INTEGER NOT NULL,
    seen_ms INTEGER NOT NULL,
    client TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_name);
CREATE TABLE api_tokens (
    name TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    read_only INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    used_ms INTEGER
);
-- Append-only from the application (see db/audit.rs).
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    client TEXT NOT NULL DEFAULT ''
);
-- Failed attempts per key (a client network or an account) in the
-- current window, in the database so that receivers sharing it share them.
CREATE TABLE auth_failures (
    key TEXT PRIMARY KEY,
    window_ms INTEGER NOT NULL,
    failures INTEGER NOT NULL
);
ALTER TABLE responses ADD COLUMN followed_up_by TEXT;
