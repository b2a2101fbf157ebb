//! Answers to recurring parliamentary questions: recipes in `templates/antwoorden/*.yaml`
//! (SQL, Dutch sentences, definitions; new recipes need no Rust), run on the same tables as
//! the indicators, published with primary and secondary suppression.
//!
//! A recipe's table SQL returns `rij` (row label), `kolom` (column label) and `waarde`; it
//! gets `$jaar_van` and `$jaar_tot`, and may join the table `gekozen_gevangenissen`
//! (`gevangenis`): the prisons of `--prison`, or all prisons.
//!
//! A recipe that lists `indicatoren` also gets the table `indicatoren`: those indicators'
//! figures for the years asked, as `hdv eval` gives them (`indicator`, `jaar`,
//! `uitsplitsing`, `waarde_uitsplitsing`, `waarde`, `teller`, `noemer`, `ci_laag`,
//! `ci_hoog`; unsuppressed, so the recipe's SQL leaves out what may not be published).

pub mod suppress;

use crate::diagnostic::Diagnostics;
use crate::error::{Error, Result};
use crate::render::nl_number;
use datafusion::arrow::array::{Array, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::prelude::SessionContext;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    pub id: String,
    pub titel: String,
    /// The question as asked.
    pub vraag: String,
    /// Text before the tables (minijinja: `jaar_van`, `jaar_tot`, `gevangenissen`, `tabellen`).
    pub inleiding: String,
    pub tabellen: Vec<RecipeTable>,
    /// Indicators whose figures the tables read from the table `indicatoren`.
    #[serde(default)]
    pub indicatoren: Vec<String>,
    /// Text after the tables (same variables).
    #[serde(default)]
    pub slot: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeTable {
    pub id: String,
    pub titel: String,
    /// What is counted or summed, and over what: printed under the table.
    pub definitie: String,
    /// Header of the row labels.
    pub rijen: String,
    /// `personen` (counts about people: suppressed) or `bedrag` / `aantal_acties` (not).
    pub soort: TableKind,
    /// Decimals to show.
    #[serde(default)]
    pub decimalen: usize,
    /// Row and column totals (not for medians or percentages).
    #[serde(default = "yes")]
    pub totalen: bool,
    pub sql: String,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Personen,
    Bedrag,
    AantalActies,
}

fn yes() -> bool {
    true
}

/// Reads `dir/<id>.yaml`; `id` must be a recipe's file stem (no paths).
pub fn load_recipe(dir: &Path, id: &str) -> Result<Recipe> {
    let available = || {
        let mut ids: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let p = e.path();
                if p.extension()? != "yaml" {
                    return None;
                }
                Some(p.file_stem()?.to_string_lossy().into_owned())
            })
            .collect();
        ids.sort();
        ids.join(", ")
    };
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(Error::Other(format!(
            "onbekend antwoordrecept '{id}' (beschikbaar: {})",
            available()
        )));
    }
    let path = dir.join(format!("{id}.yaml"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Err(Error::Other(format!(
            "onbekend antwoordrecept '{id}' (beschikbaar: {})",
            available()
        )));
    };
    let mut diags = Diagnostics::new();
    crate::model::parse_yaml::<Recipe>(&text, &crate::model::display_path(&path), &mut diags)
        .ok_or(Error::Invalid(diags))
}

/// A published table: formatted cells with suppression applied.
#[derive(Debug, Serialize)]
pub struct AnswerTable {
    pub id: String,
    pub titel: String,
    pub definitie: String,
    pub kolommen: Vec<String>,
    pub rijen: Vec<AnswerRow>,
    pub totaal: AnswerRow,
    pub onderdrukt: bool,
    pub totalen: bool,
}

#[derive(Debug, Serialize)]
pub struct AnswerRow {
    pub label: String,
    pub cellen: Vec<String>,
    pub totaal: String,
}

/// Registers the chosen prisons as `gekozen_gevangenissen`.
pub fn register_prisons(ctx: &SessionContext, prisons: &[String]) -> Result<()> {
    let schema = Arc::new(Schema::new(vec![Field::new(
        "gevangenis",
        DataType::Utf8,
        false,
    )]));
    let batch = RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(prisons.to_vec()))])
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    ctx.register_batch("gekozen_gevangenissen", batch)
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    Ok(())
}

/// Registers figures as the table `indicatoren` (see the module docs).
pub fn register_figures(
    ctx: &SessionContext,
    figures: &[crate::engine::Observation],
) -> Result<()> {
    use datafusion::arrow::array::{Float64Array, Int32Array};
    let text = |f: &dyn Fn(&crate::engine::Observation) -> Option<String>| {
        Arc::new(StringArray::from(figures.iter().map(f).collect::<Vec<_>>())) as Arc<dyn Array>
    };
    let num = |f: &dyn Fn(&crate::engine::Observation) -> Option<f64>| {
        Arc::new(Float64Array::from(
            figures.iter().map(f).collect::<Vec<_>>(),
        )) as Arc<dyn Array>
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("indicator", DataType::Utf8, false),
        Field::new("jaar", DataType::Int32, false),
        Field::new("uitsplitsing", DataType::Utf8, true),
        Field::new("waarde_uitsplitsing", DataType::Utf8, true),
        Field::new("waarde", DataType::Float64, true),
        Field::new("teller", DataType::Float64, true),
        Field::new("noemer", DataType::Float64, true),
        Field::new("ci_laag", DataType::Float64, true),
        Field::new("ci_hoog", DataType::Float64, true),
    ]));
    let columns = vec![
        text(&|o| Some(o.indicator.clone())),
        Arc::new(Int32Array::from(
            figures.iter().map(|o| o.year).collect::<Vec<_>>(),
        )) as Arc<dyn Array>,
        text(&|o| o.dim.as_ref().map(|d| d.name.clone())),
        text(&|o| o.dim.as_ref().map(|d| d.value.clone())),
        num(&|o| o.value),
        num(&|o| o.numerator),
        num(&|o| o.denominator),
        num(&|o| o.interval.and_then(|i| i.low)),
        num(&|o| o.interval.and_then(|i| i.high)),
    ];
    let batch = RecordBatch::try_new(schema, columns)
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    ctx.register_batch("indicatoren", batch)
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    Ok(())
}

/// Runs one table of a recipe and publishes it.
pub async fn run_table(
    ctx: &SessionContext,
    t: &RecipeTable,
    first: i32,
    last: i32,
    max_small: f64,
) -> Result<AnswerTable> {
    crate::query::check_read_only(&t.sql)?;
    let batches = crate::engine::run_sql(
        ctx,
        &t.sql,
        vec![
            ("jaar_van", ScalarValue::Int32(Some(first))),
            ("jaar_tot", ScalarValue::Int32(Some(last))),
        ],
    )
    .await
    .map_err(|e| Error::Query(format!("recepttabel `{}`: {e}", t.id)))?;
    let mut cells: Vec<(String, String, f64)> = Vec::new();
    for b in &batches {
        let col = |name: &str, ty: &DataType| -> Result<Arc<dyn Array>> {
            let c = b.column_by_name(name).ok_or_else(|| {
                Error::Query(format!("recepttabel `{}` geeft geen kolom `{name}`", t.id))
            })?;
            cast(c, ty).map_err(|e| Error::Query(format!("kolom `{name}`: {e}")))
        };
        let (r, k, w) = (
            col("rij", &DataType::Utf8)?,
            col("kolom", &DataType::Utf8)?,
            col("waarde", &DataType::Float64)?,
        );
        let (r, k, w) = (
            r.as_string::<i32>(),
            k.as_string::<i32>(),
            w.as_primitive::<Float64Type>(),
        );
        let label = |a: &StringArray, i: usize| {
            if a.is_valid(i) {
                a.value(i).to_string()
            } else {
                "(onbekend)".to_string()
            }
        };
        for i in 0..b.num_rows() {
            cells.push((
                label(r, i),
                label(k, i),
                if w.is_valid(i) { w.value(i) } else { 0.0 },
            ));
        }
    }
    let mut rows: Vec<String> = cells.iter().map(|c| c.0.clone()).collect();
    rows.sort();
    rows.dedup();
    let mut cols: Vec<String> = cells.iter().map(|c| c.1.clone()).collect();
    cols.sort();
    cols.dedup();
    // Cells the query did not return are absent (shown as –), not zero.
    let present: Vec<Vec<bool>> = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| cells.iter().any(|x| &x.0 == r && &x.1 == c))
                .collect()
        })
        .collect();
    let m: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|c| {
                    cells
                        .iter()
                        .filter(|x| &x.0 == r && &x.1 == c)
                        .map(|x| x.2)
                        .sum()
                })
                .collect()
        })
        .collect();
    let hidden = if t.soort == TableKind::Personen && t.totalen {
        suppress::suppress(&m, max_small)
    } else if t.soort == TableKind::Personen {
        suppress::Hidden {
            cells: m
                .iter()
                .map(|r| r.iter().map(|&v| v > 0.0 && v <= max_small).collect())
                .collect(),
            row_totals: vec![false; rows.len()],
            col_totals: vec![false; cols.len()],
            grand_total: false,
        }
    } else {
        suppress::Hidden {
            cells: vec![vec![false; cols.len()]; rows.len()],
            row_totals: vec![false; rows.len()],
            col_totals: vec![false; cols.len()],
            grand_total: false,
        }
    };
    let small = format!("<{}", max_small as i64 + 1);
    let show = |v: f64, hide: bool| -> String {
        if !hide {
            nl_number(v, t.decimalen)
        } else if v > 0.0 && v <= max_small {
            small.clone()
        } else {
            "×".into()
        }
    };
    let row_tot: Vec<f64> = m.iter().map(|r| r.iter().sum()).collect();
    let col_tot: Vec<f64> = (0..cols.len())
        .map(|j| m.iter().map(|r| r[j]).sum())
        .collect();
    Ok(AnswerTable {
        id: t.id.clone(),
        titel: t.titel.clone(),
        definitie: t.definitie.trim().to_string(),
        onderdrukt: hidden.cells.iter().flatten().any(|&h| h)
            || hidden.row_totals.iter().any(|&h| h)
            || hidden.col_totals.iter().any(|&h| h),
        rijen: rows
            .iter()
            .enumerate()
            .map(|(i, r)| AnswerRow {
                label: r.clone(),
                cellen: (0..cols.len())
                    .map(|j| {
                        if present[i][j] {
                            show(m[i][j], hidden.cells[i][j])
                        } else {
                            "–".into()
                        }
                    })
                    .collect(),
                totaal: if t.totalen {
                    show(row_tot[i], hidden.row_totals[i])
                } else {
                    String::new()
                },
            })
            .collect(),
        totaal: AnswerRow {
            label: if t.totalen {
                "Totaal".into()
            } else {
                String::new()
            },
            cellen: (0..cols.len())
                .map(|j| {
                    if t.totalen {
                        show(col_tot[j], hidden.col_totals[j])
                    } else {
                        String::new()
                    }
                })
                .collect(),
            totaal: if t.totalen {
                show(row_tot.iter().sum(), hidden.grand_total)
            } else {
                String::new()
            },
        },
        totalen: t.totalen,
        kolommen: std::iter::once(t.rijen.clone()).chain(cols).collect(),
    })
}
