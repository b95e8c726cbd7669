//! Dates on the wire: RFC 3339 UTC with milliseconds
//! (`2026-11-27T09:05:03.123Z`), written and read without a date library
//! or `format!` (the widget's wasm carries this), for the proleptic
//! Gregorian calendar from 1970 to 9999.

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;
/// The last millisecond of 9999-12-31: later times are clamped to it.
pub const MAX_MS: i64 = 253_402_300_799_999;

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since the Unix epoch;
/// times before 1970 or after 9999 are clamped.
pub fn rfc3339(ms: i64) -> String {
    let ms = ms.clamp(0, MAX_MS);
    let (days, ms_of_day) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, milli) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
    let mut out = String::with_capacity(24);
    for (value, width, sep) in [
        (y, 4, '-'),
        (i64::from(m), 2, '-'),
        (i64::from(d), 2, 'T'),
        (h, 2, ':'),
        (min, 2, ':'),
        (s, 2, '.'),
        (milli, 3, 'Z'),
    ] {
        push_padded(&mut out, value, width);
        out.push(sep);
    }
    out
}

/// Reads an RFC 3339 date-time (`2026-11-27T09:05:03Z`, with optional
/// fractional seconds and a `Z` or `+HH:MM` offset) as milliseconds since
/// the epoch. `None` for anything else, including impossible dates.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if !text.is_ascii() || b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let day = parse_date(&text[..10])?;
    let (h, min, s) = (digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?);
    if h > 23 || min > 59 || s > 60 {
        return None;
    }
    let mut at = 19;
    let mut milli = 0;
    if b[at] == b'.' {
        let start = at + 1;
        at = start;
        while at < b.len() && b[at].is_ascii_digit() {
            at += 1;
        }
        let fraction = &b[start..at];
        if fraction.is_empty() {
            return None;
        }
        // Milliseconds: the first three digits, padded.
        milli = (0..3).fold(0, |acc, i| acc * 10 + fraction.get(i).map_or(0, |d| i64::from(d - b'0')));
    }
    let offset_min = match &b[at..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), oh @ .., b':', om1, om2] if oh.len() == 2 => {
            let (oh, om) = (digits(oh)?, digits(&[*om1, *om2])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = oh * 60 + om;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    Some(day + ((h * 60 + min - offset_min) * 60 + s.min(59)) * 1000 + milli)
}

/// The start of a `YYYY-MM-DD` day (UTC), or `None` if it is not a date
/// (`2026-02-30` is not).
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if !text.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (m, d) = (u32::try_from(m).ok()?, u32::try_from(d).ok()?);
    if y < 1 || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days * DAY_MS)
}

/// Days since 1970-01-01 of a date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (H. Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
}

fn push_padded(out: &mut String, value: i64, width: u32) {
    let mut div = 10i64.pow(width - 1);
    while div > 0 {
        out.push(char::from(b'0' + (value / div % 10) as u8));
        div /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_instants() {
        let check = |ms: i64, expected: &str| {
            assert_eq!(rfc3339(ms), expected, "{ms}");
            assert_eq!(parse_rfc3339(expected), Some(ms.clamp(0, MAX_MS)), "{expected}");
        };
        check(0, "1970-01-01T00:00:00.000Z");
        check(951_782_400_000, "2000-02-29T00:00:00.000Z");
        check(1_795_730_583_123, "2026-11-26T22:03:03.123Z");
        check(4_102_444_799_999, "2099-12-31T23:59:59.999Z");
        check(MAX_MS, "9999-12-31T23:59:59.999Z");
        assert_eq!(rfc3339(-5), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(i64::MAX), "9999-12-31T23:59:59.999Z");
    }

    #[test]
    fn reads_offsets_and_refuses_nonsense() {
        assert_eq!(parse_rfc3339("2026-11-27T10:05:03+01:00"), parse_rfc3339("2026-11-27T09:05:03Z"));
        assert_eq!(parse_rfc3339("2026-11-27T09:05:03.1Z"), Some(parse_rfc3339("2026-11-27T09:05:03Z").unwrap() + 100));
        for bad in [
            "",
            "2026-11-27",
            "2026-02-30T00:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T09:05:03",
            "2026-11-27T09:05:03.Z",
            "2026-11-27T09:05:03+0100",
            "yesterday at noon, roughly",
            "２０２６-11-27T09:05:03Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29) * DAY_MS));
        assert_eq!(parse_date("2026-13-01"), None);
    }

    proptest! {
        #[test]
        fn every_instant_reads_back(ms in 0i64..=MAX_MS) {
            prop_assert_eq!(parse_rfc3339(&rfc3339(ms)), Some(ms));
        }

        #[test]
        fn days_round_trip(days in -1_000_000i64..3_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
