//! The expected deliveries (`plans/leveringen/verwacht.yaml`): per supplier and source the
//! years for which a delivery must arrive, whether it must (an optional source such as the
//! offer catalogue is only expected with `verplicht: ja`), and by when (`uiterlijk: 31-03`:
//! the delivery of a year is due on that day of the following year).

use crate::contract::Source;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::years::YearRange;
use chrono::NaiveDate;
use serde::Deserialize;

/// One expected delivery series.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub supplier: String,
    pub source: Source,
    pub years: YearRange,
    /// A missing year counts as missing (`ontbreekt`). False for an optional source unless
    /// `verwacht.yaml` says `verplicht: ja`: its years are then shown, never missing.
    pub required: bool,
    /// The due day of a year's delivery: (day, month) of the following year.
    pub due: Option<(u32, u32)>,
}

impl Expected {
    /// The due date of the delivery for `year`, if the series has one.
    pub fn due_date(&self, year: i32) -> Option<NaiveDate> {
        let (d, m) = self.due?;
        NaiveDate::from_ymd_opt(year + 1, m, d)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedYaml {
    leverancier: Suppliers,
    bron: String,
    jaren: Text,
    #[serde(default)]
    verplicht: Option<Text>,
    #[serde(default)]
    uiterlijk: Option<Text>,
}

/// One supplier or a list of them (`[CAW, CGG]`): the same expectation for each.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Suppliers {
    One(String),
    Many(Vec<String>),
}

/// A scalar read as text: `2024`, `2019..2025`, `ja`, `true`, `31-03`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Text {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl Text {
    fn text(&self) -> String {
        match self {
            Text::Bool(b) => b.to_string(),
            Text::Int(i) => i.to_string(),
            Text::Str(s) => s.trim().to_string(),
        }
    }

    /// `ja`/`nee` (or `true`/`false`).
    fn yes_no(&self) -> Option<bool> {
        match self.text().to_lowercase().as_str() {
            "ja" | "true" => Some(true),
            "nee" | "false" => Some(false),
            _ => None,
        }
    }
}

/// `31-03` (or `31/03`): day and month.
fn day_month(text: &str) -> Option<(u32, u32)> {
    let (d, m) = text.trim().split_once(['-', '/'])?;
    let (d, m): (u32, u32) = (d.trim().parse().ok()?, m.trim().parse().ok()?);
    // Any year that has the day: 29-02 is refused (not every year has it).
    NaiveDate::from_ymd_opt(2023, m, d)?;
    Some((d, m))
}

/// Reads `verwacht.yaml` (`text`, shown as `shown`); findings at the line of their item.
pub(crate) fn read(text: &str, shown: &str, diags: &mut Diagnostics) -> Vec<Expected> {
    let Some(list) = crate::yaml::parse_yaml::<Vec<ExpectedYaml>>(text, shown, diags) else {
        return Vec::new();
    };
    let lines: Vec<&str> = text.lines().collect();
    // The line of the n-th list item, for messages.
    let item_line = |n: usize| {
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim_start().starts_with("- "))
            .nth(n)
            .map_or(shown.to_string(), |(i, _)| format!("{shown}:{}", i + 1))
    };
    let mut out = Vec::new();
    for (n, e) in list.into_iter().enumerate() {
        let Some(source) = Source::from_name(e.bron.trim()) else {
            diags.push(Diagnostic::error(
                item_line(n),
                format!(
                    "onbekende bron `{}` (verwacht: {})",
                    e.bron,
                    Source::ALL.map(|s| s.name()).join(", ")
                ),
            ));
            continue;
        };
        let due = match &e.uiterlijk {
            None => None,
            Some(u) => match day_month(&u.text()) {
                Some(dm) => Some(dm),
                None => {
                    diags.push(Diagnostic::error(
                        item_line(n),
                        format!(
                            "uiterlijk: '{}' is geen dag en maand (verwacht bv. 31-03: de levering van een jaar is dan uiterlijk op 31 maart van het jaar erna verwacht; 29-02 kan niet)",
                            u.text()
                        ),
                    ));
                    continue;
                }
            },
        };
        let required = match &e.verplicht {
            None => !source.optional(),
            Some(v) => match v.yes_no() {
                Some(b) => b,
                None => {
                    diags.push(Diagnostic::error(
                        item_line(n),
                        format!("verplicht: '{}' is geen ja of nee", v.text()),
                    ));
                    continue;
                }
            },
        };
        let suppliers = match &e.leverancier {
            Suppliers::One(s) => vec![s.clone()],
            Suppliers::Many(v) => v.clone(),
        };
        match e.jaren.text().parse::<YearRange>() {
            Ok(years) => out.extend(suppliers.iter().map(|s| Expected {
                supplier: s.trim().to_string(),
                source,
                years,
                required,
                due,
            })),
            Err(m) => diags.push(Diagnostic::error(item_line(n), format!("jaren: {m}"))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_dates_fall_in_the_following_year() {
        let mut diags = Diagnostics::new();
        let e = read(
            "- leverancier: CAW\n  bron: trajecten\n  jaren: 2023..2024\n  uiterlijk: 31-03\n- leverancier: ACSY\n  bron: aanbod\n  jaren: 2024\n- leverancier: ACSY\n  bron: aanbod\n  jaren: 2024\n  verplicht: ja\n- leverancier: [CAW, CGG]\n  bron: aanvragen\n  jaren: 2024\n",
            "verwacht.yaml",
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags}");
        assert_eq!(e[0].due_date(2024), NaiveDate::from_ymd_opt(2025, 3, 31));
        assert!(e[0].required);
        // The offer catalogue is optional: expected only when the file says so.
        assert!(!e[1].required && e[2].required);
        assert_eq!(e[1].due_date(2024), None);
        // A list of suppliers: one series each.
        assert_eq!(
            e[3..]
                .iter()
                .map(|x| x.supplier.as_str())
                .collect::<Vec<_>>(),
            ["CAW", "CGG"]
        );
        read(
            "- leverancier: CAW\n  bron: trajecten\n  jaren: 2024\n  uiterlijk: 29-02\n",
            "verwacht.yaml",
            &mut diags,
        );
        assert!(
            diags
                .to_string()
                .starts_with("fout: verwacht.yaml:1: uiterlijk: '29-02' is geen dag en maand"),
            "{diags}"
        );
    }
}
