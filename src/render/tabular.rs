//! Tabular output: one table model (columns and rows of typed values) and its formats, an
//! aligned table for the terminal, CSV, JSON lines and XLSX. Used by `hdv eval`, `hdv query`
//! and `hdv tables`; the stages convert into it (this module knows none of them).

use crate::error::{Error, Result};
use crate::number::{integral, number_text};
use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Date32Type, Float64Type};

/// A number as JSON: integral values without a fraction (`250`, not `250.0`).
fn number_json(x: f64) -> serde_json::Value {
    match integral(x) {
        Some(i) => serde_json::json!(i),
        None => serde_json::json!(x),
    }
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Number(f64),
    Bool(bool),
    Text(String),
    /// A date (`yyyy-mm-dd` as text; a date cell in a workbook).
    Date(chrono::NaiveDate),
}

impl From<Option<f64>> for Value {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Value::Null, Value::Number)
    }
}

impl Value {
    /// The value as text: empty for null, `ja`/`nee` for yes/no.
    pub(crate) fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Number(x) => number_text(*x),
            Value::Bool(true) => "ja".into(),
            Value::Bool(false) => "nee".into(),
            Value::Text(t) => t.clone(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// The value as JSON: null, a number, `true`/`false` or a string.
    pub(crate) fn json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Number(x) => number_json(*x),
            Value::Bool(b) => serde_json::json!(b),
            Value::Text(t) => serde_json::json!(t),
            Value::Date(d) => serde_json::json!(d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// How a column is aligned in the terminal table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// A table: named columns and rows of values, one value per column.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Is this a column of pseudonyms (by name)?
fn is_person_column(name: &str) -> bool {
    name.to_ascii_lowercase().contains("persoon_id")
}

impl Table {
    /// A query result as a table: booleans stay yes/no, numeric columns become numbers, date
    /// columns dates and every other column text. Columns named like `persoon_id` are
    /// left out unless `microdata`.
    pub(crate) fn from_batches(batches: &[RecordBatch], microdata: bool) -> Result<Table> {
        let Some(first) = batches.first() else {
            return Ok(Table::default());
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
                        DataType::Date32 | DataType::Date64 => cast(c, &DataType::Date32),
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
                            } else if matches!(t, DataType::Date32 | DataType::Date64) {
                                c.as_primitive::<Date32Type>()
                                    .value_as_date(r)
                                    .map_or(Value::Null, Value::Date)
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

    /// Aligned columns for the terminal, every column to the left, with the number of rows
    /// under them (`(3 rijen)`).
    pub(crate) fn aligned(&self) -> String {
        let mut s = self.aligned_as(&[]);
        let n = self.rows.len();
        s.push_str(&format!("({n} {})\n", if n == 1 { "rij" } else { "rijen" }));
        s
    }

    /// Aligned columns for the terminal, two spaces apart, each aligned as `align` says (to
    /// the left where it says nothing), no trailing spaces, no row count.
    pub(crate) fn aligned_as(&self, align: &[Align]) -> String {
        let mut all = vec![self.columns.clone()];
        all.extend(
            self.rows
                .iter()
                .map(|r| r.iter().map(Value::text).collect()),
        );
        let widths: Vec<usize> = (0..self.columns.len())
            .map(|c| {
                all.iter()
                    .map(|r| r.get(c).map_or(0, |v: &String| v.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut s = String::new();
        for r in &all {
            let line: Vec<String> = r
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (v, w))| match align.get(c) {
                    Some(Align::Right) => format!("{v:>w$}"),
                    _ => format!("{v:<w$}"),
                })
                .collect();
            s.push_str(line.join("  ").trim_end());
            s.push('\n');
        }
        s
    }

    /// CSV: a header and one record per row.
    pub(crate) fn csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.columns).expect("in memory");
        for r in &self.rows {
            w.write_record(r.iter().map(Value::text))
                .expect("in memory");
        }
        String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
    }

    /// JSON lines: one object per row, keyed by column name.
    pub(crate) fn jsonl(&self) -> String {
        let mut s = String::new();
        for r in &self.rows {
            let obj: serde_json::Map<String, serde_json::Value> = self
                .columns
                .iter()
                .zip(r)
                .map(|(c, v)| (c.clone(), v.json()))
                .collect();
            s.push_str(&serde_json::Value::Object(obj).to_string());
            s.push('\n');
        }
        s
    }

    /// Is column `c` a column of years: named so (`jaar`, `year`, `…_jaar`) and holding whole
    /// numbers of four digits only?
    fn is_year_column(&self, c: usize) -> bool {
        let name = self.columns[c].to_lowercase();
        let named = ["jaar", "year"].iter().any(|y| {
            name == *y || name.starts_with(&format!("{y}_")) || name.ends_with(&format!("_{y}"))
        });
        named
            && self.rows.iter().all(|r| match r[c] {
                Value::Number(x) => x.fract() == 0.0 && (1000.0..=9999.0).contains(&x),
                Value::Null => true,
                _ => false,
            })
    }

    /// A workbook titled `title` with one sheet `sheet`: numbers as numbers (whole ones as
    /// `#,##0`, years as `0`), dates as date cells, every other value as text (always a
    /// string, never a formula).
    pub(crate) fn xlsx(&self, title: &str, sheet: &str) -> Result<Vec<u8>> {
        use crate::render::xlsx::XCell;
        let years: Vec<bool> = (0..self.columns.len())
            .map(|c| self.is_year_column(c))
            .collect();
        let rows: Vec<Vec<XCell>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&years)
                    .map(|(v, &year)| match v {
                        Value::Number(x) if year => XCell::Year(*x as i32),
                        Value::Number(x) => XCell::N(*x),
                        Value::Date(d) => XCell::Date(*d),
                        Value::Null => XCell::Empty,
                        other => XCell::T(other.text()),
                    })
                    .collect()
            })
            .collect();
        let header: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let mut wb =
            crate::render::xlsx::new_workbook(title.into(), &crate::render::generation_date())?;
        crate::render::xlsx::sheet(&mut wb, sheet, &header, &rows)?;
        wb.save_to_buffer()
            .map_err(|e| Error::Render(format!("de werkmap kan niet gemaakt worden: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_floats_print_as_integers() {
        assert_eq!(integral(250.0), Some(250));
        assert_eq!(integral(-0.0), Some(0));
        assert_eq!(integral(41.7), None);
        assert_eq!(integral(9e15), None);
        assert_eq!(integral(f64::NAN), None);
        assert_eq!(integral(f64::INFINITY), None);
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(41.7), "41.7");
        assert_eq!(number_json(250.0).to_string(), "250");
        assert_eq!(number_json(9e15).to_string(), "9000000000000000.0");
    }

    #[test]
    fn formats_share_the_values() {
        let t = Table {
            columns: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![
                vec![
                    Value::Text("x, y".into()),
                    Value::Number(2.0),
                    Value::Bool(true),
                ],
                vec![Value::Null, Value::Number(0.5), Value::Bool(false)],
            ],
        };
        assert_eq!(t.csv(), "a,b,c\n\"x, y\",2,ja\n,0.5,nee\n");
        assert_eq!(
            t.jsonl(),
            "{\"a\":\"x, y\",\"b\":2,\"c\":true}\n{\"a\":null,\"b\":0.5,\"c\":false}\n"
        );
        assert_eq!(
            t.aligned(),
            "a     b    c\nx, y  2    ja\n      0.5  nee\n(2 rijen)\n"
        );
        assert_eq!(
            t.aligned_as(&[Align::Left, Align::Right]),
            "a       b  c\nx, y    2  ja\n      0.5  nee\n"
        );
    }
}
