//! Demo data (`--seed-demo`): six weeks of plausible answers from three
//! agents, so the inbox has something to show. Deterministic, and only
//! ever added to an empty database.

use serde_json::json;

use crate::clock::{DAY_MS, HOUR_MS};
use crate::db::Db;
use crate::record::Record;

const AGENTS: [&str; 3] = ["agent-ada", "agent-grace", "agent-linus"];
const CHANNELS: [&str; 3] = ["chat", "email", "messenger"];
const EASY: [&str; 5] =
    ["Quick and friendly, thanks!", "客服很快就解决了我的问题。", "Great help with the invoice.", "", ""];
const HARD: [&str; 5] = [
    "I had to explain my problem three times.",
    "Waited 40 minutes before anyone answered.",
    "Still not fixed. I want to cancel.",
    "转了三次人工，问题还是没解决。",
    "",
];
const SPARED: [&[&str]; 4] =
    [&["repeat_contact"], &["cancel_intent"], &["transcript_frustrated", "unresolved"], &["session_cap"]];

/// Adds the demo rows if the database is empty; returns how many.
pub async fn seed(db: &Db, now_ms: i64) -> Result<usize, sqlx::Error> {
    if db.count().await? > 0 {
        return Ok(0);
    }
    let mut added = 0;
    // A small linear congruential generator: the same data every time.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    for i in 0..90u64 {
        let age = (i * 42 * DAY_MS as u64 / 90) as i64 + next(5 * HOUR_MS as u64) as i64;
        let agent = AGENTS[next(3) as usize];
        let channel = CHANNELS[next(3) as usize];
        let roll = next(100);
        let (kind, action, effort, reasons): (&str, &str, Option<u64>, Vec<&str>) = match roll {
            0..=14 => ("suppressed", "silent", None, SPARED[next(4) as usize].to_vec()),
            15..=24 => ("response", "vent", None, vec!["waited", "transferred"]),
            25..=31 => ("dismissed", "effort", None, vec!["smooth"]),
            _ => {
                // Ada's customers have it easiest, Linus's hardest.
                let bias = match agent {
                    "agent-ada" => 3,
                    "agent-grace" => 2,
                    _ => 1,
                };
                ("response", "effort", Some((next(5) + bias).min(7)), vec!["smooth"])
            }
        };
        let comment = match (kind, action, effort) {
            ("response", "vent", _) => HARD[next(4) as usize],
            ("response", _, Some(e)) if e <= 3 => HARD[next(5) as usize],
            ("response", _, _) => EASY[next(5) as usize],
            _ => "",
        };
        let follow_up = kind == "response" && (effort.is_some_and(|e| e <= 3) || action == "vent") && next(2) == 0;
        let payload = json!({
            "id": format!("demo-{i:03}"),
            "kind": kind,
            "action": action,
            "reasons": reasons,
            "effort": effort,
            "comment": if comment.is_empty() { None } else { Some(comment) },
            "followUp": follow_up,
            "conversationId": format!("c-{}", 1000 + i),
            "agentId": agent,
            "channel": channel,
            "locale": if comment.is_ascii() { "en" } else { "zh-CN" },
            "metadata": {},
            "version": "demo",
        });
        let record = Record::from_payload(&payload, None).expect("demo payloads are valid");
        let id = record.id().to_owned();
        db.insert(record, now_ms - age).await?;
        // The team keeps its promise: only the last days' requests are open.
        if follow_up && age > 3 * DAY_MS {
            let mut one = crate::db::Clause::new();
            one.and("id = ?", [crate::db::Param::Text(id.clone())]);
            db.mark_followed_up(&one, "agent-ada", now_ms - age + 20 * HOUR_MS).await?;
        }
        added += 1;
    }
    // Three open requests for contact: fresh, due soon, and overdue.
    let open = [
        (2 * HOUR_MS, "agent-grace", Some(2), "The app logged me out four times while I was paying."),
        (40 * HOUR_MS, "agent-linus", None, "I was transferred three times and nobody could help <b>at all</b>."),
        (55 * HOUR_MS, "agent-ada", Some(1), "退款申请提交了两次，还是没有消息。"),
    ];
    for (i, (age, agent, effort, comment)) in open.into_iter().enumerate() {
        let payload = json!({
            "id": format!("demo-open-{i}"),
            "kind": "response",
            "action": if effort.is_some() { "effort" } else { "vent" },
            "reasons": if effort.is_some() { vec!["smooth"] } else { vec!["transferred", "transcript_frustrated"] },
            "effort": effort,
            "comment": comment,
            "followUp": true,
            "conversationId": format!("c-2{i:03}"),
            "agentId": agent,
            "channel": "chat",
            "locale": if comment.is_ascii() { "en" } else { "zh-CN" },
            "metadata": {},
            "version": "demo",
        });
        let record = Record::from_payload(&payload, None).expect("demo payloads are valid");
        db.insert(record, now_ms - age).await?;
        added += 1;
    }
    Ok(added)
}
