//! Workbooks (`.xlsx`) with calamine.

use super::cell::Cell;
use super::contract::Source;
use super::table::{Findings, Locator, TableBuilder};
use crate::diagnostic::Diagnostics;
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use datafusion::arrow::record_batch::RecordBatch;
use std::borrow::Cow;
use std::io::Cursor;

fn cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(Cow::Borrowed(s)),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(x) if dt.is_datetime() => Cell::Date(x.date()),
            // A duration or an out-of-range serial: shown as the number it is.
            _ => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => match super::cell::parse_date(s.get(..10).unwrap_or(s)) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(Cow::Borrowed(s)),
        },
        Data::DurationIso(s) => Cell::Text(Cow::Borrowed(s)),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Default limit on a workbook's unpacked size, in MiB (`HDV_MAX_XLSX_MB` overrides it).
pub const DEFAULT_MAX_UNPACKED_MB: u64 = 2048;

/// Refuses a workbook whose parts unpack to more than the limit (a zip bomb: a tiny file with
/// a huge sheet), before anything is unpacked. Reads only the zip directory.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), String> {
    let limit_mb = std::env::var("HDV_MAX_XLSX_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(DEFAULT_MAX_UNPACKED_MB);
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(()); // not a zip: calamine says what is wrong
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if let Ok(f) = zip.by_index_raw(i) {
            total = total.saturating_add(f.size());
        }
    }
    if total > limit_mb.saturating_mul(1 << 20) {
        return Err(format!(
            "de werkmap is uitgepakt {} MB groot, meer dan de grens van {limit_mb} MB (bescherming tegen zip-bommen); is het bestand echt zo groot, zet dan de omgevingsvariabele HDV_MAX_XLSX_MB hoger",
            total >> 20
        ));
    }
    Ok(())
}

/// Reads `source` from workbook bytes; `file` is the name used in messages.
pub fn read(
    bytes: &[u8],
    file: &str,
    source: Source,
    prisons: &[String],
) -> (Option<(RecordBatch, usize)>, Diagnostics) {
    let mut findings = Findings::default();
    if let Err(m) = check_unpacked_size(bytes) {
        findings.error(file.to_string(), m);
        return (None, findings.finish(file));
    }
    let mut wb = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            findings.error(
                file.to_string(),
                format!(
                    "het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden: beschadigd, afgekapt of met een wachtwoord beveiligd? ({e})"
                ),
            );
            return (None, findings.finish(file));
        }
    };
    let names = wb.sheet_names();
    let Some(sheet) = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case(source.name()))
        .or_else(|| names.first())
        .cloned()
    else {
        findings.error(file.to_string(), "de werkmap bevat geen werkblad".into());
        return (None, findings.finish(file));
    };
    let range = match wb.worksheet_range(&sheet) {
        Ok(r) => r,
        Err(e) => {
            findings.error(
                format!("{file}!{sheet}"),
                format!("het werkblad kan niet gelezen worden: {e}"),
            );
            return (None, findings.finish(file));
        }
    };
    let locator = Locator::Sheet {
        file: file.to_string(),
        sheet: sheet.clone(),
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let (row0, col0) = (row0 as usize, col0 as usize);
    let mut rows = range.rows();
    // Row 1 holds the headers; a sheet whose used range starts lower has an empty row 1.
    let header_cells: Vec<String> = if row0 == 0 {
        rows.next()
            .map(|r| r.iter().map(|d| cell(d).shown()).collect())
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let mut headers = vec![String::new(); col0];
    headers.extend(header_cells);
    let height = range.height();
    let (builder, header_findings) =
        TableBuilder::new(source, &headers, 1, locator, prisons, false, height);
    let mut diags = header_findings.diags;
    let Some(mut builder) = builder else {
        return (None, diags);
    };
    let first_data = if row0 == 0 { 1 } else { row0 };
    for (i, r) in rows.enumerate() {
        let row_no = first_data + i + 1;
        builder.push_row(row_no, |c| {
            c.checked_sub(col0)
                .and_then(|j| r.get(j))
                .map(cell)
                .unwrap_or(Cell::Empty)
        });
    }
    let (out, rest) = builder.finish();
    diags.extend(rest);
    (out, diags)
}
