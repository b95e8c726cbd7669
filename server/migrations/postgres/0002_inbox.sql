-- What the inbox filters and counts on, as columns, filled in for old rows
-- from the stored payload.
ALTER TABLE responses ADD COLUMN channel TEXT;
ALTER TABLE responses ADD COLUMN locale TEXT;
ALTER TABLE responses ADD COLUMN reasons TEXT NOT NULL DEFAULT '';
ALTER TABLE responses ADD COLUMN received_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN followed_up_ms BIGINT;

UPDATE responses SET
    received_ms = (EXTRACT(EPOCH FROM received_at::timestamptz) * 1000)::BIGINT,
    channel = body::jsonb ->> 'channel',
    locale = body::jsonb ->> 'locale',
    reasons = COALESCE((SELECT string_agg(r, ' ') FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(body::jsonb -> 'reasons') = 'array' THEN body::jsonb -> 'reasons' ELSE '[]'::jsonb END) AS r), '');

CREATE INDEX responses_by_time ON responses (received_ms, id);
CREATE INDEX responses_by_agent ON responses (agent_id, received_ms);
CREATE INDEX responses_open_follow_ups ON responses (received_ms) WHERE follow_up AND followed_up_ms IS NULL;
