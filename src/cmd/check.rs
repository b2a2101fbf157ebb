//! `hdv check`: validate the model and the data and print a Dutch summary.

use crate::cli::CheckArgs;
use crate::error::Result;
use std::process::ExitCode;

pub fn execute(args: CheckArgs) -> Result<ExitCode> {
    let inputs = super::load_inputs(&args.common)?;
    let mut s = String::new();
    s.push_str(&format!(
        "Model: {} gevangenissen, {} doelstellingen, {} acties, {} lokale actieplannen, {} indicatoren\n",
        inputs.model.prisons.len(),
        inputs.model.plan.doelstellingen.len(),
        inputs.model.plan.acties.len(),
        inputs.model.local_plans.len(),
        inputs.model.indicators.len()
    ));
    s.push_str("Bronnen:\n");
    for f in &inputs.sources.files {
        s.push_str(&format!(
            "  {:<10} {:>8} rijen  {}\n",
            f.source.name(),
            f.rows,
            crate::model::display_path(&f.path)
        ));
    }
    for m in &inputs.sources.missing {
        s.push_str(&format!("  {:<10} ontbreekt\n", m.name()));
    }
    let provisional: Vec<_> = inputs
        .model
        .plan
        .acties
        .iter()
        .filter(|a| a.voorlopige_titel)
        .collect();
    if !provisional.is_empty() {
        s.push_str(&format!(
            "{} acties hebben nog een voorlopige titel (over te nemen uit het goedgekeurde plan):\n",
            provisional.len()
        ));
        for a in provisional {
            s.push_str(&format!("  {}  {}\n", a.id, a.titel));
        }
    }
    s.push_str("Geen fouten gevonden.\n");
    crate::output::print_stdout(&s)?;
    Ok(ExitCode::SUCCESS)
}
