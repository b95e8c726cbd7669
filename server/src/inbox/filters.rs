//! The inbox's filters: read from the query string, written back into
//! links, and turned into SQL [`Clause`]s whose values are always
//! parameters. A value that makes no sense is named in `problems` and
//! ignored. This module neither runs queries nor renders HTML.

use std::collections::HashMap;

use feedback_contract::{Action, Kind};

use crate::auth::Scope;
use crate::clock::{self, DAY_MS};
use crate::db::{Clause, Entry, Param};

/// The answers `scope` lets a reader see, as a clause to build on.
pub fn scoped(scope: &Scope) -> Clause {
    let mut c = Clause::new();
    match scope {
        Scope::Everything => {}
        Scope::Agents(ids) if ids.is_empty() => {
            c.and("1 = 0", []);
        }
        Scope::Agents(ids) => {
            let marks = vec!["?"; ids.len()].join(", ");
            c.and(&format!("agent_id IN ({marks})"), ids.iter().map(|id| Param::Text(id.clone())));
        }
    }
    c
}

/// The inbox's filters, as typed (to show them again) and as SQL.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub agent: String,
    pub channel: String,
    pub score: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub comment: String,
    /// One answer by its id (the notifications link to it).
    pub id: String,
    /// The list's page cursor: `<received_ms>:<id>` of the last row shown.
    pub before: String,
    /// Whose answers the reader may see; every clause starts from it.
    pub scope: Scope,
}

impl Filter {
    pub fn from_query(q: &HashMap<String, String>, scope: Scope) -> Filter {
        let get = |k: &str| q.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
        Filter {
            agent: get("agent"),
            channel: get("channel"),
            score: get("score"),
            kind: get("kind"),
            from: get("from"),
            to: get("to"),
            comment: get("comment"),
            id: get("id"),
            before: get("before"),
            scope,
        }
    }

    /// The query string for these filters (without the page cursor).
    pub fn query(&self) -> String {
        let fields = [
            ("agent", &self.agent),
            ("channel", &self.channel),
            ("score", &self.score),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
            ("comment", &self.comment),
            ("id", &self.id),
        ];
        let parts: Vec<String> =
            fields.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
        parts.join("&")
    }

    /// `/inbox` with these filters.
    pub fn href(&self) -> String {
        format!("/inbox?{}", self.query())
    }

    /// Agent, channel and dates: what every section of the page shares.
    pub fn base(&self, problems: &mut Vec<String>) -> Clause {
        let mut c = scoped(&self.scope);
        if !self.agent.is_empty() {
            c.and("agent_id = ?", [Param::Text(self.agent.clone())]);
        }
        if !self.channel.is_empty() {
            c.and("channel = ?", [Param::Text(self.channel.clone())]);
        }
        if !self.id.is_empty() {
            c.and("id = ?", [Param::Text(self.id.clone())]);
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
    pub fn list(&self, problems: &mut Vec<String>) -> Clause {
        self.narrow(self.base(problems), problems)
    }

    /// `base` narrowed by kind, score and comment.
    pub fn narrow(&self, base: Clause, problems: &mut Vec<String>) -> Clause {
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
            s => match s.parse::<u8>() {
                Ok(n @ 1..=7) => c.and("effort = ?", [Param::Int(i64::from(n))]),
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

    /// Whether `e` passes what [`Filter::narrow`] adds to the base (kind,
    /// score and comment), for a row already read with the base: the live
    /// inbox reads the base, for the follow-ups, and tells the list's rows
    /// by this. Mirrors `narrow` case by case (a value it ignores, this
    /// ignores too).
    pub fn narrows_to(&self, e: &Entry) -> bool {
        let e = &e.answer;
        let response = e.kind == Kind::Response;
        let kind = match self.kind.as_str() {
            "" | "answers" => response,
            "effort" => response && e.effort.is_some(),
            "vent" => response && e.action == Some(Action::Vent),
            "dismissed" | "suppressed" => e.kind.as_str() == self.kind,
            _ => true,
        };
        let score = match self.score.as_str() {
            "low" => e.effort.is_some_and(|n| (1..=3).contains(&n)),
            "high" => e.effort.is_some_and(|n| (5..=7).contains(&n)),
            "none" => e.effort.is_none(),
            s => match s.parse::<u8>() {
                Ok(n @ 1..=7) => e.effort == Some(n),
                _ => true,
            },
        };
        let has_comment = e.comment.as_deref().is_some_and(|c| !c.is_empty());
        let comment = match self.comment.as_str() {
            "yes" => has_comment,
            "no" => !has_comment,
            _ => true,
        };
        kind && score && comment
    }

    /// Narrows `c` to the rows after the page cursor, if there is one.
    pub fn page(&self, c: &mut Clause) {
        if let Some((ms, id)) = self.before.split_once(':').and_then(|(ms, id)| Some((ms.parse::<i64>().ok()?, id))) {
            c.and(
                "received_ms < ? OR (received_ms = ? AND id < ?)",
                [Param::Int(ms), Param::Int(ms), Param::Text(id.to_owned())],
            );
        }
    }
}

/// Percent-encodes a query-string value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use feedback_contract::Payload;

    fn filter(pairs: &[(&str, &str)]) -> Filter {
        Filter::from_query(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), Scope::Everything)
    }

    #[test]
    fn every_clause_starts_from_the_readers_scope() {
        let q: HashMap<String, String> = [("agent".to_string(), "agent-grace".to_string())].into();
        let ada = Filter::from_query(&q, Scope::Agents(vec!["agent-ada".into(), "agent-x".into()]));
        let c = ada.list(&mut Vec::new());
        assert!(c.sql.contains("agent_id IN ($1, $2)"), "{}", c.sql);
        assert!(c.sql.contains("agent_id = $3"), "asking for another agent only narrows: {}", c.sql);
        let nobody = Filter::from_query(&q, Scope::default()).list(&mut Vec::new());
        assert!(nobody.sql.contains("1 = 0"), "{}", nobody.sql);
        assert!(!filter(&[]).base(&mut Vec::new()).sql.contains("agent_id"));
    }

    #[test]
    fn filters_become_parameters_never_sql() {
        let f = filter(&[
            ("agent", "ada'; DROP TABLE responses; --"),
            ("score", "low"),
            ("kind", "vent"),
            ("from", "2026-11-01"),
            ("to", "2026-11-30"),
            ("comment", "yes"),
        ]);
        let mut problems = Vec::new();
        let c = f.list(&mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert!(!c.sql.contains("DROP"), "{}", c.sql);
        assert!(c.sql.contains("agent_id = $1"), "{}", c.sql);
        assert_eq!(c.params.len(), 5, "agent, from, to, kind, action");
        let mut problems = Vec::new();
        filter(&[("from", "soon"), ("score", "9")]).list(&mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn narrows_to_agrees_with_narrow() {
        let entry = |kind, action, effort, comment: Option<&str>| {
            let mut answer = Payload::new("x".into(), kind);
            answer.action = Some(action);
            answer.effort = effort;
            answer.comment = comment.map(str::to_owned);
            Entry::new(answer, 0)
        };
        let low = entry(Kind::Response, Action::Effort, Some(2), Some("slow"));
        let vent = entry(Kind::Response, Action::Vent, None, Some("angry"));
        let bare = entry(Kind::Response, Action::Effort, Some(6), Some(""));
        let skipped = entry(Kind::Dismissed, Action::Effort, None, None);
        // A query, and whether it takes [low, vent, bare, skipped].
        type Case<'a> = (&'a [(&'a str, &'a str)], [bool; 4]);
        let cases: [Case; 11] = [
            (&[], [true, true, true, false]),
            (&[("kind", "all")], [true, true, true, true]),
            (&[("kind", "effort")], [true, false, true, false]),
            (&[("kind", "vent")], [false, true, false, false]),
            (&[("kind", "dismissed")], [false, false, false, true]),
            (&[("kind", "nonsense")], [true, true, true, true]),
            (&[("score", "low")], [true, false, false, false]),
            (&[("score", "high")], [false, false, true, false]),
            (&[("score", "none"), ("kind", "all")], [false, true, false, true]),
            (&[("score", "6"), ("comment", "no")], [false, false, true, false]),
            (&[("comment", "yes")], [true, true, false, false]),
        ];
        for (query, want) in cases {
            let f = filter(query);
            let got = [&low, &vent, &bare, &skipped].map(|e| f.narrows_to(e));
            assert_eq!(got, want, "{query:?}");
        }
    }

    #[test]
    fn the_query_string_is_encoded() {
        assert_eq!(url_encode("a b&c=好"), "a%20b%26c%3D%E5%A5%BD");
        let f = filter(&[("agent", "a&b"), ("kind", "all"), ("before", "1:x")]);
        assert_eq!(f.query(), "agent=a%26b&kind=all", "without the cursor");
        assert_eq!(f.href(), "/inbox?agent=a%26b&kind=all");
    }
}
