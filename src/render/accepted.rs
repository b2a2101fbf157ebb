//! The accepted findings as `hdv check` prints them: every entry of `plans/aanvaard.yaml`
//! with what it covers and whether it still holds.

use crate::accepted::State;
use crate::report::check::CheckReport;

/// Per entry: what it covers (rows of a check, warnings of the loader), the reason and the
/// end date; entries that no longer hold say why.
pub(crate) fn text(r: &CheckReport) -> String {
    if r.accepted.is_empty() {
        return String::new();
    }
    let mut s = String::from("Aanvaarde bevindingen (plans/aanvaard.yaml):\n");
    for e in &r.accepted {
        let what = match &e.rule {
            Some(r) => format!("controle {r}"),
            None => "waarschuwing".into(),
        };
        let cell = e
            .cell
            .as_ref()
            .map(|c| format!(", cel {c}"))
            .unwrap_or_default();
        let covered = match &e.rule {
            Some(_) => format!("{} rij(en)", e.covered),
            None => format!("{} waarschuwing(en)", e.covered),
        };
        let status = match e.state {
            State::Active => format!("aanvaard tot {} ({covered})", super::nl_date(e.until)),
            State::Expired => format!("VERLOPEN op {}", super::nl_date(e.until)),
            State::Changed => "VERVALLEN: de levering is gewijzigd".into(),
            State::Missing => "levering niet gevonden".into(),
        };
        s.push_str(&format!(
            "  {what} in {}{cell}: {status}: {}\n",
            e.delivery, e.reason
        ));
    }
    for w in &r.lapsed {
        s.push_str(&format!("  {w}\n"));
    }
    s
}
