//! The corpus of broken and hostile inputs (issue 8): each case runs the real binary
//! (`hdv check`) and expects one clear Dutch message at the right place, exit code 1 (the
//! inputs have findings), no panic. The rules of DATA.md broken one by one are in `tests/it/load.rs`; this file holds the
//! workbook oddities, the size limits and the broken model (YAML and indicator SQL).

use crate::common::{FIXTURE, Hdv, Project, ROOT, Run};
use rust_xlsxwriter::{Format, Formula, Workbook};
use std::path::Path;
use std::process::Command;

/// A copy of the project's model (plans, indicators, templates) to break, and an empty data
/// folder.
fn project() -> Project {
    Project::new().with_model().dir("data")
}

/// What the corpus expects of `hdv check` on a project: no panic, and exit code 1 with the
/// expected messages, or 0.
impl Project {
    /// `hdv check` on this project, with the environment variables `env`.
    fn check(&self, env: &[(&str, &str)]) -> Run {
        env.iter()
            .fold(self.hdv(&["check"]), |c, (k, v)| c.env(k, v))
            .run()
            .no_panic()
    }

    /// Runs `hdv check` and asserts it fails with `expected` in its messages.
    fn fails_with(&self, expected: &[&str]) -> String {
        self.fails_with_env(&[], expected)
    }

    fn fails_with_env(&self, env: &[(&str, &str)], expected: &[&str]) -> String {
        let err = self.check(env).exits(1).stderr;
        for e in expected {
            assert!(err.contains(e), "expected\n  {e}\nin\n{err}");
        }
        err
    }

    /// `hdv check` must pass; its stderr.
    fn passes(&self) -> String {
        self.check(&[]).success().stderr
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
    let p = project();
    std::fs::copy(
        Path::new(ROOT).join("tests/corpus/wachtwoord.xlsx"),
        p.join("data/detenties.xlsx"),
    )
    .unwrap();
    p.fails_with(&["detenties.xlsx: het bestand is met een wachtwoord beveiligd"]);
}

#[test]
fn a_cell_reference_that_makes_the_reader_overflow_is_an_error_not_a_crash() {
    // Found by the `xlsx` fuzz target: a cell reference with so many column letters that
    // calamine's arithmetic overflows (a panic where overflow checks are on, as in this test
    // build). The file is reported as unreadable; the run does not crash.
    let p = project();
    std::fs::copy(
        Path::new(ROOT).join("tests/corpus/celverwijzing-overloop.xlsx"),
        p.join("data/deelname.xlsx"),
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
    let p = project();
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
    wb.save(p.join("data/detenties.xlsx")).unwrap();
    let out = p
        .hdv(&[
            "query",
            "--format",
            "csv",
            "SELECT gevangenis, CAST(begin AS VARCHAR) AS begin FROM detenties ORDER BY rij",
        ])
        .run()
        .success();
    assert_eq!(
        out.stdout,
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
    let p = project();
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
    std::fs::write(p.join("data/detenties.xlsx"), bytes).unwrap();
    p.fails_with(&[
        "detenties.xlsx!detenties!C2: formule zonder berekende waarde",
        "detenties.xlsx!detenties!C2: verplichte waarde ontbreekt in kolom 'begin'",
    ]);
}

#[test]
fn error_cells_and_merged_cells_are_named_by_cell() {
    let p = project();
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
    wb.save(p.join("data/detenties.xlsx")).unwrap();
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
    let p = project();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    for (c, v) in ["P1", "gent", "2024-01-01"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    ws.write_string(1_048_575, 0, "P9").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(p.join("data/detenties.xlsx")).unwrap();
    p.fails_with(&[
        "detenties.xlsx!detenties!B1048576: verplichte waarde ontbreekt in kolom 'gevangenis'",
        "detenties.xlsx!detenties!C1048576: verplichte waarde ontbreekt in kolom 'begin'",
    ]);
}

#[test]
fn a_full_sheet_of_1048576_rows_reports_the_first_errors_and_a_count() {
    let p = project();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    // Every row lacks gevangenis and begin: two errors per row, 2,097,150 in all.
    for r in 1..1_048_576u32 {
        ws.write_string(r, 0, "P").unwrap();
    }
    wb.save(p.join("data/detenties.xlsx")).unwrap();
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
    let p = project();
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
    std::fs::write(p.join("data/detenties.xlsx"), bytes).unwrap();
    // The zip reader stops at the declared size: the sheet is refused, not unpacked further.
    p.fails_with(&[
        "detenties.xlsx!detenties: het werkblad kan niet gelezen worden: beschadigd of afgekapt?",
        "larger than its declared uncompressed size",
    ]);
}

#[test]
fn the_cell_limit_says_which_limit_and_how_to_raise_it() {
    let p = project();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    for r in 1..=400u32 {
        ws.write_string(r, 0, format!("P{r}")).unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_string(r, 2, "2024-01-01").unwrap();
    }
    wb.save(p.join("data/detenties.xlsx")).unwrap();
    p.fails_with_env(
        &[("HDV_MAX_CELLS", "1000")],
        &[
            "detenties.xlsx!detenties: het werkblad telt meer dan 1000 gevulde cellen",
            "HDV_MAX_CELLS",
        ],
    );
    // The same file within the default limit is valid.
    p.check(&[]).success();
}

#[test]
fn a_truncated_workbook_and_random_bytes() {
    let p = project();
    let mut wb = Workbook::new();
    detenties_header(wb.add_worksheet());
    let bytes = wb.save_to_buffer().unwrap();
    std::fs::write(p.join("data/detenties.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(p.join("data/deelname.xlsx"), b"dit is geen werkmap").unwrap();
    p.fails_with(&[
        "detenties.xlsx: het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden: beschadigd of afgekapt?",
        "deelname.xlsx: het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden",
    ]);
}

// ---------------------------------------------------------------------------------------
// The model: YAML and indicator SQL

#[test]
fn an_unknown_key_in_an_indicator_names_file_line_and_column() {
    let p = project();
    p.edit(
        "indicators/gedetineerden.yaml",
        "eenheid: personen\n",
        "eenheid: personen\nkleur: rood\n",
    );
    p.fails_with(&["gedetineerden.yaml:7:1: ongeldige YAML: onbekend veld `kleur`"]);
}

#[test]
fn a_wrong_type_in_the_plan_names_file_line_and_column() {
    let p = project();
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
    let p = project();
    std::fs::copy(
        p.join("indicators/gedetineerden.yaml"),
        p.join("indicators/gedetineerden-kopie.yaml"),
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
    let p = project();
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
    std::fs::write(p.join("indicators/bom.yaml"), bomb).unwrap();
    p.fails_with(&["bom.yaml", "ongeldige YAML"]);
}

#[test]
fn indicator_sql_that_does_not_parse_points_at_its_line() {
    let p = project().with_data(FIXTURE);
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
    let p = project().with_data(FIXTURE);
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

// ---------------------------------------------------------------------------------------
// Hostile inputs, second round (issue 15)

const DETENTIES: &str = "persoon_id,gevangenis,begin,einde,reden_einde\n";

/// Runs `cmd` and returns its exit code and peak resident memory in MB (of that child only).
/// Linux counts the image the child was forked from too, so this errs on the high side.
#[allow(clippy::zombie_processes)] // reaped by wait4, which also gives its resource use
fn peak_rss_mb(mut cmd: Command) -> (i32, u64, String) {
    use std::process::Stdio;
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    // Read stderr first (a full pipe would block the child), then reap it with wait4, which
    // gives the resource use of exactly this child.
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.unwrap(), &mut stderr).unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, usage.ru_maxrss as u64 / 1024, stderr)
}

/// The bound on peak memory stated in the README for hostile inputs at the default limits.
const MEMORY_BOUND_MB: u64 = 1024;

#[test]
fn a_csv_quote_that_is_never_closed_is_an_error_at_its_line() {
    let p = project();
    let mut csv = String::from(DETENTIES);
    csv.push_str("P1,gent,2024-01-01,,\n\"zie griffie,gent,2024-01-01,,\n");
    for r in 3..50 {
        csv.push_str(&format!("P{r},gent,2024-01-01,,\n"));
    }
    p.write("data/detenties.csv", csv);
    p.fails_with(&[
        "detenties.csv:3: een cel begint met een aanhalingsteken (\") dat nergens gesloten wordt",
    ]);
}

#[test]
fn a_csv_cell_over_several_lines_is_read_with_a_warning() {
    // Two stray quotes: the rows between them become one cell. Read, but never silently.
    let p = project();
    p.write(
        "data/detenties.csv",
        format!(
            "{DETENTIES}P1,gent,2024-01-01,,\n\"P2,gent,2024-01-01,,\nP3\",gent,2024-01-01,,\n"
        ),
    );
    let err = p.passes();
    assert!(
        err.contains("detenties.csv:3: een cel tussen aanhalingstekens loopt over meerdere regels (tot regel 4)"),
        "{err}"
    );
}

#[test]
fn time_only_cells_serial_zero_and_early_dates_are_errors_naming_the_cell() {
    let p = project();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    let time = Format::new().set_num_format("h:mm");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let rows: [(&str, f64, &Format); 4] = [
        ("P1", 0.5, &time),
        ("P2", 0.0, &date),
        ("P3", -3.0, &date),
        ("P4", 45292.0, &date),
    ];
    for (r, (id, v, f)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_number_with_format(r, 2, *v, f).unwrap();
    }
    // Text dates long before any registration.
    for (r, text) in [(5, "1850-03-01"), (6, "1/1/0001")] {
        ws.write_string(r, 0, format!("P{r}")).unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_string(r, 2, text).unwrap();
    }
    wb.save(p.join("data/detenties.xlsx")).unwrap();
    let err = p.fails_with(&[
        "detenties.xlsx!detenties!C2: '12:00' is een tijdstip zonder datum",
        "detenties.xlsx!detenties!C3: '0' is geen geldige datum",
        "detenties.xlsx!detenties!C4: '-3' is geen geldige datum",
        "detenties.xlsx!detenties!C6: '1850-03-01' ligt voor 1950: geen geloofwaardige datum",
        "HDV_MIN_YEAR",
        "detenties.xlsx!detenties!C7: '1/1/0001' ligt voor 1950",
    ]);
    assert!(!err.contains("!C5:"), "2024-01-01 is a good date: {err}");
    // The bound is configurable: with 1800, 1850 passes (year 1 still does not).
    let err = p.check(&[("HDV_MIN_YEAR", "1800")]).exits(1).stderr;
    assert!(!err.contains("!C6:"), "{err}");
    assert!(err.contains("!C7: '1/1/0001' ligt voor 1800"), "{err}");
}

#[test]
fn spending_that_could_overflow_is_an_error_naming_the_cell() {
    let p = project();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("middelen").unwrap();
    for (c, h) in [
        "jaar",
        "gevangenis",
        "partner",
        "domein",
        "fte",
        "uitgaven_eur",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=2u32 {
        ws.write_number(r, 0, 2024.0).unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_string(r, 2, "CAW").unwrap();
        ws.write_string(r, 3, "welzijn").unwrap();
        ws.write_number(r, 4, 1.0).unwrap();
        ws.write_number(r, 5, 1e308).unwrap();
    }
    wb.save(p.join("data/middelen.xlsx")).unwrap();
    p.fails_with(&[
        "middelen.xlsx!middelen!F2: '1e308' is te groot",
        "middelen.xlsx!middelen!F3: '1e308' is te groot",
    ]);
    // As text in a CSV (no exponent, so digits only).
    std::fs::remove_file(p.join("data/middelen.xlsx")).unwrap();
    p.write(
        "data/middelen.csv",
        format!(
            "jaar,gevangenis,partner,domein,fte,uitgaven_eur\n2024,gent,CAW,welzijn,1,1{}\n",
            "0".repeat(20)
        ),
    );
    p.fails_with(&["middelen.csv:2: '100000000000000000000' is te groot"]);
}

#[test]
fn invisible_characters_are_stripped_with_a_warning_showing_them_escaped() {
    let p = project();
    p.write(
        "data/detenties.csv",
        "persoon_id,gevangenis,\u{FEFF}begin,einde,reden_einde\nP1,gent\u{200B},2024-01-01,,\nP\u{0}2,gent,2024-01-01,,\n",
    );
    let err = p.passes();
    for expected in [
        "waarschuwing: detenties.csv:1: onzichtbare tekens verwijderd uit de kolomkop '\\u{FEFF}begin' (gelezen als 'begin')",
        "waarschuwing: detenties.csv:2: onzichtbare tekens verwijderd uit de waarde 'gent\\u{200B}' (gelezen als 'gent')",
        "waarschuwing: detenties.csv:3: onzichtbare tekens verwijderd uit de waarde 'P\\02' (gelezen als 'P2')",
    ] {
        assert!(err.contains(expected), "expected\n  {expected}\nin\n{err}");
    }
    assert!(!err.contains("onbekende kolom"), "{err}");
    // A value that stays wrong is shown as it is, escaped.
    p.write(
        "data/detenties.csv",
        format!("{DETENTIES}P1,ge\tnt,2024-01-01,,\n"),
    );
    p.fails_with(&["detenties.csv:2: 'ge\\tnt' is geen gekende gevangeniscode"]);
}

#[cfg(unix)]
#[test]
fn links_folders_and_special_files_named_like_a_source_are_errors() {
    let p = project();
    std::os::unix::fs::symlink(p.join("nergens.xlsx"), p.join("data/detenties.xlsx")).unwrap();
    std::fs::create_dir(p.join("data/deelname.xlsx")).unwrap();
    // A link to a file whose first line would be echoed as an unknown column.
    p.write("geheim.txt", "root:x:0:0:geheim\n");
    std::os::unix::fs::symlink(p.join("geheim.txt"), p.join("data/trajecten.csv")).unwrap();
    let fifo = std::ffi::CString::new(p.join("data/aanvragen.csv").to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let err = p.fails_with(&[
        "detenties.xlsx: bron `detenties`: is een symbolische koppeling",
        "deelname.xlsx: bron `deelname`: is een map, geen bestand",
        "trajecten.csv: bron `trajecten`: is een symbolische koppeling",
        "aanvragen.csv: bron `aanvragen`: is geen gewoon bestand",
    ]);
    assert!(
        !err.contains("geheim"),
        "the link's target is not read: {err}"
    );
}

#[test]
fn the_shared_string_table_is_limited_in_count_and_in_its_declared_count() {
    let p = project();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    for r in 1..=200u32 {
        ws.write_string(r, 0, format!("P{r}")).unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_string(r, 2, "2024-01-01").unwrap();
    }
    let bytes = wb.save_to_buffer().unwrap();
    std::fs::write(p.join("data/detenties.xlsx"), &bytes).unwrap();
    p.fails_with_env(
        &[("HDV_MAX_SHARED_STRINGS", "100")],
        &[
            "detenties.xlsx: de tabel met gedeelde teksten van de werkmap telt meer dan 100 teksten",
            "HDV_MAX_SHARED_STRINGS",
        ],
    );
    p.fails_with_env(
        &[("HDV_MAX_SHARED_STRINGS_MB", "0")],
        &["HDV_MAX_SHARED_STRINGS_MB"],
    );
    p.passes();
    // calamine reserves memory for the count the table declares: a lie is refused first.
    let lying = rewrite_zip(&bytes, |name, text| {
        if name == "xl/sharedStrings.xml" {
            let re = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = re + text[re..].find('"').unwrap();
            format!("{}4000000000{}", &text[..re], &text[end..])
        } else {
            text
        }
    });
    std::fs::write(p.join("data/detenties.xlsx"), lying).unwrap();
    p.fails_with(&["telt meer dan 5000000 teksten (4000000000)"]);
}

#[test]
fn warnings_are_capped_and_counted_per_file() {
    let p = project();
    let extra: Vec<String> = (0..1000).map(|i| format!("x{i}")).collect();
    p.write(
        "data/detenties.csv",
        format!(
            "persoon_id,gevangenis,begin,einde,reden_einde,{}\nP1,gent,2024-01-01,,\n",
            extra.join(",")
        ),
    );
    let err = p.passes();
    assert_eq!(err.matches("onbekende kolom").count(), 50, "{err}");
    assert!(
        err.contains("detenties.csv: … en nog 950 waarschuwingen voor dit bestand (alleen de eerste 50 worden getoond)"),
        "{err}"
    );
    // Merged ranges are warnings of the same file, under the same cap.
    std::fs::remove_file(p.join("data/detenties.csv")).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("detenties").unwrap();
    detenties_header(ws);
    for r in 0..200u32 {
        ws.merge_range(2 * r + 1, 5, 2 * r + 2, 5, "", &Format::new())
            .unwrap();
    }
    wb.save(p.join("data/detenties.xlsx")).unwrap();
    let err = p.passes();
    assert_eq!(err.matches("samengevoegde cellen").count(), 50, "{err}");
    assert!(err.contains("… en nog 150 waarschuwingen"), "{err}");
}

#[test]
fn a_csv_over_the_size_limit_and_a_line_with_too_many_fields_are_refused() {
    let p = project();
    let mut csv = String::from(DETENTIES);
    while csv.len() < 2 << 20 {
        csv.push_str("P1,gent,2024-01-01,,\n");
    }
    p.write("data/detenties.csv", &csv);
    p.fails_with_env(
        &[("HDV_MAX_CSV_MB", "1")],
        &[
            "detenties.csv: het bestand is 2 MB groot, meer dan de grens van 1 MB voor CSV",
            "HDV_MAX_CSV_MB",
        ],
    );
    p.passes();
    p.write(
        "data/detenties.csv",
        format!("{DETENTIES}{}\n", "a,".repeat(20_000)),
    );
    p.fails_with(&["detenties.csv:2: de regel telt meer dan 16384 velden"]);
}

#[test]
fn a_cell_longer_than_excel_allows_is_caught_by_check() {
    let p = project();
    p.write(
        "data/detenties.csv",
        format!("{DETENTIES}{},gent,2024-01-01,,\n", "P".repeat(40_000)),
    );
    p.fails_with(&[
        "detenties.csv:2: de tekst telt 40000 tekens, meer dan de 32767 die een Excel-cel kan bevatten",
    ]);
}

#[test]
fn a_plan_text_longer_than_excel_allows_is_caught_by_check() {
    let p = project();
    let long = "lang ".repeat(8000);
    let (_, after) = p.edit(
        "plans/gevangenissen.yaml",
        "naam: Gevangenis Gent}",
        &format!("naam: Gevangenis Gent, opmerking: '{long}'}}"),
    );
    let line = after.lines().position(|l| l.contains("lang lang")).unwrap() + 1;
    p.fails_with(&[
        &format!("gevangenissen.yaml:{line}:"),
        "de tekst van `opmerking` telt 40000 tekens, meer dan de 32767",
    ]);
}

#[test]
fn an_indicator_with_a_byte_order_mark_is_read_like_a_plan() {
    let p = project();
    for f in ["indicators/gedetineerden.yaml", "plans/gevangenissen.yaml"] {
        let text = std::fs::read_to_string(p.join(f)).unwrap();
        p.write(f, format!("\u{FEFF}{text}"));
    }
    p.passes();
}

#[test]
fn deeply_nested_yaml_is_refused_at_once() {
    let p = project();
    let n = 40_000;
    p.write(
        "indicators/diep.yaml",
        format!("id: [{}{}\n", "[".repeat(n), "]".repeat(n + 1)),
    );
    let started = std::time::Instant::now();
    p.fails_with(&[
        "diep.yaml:1:",
        "ongeldige YAML: te diep genest (meer dan 64 niveaus)",
    ]);
    p.write("indicators/diep.yaml", format!("{}x\n", "- ".repeat(n)));
    p.fails_with(&["diep.yaml:1:", "te diep genest"]);
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

#[test]
fn yaml_parser_and_os_messages_are_dutch() {
    let p = project();
    p.edit(
        "indicators/gedetineerden.yaml",
        "eenheid: personen",
        "eenheid: @personen",
    );
    let err = p.fails_with(&[
        "gedetineerden.yaml:",
        "ongeldige YAML: een teken dat hier niet mag staan",
    ]);
    assert!(!err.contains("cannot start any token"), "{err}");
    // A data folder that is a file: the OS error in Dutch, with its number.
    let p = project();
    std::fs::remove_dir(p.join("data")).unwrap();
    p.write("data", "geen map");
    let err = p.fails_with(&[
        "de gegevensmap kan niet gelezen worden: een deel van het pad is geen map (os-fout 20)",
    ]);
    assert!(!err.contains("Not a directory"), "{err}");
}

#[test]
fn a_prison_code_must_be_a_slug_so_local_init_cannot_write_outside() {
    let p = project();
    let (_, after) = p.edit(
        "plans/gevangenissen.yaml",
        "- {code: gent,",
        "- {code: ../../ontsnapt, naam: Ontsnapt}\n- {code: gent,",
    );
    let line = after.lines().position(|l| l.contains("ontsnapt")).unwrap() + 1;
    p.fails_with(&[&format!(
        "gevangenissen.yaml:{line}:10: gevangeniscode '../../ontsnapt' is ongeldig: alleen kleine letters, cijfers en koppeltekens"
    )]);
    Hdv::new(&[
        "local",
        "init",
        "--prison",
        "../../ontsnapt",
        "--year",
        "2025",
        "--project",
    ])
    .arg(p.path())
    .run()
    .exits(2);
    assert!(!p.join("ontsnapt.yaml").exists());
    assert!(!p.join("plans/ontsnapt.yaml").exists());
}

#[cfg(unix)]
#[test]
fn query_out_that_is_not_a_regular_file_is_refused() {
    let p = project().with_data(FIXTURE);
    let fifo = p.join("pijp");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    for out in [fifo.clone(), p.join("data")] {
        let err = p
            .hdv(&[
                "query",
                "SELECT 1 AS x",
                "--format",
                "xlsx",
                "--out",
                out.to_str().unwrap(),
            ])
            .run()
            .no_panic()
            .exits(2)
            .stderr;
        assert!(
            err.contains("bestaat al en is geen gewoon bestand"),
            "{err}"
        );
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[cfg(unix)]
#[test]
fn the_parse_cache_lives_outside_the_output_folder_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let p = project().with_data(FIXTURE);
    // The hand-worked fixture breaks the checks across sources (P3 takes part in Gent without
    // a stay there); this test is about the cache only.
    std::fs::remove_file(p.join("plans/controles.yaml")).unwrap();
    Hdv::new(&["check", "--data", "data"])
        .current_dir(p.path())
        .run()
        .success();
    let cache = p.join(".hdv-cache");
    assert!(std::fs::read_dir(&cache).unwrap().count() > 0);
    assert_eq!(
        std::fs::metadata(&cache).unwrap().permissions().mode() & 0o777,
        0o700
    );
    assert!(!p.join("out").exists());
}

/// The fixture `detenties` repeated to `rows` rows (for queries that multiply rows).
fn many_stays(p: &Project, rows: usize) {
    let mut csv = String::from(DETENTIES);
    for r in 0..rows {
        csv.push_str(&format!("P{r},gent,2024-01-01,,\n"));
    }
    p.write("data/detenties.csv", csv);
}

#[test]
fn a_query_over_its_memory_or_time_limit_stops_with_a_dutch_message() {
    let p = project();
    many_stays(&p, 3000);
    let err = p
        .hdv(&[
            "query",
            "SELECT a.persoon_id AS x, b.persoon_id AS y FROM detenties a, detenties b",
        ])
        .env("HDV_QUERY_MB", "16")
        .run()
        .no_panic()
        .exits(2)
        .stderr;
    assert!(
        err.contains("de query heeft meer werkgeheugen nodig dan de grens van 16 MB"),
        "{err}"
    );
    assert!(err.contains("HDV_QUERY_MB"), "{err}");
    let started = std::time::Instant::now();
    let err = p
        .hdv(&["query", "SELECT SUM(LENGTH(a.persoon_id) + LENGTH(b.persoon_id) + LENGTH(c.persoon_id)) AS n FROM detenties a, detenties b, detenties c"])
        .env("HDV_QUERY_SECONDS", "2")
        .run()
        .no_panic()
        .exits(2)
        .stderr;
    assert!(
        err.contains("de query duurt langer dan 2 seconden"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

#[test]
fn peak_memory_stays_under_the_bound_on_the_worst_cases() {
    // At the default limits: a cross join that would grow without end, a shared-string table
    // just under its limit (5 million strings), a 200 MB single-line CSV, a CSV with a
    // million unknown columns.
    let p = project();
    many_stays(&p, 3000);
    let (code, mb, err) = peak_rss_mb(p.hdv(
        &["query", "SELECT a.persoon_id AS x, b.gevangenis AS y, c.begin AS z FROM detenties a, detenties b, detenties c"],
    ).command());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("werkgeheugen"), "{err}");
    eprintln!("peak memory, cross join: {mb} MB");
    assert!(mb < MEMORY_BOUND_MB, "cross join: {mb} MB");
    std::fs::remove_file(p.join("data/detenties.csv")).unwrap();

    // A workbook whose shared strings are many and tiny (the costliest per byte).
    {
        use std::io::Write;
        let n = 4_999_999;
        let mut sst = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{n}\" uniqueCount=\"{n}\">"
        );
        for i in 0..n {
            sst.push_str(&format!("<si><t>{i}</t></si>"));
        }
        sst.push_str("</sst>");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("detenties").unwrap();
        detenties_header(ws);
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = part.name().unwrap().into_owned();
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut text).unwrap();
            out.start_file(name.as_str(), deflate).unwrap();
            if name == "xl/sharedStrings.xml" {
                out.write_all(sst.as_bytes()).unwrap();
            } else {
                out.write_all(&text).unwrap();
            }
        }
        std::fs::write(
            p.join("data/detenties.xlsx"),
            out.finish().unwrap().into_inner(),
        )
        .unwrap();
        let (_, mb, err) = peak_rss_mb(p.hdv(&["check"]).command());
        assert!(!err.contains("gedeelde teksten"), "under the limit: {err}");
        eprintln!("peak memory, shared strings: {mb} MB");
        assert!(mb < MEMORY_BOUND_MB, "shared strings: {mb} MB");
        std::fs::remove_file(p.join("data/detenties.xlsx")).unwrap();
    }

    p.write("data/detenties.csv", "a,".repeat(100 << 20));
    let (code, mb, err) = peak_rss_mb(p.hdv(&["check"]).command());
    assert_eq!(code, 1, "{err}");
    eprintln!("peak memory, single-line CSV: {mb} MB");
    assert!(mb < MEMORY_BOUND_MB, "single-line CSV: {mb} MB");

    let extra: Vec<String> = (0..1_000_000).map(|i| format!("x{i}")).collect();
    p.write("data/detenties.csv", format!("{}\n", extra.join(",")));
    let (code, mb, err) = peak_rss_mb(p.hdv(&["check"]).command());
    assert_eq!(code, 1, "{err}");
    assert!(err.lines().count() < 100, "{} lines", err.lines().count());
    eprintln!("peak memory, a million columns: {mb} MB");
    assert!(mb < MEMORY_BOUND_MB, "a million columns: {mb} MB");
}

#[test]
fn findings_are_capped_in_the_terminal_also_when_every_one_goes_to_feedback() {
    let p = project();
    let rows: String = (0..3000)
        .map(|i| format!("P{i},nergens,2024-01-01,,\n"))
        .collect();
    p.write(
        "data/detenties.csv",
        format!("persoon_id,gevangenis,begin,einde,reden_einde\n{rows}"),
    );
    let out = p.join("terug");
    let run = p
        .hdv(&["check", "--feedback", out.to_str().unwrap()])
        .run()
        .no_panic()
        .exits(1);
    let shown = run.stderr.matches("is geen gekende gevangeniscode").count();
    assert_eq!(shown, 50, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "fout: detenties.csv: … en nog 2950 fouten voor dit bestand die hier niet getoond worden (`hdv check --feedback MAP` schrijft ze in een werkmap)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.lines().count() < 80, "{}", run.stderr);
    // The workbook has them all.
    assert!(run.stdout.contains("(3000 fout(en)"), "{}", run.stdout);
    // Many files: at most 1000 lines in all, and the rest counted.
    let p = project();
    for f in 0..30 {
        let rows: String = (0..60)
            .map(|i| format!("P{i},nergens,2024-01-01,,\n"))
            .collect();
        p.write(
            &format!("data/detenties/levering-{f:02}.csv"),
            format!("persoon_id,gevangenis,begin,einde,reden_einde\n{rows}"),
        );
    }
    let err = p.fails_with(&[
        "… en nog ",
        "bevinding(en) die hier niet getoond worden (hoogstens 1000 regels)",
    ]);
    assert!(err.lines().count() < 1100, "{}", err.lines().count());
}

// ---------------------------------------------------------------------------------------
// Outputs: never in the data folder, long names, `--out .`, one overwrite rule

#[test]
fn outputs_inside_the_data_folder_are_refused_before_any_work() {
    let p = project().with_data(FIXTURE);
    p.write(
        "data/detenties/ok.csv",
        "persoon_id,gevangenis,begin,einde,reden_einde\nP1,nergens,2024-01-01,,\n",
    );
    let data = p.join("data");
    for (args, what) in [
        (vec!["check", "--feedback", "data"], "--feedback data"),
        (
            vec!["check", "--feedback", "data/detenties/."],
            "--feedback data/detenties/.",
        ),
        (
            vec!["report", "--year", "2024", "--out", "data/uit"],
            "--out data/uit",
        ),
        (
            vec!["answer", "vraag_92", "--year", "2024", "--out", "data"],
            "--out data",
        ),
        (vec!["site", "--out", "data/site"], "--out data/site"),
    ] {
        let err = p
            .hdv(&args)
            .current_dir(p.path())
            .run()
            .no_panic()
            .exits(2)
            .stderr;
        assert!(
            err.contains(&format!("{what} ligt in de gegevensmap data")),
            "{args:?}: {err}"
        );
    }
    // Nothing was written into the data folder.
    let names: Vec<_> = crate::common::tree(&data).into_keys().collect();
    assert!(
        names
            .iter()
            .all(|n| !n.to_string_lossy().contains("terugkoppeling")),
        "{names:?}"
    );
}

#[test]
fn a_long_delivery_name_gets_a_short_feedback_name_with_a_hash() {
    let p = project();
    let long = "levering-".repeat(26);
    p.write(
        &format!("data/detenties/{long}.csv"),
        "persoon_id,gevangenis,begin,einde,reden_einde\nP1,nergens,2024-01-01,,\n",
    );
    p.write(
        "data/detenties/kort.csv",
        "persoon_id,gevangenis,begin,einde,reden_einde\nP2,nergens,2024-01-01,,\n",
    );
    let out = p.join("terug");
    let run = p
        .hdv(&["check", "--feedback", out.to_str().unwrap()])
        .run()
        .no_panic()
        .exits(1);
    let names: Vec<String> = std::fs::read_dir(out.join("detenties"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?} {}", run.stderr);
    assert!(
        names.contains(&"kort-terugkoppeling.xlsx".to_string()),
        "{names:?}"
    );
    let short = names.iter().find(|n| n.starts_with("levering-")).unwrap();
    assert!(
        short.len() <= 200 && short.ends_with("-terugkoppeling.xlsx"),
        "{short}"
    );
}

#[test]
fn site_out_dot_is_resolved_before_any_work() {
    let p = project().with_data(FIXTURE);
    let empty = p.join("leeg");
    std::fs::create_dir(&empty).unwrap();
    // The folder hdv runs in is never replaced: refused at once, with a Dutch message.
    let started = std::time::Instant::now();
    let err = Hdv::new(&["site", "--out", ".", "--project"])
        .arg(p.path())
        .arg("--data")
        .arg(p.join("data"))
        .current_dir(&empty)
        .run()
        .no_panic()
        .exits(2)
        .stderr;
    assert!(err.contains(". is de map waarin hdv draait"), "{err}");
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    // `leeg/.` is the folder `leeg`: written, and nothing left next to it.
    p.hdv(&["site", "--out", "leeg/."])
        .current_dir(p.path())
        .run()
        .no_panic()
        .success();
    assert!(empty.join("index.html").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(p.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".hdv-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn every_single_file_output_refuses_to_replace_a_file() {
    let p = project().with_data(FIXTURE);
    let existing = p.write("bestaat.xlsx", "van iemand anders");
    for args in [
        vec![
            "query",
            "SELECT 1 AS x",
            "--format",
            "xlsx",
            "--out",
            "bestaat.xlsx",
        ],
        vec![
            "plan",
            "new",
            "--from",
            "2020-2025",
            "--period",
            "2026..2030",
            "--out",
            "bestaat.xlsx",
        ],
        vec!["template", "detenties", "--out", "bestaat.xlsx"],
    ] {
        let cmd = if args[0] == "template" {
            Hdv::new(&args).arg("--project").arg(p.path())
        } else {
            p.hdv(&args)
        };
        let err = cmd.current_dir(p.path()).run().no_panic().exits(2).stderr;
        assert!(
            err.contains("bestaat.xlsx bestaat al; het wordt niet overschreven"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&existing).unwrap(),
        "van iemand anders"
    );
    // A dangling link is something at the path too, said in Dutch.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(p.join("nergens.yaml"), p.join("link.yaml")).unwrap();
        let err = p
            .hdv(&[
                "plan",
                "new",
                "--from",
                "2020-2025",
                "--period",
                "2026..2030",
                "--out",
                "link.yaml",
            ])
            .current_dir(p.path())
            .run()
            .no_panic()
            .exits(2)
            .stderr;
        assert!(err.contains("link.yaml bestaat al (als koppeling"), "{err}");
        assert!(
            !err.contains("os error") && !err.contains("File exists"),
            "{err}"
        );
    }
}

#[test]
fn command_line_values_and_output_limits_are_named_in_dutch() {
    let p = project();
    for year in ["abc", "2147483648", "20x4"] {
        let err = Hdv::new(&[
            "local",
            "init",
            "--prison",
            "gent",
            "--year",
            year,
            "--project",
        ])
        .arg(p.path())
        .run()
        .no_panic()
        .exits(2)
        .stderr;
        assert!(
            err.contains(&format!(
                "ongeldige waarde voor --year <JAAR>: '{year}' is geen geldig jaar"
            )),
            "{err}"
        );
        assert!(
            !err.contains("invalid digit") && !err.contains("too large"),
            "{err}"
        );
    }
    for (args, expected) in [
        (
            ["--persons", "abc"],
            "ongeldige waarde voor --persons <PERSONS>: 'abc' is geen (positief) geheel getal",
        ),
        (
            ["--seed", "99999999999999999999999"],
            "'99999999999999999999999' is te groot",
        ),
    ] {
        let err = Hdv::new(&["generate"])
            .args(args)
            .arg("--out")
            .arg(p.join("gen"))
            .run()
            .no_panic()
            .exits(2)
            .stderr;
        assert!(err.contains(expected), "{err}");
        assert!(
            !err.contains("invalid digit") && !err.contains("too large"),
            "{err}"
        );
    }
    let long = "p".repeat(33_000);
    let err = Hdv::new(&["template", "trajecten", "--partner", &long, "--out"])
        .arg(p.join("t.xlsx"))
        .arg("--project")
        .arg(p.path())
        .run()
        .no_panic()
        .exits(2)
        .stderr;
    assert!(err.contains("blad 'Instructies', cel A"), "{err}");
    assert!(err.contains("meer dan de 32767"), "{err}");
    assert!(!err.contains("String exceeds"), "{err}");
}

#[test]
fn a_line_break_in_a_file_name_cannot_fake_a_line() {
    let p = project();
    p.write(
        "data/detenties/x\nfout: alles is kapot.csv",
        "persoon_id,gevangenis,begin,einde,reden_einde\nP1,nergens,2024-01-01,,\n",
    );
    let err = p.fails_with(&["detenties/x\\nfout: alles is kapot.csv"]);
    assert!(
        err.lines().all(|l| !l.starts_with("fout: alles is kapot")),
        "{err}"
    );
}

#[test]
fn a_query_result_larger_than_a_sheet_is_refused_in_dutch() {
    let p = project().with_data(FIXTURE);
    let out = p.join("groot.xlsx");
    let err = p
        .hdv(&[
            "query",
            "SELECT value FROM range(0, 1100000)",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ])
        .run()
        .no_panic()
        .exits(2)
        .stderr;
    assert!(
        err.contains(
            "blad 'Resultaat': 1100000 rijen en 1 kolommen, meer dan een Excel-blad kan bevatten"
        ),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn copies_of_one_delivery_are_reported_once_per_group() {
    let p = project();
    let text = "traject_id,persoon_id,gevangenis,partner,domein,start,einde,afloop,stopreden\nT1,P1,gent,CAW,welzijn,2024-01-05,,lopend,\n";
    for i in 0..200 {
        p.write(&format!("data/trajecten/caw-{i:03}.csv"), text);
    }
    let started = std::time::Instant::now();
    let err = p.fails_with(&[
        "fout: trajecten/caw-001.csv: levert gegevens voor dezelfde cel als trajecten/caw-000.csv (CAW 2024: gent), net als nog 198 andere levering(en): trajecten/caw-002.csv,",
        " en nog 189, en niet alle zeggen wanneer ze getrokken zijn",
    ]);
    assert_eq!(
        err.matches("levert gegevens voor dezelfde").count(),
        1,
        "{err}"
    );
    assert!(err.lines().count() < 150, "{}", err.lines().count());
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}
