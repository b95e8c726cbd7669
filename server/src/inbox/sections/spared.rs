//! **Spared**: how many customers the widget chose not to ask, and why
//! (counts per reason code; one prompt can carry several; a conversation
//! recorded twice counts once). It renders counts already read; it does
//! not query.

use std::collections::BTreeMap;

use maud::{html, Markup};

/// `combos` are `(reasons, customers)`: each stored combination of reason
/// codes (space-separated) and how many conversations had it last.
pub fn section(combos: &[(Option<String>, i64)]) -> Markup {
    let total: i64 = combos.iter().map(|(_, n)| n).sum();
    html! {
        section aria-labelledby="spared" {
            h2 #spared { "Spared " span.count { (total) } }
            p.hint { "Customers the widget chose not to ask, by reason (one decision can have several; a conversation decided again counts once, by its latest)." }
            table {
                thead { tr { th scope="col" { "Reason" } th scope="col" class="n" { "Customers" } } }
                tbody {
                    @for (code, n) in by_reason(combos) {
                        tr { td { code { (code) } } td class="n" { (n) } }
                    }
                }
            }
        }
    }
}

/// Customers per reason code, most first (then by code).
fn by_reason(combos: &[(Option<String>, i64)]) -> Vec<(&str, i64)> {
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
    ranked
}
