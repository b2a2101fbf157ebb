//! Where generated rows go: one writer per source, in the chosen file format.

use crate::error::{Error, Result};
use crate::load::Source;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XlsxFormat, Workbook};
use std::path::{Path, PathBuf};

pub use crate::cli::DataFormat as Format;

/// A generated cell.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Text(&'a str),
    Date(NaiveDate),
    YesNo(bool),
    Int(i32),
    Float(f64),
}

impl Value<'_> {
    pub fn opt_date(d: Option<NaiveDate>) -> Self {
        d.map_or(Value::Null, Value::Date)
    }

    fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(t) => (*t).to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::YesNo(true) => "ja".into(),
            Value::YesNo(false) => "nee".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f}"),
        }
    }
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Other(format!("de gegevens kunnen niet geschreven worden: {e}"))
}

enum Writer {
    Xlsx {
        workbook: Box<Workbook>,
        row: u32,
        date: XlsxFormat,
    },
    /// CSV text (also the staging form of Parquet, typed through the loader).
    Csv(csv::Writer<Vec<u8>>),
}

pub struct Sinks {
    dir: PathBuf,
    format: Format,
    writers: Vec<(Source, Writer, usize)>,
}

impl Sinks {
    pub fn create(dir: &Path, format: Format) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut writers = Vec::new();
        for source in Source::ALL {
            let headers: Vec<&str> = source.columns().iter().map(|c| c.name).collect();
            let w = match format {
                Format::Xlsx => {
                    let mut workbook = Box::new(Workbook::new());
                    // A fixed creation date keeps the bytes independent of the clock.
                    let created = ExcelDateTime::from_ymd(2026, 1, 1).map_err(err)?;
                    workbook.set_properties(
                        &DocProperties::new()
                            .set_title(source.description())
                            .set_creation_datetime(&created),
                    );
                    let sheet = workbook.add_worksheet_with_constant_memory().map_err(err)?;
                    sheet.set_name(source.name()).map_err(err)?;
                    let bold = XlsxFormat::new().set_bold();
                    for (c, h) in headers.iter().enumerate() {
                        sheet
                            .write_string_with_format(0, c as u16, *h, &bold)
                            .map_err(err)?;
                        sheet.set_column_width(c as u16, 16).map_err(err)?;
                    }
                    Writer::Xlsx {
                        workbook,
                        row: 1,
                        date: XlsxFormat::new().set_num_format("yyyy-mm-dd"),
                    }
                }
                Format::Csv | Format::Parquet => {
                    let mut w = csv::Writer::from_writer(Vec::new());
                    w.write_record(&headers).map_err(err)?;
                    Writer::Csv(w)
                }
            };
            writers.push((source, w, 0));
        }
        Ok(Sinks {
            dir: dir.to_path_buf(),
            format,
            writers,
        })
    }

    pub fn row(&mut self, source: Source, values: &[Value]) -> Result<()> {
        let (_, w, n) = self
            .writers
            .iter_mut()
            .find(|(s, _, _)| *s == source)
            .expect("a writer per source");
        *n += 1;
        match w {
            Writer::Xlsx {
                workbook,
                row,
                date,
            } => {
                let sheet = workbook.worksheet_from_index(0).map_err(err)?;
                for (c, v) in values.iter().enumerate() {
                    let c = c as u16;
                    match v {
                        Value::Null => {}
                        Value::Text(t) => {
                            sheet.write_string(*row, c, *t).map_err(err)?;
                        }
                        Value::Date(d) => {
                            let x = ExcelDateTime::from_ymd(
                                d.year() as u16,
                                d.month() as u8,
                                d.day() as u8,
                            )
                            .map_err(err)?;
                            sheet
                                .write_datetime_with_format(*row, c, &x, date)
                                .map_err(err)?;
                        }
                        Value::YesNo(b) => {
                            sheet
                                .write_string(*row, c, if *b { "ja" } else { "nee" })
                                .map_err(err)?;
                        }
                        Value::Int(i) => {
                            sheet.write_number(*row, c, f64::from(*i)).map_err(err)?;
                        }
                        Value::Float(f) => {
                            sheet.write_number(*row, c, *f).map_err(err)?;
                        }
                    }
                }
                *row += 1;
            }
            Writer::Csv(w) => {
                w.write_record(values.iter().map(Value::text))
                    .map_err(err)?;
            }
        }
        Ok(())
    }

    /// Writes every file (atomically) and returns the rows per source.
    pub fn finish(self) -> Result<super::Summary> {
        let mut summary = super::Summary::default();
        for (source, w, n) in self.writers {
            let bytes = match w {
                Writer::Xlsx { mut workbook, .. } => workbook.save_to_buffer().map_err(err)?,
                Writer::Csv(w) => {
                    let csv = w.into_inner().map_err(err)?;
                    if self.format == Format::Parquet {
                        parquet_bytes(source, &csv)?
                    } else {
                        csv
                    }
                }
            };
            let ext = match self.format {
                Format::Xlsx => "xlsx",
                Format::Csv => "csv",
                Format::Parquet => "parquet",
            };
            crate::output::write_atomic(
                &self.dir.join(format!("{}.{ext}", source.name())),
                &bytes,
            )?;
            summary.rows.push((source, n));
        }
        Ok(summary)
    }
}

/// Types the CSV through the loader (so Parquet has exactly the contract's schema) and
/// writes it as Parquet.
fn parquet_bytes(source: Source, csv: &[u8]) -> Result<Vec<u8>> {
    let prisons: Vec<String> = super::PRISONS.iter().map(|p| p.0.to_string()).collect();
    let (batch, diags) = crate::load::parse_bytes(source, &format!("{source}.csv"), csv, &prisons);
    let Some((batch, _)) = batch else {
        return Err(Error::Invalid(diags));
    };
    let mut out = Vec::new();
    let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None)
        .map_err(err)?;
    w.write(&batch).map_err(err)?;
    w.close().map_err(err)?;
    Ok(out)
}
