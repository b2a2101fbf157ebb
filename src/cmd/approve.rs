//! `hdv approve --year 2024`: records the approval of a year's figures (the yearly report as
//! published and the deliveries it rests on) in `plans/goedkeuringen/<jaar>.yaml`; approving
//! again records a revision with its reason.

use super::Exit;
use crate::approval::{self, Approved};
use crate::cli::ApproveArgs;
use crate::error::Result;
use crate::request::Request;

pub(crate) fn execute(a: ApproveArgs) -> Result<Exit> {
    // The figures as the yearly report publishes them (through the disclosure ledger).
    let r = Request::approval(&a.common, a.year)?;
    let (inputs, report, _) = super::report::yearly(&r)?;
    let figures = crate::report::yearly::published(&report, &inputs.model);
    let ledger = approval::read(&a.common.project, a.year)?;
    let today = chrono::NaiveDate::parse_from_str(&report.run.generated, "%Y-%m-%d")
        .unwrap_or_else(|_| chrono::Utc::now().date_naive());
    let (text, done) = approval::approve(
        ledger.as_ref(),
        a.year,
        &figures,
        &inputs.sources,
        &inputs.model,
        today,
        a.reden.as_deref(),
    )?;
    if let Some(text) = text {
        crate::output::write_atomic(&r.out, text.as_bytes())?;
    }
    let shown = crate::diagnostic::display_path(&r.out);
    let deliveries = inputs
        .sources
        .deliveries
        .iter()
        .filter(|d| d.active())
        .count();
    crate::output::print_stdout(&match done {
        Approved::First => format!(
            "Cijfers van {} goedgekeurd (versie 1): {} cijfers, {deliveries} leveringen vastgelegd in {shown}\n",
            a.year,
            figures.len()
        ),
        Approved::Revised { version, figures } => format!(
            "Herziening van de cijfers van {} vastgelegd (versie {version}, {figures} cijfer(s) herzien) in {shown}\n",
            a.year
        ),
        Approved::Unchanged { version } => format!(
            "De cijfers van {} zijn ongewijzigd sinds de goedkeuring (versie {version}, {shown}); niets vastgelegd\n",
            a.year
        ),
    })?;
    Ok(Exit::Success)
}
