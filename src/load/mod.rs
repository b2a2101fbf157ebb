//! Stage 1: load and validate the source files into typed Arrow record batches.
//!
//! `load_sources` finds each source of DATA.md in the data folder (`.xlsx`, `.csv` or
//! `.parquet`), checks every rule of the contract, and returns one `RecordBatch` per source
//! whose schema is `Source::schema()`. All errors of a file are reported together.

pub mod cell;
pub mod contract;
mod csv;
pub mod limits;
mod parquet;
pub mod table;
mod xlsx;

pub use contract::{Column, Kind, Source};

use crate::cache::Cache;
use crate::diagnostic::{Diagnostic, Diagnostics};
use datafusion::arrow::record_batch::RecordBatch;
use std::path::{Path, PathBuf};

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub source: Source,
    pub path: PathBuf,
    /// Lower-case hex SHA-256 of the file's bytes (provenance in reports and answers).
    pub sha256: String,
    /// Data rows read (empty rows excluded).
    pub rows: usize,
    /// The rows, with schema `source.schema()`.
    pub batch: RecordBatch,
}

/// Everything read from a data folder.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// Sources with no file in the folder (their indicators are left out with a warning).
    pub missing: Vec<Source>,
    /// Warnings (extra columns, missing optional columns, overlapping stays, ...).
    pub warnings: Diagnostics,
}

impl SourceFile {
    /// The file's name without its folder, as shown in provenance.
    pub fn file_name(&self) -> String {
        file_name(&self.path)
    }

    /// The earliest and latest date in any date column (`None` without dates).
    pub fn date_range(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
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
        range.map(|(lo, hi)| (cell::from_date32(lo), cell::from_date32(hi)))
    }
}

impl Sources {
    pub fn get(&self, source: Source) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.source == source)
    }
}

/// Reads every source in `dir`. `prisons` are the valid prison codes (from the plans).
///
/// On any error, returns all findings (errors and warnings) of all files.
pub fn load_sources(dir: &Path, prisons: &[String]) -> Result<Sources, Diagnostics> {
    load_sources_cached(dir, prisons, None)
}

/// As [`load_sources`], reusing (and filling) a cache of parsed sources when given.
pub fn load_sources_cached(
    dir: &Path,
    prisons: &[String],
    cache: Option<&Cache>,
) -> Result<Sources, Diagnostics> {
    let (found, mut diags) = discover(dir)?;
    let missing: Vec<Source> = Source::ALL
        .into_iter()
        .filter(|s| !s.optional() && !found.iter().any(|(f, _)| f == s))
        .collect();
    // One thread per file: workbooks parse independently.
    let results: Vec<(Source, PathBuf, Result<Loaded, Diagnostics>)> = std::thread::scope(|s| {
        let handles: Vec<_> = found
            .iter()
            .map(|(source, path)| {
                let (source, path) = (*source, path.clone());
                s.spawn(move || {
                    let r = load_file(source, &path, prisons, cache);
                    (source, path, r)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("loader thread"))
            .collect()
    });
    let mut files = Vec::new();
    for (source, path, r) in results {
        match r {
            Ok(l) => {
                diags.extend(l.warnings);
                files.push(SourceFile {
                    source,
                    path,
                    sha256: l.sha256,
                    rows: l.batch.num_rows(),
                    batch: l.batch,
                });
            }
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    files.sort_by_key(|f| f.source);
    Ok(Sources {
        files,
        missing,
        warnings: diags,
    })
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
    let lower = name.to_ascii_lowercase();
    let parse = || {
        if lower.ends_with(".xlsx") {
            xlsx::read(bytes, name, source, prisons)
        } else if lower.ends_with(".csv") {
            csv::read(bytes, name, source, prisons)
        } else {
            parquet::read(bytes, name, source, prisons)
        }
    };
    GUARDED.with(|g| g.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(false));
    outcome.unwrap_or_else(|panic| {
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
    })
}

thread_local! {
    /// True while this thread parses a file under [`parse_bytes`]'s guard.
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True when a panic now would be caught by [`parse_bytes`] and reported as an error of the
/// file (the binary's panic hook then stays silent).
pub fn in_guarded_parse() -> bool {
    GUARDED.with(|g| g.get())
}

struct Loaded {
    batch: RecordBatch,
    sha256: String,
    warnings: Diagnostics,
}

/// Finds each source's file by its stem (ignoring case): `.xlsx`, `.csv` or `.parquet`.
fn discover(dir: &Path) -> Result<(Vec<(Source, PathBuf)>, Diagnostics), Diagnostics> {
    let shown = crate::model::display_path(dir);
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Diagnostics(vec![Diagnostic::error(
            shown.clone(),
            format!(
                "de gegevensmap kan niet gelezen worden: {}",
                crate::error::io_message(&e)
            ),
        )])
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut found: Vec<(Source, PathBuf)> = Vec::new();
    let mut diags = Diagnostics::new();
    for path in paths {
        let (Some(stem), Some(ext)) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let ext = ext.to_ascii_lowercase();
        if !matches!(ext.as_str(), "xlsx" | "csv" | "parquet") {
            continue;
        }
        let Some(source) = Source::from_name(&stem.to_ascii_lowercase()) else {
            continue;
        };
        // Named like a source but not a regular file: an error, never an absent source. A
        // symbolic link is not followed (its target could be any file on the machine, whose
        // content would then be echoed in messages).
        let kind = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => Some(
                "is een symbolische koppeling; hdv volgt geen koppelingen in de gegevensmap: kopieer het bestand zelf in de map",
            ),
            Ok(m) if m.is_dir() => Some("is een map, geen bestand"),
            Ok(m) if !m.is_file() => {
                Some("is geen gewoon bestand (maar bv. een apparaat of een pipe)")
            }
            Ok(_) => None,
            Err(e) => {
                diags.push(Diagnostic::error(
                    crate::model::display_path(&path),
                    format!("kan niet gelezen worden: {}", crate::error::io_message(&e)),
                ));
                continue;
            }
        };
        if let Some(what) = kind {
            diags.push(Diagnostic::error(
                crate::model::display_path(&path),
                format!("bron `{source}`: {what}"),
            ));
            continue;
        }
        if let Some((_, first)) = found.iter().find(|(s, _)| *s == source) {
            diags.push(Diagnostic::error(
                crate::model::display_path(&path),
                format!(
                    "bron `{source}` staat twee keer in de gegevensmap (ook als {}); laat er één staan",
                    file_name(first)
                ),
            ));
            continue;
        }
        found.push((source, path));
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

fn load_file(
    source: Source,
    path: &Path,
    prisons: &[String],
    cache: Option<&Cache>,
) -> Result<Loaded, Diagnostics> {
    let name = file_name(path);
    let fail = |message: String| {
        Diagnostics(vec![Diagnostic::error(
            crate::model::display_path(path),
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
    let key = Cache::key(source, &sha256, prisons);
    if let Some(hit) = cache.and_then(|c| c.get(source, &key)) {
        return Ok(Loaded {
            batch: hit.batch,
            sha256,
            warnings: hit.warnings,
        });
    }
    let (out, diags) = parse_bytes(source, &name, &bytes, prisons);
    match out {
        Some((batch, _rows)) if !diags.has_errors() => {
            if let Some(c) = cache {
                // A cache that cannot be written only costs speed next time.
                if let Err(e) = c.put(&key, &batch, &diags) {
                    eprintln!("waarschuwing: {e}");
                }
            }
            Ok(Loaded {
                batch,
                sha256,
                warnings: diags,
            })
        }
        _ => Err(diags),
    }
}
