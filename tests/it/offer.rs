//! The offer catalogue (optional source `aanbod`) and the table "which offer exists in which
//! prison" of the yearly report's equal-access section, on hand-made data.

use crate::common::{FIXTURE, Hdv, Project};
use hdv::report::offer::{OfferBasis, OfferKind, offer_table};
use std::path::Path;

fn model() -> hdv::model::Model {
    hdv::model::load_model(Path::new(".")).unwrap()
}

const DEELNAME: &str = "\
persoon_id,gevangenis,domein,partner,aanbod,start,einde,status,examen,geslaagd
P1,gent,cultuur,De Rode Antraciet,Leesclub,2023-11-02,2024-02-10,voltooid,,
P2,gent,onderwijs,CVO,ICT-basis,2023-01-10,2023-12-20,voltooid,,
P3,brugge,sport,Sportdienst,Sport: voetbal,2025-01-05,,lopend,,
P4,brugge,onderwijs,CVO,Nederlands tweede taal,2022-09-01,,lopend,,
P5,sint-gillis,sport,Sportdienst,Sport: fitness,2024-01-05,2024-02-05,voltooid,,
";

const AANBOD: &str = "\
aanbod,soort,organisator,gevangenis,domein,jaar,sessiereeksen
Leesclub,groepsaanbod,De Rode Antraciet,gent,cultuur,2024,2
Leesclub,groepsaanbod,De Rode Antraciet,brugge,cultuur,2024,1
Psychosociale begeleiding,individueel_aanbod,CAW,gent,welzijn,2024,
ICT-basis,groepsaanbod,CVO,gent,onderwijs,2023,3
";

fn data(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn load(dir: &Path) -> hdv::load::Sources {
    let dir = dir.to_str().unwrap();
    crate::common::fixture_inputs(&model(), dir).sources
}

#[test]
fn the_catalogue_says_which_offer_exists_in_which_prison() {
    let m = model();
    let dir = data(&[("deelname.csv", DEELNAME), ("aanbod.csv", AANBOD)]);
    let t = offer_table(&m, &load(dir.path()), 2024);
    assert_eq!(t.basis, OfferBasis::Catalogue);
    // Domains in the contract's order, only those with an offer; the 2023 row is not shown.
    assert_eq!(t.domains, ["welzijn", "cultuur"]);
    type Row<'a> = (&'a str, OfferKind, &'a str, Vec<&'a str>, Option<i64>);
    let offers: Vec<Row> = t
        .offers
        .iter()
        .map(|o| {
            (
                o.name.as_str(),
                o.kind,
                o.organiser.as_str(),
                o.prisons.iter().map(String::as_str).collect(),
                o.series,
            )
        })
        .collect();
    assert_eq!(
        offers,
        [
            (
                "Psychosociale begeleiding",
                OfferKind::Individual,
                "CAW",
                vec!["gent"],
                None
            ),
            (
                "Leesclub",
                OfferKind::Group,
                "De Rode Antraciet",
                vec!["brugge", "gent"],
                Some(3)
            ),
        ]
    );
    // Every prison open in 2024 has a row (Haren yes; Sint-Gillis and Ieper are closed).
    let names: Vec<&str> = t.prisons.iter().map(|p| p.prison.as_str()).collect();
    assert_eq!(names.len(), 19);
    assert!(names.contains(&"Gevangenis Haren"));
    assert!(!names.contains(&"Gevangenis Sint-Gillis"));
    let gent = t.prisons.iter().find(|p| p.code == "gent").unwrap();
    assert_eq!((gent.group, gent.individual), (1, 1));
    assert_eq!(
        gent.per_domain,
        [
            vec!["Psychosociale begeleiding".to_string()],
            vec!["Leesclub".to_string()]
        ]
    );
    let antwerpen = t.prisons.iter().find(|p| p.code == "antwerpen").unwrap();
    assert_eq!((antwerpen.group, antwerpen.individual), (0, 0));
    assert_eq!(t.cells.len(), 3);
}

#[test]
fn without_a_catalogue_the_group_offer_is_derived_from_participation_in_the_year() {
    let m = model();
    let dir = data(&[("deelname.csv", DEELNAME)]);
    let t = offer_table(&m, &load(dir.path()), 2024);
    assert_eq!(t.basis, OfferBasis::Participation);
    // Running in 2024: Leesclub in Gent (2023-11 to 2024-02) and NT2 in Brugge (open since
    // 2022). Not: ICT-basis (ended 2023), voetbal (starts 2025), fitness in Sint-Gillis
    // (closed in 2024).
    let offers: Vec<(&str, &str, Vec<&str>)> = t
        .offers
        .iter()
        .map(|o| {
            (
                o.name.as_str(),
                o.organiser.as_str(),
                o.prisons.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        offers,
        [
            ("Nederlands tweede taal", "CVO", vec!["brugge"]),
            ("Leesclub", "De Rode Antraciet", vec!["gent"]),
        ]
    );
    assert!(t.offers.iter().all(|o| o.kind == OfferKind::Group));
    assert!(t.offers.iter().all(|o| o.series.is_none()));
}

#[test]
fn without_catalogue_or_participation_there_is_nothing_to_show() {
    let m = model();
    let dir = data(&[(
        "detenties.csv",
        "persoon_id,gevangenis,begin,einde,reden_einde\nP1,gent,2024-01-01,,\n",
    )]);
    let t = offer_table(&m, &load(dir.path()), 2024);
    assert_eq!(t.basis, OfferBasis::Nothing);
    assert!(t.offers.is_empty() && t.cells.is_empty());
    assert!(t.prisons.iter().all(|p| p.group == 0 && p.individual == 0));
}

#[test]
fn the_catalogue_is_optional_and_checked_like_every_source() {
    // A data folder without it is complete: not a missing source.
    let dir = data(&[("deelname.csv", DEELNAME)]);
    let s = load(dir.path());
    assert!(!s.missing.contains(&hdv::contract::Source::Aanbod));
    assert!(s.missing.contains(&hdv::contract::Source::Trajecten));
    // An unknown kind of offer is an error naming the cell and the allowed values.
    let bad = AANBOD.replace("individueel_aanbod", "individueel");
    let dir = data(&[("aanbod.csv", &bad)]);
    let err = hdv::load::load_sources(
        dir.path(),
        &model().prison_codes(),
        None,
        &hdv::load::Profiles::default(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("aanbod.csv:4"), "{text}");
    assert!(text.contains("individueel"), "{text}");
    assert!(text.contains("groepsaanbod"), "{text}");
}

#[test]
fn the_yearly_report_shows_the_catalogue_in_markdown_html_and_xlsx() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let p = Project::new()
        .with_data(FIXTURE)
        .file("data/aanbod.csv", AANBOD);
    let out = tempfile::tempdir().unwrap();
    Hdv::new(&["report", "--year", "2024", "--no-cache", "--data"])
        .arg(p.data())
        .arg("--out")
        .arg(out.path())
        .run()
        .success();
    let dir = out.path().join("2024");
    let md = std::fs::read_to_string(dir.join("jaarrapport.md")).unwrap();
    assert!(md.contains("### Aanbod per gevangenis (2024)"));
    assert!(md.contains("Bron: de aanbodcatalogus voor 2024"));
    assert!(md.contains("| gevangenis | groepsaanbod | individueel aanbod | welzijn | cultuur |"));
    assert!(md.contains("| Gevangenis Gent | 1 | 1 | Psychosociale begeleiding | Leesclub |"));
    assert!(md.contains("| Gevangenis Antwerpen | 0 | 0 | — | — |"));
    assert!(md.contains(
        "| Leesclub | groepsaanbod | De Rode Antraciet | cultuur | 2 | alleen Gevangenis Brugge, Gevangenis Gent | 3 |"
    ));
    let html = std::fs::read_to_string(dir.join("jaarrapport.html")).unwrap();
    assert!(html.contains(
        "<th scope=\"row\">Psychosociale begeleiding</th><td>individueel aanbod</td><td>CAW</td>"
    ));
    let mut wb: Xlsx<_> = open_workbook(dir.join("jaarrapport.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Aanbod per gevangenis").unwrap();
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let text = |s: &str| Data::String(s.into());
    assert_eq!(
        rows[0][..6],
        [
            text("gevangenis"),
            text("domein"),
            text("aanbod"),
            text("soort aanbod"),
            text("organisator"),
            text("sessiereeksen")
        ]
    );
    // One row per offer and prison, prisons by name; session series stored as numbers.
    assert_eq!(
        rows[1][..6],
        [
            text("Gevangenis Brugge"),
            text("cultuur"),
            text("Leesclub"),
            text("groepsaanbod"),
            text("De Rode Antraciet"),
            Data::Float(1.0)
        ]
    );
    assert_eq!(rows[2][2], text("Psychosociale begeleiding"));
    assert_eq!(rows[2][5], Data::Empty);
    assert_eq!(
        rows[3][..3],
        [text("Gevangenis Gent"), text("cultuur"), text("Leesclub")]
    );
    assert_eq!(rows[3][5], Data::Float(2.0));
}
