//! Stage 1: load and validate the source files into typed Arrow record batches.
//!
//! `load_sources` finds each source of DATA.md in the data folder (`.xlsx`, `.csv` or
//! `.parquet`), checks every rule of the contract, and returns one `RecordBatch` per source
//! whose schema is `Source::schema()`. All errors of a file are reported together.

mod cached;
pub mod cell;
mod csv;
pub mod deliveries;
pub mod expected;
mod findings;
pub mod linked;
mod parquet;
pub(crate) mod partner;
pub mod profile;
mod stays;
pub(crate) mod table;
mod xlsx;

use crate::contract::Source;
use crate::limits;
pub use deliveries::{CompletenessRow, Delivered, Delivery, YearCell};
pub use expected::Expected;
pub use profile::{Profile, Profiles};

use crate::cache::Cache;
use crate::diagnostic::{Diagnostic, Diagnostics};
use datafusion::arrow::record_batch::RecordBatch;
use std::path::{Path, PathBuf};

/// One loaded source: a single file, or the combined active deliveries of its folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub source: Source,
    /// The file, or the source's folder of deliveries.
    pub path: PathBuf,
    /// Lower-case hex SHA-256 of the file's bytes (provenance in reports and answers); for a
    /// folder, of the list of its active deliveries' names and hashes.
    pub sha256: String,
    /// Data rows read (empty rows excluded).
    pub rows: usize,
    /// The rows, with schema `source.schema()`.
    pub batch: RecordBatch,
    /// The deliveries whose rows make up `batch`, in order.
    pub parts: Vec<Part>,
}

/// A delivery's rows in a source's combined batch.
#[derive(Debug, Clone)]
pub struct Part {
    /// The delivery (its name).
    pub delivery: String,
    /// Its rows in the batch.
    pub rows: usize,
    /// When cells of it were replaced: the delivery's own row (0-based) of each of its rows in
    /// the batch.
    pub kept: Option<std::sync::Arc<Vec<u32>>>,
}

/// Everything read from a data folder.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// Sources with no file in the folder (their indicators are left out with a warning).
    pub missing: Vec<Source>,
    /// Warnings (extra columns, missing optional columns, overlapping stays, ...).
    pub warnings: Diagnostics,
    /// Every delivery file read, replaced ones included, by source and name.
    pub deliveries: Vec<Delivery>,
    /// The expected deliveries (`plans/leveringen/verwacht.yaml`) against what arrived;
    /// empty when nothing is expected.
    pub completeness: Vec<CompletenessRow>,
}

impl SourceFile {
    /// The file's name without its folder, as shown in provenance.
    pub(crate) fn file_name(&self) -> String {
        file_name(&self.path)
    }

    /// The delivery and its own row (0-based) of row `rij` of the source (1-based, as the
    /// registered tables number rows).
    pub(crate) fn locate(&self, rij: usize) -> Option<(&str, usize)> {
        let mut i = rij.checked_sub(1)?;
        for p in &self.parts {
            if i < p.rows {
                let own = match &p.kept {
                    Some(k) => *k.get(i)? as usize,
                    None => i,
                };
                return Some((&p.delivery, own));
            }
            i -= p.rows;
        }
        None
    }

    /// The earliest and latest date in any date column (`None` without dates).
    pub(crate) fn date_range(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        use datafusion::arrow::array::AsArray;
        use datafusion::arrow::compute::{max, min};
        use datafusion::arrow::datatypes::{DataType, Date32Type};
        let mut range: Option<(i32, i32)> = None;
        for col in self.batch.columns() {
            if col.data_type() == &DataType::Date32 {
                let a = col.as_primitive::<Date32Type>();
                if let (Some(lo), Some(hi)) = (min(a), max(a)) {
                    range = Some(range.map_or((lo, hi), |(x, y)| (x.min(lo), y.max(hi))));
                }
            }
        }
        range.map(|(lo, hi)| (crate::years::from_date32(lo), crate::years::from_date32(hi)))
    }
}

impl Sources {
    pub fn get(&self, source: Source) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.source == source)
    }

    /// True when some of `names` are absent and all of those are optional: what reads them
    /// does not apply to this data folder.
    pub(crate) fn only_optional_absent(&self, names: &[String]) -> bool {
        let absent = self.absent(names);
        !absent.is_empty() && absent.iter().all(|s| s.optional())
    }

    /// The sources among `names` (an indicator's or a check's `bronnen`) that are absent;
    /// names that are no source are left out (the model validates them).
    pub(crate) fn absent(&self, names: &[String]) -> Vec<Source> {
        names
            .iter()
            .filter_map(|b| Source::from_name(b))
            .filter(|s| self.get(*s).is_none())
            .collect()
    }
}

/// A delivery file to read.
struct Job {
    source: Source,
    path: PathBuf,
    /// Relative to the data folder, as in messages.
    name: String,
}

/// Reads every source in `dir`: `prisons` are the valid prison codes (from the plans),
/// deliveries in a partner's layout are read through `profiles`, a cache of parsed deliveries
/// is reused (and filled) when given. Registers every delivery (re-deliveries replace earlier
/// ones) and measures them against the expected deliveries.
///
/// On any error, returns all findings (errors and warnings) of all files.
pub fn load_sources(
    dir: &Path,
    prisons: &[String],
    cache: Option<&Cache>,
    profiles: &Profiles,
) -> Result<Sources, Diagnostics> {
    let (found, mut diags) = discover(dir)?;
    let (oslo, linked_files, linked_diags) = linked::discover(dir);
    diags.extend(linked_diags);
    let missing: Vec<Source> = Source::ALL
        .into_iter()
        .filter(|s| !s.optional() && !found.iter().any(|(f, _, _)| f == s))
        .collect();
    let jobs: Vec<Job> = found
        .iter()
        .flat_map(|(source, _, files)| {
            files.iter().map(|(path, name)| Job {
                source: *source,
                path: path.clone(),
                name: name.clone(),
            })
        })
        .collect();
    // Workbooks parse independently: a few threads take the files one by one.
    let results = parallel(&jobs, |j| {
        load_file(
            j.source,
            &j.path,
            &j.name,
            prisons,
            cache,
            &profiles.profiles,
        )
    });
    let mut run = Run {
        files: Vec::new(),
        deliveries: Vec::new(),
        diags,
        left_out: (0, 0),
    };
    for (source, container, _) in &found {
        let Some((ds, batches, suppliers)) = run.deliveries_of(*source, &jobs, &results, profiles)
        else {
            continue;
        };
        run.add_source(*source, container, ds, &batches, &suppliers, cache);
    }
    let Run {
        mut files,
        mut deliveries,
        mut diags,
        left_out,
    } = run;
    if let Some(folder) = &oslo
        && !linked_files.is_empty()
    {
        load_linked(
            folder,
            &linked_files,
            profiles,
            &mut files,
            &mut deliveries,
            &mut diags,
        );
    }
    let (errors_out, warnings_out) = left_out;
    if errors_out + warnings_out > 0 {
        let d = format!(
            "… en nog {errors_out} fout(en) en {warnings_out} waarschuwing(en) in andere bestanden, niet bewaard (hoogstens {} van elk per run)",
            crate::limits::findings_total()
        );
        diags.push(if errors_out > 0 {
            Diagnostic::error(crate::diagnostic::display_path(dir), d)
        } else {
            Diagnostic::warning(crate::diagnostic::display_path(dir), d)
        });
    }
    if diags.has_errors() {
        return Err(diags);
    }
    files.sort_by_key(|f| f.source);
    let completeness = deliveries::completeness(&deliveries, &profiles.expected);
    for d in &mut deliveries {
        d.late = deliveries::late_delivery(d, &profiles.expected);
    }
    Ok(Sources {
        files,
        missing,
        warnings: diags,
        deliveries,
        completeness,
    })
}

/// What a run has read so far: the sources, their deliveries, the findings and the number
/// of errors and warnings left out over the run's bound.
struct Run {
    files: Vec<SourceFile>,
    deliveries: Vec<Delivery>,
    diags: Diagnostics,
    /// Errors and warnings left out over the run's bound.
    left_out: (usize, usize),
}

/// The deliveries of one source read without errors: each delivery, its rows and the
/// profile's supplier of each.
type SourceDeliveries<'p> = (Vec<Delivery>, Vec<RecordBatch>, Vec<Option<&'p str>>);

impl Run {
    /// Adds `more` to the findings within the run's bound, counting what is left out.
    fn keep(&mut self, more: Diagnostics) {
        keep(&mut self.diags, more, &mut self.left_out);
    }

    /// The deliveries of `source` from the files read, registered (re-deliveries replace
    /// earlier ones); `None` when a file or the register has errors.
    fn deliveries_of<'p>(
        &mut self,
        source: Source,
        jobs: &[Job],
        results: &[Result<Loaded, Diagnostics>],
        profiles: &'p Profiles,
    ) -> Option<SourceDeliveries<'p>> {
        let mut batches: Vec<RecordBatch> = Vec::new();
        let mut ds: Vec<Delivery> = Vec::new();
        // The profile's supplier of each delivery (it places every row in its cell).
        let mut suppliers: Vec<Option<&str>> = Vec::new();
        let mut failed = false;
        for (job, r) in jobs.iter().zip(results) {
            if job.source != source {
                continue;
            }
            match r {
                Ok(l) => {
                    self.keep(l.warnings.clone());
                    let supplier = l
                        .meta
                        .profile
                        .as_ref()
                        .and_then(|id| profiles.profiles.iter().find(|p| p.id == *id))
                        .map(|p| p.supplier.as_str());
                    let deliveries::Described {
                        suppliers: who,
                        years,
                        counts,
                    } = deliveries::describe(source, &l.batch, supplier);
                    ds.push(Delivery {
                        source,
                        path: job.path.clone(),
                        name: job.name.clone(),
                        profile: l.meta.profile.clone(),
                        suppliers: who,
                        years,
                        counts,
                        rows: l.batch.num_rows(),
                        sha256: l.sha256.clone(),
                        extracted: l.meta.extracted,
                        replaced: Vec::new(),
                        late: None,
                        layout: l.meta.layout.clone(),
                        file_rows: l.meta.file_rows.clone(),
                    });
                    suppliers.push(supplier);
                    batches.push(l.batch.clone());
                }
                Err(d) => {
                    failed = true;
                    self.keep(d.clone());
                }
            }
        }
        if failed {
            return None;
        }
        let resolved = deliveries::resolve(&mut ds);
        let failed = resolved.has_errors();
        self.keep(resolved);
        if failed {
            return None;
        }
        Some((ds, batches, suppliers))
    }

    /// One source's rows in use as a table, with the checks across its deliveries.
    fn add_source(
        &mut self,
        source: Source,
        container: &Path,
        ds: Vec<Delivery>,
        batches: &[RecordBatch],
        suppliers: &[Option<&str>],
        cache: Option<&Cache>,
    ) {
        // The rows in use: a delivery's rows outside the cells later deliveries replace.
        let (used, parts) = rows_in_use(source, &ds, batches, suppliers);
        let active: Vec<(&str, &RecordBatch)> = used.iter().map(|(n, b)| (*n, b)).collect();
        // What is used: every delivery in use with its hash and the cells replaced in it.
        let sha256 = match (container == ds[0].path, ds.as_slice()) {
            (true, [one]) => one.sha256.clone(),
            _ => crate::cache::sha256_hex(
                ds.iter()
                    .filter(|d| d.active())
                    .map(in_use_key)
                    .collect::<String>()
                    .as_bytes(),
            ),
        };
        // Uniqueness and overlaps across deliveries depend only on the rows in use: cached
        // under their combined hash.
        if active.len() > 1 {
            let header = |name: &str, column: &str| {
                ds.iter()
                    .find(|d| d.name == name)
                    .map_or_else(|| column.to_string(), |d| d.header(column))
            };
            let across = cached::across(cache, source, &sha256, || {
                let mut d = deliveries::unique_across(source, &active, &header);
                d.extend(deliveries::overlaps_across(source, &active, &header));
                d
            });
            self.keep(across);
        }
        let batch = datafusion::arrow::compute::concat_batches(
            &source.schema(),
            active.iter().map(|(_, b)| *b),
        )
        .expect("every delivery follows the contract schema");
        self.files.push(SourceFile {
            source,
            path: container.to_path_buf(),
            sha256,
            rows: batch.num_rows(),
            batch,
            parts,
        });
        self.deliveries.extend(ds);
    }
}

/// Adds `more` to `diags` within the run's bound of findings, counting what is left out.
fn keep(diags: &mut Diagnostics, more: Diagnostics, left_out: &mut (usize, usize)) {
    let (e, w) = diags.extend_up_to(more, crate::limits::findings_total());
    left_out.0 += e;
    left_out.1 += w;
}

/// What of a delivery in use makes up the rows of its source: its name, its hash and the
/// cells replaced in it (one line of the hash of the source's rows).
fn in_use_key(d: &Delivery) -> String {
    format!(
        "{}\0{}{}\n",
        d.name,
        d.sha256,
        d.replaced
            .iter()
            .map(|r| format!("\0{}\0{}\0{}", r.cell.supplier, r.cell.year, r.cell.prison))
            .collect::<String>()
    )
}

/// The rows in use of a source's deliveries `ds` (their `batches`, read with the profile's
/// `suppliers`): each active delivery's rows outside the cells later deliveries replace, and
/// where each delivery's rows are in the combined batch.
fn rows_in_use<'a>(
    source: Source,
    ds: &'a [Delivery],
    batches: &[RecordBatch],
    suppliers: &[Option<&str>],
) -> (Vec<(&'a str, RecordBatch)>, Vec<Part>) {
    let mut parts: Vec<Part> = Vec::new();
    let used = ds
        .iter()
        .zip(batches)
        .zip(suppliers)
        .filter(|((d, _), _)| d.active())
        .map(|((d, b), supplier)| {
            if d.replaced.is_empty() {
                parts.push(Part {
                    delivery: d.name.clone(),
                    rows: b.num_rows(),
                    kept: None,
                });
                return (d.name.as_str(), b.clone());
            }
            let keep = deliveries::kept_rows(source, b, *supplier, &d.replaced);
            let kept = datafusion::arrow::compute::filter_record_batch(b, &keep)
                .expect("a mask of the batch's length");
            let own: Vec<u32> = keep
                .iter()
                .enumerate()
                .filter(|(_, k)| k.unwrap_or(false))
                .map(|(i, _)| i as u32)
                .collect();
            parts.push(Part {
                delivery: d.name.clone(),
                rows: kept.num_rows(),
                kept: Some(std::sync::Arc::new(own)),
            });
            (d.name.as_str(), kept)
        })
        .collect();
    (used, parts)
}

/// Reads the linked-data deliveries `jobs` (path, name) of the folder `folder` through the
/// project's mapping into the `oslo_*` tables: each file is a delivery of every table it has
/// rows for (registered, re-delivered and counted like a spreadsheet delivery).
fn load_linked(
    folder: &Path,
    jobs: &[(PathBuf, String)],
    profiles: &Profiles,
    files: &mut Vec<SourceFile>,
    deliveries: &mut Vec<Delivery>,
    diags: &mut Diagnostics,
) {
    let Some(mapping) = profiles.linked.as_deref() else {
        diags.push(Diagnostic::error(
            crate::diagnostic::display_path(folder),
            "de map bevat linked-data-leveringen (OSLO), maar het project heeft geen vertaling naar tabellen: plans/oslo/hdg.yaml ontbreekt",
        ));
        return;
    };
    let results = parallel(jobs, |(p, n)| linked::read_file(p, n, mapping));
    // Per table: its deliveries with their rows and the supplier of every row (the file's).
    type Read = (Delivery, RecordBatch, Option<String>);
    let mut per: std::collections::BTreeMap<Source, Vec<Read>> = Default::default();
    let mut failed = false;
    for ((path, name), (read, d, sha)) in jobs.iter().zip(results) {
        diags.extend(d);
        let Some(read) = read else {
            failed = true;
            continue;
        };
        for (source, batch) in read.tables {
            let supplier = read.about.supplier.clone();
            let deliveries::Described {
                suppliers,
                years,
                counts,
            } = deliveries::describe(source, &batch, supplier.as_deref());
            per.entry(source).or_default().push((
                Delivery {
                    source,
                    path: path.clone(),
                    name: name.clone(),
                    profile: None,
                    suppliers,
                    years,
                    counts,
                    rows: batch.num_rows(),
                    sha256: sha.clone(),
                    extracted: read.about.extracted,
                    replaced: Vec::new(),
                    late: None,
                    layout: None,
                    file_rows: FileRows::default(),
                },
                batch,
                supplier,
            ));
        }
    }
    if failed {
        return;
    }
    for (source, list) in per {
        let mut ds = Vec::new();
        let mut batches = Vec::new();
        let mut suppliers = Vec::new();
        for (d, b, s) in list {
            ds.push(d);
            batches.push(b);
            suppliers.push(s);
        }
        let resolved = deliveries::resolve(&mut ds);
        let failed = resolved.has_errors();
        diags.extend(resolved);
        if failed {
            continue;
        }
        let who: Vec<Option<&str>> = suppliers.iter().map(|s| s.as_deref()).collect();
        let (used, parts) = rows_in_use(source, &ds, &batches, &who);
        // The rows depend on the files (and the cells replaced in them) and on the mapping
        // (and the prisons it matches).
        let sha256 = crate::cache::sha256_hex(
            ds.iter()
                .filter(|d| d.active())
                .map(in_use_key)
                .chain(std::iter::once(mapping.hash.clone()))
                .collect::<String>()
                .as_bytes(),
        );
        let batch = datafusion::arrow::compute::concat_batches(
            &source.schema(),
            used.iter().map(|(_, b)| b),
        )
        .expect("every delivery follows the table's schema");
        files.push(SourceFile {
            source,
            path: folder.to_path_buf(),
            sha256,
            rows: batch.num_rows(),
            batch,
            parts,
        });
        deliveries.extend(ds);
    }
}

/// Runs `f` on every job on a few threads (as many as the machine has cores); results in
/// job order.
fn parallel<J: Sync, R: Send>(jobs: &[J], f: impl Fn(&J) -> R + Sync) -> Vec<R> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let r = f(job);
                    out.lock().expect("results")[i] = Some(r);
                }
            });
        }
    });
    out.into_inner()
        .expect("results")
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

/// What a parse learned besides the rows.
#[derive(Debug, Default)]
pub(crate) struct Meta {
    /// The id of the profile that read the file.
    pub profile: Option<String>,
    /// The cell the profile's `extractiedatum.cel` names, as read.
    pub extraction_cell: Option<cell::Cell<'static>>,
    /// The file row (CSV line) of every row read, in batch order.
    pub file_rows: FileRows,
    /// Where the contract's columns are in the file.
    pub layout: Option<Layout>,
}

/// The file row (CSV line) of each row of a delivery's batch, as runs of consecutive rows
/// (a delivery is mostly one run: rows are skipped only where empty or dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileRows(Vec<(u32, u32)>);

impl FileRows {
    /// Appends the next row of the batch, found at file row `row`.
    pub(crate) fn push(&mut self, row: u32) {
        match self.0.last_mut() {
            Some((first, len)) if *first + *len == row => *len += 1,
            _ => self.0.push((row, 1)),
        }
    }

    /// The file row of batch row `i` (0-based).
    pub(crate) fn get(&self, mut i: usize) -> Option<u32> {
        for (first, len) in &self.0 {
            if i < *len as usize {
                return Some(first + i as u32);
            }
            i -= *len as usize;
        }
        None
    }
}

/// Where a delivery's columns are, to name the cell of a row found by a check across sources
/// and the partner's header of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layout {
    /// The sheet read (a workbook); `None` for CSV and Parquet.
    pub sheet: Option<String>,
    /// Per contract column: its (first) column in the file (0-based) and their header.
    pub columns: std::collections::BTreeMap<String, (usize, String)>,
}

/// Parses one file's bytes as `source`; the format follows the extension of `name`
/// (`.xlsx`, `.csv`, else Parquet). Returns the batch and row count when there are no errors,
/// and every finding.
///
/// A panic inside a reader library on hostile bytes (found by fuzzing calamine) becomes an
/// error for this file, not a crash of the run.
pub fn parse_bytes(
    source: Source,
    name: &str,
    bytes: &[u8],
    prisons: &[String],
) -> (Option<(RecordBatch, usize)>, Diagnostics) {
    let (out, diags, _) = parse_profiled(source, name, bytes, prisons, &[]);
    (out, diags)
}

/// As [`parse_bytes`], for a delivery that one of `candidates` may read (see
/// [`profile::recognise`]); also returns what the parse learned ([`Meta`]).
pub(crate) fn parse_profiled(
    source: Source,
    name: &str,
    bytes: &[u8],
    prisons: &[String],
    candidates: &[&Profile],
) -> (Option<(RecordBatch, usize)>, Diagnostics, Meta) {
    let lower = name.to_ascii_lowercase();
    let mut meta = Meta::default();
    let mut parse = || {
        if lower.ends_with(".xlsx") {
            xlsx::read(bytes, name, source, prisons, candidates, &mut meta)
        } else if lower.ends_with(".csv") {
            csv::read(bytes, name, source, prisons, candidates, &mut meta)
        } else {
            parquet::read(bytes, name, source, prisons, candidates, &mut meta)
        }
    };
    GUARDED.with(|g| g.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&mut parse));
    GUARDED.with(|g| g.set(false));
    let (out, diags) = outcome.unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut diags = Diagnostics::new();
        diags.push(crate::diagnostic::Diagnostic::error(
            name,
            format!(
                "het bestand kan niet gelezen worden: de lezer loopt vast op de inhoud (beschadigd of gemanipuleerd bestand?): {what}"
            ),
        ));
        (None, diags)
    });
    (out, diags, meta)
}

thread_local! {
    /// True while this thread parses a file under [`parse_bytes`]'s guard.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True when a panic now would be caught by [`parse_bytes`] and reported as an error of the
/// file (the binary's panic hook then stays silent).
pub(crate) fn in_guarded_parse() -> bool {
    GUARDED.with(|g| g.get())
}

struct Loaded {
    batch: RecordBatch,
    sha256: String,
    warnings: Diagnostics,
    meta: cached::ParseMeta,
}

/// The kind of a directory entry, as an error message when it cannot be a delivery. A
/// symbolic link is not followed (its target could be any file on the machine, whose content
/// would then be echoed in messages).
fn not_a_file(path: &Path, want_dir: bool) -> Result<Option<&'static str>, String> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Ok(Some(
            "is een symbolische koppeling; hdv volgt geen koppelingen in de gegevensmap: kopieer het bestand zelf in de map",
        )),
        Ok(m) if want_dir && m.is_dir() => Ok(None),
        Ok(m) if m.is_dir() => Ok(Some("is een map, geen bestand")),
        Ok(m) if !m.is_file() => Ok(Some(
            "is geen gewoon bestand (maar bv. een apparaat of een pipe)",
        )),
        Ok(_) if want_dir => Ok(Some("is een bestand, geen map")),
        Ok(_) => Ok(None),
        Err(e) => Err(format!(
            "kan niet gelezen worden: {}",
            crate::error::io_message(&e)
        )),
    }
}

fn is_delivery_ext(ext: &str) -> bool {
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "xlsx" | "csv" | "parquet"
    )
}

/// A source found in the data folder: the source, its file or folder, and its delivery files
/// (path, name relative to the data folder).
type Found = (Source, PathBuf, Vec<(PathBuf, String)>);

/// Finds each source: a file named after it (`.xlsx`, `.csv` or `.parquet`, stem compared
/// ignoring case) or a folder named after it holding delivery files.
fn discover(dir: &Path) -> Result<(Vec<Found>, Diagnostics), Diagnostics> {
    let shown = crate::diagnostic::display_path(dir);
    let list = |d: &Path| -> Result<Vec<PathBuf>, Diagnostics> {
        let entries = std::fs::read_dir(d).map_err(|e| {
            Diagnostics(vec![Diagnostic::error(
                crate::diagnostic::display_path(d),
                format!(
                    "de gegevensmap kan niet gelezen worden: {}",
                    crate::error::io_message(&e)
                ),
            )])
        })?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        Ok(paths)
    };
    let _ = &shown;
    let paths = list(dir)?;
    let mut found: Vec<Found> = Vec::new();
    let mut diags = Diagnostics::new();
    for path in paths {
        let name = file_name(&path);
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), Some(e.to_string())),
            None => (name.clone(), None),
        };
        let Some(source) = Source::from_name(&stem.to_ascii_lowercase()) else {
            continue;
        };
        let folder = ext.is_none();
        if ext.as_deref().is_some_and(|e| !is_delivery_ext(e)) {
            continue;
        }
        match not_a_file(&path, folder) {
            Ok(None) => {}
            Ok(Some(_)) if folder && path.is_file() => continue, // a file without extension
            Ok(Some(what)) => {
                diags.push(Diagnostic::error(
                    crate::diagnostic::display_path(&path),
                    format!("bron `{source}`: {what}"),
                ));
                continue;
            }
            Err(m) => {
                diags.push(Diagnostic::error(crate::diagnostic::display_path(&path), m));
                continue;
            }
        }
        if let Some((_, first, _)) = found.iter().find(|(s, _, _)| *s == source) {
            let both = folder || first.is_dir();
            diags.push(Diagnostic::error(
                crate::diagnostic::display_path(&path),
                if both {
                    format!(
                        "bron `{source}` staat zowel als bestand als als map met leveringen in de gegevensmap (ook {}); laat er één staan",
                        file_name(first)
                    )
                } else {
                    format!(
                        "bron `{source}` staat twee keer in de gegevensmap (ook als {}); laat er één staan",
                        file_name(first)
                    )
                },
            ));
            continue;
        }
        if !folder {
            found.push((source, path.clone(), vec![(path, name)]));
            continue;
        }
        let mut files = Vec::new();
        for p in list(&path)? {
            let n = file_name(&p);
            // The delivery's name as shown: a line break in a file name is escaped.
            let rel = format!("{name}/{}", crate::diagnostic::escaped(&n));
            if n.starts_with('.') || n.starts_with("~$") {
                continue; // hidden files and Excel's lock files
            }
            let ext_ok = n.rsplit_once('.').is_some_and(|(_, e)| is_delivery_ext(e));
            match not_a_file(&p, false) {
                Ok(None) if ext_ok => files.push((p, rel)),
                Ok(None) => diags.push(Diagnostic::warning(
                    crate::diagnostic::display_path(&p),
                    "wordt genegeerd: geen levering (.xlsx, .csv of .parquet)",
                )),
                Ok(Some(what)) if ext_ok => diags.push(Diagnostic::error(
                    crate::diagnostic::display_path(&p),
                    format!("levering voor `{source}`: {what}"),
                )),
                Ok(Some(what)) => diags.push(Diagnostic::warning(
                    crate::diagnostic::display_path(&p),
                    format!("wordt genegeerd: {what}"),
                )),
                Err(m) => diags.push(Diagnostic::error(crate::diagnostic::display_path(&p), m)),
            }
        }
        if files.is_empty() {
            diags.push(Diagnostic::warning(
                crate::diagnostic::display_path(&path),
                format!("de map van bron `{source}` bevat geen leveringen"),
            ));
            continue;
        }
        found.push((source, path, files));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((found, diags))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The extraction date of a delivery read through profile `used`: from its file name or a
/// cell, as the profile says; a warning when it is not there.
fn extraction_date(
    used: Option<&Profile>,
    path: &Path,
    name: &str,
    meta: &Meta,
    diags: &mut Diagnostics,
) -> Option<chrono::NaiveDate> {
    match used.and_then(|p| p.extraction.as_ref().map(|e| (p, e))) {
        None => None,
        Some((_, profile::Extraction::FileName)) => {
            let d = Profile::date_in_file_name(&file_name(path));
            if d.is_none() {
                diags.push(Diagnostic::warning(
                    name.to_string(),
                    "de bestandsnaam bevat geen extractiedatum (jjjj-mm-dd of jjjjmmdd), zoals het leveringsprofiel verwacht",
                ));
            }
            d
        }
        Some((p, profile::Extraction::Cell(_, _, at))) => {
            let d = match &meta.extraction_cell {
                Some(cell::Cell::Date(d)) => Some(*d),
                Some(cell::Cell::Text(t)) => p.date_in_text(t),
                Some(c @ cell::Cell::Number(_)) => p.date(c),
                _ => None,
            };
            if d.is_none() {
                diags.push(Diagnostic::warning(
                    name.to_string(),
                    format!(
                        "cel {at} bevat geen extractiedatum ({}), zoals het leveringsprofiel {} verwacht ({})",
                        crate::diagnostic::quoted(
                            &meta
                                .extraction_cell
                                .as_ref()
                                .map(|c| c.shown())
                                .unwrap_or_default()
                        ),
                        p.id,
                        p.line("extractiedatum")
                    ),
                ));
            }
            d
        }
    }
}

fn load_file(
    source: Source,
    path: &Path,
    name: &str,
    prisons: &[String],
    cache: Option<&Cache>,
    profiles: &[Profile],
) -> Result<Loaded, Diagnostics> {
    let fail = |message: String| {
        Diagnostics(vec![Diagnostic::error(
            crate::diagnostic::display_path(path),
            message,
        )])
    };
    // Refuse a file over its limit before reading it into memory (the readers check again).
    let size = std::fs::metadata(path)
        .map_err(|e| {
            fail(format!(
                "kan niet gelezen worden: {}",
                crate::error::io_message(&e)
            ))
        })?
        .len();
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        let (max_mb, max_bytes) = limits::mib("HDV_MAX_CSV_MB", limits::DEFAULT_MAX_CSV_MB);
        if size > max_bytes {
            return Err(fail(csv::too_large(size, max_mb)));
        }
    } else if lower.ends_with(".xlsx") {
        let (max_mb, max_bytes) = limits::mib("HDV_MAX_XLSX_MB", limits::DEFAULT_MAX_UNPACKED_MB);
        if size > max_bytes {
            return Err(fail(format!(
                "het bestand is {} MB groot, meer dan de grens van {max_mb} MB voor een werkmap; is het echt zo groot, zet dan de omgevingsvariabele HDV_MAX_XLSX_MB hoger",
                size >> 20
            )));
        }
    }
    let bytes = std::fs::read(path).map_err(|e| {
        fail(format!(
            "kan niet gelezen worden: {}",
            crate::error::io_message(&e)
        ))
    })?;
    let sha256 = crate::cache::sha256_hex(&bytes);
    let candidates = profile::candidates(profiles, source, &file_name(path));
    let profile_hashes: Vec<&str> = candidates.iter().map(|p| p.hash.as_str()).collect();
    let key = cached::key(source, &sha256, prisons, name, &profile_hashes);
    if let Some(hit) = cache.and_then(|c| cached::get(c, source, &key)) {
        return Ok(Loaded {
            batch: hit.batch,
            sha256,
            warnings: hit.warnings,
            meta: hit.meta,
        });
    }
    let (out, mut diags, meta) = parse_profiled(source, name, &bytes, prisons, &candidates);
    let used = meta
        .profile
        .as_ref()
        .and_then(|id| candidates.iter().find(|p| p.id == *id));
    let extracted = extraction_date(used.copied(), path, name, &meta, &mut diags);
    if let (Some(p), Some(d), Some((batch, _))) = (used, extracted, &out)
        && let Some(w) = profile::short_years_after(p, batch, d)
    {
        diags.push(Diagnostic::warning(name.to_string(), w));
    }
    let meta = cached::ParseMeta {
        profile: meta.profile,
        extracted,
        file_rows: meta.file_rows,
        layout: meta.layout,
    };
    match out {
        Some((batch, _rows)) if !diags.has_errors() => {
            if let Some(c) = cache {
                // A cache that cannot be written only costs speed next time.
                if let Err(e) = cached::put(c, &key, &batch, &diags, &meta) {
                    eprintln!("waarschuwing: {e}");
                }
            }
            Ok(Loaded {
                batch,
                sha256,
                warnings: diags,
                meta,
            })
        }
        _ => Err(diags),
    }
}
