//! Scale benchmark (issue 7): a decade of national data, measured against the parse floor.
//!
//! `cargo bench --bench scale` generates (once, then reused) a national-scale data set with
//! `hdv generate`, then measures, each as wall time, ratio to the floor and peak memory:
//! - the floor: reading every workbook with calamine and doing nothing else;
//! - `check`, `eval --year <all years>`, `report --year <last year>` end to end, cold
//!   (empty cache) and `report` again with the cache warm;
//! - `eval` with only the parsed sources cached, then fully warm (figures cached too);
//! - deliveries (issue 14): the same data split into one delivery per source and year (about
//!   60 workbooks in `<source>/` folders): cold `report` against reading those workbooks
//!   with calamine alone (goal ≤ 1.2×), and `report` after replacing one delivery against
//!   cold (goal ≤ 0.2×; only that delivery is parsed again).
//!
//! Settings (environment): `HDV_BENCH_PERSONS` (default 200000), `HDV_BENCH_YEARS`
//! (default 2016..2025), `HDV_BENCH_DIR` (default `target/hdv-bench`), `HDV_BENCH_RUNS`
//! (runs per figure, median taken; default 3), `HDV_BENCH_PART=leveringen` (only the
//! deliveries), `HDV_BENCH_PART=afscherming` (only the cost of the disclosure ledger: a cold
//! `report` with the project's policy against the same project with `beschermd: []`, whose
//! ledger registers nothing; goal ≤ 1.10×). The goals are printed
//! next to the results; nothing here asserts a time.

use calamine::{Reader, open_workbook_auto};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HDV: &str = env!("CARGO_BIN_EXE_hdv");

struct Measured {
    wall: Duration,
    /// User plus system CPU time: steadier than wall time on a machine others also use.
    cpu: Duration,
    peak_rss_kib: i64,
}

fn timeval(t: libc::timeval) -> Duration {
    Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
        + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
}

/// Runs `hdv args…` to completion and returns its wall time and peak RSS (via wait4).
// The child is reaped by `wait4` (which also gives its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_hdv(args: &[&str], cwd: &Path) -> Measured {
    // The child's stderr goes to a temporary file, printed when the run fails.
    let mut stderr = tempfile::tempfile().expect("temporary file for stderr");
    let start = Instant::now();
    let child = Command::new(HDV)
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(stderr.try_clone().expect("stderr handle"))
        .spawn()
        .expect("hdv starts");
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data, fully written by wait4 on success.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet reaped (we never call wait on `child`).
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(rc, pid, "wait4 failed");
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        use std::io::{Read, Seek};
        let mut text = String::new();
        let _ = stderr.seek(std::io::SeekFrom::Start(0));
        let _ = stderr.read_to_string(&mut text);
        panic!(
            "`hdv {}` failed (status {status}) in {}; its stderr:\n{text}",
            args.join(" "),
            cwd.display()
        );
    }
    Measured {
        wall,
        cpu: timeval(usage.ru_utime) + timeval(usage.ru_stime),
        peak_rss_kib: usage.ru_maxrss,
    }
}

/// Every workbook in `dir` and its sub-folders (one level: the delivery folders).
fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).expect("data folder") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files.extend(
                std::fs::read_dir(&p)
                    .expect("delivery folder")
                    .map(|e| e.expect("entry").path())
                    .filter(|p| p.extension().is_some_and(|e| e == "xlsx")),
            );
        } else if p.extension().is_some_and(|e| e == "xlsx") {
            files.push(p);
        }
    }
    files.sort();
    files
}

/// The floor: open every workbook in `dir` with calamine and read its first sheet.
fn calamine_floor(dir: &Path) -> (Duration, usize) {
    let start = Instant::now();
    let mut cells = 0;
    let files = workbooks(dir);
    for f in files {
        let mut wb = open_workbook_auto(&f).expect("workbook opens");
        let range = wb
            .worksheet_range_at(0)
            .expect("a sheet")
            .expect("sheet reads");
        cells += range.get_size().0 * range.get_size().1;
    }
    (start.elapsed(), cells)
}

/// Writes the rows of `batch` whose reference year is `year` as a contract-layout workbook;
/// `stamp` goes into the document properties (so a rewrite changes the bytes, not the rows).
fn write_delivery(
    path: &Path,
    batch: &datafusion::arrow::record_batch::RecordBatch,
    rows: &[usize],
    stamp: &str,
) {
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::{DataType, Date32Type, Float64Type, Int32Type};
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_comment(stamp));
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb
        .add_worksheet_with_constant_memory()
        .expect("constant-memory sheet");
    for (c, f) in batch.schema().fields().iter().enumerate() {
        ws.write_string(0, c as u16, f.name()).expect("header");
    }
    for (r, &i) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, col) in batch.columns().iter().enumerate() {
            if col.is_null(i) {
                continue;
            }
            let c = c as u16;
            match col.data_type() {
                DataType::Utf8 => {
                    ws.write_string(r, c, col.as_string::<i32>().value(i))
                        .expect("cell");
                }
                DataType::Date32 => {
                    let d = hdv::years::from_date32(col.as_primitive::<Date32Type>().value(i));
                    let x = ExcelDateTime::parse_from_str(&d.format("%Y-%m-%d").to_string())
                        .expect("date");
                    ws.write_datetime_with_format(r, c, &x, &date)
                        .expect("cell");
                }
                DataType::Boolean => {
                    let v = if col.as_boolean().value(i) {
                        "ja"
                    } else {
                        "nee"
                    };
                    ws.write_string(r, c, v).expect("cell");
                }
                DataType::Float64 => {
                    ws.write_number(r, c, col.as_primitive::<Float64Type>().value(i))
                        .expect("cell");
                }
                DataType::Int32 => {
                    ws.write_number(r, c, col.as_primitive::<Int32Type>().value(i) as f64)
                        .expect("cell");
                }
                other => panic!("unexpected column type {other}"),
            }
        }
    }
    wb.save(path).expect("delivery written");
}

/// Splits the contract-layout data in `from` into one delivery per source and reference
/// year under `to/<source>/<source>-<year>.xlsx`; returns the deliveries written.
fn split_deliveries(from: &Path, to: &Path) -> Vec<PathBuf> {
    use chrono::Datelike;
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::{Date32Type, Int32Type};
    let session =
        hdv::session::Session::new(std::env::current_dir().expect("cwd"), from).expect("session");
    let inputs = session
        .load(session.model().expect("model"), None)
        .expect("generated data loads");
    let mut written = Vec::new();
    for f in &inputs.sources.files {
        let col = f
            .batch
            .column_by_name(hdv::load::deliveries::reference_column(f.source))
            .expect("reference column");
        let mut by_year: std::collections::BTreeMap<i32, Vec<usize>> = Default::default();
        for i in 0..f.batch.num_rows() {
            let y = match col.as_primitive_opt::<Date32Type>() {
                Some(a) => hdv::years::from_date32(a.value(i)).year(),
                None => col.as_primitive::<Int32Type>().value(i),
            };
            by_year.entry(y).or_default().push(i);
        }
        let dir = to.join(f.source.name());
        std::fs::create_dir_all(&dir).expect("delivery folder");
        for (y, rows) in by_year {
            let path = dir.join(format!("{}-{y}.xlsx", f.source.name()));
            write_delivery(&path, &f.batch, &rows, "0");
            written.push(path);
        }
    }
    written
}

fn print_row(name: &str, m: &Measured, floor: Duration) {
    println!(
        "{:<44} {:>9.2} {:>12.2} {:>12.0}",
        name,
        m.wall.as_secs_f64(),
        m.wall.as_secs_f64() / floor.as_secs_f64(),
        m.peak_rss_kib as f64 / 1024.0
    );
}

/// The first part's table and goals: the contract-layout files.
fn print_main(
    persons: &str,
    years: &str,
    cells: usize,
    floor: Duration,
    rows: &[(String, Measured)],
) {
    println!("Schaalbenchmark: {persons} personen, jaren {years}, {cells} cellen in de werkmappen");
    println!(
        "{:<44} {:>9} {:>12} {:>12}",
        "stap", "seconden", "× ondergrens", "piek RSS MB"
    );
    println!(
        "{:<44} {:>9.2} {:>12.2} {:>12}",
        "ondergrens: calamine leest alles",
        floor.as_secs_f64(),
        1.0,
        "-"
    );
    for (name, m) in rows {
        print_row(name, m, floor);
    }
    let ratio = |i: usize| rows[i].1.wall.as_secs_f64() / floor.as_secs_f64();
    let speedup = rows[2].1.wall.as_secs_f64() / rows[3].1.wall.as_secs_f64();
    let peak = rows.iter().map(|(_, m)| m.peak_rss_kib).max().unwrap_or(0) as f64 / 1024.0;
    println!();
    println!(
        "doel report koud ≤ 1,5× ondergrens: {:.2}× ({})",
        ratio(2),
        verdict(ratio(2) <= 1.5)
    );
    println!(
        "doel eval alle jaren ≤ 2× ondergrens: {:.2}× ({})",
        ratio(1),
        verdict(ratio(1) <= 2.0)
    );
    println!(
        "doel warme cache ≥ 10× sneller: {speedup:.1}× ({})",
        verdict(speedup >= 10.0)
    );
    println!(
        "doel piekgeheugen < 2 GB: {peak:.0} MB ({})",
        verdict(peak < 2048.0)
    );
    println!();
}

fn verdict(ok: bool) -> &'static str {
    if ok { "gehaald" } else { "NIET gehaald" }
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn main() {
    let persons = std::env::var("HDV_BENCH_PERSONS").unwrap_or_else(|_| "200000".into());
    let years = std::env::var("HDV_BENCH_YEARS").unwrap_or_else(|_| "2016..2025".into());
    let last_year = years.rsplit("..").next().unwrap_or(&years).to_string();
    let root =
        PathBuf::from(std::env::var("HDV_BENCH_DIR").unwrap_or_else(|_| "target/hdv-bench".into()));
    let project = std::env::current_dir().expect("cwd");
    let data = root.join(format!("data-{persons}-{}", years.replace("..", "-")));
    if !data.join("detenties.xlsx").exists() {
        eprintln!("gegevens genereren in {} …", data.display());
        let d = data.to_str().expect("utf-8 path");
        run_hdv(
            &[
                "generate",
                "--out",
                d,
                "--persons",
                &persons,
                "--years",
                &years,
                "--seed",
                "7",
            ],
            &project,
        );
    }
    let d = std::fs::canonicalize(&data).expect("data folder");
    let d = d.to_str().expect("utf-8 path");
    let out = root.join("out");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("out folder");
    let o = std::fs::canonicalize(&out).expect("out folder");
    let o = o.to_str().expect("utf-8 path");
    let cache = root.join("cache");
    let c = cache.to_str().expect("utf-8 path").to_string();

    // Each figure is the median wall time of RUNS runs (peak memory: the highest), each run
    // starting from the cache state its row names.
    let runs: usize = std::env::var("HDV_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let floors: Vec<(Duration, usize)> = (0..runs).map(|_| calamine_floor(&data)).collect();
    let cells = floors[0].1;
    let floor = median(floors.into_iter().map(|(t, _)| t).collect());

    #[derive(Clone, Copy)]
    enum CacheState {
        /// No cache at all.
        Empty,
        /// Parsed sources cached, no indicator figures.
        SourcesOnly,
        /// As the previous run of the same command left it.
        Warm,
    }
    let prepare = |state: CacheState| match state {
        CacheState::Empty => {
            let _ = std::fs::remove_dir_all(&cache);
        }
        CacheState::SourcesOnly => {
            for e in std::fs::read_dir(&cache).expect("cache folder") {
                let p = e.expect("entry").path();
                if p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("uitkomst-"))
                {
                    std::fs::remove_file(p).expect("remove cached figures");
                }
            }
        }
        CacheState::Warm => {}
    };
    let measure = |args: &[&str], state: CacheState| -> Measured {
        let mut a = args.to_vec();
        a.extend(["--data", d, "--cache", &c]);
        if let CacheState::Warm = state {
            run_hdv(&a, &project); // fills the cache
        }
        let ms: Vec<Measured> = (0..runs)
            .map(|_| {
                prepare(state);
                run_hdv(&a, &project)
            })
            .collect();
        Measured {
            wall: median(ms.iter().map(|m| m.wall).collect()),
            cpu: median(ms.iter().map(|m| m.cpu).collect()),
            peak_rss_kib: ms.iter().map(|m| m.peak_rss_kib).max().unwrap_or(0),
        }
    };
    let eval = ["eval", "--year", &years, "--format", "jsonl"];
    let report = ["report", "--year", &last_year, "--out", o];
    // HDV_BENCH_PART=afscherming measures only what the disclosure ledger costs.
    if std::env::var("HDV_BENCH_PART").is_ok_and(|p| p == "afscherming") {
        // The project as it is against a copy whose policy protects nothing (`beschermd: []`:
        // no cell is registered, so no ledger is built or solved; everything else, the
        // evaluation of every indicator included, is the same work).
        let open = root.join("project-zonder-afscherming");
        let _ = std::fs::remove_dir_all(&open);
        for dir in ["plans", "indicators", "templates"] {
            copy_dir(&project.join(dir), &open.join(dir));
        }
        let policy = open.join("plans").join("afscherming.yaml");
        let text = std::fs::read_to_string(&policy).expect("afscherming.yaml");
        let text: String = text
            .lines()
            .map(|l| {
                if l.starts_with("beschermd:") {
                    "beschermd: []"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&policy, text).expect("afscherming.yaml");
        let open = std::fs::canonicalize(&open).expect("project copy");
        let mut unprotected = report.to_vec();
        unprotected.extend(["--project", open.to_str().expect("utf-8 path")]);
        // Alternate the two so that a noisy moment hits both alike.
        let (mut with, mut without) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            with.push(measure(&report, CacheState::Empty));
            without.push(measure(&unprotected, CacheState::Empty));
        }
        let wall = |ms: &[Measured]| median(ms.iter().map(|m| m.wall).collect());
        let cpu = |ms: &[Measured]| median(ms.iter().map(|m| m.cpu).collect());
        println!();
        println!("{:<52} {:>9} {:>9}", "", "wand (s)", "cpu (s)");
        for (name, ms) in [("zonder afscherming", &without), ("met afscherming", &with)] {
            println!(
                "{:<52} {:>9.2} {:>9.2}",
                format!("report --year {last_year} (koud, {name})"),
                wall(ms).as_secs_f64(),
                cpu(ms).as_secs_f64()
            );
        }
        let ratio = |f: &dyn Fn(&[Measured]) -> Duration| {
            f(&with).as_secs_f64() / f(&without).as_secs_f64()
        };
        let (by_wall, by_cpu) = (ratio(&wall), ratio(&cpu));
        println!(
            "doel afscherming ≤ 1,10× zonder: wandtijd {by_wall:.2}× ({}), cpu-tijd {by_cpu:.2}× ({})",
            verdict(by_wall <= 1.10),
            verdict(by_cpu <= 1.10)
        );
        return;
    }
    // HDV_BENCH_PART=leveringen measures only the deliveries (the second part).
    let deliveries_only = std::env::var("HDV_BENCH_PART").is_ok_and(|p| p == "leveringen");
    let rows: Vec<(String, Measured)> = if deliveries_only {
        Vec::new()
    } else {
        vec![
            ("check".into(), measure(&["check"], CacheState::Empty)),
            (
                format!("eval --year {years}"),
                measure(&eval, CacheState::Empty),
            ),
            (
                format!("report --year {last_year} (koud)"),
                measure(&report, CacheState::Empty),
            ),
            (
                format!("report --year {last_year} (warme cache)"),
                measure(&report, CacheState::Warm),
            ),
            (
                format!("eval --year {years} (bronnen in cache)"),
                measure(&eval, CacheState::SourcesOnly),
            ),
            (
                format!("eval --year {years} (warme cache)"),
                measure(&eval, CacheState::Warm),
            ),
        ]
    };

    // Deliveries: the same data as one workbook per source and reference year.
    let split = root.join(format!("leveringen-{persons}-{}", years.replace("..", "-")));
    if !split.join("detenties").is_dir() {
        eprintln!("leveringen schrijven in {} …", split.display());
        split_deliveries(&data, &split);
    }
    let split_files = workbooks(&split);
    let sd = std::fs::canonicalize(&split).expect("delivery folder");
    let sd = sd.to_str().expect("utf-8 path");
    let split_floor = median((0..runs).map(|_| calamine_floor(&split).0).collect());
    let run_split = |args: &[&str]| -> Measured {
        let mut a = args.to_vec();
        a.extend(["--data", sd, "--cache", &c]);
        run_hdv(&a, &project)
    };
    let median_of = |ms: Vec<Measured>| Measured {
        wall: median(ms.iter().map(|m| m.wall).collect()),
        cpu: median(ms.iter().map(|m| m.cpu).collect()),
        peak_rss_kib: ms.iter().map(|m| m.peak_rss_kib).max().unwrap_or(0),
    };
    let cold = |args: &[&str]| {
        median_of(
            (0..runs)
                .map(|_| {
                    let _ = std::fs::remove_dir_all(&cache);
                    run_split(args)
                })
                .collect(),
        )
    };
    let cold_split = cold(&report);
    // One delivery replaced (same rows, new bytes): only it is parsed again; the figures are
    // computed again since the data changed.
    let replaced = split
        .join("trajecten")
        .join(format!("trajecten-{last_year}.xlsx"));
    let replaced = if replaced.exists() {
        replaced
    } else {
        split_files.last().expect("a delivery").clone()
    };
    let replace_once = |stamp: usize| {
        let source = replaced
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .and_then(hdv::contract::Source::from_name)
            .expect("delivery folder named after its source");
        let prisons: Vec<String> = hdv::model::load_model(&project)
            .expect("model")
            .prison_codes();
        let bytes = std::fs::read(&replaced).expect("delivery");
        let (batch, _) = hdv::load::parse_bytes(source, "levering.xlsx", &bytes, &prisons);
        let (batch, n) = batch.expect("delivery reads");
        let rows: Vec<usize> = (0..n).collect();
        write_delivery(&replaced, &batch, &rows, &format!("herlevering {stamp}"));
    };
    run_split(&report); // warm
    let after_replace = median_of(
        (0..runs)
            .map(|i| {
                replace_once(i + 1);
                run_split(&report)
            })
            .collect(),
    );
    // The same for `check` (reading and validating only, no figures): what the parse cache
    // per delivery saves, without the indicators that any change of data recomputes.
    let check = ["check"];
    let cold_check = cold(&check);
    run_split(&check); // warm
    let check_replace = median_of(
        (0..runs)
            .map(|i| {
                replace_once(runs + i + 1);
                run_split(&check)
            })
            .collect(),
    );

    println!();
    if !rows.is_empty() {
        print_main(&persons, &years, cells, floor, &rows);
    }
    println!(
        "Leveringen: dezelfde gegevens als {} werkmappen (één per bron en jaar)",
        split_files.len()
    );
    println!(
        "{:<44} {:>9.2} {:>12.2} {:>12}",
        "ondergrens: calamine leest alle leveringen",
        split_floor.as_secs_f64(),
        1.0,
        "-"
    );
    for (name, m) in [
        (format!("report --year {last_year} (koud)"), &cold_split),
        (
            format!("report --year {last_year} (1 levering vervangen)"),
            &after_replace,
        ),
        ("check (koud)".to_string(), &cold_check),
        ("check (1 levering vervangen)".to_string(), &check_replace),
    ] {
        print_row(&name, m, split_floor);
    }
    let cold_ratio = cold_split.wall.as_secs_f64() / split_floor.as_secs_f64();
    let replace_ratio = after_replace.wall.as_secs_f64() / cold_split.wall.as_secs_f64();
    println!(
        "doel report koud ≤ 1,2× ondergrens (leveringen): {cold_ratio:.2}× ({})",
        verdict(cold_ratio <= 1.2)
    );
    println!(
        "doel na vervanging van één levering ≤ 0,2× koud: {replace_ratio:.2}× ({})",
        verdict(replace_ratio <= 0.2)
    );
    println!(
        "  (alleen inlezen, check: {:.2}× koud; daarnaast worden de indicatoren die de vervangen bron lezen opnieuw berekend)",
        check_replace.wall.as_secs_f64() / cold_check.wall.as_secs_f64()
    );
}

/// Copies folder `from` into `to`, recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for e in std::fs::read_dir(from).expect("folder") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("file type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("copy");
        }
    }
}
