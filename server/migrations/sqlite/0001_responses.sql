-- The responses table as the first receiver kept it (one row per payload id).
-- IF NOT EXISTS: a database made by that receiver is adopted as it is.
CREATE TABLE IF NOT EXISTS responses (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT,
    kind TEXT NOT NULL,
    action TEXT,
    effort INTEGER,
    comment TEXT,
    follow_up INTEGER NOT NULL DEFAULT 0,
    conversation_id TEXT,
    agent_id TEXT,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    deliveries INTEGER NOT NULL DEFAULT 1
);
