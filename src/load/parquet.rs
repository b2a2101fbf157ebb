//! Parquet files with the contract's columns. Columns are read as text (booleans as such)
//! and typed by the same rules as workbook and CSV cells.

use super::cell::Cell;
use super::profile::Profile;
use super::table::{Findings, Locator, TableBuilder};
use crate::contract::Source;
use crate::diagnostic::Diagnostics;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatchReader};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::borrow::Cow;

pub(crate) fn read(
    bytes: &[u8],
    file: &str,
    source: Source,
    prisons: &[String],
    candidates: &[&Profile],
    meta: &mut super::Meta,
) -> (Option<(RecordBatch, usize)>, Diagnostics) {
    let mut findings = Findings::default();
    let fail = |mut findings: Findings, e: String| {
        findings.error(
            file.to_string(),
            format!("het bestand kan niet als Parquet gelezen worden: {e}"),
        );
        (None, findings.finish(file))
    };
    let data = bytes::Bytes::copy_from_slice(bytes);
    let reader = match ParquetRecordBatchReaderBuilder::try_new(data).and_then(|b| b.build()) {
        Ok(r) => r,
        Err(e) => return fail(findings, e.to_string()),
    };
    let headers: Vec<String> = reader
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let locator = Locator::Parquet {
        file: file.to_string(),
    };
    // The column names are the header row, whatever row the profile names.
    let rows_of = |_: &Profile| {
        Some(super::profile::FirstRows {
            header: Some(headers.clone()),
            rows: vec![headers.clone()],
        })
    };
    let Ok(profile) = super::profile::choose(candidates, rows_of, file, &mut findings, meta) else {
        return (None, findings.finish(file));
    };
    let mut builder = match TableBuilder::with_early(
        std::mem::take(&mut findings),
        TableBuilder::new(source, &headers, 0, locator, prisons, false, 0, profile),
    ) {
        Ok(b) => b,
        Err(diags) => return (None, diags),
    };
    let mut row_no = 0;
    for batch in reader {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                findings = builder.findings;
                return fail(findings, e.to_string());
            }
        };
        // Text views of the columns (booleans kept as booleans).
        let cols: Vec<ArrayRef> = batch
            .columns()
            .iter()
            .map(|c| match c.data_type() {
                DataType::Boolean => c.clone(),
                _ => cast(c, &DataType::Utf8).unwrap_or_else(|_| c.clone()),
            })
            .collect();
        for i in 0..batch.num_rows() {
            row_no += 1;
            builder.push_row(row_no, |c| {
                let col = &cols[c];
                if col.is_null(i) {
                    return Cell::Empty;
                }
                match col.data_type() {
                    DataType::Boolean => Cell::Bool(col.as_boolean().value(i)),
                    DataType::Utf8 => {
                        Cell::Text(Cow::Owned(col.as_string::<i32>().value(i).to_string()))
                    }
                    other => Cell::Error(format!("kolomtype {other} wordt niet ondersteund")),
                }
            });
        }
    }
    builder.finish_into(meta)
}
