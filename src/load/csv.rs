//! CSV files: UTF-8 (BOM allowed), `;` or `,` (whichever occurs more in the header line), a
//! decimal comma in `;`-separated files.
//!
//! Before the csv crate reads a record, one pass over the bytes (the quoting rules of the csv
//! crate: a quote opens a quoted field only at the start of a field) finds a quote that is
//! never closed, which would turn the rest of the file into one cell, and a line with more
//! fields than a sheet can have; both are errors naming the line. A cell between quotes that
//! runs over several lines is read, with a warning naming its line.

use super::cell::Cell;
use super::contract::Source;
use super::limits::{self, MAX_COLUMNS};
use super::profile::{Extraction, Profile};
use super::table::{Findings, Locator, TableBuilder};
use crate::diagnostic::Diagnostics;
use csv::StringRecord;
use datafusion::arrow::record_batch::RecordBatch;
use std::borrow::Cow;

/// What one pass over the bytes found.
#[derive(Debug, PartialEq)]
struct Scan {
    /// Records (lines outside quotes).
    records: usize,
    /// The line of a quote that opens a field and is never closed.
    unclosed_quote: Option<usize>,
    /// The first line with more than [`MAX_COLUMNS`] fields, and its count so far.
    too_wide: Option<usize>,
}

fn scan(bytes: &[u8], delimiter: u8) -> Scan {
    let mut line = 1usize;
    let mut records = 0usize;
    let mut fields = 1usize;
    let mut at_field_start = true;
    let mut quoted_since: Option<usize> = None;
    let mut too_wide = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if quoted_since.is_some() {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                quoted_since = None;
            } else if b == b'\n' {
                line += 1;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' if at_field_start => {
                quoted_since = Some(line);
                at_field_start = false;
            }
            b'\n' => {
                line += 1;
                records += 1;
                fields = 1;
                at_field_start = true;
            }
            b'\r' => at_field_start = true,
            d if d == delimiter => {
                fields += 1;
                at_field_start = true;
                if fields > MAX_COLUMNS && too_wide.is_none() {
                    too_wide = Some(line);
                }
            }
            _ => at_field_start = false,
        }
        i += 1;
    }
    if !bytes.ends_with(b"\n") && !bytes.is_empty() {
        records += 1;
    }
    Scan {
        records,
        unclosed_quote: quoted_since,
        too_wide,
    }
}

/// `;` or `,`, whichever occurs more often in the 1-based `line` (the header line).
fn delimiter(bytes: &[u8], line: usize) -> u8 {
    let header_line = bytes
        .split(|&b| b == b'\n')
        .nth(line.saturating_sub(1))
        .unwrap_or_default();
    let semis = header_line.iter().filter(|&&b| b == b';').count();
    let commas = header_line.iter().filter(|&&b| b == b',').count();
    if semis > commas { b';' } else { b',' }
}

/// The first `n` records of the file (fewer when it is shorter).
fn first_records(bytes: &[u8], delimiter: u8, n: usize) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader
        .records()
        .take(n)
        .map_while(Result::ok)
        .map(|r| r.iter().map(str::to_string).collect())
        .collect()
}

pub fn read(
    bytes: &[u8],
    file: &str,
    source: Source,
    prisons: &[String],
    candidates: &[&Profile],
    meta: &mut super::Meta,
) -> (Option<(RecordBatch, usize)>, Diagnostics) {
    let mut findings = Findings::default();
    let (max_mb, max_bytes) = limits::mib("HDV_MAX_CSV_MB", limits::DEFAULT_MAX_CSV_MB);
    if bytes.len() as u64 > max_bytes {
        findings.error(file.to_string(), too_large(bytes.len() as u64, max_mb));
        return (None, findings.finish(file));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        findings.error(
            format!("{file}:{line}"),
            "het bestand is geen geldige UTF-8-tekst (sla het op als 'CSV UTF-8')".into(),
        );
        return (None, findings.finish(file));
    }
    let profile = match super::profile::recognise(candidates, |p| {
        first_records(bytes, delimiter(bytes, p.header_row), p.header_row)
            .get(p.header_row - 1)
            .cloned()
    }) {
        Ok(p) => p,
        Err(m) => {
            findings.error(file.to_string(), m);
            return (None, findings.finish(file));
        }
    };
    meta.profile = profile.map(|p| p.id.clone());
    let header_row = profile.map_or(1, |p| p.header_row);
    let delimiter = delimiter(bytes, header_row);
    let semicolon = delimiter == b';';
    let scanned = scan(bytes, delimiter);
    if let Some(line) = scanned.unclosed_quote {
        findings.error(
            format!("{file}:{line}"),
            "een cel begint met een aanhalingsteken (\") dat nergens gesloten wordt: de rest van het bestand zou als één cel gelezen worden; sluit het aanhalingsteken of verwijder het".into(),
        );
        return (None, findings.finish(file));
    }
    if let Some(line) = scanned.too_wide {
        findings.error(
            format!("{file}:{line}"),
            format!(
                "de regel telt meer dan {MAX_COLUMNS} velden, meer dan een werkblad kolommen heeft (is het scheidingsteken juist?)"
            ),
        );
        return (None, findings.finish(file));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = StringRecord::new();
    for r in 0..header_row - 1 {
        match reader.read_record(&mut record) {
            Ok(true) => {
                if let Some(Extraction::Cell(row, col, _)) =
                    profile.and_then(|p| p.extraction.as_ref())
                    && *row == r
                {
                    meta.extraction_cell = record
                        .get(*col)
                        .map(|t| Cell::Text(Cow::Owned(t.to_string())));
                }
            }
            _ => break,
        }
    }
    let headers: Vec<String> = match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_string).collect(),
        Ok(false) => Vec::new(),
        Err(e) => {
            findings.error(
                format!("{file}:{header_row}"),
                format!("ongeldige kopregel: {e}"),
            );
            return (None, findings.finish(file));
        }
    };
    let locator = Locator::Csv {
        file: file.to_string(),
    };
    let mut builder = match TableBuilder::with_profile(
        source,
        &headers,
        header_row,
        locator,
        prisons,
        semicolon,
        scanned.records,
        profile,
    ) {
        Ok(b) => b,
        Err(diags) => return (None, diags),
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
                let breaks: usize = record
                    .iter()
                    .map(|f| f.bytes().filter(|&b| b == b'\n').count())
                    .sum();
                if breaks > 0 {
                    builder.findings.warning(
                        format!("{file}:{line}"),
                        format!(
                            "een cel tussen aanhalingstekens loopt over meerdere regels (tot regel {}); klopt dat, of ontbreekt er een sluitend aanhalingsteken?",
                            line + breaks
                        ),
                    );
                }
                let r = &record;
                builder.push_row(line, |c| match r.get(c) {
                    Some(t) => Cell::Text(Cow::Borrowed(t)),
                    None => Cell::Empty,
                });
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                builder.findings.error(
                    format!("{file}:{line}"),
                    format!("ongeldige CSV-regel: {e}"),
                );
            }
        }
    }
    builder.finish()
}

/// The message for a CSV file over `HDV_MAX_CSV_MB`.
pub fn too_large(size: u64, max_mb: u64) -> String {
    format!(
        "het bestand is {} MB groot, meer dan de grens van {max_mb} MB voor CSV (bescherming van het geheugen); is het echt zo groot, zet dan de omgevingsvariabele HDV_MAX_CSV_MB hoger",
        (size + (1 << 19)) >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_follow_the_csv_rules() {
        let s = scan(b"a,b\n\"x\"\"y\",2\n", b',');
        assert_eq!((s.records, s.unclosed_quote), (2, None));
        // A quote inside an unquoted field is a character like any other.
        assert_eq!(scan(b"a,b\nzie \"griffie,2\n", b',').unclosed_quote, None);
        assert_eq!(
            scan(b"a,b\n1,2\n\"zie griffie,2\n3,4\n", b',').unclosed_quote,
            Some(3)
        );
        // A quoted cell over two lines is one record.
        assert_eq!(scan(b"a,b\n\"x\ny\",2\n", b',').records, 2);
    }
}
