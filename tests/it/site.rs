//! `hdv site`: every page and download is there, every link resolves, the downloads hold
//! exactly the figures the yearly report publishes, the folder is replaced whole and only when
//! hdv wrote it, and a small page as a snapshot.

use crate::common::{FIXTURE, Hdv};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The site of the samples (default years), built once for the tests that read it.
pub fn samples_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("site-samples");
        let _ = std::fs::remove_dir_all(&dir);
        Hdv::new(&["site", "--no-cache", "--out", dir.to_str().unwrap()])
            .dated()
            .run()
            .success();
        dir
    })
}

/// The site of the fixture for `years`, in `dir/site`.
fn fixture_site(years: &str, dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let out = site.to_str().unwrap();
    Hdv::new(&[
        "site",
        "--year",
        years,
        "--no-cache",
        "--data",
        FIXTURE,
        "--out",
        out,
    ])
    .dated()
    .run()
    .success();
    site
}

fn model() -> hdv::model::Model {
    hdv::model::load_model(Path::new(".")).unwrap()
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<PathBuf> {
    crate::common::tree(dir).into_keys().collect()
}

/// The values of every `attr="…"` in `html`, with the entities minijinja writes decoded.
fn attributes(html: &str, attr: &str) -> Vec<String> {
    let key = format!(" {attr}=\"");
    html.match_indices(&key)
        .map(|(i, _)| {
            let rest = &html[i + key.len()..];
            rest[..rest.find('"').unwrap()]
                .replace("&#x2f;", "/")
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#x27;", "'")
        })
        .collect()
}

#[test]
fn every_indicator_objective_and_prison_has_its_page_and_downloads() {
    let site = samples_site();
    let files = tree(site);
    let has = |p: &str| files.contains(&PathBuf::from(p));
    assert!(has("index.html"));
    assert!(has(".hdv-site"), "the mark that hdv wrote the folder");
    let m = model();
    // The samples' default years: from the year before the plan 2020-2025 to its last year.
    let m = m.as_of(2025);
    for o in &m.plan.doelstellingen {
        assert!(has(&format!("doelstelling/{}.html", o.id)), "{}", o.id);
    }
    // 25 over the spreadsheets and 6 over the linked-data deliveries (samples/oslo/).
    assert_eq!(m.indicators.len(), 31);
    for i in &m.indicators {
        for ext in ["html", "csv", "xlsx"] {
            assert!(has(&format!("indicator/{}.{ext}", i.id)), "{} {ext}", i.id);
        }
    }
    assert_eq!(m.prisons.len(), 21);
    for p in &m.prisons {
        assert!(has(&format!("gevangenis/{}.html", p.code)), "{}", p.code);
    }
    // A prison with a local plan links to it; one without says so.
    let brugge = std::fs::read_to_string(site.join("gevangenis/brugge.html")).unwrap();
    assert!(
        brugge.contains("href=\"brugge-lokaal-2024.html\""),
        "{brugge}"
    );
    let wortel = std::fs::read_to_string(site.join("gevangenis/wortel.html")).unwrap();
    assert!(wortel.contains("Geen lokaal actieplan"));
    // The home page says which years there are and has a status badge with words.
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("Jaren met gegevens: 2019-2025"), "{home}");
    assert!(home.contains("<span class=\"badge slecht\">niet op koers: "));
}

#[test]
fn every_link_of_the_site_is_relative_and_resolves() {
    let site = samples_site();
    let mut checked = 0;
    for rel in tree(site) {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(site.join(&rel)).unwrap();
        let here = site.join(&rel);
        let folder = here.parent().unwrap();
        for href in attributes(&html, "href") {
            assert!(
                !href.contains(':') && !href.starts_with('/'),
                "{}: link '{href}' is not relative",
                rel.display()
            );
            let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let target = if file.is_empty() {
                here.clone()
            } else {
                folder.join(file)
            };
            assert!(
                target.is_file(),
                "{}: link '{href}' points to no file",
                rel.display()
            );
            if !fragment.is_empty() {
                let t = std::fs::read_to_string(&target).unwrap();
                assert!(
                    t.contains(&format!("id=\"{fragment}\"")),
                    "{}: link '{href}' points to no anchor",
                    rel.display()
                );
            }
            checked += 1;
        }
        // No resource is loaded from elsewhere: the site works opened from a folder.
        assert!(attributes(&html, "src").is_empty(), "{}", rel.display());
    }
    assert!(checked > 500, "{checked} links");
}

#[test]
fn pages_are_dutch_with_one_title_and_headings_in_order_and_no_person_ids() {
    let site = samples_site();
    for rel in tree(site) {
        let bytes = std::fs::read(site.join(&rel)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("persoon_id"), "{}", rel.display());
        if rel.extension().is_some_and(|e| e == "xlsx") {
            let mut wb: Xlsx<_> = open_workbook(site.join(&rel)).unwrap();
            for name in wb.sheet_names() {
                let r = wb.worksheet_range(&name).unwrap();
                assert!(
                    r.used_cells()
                        .all(|(_, _, c)| !c.to_string().contains("persoon_id")),
                    "{}",
                    rel.display()
                );
                let formulas = wb.worksheet_formula(&name).unwrap();
                assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
            }
        }
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        assert!(text.contains("<html lang=\"nl-BE\">"), "{}", rel.display());
        assert_eq!(text.matches("<h1").count(), 1, "{}", rel.display());
        // Headings never skip a level going down (h1 → h3 without h2).
        let mut last = 1;
        for (i, _) in text.match_indices("<h") {
            let Some(level) = text[i + 2..]
                .chars()
                .next()
                .and_then(|c| c.to_digit(10))
                .filter(|_| text[i + 3..].starts_with(['>', ' ']))
            else {
                continue;
            };
            assert!(level <= last + 1, "{}: h{last} → h{level}", rel.display());
            last = level;
        }
    }
}

/// The CSV of every indicator, read as (year, breakdown, category) → (value, mark).
fn read_csv(path: &Path) -> BTreeMap<(i32, String, String), (Option<f64>, String)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|x| x == name).unwrap();
    let (jaar, dim, cat, waarde, mark) = (
        col("jaar"),
        col("uitsplitsing"),
        col("categorie"),
        col("waarde"),
        col("afscherming"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (
                    rec[jaar].parse().unwrap(),
                    rec[dim].to_string(),
                    rec[cat].to_string(),
                ),
                (rec[waarde].parse().ok(), rec[mark].to_string()),
            )
        })
        .collect()
}

/// Does a published workbook cell hold what the CSV says (a percentage is stored as a
/// fraction in the workbook, in percent in the CSV)?
fn same_figure(cell: &Data, csv: &(Option<f64>, String), percent: bool) -> bool {
    match (cell, csv) {
        (Data::Float(x), (Some(v), mark)) => {
            let v = if percent { v / 100.0 } else { *v };
            (x - v).abs() <= 1e-9 * v.abs().max(1.0) && mark.is_empty()
        }
        (Data::String(s), (None, mark)) => s == mark,
        (Data::Empty, (None, mark)) => mark == "–",
        _ => false,
    }
}

#[test]
fn the_downloads_hold_the_figures_the_yearly_report_publishes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    Hdv::new(&[
        "report",
        "--year",
        "2024",
        "--format",
        "xlsx",
        "--no-cache",
        "--data",
        FIXTURE,
        "--out",
        out,
    ])
    .dated()
    .run()
    .success();
    let site = fixture_site("2019..2024", dir.path());
    let m = model().as_of(2024);
    let by_title: BTreeMap<&str, &hdv::model::Indicator> =
        m.indicators.iter().map(|i| (i.titel.as_str(), i)).collect();
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("2024/jaarrapport.xlsx")).unwrap();
    let percent =
        |i: &hdv::model::Indicator| hdv::report::Unit::of(i) == hdv::report::Unit::Percent;

    // Every year of every indicator's series (sheet Reeksen) against the CSV's total row.
    let reeksen = wb.worksheet_range("Reeksen").unwrap();
    let mut compared = 0;
    let mut marks = 0;
    for row in reeksen.rows().skip(1).take_while(|r| r[0] != Data::Empty) {
        let title = row[0].to_string();
        let ind = by_title[title.as_str()];
        let year = match row[2] {
            Data::Float(y) => y as i32,
            ref other => panic!("year {other:?}"),
        };
        let csv = read_csv(&site.join(format!("indicator/{}.csv", ind.id)));
        let got = &csv[&(year, String::new(), String::new())];
        assert!(
            same_figure(&row[3], got, percent(ind)),
            "{} {year}: report {:?}, site {got:?}",
            ind.id,
            row[3]
        );
        compared += 1;
        marks += usize::from(matches!(row[3], Data::String(_)));
    }
    assert!(compared >= 25 * 5, "{compared} figures compared");
    // The fixture is small: suppressed figures are among those compared.
    assert!(marks > 0, "no suppressed figure compared");

    // The figures per prison of the equal-access section against the CSV's prison rows.
    let access = wb.worksheet_range("Gelijke toegang").unwrap();
    let header: Vec<String> = access
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut prisons = 0;
    for (c, h) in header.iter().enumerate().skip(1) {
        let ind = m
            .indicators
            .iter()
            .find(|i| h == &format!("{} ({})", i.titel, i.eenheid))
            .unwrap_or_else(|| panic!("column {h}"));
        let csv = read_csv(&site.join(format!("indicator/{}.csv", ind.id)));
        for row in access.rows().skip(1).take_while(|r| r[0] != Data::Empty) {
            let name = row[0].to_string();
            let key = if name == "Vlaanderen" {
                (2024, String::new(), String::new())
            } else {
                (2024, "gevangenis".to_string(), name.clone())
            };
            // A prison without any figure of this indicator has no row in the download,
            // and an empty cell in the report.
            let Some(got) = csv.get(&key) else {
                assert_eq!(row[c], Data::Empty, "{} {name}", ind.id);
                continue;
            };
            assert!(
                same_figure(&row[c], got, percent(ind)),
                "{} {name}: report {:?}, site {got:?}",
                ind.id,
                row[c]
            );
            prisons += 1;
        }
    }
    assert!(prisons > 10, "{prisons}");

    // The indicator's workbook holds the same figures as its CSV (the indicators over
    // linked-data deliveries do not apply to the fixture: no page).
    for ind in m.indicators.iter().filter(|i| !i.id.starts_with("oslo_")) {
        let csv = read_csv(&site.join(format!("indicator/{}.csv", ind.id)));
        let mut w: Xlsx<_> =
            open_workbook(site.join(format!("indicator/{}.xlsx", ind.id))).unwrap();
        let per_jaar = w.worksheet_range("Per jaar").unwrap();
        for row in per_jaar.rows().skip(1).take_while(|r| r[0] != Data::Empty) {
            let Data::Float(y) = row[0] else {
                panic!("{}: year {:?}", ind.id, row[0])
            };
            let got = &csv[&(y as i32, String::new(), String::new())];
            assert!(same_figure(&row[1], got, percent(ind)), "{} {y}", ind.id);
        }
    }
}

#[test]
fn a_year_without_data_says_so_and_is_never_a_number() {
    // The fixture's sources hold no rows in 2015.
    let dir = tempfile::tempdir().unwrap();
    let site = fixture_site("2015..2024", dir.path());
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("Geen gegevens voor 2015"), "{home}");
    let csv = read_csv(&site.join("indicator/gedetineerden.csv"));
    let y2015 = &csv[&(2015, String::new(), String::new())];
    assert_eq!(y2015, &(None, "geen gegevens".to_string()));
    let page = std::fs::read_to_string(site.join("indicator/gedetineerden.html")).unwrap();
    assert!(page.contains("<th scope=\"row\">2015</th><td class=\"num\">geen gegevens</td>"));
}

#[test]
fn the_output_folder_is_replaced_only_when_hdv_wrote_it() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("documenten");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("brief.docx"), "niet van hdv").unwrap();
    let site_into = |out: &Path| {
        Hdv::new(&[
            "site",
            "--no-cache",
            "--data",
            FIXTURE,
            "--out",
            out.to_str().unwrap(),
        ])
        .dated()
        .run()
    };
    let err = site_into(&other).exits(2).stderr;
    assert!(err.contains("geen map die hdv eerder schreef"), "{err}");
    assert_eq!(
        std::fs::read_to_string(other.join("brief.docx")).unwrap(),
        "niet van hdv"
    );
    let file = dir.path().join("bestand");
    std::fs::write(&file, "x").unwrap();
    site_into(&file).exits(2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn objective_page_snapshot() {
    let page = std::fs::read_to_string(samples_site().join("doelstelling/SD4.html")).unwrap();
    // The page's content (the head is the reports' shared style).
    let start = page.find("<main>").unwrap();
    let end = page.find("</html>").unwrap();
    insta::with_settings!({filters => vec![(r"--out [^<]*</code>", "--out [MAP]</code>")]}, {
        insta::assert_snapshot!("site_objective_sd4", &page[start..end]);
    });
}

#[test]
fn plan_text_is_escaped_on_the_site_and_never_a_formula_in_its_downloads() {
    use hdv::disclosure::Disclosure;
    let mut m = model().as_of(2024);
    let hostile = r#"<script>alert(1)</script>" onmouseover="x"#;
    m.plan.acties[0].titel = hostile.into();
    m.plan.acties[0].voorlopige_titel = false;
    m.indicators[0].titel = "=HYPERLINK(\"http://x\",\"klik\")".into();
    let (sources, eval) = crate::common::evaluate(&m, FIXTURE, "2018..2024");
    let run = hdv::report::RunInfo {
        version: "0.0.0-test".into(),
        command: "hdv site".into(),
        generated: "2026-01-01".into(),
    };
    let d = Disclosure::of(&m, &eval);
    let site = hdv::report::site::build(
        &m,
        &eval,
        &sources,
        "2019..2024".parse().unwrap(),
        run,
        &d,
        &[],
    )
    .unwrap();
    let env = hdv::render::environment(Path::new("templates"));
    let marks = hdv::render::words::Marks::of(d.policy());
    let files: BTreeMap<String, Vec<u8>> = hdv::render::site::files(&site, &env, &marks)
        .unwrap()
        .into_iter()
        .collect();
    let page = String::from_utf8(
        files[&format!("doelstelling/{}.html", m.plan.acties[0].doelstelling)].clone(),
    )
    .unwrap();
    assert!(!page.contains("<script>alert(1)"), "script not escaped");
    assert!(!page.contains("\" onmouseover="), "attribute not escaped");
    assert!(page.contains("&lt;script&gt;alert(1)"));
    // The title that looks like a formula: text in the CSV (a leading apostrophe) and in the
    // workbook (a string, no formula).
    let id = &m.indicators[0].id;
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("i.csv");
    std::fs::write(&csv_path, &files[&format!("indicator/{id}.csv")]).unwrap();
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    let first = r.records().next().unwrap().unwrap();
    assert_eq!(&first[1], "'=HYPERLINK(\"http://x\",\"klik\")");
    let xlsx_path = dir.path().join("i.xlsx");
    std::fs::write(&xlsx_path, &files[&format!("indicator/{id}.xlsx")]).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name}"
        );
    }
    let def = wb.worksheet_range("Definitie").unwrap();
    assert!(
        def.rows()
            .any(|r| r[1] == Data::String(m.indicators[0].titel.clone()))
    );
}

#[test]
fn the_same_inputs_give_a_byte_identical_site_and_a_rerun_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let first = crate::common::tree(&fixture_site("2019..2024", dir.path()));
    std::fs::write(dir.path().join("site/oud.html"), "van een vorige run").unwrap();
    // The same command into the same folder: the folder was written by hdv, so it is
    // replaced as a whole, and every file comes out the same.
    let second = crate::common::tree(&fixture_site("2019..2024", dir.path()));
    assert!(!second.contains_key(Path::new("oud.html")));
    assert_eq!(first.len(), second.len());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{} differs", path.display());
    }
    // Nothing is left next to the folder.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["site"]);
}
