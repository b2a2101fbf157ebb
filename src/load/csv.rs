//! CSV files: UTF-8 (BOM allowed), `;` or `,` (whichever occurs more in the header line), a
//! decimal comma in `;`-separated files.
//!
//! Before the csv crate reads a record, one pass over the bytes (the quoting rules of the csv
//! crate: a quote opens a quoted field only at the start of a field) finds a quote that is
//! never closed, which would turn the rest of the file into one cell, and a line with more
//! fields than a sheet can have; both are errors naming the line. A cell between quotes that
//! runs over several lines is read, with a warning naming its line.

use super::cell::Cell;
use super::profile::{Extraction, Profile};
use super::table::{Findings, Locator, TableBuilder};
use crate::contract::Source;
use crate::diagnostic::Diagnostics;
use crate::limits::{self, MAX_COLUMNS};
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

/// The 1-based line a record starts on. The csv reader places a record after empty lines
/// on the first of those empty lines; this skips them.
fn record_line(bytes: &[u8], record: &StringRecord) -> usize {
    let Some(p) = record.position() else { return 0 };
    let mut line = p.line() as usize;
    for &b in bytes.get(p.byte() as usize..).unwrap_or_default() {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
    }
    line
}

/// The record that starts on the 1-based `line` (empty lines hold no record).
fn record_at(bytes: &[u8], delimiter: u8, line: usize) -> Option<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader
        .records()
        .map_while(Result::ok)
        .take_while(|r| record_line(bytes, r) <= line)
        .find(|r| record_line(bytes, r) == line)
        .map(|r| r.iter().map(str::to_string).collect())
}

pub(crate) fn read(
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
    let Ok(profile) = super::profile::choose(
        candidates,
        |p| record_at(bytes, delimiter(bytes, p.header_row), p.header_row),
        file,
        &mut findings,
        meta,
    ) else {
        return (None, findings.finish(file));
    };
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
    // Title rows above the header row (the csv reader skips empty lines, so rows are
    // placed by their line).
    let headers: Vec<String> = loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let line = record_line(bytes, &record);
                if line < header_row {
                    if let Some(Extraction::Cell(row, col, _)) =
                        profile.and_then(|p| p.extraction.as_ref())
                        && *row + 1 == line
                    {
                        meta.extraction_cell = record
                            .get(*col)
                            .map(|t| Cell::Text(Cow::Owned(t.to_string())));
                    }
                    continue;
                }
                break if line == header_row || profile.is_none() {
                    record.iter().map(str::to_string).collect()
                } else {
                    Vec::new()
                };
            }
            Ok(false) => break Vec::new(),
            Err(e) => {
                findings.error(
                    format!("{file}:{header_row}"),
                    format!("ongeldige kopregel: {e}"),
                );
                return (None, findings.finish(file));
            }
        }
    };
    let locator = match profile {
        None => Locator::Csv {
            file: file.to_string(),
        },
        Some(_) => Locator::CsvHeaders {
            file: file.to_string(),
            headers: headers.clone(),
        },
    };
    let mut builder = match TableBuilder::with_early(
        std::mem::take(&mut findings),
        TableBuilder::new(
            source,
            &headers,
            header_row,
            locator,
            prisons,
            semicolon,
            scanned.records,
            profile,
        ),
    ) {
        Ok(b) => b,
        Err(diags) => return (None, diags),
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record_line(bytes, &record);
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
    builder.finish_into(meta)
}

/// The message for a CSV file over `HDV_MAX_CSV_MB`.
pub(crate) fn too_large(size: u64, max_mb: u64) -> String {
    format!(
        "het bestand is {} MB groot, meer dan de grens van {max_mb} MB voor CSV (bescherming van het geheugen); is het echt zo groot, zet dan de omgevingsvariabele HDV_MAX_CSV_MB hoger",
        (size + (1 << 19)) >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_placed_by_their_line() {
        let text = b"Titel\nExtractie: 15.01.2025\n\nA;B\n1;2\n";
        assert_eq!(delimiter(text, 4), b';');
        assert_eq!(
            record_at(text, b';', 4),
            Some(vec!["A".to_string(), "B".to_string()])
        );
        assert_eq!(record_at(text, b';', 3), None);
    }

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
