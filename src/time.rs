//! Dates and times without a clock: RFC 3339 parsing and formatting on Unix seconds.
//!
//! The engine never reads a clock; callers pass the current time in. These helpers turn the
//! canonical input formats (`2024-05-01`, `2024-05-01T10:00:00Z`, `2024-05-01T12:00:00+02:00`,
//! or integer Unix seconds) into Unix seconds and day numbers, and back.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Why a date or timestamp did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(pub &'static str);

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() {
        return None;
    }
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

fn month_days(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `YYYY-MM-DD` into a day number since 1970-01-01.
pub fn parse_date(s: &str) -> Result<i64, TimeError> {
    date_of(s.as_bytes())
}

/// [`parse_date`] on bytes, so that a caller can hand over the first ten bytes of a longer text
/// without cutting it inside a multi-byte character (which slicing the `&str` would panic on).
fn date_of(b: &[u8]) -> Result<i64, TimeError> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(TimeError("expected a date as YYYY-MM-DD"));
    }
    let (y, m, d) = (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10]));
    let (Some(y), Some(m), Some(d)) = (y, m, d) else {
        return Err(TimeError("expected a date as YYYY-MM-DD"));
    };
    if !(1..=12).contains(&m) || d == 0 || d > month_days(y as i64, m) {
        return Err(TimeError("no such calendar date"));
    }
    Ok(days_from_civil(y as i64, m, d))
}

/// Parses an RFC 3339 date-time (`2024-05-01T10:00:00Z`, fractional seconds and `+02:00` offsets
/// allowed, a space instead of `T` tolerated), a bare date (midnight UTC), or integer Unix seconds.
pub fn parse_timestamp(s: &str) -> Result<i64, TimeError> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.is_empty() {
        return Err(TimeError("empty timestamp"));
    }
    if b.iter().all(|c| c.is_ascii_digit())
        || (b[0] == b'-' && b.len() > 1 && b[1..].iter().all(|c| c.is_ascii_digit()))
    {
        return s.parse::<i64>().map_err(|_| TimeError("Unix seconds out of range"));
    }
    if b.len() < 10 {
        return Err(TimeError("expected an RFC 3339 date-time or Unix seconds"));
    }
    let day = date_of(&b[..10])?;
    if b.len() == 10 {
        return Ok(day * DAY);
    }
    if !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return Err(TimeError("expected a time as THH:MM:SS after the date"));
    }
    let (Some(h), Some(mi), Some(sec)) = (digits(&b[11..13]), digits(&b[14..16]), digits(&b[17..19])) else {
        return Err(TimeError("expected a time as THH:MM:SS after the date"));
    };
    if h > 23 || mi > 59 || sec > 60 {
        return Err(TimeError("time of day out of range"));
    }
    let mut i = 19;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(TimeError("expected digits after the decimal point of the seconds"));
        }
    }
    let offset = match &b[i..] {
        [] | [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), hh1, hh2, b':', mm1, mm2] => {
            let (Some(oh), Some(om)) = (digits(&[*hh1, *hh2]), digits(&[*mm1, *mm2])) else {
                return Err(TimeError("invalid UTC offset"));
            };
            if oh > 23 || om > 59 {
                return Err(TimeError("invalid UTC offset"));
            }
            let o = (oh * 3600 + om * 60) as i64;
            if *sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return Err(TimeError("expected Z or a UTC offset like +02:00 at the end")),
    };
    Ok(day * DAY + (h * 3600 + mi * 60 + sec.min(59)) as i64 - offset)
}

/// Formats Unix seconds as an RFC 3339 UTC date-time (`2024-05-01T10:00:00Z`).
pub fn format_timestamp(t: i64) -> String {
    let (days, secs) = (t.div_euclid(DAY), t.rem_euclid(DAY));
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 10_957, 19_000, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn parses_the_canonical_forms() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_timestamp("2016-01-01T00:00:01Z"), Ok(1_451_606_401));
        assert_eq!(parse_timestamp("2016-01-01 00:00:01"), Ok(1_451_606_401));
        assert_eq!(parse_timestamp("2016-01-01T02:00:01.250+02:00"), Ok(1_451_606_401));
        assert_eq!(parse_timestamp("2016-01-01T00:00:01-01:30"), Ok(1_451_606_401 + 5400));
        assert_eq!(parse_timestamp("2016-01-01"), Ok(1_451_606_400));
        assert_eq!(parse_timestamp("1451606401"), Ok(1_451_606_401));
        assert_eq!(parse_timestamp(" 12 "), Ok(12));
    }

    #[test]
    fn rejects_malformed_input_with_a_reason() {
        for bad in [
            "",
            "yesterday",
            "2016-13-01",
            "2016-02-30",
            "2016-01-01T25:00:00Z",
            "2016-01-01T10:00",
            "2016-01-01T10:00:00+2",
            "2016-01-01T10:00:00.Z",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad} should not parse");
        }
        assert_eq!(parse_date("2024-02-29"), Ok(days_from_civil(2024, 2, 29)));
        assert!(parse_date("2023-02-29").is_err());
    }

    #[test]
    fn non_ascii_text_is_an_error_not_a_panic() {
        // Each puts a multi-byte character across byte 10 (or elsewhere), where the date part
        // used to be cut from the text by byte index.
        for bad in [
            "2026-01-0\u{e9}T10:00:00Z",
            "2026-01-01\u{feff}T10:00:00Z",
            "2026-01-\u{feff}01",
            "\u{feff}2026-01-01T10:00:00Z",
            "2026-01-01T10:00:0\u{e9}Z",
            "2026-01-01T10:00:00.5\u{e9}",
            "2026-01-01T10:00:00+02:0\u{e9}",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
            "12\u{e9}",
            "-\u{e9}",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?} should not parse");
        }
        assert_eq!(parse_timestamp("2026-01-0\u{e9}T10:00:00Z"), Err(TimeError("expected a date as YYYY-MM-DD")));
        assert!(parse_date("2026-01-0\u{e9}").is_err());
    }

    #[test]
    fn formats_utc() {
        assert_eq!(format_timestamp(1_451_606_401), "2016-01-01T00:00:01Z");
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(parse_timestamp(&format_timestamp(-86_399)), Ok(-86_399));
    }
}
