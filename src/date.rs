//! Calendar dates as written in front matter (`YYYY-MM-DD`): parsing that
//! rejects impossible dates, adding months for review periods, and the long
//! British form ("26 November 2026") the theme shows.

use std::fmt;

/// A valid Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not in `YYYY-MM-DD` form.
    Format,
    /// In the right form but not a day that exists.
    Impossible,
}

impl Date {
    /// Parses `YYYY-MM-DD` exactly.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        if b.len() != 10
            || b[4] != b'-'
            || b[7] != b'-'
            || !b
                .iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| -> u16 {
            b[r].iter().fold(0u16, |n, c| n * 10 + u16::from(c - b'0'))
        };
        let (year, month, day) = (num(0..4), num(5..7), num(8..10));
        if !(1..=12).contains(&month) || year == 0 {
            return Err(DateError::Impossible);
        }
        let month = month as u8;
        if day == 0 || day > u16::from(days_in_month(year, month)) {
            return Err(DateError::Impossible);
        }
        Ok(Date {
            year,
            month,
            day: day as u8,
        })
    }

    /// Parses the start of a file name like `2026-11-01-slug`, returning the
    /// date and the rest of the name after the dash.
    pub fn split_prefix(name: &str) -> Option<(Date, &str)> {
        let date = Date::parse(name.get(..10)?).ok()?;
        let rest = name.get(10..)?.strip_prefix('-')?;
        (!rest.is_empty()).then_some((date, rest))
    }

    /// This date plus `months` calendar months, clamping the day to the
    /// target month's length (31 January + 1 month = 28 or 29 February).
    pub fn add_months(self, months: u32) -> Date {
        let total = u32::from(self.month) - 1 + months;
        let year = (u32::from(self.year) + total / 12).min(9999) as u16;
        let month = (total % 12) as u8 + 1;
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// The date `days` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(1, 9999) as u16;
        Date { year, month, day }
    }

    /// Today's date in UTC.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_unix_days((secs / 86_400) as i64)
    }

    /// The date a build is for: `explicit` (`--date`), else
    /// `PESTLE_TODAY=YYYY-MM-DD`, else `SOURCE_DATE_EPOCH` (seconds since
    /// 1970, the reproducible-builds convention), else today in UTC. Banners
    /// and review dates follow it, so a build is repeatable for a given date.
    pub fn for_build(explicit: Option<Date>) -> Result<Date, String> {
        if let Some(d) = explicit {
            return Ok(d);
        }
        let var = crate::config::env_setting;
        if let Some(v) = var("PESTLE_TODAY") {
            return Date::parse(v.trim()).map_err(|_| {
                format!(
                    "PESTLE_TODAY is `{}`, which is not a date: write it as YYYY-MM-DD, like PESTLE_TODAY=2026-11-26",
                    v.escape_debug()
                )
            });
        }
        if let Some(v) = var("SOURCE_DATE_EPOCH") {
            return v
                .trim()
                .parse::<i64>()
                .map(|secs| Date::from_unix_days(secs.div_euclid(86_400)))
                .map_err(|_| {
                    format!(
                        "SOURCE_DATE_EPOCH is `{}`, which is not a number of seconds since 1970-01-01",
                        v.escape_debug()
                    )
                });
        }
        Ok(Date::today())
    }

    /// "26 November 2026".
    pub fn long(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month) - 1],
            self.year
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_rejects_impossible_dates() {
        assert_eq!(
            Date::parse("2024-02-29").map(|d| d.to_string()),
            Ok("2024-02-29".into())
        );
        assert_eq!(Date::parse("2026-02-29"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2026-13-01"), Err(DateError::Impossible));
        assert_eq!(Date::parse("2026-1-01"), Err(DateError::Format));
        assert_eq!(Date::parse("26 Nov 2026"), Err(DateError::Format));
    }

    #[test]
    fn adds_months_clamping_the_day() {
        let d = Date::parse("2026-01-31").unwrap_or_else(|_| unreachable!());
        assert_eq!(d.add_months(1).to_string(), "2026-02-28");
        assert_eq!(d.add_months(12).to_string(), "2027-01-31");
        assert_eq!(d.add_months(25).to_string(), "2028-02-29");
        assert_eq!(d.long(), "31 January 2026");
    }

    #[test]
    fn converts_unix_days_to_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_418).to_string(), "2025-11-26");
        assert_eq!(Date::from_unix_days(19_782).to_string(), "2024-02-29");
    }

    #[test]
    fn splits_date_prefixed_file_names() {
        let (d, rest) = Date::split_prefix("2026-11-01-pqs-news").unwrap_or_else(|| unreachable!());
        assert_eq!((d.to_string().as_str(), rest), ("2026-11-01", "pqs-news"));
        assert!(Date::split_prefix("2026-11-01").is_none());
        assert!(Date::split_prefix("tokens").is_none());
    }
}
