-- What the inbox filters and counts on, as columns, filled in for old rows
-- from the stored payload.
ALTER TABLE responses ADD COLUMN channel TEXT;
ALTER TABLE responses ADD COLUMN locale TEXT;
ALTER TABLE responses ADD COLUMN reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN followed_up_ms INTEGER;

UPDATE responses SET
    received_ms = CAST(ROUND((julianday(received_at) - 2440587.5) * 86400000) AS INTEGER),
    channel = json_extract(body, '$.channel'),
    locale = json_extract(body, '$.locale'),
    reasons = COALESCE((SELECT group_concat(value, ' ') FROM json_each(body, '$.reasons')), '')
WHERE json_valid(body);

CREATE INDEX responses_by_time ON responses (received_ms, id);
CREATE INDEX responses_by_agent ON responses (agent_id, received_ms);
CREATE INDEX responses_open_follow_ups ON responses (received_ms) WHERE follow_up = 1 AND followed_up_ms IS NULL;
