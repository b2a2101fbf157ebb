//! `hdv check`: validate the model and the data, run the checks across sources and print a
//! Dutch summary. Exit code 0: no errors; 1: the inputs have findings of severity error (all
//! listed, and with `--feedback` written per delivery file); 2: the check could not run.

use super::Exit;
use crate::checks::Outcome;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};

pub(crate) fn execute(mut args: CheckArgs) -> Result<Exit> {
    args.common.all_warnings = true;
    if args.feedback.is_some() {
        // The workbooks list every finding, not the first 50 of a file; parsed files are
        // read afresh, since the cache keeps the findings of a run with the usual bound.
        crate::limits::set_findings_per_file(crate::limits::FEEDBACK_FINDINGS_PER_FILE);
        args.common.no_cache = true;
    }
    match run(&args) {
        Err(e @ Error::Invalid(_)) => {
            eprintln!("fout: {e}");
            if let Error::Invalid(diags) = &e {
                let fb = crate::report::feedback::build(
                    diags,
                    &crate::diagnostic::display_path(&args.common.data),
                    None,
                    &[],
                    None,
                    &|_| false,
                );
                feedback(&args, &fb)?;
            }
            Ok(Exit::Findings)
        }
        other => other,
    }
}

/// Writes the feedback workbooks when `--feedback` is given and says which files it wrote.
fn feedback(args: &CheckArgs, fb: &crate::report::feedback::Feedback) -> Result<()> {
    let Some(dir) = &args.feedback else {
        return Ok(());
    };
    let crate::render::feedback::Files { partners, steward } =
        crate::render::feedback::files(fb, dir, &crate::render::generation_date())?;
    let mut s = String::new();
    if partners.is_empty() {
        s.push_str(
            "Geen terugkoppeling voor partners: geen bevindingen over leveringsbestanden.\n",
        );
    } else {
        s.push_str("Terugkoppeling geschreven:\n");
    }
    for (path, bytes, errors, warnings) in &partners {
        crate::output::write_atomic(path, bytes)?;
        s.push_str(&format!(
            "  {}  ({errors} fout(en), {warnings} waarschuwing(en))\n",
            crate::diagnostic::display_path(path)
        ));
    }
    if let Some((path, bytes)) = &steward {
        crate::output::write_atomic(path, bytes)?;
        s.push_str(&format!(
            "Voor de gegevensbeheerder (niet voor de partners): {}  ({} bevinding(en))\n",
            crate::diagnostic::display_path(path),
            fb.steward.len()
        ));
    }
    crate::output::print_stdout(&s)
}

fn run(args: &CheckArgs) -> Result<Exit> {
    let session = super::session(&args.common)?;
    let inputs = session.load(session.model()?, None)?;
    let model = &inputs.model;
    // Every indicator whose sources are present must plan: its SQL parses and names only
    // existing tables and columns.
    let runnable: Vec<_> = model
        .indicators
        .iter()
        .filter(|i| inputs.sources.absent(&i.bronnen).is_empty())
        .collect();
    let planned = session.block_on(futures::future::join_all(
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
    let rules = crate::checks::load_rules(&args.common.project)?;
    // The reference date is the day of the run (`SOURCE_DATE_EPOCH` when set).
    let today = chrono::NaiveDate::parse_from_str(&crate::render::generation_date(), "%Y-%m-%d")
        .unwrap_or_else(|_| chrono::Utc::now().date_naive());
    let outcomes = session.check(&inputs, &rules, today)?;
    // Findings a steward accepted are shown, not counted.
    let (accepted, lapsed) = crate::accepted::assess(
        crate::accepted::read(&args.common.project)?,
        &inputs.sources,
        &rules,
        today,
    )?;
    let outcomes = accepted.apply(outcomes, &inputs.sources);
    // The loader's warnings and the rows the checks found, per delivery: for its partner or
    // for the steward.
    let fb = crate::report::feedback::build(
        &inputs.sources.warnings,
        &crate::diagnostic::display_path(&args.common.data),
        Some(&inputs.sources),
        &outcomes,
        Some(model),
        &|d| accepted.covers_warning(d).is_some(),
    );
    feedback(args, &fb)?;
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
        crate::diagnostic::display_path(&args.common.data)
    ));
    let coverage = crate::report::data_years(&inputs.sources);
    for (f, c) in inputs.sources.files.iter().zip(&coverage) {
        let years = crate::render::words::year_ranges(&c.years);
        s.push_str(&format!(
            "  {:<10} {:>9} rijen  jaren {:<9}  {}\n",
            f.source.name(),
            f.rows,
            years,
            crate::diagnostic::display_path(&f.path)
        ));
    }
    for m in &inputs.sources.missing {
        s.push_str(&format!(
            "  {:<10} ontbreekt: indicatoren op basis van {} worden overgeslagen\n",
            m.name(),
            m.description()
        ));
    }
    let late = crate::load::deliveries::late_years(&inputs.sources.completeness, today);
    s.push_str(&crate::render::register::text(
        &inputs.sources,
        &late,
        today,
    ));
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
    s.push_str(&checks_summary(
        &outcomes,
        &today.format("%d/%m/%Y").to_string(),
    ));
    s.push_str(&crate::render::accepted::text(
        &accepted,
        &lapsed,
        &outcomes,
        &inputs.sources.warnings,
    ));
    let failed = outcomes
        .iter()
        .filter(|o| o.severity == crate::diagnostic::Severity::Error && o.total() > 0)
        .count();
    let warned = outcomes
        .iter()
        .filter(|o| o.severity == crate::diagnostic::Severity::Warning && o.total() > 0)
        .count();
    let warnings = inputs
        .sources
        .warnings
        .warnings()
        .filter(|d| accepted.covers_warning(d).is_none())
        .count()
        + warned
        + lapsed.warnings().count();
    if failed > 0 {
        s.push_str(&format!(
            "{failed} controle(s) over de bronnen vinden fouten; {warnings} waarschuwing(en) (zie hierboven).\n"
        ));
        crate::output::print_stdout(&s)?;
        return Ok(Exit::Findings);
    }
    s.push_str(&format!(
        "Geen fouten gevonden; {warnings} waarschuwing(en) (zie hierboven).\n"
    ));
    crate::output::print_stdout(&s)?;
    Ok(Exit::Success)
}

/// Lines shown per rule before the rest is counted.
const MAX_LINES: usize = 10;

/// The checks across sources in words: per rule its outcome and, when it finds rows, the
/// counts per prison and partner (never a person).
fn checks_summary(outcomes: &[Outcome], reference: &str) -> String {
    if outcomes.is_empty() {
        return String::new();
    }
    let mut s = format!("Controles over de bronnen (peildatum {reference}):\n");
    for o in outcomes {
        let kind = o.severity.word();
        if !o.missing.is_empty() {
            s.push_str(&format!(
                "  {:<38} overgeslagen: bron(nen) {} ontbreken\n",
                o.id,
                o.missing
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        }
        let total = o.total();
        let accepted: usize = o.accepted.len();
        if total == 0 && accepted > 0 {
            s.push_str(&format!(
                "  {:<38} aanvaard: {accepted} rij(en): {}\n",
                o.id, o.message
            ));
        } else if total == 0 {
            s.push_str(&format!("  {:<38} in orde\n", o.id));
        }
        for (delivery, reason, until, n) in o.accepted_groups() {
            s.push_str(&format!(
                "      aanvaard: {n} rij(en) in {delivery} (tot {}): {reason}\n",
                until.format("%d-%m-%Y")
            ));
        }
        if total == 0 {
            continue;
        }
        s.push_str(&format!(
            "  {:<38} {kind}: {total} rij(en): {}\n",
            o.id, o.message
        ));
        let counts = o.by_prison_and_partner();
        for c in counts.iter().take(MAX_LINES) {
            s.push_str(&format!(
                "      {:<16} {:<12} {:>7}\n",
                c.prison.as_deref().unwrap_or("–"),
                c.partner.as_deref().unwrap_or("–"),
                c.rows
            ));
        }
        if counts.len() > MAX_LINES {
            s.push_str(&format!(
                "      … en nog {} combinatie(s) van gevangenis en partner\n",
                counts.len() - MAX_LINES
            ));
        }
    }
    s
}
