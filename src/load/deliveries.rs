//! The delivery register: every delivery file of a source with its supplier, years, rows,
//! hash and extraction date; re-deliveries (a later delivery of the same supplier and years
//! replaces the earlier one); uniqueness across files; and the completeness matrix of the
//! expected deliveries (`plans/leveringen/verwacht.yaml`).

use super::profile::Expected;
use crate::contract::Source;
use crate::diagnostic::quoted;
use crate::diagnostic::{Diagnostic, Diagnostics};
use chrono::NaiveDate;
use datafusion::arrow::array::{Array, AsArray, Int32Array, RecordBatch};
use datafusion::arrow::datatypes::{DataType, Date32Type, Int32Type};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

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
    /// Rows per (supplier, year).
    pub counts: BTreeMap<(String, i32), usize>,
    pub rows: usize,
    pub sha256: String,
    pub extracted: Option<NaiveDate>,
    /// The delivery that replaces this one (its rows are then not used).
    pub replaced_by: Option<String>,
}

impl Delivery {
    pub fn active(&self) -> bool {
        self.replaced_by.is_none()
    }

    /// The suppliers in words (`CAW`, `CAW, CGG`).
    pub fn supplier_text(&self) -> String {
        self.suppliers
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
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
    /// Rows per (supplier, year).
    pub counts: BTreeMap<(String, i32), usize>,
}

/// Suppliers, years and rows per (supplier, year) of a delivery's batch. `supplier` is the
/// profile's `leverancier`, if read through a profile.
pub(crate) fn describe(source: Source, batch: &RecordBatch, supplier: Option<&str>) -> Described {
    // The reference year of every row, computed over the whole column at once.
    let years: Option<Int32Array> = batch
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
    let partner = batch
        .column_by_name(partner_col)
        .and_then(|c| c.as_string_opt::<i32>().cloned());
    let fallback = fixed_supplier(source).unwrap_or("onbekend");
    // Counted with borrowed names, per run of equal (supplier, year) pairs (a delivery's rows
    // mostly share both); owned only for the few distinct pairs.
    let mut tally: HashMap<(&str, i32), usize> = HashMap::new();
    let mut run: Option<((&str, i32), usize)> = None;
    if let Some(years) = &years {
        for (i, y) in years.iter().enumerate() {
            let Some(y) = y else { continue };
            let who = match (supplier, &partner) {
                (Some(s), _) => s,
                (None, Some(p)) if p.is_valid(i) => p.value(i),
                _ => fallback,
            };
            match &mut run {
                Some((key, n)) if *key == (who, y) => *n += 1,
                _ => {
                    if let Some((key, n)) = run.replace(((who, y), 1)) {
                        *tally.entry(key).or_default() += n;
                    }
                }
            }
        }
    }
    if let Some((key, n)) = run {
        *tally.entry(key).or_default() += n;
    }
    let counts: BTreeMap<(String, i32), usize> = tally
        .into_iter()
        .map(|((who, y), n)| ((who.to_string(), y), n))
        .collect();
    let mut suppliers: BTreeSet<String> = counts.keys().map(|(s, _)| s.clone()).collect();
    if suppliers.is_empty()
        && let Some(s) = supplier.or(fixed_supplier(source))
    {
        suppliers.insert(s.to_string());
    }
    let years = counts.keys().map(|(_, y)| *y).collect();
    Described {
        suppliers,
        years,
        counts,
    }
}

fn years_text(years: &BTreeSet<i32>) -> String {
    let v: Vec<i32> = years.iter().copied().collect();
    match v.as_slice() {
        [] => "geen jaren".into(),
        [one] => one.to_string(),
        [first, .., last] if (*last - *first) as usize + 1 == v.len() => format!("{first}-{last}"),
        _ => v
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Marks re-deliveries among the deliveries of one source: two deliveries that share a
/// supplier and a year either cover the same suppliers and years (the later one by
/// extraction date replaces the earlier one; a note says so) or overlap only in part (an
/// error). Returns the findings: errors for overlaps that cannot be resolved, warnings
/// (notes) for every replacement.
pub(crate) fn resolve(deliveries: &mut [Delivery]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let n = deliveries.len();
    // Deliveries of the same data whose order is unknown, reported once per group: the
    // group's first delivery and the others (200 copies of one file give one finding, not
    // 19,900 pairs).
    let mut same_as: Vec<Option<usize>> = vec![None; n];
    // One partial overlap is reported per delivery.
    let mut overlap_told = vec![false; n];
    for i in 0..n {
        if same_as[i].is_some() {
            continue;
        }
        for j in i + 1..n {
            let (a, b) = (&deliveries[i], &deliveries[j]);
            if a.source != b.source
                || a.suppliers.is_disjoint(&b.suppliers)
                || a.years.is_disjoint(&b.years)
            {
                continue;
            }
            if a.suppliers != b.suppliers || a.years != b.years {
                if std::mem::replace(&mut overlap_told[j], true) {
                    continue;
                }
                diags.push(Diagnostic::error(
                    b.name.clone(),
                    format!(
                        "overlapt gedeeltelijk met {}: {} voor {} tegenover {} voor {}; een herlevering moet dezelfde leverancier en dezelfde jaren dekken als de levering die ze vervangt; splits of verwijder een van beide",
                        a.name,
                        a.supplier_text(),
                        years_text(&a.years),
                        b.supplier_text(),
                        years_text(&b.years)
                    ),
                ));
                continue;
            }
            let (later, earlier) = match (a.extracted, b.extracted) {
                (Some(x), Some(y)) if x > y => (i, j),
                (Some(x), Some(y)) if y > x => (j, i),
                _ => {
                    if same_as[j].is_none() {
                        same_as[j] = Some(i);
                    }
                    continue;
                }
            };
            if deliveries[earlier].replaced_by.is_none() {
                deliveries[earlier].replaced_by = Some(deliveries[later].name.clone());
            }
        }
    }
    for (i, first) in deliveries.iter().enumerate() {
        let others: Vec<&Delivery> = (0..n)
            .filter(|&j| same_as[j] == Some(i))
            .map(|j| &deliveries[j])
            .collect();
        let Some(b) = others.first() else { continue };
        let shown: Vec<&str> = others.iter().take(10).map(|d| d.name.as_str()).collect();
        let dated_alike = others
            .iter()
            .all(|d| first.extracted.is_some() && d.extracted == first.extracted);
        diags.push(Diagnostic::error(
            b.name.clone(),
            format!(
                "levert dezelfde gegevens ({} voor {}) als {}{}, en {}; verwijder de oudste levering uit de map",
                b.supplier_text(),
                years_text(&b.years),
                first.name,
                match others.len() {
                    1 => String::new(),
                    k => format!(
                        " (net als nog {} andere: {}{})",
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
                    (false, 1) => "niet beide zeggen wanneer ze getrokken zijn (extractiedatum), dus het is niet duidelijk welke de recentste is",
                    (false, _) => "niet alle zeggen wanneer ze getrokken zijn (extractiedatum), dus het is niet duidelijk welke de recentste is",
                }
            ),
        ));
    }
    for d in deliveries.iter().filter(|d| !d.active()) {
        let by = d.replaced_by.as_deref().unwrap_or_default();
        let later = deliveries.iter().find(|x| x.name == by);
        diags.push(Diagnostic::warning(
            d.name.clone(),
            format!(
                "herlevering: vervangen door {by}{} ({} voor {}); de {} rijen van deze levering worden niet gebruikt",
                later
                    .and_then(|l| l.extracted)
                    .map(|x| format!(" (getrokken op {})", x.format("%d-%m-%Y")))
                    .unwrap_or_default(),
                d.supplier_text(),
                years_text(&d.years),
                d.rows
            ),
        ));
    }
    diags
}

/// The unique column of a source (`traject_id`, `aanvraag_id`), if any.
pub(crate) fn unique_column(source: Source) -> Option<&'static str> {
    match source {
        Source::Trajecten => Some("traject_id"),
        Source::Aanvragen => Some("aanvraag_id"),
        _ => None,
    }
}

/// Uniqueness across the active deliveries of one source: a value of the unique column in
/// two files is an error naming both.
pub(crate) fn unique_across(source: Source, files: &[(&str, &RecordBatch)]) -> Diagnostics {
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
                        diags.push(Diagnostic::error(
                            name.to_string(),
                            format!(
                                "{col} {} komt ook voor in {first}: {col} moet uniek zijn over alle leveringen van {source}",
                                quoted(id)
                            ),
                        ));
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
pub(crate) fn overlaps_across(source: Source, files: &[(&str, &RecordBatch)]) -> Diagnostics {
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
        diags.push(Diagnostic::warning(
            file.to_string(),
            format!(
                "{count} verblijf/verblijven overlappen met een verblijf van dezelfde persoon in een andere levering (bv. {other}); ze worden aanvaard"
            ),
        ));
    }
    diags
}

/// One cell of the completeness matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivered {
    /// Rows delivered; `replaced`: an earlier delivery for this year was replaced.
    Rows {
        rows: usize,
        replaced: bool,
    },
    Missing,
}

/// One expected delivery series with what arrived per year.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CompletenessRow {
    pub supplier: String,
    pub source: Source,
    pub years: Vec<(i32, Delivered)>,
}

impl CompletenessRow {
    pub fn missing_in(&self, year: i32) -> bool {
        self.years
            .iter()
            .any(|(y, d)| *y == year && *d == Delivered::Missing)
    }
}

/// The completeness matrix: every expected (supplier, source) × year, with the rows the
/// active deliveries hold for it (suppliers compared ignoring case).
pub(crate) fn completeness(deliveries: &[Delivery], expected: &[Expected]) -> Vec<CompletenessRow> {
    expected
        .iter()
        .map(|e| {
            let of = |d: &&Delivery| d.source == e.source;
            let rows_in = |d: &Delivery, year: i32| -> usize {
                d.counts
                    .iter()
                    .filter(|((s, y), _)| *y == year && s.eq_ignore_ascii_case(&e.supplier))
                    .map(|(_, n)| *n)
                    .sum()
            };
            CompletenessRow {
                supplier: e.supplier.clone(),
                source: e.source,
                years: e
                    .years
                    .iter()
                    .map(|year| {
                        let rows: usize = deliveries
                            .iter()
                            .filter(of)
                            .filter(|d| d.active())
                            .map(|d| rows_in(d, year))
                            .sum();
                        let replaced = deliveries
                            .iter()
                            .filter(of)
                            .any(|d| !d.active() && rows_in(d, year) > 0);
                        let cell = if rows == 0 {
                            Delivered::Missing
                        } else {
                            Delivered::Rows { rows, replaced }
                        };
                        (year, cell)
                    })
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let d = overlaps_across(Source::Detenties, &[("a.xlsx", &a), ("b.xlsx", &b)]);
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
        let d = overlaps_across(Source::Detenties, &[("a.xlsx", &a4), ("b.xlsx", &b4)]);
        assert_eq!(d.0.len(), 1, "{d}");
        assert!(d.0[0].message.starts_with("2 verblijf/verblijven"), "{d}");
        // An open-ended stay overlaps everything after its begin in another delivery; a stay
        // before it does not.
        let a5 = stays(&[("P5", 100, None)]);
        let b5 = stays(&[("P5", 50, Some(60)), ("P5", 900, Some(950))]);
        let d = overlaps_across(Source::Detenties, &[("a.xlsx", &a5), ("b.xlsx", &b5)]);
        assert!(d.0[0].message.starts_with("1 verblijf/verblijven"), "{d}");
        // Overlaps in two later deliveries: one warning each.
        let c5 = stays(&[("P5", 120, Some(130))]);
        let d = overlaps_across(
            Source::Detenties,
            &[("a.xlsx", &a5), ("b.xlsx", &b5), ("c.xlsx", &c5)],
        );
        let files: Vec<&str> = d.0.iter().map(|x| x.location.as_str()).collect();
        assert_eq!(files, ["b.xlsx", "c.xlsx"], "{d}");
        // No overlap across files: silent; other sources: silent.
        let c = stays(&[("P1", 300, None)]);
        assert!(overlaps_across(Source::Detenties, &[("a.xlsx", &a), ("c.xlsx", &c)]).is_empty());
        assert!(overlaps_across(Source::Trajecten, &[("a.xlsx", &a), ("b.xlsx", &b)]).is_empty());
    }

    fn delivery(name: &str, years: &[i32], extracted: Option<(i32, u32, u32)>) -> Delivery {
        Delivery {
            source: Source::Trajecten,
            path: PathBuf::from(name),
            name: name.into(),
            profile: None,
            suppliers: ["CAW".to_string()].into(),
            years: years.iter().copied().collect(),
            counts: years
                .iter()
                .map(|y| (("CAW".to_string(), *y), 10))
                .collect(),
            rows: 10 * years.len(),
            sha256: String::new(),
            extracted: extracted.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
            replaced_by: None,
        }
    }

    #[test]
    fn a_later_delivery_replaces_the_earlier_one() {
        let mut ds = vec![
            delivery("t/caw-2024-b.xlsx", &[2024], Some((2025, 3, 1))),
            delivery("t/caw-2024-a.xlsx", &[2024], Some((2025, 1, 15))),
            delivery("t/caw-2023.xlsx", &[2023], None),
        ];
        let diags = resolve(&mut ds);
        assert!(!diags.has_errors(), "{diags}");
        assert_eq!(ds[1].replaced_by.as_deref(), Some("t/caw-2024-b.xlsx"));
        assert!(ds[0].active() && ds[2].active());
        let m = completeness(
            &ds,
            &[Expected {
                supplier: "caw".into(),
                source: Source::Trajecten,
                years: "2022..2024".parse().unwrap(),
            }],
        );
        assert_eq!(
            m[0].years,
            vec![
                (2022, Delivered::Missing),
                (
                    2023,
                    Delivered::Rows {
                        rows: 10,
                        replaced: false
                    }
                ),
                (
                    2024,
                    Delivered::Rows {
                        rows: 10,
                        replaced: true
                    }
                ),
            ]
        );
    }

    #[test]
    fn partial_overlap_and_undated_duplicates_are_errors() {
        let mut ds = vec![
            delivery("a.xlsx", &[2023, 2024], Some((2025, 1, 1))),
            delivery("b.xlsx", &[2024], Some((2025, 2, 1))),
        ];
        let d = resolve(&mut ds);
        assert_eq!(d.error_count(), 1, "{d}");
        assert!(d.to_string().contains("overlapt gedeeltelijk met a.xlsx"));
        let mut ds = vec![
            delivery("a.xlsx", &[2024], None),
            delivery("b.xlsx", &[2024], Some((2025, 2, 1))),
        ];
        let d = resolve(&mut ds);
        assert_eq!(d.error_count(), 1, "{d}");
    }
}
