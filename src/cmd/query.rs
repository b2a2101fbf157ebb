//! `hdv query` and `hdv tables`: read-only SQL for analysts.

use super::Exit;
use crate::cli::{QueryArgs, QueryFormat, TablesArgs};
use crate::error::{Error, Result};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};

pub(crate) fn execute(a: QueryArgs) -> Result<Exit> {
    crate::query::check_read_only(&a.sql)?;
    let params = a
        .params
        .iter()
        .map(|p| crate::query::parse_param(p))
        .collect::<Result<Vec<_>>>()?;
    if a.format == QueryFormat::Xlsx && a.out.is_none() {
        return Err(Error::Query(
            "--format xlsx heeft --out BESTAND.xlsx nodig".into(),
        ));
    }
    // Refused before any work: an existing --out that is a device node or a folder.
    if let Some(out) = &a.out {
        crate::output::refuse_special(out)?;
    }
    let salt = (!a.microdata).then(rand::random::<u64>);
    let session = super::session(&a.common)?;
    let inputs = session.load(session.model()?, salt)?;
    let batches = session
        .block_on(crate::engine::run_sql(
            &inputs.ctx,
            &a.sql,
            params
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect(),
        ))
        .map_err(Error::Query)?;
    let table = Table::from_batches(&batches, a.microdata)?;
    match a.format {
        QueryFormat::Table => crate::output::print_stdout(&table.aligned())?,
        QueryFormat::Csv => crate::output::print_stdout(&table.csv())?,
        QueryFormat::Jsonl => crate::output::print_stdout(&table.jsonl())?,
        QueryFormat::Xlsx => {
            let out = a.out.expect("checked above");
            crate::output::write_atomic(&out, &table.xlsx()?)?;
            eprintln!(
                "{} rijen geschreven naar {}",
                table.rows.len(),
                out.display()
            );
        }
    }
    Ok(Exit::Success)
}

pub(crate) fn tables(a: TablesArgs) -> Result<Exit> {
    let session = super::session(&a.common)?;
    let inputs = session.load(session.model()?, None)?;
    let batches = session
        .block_on(crate::engine::run_sql(
            &inputs.ctx,
            "SELECT table_name, column_name, data_type FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            vec![],
        ))
        .map_err(Error::Query)?;
    let t = Table::from_batches(&batches, true)?;
    let mut s = String::new();
    let mut current = String::new();
    for r in &t.rows {
        let (table, col, ty) = (r[0].text(), r[1].text(), r[2].text());
        if table != current {
            s.push_str(&format!("\n{table}\n"));
            current = table;
        }
        s.push_str(&format!("  {col:<28} {ty}\n"));
    }
    crate::output::print_stdout(s.trim_start())?;
    Ok(Exit::Success)
}

/// A query result as plain cells.
pub(crate) struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Number(f64),
    Bool(bool),
    Text(String),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Number(x) if x.fract() == 0.0 && x.abs() < 9e15 => format!("{}", *x as i64),
            Value::Number(x) => format!("{x}"),
            Value::Bool(true) => "ja".into(),
            Value::Bool(false) => "nee".into(),
            Value::Text(t) => t.clone(),
        }
    }
}

/// Is this a column of pseudonyms (by name)?
fn is_person_column(name: &str) -> bool {
    name.to_ascii_lowercase().contains("persoon_id")
}

impl Table {
    /// Columns named like `persoon_id` are left out unless `microdata`.
    pub(crate) fn from_batches(batches: &[RecordBatch], microdata: bool) -> Result<Table> {
        let Some(first) = batches.first() else {
            return Ok(Table {
                columns: vec![],
                rows: vec![],
            });
        };
        let keep: Vec<usize> = (0..first.num_columns())
            .filter(|&i| microdata || !is_person_column(first.schema().field(i).name()))
            .collect();
        let columns = keep
            .iter()
            .map(|&i| first.schema().field(i).name().clone())
            .collect();
        let mut rows = Vec::new();
        for b in batches {
            let cols: Vec<(DataType, std::sync::Arc<dyn Array>)> = keep
                .iter()
                .map(|&i| {
                    let c = b.column(i);
                    let t = c.data_type().clone();
                    let converted = match &t {
                        DataType::Boolean => Ok(c.clone()),
                        t if t.is_numeric() => cast(c, &DataType::Float64),
                        _ => cast(c, &DataType::Utf8),
                    };
                    converted
                        .map(|a| (t, a))
                        .map_err(|e| Error::Query(format!("kolom kan niet getoond worden: {e}")))
                })
                .collect::<Result<_>>()?;
            for r in 0..b.num_rows() {
                rows.push(
                    cols.iter()
                        .map(|(t, c)| {
                            if c.is_null(r) {
                                Value::Null
                            } else if *t == DataType::Boolean {
                                Value::Bool(c.as_boolean().value(r))
                            } else if t.is_numeric() {
                                Value::Number(c.as_primitive::<Float64Type>().value(r))
                            } else {
                                Value::Text(c.as_string::<i32>().value(r).to_string())
                            }
                        })
                        .collect(),
                );
            }
        }
        Ok(Table { columns, rows })
    }

    pub(crate) fn aligned(&self) -> String {
        let mut all = vec![self.columns.clone()];
        all.extend(
            self.rows
                .iter()
                .map(|r| r.iter().map(Value::text).collect()),
        );
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|c| all.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
            .collect();
        let mut s = String::new();
        for r in &all {
            let line: Vec<String> = r
                .iter()
                .zip(&widths)
                .map(|(v, w)| format!("{v:<w$}"))
                .collect();
            s.push_str(line.join("  ").trim_end());
            s.push('\n');
        }
        let n = self.rows.len();
        s.push_str(&format!("({n} {})\n", if n == 1 { "rij" } else { "rijen" }));
        s
    }

    pub(crate) fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.columns).expect("in memory");
        for r in &self.rows {
            w.write_record(r.iter().map(Value::text))
                .expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
    }

    pub(crate) fn jsonl(&self) -> String {
        let mut s = String::new();
        for r in &self.rows {
            let mut obj = serde_json::Map::new();
            for (c, v) in self.columns.iter().zip(r) {
                obj.insert(
                    c.clone(),
                    match v {
                        Value::Null => serde_json::Value::Null,
                        Value::Number(x) if x.fract() == 0.0 && x.abs() < 9e15 => {
                            serde_json::json!(*x as i64)
                        }
                        Value::Number(x) => serde_json::json!(x),
                        Value::Bool(b) => serde_json::json!(b),
                        Value::Text(t) => serde_json::json!(t),
                    },
                );
            }
            s.push_str(&serde_json::Value::Object(obj).to_string());
            s.push('\n');
        }
        s
    }

    /// One sheet; text is always written as text (never a formula).
    pub(crate) fn xlsx(&self) -> Result<Vec<u8>> {
        use crate::render::xlsx::XCell;
        let rows: Vec<Vec<XCell>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| match v {
                        Value::Number(x) => XCell::N(*x),
                        other => XCell::T(other.text()),
                    })
                    .collect()
            })
            .collect();
        let header: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let mut wb = crate::render::xlsx::new_workbook(
            "hdv query".into(),
            &crate::render::generation_date(),
        )?;
        crate::render::xlsx::sheet(&mut wb, "Resultaat", &header, &rows)?;
        wb.save_to_buffer()
            .map_err(|e| Error::Render(format!("de werkmap kan niet gemaakt worden: {e}")))
    }
}
