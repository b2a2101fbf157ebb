//! `hdv answer`: recipes, suppression in published tables, DOCX, privacy.

use std::path::Path;
use std::process::Command;

const HDV: &str = env!("CARGO_BIN_EXE_hdv");
const FIXTURE: &str = "tests/fixtures/indicators/basis";

fn answer(args: &[&str], out: &Path) -> (i32, String) {
    let o = Command::new(HDV)
        .arg("answer")
        .args(args)
        .arg("--out")
        .arg(out)
        .args(["--no-cache"])
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn users_per_prison_on_the_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = answer(
        &[
            "gebruikers_per_gevangenis",
            "--year",
            "2023..2024",
            "--data",
            FIXTURE,
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let md =
        std::fs::read_to_string(dir.path().join("gebruikers_per_gevangenis_2023-2024.md")).unwrap();
    // Every count in the fixture is small (1-4): all shown as <5, the totals that would give
    // a single hidden cell away hidden too.
    assert!(md.contains("| Gevangenis Brugge | <5 | <5 |"), "{md}");
    insta::with_settings!({filters => vec![
        (r"Opdracht om het antwoord opnieuw te maken: `[^`]*`", "Opdracht om het antwoord opnieuw te maken: `[opdracht]`"),
    ]}, {
        insta::assert_snapshot!("gebruikers_fixture", md);
    });
    // The Word document opens and holds the title and the tables.
    let bytes = std::fs::read(dir.path().join("gebruikers_per_gevangenis_2023-2024.docx")).unwrap();
    let doc = docx_rs::read_docx(&bytes).expect("a valid docx");
    let json = doc.json();
    assert!(json.contains("Gedetineerden die gebruik maken van de hulp- en dienstverlening"));
    assert!(json.contains("Gebruikers per gevangenis en jaar"));
    assert!(json.contains("Gevangenis Brugge"));
    assert!(
        dir.path()
            .join("gebruikers_per_gevangenis_2023-2024.xlsx")
            .exists()
    );
}

#[test]
fn recipes_are_files_in_the_templates_folder_only() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["../Cargo", "onbestaand", "/etc/passwd"] {
        let (code, err) = answer(&[bad, "--year", "2024", "--data", FIXTURE], dir.path());
        assert_eq!(code, 2, "{bad}");
        assert!(
            err.contains(&format!("onbekend antwoordrecept '{bad}'")),
            "{err}"
        );
        assert!(
            err.contains("uitgaven_per_gevangenis"),
            "lists the recipes: {err}"
        );
    }
    let (code, err) = answer(
        &[
            "uitgaven_per_gevangenis",
            "--year",
            "2024",
            "--prison",
            "../x",
            "--data",
            FIXTURE,
        ],
        dir.path(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("onbekende gevangenis '../x'"), "{err}");
}

#[test]
fn the_questions_of_seed_002_come_out_of_the_samples_without_pseudonyms() {
    let dir = tempfile::tempdir().unwrap();
    for recipe in [
        "uitgaven_per_gevangenis",
        "gebruikers_per_gevangenis",
        "stand_van_het_plan",
        "wachtlijsten",
        "uitval_per_partner",
    ] {
        let (code, err) = answer(&[recipe, "--year", "2019..2024"], dir.path());
        assert_eq!(code, 0, "{recipe}: {err}");
    }
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    let sources = hdv::load::load_sources(Path::new("samples"), &model.prison_codes()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for f in &sources.files {
        if let Some(c) = f.batch.column_by_name("persoon_id") {
            use datafusion::arrow::array::AsArray;
            ids.extend(c.as_string::<i32>().iter().flatten().map(str::to_string));
        }
    }
    let mut checked = 0;
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let p = e.unwrap().path();
        let text = match p.extension().and_then(|x| x.to_str()) {
            Some("md") => std::fs::read_to_string(&p).unwrap(),
            Some("docx") => docx_rs::read_docx(&std::fs::read(&p).unwrap())
                .unwrap()
                .json(),
            _ => continue,
        };
        checked += 1;
        for token in text.split(|c: char| !c.is_alphanumeric()) {
            assert!(
                !ids.contains(token),
                "persoon_id {token} in {}",
                p.display()
            );
        }
    }
    assert_eq!(checked, 10);
    let md = std::fs::read_to_string(dir.path().join("stand_van_het_plan_2019-2024.md")).unwrap();
    assert!(md.contains("| SD1 |"), "{md}");
}

/// The cohort recipe prints the figures of `hdv eval` (rounded to one decimal), reads them
/// through the table `indicatoren`, and states that they are an association.
#[tokio::test]
async fn the_cohort_recipe_prints_the_eval_figures_and_the_caveat() {
    let dir = tempfile::tempdir().unwrap();
    let (code, err) = answer(&["deelname_en_herval", "--year", "2022..2023"], dir.path());
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(dir.path().join("deelname_en_herval_2022-2023.md")).unwrap();
    assert!(md.contains("geen gemeten effect"), "{md}");
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    let sources = hdv::load::load_sources(Path::new("samples"), &model.prison_codes()).unwrap();
    let ctx = hdv::register::build_context(&sources, &model).unwrap();
    let wanted: Vec<_> = ["verschil_wederopsluiting_deelname", "wederopsluiting_km_2j"]
        .iter()
        .map(|id| model.indicator(id).unwrap().clone())
        .collect();
    let eval = hdv::engine::evaluate(&ctx, &wanted, &sources, "2022..2023".parse().unwrap())
        .await
        .unwrap();
    let nl = |v: f64| hdv::render::nl_number(v, 1);
    let d = eval
        .total("verschil_wederopsluiting_deelname", 2022)
        .unwrap();
    let ci = d.interval.unwrap();
    let row = format!(
        "| 2022 | {} | {} | {} |",
        nl(d.value.unwrap()),
        nl(ci.low.unwrap()),
        nl(ci.high.unwrap())
    );
    assert!(md.contains(&row), "{row} not in\n{md}");
    let km = eval.total("wederopsluiting_km_2j", 2023).unwrap();
    let km22 = eval.total("wederopsluiting_km_2j", 2022).unwrap();
    let row = format!(
        "| Alle vrijlatingen | {} | {} |",
        nl(km22.value.unwrap()),
        nl(km.value.unwrap())
    );
    assert!(md.contains(&row), "{row} not in\n{md}");
}
