-- The responses table, one row per payload id (as the SQLite one).
CREATE TABLE IF NOT EXISTS responses (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT,
    kind TEXT NOT NULL,
    action TEXT,
    effort BIGINT,
    comment TEXT,
    follow_up BOOLEAN NOT NULL DEFAULT FALSE,
    conversation_id TEXT,
    agent_id TEXT,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    deliveries BIGINT NOT NULL DEFAULT 1
);
