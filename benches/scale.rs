//! Scale benchmark (issue 7): a decade of national data, measured against the parse floor.
//!
//! `cargo bench --bench scale` generates (once, then reused) a national-scale data set with
//! `hdv generate`, then measures, each as wall time, ratio to the floor and peak memory:
//! - the floor: reading every workbook with calamine and doing nothing else;
//! - `check`, `eval --year <all years>`, `report --year <last year>` end to end, cold
//!   (no parse cache) and `report` again with the cache warm.
//!
//! Settings (environment): `HDV_BENCH_PERSONS` (default 200000), `HDV_BENCH_YEARS`
//! (default 2016..2025), `HDV_BENCH_DIR` (default `target/hdv-bench`). The goals are printed
//! next to the results; nothing here asserts a time.

use calamine::{Reader, open_workbook_auto};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HDV: &str = env!("CARGO_BIN_EXE_hdv");

struct Measured {
    wall: Duration,
    peak_rss_kib: i64,
}

/// Runs `hdv args…` to completion and returns its wall time and peak RSS (via wait4).
// The child is reaped by `wait4` (which also gives its rusage), not by `Child::wait`.
#[allow(clippy::zombie_processes)]
fn run_hdv(args: &[&str], cwd: &Path) -> Measured {
    let start = Instant::now();
    let child = Command::new(HDV)
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
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
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "`hdv {}` failed (status {status}); rerun it by hand in {}",
        args.join(" "),
        cwd.display()
    );
    Measured {
        wall,
        peak_rss_kib: usage.ru_maxrss,
    }
}

/// The floor: open every workbook in `dir` with calamine and read its first sheet.
fn calamine_floor(dir: &Path) -> (Duration, usize) {
    let start = Instant::now();
    let mut cells = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("data folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();
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

    let (floor, cells) = calamine_floor(&data);
    let mut rows: Vec<(String, Measured)> = Vec::new();
    let cold = |args: &[&str]| {
        let _ = std::fs::remove_dir_all(&cache);
        let mut a = args.to_vec();
        a.extend(["--data", d, "--cache", &c]);
        run_hdv(&a, &project)
    };
    rows.push(("check".into(), cold(&["check"])));
    rows.push((
        format!("eval --year {years}"),
        cold(&["eval", "--year", &years, "--format", "jsonl"]),
    ));
    let report = ["report", "--year", &last_year, "--out", o];
    rows.push((format!("report --year {last_year} (koud)"), cold(&report)));
    // Warm: the cold run above filled the cache; run once more with it in place.
    let mut warm_args = report.to_vec();
    warm_args.extend(["--data", d, "--cache", &c]);
    rows.push((
        format!("report --year {last_year} (warme cache)"),
        run_hdv(&warm_args, &project),
    ));

    println!();
    println!("Schaalbenchmark: {persons} personen, jaren {years}, {cells} cellen in de werkmappen");
    println!(
        "{:<36} {:>9} {:>12} {:>12}",
        "stap", "seconden", "× ondergrens", "piek RSS MB"
    );
    println!(
        "{:<36} {:>9.2} {:>12.2} {:>12}",
        "ondergrens: calamine leest alles",
        floor.as_secs_f64(),
        1.0,
        "-"
    );
    for (name, m) in &rows {
        println!(
            "{:<36} {:>9.2} {:>12.2} {:>12.0}",
            name,
            m.wall.as_secs_f64(),
            m.wall.as_secs_f64() / floor.as_secs_f64(),
            m.peak_rss_kib as f64 / 1024.0
        );
    }
    let ratio = |i: usize| rows[i].1.wall.as_secs_f64() / floor.as_secs_f64();
    let speedup = rows[2].1.wall.as_secs_f64() / rows[3].1.wall.as_secs_f64();
    let peak = rows.iter().map(|(_, m)| m.peak_rss_kib).max().unwrap_or(0) as f64 / 1024.0;
    let verdict = |ok: bool| if ok { "gehaald" } else { "NIET gehaald" };
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
}
