//! `GET /inbox`: the page itself. It reads what each section shows (agent,
//! channel and dates apply to every section; kind, score and comment only
//! to the list) and puts the sections in order under a header bar. The
//! sections' markup is theirs (`sections`); this module decides what goes
//! where, not how a section looks.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use maud::{html, Markup};

use super::access::access;
use super::filters::Filter;
use super::layout::{live_page, storage_error};
use super::sections::{answers, effort, filter_form, follow_ups, spared};
use crate::auth::{Principal, Scope};
use crate::clock::{self, DAY_MS};
use crate::db::{Grid, Param};
use crate::{AppState, ClientIp};

/// Open follow-ups shown at most.
const FOLLOW_UPS: i64 = 200;

pub async fn inbox(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut filter = Filter::from_query(&q, Scope::default());
    let who = match access(&state, &headers, client).await {
        Ok(who) => who,
        Err(denied) => return denied.page(&filter.href()),
    };
    filter.scope = who.scope.clone();
    // Before reading: the live inbox's stream starts from here.
    let now = clock::now_ms();
    match Sections::read(&state, &filter).await {
        Ok(sections) => live_page(StatusCode::OK, "Feedback inbox", sections.render(&who, &filter, now)),
        Err(e) => storage_error(e),
    }
}

/// What the page shows, as read from the database.
struct Sections {
    /// Filter values that made no sense, named at the top.
    problems: Vec<String>,
    agents: Vec<String>,
    channels: Vec<String>,
    follow_ups: Vec<crate::db::Entry>,
    spared: Vec<(Option<String>, i64)>,
    by_agent: Vec<(String, i64, i64)>,
    by_week: Vec<(String, i64, i64)>,
    /// The list's page, plus one row if there are older ones.
    list: Vec<crate::db::Entry>,
}

impl Sections {
    async fn read(state: &AppState, filter: &Filter) -> Result<Sections, sqlx::Error> {
        let db = &state.db;
        let mut problems = Vec::new();
        let base = filter.base(&mut problems);
        let mut list = filter.narrow(base.clone(), &mut problems);
        filter.page(&mut list);
        let list = db.entries(&list, "received_ms DESC, id DESC", answers::PAGE + 1).await?;
        let mut open = base.clone();
        open.and(
            "kind = ? AND follow_up = ? AND followed_up_ms IS NULL",
            [Param::Text("response".into()), Param::Bool(true)],
        );
        let follow_ups = db.entries(&open, "received_ms ASC, id ASC", FOLLOW_UPS).await?;
        let mut spared = base.clone();
        spared.and("kind = ?", [Param::Text("suppressed".into())]);
        let spared = db.count_by("reasons", &spared).await?;
        let mut scored = base;
        scored.and("kind = ?", [Param::Text("response".into())]);
        Ok(Sections {
            problems,
            agents: db.distinct("agent_id").await?.into_iter().filter(|a| filter.scope.allows(Some(a))).collect(),
            channels: db.distinct("channel").await?,
            follow_ups,
            spared,
            by_agent: db.effort_grid(Grid::Agent, &scored).await?,
            by_week: db.effort_grid(Grid::Week, &scored).await?,
            list,
        })
    }

    fn render(&self, who: &Principal, filter: &Filter, now: i64) -> Markup {
        // An agent's name opens their own answers; a week opens that week.
        let agent_link =
            |label: &str| (!label.is_empty()).then(|| Filter { agent: label.to_owned(), ..filter.clone() }.href());
        let agent_name = |label: &str| if label.is_empty() { "(no agent)".to_owned() } else { label.to_owned() };
        let monday = |label: &str| label.parse::<i64>().ok().map(clock::week_start);
        let week_link = |label: &str| {
            let start = monday(label)?;
            let (from, to) = (clock::date(start), clock::date(start + 6 * DAY_MS));
            Some(Filter { from, to, ..filter.clone() }.href())
        };
        let week_name = |label: &str| monday(label).map(clock::date).unwrap_or_default();
        html! {
            header.bar {
                h1 { "Feedback inbox" }
                span.who { (who.name) @if let Some(role) = who.role { " · " (role.as_str()) } }
                @if who.is_admin() { a href="/inbox/admin" { "Admin" } }
                form method="post" action="/logout" { button type="submit" class="link" { "Sign out" } }
            }
            main {
                @for p in &self.problems { p.error role="alert" { (p) } }
                // Filled in by /inbox/live.js when it connects; its stream
                // starts when this page was read (`data-since`, ms).
                p #live .hint aria-live="polite" data-since=(now) {}
                (filter_form::section(filter, &self.agents, &self.channels))
                (follow_ups::section(&self.follow_ups, filter, now))
                div.columns {
                    (spared::section(&self.spared))
                    (effort::section(Grid::Agent, &self.by_agent, agent_name, agent_link))
                    (effort::section(Grid::Week, &self.by_week, week_name, week_link))
                }
                (answers::section(&self.list, filter))
                footer { p { "Times are UTC. Customers' words are shown as they wrote them." } }
            }
        }
    }
}
