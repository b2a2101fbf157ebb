//! Stage 3: evaluate indicators with DataFusion.
//!
//! Each indicator's SQL computes all requested years in one query (see
//! `model::indicator` for the contract). Indicators run concurrently; the result is sorted
//! by indicator, year, total first, then breakdown in the order of `uitsplitsingen` and value.

mod berekening;
mod cached;
mod releases;

pub use crate::observation::{Dim, Interval, Observation};
pub use releases::release_rows;
pub(crate) use releases::release_rows_cached;

use crate::cache::Cache;
use crate::contract::Source;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::model::Indicator;
use crate::register::Inputs;
use crate::years::YearRange;
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::prelude::SessionContext;

/// The outcome of evaluating a set of indicators.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub observations: Vec<Observation>,
    /// Indicators left out because a source they read is absent, with the missing sources.
    pub skipped: Vec<(String, Vec<Source>)>,
}

impl Evaluation {
    /// The observations of one indicator.
    pub(crate) fn of<'a>(
        &'a self,
        indicator: &'a str,
    ) -> impl Iterator<Item = &'a Observation> + 'a {
        self.observations
            .iter()
            .filter(move |o| o.indicator == indicator)
    }

    /// The total of an indicator for a year.
    pub fn total(&self, indicator: &str, year: i32) -> Option<&Observation> {
        self.observations
            .iter()
            .find(|o| o.indicator == indicator && o.year == year && o.is_total())
    }
}

/// Evaluates `indicators` for `years` over the registered `inputs`. With a cache, an
/// indicator's figures are reused while its YAML, the years, the model tables and the sources
/// its SQL reads are unchanged, and stored otherwise; `progress` advances per indicator.
/// Indicators whose sources are absent are skipped (listed in the result).
pub(crate) async fn evaluate(
    inputs: &Inputs,
    indicators: &[Indicator],
    years: YearRange,
    cache: Option<&Cache>,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<Evaluation> {
    let model_key = cache.map(|_| cached::model_key(&inputs.model));
    let cache = cache.zip(model_key.as_deref());
    let mut skipped = Vec::new();
    let mut runnable = Vec::new();
    for ind in indicators {
        let missing = inputs.sources.absent(&ind.bronnen);
        if missing.is_empty() {
            runnable.push(ind);
        } else if inputs.sources.only_optional_absent(&ind.bronnen) {
            // Over optional sources the data folder lacks: does not apply (no warning).
        } else {
            skipped.push((ind.id.clone(), missing));
        }
    }
    let results = futures::future::join_all(runnable.iter().map(|ind| async move {
        let obs = evaluate_with_cache(inputs, ind, years, cache).await;
        if let Some(p) = progress {
            p.inc(1);
        }
        obs
    }))
    .await;
    let mut observations = Vec::new();
    for r in results {
        observations.extend(r?);
    }
    Ok(Evaluation {
        observations,
        skipped,
    })
}

/// One indicator's figures, from the cache when they are there.
async fn evaluate_with_cache(
    inputs: &Inputs,
    ind: &Indicator,
    years: YearRange,
    cache: Option<(&Cache, &str)>,
) -> Result<Vec<Observation>> {
    let ctx = &inputs.ctx;
    let Some((cache, model_key)) = cache else {
        return evaluate_one(ctx, ind, years).await;
    };
    let key = cached::key(&inputs_key(inputs, model_key, &ind.sql), ind, years);
    if let Some(hit) = cached::get(cache, &key) {
        return Ok(hit);
    }
    let obs = evaluate_one(ctx, ind, years).await?;
    // A cache that cannot be written only costs speed next time.
    if let Err(e) = cached::put(cache, &key, &obs) {
        eprintln!("waarschuwing: {e}");
    }
    Ok(obs)
}

pub(crate) use cached::model_key;

/// A hash of everything the result of `sql` over `inputs` depends on: the model tables (their
/// [`model_key`], computed once per run) and the sources `sql` reads (every source when it
/// does not parse). The figure cache and the checks' cache key on it.
pub(crate) fn inputs_key(inputs: &Inputs, model_key: &str, sql: &str) -> String {
    let tables = tables_read(&inputs.ctx, sql);
    format!(
        "{model_key}:{}",
        cached::sources_key(&inputs.sources, tables.as_deref())
    )
}

/// The tables `sql` reads (`None` when it does not parse: then every table counts).
pub(crate) fn tables_read(ctx: &SessionContext, sql: &str) -> Option<Vec<String>> {
    let state = ctx.state();
    let dialect = state.config().options().sql_parser.dialect;
    let statement = state.sql_to_statement(sql, &dialect).ok()?;
    let refs = state.resolve_table_references(&statement).ok()?;
    Some(refs.iter().map(|r| r.table().to_string()).collect())
}

/// Runs one indicator's SQL for `years` and checks its output.
pub(crate) async fn evaluate_one(
    ctx: &SessionContext,
    ind: &Indicator,
    years: YearRange,
) -> Result<Vec<Observation>> {
    let fail = |message: String| Error::Indicator {
        indicator: ind.id.clone(),
        file: sql_location(ind, &message),
        message,
    };
    let batches = run_sql(
        ctx,
        &ind.sql,
        vec![
            ("jaar_van", ScalarValue::Int32(Some(years.first))),
            ("jaar_tot", ScalarValue::Int32(Some(years.last))),
        ],
    )
    .await
    .map_err(fail)?;
    let mut obs = Vec::new();
    match ind.berekening {
        None => {
            for b in &batches {
                read_batch(ind, b, &mut obs).map_err(fail)?;
            }
        }
        Some(c) => obs = berekening::compute(ind, c, &batches, years).map_err(fail)?,
    }
    obs.retain(|o| years.contains(o.year));
    for y in years.iter() {
        if !obs.iter().any(|o| o.year == y && o.is_total()) {
            return Err(fail(format!(
                "de SQL geeft geen totaalrij (dim leeg) voor {y}"
            )));
        }
    }
    let order = |o: &Observation| -> (i32, usize, String) {
        match &o.dim {
            None => (o.year, 0, String::new()),
            Some(d) => (
                o.year,
                1 + ind
                    .uitsplitsingen
                    .iter()
                    .position(|u| *u == d.name)
                    .unwrap_or(usize::MAX - 1),
                d.value.clone(),
            ),
        }
    };
    obs.sort_by_key(order);
    for w in obs.windows(2) {
        if order(&w[0]) == order(&w[1]) {
            return Err(fail(format!(
                "de SQL geeft meer dan één rij voor {} {}",
                w[0].year,
                w[0].dim
                    .as_ref()
                    .map(|d| format!("{}={}", d.name, d.value))
                    .unwrap_or_else(|| "totaal".into())
            )));
        }
    }
    Ok(obs)
}

/// Plans an indicator's SQL without running it, so that `hdv check` finds SQL that does not
/// parse or names an unknown table or column; the error points at the line in the YAML file.
pub(crate) async fn check_plan(
    ctx: &SessionContext,
    ind: &Indicator,
) -> std::result::Result<(), Diagnostic> {
    match ctx.sql_with_options(&ind.sql, read_only()).await {
        Ok(_) => Ok(()),
        Err(e) => {
            let message = format!("de SQL kan niet gepland worden: {e}");
            Err(Diagnostic::error(
                sql_location(ind, &message),
                format!("indicator `{}`: {message}", ind.id),
            ))
        }
    }
}

/// `file:line` of the SQL line an error message is about: the line DataFusion's parser names,
/// or the first line naming the unknown column or table; else where the SQL starts.
fn sql_location(ind: &Indicator, message: &str) -> String {
    let after = |marker: &str| message.find(marker).map(|i| &message[i + marker.len()..]);
    let parser_line = after("Line: ").and_then(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<usize>().ok()
    });
    let name = after("No field named ")
        .or_else(|| after("table '"))
        .map(|rest| {
            rest.trim_start_matches(['"', '\''])
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .next()
                .unwrap_or("")
                .trim_end_matches('.')
                .to_string()
        });
    // The name as written (`d.kolom`), else its last part (`kolom`).
    let line = parser_line.or_else(|| {
        let name = name.as_deref()?;
        let last = name.rsplit('.').next().unwrap_or(name);
        crate::yaml::locate(&ind.sql, name)
            .or_else(|| crate::yaml::locate(&ind.sql, last))
            .map(|(l, _)| l)
    });
    format!("{}:{}", ind.file, ind.sql_line + line.map_or(0, |l| l - 1))
}

fn read_only() -> datafusion::execution::context::SQLOptions {
    datafusion::execution::context::SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false)
}

/// Plans and runs read-only SQL with named parameters bound by DataFusion.
pub(crate) async fn run_sql(
    ctx: &SessionContext,
    sql: &str,
    params: Vec<(&str, ScalarValue)>,
) -> std::result::Result<Vec<RecordBatch>, String> {
    run_sql_rows(ctx, sql, params, None).await
}

/// As [`run_sql`], stopping with an error once the result has more than `max_rows` rows.
pub(crate) async fn run_sql_rows(
    ctx: &SessionContext,
    sql: &str,
    params: Vec<(&str, ScalarValue)>,
    max_rows: Option<usize>,
) -> std::result::Result<Vec<RecordBatch>, String> {
    let df = ctx
        .sql_with_options(sql, read_only())
        .await
        .map_err(|e| format!("de SQL kan niet gepland worden: {e}"))?;
    let params: Vec<(String, ScalarValue)> = params
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let df = df
        .with_param_values(params)
        .map_err(|e| format!("parameters kunnen niet ingevuld worden: {e}"))?;
    // Bounded in memory and time (HDV_QUERY_MB, HDV_QUERY_SECONDS).
    crate::query::collect_bounded(ctx.runtime_env().memory_pool.clone(), df, max_rows).await
}

fn column<'a>(b: &'a RecordBatch, name: &str) -> std::result::Result<&'a dyn Array, String> {
    b.column_by_name(name)
        .map(|c| c.as_ref())
        .ok_or_else(|| format!("de SQL geeft geen kolom `{name}`"))
}

fn as_f64(b: &RecordBatch, name: &str) -> std::result::Result<Vec<Option<f64>>, String> {
    let c = cast(column(b, name)?, &DataType::Float64)
        .map_err(|e| format!("kolom `{name}` is geen getal: {e}"))?;
    Ok(c.as_primitive::<Float64Type>().iter().collect())
}

fn as_text(b: &RecordBatch, name: &str) -> std::result::Result<Vec<Option<String>>, String> {
    let c = cast(column(b, name)?, &DataType::Utf8)
        .map_err(|e| format!("kolom `{name}` is geen tekst: {e}"))?;
    Ok(c.as_string::<i32>()
        .iter()
        .map(|s| s.map(str::to_string))
        .collect())
}

fn read_batch(
    ind: &Indicator,
    b: &RecordBatch,
    out: &mut Vec<Observation>,
) -> std::result::Result<(), String> {
    let year = cast(column(b, "year")?, &DataType::Int64)
        .map_err(|e| format!("kolom `year` is geen geheel getal: {e}"))?;
    let year = year.as_primitive::<Int64Type>();
    let dim = as_text(b, "dim")?;
    let dim_value = as_text(b, "dim_value")?;
    let value = as_f64(b, "value")?;
    let numerator = as_f64(b, "numerator")?;
    let denominator = as_f64(b, "denominator")?;
    let units = match b.column_by_name("aantal") {
        Some(_) => as_f64(b, "aantal")?,
        None => vec![None; b.num_rows()],
    };
    for i in 0..b.num_rows() {
        if year.is_null(i) {
            return Err("de SQL geeft een rij zonder jaar".into());
        }
        let dim = match (&dim[i], &dim_value[i]) {
            (None, _) => None,
            (Some(name), v) => {
                if !ind.uitsplitsingen.contains(name) {
                    return Err(format!(
                        "de SQL geeft uitsplitsing `{name}`, die niet in `uitsplitsingen` staat"
                    ));
                }
                Some(Dim {
                    name: name.clone(),
                    value: v.clone().unwrap_or_default(),
                })
            }
        };
        let (num, den) = if ind.has_fraction() {
            (numerator[i], denominator[i])
        } else {
            (None, None)
        };
        out.push(Observation {
            indicator: ind.id.clone(),
            year: year.value(i) as i32,
            dim,
            value: value[i].filter(|v| v.is_finite()),
            numerator: num,
            denominator: den,
            interval: None,
            units: units[i],
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_tables_an_indicator_reads() {
        let ctx = datafusion::prelude::SessionContext::new();
        let mut t = super::tables_read(
            &ctx,
            "WITH x AS (SELECT * FROM trajecten) SELECT * FROM x JOIN gevangenissen g USING (gevangenis) WHERE EXISTS (SELECT 1 FROM detenties)",
        )
        .unwrap();
        t.sort();
        assert_eq!(t, ["detenties", "gevangenissen", "trajecten"]);
        assert_eq!(super::tables_read(&ctx, "SELECT FROM WHERE ("), None);
    }
}
