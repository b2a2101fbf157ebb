//! CSV files: UTF-8 (BOM allowed), `;` or `,` (whichever occurs more in the header line), a
//! decimal comma in `;`-separated files.

use super::cell::Cell;
use super::contract::Source;
use super::table::{Findings, Locator, TableBuilder};
use crate::diagnostic::Diagnostics;
use datafusion::arrow::record_batch::RecordBatch;
use std::borrow::Cow;

pub fn read(
    bytes: &[u8],
    file: &str,
    source: Source,
    prisons: &[String],
) -> (Option<(RecordBatch, usize)>, Diagnostics) {
    let mut findings = Findings::default();
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
    let header_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let semis = header_line.iter().filter(|&&b| b == b';').count();
    let commas = header_line.iter().filter(|&&b| b == b',').count();
    let semicolon = semis > commas;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(if semicolon { b';' } else { b',' })
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.records();
    let headers: Vec<String> = match records.next() {
        Some(Ok(r)) => r.iter().map(str::to_string).collect(),
        Some(Err(e)) => {
            findings.error(format!("{file}:1"), format!("ongeldige kopregel: {e}"));
            return (None, findings.finish(file));
        }
        None => Vec::new(),
    };
    let locator = Locator::Csv {
        file: file.to_string(),
    };
    let capacity = bytes.iter().filter(|&&b| b == b'\n').count();
    let (builder, header_findings) =
        TableBuilder::new(source, &headers, 1, locator, prisons, semicolon, capacity);
    let mut diags = header_findings.diags;
    let Some(mut builder) = builder else {
        return (None, diags);
    };
    for rec in records {
        match rec {
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(0);
                builder.push_row(line, |c| match r.get(c) {
                    Some(t) => Cell::Text(Cow::Owned(t.to_string())),
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
    let (out, rest) = builder.finish();
    diags.extend(rest);
    (out, diags)
}
