//! `hdv check`: validate the model and the data and print a Dutch summary.

use crate::cli::CheckArgs;
use crate::error::Result;
use std::process::ExitCode;

pub fn execute(mut args: CheckArgs) -> Result<ExitCode> {
    args.common.all_warnings = true;
    let inputs = super::load_inputs(&args.common)?;
    let model = &inputs.model;
    // Every indicator whose sources are present must plan: its SQL parses and names only
    // existing tables and columns.
    let runnable: Vec<_> = model
        .indicators
        .iter()
        .filter(|i| crate::engine::missing_sources(i, &inputs.sources).is_empty())
        .collect();
    let planned = super::runtime()?.block_on(futures::future::join_all(
        runnable
            .iter()
            .map(|i| crate::engine::check_plan(&inputs.ctx, i)),
    ));
    let mut sql_errors = crate::diagnostic::Diagnostics::new();
    for d in planned.into_iter().filter_map(|r| r.err()) {
        sql_errors.push(d);
    }
    if sql_errors.has_errors() {
        return Err(sql_errors.into());
    }
    let mut s = String::new();
    s.push_str(&format!(
        "Model: {} gevangenissen, {} doelstellingen, {} acties, {} lokale actieplannen, {} indicatoren\n",
        model.prisons.len(),
        model.plan.doelstellingen.len(),
        model.plan.acties.len(),
        model.local_plans.len(),
        model.indicators.len()
    ));
    s.push_str(&format!(
        "Bronnen in {}:\n",
        crate::model::display_path(&args.common.data)
    ));
    let coverage = crate::report::data_years(&inputs.sources);
    for (f, c) in inputs.sources.files.iter().zip(&coverage) {
        let years = crate::render::words::year_ranges(&c.years);
        s.push_str(&format!(
            "  {:<10} {:>9} rijen  jaren {:<9}  {}\n",
            f.source.name(),
            f.rows,
            years,
            crate::model::display_path(&f.path)
        ));
    }
    for m in &inputs.sources.missing {
        s.push_str(&format!(
            "  {:<10} ontbreekt: indicatoren op basis van {} worden overgeslagen\n",
            m.name(),
            m.description()
        ));
    }
    s.push_str(&deliveries_text(&inputs.sources));
    s.push_str("Plannen:\n");
    for p in &model.plans {
        let revisions = match p.herzieningen.len() {
            0 => String::new(),
            n => format!(
                ", {n} herziening(en): {}",
                p.herzieningen
                    .iter()
                    .map(|r| format!(
                        "{}{}",
                        r.date_label(),
                        if r.voorlopig { " (voorlopig)" } else { "" }
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        s.push_str(&format!(
            "  {:<10} rapportjaren {}, {} doelstellingen, {} acties{revisions}  {}\n",
            p.id,
            p.period(),
            p.doelstellingen.len(),
            p.latest_version().acties.len(),
            p.file
        ));
    }
    for p in &model.plans {
        let goals: Vec<_> = p
            .doelstellingen
            .iter()
            .filter(|o| o.voorlopige_titel)
            .collect();
        if !goals.is_empty() {
            s.push_str(&format!(
                "Plan {}: {} van de {} doelstellingen hebben nog een voorlopige titel (over te nemen uit het goedgekeurde plan):\n",
                p.id,
                goals.len(),
                p.doelstellingen.len()
            ));
            for o in goals {
                s.push_str(&format!("  {:<8} {}\n", o.id, o.titel));
            }
        }
    }
    let provisional: Vec<_> = model
        .plan
        .acties
        .iter()
        .filter(|a| a.voorlopige_titel)
        .collect();
    if !provisional.is_empty() {
        s.push_str(&format!(
            "{} van de {} acties hebben nog een voorlopige titel (over te nemen uit het goedgekeurde plan):\n",
            provisional.len(),
            model.plan.acties.len()
        ));
        for a in provisional {
            s.push_str(&format!("  {:<8} {}\n", a.id, a.titel));
        }
    }
    let warnings = inputs.sources.warnings.warnings().count();
    s.push_str(&format!(
        "Geen fouten gevonden; {warnings} waarschuwing(en) (zie hierboven).\n"
    ));
    crate::output::print_stdout(&s)?;
    Ok(ExitCode::SUCCESS)
}

/// The delivery register and the completeness matrix, when the data folder holds folders of
/// deliveries or deliveries are expected.
fn deliveries_text(sources: &crate::load::Sources) -> String {
    use crate::load::Delivered;
    let mut s = String::new();
    let folders = sources.deliveries.iter().any(|d| d.name.contains('/'));
    if folders {
        s.push_str("Leveringen:\n");
        for d in &sources.deliveries {
            let mut notes = Vec::new();
            if let Some(p) = &d.profile {
                notes.push(format!("profiel {p}"));
            }
            if let Some(x) = d.extracted {
                notes.push(format!("getrokken {}", x.format("%d-%m-%Y")));
            }
            if let Some(by) = &d.replaced_by {
                notes.push(format!("VERVANGEN door {by}"));
            }
            s.push_str(&format!(
                "  {:<10} {:<20} jaren {:<9} {:>9} rijen  {}{}\n",
                d.source.name(),
                d.supplier_text(),
                crate::render::words::year_ranges(&d.years),
                d.rows,
                d.name,
                if notes.is_empty() {
                    String::new()
                } else {
                    format!("  ({})", notes.join("; "))
                }
            ));
        }
    }
    if sources.completeness.is_empty() {
        return s;
    }
    let years: std::collections::BTreeSet<i32> = sources
        .completeness
        .iter()
        .flat_map(|r| r.years.iter().map(|(y, _)| *y))
        .collect();
    s.push_str("Volledigheid van de verwachte leveringen (rijen per jaar):\n");
    s.push_str(&format!("  {:<32}", "leverancier / bron"));
    for y in &years {
        s.push_str(&format!(" {y:>11}"));
    }
    s.push('\n');
    let mut missing = 0;
    for r in &sources.completeness {
        s.push_str(&format!(
            "  {:<32}",
            format!("{} / {}", r.supplier, r.source.name())
        ));
        for y in &years {
            let cell = match r.years.iter().find(|(x, _)| x == y).map(|(_, c)| c) {
                None => "".to_string(),
                Some(Delivered::Missing) => {
                    missing += 1;
                    "ontbreekt".to_string()
                }
                Some(Delivered::Rows { rows, replaced }) => {
                    format!("{rows}{}", if *replaced { " (herl.)" } else { "" })
                }
            };
            s.push_str(&format!(" {cell:>11}"));
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "  {missing} verwachte levering(en) ontbreken; (herl.) = vervangen door een herlevering\n"
    ));
    s
}
