//! Feedback partners can act on (issue 29, item 2): the workbook of a profiled delivery in
//! the partner's headers and words, gaps in the profile for the steward (one line per value),
//! and rows found by a check across sources as rows of the answerable delivery's workbook.

use crate::common::Project;
use crate::deliveries::{CAW_HEADERS, CAW_PROFILE, caw_rows, write_caw};
use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;

/// Every row of `sheet` in the workbook at `path`, cells as text.
fn rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A project with the fixture's CAW profile (its value table lacks `PI Antwerpen`) and the
/// CAW export with `rows` as its only delivery.
fn caw(rows: &[[&str; 9]]) -> Project {
    let p = Project::new()
        .with_model()
        .file("plans/leveringen/caw-trajecten.yaml", CAW_PROFILE);
    write_caw(&p.join("data/trajecten/caw-2024.xlsx"), &CAW_HEADERS, rows);
    p
}

/// Words that must not reach a partner: the contract's column names and codes where the CAW
/// layout has its own words, the profile's id and the project's paths.
const NOT_FOR_PARTNERS: [&str; 10] = [
    "persoon_id",
    "traject_id",
    "afloop",
    "stopreden",
    "voortijdig_gestopt",
    "op_vraag_gedetineerde",
    "caw-trajecten",
    "plans/",
    "trajecten.yaml",
    "leveringsprofiel",
];

fn assert_partner_words(rows: &[Vec<String>]) {
    for cell in rows.iter().flatten() {
        for w in cell
            .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '/' && c != '.' && c != '-')
        {
            assert!(
                !NOT_FOR_PARTNERS.contains(&w) && w != "gent" && w != "brugge",
                "`{w}` in a partner's cell: {cell}"
            );
        }
        assert!(!cell.contains("plans/"), "{cell}");
    }
}

#[test]
fn a_profiled_deliverys_feedback_uses_only_the_partners_headers_and_words() {
    let mut rows = caw_rows();
    // Row 5: no client code (required). Row 6: a prison the value table lacks (a gap in the
    // profile). Row 7: a date in another form.
    rows[0][2] = "";
    rows[1][3] = "PI Antwerpen";
    rows[2][4] = "2024-03-01";
    // Row 8: the end before the start. Row 9: an end without an outcome (their empty cell is
    // "lopend"). Rows 10-11: the missing prison again.
    rows.push([
        "2024",
        "4",
        "P4",
        "PI Brugge",
        "10.02.2024",
        "01.02.2024",
        "Beëindigd",
        "",
        "",
    ]);
    rows.push([
        "2024",
        "5",
        "P5",
        "PI Brugge",
        "10.02.2024",
        "01.03.2024",
        "",
        "",
        "",
    ]);
    for n in ["6", "7"] {
        rows.push([
            "2024",
            n,
            "P6",
            "PI Antwerpen",
            "10.02.2024",
            "",
            "",
            "",
            "",
        ]);
    }
    let p = caw(&rows);
    let fb = p.join("terug");
    let run = p
        .hdv(&["check", "--feedback", fb.to_str().unwrap()])
        .dated()
        .run()
        .exits(1);
    // The steward: the gap once, with its count and first cells.
    let gap: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("PI Antwerpen"))
        .collect();
    assert_eq!(gap.len(), 1, "{}", run.stderr);
    assert!(
        gap[0].starts_with("fout: trajecten/caw-2024.xlsx!Export!D6: 'PI Antwerpen' staat niet in de waardentabel van het leveringsprofiel caw-trajecten")
            && gap[0].ends_with("(3 cellen met deze waarde: D6, D10, D11; in Vestiging)"),
        "{}",
        gap[0]
    );
    assert!(
        run.stdout.contains(
            "terug/trajecten/caw-2024-terugkoppeling.xlsx  (4 fout(en), 0 waarschuwing(en))"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Voor de gegevensbeheerder (niet voor de partners): "),
        "{}",
        run.stdout
    );
    let partner = rows_of(&fb.join("trajecten/caw-2024-terugkoppeling.xlsx"));
    assert_eq!(
        partner[0],
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
        partner[1],
        [
            "caw-2024.xlsx",
            "Export",
            "C5",
            "Cliëntcode",
            "fout",
            "",
            "tekst (hoogstens 32.767 tekens) (verplicht)",
            "Vul Cliëntcode in: deze kolom mag niet leeg zijn."
        ]
    );
    assert_eq!(
        partner[2],
        [
            "caw-2024.xlsx",
            "Export",
            "E7",
            "Startdatum",
            "fout",
            "2024-03-01",
            "een datum: dd.mm.jjjj (bv. 31.01.2024)",
            "Startdatum: vervang '2024-03-01' door een datum: dd.mm.jjjj (bv. 31.01.2024)."
        ]
    );
    assert_eq!(
        partner[3][2..],
        [
            "F8",
            "Einddatum",
            "fout",
            "01.02.2024",
            "een datum op of na Startdatum",
            "Einddatum: '01.02.2024' past niet bij de rest van de rij (verwacht een datum op of na Startdatum); verbeter deze cel of de cel waarmee ze samenhangt."
        ]
    );
    assert_eq!(
        partner[4][2..7],
        [
            "G9",
            "Resultaat",
            "fout",
            "",
            "leeg als Einddatum leeg is, anders Beëindigd of Afgebroken"
        ]
    );
    // Nothing else: the gap and the ignored column are the steward's.
    assert!(partner[5].iter().all(|c| c.is_empty()), "{:?}", partner[5]);
    assert_partner_words(&partner);
    let steward = rows_of(&fb.join("gegevensbeheerder.xlsx"));
    let gap_rows: Vec<&Vec<String>> = steward
        .iter()
        .filter(|r| r.iter().any(|c| c.contains("PI Antwerpen")))
        .collect();
    assert_eq!(gap_rows.len(), 1, "{steward:?}");
    assert!(
        steward
            .iter()
            .any(|r| r.iter().any(|c| c.contains("worden genegeerd: Opmerking"))),
        "{steward:?}"
    );
}

fn rows_of(path: &Path) -> Vec<Vec<String>> {
    let sheet = if path.ends_with("gegevensbeheerder.xlsx") {
        "Beheerder"
    } else {
        "Bevindingen"
    };
    rows(path, sheet)
}

#[test]
fn a_profile_gap_is_one_steward_line_per_value_and_no_partner_row() {
    let mut rows = caw_rows();
    rows[0][3] = "PI Antwerpen";
    rows[1][3] = "PI Antwerpen";
    rows[2][3] = "Gevangenis Haren";
    let p = caw(&rows);
    let fb = p.join("terug");
    let run = p
        .hdv(&["check", "--feedback", fb.to_str().unwrap()])
        .run()
        .exits(1);
    assert_eq!(run.stderr.matches("'PI Antwerpen' staat niet").count(), 1);
    assert_eq!(
        run.stderr.matches("'Gevangenis Haren' staat niet").count(),
        1
    );
    assert!(
        run.stderr
            .contains("(2 cellen met deze waarde: D5, D6; in Vestiging)")
            && run
                .stderr
                .contains("(1 cel met deze waarde: D7; in Vestiging)"),
        "{}",
        run.stderr
    );
    // No workbook for the partner: nothing they must change.
    assert!(!fb.join("trajecten").exists());
    assert!(
        run.stdout.contains("Geen terugkoppeling voor partners"),
        "{}",
        run.stdout
    );
    let steward = rows_of(&fb.join("gegevensbeheerder.xlsx"));
    assert_eq!(
        steward
            .iter()
            .filter(|r| r
                .iter()
                .any(|c| c.contains("staat niet in de waardentabel")))
            .count(),
        2
    );
}

#[test]
fn rows_found_across_sources_are_rows_of_the_answerable_deliverys_workbook() {
    // P1 stayed in Gent when its trajectory started; P2 (Brugge, row 6) and P3 (Gent, row 7)
    // have no stay: two trajectories without a stay, answered for by the CAW export.
    let p = caw(&caw_rows()).file(
        "data/detenties.csv",
        "persoon_id,gevangenis,begin,einde,reden_einde\nP1,gent,2023-06-01,,\n",
    );
    let fb = p.join("terug");
    let run = p
        .hdv(&["check", "--feedback", fb.to_str().unwrap()])
        .run()
        .exits(1);
    assert!(
        run.stdout
            .contains("traject_zonder_verblijf                fout: 2 rij(en)"),
        "{}",
        run.stdout
    );
    let partner = rows_of(&fb.join("trajecten/caw-2024-terugkoppeling.xlsx"));
    let found: Vec<&Vec<String>> = partner
        .iter()
        .filter(|r| {
            r.get(7)
                .is_some_and(|a| a.starts_with("Traject zonder verblijf: "))
        })
        .collect();
    assert_eq!(found.len(), 2, "{partner:?}");
    assert_eq!(
        found[0][..5],
        ["caw-2024.xlsx", "Export", "E6", "Startdatum", "fout"]
    );
    assert_eq!(found[1][2], "E7");
    assert_eq!(
        found[0][7],
        "Traject zonder verblijf: het traject start op een dag waarop de cliënt volgens de detentiegegevens niet in die gevangenis verbleef; kijk de gevangenis en de startdatum na"
    );
    assert_partner_words(&partner);
    // The stays' file gets no rows of it.
    assert!(!fb.join("detenties-terugkoppeling.xlsx").exists());
}
