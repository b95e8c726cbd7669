//! The receiver's `--help` text: every flag, its variable and default.

pub const USAGE: &str = "\
usage: feedback-receiver [OPTIONS]

The receiving end of the feedback widget: POST /collect stores answers,
/inbox shows them to the team.

Storage
  --db PATH               SQLite file (default feedback.sqlite)      env FEEDBACK_DB
  --database-url URL      postgres://... to use PostgreSQL instead,
                          or sqlite://PATH                            env DATABASE_URL
Ingest
  --listen ADDR           address to bind (default 127.0.0.1:8080)   env FEEDBACK_LISTEN
  --allow-origin LIST     origins whose pages may post, comma-separated,
                          e.g. https://www.example.com; * for any
                          (default: same origin only)               env FEEDBACK_ALLOW_ORIGINS
  --rate-limit N          posts per minute per client IP, 0 = off
                          (default 120, bursts of 60)                 env FEEDBACK_RATE_LIMIT
  --trusted-proxy CIDR    a proxy in front, e.g. 10.0.0.0/8 or 127.0.0.1
                          (repeatable): only from these peers do
                          X-Forwarded-For/-Proto/-Host count         env FEEDBACK_TRUSTED_PROXIES
  --trust-proxy           deprecated: 127.0.0.0/8 and ::1 as above   env FEEDBACK_TRUST_PROXY=1
  --public-url URL        the address people use, e.g.
                          https://feedback.example.com; form posts
                          must come from exactly this origin         env FEEDBACK_PUBLIC_URL
Connections
  --header-timeout SECS   close a connection that has not sent a whole
                          request head in SECS, or idles (default 10) env FEEDBACK_HEADER_TIMEOUT
  --request-timeout SECS  a request not answered within SECS, body
                          included, gets a 408 (default 30)          env FEEDBACK_REQUEST_TIMEOUT
  --max-connections N     connections served at once; past it new ones
                          wait to be accepted (default 1024)         env FEEDBACK_MAX_CONNECTIONS
Inbox (people sign in with their own accounts: see `feedback-receiver user`)
  --inbox-password SECRET when the database has no user yet, create the
                          admin `admin` with this password (12+
                          characters), once                          env FEEDBACK_INBOX_PASSWORD
  --cookie-secure         mark the inbox cookie Secure (behind HTTPS) env FEEDBACK_COOKIE_SECURE=1
  --retention-days N      delete answers older than N days (hourly
                          check, logged and audited)                 env FEEDBACK_RETENTION_DAYS
Notifications (URL#when=LIST: all, low, follow-up, vents; default all)
  Secrets in flags show in `ps` to anyone on the machine: set the
  environment variables instead for URLs with tokens and for the secret.
  --webhook URL           POST each answer, signed (repeatable)      env FEEDBACK_WEBHOOKS
  --webhook-secret SECRET the HMAC key of Feedback-Signature (16+
                          characters; needed with --webhook)         env FEEDBACK_WEBHOOK_SECRET
  --slack-webhook URL     a Slack-compatible incoming webhook        env FEEDBACK_SLACK_WEBHOOK
  --smtp-url URL          smtps://user:pass@host:465 or
                          smtp://user:pass@host:587?tls=required:
                          mail answers (default #when=follow-up) and
                          a daily digest to each agent               env FEEDBACK_SMTP_URL
  --smtp-ca FILE          PEM certificates to trust for its TLS too
                          (a private CA; public ones are built in)   env FEEDBACK_SMTP_CA
  --mail-from ADDR        the sender of those e-mails                env FEEDBACK_MAIL_FROM
  --mail-team ADDR        for answers whose agent has no address     env FEEDBACK_MAIL_TEAM
  --notify-timeout SECS   one delivery may take this long (default 10) env FEEDBACK_NOTIFY_TIMEOUT
Operations
  --log-format FORMAT     text or json (default text, on stderr)     env FEEDBACK_LOG_FORMAT
  --log-level LEVEL       error, warn, info, debug (default info)    env FEEDBACK_LOG_LEVEL
  --seed-demo             fill an empty database with demo data
  --static DIR            also serve DIR (index.html at /), for the demo
  --demo-sink             keep webhook deliveries posted to /_demo/sink
                          for the demo page (the demo only)
  --faults                enable POST /_faults and GET /_stats (tests only)
  --help                  this text

Commands (people, tokens, erasure): feedback-receiver user|token|erase|export;
see `feedback-receiver user --help`.";
