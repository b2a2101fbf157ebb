//! `hdv eval` output: the jsonl format of INDICATORS.md, CSV and a plain table.
//! Unrounded and unsuppressed: this is the analysts' view, not a publication.

use super::Observation;
use serde_json::{Map, Value, json};

/// A number as JSON: integral values without a fraction (`250`, not `250.0`).
fn number(v: Option<f64>) -> Value {
    match v {
        None => Value::Null,
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => json!(x as i64),
        Some(x) => json!(x),
    }
}

/// One line of `--format jsonl`.
pub fn jsonl_line(o: &Observation) -> String {
    let mut dims = Map::new();
    if let Some(d) = &o.dim {
        dims.insert(d.name.clone(), Value::String(d.value.clone()));
    }
    let mut obj = Map::new();
    obj.insert("indicator".into(), Value::String(o.indicator.clone()));
    obj.insert("year".into(), json!(o.year));
    obj.insert("dims".into(), Value::Object(dims));
    obj.insert("value".into(), number(o.value));
    obj.insert("numerator".into(), number(o.numerator));
    obj.insert("denominator".into(), number(o.denominator));
    // Only differences carry an interval (COHORTS.md); other lines keep their shape.
    if let Some(ci) = &o.interval {
        obj.insert("ci_low".into(), number(ci.low));
        obj.insert("ci_high".into(), number(ci.high));
    }
    Value::Object(obj).to_string()
}

fn plain(v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => format!("{}", x as i64),
        Some(x) => format!("{x}"),
    }
}

/// `--format csv`: a header and one row per observation.
pub(crate) fn csv(observations: &[Observation]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "indicator",
        "jaar",
        "uitsplitsing",
        "waarde_uitsplitsing",
        "waarde",
        "teller",
        "noemer",
    ])
    .expect("in-memory write");
    for o in observations {
        let (d, v) = o
            .dim
            .as_ref()
            .map(|d| (d.name.as_str(), d.value.as_str()))
            .unwrap_or(("", ""));
        w.write_record([
            o.indicator.as_str(),
            &o.year.to_string(),
            d,
            v,
            &plain(o.value),
            &plain(o.numerator),
            &plain(o.denominator),
        ])
        .expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory write")).expect("utf-8")
}

/// `--format table`: aligned columns for the terminal, values rounded to 2 decimals.
pub(crate) fn table(observations: &[Observation]) -> String {
    let round = |v: Option<f64>| match v {
        None => "-".to_string(),
        Some(x) if x.fract() == 0.0 => format!("{}", x as i64),
        Some(x) => format!("{x:.2}"),
    };
    let mut rows = vec![[
        "indicator".to_string(),
        "jaar".into(),
        "uitsplitsing".into(),
        "waarde".into(),
        "teller".into(),
        "noemer".into(),
    ]];
    for o in observations {
        rows.push([
            o.indicator.clone(),
            o.year.to_string(),
            o.dim
                .as_ref()
                .map(|d| format!("{}={}", d.name, d.value))
                .unwrap_or_else(|| "totaal".into()),
            round(o.value),
            round(o.numerator),
            round(o.denominator),
        ]);
    }
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut s = String::new();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(c, v)| {
                if c >= 3 {
                    format!("{v:>w$}", w = widths[c])
                } else {
                    format!("{v:<w$}", w = widths[c])
                }
            })
            .collect();
        s.push_str(cells.join("  ").trim_end());
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Dim;

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
            interval: Some(crate::engine::Interval {
                low: Some(-9.25),
                high: Some(2.0),
            }),
        };
        assert_eq!(
            jsonl_line(&o),
            r#"{"indicator":"verschil_werk_deelname","year":2022,"dims":{},"value":-3.5,"numerator":null,"denominator":120,"ci_low":-9.25,"ci_high":2}"#
        );
        let none = Observation {
            value: None,
            denominator: Some(0.0),
            interval: Some(crate::engine::Interval {
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
