//! A Slack-compatible incoming webhook (Mattermost and Rocket.Chat take
//! the same `{"text": ...}`): one readable message per answer with the
//! score, the agent, the conversation, the comment quoted, and a link to
//! the answer in the inbox when `--public-url` is set. Everything that came
//! from a payload is made inert first ([`inert`]): it can neither mention
//! anyone, nor link, nor format. Sending is `webhook::post`'s.

use serde_json::{json, Value};

use crate::db::Entry;

/// `text` as Slack mrkdwn (and Markdown) shows it literally:
///
/// - `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;` (Slack's own
///   escaping), so `<!channel>` and `<https://evil|click>` are text;
/// - `@` is followed by a word joiner (U+2060), so `@here`, `@channel`
///   and `@all` mention nobody on Mattermost or Rocket.Chat, which read
///   them without angle brackets;
/// - the formatting characters `*`, `_`, `~` and `` ` `` become look-alikes
///   (`∗`, `＿`, `∼`, `ˋ`), since mrkdwn has no escape for them;
/// - so do `[`, `]` and `#` (`［`, `］`, `＃`): Mattermost and Rocket.Chat
///   read Markdown, where `[text](https://evil)` is a disguised link,
///   `![](https://evil/p.png)` an image fetched by every reader, and `#` a
///   heading. A bare URL stays text the reader sees whole (Slack makes it
///   a link to itself);
/// - bidi overrides, embeddings, isolates and marks are dropped, so an id
///   cannot turn the rest of its line around.
pub fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '@' => out.push_str("@\u{2060}"),
            '*' => out.push('\u{2217}'),
            '_' => out.push('\u{ff3f}'),
            '~' => out.push('\u{223c}'),
            '`' => out.push('\u{02cb}'),
            '[' => out.push('\u{ff3b}'),
            ']' => out.push('\u{ff3d}'),
            '#' => out.push('\u{ff03}'),
            // Other control characters than line breaks and tabs, and the
            // ones that reorder what follows (a conversation id holding
            // U+202E would turn the rest of its line around).
            c if (c.is_control() && c != '\n' && c != '\t') || super::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// The message for `entry`, linking to `link` (the answer in the inbox).
pub fn message(entry: &Entry, link: Option<&str>) -> Value {
    let answer = &entry.answer;
    let headline = match (answer.effort, entry.what()) {
        (Some(n), _) => format!("Effort {n}/7"),
        (None, "vent") => "A vent".to_owned(),
        _ => "A comment".to_owned(),
    };
    let mut text = format!("*{headline}*");
    if answer.follow_up {
        text.push_str(" · the customer asked to be contacted");
    }
    let mut details = Vec::new();
    if let Some(agent) = answer.agent_id.as_deref().filter(|a| !a.is_empty()) {
        details.push(format!("agent {}", inert(agent)));
    }
    if let Some(conversation) = answer.conversation_id.as_deref().filter(|c| !c.is_empty()) {
        details.push(format!("conversation {}", inert(conversation)));
    }
    if let Some(channel) = answer.channel.as_deref().filter(|c| !c.is_empty()) {
        details.push(format!("channel {}", inert(channel)));
    }
    if !details.is_empty() {
        text.push('\n');
        text.push_str(&details.join(" · "));
    }
    if let Some(comment) = answer.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        for line in inert(comment).lines() {
            text.push_str("\n> ");
            text.push_str(line);
        }
    }
    if let Some(link) = link {
        // Our own URL: percent-encoded, so it holds no `|` or `>`.
        text.push_str(&format!("\n<{link}|Open in the inbox>"));
    }
    json!({ "text": text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use feedback_contract::{Action, Kind, Payload};

    fn entry(comment: &str) -> Entry {
        let mut answer = Payload::new("p-1".into(), Kind::Response);
        answer.action = Some(Action::Effort);
        answer.effort = Some(2);
        answer.comment = Some(comment.into());
        answer.follow_up = true;
        answer.conversation_id = Some("conv-<!here>".into());
        answer.agent_id = Some("agent-ada".into());
        answer.channel = Some("chat".into());
        Entry::new(answer, 0)
    }

    #[test]
    fn hostile_text_arrives_inert() {
        let hostile =
            "<!channel> look <https://evil.example|click> *bold* _it_ ~s~ `code` @here @channel & more\nline 2 \
             [https://bank.example](https://evil.example) ![](https://evil.example/p.png)\n# Heading";
        let text =
            message(&entry(hostile), Some("https://f.example/inbox?id=p-1"))["text"].as_str().unwrap().to_owned();
        for bad in [
            "<!channel>",
            "<!here>",
            "<https://evil",
            "*bold*",
            "_it_",
            "~s~",
            "`code`",
            "@here",
            "@channel",
            "](https://evil",
            "![",
            "> # Heading",
        ] {
            assert!(!text.contains(bad), "{bad:?} survived: {text}");
        }
        assert!(text.contains("&lt;!channel&gt;") && text.contains("&amp; more"), "{text}");
        assert!(text.contains("\n> line 2"), "each line quoted: {text}");
        assert!(text.contains("［https://bank.example］(https://evil.example)"), "shown, not linked: {text}");
        assert!(text.starts_with("*Effort 2/7* · the customer asked to be contacted\nagent agent-ada"), "{text}");
        assert!(text.ends_with("\n<https://f.example/inbox?id=p-1|Open in the inbox>"), "{text}");
        assert_eq!(text.matches('<').count(), 1, "only our link is a link: {text}");
    }

    #[test]
    fn an_id_cannot_turn_its_line_around() {
        let mut entry = entry("fine");
        entry.answer.conversation_id = Some("\u{202e}c-42\u{2066}x\u{2069}".into());
        let text = message(&entry, None)["text"].as_str().unwrap().to_owned();
        assert!(text.contains("c-42x"), "{text}");
        assert!(!text.chars().any(super::super::is_bidi_control), "{text:?}");
    }

    #[test]
    fn without_a_public_url_there_is_no_link() {
        let text = message(&entry("fine"), None)["text"].as_str().unwrap().to_owned();
        assert!(!text.contains("inbox") && !text.contains('<'), "{text}");
    }
}
