//! The accepted findings as `hdv check` prints them: every entry of `plans/aanvaard.yaml`
//! with what it covers and whether it still holds.

use crate::accepted::{Accepted, State};
use crate::checks::Outcome;
use crate::diagnostic::Diagnostics;

/// Per entry: what it covers (rows of a check, warnings of the loader), the reason and the
/// end date; entries that no longer hold say why (`lapsed`, the warnings of the assessment).
pub(crate) fn text(
    accepted: &Accepted,
    lapsed: &Diagnostics,
    outcomes: &[Outcome],
    warnings: &Diagnostics,
) -> String {
    if accepted.entries.is_empty() {
        return String::new();
    }
    let mut s = String::from("Aanvaarde bevindingen (plans/aanvaard.yaml):\n");
    for (e, state) in &accepted.entries {
        let what = match &e.rule {
            Some(r) => format!("controle {r}"),
            None => "waarschuwing".into(),
        };
        let cell = e
            .cell
            .as_ref()
            .map(|c| format!(", cel {c}"))
            .unwrap_or_default();
        let covered = match (state, &e.rule) {
            (State::Active, Some(r)) => {
                let n: usize = outcomes
                    .iter()
                    .filter(|o| o.id == *r)
                    .flat_map(|o| &o.accepted)
                    .filter(|a| a.entry == e.location)
                    .count();
                format!("{n} rij(en)")
            }
            (State::Active, None) => {
                let n = warnings
                    .iter()
                    .filter(|d| accepted.covers_warning(d).is_some_and(|x| x == e))
                    .count();
                format!("{n} waarschuwing(en)")
            }
            _ => String::new(),
        };
        let status = match state {
            State::Active => format!("aanvaard tot {} ({covered})", e.until.format("%d-%m-%Y")),
            State::Expired => format!("VERLOPEN op {}", e.until.format("%d-%m-%Y")),
            State::Changed => "VERVALLEN: de levering is gewijzigd".into(),
            State::Missing => "levering niet gevonden".into(),
        };
        s.push_str(&format!(
            "  {what} in {}{cell}: {status}: {}\n",
            e.delivery, e.reason
        ));
    }
    for w in lapsed.iter() {
        s.push_str(&format!("  {w}\n"));
    }
    s
}
