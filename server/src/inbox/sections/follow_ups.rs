//! **Follow up**: every answer whose customer asked to be contacted and
//! that nobody has marked yet, oldest first, each with its 48-hour clock
//! and a **Mark followed up** button. It renders the cards; marking is
//! `follow_up`'s job, and choosing the rows is `page`'s.

use maud::{html, Markup};

use crate::clock::{self, HOUR_MS};
use crate::db::Entry;
use crate::inbox::filters::Filter;

/// The follow-up promise to customers.
pub const FOLLOW_UP_MS: i64 = 48 * HOUR_MS;

/// The cards for `items` at `now` (ms); each button comes back to the
/// page with `f`'s filters.
pub fn section(items: &[Entry], f: &Filter, now: i64) -> Markup {
    // Where "Mark followed up" comes back to: this page, with its filters.
    let back = f.query();
    html! {
        section.follow-ups aria-labelledby="fu" {
            h2 #fu { "Follow up " span.count { (items.len()) } }
            p.hint { "These customers asked to be contacted. Reply within 48 hours." }
            @if items.is_empty() {
                p.empty { "Nobody is waiting for a reply." }
            }
            ol.cards {
                @for e in items {
                    li.card data-id=(e.answer.id) {
                        (due(e.received_ms + FOLLOW_UP_MS - now))
                        " "
                        strong { (e.answer.effort.map_or_else(|| e.what().to_owned(), |n| format!("scored {n}/7"))) }
                        // The ids are whatever was posted: each in a <bdi>, so
                        // a right-to-left override in one ("\u{202E}") cannot
                        // reorder the rest of the line (the date, the other id).
                        " · " bdi { (e.answer.agent_id.as_deref().unwrap_or("(no agent)")) }
                        " · "
                        @match &e.answer.conversation_id {
                            Some(c) => { "conversation " bdi { (c) } },
                            None => { "no conversation id" }
                        }
                        " · " (clock::short(e.received_ms))
                        blockquote.comment { (e.answer.comment.as_deref().unwrap_or("(no comment)")) }
                        form method="post" action="/inbox/follow-up" {
                            input type="hidden" name="id" value=(e.answer.id);
                            input type="hidden" name="back" value=(back);
                            button type="submit" { "Mark followed up" }
                        }
                    }
                }
            }
        }
    }
}

/// The clock: "due in N h" (marked `soon` under 12 h) or "overdue by N h".
fn due(left_ms: i64) -> Markup {
    html! {
        @if left_ms >= 0 {
            span.clock.soon[left_ms < 12 * HOUR_MS] { "due in " ((left_ms + HOUR_MS - 1) / HOUR_MS) " h" }
        } @else {
            span.clock.overdue { "overdue by " ((-left_ms) / HOUR_MS) " h" }
        }
    }
}
