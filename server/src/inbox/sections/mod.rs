//! The inbox page's sections, top to bottom, each a `maud` template over
//! data already read: they run no query and decide nothing about access.
//! `page` reads the data and puts them in this order.

pub mod answers;
pub mod effort;
pub mod filter_form;
pub mod follow_ups;
pub mod spared;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{Entry, Grid};
    use crate::inbox::filters::Filter;
    use feedback_contract::{Action, Kind, Payload};

    const HOSTILE: &str = "<script>window.pwned=1</script><img src=x onerror=alert(1)>\"'&";
    const ESCAPED: &str = "&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;'&amp;";

    fn hostile_entry() -> Entry {
        let mut answer = Payload::new(HOSTILE.into(), Kind::Response);
        answer.action = Some(Action::Vent);
        answer.comment = Some(HOSTILE.into());
        answer.follow_up = true;
        answer.conversation_id = Some(HOSTILE.into());
        answer.agent_id = Some(HOSTILE.into());
        answer.channel = Some(HOSTILE.into());
        answer.reasons = vec![HOSTILE.into()];
        Entry { followed_up_by: Some(HOSTILE.into()), ..Entry::new(answer, 0) }
    }

    /// Each section with a hostile comment, agent, channel, conversation,
    /// id and filter: no markup of theirs gets through, and each shows as
    /// text (escaped once).
    #[test]
    fn what_customers_and_links_supply_is_text() {
        let e = hostile_entry();
        let f = Filter { agent: HOSTILE.into(), from: HOSTILE.into(), ..Filter::default() };
        let agents = [HOSTILE.to_owned()];
        let counts = [(HOSTILE.to_owned(), 3, 1)];
        let sections = [
            ("filter form", filter_form::section(&f, &agents, &agents)),
            ("follow-ups", follow_ups::section(std::slice::from_ref(&e), &f, 0)),
            ("spared", spared::section(&[(Some(HOSTILE.into()), 1)])),
            ("effort", effort::section(Grid::Agent, &counts, |l| l.to_owned(), |l| Some(format!("/inbox?agent={l}")))),
            ("answers", answers::section(std::slice::from_ref(&e), &f)),
        ];
        for (name, markup) in sections {
            let html = markup.into_string();
            for raw in ["<script", "<img", "onerror=alert(1)>"] {
                assert!(!html.contains(raw), "{name}: {raw} got through: {html}");
            }
            assert!(html.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"), "{name}: {html}");
        }
        let cards = follow_ups::section(std::slice::from_ref(&e), &f, 0).into_string();
        assert!(cards.contains(&format!("<blockquote class=\"comment\">{ESCAPED}</blockquote>")), "{cards}");
        assert!(
            cards.contains(&format!(" · <bdi>{ESCAPED}</bdi> · conversation <bdi>{ESCAPED}</bdi> · ")),
            "agent and conversation: {cards}"
        );
        assert!(cards.contains(&format!("name=\"id\" value=\"{ESCAPED}\"")), "{cards}");
        let list = answers::section(std::slice::from_ref(&e), &f).into_string();
        assert!(list.contains(&format!("<td class=\"comment\">{ESCAPED}</td>")), "{list}");
        assert!(list.contains(&format!("<td>{ESCAPED}</td></tr>")), "the conversation: {list}");
    }
}
