//! Parsing single cell values by the rules of DATA.md: dates, yes/no, decimals, integers,
//! codes. Shared by the workbook, CSV and Parquet readers.

use crate::number::number_text;
use chrono::NaiveDate;
use std::borrow::Cow;

/// A cell as a reader sees it, before it is typed by the contract column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    /// An Excel date cell (time of day already dropped).
    Date(NaiveDate),
    /// An Excel cell holding only a time of day (a serial below 1 with a time format), as
    /// shown (`12:00`): no date.
    Time(String),
    Bool(bool),
    /// A spreadsheet error value such as `#DIV/0!`.
    Error(String),
}

impl Cell<'_> {
    /// True when the cell holds nothing (also: only spaces).
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as the user sees it, for messages (`'31/02/2024'`).
    pub(crate) fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::Time(t) => t.clone(),
            Cell::Bool(true) => "WAAR".into(),
            Cell::Bool(false) => "ONWAAR".into(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A text date: `yyyy-mm-dd` or `d/m/yyyy` (day and month with one or two digits),
/// surrounding spaces ignored. Impossible dates (`2023-02-30`) give `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let nums = |parts: &[&str]| -> Option<Vec<u32>> {
        parts
            .iter()
            .map(|p| {
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    p.parse().ok()
                }
            })
            .collect()
    };
    if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
        let v = nums(&[&t[0..4], &t[5..7], &t[8..10]])?;
        return NaiveDate::from_ymd_opt(v[0] as i32, v[1], v[2]);
    }
    let parts: Vec<&str> = t.split('/').collect();
    if parts.len() == 3
        && (1..=2).contains(&parts[0].len())
        && (1..=2).contains(&parts[1].len())
        && parts[2].len() == 4
    {
        let v = nums(&parts)?;
        return NaiveDate::from_ymd_opt(v[2] as i32, v[1], v[0]);
    }
    None
}

/// `ja` / `nee` in any case.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("ja") {
        Some(true)
    } else if t.eq_ignore_ascii_case("nee") {
        Some(false)
    } else {
        None
    }
}

/// A decimal with a point, or with a comma when `comma` (a `;`-separated CSV). No thousands
/// separators, no exponent, no spaces inside.
pub fn parse_decimal(text: &str, comma: bool) -> Option<f64> {
    let t = text.trim();
    let t: Cow<str> = if comma && t.contains(',') {
        if t.contains('.') {
            return None;
        }
        Cow::Owned(t.replacen(',', ".", 1))
    } else {
        Cow::Borrowed(t)
    };
    let body = t
        .strip_prefix('-')
        .or_else(|| t.strip_prefix('+'))
        .unwrap_or(&t);
    let mut parts = body.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let ok = match frac {
        None => digits(int),
        Some(f) => (digits(int) && (f.is_empty() || digits(f))) || (int.is_empty() && digits(f)),
    };
    if !ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number (`2024`, also `2024.0` from a number cell).
pub(crate) fn parse_integer(text: &str) -> Option<i32> {
    let t = text.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub(crate) fn col_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_both_text_forms() {
        assert_eq!(parse_date("2024-02-29"), Some(d(2024, 2, 29)));
        assert_eq!(parse_date(" 1/3/2024 "), Some(d(2024, 3, 1)));
        assert_eq!(parse_date("01/03/2024"), Some(d(2024, 3, 1)));
        assert_eq!(parse_date("29/2/2020"), Some(d(2020, 2, 29)));
    }

    #[test]
    fn impossible_and_other_dates_are_refused() {
        assert_eq!(parse_date("2023-02-29"), None, "2023 is no leap year");
        assert_eq!(parse_date("2023-02-30"), None);
        assert_eq!(parse_date("31/02/2024"), None);
        assert_eq!(parse_date("45000"), None, "a plain number is no date");
        assert_eq!(parse_date("2024/03/01"), None);
        assert_eq!(parse_date("1-3-2024"), None);
        assert_eq!(parse_date("2024-3-1"), None);
        assert_eq!(parse_date("001/3/2024"), None);
        assert_eq!(parse_date("1/3/24"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("+1/3/2024"), None);
    }

    #[test]
    fn yes_no_any_case() {
        assert_eq!(parse_yes_no("JA"), Some(true));
        assert_eq!(parse_yes_no(" Nee "), Some(false));
        assert_eq!(parse_yes_no("j"), None);
        assert_eq!(parse_yes_no("yes"), None);
    }

    #[test]
    fn decimals_point_or_comma() {
        assert_eq!(parse_decimal("12.5", false), Some(12.5));
        assert_eq!(parse_decimal("12,5", true), Some(12.5));
        assert_eq!(parse_decimal("12,5", false), None);
        assert_eq!(
            parse_decimal("1.234,5", true),
            None,
            "no thousands separators"
        );
        assert_eq!(parse_decimal("1,234.5", false), None);
        assert_eq!(parse_decimal("-3", false), Some(-3.0));
        assert_eq!(parse_decimal("1e3", false), None);
        assert_eq!(parse_decimal("12 500", false), None);
        assert_eq!(parse_decimal("", false), None);
        assert_eq!(parse_decimal("NaN", false), None);
    }

    #[test]
    fn integers() {
        assert_eq!(parse_integer("2024"), Some(2024));
        assert_eq!(parse_integer("2024.5"), None);
        assert_eq!(parse_integer("twee"), None);
        assert_eq!(number_text(12345.0), "12345");
        assert_eq!(number_text(12.5), "12.5");
    }
}
