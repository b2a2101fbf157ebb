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
        for p in docx_paragraphs(&docx) {
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
        xml.matches("<w:tblHeader />").count(),
        4,
        "one header row per table"
    );
    assert!(xml.contains(r#"<w:jc w:val="right" />"#));
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
                                    "Gevangenis" | "Domein"
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
    assert!(at("19 doelstellingen vooropgesteld") < at("### Tabel 1. Acties per doelstelling"));
    assert!(
        at("Hoeveel wordt er gemiddeld op jaarbasis") < at("### Tabel 3. Uitgaven per gevangenis")
    );
    assert!(at("Dit ook graag opgedeeld naar gevangenis en activiteit") < at("### Tabel 6."));
    let xlsx = sample_answers().join("vraag_92_2019-2024.xlsx");
    let wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let names = wb.sheet_names();
    assert!(
        names.contains(&"V4 Status per doelstelling".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"V7 Gebruikers per jaar".to_string()),
        "{names:?}"
    );
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
