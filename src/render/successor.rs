//! The skeleton of a successor plan (`hdv plan new`) as YAML text: objectives to fill in,
//! the open actions of the old plan to carry over or drop, and every indicator's last
//! published value as its baseline. Formatting only: the last published values are decided
//! in `report::successor`.

use crate::model::{ActionStatus, Model, Plan};
use crate::years::YearRange;
use std::collections::BTreeMap;

use crate::yaml::{comment, scalar as q};

/// The skeleton's YAML text for the plan `id` over `period` after `old`. `baselines` gives
/// each indicator's last published value (year, value, resting on sample values) up to the
/// old plan's last year (an indicator without one has no data, or was never publishable).
pub(crate) fn skeleton(
    model: &Model,
    old: &Plan,
    period: YearRange,
    id: &str,
    baselines: &BTreeMap<String, (i32, f64, bool)>,
) -> String {
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
    push_open_actions(&mut s, old, last);
    push_baselines(&mut s, model, id, last, baselines);
    s
}

/// The open actions of the old plan (at the end of `last`), to take over or strike out.
fn push_open_actions(s: &mut String, old: &Plan, last: i32) {
    let version = old.latest_version();
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
}

/// The baselines: the last published value (up to `last`) of every indicator.
fn push_baselines(
    s: &mut String,
    model: &Model,
    id: &str,
    last: i32,
    baselines: &BTreeMap<String, (i32, f64, bool)>,
) {
    s.push_str(&format!(
        "# Basislijnen: de laatste gepubliceerde waarde (tot en met {last}) van elke indicator;\n\
         # een indicator zonder publiceerbare waarde staat als commentaar. Doelen van dit plan\n\
         # komen in indicators/<id>.yaml met `plan: {id}`.\nbasislijnen:\n"
    ));
    let mut any = false;
    for ind in &model.indicators {
        match baselines.get(&ind.id) {
            Some(&(year, v, sample)) => {
                any = true;
                s.push_str(&format!(
                    "  - {{indicator: {}, jaar: {year}, waarde: {}{}}}  # {}{}\n",
                    q(&ind.id),
                    (v * 10.0).round() / 10.0,
                    if sample { ", voorbeeld: true" } else { "" },
                    comment(&ind.titel),
                    if sample {
                        " (VOORBEELD: rust op de voorbeeldstatussen van de acties)"
                    } else {
                        ""
                    }
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
}
