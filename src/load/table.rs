//! Typing and validating rows into Arrow columns, shared by every reader.
//!
//! A reader maps its header row with [`TableBuilder::new`] and hands every data row to
//! [`TableBuilder::push_row`] as a function from file column to [`Cell`]. Cells are typed by
//! the contract column, checked (codes, required cells, cross-column rules of DATA.md) and
//! appended straight to Arrow builders: no per-record structs.

use super::cell::{self, Cell};
use super::contract::{Column, DOMAINS, Kind, Source};
use crate::diagnostic::{Diagnostic, Diagnostics};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Float64Builder, Int32Builder, StringBuilder,
};
use datafusion::arrow::record_batch::RecordBatch;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

/// Errors reported per file before the rest are only counted.
pub const MAX_ERRORS_PER_FILE: usize = 50;

/// How a reader names a place in its file.
#[derive(Debug, Clone)]
pub enum Locator {
    /// `file!sheet!F17`
    Sheet { file: String, sheet: String },
    /// `file:17`
    Csv { file: String },
    /// `file: rij 17, kolom einde`
    Parquet { file: String },
}

impl Locator {
    /// The place of a cell: `row` is the 1-based row (or line) in the file, `col` the 0-based
    /// column in the file.
    pub fn at(&self, row: usize, col: usize, name: &str) -> String {
        match self {
            Locator::Sheet { file, sheet } => format!("{file}!{sheet}!{}{row}", col_letters(col)),
            Locator::Csv { file } => format!("{file}:{row}"),
            Locator::Parquet { file } => format!("{file}: rij {row}, kolom {name}"),
        }
    }

    pub fn file(&self) -> &str {
        match self {
            Locator::Sheet { file, .. } | Locator::Csv { file } | Locator::Parquet { file } => file,
        }
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn col_letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

/// Collects a file's findings; errors past the cap are counted, not stored.
#[derive(Debug, Default)]
pub struct Findings {
    pub diags: Diagnostics,
    errors: usize,
}

impl Findings {
    pub fn error(&mut self, location: String, message: String) {
        self.errors += 1;
        if self.errors <= MAX_ERRORS_PER_FILE {
            self.diags.push(Diagnostic::error(location, message));
        }
    }

    pub fn warning(&mut self, location: String, message: String) {
        self.diags.push(Diagnostic::warning(location, message));
    }

    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// All findings, with a closing line for errors past the cap.
    pub fn finish(mut self, file: &str) -> Diagnostics {
        if self.errors > MAX_ERRORS_PER_FILE {
            self.diags.push(Diagnostic::error(
                file.to_string(),
                format!(
                    "… en nog {} fouten in dit bestand (alleen de eerste {MAX_ERRORS_PER_FILE} worden getoond)",
                    self.errors - MAX_ERRORS_PER_FILE
                ),
            ));
        }
        self.diags
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

/// Shortens a value for a message.
fn quoted(v: &str) -> String {
    let v: String = v.chars().filter(|c| !c.is_control()).collect();
    if v.chars().count() > 60 {
        format!("'{}…'", v.chars().take(60).collect::<String>())
    } else {
        format!("'{v}'")
    }
}

/// Builds one source's batch from rows, validating as it goes.
pub struct TableBuilder<'p> {
    source: Source,
    columns: &'static [Column],
    /// For each contract column: its column index in the file, if present.
    map: Vec<Option<usize>>,
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
}

impl<'p> TableBuilder<'p> {
    /// Maps the header row. Returns `None` when a required column is missing or a contract
    /// column appears twice (then rows cannot be read; the findings say why).
    ///
    /// `headers[i]` is the text of file column `i`; `header_row` its 1-based row.
    pub fn new(
        source: Source,
        headers: &[String],
        header_row: usize,
        locator: Locator,
        prisons: &'p [String],
        comma_decimal: bool,
        capacity: usize,
    ) -> (Option<Self>, Findings) {
        let columns = source.columns();
        let mut findings = Findings::default();
        let mut map: Vec<Option<usize>> = vec![None; columns.len()];
        for (i, h) in headers.iter().enumerate() {
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
                                "kolom '{norm}' komt twee keer voor (ook in kolom {})",
                                col_letters(first)
                            ),
                        );
                    } else {
                        map[c] = Some(i);
                    }
                }
                None => findings.warning(
                    locator.at(header_row, i, h),
                    format!(
                        "onbekende kolom {} wordt genegeerd (verwacht voor {source}: {})",
                        quoted(h.trim()),
                        columns
                            .iter()
                            .map(|c| c.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
            }
        }
        let mut fatal = findings.error_count() > 0;
        for (c, col) in columns.iter().enumerate() {
            if map[c].is_none() {
                if col.required {
                    fatal = true;
                    findings.error(
                        locator.file().to_string(),
                        format!("verplichte kolom '{}' ontbreekt in de kopregel", col.name),
                    );
                } else {
                    findings.warning(
                        locator.file().to_string(),
                        format!(
                            "optionele kolom '{}' ontbreekt en wordt als leeg gelezen",
                            col.name
                        ),
                    );
                }
            }
        }
        if fatal {
            return (None, findings);
        }
        let builders = columns
            .iter()
            .map(|c| Builder::new(c.kind, capacity))
            .collect();
        (
            Some(TableBuilder {
                source,
                columns,
                map,
                builders,
                prisons,
                comma_decimal,
                locator,
                findings: Findings::default(),
                rows: 0,
                ids: HashMap::new(),
                stays: Vec::new(),
            }),
            findings,
        )
    }

    /// The file column of each contract column (for readers that only need those).
    pub fn mapped_columns(&self) -> &[Option<usize>] {
        &self.map
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
        let text = |c: Cell<'a>| -> Cow<'a, str> {
            match c {
                Cell::Text(Cow::Borrowed(t)) => Cow::Borrowed(t.trim()),
                Cell::Text(Cow::Owned(t)) => Cow::Owned(t.trim().to_string()),
                other => Cow::Owned(other.shown()),
            }
        };
        match kind {
            Kind::Text => Ok(Val::Text(text(c))),
            Kind::Prison => {
                let t = text(c);
                if self.prisons.iter().any(|p| *p == t) {
                    Ok(Val::Text(t))
                } else {
                    Err(format!(
                        "{} is geen gekende gevangeniscode (toegelaten: {})",
                        quoted(&t),
                        self.prisons.join(", ")
                    ))
                }
            }
            Kind::Domain | Kind::Code(_) => {
                let allowed: &[&str] = match kind {
                    Kind::Code(list) => list,
                    _ => DOMAINS,
                };
                let t = text(c);
                if allowed.contains(&t.as_ref()) {
                    Ok(Val::Text(t))
                } else {
                    Err(format!(
                        "{} is geen geldige waarde (toegelaten: {})",
                        quoted(&t),
                        allowed.join(", ")
                    ))
                }
            }
            Kind::Date => match c {
                Cell::Date(d) => Ok(Val::Date(cell::date32(d))),
                Cell::Text(t) => cell::parse_date(&t)
                    .map(|d| Val::Date(cell::date32(d)))
                    .ok_or_else(|| {
                        format!(
                            "{} is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)",
                            quoted(&t)
                        )
                    }),
                other => Err(format!(
                    "{} is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)",
                    quoted(&other.shown())
                )),
            },
            Kind::YesNo => match c {
                Cell::Bool(b) => Ok(Val::Bool(b)),
                Cell::Text(t) => cell::parse_yes_no(&t)
                    .map(Val::Bool)
                    .ok_or_else(|| format!("{} is geen geldige ja/nee-waarde (verwacht ja of nee)", quoted(&t))),
                other => Err(format!(
                    "{} is geen geldige ja/nee-waarde (verwacht ja of nee)",
                    quoted(&other.shown())
                )),
            },
            Kind::Decimal => match c {
                Cell::Number(n) if n.is_finite() => Ok(Val::F64(n)),
                Cell::Text(t) => cell::parse_decimal(&t, self.comma_decimal)
                    .map(Val::F64)
                    .ok_or_else(|| {
                        format!(
                            "{} is geen geldig getal (verwacht bv. 12.5{}; geen duizendtallen)",
                            quoted(&t),
                            if self.comma_decimal { " of 12,5" } else { "" }
                        )
                    }),
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

    /// Reads one data row. `row` is its 1-based row (line) in the file; `get(i)` gives the
    /// cell of file column `i` (Empty beyond the row's end).
    pub fn push_row<'a>(&mut self, row: usize, get: impl Fn(usize) -> Cell<'a>) {
        let n = self.columns.len();
        let mut vals: Vec<Val<'a>> = Vec::with_capacity(n);
        let mut blank = true;
        let mut errors: Vec<(usize, String)> = Vec::new();
        for c in 0..n {
            let cell = match self.map[c] {
                Some(i) => get(i),
                None => Cell::Empty,
            };
            if !cell.is_blank() {
                blank = false;
            }
            match self.typed(self.columns[c].kind, cell) {
                Ok(v) => vals.push(v),
                Err(m) => {
                    errors.push((c, m));
                    vals.push(Val::Null);
                }
            }
        }
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
        if errors.is_empty() {
            self.cross_checks(row, &vals, &mut errors);
        }
        if !errors.is_empty() {
            errors.sort_by_key(|(c, _)| self.map[*c]);
            for (c, m) in errors {
                let l = self.loc(row, c);
                self.findings.error(l, m);
            }
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
    }

    /// The cross-column rules of DATA.md for a row whose cells are each valid.
    fn cross_checks(&mut self, row: usize, v: &[Val], errors: &mut Vec<(usize, String)>) {
        let cols = self.columns;
        let p = |name: &str| pos(cols, name);
        let show = |d: i32| cell::from_date32(d).format("%Y-%m-%d").to_string();
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
            Source::Middelen => {}
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

    /// The batch (schema `source.schema()`), rows read, and all findings of the file.
    pub fn finish(mut self) -> (Option<(RecordBatch, usize)>, Diagnostics) {
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
    /// begins on the day the previous one ended (a same-day transfer) is no overlap.
    fn warn_overlaps(&mut self) {
        let mut stays = std::mem::take(&mut self.stays);
        stays.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let mut count = 0;
        let mut example = None;
        for w in stays.windows(2) {
            let (prev, next) = (&w[0], &w[1]);
            if prev.0 == next.0 && prev.2.is_none_or(|end| next.1 < end) {
                count += 1;
                if example.is_none() {
                    example = Some((prev.3.min(next.3), prev.3.max(next.3)));
                }
            }
        }
        if let Some((a, b)) = example {
            self.findings.warning(
                self.locator.file().to_string(),
                format!(
                    "{count} verblijf/verblijven overlappen met een ander verblijf van dezelfde persoon (bv. rijen {a} en {b}); ze worden aanvaard"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
