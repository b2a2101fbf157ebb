//! Typing and validating rows into Arrow columns, shared by every reader.
//!
//! A reader maps its header row with [`TableBuilder::new`] and hands every data row to
//! [`TableBuilder::push_row`] as a function from file column to [`Cell`]. Cells are typed by
//! the contract column, checked (codes, required cells, cross-column rules of DATA.md) and
//! appended straight to Arrow builders: no per-record structs.

pub(crate) use super::cell::col_letters;
use super::cell::{self, Cell};
pub(crate) use super::findings::Findings;
use super::partner::{Problem, Words};
use super::profile::{DropTest, Mapping, Profile, same_header};
use crate::contract::{Column, DOMAINS, Kind, Source};
use crate::diagnostic::{Diagnostic, Diagnostics, Partner};
use crate::diagnostic::{is_invisible, quoted};
use crate::limits::{MAX_CELL_CHARS, MAX_DECIMAL};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, StringBuilder,
};
use datafusion::arrow::record_batch::RecordBatch;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// How a reader names a place in its file.
#[derive(Debug, Clone)]
pub(crate) enum Locator {
    /// `file!sheet!F17`
    Sheet { file: String, sheet: String },
    /// `file:17`
    Csv { file: String },
    /// `file:17, kolom Vestiging`: a CSV delivery read through a profile, whose cells are
    /// named by their own header.
    CsvHeaders { file: String, headers: Vec<String> },
    /// `file: rij 17, kolom einde`
    Parquet { file: String },
}

impl Locator {
    /// The place of a cell: `row` is the 1-based row (or line) in the file, `col` the 0-based
    /// column in the file.
    pub(crate) fn at(&self, row: usize, col: usize, name: &str) -> String {
        match self {
            Locator::Sheet { file, sheet } => format!("{file}!{sheet}!{}{row}", col_letters(col)),
            Locator::Csv { file } => format!("{file}:{row}"),
            Locator::CsvHeaders { file, headers } => match headers.get(col) {
                Some(h) if !h.trim().is_empty() => format!("{file}:{row}, kolom {}", h.trim()),
                _ => format!("{file}:{row}"),
            },
            Locator::Parquet { file } => format!("{file}: rij {row}, kolom {name}"),
        }
    }

    /// The place of a whole row: `file!sheet!4:4`, `file:4`, or the Parquet file.
    pub(crate) fn row(&self, row: usize) -> String {
        match self {
            Locator::Sheet { file, sheet } => format!("{file}!{sheet}!{row}:{row}"),
            Locator::Csv { file } | Locator::CsvHeaders { file, .. } => format!("{file}:{row}"),
            Locator::Parquet { file } => file.clone(),
        }
    }

    pub(crate) fn file(&self) -> &str {
        match self {
            Locator::Sheet { file, .. }
            | Locator::Csv { file }
            | Locator::CsvHeaders { file, .. }
            | Locator::Parquet { file } => file,
        }
    }
}

/// A typed value of the row being read.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    Null,
    Text(Cow<'a, str>),
    Date(i32),
    Bool(bool),
    F64(f64),
    I32(i32),
}

impl Val<'_> {
    fn date(&self) -> Option<i32> {
        match self {
            Val::Date(d) => Some(*d),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Val::Text(t) => Some(t),
            _ => None,
        }
    }

    fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }
}

enum Builder {
    Utf8(StringBuilder),
    Date(Date32Builder),
    Bool(BooleanBuilder),
    F64(Float64Builder),
    I32(Int32Builder),
}

impl Builder {
    fn new(kind: Kind, capacity: usize) -> Self {
        match kind {
            Kind::Text | Kind::Prison | Kind::Domain | Kind::Code(_) => {
                Builder::Utf8(StringBuilder::with_capacity(capacity, capacity * 8))
            }
            Kind::Date => Builder::Date(Date32Builder::with_capacity(capacity)),
            Kind::YesNo => Builder::Bool(BooleanBuilder::with_capacity(capacity)),
            Kind::Decimal => Builder::F64(Float64Builder::with_capacity(capacity)),
            Kind::Integer => Builder::I32(Int32Builder::with_capacity(capacity)),
        }
    }

    fn append(&mut self, v: &Val) {
        match (self, v) {
            (Builder::Utf8(b), Val::Text(t)) => b.append_value(t),
            (Builder::Utf8(b), _) => b.append_null(),
            (Builder::Date(b), Val::Date(d)) => b.append_value(*d),
            (Builder::Date(b), _) => b.append_null(),
            (Builder::Bool(b), Val::Bool(x)) => b.append_value(*x),
            (Builder::Bool(b), _) => b.append_null(),
            (Builder::F64(b), Val::F64(x)) => b.append_value(*x),
            (Builder::F64(b), _) => b.append_null(),
            (Builder::I32(b), Val::I32(x)) => b.append_value(*x),
            (Builder::I32(b), _) => b.append_null(),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Builder::Utf8(mut b) => Arc::new(b.finish()),
            Builder::Date(mut b) => Arc::new(b.finish()),
            Builder::Bool(mut b) => Arc::new(b.finish()),
            Builder::F64(mut b) => Arc::new(b.finish()),
            Builder::I32(mut b) => Arc::new(b.finish()),
        }
    }
}

/// Position of a contract column by name (the contract is static, so a miss is a bug).
fn pos(columns: &[Column], name: &str) -> usize {
    columns
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("contract column {name}"))
}

/// `t` without its invisible characters, or `None` when it has none (the common case, checked
/// without decoding when the text is plain ASCII).
pub(crate) fn strip_invisible(t: &str) -> Option<String> {
    if t.bytes()
        .all(|b| (0x20..0x7f).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return None;
    }
    if !t.chars().any(is_invisible) {
        return None;
    }
    Some(t.chars().filter(|c| !is_invisible(*c)).collect())
}

/// The warning for a value whose invisible characters were removed.
fn stripped_message(what: &str, raw: &str, clean: &str) -> String {
    format!(
        "onzichtbare tekens verwijderd uit {what} {} (gelezen als {})",
        quoted(raw),
        quoted(clean)
    )
}

/// For a code that differs from an allowed one only in case, in the contract's layout
/// (where codes are lower case): the hint naming it.
fn lower_case_hint(near: Option<&str>) -> String {
    near.map(|c| format!("; codes staan in kleine letters: '{c}'"))
        .unwrap_or_default()
}

/// A decimal within [`MAX_DECIMAL`].
fn within_bounds<'a>(n: f64, shown: &str) -> Result<Val<'a>, String> {
    if n.abs() > MAX_DECIMAL {
        return Err(format!(
            "{} is te groot (meer dan 10^15 in absolute waarde): geen geloofwaardig bedrag of aantal",
            quoted(shown)
        ));
    }
    Ok(Val::F64(n))
}

/// Where a contract column's cell comes from.
#[derive(Debug, Clone)]
enum Src {
    File(usize),
    /// Several file columns, non-empty values joined by the separator.
    Composed(Vec<usize>, String),
    Constant(String),
    Absent,
}

/// Builds one source's batch from rows, validating as it goes.
pub(crate) struct TableBuilder<'p> {
    source: Source,
    columns: &'static [Column],
    /// For each contract column: its (first) column index in the file, if present.
    map: Vec<Option<usize>>,
    /// For each contract column: how its cell is built.
    src: Vec<Src>,
    /// The delivery profile that shapes the rows, if any.
    profile: Option<&'p Profile>,
    /// Rows to drop: (file column, test).
    drops: Vec<(usize, DropTest)>,
    /// Rows dropped by the profile's `weglaten`.
    pub dropped: usize,
    builders: Vec<Builder>,
    prisons: &'p [String],
    comma_decimal: bool,
    locator: Locator,
    pub findings: Findings,
    rows: usize,
    /// Unique ids (`traject_id`, `aanvraag_id`) seen, with their row.
    ids: HashMap<String, usize>,
    /// `detenties`: (person, begin, einde, row) for the overlap warning.
    stays: Vec<(String, i32, Option<i32>, usize)>,
    /// Dates before 1 January of this year are errors (`HDV_MIN_YEAR`).
    min_year: i32,
    /// The file's headers (to name a column in a hint).
    headers: Vec<String>,
    /// Their headers and words, for the partner's view of a finding.
    words: Words<'p>,
    /// Values the profile's value table lacks (a gap for the data steward, not the partner's
    /// mistake): per (contract column, value) the first message, the count and the first cells.
    gaps: BTreeMap<(usize, String), (String, usize, Vec<String>)>,
    /// The file row (line) of every row read, for findings across sources.
    file_rows: super::FileRows,
}

impl<'p> TableBuilder<'p> {
    /// Maps the header row. Fails with every finding of the file when a required column is
    /// missing or a contract column appears twice (then rows cannot be read); otherwise the
    /// header's warnings are kept and returned by [`TableBuilder::finish`].
    ///
    /// `headers[i]` is the text of file column `i`; `header_row` its 1-based row.
    /// Maps the header row. Fails with every finding of the file when a required column is
    /// missing or a contract column appears twice (then rows cannot be read); otherwise the
    /// header's warnings are kept and returned by [`TableBuilder::finish`].
    ///
    /// `headers[i]` is the text of file column `i`; `header_row` its 1-based row. A delivery
    /// read through a `profile` takes its column mapping, constants, value tables, date forms
    /// and rows to drop from it.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        source: Source,
        headers: &[String],
        header_row: usize,
        locator: Locator,
        prisons: &'p [String],
        comma_decimal: bool,
        capacity: usize,
        profile: Option<&'p Profile>,
    ) -> Result<Self, Diagnostics> {
        let columns = source.columns();
        let mut hm = HeaderMap {
            columns,
            headers,
            header_row,
            locator: &locator,
            findings: Findings::default(),
            map: vec![None; columns.len()],
            src: vec![Src::Absent; columns.len()],
            drops: Vec::new(),
        };
        match profile {
            Some(p) => {
                if map_profiled(p, &mut hm) {
                    return Err(hm.findings.finish(locator.file()));
                }
            }
            None => hm.map_contract(source),
        }
        let fatal = hm.findings.error_count() > 0;
        let missing = hm.check_missing(profile);
        let HeaderMap {
            findings,
            map,
            src,
            drops,
            ..
        } = hm;
        let fatal = fatal || missing;
        if fatal {
            return Err(findings.finish(locator.file()));
        }
        let builders = columns
            .iter()
            .map(|c| Builder::new(c.kind, capacity.min(1 << 20)))
            .collect();
        let min_year = crate::limits::get("HDV_MIN_YEAR", crate::limits::DEFAULT_MIN_YEAR)
            .min(i32::MAX as u64) as i32;
        // Their header of every contract column read from the file.
        let header_of = |i: usize| {
            let h = headers.get(i)?;
            Some(
                strip_invisible(h)
                    .unwrap_or_else(|| h.clone())
                    .trim()
                    .to_string(),
            )
        };
        let their_headers = src
            .iter()
            .map(|s| match s {
                Src::File(i) => header_of(*i),
                Src::Composed(is, _) => Some(
                    is.iter()
                        .filter_map(|i| header_of(*i))
                        .collect::<Vec<_>>()
                        .join(" + "),
                ),
                Src::Constant(_) | Src::Absent => None,
            })
            .collect();
        let words = Words::new(source, profile, their_headers, prisons, comma_decimal);
        Ok(TableBuilder {
            source,
            columns,
            map,
            src,
            profile,
            drops,
            dropped: 0,
            builders,
            prisons,
            comma_decimal,
            locator,
            findings,
            rows: 0,
            ids: HashMap::new(),
            stays: Vec::new(),
            min_year,
            headers: headers.to_vec(),
            words,
            gaps: BTreeMap::new(),
            file_rows: Default::default(),
        })
    }

    /// `built` with the findings a reader made before the header was mapped (`early`) in
    /// front: e.g. that no delivery profile was recognised.
    pub(crate) fn with_early(
        early: Findings,
        built: Result<Self, Diagnostics>,
    ) -> Result<Self, Diagnostics> {
        if early.diags.is_empty() {
            return built;
        }
        match built {
            Ok(mut b) => {
                let later = std::mem::take(&mut b.findings.diags);
                b.findings.diags = early.diags;
                b.findings.diags.extend(later);
                Ok(b)
            }
            Err(later) => {
                let mut all = early.diags;
                all.extend(later);
                Err(all)
            }
        }
    }

    /// One past the last file column any contract column, composition or drop rule reads.
    pub(crate) fn width(&self) -> usize {
        let composed = self.src.iter().flat_map(|s| match s {
            Src::Composed(is, _) => is.clone(),
            Src::File(i) => vec![*i],
            _ => Vec::new(),
        });
        composed
            .chain(self.drops.iter().map(|(i, _)| *i))
            .max()
            .map_or(0, |m| m + 1)
    }

    fn loc(&self, row: usize, c: usize) -> String {
        self.locator
            .at(row, self.map[c].unwrap_or(0), self.columns[c].name)
    }

    /// Types one cell by its contract column; `Err` holds the Dutch message.
    fn typed<'a>(&self, kind: Kind, c: Cell<'a>) -> Result<Val<'a>, String> {
        if let Cell::Error(e) = &c {
            return Err(format!(
                "bevat de foutwaarde {} (bv. een formule die faalt)",
                quoted(e)
            ));
        }
        if c.is_blank() {
            return Ok(Val::Null);
        }
        let text = trimmed_text;
        match kind {
            Kind::Text => {
                let t = text(c);
                if t.len() > MAX_CELL_CHARS && t.chars().count() > MAX_CELL_CHARS {
                    return Err(format!(
                        "de tekst telt {} tekens, meer dan de {MAX_CELL_CHARS} die een Excel-cel kan bevatten (begint met {})",
                        t.chars().count(),
                        quoted(&t)
                    ));
                }
                Ok(Val::Text(t))
            }
            Kind::Prison => self.prison(text(c)),
            Kind::Domain | Kind::Code(_) => self.code(kind, text(c)),
            Kind::Date => match c {
                Cell::Date(d) => self.plausible(d, || crate::number::nl_date_short(d)),
                Cell::Text(t) => match cell::parse_date(&t) {
                    Some(d) => self.plausible(d, || t.trim().to_string()),
                    None => Err(format!(
                        "{} is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)",
                        quoted(&t)
                    )),
                },
                Cell::Time(t) => Err(format!(
                    "{} is een tijdstip zonder datum (een getal kleiner dan 1 met een tijdsopmaak); verwacht een datum",
                    quoted(&t)
                )),
                other => Err(format!(
                    "{} is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)",
                    quoted(&other.shown())
                )),
            },
            Kind::YesNo => match c {
                Cell::Bool(b) => Ok(Val::Bool(b)),
                Cell::Text(t) => cell::parse_yes_no(&t).map(Val::Bool).ok_or_else(|| {
                    format!(
                        "{} is geen geldige ja/nee-waarde (verwacht ja of nee)",
                        quoted(&t)
                    )
                }),
                other => Err(format!(
                    "{} is geen geldige ja/nee-waarde (verwacht ja of nee)",
                    quoted(&other.shown())
                )),
            },
            Kind::Decimal => match c {
                Cell::Number(n) if n.is_finite() => {
                    let shown = if n.abs() >= 1e15 {
                        format!("{n:e}")
                    } else {
                        crate::number::number_text(n)
                    };
                    within_bounds(n, &shown)
                }
                Cell::Text(t) => match cell::parse_decimal(&t, self.comma_decimal) {
                    Some(n) => within_bounds(n, t.trim()),
                    None => Err(format!(
                        "{} is geen geldig getal (verwacht bv. 12.5{}; geen duizendtallen)",
                        quoted(&t),
                        if self.comma_decimal { " of 12,5" } else { "" }
                    )),
                },
                other => Err(format!("{} is geen geldig getal", quoted(&other.shown()))),
            },
            Kind::Integer => match c {
                Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e9 => Ok(Val::I32(n as i32)),
                Cell::Text(t) => cell::parse_integer(&t)
                    .map(Val::I32)
                    .ok_or_else(|| format!("{} is geen geldig geheel getal", quoted(&t))),
                other => Err(format!(
                    "{} is geen geldig geheel getal",
                    quoted(&other.shown())
                )),
            },
        }
    }

    /// A prison code: one of the prisons (through a profile matched ignoring case).
    fn prison<'a>(&self, t: Cow<'a, str>) -> Result<Val<'a>, String> {
        if self.prisons.iter().any(|p| *p == t) {
            Ok(Val::Text(t))
        } else {
            let near = self.prisons.iter().find(|p| p.eq_ignore_ascii_case(&t));
            match near {
                // Through a profile, codes are matched case-insensitively.
                Some(p) if self.profile.is_some() => Ok(Val::Text(Cow::Owned(p.clone()))),
                _ => Err(format!(
                    "{} is geen gekende gevangeniscode (toegelaten: {}){}",
                    quoted(&t),
                    self.prisons.join(", "),
                    lower_case_hint(near.map(String::as_str))
                )),
            }
        }
    }

    /// A domain or a code of the list of `kind` (through a profile matched ignoring case).
    fn code<'a>(&self, kind: Kind, t: Cow<'a, str>) -> Result<Val<'a>, String> {
        let allowed: &[&str] = match kind {
            Kind::Code(list) => list,
            _ => DOMAINS,
        };
        if allowed.contains(&t.as_ref()) {
            Ok(Val::Text(t))
        } else {
            let near = allowed.iter().find(|a| a.eq_ignore_ascii_case(&t));
            match near {
                Some(a) if self.profile.is_some() => Ok(Val::Text(Cow::Borrowed(a))),
                _ => Err(format!(
                    "{} is geen geldige waarde (toegelaten: {}){}",
                    quoted(&t),
                    allowed.join(", "),
                    lower_case_hint(near.copied())
                )),
            }
        }
    }

    /// Types a cell of a profiled delivery: their value translated by the profile's value
    /// table, dates read in the profile's date forms; an unmapped code or a date in another
    /// form names the profile line to change.
    fn typed_profiled<'a>(&self, p: &Profile, c: usize, cell: Cell<'a>) -> Result<Val<'a>, String> {
        let col = self.columns[c];
        let cell = match p.translate(col.name, &cell.shown()) {
            Some(code) => Cell::Text(Cow::Owned(code.to_string())),
            None => cell,
        };
        if col.kind == Kind::Date
            && p.date_forms.is_some()
            && !cell.is_blank()
            && !matches!(cell, Cell::Error(_))
        {
            return match p.date(&cell) {
                Some(d) => self.plausible(d, || cell.shown()),
                None => Err(p.date_message(&cell)),
            };
        }
        let shown = cell.shown();
        let is_text = matches!(cell, Cell::Text(_));
        self.typed(col.kind, cell).map_err(|m| {
            let code = matches!(
                col.kind,
                Kind::Prison | Kind::Domain | Kind::Code(_) | Kind::YesNo
            );
            if code && is_text {
                let allowed = super::profile::allowed_codes(col.kind, self.prisons)
                    .unwrap_or_default()
                    .join(", ");
                format!(
                    "{} staat niet in de waardentabel van het leveringsprofiel {} en is geen geldige waarde voor {} (toegelaten: {allowed}); voeg de waarde toe onder `waarden:` → `{}:` in {}",
                    quoted(&shown),
                    p.id,
                    col.name,
                    col.name,
                    p.line(&format!("waarden.{}", col.name))
                )
            } else {
                m
            }
        })
    }

    /// A date from a cell shown as `shown`, refused before `HDV_MIN_YEAR` (a time-only cell,
    /// serial 0, a typing error such as 0024 or 1850).
    /// The date `d` as a value, or an error quoting it as `shown()` when it lies before the
    /// lower bound (the text is made only then).
    fn plausible<'a>(
        &self,
        d: chrono::NaiveDate,
        shown: impl FnOnce() -> String,
    ) -> Result<Val<'a>, String> {
        use chrono::Datelike;
        if d.year() < self.min_year {
            return Err(format!(
                "{} ligt voor {}: geen geloofwaardige datum (de ondergrens staat in de omgevingsvariabele HDV_MIN_YEAR)",
                quoted(&shown()),
                self.min_year
            ));
        }
        Ok(Val::Date(crate::years::date32(d)))
    }

    /// Reads one data row. `row` is its 1-based row (line) in the file; `get(i)` gives the
    /// cell of file column `i` (Empty beyond the row's end).
    pub(crate) fn push_row<'a>(&mut self, row: usize, get: impl Fn(usize) -> Cell<'a>) {
        if self
            .drops
            .iter()
            .any(|(i, test)| test.matches(&get(*i).shown()))
        {
            self.dropped += 1;
            return;
        }
        let (vals, blank, mut errors) = self.type_row(row, &get);
        if blank {
            return;
        }
        for (c, v) in vals.iter().enumerate() {
            if self.columns[c].required && v.is_null() && !errors.iter().any(|(e, _)| *e == c) {
                errors.push((
                    c,
                    format!(
                        "verplichte waarde ontbreekt in kolom '{}'",
                        self.columns[c].name
                    ),
                ));
            }
        }
        if !errors.is_empty()
            && let Some((i, word)) = self.totals_cell(&get)
        {
            let m = self.totals_message(row, i, &word);
            let l = self
                .locator
                .at(row, i, self.headers.get(i).map_or("", |h| h.trim()));
            self.findings.error(l, m);
            return;
        }
        // Either every error is about one cell's own value, or (all cells valid) every
        // error is a rule across columns.
        let across = errors.is_empty();
        if across {
            self.cross_checks(row, &vals, &mut errors);
        }
        if !errors.is_empty() {
            self.report_row_errors(row, &get, errors, across);
            return;
        }
        if self.source == Source::Detenties {
            let p = pos(self.columns, "persoon_id");
            self.stays.push((
                vals[p].text().unwrap_or_default().to_string(),
                vals[pos(self.columns, "begin")].date().unwrap_or_default(),
                vals[pos(self.columns, "einde")].date(),
                row,
            ));
        }
        for (b, v) in self.builders.iter_mut().zip(&vals) {
            b.append(v);
        }
        self.rows += 1;
        self.file_rows.push(row as u32);
    }

    /// Every cell of a row typed by its contract column (invisible characters removed with a
    /// warning): the values, whether the row is blank (constants aside) and each cell's error.
    fn type_row<'a>(
        &mut self,
        row: usize,
        get: &impl Fn(usize) -> Cell<'a>,
    ) -> (Vec<Val<'a>>, bool, Vec<(usize, String)>) {
        let n = self.columns.len();
        let mut vals: Vec<Val<'a>> = Vec::with_capacity(n);
        let mut blank = true;
        let mut errors: Vec<(usize, String)> = Vec::new();
        for c in 0..n {
            let mut cell = self.cell_of(c, get);
            if let Cell::Text(t) = &cell
                && let Some(clean) = strip_invisible(t)
            {
                let message = stripped_message("de waarde", t.trim(), clean.trim());
                let l = self.loc(row, c);
                let header = self.words.header(self.columns[c].name);
                self.findings.push(Diagnostic::warning(l, message).for_partner(Partner {
                    advice: format!(
                        "{header}: verwijder de onzichtbare tekens uit deze cel (bij het inlezen weggelaten)."
                    ),
                    header: Some(header),
                    expected: None,
                }));
                cell = Cell::Text(Cow::Owned(clean));
            }
            if !cell.is_blank() && !matches!(self.src[c], Src::Constant(_)) {
                blank = false;
            }
            let typed = match self.profile {
                Some(p) => self.typed_profiled(p, c, cell),
                None => self.typed(self.columns[c].kind, cell),
            };
            match typed {
                Ok(v) => vals.push(v),
                Err(m) => {
                    errors.push((c, m));
                    vals.push(Val::Null);
                }
            }
        }
        (vals, blank, errors)
    }

    /// The errors of a row (`across`: rules across columns), in file column order: values
    /// missing from the profile's value table gathered as gaps, the others as findings.
    fn report_row_errors<'a>(
        &mut self,
        row: usize,
        get: &impl Fn(usize) -> Cell<'a>,
        mut errors: Vec<(usize, String)>,
        across: bool,
    ) {
        errors.sort_by_key(|(c, _)| self.map[*c]);
        for (c, m) in errors {
            let l = self.loc(row, c);
            // The cell again, as read (the typed value may be gone): for the feedback.
            let cell = self.cell_of(c, get);
            let value = cell.shown();
            if !across && self.is_gap(c, &cell) {
                let gap = self
                    .gaps
                    .entry((c, value.trim().to_string()))
                    .or_insert_with(|| (m, 0, Vec::new()));
                gap.1 += 1;
                if gap.2.len() < GAP_CELLS {
                    gap.2.push(l);
                }
                continue;
            }
            let problem = if across {
                Problem::Across
            } else if value.trim().is_empty() {
                Problem::Missing
            } else {
                Problem::Value
            };
            let partner = self.words.cell(c, &value, problem);
            let expected = self.expectation(c, across);
            let column = self.columns[c].name;
            self.findings.push(
                Diagnostic::error(l, m)
                    .with_value(column, value, Some(expected))
                    .for_partner(partner),
            );
        }
    }

    /// In a row with errors: a cell of the file that says the row is a total (`Totaal`,
    /// `Total`, `Eindtotaal`, `Som`, `Algemeen totaal`), with its file column.
    fn totals_cell<'a>(&self, get: &impl Fn(usize) -> Cell<'a>) -> Option<(usize, String)> {
        (0..self.headers.len().max(1)).find_map(|i| {
            let t = get(i).shown();
            let w = t.trim().to_lowercase();
            let total = [
                "totaal",
                "total",
                "eindtotaal",
                "som",
                "algemeen totaal",
                "generaal totaal",
            ]
            .iter()
            .any(|k| {
                w.strip_prefix(k)
                    .is_some_and(|rest| rest.is_empty() || !rest.starts_with(char::is_alphabetic))
            });
            total.then(|| (i, t.trim().to_string()))
        })
    }

    /// The error for a likely totals row, with how to drop it.
    fn totals_message(&self, row: usize, i: usize, word: &str) -> String {
        let header = self.headers.get(i).map_or("", |h| h.trim());
        let first = word.split_whitespace().next().unwrap_or(word);
        match self.profile {
            Some(p) => format!(
                "rij {row} lijkt een totaalrij ({} in kolom {}), geen gegevensrij; laat zulke rijen weg met `weglaten: [{{kolom: {header}, begint_met: {first}}}]` in het leveringsprofiel {} ({})",
                quoted(word),
                col_letters(i),
                p.id,
                p.line("weglaten")
            ),
            None => format!(
                "rij {row} lijkt een totaalrij ({} in kolom {}), geen gegevensrij; verwijder ze uit het bestand (een levering bevat alleen gegevensrijen)",
                quoted(word),
                col_letters(i)
            ),
        }
    }

    /// The cell of contract column `c` in a row, as read; empty when the file lacks the
    /// column. `get(i)` gives the cell of file column `i`.
    fn cell_of<'a>(&self, c: usize, get: &impl Fn(usize) -> Cell<'a>) -> Cell<'a> {
        match &self.src[c] {
            Src::File(i) => get(*i),
            Src::Absent => Cell::Empty,
            Src::Constant(v) => Cell::Text(Cow::Owned(v.clone())),
            Src::Composed(is, sep) => {
                let parts: Vec<String> = is
                    .iter()
                    .map(|i| get(*i).shown())
                    .filter(|t| !t.is_empty())
                    .collect();
                Cell::Text(Cow::Owned(parts.join(sep)))
            }
        }
    }

    /// What contract column `c` should hold, in Dutch, for the feedback to a partner; `across`
    /// when a rule across columns failed (every cell of the row was read well).
    fn expectation(&self, c: usize, across: bool) -> String {
        let col = &self.columns[c];
        if across && let Some(rule) = cross_rule(self.source, col.name) {
            return rule.to_string();
        }
        let what = match col.kind {
            Kind::Text => "tekst".to_string(),
            Kind::Prison => format!("een gevangeniscode: {}", self.prisons.join(", ")),
            Kind::Domain => format!("een domein: {}", DOMAINS.join(", ")),
            Kind::Code(list) => format!("een van: {}", list.join(", ")),
            Kind::Date => match self.profile {
                Some(p) if p.date_forms.is_some() => {
                    format!(
                        "een datum in een vorm van het leveringsprofiel: {}",
                        p.date_forms_text()
                    )
                }
                _ => "een datum: een datumcel, jjjj-mm-dd of d/m/jjjj".to_string(),
            },
            Kind::YesNo => "ja of nee".to_string(),
            Kind::Decimal if self.comma_decimal => "een getal, bv. 12.5 of 12,5".to_string(),
            Kind::Decimal => "een getal, bv. 12.5".to_string(),
            Kind::Integer => "een geheel getal".to_string(),
        };
        if col.required {
            format!("{what} (verplicht)")
        } else {
            what
        }
    }

    /// The cross-column rules of DATA.md for a row whose cells are each valid.
    fn cross_checks(&mut self, row: usize, v: &[Val], errors: &mut Vec<(usize, String)>) {
        let cols = self.columns;
        let p = |name: &str| pos(cols, name);
        let show = |d: i32| crate::number::nl_date_short(crate::years::from_date32(d));
        let before = |errors: &mut Vec<(usize, String)>, late: &str, early: &str, strict: bool| {
            if let (Some(l), Some(e)) = (v[p(late)].date(), v[p(early)].date())
                && (l < e || (!strict && l == e))
            {
                let rel = if strict { "ligt voor" } else { "ligt niet na" };
                errors.push((
                    p(late),
                    format!("{late} {} {rel} {early} {}", show(l), show(e)),
                ));
            }
        };
        match self.source {
            Source::Detenties => {
                before(errors, "einde", "begin", true);
                if !v[p("einde")].is_null() && v[p("reden_einde")].is_null() {
                    errors.push((
                        p("reden_einde"),
                        "reden_einde ontbreekt terwijl einde ingevuld is".into(),
                    ));
                }
            }
            Source::Deelname | Source::Trajecten => {
                before(errors, "einde", "start", true);
                let (status_col, running) = if self.source == Source::Deelname {
                    ("status", "lopend")
                } else {
                    ("afloop", "lopend")
                };
                let status = v[p(status_col)].text().unwrap_or_default();
                let open = v[p("einde")].is_null();
                if status == running && !open {
                    errors.push((
                        p(status_col),
                        format!("{status_col} 'lopend' maar einde is ingevuld"),
                    ));
                } else if status != running && open {
                    errors.push((
                        p(status_col),
                        format!("{status_col} '{status}' vereist een einddatum (einde is leeg)"),
                    ));
                }
                if self.source == Source::Deelname
                    && !v[p("geslaagd")].is_null()
                    && v[p("examen")] != Val::Bool(true)
                {
                    errors.push((
                        p("geslaagd"),
                        "geslaagd mag alleen ingevuld zijn wanneer examen = ja".into(),
                    ));
                }
                if self.source == Source::Trajecten {
                    self.unique(row, "traject_id", v, errors);
                }
            }
            Source::Aanvragen => {
                self.unique(row, "aanvraag_id", v, errors);
                if !v[p("start")].is_null() && !v[p("afgesloten")].is_null() {
                    errors.push((
                        p("afgesloten"),
                        "start en afgesloten zijn allebei ingevuld (een aanvraag start of wordt afgesloten zonder start)".into(),
                    ));
                }
                before(errors, "start", "aanvraag", true);
                before(errors, "afgesloten", "aanvraag", true);
                if !v[p("afgesloten")].is_null() && v[p("afsluitreden")].is_null() {
                    errors.push((
                        p("afsluitreden"),
                        "afsluitreden ontbreekt terwijl afgesloten ingevuld is".into(),
                    ));
                }
            }
            Source::Uitstroom => {
                before(errors, "vrijlating", "detentie_begin", true);
                before(errors, "wederopsluiting", "vrijlating", false);
                before(errors, "opvolging_tot", "vrijlating", true);
            }
            Source::Middelen
            | Source::Aanbod
            | Source::OsloAanbod
            | Source::OsloActiviteiten
            | Source::OsloVte
            | Source::OsloFinanciering
            | Source::OsloPopulatie => {}
        }
    }

    fn unique(&mut self, row: usize, name: &str, v: &[Val], errors: &mut Vec<(usize, String)>) {
        let c = pos(self.columns, name);
        if let Some(id) = v[c].text() {
            if let Some(first) = self.ids.get(id) {
                errors.push((
                    c,
                    format!(
                        "{name} {} komt dubbel voor (ook op rij {first})",
                        quoted(id)
                    ),
                ));
            } else {
                self.ids.insert(id.to_string(), row);
            }
        }
    }

    /// True when the error about cell `cell` of contract column `c` is a gap in the delivery
    /// profile rather than the partner's mistake: a text the profile's value table lacks in a
    /// column of codes.
    fn is_gap(&self, c: usize, cell: &Cell) -> bool {
        let col = &self.columns[c];
        let Some(p) = self.profile else {
            return false;
        };
        matches!(
            col.kind,
            Kind::Prison | Kind::Domain | Kind::Code(_) | Kind::YesNo
        ) && matches!(self.src[c], Src::File(_) | Src::Composed(..))
            && matches!(cell, Cell::Text(t) if !t.trim().is_empty())
            && p.translate(col.name, &cell.shown()).is_none()
    }

    /// One error per value the profile's value table lacks: its message, how many cells hold
    /// it and the first of them.
    fn report_gaps(&mut self) {
        for ((c, _), (message, count, cells)) in std::mem::take(&mut self.gaps) {
            let shown: Vec<String> = cells
                .iter()
                .map(|l| {
                    crate::diagnostic::Place::parse(l)
                        .cell
                        .unwrap_or_else(|| l.clone())
                })
                .collect();
            let more = if count > shown.len() { ", …" } else { "" };
            self.findings.error(
                cells[0].clone(),
                format!(
                    "{message} ({count} {} met deze waarde: {}{more}; in {})",
                    if count == 1 { "cel" } else { "cellen" },
                    shown.join(", "),
                    self.words.header(self.columns[c].name)
                ),
            );
        }
    }

    /// [`TableBuilder::finish`], keeping in `meta` where each row and column is in the file.
    pub(crate) fn finish_into(
        mut self,
        meta: &mut super::Meta,
    ) -> (Option<(RecordBatch, usize)>, Diagnostics) {
        meta.file_rows = std::mem::take(&mut self.file_rows);
        meta.layout = Some(super::Layout {
            sheet: match &self.locator {
                Locator::Sheet { sheet, .. } => Some(sheet.clone()),
                _ => None,
            },
            columns: self
                .columns
                .iter()
                .enumerate()
                .filter_map(|(c, col)| {
                    let i = self.map[c]?;
                    Some((col.name.to_string(), (i, self.words.header(col.name))))
                })
                .collect(),
        });
        self.finish()
    }

    /// The batch (schema `source.schema()`), rows read, and all findings of the file.
    pub(crate) fn finish(mut self) -> (Option<(RecordBatch, usize)>, Diagnostics) {
        self.report_gaps();
        if self.source == Source::Detenties {
            self.warn_overlaps();
        }
        let file = self.locator.file().to_string();
        if self.findings.error_count() > 0 {
            return (None, self.findings.finish(&file));
        }
        let arrays: Vec<ArrayRef> = self.builders.into_iter().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(self.source.schema(), arrays)
            .expect("builders follow the contract schema");
        (Some((batch, self.rows)), self.findings.finish(&file))
    }

    /// Overlapping stays of one person are accepted with one warning per file. A stay that
    /// begins on the day another ended (a same-day transfer) is no overlap.
    fn warn_overlaps(&mut self) {
        let mut stays = std::mem::take(&mut self.stays);
        stays.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut count = 0;
        let mut example = None;
        super::stays::overlaps(
            &stays,
            |_, _| true,
            |row, earlier| {
                count += 1;
                example.get_or_insert((row.min(earlier), row.max(earlier)));
            },
        );
        if let Some((a, b)) = example {
            let message = format!(
                "{count} verblijf/verblijven overlappen met een ander verblijf van dezelfde persoon (bv. rijen {a} en {b}); ze worden aanvaard"
            );
            self.findings.push(
                Diagnostic::warning(self.locator.file().to_string(), message.clone()).for_partner(
                    Partner {
                        header: None,
                        expected: None,
                        advice: format!(
                            "{message}. Kijk na of {} en {} van deze verblijven kloppen.",
                            self.words.header("begin"),
                            self.words.header("einde")
                        ),
                    },
                ),
            );
        }
    }
}

/// Cells named per value the profile's value table lacks.
const GAP_CELLS: usize = 3;

/// The file header most like the missing header `h`, among those no name in `named` claims:
/// one contains the other, or they differ in under 40 % of their letters (normalised
/// Levenshtein similarity ≥ 0.6), case and outer spaces ignored.
fn closest_header(h: &str, headers: &[String], named: &[&str]) -> Option<usize> {
    let want = h.trim().to_lowercase();
    headers
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.trim().is_empty() && !named.iter().any(|n| same_header(c, n)))
        .map(|(i, c)| {
            let c = c.trim().to_lowercase();
            let contains = c.contains(&want) || want.contains(&c);
            let score = if contains {
                1.0
            } else {
                strsim::normalized_levenshtein(&want, &c)
            };
            (i, score)
        })
        .filter(|(_, score)| *score >= 0.6)
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(i, _)| i)
}

/// A cell's text, trimmed (borrowed when it can be).
fn trimmed_text(c: Cell<'_>) -> Cow<'_, str> {
    match c {
        Cell::Text(Cow::Borrowed(t)) => Cow::Borrowed(t.trim()),
        Cell::Text(Cow::Owned(t)) => Cow::Owned(t.trim().to_string()),
        other => Cow::Owned(other.shown()),
    }
}

/// A header row being mapped onto the contract's columns: what is found so far.
struct HeaderMap<'h> {
    columns: &'static [Column],
    /// `headers[i]` is the text of file column `i`; `header_row` its 1-based row.
    headers: &'h [String],
    header_row: usize,
    locator: &'h Locator,
    findings: Findings,
    /// For each contract column: its (first) column index in the file, if present.
    map: Vec<Option<usize>>,
    src: Vec<Src>,
    /// The profile's rows to drop: file column and test.
    drops: Vec<(usize, DropTest)>,
}

impl HeaderMap<'_> {
    /// Maps a header row in the contract's layout: a header is a contract column's name.
    fn map_contract(&mut self, source: Source) {
        let (columns, headers, header_row) = (self.columns, self.headers, self.header_row);
        let (locator, findings) = (self.locator, &mut self.findings);
        let (map, src) = (&mut self.map, &mut self.src);
        for (i, raw) in headers.iter().enumerate() {
            let clean = strip_invisible(raw);
            if let Some(clean) = &clean {
                findings.warning(
                    locator.at(header_row, i, clean.trim()),
                    stripped_message("de kolomkop", raw.trim(), clean.trim()),
                );
            }
            let h = clean.as_deref().unwrap_or(raw);
            let norm = h.trim().to_lowercase();
            if norm.is_empty() {
                continue;
            }
            match columns.iter().position(|c| c.name == norm) {
                Some(c) => {
                    if let Some(first) = map[c] {
                        findings.error(
                            locator.at(header_row, i, &norm),
                            format!(
                                "kolom {} komt twee keer voor (ook in kolom {})",
                                quoted(&norm),
                                col_letters(first)
                            ),
                        );
                    } else {
                        map[c] = Some(i);
                        src[c] = Src::File(i);
                    }
                }
                None => {
                    let names = columns
                        .iter()
                        .map(|c| c.name)
                        .collect::<Vec<_>>()
                        .join(", ");
                    findings.push(
                    Diagnostic::warning(
                        locator.at(header_row, i, h),
                        format!(
                            "onbekende kolom {} wordt genegeerd (verwacht voor {source}: {names})",
                            quoted(h.trim()),
                        ),
                    )
                    .for_partner(Partner {
                        header: Some(h.trim().to_string()),
                        expected: Some(format!("een van de kolommen {names}")),
                        advice: format!(
                            "Kolom {} wordt niet gelezen; laat ze weg, of geef ze de naam van de kolom die ze bedoelt.",
                            quoted(h.trim())
                        ),
                    }),
                );
                }
            }
        }
    }

    /// Every contract column not found: an error when it is required, else a warning.
    /// Returns true when a required column is missing.
    fn check_missing(&mut self, profile: Option<&Profile>) -> bool {
        let (columns, header_row, locator) = (self.columns, self.header_row, self.locator);
        let (findings, src) = (&mut self.findings, &self.src);
        let mut fatal = false;
        for (c, col) in columns.iter().enumerate() {
            if matches!(src[c], Src::Absent) {
                // In the contract's layout the partner adds the column; a profiled delivery's
                // columns are the steward's to map.
                let add = |d: Diagnostic, what: &str| match profile {
                    None => d.for_partner(Partner {
                        header: Some(col.name.to_string()),
                        expected: None,
                        advice: format!(
                            "Voeg de kolom {} toe aan de kopregel (rij {header_row}){what}.",
                            col.name
                        ),
                    }),
                    Some(_) => d,
                };
                if col.required {
                    fatal = true;
                    findings.push(add(
                    Diagnostic::error(
                        locator.file().to_string(),
                        match profile {
                            None => format!(
                                "verplichte kolom '{}' ontbreekt in de kopregel",
                                col.name
                            ),
                            Some(p) => format!(
                                "verplichte kolom '{}' ontbreekt: niet in de kopregel (rij {header_row}) en niet in het leveringsprofiel; voeg ze toe onder `kolommen` of `constanten` in {}",
                                col.name,
                                p.line("kolommen")
                            ),
                        },
                    ),
                    "",
                ));
                } else {
                    findings.push(add(
                        Diagnostic::warning(
                            locator.file().to_string(),
                            format!(
                                "optionele kolom '{}' ontbreekt en wordt als leeg gelezen",
                                col.name
                            ),
                        ),
                        " als je ze kan invullen; zonder wordt ze als leeg gelezen",
                    ));
                }
            }
        }
        fatal
    }
}

/// Maps a profiled delivery's header row onto the contract columns. Returns true when rows
/// cannot be read (a header the profile names is missing).
fn map_profiled(p: &Profile, hm: &mut HeaderMap) -> bool {
    let clean: Vec<String> = hm
        .headers
        .iter()
        .map(|h| strip_invisible(h).unwrap_or_else(|| h.clone()))
        .collect();
    // Every header the profile names (and the contract's names it leaves to the file): a
    // missing header is likely one of the file's other headers, misspelt or renamed.
    let named: Vec<&str> = hm
        .columns
        .iter()
        .flat_map(|col| match p.mapping(col.name) {
            Some(Mapping::Header(h)) => vec![h.as_str()],
            Some(Mapping::Composed(hs, _)) => hs.iter().map(String::as_str).collect(),
            Some(Mapping::Constant(_)) => Vec::new(),
            None => vec![col.name],
        })
        .chain(p.drops.iter().map(|d| d.header.as_str()))
        .collect();
    let mut m = Profiled {
        p,
        used: vec![false; clean.len()],
        clean,
        named,
        fatal: false,
        hm,
    };
    m.map_columns();
    m.map_drops();
    m.check_constants();
    m.warn_ignored();
    m.fatal
}

/// A profiled delivery's header row being mapped: its headers without invisible characters,
/// which are used, and whether rows can be read.
struct Profiled<'a, 'h> {
    hm: &'a mut HeaderMap<'h>,
    p: &'a Profile,
    clean: Vec<String>,
    used: Vec<bool>,
    /// Every header the profile names.
    named: Vec<&'a str>,
    fatal: bool,
}

impl Profiled<'_, '_> {
    /// The file column of header `h` (the first when it appears twice); a missing header is
    /// an error naming the profile's `line`.
    fn find(&mut self, h: &str, what: &str, line: String) -> Option<usize> {
        let (clean, named) = (&self.clean, &self.named);
        let (locator, header_row) = (self.hm.locator, self.hm.header_row);
        let findings = &mut self.hm.findings;
        let found: Vec<usize> = (0..clean.len())
            .filter(|i| same_header(&clean[*i], h))
            .collect();
        match found.as_slice() {
            [] => {
                self.fatal = true;
                // The cell of the file's header most like it, else the header row.
                let (place, like) = match closest_header(h, clean, named) {
                    Some(i) => (
                        locator.at(header_row, i, clean[i].trim()),
                        format!(
                            "; de kolomkop hier, {}, lijkt erop",
                            quoted(clean[i].trim())
                        ),
                    ),
                    None => (locator.row(header_row), String::new()),
                };
                findings.error(
                    place,
                    format!(
                        "kolomkop {} ({what}) ontbreekt in de kopregel (rij {header_row}){like}; gevonden kolomkoppen: {}; pas het leveringsprofiel aan in {line}",
                        quoted(h),
                        clean
                            .iter()
                            .filter(|c| !c.trim().is_empty())
                            .map(|c| c.trim())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                None
            }
            [i, ..] => {
                if let [_, j, ..] = found.as_slice() {
                    findings.warning(
                        locator.at(header_row, *j, h),
                        format!(
                            "kolomkop {} komt twee keer voor; de eerste (kolom {}) wordt gelezen",
                            quoted(h),
                            col_letters(*i)
                        ),
                    );
                }
                Some(*i)
            }
        }
    }

    /// Each contract column: from the header, the headers or the constant the profile names,
    /// else from a header with the contract's name.
    fn map_columns(&mut self) {
        let (p, columns) = (self.p, self.hm.columns);
        for (c, col) in columns.iter().enumerate() {
            let line = p.line(&format!("kolommen.{}", col.name));
            match p.mapping(col.name) {
                Some(Mapping::Header(h)) => {
                    if let Some(i) = self.find(h, &format!("voor {}", col.name), line) {
                        self.used[i] = true;
                        self.hm.map[c] = Some(i);
                        self.hm.src[c] = Src::File(i);
                    }
                }
                Some(Mapping::Composed(hs, sep)) => {
                    let is: Vec<usize> = hs
                        .iter()
                        .filter_map(|h| self.find(h, &format!("voor {}", col.name), line.clone()))
                        .collect();
                    for i in &is {
                        self.used[*i] = true;
                    }
                    if is.len() == hs.len() {
                        self.hm.map[c] = is.first().copied();
                        self.hm.src[c] = Src::Composed(is, sep.clone());
                    }
                }
                Some(Mapping::Constant(v)) => self.hm.src[c] = Src::Constant(v.clone()),
                None => {
                    // Not in the profile: a header with the contract's name, if any.
                    if let Some(i) =
                        (0..self.clean.len()).find(|i| same_header(&self.clean[*i], col.name))
                    {
                        self.used[i] = true;
                        self.hm.map[c] = Some(i);
                        self.hm.src[c] = Src::File(i);
                    }
                }
            }
        }
    }

    /// The profile's rows to drop (`weglaten`): the file column each test reads.
    fn map_drops(&mut self) {
        let p = self.p;
        for d in &p.drops {
            let line = p.line("weglaten");
            if let Some(i) = self.find(&d.header, "om rijen weg te laten", line) {
                self.used[i] = true;
                self.hm.drops.push((i, d.test.clone()));
            }
        }
    }

    /// A constant where the file has a column for it: every row would get the constant and
    /// the file's own values would be ignored without a word.
    fn check_constants(&mut self) {
        let (p, clean, used) = (self.p, &self.clean, &self.used);
        let (locator, header_row) = (self.hm.locator, self.hm.header_row);
        let (columns, findings) = (self.hm.columns, &mut self.hm.findings);
        for col in columns {
            let Some(Mapping::Constant(v)) = p.mapping(col.name) else {
                continue;
            };
            let free: Vec<String> = clean
                .iter()
                .zip(used)
                .map(|(h, u)| if *u { String::new() } else { h.clone() })
                .collect();
            if let Some(i) = closest_header(col.name, &free, &[]) {
                findings.error(
                    locator.at(header_row, i, clean[i].trim()),
                    format!(
                        "de kolom {} van het bestand lijkt {} te bevatten, maar het leveringsprofiel {} zet {} op de constante {} ({}): elke rij zou {} krijgen en de waarden van de kolom gaan verloren; lees de kolom onder `kolommen:` (`{}: {}`) of verwijder de constante",
                        quoted(clean[i].trim()),
                        col.name,
                        p.id,
                        col.name,
                        quoted(v),
                        p.line(&format!("constanten.{}", col.name)),
                        quoted(v),
                        col.name,
                        clean[i].trim()
                    ),
                );
            }
        }
    }

    /// One warning listing the file's columns the profile does not use.
    fn warn_ignored(&mut self) {
        let ignored: Vec<&str> = self
            .clean
            .iter()
            .zip(&self.used)
            .filter(|(h, u)| !**u && !h.trim().is_empty())
            .map(|(h, _)| h.trim())
            .collect();
        if !ignored.is_empty() {
            self.hm.findings.warning(
                self.hm.locator.row(self.hm.header_row),
                format!(
                    "{} kolom(men) die het leveringsprofiel {} niet gebruikt, worden genegeerd: {}",
                    ignored.len(),
                    self.p.id,
                    ignored.join(", ")
                ),
            );
        }
    }
}

/// The rule across columns that a well-typed cell of `column` can break, in words (the
/// expectation of [`TableBuilder::cross_checks`], column by column).
fn cross_rule(source: Source, column: &str) -> Option<&'static str> {
    Some(match (source, column) {
        (Source::Detenties, "einde") => "een datum op of na begin",
        (Source::Detenties, "reden_einde") => "ingevuld wanneer einde ingevuld is",
        (Source::Deelname | Source::Trajecten, "einde") => "een datum op of na start",
        (Source::Deelname, "status") | (Source::Trajecten, "afloop") => {
            "lopend als einde leeg is, anders een afgesloten waarde"
        }
        (Source::Deelname, "geslaagd") => "leeg tenzij examen = ja",
        (Source::Trajecten, "traject_id") | (Source::Aanvragen, "aanvraag_id") => {
            "een waarde die maar één keer voorkomt in de bron"
        }
        (Source::Aanvragen, "start") => "een datum op of na aanvraag",
        (Source::Aanvragen, "afgesloten") => {
            "leeg wanneer start ingevuld is, anders een datum op of na aanvraag"
        }
        (Source::Aanvragen, "afsluitreden") => "ingevuld wanneer afgesloten ingevuld is",
        (Source::Uitstroom, "vrijlating") => "een datum op of na detentie_begin",
        (Source::Uitstroom, "wederopsluiting") => "leeg of een datum na vrijlating",
        (Source::Uitstroom, "opvolging_tot") => "een datum op of na vrijlating",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_header_points_at_the_file_header_most_like_it() {
        let headers: Vec<String> = ["Dossier", "Start datum", "Einde", "", "Reden"]
            .map(String::from)
            .to_vec();
        // A typo (one letter in eleven) and a renamed header that holds the wanted one.
        assert_eq!(
            closest_header("Startdatum", &headers, &["Dossier"]),
            Some(1)
        );
        assert_eq!(closest_header("reden stopzetting", &headers, &[]), Some(4));
        // A header the profile names for another column is not a candidate.
        assert_eq!(closest_header("Reden stop", &headers, &["reden"]), None);
        // Nothing alike: no cell (the error then names the header row).
        assert_eq!(closest_header("Gevangenis", &headers, &[]), None);
        assert_eq!(closest_header("x", &[], &[]), None);
        // Half the letters differ (Einddatum, Startdatum): too far apart to suggest.
        let dates: Vec<String> = vec!["Startdatum".into()];
        assert_eq!(closest_header("Einddatum", &dates, &[]), None);
    }

    #[test]
    fn column_letters() {
        assert_eq!(col_letters(0), "A");
        assert_eq!(col_letters(5), "F");
        assert_eq!(col_letters(25), "Z");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(27), "AB");
        assert_eq!(col_letters(701), "ZZ");
        assert_eq!(col_letters(702), "AAA");
    }
}
