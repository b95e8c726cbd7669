//! **Effort by agent** and **by week**: per row, how many scores, the
//! distribution 1-7, the mean and the share of easy answers (5-7), the
//! row's name linking to its own answers. It renders counts already
//! read; naming and linking a row is the caller's (`page`).

use std::collections::BTreeMap;

use maud::{html, Markup};

use crate::db::Grid;

/// Weeks shown at most, newest first.
const WEEKS: usize = 12;

/// Rows of `(label, effort, count)` as a table; `name` and `link` turn a
/// label into the row's heading and, if any, where it leads.
pub fn section(
    grid: Grid,
    counts: &[(String, i64, i64)],
    name: impl Fn(&str) -> String,
    link: impl Fn(&str) -> Option<String>,
) -> Markup {
    let (title, id, head) = match grid {
        Grid::Agent => ("Effort by agent", "effort-by-agent", "Agent"),
        Grid::Week => ("Effort by week", "effort-by-week", "Week of"),
    };
    let rows = rows(grid, counts);
    html! {
        section aria-labelledby=(id) {
            h2 id=(id) { (title) }
            table.grid {
                thead {
                    tr {
                        th scope="col" { (head) }
                        th scope="col" class="n" { "Answers" }
                        @for n in 1..=7 { th scope="col" class="n" { (n) } }
                        th scope="col" class="n" { "Mean" }
                        th scope="col" { "Easy (5-7)" }
                    }
                }
                tbody {
                    @if rows.is_empty() {
                        tr { td colspan="11" class="empty" { "No scores yet." } }
                    }
                    @for (label, counts) in rows {
                        (row(&name(label), link(label), &counts))
                    }
                }
            }
        }
    }
}

/// Counts per label and effort; weeks newest first and at most [`WEEKS`].
fn rows(grid: Grid, counts: &[(String, i64, i64)]) -> Vec<(&str, [i64; 7])> {
    let mut rows: BTreeMap<&str, [i64; 7]> = BTreeMap::new();
    for (label, effort, n) in counts {
        if (1..=7).contains(effort) {
            rows.entry(label.as_str()).or_default()[(*effort - 1) as usize] += n;
        }
    }
    let mut ordered: Vec<(&str, [i64; 7])> = rows.into_iter().collect();
    if grid == Grid::Week {
        // Newest first; week labels are numbers, not in text order.
        ordered.sort_by_key(|(label, _)| std::cmp::Reverse(label.parse::<i64>().unwrap_or_default()));
        ordered.truncate(WEEKS);
    }
    ordered
}

fn row(name: &str, link: Option<String>, counts: &[i64; 7]) -> Markup {
    let total: i64 = counts.iter().sum();
    let weighted: i64 = counts.iter().enumerate().map(|(i, n)| (i as i64 + 1) * n).sum();
    let mean = format!("{:.1}", weighted as f64 / total.max(1) as f64);
    let easy = counts[4..].iter().sum::<i64>() * 100 / total.max(1);
    html! {
        tr {
            th scope="row" {
                @if let Some(href) = link { a href=(href) { (name) } } @else { (name) }
            }
            td class="n" { (total) }
            @for n in counts {
                td.n.zero[*n == 0] { (n) }
            }
            td class="n" { (mean) }
            td {
                meter min="0" max="100" low="50" high="75" optimum="100" value=(easy) { (easy) "%" }
                " " (easy) "%"
            }
        }
    }
}
