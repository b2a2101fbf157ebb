//! The corpus of broken and hostile inputs (issue 8): each case runs the real binary
//! (`hdv check`) and expects one clear Dutch message at the right place, exit code 2, no
//! panic. The rules of DATA.md broken one by one are in `tests/it/load.rs`; this file holds the
//! workbook oddities, the size limits and the broken model (YAML and indicator SQL).

use rust_xlsxwriter::{Format, Formula, Workbook};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A copy of the project's model (plans and indicators) to break, and an empty data folder.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["plans", "indicators"] {
            crate::common::copy_tree(&Path::new(ROOT).join(sub), &dir.path().join(sub), false);
        }
        std::fs::create_dir(dir.path().join("data")).unwrap();
        Project { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Replaces the first `from` in the project file `rel` by `to`; returns the text before
    /// and after.
    fn edit(&self, rel: &str, from: &str, to: &str) -> (String, String) {
        let f = self.path(rel);
        let before = std::fs::read_to_string(&f).unwrap();
        let after = before.replacen(from, to, 1);
        assert_ne!(before, after, "{rel} holds no `{from}`");
        std::fs::write(&f, &after).unwrap();
        (before, after)
    }

    /// The hand-worked fixture data (small CSVs) as the data folder.
    fn with_fixture_data(self) -> Self {
        crate::common::copy_tree(
            &Path::new(ROOT).join("tests/fixtures/indicators/basis"),
            &self.path("data"),
            false,
        );
        self
    }

    /// `hdv check` on this project: exit code and stderr.
    fn check(&self, env: &[(&str, &str)]) -> (i32, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_hdv"))
            .args(["check", "--no-cache", "--project"])
            .arg(self.dir.path())
            .arg("--data")
            .arg(self.path("data"))
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!err.contains("panicked"), "panic: {err}");
        (out.status.code().unwrap_or(-1), err)
    }

    /// Runs `hdv check` and asserts it fails with `expected` in its messages.
    fn fails_with(&self, expected: &[&str]) -> String {
        self.fails_with_env(&[], expected)
    }

    fn fails_with_env(&self, env: &[(&str, &str)], expected: &[&str]) -> String {
        let (code, err) = self.check(env);
        assert_eq!(code, 2, "exit code; stderr:\n{err}");
        for e in expected {
            assert!(err.contains(e), "expected\n  {e}\nin\n{err}");
        }
        err
    }
}

fn detenties_header(ws: &mut rust_xlsxwriter::Worksheet) {
    for (c, h) in ["persoon_id", "gevangenis", "begin", "einde", "reden_einde"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// Workbooks

#[test]
fn a_password_protected_workbook_is_named_as_such() {
    // A real encrypted workbook (ECMA-376 agile encryption, password "geheim"), made once with
    // openpyxl and msoffcrypto-tool; see tests/corpus/README.md.
    let p = Project::new();
    std::fs::copy(
        Path::new(ROOT).join("tests/corpus/wachtwoord.xlsx"),
        p.path("data/detenties.xlsx"),
    )
    .unwrap();
    p.fails_with(&["detenties.xlsx: het bestand is met een wachtwoord beveiligd"]);
}

#[test]
fn a_cell_reference_that_makes_the_reader_overflow_is_an_error_not_a_crash() {
    // Found by the `xlsx` fuzz target: a cell reference with so many column letters that
    // calamine's arithmetic overflows (a panic where overflow checks are on, as in this test
    // build). The file is reported as unreadable; the run does not crash.
    let p = Project::new();
    std::fs::copy(
        Path::new(ROOT).join("tests/corpus/celverwijzing-overloop.xlsx"),
        p.path("data/deelname.xlsx"),
    )
    .unwrap();
    let err = p.fails_with(&["deelname.xlsx"]);
    assert!(!err.contains("interne fout"), "{err}");
    if cfg!(debug_assertions) {
        assert!(err.contains("de lezer loopt vast op de inhoud"), "{err}");
    }
}

#[test]
fn formulas_hidden_rows_and_dates_as_formulas_are_read_by_their_value() {
    let p = Project::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string(1, 0, "P1").unwrap();
    ws.write_string(1, 1, "gent").unwrap();
    // A formula with its value computed by Excel (45292 = 2024-01-01): the value counts.
    ws.write_formula_with_format(
        1,
        2,
        Formula::new("=DATE(2024,1,1)").set_result("45292"),
        &date,
    )
    .unwrap();
    // A hidden row is a registration like any other.
    ws.write_string(2, 0, "P2").unwrap();
    ws.write_string(2, 1, "brugge").unwrap();
    ws.write_string(2, 2, "2024-02-01").unwrap();
    ws.set_row_hidden(2).unwrap();
    wb.save(p.path("data/detenties.xlsx")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hdv"))
        .args(["query", "--no-cache", "--project"])
        .arg(p.dir.path())
        .arg("--data")
        .arg(p.path("data"))
        .args([
            "--format",
            "csv",
            "SELECT gevangenis, CAST(begin AS VARCHAR) AS begin FROM detenties ORDER BY rij",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "gevangenis,begin\ngent,2024-01-01\nbrugge,2024-02-01\n"
    );
}

/// Rewrites every part of a zip with `edit` applied to its text (parts stored unpacked).
fn rewrite_zip(bytes: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut text = String::new();
        part.read_to_string(&mut text).unwrap();
        out.start_file(name.as_str(), stored).unwrap();
        out.write_all(edit(&name, text).as_bytes()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn a_formula_without_a_computed_value_is_named_by_cell() {
    // Tools that write workbooks without computing them leave a formula without its value.
    let p = Project::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    ws.write_string(1, 0, "P1").unwrap();
    ws.write_string(1, 1, "gent").unwrap();
    ws.write_formula(1, 2, Formula::new("=DATE(2024,1,1)"))
        .unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let bytes = rewrite_zip(&bytes, |name, text| {
        if name == "xl/worksheets/sheet1.xml" {
            let without = text.replace("</f><v>0</v>", "</f>");
            assert_ne!(without, text, "the formula's value is removed");
            without
        } else {
            text
        }
    });
    std::fs::write(p.path("data/detenties.xlsx"), bytes).unwrap();
    p.fails_with(&[
        "detenties.xlsx!detenties!C2: formule zonder berekende waarde",
        "detenties.xlsx!detenties!C2: verplichte waarde ontbreekt in kolom 'begin'",
    ]);
}

#[test]
fn error_cells_and_merged_cells_are_named_by_cell() {
    let p = Project::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    ws.write_string(1, 0, "P1").unwrap();
    ws.write_string(1, 1, "gent").unwrap();
    ws.write_formula(1, 2, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    // B3:B4 merged: only B3 holds "brugge"; B4 is empty for the reader.
    ws.merge_range(2, 1, 3, 1, "brugge", &Format::new())
        .unwrap();
    for r in [2, 3] {
        ws.write_string(r, 0, format!("P{r}")).unwrap();
        ws.write_string(r, 2, "2024-03-01").unwrap();
    }
    wb.save(p.path("data/detenties.xlsx")).unwrap();
    let err = p.fails_with(&[
        "detenties.xlsx!detenties!C2: bevat de foutwaarde '#DIV/0!'",
        "detenties.xlsx!detenties!B4: verplichte waarde ontbreekt in kolom 'gevangenis'",
        "detenties.xlsx!detenties!B3:B4: samengevoegde cellen",
    ]);
    assert!(!err.contains("!B3: "), "B3 holds the merged value: {err}");
}

#[test]
fn a_cell_in_the_last_row_and_column_costs_no_memory() {
    // The sheet's used range is A1:XFD1048576 (17 billion cells): reading it as a dense
    // range would exhaust memory. Only filled cells count.
    let p = Project::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    for (c, v) in ["P1", "gent", "2024-01-01"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_string(1_048_575, 0, "P9").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(p.path("data/detenties.xlsx")).unwrap();
    p.fails_with(&[
        "detenties.xlsx!detenties!B1048576: verplichte waarde ontbreekt in kolom 'gevangenis'",
        "detenties.xlsx!detenties!C1048576: verplichte waarde ontbreekt in kolom 'begin'",
    ]);
}

#[test]
fn a_full_sheet_of_1048576_rows_reports_the_first_errors_and_a_count() {
    let p = Project::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    // Every row lacks gevangenis and begin: two errors per row, 2,097,150 in all.
    for r in 1..1_048_576u32 {
        ws.write_string(r, 0, "P").unwrap();
    }
    wb.save(p.path("data/detenties.xlsx")).unwrap();
    let err = p.fails_with(&[
        "detenties.xlsx!detenties!B2: verplichte waarde ontbreekt in kolom 'gevangenis'",
        "… en nog 2097100 fouten in dit bestand (alleen de eerste 50 worden getoond)",
    ]);
    assert!(
        err.lines().count() < 60,
        "capped: {} lines",
        err.lines().count()
    );
}

/// Sets the declared unpacked size of the zip part `name` to `size`, in its local header and
/// in the central directory (what a crafted zip bomb does to slip past a check of the sizes).
fn lie_about_size(zip: &mut [u8], name: &str, size: u32) {
    let u16_at = |b: &[u8], i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as usize;
    let mut patched = 0;
    for i in 0..zip.len().saturating_sub(46) {
        let sig = &zip[i..i + 4];
        let (size_at, name_len_at, name_at) = if sig == [0x50, 0x4b, 0x01, 0x02] {
            (24, 28, 46) // central directory entry
        } else if sig == [0x50, 0x4b, 0x03, 0x04] {
            (22, 26, 30) // local file header
        } else {
            continue;
        };
        let len = u16_at(zip, i + name_len_at);
        if zip.get(i + name_at..i + name_at + len) == Some(name.as_bytes()) {
            zip[i + size_at..i + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "{name}: local header and directory entry");
}

#[test]
fn a_workbook_whose_declared_sizes_lie_is_refused() {
    let p = Project::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    for r in 1..=2000u32 {
        ws.write_string(r, 0, format!("P{r}")).unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_string(r, 2, "2024-01-01").unwrap();
    }
    let mut bytes = wb.save_to_buffer().unwrap();
    lie_about_size(&mut bytes, "xl/worksheets/sheet1.xml", 100);
    std::fs::write(p.path("data/detenties.xlsx"), bytes).unwrap();
    // The zip reader stops at the declared size: the sheet is refused, not unpacked further.
    p.fails_with(&[
        "detenties.xlsx!detenties: het werkblad kan niet gelezen worden: beschadigd of afgekapt?",
        "larger than its declared uncompressed size",
    ]);
}

#[test]
fn the_cell_limit_says_which_limit_and_how_to_raise_it() {
    let p = Project::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    for r in 1..=400u32 {
        ws.write_string(r, 0, format!("P{r}")).unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_string(r, 2, "2024-01-01").unwrap();
    }
    wb.save(p.path("data/detenties.xlsx")).unwrap();
    p.fails_with_env(
        &[("HDV_MAX_CELLS", "1000")],
        &[
            "detenties.xlsx!detenties: het werkblad telt meer dan 1000 gevulde cellen",
            "HDV_MAX_CELLS",
        ],
    );
    // The same file within the default limit is valid.
    let (code, err) = p.check(&[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_truncated_workbook_and_random_bytes() {
    let p = Project::new();
    let mut wb = Workbook::new();
    detenties_header(wb.add_worksheet());
    let bytes = wb.save_to_buffer().unwrap();
    std::fs::write(p.path("data/detenties.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(p.path("data/deelname.xlsx"), b"dit is geen werkmap").unwrap();
    p.fails_with(&[
        "detenties.xlsx: het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden: beschadigd of afgekapt?",
        "deelname.xlsx: het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden",
    ]);
}

// ---------------------------------------------------------------------------------------
// The model: YAML and indicator SQL

#[test]
fn an_unknown_key_in_an_indicator_names_file_line_and_column() {
    let p = Project::new();
    p.edit(
        "indicators/gedetineerden.yaml",
        "eenheid: personen\n",
        "eenheid: personen\nkleur: rood\n",
    );
    p.fails_with(&["gedetineerden.yaml:7:1: ongeldige YAML: onbekend veld `kleur`"]);
}

#[test]
fn a_wrong_type_in_the_plan_names_file_line_and_column() {
    let p = Project::new();
    let target = "- {code: gent, naam: Gevangenis Gent}";
    let (text, _) = p.edit(
        "plans/gevangenissen.yaml",
        target,
        "- {code: gent, naam: Gevangenis Gent, open_vanaf: [2020]}",
    );
    let line = text.lines().position(|l| l == target).unwrap() + 1;
    p.fails_with(&[
        &format!("gevangenissen.yaml:{line}:"),
        "ongeldige YAML: ",
        "ongeldig type",
    ]);
}

#[test]
fn two_indicators_with_one_id() {
    let p = Project::new();
    std::fs::copy(
        p.path("indicators/gedetineerden.yaml"),
        p.path("indicators/gedetineerden-kopie.yaml"),
    )
    .unwrap();
    let err = p.fails_with(&["indicator-id `gedetineerden` komt meer dan eens voor (ook in "]);
    // Both files are named: the one in the location, the other in the message.
    assert!(err.contains("gedetineerden-kopie.yaml"), "{err}");
    assert!(err.contains("gedetineerden.yaml"), "{err}");
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    // "Billion laughs": nine levels of nine aliases expand to 9^9 strings.
    let p = Project::new();
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let (prev, next) = (w[0], w[1]);
        bomb.push_str(&format!(
            "{next}: &{next} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    std::fs::write(p.path("indicators/bom.yaml"), bomb).unwrap();
    p.fails_with(&["bom.yaml", "ongeldige YAML"]);
}

#[test]
fn indicator_sql_that_does_not_parse_points_at_its_line() {
    let p = Project::new().with_fixture_data();
    // The third SQL line gets a syntax error.
    let (text, _) = p.edit(
        "indicators/gedetineerden.yaml",
        "  p AS (\n",
        "  p AS (( SELEKT\n",
    );
    let sql_start = text.lines().position(|l| l.starts_with("sql:")).unwrap() + 2;
    let line = text.lines().position(|l| l == "  p AS (").unwrap() + 1;
    assert!(line >= sql_start);
    p.fails_with(&[&format!(
        "gedetineerden.yaml:{line}: indicator `gedetineerden`: de SQL kan niet gepland worden"
    )]);
}

#[test]
fn indicator_sql_naming_an_unknown_column_points_at_its_line() {
    let p = Project::new().with_fixture_data();
    let (_, broken) = p.edit(
        "indicators/gedetineerden.yaml",
        "d.persoon_id, d.gevangenis",
        "d.persoon_id, d.gevangenisnaam",
    );
    let line = broken
        .lines()
        .position(|l| l.contains("d.gevangenisnaam"))
        .unwrap()
        + 1;
    p.fails_with(&[
        &format!(
            "gedetineerden.yaml:{line}: indicator `gedetineerden`: de SQL kan niet gepland worden"
        ),
        "gevangenisnaam",
    ]);
}
