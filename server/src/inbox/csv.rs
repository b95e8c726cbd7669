//! `GET /inbox/export.csv`: the current filter as CSV (UTF-8 with a BOM
//! for spreadsheets), its columns those of [`columns::COLUMNS`] that have
//! an export. Every cell is quoted, and a cell a spreadsheet would read as
//! a formula is defused. It reads with the list's filters, a page of rows
//! at a time, and renders no HTML.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use futures_util::stream::{self, StreamExt};

use super::access::access;
use super::filters::Filter;
use super::layout::{secure, storage_error};
use crate::db::{columns, Clause, Db, Entry};
use crate::{clock, AppState, ClientIp};

/// Rows read per query. The export is streamed page by page (keyset
/// pagination on `(received_ms, id)`, the list's own cursor), so memory
/// stays at about one page whatever the export's size.
const PAGE: i64 = 500;
/// Newest first, as the list.
const ORDER: &str = "received_ms DESC, id DESC";

pub async fn export(
    State(state): State<AppState>,
    Extension(ClientIp(client)): Extension<ClientIp>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let who = match access(&state, &headers, client).await {
        Ok(who) => who,
        Err(denied) => return denied.api(),
    };
    let filter = Filter::from_query(&q, who.scope.clone());
    let clause = filter.list(&mut Vec::new());
    state.db.audit(clock::now_ms(), &who.name, "export", &filter.query(), &client.to_string()).await;
    // The first page is read before answering, so a database that is down
    // is still a 503 page, not a download cut short.
    let first = match state.db.entries(&clause, ORDER, PAGE).await {
        Ok(rows) => rows,
        Err(e) => return storage_error(e),
    };
    let mut head = String::from("\u{feff}");
    head.push_str(&columns::csv_header());
    head.push_str("\r\n");
    let pages = Pages { db: state.db.clone(), clause, next: Next::Rows(first) };
    let rows = stream::unfold(pages, Pages::next_chunk);
    let body = Body::from_stream(stream::once(async { Ok(head) }).chain(rows));
    let name = format!("feedback-{}.csv", clock::date(clock::now_ms()));
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    secure(h);
    r
}

/// Where an export stands between two chunks.
struct Pages {
    db: Db,
    clause: Clause,
    next: Next,
}

enum Next {
    /// A page read and not yet written.
    Rows(Vec<Entry>),
    /// Read the page after this row (`received_ms`, `id`).
    After(i64, String),
    Done,
}

impl Pages {
    /// The CSV lines of the next page, or `None` at the end. A query that
    /// fails mid-export ends the body with an error, so the download is
    /// seen to break rather than look complete.
    async fn next_chunk(mut self) -> Option<(Result<String, sqlx::Error>, Pages)> {
        let rows = match std::mem::replace(&mut self.next, Next::Done) {
            Next::Done => return None,
            Next::Rows(rows) => rows,
            Next::After(ms, id) => {
                let mut clause = self.clause.clone();
                Filter { before: format!("{ms}:{id}"), ..Filter::default() }.page(&mut clause);
                match self.db.entries(&clause, ORDER, PAGE).await {
                    Ok(rows) => rows,
                    Err(e) => {
                        tracing::error!(error = %e, "CSV export: a page failed; the download is cut short");
                        return Some((Err(e), self));
                    }
                }
            }
        };
        if rows.len() as i64 == PAGE {
            if let Some(last) = rows.last() {
                self.next = Next::After(last.received_ms, last.answer.id.clone());
            }
        }
        if rows.is_empty() {
            return None;
        }
        let mut chunk = String::new();
        for e in &rows {
            let line: Vec<String> = columns::csv_cells(e).map(|c| csv_cell(&c)).collect();
            chunk.push_str(&line.join(","));
            chunk.push_str("\r\n");
        }
        Some((Ok(chunk), self))
    }
}

/// What a spreadsheet may read as the start of a formula: `=`, `+`, `-`,
/// `@`, and their full-width forms (`＝ ＋ － ＠`), which some spreadsheets
/// also accept.
const FORMULA_START: [char; 8] = ['=', '+', '-', '@', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}'];

/// A quoted CSV cell. A cell a spreadsheet could read as a formula gets a
/// leading `'`, so a comment can never run in the reader's spreadsheet:
/// one whose first character after any leading whitespace (Unicode
/// White_Space, so the ideographic space U+3000 and NBSP as well) is one of
/// [`FORMULA_START`], and one that starts with a tab, CR or LF (spreadsheets
/// skip those, and what follows may be a formula on a line of its own).
pub fn csv_cell(text: &str) -> String {
    let formula = text.starts_with(['\t', '\r', '\n']) || text.trim_start().starts_with(FORMULA_START);
    let guarded = if formula { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "\"plain\"");
        assert_eq!(csv_cell("say \"hi\", ok"), "\"say \"\"hi\"\", ok\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("line\nbreak"), "\"line\nbreak\"");
    }

    /// Each way a formula can start, and look-alikes that are only text.
    #[test]
    fn every_leading_form_of_a_formula_is_defused() {
        let guarded = [
            "=1+1",
            "+1",
            "-1+2",
            "@SUM(A1)",
            " =1+1",
            "   -2",
            "\t=1",
            "\r=1",
            "\n=1+1",
            "\r\n@x",
            "\u{3000}=1",         // ideographic space
            "\u{a0}@x",           // no-break space
            "\u{2003}+1",         // em space
            "\u{FF1D}1+1",        // ＝
            "\u{FF0B}1",          // ＋
            "\u{FF0D}1",          // －
            "\u{FF20}x",          // ＠
            " \u{3000}\u{FF1D}1", // spaces, then a full-width sign
            "\t",                 // a tab alone
            "\r",
            "\n",
        ];
        for text in guarded {
            let want = format!("\"'{text}\"");
            assert_eq!(csv_cell(text), want, "{text:?}");
        }
        let text_only = ["", " ", "a=1", "1-2", "x@y", "\u{3000}", "'=1", "\u{200b}x", "(=1)", "\u{FF01}"];
        for text in text_only {
            assert_eq!(csv_cell(text), format!("\"{text}\""), "{text:?}");
        }
    }
}
