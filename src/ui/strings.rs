//! Every sentence the prompt shows, per language. Keeping the copy in one
//! table makes translations a data change, not a code change.

/// The copy of one language.
#[derive(Debug, PartialEq)]
pub struct Strings {
    /// BCP 47 tag of this table.
    pub locale: &'static str,
    /// The CES 2.0 statement; `{company}` is replaced by the company name.
    pub effort_statement: &'static str,
    pub strongly_disagree: &'static str,
    pub strongly_agree: &'static str,
    pub effort_comment_label: &'static str,
    pub vent_title: &'static str,
    pub vent_line: &'static str,
    pub vent_comment_label: &'static str,
    pub optional: &'static str,
    pub submit: &'static str,
    pub no_thanks: &'static str,
    pub close: &'static str,
    pub thanks: &'static str,
}

impl Strings {
    /// The CES statement for `company`.
    pub fn statement(&self, company: &str) -> String {
        self.effort_statement.replace("{company}", company)
    }
}

pub const EN: Strings = Strings {
    locale: "en",
    effort_statement: "{company} made it easy for me to handle my issue.",
    strongly_disagree: "Strongly disagree",
    strongly_agree: "Strongly agree",
    effort_comment_label: "What would have made it easier?",
    vent_title: "Anything you want to tell us?",
    vent_line: "Sorry this was harder than it should have been. If you like, tell us what happened; the team reads every word. No score, no pressure.",
    vent_comment_label: "Your message",
    optional: "(optional)",
    submit: "Submit",
    no_thanks: "No thanks",
    close: "Close",
    thanks: "Thank you, we read every answer.",
};
