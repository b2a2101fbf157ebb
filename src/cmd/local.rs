//! `hdv local init|report|overview`: local action plans.

use super::Exit;
use crate::cli::{LocalCommand, LocalInitArgs, LocalOverviewArgs, LocalReportArgs};
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::render::{self, local};
use crate::yaml::{comment, scalar};
use crate::years::YearRange;
use std::path::PathBuf;

pub(crate) fn execute(c: LocalCommand) -> Result<Exit> {
    match c {
        LocalCommand::Init(a) => init(a),
        LocalCommand::Report(a) => report(a),
        LocalCommand::Overview(a) => overview(a),
    }
}

/// Checks the prison code and the year against the model (the code is also a file name, so
/// only known codes are accepted: nothing can escape the output folder).
fn check_prison_year(model: &crate::model::Model, prison: &str, year: i32) -> Result<()> {
    if model.prison(prison).is_none() {
        return Err(Error::Other(format!(
            "onbekende gevangenis '{prison}' (toegelaten: {})",
            model.prison_codes().join(", ")
        )));
    }
    let p = &model.plan;
    if !p.years().contains(&year) {
        return Err(Error::Other(format!(
            "jaar {year} ligt buiten de planperiode {}-{}",
            p.eerste_jaar, p.laatste_jaar
        )));
    }
    Ok(())
}

fn init(a: LocalInitArgs) -> Result<Exit> {
    let model = crate::model::load_model(&a.project)?.as_of(a.year);
    check_prison_year(&model, &a.prison, a.year)?;
    let path = a
        .project
        .join("plans/lokaal")
        .join(a.year.to_string())
        .join(format!("{}.yaml", a.prison));
    crate::output::refuse_existing(&path)?;
    let prison = model.prison(&a.prison).expect("checked");
    let prefix: String = a
        .prison
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(3)
        .collect();
    let mut s = format!(
        "# Lokaal actieplan {year} van {naam}.\n\
         #\n\
         # Vul per lokale actie in: een unieke id, de titel, de strategische acties waaraan ze\n\
         # bijdraagt (ids uit de lijst onderaan; leeg laten = aan geen strategische actie\n\
         # gekoppeld), de eigenaar, de status (gepland, lopend, gerealiseerd, vertraagd, geschrapt),\n\
         # een toelichting (zeker bij vertraagd of geschrapt) en eventueel lokale doelen op een\n\
         # indicator (ids uit de map indicators/).\n\
         # Controleer daarna met: hdv check\n\
         gevangenis: {code}\n\
         jaar: {year}\n\
         lokaal_beleidsteam: {team}\n\
         acties:\n  \
           - id: {p}-{year}-01\n    \
             titel: Titel van de lokale actie\n    \
             strategische_acties: []\n    \
             eigenaar: Naam van de trekker\n    \
             status: gepland\n    \
             # toelichting: waarom vertraagd of geschrapt\n    \
             # doelen:\n    \
             #   - {{indicator: deelname_graad, waarde: 60}}\n\
         #\n\
         # Strategische acties van het {titel}:\n",
        year = a.year,
        naam = comment(&prison.naam),
        team = scalar(&format!("Lokaal beleidsteam {}", prison.naam)),
        code = a.prison, // a known code: a slug (checked above)
        p = prefix.to_uppercase(),
        titel = comment(&model.plan.titel),
    );
    for o in &model.plan.doelstellingen {
        s.push_str(&format!(
            "#\n# {} {}\n",
            comment(&o.id),
            comment(o.korte_titel.as_deref().unwrap_or(&o.titel))
        ));
        for act in model.plan.acties.iter().filter(|x| x.doelstelling == o.id) {
            s.push_str(&format!(
                "#   {:<8} {}\n",
                comment(&act.id),
                comment(&act.titel)
            ));
        }
    }
    crate::output::write_new(&path, s.as_bytes())?;
    crate::output::print_stdout(&format!(
        "Sjabloon geschreven: {}\n",
        crate::diagnostic::display_path(&path)
    ))?;
    Ok(Exit::Success)
}

fn write_all(outputs: Vec<(PathBuf, Vec<u8>)>, what: &str) -> Result<()> {
    let mut written = String::new();
    for (path, bytes) in outputs {
        crate::output::write_atomic(&path, &bytes)?;
        written.push_str(&format!("  {}\n", crate::diagnostic::display_path(&path)));
    }
    crate::output::print_stdout(&format!("{what} geschreven:\n{written}"))
}

fn report(a: LocalReportArgs) -> Result<Exit> {
    let session = super::session(&a.common)?;
    let inputs = session.load(session.model()?.as_of(a.year), None)?;
    check_prison_year(&inputs.model, &a.prison, a.year)?;
    let Some(plan) = inputs.model.local_plan(&a.prison, a.year) else {
        return Err(Error::Other(format!(
            "geen lokaal actieplan voor {} in {} (maak er een met: hdv local init --prison {} --year {})",
            a.prison, a.year, a.prison, a.year
        )));
    };
    let eval = session.evaluate(
        &inputs,
        &inputs.model.indicators,
        YearRange {
            first: a.year - 1,
            last: a.year,
        },
    )?;
    let r = local::build_report(
        &inputs.model,
        plan,
        &eval,
        super::report::run_info(),
        &Disclosure::default(),
    );
    let env = render::environment(&a.common.project.join("templates"));
    let dir = a.out.join(a.year.to_string()).join("lokaal");
    write_all(
        vec![
            (
                dir.join(format!("{}.html", a.prison)),
                render::render(&env, "lokaal.html", &r)?.into_bytes(),
            ),
            (
                dir.join(format!("{}.md", a.prison)),
                render::render(&env, "lokaal.md", &r)?.into_bytes(),
            ),
            (
                dir.join(format!("{}.xlsx", a.prison)),
                render::xlsx::local_workbook(&r)?,
            ),
        ],
        "Lokaal rapport",
    )?;
    Ok(Exit::Success)
}

fn overview(a: LocalOverviewArgs) -> Result<Exit> {
    let model = crate::model::load_model(&a.project)?.as_of(a.year);
    let o = local::build_overview(&model, a.year, super::report::run_info());
    let env = render::environment(&a.project.join("templates"));
    let dir = a.out.join(a.year.to_string()).join("lokaal");
    write_all(
        vec![
            (
                dir.join("overzicht.html"),
                render::render(&env, "overzicht.html", &o)?.into_bytes(),
            ),
            (
                dir.join("overzicht.md"),
                render::render(&env, "overzicht.md", &o)?.into_bytes(),
            ),
            (
                dir.join("overzicht.xlsx"),
                render::xlsx::overview_workbook(&o)?,
            ),
        ],
        "Overzicht",
    )?;
    Ok(Exit::Success)
}
