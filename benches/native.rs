//! Native hot paths, measured with criterion (`cargo bench`, or
//! `cargo xtask bench` for the whole table): reading a 50-message
//! transcript, deciding, and building a payload.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use feedback_widget::domain::transcript::read;
use feedback_widget::domain::{
    decide, Action, Answer, Context, Decision, Envelope, History, Kind, Message, Now, Reason, Rules, Sender, Uuid,
};

/// Fifty realistic messages, customer and agent, in three languages.
fn transcript() -> Vec<Message> {
    let lines = [
        (Sender::Customer, "Hi, my package never arrived and I've been waiting for two weeks."),
        (Sender::Agent, "I'm sorry to hear that, let me check the tracking for you."),
        (Sender::Customer, "This is the third time I'm contacting you about this!!!"),
        (Sender::Agent, "I understand. I'll transfer you to the delivery team."),
        (Sender::Customer, "这已经是我第三次联系你们了，还是没解决！"),
        (Sender::Agent, "非常抱歉，我帮您查一下。"),
        (Sender::Customer, "轉接了好幾次了，真的很不滿意。"),
        (Sender::Agent, "Thanks for your patience."),
        (Sender::Customer, "ok, thanks, that fixed it 🙏"),
        (Sender::Customer, "Can you also update my billing address please?"),
    ];
    lines.iter().cycle().take(50).map(|(from, text)| Message { from: *from, text: (*text).to_owned() }).collect()
}

fn benches(c: &mut Criterion) {
    let messages = transcript();
    c.bench_function("transcript::read (50 messages)", |b| b.iter(|| read(black_box(&messages))));
    // At the context's limits: 200 messages of 4,000 characters, complaints
    // all through them (the reader reads the last 12,000 characters).
    let limits: Vec<Message> = messages
        .iter()
        .cycle()
        .take(200)
        .map(|m| Message { from: m.from, text: m.text.chars().cycle().take(4_000).collect() })
        .collect();
    c.bench_function("transcript::read (200 messages of 4,000 characters)", |b| b.iter(|| read(black_box(&limits))));

    let context = Context {
        conversation_id: Some("c-1".into()),
        wait_seconds: Some(120.0),
        transfers: Some(1),
        messages: messages.clone(),
        ..Context::default()
    };
    let history = History::default();
    let rules = Rules::default();
    let now = Now { ms: 1.8e12, coin: 0.5 };
    c.bench_function("decide (50 messages)", |b| {
        b.iter(|| decide(black_box(&context), black_box(&history), black_box(&rules), now))
    });

    let decision = Decision { action: Action::Effort, reasons: vec![Reason::Smooth] };
    let answer = Answer { effort: Some(6), comment: "客服很快就解决了 <b>bold</b>".into(), follow_up: false };
    c.bench_function("payload", |b| {
        b.iter(|| {
            let envelope = Envelope {
                id: Uuid::from_random_bytes([7; 16]),
                now_ms: 1.8e12,
                context: &context,
                decision: &decision,
                locale: "en",
                redact: Some(&feedback_redact::redact_cut),
            };
            envelope.payload(Kind::Response, Some(black_box(&answer)))
        })
    });
}

criterion_group!(native, benches);
criterion_main!(native);
