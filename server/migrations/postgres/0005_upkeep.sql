-- Work on stored rows that a version owes once, done in Rust at start
-- (src/db/upgrade.rs) and then deleted here; a receiver stopped halfway
-- does it at its next start.
CREATE TABLE upkeep (task TEXT PRIMARY KEY);
-- Bodies stored with a NUL in their metadata, as receivers before
-- 2026-11-29 did: rewritten with U+FFFD, as new answers are stored.
INSERT INTO upkeep (task) VALUES ('nul-in-bodies');
