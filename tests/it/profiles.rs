//! Delivery profiles that prevent mistakes (issues 29 and 30): words of a value table equal
//! but for case and spaces, case-insensitive codes, two-digit years, a constant that would
//! hide a column, a totals row, headers found in another row, date messages that say what
//! to change. Small hand-made CSV and XLSX deliveries read through a profile.

use hdv::load::{Profiles, Sources, load_sources, profile::read_profiles};
use std::path::Path;

fn prisons() -> Vec<String> {
    ["brugge", "gent"].iter().map(|s| s.to_string()).collect()
}

/// The profiles `files` in `root/plans/leveringen`.
fn profiles(root: &Path, files: &[(&str, &str)]) -> Profiles {
    let dir = root.join("plans/leveringen");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    read_profiles(&dir, &prisons()).unwrap_or_else(|d| panic!("profiles:\n{d}"))
}

/// Every finding of loading `data` (errors and warnings), or the loaded sources.
fn load(data: &Path, p: &Profiles) -> (Option<Sources>, Vec<String>) {
    match load_sources(data, &prisons(), None, p) {
        Ok(s) => {
            let w = s.warnings.iter().map(|d| d.to_string()).collect();
            (Some(s), w)
        }
        Err(d) => (None, d.iter().map(|d| d.to_string()).collect()),
    }
}

fn has(lines: &[String], expected: &str) {
    assert!(
        lines.iter().any(|l| l.contains(expected)),
        "expected\n  {expected}\nin\n  {}",
        lines.join("\n  ")
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A CAW export in CSV: own headers, a constant partner, `dd.mm.yyyy` dates.
const PROFILE: &str = "id: caw\nbron: trajecten\nleverancier: CAW\nherkenning:\n  bestandsnaam: \"caw-*.csv\"\n  kolommen: [Dossier, Cliënt]\nkolommen:\n  traject_id: Dossier\n  persoon_id: Cliënt\n  gevangenis: Vestiging\n  domein: Domein\n  start: Start\n  einde: Einde\n  afloop: Resultaat\n  stopreden: Reden\nconstanten:\n  partner: CAW\ndatumvormen: [dd.mm.yyyy]\n";

const HEADER: &str = "Dossier;Cliënt;Vestiging;Domein;Start;Einde;Resultaat;Reden\n";

#[test]
fn codes_are_matched_whatever_their_case() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(dir.path(), &[("caw.yaml", PROFILE)]);
    let data = dir.path().join("data");
    write(
        &data.join("trajecten/caw-2024.csv"),
        &format!("{HEADER}T1;P1;GENT;Welzijn;05.01.2024;;Lopend;\n"),
    );
    let (s, findings) = load(&data, &p);
    assert!(s.is_some(), "{findings:?}");
}

#[test]
fn an_impossible_date_is_called_impossible() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(dir.path(), &[("caw.yaml", PROFILE)]);
    let data = dir.path().join("data");
    write(
        &data.join("trajecten/caw-2024.csv"),
        &format!(
            "{HEADER}T1;P1;gent;welzijn;31.02.2024;;lopend;\nT2;P2;gent;welzijn;2024-02-01;;lopend;\n"
        ),
    );
    let (_, e) = load(&data, &p);
    has(
        &e,
        "fout: trajecten/caw-2024.csv:2, kolom Start: '31.02.2024' is een onmogelijke datum: 31 februari 2024 bestaat niet; verbeter de datum in de levering",
    );
    // Another form keeps the message that names the profile's date forms.
    has(
        &e,
        "fout: trajecten/caw-2024.csv:3, kolom Start: '2024-02-01' heeft geen datumvorm van het leveringsprofiel caw (toegelaten: dd.mm.yyyy)",
    );
}

#[test]
fn a_date_cell_under_text_date_forms_suggests_excel() {
    let dir = tempfile::tempdir().unwrap();
    let profile = PROFILE.replace("caw-*.csv", "caw-*.xlsx");
    let p = profiles(dir.path(), &[("caw.yaml", &profile)]);
    let path = dir.path().join("data/trajecten/caw-2024.xlsx");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.trim().split(';').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (c, v) in ["T1", "P1", "gent", "welzijn"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    ws.write_datetime_with_format(1, 4, &date, &fmt).unwrap();
    ws.write_string(1, 6, "lopend").unwrap();
    wb.save(&path).unwrap();
    let (_, e) = load(&dir.path().join("data"), &p);
    has(
        &e,
        "is een datumcel van Excel, maar het leveringsprofiel caw aanvaardt alleen de datumvormen dd.mm.yyyy; voeg `excel` toe aan `datumvormen` in ",
    );
}

#[test]
fn a_totals_row_is_named_as_such_with_the_rule_to_drop_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(dir.path(), &[("caw.yaml", PROFILE)]);
    let data = dir.path().join("data");
    write(
        &data.join("trajecten/caw-2024.csv"),
        &format!("{HEADER}T1;P1;gent;welzijn;05.01.2024;;lopend;\nTotaal;1;;;;;;\n"),
    );
    let (_, e) = load(&data, &p);
    has(
        &e,
        "fout: trajecten/caw-2024.csv:3, kolom Dossier: rij 3 lijkt een totaalrij ('Totaal' in kolom A), geen gegevensrij; laat zulke rijen weg met `weglaten: [{kolom: Dossier, begint_met: Totaal}]` in het leveringsprofiel caw",
    );
    // One finding for the row, not one per empty cell.
    assert_eq!(
        e.iter().filter(|l| l.contains("caw-2024.csv:3")).count(),
        1,
        "{e:?}"
    );
    // In the contract's layout too.
    let data = dir.path().join("contract");
    write(
        &data.join("trajecten.csv"),
        "traject_id,persoon_id,gevangenis,partner,domein,start,einde,afloop,stopreden\nT1,P1,gent,CAW,welzijn,2024-01-05,,lopend,\nTotaal,,,,,,,,\n",
    );
    let (_, e) = load(&data, &Profiles::default());
    has(
        &e,
        "fout: trajecten.csv:3: rij 3 lijkt een totaalrij ('Totaal' in kolom A), geen gegevensrij; verwijder ze uit het bestand",
    );
}

#[test]
fn a_constant_that_would_hide_a_column_of_the_file_is_an_error_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    // Copied from a profile for an export without a domain column.
    let profile = PROFILE
        .replace("  domein: Domein\n", "")
        .replace("constanten:\n", "constanten:\n  domein: welzijn\n");
    let p = profiles(dir.path(), &[("caw.yaml", &profile)]);
    let data = dir.path().join("data");
    write(
        &data.join("trajecten/caw-2024.csv"),
        "Dossier;Cliënt;Vestiging;Levensdomein;Start;Einde;Resultaat;Reden\nT1;P1;gent;wonen;05.01.2024;;lopend;\n",
    );
    let (s, e) = load(&data, &p);
    assert!(s.is_none());
    has(
        &e,
        "fout: trajecten/caw-2024.csv:1, kolom Levensdomein: de kolom 'Levensdomein' van het bestand lijkt domein te bevatten, maar het leveringsprofiel caw zet domein op de constante 'welzijn' (",
    );
    has(&e, "caw.yaml:16): elke rij zou 'welzijn' krijgen");
}

#[test]
fn headers_in_another_row_are_found_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = profiles(dir.path(), &[("caw.yaml", PROFILE)]);
    let data = dir.path().join("data");
    write(
        &data.join("trajecten/caw-2024.csv"),
        &format!("Export CAW\n\n{HEADER}T1;P1;gent;welzijn;05.01.2024;;lopend;\n"),
    );
    let (_, e) = load(&data, &p);
    has(&e, "profiel caw (");
    has(
        &e,
        "verwacht de kolomkoppen Dossier, Cliënt in rij 1; ze staan in rij 3 (is `kopregel: 3` bedoeld?)",
    );
}

#[test]
fn two_digit_years_after_the_extraction_date_are_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let profile = PROFILE
        .replace(
            "datumvormen: [dd.mm.yyyy]",
            "datumvormen: [dd-mm-yy]\ntweecijferig_jaar_vanaf: 1970",
        )
        .replace(
            "constanten:",
            "extractiedatum:\n  bestandsnaam: true\nconstanten:",
        );
    let p = profiles(dir.path(), &[("caw.yaml", &profile)]);
    let data = dir.path().join("data");
    write(
        &data.join("trajecten/caw-2024_2025-01-15.csv"),
        &format!(
            "{HEADER}T1;P1;gent;welzijn;05-03-68;;lopend;\nT2;P2;gent;welzijn;05-03-24;;lopend;\n"
        ),
    );
    let (s, w) = load(&data, &p);
    assert!(s.is_some(), "{w:?}");
    has(
        &w,
        "waarschuwing: trajecten/caw-2024_2025-01-15.csv: datums na de extractiedatum 2025-01-15 van de levering: 1 in start (tot 2068-03-05); tweecijferige jaren (dd-mm-yy) worden gelezen als 1970-2069",
    );
}

#[test]
fn a_header_row_of_a_billion_costs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let profile = PROFILE.replace("herkenning:", "kopregel: 1000000000\nherkenning:");
    let p = profiles(dir.path(), &[("caw.yaml", &profile)]);
    let data = dir.path().join("data");
    write(
        &data.join("trajecten/caw-2024.csv"),
        &format!("{HEADER}T1;P1;gent;welzijn;05.01.2024;;lopend;\n"),
    );
    let started = std::time::Instant::now();
    let (_, e) = load(&data, &p);
    has(
        &e,
        "verwacht de kolomkoppen Dossier, Cliënt in rij 1000000000; ze staan in rij 1",
    );
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}
