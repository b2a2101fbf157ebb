//! How a number is written as text in outputs and messages: an integral value without a
//! fraction (`250`, not `250.0`), as long as it is exact as an integer.

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
