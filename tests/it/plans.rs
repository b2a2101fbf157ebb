//! Plans over time: several plans side by side, revisions as data, series breaks, the final
//! evaluation, the answer on reached goals and the skeleton of a successor plan, on small
//! hand-made plans in a temporary project.

use crate::common::{FIXTURE, Hdv, Project};
use calamine::{Data, Reader, Xlsx};
use hdv::disclosure::Disclosure;
use hdv::render::{self, words::Marks};
use hdv::report::{RunInfo, evaluation, yearly};
use std::path::Path;

/// A small plan 2020-2025: two objectives, two actions; the revision of 22-12-2023 adds
/// A2.1.2 and lowers the 2025 target of deelname_graad from 60 to 55.
const PLAN: &str = r#"titel: Testplan 2020-2025
eerste_jaar: 2020
laatste_jaar: 2025
goedgekeurd: 2020-11-13
doelstellingen:
  - {id: SD1, titel: Eerste doelstelling}
  - {id: SD2, titel: Tweede doelstelling}
acties:
  - id: A1.1.1
    titel: Eerste actie
    doelstelling: SD1
    trekker: Trekker een
    indicatoren: [deelname_graad]
    status:
      - {jaar: 2020, status: lopend}
      - {jaar: 2021, status: gerealiseerd}
  - id: A2.1.1
    titel: Tweede actie
    doelstelling: SD2
    trekker: Trekker twee
    status:
      - {jaar: 2021, status: vertraagd, toelichting: Wacht op middelen.}
herzieningen:
  - datum: 2023-12-22
    beslissing: Tussentijdse evaluatie en bijsturing van het testplan
    naam: tussentijdse evaluatie en bijsturing
    reden: Nieuwe noden.
    wijzigingen:
      - soort: toevoegen
        actie:
          id: A2.1.2
          titel: Toegevoegde actie
          doelstelling: SD2
          trekker: Trekker drie
          status: [{jaar: 2024, status: lopend}]
      - {soort: doel, indicator: deelname_graad, jaar: 2025, waarde: 55}
"#;

/// A temporary project: the repository's indicators, templates and prisons, the plan above
/// as the only plan, no local plans; deelname_graad gets a break in 2023.
fn project() -> Project {
    let p = Project::new().with_model();
    std::fs::remove_dir_all(p.join("plans/lokaal")).unwrap();
    std::fs::remove_dir_all(p.join("plans/plannen")).unwrap();
    p.write("plans/plannen/2020-2025.yaml", PLAN);
    p.edit(
        "indicators/deelname_graad.yaml",
        "sql: |",
        "breuken:\n  - {jaar: 2023, omschrijving: Ook individuele trajecten tellen mee.}\nsql: |",
    );
    p
}

fn run_info() -> RunInfo {
    RunInfo {
        version: "0.0.0-test".into(),
        command: "hdv test".into(),
        generated: "2026-01-01".into(),
    }
}

/// The evaluation of `model`'s indicators on the fixture for 2019..`last`.
fn evaluate(model: &hdv::model::Model, last: i32) -> (hdv::engine::Evaluation, hdv::load::Sources) {
    let session = crate::common::session(FIXTURE);
    let inputs = crate::common::fixture_inputs(model, FIXTURE);
    let eval = session
        .evaluate(
            &inputs,
            &model.indicators,
            format!("2019..{last}").parse().unwrap(),
        )
        .unwrap();
    (eval, inputs.sources)
}

fn year_report(model: &hdv::model::Model, year: i32) -> yearly::YearReport {
    let m = model.as_of(year);
    let (eval, sources) = evaluate(&m, year);
    yearly::build(
        &m,
        &eval,
        &sources,
        year,
        run_info(),
        &Disclosure::of(&m, &eval),
        yearly::Extras::default(),
    )
    .unwrap()
}

fn actions(r: &yearly::YearReport) -> Vec<String> {
    r.objectives
        .iter()
        .flat_map(|o| o.actions.iter().map(|a| a.id.clone()))
        .collect()
}

fn row<'a>(r: &'a yearly::YearReport, id: &str) -> &'a yearly::IndicatorRow {
    r.objectives
        .iter()
        .flat_map(|o| &o.indicators)
        .chain(&r.context)
        .find(|i| i.id == id)
        .unwrap()
}

#[test]
fn yearly_reports_before_and_after_the_revision_assess_against_their_version() {
    let p = project();
    let model = hdv::model::load_model(p.path()).unwrap();

    // 2022: before the revision of 22-12-2023: the original version, two actions, target 60.
    let before = year_report(&model, 2022);
    assert_eq!(before.plan_version.plan, "2020-2025");
    assert_eq!(
        before.plan_version.label,
        "oorspronkelijke versie (goedgekeurd op 13 november 2020)"
    );
    assert_eq!(actions(&before), ["A1.1.1", "A2.1.1"]);
    let t = row(&before, "deelname_graad").target.unwrap();
    assert_eq!((t.year, t.value), (2025, 60.0));

    // 2023 ends after the revision: the revised version holds from then on.
    let at = year_report(&model, 2023);
    assert!(
        at.plan_version
            .label
            .starts_with("versie na de herziening van 22 december 2023")
    );
    assert_eq!(actions(&at), ["A1.1.1", "A2.1.1", "A2.1.2"]);

    // 2024: the added action (lopend) and the changed target (55).
    let after = year_report(&model, 2024);
    assert_eq!(
        after.plan_version.label,
        "versie na de herziening van 22 december 2023 (tussentijdse evaluatie en bijsturing)"
    );
    let added = after
        .objectives
        .iter()
        .flat_map(|o| &o.actions)
        .find(|a| a.id == "A2.1.2")
        .unwrap();
    assert_eq!(added.status, hdv::model::ActionStatus::Lopend);
    let t = row(&after, "deelname_graad").target.unwrap();
    assert_eq!((t.year, t.value), (2025, 55.0));
    // The path to the target follows the changed target.
    assert_eq!(
        row(&after, "deelname_graad").path.last(),
        Some(&(2025, 55.0))
    );

    // Every output names the version.
    let env = render::environment(&p.path().join("templates"));
    let md = render::render(
        &env,
        "jaarrapport.md",
        render::yearly::page(&after, &Marks::of(&hdv::model::Policy::default())),
    )
    .unwrap();
    assert!(md.contains(
        "getoetst aan de versie na de herziening van 22 december 2023 (tussentijdse evaluatie en bijsturing)"
    ));
}

#[test]
fn a_series_break_shows_in_the_chart_data_tables_and_workbook() {
    let p = project();
    let model = hdv::model::load_model(p.path()).unwrap();
    let r = year_report(&model, 2024);
    let ind = row(&r, "deelname_graad");
    // The fixture's series runs 2019-2024; the break of 2023 falls inside it.
    assert_eq!(ind.breaks, vec![2023]);
    let marks = Marks::of(&hdv::model::Policy::default());
    let page = render::yearly::page(&r, &marks);
    let line = page
        .doelstellingen
        .iter()
        .flat_map(|o| &o.indicatoren)
        .find(|i| i.id == "deelname_graad")
        .unwrap();
    let marked: Vec<i32> = line
        .reeks
        .iter()
        .filter(|y| y.breuk)
        .map(|y| y.jaar)
        .collect();
    assert_eq!(marked, vec![2023]);
    // The fixture's rates sit on denominators under 10 (not published), so the report draws
    // no chart for it; the chart drawn from the row's break data marks the break.
    assert!(line.grafiek.is_empty() || line.grafiek.contains("breuk 2023"));
    let svg = render::chart::trend_svg(&render::chart::Trend {
        title: &ind.title,
        unit: "%",
        values: &[(2021, 50.0), (2022, 52.0), (2023, 58.0), (2024, 57.0)],
        band: &[],
        target_path: &ind.path,
        breaks: &ind.breaks,
        percent: true,
    })
    .unwrap();
    assert!(svg.contains("breuk 2023"), "no break line in the chart");
    let env = render::environment(&p.path().join("templates"));
    let md = render::render(&env, "jaarrapport.md", &page).unwrap();
    assert!(md.contains("2023 (breuk in de reeks: nieuwe definitie): "));

    // Workbook: the series sheet marks the year, the year stays a number.
    let bytes = render::yearly::workbook(&r, &marks).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("Reeksen").unwrap();
    let title = &ind.title;
    let rows: Vec<_> = sheet
        .rows()
        .filter(|r| r.first() == Some(&Data::String(title.clone())))
        .collect();
    let of_year = |y: f64| {
        rows.iter()
            .find(|r| matches!(r[2], Data::Float(v) if v == y) || r[2] == Data::Int(y as i64))
            .unwrap_or_else(|| panic!("no row for {y}"))
    };
    assert_eq!(
        of_year(2023.0)[4],
        Data::String("breuk: nieuwe definitie vanaf dit jaar".into())
    );
    assert!(
        matches!(of_year(2022.0).get(4), None | Some(Data::Empty)),
        "{:?}",
        of_year(2022.0)
    );

    // Without breaks nothing is marked (the repository's own indicators have none).
    let plain = hdv::model::load_model(Path::new(".")).unwrap();
    assert!(plain.indicators.iter().all(|i| i.breuken.is_empty()));
}

#[test]
fn the_final_evaluation_lists_the_action_added_at_the_revision() {
    let p = project();
    let model = hdv::model::load_model(p.path()).unwrap();
    let plan = model.plan_by_id("2020-2025").unwrap().clone();
    let m = model.with_plan(&plan);
    let (eval, sources) = evaluate(&m, 2025);
    let r = evaluation::build(&m, &eval, &sources, run_info(), &Disclosure::of(&m, &eval));
    assert_eq!(r.added, Some(1));
    let acts: Vec<_> = r.objectives.iter().flat_map(|o| &o.actions).collect();
    let added = acts.iter().find(|a| a.id == "A2.1.2").unwrap();
    assert_eq!(
        added.added_at,
        Some(chrono::NaiveDate::from_ymd_opt(2023, 12, 22).unwrap())
    );
    let first = acts.iter().find(|a| a.id == "A1.1.1").unwrap();
    assert_eq!(first.added_at, None);
    assert_eq!(
        (first.status, first.since),
        (hdv::model::ActionStatus::Gerealiseerd, Some(2021))
    );
    let delayed = acts.iter().find(|a| a.id == "A2.1.1").unwrap();
    assert_eq!(delayed.delayed_in, vec![2021]);
    // Open for the next plan: the delayed and the running action, not the realised one.
    let open: Vec<_> = r.open.actions.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(open, ["A2.1.1", "A2.1.2"]);
    // The end target is the revised one.
    let ind = r
        .indicators
        .iter()
        .find(|i| i.id == "deelname_graad")
        .unwrap();
    assert_eq!(ind.target.map(|t| t.value), Some(55.0));

    let marks = Marks::of(&hdv::model::Policy::default());
    let env = render::environment(&p.path().join("templates"));
    let page = render::evaluation::page(&r, &marks);
    let md = render::render(&env, "eindevaluatie.md", &page).unwrap();
    let line = md.lines().find(|l| l.starts_with("| A2.1.2 |")).unwrap();
    assert!(
        line.contains("toegevoegd bij de herziening van 22 december 2023"),
        "{line}"
    );
    assert!(line.contains("lopend sinds 2024"), "{line}");
    assert!(md.contains("- Wijziging: actie A2.1.2 toegevoegd: Toegevoegde actie"));
    assert!(md.contains("- Wijziging: doel van Deelnamegraad aan het aanbod voor 2025: 55,0 %"));
    assert!(md.contains("getoetst aan de versie na de herziening van 22 december 2023"));
    let html = render::render(&env, "eindevaluatie.html", &page).unwrap();
    assert!(html.contains("toegevoegd bij de herziening van 22 december 2023"));

    // The workbook, read back: the action's origin, its year realised as a number.
    let bytes = render::evaluation::workbook(&r, &marks).unwrap();
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("Acties").unwrap();
    let a = sheet
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("A2.1.2".into())))
        .unwrap();
    assert_eq!(
        a[8],
        Data::String("toegevoegd bij de herziening van 22 december 2023".into())
    );
    let a = sheet
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("A1.1.1".into())))
        .unwrap();
    assert!(matches!(a[6], Data::Float(v) if v == 2021.0) || a[6] == Data::Int(2021));
}

/// The errors `hdv check` (the model loader) gives for the project, as text.
fn errors(p: &Project) -> Vec<String> {
    hdv::model::load_model(p.path())
        .unwrap_err()
        .errors()
        .map(|d| d.to_string())
        .collect()
}

/// `file:line:column` of the first `needle` on or after the line holding `after`.
fn place(file: &Path, text: &str, after: &str, needle: &str) -> String {
    let from = text.lines().position(|l| l.contains(after)).unwrap();
    let (i, l) = text
        .lines()
        .enumerate()
        .skip(from)
        .find(|(_, l)| l.contains(needle))
        .unwrap();
    format!(
        "{}:{}:{}",
        file.display(),
        i + 1,
        l.find(needle).unwrap() + 1
    )
}

#[test]
fn check_refuses_bad_plans_and_revisions_at_file_line_and_column() {
    // An unknown action in a revision.
    let p = project();
    let text = PLAN.replace(
        "      - {soort: doel, indicator: deelname_graad, jaar: 2025, waarde: 55}",
        "      - {soort: schrappen, actie: A9.9.9}\n      - {soort: doel, indicator: deelname_graad, jaar: 2027, waarde: 55}",
    );
    let f = p.write("plans/plannen/2020-2025.yaml", &text);
    let errs = errors(&p);
    let want = format!(
        "{}: herziening van 22 december 2023: onbekende actie `A9.9.9` in plan 2020-2025",
        place(&f, &text, "herzieningen", "A9.9.9")
    );
    assert!(errs.iter().any(|e| e.contains(&want)), "{errs:#?}\n{want}");
    // A target of a revision outside the plan's period.
    let want = format!(
        "{}: herziening van 22 december 2023: doel voor 2027 ligt buiten de planperiode 2020-2025",
        place(&f, &text, "herzieningen", "2027")
    );
    assert!(errs.iter().any(|e| e.contains(&want)), "{errs:#?}\n{want}");

    // Overlapping periods: a second plan 2024-2028.
    let p = project();
    let other = "titel: Volgend plan\neerste_jaar: 2024\nlaatste_jaar: 2028\ndoelstellingen: [{id: ND1, titel: Nieuw}]\n";
    let f = p.write("plans/plannen/2024-2028.yaml", other);
    let errs = errors(&p);
    let want = format!(
        "{}: de periode van plan 2024-2028 (2024-2028) overlapt met die van plan 2020-2025 (2020-2025)",
        place(&f, other, "titel", "eerste_jaar")
    );
    assert!(errs.iter().any(|e| e.contains(&want)), "{errs:#?}\n{want}");

    // A target (in an indicator) outside the period of the plan it names.
    let p = project();
    let ind = p.path().join("indicators/deelname_graad.yaml");
    let text = std::fs::read_to_string(&ind).unwrap().replacen(
        "  - {jaar: 2025, waarde: 60, voorbeeld: true}",
        "  - {jaar: 2019, waarde: 60, voorbeeld: true, plan: 2020-2025}",
        1,
    );
    std::fs::write(&ind, &text).unwrap();
    let errs = errors(&p);
    let want = format!(
        "{}: indicator `deelname_graad`: doel voor 2019 ligt buiten de periode 2020-2025 van plan 2020-2025",
        place(&ind, &text, "doelen:", "2019")
    );
    assert!(errs.iter().any(|e| e.contains(&want)), "{errs:#?}\n{want}");

    // A local plan of 2024 linked to an action of another plan (2015-2019).
    let p = project();
    let old = "titel: Vorig plan\neerste_jaar: 2015\nlaatste_jaar: 2019\ndoelstellingen: [{id: PD1, titel: Oud}]\nacties:\n  - {id: OUD.1, titel: Oude actie, doelstelling: PD1, trekker: X}\n";
    p.write("plans/plannen/2015-2020.yaml", old);
    let local = "gevangenis: gent\njaar: 2024\nacties:\n  - id: G-1\n    titel: Lokaal\n    strategische_acties: [A1.1.1, OUD.1]\n    eigenaar: X\n    status: lopend\n";
    let f = p.write("plans/lokaal/2024/gent.yaml", local);
    let errs = errors(&p);
    let want = format!(
        "{}: lokale actie `G-1`: strategische actie `OUD.1` hoort bij plan 2015-2020, niet bij plan 2020-2025 dat in 2024 van kracht is",
        place(&f, local, "G-1", "OUD.1")
    );
    assert!(errs.iter().any(|e| e.contains(&want)), "{errs:#?}\n{want}");
    assert_eq!(errs.len(), 1, "{errs:#?}");
}

#[test]
fn the_repository_holds_both_plans_and_a_year_selects_the_plan_in_force() {
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    let ids: Vec<_> = model.plans.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["2015-2020", "2020-2025"]);
    let old = model.plan_by_id("2015-2020").unwrap();
    assert_eq!(old.strategische_opties.len(), 10);
    assert_eq!(old.doelstellingen.len(), 19);
    assert!(
        old.strategische_opties[5]
            .titel
            .contains("verslavingsproblematiek")
    );
    // Goals 1, 4, 10, 11 and 13 are described in the sources; the other 14 are provisional.
    let known: Vec<_> = old
        .doelstellingen
        .iter()
        .filter(|o| !o.voorlopige_titel)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(known, ["PD1", "PD4", "PD10", "PD11", "PD13"]);
    assert_eq!(model.as_of(2019).plan.id, "2015-2020");
    assert_eq!(model.as_of(2020).plan.id, "2020-2025");
    assert_eq!(model.as_of(2024).plan.acties.len(), 53);
    let p = model.plan_by_id("2020-2025").unwrap();
    assert_eq!(p.action("A5.3.1").unwrap().maatregel, Some(51));
    assert_eq!(p.herzieningen.len(), 1);
    assert!(p.herzieningen[0].voorlopig);
}

#[test]
fn goals_reached_answers_for_any_plan_and_says_onbekend_where_data_cannot_tell() {
    let p = project();
    // A plan followed per goal: PD1 realised, PD2 without any status.
    let old = "titel: Vorig plan\neerste_jaar: 2015\nlaatste_jaar: 2019\ndoelstellingen:\n  - {id: PD1, titel: Eerste doel, status: [{jaar: 2018, status: gerealiseerd}]}\n  - {id: PD2, titel: Tweede doel, voorlopige_titel: true}\n";
    p.write("plans/plannen/2015-2020.yaml", old);
    let proj = p.path().to_str().unwrap();
    let out = p.path().join("out");
    let cache = p.path().join("cache");
    for years in ["2015..2019", "2020..2025"] {
        Hdv::new(&[
            "answer",
            "doelen_bereikt",
            "--year",
            years,
            "--project",
            proj,
            "--data",
            FIXTURE,
            "--out",
            out.to_str().unwrap(),
            "--cache",
            cache.to_str().unwrap(),
        ])
        .dated()
        .run()
        .success();
    }
    let old = std::fs::read_to_string(out.join("doelen_bereikt_2015-2019.md")).unwrap();
    assert!(old.contains("Vorig plan (rapportjaren 2015-2019)"), "{old}");
    assert!(
        old.contains(
            "| PD1 | Eerste doel | bereikt | eigen status van de doelstelling: gerealiseerd |"
        ),
        "{old}"
    );
    assert!(old.contains("| PD2 | (titel nog over te nemen uit het goedgekeurde plan) | onbekend | onbekend: het plan bevat geen status en geen acties voor deze doelstelling |"), "{old}");
    // 2020-2025 at the end of 2025: SD1's only action realised; SD2 has a delayed and a
    // running action (the one added at the revision).
    let new = std::fs::read_to_string(out.join("doelen_bereikt_2020-2025.md")).unwrap();
    assert!(
        new.contains("getoetst aan\nde versie na de herziening van 22 december 2023")
            || new.contains("getoetst aan de versie na de herziening van 22 december 2023"),
        "{new}"
    );
    assert!(new.contains("| SD1 | Eerste doelstelling | bereikt | 1 van de 1 niet-geschrapte acties gerealiseerd |"), "{new}");
    assert!(new.contains("| SD2 | Tweede doelstelling | niet bereikt | 0 van de 2 niet-geschrapte acties gerealiseerd |"), "{new}");
}

#[test]
fn plan_new_writes_a_valid_skeleton_with_open_actions_and_baselines() {
    let p = project();
    let proj = p.path().to_str().unwrap();
    let cache = p.path().join("cache");
    let args = [
        "plan",
        "new",
        "--from",
        "2020-2025",
        "--period",
        "2026..2030",
        "--project",
        proj,
        "--data",
        FIXTURE,
        "--cache",
        cache.to_str().unwrap(),
    ];
    Hdv::new(&args).dated().run().success();
    let file = p.path().join("plans/plannen/2026-2030.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    // Never overwritten.
    let err = Hdv::new(&args).dated().run().exits(2).stderr;
    assert!(
        err.contains("bestaat al; het wordt niet overschreven"),
        "{err}"
    );
    // The skeleton is a valid plan: the model loads with three plans.
    let model = hdv::model::load_model(p.path()).unwrap();
    let new = model.plan_by_id("2026-2030").unwrap();
    assert_eq!((new.eerste_jaar, new.laatste_jaar), (2026, 2030));
    assert!(new.doelstellingen.iter().all(|o| o.voorlopige_titel));
    // The open actions at the end of 2025: A2.1.1 (delayed) and A2.1.2 (added, running).
    let ids: Vec<_> = new.acties.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["A2.1.1", "A2.1.2"], "{text}");
    assert!(
        text.contains("# eind 2025: vertraagd (Wacht op middelen.)"),
        "{text}"
    );
    // Baselines: the last published value up to 2025. The fixture's data end in 2024:
    // gedetineerden 2024 is 5 (see the report tests).
    let ged = new
        .basislijnen
        .iter()
        .find(|b| b.indicator == "gedetineerden")
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!((ged.jaar, ged.waarde), (2024, 5.0));
    // A rate that is never publishable stays a comment: the participation rate of 2024 is
    // 4 of 5 persons (a small numerator), and so in every year of the fixture.
    assert!(
        text.contains("  # deelname_graad: geen publiceerbare waarde tot en met 2025\n"),
        "{text}"
    );
    assert!(
        new.basislijnen
            .iter()
            .all(|b| b.indicator != "deelname_graad")
    );
    // The share of realised actions counts the plan's own actions, not persons: published
    // whatever its denominator (3 actions).
    assert!(
        new.basislijnen
            .iter()
            .any(|b| b.indicator == "acties_gerealiseerd")
    );
    // In force from 2026, its baselines replace the indicators' own.
    let m = model.as_of(2026);
    assert_eq!(m.plan.id, "2026-2030");
    for pb in &new.basislijnen {
        let ind = m.indicator(&pb.indicator).unwrap();
        assert_eq!(
            ind.basislijn.as_ref().map(|x| (x.jaar, x.waarde)),
            Some((pb.jaar, pb.waarde))
        );
    }
}

#[test]
fn skeletons_from_texts_with_colons_quotes_hashes_and_line_breaks_pass_check() {
    let p = project();
    let proj = p.path().to_str().unwrap();
    // A plan, an objective, an action, a status note and a prison name with every character
    // that can break a YAML line.
    let hostile = r#""Plan: \"oud\" # één\nregel: twee""#;
    for (from, to) in [
        ("titel: Testplan 2020-2025", format!("titel: {hostile}")),
        (
            "{id: SD1, titel: Eerste doelstelling}",
            format!("{{id: SD1, titel: {hostile}, korte_titel: {hostile}}}"),
        ),
        ("titel: Tweede actie", format!("titel: {hostile}")),
        (
            "toelichting: Wacht op middelen.",
            format!("toelichting: {hostile}"),
        ),
        ("trekker: Trekker twee", format!("trekker: {hostile}")),
    ] {
        p.edit("plans/plannen/2020-2025.yaml", from, &to);
    }
    p.edit(
        "plans/gevangenissen.yaml",
        "- {code: wortel, naam: Gevangenis Wortel}",
        &format!("- {{code: wortel, naam: {hostile}}}"),
    );
    hdv::model::load_model(p.path()).expect("the edited model is valid");
    let cache = p.path().join("cache");
    Hdv::new(&[
        "plan",
        "new",
        "--from",
        "2020-2025",
        "--period",
        "2026..2030",
        "--project",
        proj,
        "--data",
        FIXTURE,
        "--cache",
        cache.to_str().unwrap(),
    ])
    .dated()
    .run()
    .success();
    Hdv::new(&[
        "local",
        "init",
        "--prison",
        "wortel",
        "--year",
        "2025",
        "--project",
        proj,
    ])
    .dated()
    .run()
    .success();
    let plan = std::fs::read_to_string(p.join("plans/plannen/2026-2030.yaml")).unwrap();
    assert!(plan.contains("Onderzoek") || plan.contains("oud"), "{plan}");
    // `check` reads both skeletons: no finding about them.
    let run = Hdv::new(&[
        "check",
        "--project",
        proj,
        "--data",
        FIXTURE,
        "--cache",
        cache.to_str().unwrap(),
    ])
    .dated()
    .run()
    .no_panic();
    for line in run.stderr.lines().filter(|l| l.starts_with("fout")) {
        assert!(
            !line.contains("2026-2030.yaml") && !line.contains("wortel.yaml"),
            "{}",
            run.stderr
        );
    }
    let model = hdv::model::load_model(p.path()).expect("both skeletons validate");
    assert!(model.plan_by_id("2026-2030").is_some());
    assert_eq!(
        model
            .local_plan("wortel", 2025)
            .unwrap()
            .lokaal_beleidsteam
            .as_deref(),
        Some("Lokaal beleidsteam Plan: \"oud\" # één\nregel: twee")
    );
}

/// Issue 28 item 2: the alignment of the local plans rests on the local plans of the year;
/// 2025 has none (the repository holds local plans for 2023 and 2024), so the final
/// evaluation shows "geen gegevens" for it, not the 0,0 % the SQL computes over no plans with
/// a trend word. The share of realised actions rests on the plan's sample statuses: VOORBEELD.
#[test]
fn a_year_without_local_plans_is_no_data_and_figures_on_sample_statuses_say_voorbeeld() {
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    assert!(model.local_plans.iter().all(|l| l.jaar != 2025));
    assert!(model.local_plans.iter().any(|l| l.jaar == 2024));
    let plan = model.plan_by_id("2020-2025").unwrap().clone();
    assert!(plan.statussen_voorbeeld);
    let m = model.with_plan(&plan);
    let (eval, sources) = evaluate(&m, 2025);
    // What the engine computes for 2025 is a number (0 covered actions of 53) ...
    let computed = eval.total("lokale_afstemming", 2025).and_then(|o| o.value);
    assert_eq!(computed, Some(0.0));
    let r = evaluation::build(&m, &eval, &sources, run_info(), &Disclosure::of(&m, &eval));
    let i = r
        .indicators
        .iter()
        .position(|i| i.id == "lokale_afstemming")
        .unwrap();
    let row = &r.indicators[i];
    // ... the report says there is nothing to rest on.
    assert_eq!(row.value.shown, hdv::disclosure::Shown::NoData);
    assert_eq!(row.assessment.status, hdv::assess::Status::GeenGegevens);
    assert_eq!(row.no_data, vec![hdv::report::Basis::LocalPlans]);
    assert_eq!(r.end_targets[i], evaluation::EndTarget::NoData);
    // The years with local plans keep their values in the series.
    let shown: Vec<i32> = row
        .series
        .iter()
        .filter(|(_, f)| matches!(f.shown, hdv::disclosure::Shown::Value(_)))
        .map(|(y, _)| *y)
        .collect();
    assert!(shown.contains(&2024) && !shown.contains(&2025), "{shown:?}");

    let marks = Marks::of(&hdv::model::Policy::default());
    let env = render::environment(Path::new("templates"));
    let page = render::evaluation::page(&r, &marks);
    let md = render::render(&env, "eindevaluatie.md", &page).unwrap();
    let line = md
        .lines()
        .find(|l| l.contains("(#methode-lokale_afstemming)") && l.starts_with('|'))
        .unwrap();
    // | indicator | basislijn | waarde | doel | einddoel bereikt | status | toelichting |
    // (the baseline 0,0 % of 2022 is the indicator's own sample baseline)
    let cells: Vec<&str> = line.split('|').map(str::trim).collect();
    assert_eq!(
        cells[3..8],
        [
            "geen gegevens",
            "80,0 % (2025) VOORBEELD",
            "niet te beoordelen (geen gegevens)",
            "geen gegevens",
            "geen lokaal actieplan voor 2025"
        ],
        "{line}"
    );
    // The share of realised actions: every value shown says VOORBEELD.
    let row = r
        .indicators
        .iter()
        .find(|i| i.id == "acties_gerealiseerd")
        .unwrap();
    assert!(row.value.sample && matches!(row.value.shown, hdv::disclosure::Shown::Value(_)));
    let line = md
        .lines()
        .find(|l| l.contains("(#methode-acties_gerealiseerd)") && l.starts_with('|'))
        .unwrap();
    assert!(line.contains(" % (VOORBEELD) |"), "{line}");
}
