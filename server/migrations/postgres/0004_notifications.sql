-- The notifications the receiver owes (a transactional outbox): one row
-- per destination and answer, written in the same transaction as the
-- answer (db/writer.rs), and one per agent and UTC day for the e-mail
-- digest. The worker (src/notify/) claims due rows with a lease
-- (locked_until, lease) and records what happened; see docs/receiver.md.
CREATE TABLE outbox (
    -- '<destination>:<payload id>', or 'digest:<user>:<YYYY-MM-DD>'.
    delivery_id TEXT PRIMARY KEY,
    destination TEXT NOT NULL,
    -- The answer it is about (erased with it); NULL for a digest.
    response_id TEXT,
    -- A digest's person and UTC day; NULL otherwise.
    user_name TEXT,
    day TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    -- When the next attempt is due (pending).
    next_ms BIGINT NOT NULL,
    -- A worker that claimed the row holds it until then.
    locked_until BIGINT NOT NULL DEFAULT 0,
    lease TEXT,
    sent_ms BIGINT,
    -- Why the last attempt failed, without secrets or URLs.
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_ms) WHERE state = 'pending';
CREATE INDEX outbox_by_response ON outbox (response_id);
-- Where a person's follow-up requests and digests are e-mailed.
ALTER TABLE users ADD COLUMN email TEXT;
