//! Workbooks: one sheet per section, every figure a number with a number format, suppressed
//! figures as their mark (`<5`) with a note, frozen headers and a filter over the data only.
//! Text is always written as a string: a value that starts with `=`, `+`, `-` or `@` never
//! becomes a formula.

use super::words::{self, Marks};
use crate::error::{Error, Result};
use crate::report::{Figure, Shown, Unit};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

pub(crate) fn err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Render(format!(
        "de werkmap kan niet gemaakt worden: {}",
        xlsx_words(&e)
    ))
}

/// The workbook writer's error in Dutch (the causes data can bring about worded; any other is
/// an internal error, with the writer's own text).
pub(crate) fn xlsx_words(e: &rust_xlsxwriter::XlsxError) -> String {
    use rust_xlsxwriter::XlsxError as X;
    match e {
        X::RowColumnLimitError => {
            "meer rijen of kolommen dan een Excel-blad kan bevatten (1.048.576 rijen, 16.384 kolommen)".into()
        }
        X::MaxStringLengthExceeded => {
            "een tekst langer dan de 32.767 tekens die een cel in Excel kan bevatten".into()
        }
        X::SheetnameCannotBeBlank(_)
        | X::SheetnameLengthExceeded(_)
        | X::SheetnameContainsInvalidCharacter(_)
        | X::SheetnameStartsOrEndsWithApostrophe(_)
        | X::SheetnameReused(_) => {
            "ongeldige of dubbele bladnaam (hoogstens 31 tekens, geen []:*?/\\)".into()
        }
        X::MaxUrlLengthExceeded => "een koppeling langer dan Excel toelaat".into(),
        other => format!("interne fout van de werkmapschrijver ({other})"),
    }
}

/// A cell as a reader uses it: figures are numbers with a number format (so a reader can
/// calculate with them), text is always a string (never a formula), a suppressed figure is
/// the text of its mark (`<5`, `×`) and a missing one is empty.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum XCell {
    /// Text, written as a string.
    T(String),
    /// A plain number: a whole one as `#,##0`, else up to three decimals (never a whole
    /// number with a trailing decimal separator, as `#,##0.###` shows 2024 in a Dutch Excel).
    N(f64),
    /// A whole number: counts, years (`0`, no thousands separator for years: see `Year`).
    Int(f64),
    /// A year: an integer without separator.
    Year(i32),
    /// A percentage given in percent (41.7 for 41,7 %); stored as Excel does (0.417) with a
    /// percent format, so formulas over it work as a reader expects.
    Pct(f64),
    /// A percentage at a number of decimals other than one (to agree with a difference shown
    /// beside it).
    PctAt(f64, u8),
    /// An amount in euro, whole euros.
    Euro(f64),
    /// A number of days, one decimal at most.
    Days(f64),
    /// A number with a fixed number of decimals.
    Dec(f64, u8),
    /// A date, as a date cell shown `dd/mm/yyyy`.
    Date(chrono::NaiveDate),
    /// A number that rests on sample values: the number with its format and the word
    /// `(VOORBEELD)` after it (still a number a reader can calculate with).
    Sample(Box<XCell>),
    /// A figure that may not be published: the mark shown instead (`<5`, `×`).
    Mark(String),
    /// No value.
    Empty,
}

impl From<String> for XCell {
    fn from(s: String) -> Self {
        XCell::T(s)
    }
}

impl From<&str> for XCell {
    fn from(s: &str) -> Self {
        XCell::T(s.to_string())
    }
}

impl XCell {
    /// A date given as `yyyy-mm-dd` as a date cell; any other text as text.
    pub(crate) fn date_or_text(s: &str) -> XCell {
        match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) => XCell::Date(d),
            Err(_) => XCell::T(s.to_string()),
        }
    }
}

/// Rows of text only.
pub(crate) fn text_rows(rows: Vec<Vec<String>>) -> Vec<Vec<XCell>> {
    rows.into_iter()
        .map(|r| r.into_iter().map(XCell::T).collect())
        .collect()
}

/// The Excel number format of a figure cell.
fn number_format(c: &XCell) -> Option<&'static str> {
    Some(match c {
        XCell::N(x) if x.fract() == 0.0 => "#,##0",
        XCell::N(_) => "#,##0.###",
        XCell::Date(_) => "dd/mm/yyyy",
        XCell::Int(_) => "#,##0",
        XCell::Year(_) => "0",
        XCell::Pct(_) | XCell::PctAt(_, 1) => "0.0%",
        XCell::PctAt(_, 0) => "0%",
        XCell::PctAt(_, 2) => "0.00%",
        XCell::PctAt(_, _) => "0.000%",
        XCell::Euro(_) => "[$€-813]\\ #,##0",
        XCell::Days(_) => "#,##0.0\\ \"dagen\"",
        XCell::Dec(_, 0) => "#,##0",
        XCell::Dec(_, 1) => "#,##0.0",
        XCell::Dec(_, 2) => "#,##0.00",
        XCell::Dec(_, _) => "#,##0.000",
        XCell::Sample(inner) => match inner.as_ref() {
            XCell::Pct(_) => "0.0%\\ \"(VOORBEELD)\"",
            XCell::Int(_) | XCell::Dec(_, 0) => "#,##0\\ \"(VOORBEELD)\"",
            XCell::Euro(_) => "[$€-813]\\ #,##0\\ \"(VOORBEELD)\"",
            XCell::Days(_) => "#,##0.0\\ \"dagen (VOORBEELD)\"",
            _ => "#,##0.0\\ \"(VOORBEELD)\"",
        },
        _ => return None,
    })
}

/// A sheet: an optional caption line above the header, the header (bold, frozen, with a
/// filter over the data rows only), the rows, and notes under the data (outside the filter).
pub(crate) struct SheetSpec<'a> {
    pub name: &'a str,
    pub header: &'a [&'a str],
    pub rows: &'a [Vec<XCell>],
    /// Lines under the data (definitions, what a mark means), outside the filter range.
    pub notes: &'a [String],
}

/// A sheet from a header and rows, without notes.
pub(crate) fn sheet(
    wb: &mut Workbook,
    name: &str,
    header: &[&str],
    rows: &[Vec<XCell>],
) -> Result<()> {
    write_sheet(
        wb,
        &SheetSpec {
            name,
            header,
            rows,
            notes: &[],
        },
    )
}

/// Checks a sheet name: Excel allows 31 characters and no `[]:*?/\`. Names are chosen by
/// the code, never cut: a longer name is a bug, reported as an error.
fn check_sheet_name(name: &str) -> Result<()> {
    if name.chars().count() > 31 || name.chars().any(|c| "[]:*?/\\".contains(c)) || name.is_empty()
    {
        return Err(Error::Render(format!(
            "de werkmap kan niet gemaakt worden: ongeldige bladnaam '{name}' ({} tekens; hoogstens 31, geen []:*?/\\)",
            name.chars().count()
        )));
    }
    Ok(())
}

/// Excel's limit on the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;

/// A text longer than an Excel cell holds is an error naming the sheet, the cell and the
/// start of the text (never a bare "String exceeds Excel's limit").
pub(crate) fn check_cell_text(sheet: &str, row: u32, col: u16, text: &str) -> Result<()> {
    let n = text.chars().count();
    if n <= MAX_CELL_CHARS {
        return Ok(());
    }
    let cell = rust_xlsxwriter::row_col_to_cell(row, col);
    let start: String = text.chars().take(40).collect();
    Err(Error::Render(format!(
        "de werkmap kan niet gemaakt worden: blad '{sheet}', cel {cell}: de tekst '{start}…' telt {n} tekens, meer dan de {MAX_CELL_CHARS} die een cel in Excel kan bevatten"
    )))
}

/// Writes one sheet.
pub(crate) fn write_sheet(wb: &mut Workbook, spec: &SheetSpec) -> Result<()> {
    write_sheet_with_totals(wb, spec, &[])
}

/// Writes one sheet whose rows marked in `totals` are totals: the data rows come first, under
/// the filter, the totals (bold) right under them, outside it, so that filtering and sorting
/// never mix a total with the rows it adds up.
pub(crate) fn write_sheet_with_totals(
    wb: &mut Workbook,
    spec: &SheetSpec,
    totals: &[bool],
) -> Result<()> {
    let is_total = |i: usize| totals.get(i).copied().unwrap_or(false);
    let data: Vec<Vec<XCell>> = (0..spec.rows.len())
        .filter(|&i| !is_total(i))
        .map(|i| spec.rows[i].clone())
        .collect();
    let sums: Vec<Vec<XCell>> = (0..spec.rows.len())
        .filter(|&i| is_total(i))
        .map(|i| spec.rows[i].clone())
        .collect();
    write_rows(wb, spec, &data, &sums)
}

fn write_rows(
    wb: &mut Workbook,
    spec: &SheetSpec,
    data: &[Vec<XCell>],
    sums: &[Vec<XCell>],
) -> Result<()> {
    check_sheet_name(spec.name)?;
    // A sheet holds 1,048,576 rows (the header included) and 16,384 columns.
    if spec.rows.len() >= 1_048_576 || spec.header.len() > crate::limits::MAX_COLUMNS {
        return Err(Error::Render(format!(
            "blad '{}': {} rijen en {} kolommen, meer dan een Excel-blad kan bevatten (1.048.575 rijen onder de kopregel, 16.384 kolommen); kies een ander formaat (bv. --format csv) of minder rijen",
            spec.name,
            spec.rows.len(),
            spec.header.len()
        )));
    }
    let ws: &mut Worksheet = wb.add_worksheet();
    ws.set_name(spec.name).map_err(err)?;
    let bold = Format::new()
        .set_bold()
        .set_background_color("#DDE6F0")
        .set_text_wrap();
    let mut widths: Vec<usize> = spec.header.iter().map(|h| h.chars().count()).collect();
    for (c, h) in spec.header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    write_data(ws, spec, data, sums, &mut widths)?;
    for (c, w) in widths.iter().enumerate() {
        let w = (*w as f64 * 1.1 + 2.0).clamp(8.0, 60.0);
        ws.set_column_width(c as u16, w).map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    if !data.is_empty() && !spec.header.is_empty() {
        ws.autofilter(0, 0, data.len() as u32, spec.header.len() as u16 - 1)
            .map_err(err)?;
    }
    // Notes go one empty row below the data and the totals, outside the filter.
    let first_note = (data.len() + sums.len()) as u32 + 2;
    for (i, n) in spec.notes.iter().enumerate() {
        ws.write_string(first_note + i as u32, 0, n).map_err(err)?;
    }
    Ok(())
}

/// Writes the rows of data and then the totals (in bold) under the header, each cell with its
/// number format, and widens `widths` to what every column shows.
fn write_data(
    ws: &mut Worksheet,
    spec: &SheetSpec,
    data: &[Vec<XCell>],
    sums: &[Vec<XCell>],
    widths: &mut Vec<usize>,
) -> Result<()> {
    let right = Format::new().set_align(rust_xlsxwriter::FormatAlign::Right);
    let mut formats: std::collections::HashMap<(&'static str, bool), Format> = Default::default();
    for (r, row) in data.iter().chain(sums).enumerate() {
        let bold = r >= data.len();
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let col = c as u16;
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            let shown_len = match v {
                XCell::T(t) | XCell::Mark(t) => t.chars().count(),
                XCell::Empty => 0,
                XCell::Year(_) => 4,
                XCell::Sample(_) => 20,
                _ => 12,
            };
            widths[c] = widths[c].max(shown_len);
            let format = |nf: &'static str| {
                let f = Format::new().set_num_format(nf);
                if bold { f.set_bold() } else { f }
            };
            match v {
                XCell::T(t) => {
                    check_cell_text(spec.name, r, col, t)?;
                    if bold {
                        let f = formats
                            .entry(("General", true))
                            .or_insert_with(|| format("General"));
                        ws.write_string_with_format(r, col, t, &*f).map_err(err)?;
                    } else {
                        ws.write_string(r, col, t).map_err(err)?;
                    }
                }
                XCell::Mark(t) => {
                    let f = if bold {
                        right.clone().set_bold()
                    } else {
                        right.clone()
                    };
                    ws.write_string_with_format(r, col, t, &f).map_err(err)?;
                }
                XCell::Empty => {}
                XCell::Year(y) => {
                    let f = formats.entry(("0", bold)).or_insert_with(|| format("0"));
                    ws.write_number_with_format(r, col, f64::from(*y), &*f)
                        .map_err(err)?;
                }
                XCell::Date(d) => {
                    let nf = number_format(v).unwrap_or("General");
                    let f = formats.entry((nf, bold)).or_insert_with(|| format(nf));
                    let when = excel_date(*d)?;
                    ws.write_datetime_with_format(r, col, &when, &*f)
                        .map_err(err)?;
                }
                XCell::N(_)
                | XCell::Int(_)
                | XCell::Pct(_)
                | XCell::PctAt(_, _)
                | XCell::Euro(_)
                | XCell::Days(_)
                | XCell::Dec(_, _)
                | XCell::Sample(_) => {
                    let nf = number_format(v).unwrap_or("General");
                    let f = formats.entry((nf, bold)).or_insert_with(|| format(nf));
                    let number = match v {
                        XCell::Sample(inner) => inner.as_ref(),
                        _ => v,
                    };
                    let stored = match number {
                        XCell::Pct(x) | XCell::PctAt(x, _) => x / 100.0,
                        XCell::N(x)
                        | XCell::Int(x)
                        | XCell::Euro(x)
                        | XCell::Days(x)
                        | XCell::Dec(x, _) => *x,
                        _ => f64::NAN,
                    };
                    if stored.is_finite() {
                        ws.write_number_with_format(r, col, stored, &*f)
                            .map_err(err)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// The one place a figure becomes a workbook cell: every product's workbook goes through
/// these.
/// A published figure as a workbook cell: a number with its format, or its mark as text.
pub(crate) fn figure_cell(f: &Figure, m: &Marks) -> XCell {
    match f.shown {
        Shown::Value(v) if f.sample => XCell::Sample(Box::new(value_cell(f.unit, v))),
        Shown::Value(v) => value_cell(f.unit, v),
        Shown::Empty => XCell::Empty,
        _ => XCell::Mark(words::figure(f, m)),
    }
}

/// A value in its unit as a workbook cell: the number with the unit's format.
pub(crate) fn value_cell(unit: Unit, v: f64) -> XCell {
    match unit {
        Unit::Percent => XCell::Pct(v),
        Unit::Whole => XCell::Int(v),
        Unit::Decimal | Unit::Points => XCell::Dec(v, 1),
        Unit::Euro => XCell::Euro(v),
        Unit::Days => XCell::Days(v),
    }
}

pub(crate) fn opt_cell(unit: Unit, v: Option<f64>) -> XCell {
    v.map_or(XCell::Empty, |v| value_cell(unit, v))
}

/// What the marks in a workbook mean (a note under every sheet of figures).
pub(crate) fn marks_note(m: &Marks) -> String {
    m.note()
}

/// A date as Excel stores it.
fn excel_date(d: chrono::NaiveDate) -> Result<ExcelDateTime> {
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(err)
}

/// A workbook with a fixed document date (`yyyy-mm-dd`), so the same inputs give the same bytes.
pub(crate) fn new_workbook(title: String, generated: &str) -> Result<Workbook> {
    let mut wb = Workbook::new();
    let date = match chrono::NaiveDate::parse_from_str(generated, "%Y-%m-%d") {
        Ok(d) => {
            use chrono::Datelike;
            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
        }
        Err(_) => ExcelDateTime::from_ymd(2026, 1, 1),
    }
    .map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&date),
    );
    Ok(wb)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_text_too_long_for_a_cell_names_sheet_and_cell() {
        let long = "x".repeat(super::MAX_CELL_CHARS + 1);
        let mut wb = rust_xlsxwriter::Workbook::new();
        let rows = vec![vec![super::XCell::T("ok".into()), super::XCell::T(long)]];
        let e = super::sheet(&mut wb, "Antwoord", &["a", "b"], &rows)
            .unwrap_err()
            .to_string();
        assert!(e.contains("blad 'Antwoord', cel B2"), "{e}");
        assert!(e.contains("32768 tekens"), "{e}");
    }
}
