//! Partner deliveries (issue 14): a folder of delivery files per source, delivery profiles
//! for a partner's own layout, the delivery register with re-deliveries, the completeness
//! matrix, and a parse cache per delivery file. Hand-made small fixtures.

use crate::common::Project;
use hdv::cache::Cache;
use hdv::contract::Source;
use hdv::load::{Delivered, Profiles, Sources, load_sources, profile::read_profiles};
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

fn prisons() -> Vec<String> {
    ["brugge", "gent", "haren"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

const TRAJ: &str = "traject_id,persoon_id,gevangenis,partner,domein,start,einde,afloop,stopreden\n";

/// The rows of the profiled CAW export below, in contract layout.
const CONTRACT_ROWS: [[&str; 9]; 3] = [
    [
        "2024-1",
        "P1",
        "gent",
        "CAW",
        "welzijn",
        "2024-01-05",
        "",
        "lopend",
        "",
    ],
    [
        "2024-2",
        "P2",
        "brugge",
        "CAW",
        "welzijn",
        "2024-02-10",
        "2024-06-30",
        "afgerond",
        "",
    ],
    [
        "2024-3",
        "P3",
        "gent",
        "CAW",
        "welzijn",
        "2024-03-01",
        "2024-04-15",
        "voortijdig_gestopt",
        "vrijlating",
    ],
];

/// The CAW profile: title rows, own headers, a composed id, constants, value tables,
/// `dd.mm.yyyy` dates, a totals row to drop, the extraction date in A2.
pub(crate) const CAW_PROFILE: &str = r#"id: caw-trajecten
bron: trajecten
leverancier: CAW
omschrijving: Export van trajecten uit het CAW-registratiesysteem
herkenning:
  bestandsnaam: "caw-*.xlsx"
  kolommen: [Dossierjaar, Volgnr]
blad: Export
kopregel: 4
extractiedatum:
  cel: A2
kolommen:
  traject_id: { samen: [Dossierjaar, Volgnr], scheiding: "-" }
  persoon_id: Cliëntcode
  gevangenis: Vestiging
  start: Startdatum
  einde: Einddatum
  afloop: Resultaat
  stopreden: Reden stopzetting
constanten:
  partner: CAW
  domein: welzijn
waarden:
  gevangenis:
    "Gevangenis van Gent": gent
    "PI Brugge": brugge
  afloop:
    "Beëindigd": afgerond
    "Afgebroken": voortijdig_gestopt
    "": lopend
  stopreden:
    "Vrijgelaten": vrijlating
datumvormen: [dd.mm.yyyy]
weglaten:
  - kolom: Dossierjaar
    begint_met: Totaal
"#;

pub(crate) const CAW_HEADERS: [&str; 9] = [
    "Dossierjaar",
    "Volgnr",
    "Cliëntcode",
    "Vestiging",
    "Startdatum",
    "Einddatum",
    "Resultaat",
    "Reden stopzetting",
    "Opmerking",
];

/// The CAW export's data rows as the partner writes them (Dossierjaar and Volgnr are number
/// cells).
pub(crate) fn caw_rows() -> Vec<[&'static str; 9]> {
    vec![
        [
            "2024",
            "1",
            "P1",
            "Gevangenis van Gent",
            "05.01.2024",
            "",
            "",
            "",
            "nieuw",
        ],
        [
            "2024",
            "2",
            "P2",
            "PI Brugge",
            "10.02.2024",
            "30.06.2024",
            "Beëindigd",
            "",
            "",
        ],
        [
            "2024",
            "3",
            "P3",
            "gent",
            "01.03.2024",
            "15.04.2024",
            "Afgebroken",
            "Vrijgelaten",
            "",
        ],
    ]
}

/// Writes the CAW export: two title rows, an empty row, the header in row 4, `rows`, and a
/// totals row.
pub(crate) fn write_caw(path: &Path, headers: &[&str], rows: &[[&str; 9]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Export").unwrap();
    ws.write_string(0, 0, "Trajecten CAW - export").unwrap();
    ws.write_string(1, 0, "Extractiedatum: 15.01.2025").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 4;
        for (c, v) in row.iter().enumerate() {
            match (c, v.parse::<f64>()) {
                (0 | 1, Ok(n)) => ws.write_number(r, c as u16, n).unwrap(),
                _ if v.is_empty() => ws,
                _ => ws.write_string(r, c as u16, *v).unwrap(),
            };
        }
    }
    let total = rows.len() as u32 + 4;
    ws.write_string(total, 0, "Totaal").unwrap();
    ws.write_number(total, 1, rows.len() as f64).unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

/// Writes contract-layout rows as a one-sheet workbook (all cells text).
fn write_contract_xlsx(path: &Path, rows: &[[&str; 9]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("trajecten").unwrap();
    for (c, h) in TRAJ.trim().split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

/// A project folder with `plans/leveringen/` holding `files` (name, text).
fn profiles_dir(root: &Path, files: &[(&str, &str)]) -> PathBuf {
    let dir = root.join("plans").join("leveringen");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn profiles(dir: &Path) -> Profiles {
    read_profiles(dir, &prisons()).unwrap_or_else(|d| panic!("profiles:\n{d}"))
}

fn load(data: &Path, p: &Profiles) -> Result<Sources, Vec<String>> {
    load_sources(data, &prisons(), None, p).map_err(|d| d.iter().map(|d| d.to_string()).collect())
}

fn assert_has(lines: &[String], expected: &str) {
    assert!(
        lines.iter().any(|l| l == expected),
        "expected line\n  {expected}\nin\n  {}",
        lines.join("\n  ")
    );
}

fn trajecten_ids(s: &Sources) -> Vec<String> {
    use datafusion::arrow::array::{Array, AsArray};
    let b = &s.get(Source::Trajecten).expect("trajecten").batch;
    let a = b.column(0).as_string::<i32>();
    let mut ids: Vec<String> = (0..a.len()).map(|i| a.value(i).to_string()).collect();
    ids.sort();
    ids
}

/// Writes a contract-layout CSV delivery `name` (a path under `dir`) with `rows`.
fn deliver(dir: &Path, name: impl AsRef<Path>, rows: &[&str]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, csv(rows)).unwrap();
}

fn csv(rows: &[&str]) -> String {
    let mut s = TRAJ.to_string();
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// A data folder with `trajecten/caw-2024.csv` (T1) and `trajecten/cgg-2024.csv` (`cgg`).
fn caw_and_cgg(cgg: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("trajecten");
    deliver(
        &t,
        "caw-2024.csv",
        &["T1,P1,gent,CAW,welzijn,2024-01-05,,lopend,"],
    );
    deliver(&t, "cgg-2024.csv", cgg);
    (dir, t)
}

#[test]
fn a_folder_of_two_contract_files_reads_to_their_union() {
    let (dir, t) = caw_and_cgg(&[
        "T2,P2,brugge,CGG,gezondheid,2024-02-01,,lopend,",
        "T3,P3,gent,CGG,gezondheid,2024-03-01,,lopend,",
    ]);
    let s = load(dir.path(), &Profiles::default()).unwrap();
    assert_eq!(trajecten_ids(&s), ["T1", "T2", "T3"]);
    let f = s.get(Source::Trajecten).unwrap();
    assert_eq!(f.rows, 3);
    assert_eq!(f.path, t);
    let names: Vec<&str> = s.deliveries.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["trajecten/caw-2024.csv", "trajecten/cgg-2024.csv"]);
    assert_eq!(s.deliveries[1].rows, 2);
    assert_eq!(s.deliveries[1].supplier_text(), "CGG");
}

#[test]
fn a_duplicate_traject_id_across_files_names_both_files() {
    let (dir, _) = caw_and_cgg(&["T1,P2,brugge,CGG,gezondheid,2024-02-01,,lopend,"]);
    let errs = load(dir.path(), &Profiles::default()).expect_err("must fail");
    assert_has(
        &errs,
        "fout: trajecten/cgg-2024.csv: traject_id 'T1' komt ook voor in trajecten/caw-2024.csv: traject_id moet uniek zijn over alle leveringen van trajecten",
    );
}

#[test]
fn a_file_and_a_folder_for_one_source_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("trajecten")).unwrap();
    deliver(
        dir.path(),
        "trajecten/caw.csv",
        &["T1,P1,gent,CAW,welzijn,2024-01-05,,lopend,"],
    );
    deliver(
        dir.path(),
        "trajecten.csv",
        &["T2,P1,gent,CAW,welzijn,2024-01-05,,lopend,"],
    );
    let errs = load(dir.path(), &Profiles::default()).expect_err("must fail");
    assert!(
        errs.iter()
            .any(|e| e.contains("staat zowel als bestand als als map met leveringen")),
        "{errs:?}"
    );
}

#[test]
fn a_profiled_delivery_reads_to_exactly_its_contract_twin() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(&profiles_dir(
        dir.path(),
        &[("caw-trajecten.yaml", CAW_PROFILE)],
    ));
    let profiled = dir.path().join("profiled");
    write_caw(
        &profiled.join("trajecten/caw-2024.xlsx"),
        &CAW_HEADERS,
        &caw_rows(),
    );
    let twin = dir.path().join("twin");
    write_contract_xlsx(&twin.join("trajecten.xlsx"), &CONTRACT_ROWS);
    let a = load(&profiled, &p).unwrap();
    let b = load(&twin, &Profiles::default()).unwrap();
    assert_eq!(
        a.get(Source::Trajecten).unwrap().batch,
        b.get(Source::Trajecten).unwrap().batch
    );
    let d = &a.deliveries[0];
    assert_eq!(d.profile.as_deref(), Some("caw-trajecten"));
    assert_eq!(d.supplier_text(), "CAW");
    assert_eq!(d.rows, 3, "the totals row is dropped");
    assert_eq!(
        d.extracted,
        chrono::NaiveDate::from_ymd_opt(2025, 1, 15),
        "extraction date from A2"
    );
    // The column the profile does not use is named once.
    assert!(
        a.warnings.iter().any(|w| w.to_string()
            == "waarschuwing: trajecten/caw-2024.xlsx!Export!4:4: 1 kolom(men) die het leveringsprofiel caw-trajecten niet gebruikt, worden genegeerd: Opmerking"),
        "{}",
        a.warnings
    );
}

#[test]
fn profile_errors_name_file_cell_and_profile_line() {
    let dir = tempfile::tempdir().unwrap();
    let pdir = profiles_dir(dir.path(), &[("caw-trajecten.yaml", CAW_PROFILE)]);
    let p = profiles(&pdir);
    let prof = hdv::diagnostic::display_path(&pdir.join("caw-trajecten.yaml"));

    // An unmapped prison and a date in another form: both errors of the file at once.
    let data = dir.path().join("d1");
    let mut rows = caw_rows();
    rows[1][3] = "PI Antwerpen";
    rows[2][4] = "2024-03-01";
    write_caw(&data.join("trajecten/caw-2024.xlsx"), &CAW_HEADERS, &rows);
    let errs = load(&data, &p).expect_err("must fail");
    assert_has(
        &errs,
        &format!(
            "fout: trajecten/caw-2024.xlsx!Export!D6: 'PI Antwerpen' staat niet in de waardentabel van het leveringsprofiel caw-trajecten en is geen geldige waarde voor gevangenis (toegelaten: brugge, gent, haren); voeg de waarde toe onder `waarden:` → `gevangenis:` in {prof}:24 (1 cel met deze waarde: D6; in Vestiging)"
        ),
    );
    assert_has(
        &errs,
        &format!(
            "fout: trajecten/caw-2024.xlsx!Export!E7: '2024-03-01' heeft geen datumvorm van het leveringsprofiel caw-trajecten (toegelaten: dd.mm.yyyy); is dit de vorm van de levering, voeg ze dan toe aan `datumvormen` in {prof}:33"
        ),
    );
    assert_eq!(
        errs.iter().filter(|e| e.starts_with("fout:")).count(),
        2,
        "{errs:?}"
    );

    // A header the profile names is missing.
    let data = dir.path().join("d2");
    let mut headers = CAW_HEADERS;
    headers[7] = "Reden";
    write_caw(&data.join("trajecten/caw-2024.xlsx"), &headers, &caw_rows());
    let errs = load(&data, &p).expect_err("must fail");
    assert_has(
        &errs,
        &format!(
            "fout: trajecten/caw-2024.xlsx!Export!H4: kolomkop 'Reden stopzetting' (voor stopreden) ontbreekt in de kopregel (rij 4); de kolomkop hier, 'Reden', lijkt erop; gevonden kolomkoppen: Dossierjaar, Volgnr, Cliëntcode, Vestiging, Startdatum, Einddatum, Resultaat, Reden, Opmerking; pas het leveringsprofiel aan in {prof}:19"
        ),
    );

    // Two profiles match one file.
    let pdir2 = profiles_dir(
        &dir.path().join("p2"),
        &[
            ("caw-trajecten.yaml", CAW_PROFILE),
            (
                "caw-oud.yaml",
                "id: caw-oud\nbron: trajecten\nleverancier: CAW\nherkenning:\n  bestandsnaam: \"CAW-*\"\n",
            ),
        ],
    );
    let p2 = profiles(&pdir2);
    let data = dir.path().join("d3");
    write_caw(
        &data.join("trajecten/caw-2024.xlsx"),
        &CAW_HEADERS,
        &caw_rows(),
    );
    let errs = load(&data, &p2).expect_err("must fail");
    let oud = hdv::diagnostic::display_path(&pdir2.join("caw-oud.yaml"));
    let caw = hdv::diagnostic::display_path(&pdir2.join("caw-trajecten.yaml"));
    assert_has(
        &errs,
        &format!(
            "fout: trajecten/caw-2024.xlsx: het bestand past bij meer dan één leveringsprofiel: caw-oud ({oud}:4) en caw-trajecten ({caw}:5); maak de herkenning (bestandsnaam of kolommen) van één ervan strikter"
        ),
    );
}

/// The profile `slecht.yaml` with `text`, as shown in messages, and its findings.
fn profile_errors(root: &Path, text: &str) -> (String, Vec<String>) {
    let pdir = profiles_dir(root, &[("slecht.yaml", text)]);
    let shown = hdv::diagnostic::display_path(&pdir.join("slecht.yaml"));
    let errs = read_profiles(&pdir, &prisons())
        .expect_err("must fail")
        .iter()
        .map(|d| d.to_string())
        .collect();
    (shown, errs)
}

#[test]
fn profiles_are_validated_at_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = "id: slecht\nbron: trajecten\nleverancier: CAW\nherkenning:\n  bestandsnaam: \"x-*.csv\"\nkolommen:\n  dossier: Dossiernr\nwaarden:\n  afloop:\n    Klaar: klaar\ndatumvormen: [dd/mm/yy]\nonbekend: 1\n";
    let (shown, errs) = profile_errors(dir.path(), bad);
    // An unknown key stops the parse, with serde's position.
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with(&format!("fout: {shown}:12:1: ")),
        "{errs:?}"
    );

    let (shown, errs) =
        profile_errors(&dir.path().join("b"), bad.trim_end_matches("onbekend: 1\n"));
    assert_has(
        &errs,
        &format!(
            "fout: {shown}:7:3: `dossier` is geen kolom van bron trajecten (kolommen: traject_id, persoon_id, gevangenis, partner, domein, start, einde, afloop, stopreden)"
        ),
    );
    assert_has(
        &errs,
        &format!(
            "fout: {shown}:10:5: `klaar` is geen geldige waarde voor afloop (toegelaten: lopend, afgerond, voortijdig_gestopt)"
        ),
    );
    assert_has(
        &errs,
        &format!(
            "fout: {shown}:11:1: onbekende datumvorm `dd/mm/yy` (toegelaten: yyyy-mm-dd, d/m/yyyy, dd.mm.yyyy, dd-mm-yy, dd-mm-yyyy, excel)"
        ),
    );
    assert_eq!(errs.len(), 3, "{errs:?}");
}

/// A CSV profile whose deliveries carry their extraction date in the file name.
const CSV_PROFILE: &str = "id: caw-csv\nbron: trajecten\nleverancier: CAW\nherkenning:\n  bestandsnaam: \"caw-*.csv\"\nextractiedatum:\n  bestandsnaam: true\n";

#[test]
fn a_re_delivery_replaces_its_predecessor_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(&profiles_dir(
        dir.path(),
        &[
            ("caw-csv.yaml", CSV_PROFILE),
            (
                "verwacht.yaml",
                "- leverancier: CAW\n  bron: trajecten\n  jaren: 2023..2024\n",
            ),
        ],
    ));
    let t = dir.path().join("data/trajecten");
    std::fs::create_dir_all(&t).unwrap();
    deliver(
        &t,
        "caw-2024_2025-01-15.csv",
        &[
            "T1,P1,gent,CAW,welzijn,2024-01-05,,lopend,",
            "T2,P2,gent,CAW,welzijn,2024-02-05,,lopend,",
        ],
    );
    // The corrected delivery: T2 closed, T3 added.
    deliver(
        &t,
        "caw-2024_2025-03-01.csv",
        &[
            "T1,P1,gent,CAW,welzijn,2024-01-05,,lopend,",
            "T2,P2,gent,CAW,welzijn,2024-02-05,2024-05-01,afgerond,",
            "T3,P3,brugge,CAW,welzijn,2024-03-05,,lopend,",
        ],
    );
    let s = load(&dir.path().join("data"), &p).unwrap();
    assert_eq!(trajecten_ids(&s), ["T1", "T2", "T3"], "only the later rows");
    // Both deliveries cover CAW × 2024 × gent: the later one keeps that cell.
    assert_eq!(s.deliveries[0].replaced.len(), 1);
    assert_eq!(
        s.deliveries[0].replaced[0].by,
        "trajecten/caw-2024_2025-03-01.csv"
    );
    assert!(!s.deliveries[0].active());
    assert!(s.deliveries[1].active());
    assert!(
        s.warnings.iter().any(|w| w.to_string()
            == "waarschuwing: trajecten/caw-2024_2025-01-15.csv: herlevering: 2 rijen van deze levering worden niet gebruikt, vervangen door trajecten/caw-2024_2025-03-01.csv (getrokken op 1 maart 2025) voor CAW 2024: gent (2); geen enkele rij van deze levering wordt nog gebruikt"),
        "{}",
        s.warnings
    );
    // The completeness matrix: 2023 expected but missing, 2024 delivered after a re-delivery.
    assert_eq!(s.completeness.len(), 1);
    let cells: Vec<(i32, Delivered)> = s.completeness[0]
        .years
        .iter()
        .map(|c| (c.year, c.delivered))
        .collect();
    assert_eq!(
        cells,
        vec![
            (2023, Delivered::Missing),
            (
                2024,
                Delivered::Rows {
                    rows: 3,
                    replaced: true,
                    first_extracted: chrono::NaiveDate::from_ymd_opt(2025, 1, 15)
                }
            )
        ]
    );
    assert!(s.completeness[0].missing_in(2023));

    // A later delivery of Gent for 2023 and 2024 replaces the Gent rows of 2024 only:
    // Brugge's T3 stays.
    deliver(
        &t,
        "caw-2023-2024_2025-04-01.csv",
        &[
            "T9,P1,gent,CAW,welzijn,2023-01-05,,lopend,",
            "T10,P1,gent,CAW,welzijn,2024-01-05,,lopend,",
        ],
    );
    let s = load(&dir.path().join("data"), &p).unwrap();
    assert_eq!(trajecten_ids(&s), ["T10", "T3", "T9"]);
    // A delivery without extraction date that shares a cell is an error naming both files
    // and the cell.
    deliver(
        &t,
        "caw-gent.csv",
        &["T11,P1,gent,CAW,welzijn,2023-02-05,,lopend,"],
    );
    let errs = load(&dir.path().join("data"), &p).expect_err("must fail");
    assert_has(
        &errs,
        "fout: trajecten/caw-gent.csv: levert gegevens voor dezelfde cel als trajecten/caw-2023-2024_2025-04-01.csv (CAW 2023: gent), en niet beide zeggen wanneer ze getrokken zijn (extractiedatum), dus het is niet duidelijk welke de recentste is; geef beide leveringen een extractiedatum (de recentste vervangt dan de rijen van die cellen) of verwijder de oudste uit de map",
    );
}

#[test]
fn a_changed_delivery_re_parses_only_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(&profiles_dir(dir.path(), &[("caw-csv.yaml", CSV_PROFILE)]));
    let t = dir.path().join("data/trajecten");
    std::fs::create_dir_all(&t).unwrap();
    for (i, y) in [2022, 2023, 2024].iter().enumerate() {
        std::fs::write(
            t.join(format!("caw-{y}_{}-01-15.csv", y + 1)),
            csv(&[&format!("T{i},P1,gent,CAW,welzijn,{y}-01-05,,lopend,")]),
        )
        .unwrap();
    }
    let cache = Cache::new(dir.path().join("cache"));
    let entries = || -> Vec<(PathBuf, std::time::SystemTime)> {
        let mut v: Vec<_> = std::fs::read_dir(cache.dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .map(|p| {
                let m = std::fs::metadata(&p).unwrap().modified().unwrap();
                (p, m)
            })
            .collect();
        v.sort();
        v
    };
    let data = dir.path().join("data");
    load_sources(&data, &prisons(), Some(&cache), &p).unwrap();
    let before = entries();
    assert_eq!(before.len(), 3);
    std::thread::sleep(std::time::Duration::from_millis(20));
    // Unchanged: every delivery comes from the cache, nothing is written.
    load_sources(&data, &prisons(), Some(&cache), &p).unwrap();
    assert_eq!(entries(), before);
    // One corrected delivery: one new entry; the others untouched.
    deliver(
        &t,
        "caw-2023_2024-01-15.csv",
        &["T1,P1,brugge,CAW,welzijn,2023-01-05,,lopend,"],
    );
    let s = load_sources(&data, &prisons(), Some(&cache), &p).unwrap();
    let after = entries();
    assert_eq!(after.len(), 4);
    assert_eq!(
        after.iter().filter(|e| before.contains(e)).count(),
        3,
        "the three earlier entries are neither rewritten nor removed"
    );
    assert_eq!(s.get(Source::Trajecten).unwrap().rows, 3);
    // A changed profile for the source misses for its deliveries.
    let p2 = profiles(&profiles_dir(
        &dir.path().join("p2"),
        &[("caw-csv.yaml", &CSV_PROFILE.replace("CAW\n", "CAW \n"))],
    ));
    load_sources(&data, &prisons(), Some(&cache), &p2).unwrap();
    assert_eq!(entries().len(), 7);
}

/// A project (a copy of this one's model) expecting `expected` (verwacht.yaml), with the CAW
/// export as its only delivery.
fn caw_project(expected: &str) -> Project {
    let p = Project::new()
        .with_model()
        .file("plans/leveringen/caw-trajecten.yaml", CAW_PROFILE)
        .file("plans/leveringen/verwacht.yaml", expected);
    write_caw(
        &p.join("data/trajecten/caw-2024.xlsx"),
        &CAW_HEADERS,
        &caw_rows(),
    );
    p
}

#[test]
fn check_prints_the_register_the_completeness_matrix_and_late_deliveries() {
    // Due on 31 March of the following year; the run is on 1 January 2026. The optional
    // offer catalogue is listed without `verplicht: ja`: never missing.
    let stdout = caw_project(
        "- leverancier: CAW\n  bron: trajecten\n  jaren: 2023..2024\n  uiterlijk: 31-03\n- leverancier: ACSY\n  bron: aanbod\n  jaren: 2024\n",
    )
    .hdv(&["check"])
    .dated()
    .run()
    .success()
    .stdout;
    // The register: with the start of the delivery's hash (for accepted findings).
    let line = stdout
        .lines()
        .find(|l| l.contains("trajecten/caw-2024.xlsx"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        line.starts_with("  trajecten  CAW jaren 2024              3 rijen  trajecten/caw-2024.xlsx  (profiel caw-trajecten; getrokken 15/01/2025; sha256 ")
            && line.ends_with("; 2 cellen)"),
        "{line}"
    );
    assert!(
        stdout.contains(
            "  leverancier / bron             2023             2024\n  CAW / trajecten    ontbreekt (laat)                3\n  ACSY / aanbod                                      –\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("  1 verwachte levering(en) ontbreken"),
        "{stdout}"
    );
    // 2023 was due on 31-03-2024: 641 days before 1-1-2026. 2024 was extracted on
    // 15-01-2025, before its due date.
    assert!(
        stdout.contains("Te laat (peildatum 01/01/2026):\n  CAW / trajecten 2023: ontbreekt, 641 dagen na de termijn van 31/03/2024\n"),
        "{stdout}"
    );
}

#[test]
fn the_report_shows_the_matrix_and_marks_indicators_on_incomplete_deliveries() {
    let p = caw_project(
        "- leverancier: CAW\n  bron: trajecten\n  jaren: 2024\n- leverancier: CGG\n  bron: trajecten\n  jaren: 2023..2024\n  uiterlijk: 31-03\n",
    );
    let out_dir = p.join("uit");
    p.hdv(&[
        "report",
        "--year",
        "2024",
        "--format",
        "md,xlsx",
        "--out",
        out_dir.to_str().unwrap(),
    ])
    .dated()
    .run()
    .success();
    let md = std::fs::read_to_string(out_dir.join("2024/jaarrapport.md")).unwrap();
    // Late at the report's date, 1 January 2026: 2023 since 31-03-2024, 2024 since 31-03-2025.
    assert!(
        md.contains("| leverancier – bron | 2023 | 2024 |\n|---|---|---|\n| CAW – trajecten (individuele trajecten) |  | 3 rijen |\n| CGG – trajecten (individuele trajecten) | ontbreekt, 641 dagen te laat | ontbreekt, 276 dagen te laat |\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "- Te laat: CGG / trajecten 2024: ontbreekt, 276 dagen na de termijn van 31 maart 2025\n"
        ),
        "{md}"
    );
    // The register: the delivery with its cells.
    assert!(
        md.contains("| trajecten/caw-2024.xlsx | CAW | 15/01/2025 | 3 | 3 | CAW 2024: 2 gevangenissen (3 rijen) |  |  |\n"),
        "{md}"
    );
    // traject_uitval reads trajecten: marked in the quality section and in its own row.
    assert!(
        md.lines()
            .any(|l| l.starts_with("- Steunt op een onvolledige levering: ")
                && l.ends_with(": verwachte levering ontbreekt van CGG (trajecten)")),
        "{md}"
    );
    assert!(
        md.contains("(verwachte levering ontbreekt van CGG (trajecten)) |"),
        "{md}"
    );
    // The workbook has the matrix as a sheet.
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(out_dir.join("2024/jaarrapport.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Leveringen").unwrap();
    let cell = |r: u32, c: u32| {
        sheet
            .get_value((r, c))
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        [cell(0, 0), cell(0, 2), cell(0, 3)],
        ["leverancier", "2023", "2024"]
    );
    assert_eq!([cell(1, 0), cell(1, 3)], ["CAW", "3"]);
    assert_eq!([cell(2, 0), cell(2, 2)], ["CGG", "ontbreekt"]);
    // The register: one row per delivery and cell.
    let reg = wb.worksheet_range("Register").unwrap();
    let row = |r: u32| -> Vec<String> {
        (0..8)
            .map(|c| {
                reg.get_value((r, c))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    assert_eq!(
        row(1)[..7],
        [
            "trajecten/caw-2024.xlsx",
            "trajecten",
            "CAW",
            "2024",
            "brugge",
            "1",
            "gebruikt",
        ]
    );
    // The extraction date is a date cell (15 January 2025).
    assert!(matches!(
        reg.get_value((1, 7)),
        Some(calamine::Data::DateTime(d)) if d.as_f64() == 45672.0
    ));
    assert_eq!(row(2)[4..6], ["gent", "2"]);
}

#[test]
fn a_profiled_csv_names_the_line_and_the_partners_header() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(&profiles_dir(dir.path(), &[("caw-csv.yaml", CSV_PROFILE)]));
    let data = dir.path().join("data");
    deliver(
        &data,
        "trajecten/caw-2024_2025-01-15.csv",
        &["T1,P1,PI Gent,CAW,welzijn,2024-01-05,,lopend,"],
    );
    let errs = load(&data, &p).expect_err("must fail");
    assert!(
        errs.iter().any(|e| e.starts_with(
            "fout: trajecten/caw-2024_2025-01-15.csv:2, kolom gevangenis: 'PI Gent' staat niet in de waardentabel van het leveringsprofiel caw-csv"
        )),
        "{errs:?}"
    );
}
