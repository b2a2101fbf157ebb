//! Workbooks (`.xlsx`) with calamine.

use super::cell::Cell;
use super::profile::{Extraction, Profile};
use super::table::{Findings, Locator, TableBuilder, col_letters};
use crate::contract::Source;
use crate::diagnostic::Diagnostics;
use crate::limits::{self, MAX_COLUMNS};
use calamine::{DataRef, Reader, Xlsx, XlsxCellFormula, XlsxCellReader};
use datafusion::arrow::record_batch::RecordBatch;
use std::borrow::Cow;
use std::io::Cursor;

/// The first bytes of an OLE compound file: what Excel writes for a password-protected
/// (encrypted) workbook, and for the old `.xls` format.
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn cell<'a>(d: &'a DataRef<'_>) -> Cell<'a> {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(Cow::Borrowed(s)),
        DataRef::SharedString(s) => Cell::Text(Cow::Borrowed(s)),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Bool(b) => Cell::Bool(*b),
        // A serial below 1 is a time of day without a date (Excel shows `12:00`), or 0 or
        // negative: calamine would make it 1899-12-31 or earlier.
        DataRef::DateTime(dt) if dt.is_datetime() && dt.as_f64() < 1.0 => {
            let f = dt.as_f64();
            if f > 0.0 {
                let minutes = (f * 1440.0).round() as u32;
                Cell::Time(format!("{}:{:02}", minutes / 60 % 24, minutes % 60))
            } else {
                Cell::Number(f)
            }
        }
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(x) if dt.is_datetime() => Cell::Date(x.date()),
            // A duration or an out-of-range serial: shown as the number it is.
            _ => Cell::Number(dt.as_f64()),
        },
        DataRef::DateTimeIso(s) => match super::cell::parse_date(s.get(..10).unwrap_or(s)) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(Cow::Borrowed(s)),
        },
        DataRef::DurationIso(s) => Cell::Text(Cow::Borrowed(s)),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Refuses a workbook whose parts unpack to more than the limit (a zip bomb: a tiny file with
/// a huge sheet), before anything is unpacked: reads only the sizes the zip directory declares.
/// A part whose declared size lies is stopped while it is unpacked: the zip reader never
/// yields more than the declared size (tested in `tests/it/corpus.rs`).
fn check_unpacked_size(bytes: &[u8]) -> Result<(), String> {
    let limit_mb = limits::get("HDV_MAX_XLSX_MB", limits::DEFAULT_MAX_UNPACKED_MB);
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

/// Refuses a workbook whose shared-string table (which calamine keeps in memory whole) holds
/// more strings or more text than the limits, before calamine reads it: one streaming pass
/// counts the `<si>` elements (and checks the count the part declares, which calamine uses to
/// reserve memory). The part's unpacked size bounds its text.
fn check_shared_strings(bytes: &[u8]) -> Result<(), String> {
    use quick_xml::events::Event;
    let max_count = limits::get("HDV_MAX_SHARED_STRINGS", limits::DEFAULT_MAX_SHARED_STRINGS);
    let (max_mb, max_bytes) = limits::mib(
        "HDV_MAX_SHARED_STRINGS_MB",
        limits::DEFAULT_MAX_SHARED_STRINGS_MB,
    );
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let too_many = |n: u64| {
        format!(
            "de tabel met gedeelde teksten van de werkmap telt meer dan {max_count} teksten ({n}), de grens (bescherming van het geheugen); is het bestand echt zo groot, zet dan de omgevingsvariabele HDV_MAX_SHARED_STRINGS hoger"
        )
    };
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let is_sst = part
            .name()
            .ok()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
        if !is_sst {
            continue;
        }
        if part.size() > max_bytes {
            return Err(format!(
                "de tabel met gedeelde teksten van de werkmap is uitgepakt {} MB groot, meer dan de grens van {max_mb} MB (bescherming van het geheugen); is het bestand echt zo groot, zet dan de omgevingsvariabele HDV_MAX_SHARED_STRINGS_MB hoger",
                part.size() >> 20
            ));
        }
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
        let mut buf = Vec::new();
        let mut count: u64 = 0;
        loop {
            buf.clear();
            match xml.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                    "si" => {
                        count += 1;
                        if count > max_count {
                            return Err(too_many(count));
                        }
                    }
                    "sst" => {
                        let declared = e
                            .try_get_attribute("uniqueCount")
                            .ok()
                            .flatten()
                            .and_then(|a| a.value.trim().parse::<u64>().ok());
                        if let Some(n) = declared.filter(|n| *n > max_count) {
                            return Err(too_many(n));
                        }
                    }
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break, // calamine says what is wrong
                _ => {}
            }
        }
    }
    Ok(())
}

/// Reads `source` from workbook bytes; `file` is the name used in messages.
///
/// The sheet is streamed cell by cell, one row buffered at a time: memory follows the filled
/// cells, never the sheet's dimensions (a sheet with a cell in `XFD1048576` costs nothing).
/// The sheet a profile names (compared ignoring case), else the source's sheet, else the
/// first sheet.
fn pick_sheet(names: &[String], source: Source, profile: Option<&Profile>) -> Option<String> {
    match profile.and_then(|p| p.sheet.as_deref()) {
        Some(want) => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(want))
            .cloned(),
        None => names
            .iter()
            .find(|n| n.trim().eq_ignore_ascii_case(source.name()))
            .or_else(|| names.first())
            .cloned(),
    }
}

/// The cells of the first `rows` rows of `sheet` (stopping there), as owned cells by row.
/// Whether any XML part of the workbook (the shared strings aside) holds merged cells: a
/// streaming byte search for `<mergeCells` over the unpacked parts. XML escapes `<` in cell
/// text, so only the element itself matches. When in doubt (a part that cannot be read) the
/// answer is yes, and calamine decides.
fn has_merged_cells(bytes: &[u8]) -> bool {
    use std::io::Read;
    const NEEDLE: &[u8] = b"<mergeCells";
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return true;
    };
    let finder = memchr::memmem::Finder::new(NEEDLE);
    let mut buf = vec![0u8; 1 << 16];
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            return true;
        };
        let name = part
            .name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if !name.ends_with(".xml") || name.ends_with("sharedstrings.xml") {
            continue;
        }
        // The last NEEDLE.len() - 1 bytes of a chunk stay in front of the next one, so a
        // match across two chunks is found.
        let mut carry = 0;
        loop {
            let n = match part.read(&mut buf[carry..]) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return true,
            };
            let end = carry + n;
            if finder.find(&buf[..end]).is_some() {
                return true;
            }
            carry = (NEEDLE.len() - 1).min(end);
            buf.copy_within(end - carry..end, 0);
        }
    }
    false
}

fn first_rows(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &str,
    rows: usize,
) -> Option<Vec<Vec<Cell<'static>>>> {
    let mut reader = wb.worksheet_cells_reader(sheet).ok()?;
    // Grown with the cells read: a header row of 10^9 costs nothing for an empty sheet.
    let mut out: Vec<Vec<Cell<'static>>> = Vec::new();
    while let Ok(Some(c)) = reader.next_cell_with_formula() {
        let (r, col) = (c.pos.0 as usize, c.pos.1 as usize);
        if r >= rows {
            break;
        }
        if col < MAX_COLUMNS {
            if out.len() <= r {
                out.resize(r + 1, Vec::new());
            }
            let row = &mut out[r];
            if row.len() <= col {
                row.resize(col + 1, Cell::Empty);
            }
            row[col] = owned(cell(&c.value));
        }
    }
    Some(out)
}

fn owned(c: Cell<'_>) -> Cell<'static> {
    match c {
        Cell::Text(t) => Cell::Text(Cow::Owned(t.into_owned())),
        Cell::Empty => Cell::Empty,
        Cell::Number(n) => Cell::Number(n),
        Cell::Date(d) => Cell::Date(d),
        Cell::Time(t) => Cell::Time(t),
        Cell::Bool(b) => Cell::Bool(b),
        Cell::Error(e) => Cell::Error(e),
    }
}

pub(crate) fn read(
    bytes: &[u8],
    file: &str,
    source: Source,
    prisons: &[String],
    candidates: &[&Profile],
    meta: &mut super::Meta,
) -> (Option<(RecordBatch, usize)>, Diagnostics) {
    let mut wb = match open(bytes, file) {
        Ok(wb) => wb,
        Err(diags) => return (None, diags),
    };
    let mut findings = Findings::default();
    let Some((profile, sheet)) =
        choose_sheet(&mut wb, file, source, candidates, &mut findings, meta)
    else {
        return (None, findings.finish(file));
    };
    let header_index = profile.map_or(0, |p| p.header_row - 1) as u32;
    let extraction_cell = match profile.and_then(|p| p.extraction.as_ref()) {
        Some(Extraction::Cell(r, c, _)) => Some((*r as u32, *c as u32)),
        _ => None,
    };
    let at = SheetAt {
        file,
        locator: Locator::Sheet {
            file: file.to_string(),
            sheet: sheet.clone(),
        },
        sheet_at: format!("{file}!{sheet}"),
    };
    let mut reader = match wb.worksheet_cells_reader(&sheet) {
        Ok(r) => r,
        Err(e) => return (None, at.unreadable(e)),
    };
    // A capacity hint only: the declared dimension may lie.
    let dims = reader.dimensions();
    let capacity = (dims.end.0.saturating_sub(dims.start.0) as usize + 1).min(1 << 20);
    let (headers, pending) = match read_headers(&mut reader, header_index, extraction_cell, meta) {
        Ok(h) => h,
        Err(e) => return (None, at.unreadable(e)),
    };
    let mut builder = match TableBuilder::with_early(
        std::mem::take(&mut findings),
        TableBuilder::new(
            source,
            &headers,
            header_index as usize + 1,
            at.locator.clone(),
            prisons,
            false,
            capacity,
            profile,
        ),
    ) {
        Ok(b) => b,
        Err(diags) => return (None, diags),
    };
    let stream_error = match at.stream_rows(&mut reader, pending, &mut builder, headers.len()) {
        Ok(e) => e,
        Err(diags) => return (None, diags),
    };
    drop(reader);
    // calamine's merge-cell reader parses the whole sheet's XML a second time: only when a
    // byte search finds merged cells at all.
    let merged = if has_merged_cells(bytes) {
        wb.merge_cells_by_sheet_name(&sheet).unwrap_or_default()
    } else {
        Vec::new()
    };
    if let Some(e) = stream_error {
        let (_, mut diags) = builder.finish();
        diags.extend(at.unreadable(e));
        return (None, diags);
    }
    for m in merged.iter().filter(|m| m.end.0 > header_index) {
        builder.findings.warning(
            format!(
                "{}!{}{}:{}{}",
                at.sheet_at,
                col_letters(m.start.1 as usize),
                m.start.0 + 1,
                col_letters(m.end.1 as usize),
                m.end.0 + 1
            ),
            "samengevoegde cellen: alleen de eerste cel heeft een waarde, de andere gelden als leeg".into(),
        );
    }
    builder.finish_into(meta)
}

/// The workbook in `bytes`, or why it cannot be read (too large once unpacked, encrypted,
/// an old `.xls`, damaged).
fn open<'b>(bytes: &'b [u8], file: &str) -> Result<Xlsx<Cursor<&'b [u8]>>, Diagnostics> {
    let mut findings = Findings::default();
    if let Err(m) = check_unpacked_size(bytes).and_then(|_| check_shared_strings(bytes)) {
        findings.error(file.to_string(), m);
        return Err(findings.finish(file));
    }
    if bytes.starts_with(&CFB_MAGIC) {
        findings.error(
            file.to_string(),
            "het bestand is met een wachtwoord beveiligd (versleuteld) of is een oud Excel-bestand (.xls); bewaar het in Excel als .xlsx zonder wachtwoord".into(),
        );
        return Err(findings.finish(file));
    }
    match Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => Ok(wb),
        Err(e) => {
            findings.error(
                file.to_string(),
                format!(
                    "het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden: beschadigd of afgekapt? ({e})"
                ),
            );
            Err(findings.finish(file))
        }
    }
}

/// The delivery profile that fits the workbook (of `candidates`; `None` for the contract's
/// layout) and the sheet to read; `None` (the reason in `findings`) when there is none.
fn choose_sheet<'p>(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    file: &str,
    source: Source,
    candidates: &[&'p Profile],
    findings: &mut Findings,
    meta: &mut super::Meta,
) -> Option<(Option<&'p Profile>, String)> {
    let names = wb.sheet_names();
    let rows_of = |p: &Profile| {
        let sheet = pick_sheet(&names, source, Some(p))?;
        let texts = |r: &[Cell]| r.iter().map(Cell::shown).collect::<Vec<String>>();
        let search = super::profile::HEADER_SEARCH_ROWS;
        let rows = first_rows(wb, &sheet, p.header_row.max(search))?;
        Some(super::profile::FirstRows {
            header: rows.get(p.header_row - 1).map(|r| texts(r)),
            rows: rows.iter().take(search).map(|r| texts(r)).collect(),
        })
    };
    let Ok(profile) = super::profile::choose(candidates, rows_of, file, findings, meta) else {
        return None;
    };
    let Some(sheet) = pick_sheet(&names, source, profile) else {
        match profile.and_then(|p| p.sheet.as_ref().map(|s| (p, s))) {
            Some((p, want)) => findings.error(
                file.to_string(),
                format!(
                    "het werkblad {} uit het leveringsprofiel {} ontbreekt (werkbladen: {}); pas `blad` aan in {}",
                    crate::diagnostic::quoted(want),
                    p.id,
                    names.join(", "),
                    p.line("blad")
                ),
            ),
            None => findings.error(file.to_string(), "de werkmap bevat geen werkblad".into()),
        }
        return None;
    };
    Some((profile, sheet))
}

/// The title rows (the extraction date's cell kept in `meta`) and the header row: the
/// headers and the first cell after them.
fn read_headers<'a>(
    reader: &mut XlsxCellReader<'a, Cursor<&[u8]>>,
    header_index: u32,
    extraction_cell: Option<(u32, u32)>,
    meta: &mut super::Meta,
) -> Result<(Vec<String>, Option<XlsxCellFormula<'a>>), calamine::XlsxError> {
    // Row 1 (or the profile's header row) holds the headers; rows above it are title rows.
    // Cells come in stream order: row by row.
    let mut pending = reader.next_cell_with_formula()?;
    while let Some(c) = pending.as_ref().filter(|c| c.pos.0 < header_index) {
        if extraction_cell == Some(c.pos) {
            meta.extraction_cell = Some(owned(cell(&c.value)));
        }
        pending = reader.next_cell_with_formula()?;
    }
    let mut headers: Vec<String> = Vec::new();
    while let Some(c) = pending.as_ref().filter(|c| c.pos.0 == header_index) {
        let col = c.pos.1 as usize;
        if col < MAX_COLUMNS {
            if headers.len() <= col {
                headers.resize(col + 1, String::new());
            }
            headers[col] = cell(&c.value).shown();
        }
        pending = reader.next_cell_with_formula()?;
    }
    Ok((headers, pending))
}

/// The sheet being read, as messages name it.
struct SheetAt<'a> {
    file: &'a str,
    locator: Locator,
    /// `file!sheet`.
    sheet_at: String,
}

impl SheetAt<'_> {
    /// The findings of a sheet that cannot be read further.
    fn unreadable(&self, e: calamine::XlsxError) -> Diagnostics {
        let mut f = Findings::default();
        f.error(
            self.sheet_at.clone(),
            format!("het werkblad kan niet gelezen worden: beschadigd of afgekapt? ({e})"),
        );
        f.finish(self.file)
    }

    /// The data rows from `pending` on into `builder` (`filled` cells counted so far).
    /// Returns the error that ended the stream early, if any; `Err` when the sheet has more
    /// filled cells than allowed.
    fn stream_rows<'a>(
        &self,
        reader: &mut XlsxCellReader<'a, Cursor<&[u8]>>,
        mut pending: Option<XlsxCellFormula<'a>>,
        builder: &mut TableBuilder,
        filled: usize,
    ) -> Result<Option<calamine::XlsxError>, Diagnostics> {
        let (file, locator, sheet_at) = (self.file, &self.locator, &self.sheet_at);
        let max_cells = limits::get("HDV_MAX_CELLS", limits::DEFAULT_MAX_CELLS);
        let width = builder.width();
        let mut row: Vec<DataRef> = vec![DataRef::Empty; width];
        let mut row_index: Option<u32> = None;
        let mut filled: u64 = filled as u64;
        let mut stream_error = None;
        let flush = |builder: &mut TableBuilder, row: &mut Vec<DataRef>, index: u32| {
            builder.push_row(index as usize + 1, |c| {
                row.get(c).map(cell).unwrap_or(Cell::Empty)
            });
            row.iter_mut().for_each(|v| *v = DataRef::Empty);
        };
        while let Some(c) = pending.take() {
            let (r, col) = (c.pos.0, c.pos.1 as usize);
            if row_index != Some(r) {
                if let Some(prev) = row_index {
                    flush(builder, &mut row, prev);
                }
                row_index = Some(r);
            }
            if !matches!(c.value, DataRef::Empty) {
                filled += 1;
                if filled > max_cells {
                    let mut f = Findings::default();
                    f.error(
                        sheet_at.clone(),
                        format!(
                            "het werkblad telt meer dan {max_cells} gevulde cellen, de grens (bescherming van het geheugen); is het bestand echt zo groot, zet dan de omgevingsvariabele HDV_MAX_CELLS hoger"
                        ),
                    );
                    return Err(f.finish(file));
                }
            } else if c.formula.is_some() && col < width {
                builder.findings.error(
                    locator.at(r as usize + 1, col, ""),
                    "formule zonder berekende waarde; open en bewaar het bestand in Excel zodat de waarde bewaard wordt".into(),
                );
            }
            if col < width {
                row[col] = c.value;
            }
            pending = match reader.next_cell_with_formula() {
                Ok(c) => c,
                Err(e) => {
                    stream_error = Some(e);
                    None
                }
            };
        }
        if let Some(prev) = row_index {
            flush(builder, &mut row, prev);
        }
        Ok(stream_error)
    }
}
