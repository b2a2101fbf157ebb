//! `hdv eval`: every indicator for a year or range, unrounded and unsuppressed.

use crate::cli::{EvalArgs, EvalFormat};
use crate::engine::output;
use crate::error::{Error, Result};
use std::io::Write;
use std::process::ExitCode;

pub fn execute(args: EvalArgs) -> Result<ExitCode> {
    let inputs = super::load_inputs(&args.common)?;
    let mut selected = inputs.model.indicators.clone();
    if !args.indicators.is_empty() {
        for id in &args.indicators {
            if inputs.model.indicator(id).is_none() {
                return Err(Error::Other(format!("onbekende indicator `{id}`")));
            }
        }
        selected.retain(|i| args.indicators.contains(&i.id));
    }
    let eval = inputs.evaluate(&selected, args.year)?;
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
    Ok(ExitCode::SUCCESS)
}
