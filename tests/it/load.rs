//! The loader against DATA.md: every rule broken once, with the exact Dutch message and place.

use crate::common::Hdv;
use datafusion::arrow::array::{AsArray, RecordBatch};
use datafusion::arrow::datatypes::{Date32Type, Float64Type, Int32Type};
use hdv::contract::Source;
use hdv::load::{Profiles, Sources, load_sources};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

fn prisons() -> Vec<String> {
    ["brugge", "gent", "haren"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn load(dir: &Path) -> Result<Sources, Vec<String>> {
    load_sources(dir, &prisons(), None, &Profiles::default())
        .map_err(|d| d.iter().map(|d| d.to_string()).collect())
}

/// The error lines of loading `text` as `name`.
fn errors_of(name: &str, text: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, text);
    load(dir.path()).expect_err("must fail")
}

fn assert_has(lines: &[String], expected: &str) {
    assert!(
        lines.iter().any(|l| l == expected),
        "expected line\n  {expected}\nin\n  {}",
        lines.join("\n  ")
    );
}

const DET: &str = "persoon_id,gevangenis,begin,einde,reden_einde\n";

fn date(days: i32) -> String {
    hdv::years::from_date32(days).to_string()
}

#[test]
fn a_bad_date_in_a_workbook_names_file_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("deelname").unwrap();
    let header = [
        "persoon_id",
        "gevangenis",
        "domein",
        "partner",
        "aanbod",
        "start",
        "einde",
        "status",
        "examen",
        "geslaagd",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let fmt = Format::new().set_num_format("yyyy-mm-dd");
    for r in 1..17u32 {
        let row = ["P1", "gent", "sport", "Sportdienst", "Fitness"];
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r, c as u16, *v).unwrap();
        }
        let d = ExcelDateTime::from_ymd(2024, 1, 1).unwrap();
        ws.write_datetime_with_format(r, 5, &d, &fmt).unwrap();
        ws.write_string(r, 7, "lopend").unwrap();
    }
    // Row 17: an impossible date typed as text, and an unknown prison code.
    for (c, v) in [
        "P2",
        "antwerpen",
        "sport",
        "Sportdienst",
        "Fitness",
        "31/02/2024",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(16, c as u16, *v).unwrap();
    }
    ws.write_string(16, 7, "lopend").unwrap();
    wb.save(dir.path().join("deelname.xlsx")).unwrap();
    let errs = load(dir.path()).expect_err("must fail");
    assert_has(
        &errs,
        "fout: deelname.xlsx!deelname!F17: '31/02/2024' is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)",
    );
    assert_has(
        &errs,
        "fout: deelname.xlsx!deelname!B17: 'antwerpen' is geen gekende gevangeniscode (toegelaten: brugge, gent, haren)",
    );
    assert_eq!(errs.len(), 2, "{errs:?}");
}

#[test]
fn workbook_cells_are_typed_by_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    // The first sheet is a cover sheet: the sheet named like the source wins.
    wb.add_worksheet().set_name("uitleg").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Middelen").unwrap();
    // Headers in another order and case, with spaces, and an extra column.
    for (c, h) in [
        " Partner ",
        "JAAR",
        "domein",
        "fte",
        "uitgaven_eur",
        "opmerking",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // A number in a text column, numbers stored as text in numeric columns.
    ws.write_number(1, 0, 12345.0).unwrap();
    ws.write_number(1, 1, 2024.0).unwrap();
    ws.write_string(1, 2, "welzijn").unwrap();
    ws.write_string(1, 3, " 1.5 ").unwrap();
    ws.write_string(1, 4, "1000").unwrap();
    ws.write_string(1, 5, "wat dan ook").unwrap();
    // An empty row in between is ignored.
    ws.write_string(3, 0, "CAW").unwrap();
    ws.write_string(3, 1, "2025").unwrap();
    ws.write_string(3, 2, "werk").unwrap();
    ws.write_number(3, 3, 2.0).unwrap();
    ws.write_number(3, 4, 250.5).unwrap();
    wb.save(dir.path().join("middelen.xlsx")).unwrap();
    let s = load(dir.path()).expect("loads");
    let f = s.get(Source::Middelen).unwrap();
    assert_eq!(f.rows, 2);
    let b: &RecordBatch = &f.batch;
    assert_eq!(b.schema(), Source::Middelen.schema());
    let partner = b.column(2).as_string::<i32>();
    assert_eq!(partner.value(0), "12345");
    assert_eq!(partner.value(1), "CAW");
    let jaar = b.column(0).as_primitive::<Int32Type>();
    assert_eq!((jaar.value(0), jaar.value(1)), (2024, 2025));
    let fte = b.column(4).as_primitive::<Float64Type>();
    assert_eq!((fte.value(0), fte.value(1)), (1.5, 2.0));
    assert!(b.column(1).is_null(0), "gevangenis is optional and absent");
    let warnings: Vec<String> = s.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("onbekende kolom 'opmerking'")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("optionele kolom 'gevangenis' ontbreekt")),
        "{warnings:?}"
    );
    assert_eq!(f.sha256.len(), 64);
    assert_eq!(
        s.missing.len(),
        5,
        "the other sources are absent, not errors"
    );
}

#[test]
fn excel_date_cells_drop_the_time_and_plain_numbers_are_no_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["persoon_id", "gevangenis", "begin", "einde", "reden_einde"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    ws.write_string(1, 0, "P1").unwrap();
    ws.write_string(1, 1, "gent").unwrap();
    let dt = ExcelDateTime::from_ymd(2024, 2, 29)
        .unwrap()
        .and_hms(23, 59, 0)
        .unwrap();
    ws.write_datetime_with_format(1, 2, &dt, &fmt).unwrap();
    ws.write_string(2, 0, "P2").unwrap();
    ws.write_string(2, 1, "gent").unwrap();
    ws.write_number(2, 2, 45000.0).unwrap();
    wb.save(dir.path().join("detenties.xlsx")).unwrap();
    let errs = load(dir.path()).expect_err("a plain number is no date");
    assert_eq!(
        errs,
        vec![
            "fout: detenties.xlsx!Sheet1!C3: '45000' is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)"
        ]
    );
    // Without the bad row, the date cell loads as 29 February (time dropped).
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["persoon_id", "gevangenis", "begin"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "P1").unwrap();
    ws.write_string(1, 1, "gent").unwrap();
    ws.write_datetime_with_format(1, 2, &dt, &fmt).unwrap();
    wb.save(dir.path().join("detenties.xlsx")).unwrap();
    let s = load(dir.path()).unwrap();
    let begin = s
        .get(Source::Detenties)
        .unwrap()
        .batch
        .column(2)
        .as_primitive::<Date32Type>()
        .value(0);
    assert_eq!(date(begin), "2024-02-29");
}

#[test]
fn csv_with_bom_semicolons_crlf_quotes_and_decimal_comma() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}jaar;gevangenis;partner;domein;fte;uitgaven_eur\r\n2024;gent;\"CAW; Oost\";welzijn;1,5;1234,56\r\n2024;;VDAB;werk;2;10\r\n";
    write(dir.path(), "middelen.csv", text);
    let s = load(dir.path()).expect("loads");
    let b = &s.get(Source::Middelen).unwrap().batch;
    assert_eq!(b.column(2).as_string::<i32>().value(0), "CAW; Oost");
    assert_eq!(b.column(4).as_primitive::<Float64Type>().value(0), 1.5);
    assert_eq!(b.column(5).as_primitive::<Float64Type>().value(0), 1234.56);
    assert!(b.column(1).is_null(1));
    // In a comma-separated file a decimal comma is not accepted.
    let errs = errors_of(
        "middelen.csv",
        "jaar,gevangenis,partner,domein,fte,uitgaven_eur\n2024,gent,CAW,welzijn,\"1,5\",10\n",
    );
    assert_eq!(
        errs,
        vec![
            "fout: middelen.csv:2: '1,5' is geen geldig getal (verwacht bv. 12.5; geen duizendtallen)"
        ]
    );
    // Thousands separators are refused in any file.
    let errs = errors_of(
        "middelen.csv",
        "jaar;gevangenis;partner;domein;fte;uitgaven_eur\n2024;gent;CAW;welzijn;1;1.234,5\n",
    );
    assert_eq!(
        errs,
        vec![
            "fout: middelen.csv:2: '1.234,5' is geen geldig getal (verwacht bv. 12.5 of 12,5; geen duizendtallen)"
        ]
    );
}

#[test]
fn broken_encoding_empty_file_and_duplicate_headers() {
    let dir = tempfile::tempdir().unwrap();
    // Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined there).
    std::fs::write(
        dir.path().join("detenties.csv"),
        b"persoon_id,gevangenis,begin\nP1,gent,2024-01-01\nP\x81,gent,2024-01-01\n",
    )
    .unwrap();
    assert_eq!(
        load(dir.path()).unwrap_err(),
        vec![
            "fout: detenties.csv:3: het bestand is geen geldige UTF-8-tekst en ook geen Windows-1252 (sla het op als 'CSV UTF-8')"
        ]
    );
    let errs = errors_of("detenties.csv", "");
    assert!(
        errs.contains(
            &"fout: detenties.csv: verplichte kolom 'persoon_id' ontbreekt in de kopregel"
                .to_string()
        ),
        "{errs:?}"
    );
    let errs = errors_of(
        "detenties.csv",
        "persoon_id,gevangenis,begin,Begin\nP1,gent,2024-01-01,2024-01-01\n",
    );
    let only_errors: Vec<&String> = errs.iter().filter(|l| l.starts_with("fout")).collect();
    assert_eq!(
        only_errors,
        vec!["fout: detenties.csv:1: kolom 'begin' komt twee keer voor (ook in kolom C)"]
    );
}

/// The `persoon_id` column of the detentions read from `bytes`, and the warnings.
fn persons_and_warnings(bytes: &[u8]) -> Result<(Vec<String>, Vec<String>), Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("detenties.csv"), bytes).unwrap();
    let s = load(dir.path())?;
    let batch = &s.files[0].batch;
    let ids = batch
        .column_by_name("persoon_id")
        .unwrap()
        .as_string::<i32>();
    Ok((
        ids.iter().map(|v| v.unwrap().to_string()).collect(),
        s.warnings.iter().map(|w| w.to_string()).collect(),
    ))
}

#[test]
fn csv_in_windows_1252_or_utf_16_is_decoded() {
    let text = format!("{DET}José,gent,2024-01-01,,\nP2,gent,2024-01-01,,\n");
    // What Excel on a Belgian Windows writes: read, with a warning naming the first line.
    let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    let (ids, warnings) = persons_and_warnings(&latin).unwrap();
    assert_eq!(ids, ["José", "P2"]);
    assert_has(
        &warnings,
        "waarschuwing: detenties.csv:2: het bestand is geen UTF-8 en werd gelezen als Windows-1252 (zoals Excel 'CSV (gescheiden door lijstscheidingsteken)' bewaart), bv. 'José'; kloppen de letters met accenten? Sla het voortaan op als 'CSV UTF-8'",
    );
    // UTF-16 with and without a byte-order mark, both byte orders: decoded, not stripped of
    // NUL bytes (which garbles every letter outside ASCII).
    let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    for bytes in [
        [&[0xFF, 0xFE][..], &le].concat(),
        le.clone(),
        [&[0xFE, 0xFF][..], &be].concat(),
        be.clone(),
    ] {
        let (ids, warnings) = persons_and_warnings(&bytes).unwrap();
        assert_eq!(ids, ["José", "P2"]);
        assert!(
            warnings.iter().all(|w| !w.contains("onzichtbaar")),
            "{warnings:?}"
        );
    }
    // Broken UTF-16 (a lone surrogate) is refused, naming the encoding.
    let mut broken = [&[0xFF, 0xFE][..], &le].concat();
    broken.extend_from_slice(&[0x00, 0xD8, b'a', 0x00]);
    let errs = persons_and_warnings(&broken).unwrap_err();
    assert!(errs[0].contains("UTF-16 (little-endian)"), "{errs:?}");
}

#[test]
fn codes_and_yes_no_values() {
    let errs = errors_of(
        "detenties.csv",
        &format!("{DET}P1,Gent,2024-01-01,,\nP2,gent,2024-01-01,2024-02-01,vrij\n"),
    );
    assert_has(
        &errs,
        "fout: detenties.csv:2: 'Gent' is geen gekende gevangeniscode (toegelaten: brugge, gent, haren); codes staan in kleine letters: 'gent'",
    );
    assert_has(
        &errs,
        "fout: detenties.csv:3: 'vrij' is geen geldige waarde (toegelaten: vrijlating, overbrenging, andere)",
    );
    let errs = errors_of(
        "uitstroom.csv",
        "persoon_id,gevangenis,detentie_begin,vrijlating,lange_detentiegeschiedenis,werk_kwartaal_1,wederopsluiting,opvolging_tot,werk_kwartaal_2\nP1,gent,2023-01-01,2024-01-01,JA,misschien,,2025-01-01,Nee\n",
    );
    assert_eq!(
        errs,
        vec![
            "fout: uitstroom.csv:2: 'misschien' is geen geldige ja/nee-waarde (verwacht ja of nee)"
        ]
    );
}

#[test]
fn empty_rows_are_ignored_and_partial_rows_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "detenties.csv",
        &format!("{DET}P1,gent,1/3/2024,,\n,,,,\n  ,,, ,\nP2,gent,2024-01-01,,\n"),
    );
    assert_eq!(
        load(dir.path())
            .unwrap()
            .get(Source::Detenties)
            .unwrap()
            .rows,
        2
    );
    let errs = errors_of("detenties.csv", &format!("{DET}P1,,2024-01-01,,\n"));
    assert_eq!(
        errs,
        vec!["fout: detenties.csv:2: verplichte waarde ontbreekt in kolom 'gevangenis'"]
    );
}

#[test]
fn every_cross_column_rule() {
    let cases: &[(&str, String, &str)] = &[
        ("detenties.csv", format!("{DET}P1,gent,2024-02-01,2024-01-31,vrijlating\n"), "einde 31/01/2024 ligt voor begin 01/02/2024"),
        ("detenties.csv", format!("{DET}P1,gent,2024-01-01,2024-01-31,\n"), "reden_einde ontbreekt terwijl einde ingevuld is"),
        (
            "deelname.csv",
            "persoon_id,gevangenis,domein,partner,aanbod,start,einde,status,examen,geslaagd\nP1,gent,sport,X,Y,2024-01-01,2024-02-01,lopend,,\n".into(),
            "status 'lopend' maar einde is ingevuld",
        ),
        (
            "deelname.csv",
            "persoon_id,gevangenis,domein,partner,aanbod,start,einde,status,examen,geslaagd\nP1,gent,sport,X,Y,2024-01-01,,voltooid,,\n".into(),
            "status 'voltooid' vereist een einddatum (einde is leeg)",
        ),
        (
            "deelname.csv",
            "persoon_id,gevangenis,domein,partner,aanbod,start,einde,status,examen,geslaagd\nP1,gent,onderwijs,X,Y,2024-01-01,2024-02-01,voltooid,nee,ja\n".into(),
            "geslaagd mag alleen ingevuld zijn wanneer examen = ja",
        ),
        (
            "trajecten.csv",
            "traject_id,persoon_id,gevangenis,partner,domein,start,einde,afloop,stopreden\nT1,P1,gent,CAW,welzijn,2024-01-01,,afgerond,\n".into(),
            "afloop 'afgerond' vereist een einddatum (einde is leeg)",
        ),
        (
            "aanvragen.csv",
            "aanvraag_id,persoon_id,gevangenis,partner,dienst,aanvraag,start,afgesloten,afsluitreden\nA1,P1,gent,CAW,x,2024-01-01,2024-02-01,2024-03-01,andere\n".into(),
            "start en afgesloten zijn allebei ingevuld (een aanvraag start of wordt afgesloten zonder start)",
        ),
        (
            "aanvragen.csv",
            "aanvraag_id,persoon_id,gevangenis,partner,dienst,aanvraag,start,afgesloten,afsluitreden\nA1,P1,gent,CAW,x,2024-01-10,2024-01-09,,\n".into(),
            "start 09/01/2024 ligt voor aanvraag 10/01/2024",
        ),
        (
            "aanvragen.csv",
            "aanvraag_id,persoon_id,gevangenis,partner,dienst,aanvraag,start,afgesloten,afsluitreden\nA1,P1,gent,CAW,x,2024-01-10,,2024-01-09,andere\n".into(),
            "afgesloten 09/01/2024 ligt voor aanvraag 10/01/2024",
        ),
        (
            "aanvragen.csv",
            "aanvraag_id,persoon_id,gevangenis,partner,dienst,aanvraag,start,afgesloten,afsluitreden\nA1,P1,gent,CAW,x,2024-01-10,,2024-01-11,\n".into(),
            "afsluitreden ontbreekt terwijl afgesloten ingevuld is",
        ),
        (
            "uitstroom.csv",
            "persoon_id,gevangenis,detentie_begin,vrijlating,lange_detentiegeschiedenis,werk_kwartaal_1,wederopsluiting,opvolging_tot,werk_kwartaal_2\nP1,gent,2024-02-01,2024-01-01,ja,,,2025-01-01,\n".into(),
            "vrijlating 01/01/2024 ligt voor detentie_begin 01/02/2024",
        ),
        (
            "uitstroom.csv",
            "persoon_id,gevangenis,detentie_begin,vrijlating,lange_detentiegeschiedenis,werk_kwartaal_1,wederopsluiting,opvolging_tot,werk_kwartaal_2\nP1,gent,2023-02-01,2024-01-01,ja,,2024-01-01,2025-01-01,\n".into(),
            "wederopsluiting 01/01/2024 ligt niet na vrijlating 01/01/2024",
        ),
        (
            "uitstroom.csv",
            "persoon_id,gevangenis,detentie_begin,vrijlating,lange_detentiegeschiedenis,werk_kwartaal_1,wederopsluiting,opvolging_tot,werk_kwartaal_2\nP1,gent,2023-02-01,2024-01-01,ja,,,2023-12-31,\n".into(),
            "opvolging_tot 31/12/2023 ligt voor vrijlating 01/01/2024",
        ),
    ];
    for (name, text, message) in cases {
        let errs = errors_of(name, text);
        assert_eq!(
            errs,
            vec![format!("fout: {name}:2: {message}")],
            "{name}: {text}"
        );
    }
}

#[test]
fn duplicate_ids_name_both_rows() {
    let errs = errors_of(
        "trajecten.csv",
        "traject_id,persoon_id,gevangenis,partner,domein,start,einde,afloop,stopreden\nT1,P1,gent,CAW,welzijn,2024-01-01,,lopend,\nT1,P2,gent,CAW,welzijn,2024-01-01,,lopend,\n",
    );
    assert_eq!(
        errs,
        vec!["fout: trajecten.csv:3: traject_id 'T1' komt dubbel voor (ook op rij 2)"]
    );
}

#[test]
fn all_errors_of_a_file_come_together_capped() {
    let mut text = DET.to_string();
    for i in 0..60 {
        text.push_str(&format!("P{i},gent,2024-13-01,,\n"));
    }
    let errs = errors_of("detenties.csv", &text);
    assert_eq!(errs.len(), 51, "50 errors and a closing line");
    assert_eq!(
        errs[0],
        "fout: detenties.csv:2: '2024-13-01' is geen geldige datum (verwacht een datumcel, jjjj-mm-dd of d/m/jjjj)"
    );
    assert_eq!(
        errs[50],
        "fout: detenties.csv: … en nog 10 fouten in dit bestand (alleen de eerste 50 worden getoond)"
    );
}

#[test]
fn two_forms_of_a_source_and_corrupt_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "detenties.csv", DET);
    write(dir.path(), "Detenties.xlsx", "geen zip");
    let errs = load(dir.path()).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("bron `detenties` staat twee keer in de gegevensmap"),
        "{errs:?}"
    );
    let errs = errors_of("detenties.xlsx", "PK\u{3}\u{4} afgekapt");
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with(
            "fout: detenties.xlsx: het bestand kan niet als Excel-werkmap (.xlsx) gelezen worden"
        ),
        "{errs:?}"
    );
}

#[test]
fn overlapping_stays_warn_without_naming_the_person() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "detenties.csv",
        &format!(
            "{DET}SECRET1,gent,2024-01-01,2024-03-01,overbrenging\nSECRET1,brugge,2024-03-01,,\nSECRET2,gent,2024-01-01,2024-06-01,andere\nSECRET2,gent,2024-05-01,,\n"
        ),
    );
    let s = load(dir.path()).unwrap();
    let w: Vec<String> = s.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        w,
        vec![
            "waarschuwing: detenties.csv: 1 verblijf/verblijven overlappen met een ander verblijf van dezelfde persoon (bv. rijen 4 en 5); ze worden aanvaard"
        ]
    );
    assert!(!w.iter().any(|l| l.contains("SECRET")));
}

#[test]
fn parquet_from_the_generator_loads_like_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let spec = hdv::generate::Spec {
        persons: 60,
        years: "2023..2024".parse().unwrap(),
        seed: 3,
    };
    let (pq, csv) = (dir.path().join("pq"), dir.path().join("csv"));
    hdv::generate::generate(&spec, &pq, hdv::generate::Format::Parquet).unwrap();
    hdv::generate::generate(&spec, &csv, hdv::generate::Format::Csv).unwrap();
    let all: Vec<String> = hdv::generate::prison_codes();
    let a = load_sources(&pq, &all, None, &Profiles::default()).unwrap();
    let b = load_sources(&csv, &all, None, &Profiles::default()).unwrap();
    for s in Source::ALL.into_iter().filter(|s| !s.linked()) {
        assert_eq!(a.get(s).unwrap().batch, b.get(s).unwrap().batch, "{s}");
    }
}

#[test]
fn a_workbook_that_unpacks_beyond_the_limit_is_refused_before_unpacking() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["persoon_id", "gevangenis", "begin"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    // About 60,000 repetitive cells: a few hundred KB packed, several MB unpacked.
    for r in 1..20_000u32 {
        ws.write_string(r, 0, "P1").unwrap();
        ws.write_string(r, 1, "gent").unwrap();
        ws.write_string(r, 2, "2024-01-01").unwrap();
    }
    wb.save(dir.path().join("detenties.xlsx")).unwrap();
    let packed = std::fs::metadata(dir.path().join("detenties.xlsx"))
        .unwrap()
        .len();
    assert!(packed < 1 << 20, "packed {packed}");
    let run = |limit: &str| {
        Hdv::new(&["check", "--no-cache", "--data"])
            .arg(dir.path())
            .env("HDV_MAX_XLSX_MB", limit)
            .run()
    };
    let out = run("1");
    assert_eq!(out.code, 1, "the file has a finding");
    let err = out.stderr;
    assert!(
        err.contains("detenties.xlsx: de werkmap is uitgepakt"),
        "{err}"
    );
    assert!(err.contains("meer dan de grens van 1 MB"), "{err}");
    assert!(
        err.contains("HDV_MAX_XLSX_MB"),
        "says how to raise it: {err}"
    );
    // Within the default limit it loads (19,999 identical rows: a valid file).
    run("2048").success();
}
