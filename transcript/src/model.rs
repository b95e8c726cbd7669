//! A small learned reader beside the lexicons: logistic regression over
//! hashed character n-grams of the customer's messages, one weight vector
//! per signal (frustrated, waited, cancel_intent), trained on the tuning
//! corpus by `cargo xtask train` and shipped as `lexicons/model.txt` in
//! the lexicon bundle (fetched only with messages, like the lexicons).
//!
//! Why: phrases written by hand catch what their authors thought of; on
//! conversations written later by people who never saw them, the
//! lexicons alone decided as labelled in about 70% of them. Character
//! n-grams need no word splitting (Chinese has no spaces), tolerate typos
//! and paraphrase, and learn Cantonese and Taiwanese particles from the
//! examples. The model stays explainable: a signal's strength is a sum of
//! one small integer weight per n-gram present, and `cargo xtask explain`
//! prints the n-grams that weighed most.
//!
//! Features: each customer message is lower-cased (ASCII only), its runs
//! of white space made one space and a space put at each end; every run of
//! 1 to 3 characters is hashed (FNV-1a over its UTF-8 bytes) into one of
//! [`BUCKETS`]; a conversation is the set of buckets present.
//!
//! File format (`model.txt`):
//!
//! ```text
//! @model ngrams 1-3 buckets 16384 corpus <FNV-1a of the training corpus, decimal>
//! frustrated <bias> <scale> <16384 letters: weight + 7 as 'a'..'o'>
//! waited ...
//! cancel_intent ...
//! ```

use super::decimal::parse_decimal;
#[allow(unused_imports)]
use crate::prelude::*;

/// How many hash buckets the n-grams fall into.
pub const BUCKETS: usize = 1 << 14;
/// The longest n-gram, in characters.
const LONGEST: usize = 3;
/// The largest weight's magnitude after quantizing.
pub const LEVELS: i8 = 7;
/// The first line of `model.txt`, before the corpus fingerprint (the
/// settings above, spelled out: a test holds them equal).
pub const HEADER: &str = "@model ngrams 1-3 buckets 16384 corpus ";
/// The signals the model scores, in file order.
pub const LABELS: [&str; 3] = ["frustrated", "waited", "cancel_intent"];

/// One weight vector per signal.
#[derive(Debug, PartialEq)]
pub struct Model {
    /// `LABELS.len() * BUCKETS` weights in -LEVELS..=LEVELS, label by label.
    weights: Vec<i8>,
    bias: [f32; 3],
    scale: [f32; 3],
    /// The fingerprint of the corpus it was trained on (the header's).
    pub corpus: u32,
}

/// FNV-1a, 32 bits.
pub fn fnv1a(bytes: &[u8], mut hash: u32) -> u32 {
    for &b in bytes {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    hash
}

/// The FNV-1a offset basis: where a fresh hash starts.
pub const FNV_START: u32 = 0x811c_9dc5;

/// One message as the model sees it: ASCII lower-cased, white space runs
/// made one space, a space at each end.
pub fn prepare(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// Calls `each(ngram, bucket)` for every n-gram of one prepared message,
/// by where it ends: at each character, the one, two and three
/// characters ending there.
pub fn ngrams(prepared: &str, mut each: impl FnMut(&str, u16)) {
    // Where the last `LONGEST` characters start, the latest first.
    let mut starts = [0usize; LONGEST];
    let mut count = 0;
    for (at, c) in prepared.char_indices() {
        starts.copy_within(0..LONGEST - 1, 1);
        starts[0] = at;
        count += 1;
        let end = at + c.len_utf8();
        for &start in &starts[..count.min(LONGEST)] {
            let gram = &prepared[start..end];
            each(gram, (fnv1a(gram.as_bytes(), FNV_START) as usize % BUCKETS) as u16);
        }
    }
}

/// The buckets present in the texts of the customer's messages (those
/// that were not taken back: `Running::kept`; `model_features` in the
/// reader), each once, in the order first seen (a bit set, not a sort:
/// the wasm carries no sorting).
pub fn features_of<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<u16> {
    let mut seen = [0u64; BUCKETS / 64];
    let mut out = Vec::new();
    for text in texts {
        ngrams(&prepare(text), |_, bucket| {
            let (word, bit) = (usize::from(bucket) / 64, 1u64 << (bucket % 64));
            if seen[word] & bit == 0 {
                seen[word] |= bit;
                out.push(bucket);
            }
        });
    }
    out
}

impl Model {
    /// The log-odds of each of [`LABELS`] for a conversation's features.
    pub fn logits(&self, features: &[u16]) -> [f32; 3] {
        let mut out = self.bias;
        for (l, logit) in out.iter_mut().enumerate() {
            let sum: i32 = features.iter().map(|&f| i32::from(self.level(l, f))).sum();
            *logit += self.scale[l] * sum as f32;
        }
        out
    }

    /// One label's weight for one bucket, scaled (what an n-gram adds).
    pub fn weight(&self, label: usize, bucket: u16) -> f32 {
        self.scale[label] * f32::from(self.level(label, bucket))
    }

    /// One label's quantized weight for one bucket (`get`: a bucket is
    /// always in range, and no panic path is kept).
    fn level(&self, label: usize, bucket: u16) -> i8 {
        self.weights.get(label * BUCKETS + usize::from(bucket)).copied().unwrap_or(0)
    }

    /// Reads `model.txt`; `None` if it is not one (the reader then goes on
    /// with the lexicons alone).
    pub fn parse(text: &str) -> Option<Model> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let corpus = lines.next()?.strip_prefix(HEADER)?.parse().ok()?;
        let mut model = Model { weights: Vec::with_capacity(3 * BUCKETS), bias: [0.0; 3], scale: [0.0; 3], corpus };
        for (l, label) in LABELS.iter().enumerate() {
            let mut fields = lines.next()?.split(' ');
            if fields.next()? != *label {
                return None;
            }
            // Fixed decimals, read without the float parser (not in the wasm).
            model.bias[l] = parse_decimal(fields.next()?)? as f32;
            model.scale[l] = parse_decimal(fields.next()?)? as f32;
            if model.scale[l] <= 0.0 {
                return None;
            }
            let letters = fields.next()?.as_bytes();
            if letters.len() != BUCKETS || fields.next().is_some() {
                return None;
            }
            for &b in letters {
                let w = b.wrapping_sub(b'a');
                if w > 2 * LEVELS as u8 {
                    return None;
                }
                model.weights.push(w as i8 - LEVELS);
            }
        }
        lines.next().is_none().then_some(model)
    }
}

/// Training, natively only (`cargo xtask train`): the wasm only reads.
#[cfg(not(target_arch = "wasm32"))]
pub mod train {
    use super::*;
    use crate::{Message, Sender};

    /// L2 regularization strength (the inverse of scikit-learn's `C`),
    /// chosen by leaving out tuning batches 3, 4 and 5 in turn: against
    /// 1/3, 1 and 10 it was the most accurate on the left-out batches,
    /// and its weights are sparser (8 KB gzip, against 10 KB for 1/3).
    const LAMBDA: f64 = 3.0;
    const STEPS: usize = 400;

    /// Fits one weight vector per label to `examples` (features, and which
    /// of [`LABELS`] hold) and quantizes it; `corpus` is the fingerprint
    /// written into the header.
    pub fn fit(examples: &[(Vec<u16>, [bool; 3])], corpus: u32) -> Model {
        let mut model = Model { weights: Vec::with_capacity(3 * BUCKETS), bias: [0.0; 3], scale: [0.0; 3], corpus };
        for l in 0..LABELS.len() {
            let (w, b) = fit_one(examples, l);
            let largest = w.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            let scale = if largest == 0.0 { 1.0 } else { largest / f64::from(LEVELS) };
            model.weights.extend(w.iter().map(|x| (x / scale).round() as i8));
            model.bias[l] = b as f32;
            model.scale[l] = scale as f32;
        }
        // The quantized weights moved every logit a little: refit the bias
        // alone (a few Newton steps) so the labels' base rates stay right.
        for l in 0..LABELS.len() {
            let z: Vec<f64> = examples
                .iter()
                .map(|(f, _)| f64::from(model.scale[l]) * f.iter().map(|&i| f64::from(model.level(l, i))).sum::<f64>())
                .collect();
            let mut b = f64::from(model.bias[l]);
            for _ in 0..20 {
                let (mut g, mut h) = (0.0, 0.0);
                for ((_, y), z) in examples.iter().zip(&z) {
                    let p = sigmoid(z + b);
                    g += p - f64::from(u8::from(y[l]));
                    h += p * (1.0 - p);
                }
                b -= g / h.max(1e-9);
            }
            model.bias[l] = b as f32;
        }
        model
    }

    fn sigmoid(z: f64) -> f64 {
        1.0 / (1.0 + (-z).exp())
    }

    /// Minimizes the mean log-loss plus `LAMBDA / 2n * |w|²` by full-batch
    /// gradient descent with Adam: deterministic, a second or two.
    fn fit_one(examples: &[(Vec<u16>, [bool; 3])], l: usize) -> (Vec<f64>, f64) {
        let n = examples.len() as f64;
        let mut w = vec![0.0f64; BUCKETS];
        let mut b = 0.0f64;
        let (mut m, mut v) = (vec![0.0f64; BUCKETS + 1], vec![0.0f64; BUCKETS + 1]);
        let (rate, beta1, beta2) = (0.05f64, 0.9f64, 0.999f64);
        let mut grad = vec![0.0f64; BUCKETS + 1];
        for step in 1..=STEPS {
            grad.iter_mut().for_each(|g| *g = 0.0);
            for (f, y) in examples {
                let z = b + f.iter().map(|&i| w[usize::from(i)]).sum::<f64>();
                let d = (sigmoid(z) - f64::from(u8::from(y[l]))) / n;
                for &i in f {
                    grad[usize::from(i)] += d;
                }
                grad[BUCKETS] += d;
            }
            for (i, wi) in w.iter().enumerate() {
                grad[i] += LAMBDA / n * wi;
            }
            let (c1, c2) = (1.0 - beta1.powi(step as i32), 1.0 - beta2.powi(step as i32));
            for i in 0..=BUCKETS {
                m[i] = beta1 * m[i] + (1.0 - beta1) * grad[i];
                v[i] = beta2 * v[i] + (1.0 - beta2) * grad[i] * grad[i];
                let delta = rate * (m[i] / c1) / ((v[i] / c2).sqrt() + 1e-8);
                if i == BUCKETS {
                    b -= delta;
                } else {
                    w[i] -= delta;
                }
            }
        }
        (w, b)
    }

    /// One labelled conversation of the tuning corpus.
    pub struct Labelled {
        pub id: String,
        pub language: String,
        /// The labels as written (none for `calm`).
        pub names: Vec<String>,
        /// Which of [`LABELS`] hold at the end.
        pub labels: [bool; 3],
        pub action: String,
        pub messages: Vec<Message>,
    }

    /// Reads the corpus format: `## id | language | labels | action`,
    /// then one `C: ` or `A: ` line per message.
    pub fn parse_corpus(text: &str) -> Result<Vec<Labelled>, String> {
        let mut out: Vec<Labelled> = Vec::new();
        for line in text.lines() {
            if let Some(header) = line.strip_prefix("## ") {
                let fields: Vec<&str> = header.split('|').map(str::trim).collect();
                let [id, language, labels, action] = fields[..] else {
                    return Err(format!("a header needs four fields: {line}"));
                };
                let names: Vec<String> = match labels {
                    "calm" => Vec::new(),
                    list => list.split(',').map(|l| l.trim().to_owned()).collect(),
                };
                out.push(Labelled {
                    id: id.to_owned(),
                    language: language.to_owned(),
                    labels: LABELS.map(|l| names.iter().any(|n| n == l)),
                    names,
                    action: action.to_owned(),
                    messages: Vec::new(),
                });
            } else if let Some((who, text)) = line.split_once(": ") {
                let from = match who {
                    "C" => Sender::Customer,
                    "A" => Sender::Agent,
                    _ => continue,
                };
                let Some(current) = out.last_mut() else { return Err(format!("a message before any header: {line}")) };
                current.messages.push(Message { from, text: text.to_owned() });
            }
        }
        Ok(out)
    }

    /// Every `.txt` file of `dir`, by name, parsed.
    pub fn read_corpus(dir: &std::path::Path) -> Result<Vec<Labelled>, String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut all = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            all.extend(parse_corpus(&text).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        Ok(all)
    }

    /// What the model learns from a conversation: its features as the
    /// reader computes them, and its labels.
    pub fn example(c: &Labelled) -> (Vec<u16>, [bool; 3]) {
        (crate::model_features(&c.messages), c.labels)
    }

    /// The fingerprint of a training run: the settings and every
    /// example's features and labels, so a change to the corpus, or to
    /// how the reader prepares, cuts, hashes or drops (retractions) its
    /// text, shows. `model.txt` records it, and a test fails when it
    /// changed since the model was trained.
    pub fn fingerprint(examples: &[(Vec<u16>, [bool; 3])]) -> u32 {
        let settings = format!("{HEADER}{LAMBDA} {STEPS} {LEVELS}");
        examples.iter().fold(fnv1a(settings.as_bytes(), FNV_START), |hash, (features, labels)| {
            let hash = features.iter().fold(hash, |h, f| fnv1a(&f.to_le_bytes(), h));
            fnv1a(&labels.map(u8::from), fnv1a(&[0xff, 0xff], hash))
        })
    }

    /// The model as `model.txt`.
    pub fn write(model: &Model) -> String {
        let mut out = format!("{HEADER}{}\n", model.corpus);
        for (l, label) in LABELS.iter().enumerate() {
            out.push_str(&format!("{label} {:.6} {:.6} ", model.bias[l], model.scale[l]));
            out.extend(
                model.weights[l * BUCKETS..(l + 1) * BUCKETS].iter().map(|&w| char::from(b'a' + (w + LEVELS) as u8)),
            );
            out.push('\n');
        }
        out
    }
}

/// Native only: the trainer and proptest are not built for wasm32.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    use crate::{Message, Sender};

    fn customer(text: &str) -> Message {
        Message { from: Sender::Customer, text: text.to_owned() }
    }

    /// The features of every customer message (nothing taken back here).
    fn features(messages: &[Message]) -> Vec<u16> {
        features_of(messages.iter().filter(|m| m.from == Sender::Customer).map(|m| m.text.as_str()))
    }

    #[test]
    fn messages_are_prepared_the_same_way_in_every_script() {
        for (text, want) in [
            ("  Hello\tWORLD  ", " hello world "),
            ("", " "),
            ("等咗好耐\n\n真係", " 等咗好耐 真係 "),
            ("ＡＢＣ ok", " ＡＢＣ ok "),
            ("Café ÉTÉ", " café ÉtÉ "),
        ] {
            assert_eq!(prepare(text), want, "{text:?}");
        }
    }

    #[test]
    fn every_run_of_one_to_three_characters_is_an_ngram() {
        let mut grams = Vec::new();
        ngrams(" 等咗 ", |g, _| grams.push(g.to_owned()));
        assert_eq!(grams, [" ", "等", " 等", "咗", "等咗", " 等咗", " ", "咗 ", "等咗 "]);
        let mut buckets = Vec::new();
        ngrams(" ab ", |g, b| buckets.push((g.to_owned(), b)));
        assert_eq!(buckets.len(), 4 + 3 + 2);
        assert!(buckets.iter().all(|(g, b)| usize::from(*b) == fnv1a(g.as_bytes(), FNV_START) as usize % BUCKETS));
    }

    #[test]
    fn the_header_spells_out_the_settings() {
        assert_eq!(HEADER, format!("@model ngrams 1-{LONGEST} buckets {BUCKETS} corpus "));
    }

    #[test]
    fn features_are_the_customers_ngrams_each_once() {
        let agent = Message { from: Sender::Agent, text: "sorry for the wait".into() };
        assert!(features(core::slice::from_ref(&agent)).is_empty());
        assert!(features(&[]).is_empty());
        let once = features(&[customer("ha ha ha")]);
        let twice = features(&[customer("ha ha ha"), agent, customer("ha")]);
        assert_eq!(once, twice);
        let mut sorted = once.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), once.len(), "no bucket twice");
    }

    /// A tiny corpus the model must learn: "slow" waits, "cancel" leaves,
    /// "awful" is frustrated, "thanks" is none of them.
    fn tiny() -> Vec<(Vec<u16>, [bool; 3])> {
        let rows = [
            ("this is awful", [true, false, false]),
            ("awful service", [true, false, false]),
            ("so slow, still waiting", [false, true, false]),
            ("slow reply again", [false, true, false]),
            ("cancel my account", [false, false, true]),
            ("please cancel everything", [false, false, true]),
            ("thanks a lot", [false, false, false]),
            ("great, thanks", [false, false, false]),
        ];
        rows.iter().map(|(t, y)| (features(&[customer(t)]), *y)).collect()
    }

    /// Trained once for every test here (it takes a moment unoptimized).
    fn fitted() -> &'static Model {
        static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();
        MODEL.get_or_init(|| train::fit(&tiny(), 42))
    }

    /// The tiny model as its file keeps it (six decimals).
    fn tiny_model() -> Model {
        Model::parse(&train::write(fitted())).expect("its own file reads")
    }

    #[test]
    fn training_learns_a_tiny_corpus_and_the_file_reads_back_the_same() {
        let model = &tiny_model();
        for (f, y) in tiny() {
            let z = model.logits(&f);
            for l in 0..3 {
                assert_eq!(z[l] > 0.0, y[l], "label {l}: {z:?}");
            }
        }
        let unseen = model.logits(&features(&[customer("awful, cancel it")]));
        let thanks = model.logits(&features(&[customer("thanks")]));
        assert!(unseen[0] > thanks[0] && unseen[2] > thanks[2], "{unseen:?} against {thanks:?}");
        // The file keeps every weight and six decimals of the rest.
        let fitted = fitted();
        assert_eq!((&model.weights, model.corpus), (&fitted.weights, 42));
        for l in 0..3 {
            assert!((model.bias[l] - fitted.bias[l]).abs() <= 5e-7, "{} {}", model.bias[l], fitted.bias[l]);
            assert!((model.scale[l] - fitted.scale[l]).abs() <= 5e-7, "{} {}", model.scale[l], fitted.scale[l]);
        }
        assert_eq!(&Model::parse(&train::write(model)).expect("it reads again"), model);
    }

    #[test]
    fn a_damaged_model_file_is_refused_not_half_read() {
        let good = train::write(fitted()).replace("corpus 42", "corpus 7");
        assert!(Model::parse(&good).is_some());
        let lines: Vec<&str> = good.lines().collect();
        let row = lines[1];
        let fields: Vec<&str> = row.split(' ').collect();
        let with = |i: usize, value: &str| {
            let mut f = fields.clone();
            f[i] = value;
            good.replace(row, &f.join(" "))
        };
        let cut_row = &row[..row.len() - 1];
        let bad_letter = format!("{cut_row}z");
        let damaged = [
            String::new(),
            good.replace("buckets 16384", "buckets 8192"),
            good.replace("@model", "@lexicon"),
            good.replace("corpus 7", "corpus x"),
            good.replace(row, cut_row),
            good.replace(row, &bad_letter),
            good.replace("frustrated ", "angry "),
            with(1, "1e3"),
            with(2, "0.000000"),
            with(2, "-0.100000"),
            with(2, "abc"),
            lines[..3].join("\n"),
            format!("{good}extra line\n"),
        ];
        for text in damaged {
            assert!(Model::parse(&text).is_none(), "{:?}", &text[..text.len().min(80)]);
        }
    }

    #[test]
    fn the_fingerprint_changes_with_any_feature_label_or_order() {
        let examples = tiny();
        let a = train::fingerprint(&examples);
        assert_eq!(a, train::fingerprint(&tiny()));
        let mut swapped = tiny();
        swapped.swap(0, 1);
        assert_ne!(a, train::fingerprint(&swapped));
        let mut relabelled = tiny();
        relabelled[3].1[0] = !relabelled[3].1[0];
        assert_ne!(a, train::fingerprint(&relabelled));
        let mut moved = tiny();
        let f = moved[0].0.pop().expect("a feature");
        moved[1].0.insert(0, f);
        assert_ne!(a, train::fingerprint(&moved), "a feature moved to the next conversation");
    }

    #[test]
    fn the_corpus_format_reads_and_a_bad_header_is_an_error() {
        let text = "# comment\n\n## en-a001 | en | frustrated, waited | vent\nC: hi\nA: hello\nC: still waiting\n\n## en-a002 | en | calm | effort\nC: ok\n";
        let read = train::parse_corpus(text).expect("it reads");
        assert_eq!(read.len(), 2);
        assert_eq!((read[0].id.as_str(), read[0].labels, read[0].messages.len()), ("en-a001", [true, true, false], 3));
        assert_eq!((read[0].language.as_str(), read[0].action.as_str(), read[0].names.len()), ("en", "vent", 2));
        assert_eq!((read[1].labels, read[1].messages[0].from), ([false, false, false], Sender::Customer));
        assert!(train::parse_corpus("## en-a001 | en | calm\nC: hi\n").is_err());
        assert!(train::parse_corpus("C: hi\n").is_err());
    }

    proptest::proptest! {
        /// Any text in any script: every logit finite, and the same
        /// whatever the agent said.
        #[test]
        fn any_text_gives_finite_logits(texts in proptest::collection::vec("\\PC{0,80}", 0..5), agent in "\\PC{0,40}") {
            let model = fitted();
            let mut messages: Vec<Message> = texts.iter().map(|t| customer(t)).collect();
            let z = model.logits(&features(&messages));
            proptest::prop_assert!(z.iter().all(|v| v.is_finite()));
            messages.push(Message { from: Sender::Agent, text: agent });
            proptest::prop_assert_eq!(model.logits(&features(&messages)), z);
        }
    }
}
