//! `hdv eval`: every indicator for a year or range, unrounded and unsuppressed.

use super::Exit;
use crate::cli::{EvalArgs, EvalFormat};
use crate::error::{Error, Result};
use crate::render::eval as output;
use std::io::Write;

pub(crate) fn execute(args: EvalArgs) -> Result<Exit> {
    let session = crate::request::session(&args.common)?;
    let inputs = session.load(session.model()?, None)?;
    let mut selected = inputs.model.indicators.clone();
    if !args.indicators.is_empty() {
        for id in &args.indicators {
            if inputs.model.indicator(id).is_none() {
                return Err(Error::UnknownIndicator {
                    indicator: id.clone(),
                });
            }
        }
        selected.retain(|i| args.indicators.contains(&i.id));
    }
    let eval = session.evaluate(&inputs, &selected, args.year)?;
    for (id, missing) in &eval.skipped {
        let names: Vec<_> = missing.iter().map(|s| s.name()).collect();
        eprintln!(
            "waarschuwing: indicator `{id}` overgeslagen: bron(nen) {} ontbreken",
            names.join(", ")
        );
    }
    let text = match args.format {
        EvalFormat::Jsonl => output::jsonl(&eval.observations),
        EvalFormat::Csv => output::csv(&eval.observations),
        EvalFormat::Table => output::table(&eval.observations),
    };
    crate::output::print_stdout(&text)?;
    let _ = std::io::stdout().flush();
    Ok(Exit::Success)
}
