//! Issue 14, parts 4-6: the feedback workbook per delivery file (`check --feedback`), the
//! delivery template (`hdv template`) and the checks across sources of `plans/controles.yaml`,
//! each on hand-made data.

use crate::common::{Hdv, ROOT, Run};
use calamine::{Data, Reader, Xlsx, open_workbook};
use hdv::checks::{Count, Outcome};
use std::io::Read;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const DET: &str = "persoon_id,gevangenis,begin,einde,reden_einde\n";
const DEEL: &str =
    "persoon_id,gevangenis,domein,partner,aanbod,start,einde,status,examen,geslaagd\n";
const TRAJ: &str = "traject_id,persoon_id,gevangenis,partner,domein,start,einde,afloop,stopreden\n";
const AANV: &str =
    "aanvraag_id,persoon_id,gevangenis,partner,dienst,aanvraag,start,afgesloten,afsluitreden\n";
const UITS: &str = "persoon_id,gevangenis,detentie_begin,vrijlating,lange_detentiegeschiedenis,werk_kwartaal_1,wederopsluiting,opvolging_tot,werk_kwartaal_2\n";

/// Clean data: every participation and trajectory during a stay in its prison, the request
/// in Ieper closed before Ieper closed (1-1-2022), the release matching a stay.
fn clean(dir: &Path) {
    write(
        dir,
        "detenties.csv",
        &format!(
            "{DET}P1,gent,2020-01-01,2022-06-30,vrijlating\nP2,ieper,2019-01-01,2021-12-31,overbrenging\nP2,brugge,2021-12-31,,\n"
        ),
    );
    write(
        dir,
        "deelname.csv",
        &format!("{DEEL}P1,gent,onderwijs,CVO,NT2,2021-01-10,2021-06-30,voltooid,ja,ja\n"),
    );
    write(
        dir,
        "trajecten.csv",
        &format!("{TRAJ}T1,P2,brugge,CAW,welzijn,2022-02-01,,lopend,\n"),
    );
    write(
        dir,
        "aanvragen.csv",
        &format!("{AANV}A1,P2,ieper,CAW,therapie,2021-03-01,,2021-12-31,overgebracht\n"),
    );
    write(
        dir,
        "uitstroom.csv",
        &format!("{UITS}P1,gent,2020-01-01,2022-06-30,nee,ja,,2024-06-30,\n"),
    );
}

/// The folder `data` under `dir` with the clean data of [`clean`].
fn clean_folder(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    clean(&data);
    data
}

/// Appends `lines` to the file `name` of `dir`.
fn append(dir: &Path, name: &str, lines: &str) {
    let mut text = std::fs::read_to_string(dir.join(name)).unwrap();
    text.push_str(lines);
    write(dir, name, &text);
}

/// Runs the project's checks on the data in `dir` with `reference` as `$peildatum`.
fn run_checks(dir: &Path, reference: &str) -> Vec<Outcome> {
    let model = hdv::model::load_model(Path::new(ROOT)).unwrap();
    let session = hdv::session::Session::new(ROOT, dir).unwrap();
    let inputs = session.load(model, None).unwrap();
    let rules = hdv::checks::load_rules(Path::new(ROOT)).unwrap();
    let reference = chrono::NaiveDate::parse_from_str(reference, "%Y-%m-%d").unwrap();
    session.check(&inputs, &rules, reference).unwrap()
}

fn outcome<'a>(all: &'a [Outcome], id: &str) -> &'a Outcome {
    all.iter().find(|o| o.id == id).unwrap()
}

fn count(prison: Option<&str>, partner: Option<&str>, year: Option<i32>, rows: usize) -> Count {
    Count {
        prison: prison.map(str::to_string),
        partner: partner.map(str::to_string),
        year,
        rows,
    }
}

#[test]
fn every_check_is_silent_on_clean_data() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    let all = run_checks(dir.path(), "2024-12-31");
    assert_eq!(all.len(), 5);
    for o in &all {
        assert!(o.missing.is_empty(), "{}", o.id);
        assert_eq!(o.counts, vec![], "{}", o.id);
    }
}

#[test]
fn participation_and_trajectories_outside_a_stay_are_counted_per_prison_and_partner() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    append(
        dir.path(),
        "deelname.csv",
        // In a prison P1 never stayed in; after P1's release from Gent; on the release day (still in).
        "P1,brugge,sport,Sportdienst,Fitness,2021-02-01,,lopend,,\n\
         P1,gent,werk,VDAB,Lasser,2023-01-01,2023-03-01,voltooid,,\n\
         P1,gent,werk,VDAB,Lasser,2022-06-30,2022-06-30,voltooid,,\n",
    );
    append(
        dir.path(),
        "trajecten.csv",
        // Before P2's first stay; in Ieper on the day of the transfer (the stay ends that day).
        "T2,P2,gent,CGG,gezondheid,2018-05-01,2018-06-01,afgerond,\n\
         T3,P2,ieper,CAW,welzijn,2021-12-31,,lopend,\n",
    );
    let all = run_checks(dir.path(), "2024-12-31");
    assert_eq!(
        outcome(&all, "deelname_zonder_verblijf").counts,
        vec![
            count(Some("brugge"), Some("Sportdienst"), Some(2021), 1),
            count(Some("gent"), Some("VDAB"), Some(2023), 1),
        ]
    );
    assert_eq!(
        outcome(&all, "traject_zonder_verblijf").counts,
        vec![count(Some("gent"), Some("CGG"), Some(2018), 1)]
    );
    let o = outcome(&all, "deelname_zonder_verblijf");
    assert_eq!(o.severity, hdv::diagnostic::Severity::Error);
    // The yearly report keeps the report year only.
    assert_eq!(o.clone().for_year(2023).total(), 1);
    assert_eq!(o.clone().for_year(2022).total(), 0);
}

#[test]
fn an_open_request_in_a_closed_prison_counts_at_the_reference_date_only() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    append(
        dir.path(),
        "aanvragen.csv",
        // Open in Ieper (closed from 2022-01-01); open in Haren before it opened (2022-09-01).
        "A2,P2,ieper,CGG,therapie,2021-06-01,,,\n\
         A3,P2,haren,VDAB,opleiding,2022-03-01,,,\n",
    );
    let rule = "open_aanvraag_in_gesloten_gevangenis";
    let at = |d: &str| outcome(&run_checks(dir.path(), d), rule).counts.clone();
    // On 31-12-2021 Ieper is open and A3 not yet filed.
    assert_eq!(at("2021-12-31"), vec![]);
    // On 1-6-2022 Ieper is closed and Haren not yet open.
    assert_eq!(
        at("2022-06-01"),
        vec![
            count(Some("haren"), Some("VDAB"), None, 1),
            count(Some("ieper"), Some("CGG"), None, 1),
        ]
    );
    // On 31-12-2024 Haren is open.
    assert_eq!(
        at("2024-12-31"),
        vec![count(Some("ieper"), Some("CGG"), None, 1)]
    );
}

#[test]
fn a_release_without_a_stay_ending_in_release_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    append(
        dir.path(),
        "uitstroom.csv",
        // P2 is still in Brugge; P1 left Gent on 30-6-2022, not 1-7-2022.
        "P2,brugge,2021-12-31,2023-05-01,ja,,,2024-06-30,\n\
         P1,gent,2020-01-01,2022-07-01,nee,,,2024-06-30,\n",
    );
    let all = run_checks(dir.path(), "2024-12-31");
    assert_eq!(
        outcome(&all, "vrijlating_zonder_verblijf").counts,
        vec![
            count(Some("brugge"), None, Some(2023), 1),
            count(Some("gent"), None, Some(2022), 1),
        ]
    );
}

/// `rows[i]` requests of partner `partner` in Gent in year `2018 + i`.
fn requests(partner: &str, rows: &[usize]) -> String {
    let mut s = String::new();
    for (i, n) in rows.iter().enumerate() {
        for k in 0..*n {
            s.push_str(&format!(
                "{partner}-{i}-{k},P9,gent,{partner},therapie,{}-03-01,{}-04-01,,\n",
                2018 + i,
                2018 + i
            ));
        }
    }
    s
}

#[test]
fn a_yearly_count_far_from_its_own_history_is_flagged_by_the_modified_z_score() {
    // Hand-worked: 40 44 42 40 42 10 has median 41, absolute deviations 1 3 1 1 1 31, MAD 1;
    // M(10) = 0.6745 × (10 − 41) / 1 = −20.9 (flagged), M(44) = 2.02 (not flagged).
    let z = hdv::checks::modified_z(&[40.0, 44.0, 42.0, 40.0, 42.0, 10.0]);
    assert!((z[5].unwrap() + 20.9095).abs() < 1e-3);
    assert!((z[1].unwrap() - 2.0235).abs() < 1e-3);
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    append(
        dir.path(),
        "aanvragen.csv",
        &format!(
            "{}{}{}",
            requests("VDAB", &[40, 44, 42, 40, 42, 10]),
            // No spread (MAD 0): no score, whatever the counts.
            requests("CGG", &[30, 30, 30, 30, 30, 30]),
            // Below a median of 20 rows a year: too small to judge.
            requests("CVO", &[5, 6, 5, 5, 6, 1]),
        ),
    );
    let all = run_checks(dir.path(), "2024-12-31");
    let o = outcome(&all, "rijen_per_partner_wijken_af");
    assert_eq!(o.severity, hdv::diagnostic::Severity::Warning);
    assert_eq!(
        o.counts,
        vec![count(Some("gent"), Some("VDAB"), Some(2023), 1)]
    );

    // The same partner with a year in line with its history: silent.
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    append(
        dir.path(),
        "aanvragen.csv",
        &requests("VDAB", &[40, 44, 42, 40, 42, 41]),
    );
    let all = run_checks(dir.path(), "2024-12-31");
    assert_eq!(outcome(&all, "rijen_per_partner_wijken_af").counts, vec![]);
}

#[test]
fn a_rule_without_its_sources_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    std::fs::remove_file(dir.path().join("uitstroom.csv")).unwrap();
    let all = run_checks(dir.path(), "2024-12-31");
    let o = outcome(&all, "vrijlating_zonder_verblijf");
    assert_eq!(o.missing, vec![hdv::contract::Source::Uitstroom]);
    assert_eq!(o.counts, vec![]);
}

#[test]
fn rules_are_validated_read_only_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    write(
        &dir.path().join("plans"),
        "controles.yaml",
        "- id: a\n  titel: A\n  melding: x\n  ernst: fout\n  bronnen: [deelname]\n  verantwoordelijk: deelname\n  sql: SELECT 1\n\
         - id: b\n  titel: B\n  melding: y\n  ernst: waarschuwing\n  bronnen: [gasten]\n  verantwoordelijk: gasten\n  sql: DELETE FROM deelname\n\
         - id: a\n  titel: A\n  melding: z\n  ernst: fout\n  bronnen: [deelname]\n  verantwoordelijk: detenties\n  kolom: start\n  sql: SELECT 2\n",
    );
    let e: Vec<String> = hdv::checks::load_rules(dir.path())
        .unwrap_err()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let file = dir
        .path()
        .join("plans/controles.yaml")
        .display()
        .to_string();
    assert!(
        e.contains(&format!(
            "fout: {file}:8: controle `b`: onbekende bron `gasten` in bronnen (mogelijk: detenties, deelname, trajecten, aanvragen, uitstroom, middelen, aanbod, oslo_aanbod, oslo_activiteiten, oslo_vte, oslo_financiering, oslo_populatie)"
        )),
        "{e:?}"
    );
    assert!(
        e.iter().any(|l| l.starts_with(&format!(
            "fout: {file}:8: controle `b`: geweigerd: het wijzigen van gegevens"
        ))),
        "{e:?}"
    );
    assert!(
        e.contains(&format!(
            "fout: {file}:15: controle `a` komt twee keer voor"
        )),
        "{e:?}"
    );
    // The answerable source is one of the rule's sources; the column one of its columns.
    assert!(
        e.contains(&format!(
            "fout: {file}:15: controle `a`: verantwoordelijk `detenties` is geen van de bronnen van de controle (deelname); noem de bron die antwoordt voor de gevonden rijen"
        )),
        "{e:?}"
    );
    assert!(
        e.contains(&format!(
            "fout: {file}:15: controle `a`: kolom `start` is geen kolom van bron detenties"
        )),
        "{e:?}"
    );
    // An unknown severity is a YAML error with its place.
    write(
        &dir.path().join("plans"),
        "controles.yaml",
        "- id: a\n  titel: A\n  melding: x\n  ernst: ernstig\n  bronnen: []\n  sql: SELECT 1\n",
    );
    let e = hdv::checks::load_rules(dir.path()).unwrap_err().to_string();
    assert!(e.contains("controles.yaml:4:"), "{e}");
}

/// `hdv check` on `data` with `args`.
fn check(data: &Path, args: &[&str]) -> Run {
    Hdv::new(&["check", "--no-cache", "--project", ROOT, "--data"])
        .arg(data)
        .args(args)
        .run()
}

#[test]
fn check_exits_1_when_a_check_across_sources_finds_errors_and_0_when_clean() {
    let dir = tempfile::tempdir().unwrap();
    clean(dir.path());
    let fb = tempfile::tempdir().unwrap();
    let out = check(dir.path(), &["--feedback", fb.path().to_str().unwrap()])
        .success()
        .stdout;
    assert!(
        out.contains(
            "Geen terugkoppeling voor partners: geen bevindingen over leveringsbestanden."
        ),
        "{out}"
    );
    assert_eq!(std::fs::read_dir(fb.path()).unwrap().count(), 0);
    assert!(
        out.contains("  deelname_zonder_verblijf               in orde\n"),
        "{out}"
    );
    assert!(out.contains("Geen fouten gevonden"), "{out}");
    append(
        dir.path(),
        "trajecten.csv",
        "T2,P2,gent,CGG,gezondheid,2018-05-01,2018-06-01,afgerond,\n",
    );
    let out = check(dir.path(), &[]).exits(1).stdout;
    assert!(
        out.contains("  traject_zonder_verblijf                fout: 1 rij(en): traject in een gevangenis waar de persoon op de startdatum niet verbleef\n      gent             CGG                1\n"),
        "{out}"
    );
    assert!(
        out.contains("1 controle(s) over de bronnen vinden fouten"),
        "{out}"
    );
    assert!(!out.contains("P2"), "no pseudonym in the output: {out}");
}

/// A `deelname` workbook with three bad cells in three rows.
fn bad_workbook(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("deelname").unwrap();
    for (c, col) in hdv::contract::Source::Deelname.columns().iter().enumerate() {
        ws.write_string(0, c as u16, col.name).unwrap();
    }
    // A bad date; an unknown prison code; an end before the start (a rule across columns).
    let rows = [
        "P1|gent|onderwijs|CVO|NT2|2021-01-10|2021-02-30|voltooid|ja|ja",
        "P2|Gent|onderwijs|CVO|NT2|2021-01-10|2021-02-01|voltooid||",
        "P3|gent|onderwijs|CVO|NT2|2021-01-10|2021-01-01|voltooid||",
    ];
    let rows: Vec<Vec<&str>> = rows.iter().map(|r| r.split('|').collect()).collect();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn read_sheet(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    // From A1, whatever the first used cell.
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut out = vec![Vec::new(); top as usize];
    for r in range.rows() {
        let mut row = vec![String::new(); left as usize];
        row.extend(r.iter().map(|c| match c {
            Data::Empty => String::new(),
            other => other.to_string(),
        }));
        out.push(row);
    }
    out
}

#[test]
fn the_feedback_workbook_lists_every_finding_per_delivery_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = clean_folder(dir.path());
    std::fs::remove_file(data.join("deelname.csv")).unwrap();
    bad_workbook(&data.join("deelname.xlsx"));
    // A file with a warning only (an unknown extra column) gets feedback too.
    write(
        &data,
        "trajecten.csv",
        &format!(
            "{}T1,P2,brugge,CAW,welzijn,2022-02-01,,lopend,,x\n",
            TRAJ.replace('\n', ",opmerking\n")
        ),
    );
    let fb = dir.path().join("terug");
    let run = check(&data, &["--feedback", fb.to_str().unwrap()]).exits(1);
    let (out, err) = (run.stdout, run.stderr);
    // The terminal still lists every finding, with today's messages.
    assert!(
        err.contains("fout: deelname.xlsx!deelname!G2: '2021-02-30' is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)"),
        "{err}"
    );
    let book = fb.join("deelname-terugkoppeling.xlsx");
    let warned = fb.join("trajecten-terugkoppeling.xlsx");
    assert!(out.contains("Terugkoppeling geschreven:"), "{out}");
    assert!(
        out.contains("deelname-terugkoppeling.xlsx  (3 fout(en), 0 waarschuwing(en))"),
        "{out}"
    );
    assert!(
        out.contains("trajecten-terugkoppeling.xlsx  (0 fout(en), 1 waarschuwing(en))"),
        "{out}"
    );
    // A delivery in the contract's layout: the contract's headers and codes are the partner's.
    let rows = read_sheet(&book, "Bevindingen");
    assert_eq!(
        rows[0],
        [
            "bestand",
            "werkblad",
            "cel",
            "kolom",
            "ernst",
            "waarde",
            "verwacht",
            "wat aanpassen"
        ]
    );
    assert_eq!(
        rows[1],
        [
            "deelname.xlsx",
            "deelname",
            "G2",
            "einde",
            "fout",
            "2021-02-30",
            "een datum: een datumcel, jjjj-mm-dd of d/m/jjjj",
            "einde: vervang '2021-02-30' door een datum: een datumcel, jjjj-mm-dd of d/m/jjjj.",
        ]
    );
    assert_eq!(
        rows[2][..6],
        [
            "deelname.xlsx",
            "deelname",
            "B3",
            "gevangenis",
            "fout",
            "Gent"
        ]
    );
    assert!(
        rows[2][6].starts_with("een van: antwerpen, beveren"),
        "{:?}",
        rows[2]
    );
    assert!(
        rows[2][7].starts_with("gevangenis: vervang 'Gent' door een van: antwerpen"),
        "{:?}",
        rows[2]
    );
    assert_eq!(
        rows[3],
        [
            "deelname.xlsx",
            "deelname",
            "G4",
            "einde",
            "fout",
            "2021-01-01",
            "een datum op of na start",
            "einde: '2021-01-01' past niet bij de rest van de rij (verwacht een datum op of na start); verbeter deze cel of de cel waarmee ze samenhangt.",
        ]
    );
    // Notes under the data, outside the table.
    assert!(
        rows.iter()
            .any(|r| r[0].starts_with("3 fout(en) en 0 waarschuwing(en) in deelname.xlsx"))
    );
    let rows = read_sheet(&warned, "Bevindingen");
    assert_eq!(
        rows[1][..5],
        ["trajecten.csv", "", "regel 1", "opmerking", "waarschuwing"]
    );
    assert!(
        rows[1][7].starts_with("Kolom 'opmerking' wordt niet gelezen"),
        "{:?}",
        rows[1]
    );
    // Nothing else in the folder: no temporary files left.
    let mut names: Vec<String> = std::fs::read_dir(&fb)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "deelname-terugkoppeling.xlsx",
            "trajecten-terugkoppeling.xlsx"
        ]
    );
}

#[test]
fn check_exits_2_when_the_feedback_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = clean_folder(dir.path());
    std::fs::remove_file(data.join("deelname.csv")).unwrap();
    bad_workbook(&data.join("deelname.xlsx"));
    let blocked = dir.path().join("bestand");
    std::fs::write(&blocked, "geen map").unwrap();
    check(&data, &["--feedback", blocked.to_str().unwrap()]).exits(2);
}

/// The parts of the xlsx at `path` named `name`, as text.
fn zip_part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// `hdv template args… --project <this project>`.
fn template(args: &[&str]) -> Run {
    Hdv::new(&["template"])
        .args(args)
        .args(["--project", ROOT])
        .run()
}

/// `hdv template trajecten --partner CAW` into `dir`; the path of the template.
fn caw_template(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("trajecten-caw.xlsx");
    let out = template(&[
        "trajecten",
        "--partner",
        "CAW",
        "--out",
        path.to_str().unwrap(),
    ])
    .success()
    .text();
    assert!(out.contains("Sjabloon voor trajecten geschreven"), "{out}");
    path
}

#[test]
fn the_template_has_the_contract_columns_drop_downs_and_date_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = caw_template(dir.path());
    let wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["trajecten", "Instructies", "Lijsten"]);
    let rows = read_sheet(&path, "trajecten");
    assert_eq!(
        rows[0],
        [
            "traject_id",
            "persoon_id",
            "gevangenis",
            "partner",
            "domein",
            "start",
            "einde",
            "afloop",
            "stopreden"
        ]
    );
    let sheet = zip_part(&path, "xl/worksheets/sheet1.xml");
    // One validation per column, each from row 2 to Excel's last row.
    assert_eq!(sheet.matches("<dataValidation ").count(), 9, "{sheet}");
    for (col, list) in [
        ("C", "C$2:$C$22"),
        ("D", "D$2:$D$2"),
        ("E", "E$2:$E$8"),
        ("H", "H$2:$H$4"),
        ("I", "I$2:$I$6"),
    ] {
        let at = sheet
            .find(&format!("sqref=\"{col}2:{col}1048576\""))
            .unwrap_or_else(|| panic!("{col}: {sheet}"));
        let rest = &sheet[at..];
        let formula = &rest[rest.find("<formula1>").unwrap()..rest.find("</formula1>").unwrap()];
        assert!(
            formula.ends_with(&format!("Lijsten!${list}")),
            "{col}: {formula}"
        );
        assert!(
            sheet[..at]
                .rsplit("<dataValidation ")
                .next()
                .unwrap()
                .contains("type=\"list\""),
            "{col}"
        );
    }
    // Dates: a date validation and a date format on the column.
    let at = sheet.find("sqref=\"F2:F1048576\"").unwrap();
    assert!(
        sheet[..at]
            .rsplit("<dataValidation ")
            .next()
            .unwrap()
            .contains("type=\"date\"")
    );
    let styles = zip_part(&path, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"dd/mm/yyyy\""), "{styles}");
    // The lists: the prisons of the plans, and only CAW as partner.
    let lists = read_sheet(&path, "Lijsten");
    assert_eq!(lists[0][2], "gevangenis");
    assert_eq!(lists[1][2], "antwerpen");
    assert_eq!(
        lists.iter().skip(1).filter(|r| !r[2].is_empty()).count(),
        21
    );
    assert_eq!(lists[1][3], "CAW");
    assert_eq!(lists.iter().skip(1).filter(|r| !r[3].is_empty()).count(), 1);
    assert!(
        zip_part(&path, "xl/workbook.xml")
            .contains("name=\"Lijsten\" sheetId=\"3\" state=\"hidden\"")
    );
    // The instructions: Dutch, required columns named.
    let help = read_sheet(&path, "Instructies");
    assert!(help[0][0].starts_with("Sjabloon voor de levering van individuele trajecten"));
    assert!(
        help.iter()
            .any(|r| r[0].contains("vul in de kolom partner altijd CAW in"))
    );
    assert!(
        help.iter()
            .any(|r| r[..2] == ["afloop".to_string(), "ja".to_string()])
    );
    assert!(
        help.iter()
            .any(|r| r[..2] == ["stopreden".to_string(), "nee".to_string()])
    );
}

/// Fills the first sheet of the template at `from` with `rows` (cells as `(column, value,
/// is_date)`; a date is an Excel serial number with the column's date style) into `to`.
fn fill(from: &Path, to: &Path, rows: &[Vec<(&str, &str, bool)>]) {
    let bytes = std::fs::read(from).unwrap();
    let sheet = zip_part(from, "xl/worksheets/sheet1.xml");
    // The date style of the column (`<col min="6" max="6" ... style="N"`).
    let style = {
        let at = sheet.find("<col min=\"6\"").unwrap();
        let rest = &sheet[at..];
        let s = &rest[rest.find("style=\"").unwrap() + 7..];
        s[..s.find('"').unwrap()].to_string()
    };
    let mut xml = String::new();
    for (i, row) in rows.iter().enumerate() {
        let r = i + 2;
        xml.push_str(&format!("<row r=\"{r}\">"));
        for (col, v, date) in row {
            if *date {
                xml.push_str(&format!("<c r=\"{col}{r}\" s=\"{style}\"><v>{v}</v></c>"));
            } else {
                xml.push_str(&format!(
                    "<c r=\"{col}{r}\" t=\"inlineStr\"><is><t>{v}</t></is></c>"
                ));
            }
        }
        xml.push_str("</row>");
    }
    use std::io::Write;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(data).unwrap();
            let text = text.replacen("</row></sheetData>", &format!("</row>{xml}</sheetData>"), 1);
            assert!(text.contains("r=\"A2\""), "rows inserted");
            data = text.into_bytes();
        }
        out.start_file(name.as_str(), opts).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn a_filled_template_reads_without_a_profile() {
    let dir = tempfile::tempdir().unwrap();
    let blank = caw_template(dir.path());
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    // 45000 = 2023-03-15, 45100 = 2023-06-23 (Excel serials).
    fill(
        &blank,
        &data.join("trajecten.xlsx"),
        &[
            vec![
                ("A", "T1", false),
                ("B", "P1", false),
                ("C", "gent", false),
                ("D", "CAW", false),
                ("E", "welzijn", false),
                ("F", "45000", true),
                ("G", "45100", true),
                ("H", "afgerond", false),
            ],
            vec![
                ("A", "T2", false),
                ("B", "P2", false),
                ("C", "brugge", false),
                ("D", "CAW", false),
                ("E", "wonen", false),
                ("F", "45100", true),
                ("H", "lopend", false),
            ],
        ],
    );
    let model = hdv::model::load_model(Path::new(ROOT)).unwrap();
    let session = hdv::session::Session::new(ROOT, &data).unwrap();
    let sources = session.load(model, None).unwrap().sources;
    let t = sources.get(hdv::contract::Source::Trajecten).unwrap();
    assert_eq!(t.rows, 2);
    assert!(sources.warnings.is_empty(), "{}", sources.warnings);
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Date32Type;
    let ids: Vec<_> = t
        .batch
        .column(0)
        .as_string::<i32>()
        .iter()
        .map(Option::unwrap)
        .collect();
    assert_eq!(ids, ["T1", "T2"]);
    let start = t.batch.column(5).as_primitive::<Date32Type>();
    assert_eq!(
        hdv::years::from_date32(start.value(0)).to_string(),
        "2023-03-15"
    );
    assert_eq!(
        hdv::years::from_date32(start.value(1)).to_string(),
        "2023-06-23"
    );
    assert!(t.batch.column(6).is_null(1));
}

#[test]
fn template_refuses_an_unknown_source_and_a_partner_for_a_source_without_partners() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xlsx");
    let msg = template(&["gasten", "--out", out.to_str().unwrap()])
        .exits(2)
        .text();
    assert!(msg.contains("onbekende bron 'gasten' (mogelijk: detenties, deelname, trajecten, aanvragen, uitstroom, middelen, aanbod)"), "{msg}");
    let msg = template(&[
        "detenties",
        "--partner",
        "CAW",
        "--out",
        out.to_str().unwrap(),
    ])
    .exits(2)
    .text();
    assert!(
        msg.contains("bron `detenties` heeft geen kolom partner"),
        "{msg}"
    );
    assert!(!out.exists());
    // Without a partner: a template for every source, each with its own sheet.
    for s in [
        "detenties",
        "deelname",
        "aanvragen",
        "uitstroom",
        "middelen",
    ] {
        let p = dir.path().join(format!("{s}.xlsx"));
        template(&[s, "--out", p.to_str().unwrap()]).success();
        let wb: Xlsx<_> = open_workbook(&p).unwrap();
        assert_eq!(wb.sheet_names()[0], s);
    }
}

#[test]
fn the_yearly_report_shows_the_checks_of_its_year_per_prison_and_partner() {
    let dir = tempfile::tempdir().unwrap();
    let data = clean_folder(dir.path());
    append(
        &data,
        "deelname.csv",
        "P1,brugge,sport,Sportdienst,Fitness,2021-02-01,,lopend,,\n\
         P1,brugge,sport,Sportdienst,Yoga,2021-03-01,,lopend,,\n\
         P1,gent,werk,VDAB,Lasser,2023-01-01,2023-03-01,voltooid,,\n",
    );
    let out = dir.path().join("out");
    Hdv::new(&[
        "report",
        "--year",
        "2021",
        "--no-cache",
        "--project",
        ROOT,
        "--data",
    ])
    .arg(&data)
    .arg("--out")
    .arg(&out)
    .run()
    .success();
    let md = std::fs::read_to_string(out.join("2021/jaarrapport.md")).unwrap();
    // The 2021 rows only (the 2023 participation is for the report of 2023); two rows are a
    // small count of registrations about persons, published as `<5`.
    assert!(
        md.contains("| Deelname zonder verblijf | fout | brugge | Sportdienst | <5 |\n| Traject zonder verblijf | fout | – | – | 0 (in orde) |\n"),
        "{md}"
    );
    assert!(!md.contains("| gent | VDAB |"), "{md}");
    assert!(md.contains("- Deelname zonder verblijf: deelname aan het groepsaanbod in een gevangenis waar de persoon op de startdatum niet verbleef\n"));
    let html = std::fs::read_to_string(out.join("2021/jaarrapport.html")).unwrap();
    assert!(
        html.contains("<tr><td>Deelname zonder verblijf</td><td>fout</td><td>brugge</td><td>Sportdienst</td><td class=\"num\">&lt;5</td></tr>"),
        "{html}"
    );
    let mut wb: Xlsx<_> = open_workbook(out.join("2021/jaarrapport.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Controles").unwrap();
    let row = sheet
        .rows()
        .find(|r| {
            r[0] == Data::String("Deelname zonder verblijf".into())
                && r[2] == Data::String("brugge".into())
        })
        .expect("a row for Brugge");
    // Two rows: a small count of registrations about persons, its mark as text.
    assert_eq!(row[4], Data::String("<5".into()));
    for p in ["P1", "P2"] {
        assert!(
            !md.contains(p) && !html.contains(&format!(">{p}<")),
            "no pseudonym"
        );
    }
}

#[test]
fn the_feedback_lists_every_finding_past_the_terminal_bound_of_50() {
    // 60 participations with an impossible start date: 60 errors in one file.
    let dir = tempfile::tempdir().unwrap();
    let data = clean_folder(dir.path());
    let bad: String = (0..60)
        .map(|i| format!("Q{i},gent,onderwijs,CVO,NT2,2021-02-30,,lopend,,\n"))
        .collect();
    append(&data, "deelname.csv", &bad);
    // Without --feedback: the first 50, then a line counting the other 10.
    let err = check(&data, &[]).exits(1).stderr;
    assert_eq!(err.matches("is geen geldige datum").count(), 50, "{err}");
    assert!(
        err.contains("… en nog 10 fouten in dit bestand (alleen de eerste 50 worden getoond)"),
        "{err}"
    );
    // With --feedback: all 60 in the workbook, one row each, no counting line.
    let fb = dir.path().join("terug");
    let out = check(&data, &["--feedback", fb.to_str().unwrap()])
        .exits(1)
        .stdout;
    assert!(
        out.contains("deelname-terugkoppeling.xlsx  (60 fout(en), 0 waarschuwing(en))"),
        "{out}"
    );
    let rows = read_sheet(&fb.join("deelname-terugkoppeling.xlsx"), "Bevindingen");
    let dates: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.get(5).map(String::as_str) == Some("2021-02-30"))
        .collect();
    assert_eq!(dates.len(), 60);
    // Every row of the file named once: data rows 3 to 62 (row 2 is the clean one).
    let cells: std::collections::BTreeSet<&str> = dates.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(cells.len(), 60);
    assert!(!rows.iter().flatten().any(|c| c.contains("en nog")));
}
