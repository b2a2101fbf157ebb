//! An approved year (issue 29, item 6): `hdv approve --year 2024` records the deliveries and
//! the published figures in `plans/goedkeuringen/2024.yaml`; a later report says which
//! approval it follows and lists every figure a changed delivery moved (approved, new, the
//! delivery); approving again records the revision with its reason; answers cite it.

use crate::common::Project;
use crate::redeliveries::write_part;
use calamine::Data;

/// Excel serial day of 15 April 2026, after the samples' extraction date (31 March 2026).
const APRIL_15: f64 = 46127.0;

/// A correction of CAW's Gent rows of 2024: every finished trajectory becomes a dropout.
fn dropped_out(row: &mut [Data]) {
    if row[5] == Data::String("Beëindigd".into()) {
        row[5] = Data::String("Afgebroken".into());
    }
}

fn ledger(p: &Project) -> String {
    std::fs::read_to_string(p.join("plans/goedkeuringen/2024.yaml")).unwrap()
}

/// The jsonl total of `traject_uitval` in 2024.
fn uitval(p: &Project) -> f64 {
    let out = p
        .hdv(&[
            "eval",
            "--year",
            "2024",
            "--indicator",
            "traject_uitval",
            "--format",
            "jsonl",
        ])
        .run()
        .success()
        .stdout;
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["dims"], serde_json::json!({}));
    first["value"].as_f64().unwrap()
}

#[test]
fn an_approved_year_records_its_figures_and_revisions_with_their_reason() {
    let p = Project::new().with_model().with_data("samples");
    let run = p
        .hdv(&["approve", "--year", "2024"])
        .dated()
        .run()
        .success();
    assert!(
        run.stdout
            .starts_with("Cijfers van 2024 goedgekeurd (versie 1): "),
        "{}",
        run.stdout
    );
    let v1 = ledger(&p);
    // The deliveries the figures rest on: file, hash, rows in use, extraction date; those of
    // later years only are not among them.
    assert!(
        v1.contains(
            "  - versie: 1\n    datum: \"2026-01-01\"\n    reden: \"eerste goedkeuring\"\n"
        ),
        "{v1}"
    );
    let caw = v1
        .lines()
        .find(|l| l.contains("\"trajecten/caw-2024.xlsx\""))
        .expect("the CAW delivery of 2024");
    assert!(
        caw.contains("rijen: 611, extractiedatum: \"2026-03-31\" }") && caw.contains("sha256: \""),
        "{caw}"
    );
    assert!(!v1.contains("caw-2025.xlsx"), "{v1}");
    // The published figure: the value of the yearly report.
    let before = uitval(&p);
    assert!(
        v1.contains(&format!(
            "- {{ indicator: \"traject_uitval\", uitsplitsing: \"\", waarde: {before} }}"
        )),
        "{v1}"
    );
    // A suppressed figure is recorded by its mark.
    assert!(v1.contains("teken: \""), "{v1}");
    // The report follows it; nothing differs.
    let md = p.report_md_2024();
    assert!(
        md.contains("Dit rapport volgt de goedkeuring van de cijfers, versie 1 van 1 januari 2026 (eerste goedkeuring; ")
            && md.contains("Alle cijfers zijn gelijk aan de goedgekeurde."),
        "{md}"
    );
    // Approving again without a change records nothing.
    let again = p
        .hdv(&["approve", "--year", "2024"])
        .dated()
        .run()
        .success();
    assert!(
        again
            .stdout
            .contains("ongewijzigd sinds de goedkeuring (versie 1"),
        "{}",
        again.stdout
    );
    assert_eq!(ledger(&p), v1);

    // CAW re-delivers Gent for 2024: finished trajectories become dropouts.
    write_part(
        &p.data().join("trajecten/caw-2024-gent.xlsx"),
        |v| v == "PI Gent" || v == "Gevangenis van Gent",
        Some(APRIL_15),
        dropped_out,
    );
    let after = uitval(&p);
    assert!(after > before, "{before} → {after}");
    let md = p.report_md_2024();
    assert!(md.contains("Sindsdien wijken "), "{md}");
    let row = md
        .lines()
        .find(|l| l.starts_with("| Voortijdig gestopte trajecten | totaal |"))
        .unwrap_or_else(|| panic!("a revision of traject_uitval in\n{md}"));
    let pct = |v: f64| format!("{} %", format!("{v:.1}").replace('.', ","));
    assert!(
        row.contains(&format!("| {} | {} |", pct(before), pct(after)))
            && row.contains("trajecten/caw-2024-gent.xlsx")
            && row.contains("trajecten/caw-2024.xlsx"),
        "{row}"
    );
    assert!(
        md.contains("- trajecten/caw-2024-gent.xlsx: nieuw sinds de goedkeuring")
            && md.contains("- trajecten/caw-2024.xlsx: gewijzigd sinds de goedkeuring"),
        "{md}"
    );
    // A revision needs its reason.
    let refused = p.hdv(&["approve", "--year", "2024"]).dated().run().exits(2);
    assert!(
        refused
            .stderr
            .contains("de cijfers van 2024 wijken af van de goedkeuring (versie 1)")
            && refused
                .stderr
                .contains("geef met --reden waarom ze herzien worden"),
        "{}",
        refused.stderr
    );
    p.hdv(&[
        "approve",
        "--year",
        "2024",
        "--reden",
        "herlevering CAW Gent: afgebroken trajecten",
    ])
    .dated()
    .run()
    .success();
    let v2 = ledger(&p);
    assert!(
        v2.starts_with(&v1[..v1.find("    cijfers:").unwrap()]),
        "version 1 kept"
    );
    assert!(
        v2.contains("  - versie: 2\n    datum: \"2026-01-01\"\n    reden: \"herlevering CAW Gent: afgebroken trajecten\"\n    herzieningen:\n"),
        "{v2}"
    );
    assert!(
        v2.contains(&format!(
            "- {{ indicator: \"traject_uitval\", uitsplitsing: \"\", goedgekeurd: \"{before}\", nieuw: \"{after}\", leveringen: [\"trajecten/caw-2024-gent.xlsx\", \"trajecten/caw-2024.xlsx\"] }}"
        )),
        "{v2}"
    );
    let md = p.report_md_2024();
    assert!(
        md.contains("versie 2 van 1 januari 2026 (herlevering CAW Gent: afgebroken trajecten; ")
            && md.contains("Alle cijfers zijn gelijk aan de goedgekeurde."),
        "{md}"
    );
    // An answer cites the approval its figures rest on.
    let out = p.join("antw");
    p.hdv(&[
        "answer",
        "uitval_per_partner",
        "--year",
        "2023..2024",
        "--out",
        out.to_str().unwrap(),
    ])
    .dated()
    .run()
    .success();
    let answer = std::fs::read_to_string(out.join("uitval_per_partner_2023-2024.md")).unwrap();
    assert!(
        answer.contains("Cijfers van 2024: goedkeuring versie 2 van 1 januari 2026 (")
            && answer.contains("Nog niet goedgekeurd: 2023"),
        "{answer}"
    );
}
