//! `hdv query` and `hdv tables`: read-only, bound parameters, no file access, no pseudonyms.

use crate::common::{FIXTURE, Hdv, Run, hdv};

/// `hdv query args… --data <fixture> --no-cache`.
fn query(args: &[&str]) -> Run {
    Hdv::new(&["query"])
        .args(args)
        .args(["--data", FIXTURE, "--no-cache"])
        .run()
}

#[test]
fn every_kind_of_writing_statement_is_refused() {
    for (sql, expected) in [
        (
            "INSERT INTO detenties SELECT * FROM detenties",
            "het wijzigen van gegevens",
        ),
        ("DELETE FROM detenties", "het wijzigen van gegevens"),
        ("UPDATE middelen SET fte = 0", "het wijzigen van gegevens"),
        ("DROP TABLE detenties", "(DDL)"),
        ("CREATE TABLE x AS SELECT 1", "(DDL)"),
        ("CREATE VIEW v AS SELECT 1", "(DDL)"),
        (
            "CREATE EXTERNAL TABLE x STORED AS CSV LOCATION 'samples/'",
            "CREATE EXTERNAL TABLE",
        ),
        ("COPY detenties TO '/tmp/uit.csv'", "COPY"),
        ("SET datafusion.catalog.information_schema = false", "SET"),
        ("EXPLAIN SELECT 1", "EXPLAIN"),
        ("SELECT 1; DROP TABLE detenties", "precies één"),
    ] {
        let run = query(&[sql]).exits(2);
        assert!(run.stdout.is_empty());
        assert!(run.stderr.contains(expected), "{sql}: {}", run.stderr);
    }
}

#[test]
fn files_cannot_be_read_through_sql() {
    for sql in [
        "SELECT * FROM 'samples/middelen.xlsx'",
        "SELECT * FROM 'tests/fixtures/indicators/basis/middelen.csv'",
        "SELECT * FROM read_csv('tests/fixtures/indicators/basis/middelen.csv')",
    ] {
        query(&[sql]).exits(2);
    }
}

#[test]
fn hostile_parameter_values_stay_data() {
    let hostile = "x'); DROP TABLE detenties; --";
    let out = query(&[
        "SELECT COUNT(*) AS n FROM detenties WHERE gevangenis = $g OR gevangenis = $h",
        "--param",
        &format!("g={hostile}"),
        "--param",
        "h=gent",
        "--format",
        "csv",
    ])
    .success()
    .stdout;
    // Gent has three stays in the fixture (P1, P2, P3); the hostile value matches nothing.
    assert_eq!(out, "n\n3\n");
    let out = query(&[
        "SELECT $p AS p",
        "--param",
        &format!("p={hostile}"),
        "--format",
        "csv",
    ])
    .stdout;
    assert_eq!(out, format!("p\n{hostile}\n"));
}

#[test]
fn pseudonyms_are_never_printed_without_microdata() {
    let sql = "SELECT persoon_id, persoon_id AS wie, 'id:' || persoon_id AS tekst, gevangenis FROM detenties ORDER BY rij";
    let out = query(&[sql, "--format", "csv"]).success().stdout;
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0], "wie,tekst,gevangenis",
        "the persoon_id column is left out"
    );
    for l in &lines[1..] {
        for id in ["P1", "P2", "P3", "P4", "P5"] {
            assert!(!l.split([',', ':']).any(|f| f == id), "{id} printed: {l}");
        }
    }
    // The same person gets the same replacement within a run (joins keep working).
    assert_eq!(lines[1].split(',').next(), lines[2].split(',').next());
    let out = query(&[sql, "--format", "csv", "--microdata"]).stdout;
    assert!(
        out.starts_with("persoon_id,wie,tekst,gevangenis\nP1,P1,id:P1,brugge\n"),
        "{out}"
    );
}

#[test]
fn output_formats_and_tables() {
    let sql = "SELECT jaar, SUM(uitgaven_eur) AS euro FROM middelen GROUP BY jaar ORDER BY jaar";
    let out = query(&[sql, "--format", "jsonl"]).stdout;
    assert_eq!(
        out,
        "{\"jaar\":2024,\"euro\":330000.5}\n{\"jaar\":2025,\"euro\":80000}\n"
    );
    let out = query(&[sql]).stdout;
    assert!(out.ends_with("(2 rijen)\n"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("q.xlsx");
    query(&[
        "SELECT '=HYPERLINK(\"http://x\")' AS t, 1.5 AS n",
        "--format",
        "xlsx",
        "--out",
        f.to_str().unwrap(),
    ])
    .success();
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(&f).unwrap();
    let r = wb.worksheet_range("Resultaat").unwrap();
    assert_eq!(
        r.get((1, 0)),
        Some(&Data::String("=HYPERLINK(\"http://x\")".into()))
    );
    assert_eq!(r.get((1, 1)), Some(&Data::Float(1.5)));
    // Whole numbers as `#,##0` (a Dutch Excel shows `#,##0.###` on 2024 as "2.024,"), years as
    // `0`, dates as date cells shown 22/12/2023. (`--out` never replaces a file: a new one.)
    std::fs::remove_file(&f).unwrap();
    query(&[
        "SELECT 2024 AS jaar, 1234 AS aantal, 2.5 AS gemiddeld, DATE '2023-12-22' AS datum",
        "--format",
        "xlsx",
        "--out",
        f.to_str().unwrap(),
    ])
    .success();
    let mut wb: Xlsx<_> = open_workbook(&f).unwrap();
    let r = wb.worksheet_range("Resultaat").unwrap();
    assert_eq!(r.get((1, 0)), Some(&Data::Float(2024.0)));
    assert_eq!(r.get((1, 1)), Some(&Data::Float(1234.0)));
    assert!(
        matches!(r.get((1, 3)), Some(Data::DateTime(d)) if d.as_f64() == 45282.0),
        "{:?}",
        r.get((1, 3))
    );
    let look = crate::common::sheet_look(&f, "Resultaat");
    assert_eq!(look.formats["A2"], "0");
    assert_eq!(look.formats["B2"], "#,##0");
    assert_eq!(look.formats["C2"], "#,##0.###");
    assert_eq!(look.formats["D2"], "dd/mm/yyyy");
    let text = hdv(&["tables", "--data", FIXTURE, "--no-cache"]).stdout;
    for t in [
        "detenties",
        "jaren",
        "acties",
        "actie_status",
        "lokale_koppelingen",
    ] {
        assert!(text.lines().any(|l| l == t), "table {t} not listed");
    }
}
