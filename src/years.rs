//! Years and year ranges as given on the command line: `2024` or `2019..2025` (both included).

use chrono::{Datelike, NaiveDate};
use datafusion::arrow::array::{Date32Array, Int32Array};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    pub first: i32,
    pub last: i32,
}

impl YearRange {
    pub(crate) fn single(year: i32) -> Self {
        YearRange {
            first: year,
            last: year,
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = i32> + use<> {
        self.first..=self.last
    }

    pub(crate) fn contains(&self, year: i32) -> bool {
        (self.first..=self.last).contains(&year)
    }
}

impl FromStr for YearRange {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parse = |t: &str| -> Result<i32, String> {
            let t = t.trim();
            match t.parse::<i32>() {
                Ok(y) if (1900..=2100).contains(&y) => Ok(y),
                _ => Err(format!(
                    "'{t}' is geen geldig jaar (verwacht bv. 2024 of 2019..2025)"
                )),
            }
        };
        let range = match s.split_once("..") {
            Some((a, b)) => YearRange {
                first: parse(a)?,
                last: parse(b.strip_prefix('=').unwrap_or(b))?,
            },
            None => YearRange::single(parse(s)?),
        };
        if range.first > range.last {
            return Err(format!("'{s}': het eerste jaar ligt na het laatste jaar"));
        }
        Ok(range)
    }
}

/// One year on the command line (`--year 2024`): a Dutch message for `abc`, `2147483648`
/// or a year outside 1900-2100.
pub(crate) fn parse_year(s: &str) -> Result<i32, String> {
    match s.parse::<YearRange>() {
        Ok(r) if r.first == r.last => Ok(r.first),
        Ok(_) => Err(format!(
            "'{s}' is een bereik; hier wordt één jaar verwacht (bv. 2024)"
        )),
        Err(_) => Err(format!(
            "'{}' is geen geldig jaar (verwacht bv. 2024)",
            s.trim()
        )),
    }
}

/// Years as runs, `2019-2021, 2024` (consecutive years joined), or `none` for no year.
pub(crate) fn runs(years: impl IntoIterator<Item = i32>, none: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut it = years.into_iter().peekable();
    while let Some(start) = it.next() {
        let mut end = start;
        while it.peek() == Some(&(end + 1)) {
            end = it.next().expect("peeked");
        }
        out.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    if out.is_empty() {
        none.to_string()
    } else {
        out.join(", ")
    }
}

impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}..{}", self.first, self.last)
        }
    }
}

/// First and last day of a calendar year.
pub(crate) fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year"),
    )
}

/// Days since 1970-01-01 (Arrow's Date32).
pub(crate) fn date32(d: NaiveDate) -> i32 {
    d.num_days_from_ce() - 719_163
}

/// The date of a Date32 value (days since 1970-01-01): the inverse of [`date32`].
pub fn from_date32(days: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(days + 719_163).expect("date in range")
}

/// The calendar year of every date in `days` (Date32; nulls stay null), as Arrow's
/// `date_part(.., Year)` gives it. A source column has hundreds of thousands of dates and a
/// few dozen years: a binary search over the first days of those years replaces a calendar
/// computation per row.
pub(crate) fn years_of(days: &Date32Array) -> Int32Array {
    use datafusion::arrow::compute::{max, min};
    let year =
        |d: i32| NaiveDate::from_num_days_from_ce_opt(d.checked_add(719_163)?).map(|d| d.year());
    let (Some(first), Some(last)) = (min(days).and_then(year), max(days).and_then(year)) else {
        return Int32Array::new_null(days.len());
    };
    // 1 January of every year after the first, as day numbers.
    let starts: Vec<i32> = (first + 1..=last)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1).map(date32))
        .collect();
    days.unary(|d| first + starts.partition_point(|&s| s <= d) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_of_dates_are_the_calendar_years() {
        use datafusion::arrow::array::{Array, AsArray};
        use datafusion::arrow::compute::kernels::temporal::{DatePart, date_part};
        use datafusion::arrow::datatypes::Int32Type;
        // Every day from 1899 to 2101 (leap years, 1900 and 2000, days before 1970), and nulls.
        let days: Date32Array = (date32(d(1899, 1, 1))..=date32(d(2101, 12, 31)))
            .map(|x| (x % 97 != 0).then_some(x))
            .collect();
        let expected = date_part(&days, DatePart::Year).unwrap();
        assert_eq!(&years_of(&days), expected.as_primitive::<Int32Type>());
        assert_eq!(
            years_of(&Date32Array::from(vec![None, None])).null_count(),
            2
        );
        assert_eq!(years_of(&Date32Array::from(Vec::<i32>::new())).len(), 0);
        let one = years_of(&Date32Array::from(vec![date32(d(2024, 12, 31))]));
        assert_eq!(one.value(0), 2024);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date32_round_trips() {
        assert_eq!(date32(d(1970, 1, 1)), 0);
        assert_eq!(date32(d(1970, 1, 2)), 1);
        assert_eq!(from_date32(date32(d(2024, 12, 31))), d(2024, 12, 31));
    }

    #[test]
    fn parses_single_year_and_range() {
        assert_eq!(
            "2024".parse::<YearRange>().unwrap(),
            YearRange::single(2024)
        );
        let r: YearRange = "2019..2025".parse().unwrap();
        assert_eq!((r.first, r.last), (2019, 2025));
        assert_eq!(r.iter().count(), 7);
        let r: YearRange = "2019..=2020".parse().unwrap();
        assert_eq!((r.first, r.last), (2019, 2020));
    }

    #[test]
    fn rejects_bad_years() {
        assert!("2025..2019".parse::<YearRange>().is_err());
        assert!("twintig".parse::<YearRange>().is_err());
        assert!("20244".parse::<YearRange>().is_err());
    }
}
