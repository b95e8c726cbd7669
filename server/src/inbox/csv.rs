//! `GET /inbox/export.csv`: the current filter as CSV (UTF-8 with a BOM
//! for spreadsheets), its columns those of [`columns::COLUMNS`] that have
//! an export. Every cell is quoted, and a cell a spreadsheet would read as
//! a formula is defused. It reads with the list's filters and renders no
//! HTML.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::access::access;
use super::filters::Filter;
use super::layout::{secure, storage_error};
use crate::db::columns;
use crate::{clock, AppState, ClientIp};

/// Rows in one CSV export at most.
const EXPORT_LIMIT: i64 = 100_000;

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
    let rows = match state.db.entries(&clause, "received_ms DESC, id DESC", EXPORT_LIMIT).await {
        Ok(rows) => rows,
        Err(e) => return storage_error(e),
    };
    let mut csv = String::from("\u{feff}");
    csv.push_str(&columns::csv_header());
    csv.push_str("\r\n");
    for e in &rows {
        let line: Vec<String> = columns::csv_cells(e).map(|c| csv_cell(&c)).collect();
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
}
