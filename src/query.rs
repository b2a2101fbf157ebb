//! Analysts' SQL: only a single read-only query, with parameters bound by DataFusion, on
//! tables whose pseudonyms are replaced unless microdata are asked for.

use crate::error::{Error, Result};
use crate::limits;
use chrono::NaiveDate;
use datafusion::arrow::array::Array;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::dataframe::DataFrame;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::{GreedyMemoryPool, MemoryConsumer, MemoryPool};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::sql::parser::{DFParser, Statement as DFStatement};
use datafusion::sql::sqlparser::ast::Statement;
use std::sync::Arc;

/// The working memory all queries of a run share, in MiB (`HDV_QUERY_MB`): joins, sorts,
/// aggregates and the collected result. Over it, a query fails with a Dutch message.
pub(crate) const DEFAULT_QUERY_MB: u64 = 768;
/// The time one query may take, in seconds (`HDV_QUERY_SECONDS`).
pub(crate) const DEFAULT_QUERY_SECONDS: u64 = 300;

/// The DataFusion runtime of every context: a memory pool of `HDV_QUERY_MB` and no spilling
/// to disk (spill files would hold microdata outside the project, in the system's temp folder).
pub(crate) fn runtime_env() -> Result<Arc<RuntimeEnv>> {
    let (_, bytes) = limits::mib("HDV_QUERY_MB", DEFAULT_QUERY_MB);
    RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(GreedyMemoryPool::new(
            usize::try_from(bytes).unwrap_or(usize::MAX),
        )))
        .with_disk_manager_builder(
            DiskManagerBuilder::default().with_mode(DiskManagerMode::Disabled),
        )
        .build_arc()
        .map_err(|e| Error::QueryEnvironment {
            message: e.to_string(),
        })
}

/// Runs a planned query and collects its result within the memory pool of `pool` and the
/// time limit `HDV_QUERY_SECONDS`; either limit gives a Dutch message naming it.
///
/// The query runs as its own task, so the deadline is seen even while the query computes
/// without pause; it is then aborted. A query that does not stop within two seconds of its
/// abort (a long computation between two yields) is stopped with the process: the message,
/// exit code 2. Outputs are written only after all figures are computed, atomically, so
/// nothing is left half-written.
/// The most rows a table of an answer may have (`HDV_ANSWER_ROWS`): an answer is read by
/// people, and every row becomes cells in three documents.
pub(crate) const DEFAULT_ANSWER_ROWS: u64 = 10_000;

/// A result over its row limit (stops the query at once).
#[derive(Debug)]
struct TooManyRows(usize);

impl std::fmt::Display for TooManyRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "de query geeft meer dan {} rijen, de grens voor een tabel van een antwoord (een antwoord wordt gelezen, en elke rij komt in drie documenten); vat het resultaat samen (GROUP BY) of zet de omgevingsvariabele HDV_ANSWER_ROWS hoger",
            self.0
        )
    }
}

impl std::error::Error for TooManyRows {}

pub(crate) async fn collect_bounded(
    pool: Arc<dyn MemoryPool>,
    df: DataFrame,
    max_rows: Option<usize>,
) -> std::result::Result<Vec<RecordBatch>, String> {
    use futures::StreamExt;
    let seconds = limits::get("HDV_QUERY_SECONDS", DEFAULT_QUERY_SECONDS);
    let timeout = format!(
        "de query duurt langer dan {seconds} seconden, de grens (bescherming tegen een query die niet eindigt, bv. een JOIN zonder voorwaarde); is de berekening echt zo zwaar, zet dan de omgevingsvariabele HDV_QUERY_SECONDS hoger"
    );
    // Dropped with the query (when it ends or is aborted): tells the watchdog it stopped.
    let (running, stopped) = std::sync::mpsc::channel::<()>();
    let work = tokio::spawn(async move {
        let _running = running;
        let reservation = MemoryConsumer::new("resultaat van de query").register(&pool);
        let mut stream = df.execute_stream().await?;
        let mut out = Vec::new();
        let mut rows = 0usize;
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            rows += batch.num_rows();
            if let Some(max) = max_rows
                && rows > max
            {
                return Err(datafusion::error::DataFusionError::External(Box::new(
                    TooManyRows(max),
                )));
            }
            let size: usize = batch
                .columns()
                .iter()
                .map(|c| {
                    c.to_data()
                        .get_slice_memory_size()
                        .unwrap_or_else(|_| c.get_array_memory_size())
                })
                .sum();
            reservation.try_grow(size)?;
            out.push(batch);
        }
        Ok::<_, datafusion::error::DataFusionError>(out)
    });
    let (fire, deadline) = futures::channel::oneshot::channel::<()>();
    let message = timeout.clone();
    std::thread::spawn(move || {
        use std::sync::mpsc::RecvTimeoutError::Timeout;
        use std::time::Duration;
        if let Err(Timeout) = stopped.recv_timeout(Duration::from_secs(seconds)) {
            let _ = fire.send(());
            if let Err(Timeout) = stopped.recv_timeout(Duration::from_secs(2)) {
                eprintln!("\nfout: {message}");
                std::process::exit(2);
            }
        }
    });
    type Joined = std::result::Result<
        std::result::Result<Vec<RecordBatch>, datafusion::error::DataFusionError>,
        tokio::task::JoinError,
    >;
    let finished = |r: Joined| match r {
        Ok(Ok(batches)) => Ok(batches),
        Ok(Err(datafusion::error::DataFusionError::External(e)))
            if e.downcast_ref::<TooManyRows>().is_some() =>
        {
            Err(e.to_string())
        }
        Ok(Err(e)) => Err(execution_message(&e.to_string())),
        Err(e) => Err(format!("de SQL faalt bij uitvoering: {e}")),
    };
    match futures::future::select(work, deadline).await {
        futures::future::Either::Left((r, _)) => finished(r),
        // The watchdog ended without firing: the query ended just now.
        futures::future::Either::Right((Err(_), work)) => finished(work.await),
        futures::future::Either::Right((Ok(()), work)) => {
            work.abort();
            Err(timeout)
        }
    }
}

/// A failure while a query runs, in Dutch; running out of the memory pool says which limit.
pub(crate) fn execution_message(e: &str) -> String {
    if e.contains("Resources exhausted") || e.contains("ResourcesExhausted") {
        let mb = limits::get("HDV_QUERY_MB", DEFAULT_QUERY_MB);
        format!(
            "de query heeft meer werkgeheugen nodig dan de grens van {mb} MB (bescherming van het geheugen; vaak ontbreekt een JOIN-voorwaarde of is het resultaat te groot); is de berekening echt zo groot, zet dan de omgevingsvariabele HDV_QUERY_MB hoger"
        )
    } else {
        format!("de SQL faalt bij uitvoering: {e}")
    }
}

/// Accepts exactly one query (`SELECT`, `WITH … SELECT`, `VALUES`); refuses everything else
/// with a Dutch message naming what was found.
pub(crate) fn check_read_only(sql: &str) -> Result<()> {
    let statements = DFParser::parse_sql(sql)
        .map_err(|e| Error::Query(format!("de SQL kan niet gelezen worden: {e}")))?;
    if statements.len() != 1 {
        return Err(Error::Query(format!(
            "geef precies één SELECT-opdracht (gevonden: {})",
            statements.len()
        )));
    }
    let refused = |kind: &str| {
        Err(Error::Query(format!(
            "geweigerd: {kind} is niet toegelaten; alleen lezen met SELECT (of WITH … SELECT) mag"
        )))
    };
    match &statements[0] {
        DFStatement::Statement(s) => match s.as_ref() {
            Statement::Query(_) => Ok(()),
            Statement::Insert(_)
            | Statement::Update { .. }
            | Statement::Delete(_)
            | Statement::Merge { .. } => {
                refused("het wijzigen van gegevens (INSERT, UPDATE, DELETE, MERGE)")
            }
            Statement::CreateTable(_)
            | Statement::CreateView { .. }
            | Statement::Drop { .. }
            | Statement::AlterTable { .. }
            | Statement::CreateSchema { .. }
            | Statement::CreateDatabase { .. }
            | Statement::CreateFunction(_)
            | Statement::Truncate { .. } => {
                refused("het aanmaken, wijzigen of verwijderen van tabellen (DDL)")
            }
            Statement::Copy { .. } => refused("COPY (bestanden lezen of schrijven)"),
            Statement::Set(_) => refused("SET (instellingen wijzigen)"),
            Statement::Explain { .. } | Statement::ExplainTable { .. } => refused("EXPLAIN"),
            other => {
                let text = other.to_string();
                let word = text.split_whitespace().next().unwrap_or("deze opdracht");
                refused(&word.to_uppercase())
            }
        },
        DFStatement::CreateExternalTable(_) => refused("CREATE EXTERNAL TABLE (bestanden lezen)"),
        DFStatement::CopyTo(_) => refused("COPY … TO (bestanden schrijven)"),
        DFStatement::Explain(_) => refused("EXPLAIN"),
        DFStatement::Reset(_) => refused("RESET (instellingen wijzigen)"),
    }
}

/// A `--param naam=waarde`: whole numbers as integers, decimals as doubles, `jjjj-mm-dd` as a
/// date, anything else as text. Bound as `$naam`; never spliced into the SQL.
pub(crate) fn parse_param(s: &str) -> Result<(String, ScalarValue)> {
    let Some((name, value)) = s.split_once('=') else {
        return Err(Error::Query(format!(
            "parameter '{s}' heeft de vorm naam=waarde nodig"
        )));
    };
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Query(format!(
            "ongeldige parameternaam '{name}' (letters, cijfers en _)"
        )));
    }
    let v = if let Ok(i) = value.parse::<i32>() {
        ScalarValue::Int32(Some(i))
    } else if let Ok(i) = value.parse::<i64>() {
        ScalarValue::Int64(Some(i))
    } else if let Ok(f) = value
        .parse::<f64>()
        .map_err(|_| ())
        .and_then(|f| if f.is_finite() { Ok(f) } else { Err(()) })
    {
        ScalarValue::Float64(Some(f))
    } else if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        ScalarValue::Date32(Some(crate::years::date32(d)))
    } else {
        ScalarValue::Utf8(Some(value.to_string()))
    };
    Ok((name.to_string(), v))
}

/// The most values a text column may hold to be listed by `hdv tables` as a code list.
pub(crate) const MAX_CODES: usize = 30;

/// Whether a text column may be a list of codes, by its name: not an id, a pseudonym, a title
/// or free text (those are never listed).
pub(crate) fn may_be_codes(column: &str) -> bool {
    let c = column.to_ascii_lowercase();
    !(c.ends_with("_id")
        || c.contains("persoon")
        || [
            "titel",
            "toelichting",
            "naam",
            "eigenaar",
            "trekker",
            "versie",
        ]
        .contains(&c.as_str()))
}

/// Values as lines under a column of `hdv tables`: `    waarden: a, b, c`, wrapped.
pub(crate) fn wrapped_values(values: &[String]) -> String {
    const WIDTH: usize = 96;
    let indent = "             ";
    let mut out = String::from("    waarden: ");
    let mut line = out.chars().count();
    for (i, v) in values.iter().enumerate() {
        let item = if i + 1 < values.len() {
            format!("{v}, ")
        } else {
            v.clone()
        };
        let n = item.chars().count();
        if line + n > WIDTH && line > indent.len() {
            out = out.trim_end().to_string();
            out.push('\n');
            out.push_str(indent);
            line = indent.len();
        }
        out.push_str(&item);
        line += n;
    }
    out.push('\n');
    out
}

/// The values of the text column `column` of `table`, sorted, when it holds at most
/// [`MAX_CODES`] of them (a code list such as `partner` or `afsluitreden`); `None` otherwise.
pub(crate) async fn code_values(
    ctx: &datafusion::prelude::SessionContext,
    table: &str,
    column: &str,
) -> Result<Option<Vec<String>>> {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let sql = format!(
        "SELECT CAST({c} AS VARCHAR) AS v FROM {t} WHERE {c} IS NOT NULL GROUP BY {c} ORDER BY 1 LIMIT {}",
        MAX_CODES + 1,
        c = quote(column),
        t = quote(table),
    );
    // Planned and collected here (not through `engine`, which uses this module).
    let options = datafusion::execution::context::SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false);
    let df = ctx
        .sql_with_options(&sql, options)
        .await
        .map_err(|e| Error::Query(e.to_string()))?;
    let batches = collect_bounded(ctx.runtime_env().memory_pool.clone(), df, None)
        .await
        .map_err(Error::Query)?;
    let mut values = Vec::new();
    for b in &batches {
        use datafusion::arrow::array::AsArray;
        let a = datafusion::arrow::compute::cast(
            b.column(0),
            &datafusion::arrow::datatypes::DataType::Utf8,
        )
        .map_err(|e| Error::Query(e.to_string()))?;
        let a = a.as_string::<i32>();
        values.extend(
            (0..a.len())
                .filter(|&i| a.is_valid(i))
                .map(|i| a.value(i).to_string()),
        );
    }
    Ok((values.len() <= MAX_CODES).then_some(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_select_passes() {
        assert!(check_read_only("SELECT 1").is_ok());
        assert!(check_read_only("WITH a AS (SELECT 1 AS x) SELECT x FROM a").is_ok());
        for (sql, word) in [
            ("INSERT INTO t VALUES (1)", "INSERT"),
            ("UPDATE t SET a = 1", "UPDATE"),
            ("DELETE FROM t", "DELETE"),
            ("DROP TABLE detenties", "DDL"),
            ("CREATE TABLE x AS SELECT 1", "DDL"),
            ("CREATE VIEW v AS SELECT 1", "DDL"),
            (
                "CREATE EXTERNAL TABLE x STORED AS CSV LOCATION '/etc/passwd'",
                "CREATE EXTERNAL TABLE",
            ),
            ("COPY (SELECT 1) TO '/tmp/x.csv'", "COPY"),
            ("SET datafusion.execution.batch_size = 1", "SET"),
            ("EXPLAIN SELECT 1", "EXPLAIN"),
            ("SELECT 1; SELECT 2", "precies één"),
            ("SELECT 1; DROP TABLE t", "precies één"),
        ] {
            let e = check_read_only(sql).unwrap_err().to_string();
            assert!(e.contains(word), "{sql}: {e}");
        }
    }

    #[test]
    fn parameters_are_typed_values() {
        assert_eq!(
            parse_param("jaar=2024").unwrap(),
            ("jaar".into(), ScalarValue::Int32(Some(2024)))
        );
        assert_eq!(
            parse_param("x=1.5").unwrap().1,
            ScalarValue::Float64(Some(1.5))
        );
        assert!(matches!(
            parse_param("d=2024-02-29").unwrap().1,
            ScalarValue::Date32(Some(_))
        ));
        let hostile = "'; DROP TABLE detenties; --";
        assert_eq!(
            parse_param(&format!("p={hostile}")).unwrap().1,
            ScalarValue::Utf8(Some(hostile.into()))
        );
        assert!(parse_param("geen-is").is_err());
        assert!(parse_param("a b=1").is_err());
    }
}
