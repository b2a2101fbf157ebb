//! The delivery register: every delivery file of a source with its supplier, cells, rows,
//! hash and extraction date; re-deliveries by cell (a later delivery replaces earlier rows only
//! for the supplier × year × prison cells it covers); uniqueness across files; and the
//! completeness matrix of the expected deliveries (`plans/leveringen/verwacht.yaml`).

use super::expected::Expected;
use crate::contract::Source;
pub use crate::delivery_cell::Cell;
use crate::delivery_cell::cells_text;
use crate::diagnostic::quoted;
use crate::diagnostic::{Diagnostic, Diagnostics};
use chrono::NaiveDate;
use datafusion::arrow::array::{
    Array, AsArray, BooleanArray, Int32Array, RecordBatch, StringArray,
};
use datafusion::arrow::datatypes::{DataType, Date32Type, Int32Type};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

/// Cells of an earlier delivery that a later one replaces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Replacement {
    pub cell: Cell,
    /// The rows of the earlier delivery in the cell, not used.
    pub rows: usize,
    /// The later delivery (its name).
    pub by: String,
}

/// One delivery file as registered.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub source: Source,
    pub path: PathBuf,
    /// The path relative to the data folder (`trajecten/caw-2024.xlsx`), as in messages.
    pub name: String,
    /// The profile that read it (`None`: contract layout).
    pub profile: Option<String>,
    /// Who delivered: the profile's `leverancier`; for a contract-layout file the `partner`
    /// values of its rows, or the fixed supplier of a source without partners.
    pub suppliers: BTreeSet<String>,
    /// The years of its rows' reference date ([`reference_column`]).
    pub years: BTreeSet<i32>,
    /// Rows per cell (supplier × year × prison).
    pub counts: BTreeMap<Cell, usize>,
    pub rows: usize,
    pub sha256: String,
    pub extracted: Option<NaiveDate>,
    /// Its cells that later deliveries replace (their rows are not used).
    pub replaced: Vec<Replacement>,
    /// Extracted after the due date of an expected year it covers: that date and the days
    /// between ([`late_delivery`]).
    pub late: Option<(NaiveDate, i64)>,
    /// Where its columns are in the file.
    pub layout: Option<super::Layout>,
    /// The file row (CSV line) of each of its rows, in batch order.
    pub file_rows: super::FileRows,
}

impl Delivery {
    /// True when some of its rows are used (not every cell is replaced).
    pub fn active(&self) -> bool {
        self.rows == 0 || self.used_rows() > 0
    }

    /// The rows used: those of the cells no later delivery replaces.
    pub fn used_rows(&self) -> usize {
        self.rows - self.replaced.iter().map(|r| r.rows).sum::<usize>()
    }

    /// The suppliers in words (`CAW`, `CAW, CGG`).
    pub fn supplier_text(&self) -> String {
        self.suppliers
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The place of its row `row` (0-based, in batch order) as the loader names places:
    /// `trajecten/caw-2024.xlsx!Export!D57` at the column of contract column `column`, or
    /// the row (`…!Export!57:57`, `….csv:57`) without it.
    pub fn place(&self, row: usize, column: Option<&str>) -> String {
        use super::table::Locator;
        let Some(line) = self.file_rows.get(row).map(|r| r as usize) else {
            return self.name.clone();
        };
        let layout = self.layout.clone().unwrap_or_default();
        let locator = match (&layout.sheet, self.name.to_ascii_lowercase()) {
            (Some(sheet), _) => Locator::Sheet {
                file: self.name.clone(),
                sheet: sheet.clone(),
            },
            (None, n) if n.ends_with(".csv") && self.profile.is_some() => {
                let width = layout
                    .columns
                    .values()
                    .map(|(i, _)| i + 1)
                    .max()
                    .unwrap_or(0);
                let mut headers = vec![String::new(); width];
                for (i, h) in layout.columns.values() {
                    headers[*i] = h.clone();
                }
                Locator::CsvHeaders {
                    file: self.name.clone(),
                    headers,
                }
            }
            (None, n) if n.ends_with(".csv") => Locator::Csv {
                file: self.name.clone(),
            },
            (None, _) => Locator::Parquet {
                file: self.name.clone(),
            },
        };
        match column.and_then(|c| layout.columns.get(c).map(|(i, _)| (c, *i))) {
            Some((c, i)) => locator.at(line, i, c),
            None => locator.row(line),
        }
    }

    /// The partner's header of contract column `column` (the contract's name when unknown).
    pub fn header(&self, column: &str) -> String {
        self.layout
            .as_ref()
            .and_then(|l| l.columns.get(column))
            .map_or_else(|| column.to_string(), |(_, h)| h.clone())
    }

    /// The cells of other deliveries among `all` that this one replaces: (earlier delivery,
    /// replacement), in the order of `all`.
    pub fn replaces<'a>(&self, all: &'a [Delivery]) -> Vec<(&'a str, &'a Replacement)> {
        all.iter()
            .filter(|d| d.source == self.source)
            .flat_map(|d| {
                d.replaced
                    .iter()
                    .filter(|r| r.by == self.name)
                    .map(move |r| (d.name.as_str(), r))
            })
            .collect()
    }
}

/// The date (or year) column that places a row in a year: the start of what the row
/// registers. A delivery covers the years of this column.
pub fn reference_column(source: Source) -> &'static str {
    match source {
        Source::Detenties => "begin",
        Source::Deelname | Source::Trajecten => "start",
        Source::Aanvragen => "aanvraag",
        Source::Uitstroom => "vrijlating",
        Source::Middelen
        | Source::Aanbod
        | Source::OsloAanbod
        | Source::OsloActiviteiten
        | Source::OsloVte
        | Source::OsloFinanciering
        | Source::OsloPopulatie => "jaar",
    }
}

/// The supplier of a source without a `partner` column, for a contract-layout file.
pub(crate) fn fixed_supplier(source: Source) -> Option<&'static str> {
    match source {
        Source::Detenties => Some("FOD Justitie (Sidis Suite)"),
        Source::Uitstroom => Some("KSZ-datawarehouse"),
        _ => None,
    }
}

/// What a delivery's rows say about it.
pub(crate) struct Described {
    pub suppliers: BTreeSet<String>,
    pub years: BTreeSet<i32>,
    /// Rows per cell.
    pub counts: BTreeMap<Cell, usize>,
}

/// The columns that place a row of a delivery in its cell.
struct CellColumns<'b> {
    years: Option<Int32Array>,
    partner: Option<&'b StringArray>,
    prison: Option<&'b StringArray>,
    /// The supplier of every row: the profile's, or the source's fixed one.
    fallback: &'b str,
    /// True when `fallback` holds for every row (a profile's supplier).
    fixed: bool,
}

impl<'b> CellColumns<'b> {
    fn of(source: Source, batch: &'b RecordBatch, supplier: Option<&'b str>) -> Self {
        // The reference year of every row, computed over the whole column at once.
        let years = batch
            .column_by_name(reference_column(source))
            .and_then(|c| match c.data_type() {
                DataType::Date32 => Some(crate::years::years_of(c.as_primitive::<Date32Type>())),
                _ => c.as_primitive_opt::<Int32Type>().cloned(),
            });
        // The offer catalogue names its organiser (OSLO `Organisator`), the others their partner.
        let partner_col = if source == Source::Aanbod || source.linked() {
            "organisator"
        } else {
            "partner"
        };
        let text = |name: &str| {
            batch
                .column_by_name(name)
                .and_then(|c| c.as_string_opt::<i32>())
        };
        CellColumns {
            years,
            partner: text(partner_col),
            prison: text("gevangenis"),
            fallback: supplier.or(fixed_supplier(source)).unwrap_or("onbekend"),
            fixed: supplier.is_some(),
        }
    }

    /// Row `i`'s cell as (supplier, year, prison); `None` without a reference year.
    fn at(&self, i: usize) -> Option<(&'b str, i32, &'b str)> {
        let years = self.years.as_ref()?;
        if !years.is_valid(i) {
            return None;
        }
        let who = match self.partner {
            Some(p) if !self.fixed && p.is_valid(i) => p.value(i),
            _ => self.fallback,
        };
        let prison = match self.prison {
            Some(p) if p.is_valid(i) => p.value(i),
            _ => "",
        };
        Some((who, years.value(i), prison))
    }
}

/// Suppliers, years and rows per cell of a delivery's batch. `supplier` is the profile's
/// `leverancier`, if read through a profile.
pub(crate) fn describe(source: Source, batch: &RecordBatch, supplier: Option<&str>) -> Described {
    let cols = CellColumns::of(source, batch, supplier);
    // Suppliers and prisons are few: each row's cell is counted by their positions in two
    // short lists (the last one found is tried first), without hashing a text per row.
    let mut names: Vec<&str> = Vec::new();
    let mut prisons: Vec<&str> = Vec::new();
    fn position<'a>(list: &mut Vec<&'a str>, last: &mut usize, v: &'a str) -> usize {
        if list.get(*last) == Some(&v) {
            return *last;
        }
        *last = match list.iter().position(|x| *x == v) {
            Some(i) => i,
            None => {
                list.push(v);
                list.len() - 1
            }
        };
        *last
    }
    let (mut last_name, mut last_prison) = (0usize, 0usize);
    let mut tally: HashMap<(usize, i32, usize), usize> = HashMap::new();
    for i in 0..batch.num_rows() {
        let Some((who, year, prison)) = cols.at(i) else {
            continue;
        };
        let w = position(&mut names, &mut last_name, who);
        let p = position(&mut prisons, &mut last_prison, prison);
        *tally.entry((w, year, p)).or_default() += 1;
    }
    let counts: BTreeMap<Cell, usize> = tally
        .into_iter()
        .map(|((w, year, p), n)| {
            (
                Cell {
                    supplier: names[w].to_string(),
                    year,
                    prison: prisons[p].to_string(),
                },
                n,
            )
        })
        .collect();
    let mut suppliers: BTreeSet<String> = counts.keys().map(|c| c.supplier.clone()).collect();
    if suppliers.is_empty()
        && let Some(s) = supplier.or(fixed_supplier(source))
    {
        suppliers.insert(s.to_string());
    }
    let years = counts.keys().map(|c| c.year).collect();
    Described {
        suppliers,
        years,
        counts,
    }
}

/// The rows of a delivery's batch to keep: those outside the cells `replaced` (same
/// `supplier` as for [`describe`]).
pub(crate) fn kept_rows(
    source: Source,
    batch: &RecordBatch,
    supplier: Option<&str>,
    replaced: &[Replacement],
) -> BooleanArray {
    let cols = CellColumns::of(source, batch, supplier);
    let gone: HashSet<(&str, i32, &str)> = replaced
        .iter()
        .map(|r| {
            (
                r.cell.supplier.as_str(),
                r.cell.year,
                r.cell.prison.as_str(),
            )
        })
        .collect();
    (0..batch.num_rows())
        .map(|i| Some(cols.at(i).is_none_or(|k| !gone.contains(&k))))
        .collect()
}

/// Per delivery of `all`: true when another delivery of the same source covers cells of a
/// supplier and year it covers too (a year split over files, or re-delivered): then its cells
/// matter one by one. One pass over the cells.
pub fn shared_years(all: &[Delivery]) -> Vec<bool> {
    fn pairs(d: &Delivery) -> BTreeSet<(&str, i32)> {
        d.counts
            .keys()
            .map(|c| (c.supplier.as_str(), c.year))
            .collect()
    }
    let mut holders: HashMap<(Source, &str, i32), usize> = HashMap::new();
    for d in all {
        for (s, y) in pairs(d) {
            *holders.entry((d.source, s, y)).or_default() += 1;
        }
    }
    all.iter()
        .map(|d| {
            pairs(d)
                .into_iter()
                .any(|(s, y)| holders[&(d.source, s, y)] > 1)
        })
        .collect()
}

/// Decides the re-deliveries among the deliveries of one source, cell by cell: where two or
/// more deliveries cover the same cell (supplier × year × prison), the one with the latest
/// extraction date keeps it and the others' rows of that cell are not used
/// ([`Delivery::replaced`]; a note per replaced delivery). Deliveries that share cells without
/// both saying when they were extracted (or with the same extraction date) are an error naming
/// both files and the shared cells.
pub(crate) fn resolve(deliveries: &mut [Delivery]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    // Every cell with the deliveries that cover it.
    let mut holders: BTreeMap<(Source, &Cell), Vec<usize>> = BTreeMap::new();
    for (i, d) in deliveries.iter().enumerate() {
        for c in d.counts.keys() {
            holders.entry((d.source, c)).or_default().push(i);
        }
    }
    // (earlier, later, cell) replacements, and the cells shared by deliveries whose order is
    // unknown (one of them undated, or the same date).
    let mut replace: Vec<(usize, usize, Cell)> = Vec::new();
    // Deliveries whose order is unknown form groups, reported once per group: the group's
    // first delivery (`root`), the others and the cells they share (200 copies of one file
    // give one finding, not 19,900 pairs).
    let n = deliveries.len();
    let mut root: Vec<usize> = (0..n).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    let mut unresolved: Vec<(usize, Cell)> = Vec::new();
    for ((_, cell), who) in holders.iter().filter(|(_, w)| w.len() > 1) {
        let dates: Vec<Option<NaiveDate>> = who.iter().map(|&i| deliveries[i].extracted).collect();
        let latest = dates.iter().flatten().max();
        let winners = dates.iter().filter(|d| d.as_ref() == latest).count();
        if dates.iter().all(Option::is_some) && winners == 1 {
            let later = who[dates
                .iter()
                .position(|d| d.as_ref() == latest)
                .expect("max")];
            for &i in who.iter().filter(|&&i| i != later) {
                replace.push((i, later, (*cell).clone()));
            }
            continue;
        }
        // Every pair whose order is unknown joins one group.
        for (x, &a) in who.iter().enumerate() {
            for &b in &who[x + 1..] {
                let (da, db) = (deliveries[a].extracted, deliveries[b].extracted);
                if da.is_none() || db.is_none() || da == db {
                    let (ra, rb) = (find(&mut root, a), find(&mut root, b));
                    if ra != rb {
                        root[ra.max(rb)] = ra.min(rb);
                    }
                    unresolved.push((a, (*cell).clone()));
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, (Vec<usize>, BTreeSet<Cell>)> = BTreeMap::new();
    for (i, cell) in unresolved {
        let r = find(&mut root, i);
        groups.entry(r).or_default().1.insert(cell);
    }
    for i in 0..n {
        let r = find(&mut root, i);
        if r != i
            && let Some(g) = groups.get_mut(&r)
        {
            g.0.push(i);
        }
    }
    for (first, (others, cells)) in &groups {
        let first = &deliveries[*first];
        let others: Vec<&Delivery> = others.iter().map(|&j| &deliveries[j]).collect();
        let Some(b) = others.first() else { continue };
        diags.push(unordered(first, b, &others, cells));
    }
    for (earlier, later, cell) in replace {
        let rows = deliveries[earlier].counts.get(&cell).copied().unwrap_or(0);
        let by = deliveries[later].name.clone();
        deliveries[earlier]
            .replaced
            .push(Replacement { cell, rows, by });
    }
    for d in deliveries.iter().filter(|d| !d.replaced.is_empty()) {
        diags.push(Diagnostic::warning(
            d.name.clone(),
            replaced_note(d, deliveries),
        ));
    }
    diags
}

/// The error on deliveries `b` and `others` that share `cells` with `first` while their
/// order is unknown (undated, or dated alike).
fn unordered(
    first: &Delivery,
    b: &Delivery,
    others: &[&Delivery],
    cells: &BTreeSet<Cell>,
) -> Diagnostic {
    let shown: Vec<&str> = others.iter().take(10).map(|d| d.name.as_str()).collect();
    let dated_alike = others
        .iter()
        .all(|d| first.extracted.is_some() && d.extracted == first.extracted);
    Diagnostic::error(
        b.name.clone(),
        format!(
            "levert gegevens voor dezelfde {} als {} ({}){}, en {}; geef {} leveringen een extractiedatum (de recentste vervangt dan de rijen van die cellen) of verwijder de oudste uit de map",
            if cells.len() == 1 {
                "cel".to_string()
            } else {
                format!("{} cellen (leverancier × jaar × gevangenis)", cells.len())
            },
            first.name,
            cells_text(cells.iter().map(|c| (c, None))),
            match others.len() {
                1 => String::new(),
                k => format!(
                    ", net als nog {} andere levering(en): {}{}",
                    k - 1,
                    shown[1..].join(", "),
                    if k > shown.len() {
                        format!(" en nog {}", k - shown.len())
                    } else {
                        String::new()
                    }
                ),
            },
            match (dated_alike, others.len()) {
                (true, 1) => "beide hebben dezelfde extractiedatum",
                (true, _) => "ze hebben dezelfde extractiedatum",
                (false, 1) =>
                    "niet beide zeggen wanneer ze getrokken zijn (extractiedatum), dus het is niet duidelijk welke de recentste is",
                (false, _) =>
                    "niet alle zeggen wanneer ze getrokken zijn (extractiedatum), dus het is niet duidelijk welke de recentste is",
            },
            if others.len() == 1 { "beide" } else { "alle" }
        ),
    )
}

/// The note on a delivery whose cells later deliveries replace: which rows are not used,
/// replaced by which delivery, and what stays in use.
fn replaced_note(d: &Delivery, all: &[Delivery]) -> String {
    let mut by: BTreeMap<&str, Vec<&Replacement>> = BTreeMap::new();
    for r in &d.replaced {
        by.entry(r.by.as_str()).or_default().push(r);
    }
    let parts: Vec<String> = by
        .iter()
        .map(|(name, rs)| {
            let date = all
                .iter()
                .find(|x| x.name == *name)
                .and_then(|x| x.extracted)
                .map(|x| format!(" (getrokken op {})", crate::number::nl_date(x)))
                .unwrap_or_default();
            format!(
                "{name}{date} voor {}",
                cells_text(rs.iter().map(|r| (&r.cell, Some(r.rows))))
            )
        })
        .collect();
    let gone = d.rows - d.used_rows();
    let rest = if d.used_rows() == 0 {
        "geen enkele rij van deze levering wordt nog gebruikt".to_string()
    } else {
        format!(
            "de andere {} rijen van deze levering blijven gebruikt",
            d.used_rows()
        )
    };
    format!(
        "herlevering: {gone} rijen van deze levering worden niet gebruikt, vervangen door {}; {rest}",
        parts.join(" en door ")
    )
}

/// The unique column of a source (`traject_id`, `aanvraag_id`), if any.
pub(crate) fn unique_column(source: Source) -> Option<&'static str> {
    match source {
        Source::Trajecten => Some("traject_id"),
        Source::Aanvragen => Some("aanvraag_id"),
        _ => None,
    }
}

/// Their header of a column of a delivery: (delivery, contract column) → header.
pub(crate) type HeaderOf<'a> = &'a dyn Fn(&str, &str) -> String;

/// Uniqueness across the active deliveries of one source: a value of the unique column in
/// two files is an error naming both.
pub(crate) fn unique_across(
    source: Source,
    files: &[(&str, &RecordBatch)],
    header: HeaderOf,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let Some(col) = unique_column(source) else {
        return diags;
    };
    if files.len() < 2 {
        return diags;
    }
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut reported = 0usize;
    let mut more = 0usize;
    for (name, batch) in files {
        let Some(a) = batch
            .column_by_name(col)
            .and_then(|c| c.as_string_opt::<i32>())
        else {
            continue;
        };
        for i in 0..a.len() {
            if !a.is_valid(i) {
                continue;
            }
            let id = a.value(i);
            match seen.get(id) {
                Some(first) if first != name => {
                    if reported < crate::limits::findings_per_file() {
                        reported += 1;
                        let h = header(name, col);
                        let other = first.rsplit('/').next().unwrap_or(first);
                        diags.push(
                            Diagnostic::error(
                                name.to_string(),
                                format!(
                                    "{col} {} komt ook voor in {first}: {col} moet uniek zijn over alle leveringen van {source}",
                                    quoted(id)
                                ),
                            )
                            .for_partner(crate::diagnostic::Partner {
                                advice: format!(
                                    "{h} {} komt ook voor in de levering {other}; geef elke rij een eigen {h}, ook over leveringen heen.",
                                    quoted(id)
                                ),
                                header: Some(h),
                                expected: Some("een waarde die maar één keer voorkomt".into()),
                            }),
                        );
                    } else {
                        more += 1;
                    }
                }
                Some(_) => {}
                None => {
                    seen.insert(id, name);
                }
            }
        }
    }
    if more > 0 {
        diags.push(Diagnostic::error(
            source.name().to_string(),
            format!("… en nog {more} dubbele {col}-waarden tussen leveringen"),
        ));
    }
    diags
}

/// Overlapping stays of one person in two different deliveries of `detenties` (overlaps
/// within one file are warned about when that file is read): one warning per delivery whose
/// stays overlap a stay that begins earlier in another delivery, naming an example of such a
/// delivery. A stay that begins on the day another ended is no overlap.
pub(crate) fn overlaps_across(
    source: Source,
    files: &[(&str, &RecordBatch)],
    header: HeaderOf,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if source != Source::Detenties || files.len() < 2 {
        return diags;
    }
    // (person, begin, einde, file)
    let mut stays: Vec<(&str, i32, Option<i32>, &str)> = Vec::new();
    for (name, batch) in files {
        let (Some(person), Some(begin), Some(end)) = (
            batch
                .column_by_name("persoon_id")
                .and_then(|c| c.as_string_opt::<i32>()),
            batch
                .column_by_name("begin")
                .and_then(|c| c.as_primitive_opt::<Date32Type>()),
            batch
                .column_by_name("einde")
                .and_then(|c| c.as_primitive_opt::<Date32Type>()),
        ) else {
            continue;
        };
        for i in 0..batch.num_rows() {
            if person.is_valid(i) && begin.is_valid(i) {
                let e = end.is_valid(i).then(|| end.value(i));
                stays.push((person.value(i), begin.value(i), e, name));
            }
        }
    }
    stays.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    // Per delivery: how many of its stays overlap an earlier stay in another delivery, and
    // the first such other delivery (the warning goes to the later delivery's feedback).
    let mut found: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    super::stays::overlaps(
        &stays,
        |earlier, this| earlier != this,
        |file, other| found.entry(file).or_insert((0, other)).0 += 1,
    );
    for (file, (count, other)) in found {
        let short = other.rsplit('/').next().unwrap_or(other);
        diags.push(
            Diagnostic::warning(
                file.to_string(),
                format!(
                    "{count} verblijf/verblijven overlappen met een verblijf van dezelfde persoon in een andere levering (bv. {other}); ze worden aanvaard"
                ),
            )
            .for_partner(crate::diagnostic::Partner {
                header: None,
                expected: None,
                advice: format!(
                    "{count} verblijf/verblijven overlappen met een verblijf van dezelfde persoon in een andere levering (bv. {short}); ze worden aanvaard, maar kijk na of {} en {} kloppen.",
                    header(file, "begin"),
                    header(file, "einde")
                ),
            }),
        );
    }
    diags
}

/// What arrived for one expected delivery series in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivered {
    /// Rows delivered (those in use); `replaced`: earlier rows of this year were replaced by
    /// a re-delivery; `first_extracted`: the earliest extraction date of the deliveries with
    /// rows for this year (when the year first arrived), if they say it.
    Rows {
        rows: usize,
        replaced: bool,
        first_extracted: Option<NaiveDate>,
    },
    /// Expected and not delivered.
    Missing,
    /// Not delivered, and not required (an optional source without `verplicht: ja`).
    NotRequired,
}

/// One year of a delivery series: what arrived and by when it was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct YearCell {
    pub year: i32,
    pub delivered: Delivered,
    /// The due date of the year's delivery (`uiterlijk` in `verwacht.yaml`).
    pub due: Option<NaiveDate>,
}

impl YearCell {
    /// How many days late the year's delivery is at `today`: a missing delivery past its due
    /// date (days since the due date), or a delivery first extracted after it (days between).
    /// `None`: on time, not yet due, without a due date, or without an extraction date.
    pub fn late(&self, today: NaiveDate) -> Option<i64> {
        let due = self.due?;
        let at = match self.delivered {
            Delivered::Missing => today,
            Delivered::Rows {
                first_extracted, ..
            } => first_extracted?,
            Delivered::NotRequired => return None,
        };
        let days = (at - due).num_days();
        (days > 0).then_some(days)
    }
}

/// One delivery series (supplier and source) with what arrived per year.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompletenessRow {
    pub supplier: String,
    pub source: Source,
    /// Listed in `verwacht.yaml`; false for a supplier that delivers without being expected
    /// (its years are those it delivered).
    pub expected: bool,
    pub years: Vec<YearCell>,
}

impl CompletenessRow {
    pub fn missing_in(&self, year: i32) -> bool {
        self.years
            .iter()
            .any(|c| c.year == year && c.delivered == Delivered::Missing)
    }

    /// The year's cell, if the row has it.
    pub fn year(&self, year: i32) -> Option<&YearCell> {
        self.years.iter().find(|c| c.year == year)
    }
}

/// The completeness matrix: every expected (supplier, source) × year, with the rows the
/// deliveries in use hold for it (suppliers compared ignoring case), then every supplier of a
/// source that delivered without being expected, with the years it delivered.
pub(crate) fn completeness(deliveries: &[Delivery], expected: &[Expected]) -> Vec<CompletenessRow> {
    // Per (source, supplier in lower case, year): used rows, replaced, first extraction.
    type Year = (usize, bool, Option<NaiveDate>);
    let mut got: BTreeMap<(Source, String, i32), Year> = BTreeMap::new();
    // The supplier as written, per (source, supplier in lower case).
    let mut names: BTreeMap<(Source, String), String> = BTreeMap::new();
    for d in deliveries {
        for (cell, n) in &d.counts {
            let who = cell.supplier.to_lowercase();
            names
                .entry((d.source, who.clone()))
                .or_insert_with(|| cell.supplier.clone());
            let e = got.entry((d.source, who, cell.year)).or_default();
            let replaced = d.replaced.iter().any(|r| r.cell == *cell);
            if replaced {
                e.1 = true;
            } else {
                e.0 += n;
            }
            if let Some(x) = d.extracted {
                e.2 = Some(e.2.map_or(x, |y: NaiveDate| y.min(x)));
            }
        }
    }
    let cell = |source: Source, who: &str, year: i32, required: bool| match got.get(&(
        source,
        who.to_lowercase(),
        year,
    )) {
        Some(&(rows, replaced, first_extracted)) if rows > 0 => Delivered::Rows {
            rows,
            replaced,
            first_extracted,
        },
        _ if required => Delivered::Missing,
        _ => Delivered::NotRequired,
    };
    let mut rows: Vec<CompletenessRow> = expected
        .iter()
        .map(|e| CompletenessRow {
            supplier: e.supplier.clone(),
            source: e.source,
            expected: true,
            years: e
                .years
                .iter()
                .map(|year| YearCell {
                    year,
                    delivered: cell(e.source, &e.supplier, year, e.required),
                    due: e.due_date(year),
                })
                .collect(),
        })
        .collect();
    // Only a project that expects deliveries lists who delivers without being expected.
    for ((source, who), name) in names.iter().filter(|_| !expected.is_empty()) {
        if expected
            .iter()
            .any(|e| e.source == *source && e.supplier.to_lowercase() == *who)
        {
            continue;
        }
        let years: Vec<YearCell> = got
            .range((*source, who.clone(), i32::MIN)..=(*source, who.clone(), i32::MAX))
            .filter(|(_, (n, _, _))| *n > 0)
            .map(|((_, _, year), _)| YearCell {
                year: *year,
                delivered: cell(*source, who, *year, false),
                due: None,
            })
            .collect();
        if !years.is_empty() {
            rows.push(CompletenessRow {
                supplier: name.clone(),
                source: *source,
                expected: false,
                years,
            });
        }
    }
    rows
}

/// An expected year whose delivery is late at a reference date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LateYear {
    pub supplier: String,
    pub source: Source,
    pub year: i32,
    pub due: NaiveDate,
    /// Days past the due date: until the reference date when missing, until the first
    /// extraction date when delivered.
    pub days: i64,
    /// True: nothing has arrived yet.
    pub missing: bool,
}

/// Every late year of the matrix at `today` ([`YearCell::late`]), in matrix order.
pub fn late_years(rows: &[CompletenessRow], today: NaiveDate) -> Vec<LateYear> {
    rows.iter()
        .flat_map(|r| {
            r.years.iter().filter_map(move |c| {
                Some(LateYear {
                    supplier: r.supplier.clone(),
                    source: r.source,
                    year: c.year,
                    due: c.due?,
                    days: c.late(today)?,
                    missing: c.delivered == Delivered::Missing,
                })
            })
        })
        .collect()
}

/// How late a delivery is: the due date it missed most (of the expected years it covers) and
/// the days between that date and its extraction date. `None` when it is on time or cannot be
/// told (no due date, no extraction date).
pub fn late_delivery(d: &Delivery, expected: &[Expected]) -> Option<(NaiveDate, i64)> {
    let extracted = d.extracted?;
    d.counts
        .keys()
        .filter_map(|c| {
            expected
                .iter()
                .find(|e| {
                    e.source == d.source
                        && e.supplier.eq_ignore_ascii_case(&c.supplier)
                        && e.years.contains(c.year)
                })?
                .due_date(c.year)
        })
        .map(|due| (due, (extracted - due).num_days()))
        .filter(|(_, days)| *days > 0)
        .max_by_key(|(_, days)| *days)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Headers as the contract names them.
    const NAMES: HeaderOf = &|_, c| c.to_string();

    /// A `detenties` batch of (person, begin, einde) with days since 1970 as dates.
    fn stays(rows: &[(&str, i32, Option<i32>)]) -> RecordBatch {
        use datafusion::arrow::array::{Date32Array, StringArray};
        use std::sync::Arc;
        let schema = Source::Detenties.schema();
        let n = rows.len();
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.0))),
                Arc::new(StringArray::from(vec!["gent"; n])),
                Arc::new(Date32Array::from_iter_values(rows.iter().map(|r| r.1))),
                Arc::new(Date32Array::from(
                    rows.iter().map(|r| r.2).collect::<Vec<_>>(),
                )),
                Arc::new(StringArray::from(vec![None::<&str>; n])),
            ],
        )
        .unwrap()
    }

    #[test]
    fn overlapping_stays_across_deliveries_are_one_warning_per_later_delivery() {
        // P1: 100-200 in a.xlsx and 150-300 in b.xlsx overlap; P2: 100-200 then 200-250 is a
        // same-day transfer; P3 overlaps only within b.xlsx (that file's own warning).
        let a = stays(&[("P1", 100, Some(200)), ("P2", 100, Some(200))]);
        let b = stays(&[
            ("P1", 150, Some(300)),
            ("P2", 200, Some(250)),
            ("P3", 10, None),
            ("P3", 20, Some(30)),
        ]);
        let d = overlaps_across(Source::Detenties, &[("a.xlsx", &a), ("b.xlsx", &b)], NAMES);
        assert_eq!(d.0.len(), 1, "{d}");
        assert!(!d.has_errors());
        // The warning is about the later delivery (its feedback), naming the other.
        assert_eq!(d.0[0].location, "b.xlsx");
        assert!(
            d.0[0].message.starts_with(
                "1 verblijf/verblijven overlappen met een verblijf van dezelfde persoon in een andere levering (bv. a.xlsx)"
            ),
            "{d}"
        );
        // P4: a long stay in a.xlsx, then a short one and a later one in b.xlsx: the later one
        // is not adjacent to the long stay in begin order and still overlaps it.
        let a4 = stays(&[("P4", 100, Some(500))]);
        let b4 = stays(&[("P4", 150, Some(160)), ("P4", 400, Some(450))]);
        let d = overlaps_across(
            Source::Detenties,
            &[("a.xlsx", &a4), ("b.xlsx", &b4)],
            NAMES,
        );
        assert_eq!(d.0.len(), 1, "{d}");
        assert!(d.0[0].message.starts_with("2 verblijf/verblijven"), "{d}");
        // An open-ended stay overlaps everything after its begin in another delivery; a stay
        // before it does not.
        let a5 = stays(&[("P5", 100, None)]);
        let b5 = stays(&[("P5", 50, Some(60)), ("P5", 900, Some(950))]);
        let d = overlaps_across(
            Source::Detenties,
            &[("a.xlsx", &a5), ("b.xlsx", &b5)],
            NAMES,
        );
        assert!(d.0[0].message.starts_with("1 verblijf/verblijven"), "{d}");
        // Overlaps in two later deliveries: one warning each.
        let c5 = stays(&[("P5", 120, Some(130))]);
        let d = overlaps_across(
            Source::Detenties,
            &[("a.xlsx", &a5), ("b.xlsx", &b5), ("c.xlsx", &c5)],
            NAMES,
        );
        let files: Vec<&str> = d.0.iter().map(|x| x.location.as_str()).collect();
        assert_eq!(files, ["b.xlsx", "c.xlsx"], "{d}");
        // No overlap across files: silent; other sources: silent.
        let c = stays(&[("P1", 300, None)]);
        assert!(
            overlaps_across(Source::Detenties, &[("a.xlsx", &a), ("c.xlsx", &c)], NAMES).is_empty()
        );
        assert!(
            overlaps_across(Source::Trajecten, &[("a.xlsx", &a), ("b.xlsx", &b)], NAMES).is_empty()
        );
    }

    /// A CAW delivery of `trajecten` with 10 rows in every cell of `years` × `prisons`.
    fn delivery(
        name: &str,
        years: &[i32],
        prisons: &[&str],
        extracted: Option<(i32, u32, u32)>,
    ) -> Delivery {
        let counts: BTreeMap<Cell, usize> = years
            .iter()
            .flat_map(|y| {
                prisons.iter().map(move |p| {
                    (
                        Cell {
                            supplier: "CAW".into(),
                            year: *y,
                            prison: p.to_string(),
                        },
                        10,
                    )
                })
            })
            .collect();
        Delivery {
            source: Source::Trajecten,
            path: PathBuf::from(name),
            name: name.into(),
            profile: None,
            suppliers: ["CAW".to_string()].into(),
            years: years.iter().copied().collect(),
            rows: 10 * counts.len(),
            counts,
            sha256: String::new(),
            extracted: extracted.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            replaced: Vec::new(),
            late: None,
            layout: None,
            file_rows: Default::default(),
        }
    }

    fn expected(years: &str, due: Option<(u32, u32)>) -> Expected {
        Expected {
            supplier: "caw".into(),
            source: Source::Trajecten,
            years: years.parse().unwrap(),
            required: true,
            due,
        }
    }

    #[test]
    fn a_later_delivery_replaces_only_the_cells_it_covers() {
        let mut ds = vec![
            // A correction of Gent only, after the first delivery of Gent and Brugge.
            delivery(
                "t/caw-2024-gent.xlsx",
                &[2024],
                &["gent"],
                Some((2025, 3, 1)),
            ),
            delivery(
                "t/caw-2024.xlsx",
                &[2024],
                &["brugge", "gent"],
                Some((2025, 1, 15)),
            ),
            delivery("t/caw-2023.xlsx", &[2023], &["gent"], None),
        ];
        let diags = resolve(&mut ds);
        assert!(!diags.has_errors(), "{diags}");
        let gent = Cell {
            supplier: "CAW".into(),
            year: 2024,
            prison: "gent".into(),
        };
        assert_eq!(
            ds[1].replaced,
            vec![Replacement {
                cell: gent.clone(),
                rows: 10,
                by: "t/caw-2024-gent.xlsx".into()
            }]
        );
        assert!(ds[1].active() && ds[1].used_rows() == 10);
        assert!(ds[0].replaced.is_empty() && ds[2].replaced.is_empty());
        assert_eq!(ds[0].replaces(&ds).len(), 1);
        assert_eq!(
            diags.to_string(),
            "waarschuwing: t/caw-2024.xlsx: herlevering: 10 rijen van deze levering worden niet gebruikt, vervangen door t/caw-2024-gent.xlsx (getrokken op 1 maart 2025) voor CAW 2024: gent (10); de andere 10 rijen van deze levering blijven gebruikt\n"
        );
        let m = completeness(&ds, &[expected("2022..2024", Some((31, 1)))]);
        let cells: Vec<Delivered> = m[0].years.iter().map(|c| c.delivered).collect();
        assert_eq!(
            cells,
            vec![
                Delivered::Missing,
                Delivered::Rows {
                    rows: 10,
                    replaced: false,
                    first_extracted: None
                },
                Delivered::Rows {
                    rows: 20,
                    replaced: true,
                    first_extracted: NaiveDate::from_ymd_opt(2025, 1, 15)
                },
            ]
        );
        // Due on 31 January of the following year: 2022 missing, 2024 first extracted on 15
        // January (on time); 2023 has no extraction date (cannot be told).
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let late: Vec<Option<i64>> = m[0].years.iter().map(|c| c.late(today)).collect();
        assert_eq!(late, vec![Some(1066), None, None]);
        // The correction of Gent was extracted 29 days after the due date of 2024.
        let e = [expected("2022..2024", Some((31, 1)))];
        assert_eq!(
            late_delivery(&ds[0], &e),
            Some((NaiveDate::from_ymd_opt(2025, 1, 31).unwrap(), 29))
        );
        assert_eq!(late_delivery(&ds[1], &e), None);
    }

    #[test]
    fn deliveries_of_other_prisons_are_combined_even_without_dates() {
        let mut ds = vec![
            delivery("a.xlsx", &[2024], &["brugge"], None),
            delivery("b.xlsx", &[2024], &["gent"], None),
        ];
        let d = resolve(&mut ds);
        assert!(d.is_empty(), "{d}");
        assert!(ds.iter().all(|d| d.replaced.is_empty()));
    }

    #[test]
    fn shared_cells_without_dates_are_an_error_naming_both_files_and_the_cells() {
        let mut ds = vec![
            delivery("a.xlsx", &[2023, 2024], &["gent"], None),
            delivery("b.xlsx", &[2024], &["brugge", "gent"], Some((2025, 2, 1))),
        ];
        let d = resolve(&mut ds);
        assert_eq!(
            d.to_string(),
            "fout: b.xlsx: levert gegevens voor dezelfde cel als a.xlsx (CAW 2024: gent), en niet beide zeggen wanneer ze getrokken zijn (extractiedatum), dus het is niet duidelijk welke de recentste is; geef beide leveringen een extractiedatum (de recentste vervangt dan de rijen van die cellen) of verwijder de oudste uit de map\n"
        );
        // The same extraction date: which is the latest cannot be told either.
        let mut ds = vec![
            delivery("a.xlsx", &[2024], &["brugge", "gent"], Some((2025, 2, 1))),
            delivery("b.xlsx", &[2024], &["brugge", "gent"], Some((2025, 2, 1))),
        ];
        let d = resolve(&mut ds);
        assert_eq!(d.error_count(), 1, "{d}");
        assert!(
            d.to_string()
                .contains("dezelfde 2 cellen (leverancier × jaar × gevangenis) als a.xlsx (CAW 2024: brugge, gent), en beide hebben dezelfde extractiedatum"),
            "{d}"
        );
    }

    #[test]
    fn copies_whose_order_is_unknown_are_one_error_per_group() {
        // Four copies of the same cells, none dated: one error naming the first and the
        // others (not six pairs); a delivery of other cells is combined.
        let mut ds: Vec<Delivery> = ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"]
            .iter()
            .map(|n| delivery(n, &[2024], &["gent"], None))
            .collect();
        ds.push(delivery("e.xlsx", &[2024], &["brugge"], None));
        let d = resolve(&mut ds);
        assert_eq!(
            d.to_string(),
            "fout: b.xlsx: levert gegevens voor dezelfde cel als a.xlsx (CAW 2024: gent), net als nog 2 andere levering(en): c.xlsx, d.xlsx, en niet alle zeggen wanneer ze getrokken zijn (extractiedatum), dus het is niet duidelijk welke de recentste is; geef alle leveringen een extractiedatum (de recentste vervangt dan de rijen van die cellen) of verwijder de oudste uit de map\n"
        );
        // Two groups of copies: one error each.
        let mut ds = vec![
            delivery("a.xlsx", &[2024], &["gent"], Some((2025, 2, 1))),
            delivery("b.xlsx", &[2024], &["gent"], Some((2025, 2, 1))),
            delivery("c.xlsx", &[2023], &["gent"], None),
            delivery("d.xlsx", &[2023], &["gent"], None),
        ];
        let d = resolve(&mut ds);
        assert_eq!(d.error_count(), 2, "{d}");
        assert!(
            d.to_string()
                .contains("beide hebben dezelfde extractiedatum"),
            "{d}"
        );
    }

    #[test]
    fn undelivered_optional_series_are_not_missing_and_unexpected_suppliers_are_listed() {
        let mut optional = expected("2024", None);
        optional.required = false;
        let ds = vec![{
            let mut d = delivery("t/vdab.xlsx", &[2023], &["gent"], None);
            for (c, _) in std::mem::take(&mut d.counts) {
                d.counts.insert(
                    Cell {
                        supplier: "VDAB".into(),
                        ..c
                    },
                    10,
                );
            }
            d
        }];
        let m = completeness(&ds, &[optional]);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].years[0].delivered, Delivered::NotRequired);
        assert!(!m[0].missing_in(2024));
        assert_eq!((m[1].supplier.as_str(), m[1].expected), ("VDAB", false));
        assert_eq!(m[1].years.len(), 1);
        assert_eq!(m[1].years[0].year, 2023);
    }
}
