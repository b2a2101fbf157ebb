//! Where generated rows go: one writer per file, in the contract's layout (one file per
//! source, in the chosen file format) or as partners deliver them (see `layout.rs`).

use super::layout::{Form, Layout, Out, Value};
use crate::contract::Source;
use crate::error::{Error, Result};
use crate::years::YearRange;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format as XlsxFormat, Workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file format of generated sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Xlsx,
    Csv,
    Parquet,
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::GenerateWrite {
        message: e.to_string(),
    }
}

enum Writer {
    Xlsx {
        workbook: Box<Workbook>,
        row: u32,
        date: XlsxFormat,
    },
    /// CSV text (also the staging form of Parquet, typed through the loader).
    Csv(csv::Writer<Vec<u8>>),
}

/// The shape of the written files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One file per source in the contract's layout (`trajecten.xlsx`).
    Contract,
    /// Deliveries as partners send them: a folder per source with one file per partner and
    /// year, in the partner layouts of `layout.rs` where a partner has one.
    Deliveries,
}

/// One file being written.
struct FileSink {
    source: Source,
    layout: Option<&'static Layout>,
    writer: Writer,
    rows: usize,
}

pub(crate) struct Sinks {
    dir: PathBuf,
    format: Format,
    shape: Shape,
    extraction: NaiveDate,
    years: YearRange,
    /// By path relative to `dir`, in name order.
    files: BTreeMap<String, FileSink>,
    counts: BTreeMap<Source, usize>,
    catalogue: Catalogue,
    /// The rows the linked-data sample deliveries are made of (deliveries shape only).
    oslo: super::oslo::Oslo,
}

/// A fixed creation date keeps the bytes independent of the clock.
fn new_workbook(title: &str) -> Result<Box<Workbook>> {
    let mut workbook = Box::new(Workbook::new());
    let created = ExcelDateTime::from_ymd(2026, 1, 1).map_err(err)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&created),
    );
    Ok(workbook)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(err)
}

/// A writer for `source` in the contract's layout, its header written.
fn contract_writer(source: Source, format: Format) -> Result<Writer> {
    let headers: Vec<&str> = source.columns().iter().map(|c| c.name).collect();
    Ok(match format {
        Format::Xlsx => {
            let mut workbook = new_workbook(source.description())?;
            let sheet = workbook.add_worksheet_with_constant_memory().map_err(err)?;
            sheet.set_name(source.name()).map_err(err)?;
            let bold = XlsxFormat::new().set_bold();
            for (c, h) in headers.iter().enumerate() {
                sheet
                    .write_string_with_format(0, c as u16, *h, &bold)
                    .map_err(err)?;
                sheet.set_column_width(c as u16, 16).map_err(err)?;
            }
            Writer::Xlsx {
                workbook,
                row: 1,
                date: XlsxFormat::new().set_num_format("yyyy-mm-dd"),
            }
        }
        Format::Csv | Format::Parquet => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(&headers).map_err(err)?;
            Writer::Csv(w)
        }
    })
}

/// A workbook in a partner's layout: title rows, the extraction date, the header.
fn layout_writer(layout: &Layout, extraction: NaiveDate) -> Result<Writer> {
    let mut workbook = new_workbook(layout.title)?;
    let sheet = workbook.add_worksheet_with_constant_memory().map_err(err)?;
    sheet.set_name(layout.sheet).map_err(err)?;
    let bold = XlsxFormat::new().set_bold();
    let date = XlsxFormat::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_string_with_format(0, 0, layout.title, &bold)
        .map_err(err)?;
    if let Some(label) = layout.extraction_label {
        sheet.write_string(1, 0, label).map_err(err)?;
        sheet
            .write_datetime_with_format(1, 1, &excel_date(extraction)?, &date)
            .map_err(err)?;
    }
    for (c, col) in layout.columns.iter().enumerate() {
        sheet
            .write_string_with_format(layout.header_row, c as u16, col.header, &bold)
            .map_err(err)?;
        sheet.set_column_width(c as u16, 18).map_err(err)?;
    }
    Ok(Writer::Xlsx {
        workbook,
        row: layout.header_row + 1,
        date,
    })
}

impl Writer {
    /// Writes one row of values in the contract's layout.
    fn contract_row(&mut self, values: &[Value]) -> Result<()> {
        match self {
            Writer::Xlsx { .. } => {
                let cells: Vec<Out> = values
                    .iter()
                    .map(|v| super::layout::out(*v, Form::Plain, 0))
                    .collect();
                self.cells_row(&cells)?;
            }
            Writer::Csv(w) => {
                w.write_record(values.iter().map(Value::text))
                    .map_err(err)?;
            }
        }
        Ok(())
    }

    /// Writes one row of cells (a workbook: the contract's or a partner's layout).
    fn cells_row(&mut self, cells: &[Out]) -> Result<()> {
        let Writer::Xlsx {
            workbook,
            row,
            date,
        } = self
        else {
            unreachable!("cells are written to workbooks only")
        };
        let sheet = workbook.worksheet_from_index(0).map_err(err)?;
        for (c, v) in cells.iter().enumerate() {
            let c = c as u16;
            match v {
                Out::Empty => {}
                Out::Text(t) => {
                    sheet.write_string(*row, c, t.as_ref()).map_err(err)?;
                }
                Out::Date(d) => {
                    sheet
                        .write_datetime_with_format(*row, c, &excel_date(*d)?, date)
                        .map_err(err)?;
                }
                Out::Number(f) => {
                    sheet.write_number(*row, c, *f).map_err(err)?;
                }
            }
        }
        *row += 1;
        Ok(())
    }
}

impl Sinks {
    pub(crate) fn create(
        dir: &Path,
        format: Format,
        shape: Shape,
        years: YearRange,
        extraction: NaiveDate,
    ) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut sinks = Sinks {
            dir: dir.to_path_buf(),
            format,
            shape,
            extraction,
            years,
            files: BTreeMap::new(),
            counts: BTreeMap::new(),
            catalogue: Catalogue::default(),
            oslo: Default::default(),
        };
        // In the contract's layout every source has its file, even without rows.
        if shape == Shape::Contract {
            for source in Source::ALL.into_iter().filter(|s| !s.linked()) {
                let name = format!("{}.{}", source.name(), sinks.ext());
                sinks.files.insert(
                    name,
                    FileSink {
                        source,
                        layout: None,
                        writer: contract_writer(source, format)?,
                        rows: 0,
                    },
                );
            }
        }
        Ok(sinks)
    }

    fn ext(&self) -> &'static str {
        match self.format {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    pub(crate) fn row(&mut self, source: Source, values: &[Value]) -> Result<()> {
        *self.counts.entry(source).or_default() += 1;
        if self.shape == Shape::Deliveries
            && source == Source::Middelen
            && let [
                Value::Int(year),
                prison,
                Value::Text(partner),
                Value::Text(domain),
                Value::Float(fte),
                Value::Float(euro),
            ] = values
        {
            let prison = match prison {
                Value::Text(p) => Some(*p),
                _ => None,
            };
            self.oslo
                .resource(*year, prison, partner, domain, *fte, *euro);
        }
        self.catalogue
            .observe(source, values, self.years, self.extraction);
        let (name, layout) = match self.shape {
            Shape::Contract => (format!("{}.{}", source.name(), self.ext()), None),
            Shape::Deliveries => {
                let (name, layout) = super::layout::route(source, values);
                // Files in the contract's layout take the chosen format.
                match (layout, name.strip_suffix(".xlsx")) {
                    (None, Some(stem)) => (format!("{stem}.{}", self.ext()), None),
                    _ => (name, layout),
                }
            }
        };
        if !self.files.contains_key(&name) {
            let writer = match layout {
                Some(l) => layout_writer(l, self.extraction)?,
                None => contract_writer(source, self.format)?,
            };
            self.files.insert(
                name.clone(),
                FileSink {
                    source,
                    layout,
                    writer,
                    rows: 0,
                },
            );
        }
        let f = self.files.get_mut(&name).expect("inserted above");
        f.rows += 1;
        match f.layout {
            Some(l) => f.writer.cells_row(&l.cells(values, f.rows))?,
            None => f.writer.contract_row(values)?,
        }
        Ok(())
    }

    /// Writes the offer catalogue and every file (atomically); returns the rows per source.
    pub(crate) fn finish(mut self) -> Result<super::Summary> {
        for row in std::mem::take(&mut self.catalogue).rows() {
            let values = row.values();
            if let [
                Value::Text(offer),
                Value::Text(kind),
                Value::Text(organiser),
                Value::Text(prison),
                Value::Text(domain),
                Value::Int(year),
                series,
            ] = values.as_slice()
            {
                let series = match series {
                    Value::Int(n) => Some(*n as usize),
                    _ => None,
                };
                self.oslo
                    .offer(*year, (offer, kind, organiser, prison, domain), series);
            }
            self.row(Source::Aanbod, &values)?;
        }
        let mut summary = super::Summary::default();
        if self.shape == Shape::Deliveries {
            let years = super::oslo::years(self.years.first, self.years.last);
            for (name, bytes) in self.oslo.files(&years, self.extraction) {
                let path = self.dir.join(&name);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                }
                crate::output::write_atomic(&path, &bytes)?;
                summary.linked.push(name);
            }
        }
        for source in Source::ALL.into_iter().filter(|s| !s.linked()) {
            summary
                .rows
                .push((source, self.counts.get(&source).copied().unwrap_or(0)));
        }
        for (name, f) in self.files {
            let bytes = match f.writer {
                Writer::Xlsx {
                    mut workbook, row, ..
                } => {
                    if let Some((label, at)) = f.layout.and_then(|l| l.totals) {
                        let sheet = workbook.worksheet_from_index(0).map_err(err)?;
                        let bold = XlsxFormat::new().set_bold();
                        sheet
                            .write_string_with_format(row, 0, label, &bold)
                            .map_err(err)?;
                        sheet
                            .write_string_with_format(
                                row,
                                at as u16,
                                format!("{} deelnames", f.rows),
                                &bold,
                            )
                            .map_err(err)?;
                    }
                    workbook.save_to_buffer().map_err(err)?
                }
                Writer::Csv(w) => {
                    let csv = w.into_inner().map_err(err)?;
                    if self.format == Format::Parquet {
                        parquet_bytes(f.source, &csv)?
                    } else {
                        csv
                    }
                }
            };
            let path = self.dir.join(&name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            crate::output::write_atomic(&path, &bytes)?;
        }
        Ok(summary)
    }
}

/// The offer catalogue, gathered from the generated participation and trajectories: per
/// year of `years`, every offer that ran in a prison (a group offer with the number of
/// session series that started, an individual offer per trajectory partner).
#[derive(Debug, Default)]
struct Catalogue {
    /// (year, prison, kind, domain, organiser, offer) -> participations that started.
    offers: BTreeMap<(i32, String, &'static str, String, String, String), usize>,
}

/// The individual offer of each trajectory partner, by its name in the catalogue.
const INDIVIDUAL: &[(&str, &str)] = &[
    ("CAW", "Psychosociale begeleiding"),
    ("CGG", "Behandeling en begeleiding"),
    ("VDAB", "Trajectbegeleiding naar werk"),
];

/// Participants per session series, for the number of series in the catalogue.
const PER_SERIES: usize = 12;

struct CatalogueRow<'a> {
    key: &'a (i32, String, &'static str, String, String, String),
    started: usize,
}

impl CatalogueRow<'_> {
    fn values(&self) -> Vec<Value<'_>> {
        let (year, prison, kind, domain, organiser, offer) = self.key;
        let series = if *kind == "groepsaanbod" {
            Value::Int(self.started.div_ceil(PER_SERIES).max(1) as i32)
        } else {
            Value::Null
        };
        vec![
            Value::Text(offer),
            Value::Text(kind),
            Value::Text(organiser),
            Value::Text(prison),
            Value::Text(domain),
            Value::Int(*year),
            series,
        ]
    }
}

impl Catalogue {
    fn observe(&mut self, source: Source, v: &[Value], years: YearRange, extraction: NaiveDate) {
        let text = |i: usize| match v.get(i) {
            Some(Value::Text(t)) => (*t).to_string(),
            _ => String::new(),
        };
        let date = |i: usize| match v.get(i) {
            Some(Value::Date(d)) => Some(*d),
            _ => None,
        };
        // (prison, kind, domain, organiser, offer, start, end)
        let (prison, kind, domain, organiser, offer, start, end) = match source {
            Source::Deelname => (
                text(1),
                "groepsaanbod",
                text(2),
                text(3),
                text(4),
                date(5),
                date(6),
            ),
            Source::Trajecten => {
                let partner = text(3);
                let Some(&(_, name)) = INDIVIDUAL.iter().find(|(p, _)| *p == partner) else {
                    return;
                };
                (
                    text(2),
                    "individueel_aanbod",
                    text(4),
                    partner,
                    name.to_string(),
                    date(5),
                    date(6),
                )
            }
            _ => return,
        };
        let Some(start) = start else { return };
        let last = end.unwrap_or(extraction).year();
        for year in years.iter().filter(|y| (start.year()..=last).contains(y)) {
            let n = self
                .offers
                .entry((
                    year,
                    prison.clone(),
                    kind,
                    domain.clone(),
                    organiser.clone(),
                    offer.clone(),
                ))
                .or_default();
            *n += usize::from(start.year() == year);
        }
    }

    fn rows(&self) -> impl Iterator<Item = CatalogueRow<'_>> {
        self.offers
            .iter()
            .map(|(key, &started)| CatalogueRow { key, started })
    }
}

/// Types the CSV through the loader (so Parquet has exactly the contract's schema) and
/// writes it as Parquet.
fn parquet_bytes(source: Source, csv: &[u8]) -> Result<Vec<u8>> {
    let prisons: Vec<String> = super::PRISONS.iter().map(|p| p.0.to_string()).collect();
    let (batch, diags) = crate::load::parse_bytes(source, &format!("{source}.csv"), csv, &prisons);
    let Some((batch, _)) = batch else {
        return Err(Error::Invalid(diags));
    };
    let mut out = Vec::new();
    let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(&mut out, batch.schema(), None)
        .map_err(err)?;
    w.write(&batch).map_err(err)?;
    w.close().map_err(err)?;
    Ok(out)
}
