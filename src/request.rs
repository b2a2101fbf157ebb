//! One request per command, resolved once (as ripgrep turns its low-level arguments into
//! high-level ones): `cli` holds the arguments as typed; a [`Request`] is what a command
//! works on: the session (project, data folder, cache), the model with the plan in force,
//! the years it reads and assesses ([`Window`]) and where its files go. The year, period and
//! plan asked are checked here; a prison asked is checked once the model is known
//! ([`check_prison_year`]).

use crate::cli::{Common, ReportFormat};
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::{Model, Plan};
use crate::render::Format;
use crate::report::window::Window;
use crate::report::{RunInfo, SourceYears};
use crate::session::Session;
use crate::years::YearRange;
use std::path::{Path, PathBuf};

pub(crate) struct Request {
    pub session: Session,
    /// The model with the plan in force for what is asked, in its version of that year.
    pub model: Model,
    /// The years read and assessed.
    pub window: Window,
    /// The product's folder (its file for `plan new`).
    pub out: PathBuf,
}

/// The session of `common`: its project, data folder and cache (none with `--no-cache`).
pub(crate) fn session(common: &Common) -> Result<Session> {
    Ok(Session::new(&common.project, &common.data)?
        .with_cache((!common.no_cache).then(|| common.cache.clone()))
        .with_all_warnings(common.all_warnings))
}

/// A session over the project alone, for commands that read no data (`local init`, `local
/// overview`, `template`): its data folder is the default one, never read.
pub(crate) fn project_session(project: &Path) -> Result<Session> {
    Session::new(project, "samples")
}

impl Request {
    /// The yearly report of `year`: the plan in force in the year, in its version of 31
    /// December; written to `<out>/<year>/`.
    pub(crate) fn yearly(common: &Common, year: i32, out: &Path) -> Result<Request> {
        if !(2000..=2100).contains(&year) {
            return Err(Error::ReportYear { year });
        }
        let session = session(common)?;
        let model = session.model()?.as_of(year);
        Ok(Request {
            window: Window::yearly(&model.plan, year),
            out: out.join(year.to_string()),
            session,
            model,
        })
    }

    /// The approval of `year`'s figures (`hdv approve`): the yearly report's request; its file
    /// is the year's ledger, `plans/goedkeuringen/<year>.yaml` in the project.
    pub(crate) fn approval(common: &Common, year: i32) -> Result<Request> {
        let mut r = Request::yearly(common, year, &common.project)?;
        r.out = crate::approval::path(&common.project, year);
        Ok(r)
    }

    /// The final evaluation of the plan whose period is `period`, against its last version;
    /// written to `<out>/eindevaluatie-<plan>/`.
    pub(crate) fn final_evaluation(
        common: &Common,
        period: YearRange,
        out: &Path,
    ) -> Result<Request> {
        let session = session(common)?;
        let model = session.model()?;
        let Some(plan) = model.plans.iter().find(|p| {
            (p.eerste_jaar == period.first && p.laatste_jaar == period.last)
                || p.id == format!("{}-{}", period.first, period.last)
        }) else {
            return Err(Error::NoPlanForPeriod {
                period,
                plans: model
                    .plans
                    .iter()
                    .map(|p| format!("{} ({})", p.id, p.period()))
                    .collect(),
            });
        };
        let model = model.with_plan(plan);
        Ok(Request {
            window: Window::final_evaluation(&model.plan, &model.indicators),
            out: out.join(format!("eindevaluatie-{}", plan.id)),
            session,
            model,
        })
    }

    /// A local report of `year`: the plan in force in the year; written to
    /// `<out>/<year>/lokaal/`.
    pub(crate) fn local(common: &Common, year: i32, out: &Path) -> Result<Request> {
        let session = session(common)?;
        let model = session.model()?.as_of(year);
        Ok(Request {
            window: Window::local(year),
            out: out.join(year.to_string()).join("lokaal"),
            session,
            model,
        })
    }

    /// An answer over `years`: the plan in force in the last year asked, in its version of
    /// that year; written to `out`.
    pub(crate) fn answer(common: &Common, years: YearRange, out: &Path) -> Result<Request> {
        let session = session(common)?;
        let model = session.model()?.as_of(years.last);
        Ok(Request {
            window: Window::range(years),
            out: out.to_path_buf(),
            session,
            model,
        })
    }

    /// The site over `range` (default: from the year before the plan in force in the last
    /// year with data to that year), assessed in its last year with data against the plan in
    /// force then; written to `out`. The sources are read to know which years have data.
    pub(crate) fn site(
        common: &Common,
        range: Option<YearRange>,
        out: &Path,
    ) -> Result<(Request, Sources, YearRange)> {
        use crate::report::site::{default_range, last_year_with_data};
        let session = session(common)?;
        let model = session.model()?;
        let sources = session.sources(&model)?;
        let coverage: Vec<SourceYears> = crate::report::data_years(&sources);
        let range = match range {
            Some(r) => r,
            None => default_range(&model, &coverage).ok_or(Error::NoSiteSources)?,
        };
        let Some(year) = last_year_with_data(range, &coverage) else {
            return Err(Error::NoSiteDataIn { range });
        };
        let model = model.as_of(year);
        let request = Request {
            window: Window::site(&model.plan, range, year),
            out: out.to_path_buf(),
            session,
            model,
        };
        Ok((request, sources, range))
    }

    /// A successor of plan `from` over `period`: the old plan, in its last version; written
    /// to `out` (default `plans/plannen/<first>-<last>.yaml`), which must not exist. Returns
    /// the old plan too.
    pub(crate) fn successor(
        common: &Common,
        from: &str,
        period: YearRange,
        out: Option<&Path>,
    ) -> Result<(Request, Plan)> {
        let session = session(common)?;
        let model = session.model()?;
        let Some(old) = model.plan_by_id(from).cloned() else {
            return Err(Error::UnknownPlan {
                plan: from.to_string(),
                plans: model.plans.iter().map(|p| p.id.clone()).collect(),
            });
        };
        let path = out.map(Path::to_path_buf).unwrap_or_else(|| {
            session
                .project()
                .join("plans/plannen")
                .join(format!("{}-{}.yaml", period.first, period.last))
        });
        refuse_existing(&path)?;
        check_successor_period(&model, &old, period)?;
        let request = Request {
            window: Window::successor(&old),
            model: model.with_plan(&old),
            out: path,
            session,
        };
        Ok((request, old))
    }
}

/// Checks the prison code and the year against the model (the code is also a file name, so
/// only known codes are accepted: nothing can escape the output folder).
pub(crate) fn check_prison_year(model: &Model, prison: &str, year: i32) -> Result<()> {
    if model.prison(prison).is_none() {
        return Err(Error::UnknownPrison {
            prison: prison.to_string(),
            known: model.prison_codes(),
        });
    }
    let p = &model.plan;
    if !p.years().contains(&year) {
        return Err(Error::YearOutsidePlan {
            year,
            first: p.eerste_jaar,
            last: p.laatste_jaar,
        });
    }
    Ok(())
}

/// The one overwrite rule of the commands that write a single file.
pub(crate) use crate::output::refuse_existing;

/// A successor's period starts after the old plan and overlaps no plan.
fn check_successor_period(model: &Model, old: &Plan, period: YearRange) -> Result<()> {
    if period.first <= old.laatste_jaar {
        return Err(Error::PeriodNotAfter {
            period,
            plan: old.id.clone(),
            plan_period: old.period().to_string(),
            last: old.laatste_jaar,
        });
    }
    if let Some(p) = model
        .plans
        .iter()
        .find(|p| p.eerste_jaar <= period.last && period.first <= p.laatste_jaar)
    {
        return Err(Error::PeriodOverlaps {
            period,
            plan: p.id.clone(),
            plan_period: p.period().to_string(),
        });
    }
    Ok(())
}

/// The report formats asked, in the order asked.
pub(crate) fn formats(asked: &[ReportFormat]) -> Vec<Format> {
    asked
        .iter()
        .map(|f| match f {
            ReportFormat::Html => Format::Html,
            ReportFormat::Md => Format::Md,
            ReportFormat::Xlsx => Format::Xlsx,
        })
        .collect()
}

/// Facts about this run, for provenance.
pub(crate) fn run_info() -> RunInfo {
    RunInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        command: command_line(),
        generated: crate::render::generation_date(),
    }
}

/// The command as typed, for provenance (program name reduced to `hdv`).
fn command_line() -> String {
    let mut args = std::env::args();
    args.next();
    let rest: Vec<String> = args
        .map(|a| {
            if a.is_empty() || a.contains(char::is_whitespace) {
                format!("'{a}'")
            } else {
                a
            }
        })
        .collect();
    format!("hdv {}", rest.join(" ")).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_prisons_years_and_overlapping_periods_are_typed_refusals() {
        let all = crate::model::load_model(Path::new(".")).unwrap();
        let model = all.as_of(2024);
        assert!(matches!(
            check_prison_year(&model, "nergens", 2024),
            Err(Error::UnknownPrison { prison, known })
                if prison == "nergens" && known.iter().any(|k| k == "gent")
        ));
        assert!(matches!(
            check_prison_year(&model, "gent", 2031),
            Err(Error::YearOutsidePlan {
                year: 2031,
                first: 2020,
                last: 2025
            })
        ));
        assert!(check_prison_year(&model, "gent", 2024).is_ok());
        let old = all.plan_by_id("2015-2020").unwrap();
        let period = |first, last| YearRange { first, last };
        assert!(matches!(
            check_successor_period(&all, old, period(2019, 2024)),
            Err(Error::PeriodNotAfter { plan, last: 2019, .. }) if plan == "2015-2020"
        ));
        assert!(matches!(
            check_successor_period(&all, old, period(2020, 2024)),
            Err(Error::PeriodOverlaps { plan, .. }) if plan == "2020-2025"
        ));
        assert!(check_successor_period(&all, old, period(2026, 2031)).is_ok());
    }
}
