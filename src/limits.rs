//! The limits that keep memory and time bounded on hostile input. Each can be changed with an
//! environment variable; every message that hits a limit names the variable.

/// A limit from the environment variable `name`, else `default`.
pub(crate) fn get(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(default)
}

/// A workbook may unpack to at most this many MiB (`HDV_MAX_XLSX_MB`).
pub(crate) const DEFAULT_MAX_UNPACKED_MB: u64 = 2048;
/// A sheet may hold at most this many filled cells (`HDV_MAX_CELLS`).
pub(crate) const DEFAULT_MAX_CELLS: u64 = 50_000_000;
/// A workbook's shared-string table may hold at most this many strings
/// (`HDV_MAX_SHARED_STRINGS`): calamine keeps the whole table in memory.
pub(crate) const DEFAULT_MAX_SHARED_STRINGS: u64 = 5_000_000;
/// ... and unpack to at most this many MiB (`HDV_MAX_SHARED_STRINGS_MB`).
pub(crate) const DEFAULT_MAX_SHARED_STRINGS_MB: u64 = 256;
/// A CSV file may be at most this many MiB (`HDV_MAX_CSV_MB`).
pub(crate) const DEFAULT_MAX_CSV_MB: u64 = 256;
/// A date before 1 January of this year is an error (`HDV_MIN_YEAR`).
pub(crate) const DEFAULT_MIN_YEAR: u64 = 1950;

/// Excel's widest sheet (column XFD); also the most columns a CSV line may have.
pub(crate) const MAX_COLUMNS: usize = 16_384;
/// The most characters an Excel cell can hold: longer text could not be written to a report.
pub(crate) const MAX_CELL_CHARS: usize = 32_767;
/// The largest absolute value of a decimal cell (euro, FTE): larger is a typing or export
/// error, and a sum of such values could overflow to infinity.
pub(crate) const MAX_DECIMAL: f64 = 1e15;

/// Findings (errors, and warnings, each) kept per file before the rest are only counted: enough
/// for a person to act on in the terminal and in reports.
pub(crate) const DEFAULT_FINDINGS_PER_FILE: usize = 50;
/// ... and for the feedback workbooks to partners (`hdv check --feedback`), which list every
/// finding up to this bound (memory stays bounded on a file that is wrong in every cell).
pub(crate) const FEEDBACK_FINDINGS_PER_FILE: usize = 100_000;

static FINDINGS_PER_FILE: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(DEFAULT_FINDINGS_PER_FILE);

/// The findings kept per file in this run.
pub(crate) fn findings_per_file() -> usize {
    FINDINGS_PER_FILE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets the findings kept per file for the rest of the run (before any file is read).
pub(crate) fn set_findings_per_file(n: usize) {
    FINDINGS_PER_FILE.store(n, std::sync::atomic::Ordering::Relaxed);
}

/// Findings (errors, and warnings, each) kept in memory over all files of a run: 200 files
/// worth at the per-file bound, at most a million.
pub(crate) fn findings_total() -> usize {
    findings_per_file().saturating_mul(200).min(1_000_000)
}

/// `name`'s limit in MiB as bytes.
pub(crate) fn mib(name: &str, default: u64) -> (u64, u64) {
    let mb = get(name, default);
    (mb, mb.saturating_mul(1 << 20))
}
