//! Native tests of the policy: one table covering every rule and their
//! combinations, and property tests of its invariants. The README's
//! decision table is drawn from these rows.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::history::unit_hash;
use feedback_widget::domain::{decide, Action, Channel, Context, Event, History, Now, Outcome, Rules, Source, Value};
use proptest::prelude::*;

const NOW: f64 = 1_800_000_000_000.0;
const DAY: f64 = 86_400_000.0;

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("test JSON")
}

/// A history built in one line.
#[derive(Clone, Copy, Default)]
struct H {
    answered_days_ago: Option<f64>,
    dismissed: Option<(f64, u32)>,
    vent: bool,
    shown: u32,
}

const FRESH: H = H { answered_days_ago: None, dismissed: None, vent: false, shown: 0 };
const fn answered(days: f64) -> H {
    H { answered_days_ago: Some(days), ..FRESH }
}
const fn dismissed(days: f64, times: u32) -> H {
    H { dismissed: Some((days, times)), ..FRESH }
}

impl H {
    fn history(self) -> History {
        History {
            last_answered_ms: self.answered_days_ago.map(|d| NOW - d * DAY),
            last_dismissed_ms: self.dismissed.map(|(d, _)| NOW - d * DAY),
            dismissals: self.dismissed.map_or(0, |(_, n)| n),
            vent_pending: self.vent,
            shown_this_session: self.shown,
        }
    }
}

/// One row: context JSON, history, rule overrides JSON, expected action and reasons.
fn check(context: &str, history: H, rules: &str, action: &str, reasons: &[&str]) {
    let ctx = Context::from_value(&json(context)).unwrap_or_else(|e| panic!("{context}: {e}"));
    let mut r = Rules::default();
    r.apply(&json(rules), Source::Object).unwrap_or_else(|e| panic!("{rules}: {e}"));
    let decision = decide(&ctx, &history.history(), &r, Now { ms: NOW, coin: 0.5 });
    let got: Vec<&str> = decision.reasons.iter().map(|r| r.code()).collect();
    assert_eq!((decision.action.as_str(), got.as_slice()), (action, reasons), "context {context}, rules {rules}");
}

#[test]
fn the_decision_table() {
    let none = "{}";
    // Smooth conversations get the effort question.
    check("{}", FRESH, none, "effort", &["smooth"]);
    check(
        r#"{"channel":"chat","waitSeconds":60,"resolved":true,"outcome":"resolved"}"#,
        FRESH,
        none,
        "effort",
        &["smooth"],
    );
    check(r#"{"channel":"chat","waitSeconds":299}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"channel":"email","waitSeconds":3600}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"channel":"phone","waitSeconds":599}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"channel":"email","durationSeconds":86400}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"transfers":1}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"contacts":2}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"sentiment":-0.2}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"sentiment":0.8}"#, FRESH, none, "effort", &["smooth"]);
    check(r#"{"outcome":"store_credit"}"#, FRESH, none, "effort", &["smooth"]);
    // Long waits, per channel.
    check(r#"{"channel":"chat","waitSeconds":300}"#, FRESH, none, "vent", &["long_wait"]);
    check(r#"{"channel":"chat","waitSeconds":2400}"#, FRESH, none, "vent", &["long_wait"]);
    check(r#"{"channel":"phone","waitSeconds":600}"#, FRESH, none, "vent", &["long_wait"]);
    check(r#"{"channel":"messenger","waitSeconds":900}"#, FRESH, none, "vent", &["long_wait"]);
    check(r#"{"channel":"email","waitSeconds":90000}"#, FRESH, none, "vent", &["long_wait"]);
    check(r#"{"channel":"social","waitSeconds":7200}"#, FRESH, none, "vent", &["long_wait"]);
    check(r#"{"channel":"kiosk","waitSeconds":600}"#, FRESH, none, "vent", &["long_wait"]);
    check(r#"{"waitSeconds":600}"#, FRESH, none, "vent", &["long_wait"]);
    // Other hard signals.
    check(r#"{"channel":"chat","durationSeconds":1800}"#, FRESH, none, "vent", &["long_conversation"]);
    check(r#"{"transfers":2}"#, FRESH, none, "vent", &["many_transfers"]);
    check(r#"{"transfers":3}"#, FRESH, none, "vent", &["many_transfers"]);
    check(r#"{"contacts":3}"#, FRESH, none, "vent", &["repeat_contact"]);
    check(r#"{"resolved":false}"#, FRESH, none, "vent", &["unresolved"]);
    check(r#"{"outcome":"unresolved"}"#, FRESH, none, "vent", &["unresolved"]);
    check(r#"{"outcome":"escalated"}"#, FRESH, none, "vent", &["escalated"]);
    check(r#"{"outcome":"refund_denied"}"#, FRESH, none, "vent", &["refund_denied"]);
    check(r#"{"sentiment":-0.3}"#, FRESH, none, "vent", &["negative_sentiment"]);
    // Mild signals add up.
    check(r#"{"transfers":1,"contacts":2}"#, FRESH, none, "vent", &["mild_signals"]);
    check(
        r#"{"channel":"chat","waitSeconds":200,"transfers":1,"sentiment":-0.2}"#,
        FRESH,
        none,
        "vent",
        &["mild_signals"],
    );
    check(r#"{"channel":"chat","waitSeconds":400,"transfers":1}"#, FRESH, none, "vent", &["long_wait"]);
    check(
        r#"{"channel":"chat","waitSeconds":2400,"transfers":3,"contacts":3,"resolved":false,"sentiment":-0.8}"#,
        FRESH,
        none,
        "vent",
        &["long_wait", "many_transfers", "repeat_contact", "unresolved", "negative_sentiment"],
    );
    // Cancellations are let go.
    check(r#"{"outcome":"cancelled"}"#, FRESH, none, "silent", &["cancelled"]);
    check(
        r#"{"outcome":"canceled","channel":"chat","waitSeconds":2400}"#,
        FRESH,
        none,
        "silent",
        &["cancelled", "long_wait"],
    );
    check(r#"{"outcome":"cancelled","resolved":true}"#, FRESH, none, "silent", &["cancelled"]);
    check(r#"{"outcome":"cancelled"}"#, answered(1.0), none, "silent", &["cancelled"]);
    // The site forces an action.
    check(
        r#"{"channel":"email"}"#,
        FRESH,
        r#"{"forceChannel":{"email":"silent"}}"#,
        "silent",
        &["forced_by_channel", "smooth"],
    );
    check(
        r#"{"channel":"chat","waitSeconds":900}"#,
        FRESH,
        r#"{"forceChannel":{"chat":"effort"}}"#,
        "effort",
        &["forced_by_channel", "long_wait"],
    );
    check(
        r#"{"outcome":"refund_denied"}"#,
        FRESH,
        r#"{"forceOutcome":{"refund_denied":"silent"}}"#,
        "silent",
        &["forced_by_outcome", "refund_denied"],
    );
    check(
        r#"{"outcome":"cancelled"}"#,
        FRESH,
        r#"{"forceOutcome":{"cancelled":"vent"}}"#,
        "vent",
        &["forced_by_outcome", "cancelled"],
    );
    check(
        r#"{"outcome":"escalated","channel":"chat"}"#,
        FRESH,
        r#"{"forceOutcome":{"escalated":"effort"},"forceChannel":{"chat":"silent"}}"#,
        "effort",
        &["forced_by_outcome", "escalated"],
    );
    check(
        r#"{"channel":"chat"}"#,
        answered(1.0),
        r#"{"forceChannel":{"chat":"effort"}}"#,
        "silent",
        &["recently_answered", "forced_by_channel", "smooth"],
    );
    check(
        r#"{"channel":"Phone"}"#,
        FRESH,
        r#"{"forceChannel":{"voice":"vent"}}"#,
        "vent",
        &["forced_by_channel", "smooth"],
    );
    // Fatigue: answers.
    check("{}", answered(1.0), none, "silent", &["recently_answered", "smooth"]);
    check("{}", answered(13.9), none, "silent", &["recently_answered", "smooth"]);
    check("{}", answered(14.0), none, "effort", &["smooth"]);
    check(r#"{"transfers":2}"#, answered(3.0), none, "silent", &["recently_answered", "many_transfers"]);
    check("{}", answered(-10.0), none, "effort", &["smooth"]);
    check("{}", answered(-0.5), none, "silent", &["recently_answered", "smooth"]);
    // Fatigue: dismissals, with a growing cooldown.
    check("{}", dismissed(10.0, 1), none, "silent", &["recently_dismissed", "smooth"]);
    check("{}", dismissed(31.0, 1), none, "effort", &["smooth"]);
    check("{}", dismissed(31.0, 2), none, "silent", &["recently_dismissed", "smooth"]);
    check("{}", dismissed(61.0, 2), none, "effort", &["smooth"]);
    check("{}", dismissed(100.0, 3), none, "silent", &["recently_dismissed", "smooth"]);
    check("{}", dismissed(179.0, 10), none, "silent", &["recently_dismissed", "smooth"]);
    check("{}", dismissed(181.0, 10), none, "effort", &["smooth"]);
    // Fatigue: after a vent, the next conversation is not asked.
    check("{}", H { vent: true, ..FRESH }, none, "silent", &["recent_vent", "smooth"]);
    check(r#"{"waitSeconds":3000}"#, H { vent: true, ..FRESH }, none, "silent", &["recent_vent", "long_wait"]);
    // Fatigue: one prompt per browser session.
    check("{}", H { shown: 1, ..FRESH }, none, "silent", &["session_cap", "smooth"]);
    check("{}", H { shown: 1, ..FRESH }, r#"{"sessionCap":2}"#, "effort", &["smooth"]);
    check("{}", FRESH, r#"{"sessionCap":0}"#, "silent", &["session_cap", "smooth"]);
    check(
        "{}",
        H { answered_days_ago: Some(1.0), dismissed: Some((1.0, 1)), vent: true, shown: 3 },
        none,
        "silent",
        &["session_cap", "recently_answered", "recently_dismissed", "recent_vent", "smooth"],
    );
    // Sampling.
    check(r#"{"conversationId":"c1"}"#, FRESH, r#"{"sampleRate":0}"#, "silent", &["sampled_out", "smooth"]);
    check(r#"{"conversationId":"c1"}"#, FRESH, r#"{"sampleRate":1}"#, "effort", &["smooth"]);
    check("{}", FRESH, r#"{"sampleRate":0.5}"#, "silent", &["sampled_out", "smooth"]);
    check("{}", FRESH, r#"{"sampleRate":0.51}"#, "effort", &["smooth"]);
    // Rules a site overrides.
    check(
        r#"{"channel":"chat","waitSeconds":90}"#,
        FRESH,
        r#"{"longWaitSeconds":{"chat":60}}"#,
        "vent",
        &["long_wait"],
    );
    check(
        r#"{"channel":"email","waitSeconds":4000}"#,
        FRESH,
        r#"{"longWaitSeconds":{"email":3600}}"#,
        "vent",
        &["long_wait"],
    );
    check(r#"{"transfers":1}"#, FRESH, r#"{"manyTransfers":1}"#, "vent", &["many_transfers"]);
    check(r#"{"contacts":2}"#, FRESH, r#"{"repeatContacts":2}"#, "vent", &["repeat_contact"]);
    check(r#"{"sentiment":-0.4}"#, FRESH, r#"{"negativeSentiment":-0.5}"#, "effort", &["smooth"]);
    check(r#"{"transfers":1,"contacts":2}"#, FRESH, r#"{"mildSignalsForHard":3}"#, "effort", &["smooth"]);
    check(r#"{"transfers":1,"contacts":2}"#, FRESH, r#"{"mildSignalsForHard":0}"#, "effort", &["smooth"]);
    check("{}", answered(0.001), r#"{"answeredCooldownDays":0}"#, "effort", &["smooth"]);
    check("{}", dismissed(5.0, 1), r#"{"dismissedCooldownDays":3}"#, "effort", &["smooth"]);
}

#[test]
fn sampling_is_stable_per_conversation_and_close_to_the_rate() {
    let rules = Rules { sample_rate: 0.3, ..Rules::default() };
    let asked = (0..10_000)
        .filter(|i| {
            let ctx = Context { conversation_id: Some(format!("conv-{i}")), ..Context::default() };
            let first = decide(&ctx, &History::default(), &rules, Now { ms: NOW, coin: 0.0 });
            let again = decide(&ctx, &History::default(), &rules, Now { ms: NOW + DAY, coin: 0.99 });
            assert_eq!(first, again, "the same conversation always gets the same answer");
            first.action == Action::Effort
        })
        .count();
    assert!((2_800..3_200).contains(&asked), "{asked} of 10000 asked at rate 0.3");
    assert!((0.0..1.0).contains(&unit_hash("")));
}

#[test]
fn rules_from_attributes_and_objects_are_validated_naming_the_field() {
    let err = |raw: &str, source: Source| Rules::default().apply(&json(raw), source).unwrap_err().to_string();
    let tag = Source::ScriptTag;
    assert_eq!(err(r#"{"sampleRate":"abc"}"#, tag), r#"data-sample-rate: expected a number from 0 to 1, got "abc""#);
    assert_eq!(err(r#"{"sampleRate":"1.5"}"#, tag), "data-sample-rate: expected a number from 0 to 1, got 1.5");
    assert_eq!(
        err(r#"{"reportSuppressed":"nope"}"#, tag),
        r#"data-report-suppressed: expected true or false, got "nope""#
    );
    assert_eq!(
        err(r#"{"sessionCap":1.5}"#, Source::Object),
        "rules.sessionCap: expected a whole number (0 or more), got 1.5"
    );
    assert_eq!(
        err(r#"{"longWaitSeconds":{"fax":10}}"#, Source::Object),
        r#"rules.longWaitSeconds.fax: expected chat, messenger, phone, email, social or other, got "fax""#
    );
    assert_eq!(
        err(r#"{"longWaitSeconds":{"chat":-1}}"#, Source::Object),
        "rules.longWaitSeconds.chat: expected a number of seconds (0 or more), got -1"
    );
    assert_eq!(
        err(r#"{"forceOutcome":{"cancelled":"loud"}}"#, Source::Object),
        r#"rules.forceOutcome.cancelled: expected "effort", "vent" or "silent", got "loud""#
    );
    assert_eq!(err(r#""x""#, Source::Object), "rules: expected an object, got a string");

    let mut rules = Rules::default();
    rules
        .apply(
            &json(r#"{"reportSuppressed":"false","sampleRate":"0.25","sessionCap":"2","answeredCooldownDays":"7"}"#),
            tag,
        )
        .unwrap();
    assert!(!rules.report_suppressed);
    assert_eq!((rules.sample_rate, rules.session_cap, rules.answered_cooldown_days), (0.25, 2, 7.0));
    assert_eq!(rules.dismissed_cooldown(0), 0.0);
    assert_eq!(rules.dismissed_cooldown(1), 30.0);
    assert_eq!(rules.dismissed_cooldown(3), 120.0);
    assert_eq!(rules.dismissed_cooldown(u32::MAX), 180.0);
}

fn outcome_rank(o: &Option<Outcome>) -> u8 {
    match o {
        None | Some(Outcome::Resolved) | Some(Outcome::Other(_)) => 0,
        Some(Outcome::Unresolved) | Some(Outcome::Escalated) | Some(Outcome::RefundDenied) => 1,
        Some(Outcome::Cancelled) => 2,
    }
}

fn outcome() -> impl Strategy<Value = Option<Outcome>> {
    prop_oneof![
        Just(None),
        Just(Some(Outcome::Resolved)),
        Just(Some(Outcome::Unresolved)),
        Just(Some(Outcome::Escalated)),
        Just(Some(Outcome::RefundDenied)),
        Just(Some(Outcome::Cancelled)),
        Just(Some(Outcome::Other("store_credit".into()))),
    ]
}

fn channel() -> impl Strategy<Value = Option<Channel>> {
    prop_oneof![
        Just(None),
        Just(Some(Channel::Chat)),
        Just(Some(Channel::Messenger)),
        Just(Some(Channel::Phone)),
        Just(Some(Channel::Email)),
        Just(Some(Channel::Social)),
        Just(Some(Channel::Other("kiosk".into()))),
    ]
}

prop_compose! {
    fn context()(
        channel in channel(),
        wait in proptest::option::of(0.0..200_000.0f64),
        duration in proptest::option::of(0.0..400_000.0f64),
        transfers in proptest::option::of(0u32..6),
        contacts in proptest::option::of(0u32..6),
        resolved in proptest::option::of(any::<bool>()),
        outcome in outcome(),
        sentiment in proptest::option::of(-1.0..=1.0f64),
        id in proptest::option::of("[a-z0-9]{1,8}"),
    ) -> Context {
        Context {
            conversation_id: id, channel, wait_seconds: wait, duration_seconds: duration, transfers, contacts,
            resolved, outcome, sentiment, ..Context::default()
        }
    }
}

prop_compose! {
    fn history()(
        answered in proptest::option::of(-5.0..40.0f64),
        dismissed in proptest::option::of(-5.0..400.0f64),
        dismissals in 0u32..8,
        vent in any::<bool>(),
        shown in 0u32..3,
    ) -> History {
        History {
            last_answered_ms: answered.map(|d| NOW - d * DAY),
            last_dismissed_ms: dismissed.map(|d| NOW - d * DAY),
            dismissals, vent_pending: vent, shown_this_session: shown,
        }
    }
}

/// `base` made harder (or equal) in every dimension.
fn harder(base: &Context, extra: (f64, f64, u32, u32, bool, f64, Option<Outcome>)) -> Context {
    let (w, d, t, c, unresolve, s, outcome) = extra;
    let mut h = base.clone();
    h.wait_seconds = Some(base.wait_seconds.unwrap_or(0.0) + w);
    h.duration_seconds = Some(base.duration_seconds.unwrap_or(0.0) + d);
    h.transfers = Some(base.transfers.unwrap_or(0) + t);
    h.contacts = Some(base.contacts.unwrap_or(0) + c);
    if unresolve || base.resolved == Some(false) {
        h.resolved = Some(false);
    }
    h.sentiment = Some((base.sentiment.unwrap_or(0.0) - s).max(-1.0));
    if outcome_rank(&outcome) > outcome_rank(&base.outcome) {
        h.outcome = outcome;
    }
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// silent < vent < effort: a harder conversation never gets a more
    /// intrusive prompt than an easier one, whatever the history.
    #[test]
    fn a_harder_conversation_is_never_asked_more_intrusively(
        base in context(),
        history in history(),
        extra in (0.0..5_000.0f64, 0.0..5_000.0f64, 0u32..3, 0u32..3, any::<bool>(), 0.0..1.0f64, outcome()),
        coin in 0.0..1.0f64,
        sample_rate in 0.0..=1.0f64,
    ) {
        let rules = Rules { sample_rate, ..Rules::default() };
        let now = Now { ms: NOW, coin };
        let hard = harder(&base, extra);
        let easy_decision = decide(&base, &history, &rules, now);
        let hard_decision = decide(&hard, &history, &rules, now);
        prop_assert!(hard_decision.action <= easy_decision.action,
            "easier {:?} -> {:?}, harder {:?} -> {:?}", base, easy_decision, hard, hard_decision);
    }

    /// Any input at all: no panic, and at least one reason.
    #[test]
    fn decide_never_panics_and_always_explains(
        ctx in context(),
        history in history(),
        now_ms in any::<f64>(),
        coin in any::<f64>(),
        sample_rate in any::<f64>(),
        session_cap in any::<u32>(),
        cooldown in any::<f64>(),
        thresholds in any::<(f64, u32, u32, f64)>(),
    ) {
        let rules = Rules {
            sample_rate, session_cap, answered_cooldown_days: cooldown, dismissed_cooldown_days: cooldown,
            many_transfers: thresholds.1, repeat_contacts: thresholds.2, negative_sentiment: thresholds.3,
            long_wait: feedback_widget::domain::PerChannel { chat: thresholds.0, ..Rules::default().long_wait },
            ..Rules::default()
        };
        let d = decide(&ctx, &history, &rules, Now { ms: now_ms, coin });
        prop_assert!(!d.reasons.is_empty());
    }
}

#[test]
fn the_transcript_feeds_the_decision() {
    let check_messages = |messages: &str, action: &str, reasons: &[&str]| {
        check(&format!(r#"{{"messages":{messages}}}"#), FRESH, "{}", action, reasons);
    };
    check_messages(
        r#"[{"from":"customer","text":"这已经是我第三次联系你们了，还是没解决！"}]"#,
        "vent",
        &["transcript_frustrated", "transcript_waited"],
    );
    check_messages(r#"[{"from":"customer","text":"This is ridiculous!!!"}]"#, "vent", &["transcript_frustrated"]);
    check_messages(r#"[{"from":"customer","text":"I was on hold for an hour"}]"#, "vent", &["transcript_waited"]);
    check_messages(
        r#"[{"from":"customer","text":"Please cancel my subscription."},{"from":"customer","text":"Thanks"}]"#,
        "silent",
        &["transcript_cancel_intent"],
    );
    check_messages(
        r#"[{"from":"customer","text":"帮我注销账号，受够了"}]"#,
        "silent",
        &["transcript_cancel_intent", "transcript_frustrated"],
    );
    check_messages(
        r#"[{"from":"customer","text":"Ugh, nothing works!!!"},{"from":"customer","text":"Thanks, that fixed it"}]"#,
        "effort",
        &["smooth"],
    );
    check_messages(
        r#"[{"from":"agent","text":"Sorry for the terrible 40 minute wait!!!"},{"from":"customer","text":"np"}]"#,
        "effort",
        &["smooth"],
    );
    check(
        r#"{"outcome":"cancelled","messages":[{"from":"customer","text":"cancel my plan"}]}"#,
        FRESH,
        "{}",
        "silent",
        &["cancelled", "transcript_cancel_intent"],
    );
}

proptest! {
    /// A history survives storage (the value the shell writes as JSON,
    /// read back), except the session's count, kept in sessionStorage.
    #[test]
    fn a_stored_history_reads_back(h in history()) {
        let back = History::from_value(&h.to_value());
        prop_assert_eq!(back, History { shown_this_session: 0, ..h });
    }
}

/// The stored shape is what earlier versions wrote and read.
#[test]
fn a_stored_history_keeps_its_shape() {
    let h = History {
        last_answered_ms: Some(1.5),
        last_dismissed_ms: None,
        dismissals: 2,
        vent_pending: true,
        shown_this_session: 3,
    };
    assert_eq!(
        serde_json::to_string(&h.to_value()).unwrap(),
        r#"{"lastAnsweredMs":1.5,"lastDismissedMs":null,"dismissals":2,"ventPending":true}"#
    );
}

proptest! {
    /// An inline prompt the page removed unanswered is taken back: shown
    /// then withdrawn leaves the session's count and the pending vent as
    /// they were before it was shown (it is only shown with none pending),
    /// so the re-rendered view's mount decides as the first one did.
    #[test]
    fn a_withdrawn_prompt_is_as_if_not_shown(h in history(), vent in proptest::bool::ANY, now in 0.0f64..1e13) {
        let before = History { vent_pending: false, ..h };
        let mut after = before.clone();
        let action = if vent { Action::Vent } else { Action::Effort };
        after.record(Event::Shown(action), now);
        after.record(Event::Withdrawn(action), now);
        prop_assert_eq!(after, before);
    }
}

/// ...and it takes back only its own vent: another prompt's (a vent shown
/// since in another tab, or with `sessionCap` 2) stays pending, so the
/// next conversation is not asked right after a vent (a second reading).
#[test]
fn withdrawing_an_effort_prompt_keeps_another_prompts_vent_pending() {
    let mut history = History::default();
    history.record(Event::Shown(Action::Effort), 1.0);
    history.record(Event::Shown(Action::Vent), 2.0);
    history.record(Event::Withdrawn(Action::Effort), 3.0);
    assert!(history.vent_pending);
    assert_eq!(history.shown_this_session, 1);
}

/// What a browser keeps of a customer: nothing for one never shown a
/// prompt (cancelled, sampled out, capped) or whose prompt the page took
/// back, so no entry is written for them (an outsider's soak found 125
/// bytes kept for every customer of a messenger's tab, never removed,
/// most of them never asked).
#[test]
fn a_customer_never_asked_leaves_nothing_to_remember() {
    let after = |events: &[Event]| {
        let mut h = History::default();
        for e in events {
            h.record(*e, 1.0);
        }
        h.remembers_nothing()
    };
    assert!(after(&[]));
    assert!(after(&[Event::Suppressed]));
    assert!(after(&[Event::Shown(Action::Effort), Event::Withdrawn(Action::Effort)]));
    assert!(after(&[Event::Shown(Action::Vent), Event::Withdrawn(Action::Vent)]));
    assert!(after(&[Event::Shown(Action::Effort)]), "an effort prompt shown: the session's count only");
    assert!(!after(&[Event::Shown(Action::Vent)]), "a vent pending");
    assert!(!after(&[Event::Shown(Action::Effort), Event::Answered]));
    assert!(!after(&[Event::Shown(Action::Effort), Event::Dismissed]));
}
