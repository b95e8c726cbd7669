//! The transcript reader against a labeled corpus written for this project
//! (`tests/corpus/`): per-message and per-conversation accuracy for every
//! label, reported, with floors on the labels the policy acts on.
#![cfg(not(target_arch = "wasm32"))]

use feedback_widget::domain::transcript::{read, read_lexicons, score_message, what_is_read, READ_BYTES, THRESHOLD};
use feedback_widget::domain::{Message, Sender};

const LABELS: [&str; 4] = ["frustrated", "waited", "cancel_intent", "grateful"];

/// The labels a reading gives, from the four strengths.
fn labels(frustrated: f32, waited: f32, cancel: f32, grateful: f32) -> Vec<&'static str> {
    let mut out = Vec::new();
    if frustrated >= THRESHOLD {
        out.push("frustrated");
    }
    if waited >= THRESHOLD {
        out.push("waited");
    }
    if cancel >= THRESHOLD {
        out.push("cancel_intent");
    }
    // Thanks in an angry message is politeness or irony, not gratitude.
    if grateful >= THRESHOLD && grateful > frustrated {
        out.push("grateful");
    }
    out
}

fn gold(field: &str) -> Vec<String> {
    match field.trim() {
        "-" | "calm" => Vec::new(),
        list => list.split(',').map(|l| l.trim().to_owned()).collect(),
    }
}

/// Per-label accuracy; prints a report with every miss.
fn report(what: &str, cases: &[Case]) -> Vec<(&'static str, f64)> {
    println!("\n{what}: {} cases", cases.len());
    let mut out = Vec::new();
    for label in LABELS {
        let right = cases.iter().filter(|(_, g, p)| g.iter().any(|l| l == label) == p.contains(&label)).count();
        let accuracy = right as f64 / cases.len() as f64;
        println!("  {label:<14} {:.1}% ({right}/{})", accuracy * 100.0, cases.len());
        out.push((label, accuracy));
    }
    for (text, g, p) in cases {
        let g: Vec<&str> = g.iter().map(String::as_str).collect();
        if g != *p {
            println!("  miss: {text:?}: expected {g:?}, read {p:?}");
        }
    }
    out
}

fn accuracy_of(results: &[(&str, f64)], label: &str) -> f64 {
    results.iter().find(|(l, _)| *l == label).map(|(_, a)| *a).unwrap()
}

type Case = (String, Vec<String>, Vec<&'static str>);

/// Reads a `language<TAB>labels<TAB>text` corpus and scores every message;
/// also counts the messages per language.
fn read_messages(corpus: &str) -> (Vec<Case>, std::collections::BTreeMap<&str, usize>) {
    let mut cases = Vec::new();
    let mut languages = std::collections::BTreeMap::new();
    for line in corpus.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let mut cols = line.splitn(3, '\t');
        let (lang, labels_field, text) = (cols.next().unwrap(), cols.next().unwrap(), cols.next().expect(line));
        *languages.entry(lang).or_insert(0) += 1;
        let s = score_message(text);
        let mut predicted = labels(s.frustrated, s.waited, s.cancel_intent, s.grateful);
        predicted.sort_by_key(|l| LABELS.iter().position(|x| x == l));
        let mut expected = gold(labels_field);
        expected.sort_by_key(|l| LABELS.iter().position(|x| x == l));
        cases.push((text.to_owned(), expected, predicted));
    }
    (cases, languages)
}

#[test]
fn messages_are_read_as_labeled() {
    let (cases, languages) = read_messages(include_str!("corpus/messages.tsv"));
    println!("messages per language: {languages:?}");
    assert!(cases.len() >= 200, "at least 200 messages, have {}", cases.len());
    let results = report("messages", &cases);
    assert!(accuracy_of(&results, "frustrated") >= 0.9);
    assert!(accuracy_of(&results, "cancel_intent") >= 0.9);
    assert!(accuracy_of(&results, "waited") >= 0.85);
    assert!(accuracy_of(&results, "grateful") >= 0.85);
}

#[test]
fn conversations_are_read_as_labeled_and_calm_ones_stay_calm() {
    let corpus = include_str!("corpus/conversations.txt");
    let mut cases = Vec::new();
    let mut current: Option<(String, Vec<String>, Vec<Message>)> = None;
    let finish = |c: Option<(String, Vec<String>, Vec<Message>)>, cases: &mut Vec<_>| {
        if let Some((id, expected, messages)) = c {
            let s = read(&messages);
            let mut expected: Vec<String> = expected;
            expected.sort_by_key(|l| LABELS.iter().position(|x| x == l));
            cases.push((id, expected, labels(s.frustrated, s.waited, s.cancel_intent, s.grateful)));
        }
    };
    for line in corpus.lines() {
        if let Some(header) = line.strip_prefix("## ") {
            finish(current.take(), &mut cases);
            let parts: Vec<&str> = header.split('|').collect();
            current = Some((parts[0].trim().to_owned(), gold(parts[2]), Vec::new()));
        } else if let Some((who, text)) = line.split_once(": ") {
            let from = match who {
                "C" => Sender::Customer,
                "A" => Sender::Agent,
                _ => continue,
            };
            current.as_mut().expect("a message after a header").2.push(Message { from, text: text.to_owned() });
        }
    }
    finish(current.take(), &mut cases);
    assert!(cases.len() >= 60, "at least 60 conversations, have {}", cases.len());
    let results = report("conversations", &cases);
    assert!(accuracy_of(&results, "frustrated") >= 0.9);
    assert!(accuracy_of(&results, "cancel_intent") >= 0.9);

    let calm: Vec<_> = cases.iter().filter(|(_, g, _)| !g.iter().any(|l| l == "frustrated")).collect();
    let misread = calm.iter().filter(|(_, _, p)| p.contains(&"frustrated")).count();
    println!("calm conversations read as frustrated: {misread} of {}", calm.len());
    assert!(misread * 20 <= calm.len(), "at most 5% of calm conversations read as frustrated");
}

#[test]
fn agent_messages_never_count_and_the_end_weighs_most() {
    let msg = |from, text: &str| Message { from, text: text.to_owned() };
    let agent_only =
        [msg(Sender::Agent, "I understand this is terrible and frustrating, sorry for the 40 minute wait!!!")];
    assert_eq!(read(&agent_only), Default::default());

    let recovered = [
        msg(Sender::Customer, "This is ridiculous, nothing works!!!"),
        msg(Sender::Agent, "Try version 4.2."),
        msg(Sender::Customer, "thanks, that fixed it"),
    ];
    assert!(!read(&recovered).frustrated(), "{:?}", read(&recovered));
    let relapsed = [
        msg(Sender::Customer, "thanks, that fixed it"),
        msg(Sender::Customer, "oh no, it's broken again. This is ridiculous!"),
    ];
    // The same through the lexicons alone and through the whole reader.
    assert!(read_lexicons(&relapsed).frustrated());
    assert!(read(&relapsed).frustrated(), "{:?}", read(&relapsed));
}

#[test]
fn the_shipped_lexicons_parse_cleanly() {
    assert_eq!(feedback_widget::domain::transcript::malformed_lines(), Vec::<String>::new());
}

#[test]
fn the_issue_example_reads_as_hard() {
    let s = read(&[Message {
        from: Sender::Customer, text: "这已经是我第三次联系你们了，还是没解决！".into()
    }]);
    assert!(s.frustrated() && s.waited(), "{s:?}");
    let s = read(&[Message {
        from: Sender::Customer,
        text: "This is the third time I've contacted you and it's still not resolved!".into(),
    }]);
    assert!(s.frustrated() && s.waited(), "{s:?}");
}

#[test]
fn held_out_messages_report_an_honest_estimate() {
    let (cases, _) = read_messages(include_str!("corpus/heldout.tsv"));
    let results = report("held-out messages (not used for tuning)", &cases);
    // A floor, not a goal: unseen text is read worse than the tuning set.
    for (label, accuracy) in results {
        assert!(accuracy >= 0.7, "{label}: {accuracy}");
    }
}

fn customer(texts: &[&str]) -> Vec<Message> {
    texts.iter().map(|t| Message { from: Sender::Customer, text: (*t).to_owned() }).collect()
}

/// What the policy decides for a context that holds only `messages`, for a
/// customer with no history.
fn decided(messages: Vec<Message>) -> feedback_widget::domain::Decision {
    use feedback_widget::domain::{decide, Context, History, Now, Rules};
    let context = Context { messages, ..Context::default() };
    decide(&context, &History::default(), &Rules::default(), Now { ms: 0.0, coin: 0.0 })
}

/// What each mechanism the issue asked for does in the lexicons, one row
/// per case (the examples are the issue's illustrations and this file's
/// own, not the frozen set's): (messages, frustrated, waited,
/// cancel_intent).
fn issue_cases() -> &'static [(&'static [&'static str], bool, bool, bool)] {
    &[
        // Written Cantonese reads like its standard forms.
        (&["等咗好耐"], false, true, false),
        (&["我唔要喇，幫我取消會籍"], false, false, true),
        (&["冇問題，唔緊要"], false, false, false),
        // An outsider's Cantonese: not wanting to use it any more is leaving.
        (&["我想取消個plan，唔想再用喇"], false, false, true),
        (&["唔想再用你哋嘅服務，幫我取消"], false, false, true),
        // Taiwanese complaint words.
        (&["客服超爛，已讀不回"], true, true, false),
        (&["真的很瞎欸"], true, false, false),
        // A phrase with words inserted inside it.
        (&["I've waited nearly two whole days for an answer"], false, true, false),
        (&["把会员自动续费停掉吧"], false, false, true),
        // Retractions are not cancel intent.
        (&["cancel my subscription", "sorry, ignore what I just said, wrong chat"], false, false, false),
        (&["我要退这个耳机", "算了算了刚才说的不算"], false, false, false),
        (&["cancel that last message, I meant to ask about delivery"], false, false, false),
        // Polite anger.
        (&["I appreciate your help, but as I said, every agent so far has promised me a fix"], true, true, false),
        // One complaint is not erased by two neutral replies...
        (&["This is ridiculous", "ok", "sure"], true, false, false),
        // ...while anger that ends in real thanks fades.
        (&["This is ridiculous", "ok", "thanks, that fixed it"], false, false, false),
        // Negated politeness and sarcasm.
        (&["thanks but no thanks, just close it"], false, false, false),
        // Thanks for nothing, however thankful it sounds (a second reading:
        // "thank you so much" was read first, as thanks).
        (&["thank you so much for nothing"], true, false, false),
        (&["wonderful, another week of waiting"], true, true, false),
        (&["cheers, really helpful"], true, false, false),
        (&["好棒棒喔"], true, false, false),
        // A short entry inside an ordinary longer word.
        (&["我买的垃圾袋到了吗"], false, false, false),
        (&["quick question, just curious how refunds work"], false, false, false),
        // Hong Kong code-switching: an English word negated in Cantonese.
        (&["唔係要 cancel 呀，只係想轉 plan"], false, false, false),
        (&["我想 cancel 咗個 plan"], false, false, true),
        // Latin capitals in a Chinese message are a name, not shouting.
        (&["CHAN TAI MAN 唔該"], false, false, false),
        (&["WHY IS THIS STILL NOT FIXED"], true, false, false),
        // Irony is in the exact words: thanks with a word inside is thanks.
        (&["真係唔該晒你哋"], false, false, false),
        // A 无- compound does not negate the complaint after it.
        (&["跟详情页写的无尘差得也太远了"], true, false, false),
        // "X but Y": Y is what is meant. A complaint about someone else
        // followed by thanks fades; thanks that preface a "but" do not
        // count (the same words without the thanks are no different).
        (&["the courier was useless but you sorted it in minutes, thank you"], false, false, false),
        (&["房东太离谱了 但是你们处理得很快 谢谢"], false, false, false),
        (&["the courier was useless and you sorted it in minutes, thank you"], true, false, false),
        (&["This is ridiculous", "thanks, but I still have no refund"], true, true, false),
        // A leaving phrase asked about, not meant.
        (&["if I ever cancelled my membership, would I keep my points?"], false, false, false),
        (&["假如以后注销账号，余额怎么办"], false, false, false),
        (&["I want to cancel my membership"], false, false, true),
        // One thing cancelled, not the customer's business, unless the
        // account or plan is named too.
        (&["please cancel our table for Saturday, we'll come another time"], false, false, false),
        (&["我想取消明天的預約，改到下週"], false, false, false),
        // A hire is one thing cancelled; a refund or a return is not leaving
        // ("我要退" is, before anything that is not money or goods).
        (&["cancel my van hire for the 18th pls, plans changed"], false, false, false),
        (&["東西係壞嘅，我要退款"], false, false, false),
        (&["我要退货，尺码不对"], false, false, false),
        (&["我要退会员，不续了"], false, false, true),
        (&["cancel my plan from Saturday"], false, false, true),
        // "No" answering the agent's question does not negate what follows.
        (&["This is ridiculous", "ok", "no, all good now, thanks"], false, false, false),
        (&["not good at all"], true, false, false),
        // A second complaint of another kind does not wear the first down.
        (&["This is ridiculous", "I've been waiting", "ok"], true, true, false),
        // A wait told by the clock.
        (&["ordered at 6:15", "its 8:05 now", "ok"], false, true, false),
        (&["師傅說兩點到", "現在五點了", "好"], false, true, false),
        (&["而家4點半 仲未到"], false, true, false),
        // Saying when leaving takes effect is still leaving.
        (&["please cancel my membership from Friday"], false, false, true),
        (&["我要申請攜碼 下週三生效"], false, false, true),
        // Escalation is a complaint; an unsubscribe from e-mails is not leaving.
        (&["if this isn't fixed I'm going to the ombudsman"], true, false, false),
        (&["can you unsubscribe me from the marketing emails"], false, false, false),
        // A message sent to the wrong chat is taken back.
        (&["我要投诉！！", "发错窗口了 不是说你们"], false, false, false),
        // "But" reaches back only within its sentence (from the second reading).
        (
            &[
                "This is ridiculous, my internet has been down all day",
                "Thanks so much, that fixed it! But could you also tell me how to change my email address?",
            ],
            false,
            false,
            false,
        ),
        (&["这太离谱了", "好了，谢谢你！不过我还想问一下怎么改邮箱"], false, false, false),
        // ...and words that only contain "but" in Chinese are not it.
        (&["这太离谱了", "谢谢你，我不过是想确认一下"], false, false, false),
        // A threat is not a question (it is anger, not leaving), and a cut
        // word is not a word.
        (&["if i do not hear back today i'm cancelling my subscription"], true, false, false),
        (&["so unpredictable and i am now honestl just switching to another provider"], false, false, true),
        // "No good" is negative; "no, all good" answers.
        (&["No good."], true, false, false),
        // A retraction takes back what comes before it in its own message
        // ("just asking"), else the message before; a customer who says
        // they will not leave after all is not leaving (an outsider's try).
        (&["如果取消会员的话，积分还在吗？只是问问"], false, false, false),
        (&["我要取消会员 发错了", "想问下怎么改地址"], false, false, false),
        (&["this is ridiculous", "ignore what I just said, cancel my account"], false, false, true),
        (&["我想 cancel 個 account", "唔好意思，頭先講錯，唔使 cancel 住"], false, false, false),
        (&["I'd like to cancel my membership", "actually I don't want to cancel, I'll keep it"], false, false, false),
        (&["45 minutes on hold. Great service, really. Thanks a lot."], true, true, false),
        (&["我想轉去 SmarTone，要點樣 port 走個號碼？"], false, false, true),
        // A bare "if" before a leaving phrase asks when its sentence ends
        // in "?"; without one it may be a threat. A threat (on a
        // condition the company can still meet) is anger, not leaving,
        // until the customer says they are leaving (the labelling rules,
        // check batch 19).
        (&["If I cancel my subscription, will I lose my saved playlists?"], false, false, false),
        (&["如果我退保，已经供的保费可以拿回多少？"], false, false, false),
        (&["如果今天还不解决，我就取消会员"], true, false, false),
        (&["If my internet isn't back by Monday I'm switching providers."], true, false, false),
        (&["fix the heating or I'm not renewing my lease with you"], true, false, false),
        (&["再收错一次费我就销户"], true, false, false),
        (&["如果聽日仲未搞掂，我就轉台"], true, false, false),
        (&["If it isn't back by Monday I'm switching providers.", "it isn't. I'm switching providers, cancel my plan"], true, false, true),
        // A bare "if", with no negator, is a condition too, and so in
        // Chinese are 的话, a negator before 就, 再 in an earlier clause,
        // "still like this"; and "one more time and" (check batches 21
        // and 22; these words are new).
        (&["if the bill is wrong again next month I'm switching to another supplier"], true, false, false),
        (&["one more time and I'm taking my business elsewhere"], true, false, false),
        (&["下个月还乱扣费的话，我就销户"], true, false, false),
        (&["唔賠錢我就轉台"], true, false, false),
        (&["下次再漏送，我换别家了"], true, false, false),
        (&["下星期仲係咁我就唔再用你哋"], true, false, false),
        // A rhetorical question after a threat, past a pause, leaves it one.
        (&["再卡下去我就退訂 我是付錢來看轉圈圈的嗎"], true, false, false),
        // Not a threat: leaving on no condition, or a condition that only
        // asks (not anger, whatever it is).
        (&["如果我不续了，积分还在吗？"], false, false, false),
        // (Still read as leaving: its "if" is in the clause before, and
        // "if you can't fix it, can you just close my account?" is a
        // request. A known miss; not anger, though.)
        (&["if I don't use it any more, can I close my account?"], false, false, true),
        (&["the price went up again so I'm switching providers"], false, false, true),
        (&["还要再等15天 就这服务 明年不续了"], false, true, true),
        // A negator inside a stretched phrase is not stretched over.
        (&["我唔係要取消，想改地址"], false, false, false),
        (&["我不是要取消会员"], false, false, false),
        // A closing verb and what it closes, in either order and a few
        // characters apart, is leaving; not when negated, done to the
        // customer, or about an old account.
        (&["我的会员帮我取消掉"], false, false, true),
        (&["户口帮我 close 埋佢"], false, false, true),
        (&["閂咗我個戶口"], false, false, true),
        (&["账号千万不要删"], false, false, false),
        (&["我的帐号被关闭了"], false, false, false),
        (&["舊個戶口取消咗，想用新嘅收錢"], false, false, false),
        (&["幫我刪掉帳號裡的舊照片"], false, false, false),
        (&["为什么我的会员积分被删了"], false, false, false),
        (&["你们把我会员积分删了"], false, false, false),
        // A second reading's cases: what is closed is something else, or
        // the account is closed by someone else, or an old one.
        (&["我的会员费退了吗"], false, false, false),
        (&["帮我把账号里的地址删掉"], false, false, false),
        (&["删掉账户绑定的银行卡"], false, false, false),
        (&["我的账号给你们删了"], false, false, false),
        (&["取消旧的账号"], false, false, false),
        (&["我想修改保单的受益人"], false, false, false),
        (&["我宝宝6个月了"], false, false, false),
        (&["不好意思，我又错了，地址应该是人民路"], false, false, false),
        (&["Please cancel my tennis club court booking for Saturday"], false, false, false),
        (&["My account delivery address is wrong"], false, false, false),
        // A threat's rhetorical tail does not make it a question: it stays
        // a threat.
        (&["如果明天还没修好我就取消会员，你们到底有没有人管"], true, false, false),
        // All English is the English lexicon's, which reads the "don't".
        (&["please don't close my account, I still need it"], false, false, false),
        // A count written in digits reads like any other: "the 12th day".
        (&["宽带断网第9天"], false, true, false),
        (&["网络断了40分钟了"], false, true, false),
        // Not a count: a lone "1" (a first time), a digit in a word.
        (&["这是我第1次买"], false, false, false),
        (&["你哋個客服on9到爆"], true, false, false),
        (&["订单12345678什么时候到"], false, false, false),
        // "Again" and a failure is a complaint, not a report.
        (&["网页又打不开"], true, false, false),
        (&["個app又crash"], true, false, false),
        (&["我又想问一下积分"], false, false, false),
        // A question asked with a particle or "X or not X" only asks.
        (&["如果我转去别家，号码可以带走吗"], false, false, false),
        (&["如果我轉台，個號碼係咪可以帶走"], false, false, false),
        // Facts that count a wait: a date or a time, then "now" and a
        // later one.
        (&["12号寄出的 今天25号"], false, true, false),
        (&["booked for 9:15, it's now 10:40"], false, true, false),
        (&["I applied on 3 June. Today is 30 July."], false, true, false),
        (&["預約 10/2 今天 10/20"], false, true, false),
        // Not without an earlier date, and a number is not a date.
        (&["現在3點可以打嚟嗎"], false, false, false),
        (&["maybe 2 boxes came, it's now 3pm here"], false, false, false),
        (&["I have 2 orders, now 3 more items to add"], false, false, false),
        // What a second reading found: "now" must come a wait later
        // (half an hour, two days), a score, a size or a building is not a
        // date, a message that thanks is not counting, and "it's already 9"
        // is still a wait on its own.
        (&["我约的是15号，今天12号，可以改到20号吗"], false, false, false),
        (&["之前穿38号，现在40号"], false, false, false),
        (&["我住5号楼，现在3点能送到吗"], false, false, false),
        (&["the score was 2:1 at half time, it's now 3:1"], false, false, false),
        (&["3号的订单已经收到了，今天5号那单也到了，谢谢"], false, false, false),
        (&["5月3号下的单，今天都6月1号了"], false, true, false),
        (&["10/2就預約了，今天都10/20了"], false, true, false),
        (&["下午说马上处理，现在已经9点了"], false, true, false),
        // Not leaving: the courier not coming back, one's own mistake again.
        (&["The courier said he won't be coming back today"], false, false, false),
        (&["我又弄错密码了，怎么重置"], false, false, false),
        // "Leaving" that is not leaving the company.
        (&["Great service on my order, leaving you 5 stars!"], false, false, false),
        (&["I'm leaving for holiday on the 5th so please cancel my booking for that week"], false, false, false),
        // A phrase that means leaving whatever it mentions: the order
        // beside it does not make it one thing cancelled.
        (&["订单帮我取消 以后不会再在你们家买了"], false, false, true),
        (&["cancel the order. never ordering from you again"], false, false, true),
        (&["Remove my card please, I won't be coming back"], false, false, true),
        // One order cancelled is still one order.
        (&["订单帮我取消 我换个颜色再买"], false, false, false),
        (&["I need to cancel my car rental for friday, we'll rebook"], false, false, false),
        // Someone else's complaint, reported, is not the customer's, to
        // the end of its clause (a pause, in Chinese chat); one the
        // customer makes after it is.
        (&["my mate keeps saying your app is a nightmare but honestly I've had no issues"], false, false, false),
        (&["My mum says your app is rubbish, and honestly I am fed up with it too"], true, false, false),
        (&["my friend said she waited three weeks for her refund"], false, false, false),
        (&["我媽說你們那個APP很難用 一直叫我來問"], false, false, false),
        (&["我个仔话你哋个网上平台慢到爆 但我自己用冇事"], false, false, false),
        (&["我同事说你们转账要手续费 太离谱了"], true, false, false),
        // The business's own people are not someone else: what they said
        // and did not do is the customer's complaint.
        (&["your agent said it would be fixed and it's still broken, this is ridiculous"], true, false, false),
        (&["客服小姐说会回电 结果到现在都没人打 太离谱了"], true, true, false),
        (&["上次你哋同事话48小时内会搞掂 而家已经第六日"], false, true, false),
        // Leaving for someone else is leaving.
        (&["my dad says he wants to close his account"], false, false, true),
        // What a second reading found: told to the business, or passive,
        // is not someone's opinion; the customer's own words after "and"
        // or "I", or agreeing, are the customer's; a noun is not a reporter.
        (&["My wife and I were told it would take one day and we've been waiting a week"], false, true, false),
        (&["my wife said you'd call back yesterday and nobody did and I'm fed up"], true, false, false),
        (&["my mum says your app is useless and she's not wrong, this is ridiculous"], true, false, false),
        (&["my mum says your app is useless, I disagree, it works fine for me"], false, false, false),
        (&["the kids menu says 10 minutes and we've been waiting over an hour"], false, true, false),
        (&["我跟我老公说你们这服务太差了"], true, false, false),
        (&["我妈说你们APP难用 我也这么觉得 太离谱了"], true, false, false),
        (&["我老公也觉得你们太过分了"], true, false, false),
        (&["你哋送貨個後生仔話聽日一定到 點知等咗成個禮拜都未到"], false, true, false),
        // "Instead of" and "rather than" deny what follows them, together
        // only: "rather" or "instead" alone is still leaving.
        (&["can I pause my membership for a couple of months instead of cancelling?"], false, false, false),
        (&["I'd like to pause it rather than cancel my plan"], false, false, false),
        (&["I'd rather just cancel my account"], false, false, true),
        (&["so instead I'll just cancel my account"], false, false, true),
        // (As whole words: "Gino" does not end in the negator "no".)
        (&["hey Gino cancel my subscription"], false, false, true),
        // A count in Chinese numerals is a count ("五天了" as "5天了"), and
        // stretches a phrase like one in digits; not an ordinal or March.
        (&["包裹卡在轉運中心五天了"], false, true, false),
        (&["LINE 客服已讀兩天沒回"], true, false, false),
        (&["三月份的账单我想看一下"], false, false, false),
        // "正呀" is glad ("咁快？ 正呀 唔該晒"), not irony.
        (&["咁快？ 正呀 唔該晒"], false, false, false),
        // Round 17 (check batch 23's misses; these words are new): a
        // negator reaches over an intensifier; disappointment that names
        // nothing still counts after an "ok"; a spam folder is not rubbish;
        // "my last month" leaves; delight in slang is not anger.
        (&["呢次嘅安排唔係好滿意", "ok"], true, false, false),
        (&["说真的 对这次服务不是很满意", "嗯"], true, false, false),
        (&["not impressed with the new app tbh", "ok"], true, false, false),
        (&["确认信在垃圾邮件里找到了"], false, false, false),
        (&["下个月起不用扣费了 这个月是我最后一个月"], false, false, true),
        (&["Cancel the plan please, I'm done with your service"], false, false, true),
        (&["你们售后真的神 两小时就退好了"], false, false, false),
        // Something done to the customer unannounced is a complaint,
        // whatever was done (an account closed by the company is not the
        // customer leaving).
        (&["you closed my account without warning"], true, false, false),
        (&["the price went up without any warning", "ok"], true, false, false),
        (&["你们莫名其妙把我账号封了", "好吧"], true, false, false),
        // Apologising for one's own tone takes back the anger it names
        // (the tuning set's misses); the agent's rudeness stays a complaint.
        (&["this is ridiculous, charged twice", "oh ok", "sorry I was rude earlier, thank you"], false, false, false),
        (&["I'm sorry, but your agent was rude"], true, false, false),
        (&["your agent was rude and hung up on me"], true, false, false),
        (&["轉盤都停了 我的箱子沒出來!!!", "剛剛口氣很差不好意思 真的很感謝你"], false, false, false),
        (&["帳單又算錯了!!!", "剛剛口氣很差對不起 謝謝你"], false, false, false),
        (&["你刚刚口气很差"], true, false, false),
        // A second reading's: a mask matches only its exact words, not
        // stretched over a complaint about someone else...
        (&["不好意思你刚刚口气很差"], true, false, false),
        (&["我刚刚被一个口气很差的客服挂了电话"], true, false, false),
        (&["Sorry, I got a really angry reply from your support"], true, false, false),
        (&["sorry but I was treated so rude by your agent"], true, false, false),
        // ...and "rude" at 2 needs the other ways of owning up to it.
        (&["sorry if I came across as rude, thanks for the help"], false, false, false),
        (&["I was rude earlier, sorry. thanks for your help"], false, false, false),
        // A judgement of the service said once, in a short message, is a
        // complaint the model does not outweigh.
        (&["honestly the support today was not helpful"], true, false, false),
        (&["that answer was unhelpful"], true, false, false),
        (&["this is not acceptable"], true, false, false),
    ]
}

#[test]
fn how_people_really_write() {
    use feedback_widget::domain::transcript::Language;
    for (messages, frustrated, waited, cancel) in issue_cases() {
        let s = read_lexicons(&customer(messages));
        assert_eq!(
            (s.frustrated(), s.waited(), s.cancel_intent()),
            (*frustrated, *waited, *cancel),
            "{messages:?}: {s:?}"
        );
    }
    let languages = [
        (&["Where is my refund"][..], Language::English),
        (&["我的退款呢"], Language::Simplified),
        (&["我的退款還沒到欸"], Language::Traditional),
        (&["我嘅退款仲未到"], Language::Cantonese),
    ];
    for (messages, want) in languages {
        assert_eq!(read(&customer(messages)).language, want, "{messages:?}");
    }
}

proptest::proptest! {
    /// Any text, in any script: no panic, every strength finite and
    /// non-negative, and an agent's words never change anything.
    #[test]
    fn any_text_reads_safely(texts in proptest::collection::vec("\\PC{0,60}", 0..6), agent in "\\PC{0,60}") {
        let mut messages = customer(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let s = read(&messages);
        for v in [s.frustrated, s.waited, s.cancel_intent, s.grateful] {
            proptest::prop_assert!(v.is_finite() && v >= 0.0);
        }
        messages.insert(0, Message { from: Sender::Agent, text: agent });
        proptest::prop_assert_eq!(read(&messages), s);
    }
}

/// The same cases through the whole reader (the lexicons joined with the
/// learned model): what the policy does with them, asked, offered a
/// comment box, or let go, is what the lexicons make of them, except
/// four known misses of the model (`KNOWN`), listed so that the list
/// stays true as it is retrained.
#[test]
fn the_model_keeps_the_issue_cases_decided_as_the_lexicons_do() {
    // The model outweighs the lexicons on these: its n-grams for thanks
    // weigh against the complaint after them, a wait told only by clock
    // times ("its 8:05 now") reads as calm, "account" in a short
    // message about something else reads as leaving, and "not impressed"
    // after an "ok" (1.8, under the lexicons' sure 2) reads as calm;
    // "closed my account" reads as leaving even when the company did it.
    const KNOWN: [&str; 5] = [
        "This is ridiculous | thanks, but I still have no refund",
        "ordered at 6:15 | its 8:05 now | ok",
        "My account delivery address is wrong",
        "not impressed with the new app tbh | ok",
        "you closed my account without warning",
    ];
    let action = |frustrated: bool, waited: bool, cancel: bool| match (cancel, frustrated || waited) {
        (true, _) => "silent",
        (false, true) => "vent",
        (false, false) => "effort",
    };
    let mut wrong = Vec::new();
    for (messages, frustrated, waited, cancel) in issue_cases() {
        let s = read(&customer(messages));
        let known = KNOWN.contains(&messages.join(" | ").as_str());
        let want = action(*frustrated, *waited, *cancel);
        let got = action(s.frustrated(), s.waited(), s.cancel_intent());
        if (want != got) != known {
            wrong.push(format!("{messages:?}: want {want}, got {got} ({s:?}; known miss: {known})"));
        }
    }
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), issue_cases().len(), wrong.join("\n"));
}

/// What the customer says in so many words is not there (a negated
/// phrase, one hidden inside a longer negating phrase, a leaving phrase
/// that only asks) is not added by the model, until they say it after all;
/// a retraction takes a denial back like anything else.
#[test]
fn a_signal_the_customer_denies_is_not_added_by_the_model() {
    use feedback_widget::domain::transcript::{Running, ASKED, DENIED_CANCEL, DENIED_FRUSTRATED, DENIED_WAITED};
    let denied = |texts: &[&str]| {
        let mut running = Running::default();
        for t in texts {
            running.push(&score_message(t));
        }
        // (What the customer denied; not `THREATENED`, a condition said.)
        running.denied() & (DENIED_FRUSTRATED | DENIED_WAITED | DENIED_CANCEL | ASKED)
    };
    for (texts, want) in [
        (&["I don't want to cancel, I just want to pause my membership."][..], DENIED_CANCEL),
        (&["not annoyed at all, just asking"], DENIED_FRUSTRATED),
        (&["if I ever close my account, would I lose my points?"], ASKED),
        (&["假如以后注销账号，余额怎么办"], ASKED),
        // A hypothetical question in words no leaving phrase lists (an
        // outsider's: the model read "closed my account" as leaving).
        (&["if I ever closed my account, would I lose my points?"], ASKED),
        (&["What happens if I stopped paying for a month?"], ASKED),
        (&["if I ever closed my account, would I lose my points?", "ok, then please close my account"], 0),
        // Not a question, or no hypothetical: nothing denied.
        (&["if I ever closed my account it was by mistake"], 0),
        (&["would I lose my points?"], 0),
        (&["I don't want to cancel", "actually no, cancel my account, I'm done"], 0),
        (&["I don't want to cancel", "ok"], DENIED_CANCEL),
        (&["where is my parcel", "我唔係要取消"], DENIED_CANCEL),
        (&["I don't want to cancel", "ignore what I just said"], 0),
        (&["垃圾袋买错了，想换一个尺寸"], 0),
        // Someone else's complaint, reported, is not the customer's.
        (&["my dad keeps saying your app is useless, can you help me set it up for him"], DENIED_FRUSTRATED | DENIED_WAITED),
        (&["我個仔話你哋個網上平台「慢到爆」 但我自己試過又冇事喎"], DENIED_FRUSTRATED | DENIED_WAITED),
        // "X or not X" asks; it denies nothing.
        (&["能不能找个真人看一眼"], 0),
        (&["是不是不催就没人管"], 0),
    ] {
        assert_eq!(denied(texts), want, "{texts:?}");
    }
    let pause =
        customer(&["I don't want to cancel, I just want to pause my membership.", "Please pause it for one month."]);
    assert!(!read(&pause).cancel_intent(), "{:?}", read(&pause));
    // (Check batch 15's words, whose n-grams the model reads as angry.)
    let mate = customer(&[
        "hiya, my mate keeps saying your app is \"an absolute nightmare\" but honestly I've had no issues with it. just wanted to ask how to book the spin class for saturday",
        "got it, booked. ta very much",
    ]);
    assert!(!read(&mate).frustrated(), "{:?}", read(&mate));
    // Someone else's words with no phrase in them are not the model's to
    // read either (check batch 17's words).
    let mum = customer(&[
        "我阿媽成日話你哋客服好難搵，不過我今次一入嚟就有人覆，幾好喎",
        "想問下點樣幫佢開個網上理財",
        "好，我星期六帶佢去",
    ]);
    assert!(!read(&mum).frustrated(), "{:?}", read(&mum));
}

/// What the lexicons read strongly counts whatever the model says: the
/// model reads a one-line chat as calm (found by a second reading).
#[test]
fn a_strong_phrase_is_not_outweighed_by_the_model() {
    for (messages, frustrated, cancel) in [
        (&["This is ridiculous, I am so angry with your service right now"][..], true, false),
        (&["This is ridiculous, nothing works and nobody helps!!!", "ok"], true, false),
        (&["This is ridiculous, cancel everything."], true, true),
        (&["my delivery came two days late and cold", "never ordering from you again"], false, true),
    ] {
        let s = read(&customer(messages));
        assert!(s.frustrated() || !frustrated, "{messages:?}: {s:?}");
        assert_eq!(s.cancel_intent(), cancel, "{messages:?}: {s:?}");
    }
}

/// The demo's smooth chat with the issue's own complaint typed at the end
/// (what the end-to-end test does): a hard conversation, not asked.
#[test]
fn the_issue_example_at_the_end_of_a_smooth_chat_reads_as_hard() {
    use feedback_widget::domain::Action;
    for words in [
        "这已经是我第三次联系你们了，还是没解决！",
        "This is the third time I've contacted you and it's still not resolved!",
    ] {
        let messages = vec![
            Message { from: Sender::Customer, text: "Hi, I can't find my invoice for October.".into() },
            Message { from: Sender::Agent, text: "Hi! I've just sent it to your email address on file.".into() },
            Message { from: Sender::Customer, text: "Got it, thanks!".into() },
            Message { from: Sender::Customer, text: words.into() },
        ];
        let s = read(&messages);
        assert!(s.frustrated() || s.waited(), "{words}: {s:?}");
        let decision = decided(messages);
        assert_eq!(decision.action, Action::Vent, "{words}: {decision:?}");
    }
}

/// A message taken back is taken back from the model too: what it said
/// (and the retraction's own words, "取消我刚才那句") is not read.
#[test]
fn a_retracted_message_says_nothing_to_the_model() {
    for messages in [
        &[
            "I've been waiting three weeks for my refund, this is the worst service ever and I'm furious",
            "sorry, ignore what I just said, wrong chat. How do I change my address?",
        ][..],
        &["等咗三個禮拜都未退錢，真係好嬲，你哋啲服務差到極", "唔好意思，頭先嗰句send錯，唔關你事。想問點改地址"],
        &["我要取消会员，再也不用了", "取消我刚才那句，发错了。请问怎么改收货地址"],
    ] {
        let s = read(&customer(messages));
        assert!(!s.frustrated() && !s.waited() && !s.cancel_intent(), "{messages:?}: {s:?}");
        // ...however late in the chat it comes (a context holds up to 200
        // messages).
        let mut long = vec!["ok"; 80];
        long.extend_from_slice(messages);
        let s = read(&customer(&long));
        assert!(!s.frustrated() && !s.waited() && !s.cancel_intent(), "after 80 messages, {messages:?}: {s:?}");
        // ...while the message alone is read as it is.
        let alone = read(&customer(&messages[..1]));
        assert!(alone.frustrated() || alone.waited() || alone.cancel_intent(), "{messages:?}: {alone:?}");
    }
}

/// Complaints told only through facts: no phrase of the lexicons is in
/// them, the learned model reads them as hard. The same chats go through
/// the browser in `tests/e2e/transcript.test.mjs`, where this proves the
/// model's weights were fetched, parsed and used.
#[test]
fn complaints_told_through_facts_are_read_by_the_model() {
    for messages in [
        &[
            "The parcel was due on Monday.",
            "Today is Friday and the tracking page has not changed once.",
            "I took a day off work to wait for it.",
        ][..],
        &["張單話星期一送到", "而家星期五仲未見", "我請咗一日假喺屋企等"],
    ] {
        let lexicons = read_lexicons(&customer(messages));
        assert!(!lexicons.frustrated() && !lexicons.waited(), "{messages:?}: {lexicons:?}");
        let s = read(&customer(messages));
        assert!(s.frustrated() || s.waited(), "{messages:?}: {s:?}");
    }
}

/// A clear statement of leaving in a long chat stays said through the
/// practical questions after it: the lexicons' strength fades below the
/// level the model cannot outweigh, but its peak does not (an outsider's
/// long chats).
#[test]
fn leaving_said_early_in_a_long_chat_stays_said() {
    let msg = |from, text: &str| Message { from, text: text.to_owned() };
    let (c, a) = (Sender::Customer, Sender::Agent);
    let messages = vec![
        msg(c, "你好 我想問一下私人教練課可以改時間嗎"),
        msg(a, "可以的，請問您想改到什麼時候？"),
        msg(c, "週四晚上 8 點"),
        msg(a, "不好意思，週四晚上都滿了"),
        msg(c, "那週五呢"),
        msg(a, "週五也滿了，不好意思"),
        msg(c, "嗯...每次都約不到"),
        msg(c, "那我想終止會籍好了，要怎麼辦"),
        msg(a, "了解您想退會，需要本人帶證件到櫃台填寫終止申請"),
        msg(c, "剩下的課可以退費嗎"),
        msg(a, "剩餘堂數會依比例退費"),
        msg(c, "好 我週末過去辦"),
    ];
    let lexicons = read_lexicons(&messages);
    assert!(lexicons.cancel_intent < 2.0 && lexicons.cancel_intent(), "faded but counted: {lexicons:?}");
    assert!(read(&messages).cancel_intent(), "{:?}", read(&messages));
    // A practical question after it, asked with a hypothetical's words,
    // takes nothing back (a second reading's find in the rule for
    // hypothetical questions).
    for question in [
        "Can you check whether I have any credit left?",
        "What happens if I still have a parcel on the way?",
        "if I ever close my account, would I lose my points?",
        "and cancel our table for Saturday too",
    ] {
        let messages = customer(&["I want to cancel my account", question]);
        assert!(read(&messages).cancel_intent(), "{question}: {:?}", read(&messages));
    }
}

/// A transcript at the context's limits (200 messages of 4,000
/// characters, pasted logs, say) is read by its newest messages: the
/// complaint in the last message still counts, and what was said before
/// the newest 16 KB does not.
#[test]
fn a_transcript_at_the_limits_is_read_by_its_end() {
    let paste = |last: &str| {
        let mut text: String = "GET /api/orders 200 12ms ".chars().cycle().take(3_950).collect();
        text.push_str(last);
        text
    };
    let mut messages: Vec<Message> = (0..199)
        .map(|i| Message { from: if i % 2 == 0 { Sender::Customer } else { Sender::Agent }, text: paste(".") })
        .collect();
    messages.insert(0, Message { from: Sender::Customer, text: "I want to cancel my account".into() });
    messages.push(Message { from: Sender::Customer, text: paste(" ... this is the third time it broke, I'm furious") });
    let s = read(&messages);
    assert!(s.frustrated(), "the last message is read: {s:?}");
    assert!(!s.cancel_intent(), "200 messages back is not read: {s:?}");

    let read_from = what_is_read(&messages);
    let bytes: usize = read_from.iter().filter(|m| m.from == Sender::Customer).map(|m| m.text.len()).sum();
    assert!(bytes <= READ_BYTES && bytes > READ_BYTES - 4_100, "{bytes}");
    assert_eq!(read_from.last(), messages.last());
}

/// Ordinary chats are read whole, however long.
#[test]
fn an_ordinary_chat_is_read_whole() {
    let texts: Vec<String> =
        (0..150).map(|i| format!("message {i}: the parcel still has not arrived, any news")).collect();
    let messages = customer(&texts.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(what_is_read(&messages).len(), 150);
    // One message alone is read whatever its length.
    let long = "我等了好久".repeat(2_000);
    assert_eq!(what_is_read(&customer(&["ok", &long])).len(), 1);
    assert!(read(&customer(&[&long])).waited());
}

proptest::proptest! {
    /// Whatever the messages, the reader reads the newest ones within its
    /// bound, and always the last customer message.
    #[test]
    fn what_is_read_stays_within_its_bound(
        lens in proptest::collection::vec((0usize..6_000, proptest::bool::ANY), 0..40),
        c in "\\PC",
    ) {
        let messages: Vec<Message> = lens
            .iter()
            .map(|&(n, agent)| Message { from: if agent { Sender::Agent } else { Sender::Customer }, text: c.repeat(n) })
            .collect();
        let read_from = what_is_read(&messages);
        proptest::prop_assert_eq!(read_from, &messages[messages.len() - read_from.len()..]);
        let customers: Vec<usize> =
            read_from.iter().filter(|m| m.from == Sender::Customer).map(|m| m.text.len()).collect();
        let last = messages.iter().rposition(|m| m.from == Sender::Customer);
        proptest::prop_assert_eq!(customers.is_empty(), last.is_none());
        proptest::prop_assert!(customers.len() <= 1 || customers.iter().sum::<usize>() <= READ_BYTES);
        // Nothing more would have fitted: the customer message before is over the bound.
        let before = messages[..messages.len() - read_from.len()].iter().rev().find(|m| m.from == Sender::Customer);
        if let Some(m) = before {
            proptest::prop_assert!(customers.iter().sum::<usize>() + m.text.len() > READ_BYTES);
        }
    }
}

/// Plain leaving, politely, after a side remark or in a question, is not
/// a threat (a second reading's rows: each was read as anger).
/// (messages, frustrated, cancel_intent), by the labelling rules.
#[test]
fn plain_leaving_is_not_read_as_a_threat() {
    let rows: &[(&[&str], bool, bool)] = &[
        // A courtesy or a request is no condition.
        (&["If you don't mind, I'd like to close my account."], false, true),
        (&["If it's not too much trouble, please cancel my subscription."], false, true),
        (&["如果不麻烦的话，请帮我注销账号"], false, true),
        (&["If that's not possible then please just close my account"], false, true),
        // "Otherwise" as "apart from that", "要不然" as "or else just".
        (&["Thanks for the info. Otherwise, please close my account."], false, true),
        (&["要不然你帮我把会员取消了"], false, true),
        // Alternatives, not a threat.
        (&["I was going to pause it or I could just cancel my membership"], false, true),
        // A question whose "?" is past the next comma.
        (&["If I don't use it any more, can I close my account, and how?"], false, true),
        // "Even if" and "if possible" set no condition; "不用再…" says what
        // to stop; "一涨再涨" is the same verb again; an "if" in a sentence
        // that asks is a hypothetical.
        (&["Even if you waive the fee, I'm switching providers."], false, true),
        // "if" as "whether" (a second reading saw this one read as a
        // threat before round 16 too).
        (&["I asked if you could match the price and you can't, so I'm switching providers"], false, true),
        (&["If possible, please close my account today."], false, true),
        (&["以后不用再寄账单了，帮我注销账号"], false, true),
        (&["价格一涨再涨，我已经换别家了"], false, true),
        (&["如果之后想退掉会员，是当月就停还是到期才停？"], false, false),
        // "ifs" is not "if"; a line break ends a thought.
        (&["No ifs, no buts, close my account."], false, true),
        (&["it's not working otherwise\nplease close my account"], true, true),
    ];
    for (messages, frustrated, cancel) in rows {
        let s = read_lexicons(&customer(messages));
        assert_eq!((s.frustrated(), s.cancel_intent()), (*frustrated, *cancel), "{messages:?}: {s:?}");
    }
}

/// Leaving words in a condition that no leaving phrase of the lexicons
/// holds are a threat for the model too: it may not read them as leaving,
/// and what it reads there is anger (check batch 22's misses; these words
/// are new, and both chats were read as leaving before).
#[test]
fn a_threat_the_model_reads_is_anger_not_leaving() {
    for messages in [
        &["第二次了 上次寄来的杯子是碎的 这次又是碎的", "下次再给我寄碎的，我以后就不在你们家买东西了", "等着瞧"][..],
        &["My luggage went missing again, that's the second time this year with you.", "One more time and I'm flying another airline, no question.", "Fine."],
    ] {
        let chat = customer(messages);
        assert!(!read_lexicons(&chat).cancel_intent(), "{messages:?}: the model's reading, not the lexicons'");
        let s = read(&chat);
        assert!(s.frustrated() && !s.cancel_intent(), "{messages:?}: {s:?}");
    }
}

/// Warm thanks at the end, with no complaint beside them, leave
/// frustration to the lexicons: the model reads a whole chat's n-grams and
/// would keep a customer who was hard on themselves, or cross and then
/// relieved, "frustrated" after "thank you so much" (check batch 18's
/// misses; these words are new). A plain "ok thanks" does not.
#[test]
fn warm_thanks_at_the_end_leave_frustration_to_the_lexicons() {
    let hard_on_themselves = ["I'm such an idiot, forgot my password again", "third time this month honestly"];
    for (last, frustrated) in [("got back in, thank you so much, you've been brilliant", false), ("ok thanks", true)] {
        let mut messages = hard_on_themselves.to_vec();
        messages.push(last);
        let s = read(&customer(&messages));
        assert_eq!(s.frustrated(), frustrated, "{messages:?}: {s:?}");
    }
    let s = read(&customer(&["我真是笨死了 又把密码输错锁住了", "这个月都第三次了", "好了 能登进去了 太感谢你了 辛苦啦"]));
    assert!(!s.frustrated(), "{s:?}");
}

/// Re-read of rounds 16 and 17 (reread11): what the whole reader (the
/// lexicons joined with the model) does with a chat, as the policy acts
/// on it. Every row is collected, so one failure does not hide the rest.
fn reread_action(messages: &[&str]) -> &'static str {
    let s = read(&customer(messages));
    match (s.cancel_intent(), s.frustrated() || s.waited()) {
        (true, _) => "silent",
        (false, true) => "vent",
        (false, false) => "effort",
    }
}

fn reread_rows(rows: &[(&[&str], &str)]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|(messages, want)| {
            let got = reread_action(messages);
            (got != *want).then(|| format!("{messages:?}: want {want}, got {got} ({:?})", read(&customer(messages))))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), rows.len(), wrong.join("\n"));
}

/// `THREATENED` was set by a message that had an "if" anywhere (a bare
/// "if", no leaving phrase, not even exempting a question) and stays set
/// until the lexicons read leaving: a harmless "if" early in a chat turned
/// every later leaving the model reads into anger, a comment box instead
/// of silence for a customer who is leaving. Now a sentence that asks, or
/// an English "if" with no negator after it, sets nothing. All three were
/// silent at 0d55f39, and are again.
#[test]
fn reread_an_if_in_an_earlier_message_does_not_make_later_leaving_a_threat() {
    let leaving = "I've found a better deal elsewhere so I'll be taking my broadband somewhere else from next month";
    reread_rows(&[
        // The control: silent, now and before.
        (&["Hi, my account number is 5531", leaving], "silent"),
        (&["Hi, if it helps my account number is 5531", leaving], "silent"),
        (&["If you need anything else from me just shout", leaving], "silent"),
        (&["If I upgrade, does my contract restart?", "ok", leaving], "silent"),
    ]);
}

/// Plain leaving, said on no condition, that round 16's new condition
/// words made a threat (frustrated, not leaving: a comment box instead of
/// silence). Each was silent at 0d55f39, and is again. 再 in common words (再三, 再想想,
/// 再说, 再确认) before a comma; 的话 as "in that case" or a topic marker;
/// a negator before 就 that is no condition (没办法, 不用了); "还是这样吧"
/// as "let's leave it at that"; "if that's the case".
#[test]
fn reread_plain_leaving_is_not_a_threat_after_round_16() {
    reread_rows(&[
        (&["考虑再三，我决定注销账户"], "silent"),
        (&["我再想想，还是取消会员吧"], "silent"),
        (&["再说一遍，我已经决定不续费了"], "silent"),
        (&["麻烦再确认一下，我要取消会员"], "silent"),
        (&["这样的话，我还是退订吧"], "silent"),
        (&["我们家的话，一般都是周末在家，所以我决定取消周中配送的会员"], "silent"),
        (&["没办法那我就注销吧"], "silent"),
        (&["不用了我就直接注销吧"], "silent"),
        (&["还是这样吧，帮我取消会员"], "silent"),
        (&["那就还是这样吧 我退订了"], "silent"),
        (&["If that's the case, I'm cancelling my subscription."], "silent"),
        // "if" as "whether" in an earlier clause.
        (&["I checked if there was a cheaper plan and there is, so I'm switching providers."], "silent"),
    ]);
}

/// Round 17's negator over an intensifier (`negated`): a negator inside
/// a longer word before "那么"/"好" ("受不了", can't stand; "怪不得", no
/// wonder) is not "not so slow"; it denied the complaint, and the model
/// could not add it. Both were vent at 0d55f39, and are again.
#[test]
fn reread_a_negator_inside_a_word_does_not_reach_over_an_intensifier() {
    reread_rows(&[(&["受不了那么慢"], "vent"), (&["怪不得那么慢"], "vent")]);
}

/// Round 17's lexicon entries that fired on ordinary calm or happy
/// messages (each "effort" at 0d55f39, except the engineer's, vent there,
/// silent with round 17, vent again), taken out or narrowed: a question about the last month of a promotion is not
/// leaving; "done with the service" is the engineer's work; 期望高 in
/// "higher than I expected" or hopes for a new model, 浪费掉 in a
/// question, 不太行 about the customer's own English, 一般般 as "minor",
/// are no complaint; 忍不住好感动 (can't help being moved) is delight.
#[test]
fn reread_round_17_entries_do_not_misfire_on_calm_messages() {
    reread_rows(&[
        (&["This is my last month of the intro price, what will I pay after that?"], "effort"),
        (&["Will this be my last month on the old tariff?"], "effort"),
        (&["这是我最后一个月的优惠价吗？之后每个月多少钱"], "effort"),
        // (No longer leaving, as round 17's entry had it; "vent", as before
        // round 17: the model reads this one's n-grams as cross, and no
        // lexicon phrase outweighs them.)
        (&["The engineer was done with the service in 20 minutes, really impressed"], "vent"),
        (&["物超所值，比我期望高多了"], "effort"),
        (&["我对新款期望很高，什么时候上市？"], "effort"),
        (&["剩下的流量月底会浪费掉吗"], "effort"),
        (&["我英文不太行，可以用中文吗"], "effort"),
        (&["这个一般般的问题我自己搞定了，谢谢"], "effort"),
        (&["忍不住好感动"], "effort"),
    ]);
}

/// Every example the README gives in "Reading the transcript" and the
/// decision table, decided as the README says: asked (`effort`), offered a
/// comment box (`vent`) or let go (`silent`). (An outsider taking the
/// README at its word found "third time I'm contacting you" asked the
/// score question, and "one more time and I'm gone" too.)
#[test]
fn the_readmes_examples_are_decided_as_it_says() {
    use feedback_widget::domain::Action;
    let rows: &[(&[&str], Action)] = &[
        // The signals' table.
        (&["this is ridiculous"], Action::Vent),
        (&["not happy at all"], Action::Vent),
        (&["Thanks for nothing"], Action::Vent),
        (&["太离谱了"], Action::Vent),
        (&["不太满意"], Action::Vent),
        (&["氣死我了"], Action::Vent),
        (&["😡"], Action::Vent),
        (&["been on hold for an hour"], Action::Vent),
        (&["third time I'm contacting you"], Action::Vent),
        (&["转接了好几次"], Action::Vent),
        (&["我之前已经说过了"], Action::Vent),
        (&["cancel my subscription"], Action::Silent),
        (&["close my account"], Action::Silent),
        (&["取消订阅"], Action::Silent),
        (&["註銷帳號"], Action::Silent),
        (&["this is ridiculous", "thanks, that fixed it"], Action::Effort),
        (&["太离谱了", "问题解决了，谢谢"], Action::Effort),
        // The words of Taiwan and of Hong Kong.
        (&["超爛"], Action::Vent),
        (&["已讀不回"], Action::Vent),
        (&["很瞎"], Action::Vent),
        (&["等咗好耐"], Action::Vent),
        (&["我唔要喇"], Action::Silent),
        // What the reader takes into account.
        (&["not happy"], Action::Vent),
        (&["不满意"], Action::Vent),
        (&["waited nearly two whole days"], Action::Vent),
        (&["cancel my subscription", "ignore what I just said"], Action::Effort),
        (&["如果取消会员的话…只是问问"], Action::Effort),
        (&["唔使 cancel 住"], Action::Effort),
        (&["wonderful, another week"], Action::Vent),
        (&["the courier was useless but you sorted it, thanks"], Action::Effort),
        (&["my mate keeps saying your app is a nightmare, but it works for me"], Action::Effort),
        (&["我媽說你們APP很難用"], Action::Effort),
        (&["your agent said it would be fixed and it is still broken"], Action::Vent),
        (&["pause it instead of cancelling"], Action::Effort),
        (&["if I ever closed my account, what happens?"], Action::Effort),
        // An outsider's: the same question, longer, was read as leaving by
        // the model, no phrase having read "closed my account".
        (&["if I ever closed my account, would I lose my points?"], Action::Effort),
        (&["I closed my account last month, why is there still a charge?"], Action::Silent),
        (&["如果我退保，可以拿回多少？"], Action::Effort),
        (&["cancel our table for Saturday"], Action::Effort),
        (&["if it isn't fixed by Friday I'm switching"], Action::Vent),
        (&["fix it or I'm not renewing"], Action::Vent),
        (&["再扣错一次我就解约"], Action::Vent),
        (&["不给免的话我就剪卡"], Action::Vent),
        (&["唔退錢我就轉台"], Action::Vent),
        (&["one more time and I'm gone"], Action::Vent),
        (&["this is ridiculous", "ok"], Action::Vent),
        // The learned model's paragraph.
        (&["I am so angry"], Action::Vent),
        (&["never ordering from you again"], Action::Silent),
        (&["I don't want to cancel, just pause it"], Action::Effort),
        (&["got back in, thank you so much, you've been brilliant"], Action::Effort),
        // What a second reading of the rows above found them costing:
        // polite leaving read as a threat, calm words read as leaving.
        (&["Thanks once more, please cancel my subscription."], Action::Silent),
        (&["Thank you once more for your help, I'd like to close my account."], Action::Silent),
        (&["Let me try one more time to cancel my subscription"], Action::Silent),
        (&["one more question and I'm gone"], Action::Effort),
        (&["ok pay now and I'm gone"], Action::Effort),
        // The decision table.
        (&["这已经是我第三次联系你们了，还是没解决！"], Action::Vent),
        (&["Please cancel my subscription.", "Thanks"], Action::Silent),
        (&["Ugh, nothing works!!!", "Thanks, that fixed it"], Action::Effort),
    ];
    let mut wrong = Vec::new();
    for (messages, want) in rows {
        let decision = decided(customer(messages));
        if decision.action != *want {
            wrong.push(format!("{messages:?}: {:?}, the README says {want:?}", decision));
        }
    }
    assert!(wrong.is_empty(), "{} of {}:\n{}", wrong.len(), rows.len(), wrong.join("\n"));
}
