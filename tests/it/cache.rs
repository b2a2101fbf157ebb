//! The cache (parsed sources and indicator figures) is invisible except in speed: cached and
//! uncached runs print the same figures, and any change to a workbook cell, the plan or an
//! indicator's YAML misses the cache.

use crate::common::{FIXTURE, Hdv, Project};
use rust_xlsxwriter::Workbook;
use std::path::Path;

/// `hdv eval --year 2022..2025 --format jsonl` with `args`, run in `project`; returns stdout.
fn eval(project: &Path, args: &[&str]) -> String {
    Hdv::new(&["eval", "--year", "2022..2025", "--format", "jsonl"])
        .arg("--project")
        .arg(project)
        .args(args)
        .run()
        .success()
        .stdout
}

/// A copy of the project's model with the hand-worked indicator fixture as its data, with
/// `middelen` as a workbook instead of CSV.
fn setup() -> Project {
    let p = Project::new().with_model().with_data(FIXTURE);
    let csv = p.join("data/middelen.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::remove_file(&csv).unwrap();
    write_workbook(&p.join("data/middelen.xlsx"), &text);
    p
}

/// Writes CSV text as a one-sheet workbook: numbers as number cells, the rest as text.
fn write_workbook(path: &Path, csv: &str) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("middelen").unwrap();
    for (r, line) in csv.lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            match v.parse::<f64>() {
                Ok(x) if r > 0 => ws.write_number(r as u32, c as u16, x).unwrap(),
                _ => ws.write_string(r as u32, c as u16, v).unwrap(),
            };
        }
    }
    wb.save(path).unwrap();
}

/// The line of `indicator`'s total for `year`.
fn total(out: &str, indicator: &str, year: i32) -> String {
    let prefix = format!(r#"{{"indicator":"{indicator}","year":{year},"dims":{{}}"#);
    out.lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no total of {indicator} {year} in\n{out}"))
        .to_string()
}

/// Asserts two outputs are identical, showing the first line that differs.
fn assert_same(a: &str, b: &str) {
    if let Some((x, y)) = a.lines().zip(b.lines()).find(|(x, y)| x != y) {
        panic!("outputs differ:\n  {x}\n  {y}");
    }
    assert_eq!(
        a.lines().count(),
        b.lines().count(),
        "outputs differ in length"
    );
}

fn entries(cache: &Path, prefix: &str) -> usize {
    std::fs::read_dir(cache)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(prefix)
        })
        .count()
}

#[test]
fn cached_and_uncached_runs_agree_and_a_changed_cell_changes_the_figure() {
    let p = setup();
    let project = p.path();
    let cache = p.join("cache");
    let d = p.data();
    let (d, c) = (d.to_str().unwrap(), cache.to_str().unwrap());

    let uncached = eval(project, &["--data", d, "--no-cache"]);
    assert!(!cache.exists(), "--no-cache writes no cache");
    let cold = eval(project, &["--data", d, "--cache", c]);
    assert_eq!(entries(&cache, "middelen-"), 2, "batch and warnings");
    // The indicators over linked-data deliveries (`oslo_*`) do not apply to this data folder.
    let indicators = std::fs::read_dir(project.join("indicators"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("oslo_")
        })
        .count();
    assert_eq!(entries(&cache, "uitkomst-"), indicators, "one entry each");
    let warm = eval(project, &["--data", d, "--cache", c]);
    assert_same(&uncached, &cold);
    assert_same(&uncached, &warm);

    // Change one cell in the workbook (2024 spending in brugge, C2 → 100001).
    let csv = std::fs::read_to_string(Path::new(FIXTURE).join("middelen.csv")).unwrap();
    let changed_csv = csv.replace(
        "2024,brugge,CAW,welzijn,1.5,100000",
        "2024,brugge,CAW,welzijn,1.5,100001",
    );
    assert_ne!(csv, changed_csv);
    write_workbook(&p.join("data/middelen.xlsx"), &changed_csv);
    let changed = eval(project, &["--data", d, "--cache", c]);
    // 100000 + 150000 + 50000.5 + 30000 (central) = 330000.5, then one euro more.
    assert!(total(&warm, "uitgaven", 2024).contains(r#""value":330000.5,"#));
    assert!(total(&changed, "uitgaven", 2024).contains(r#""value":330001.5,"#));
    assert_same(&changed, &eval(project, &["--data", d, "--no-cache"]));
}

#[test]
fn a_changed_plan_or_indicator_misses_the_result_cache() {
    let p = setup();
    let project = p.path();
    let cache = p.join("cache");
    let d = p.data();
    let args = [
        "--data",
        d.to_str().unwrap(),
        "--cache",
        cache.to_str().unwrap(),
    ];
    let before = eval(project, &args);

    // The plan: A1.1.1 realised in 2022 adds one realised action in 2022 and later.
    let plan_file = project.join("plans/plannen/2020-2025.yaml");
    let plan = std::fs::read_to_string(&plan_file).unwrap();
    let edited = plan.replacen(
        "      - {jaar: 2022, status: lopend}\n      - {jaar: 2024, status: vertraagd",
        "      - {jaar: 2022, status: gerealiseerd}\n      - {jaar: 2024, status: vertraagd",
        1,
    );
    assert_ne!(
        plan, edited,
        "the sample plan changed shape; update this test"
    );
    std::fs::write(&plan_file, edited).unwrap();
    let after_plan = eval(project, &args);
    let numerator = |out: &str| -> f64 {
        let line = total(out, "acties_gerealiseerd", 2022);
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        v["numerator"].as_f64().unwrap()
    };
    assert_eq!(numerator(&after_plan), numerator(&before) + 1.0);

    // The indicator: count only gent's stays.
    let ind_file = project.join("indicators/gedetineerden.yaml");
    let ind = std::fs::read_to_string(&ind_file).unwrap();
    assert!(ind.contains("FROM detenties d"), "{ind}");
    std::fs::write(
        &ind_file,
        ind.replace(
            "FROM detenties d",
            "FROM (SELECT * FROM detenties WHERE gevangenis = 'gent') d",
        ),
    )
    .unwrap();
    let after_ind = eval(project, &args);
    assert_ne!(
        total(&after_plan, "gedetineerden", 2024),
        total(&after_ind, "gedetineerden", 2024)
    );
    let uncached = eval(project, &["--data", d.to_str().unwrap(), "--no-cache"]);
    assert_same(&after_ind, &uncached);
}

#[test]
fn a_yearly_report_is_the_same_uncached_cold_and_warm() {
    // The samples (deliveries in partner layouts with their profiles): the report reads every
    // cache (parsed deliveries, figures, checks, release rows of the cohort section).
    let p = Project::new().with_model().with_data("samples");
    let cache = p.join("cache");
    // The report without the line that quotes its own command (which names --cache).
    let report = |out: &str, cached: bool| -> String {
        let mut h = Hdv::new(&["report", "--year", "2024", "--format", "html"])
            .dated()
            .arg("--project")
            .arg(p.path())
            .arg("--data")
            .arg(p.data())
            .arg("--out")
            .arg(p.join(out));
        h = if cached {
            h.arg("--cache").arg(&cache)
        } else {
            h.arg("--no-cache")
        };
        h.run().success();
        let html = std::fs::read_to_string(p.join(out).join("2024/jaarrapport.html")).unwrap();
        assert!(html.contains("<p>Opdracht: <code>hdv report"), "{html}");
        html.lines()
            .filter(|l| !l.starts_with("<p>Opdracht: <code>hdv report"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let uncached = report("uncached", false);
    let cold = report("cold", true);
    assert_eq!(entries(&cache, "vrijlatingen-"), 1, "release rows cached");
    assert!(entries(&cache, "controle-") > 0, "check counts cached");
    let warm = report("warm", true);
    assert!(
        uncached.contains("Wederopsluiting per groep, cohorte"),
        "the cohort section is in the report"
    );
    assert_same(&uncached, &cold);
    assert_same(&uncached, &warm);
}
