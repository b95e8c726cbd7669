//! The team's inbox: server-rendered HTML behind one password, usable
//! without JavaScript. Newest answers first with filters; answers whose
//! customer asked to be contacted on top, with a 48-hour clock; how many
//! customers were spared a prompt, and why; CES per agent and per week;
//! a CSV export of the current filter.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::Instant;

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};

use crate::auth;
use crate::clock::{self, DAY_MS, HOUR_MS};
use crate::config::Origins;
use crate::db::{Clause, Entry, Grid, Param};
use crate::html::{esc, page, secure, url_encode};
use crate::{ingest, AppState, ClientIp};

/// Answers per page of the list.
const PAGE: i64 = 100;
/// The follow-up promise to customers.
const FOLLOW_UP_MS: i64 = 48 * HOUR_MS;
/// Rows in one CSV export at most.
const EXPORT_LIMIT: i64 = 100_000;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/inbox", get(inbox))
        .route("/inbox/", get(|| async { axum::response::Redirect::permanent("/inbox") }))
        .route("/inbox/export.csv", get(export))
        .route("/inbox/follow-up", post(follow_up))
        .route("/inbox/inbox.css", get(css))
        .route("/inbox/session", get(session))
        .route("/responses", get(responses_json))
}

/// `{"signedIn": bool}`: lets a page (the demo) know whether reading
/// `/responses` will work, without provoking a 401.
async fn session(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let signed_in = matches!(access(&state, &headers), Access::SignedIn);
    let mut r = Json(serde_json::json!({ "signedIn": signed_in })).into_response();
    secure(r.headers_mut());
    r
}

async fn css() -> Response {
    let mut r = include_str!("../assets/inbox.css").into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    r
}

fn off() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Inbox off",
        "<main class=\"narrow\"><h1>The inbox is off</h1><p>Start the receiver with \
         <code>--inbox-password</code> (or <code>FEEDBACK_INBOX_PASSWORD</code>) to use it.</p></main>",
    )
}

enum Access {
    Off,
    SignedOut,
    SignedIn,
}

fn access(state: &AppState, headers: &HeaderMap) -> Access {
    let Some(auth) = &state.auth else { return Access::Off };
    let now = clock::now_ms() / 1000;
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).is_some_and(|v| auth.bearer_matches(v));
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| auth::cookie(v, auth::COOKIE))
        .any(|v| auth.session_valid(v, now));
    if bearer || cookie {
        Access::SignedIn
    } else {
        Access::SignedOut
    }
}

fn see_other(location: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, location.to_owned())]).into_response()
}

/// A form post from one of our own pages (not another site's): the
/// session cookie is SameSite=Strict as well.
fn from_our_page(headers: &HeaderMap, trust_proxy: bool) -> bool {
    let site_ok = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|site| matches!(site, "same-origin" | "none"));
    site_ok && ingest::origin_allowed(&Origins::SameOrigin, headers, trust_proxy).is_ok()
}

/// Only a path inside the inbox, so a login link cannot send anyone elsewhere.
fn safe_next(next: Option<&String>) -> String {
    match next {
        Some(n) if n.starts_with("/inbox") && !n.contains("//") && !n.contains('\\') => n.clone(),
        _ => "/inbox".into(),
    }
}

fn login_page(status: StatusCode, next: &str, error: Option<&str>) -> Response {
    let error = error.map(|e| format!("<p class=\"error\" role=\"alert\">{}</p>", esc(e))).unwrap_or_default();
    let body = format!(
        "<main class=\"narrow\"><h1>Feedback inbox</h1>{error}\
         <form method=\"post\" action=\"/login\" class=\"login\">\
         <input type=\"hidden\" name=\"next\" value=\"{}\">\
         <label for=\"password\">Password</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required autofocus>\
         <button type=\"submit\">Sign in</button></form></main>",
        esc(next)
    );
    page(status, "Sign in · Feedback inbox", &body)
}

async fn login_form(State(state): State<AppState>, Query(q): Query<HashMap<String, String>>) -> Response {
    if state.auth.is_none() {
        return off();
    }
    login_page(StatusCode::OK, &safe_next(q.get("next")), None)
}

async fn login(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(auth) = &state.auth else { return off() };
    let next = safe_next(form.get("next"));
    // Only wrong passwords count against the limit (10 a minute per client).
    if let Err(wait) = state.login_limit.check(client, Instant::now()) {
        let mut r = login_page(StatusCode::TOO_MANY_REQUESTS, &next, Some(&format!("Too many tries. Wait {wait} s.")));
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    if !from_our_page(&headers, state.trust_proxy)
        || !auth.password_matches(form.get("password").map_or("", String::as_str))
    {
        let _ = state.login_limit.take(client, Instant::now());
        tracing::warn!(%client, "inbox sign-in refused");
        return login_page(StatusCode::UNAUTHORIZED, &next, Some("That password is not right."));
    }
    let secure = state.cookie_secure
        || (state.trust_proxy && headers.get("x-forwarded-proto").is_some_and(|p| p.as_bytes() == b"https"));
    let cookie = format!(
        "{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
        auth::COOKIE,
        auth.issue(clock::now_ms() / 1000),
        auth::SESSION_SECS,
        if secure { "; Secure" } else { "" }
    );
    let mut r = see_other(&next);
    r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("cookie is ASCII"));
    r
}

async fn logout() -> Response {
    let mut r = see_other("/login");
    let gone = format!("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", auth::COOKIE);
    r.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&gone).expect("ASCII"));
    r
}

/// The inbox's filters, as typed (to show them again) and as SQL.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    agent: String,
    channel: String,
    score: String,
    kind: String,
    from: String,
    to: String,
    comment: String,
    before: String,
}

impl Filter {
    fn from_query(q: &HashMap<String, String>) -> Filter {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        Filter {
            agent: get("agent"),
            channel: get("channel"),
            score: get("score"),
            kind: get("kind"),
            from: get("from"),
            to: get("to"),
            comment: get("comment"),
            before: get("before"),
        }
    }

    /// The query string for these filters (without the page cursor).
    fn query(&self) -> String {
        let fields = [
            ("agent", &self.agent),
            ("channel", &self.channel),
            ("score", &self.score),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
            ("comment", &self.comment),
        ];
        let parts: Vec<String> =
            fields.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
        parts.join("&")
    }

    /// Agent, channel and dates: what every section of the page shares.
    fn base(&self, problems: &mut Vec<String>) -> Clause {
        let mut c = Clause::new();
        if !self.agent.is_empty() {
            c.and("agent_id = ?", [Param::Text(self.agent.clone())]);
        }
        if !self.channel.is_empty() {
            c.and("channel = ?", [Param::Text(self.channel.clone())]);
        }
        for (name, text, end) in [("from", &self.from, false), ("to", &self.to, true)] {
            if text.is_empty() {
                continue;
            }
            match clock::parse_date(text) {
                Some(day) if end => c.and("received_ms < ?", [Param::Int(day + DAY_MS)]),
                Some(day) => c.and("received_ms >= ?", [Param::Int(day)]),
                None => {
                    problems.push(format!("{name}: {text:?} is not a date (YYYY-MM-DD); ignored"));
                    &mut c
                }
            };
        }
        c
    }

    /// The list's rows: the base plus kind, score and comment.
    fn list(&self, problems: &mut Vec<String>) -> Clause {
        self.narrow(self.base(problems), problems)
    }

    /// `base` narrowed by kind, score and comment.
    fn narrow(&self, base: Clause, problems: &mut Vec<String>) -> Clause {
        let mut c = base;
        match self.kind.as_str() {
            "" | "answers" => c.and("kind = ?", [Param::Text("response".into())]),
            "all" => &mut c,
            "effort" => c.and("kind = ? AND effort IS NOT NULL", [Param::Text("response".into())]),
            "vent" => c.and("kind = ? AND action = ?", [Param::Text("response".into()), Param::Text("vent".into())]),
            "dismissed" | "suppressed" => c.and("kind = ?", [Param::Text(self.kind.clone())]),
            other => {
                problems.push(format!("kind: {other:?} is not one of the choices; ignored"));
                &mut c
            }
        };
        match self.score.as_str() {
            "" => &mut c,
            "low" => c.and("effort BETWEEN 1 AND 3", []),
            "high" => c.and("effort BETWEEN 5 AND 7", []),
            "none" => c.and("effort IS NULL", []),
            s => match s.parse::<i64>() {
                Ok(n @ 1..=7) => c.and("effort = ?", [Param::Int(n)]),
                _ => {
                    problems.push(format!("score: {s:?} is not 1-7, low, high or none; ignored"));
                    &mut c
                }
            },
        };
        match self.comment.as_str() {
            "" => &mut c,
            "yes" => c.and("comment IS NOT NULL AND comment <> ''", []),
            "no" => c.and("comment IS NULL OR comment = ''", []),
            other => {
                problems.push(format!("comment: {other:?} is not yes or no; ignored"));
                &mut c
            }
        };
        c
    }

    fn page(&self, c: &mut Clause) {
        if let Some((ms, id)) = self.before.split_once(':').and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id))) {
            c.and(
                "received_ms < ? OR (received_ms = ? AND id < ?)",
                [Param::Int(ms), Param::Int(ms), Param::Text(id.to_owned())],
            );
        }
    }
}

fn storage_error(e: sqlx::Error) -> Response {
    tracing::error!(error = %e, "inbox query failed");
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Unavailable",
        "<main class=\"narrow\"><h1>The database is not answering</h1><p>Try again in a moment.</p></main>",
    )
}

async fn inbox(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    match access(&state, &headers) {
        Access::Off => return off(),
        Access::SignedOut => {
            let here = format!("/inbox?{}", Filter::from_query(&q).query());
            return see_other(&format!("/login?next={}", url_encode(&here)));
        }
        Access::SignedIn => {}
    }
    match render(&state, &Filter::from_query(&q)).await {
        Ok(body) => page(StatusCode::OK, "Feedback inbox", &body),
        Err(e) => storage_error(e),
    }
}

async fn render(state: &AppState, filter: &Filter) -> Result<String, sqlx::Error> {
    let db = &state.db;
    let now = clock::now_ms();
    // Agent, channel and dates apply to every section; the rest only to the list.
    let mut problems = Vec::new();
    let base = filter.base(&mut problems);
    let mut list = filter.narrow(base.clone(), &mut problems);
    filter.page(&mut list);
    let rows = db.entries(&list, "received_ms DESC, id DESC", PAGE + 1).await?;
    let mut open = base.clone();
    open.and(
        "kind = ? AND follow_up = ? AND followed_up_ms IS NULL",
        [Param::Text("response".into()), Param::Bool(true)],
    );
    let follow_ups = db.entries(&open, "received_ms ASC, id ASC", 200).await?;
    let mut spared = base.clone();
    spared.and("kind = ?", [Param::Text("suppressed".into())]);
    let spared = db.count_by("reasons", &spared).await?;
    let mut scored = base;
    scored.and("kind = ?", [Param::Text("response".into())]);
    let by_agent = db.effort_grid(Grid::Agent, &scored).await?;
    let by_week = db.effort_grid(Grid::Week, &scored).await?;
    let agents = db.distinct("agent_id").await?;
    let channels = db.distinct("channel").await?;

    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"bar\"><h1>Feedback inbox</h1><form method=\"post\" action=\"/logout\">\
         <button type=\"submit\" class=\"link\">Sign out</button></form></header><main>"
    );
    for p in &problems {
        let _ = write!(out, "<p class=\"error\" role=\"alert\">{}</p>", esc(p));
    }
    filters_form(&mut out, filter, &agents, &channels);
    follow_up_section(&mut out, &follow_ups, filter, now);
    out.push_str("<div class=\"columns\">");
    spared_section(&mut out, &spared);
    // An agent's name opens their own answers; a week opens that week.
    let agent_link = |label: &str| {
        (!label.is_empty()).then(|| format!("/inbox?{}", Filter { agent: label.to_owned(), ..filter.clone() }.query()))
    };
    let agent_name = |label: &str| if label.is_empty() { "(no agent)".to_owned() } else { label.to_owned() };
    effort_section(&mut out, Grid::Agent, &by_agent, agent_name, agent_link);
    let monday = |label: &str| label.parse::<i64>().ok().map(clock::week_start);
    let week_link = |label: &str| {
        let start = monday(label)?;
        let (from, to) = (clock::date(start), clock::date(start + 6 * DAY_MS));
        Some(format!("/inbox?{}", Filter { from, to, ..filter.clone() }.query()))
    };
    let week_name = |label: &str| monday(label).map(clock::date).unwrap_or_default();
    effort_section(&mut out, Grid::Week, &by_week, week_name, week_link);
    out.push_str("</div>");
    list_section(&mut out, &rows, filter);
    out.push_str("<footer><p>Times are UTC. Customers' words are shown as they wrote them.</p></footer></main>");
    Ok(out)
}

fn select(out: &mut String, name: &str, label: &str, current: &str, options: &[(String, String)]) {
    let _ = write!(
        out,
        "<div class=\"field\"><label for=\"f-{name}\">{label}</label><select id=\"f-{name}\" name=\"{name}\">"
    );
    for (value, text) in options {
        let selected = if value == current { " selected" } else { "" };
        let _ = write!(out, "<option value=\"{}\"{selected}>{}</option>", esc(value), esc(text));
    }
    out.push_str("</select></div>");
}

fn filters_form(out: &mut String, f: &Filter, agents: &[String], channels: &[String]) {
    let any = || vec![(String::new(), "any".to_owned())];
    let with = |items: &[String]| {
        let mut o = any();
        o.extend(items.iter().map(|a| (a.clone(), a.clone())));
        o
    };
    let fixed = |items: &[(&str, &str)]| items.iter().map(|(v, t)| (v.to_string(), t.to_string())).collect::<Vec<_>>();
    out.push_str("<form method=\"get\" action=\"/inbox\" class=\"filters\" aria-label=\"Filters\">");
    select(out, "agent", "Agent", &f.agent, &with(agents));
    select(out, "channel", "Channel", &f.channel, &with(channels));
    let mut scores = fixed(&[("", "any"), ("low", "1-3 (hard)"), ("high", "5-7 (easy)"), ("none", "no score")]);
    scores.extend((1..=7).map(|n| (n.to_string(), n.to_string())));
    select(out, "score", "Score", &f.score, &scores);
    let kinds = fixed(&[
        ("answers", "answers"),
        ("effort", "scores"),
        ("vent", "vents"),
        ("dismissed", "skipped"),
        ("suppressed", "not asked"),
        ("all", "everything"),
    ]);
    select(out, "kind", "Kind", if f.kind.is_empty() { "answers" } else { &f.kind }, &kinds);
    select(out, "comment", "Comment", &f.comment, &fixed(&[("", "any"), ("yes", "with comment"), ("no", "without")]));
    let _ = write!(
        out,
        "<div class=\"field\"><label for=\"f-from\">From</label><input id=\"f-from\" type=\"date\" name=\"from\" value=\"{}\"></div>\
         <div class=\"field\"><label for=\"f-to\">To</label><input id=\"f-to\" type=\"date\" name=\"to\" value=\"{}\"></div>\
         <button type=\"submit\">Apply</button> <a href=\"/inbox\">Clear</a> \
         <a href=\"/inbox/export.csv?{}\" download>Export CSV</a></form>",
        esc(&f.from),
        esc(&f.to),
        esc(&f.query())
    );
}

fn what(e: &Entry) -> &'static str {
    match (e.kind.as_str(), e.action.as_deref(), e.effort) {
        ("response", _, Some(_)) => "score",
        ("response", Some("vent"), None) => "vent",
        ("response", _, None) => "comment",
        ("dismissed", _, _) => "skipped",
        ("suppressed", _, _) => "not asked",
        _ => "other",
    }
}

fn follow_up_section(out: &mut String, items: &[Entry], f: &Filter, now: i64) {
    let _ = write!(
        out,
        "<section class=\"follow-ups\" aria-labelledby=\"fu\"><h2 id=\"fu\">Follow up <span class=\"count\">{}</span></h2>\
         <p class=\"hint\">These customers asked to be contacted. Reply within 48 hours.</p>",
        items.len()
    );
    if items.is_empty() {
        out.push_str("<p class=\"empty\">Nobody is waiting for a reply.</p>");
    }
    out.push_str("<ol class=\"cards\">");
    // Where "Mark followed up" comes back to: this page, with its filters.
    let back = esc(&f.query());
    for e in items {
        let left = e.received_ms + FOLLOW_UP_MS - now;
        let clock = if left >= 0 {
            format!(
                "<span class=\"clock{}\">due in {} h</span>",
                if left < 12 * HOUR_MS { " soon" } else { "" },
                (left + HOUR_MS - 1) / HOUR_MS
            )
        } else {
            format!("<span class=\"clock overdue\">overdue by {} h</span>", (-left) / HOUR_MS)
        };
        let score = e.effort.map_or_else(|| what(e).to_owned(), |n| format!("scored {n}/7"));
        let _ = write!(
            out,
            "<li class=\"card\">{clock} <strong>{}</strong> · {} · {} · {}\
             <blockquote class=\"comment\">{}</blockquote>\
             <form method=\"post\" action=\"/inbox/follow-up\"><input type=\"hidden\" name=\"id\" value=\"{}\">\
             <input type=\"hidden\" name=\"back\" value=\"{}\"><button type=\"submit\">Mark followed up</button></form></li>",
            esc(&score),
            esc(e.agent_id.as_deref().unwrap_or("(no agent)")),
            esc(e.conversation_id.as_deref().map_or("no conversation id".into(), |c| format!("conversation {c}")).as_str()),
            clock::short(e.received_ms),
            esc(e.comment.as_deref().unwrap_or("(no comment)")),
            esc(&e.id),
            back,
        );
    }
    out.push_str("</ol></section>");
}

fn spared_section(out: &mut String, combos: &[(Option<String>, i64)]) {
    let total: i64 = combos.iter().map(|(_, n)| n).sum();
    let mut by_reason: BTreeMap<&str, i64> = BTreeMap::new();
    for (reasons, n) in combos {
        let codes: Vec<&str> = reasons.as_deref().unwrap_or_default().split_whitespace().collect();
        if codes.is_empty() {
            *by_reason.entry("(no reason given)").or_default() += n;
        }
        for code in codes {
            *by_reason.entry(code).or_default() += n;
        }
    }
    let mut ranked: Vec<_> = by_reason.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let _ = write!(
        out,
        "<section aria-labelledby=\"spared\"><h2 id=\"spared\">Spared <span class=\"count\">{total}</span></h2>\
         <p class=\"hint\">Customers the widget chose not to ask, by reason (one prompt can have several).</p>\
         <table><thead><tr><th scope=\"col\">Reason</th><th scope=\"col\" class=\"n\">Prompts</th></tr></thead><tbody>"
    );
    for (code, n) in ranked {
        let _ = write!(out, "<tr><td><code>{}</code></td><td class=\"n\">{n}</td></tr>", esc(code));
    }
    out.push_str("</tbody></table></section>");
}

/// Rows of `(label, effort, count)` as a table with a distribution, the
/// mean and the share of easy answers (5-7).
fn effort_section(
    out: &mut String,
    grid: Grid,
    counts: &[(String, i64, i64)],
    name: impl Fn(&str) -> String,
    link: impl Fn(&str) -> Option<String>,
) {
    let (title, head) = match grid {
        Grid::Agent => ("Effort by agent", "Agent"),
        Grid::Week => ("Effort by week", "Week of"),
    };
    let mut rows: BTreeMap<&str, [i64; 7]> = BTreeMap::new();
    for (label, effort, n) in counts {
        if (1..=7).contains(effort) {
            rows.entry(label.as_str()).or_default()[(*effort - 1) as usize] += n;
        }
    }
    let id = title.to_ascii_lowercase().replace(' ', "-");
    let _ = write!(
        out,
        "<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{}</h2><table class=\"grid\"><thead><tr><th scope=\"col\">{head}</th>\
         <th scope=\"col\" class=\"n\">Answers</th>",
        esc(title)
    );
    for n in 1..=7 {
        let _ = write!(out, "<th scope=\"col\" class=\"n\">{n}</th>");
    }
    out.push_str("<th scope=\"col\" class=\"n\">Mean</th><th scope=\"col\">Easy (5-7)</th></tr></thead><tbody>");
    let mut ordered: Vec<(&str, [i64; 7])> = rows.into_iter().collect();
    if grid == Grid::Week {
        // Newest first; week labels are numbers, not in text order.
        ordered.sort_by_key(|(label, _)| std::cmp::Reverse(label.parse::<i64>().unwrap_or_default()));
        ordered.truncate(12);
    }
    if ordered.is_empty() {
        out.push_str("<tr><td colspan=\"11\" class=\"empty\">No scores yet.</td></tr>");
    }
    for (label, counts) in ordered {
        let total: i64 = counts.iter().sum();
        let weighted: i64 = counts.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
        let easy = counts[4..].iter().sum::<i64>() * 100 / total.max(1);
        let head = match link(label) {
            Some(href) => format!("<a href=\"{}\">{}</a>", esc(&href), esc(&name(label))),
            None => esc(&name(label)),
        };
        let _ = write!(out, "<tr><th scope=\"row\">{head}</th><td class=\"n\">{total}</td>");
        for n in counts {
            let _ = write!(out, "<td class=\"n{}\">{n}</td>", if n == 0 { " zero" } else { "" });
        }
        let _ = write!(
            out,
            "<td class=\"n\">{:.1}</td><td><meter min=\"0\" max=\"100\" low=\"50\" high=\"75\" optimum=\"100\" value=\"{easy}\">{easy}%</meter> {easy}%</td></tr>",
            weighted as f64 / total.max(1) as f64
        );
    }
    out.push_str("</tbody></table></section>");
}

fn list_section(out: &mut String, rows: &[Entry], f: &Filter) {
    let shown = &rows[..rows.len().min(PAGE as usize)];
    let _ = write!(
        out,
        "<section aria-labelledby=\"list\"><h2 id=\"list\">Answers</h2><table class=\"list\"><thead><tr>\
         <th scope=\"col\">Received</th><th scope=\"col\">Agent</th><th scope=\"col\">Channel</th><th scope=\"col\">What</th>\
         <th scope=\"col\" class=\"n\">Score</th><th scope=\"col\">Comment</th><th scope=\"col\">Follow-up</th>\
         <th scope=\"col\">Conversation</th></tr></thead><tbody>"
    );
    if shown.is_empty() {
        out.push_str("<tr><td colspan=\"8\" class=\"empty\">Nothing matches these filters.</td></tr>");
    }
    for e in shown {
        let follow = match (e.follow_up, e.followed_up_ms) {
            (_, Some(at)) => format!("followed up {}", clock::short(at)),
            (true, None) => "wants contact".into(),
            (false, None) => String::new(),
        };
        let reasons = if e.reasons.is_empty() { String::new() } else { format!(" <small>{}</small>", esc(&e.reasons)) };
        let _ = write!(
            out,
            "<tr><td class=\"when\">{}</td><td>{}</td><td>{}</td><td>{}{reasons}</td><td class=\"n\">{}</td>\
             <td class=\"comment\">{}</td><td>{}</td><td>{}</td></tr>",
            clock::short(e.received_ms),
            esc(e.agent_id.as_deref().unwrap_or("")),
            esc(e.channel.as_deref().unwrap_or("")),
            what(e),
            e.effort.map(|n| n.to_string()).unwrap_or_default(),
            esc(e.comment.as_deref().unwrap_or("")),
            esc(&follow),
            esc(e.conversation_id.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</tbody></table>");
    if rows.len() > PAGE as usize {
        if let Some(last) = shown.last() {
            let cursor = url_encode(&format!("{}:{}", last.received_ms, last.id));
            let q = f.query();
            let sep = if q.is_empty() { "" } else { "&" };
            let _ = write!(
                out,
                "<p class=\"more\"><a href=\"/inbox?{}{sep}before={cursor}\">Older answers</a></p>",
                esc(&q)
            );
        }
    }
    out.push_str("</section>");
}

async fn follow_up(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    match access(&state, &headers) {
        Access::Off => return off(),
        Access::SignedOut => return see_other("/login"),
        Access::SignedIn => {}
    }
    if !from_our_page(&headers, state.trust_proxy) {
        return page(
            StatusCode::FORBIDDEN,
            "Refused",
            "<main class=\"narrow\"><h1>Refused</h1><p>That form did not come from this inbox.</p></main>",
        );
    }
    let Some(id) = form.get("id") else {
        return page(StatusCode::BAD_REQUEST, "Missing id", "<main class=\"narrow\"><h1>Which answer?</h1></main>");
    };
    match state.db.mark_followed_up(id, clock::now_ms()).await {
        Ok(marked) => {
            tracing::info!(id, marked, "followed up");
            let back = form.get("back").map(String::as_str).unwrap_or_default();
            // `back` is a query string we wrote; keep it a query string.
            let back: String = back.chars().filter(|c| !matches!(c, '/' | '\\' | '#' | '\r' | '\n')).collect();
            see_other(&format!("/inbox?{back}"))
        }
        Err(e) => storage_error(e),
    }
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    match access(&state, &headers) {
        Access::Off => return off(),
        Access::SignedOut => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Access::SignedIn => {}
    }
    let filter = Filter::from_query(&q);
    let clause = filter.list(&mut Vec::new());
    let rows = match state.db.entries(&clause, "received_ms DESC, id DESC", EXPORT_LIMIT).await {
        Ok(rows) => rows,
        Err(e) => return storage_error(e),
    };
    let mut csv = String::from("\u{feff}");
    csv.push_str(
        "received_at,id,kind,what,effort,comment,follow_up,followed_up_at,agent_id,channel,conversation_id,locale,reasons\r\n",
    );
    for e in &rows {
        let cells = [
            clock::rfc3339(e.received_ms),
            e.id.clone(),
            e.kind.clone(),
            what(e).to_owned(),
            e.effort.map(|n| n.to_string()).unwrap_or_default(),
            e.comment.clone().unwrap_or_default(),
            e.follow_up.to_string(),
            e.followed_up_ms.map(clock::rfc3339).unwrap_or_default(),
            e.agent_id.clone().unwrap_or_default(),
            e.channel.clone().unwrap_or_default(),
            e.conversation_id.clone().unwrap_or_default(),
            e.locale.clone().unwrap_or_default(),
            e.reasons.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        csv.push_str(&line.join(","));
        csv.push_str("\r\n");
    }
    let name = format!("feedback-{}.csv", clock::date(clock::now_ms()));
    let mut r = csv.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    secure(h);
    r
}

/// A quoted CSV cell. A cell a spreadsheet would read as a formula (`=`,
/// `+`, `-`, `@`, tab, CR at the start) gets a leading `'`, so a comment
/// can never run in the reader's spreadsheet.
pub fn csv_cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

/// `GET /responses`: the newest 500 rows as JSON, for scripts and tests.
async fn responses_json(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match access(&state, &headers) {
        Access::Off => return off(),
        Access::SignedOut => {
            let mut r = (
                StatusCode::UNAUTHORIZED,
                Json(serde_json::json!({ "error": "sign in or send Authorization: Bearer <password>" })),
            )
                .into_response();
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return r;
        }
        Access::SignedIn => {}
    }
    match state.db.recent_json(500).await {
        Ok(rows) => {
            let mut r = Json(rows).into_response();
            secure(r.headers_mut());
            r
        }
        Err(e) => storage_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "\"plain\"");
        assert_eq!(csv_cell("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("-1+2"), "\"'-1+2\"");
        assert_eq!(csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
    }

    #[test]
    fn filters_become_parameters_never_sql() {
        let q: HashMap<String, String> = [
            ("agent", "ada'; DROP TABLE responses; --"),
            ("score", "low"),
            ("kind", "vent"),
            ("from", "2026-11-01"),
            ("to", "2026-11-30"),
            ("comment", "yes"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let f = Filter::from_query(&q);
        let mut problems = Vec::new();
        let c = f.list(&mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!c.sql.contains("DROP"), "{}", c.sql);
        assert!(c.sql.contains("agent_id = $1"), "{}", c.sql);
        assert_eq!(c.params.len(), 5, "agent, from, to, kind, action");
        let bad = Filter::from_query(&[("from".to_string(), "soon".to_string()), ("score".into(), "9".into())].into());
        let mut problems = Vec::new();
        bad.list(&mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(safe_next(Some(&"//evil.example/inbox".into())), "/inbox");
        assert_eq!(safe_next(Some(&"/inbox?agent=ada".into())), "/inbox?agent=ada");
        assert_eq!(safe_next(Some(&"https://evil.example".into())), "/inbox");
    }
}
