//! The summary of `hdv check` in words: the model, the sources with their rows and years, the
//! delivery register, the completeness matrix and late deliveries, the plans, provisional
//! titles, the checks across sources and the accepted findings. Formatting only: the
//! decisions are in `report::check`.

use crate::model::Model;
use crate::report::check::CheckReport;
use crate::report::quality::CheckOutcome;

/// The summary printed by `hdv check`.
pub(crate) fn summary(model: &Model, r: &CheckReport) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Model: {} gevangenissen, {} doelstellingen, {} acties, {} lokale actieplannen, {} indicatoren\n",
        model.prisons.len(),
        model.plan.doelstellingen.len(),
        model.plan.acties.len(),
        model.local_plans.len(),
        model.indicators.len()
    ));
    s.push_str(&sources_text(r));
    s.push_str(&super::register::text(
        &r.register,
        &r.completeness,
        &r.late,
        r.reference,
    ));
    s.push_str(&plans_text(model));
    s.push_str(&checks_summary(
        &r.checks,
        &r.reference.format("%d/%m/%Y").to_string(),
    ));
    s.push_str(&super::accepted::text(r));
    let warnings = r.warnings;
    if r.failed > 0 {
        s.push_str(&format!(
            "{} controle(s) over de bronnen vinden fouten; {warnings} waarschuwing(en) (zie hierboven).\n",
            r.failed
        ));
    } else {
        s.push_str(&format!(
            "Geen fouten gevonden; {warnings} waarschuwing(en) (zie hierboven).\n"
        ));
    }
    s
}

/// The sources with their rows, years and files, and the absent ones.
fn sources_text(r: &CheckReport) -> String {
    let mut s = format!("Bronnen in {}:\n", crate::diagnostic::display_path(&r.data));
    for f in &r.files {
        s.push_str(&format!(
            "  {:<10} {:>9} rijen  jaren {:<9}  {}\n",
            f.source.name(),
            f.rows,
            super::words::year_ranges(&f.years),
            crate::diagnostic::display_path(&f.path)
        ));
    }
    for m in &r.missing {
        s.push_str(&format!(
            "  {:<10} ontbreekt: indicatoren op basis van {} worden overgeslagen\n",
            m.name(),
            m.description()
        ));
    }
    s
}

/// The plans with their revisions, and the provisional titles still to copy.
fn plans_text(model: &Model) -> String {
    let mut s = String::from("Plannen:\n");
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
    s
}

/// Lines shown per rule before the rest is counted.
const MAX_LINES: usize = 10;

/// The checks across sources in words: per rule its outcome and, when it finds rows, the
/// counts per prison and partner (never a person).
fn checks_summary(outcomes: &[CheckOutcome], reference: &str) -> String {
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
        let accepted: usize = o.accepted.iter().map(|a| a.rows).sum();
        if total == 0 && accepted > 0 {
            s.push_str(&format!(
                "  {:<38} aanvaard: {accepted} rij(en): {}\n",
                o.id, o.message
            ));
        } else if total == 0 {
            s.push_str(&format!("  {:<38} in orde\n", o.id));
        }
        for a in &o.accepted {
            s.push_str(&format!(
                "      aanvaard: {} rij(en) in {} (tot {}): {}\n",
                a.rows,
                a.delivery,
                crate::number::nl_date(a.until),
                a.reason
            ));
        }
        if total == 0 {
            continue;
        }
        s.push_str(&format!(
            "  {:<38} {kind}: {total} rij(en): {}\n",
            o.id, o.message
        ));
        let counts = &o.counts;
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
