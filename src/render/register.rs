//! The delivery register and the completeness matrix as `hdv check` prints them.

use super::words;
use crate::load::deliveries::cells_text;
use crate::report::quality::{Arrived, Completeness, Late, RegisterEntry};

/// The register (every delivery with its cells, replaced cells and lateness; empty when the
/// data folder holds no folders of deliveries), the completeness matrix and the late
/// deliveries at `today` (when deliveries are expected).
pub(crate) fn text(
    register: &[RegisterEntry],
    completeness: &[Completeness],
    late: &[Late],
    today: chrono::NaiveDate,
) -> String {
    let mut s = String::new();
    if !register.is_empty() {
        s.push_str(&register_text(register));
    }
    if completeness.is_empty() {
        return s;
    }
    s.push_str(&matrix(completeness, late));
    if !late.is_empty() {
        s.push_str(&format!(
            "Te laat (peildatum {}):\n",
            super::nl_date_short(today)
        ));
        for l in late {
            s.push_str(&format!(
                "  {}\n",
                words::late_year(l, super::nl_date_short)
            ));
        }
    }
    s
}

/// One line per delivery; below it the cells it covers when another delivery covers cells of
/// the same supplier and year, the cells later deliveries replace and those it replaces.
fn register_text(all: &[RegisterEntry]) -> String {
    let mut s = String::from("Leveringen (een cel is leverancier × jaar × gevangenis):\n");
    // A file with many suppliers (a contract-layout file of several partners) shows their
    // number; the register keeps their names.
    let supplier = |d: &RegisterEntry| match d.suppliers.len() {
        0..=3 => d.suppliers.join(", "),
        n => format!("{n} leveranciers"),
    };
    let width = all
        .iter()
        .map(|d| supplier(d).chars().count())
        .max()
        .unwrap_or(0);
    for d in all {
        let mut notes = Vec::new();
        if let Some(p) = &d.profile {
            notes.push(format!("profiel {p}"));
        }
        if let Some(x) = d.extracted {
            notes.push(format!("getrokken {}", super::nl_date_short(x)));
        }
        // The start of its hash, as an accepted finding records it.
        notes.push(format!(
            "sha256 {}",
            d.sha256.get(..12).unwrap_or(&d.sha256)
        ));
        if !d.shared {
            notes.push(words::cell_count(d.cells.len()));
        }
        if let Some((due, days)) = d.late {
            notes.push(format!(
                "TE LAAT: getrokken {} na de termijn van {}",
                words::days(days),
                super::nl_date_short(due)
            ));
        }
        s.push_str(&format!(
            "  {:<10} {:<width$} jaren {:<9} {:>9} rijen  {}{}\n",
            d.source.name(),
            supplier(d),
            words::year_ranges(&d.years),
            d.rows,
            d.name,
            if notes.is_empty() {
                String::new()
            } else {
                format!("  ({})", notes.join("; "))
            }
        ));
        if d.shared {
            s.push_str(&format!(
                "      cellen: {}\n",
                cells_text(d.cells.iter().map(|(c, n)| (c, Some(*n))))
            ));
        }
        let mut by: Vec<&str> = d.replaced.iter().map(|r| r.by.as_str()).collect();
        by.dedup();
        for b in by {
            s.push_str(&format!(
                "      VERVANGEN door {b}: {}\n",
                cells_text(
                    d.replaced
                        .iter()
                        .filter(|r| r.by == b)
                        .map(|r| (&r.cell, Some(r.rows)))
                )
            ));
        }
        if !d.replaced.is_empty() {
            s.push_str(&format!(
                "      gebruikt: {} van de {} rijen\n",
                d.used, d.rows
            ));
        }
        let mut from: Vec<&str> = d.replaces.iter().map(|(n, _)| n.as_str()).collect();
        from.dedup();
        for f in from {
            s.push_str(&format!(
                "      vervangt in {f}: {}\n",
                cells_text(
                    d.replaces
                        .iter()
                        .filter(|(n, _)| n == f)
                        .map(|(_, r)| (&r.cell, Some(r.rows)))
                )
            ));
        }
    }
    s
}

/// Rows per supplier, source and year; `ontbreekt`, `–` for an optional series not
/// delivered, `(herl.)` after a re-delivery, `(laat)` past the due date.
fn matrix(rows: &[Completeness], late: &[Late]) -> String {
    let years = Completeness::years(rows);
    let mut s = String::from("Volledigheid van de leveringen (rijen per jaar):\n");
    let label = |r: &Completeness| {
        format!(
            "{} / {}{}",
            r.supplier,
            r.source.name(),
            if r.expected { "" } else { " *" }
        )
    };
    let width = rows
        .iter()
        .map(|r| label(r).chars().count())
        .chain(std::iter::once("leverancier / bron".len()))
        .max()
        .unwrap_or(0);
    let mut missing = 0;
    let lines: Vec<(String, Vec<String>)> = rows
        .iter()
        .map(|r| {
            let cells = years
                .iter()
                .map(|y| {
                    let cell = match r.arrived(*y) {
                        None => String::new(),
                        Some(Arrived::Missing) => {
                            missing += 1;
                            "ontbreekt".to_string()
                        }
                        Some(Arrived::NotRequired) => "–".to_string(),
                        Some(Arrived::Rows { rows, replaced }) => {
                            format!("{rows}{}", if replaced { " (herl.)" } else { "" })
                        }
                    };
                    if Late::of(late, r, *y).is_some() {
                        format!("{cell} (laat)")
                    } else {
                        cell
                    }
                })
                .collect();
            (label(r), cells)
        })
        .collect();
    let cell_width = lines
        .iter()
        .flat_map(|(_, c)| c.iter().map(|x| x.chars().count()))
        .chain(std::iter::once(4))
        .max()
        .unwrap_or(4);
    s.push_str(&format!("  {:<width$}", "leverancier / bron"));
    for y in &years {
        s.push_str(&format!(" {y:>cell_width$}"));
    }
    s.push('\n');
    for (label, cells) in &lines {
        let mut line = format!("  {label:<width$}");
        for c in cells {
            line.push_str(&format!(" {c:>cell_width$}"));
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s.push_str(&format!(
        "  {missing} verwachte levering(en) ontbreken; (herl.) = rijen vervangen door een herlevering; (laat) = na de termijn; – = niet verplicht (facultatieve bron){}\n",
        if rows.iter().any(|r| !r.expected) {
            "; * = levert zonder te staan in plans/leveringen/verwacht.yaml"
        } else {
            ""
        }
    ));
    s
}
