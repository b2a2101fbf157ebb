//! `hdv eval` output: observations as the tables of [`crate::render::tabular`], and the jsonl format
//! of INDICATORS.md (a nested `dims` object, `ci_low`/`ci_high` on differences only).
//! Unrounded and unsuppressed: this is the analysts' view, not a publication.

use crate::observation::Observation;
use crate::render::tabular::{Align, Table, Value};
use serde_json::{Map, json};

/// A figure as JSON, as [`crate::render::tabular`] writes a number (`250`, not `250.0`) or null.
fn number(v: Option<f64>) -> serde_json::Value {
    Value::from(v).json()
}

/// One line of `--format jsonl`.
pub fn jsonl_line(o: &Observation) -> String {
    let mut dims = Map::new();
    if let Some(d) = &o.dim {
        dims.insert(d.name.clone(), serde_json::Value::String(d.value.clone()));
    }
    let mut obj = Map::new();
    obj.insert(
        "indicator".into(),
        serde_json::Value::String(o.indicator.clone()),
    );
    obj.insert("year".into(), json!(o.year));
    obj.insert("dims".into(), serde_json::Value::Object(dims));
    obj.insert("value".into(), number(o.value));
    obj.insert("numerator".into(), number(o.numerator));
    obj.insert("denominator".into(), number(o.denominator));
    // Only differences carry an interval (COHORTS.md); other lines keep their shape.
    if let Some(ci) = &o.interval {
        obj.insert("ci_low".into(), number(ci.low));
        obj.insert("ci_high".into(), number(ci.high));
    }
    serde_json::Value::Object(obj).to_string()
}

/// `--format jsonl`: one line per observation.
pub(crate) fn jsonl(observations: &[Observation]) -> String {
    observations.iter().map(|o| jsonl_line(o) + "\n").collect()
}

/// `--format csv`: a header and one row per observation.
pub(crate) fn csv(observations: &[Observation]) -> String {
    let columns = [
        "indicator",
        "jaar",
        "uitsplitsing",
        "waarde_uitsplitsing",
        "waarde",
        "teller",
        "noemer",
    ];
    let rows = observations
        .iter()
        .map(|o| {
            let (d, v) = o
                .dim
                .as_ref()
                .map(|d| (d.name.as_str(), d.value.as_str()))
                .unwrap_or(("", ""));
            vec![
                Value::Text(o.indicator.clone()),
                Value::Text(o.year.to_string()),
                Value::Text(d.into()),
                Value::Text(v.into()),
                o.value.into(),
                o.numerator.into(),
                o.denominator.into(),
            ]
        })
        .collect();
    Table {
        columns: columns.map(String::from).to_vec(),
        rows,
    }
    .csv()
}

/// A figure in the terminal table: `-` when missing, integral values without a fraction,
/// others rounded to 2 decimals. Not [`crate::number::integral`]: it has no upper bound, so
/// a figure of 9·10¹⁵ or more prints as an integer here, not with `.00`.
fn rounded(v: Option<f64>) -> Value {
    Value::Text(match v {
        None => "-".to_string(),
        Some(x) if x.fract() == 0.0 => format!("{}", x as i64),
        Some(x) => format!("{x:.2}"),
    })
}

/// `--format table`: aligned columns for the terminal, values rounded to 2 decimals.
pub(crate) fn table(observations: &[Observation]) -> String {
    let columns = [
        "indicator",
        "jaar",
        "uitsplitsing",
        "waarde",
        "teller",
        "noemer",
    ];
    let rows = observations
        .iter()
        .map(|o| {
            vec![
                Value::Text(o.indicator.clone()),
                Value::Text(o.year.to_string()),
                Value::Text(
                    o.dim
                        .as_ref()
                        .map(|d| format!("{}={}", d.name, d.value))
                        .unwrap_or_else(|| "totaal".into()),
                ),
                rounded(o.value),
                rounded(o.numerator),
                rounded(o.denominator),
            ]
        })
        .collect();
    let align = [
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
    ];
    Table {
        columns: columns.map(String::from).to_vec(),
        rows,
    }
    .aligned_as(&align)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::Dim;

    #[test]
    fn jsonl_matches_the_contract_example() {
        let o = Observation {
            indicator: "deelname_graad".into(),
            year: 2024,
            dim: Some(Dim {
                name: "gevangenis".into(),
                value: "brugge".into(),
            }),
            value: Some(41.7),
            numerator: Some(250.0),
            denominator: Some(600.0),
            interval: None,
            units: None,
        };
        assert_eq!(
            jsonl_line(&o),
            r#"{"indicator":"deelname_graad","year":2024,"dims":{"gevangenis":"brugge"},"value":41.7,"numerator":250,"denominator":600}"#
        );
        let total = Observation {
            dim: None,
            value: None,
            numerator: None,
            denominator: None,
            ..o
        };
        assert_eq!(
            jsonl_line(&total),
            r#"{"indicator":"deelname_graad","year":2024,"dims":{},"value":null,"numerator":null,"denominator":null}"#
        );
    }

    #[test]
    fn a_difference_carries_its_interval() {
        let o = Observation {
            indicator: "verschil_werk_deelname".into(),
            year: 2022,
            dim: None,
            value: Some(-3.5),
            numerator: None,
            denominator: Some(120.0),
            interval: Some(crate::observation::Interval {
                low: Some(-9.25),
                high: Some(2.0),
            }),
            units: Some(40.0),
        };
        assert_eq!(
            jsonl_line(&o),
            r#"{"indicator":"verschil_werk_deelname","year":2022,"dims":{},"value":-3.5,"numerator":null,"denominator":120,"ci_low":-9.25,"ci_high":2}"#
        );
        let none = Observation {
            value: None,
            denominator: Some(0.0),
            interval: Some(crate::observation::Interval {
                low: None,
                high: None,
            }),
            ..o
        };
        assert_eq!(
            jsonl_line(&none),
            r#"{"indicator":"verschil_werk_deelname","year":2022,"dims":{},"value":null,"numerator":null,"denominator":0,"ci_low":null,"ci_high":null}"#
        );
    }
}
