//! How a number is written as text in outputs and messages: an integral value without a
//! fraction (`250`, not `250.0`), as long as it is exact as an integer; and how a date is
//! written for a Dutch reader (`22 december 2023` in text, `22/12/2023` in a table).

/// An integral float as an integer (`250.0` → `250`): `None` for a fraction, for values too
/// large to be exact as an integer (|x| ≥ 9·10¹⁵) and for NaN and infinities.
pub(crate) fn integral(x: f64) -> Option<i64> {
    (x.fract() == 0.0 && x.abs() < 9e15).then_some(x as i64)
}

/// A number as text: integral values without a fraction (`250`, not `250.0`; `-0.0` is `0`),
/// others as Rust prints them (`41.7`).
pub(crate) fn number_text(x: f64) -> String {
    match integral(x) {
        Some(i) => i.to_string(),
        None => format!("{x}"),
    }
}

/// The names of the months, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date in running text: `22 december 2023`.
pub(crate) fn nl_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// A date in a table cell: `22/12/2023`.
pub(crate) fn nl_date_short(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}
