//! The disclosure policy in plain Dutch, as every output's method section states it.

use crate::model::{Counts, Policy};

/// A whole number in words where it reads better (up to twelve), else in digits.
fn words(n: u32) -> String {
    const W: [&str; 13] = [
        "nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
        "elf", "twaalf",
    ];
    W.get(n as usize)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}

/// What is protected, in words: "personen of gebeurtenissen".
fn protected(p: &Policy) -> &'static str {
    let persons = p.protects(Counts::Personen);
    let events = p.protects(Counts::Gebeurtenissen);
    match (persons, events) {
        (true, true) => "personen of gebeurtenissen (trajecten, aanvragen, vrijlatingen)",
        (true, false) => "personen",
        (false, true) => "gebeurtenissen (trajecten, aanvragen, vrijlatingen)",
        (false, false) => "personen",
    }
}

/// The policy as sentences for a method section, a README or an answer's note.
pub(crate) fn policy_lines(p: &Policy) -> Vec<String> {
    let small = p.small_label();
    let mut lines = vec![
        format!(
            "Aantallen van 1 tot en met {} {} worden niet gepubliceerd: ze staan als {small}.",
            p.drempel,
            protected(p)
        ),
        format!(
            "Een percentage over minder dan {} personen of gebeurtenissen wordt niet getoond (×), en de teller ervan evenmin.",
            p.minimum_noemer
        ),
    ];
    if p.complement {
        lines.push(format!(
            "Ook een percentage waarbij allen op {} of minder na iets deden (of niet deden), wordt niet getoond: het zegt iets over die enkelen.",
            words(p.drempel)
        ));
    }
    lines.push(format!(
        "Een gemiddelde, een mediaan of een overlevingscurve over minder dan {} personen wordt niet getoond; een gecorrigeerd verschil alleen als elke groep in elke laag er minstens zoveel telt.",
        p.minimum_personen
    ));
    let reach = if p.bescherming + 1 >= p.drempel {
        format!(
            "kan over een verborgen aantal niet meer afleiden dan dat het tussen 1 en {} ligt",
            p.drempel
        )
    } else {
        format!(
            "kan een verborgen aantal niet nauwer afleiden dan tot een interval van {} breed",
            words(p.bescherming)
        )
    };
    lines.push(format!(
        "Zo nodig worden ook andere cellen verborgen (×), zodat een klein aantal niet uit totalen, andere tabellen of andere stukken kan worden teruggerekend: wie alles wat over een jaar gepubliceerd is samenlegt, {reach}. Elk stuk toont een cel op dezelfde manier."
    ));
    lines.push(
        "Geld, voltijdsequivalenten en de acties van het plan gaan niet over personen en worden getoond zoals ze zijn.".into(),
    );
    lines
}

/// The ledger an output was published from and what the attack on it found, in one
/// sentence for the provenance.
pub(crate) fn ledger_sentence(p: &crate::report::yearly::Protection) -> String {
    let s = &p.summary;
    let file = p
        .policy_file
        .clone()
        .unwrap_or_else(|| "het standaardbeleid (geen plans/afscherming.yaml)".into());
    let n = |v: usize| super::nl_number(v as f64, 0);
    let verdict = if s.protected == 0 {
        "er waren geen kleine aantallen te beschermen".to_string()
    } else if s.failures == 0 {
        format!(
            "controle op alles samen: in orde, geen van de {} beschermde aantallen is nauwer af te leiden dan tot een interval van {} breed",
            n(s.protected),
            p.policy.bescherming
        )
    } else {
        format!(
            "controle op alles samen: {} van de {} beschermde aantallen zijn nauwer af te leiden dan het beleid toelaat",
            n(s.failures),
            n(s.protected)
        )
    };
    format!(
        "Afscherming volgens {file}: {} gepubliceerde cellen, waarvan {} getoond, {} kleine aantallen, {} om een andere reden niet getoond en {} secundair afgeschermd; {verdict}. `hdv check --disclosure` toont de volledige controle.",
        n(s.cells),
        n(s.shown),
        n(s.small),
        n(s.primary),
        n(s.secondary)
    )
}

fn output_name(o: &crate::report::afscherming::Output) -> String {
    use crate::report::afscherming::Output;
    match o {
        Output::Indicators => {
            "indicatoren (jaarrapport, eindevaluatie, lokale rapporten, website)".into()
        }
        Output::Cohorts => "vrijlatingscohorten (jaarrapport)".into(),
        Output::Answer(r) => format!("antwoord {r}"),
    }
}

/// The audit as `hdv check --disclosure` prints it.
pub(crate) fn audit_text(a: &crate::report::afscherming::Audit) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let file = a
        .policy
        .file
        .clone()
        .unwrap_or_else(|| "standaardbeleid, geen plans/afscherming.yaml".into());
    let _ = writeln!(s, "Afscherming {} (beleid: {file})", a.year);
    for l in policy_lines(&a.policy) {
        let _ = writeln!(s, "  {l}");
    }
    let _ = writeln!(s, "\nGepubliceerde cellen van {} per stuk:", a.year);
    let _ = writeln!(
        s,
        "  {:<68} {:>7} {:>7} {:>7} {:>8} {:>10}",
        "stuk", "cellen", "getoond", "klein", "primair", "secundair"
    );
    for (o, c) in &a.outputs {
        let _ = writeln!(
            s,
            "  {:<68} {:>7} {:>7} {:>7} {:>8} {:>10}",
            output_name(o),
            c.cells,
            c.shown,
            c.small,
            c.primary,
            c.secondary
        );
    }
    let _ = writeln!(
        s,
        "  (klein: aantallen van 1 tot {} als {} of ×; primair: percentages op te weinig personen, \"allen op enkelen na\", gemiddelden en medianen op te weinig personen; secundair: verborgen zodat een klein aantal niet af te leiden is)",
        a.policy.drempel,
        a.policy.small_label()
    );
    let n = a.protected.len();
    let failures: Vec<_> = a.failures().collect();
    let _ = writeln!(
        s,
        "\nAanval op alles wat over {} gepubliceerd is, samen: {n} beschermde aantallen (kleine aantallen, kleine verschillen noemer min teller, en tellers van percentages die niet getoond worden).",
        a.year
    );
    if failures.is_empty() {
        let _ = writeln!(
            s,
            "  in orde: geen enkel beschermd aantal is nauwer af te leiden dan tot een interval van {} breed.",
            a.policy.bescherming
        );
    } else {
        let _ = writeln!(
            s,
            "  fout: {} beschermde aantallen zijn nauwer af te leiden dan het beleid toelaat (interval van {} breed):",
            failures.len(),
            a.policy.bescherming
        );
        for d in failures.iter().take(50) {
            let high = d
                .high
                .map_or("onbegrensd".to_string(), |h| format!("{h:.1}"));
            let _ = writeln!(
                s,
                "    {}: af te leiden tot het interval [{:.1}, {high}]",
                d.cell, d.low
            );
        }
        if failures.len() > 50 {
            let _ = writeln!(s, "    … en nog {}", failures.len() - 50);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_in_words() {
        let lines = policy_lines(&Policy::default());
        assert!(lines[0].starts_with("Aantallen van 1 tot en met 4 personen of gebeurtenissen"));
        assert!(lines[0].ends_with("ze staan als <5."));
        assert!(lines[1].contains("minder dan 10 personen"));
        assert!(lines[2].contains("allen op vier of minder na"));
        assert!(lines[4].contains("niet meer afleiden dan dat het tussen 1 en 4 ligt"));
    }

    #[test]
    fn a_looser_protection_is_said_as_an_interval() {
        let p = Policy {
            bescherming: 1,
            complement: false,
            ..Policy::default()
        };
        let lines = policy_lines(&p);
        assert!(lines.iter().all(|l| !l.contains("allen op")));
        assert!(lines.iter().any(|l| l.contains("interval van één breed")));
    }
}
