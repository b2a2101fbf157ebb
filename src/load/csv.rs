//! CSV files: UTF-8 (BOM allowed), UTF-16 (decoded) or Windows-1252 (read with a warning),
//! `;` or `,` (whichever occurs more in the header line), a
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

impl Scan {
    /// A line that stops the file from being read, and why.
    fn refusal(&self) -> Option<LineMessage> {
        if let Some(line) = self.unclosed_quote {
            return Some((
                line,
                "een cel begint met een aanhalingsteken (\") dat nergens gesloten wordt: de rest van het bestand zou als één cel gelezen worden; sluit het aanhalingsteken of verwijder het".into(),
            ));
        }
        self.too_wide.map(|line| {
            (
                line,
                format!(
                    "de regel telt meer dan {MAX_COLUMNS} velden, meer dan een werkblad kolommen heeft (is het scheidingsteken juist?)"
                ),
            )
        })
    }
}

/// The header row at the 1-based `header_row` and the first rows, for recognising a profile.
fn first_rows(bytes: &[u8], header_row: usize) -> super::profile::FirstRows {
    let n = super::profile::HEADER_SEARCH_ROWS;
    // The first lines may hold no separator (titles): the first line that does.
    let d = (1..=n)
        .map(|l| delimiter(bytes, l))
        .find(|d| *d == b';')
        .unwrap_or(b',');
    super::profile::FirstRows {
        header: record_at(bytes, delimiter(bytes, header_row), header_row),
        rows: first_records(bytes, d, n),
    }
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

/// The records of the first `lines` lines, placed by their line (an empty line, or one
/// inside a record that started earlier, is an empty row).
fn first_records(bytes: &[u8], delimiter: u8, lines: usize) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); lines];
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    for r in reader.records().map_while(Result::ok) {
        let line = record_line(bytes, &r);
        if line > lines {
            break;
        }
        if let Some(row) = line.checked_sub(1).and_then(|i| out.get_mut(i)) {
            *row = r.iter().map(str::to_string).collect();
        }
    }
    out
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
    let decoded = match decode(bytes) {
        Ok((text, warning)) => {
            if let Some((line, m)) = warning {
                findings.warning(format!("{file}:{line}"), m);
            }
            text
        }
        Err((line, m)) => {
            findings.error(format!("{file}:{line}"), m);
            return (None, findings.finish(file));
        }
    };
    let bytes: &[u8] = &decoded;
    let Ok(profile) = super::profile::choose(
        candidates,
        |p| Some(first_rows(bytes, p.header_row)),
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
    if let Some((line, m)) = scanned.refusal() {
        findings.error(format!("{file}:{line}"), m);
        return (None, findings.finish(file));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = StringRecord::new();
    let headers = match read_headers(&mut reader, &mut record, bytes, header_row, profile, meta) {
        Ok(h) => h,
        Err(e) => {
            findings.error(
                format!("{file}:{header_row}"),
                format!("ongeldige kopregel: {e}"),
            );
            return (None, findings.finish(file));
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

/// Reads the title rows (keeping the profile's extraction cell) and the header row at the
/// 1-based `header_row` (the csv reader skips empty lines, so rows are placed by their line).
fn read_headers(
    reader: &mut csv::Reader<&[u8]>,
    record: &mut StringRecord,
    bytes: &[u8],
    header_row: usize,
    profile: Option<&Profile>,
    meta: &mut super::Meta,
) -> Result<Vec<String>, csv::Error> {
    loop {
        if !reader.read_record(record)? {
            return Ok(Vec::new());
        }
        let line = record_line(bytes, record);
        if line < header_row {
            if let Some(Extraction::Cell(row, col, _)) = profile.and_then(|p| p.extraction.as_ref())
                && *row + 1 == line
            {
                meta.extraction_cell = record
                    .get(*col)
                    .map(|t| Cell::Text(Cow::Owned(t.to_string())));
            }
            continue;
        }
        return Ok(if line == header_row || profile.is_none() {
            record.iter().map(str::to_string).collect()
        } else {
            Vec::new()
        });
    }
}

/// A line-numbered finding: (1-based line, Dutch message).
type LineMessage = (usize, String);

/// The file's text as UTF-8: UTF-8 (with or without a byte-order mark) as it is; UTF-16
/// (by its byte-order mark, or by the NUL bytes every other byte of ASCII text has) decoded;
/// anything else read as Windows-1252, what Excel on a Belgian Windows writes for "CSV
/// (gescheiden door lijstscheidingsteken)", with a warning naming the first line that is
/// not UTF-8. `Err`: a file that is none of these.
fn decode(bytes: &[u8]) -> Result<(Cow<'_, [u8]>, Option<LineMessage>), LineMessage> {
    use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
    let line_at = |b: &[u8], i: usize| 1 + b[..i].iter().filter(|&&c| c == b'\n').count();
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(_) => Ok((Cow::Borrowed(rest), None)),
            Err(e) => Err((
                line_at(rest, e.valid_up_to()),
                "het bestand begint als UTF-8-tekst (met byte-order mark) maar bevat tekens die geen UTF-8 zijn; sla het opnieuw op als 'CSV UTF-8'".into(),
            )),
        };
    }
    let utf16 = match bytes {
        [0xFF, 0xFE, ..] => Some((UTF_16LE, &bytes[2..])),
        [0xFE, 0xFF, ..] => Some((UTF_16BE, &bytes[2..])),
        _ => utf16_by_nul_bytes(bytes).map(|e| (e, bytes)),
    };
    if let Some((encoding, body)) = utf16 {
        let name = if encoding == UTF_16LE {
            "UTF-16 (little-endian)"
        } else {
            "UTF-16 (big-endian)"
        };
        return match encoding.decode_without_bom_handling_and_without_replacement(body) {
            Some(text) if !text.contains('\0') => {
                Ok((Cow::Owned(text.into_owned().into_bytes()), None))
            }
            _ => Err((
                1,
                format!(
                    "het bestand lijkt {name}-tekst maar bevat ongeldige tekens of NUL-tekens; sla het opnieuw op als 'CSV UTF-8'"
                ),
            )),
        };
    }
    let Err(e) = std::str::from_utf8(bytes) else {
        return Ok((Cow::Borrowed(bytes), None));
    };
    let line = line_at(bytes, e.valid_up_to());
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    // Bytes Windows-1252 leaves undefined (and NUL) mean the file is something else.
    if text
        .chars()
        .any(|c| c == '\0' || ('\u{80}'..='\u{9F}').contains(&c))
    {
        return Err((
            line,
            "het bestand is geen geldige UTF-8-tekst en ook geen Windows-1252 (sla het op als 'CSV UTF-8')".into(),
        ));
    }
    let sample: String = text
        .lines()
        .nth(line - 1)
        .unwrap_or_default()
        .split([';', ','])
        .find(|w| !w.is_ascii())
        .unwrap_or_default()
        .trim()
        .chars()
        .take(40)
        .collect();
    Ok((
        Cow::Owned(text.into_owned().into_bytes()),
        Some((
            line,
            format!(
                "het bestand is geen UTF-8 en werd gelezen als Windows-1252 (zoals Excel 'CSV (gescheiden door lijstscheidingsteken)' bewaart), bv. {}; kloppen de letters met accenten? Sla het voortaan op als 'CSV UTF-8'",
                crate::diagnostic::quoted(&sample)
            ),
        )),
    ))
}

/// UTF-16 without a byte-order mark, told by its NUL bytes: ASCII text in UTF-16 has a NUL
/// in every other byte (the odd bytes in little-endian, the even ones in big-endian).
fn utf16_by_nul_bytes(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 >= pairs * 6 && even * 10 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 10 >= pairs * 6 && odd * 10 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
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
    fn encodings_are_told_apart_and_decoded() {
        let text = "naam;plaats\nJosé;Liège\n";
        let utf16le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let utf16be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        for (bytes, bom) in [(&utf16le, [0xFF, 0xFE]), (&utf16be, [0xFE, 0xFF])] {
            let with_bom = [bom.as_slice(), bytes].concat();
            for b in [bytes.as_slice(), &with_bom] {
                let (decoded, warning) = decode(b).unwrap();
                assert_eq!(std::str::from_utf8(&decoded).unwrap(), text);
                assert_eq!(warning, None);
            }
        }
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let (decoded, warning) = decode(&latin).unwrap();
        assert_eq!(std::str::from_utf8(&decoded).unwrap(), text);
        let (line, m) = warning.unwrap();
        assert_eq!(line, 2);
        assert!(m.contains("Windows-1252") && m.contains("'José'"), "{m}");
        let with_bom = format!("\u{FEFF}{text}");
        let (decoded, warning) = decode(with_bom.as_bytes()).unwrap();
        assert_eq!(
            (std::str::from_utf8(&decoded).unwrap(), warning),
            (text, None)
        );
        // An odd UTF-16 byte count and undefined Windows-1252 bytes are refused.
        assert!(
            decode(&[0xFF, 0xFE, b'a', 0, b'b'])
                .unwrap_err()
                .1
                .contains("UTF-16")
        );
        assert!(decode(b"a;b\n\x81\x8d;c\n").is_err());
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
