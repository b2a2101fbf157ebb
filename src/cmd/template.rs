//! `hdv template`: the workbook a partner fills in for one source.

use super::Exit;
use crate::cli::TemplateArgs;
use crate::contract::Source;
use crate::error::{Error, Result};
use crate::render::template::{TemplateSpec, workbook};

pub(crate) fn execute(args: TemplateArgs) -> Result<Exit> {
    let source = Source::from_name(&args.source.to_lowercase())
        .filter(|s| !s.linked())
        .ok_or_else(|| Error::UnknownSource {
            name: args.source.clone(),
            known: Source::ALL
                .into_iter()
                .filter(|s| !s.linked())
                .map(|s| s.name().to_string())
                .collect(),
        })?;
    if let Some(p) = &args.partner
        && p.trim().is_empty()
    {
        return Err(Error::EmptyPartner);
    }
    if source.columns().iter().all(|c| c.name != "partner") && args.partner.is_some() {
        return Err(Error::NoPartnerColumn {
            name: source.name().to_string(),
        });
    }
    let model = crate::request::project_session(&args.project)?.model()?;
    let prisons: Vec<(String, String)> = model
        .prisons
        .iter()
        .map(|p| (p.code.clone(), p.naam.clone()))
        .collect();
    let min_year =
        crate::limits::get("HDV_MIN_YEAR", crate::limits::DEFAULT_MIN_YEAR).min(9999) as i32;
    let bytes = workbook(&TemplateSpec {
        source,
        prisons: &prisons,
        partner: args.partner.as_deref().map(str::trim),
        min_year,
    })?;
    crate::output::write_new(&args.out, &bytes)?;
    crate::output::print_stdout(&format!(
        "Sjabloon voor {source} geschreven: {}\n",
        crate::diagnostic::display_path(&args.out)
    ))?;
    Ok(Exit::Success)
}
