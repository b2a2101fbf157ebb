//! `hdv local init|report|overview`: local action plans.

use super::Exit;
use crate::cli::{LocalCommand, LocalInitArgs, LocalOverviewArgs, LocalReportArgs};
use crate::error::{Error, Result};
use crate::render::{self, Format, local, words::Marks};
use crate::report::{self, Disclosure};
use crate::request::{Request, check_prison_year, project_session, refuse_existing, run_info};

pub(crate) fn execute(c: LocalCommand) -> Result<Exit> {
    match c {
        LocalCommand::Init(a) => init(a),
        LocalCommand::Report(a) => report(a),
        LocalCommand::Overview(a) => overview(a),
    }
}

fn init(a: LocalInitArgs) -> Result<Exit> {
    let session = project_session(&a.project)?;
    let model = session.model()?.as_of(a.year);
    check_prison_year(&model, &a.prison, a.year)?;
    let path = (session.project().join("plans/lokaal"))
        .join(a.year.to_string())
        .join(format!("{}.yaml", a.prison));
    refuse_existing(&path)?;
    let text = local::skeleton(&model, &a.prison, a.year);
    crate::output::write_new(&path, text.as_bytes())?;
    crate::output::print_stdout(&format!(
        "Sjabloon geschreven: {}\n",
        crate::diagnostic::display_path(&path)
    ))?;
    Ok(Exit::Success)
}

fn report(a: LocalReportArgs) -> Result<Exit> {
    let r = Request::local(&a.common, a.year, &a.out)?;
    let inputs = r.session.load(r.model, None)?;
    check_prison_year(&inputs.model, &a.prison, a.year)?;
    let Some(plan) = inputs.model.local_plan(&a.prison, a.year) else {
        return Err(Error::NoLocalPlan {
            prison: a.prison.clone(),
            year: a.year,
        });
    };
    let eval = r
        .session
        .evaluate(&inputs, &inputs.model.indicators, r.window.evaluation)?;
    let d = Disclosure::of(&inputs.model, &eval);
    let report = report::local::build_report(&inputs.model, plan, &eval, run_info(), &d);
    let (marks, env) = (
        Marks::of(d.policy()),
        render::environment(&r.session.templates()),
    );
    super::emit(
        "Lokaal rapport",
        &r.out,
        &a.prison,
        &[Format::Html, Format::Md, Format::Xlsx],
        |f| local::report_file(&env, &report, &marks, f),
    )?;
    Ok(Exit::Success)
}

fn overview(a: LocalOverviewArgs) -> Result<Exit> {
    let session = project_session(&a.project)?;
    let model = session.model()?.as_of(a.year);
    let o = report::local::build_overview(&model, a.year, run_info());
    let env = render::environment(&session.templates());
    super::emit(
        "Overzicht",
        &a.out.join(a.year.to_string()).join("lokaal"),
        "overzicht",
        &[Format::Html, Format::Md, Format::Xlsx],
        |f| local::overview_file(&env, &o, f),
    )?;
    Ok(Exit::Success)
}
