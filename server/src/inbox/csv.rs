//! `GET /inbox/export.csv`: the current filter as CSV (UTF-8 with a BOM
//! for spreadsheets), its columns those of [`columns::COLUMNS`] that have
//! an export. Every cell is quoted, and a cell a spreadsheet would read as
//! a formula is defused. It reads with the list's filters and renders no
//! HTML.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::access::{access, Access};
use super::filters::Filter;
use super::layout::{off, secure, storage_error};
use crate::db::columns;
use crate::{clock, AppState};

/// Rows in one CSV export at most.
const EXPORT_LIMIT: i64 = 100_000;

pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    match access(&state, &headers) {
        Access::Off => return off(),
        Access::SignedOut => return (StatusCode::UNAUTHORIZED, "sign in first").into_response(),
        Access::SignedIn => {}
    }
    let clause = Filter::from_query(&q).list(&mut Vec::new());
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
