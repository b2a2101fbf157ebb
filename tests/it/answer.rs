//! `hdv answer`: recipes, totals that add up, years without data, suppression in published
//! tables, DOCX and XLSX read back, privacy.

use crate::common::{FIXTURE, Hdv, Project, Run, hdv};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
const RECIPES: [&str; 7] = [
    "deelname_en_herval",
    "uitgaven_per_gevangenis",
    "gebruikers_per_gevangenis",
    "stand_van_het_plan",
    "wachtlijsten",
    "uitval_per_partner",
    "vraag_92",
];

/// `hdv answer args… --out <out> --no-cache` with a fixed generation date.
fn answer(args: &[&str], out: &Path) -> Run {
    Hdv::new(&["answer"])
        .args(args)
        .arg("--out")
        .arg(out)
        .arg("--no-cache")
        .dated()
        .run()
}

/// Every recipe on the samples for 2019-2024, written once for the tests that read them.
fn sample_answers() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        for recipe in RECIPES {
            answer(&[recipe, "--year", "2019..2024"], dir.path()).success();
        }
        dir
    })
    .path()
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

/// The sheet's rows as calamine reads them.
fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let r = wb.worksheet_range(name).unwrap();
    r.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The data rows of a sheet: from under the header to the first empty row (notes follow).
fn data_rows(rows: &[Vec<Data>]) -> &[Vec<Data>] {
    let end = rows
        .iter()
        .skip(1)
        .position(|r| r.iter().all(|c| *c == Data::Empty))
        .map_or(rows.len(), |i| i + 1);
    &rows[1..end]
}

fn eval_2024(indicator: &str) -> Vec<serde_json::Value> {
    Hdv::new(&["eval", "--year", "2024", "--indicator", indicator])
        .args(["--format", "jsonl", "--no-cache"])
        .run()
        .success()
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn users_per_prison_on_the_fixture() {
    let dir = tempfile::tempdir().unwrap();
    answer(
        &[
            "gebruikers_per_gevangenis",
            "--year",
            "2023..2024",
            "--data",
            FIXTURE,
        ],
        dir.path(),
    )
    .success();
    let md =
        std::fs::read_to_string(dir.path().join("gebruikers_per_gevangenis_2023-2024.md")).unwrap();
    // Every count in the fixture is small (1-4): shown as <5; no rates on so few.
    assert!(
        md.contains("| 2024 | Gevangenis Brugge | <5 | <5 | × |"),
        "{md}"
    );
    insta::with_settings!({filters => vec![
        (r"Opdracht om het antwoord opnieuw te maken: `[^`]*`", "Opdracht om het antwoord opnieuw te maken: `[opdracht]`"),
    ]}, {
        insta::assert_snapshot!("gebruikers_fixture", md);
    });
    // The Word document opens and holds the title and the tables.
    let bytes = std::fs::read(dir.path().join("gebruikers_per_gevangenis_2023-2024.docx")).unwrap();
    let doc = docx_rs::read_docx(&bytes).expect("a valid docx");
    let json = doc.json();
    assert!(json.contains("Gedetineerden die gebruik maken van de hulp- en dienstverlening"));
    assert!(json.contains("Tabel 2. Gebruikers en gedetineerden per gevangenis en jaar"));
    assert!(json.contains("Gevangenis Brugge"));
}

#[test]
fn a_table_with_columns_but_no_rows_is_answered_not_a_crash() {
    // Gent has no open application on 31 December 2023 in the hand-worked data: the table of
    // waiting applications has a year with data, no body row and a column total (it panicked
    // with an index out of bounds).
    let dir = tempfile::tempdir().unwrap();
    for prisons in [&["gent"][..], &["gent", "antwerpen"]] {
        let mut args = vec!["wachtlijsten", "--year", "2023", "--data", FIXTURE];
        for p in prisons {
            args.extend(["--prison", p]);
        }
        answer(&args, dir.path()).no_panic().success();
    }
    let md = std::fs::read_to_string(dir.path().join("wachtlijsten_2023-2023_gent.md")).unwrap();
    assert!(
        md.contains("| Gevangenis | 2023 |\n|---|---:|\n| **Totaal** | **0** |"),
        "{md}"
    );
}

#[test]
fn recipes_are_files_in_the_templates_folder_only() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["../Cargo", "onbestaand", "/etc/passwd", "_labels"] {
        let err = answer(&[bad, "--year", "2024", "--data", FIXTURE], dir.path())
            .exits(2)
            .stderr;
        assert!(
            err.contains(&format!("onbekend antwoordrecept '{bad}'")),
            "{err}"
        );
        assert!(
            err.contains("uitgaven_per_gevangenis"),
            "lists the recipes: {err}"
        );
    }
    let err = answer(
        &[
            "uitgaven_per_gevangenis",
            "--year",
            "2024",
            "--prison",
            "../x",
            "--data",
            FIXTURE,
        ],
        dir.path(),
    )
    .exits(2)
    .stderr;
    assert!(err.contains("onbekende gevangenis '../x'"), "{err}");
}

#[test]
fn help_and_list_name_every_recipe_with_its_title() {
    let help = hdv(&["answer", "--help"]).success().stdout;
    let list = hdv(&["answer", "--list"]).success().stdout;
    for out in [help, list] {
        assert!(out.contains("Recepten:"), "{out}");
        for r in RECIPES {
            assert!(out.contains(r), "{r} in {out}");
        }
        assert!(
            out.contains("vraag_92                   Antwoord op schriftelijke vraag nr. 92"),
            "{out}"
        );
        assert!(!out.contains("_labels"), "{out}");
    }
}

#[test]
fn the_distinct_users_of_2024_are_the_numerator_of_deelname_graad() {
    let xlsx = sample_answers().join("gebruikers_per_gevangenis_2019-2024.xlsx");
    let eval = eval_2024("deelname_graad");
    let total = eval
        .iter()
        .find(|o| o["dims"] == serde_json::json!({}))
        .unwrap();
    // Tabel 1: Jaar | Gebruikers | Gedetineerden | Deelnamegraad, one row per year.
    let rows = sheet(&xlsx, "Gebruikers per jaar");
    assert_eq!(
        rows[0].iter().map(text).collect::<Vec<_>>(),
        ["Jaar", "Gebruikers", "Gedetineerden", "Deelnamegraad"]
    );
    let data = data_rows(&rows);
    let years: Vec<String> = data.iter().map(|r| text(&r[0])).collect();
    assert_eq!(years, ["2019", "2020", "2021", "2022", "2023", "2024"]);
    let y2024 = &data[5];
    assert_eq!(y2024[1], Data::Float(total["numerator"].as_f64().unwrap()));
    assert_eq!(
        y2024[2],
        Data::Float(total["denominator"].as_f64().unwrap())
    );
    let Data::Float(rate) = y2024[3] else {
        panic!("rate as a number: {:?}", y2024[3])
    };
    assert!((rate * 100.0 - total["value"].as_f64().unwrap()).abs() < 1e-9);
    // Per prison: the numerator and denominator of the indicator for that prison; the Flemish
    // row of the year is the total, not the sum of the prisons.
    let names: std::collections::HashMap<String, String> = hdv::model::load_model(Path::new("."))
        .unwrap()
        .prisons
        .iter()
        .map(|p| (p.naam.clone(), p.code.clone()))
        .collect();
    let rows = sheet(&xlsx, "Gebruikers per gevangenis");
    let mut prisons = 0;
    let mut sum = 0.0;
    for r in data_rows(&rows).iter().filter(|r| text(&r[0]) == "2024") {
        let label = text(&r[1]);
        if label == "Vlaanderen" {
            assert_eq!(r[2], y2024[1]);
            assert_eq!(r[3], y2024[2]);
            continue;
        }
        let code = &names[&label];
        let o = eval
            .iter()
            .find(|o| o["dims"]["gevangenis"] == serde_json::json!(code))
            .unwrap();
        assert_eq!(
            r[2],
            Data::Float(o["numerator"].as_f64().unwrap()),
            "{label}"
        );
        assert_eq!(
            r[3],
            Data::Float(o["denominator"].as_f64().unwrap()),
            "{label}"
        );
        sum += o["numerator"].as_f64().unwrap();
        prisons += 1;
    }
    assert!(prisons >= 18);
    assert!(
        sum > total["numerator"].as_f64().unwrap(),
        "prisons overlap"
    );
    // Per domain likewise, out of all detainees of the year.
    let rows = sheet(&xlsx, "Gebruikers per domein");
    let domains: Vec<&Vec<Data>> = data_rows(&rows)
        .iter()
        .filter(|r| text(&r[0]) == "2024")
        .collect();
    let all = domains.last().unwrap();
    assert_eq!(text(&all[1]), "Alle domeinen samen");
    assert_eq!(all[2], y2024[1]);
    for r in &domains {
        assert_eq!(r[3], y2024[2], "every domain is out of all detainees");
    }
    assert!(domains.iter().any(|r| text(&r[1]) == "Onderwijs"), "labels");
}

#[test]
fn no_total_of_persons_or_year_end_stocks_spans_several_years() {
    let dir = sample_answers();
    // Persons per year, per prison and per domain: no "Totaal" column or row at all.
    let md = std::fs::read_to_string(dir.join("gebruikers_per_gevangenis_2019-2024.md")).unwrap();
    assert!(!md.contains("Totaal"), "{md}");
    assert!(md.contains("geen totaal over de jaren"), "says why: {md}");
    let xlsx = dir.join("gebruikers_per_gevangenis_2019-2024.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    for name in wb.sheet_names() {
        let r = wb.worksheet_range(&name).unwrap();
        for row in data_rows(&r.rows().map(|r| r.to_vec()).collect::<Vec<_>>()) {
            assert!(!text(&row[0]).starts_with("Totaal"), "{name}");
        }
        let header: Vec<String> = r.rows().next().unwrap().iter().map(text).collect();
        assert!(
            !header.iter().any(|h| h.starts_with("Totaal")),
            "{name}: {header:?}"
        );
    }
    // Year-end stocks: realised actions and waiting requests have no total over the years,
    // only the sum over objectives or prisons of one year.
    let xlsx = dir.join("stand_van_het_plan_2019-2024.xlsx");
    let rows = sheet(&xlsx, "Gerealiseerd per jaar");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "Doelstelling",
            "2019",
            "2020",
            "2021",
            "2022",
            "2023",
            "2024"
        ]
    );
    let data = data_rows(&rows);
    let last = data.last().unwrap();
    assert_eq!(text(&last[0]), "Totaal");
    assert_eq!(
        last[1],
        Data::String("geen gegevens".into()),
        "2019: no plan yet"
    );
    assert_eq!(last[6], Data::Float(14.0), "14 realised at the end of 2024");
    let rows = sheet(
        &dir.join("wachtlijsten_2019-2024.xlsx"),
        "Wachtend per gevangenis",
    );
    assert!(!rows[0].iter().map(text).any(|h| h.starts_with("Totaal")));
    // Spending: a sum over the years (in euro) and the yearly average, as asked.
    let rows = sheet(
        &dir.join("uitgaven_per_gevangenis_2019-2024.xlsx"),
        "Uitgaven per gevangenis",
    );
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(header[7..], ["Totaal 2019-2024", "Gemiddeld per jaar"]);
    let total = data_rows(&rows).last().unwrap();
    let (Data::Float(sum), Data::Float(avg)) = (&total[7], &total[8]) else {
        panic!("{total:?}")
    };
    assert!((sum / 6.0 - avg).abs() < 1e-6);
    let md = std::fs::read_to_string(dir.join("uitgaven_per_gevangenis_2019-2024.md")).unwrap();
    assert!(
        md.contains("Gemiddeld werd er van 2019 tot en met 2024 per jaar\n€ "),
        "{md}"
    );
}

#[test]
fn a_year_without_data_says_so_and_no_year_with_data_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    // The fixture's spending covers 2024 and 2025.
    answer(
        &[
            "uitgaven_per_gevangenis",
            "--year",
            "2023..2024",
            "--data",
            FIXTURE,
        ],
        dir.path(),
    )
    .success();
    let md =
        std::fs::read_to_string(dir.path().join("uitgaven_per_gevangenis_2023-2024.md")).unwrap();
    assert!(
        md.contains("| Gevangenis | 2023 | 2024 | Totaal 2024 | Gemiddeld per jaar |"),
        "{md}"
    );
    assert!(
        md.contains("| Gevangenis Brugge | geen gegevens | 100.000 | 100.000 | 100.000 |"),
        "{md}"
    );
    assert!(
        md.contains(
            "Geen gegevens voor 2023 (bron middelen heeft geen rijen); die jaren tellen niet mee"
        ),
        "{md}"
    );
    assert!(!md.contains("| 0 |"), "no data is not zero: {md}");
    let xlsx = dir.path().join("uitgaven_per_gevangenis_2023-2024.xlsx");
    let rows = sheet(&xlsx, "Uitgaven per gevangenis");
    assert_eq!(rows[1][1], Data::String("geen gegevens".into()));
    assert_eq!(rows[1][2], Data::Float(100000.0));
    for year in ["2026", "2020..2023"] {
        let err = answer(
            &["uitgaven_per_gevangenis", "--year", year, "--data", FIXTURE],
            dir.path(),
        )
        .exits(2)
        .stderr;
        assert!(
            err.contains("bron `middelen` heeft geen gegevens voor")
                && err.contains("wel voor 2024-2025"),
            "{err}"
        );
    }
    assert_eq!(
        files(dir.path(), "md").len(),
        1,
        "nothing written when refused"
    );
}

/// The texts of a DOCX's paragraphs, runs joined as Word shows them.
fn docx_paragraphs(path: &Path) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        !xml.contains("<w:t>"),
        "every text keeps its spaces (xml:space)"
    );
    let mut out = Vec::new();
    for p in xml.split("</w:p>") {
        let mut s = String::new();
        let mut rest = p;
        while let Some(i) = rest.find("<w:t") {
            rest = &rest[i..];
            let open_end = rest.find('>').unwrap();
            let tag = &rest[..open_end];
            if tag != "<w:t" && !tag.starts_with("<w:t ") || tag.ends_with('/') {
                rest = &rest[open_end + 1..];
                continue;
            }
            let close = rest.find("</w:t>").unwrap();
            s.push_str(&rest[open_end + 1..close]);
            rest = &rest[close..];
        }
        if !s.is_empty() {
            // Word shows a line break inside a text as nothing: a YAML line break that reached
            // the XML would glue two words.
            out.push(
                s.replace(['\n', '\r'], "")
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&quot;", "\"")
                    .replace("&apos;", "'")
                    .replace("&amp;", "&"),
            );
        }
    }
    out
}

fn word(w: &str) -> &str {
    w.trim_matches(|c: char| ".,:;()*\"'`".contains(c))
}

#[test]
fn the_docx_has_the_words_of_the_markdown_none_glued_at_run_boundaries() {
    let dir = sample_answers();
    let mut checked = 0;
    for docx in files(dir, "docx") {
        let md = std::fs::read_to_string(docx.with_extension("md")).unwrap();
        let md = md
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        let md_words: std::collections::HashSet<&str> = md
            .split(|c: char| c.is_whitespace() || c == '|')
            .map(word)
            .collect();
        // (The sources are sentences in Word, with the date as in text, and a table in
        // Markdown, with the date as in a table.)
        for p in docx_paragraphs(&docx)
            .into_iter()
            .filter(|p| !p.contains("SHA-256"))
        {
            for w in p.split_whitespace().map(word).filter(|w| !w.is_empty()) {
                assert!(
                    md_words.contains(w),
                    "{}: '{w}' (in \"{p}\") is not a word of the Markdown: glued?",
                    docx.display()
                );
                let chars: Vec<char> = w.chars().collect();
                // (Paths in the command line, e.g. a temporary folder, may mix cases.)
                for pair in chars.windows(2).filter(|_| !w.contains('/')) {
                    assert!(
                        !(pair[0].is_lowercase() && pair[1].is_uppercase()),
                        "{}: '{w}' looks glued",
                        docx.display()
                    );
                }
            }
        }
        checked += 1;
    }
    assert_eq!(checked, RECIPES.len());
    // Header rows repeat on every page; figures are right-aligned; the first column fits a
    // prison name.
    let mut zip = zip::ZipArchive::new(
        std::fs::File::open(dir.join("gebruikers_per_gevangenis_2019-2024.docx")).unwrap(),
    )
    .unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert_eq!(
        xml.matches("<w:tblHeader/>").count(),
        4,
        "one header row per table"
    );
    assert!(xml.contains(r#"<w:jc w:val="right"/>"#));
    let paras = docx_paragraphs(&dir.join("gebruikers_per_gevangenis_2019-2024.docx"));
    let caption = paras
        .iter()
        .position(|p| p.starts_with("Tabel 2. "))
        .unwrap();
    assert_eq!(paras[caption + 1], "Jaar", "the caption is above its table");
    assert!(
        paras
            .iter()
            .any(|p| p.starts_with("Definitie: Per gevangenis"))
    );
}

/// A figure stored as text: a string that reads as a Dutch number, percentage or amount.
fn number_as_text(s: &str) -> bool {
    let t = s
        .trim()
        .trim_end_matches('%')
        .trim_start_matches('€')
        .trim()
        .replace('.', "")
        .replace(',', ".");
    !t.is_empty() && t.parse::<f64>().is_ok()
}

#[test]
fn every_figure_in_the_xlsx_annexes_is_a_number() {
    let dir = sample_answers();
    let allowed = ["<5", "×", "–", "geen gegevens"];
    let mut sheets = 0;
    for xlsx in files(dir, "xlsx") {
        let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
        for name in wb.sheet_names() {
            assert!(name.chars().count() <= 31);
            let r = wb.worksheet_range(&name).unwrap();
            let rows: Vec<Vec<Data>> = r.rows().map(|r| r.to_vec()).collect();
            let data = data_rows(&rows);
            assert!(!data.is_empty(), "{name}");
            for row in data {
                for (j, c) in row.iter().enumerate() {
                    if let Data::String(s) = c {
                        assert!(
                            !number_as_text(s),
                            "{}!{name}: '{s}' in column {j} is a number stored as text",
                            xlsx.display()
                        );
                        if j > 0 && name != "Bronnen" && !allowed.contains(&s.as_str()) {
                            // Text beyond the first column: only labels of list tables.
                            assert!(
                                rows[0].get(j).is_some_and(|h| matches!(
                                    text(h).as_str(),
                                    "Gevangenis"
                                        | "Domein"
                                        | "Titel"
                                        | "Eind van het laatste jaar"
                                        | "Reden"
                                )),
                                "{}!{name}: text '{s}' in figure column {j}",
                                xlsx.display()
                            );
                        }
                    }
                }
            }
            // Definitions are notes under the data, outside the filter.
            assert!(
                rows.iter()
                    .skip(data.len() + 1)
                    .any(|r| text(&r[0]).starts_with("Definitie: "))
                    || name == "Bronnen",
                "{name}"
            );
            sheets += 1;
        }
    }
    assert!(sheets >= 20, "{sheets}");
}

#[test]
fn the_annex_filters_the_data_rows_only_with_the_totals_under_them() {
    let mut with_totals = 0;
    let mut dated = 0;
    for path in files(sample_answers(), "xlsx") {
        let wb: Xlsx<_> = open_workbook(&path).unwrap();
        for name in wb.sheet_names() {
            let rows = sheet(&path, &name);
            let table = data_rows(&rows).len();
            let look = crate::common::sheet_look(&path, &name);
            let filter = look.filter.clone().expect("a filter");
            let last: usize = filter
                .rsplit(|c: char| c.is_ascii_alphabetic())
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let bold_row = |row: usize| {
                look.bold.iter().any(|c| {
                    c.trim_start_matches(|x: char| x.is_ascii_alphabetic()) == row.to_string()
                })
            };
            // Rows 2..=last are data (never bold); the rows after them up to the blank row
            // are totals (bold).
            for row in 2..=last {
                assert!(
                    !bold_row(row),
                    "{}: {name}: row {row} is a total inside the filter {filter}",
                    path.display()
                );
            }
            for row in last + 1..=table + 1 {
                assert!(
                    bold_row(row),
                    "{}: {name}: row {row} is outside the filter {filter}",
                    path.display()
                );
            }
            if table + 1 > last {
                with_totals += 1;
            }
            if name == "Bronnen" && text(&rows[1][0]) != "plan" {
                // The latest date in a file is a date cell ("–" for a file without dates).
                for r in &rows[1..=table] {
                    assert!(
                        matches!(r[3], Data::DateTime(_)) || text(&r[3]) == "–",
                        "{}: {r:?}",
                        path.display()
                    );
                    if matches!(r[3], Data::DateTime(_)) {
                        dated += 1;
                    }
                }
                if matches!(rows[1][3], Data::DateTime(_)) {
                    assert_eq!(look.formats["D2"], "dd/mm/yyyy");
                }
            }
        }
    }
    assert!(with_totals >= 5, "{with_totals}");
    assert!(dated >= 5, "{dated}");
}

#[test]
fn codes_are_dutch_labels_and_html_from_the_data_is_escaped() {
    let data = Project::new().with_data(FIXTURE);
    data.edit(
        "data/trajecten.csv",
        "T3,P3,gent,CAW",
        "T3,P3,gent,<img src=x onerror=alert(1)>",
    );
    let dir = tempfile::tempdir().unwrap();
    answer(
        &[
            "uitval_per_partner",
            "--year",
            "2024",
            "--data",
            data.data().to_str().unwrap(),
        ],
        dir.path(),
    )
    .success();
    let md = std::fs::read_to_string(dir.path().join("uitval_per_partner_2024-2024.md")).unwrap();
    assert!(!md.contains("<img"), "{md}");
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"), "{md}");
    assert!(
        md.contains("overbrenging naar een andere gevangenis"),
        "{md}"
    );
    assert!(md.contains("geen reden geregistreerd"), "{md}");
    for code in [
        "voortijdig_gestopt",
        "op_initiatief_hulpverlener",
        "niet_geregistreerd",
    ] {
        assert!(!md.contains(code), "{code}: {md}");
    }
    // And on the samples: no code of the data contract in any answer.
    for md in files(sample_answers(), "md") {
        let text = std::fs::read_to_string(&md).unwrap();
        for code in [
            "voortijdig_gestopt",
            "op_initiatief_hulpverlener",
            "op_vraag_gedetineerde",
            "uitgaven_eur",
            "| onderwijs |",
            "| welzijn |",
            "| antwerpen |",
            "| SD1 |",
        ] {
            assert!(!text.contains(code), "{code} in {}", md.display());
        }
    }
}

#[test]
fn the_combined_answer_to_question_92_numbers_the_sub_questions_as_asked() {
    let md = std::fs::read_to_string(sample_answers().join("vraag_92_2019-2024.md")).unwrap();
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("{s} in {md}"));
    assert!(at("## Vraag 4") < at("## Vraag 6") && at("## Vraag 6") < at("## Vraag 7"));
    assert!(!md.contains("## Vraag 5"));
    // Sub-question 4 asks about the 19 goals of the plan 2015-2020: answered for that plan
    // (PD1-PD19), not with the plan 2020-2025 that followed it.
    assert!(at("19 doelstellingen vooropgesteld") < at("### Tabel 1. Doelstellingen van het plan"));
    assert!(at("Strategisch plan 2015-2020") < at("## Vraag 6"));
    let q4 = &md[at("## Vraag 4")..at("## Vraag 6")];
    assert_eq!(q4.matches("\n| PD").count(), 19, "{q4}");
    assert!(!q4.contains("| SD1"), "{q4}");
    assert!(
        at("Hoeveel wordt er gemiddeld op jaarbasis") < at("### Tabel 2. Uitgaven per gevangenis")
    );
    assert!(at("Dit ook graag opgedeeld naar gevangenis en activiteit") < at("### Tabel 5."));
    let xlsx = sample_answers().join("vraag_92_2019-2024.xlsx");
    let wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let names = wb.sheet_names();
    assert!(
        names.contains(&"V4 Doelstellingen".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"V7 Gebruikers per jaar".to_string()),
        "{names:?}"
    );
}

/// The parts of a DOCX package, by name.
fn docx_parts(path: &Path) -> std::collections::BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            (f.name().unwrap().to_string(), s)
        })
        .collect()
}

/// The value of the first `attr="…"` after `tag` in `xml`.
fn attr_after<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let rest = &xml[xml.find(tag)? + tag.len()..];
    let start = rest.find('"')? + 1;
    Some(&rest[start..start + rest[start..].find('"')?])
}

/// The body's paragraphs outside tables: (style id, text, whether a run is bold).
fn styled_paragraphs(document: &str) -> Vec<(String, String, bool)> {
    // Drop the tables first.
    let mut body = String::new();
    let mut rest = document;
    while let Some(i) = rest.find("<w:tbl>") {
        body.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find("</w:tbl>").unwrap() + "</w:tbl>".len()..];
    }
    body.push_str(rest);
    body.split("</w:p>")
        .filter_map(|p| {
            let p = &p[p.find("<w:p>")?..];
            let style = attr_after(p, "<w:pStyle w:val=").unwrap_or("").to_string();
            let text: String = p
                .split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .map(|t| &t[..t.find("</w:t>").unwrap()])
                .collect();
            Some((style, text.replace("&amp;", "&"), p.contains("<w:b/>")))
        })
        .collect()
}

/// Every `w:sz` value in `xml`, in half-points.
fn font_sizes(xml: &str) -> Vec<u32> {
    xml.split("<w:sz w:val=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

#[test]
fn every_docx_has_heading_styles_dutch_page_numbers_properties_and_no_small_text() {
    let dir = sample_answers();
    for path in files(dir, "docx") {
        let name = path.display().to_string();
        let parts = docx_parts(&path);
        let doc = &parts["word/document.xml"];
        let styles = &parts["word/styles.xml"];
        let paras = styled_paragraphs(doc);
        // The title and the headings are styled, never bold Normal text.
        assert_eq!(paras[0].0, "Title", "{name}: {:?}", paras[0]);
        let heading = |text: &str| paras.iter().find(|p| p.1 == text).map(|p| p.0.as_str());
        assert_eq!(heading("Bronnen en werkwijze"), Some("Heading1"), "{name}");
        for (style, text, bold) in &paras {
            assert!(!bold, "{name}: '{text}' is bold text instead of a style");
            if text.starts_with("Tabel ") {
                assert_eq!(style, "Caption", "{name}: '{text}'");
            }
            if text.starts_with("Vraag ") && text.len() < 10 {
                assert_eq!(style, "Heading1", "{name}: '{text}'");
            }
        }
        for (id, name_) in [
            ("Title", "Title"),
            ("Heading1", "heading 1"),
            ("Heading2", "heading 2"),
            ("Heading3", "heading 3"),
            ("Caption", "caption"),
        ] {
            assert!(
                styles.contains(&format!(r#"w:styleId="{id}"><w:name w:val="{name_}"/>"#)),
                "{name}: no style {id}"
            );
        }
        assert!(styles.contains("<w:outlineLvl w:val=\"0\"/>"), "{name}");
        assert!(
            styles.contains("<w:tblStylePr w:type=\"firstRow\">"),
            "{name}"
        );
        // The language, the font (with its fallback) and the spacing of every paragraph.
        let defaults = &styles[..styles.find("</w:docDefaults>").unwrap()];
        assert_eq!(
            attr_after(defaults, "<w:lang w:val="),
            Some("nl-BE"),
            "{name}"
        );
        assert_eq!(attr_after(defaults, "<w:rFonts w:ascii="), Some("Arial"));
        assert!(defaults.contains("<w:spacing w:after="));
        assert!(parts["word/fontTable.xml"].contains("<w:altName w:val=\"Liberation Sans\"/>"));
        // Page numbers in the footer of every section.
        let sections = doc.matches("<w:sectPr>").count();
        assert_eq!(
            doc.matches("<w:footerReference").count(),
            sections,
            "{name}"
        );
        let footer = &parts["word/footer1.xml"];
        assert!(
            footer.contains("> PAGE <") && footer.contains("> NUMPAGES <"),
            "{name}: {footer}"
        );
        // Every section is A4, upright or across.
        for size in doc.split("<w:pgSz ").skip(1) {
            assert!(
                size.starts_with(r#"w:w="11906" w:h="16838""#)
                    || size.starts_with(r#"w:w="16838" w:h="11906" w:orient="landscape""#),
                "{name}: {size}"
            );
        }
        // Properties: the title, the organisation, the date of the run (SOURCE_DATE_EPOCH).
        let core = &parts["docProps/core.xml"];
        let title = &paras[0].1;
        assert!(
            core.contains(&format!("<dc:title>{title}</dc:title>")),
            "{name}: {core}"
        );
        assert!(
            core.contains("<dc:creator>Vlaamse overheid</dc:creator>"),
            "{core}"
        );
        assert!(core.contains("<dc:language>nl-BE</dc:language>"));
        assert!(
            core.contains(">2026-01-01T00:00:00Z</dcterms:created>"),
            "{core}"
        );
        assert!(parts["docProps/app.xml"].contains("<Company>Vlaamse overheid</Company>"));
        // No text under 9 pt.
        for xml in [doc, styles, footer] {
            let sizes = font_sizes(xml);
            assert!(sizes.iter().all(|&s| s >= 18), "{name}: sizes {sizes:?}");
        }
        assert!(!font_sizes(doc).is_empty(), "{name}: table text has a size");
    }
}

/// A reference document as a Dutch Word writes one: localised style ids (`Kop1`, `Standaard`),
/// Word's built-in names, its own font and colours, and a numbering part.
fn house_style_docx() -> Vec<u8> {
    use std::io::Write;
    let styles = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Flanders Art Sans" w:hAnsi="Flanders Art Sans"/><w:sz w:val="20"/><w:lang w:val="nl-NL"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Standaard"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/><w:basedOn w:val="Standaard"/><w:next w:val="Standaard"/><w:qFormat/><w:pPr><w:keepNext/><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Flanders Art Serif"/><w:color w:val="FFE615"/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/><w:basedOn w:val="Standaard"/><w:rPr><w:caps/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Bijschrift"><w:name w:val="caption"/><w:basedOn w:val="Standaard"/><w:rPr><w:i/><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="Tabelraster"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="8" w:color="FFE615"/></w:tblBorders></w:tblPr></w:style>
</w:styles>"#;
    let numbering = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
    let app = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Departement Zorg</Company></Properties>"#;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, body) in [
        ("word/styles.xml", styles),
        ("word/numbering.xml", numbering),
        ("docProps/app.xml", app),
    ] {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

#[test]
fn a_house_style_reference_document_gives_the_answer_its_styles() {
    let p = Project::new()
        .with_model()
        .with_data(FIXTURE)
        .file("templates/antwoorden/huisstijl.docx", house_style_docx());
    let out = p.join("uit");
    let out_arg = out.to_str().unwrap();
    p.hdv(&[
        "answer",
        "gebruikers_per_gevangenis",
        "--year",
        "2023..2024",
        "--out",
        out_arg,
    ])
    .dated()
    .run()
    .success();
    let path = out.join("gebruikers_per_gevangenis_2023-2024.docx");
    let parts = docx_parts(&path);
    let styles = &parts["word/styles.xml"];
    // The reference's definitions end up in the answer as they are…
    assert!(
        styles.contains(r#"<w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/><w:basedOn w:val="Standaard"/><w:next w:val="Standaard"/><w:qFormat/><w:pPr><w:keepNext/><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="Flanders Art Serif"/><w:color w:val="FFE615"/><w:sz w:val="32"/></w:rPr></w:style>"#),
        "{styles}"
    );
    assert!(
        styles.contains(r#"<w:rFonts w:ascii="Flanders Art Sans" w:hAnsi="Flanders Art Sans"/>"#)
    );
    assert!(styles.contains(r#"w:styleId="Tabelraster"><w:name w:val="Table Grid"/>"#));
    // …with the language of the answer…
    assert!(styles.contains(r#"<w:lang w:val="nl-BE""#) && !styles.contains("nl-NL"));
    // …and the answer uses them by their ids; what the reference lacks comes from hdv.
    let paras = styled_paragraphs(&parts["word/document.xml"]);
    assert_eq!(paras[0].0, "Titel");
    assert!(
        paras
            .iter()
            .any(|p| p.0 == "Kop1" && p.1 == "Bronnen en werkwijze")
    );
    assert!(
        paras
            .iter()
            .any(|p| p.0 == "Bijschrift" && p.1.starts_with("Tabel 1. "))
    );
    assert!(
        paras
            .iter()
            .any(|p| p.0 == "Tabelnoot" && p.1.starts_with("Definitie: "))
    );
    assert!(styles.contains(
        r#"w:styleId="Tabelnoot"><w:name w:val="Tabelnoot"/><w:basedOn w:val="Standaard"/>"#
    ));
    assert!(parts["word/document.xml"].contains(r#"<w:tblStyle w:val="Tabelraster"/>"#));
    assert!(!parts["word/document.xml"].contains(r#"w:val="Heading1""#));
    // Its numbering comes along (its heading numbers refer to it) and its organisation.
    assert!(parts.contains_key("word/numbering.xml"));
    assert!(parts["word/_rels/document.xml.rels"].contains("numbering.xml"));
    assert!(parts["docProps/core.xml"].contains("<dc:creator>Departement Zorg</dc:creator>"));
    docx_rs::read_docx(&std::fs::read(&path).unwrap()).expect("a valid docx");
    // A reference that is no Word document is refused, naming the file; nothing is written.
    let bad = Project::new()
        .with_model()
        .with_data(FIXTURE)
        .file("templates/antwoorden/huisstijl.docx", "geen docx");
    let out = bad.join("uit");
    let out_arg = out.to_str().unwrap();
    let run = bad
        .hdv(&[
            "answer",
            "gebruikers_per_gevangenis",
            "--year",
            "2023..2024",
            "--out",
            out_arg,
        ])
        .run()
        .exits(2);
    assert!(run.stderr.contains("huisstijl.docx"), "{}", run.stderr);
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
}

#[test]
fn the_answers_hold_no_pseudonyms() {
    let dir = sample_answers();
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    let sources = crate::common::load_samples(&model);
    let mut ids = std::collections::HashSet::new();
    for f in &sources.files {
        if let Some(c) = f.batch.column_by_name("persoon_id") {
            use datafusion::arrow::array::AsArray;
            ids.extend(c.as_string::<i32>().iter().flatten().map(str::to_string));
        }
    }
    let mut checked = 0;
    for p in files(dir, "md").into_iter().chain(files(dir, "docx")) {
        let text = match p.extension().and_then(|x| x.to_str()) {
            Some("md") => std::fs::read_to_string(&p).unwrap(),
            _ => docx_paragraphs(&p).join("\n"),
        };
        checked += 1;
        for token in text.split(|c: char| !c.is_alphanumeric()) {
            assert!(
                !ids.contains(token),
                "persoon_id {token} in {}",
                p.display()
            );
        }
    }
    assert_eq!(checked, 2 * RECIPES.len());
}

/// The cohort recipe prints the figures of `hdv eval` (rounded to one decimal), reads them
/// through the table `indicatoren`, and states that they are an association.
#[test]
fn the_cohort_recipe_prints_the_eval_figures_and_the_caveat() {
    let dir = tempfile::tempdir().unwrap();
    answer(&["deelname_en_herval", "--year", "2022..2023"], dir.path()).success();
    let md = std::fs::read_to_string(dir.path().join("deelname_en_herval_2022-2023.md")).unwrap();
    assert!(md.contains("geen gemeten effect"), "{md}");
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    let session = crate::common::session("samples");
    let inputs = crate::common::inputs(&session, &model);
    let wanted: Vec<_> = ["verschil_wederopsluiting_deelname", "wederopsluiting_km_2j"]
        .iter()
        .map(|id| model.indicator(id).unwrap().clone())
        .collect();
    let eval = session
        .evaluate(&inputs, &wanted, "2022..2023".parse().unwrap())
        .unwrap();
    let nl = |v: f64| hdv::render::nl_number(v, 1);
    let d = eval
        .total("verschil_wederopsluiting_deelname", 2022)
        .unwrap();
    let ci = d.interval.unwrap();
    let row = format!(
        "| 2022 | {} | {} | {} |",
        nl(d.value.unwrap()),
        nl(ci.low.unwrap()),
        nl(ci.high.unwrap())
    );
    assert!(md.contains(&row), "{row} not in\n{md}");
    let km = eval.total("wederopsluiting_km_2j", 2023).unwrap();
    let km22 = eval.total("wederopsluiting_km_2j", 2022).unwrap();
    let row = format!(
        "| Alle vrijlatingen | {} | {} |",
        nl(km22.value.unwrap()),
        nl(km.value.unwrap())
    );
    assert!(md.contains(&row), "{row} not in\n{md}");
}

#[test]
fn a_recipe_whose_sql_returns_too_many_rows_stops_with_a_dutch_message() {
    let p = Project::new().with_model().with_data(FIXTURE);
    p.write(
        "templates/antwoorden/groot.yaml",
        "id: groot\ntitel: Te groot\nvraag: Hoeveel?\nbronnen: [detenties]\ninleiding: x\ntabellen:\n  - id: alles\n    titel: Alles\n    definitie: x\n    rijen: Rij\n    kolomlabels: jaar\n    soort: aantal\n    waarom_geen_totaal: Een test.\n    sql: |\n      SELECT CAST(value AS VARCHAR) AS rij, CAST($jaar_van AS VARCHAR) AS kolom, 1.0 AS waarde\n      FROM range(0, 1000000)\n",
    );
    let started = std::time::Instant::now();
    let out = p.join("uit");
    let err = p
        .hdv(&[
            "answer",
            "groot",
            "--year",
            "2024",
            "--out",
            out.to_str().unwrap(),
        ])
        .run()
        .no_panic()
        .exits(2)
        .stderr;
    assert!(
        err.contains("recepttabel `alles`: de query geeft meer dan 10000 rijen, de grens voor een tabel van een antwoord"),
        "{err}"
    );
    assert!(err.contains("HDV_ANSWER_ROWS"), "{err}");
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert!(!out.exists());
    // The limit is the one set.
    let err = p
        .hdv(&[
            "answer",
            "groot",
            "--year",
            "2024",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("HDV_ANSWER_ROWS", "5")
        .run()
        .no_panic()
        .exits(2)
        .stderr;
    assert!(err.contains("meer dan 5 rijen"), "{err}");
}

/// The YAML of the README's worked example of a recipe.
fn readme_recipe() -> String {
    let readme = std::fs::read_to_string(Path::new(crate::common::ROOT).join("README.md")).unwrap();
    let from = readme
        .find("**Worked example.**")
        .expect("a worked example");
    let rest = &readme[from..];
    let start = rest.find("```yaml\n").unwrap() + "```yaml\n".len();
    rest[start..start + rest[start..].find("```").unwrap()].to_string()
}

#[test]
fn the_readme_recipe_example_runs() {
    let p = Project::new().with_model().with_data(FIXTURE).file(
        "templates/antwoorden/afgesloten_aanvragen.yaml",
        readme_recipe(),
    );
    let out = p.join("uit");
    p.hdv(&[
        "answer",
        "afgesloten_aanvragen",
        "--year",
        "2024",
        "--out",
        out.to_str().unwrap(),
    ])
    .dated()
    .run()
    .success();
    let md = std::fs::read_to_string(out.join("afgesloten_aanvragen_2024-2024.md")).unwrap();
    // The fixture has one request closed before its start: A3, released (vrijgelaten), 2024.
    assert!(md.contains("| vrijgelaten | <5 | <5 |"), "{md}");
    assert!(md.contains("In 2024 werden &lt;5 aanvragen"), "{md}");
}

#[test]
fn answer_new_writes_a_commented_recipe_that_runs_and_never_overwrites() {
    let p = Project::new().with_model().with_data(FIXTURE);
    let run = p.hdv(&["answer", "new", "mijn_vraag"]).run().success();
    assert!(
        run.stdout.contains("templates/antwoorden/mijn_vraag.yaml"),
        "{}",
        run.stdout
    );
    let path = p.join("templates/antwoorden/mijn_vraag.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            > 20
    );
    assert!(text.contains("\nid: mijn_vraag\n"));
    // It runs as it is.
    let out = p.join("uit");
    p.hdv(&[
        "answer",
        "mijn_vraag",
        "--year",
        "2024",
        "--out",
        out.to_str().unwrap(),
    ])
    .run()
    .success();
    assert!(out.join("mijn_vraag_2024-2024.docx").exists());
    // The help names it; a second `new` leaves the file alone; a bad name is refused.
    let help = hdv(&["answer", "--help"]).stdout;
    assert!(help.contains("new NAAM"), "{help}");
    std::fs::write(&path, "# bewerkt\n").unwrap();
    let run = p.hdv(&["answer", "new", "mijn_vraag"]).run().exits(2);
    assert!(run.stderr.contains("bestaat al"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "# bewerkt\n");
    let run = p.hdv(&["answer", "new", "../buiten"]).run().exits(2);
    assert!(
        run.stderr.contains("ongeldige receptnaam"),
        "{}",
        run.stderr
    );
    assert!(!p.path().join("templates/buiten.yaml").exists());
}

#[test]
fn recipe_mistakes_name_file_line_and_what_to_change() {
    let recipe = "id: fout\ntitel: Fout\nvraag: Wat?\nbronnen: [aanvragen, onbekend]\ninleiding: x\ntabellen:\n  - id: eerste\n    titel: Eerste\n    definitie: x\n    blad: Een bladnaam die veel te lang is\n    rijen: Rij\n    sql: SELECT 1\n  - id: tweede\n    titel: Tweede\n    definitie: x\n    soort: personen\n    rijen: Jaar\n    sql: SELECT 1\n";
    let p = Project::new()
        .with_model()
        .with_data(FIXTURE)
        .file("templates/antwoorden/fout.yaml", recipe);
    let run = p.hdv(&["answer", "fout", "--year", "2024"]).run().exits(2);
    let err = run.stderr;
    // Every mistake at once, each with its line.
    assert!(
        err.contains("fout.yaml:10:5: tabel `eerste`: bladnaam 'Een bladnaam die veel te lang is' telt 32 tekens, hoogstens 27"),
        "{err}"
    );
    assert!(err.contains("kort hem in tot 27 tekens"), "{err}");
    assert!(
        err.contains("fout.yaml:7:5: tabel `eerste`: `soort` ontbreekt: voeg `soort:` toe"),
        "{err}"
    );
    assert!(err.contains("fout.yaml:13:5: tabel `tweede`: zonder rij- of kolomsom hoort een zin `waarom_geen_totaal`"), "{err}");
    assert!(
        err.contains("fout.yaml:4:22: onbekende bron `onbekend`"),
        "{err}"
    );
    // An SQL error names the line of the table's SQL.
    let p = Project::new().with_model().with_data(FIXTURE).file(
        "templates/antwoorden/sqlfout.yaml",
        "id: sqlfout\ntitel: T\nvraag: V?\nbronnen: [aanvragen]\ninleiding: x\ntabellen:\n  - id: t\n    titel: T\n    definitie: x\n    rijen: Rij\n    soort: euro\n    sql: SELECT partner AS rij, 'x' AS kolom, bedrag AS waarde FROM aanvragen\n",
    );
    let err = p
        .hdv(&["answer", "sqlfout", "--year", "2024"])
        .run()
        .exits(2)
        .stderr;
    assert!(err.contains("sqlfout.yaml:12:5: recepttabel `t`:"), "{err}");
    assert!(err.contains("hdv tables"), "{err}");
}

#[test]
fn tables_lists_the_values_of_code_columns_but_never_pseudonyms() {
    let text = hdv(&["tables", "--data", FIXTURE, "--no-cache"]).stdout;
    let after = |col: &str| {
        let lines: Vec<&str> = text.lines().collect();
        let i = lines
            .iter()
            .position(|l| l.trim_start().starts_with(&format!("{col} ")))
            .unwrap_or_else(|| panic!("{col}: {text}"));
        lines.get(i + 1).copied().unwrap_or("")
    };
    assert_eq!(
        after("dienst").trim(),
        "waarden: beroepsopleiding, huisvesting, schuldhulp, therapie, trajectbegeleiding"
    );
    assert_eq!(after("afsluitreden").trim(), "waarden: vrijgelaten");
    assert!(!text.contains("P1"), "{text}");
    assert!(!text.contains("A1,"), "{text}");
}

#[test]
fn a_prison_open_two_of_six_years_gets_its_average_over_two() {
    let mut csv = String::from("jaar,gevangenis,partner,domein,fte,uitgaven_eur\n");
    for y in 2019..=2024 {
        csv.push_str(&format!("{y},gent,CAW,welzijn,1,100000\n"));
    }
    for y in [2023, 2024] {
        csv.push_str(&format!("{y},haren,CAW,welzijn,3,300000\n"));
    }
    let p = Project::new()
        .with_model()
        .with_data(FIXTURE)
        .file("data/middelen.csv", csv);
    let out = p.join("uit");
    p.hdv(&[
        "answer",
        "uitgaven_per_gevangenis",
        "--year",
        "2019..2024",
        "--out",
        out.to_str().unwrap(),
    ])
    .run()
    .success();
    let md = std::fs::read_to_string(out.join("uitgaven_per_gevangenis_2019-2024.md")).unwrap();
    // Euro: Haren 600.000 over its two years = 300.000 a year (not 100.000 over six);
    // Gent 600.000 over six = 100.000; the total 1.200.000 over the six years with data.
    assert!(
        md.contains("| Gevangenis Haren | – | – | – | – | 300.000 | 300.000 | 600.000 | 300.000 |"),
        "{md}"
    );
    assert!(md.contains("| Gevangenis Gent | 100.000 | 100.000 | 100.000 | 100.000 | 100.000 | 100.000 | 600.000 | 100.000 |"), "{md}");
    assert!(md.contains("| **Totaal** | **100.000** | **100.000** | **100.000** | **100.000** | **400.000** | **400.000** | **1.200.000** | **200.000** |"), "{md}");
    // FTE likewise: 3,0 a year in Haren.
    assert!(
        md.contains("| Gevangenis Haren | – | – | – | – | 3,0 | 3,0 | 3,0 |"),
        "{md}"
    );
    // The note says it the same way as the definition: over the years with data.
    assert!(
        md.contains("gedeeld door het aantal jaren met gegevens van die rij"),
        "{md}"
    );
}

#[test]
fn provenance_lists_only_the_sources_the_answer_read() {
    let dir = sample_answers();
    let sources = |recipe: &str| -> Vec<String> {
        let md = std::fs::read_to_string(dir.join(format!("{recipe}_2019-2024.md"))).unwrap();
        let part = &md[md.find("## Bronnen en werkwijze").unwrap()..];
        part.lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| bron "))
            .map(|l| l.split('|').nth(1).unwrap().trim().to_string())
            .collect()
    };
    assert_eq!(sources("wachtlijsten"), ["aanvragen"]);
    assert_eq!(sources("uitgaven_per_gevangenis"), ["middelen"]);
    assert_eq!(sources("deelname_en_herval"), ["deelname", "uitstroom"]);
    // The plan's answer reads no delivered file and says so.
    let md = std::fs::read_to_string(dir.join("stand_van_het_plan_2019-2024.md")).unwrap();
    assert!(sources("stand_van_het_plan").is_empty());
    assert!(
        md.contains("Dit antwoord leest geen aangeleverde bestanden"),
        "{md}"
    );
}

#[test]
fn sample_statuses_are_marked_voorbeeld_wherever_an_answer_shows_them() {
    // The plan 2020-2025's statuses are samples (`statussen_voorbeeld: true`).
    let md =
        std::fs::read_to_string(sample_answers().join("stand_van_het_plan_2019-2024.md")).unwrap();
    let header = md
        .lines()
        .find(|l| l.starts_with("| Doelstelling |"))
        .unwrap();
    for status in ["gerealiseerd", "lopend", "vertraagd"] {
        assert!(
            header.contains(&format!("{status} (VOORBEELD)")),
            "{header}"
        );
    }
}
