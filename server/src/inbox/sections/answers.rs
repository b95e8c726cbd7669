//! **Answers**: the list, newest first, [`PAGE`] rows a page, with what
//! the widget decided and why, the score, the comment, the follow-up
//! state and the conversation, and a link to older answers. It renders
//! rows already read; the filters and the cursor are `filters`' job.

use maud::{html, Markup};

use crate::clock;
use crate::db::Entry;
use crate::inbox::filters::{url_encode, Filter};

/// Answers per page of the list.
pub const PAGE: i64 = 100;

/// `rows` as read with a limit of `PAGE + 1`: the extra row, if any, only
/// says that there are older ones.
pub fn section(rows: &[Entry], f: &Filter) -> Markup {
    let shown = &rows[..rows.len().min(PAGE as usize)];
    let older = shown.last().filter(|_| rows.len() > shown.len()).map(|last| {
        let cursor = url_encode(&format!("{}:{}", last.received_ms, last.answer.id));
        let q = f.query();
        let sep = if q.is_empty() { "" } else { "&" };
        format!("/inbox?{q}{sep}before={cursor}")
    });
    html! {
        section aria-labelledby="list" {
            h2 #list { "Answers" }
            // Its own sideways scroll on a phone (focusable, so a keyboard
            // can scroll it too), not the page's.
            div.scroll tabindex="0" role="region" aria-labelledby="list" { table.list {
                thead {
                    tr {
                        th scope="col" { "Received" }
                        th scope="col" { "Agent" }
                        th scope="col" { "Channel" }
                        th scope="col" { "What" }
                        th scope="col" class="n" { "Score" }
                        th scope="col" { "Comment" }
                        th scope="col" { "Follow-up" }
                        th scope="col" { "Conversation" }
                    }
                }
                tbody {
                    @if shown.is_empty() {
                        tr { td colspan="8" class="empty" { "Nothing matches these filters." } }
                    }
                    @for e in shown { (row(e)) }
                }
            } }
            @if let Some(href) = older {
                p.more { a href=(href) { "Older answers" } }
            }
        }
    }
}

fn row(e: &Entry) -> Markup {
    let a = &e.answer;
    let reasons = e.reasons();
    html! {
        // `data-id`: the live inbox does not add this answer again.
        tr data-id=(a.id) {
            td.when { (clock::short(e.received_ms)) }
            td { (a.agent_id.as_deref().unwrap_or_default()) }
            td { (a.channel.as_deref().unwrap_or_default()) }
            td {
                (e.what())
                @if !reasons.is_empty() { " " small { (reasons) } }
            }
            td class="n" { @if let Some(n) = a.effort { (n) } }
            td.comment { (a.comment.as_deref().unwrap_or_default()) }
            td {
                @match (a.follow_up, e.followed_up_ms) {
                    (_, Some(at)) => {
                        "followed up " (clock::short(at))
                        @if let Some(by) = &e.followed_up_by { " by " (by) }
                    },
                    (true, None) => { "wants contact" },
                    (false, None) => {},
                }
            }
            td { (a.conversation_id.as_deref().unwrap_or_default()) }
        }
    }
}
