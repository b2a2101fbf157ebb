//! Checks across sources (DHIS2 calls them validation rules), declared in
//! `plans/controles.yaml`: per rule an id, a Dutch message, a severity (`fout` or
//! `waarschuwing`), the sources it reads and one read-only SQL query over the registered tables
//! that returns the offending rows. Only the number of rows is kept, per `gevangenis`,
//! `partner` and `jaar` when the query returns those columns: no other column of the result
//! (and so never `persoon_id`) leaves this module.
//!
//! The query may use the parameter `$peildatum` (a date): the reference date of the run, the
//! day of the run for `hdv check` and 31 December of the report year for the yearly report.
//!
//! Each rule declares the source that answers for what it finds (`verantwoordelijk`): every row
//! found becomes a finding of the delivery of that source that holds it, so it can be sent
//! back to its partner like a finding about a cell. The query returns `rij` (the row of that
//! source) to name the row; without it the row is placed by its `gevangenis`, `partner` and
//! `jaar` in the delivery covering that cell. A query over several sources may return `bron`,
//! the answerable source of each row.

use crate::cache::Cache;
use crate::contract::Source;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::register::Inputs;
use chrono::NaiveDate;
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::ScalarValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The file of the rules under the project's `plans/`.
pub(crate) const FILE: &str = "controles.yaml";

/// How serious a rule's findings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ernst {
    /// The data contradict each other: `hdv check` exits with code 1.
    Fout,
    /// Worth a look (e.g. a count far from its own history); `check` still succeeds.
    Waarschuwing,
}

/// One rule as declared in YAML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    /// A short Dutch title for tables.
    pub titel: String,
    /// The Dutch message: what the offending rows have in common.
    pub melding: String,
    pub ernst: Ernst,
    /// The sources the query reads; without one of them the rule is skipped, as indicators are.
    pub bronnen: Vec<String>,
    /// One read-only SELECT returning the offending rows.
    pub sql: String,
    /// The source that answers for the rows found: each becomes a finding of the delivery
    /// that holds it (its partner's feedback).
    pub verantwoordelijk: String,
    /// What the partner should check or change, in plain words (the feedback workbook); the
    /// message is used without it.
    #[serde(default)]
    pub terugkoppeling: Option<String>,
    /// The column of the answerable source a finding points at (its cell in the partner's
    /// file); without it, the row.
    #[serde(default)]
    pub kolom: Option<String>,
    /// Where the rule comes from (`plans/controles.yaml:12`), for messages.
    #[serde(skip)]
    pub location: String,
}

/// The number of offending rows of one prison, partner and year (each when the query gives it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub prison: Option<String>,
    pub partner: Option<String>,
    pub year: Option<i32>,
    pub rows: usize,
}

/// One row a rule found, placed in the delivery that answers for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub prison: Option<String>,
    pub partner: Option<String>,
    pub year: Option<i32>,
    /// The delivery of the answerable source that holds the row (its name), when known.
    pub delivery: Option<String>,
    /// The row within that delivery (0-based, in its batch order), when the query named it.
    pub row: Option<usize>,
}

/// The outcome of one rule.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub message: String,
    pub severity: Severity,
    /// Sources the rule needs that are missing: the rule did not run.
    pub missing: Vec<Source>,
    /// Counts per prison, partner and year, in that order; empty when nothing was found.
    pub counts: Vec<Count>,
    /// Every row found, with its delivery.
    pub found: Vec<Found>,
    /// What the partner should check or change (`terugkoppeling`).
    pub advice: Option<String>,
    /// The column a finding points at (`kolom`).
    pub column: Option<String>,
    /// Rows found that a data steward accepted (`plans/aanvaard.yaml`): shown, not counted.
    pub accepted: Vec<AcceptedFound>,
}

/// A row found that an entry of the accepted findings covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedFound {
    pub found: Found,
    pub reason: String,
    pub until: NaiveDate,
    /// The entry that accepts it (`plans/aanvaard.yaml:12`).
    pub entry: String,
}

impl Outcome {
    pub fn total(&self) -> usize {
        self.counts.iter().map(|c| c.rows).sum()
    }

    /// Only the counts of `year` (and those without a year).
    pub fn for_year(mut self, year: i32) -> Outcome {
        self.counts.retain(|c| c.year.is_none_or(|y| y == year));
        self.found.retain(|c| c.year.is_none_or(|y| y == year));
        self.accepted
            .retain(|a| a.found.year.is_none_or(|y| y == year));
        self
    }

    /// The accepted rows per delivery and reason: (delivery, reason, until, rows), in order.
    pub fn accepted_groups(&self) -> Vec<(String, String, NaiveDate, usize)> {
        let mut out: Vec<(String, String, NaiveDate, usize)> = Vec::new();
        for a in &self.accepted {
            let d = a.found.delivery.clone().unwrap_or_default();
            match out
                .iter_mut()
                .find(|(x, r, u, _)| *x == d && *r == a.reason && *u == a.until)
            {
                Some(g) => g.3 += 1,
                None => out.push((d, a.reason.clone(), a.until, 1)),
            }
        }
        out
    }

    /// Counts per prison and partner over all years.
    pub(crate) fn by_prison_and_partner(&self) -> Vec<Count> {
        tally(
            self.counts
                .iter()
                .map(|c| ((c.prison.clone(), c.partner.clone(), None), c.rows)),
        )
    }
}

/// Prison, partner and year of a count.
type Key = (Option<String>, Option<String>, Option<i32>);

/// The sum of the rows per key, in key order.
fn tally(items: impl Iterator<Item = (Key, usize)>) -> Vec<Count> {
    let mut m: BTreeMap<Key, usize> = BTreeMap::new();
    for (k, n) in items {
        *m.entry(k).or_default() += n;
    }
    m.into_iter()
        .map(|((prison, partner, year), rows)| Count {
            prison,
            partner,
            year,
            rows,
        })
        .collect()
}

/// Reads the rules of the project under `root`; no file means no rules.
pub fn load_rules(root: &Path) -> Result<Vec<Rule>, Diagnostics> {
    let path = root.join("plans").join(FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut diags = Diagnostics::new();
    let Some((text, shown)) = crate::yaml::read_yaml_file(&path, &mut diags) else {
        return Err(diags);
    };
    let Some(mut rules) = crate::yaml::parse_yaml::<Vec<Rule>>(&text, &shown, &mut diags) else {
        return Err(diags);
    };
    let mut seen = std::collections::HashSet::new();
    // Each rule's line: its `id:` line, searched after the previous rule's.
    let lines: Vec<&str> = text.lines().collect();
    let mut from = 0;
    for r in &mut rules {
        let key = format!("id: {}", r.id);
        if let Some(i) = (from..lines.len()).find(|&i| {
            let l = lines[i].trim_start().trim_start_matches("- ").trim();
            l == key
        }) {
            from = i + 1;
        }
        r.location = format!("{shown}:{}", from.max(1));
        if !seen.insert(r.id.clone()) {
            diags.push(Diagnostic::error(
                r.location.clone(),
                format!("controle `{}` komt twee keer voor", r.id),
            ));
        }
        for b in &r.bronnen {
            if Source::from_name(b).is_none() {
                diags.push(Diagnostic::error(
                    r.location.clone(),
                    format!(
                        "controle `{}`: onbekende bron `{b}` in bronnen (mogelijk: {})",
                        r.id,
                        Source::ALL.map(|s| s.name()).join(", ")
                    ),
                ));
            }
        }
        if !r.bronnen.iter().any(|b| b == r.verantwoordelijk.trim()) {
            diags.push(Diagnostic::error(
                r.location.clone(),
                format!(
                    "controle `{}`: verantwoordelijk `{}` is geen van de bronnen van de controle ({}); noem de bron die antwoordt voor de gevonden rijen",
                    r.id,
                    r.verantwoordelijk,
                    r.bronnen.join(", ")
                ),
            ));
        }
        if let Some(k) = &r.kolom
            && let Some(s) = Source::from_name(r.verantwoordelijk.trim())
            && !s.columns().iter().any(|c| c.name == k.trim())
        {
            diags.push(Diagnostic::error(
                r.location.clone(),
                format!(
                    "controle `{}`: kolom `{k}` is geen kolom van bron {s}",
                    r.id
                ),
            ));
        }
        if let Err(e) = crate::query::check_read_only(&r.sql) {
            diags.push(Diagnostic::error(
                r.location.clone(),
                format!("controle `{}`: {e}", r.id),
            ));
        }
    }
    diags.into_result().map(|_| rules)
}

/// Runs every rule on the registered tables with `$peildatum` = `reference`. A rule whose SQL
/// fails is an error naming the rule.
pub(crate) async fn run(
    inputs: &Inputs,
    rules: &[Rule],
    reference: NaiveDate,
    cache: Option<&Cache>,
) -> Result<Vec<Outcome>, Diagnostics> {
    let model_key = cache.map(|_| crate::engine::model_key(&inputs.model));
    let cache = cache.zip(model_key.as_deref());
    // The rules run side by side, like the indicators.
    let results =
        futures::future::join_all(rules.iter().map(|r| run_one(inputs, r, reference, cache))).await;
    let mut out = Vec::new();
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(o) => out.push(o),
            Err(d) => diags.push(d),
        }
    }
    diags.into_result().map(|_| out)
}

/// Bump when the counts for the same inputs could change.
// 2: every row found, with the delivery that answers for it.
const CACHE_VERSION: &str = "2";

async fn run_one(
    inputs: &Inputs,
    r: &Rule,
    reference: NaiveDate,
    cache: Option<(&Cache, &str)>,
) -> Result<Outcome, Diagnostic> {
    let missing = inputs.sources.absent(&r.bronnen);
    let mut outcome = Outcome {
        id: r.id.clone(),
        title: r.titel.trim().to_string(),
        message: r.melding.trim().to_string(),
        severity: match r.ernst {
            Ernst::Fout => Severity::Error,
            Ernst::Waarschuwing => Severity::Warning,
        },
        missing,
        counts: Vec::new(),
        found: Vec::new(),
        advice: r.terugkoppeling.as_ref().map(|t| t.trim().to_string()),
        column: r.kolom.as_ref().map(|k| k.trim().to_string()),
        accepted: Vec::new(),
    };
    if !outcome.missing.is_empty() {
        return Ok(outcome);
    }
    // The counts are a function of the query, the reference date, the model tables and the
    // sources the query reads: cached like the indicators' figures.
    let key = cache.map(|(c, model_key)| {
        let key = crate::cache::Key::new()
            .part(CACHE_VERSION)
            .part(&r.sql)
            .part(reference.to_string())
            .part(crate::engine::inputs_key(inputs, model_key, &r.sql))
            .finish("controle");
        (c, key)
    });
    if let Some(hit) = key.as_ref().and_then(|(c, k)| c.get_json::<Vec<Found>>(k)) {
        outcome.counts = counts(&hit);
        outcome.found = hit;
        return Ok(outcome);
    }
    let params = if r.sql.contains("$peildatum") {
        vec![(
            "peildatum",
            ScalarValue::Date32(Some(crate::years::date32(reference))),
        )]
    } else {
        Vec::new()
    };
    let answerable = Source::from_name(r.verantwoordelijk.trim());
    outcome.found = crate::engine::run_sql(&inputs.ctx, &r.sql, params)
        .await
        .and_then(|batches| rows_found(&batches, &inputs.sources, answerable))
        .map_err(|e| Diagnostic::error(r.location.clone(), format!("controle `{}`: {e}", r.id)))?;
    outcome.counts = counts(&outcome.found);
    if let Some((c, k)) = key {
        // A cache that cannot be written only costs speed next time.
        if let Err(e) = c.put_json(&k, &outcome.found) {
            eprintln!("waarschuwing: {e}");
        }
    }
    Ok(outcome)
}

/// The counts per prison, partner and year of the rows found.
pub(crate) fn counts(found: &[Found]) -> Vec<Count> {
    tally(
        found
            .iter()
            .map(|f| ((f.prison.clone(), f.partner.clone(), f.year), 1)),
    )
}

/// The delivery of `source` covering the cell of `year` and `prison` whose supplier is
/// `partner` (ignoring case), else the first delivery covering that year and prison.
fn delivery_of_cell(
    sources: &crate::load::Sources,
    source: Source,
    prison: Option<&str>,
    partner: Option<&str>,
    year: Option<i32>,
) -> Option<String> {
    let (prison, year) = (prison?, year?);
    let covering: Vec<&crate::load::Delivery> = sources
        .deliveries
        .iter()
        .filter(|d| d.source == source && d.active())
        .filter(|d| {
            d.counts.keys().any(|c| {
                c.year == year && c.prison == prison && !d.replaced.iter().any(|r| r.cell == *c)
            })
        })
        .collect();
    covering
        .iter()
        .find(|d| partner.is_some_and(|p| d.suppliers.iter().any(|s| s.eq_ignore_ascii_case(p))))
        .or(covering.first())
        .map(|d| d.name.clone())
}

/// Every result row with its `gevangenis`, `partner` and `jaar` (each only when present),
/// placed in the delivery of the answerable source (`bron` in the row, else `answerable`) that
/// holds it: by its `rij`, or by its cell.
fn rows_found(
    batches: &[datafusion::arrow::record_batch::RecordBatch],
    sources: &crate::load::Sources,
    answerable: Option<Source>,
) -> Result<Vec<Found>, String> {
    let mut found: Vec<Found> = Vec::new();
    for b in batches {
        let text = |name: &str| -> Result<Option<Vec<Option<String>>>, String> {
            let Some(c) = b.column_by_name(name) else {
                return Ok(None);
            };
            let c = cast(c, &DataType::Utf8)
                .map_err(|e| format!("kolom `{name}` is geen tekst: {e}"))?;
            Ok(Some(
                c.as_string::<i32>()
                    .iter()
                    .map(|s| s.map(str::to_string))
                    .collect(),
            ))
        };
        let prison = text("gevangenis")?;
        let partner = text("partner")?;
        let year = match b.column_by_name("jaar") {
            None => None,
            Some(c) => {
                let c = cast(c, &DataType::Int64)
                    .map_err(|e| format!("kolom `jaar` is geen geheel getal: {e}"))?;
                let a = c.as_primitive::<Int64Type>();
                Some(
                    (0..a.len())
                        .map(|i| (!a.is_null(i)).then(|| a.value(i) as i32))
                        .collect::<Vec<_>>(),
                )
            }
        };
        let bron = text("bron")?;
        let rij = match b.column_by_name("rij") {
            None => None,
            Some(c) => {
                let c = cast(c, &DataType::Int64)
                    .map_err(|e| format!("kolom `rij` is geen geheel getal: {e}"))?;
                let a = c.as_primitive::<Int64Type>();
                Some(
                    (0..a.len())
                        .map(|i| (!a.is_null(i)).then(|| a.value(i)))
                        .collect::<Vec<_>>(),
                )
            }
        };
        for i in 0..b.num_rows() {
            let prison = prison.as_ref().and_then(|v| v[i].clone());
            let partner = partner.as_ref().and_then(|v| v[i].clone());
            let year = year.as_ref().and_then(|v| v[i]);
            let source = bron
                .as_ref()
                .and_then(|v| v[i].as_deref())
                .and_then(Source::from_name)
                .or(answerable);
            let at = source.and_then(|s| {
                let r = rij.as_ref().and_then(|v| v[i])?;
                let (d, row) = sources.get(s)?.locate(usize::try_from(r).ok()?)?;
                Some((d.to_string(), row))
            });
            let (delivery, row) = match at {
                Some((d, row)) => (Some(d), Some(row)),
                None => (
                    source.and_then(|s| {
                        delivery_of_cell(sources, s, prison.as_deref(), partner.as_deref(), year)
                    }),
                    None,
                ),
            };
            found.push(Found {
                prison,
                partner,
                year,
                delivery,
                row,
            });
        }
    }
    // The query's rows come in no fixed order (DataFusion runs in parallel): file order
    // first, then prison, year and partner, so every output lists them alike at every run.
    found.sort_by(|a, b| {
        (&a.delivery, a.row, &a.prison, a.year, &a.partner).cmp(&(
            &b.delivery,
            b.row,
            &b.prison,
            b.year,
            &b.partner,
        ))
    });
    Ok(found)
}

/// The modified z-score of Iglewicz and Hoaglin, `0.6745 (x - mediaan) / MAD`, of each value
/// of `series` against the series itself; `None` when the MAD is 0 (no spread to compare with).
/// The rule `rijen_per_partner_wijken_af` computes the same in SQL; this is its reference.
pub fn modified_z(series: &[f64]) -> Vec<Option<f64>> {
    fn median(v: &mut [f64]) -> f64 {
        v.sort_by(f64::total_cmp);
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }
    if series.is_empty() {
        return Vec::new();
    }
    let med = median(&mut series.to_vec());
    let mad = median(&mut series.iter().map(|x| (x - med).abs()).collect::<Vec<_>>());
    series
        .iter()
        .map(|x| (mad > 0.0).then(|| 0.6745 * (x - med) / mad))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modified_z_on_a_hand_worked_series() {
        // 10, 12, 11, 10, 11, 2: median 10.5; deviations 0.5 1.5 0.5 0.5 0.5 8.5, MAD 0.5.
        let z = modified_z(&[10.0, 12.0, 11.0, 10.0, 11.0, 2.0]);
        let z: Vec<f64> = z.into_iter().map(Option::unwrap).collect();
        assert!((z[5] - 0.6745 * (2.0 - 10.5) / 0.5).abs() < 1e-9);
        assert!((z[5] + 11.4665).abs() < 1e-3, "{}", z[5]);
        assert!((z[1] - 2.0235).abs() < 1e-3, "{}", z[1]);
        assert_eq!(z.iter().filter(|m| m.abs() > 3.5).count(), 1);
        // No spread: no score.
        assert_eq!(modified_z(&[5.0, 5.0, 5.0]), vec![None, None, None]);
    }
}
