//! The filters form at the top of the page (a plain GET form, so it works
//! without JavaScript), with **Export CSV** for the current filter. It
//! shows the filters as typed; turning them into SQL is `filters`' job.

use maud::{html, Markup};

use crate::inbox::filters::Filter;

/// The form, showing `f`; `agents` and `channels` fill their menus.
pub fn section(f: &Filter, agents: &[String], channels: &[String]) -> Markup {
    let with_any = |items: &[String]| {
        let mut o = vec![(String::new(), "any".to_owned())];
        o.extend(items.iter().map(|a| (a.clone(), a.clone())));
        o
    };
    let fixed = |items: &[(&str, &str)]| items.iter().map(|(v, t)| (v.to_string(), t.to_string())).collect::<Vec<_>>();
    let mut scores = fixed(&[("", "any"), ("low", "1-3 (hard)"), ("high", "5-7 (easy)"), ("none", "no score")]);
    scores.extend((1..=7).map(|n| (n.to_string(), n.to_string())));
    let kinds = fixed(&[
        ("answers", "answers"),
        ("effort", "scores"),
        ("vent", "vents"),
        ("dismissed", "skipped"),
        ("suppressed", "not asked"),
        ("all", "everything"),
    ]);
    let kind = if f.kind.is_empty() { "answers" } else { &f.kind };
    let comments = fixed(&[("", "any"), ("yes", "with comment"), ("no", "without")]);
    html! {
        form method="get" action="/inbox" class="filters" aria-label="Filters" {
            (select("agent", "Agent", &f.agent, &with_any(agents)))
            (select("channel", "Channel", &f.channel, &with_any(channels)))
            (select("score", "Score", &f.score, &scores))
            (select("kind", "Kind", kind, &kinds))
            (select("comment", "Comment", &f.comment, &comments))
            div.field {
                label for="f-from" { "From" }
                input #f-from type="date" name="from" value=(f.from);
            }
            div.field {
                label for="f-to" { "To" }
                input #f-to type="date" name="to" value=(f.to);
            }
            button type="submit" { "Apply" }
            " "
            a href="/inbox" { "Clear" }
            " "
            a href={ "/inbox/export.csv?" (f.query()) } download { "Export CSV" }
        }
    }
}

/// A labelled menu of `(value, text)` options with `current` selected.
fn select(name: &str, label: &str, current: &str, options: &[(String, String)]) -> Markup {
    let id = format!("f-{name}");
    html! {
        div.field {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                @for (value, text) in options {
                    option value=(value) selected[value == current] { (text) }
                }
            }
        }
    }
}
