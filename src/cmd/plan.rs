//! `hdv plan new`: a skeleton successor plan from an earlier one: objectives to fill in, the
//! open actions listed to carry over or drop, and every indicator's last value under the old
//! plan as its baseline. The skeleton is valid YAML that `hdv check` accepts once it is in
//! `plans/plannen/`; it never overwrites a file.

use super::Exit;
use crate::cli::{PlanCommand, PlanNewArgs};
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::model::{ActionStatus, Model, Plan};
use crate::report::Figure;
use crate::years::YearRange;

pub(crate) fn execute(c: PlanCommand) -> Result<Exit> {
    match c {
        PlanCommand::New(a) => new(a),
    }
}

use crate::yaml::{comment, scalar as q};

fn new(a: PlanNewArgs) -> Result<Exit> {
    let session = super::session(&a.common)?;
    let model = session.model()?;
    let Some(old) = model.plan_by_id(&a.from).cloned() else {
        return Err(Error::Other(format!(
            "onbekend plan '{}' (plannen: {})",
            a.from,
            model
                .plans
                .iter()
                .map(|p| p.id.clone())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let period = a.period;
    let id = format!("{}-{}", period.first, period.last);
    let path = a.out.clone().unwrap_or_else(|| {
        a.common
            .project
            .join("plans/plannen")
            .join(format!("{id}.yaml"))
    });
    crate::output::refuse_existing(&path)?;
    if period.first <= old.laatste_jaar {
        return Err(Error::Other(format!(
            "de periode {}-{} overlapt met die van plan {} ({}): het nieuwe plan begint na {}",
            period.first,
            period.last,
            old.id,
            old.period(),
            old.laatste_jaar
        )));
    }
    if let Some(p) = model
        .plans
        .iter()
        .find(|p| p.eerste_jaar <= period.last && period.first <= p.laatste_jaar)
    {
        return Err(Error::Other(format!(
            "de periode {}-{} overlapt met die van plan {} ({})",
            period.first,
            period.last,
            p.id,
            p.period()
        )));
    }
    // Each indicator's last published value up to the old plan's last year becomes its
    // baseline.
    let last = old.laatste_jaar;
    let inputs = session.load(model.with_plan(&old), None)?;
    let eval = session.evaluate(
        &inputs,
        &inputs.model.indicators,
        YearRange {
            first: old.eerste_jaar - 1,
            last,
        },
    )?;
    let coverage = crate::report::data_years(&inputs.sources);
    let d = Disclosure::default();
    let text = skeleton(&inputs.model, &old, period, &id, |ind| {
        (old.eerste_jaar - 1..=last).rev().find_map(|y| {
            if !crate::report::sources_without(ind, y, &coverage).is_empty() {
                return None;
            }
            Figure::of(ind, eval.total(&ind.id, y), &d)
                .value()
                .map(|v| (y, v))
        })
    });
    crate::output::write_new(&path, text.as_bytes())?;
    crate::output::print_stdout(&format!(
        "Skelet van het plan {id} geschreven: {}\nVul het aan en controleer met: hdv check\n",
        crate::diagnostic::display_path(&path)
    ))?;
    Ok(Exit::Success)
}

/// The skeleton's YAML text. `last_value` gives an indicator's last published value (year,
/// value) up to the old plan's last year (`None`: no data, or never publishable).
pub(crate) fn skeleton(
    model: &Model,
    old: &Plan,
    period: YearRange,
    id: &str,
    last_value: impl Fn(&crate::model::Indicator) -> Option<(i32, f64)>,
) -> String {
    let version = old.latest_version();
    let last = old.laatste_jaar;
    let mut s = format!(
        "# Skelet van het strategisch plan {id}, gemaakt met `hdv plan new --from {from} --period {a}..{b}`.\n\
         #\n\
         # In te vullen: de titel, de goedkeuringsdatum, de doelstellingen (hieronder voorlopig, met\n\
         # de doelstellingen van het plan {from} als vertrekpunt) en de acties. De open acties van het\n\
         # plan {from} (eind {last} niet gerealiseerd en niet geschrapt) staan onder `acties`: neem ze\n\
         # over (pas doelstelling en titel aan) of schrap hun blok. De basislijnen zijn de laatste\n\
         # gepubliceerde waarden (tot en met {last}) van elke indicator. Zet het bestand in\n\
         # plans/plannen/{id}.yaml\n\
         # en controleer met: hdv check\n\
         titel: {titel}\n\
         eerste_jaar: {a}\n\
         laatste_jaar: {b}\n\
         # goedgekeurd: JJJJ-MM-DD\n",
        from = comment(&old.id),
        a = period.first,
        b = period.last,
        titel = q(&format!("Strategisch plan {id} (titel in te vullen)")),
    );
    s.push_str("doelstellingen:\n");
    for o in &old.doelstellingen {
        s.push_str(&format!(
            "  # vorig plan: {} {}\n  - id: {}\n    titel: {}\n    voorlopige_titel: true\n",
            comment(&o.id),
            comment(o.korte_titel.as_deref().unwrap_or(&o.titel)),
            q(&o.id),
            q(&format!("Doelstelling {} (in te vullen)", o.id))
        ));
    }
    let open: Vec<_> = version
        .acties
        .iter()
        .filter(|x| {
            !matches!(
                x.status_in(last).0,
                ActionStatus::Gerealiseerd | ActionStatus::Geschrapt
            )
        })
        .collect();
    s.push_str(&format!(
        "# {} open acties van het plan {} om over te nemen of te schrappen:\nacties:{}\n",
        open.len(),
        comment(&old.id),
        if open.is_empty() { " []" } else { "" }
    ));
    for x in open {
        let (st, note) = x.status_in(last);
        s.push_str(&format!(
            "  # eind {last}: {}{}\n  - id: {}\n    titel: {}\n{}    doelstelling: {}\n    trekker: {}\n",
            st.code(),
            note.map(|n| format!(" ({})", comment(n))).unwrap_or_default(),
            q(&x.id),
            q(&x.titel),
            if x.voorlopige_titel {
                "    voorlopige_titel: true\n"
            } else {
                ""
            },
            q(&x.doelstelling),
            q(&x.trekker)
        ));
        if let Some(m) = x.maatregel {
            s.push_str(&format!(
                "    # maatregel {m} in het plan {}\n",
                comment(&old.id)
            ));
        }
        if !x.indicatoren.is_empty() {
            s.push_str(&format!(
                "    indicatoren: [{}]\n",
                x.indicatoren
                    .iter()
                    .map(|i| q(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    s.push_str(&format!(
        "# Basislijnen: de laatste gepubliceerde waarde (tot en met {last}) van elke indicator;\n\
         # een indicator zonder publiceerbare waarde staat als commentaar. Doelen van dit plan\n\
         # komen in indicators/<id>.yaml met `plan: {id}`.\nbasislijnen:\n"
    ));
    let mut any = false;
    for ind in &model.indicators {
        match last_value(ind) {
            Some((year, v)) => {
                any = true;
                s.push_str(&format!(
                    "  - {{indicator: {}, jaar: {year}, waarde: {}}}  # {}\n",
                    q(&ind.id),
                    (v * 10.0).round() / 10.0,
                    comment(&ind.titel)
                ));
            }
            None => s.push_str(&format!(
                "  # {}: geen publiceerbare waarde tot en met {last}\n",
                comment(&ind.id)
            )),
        }
    }
    if !any {
        s.push_str("  []\n");
    }
    s
}
