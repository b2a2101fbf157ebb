//! A cell of the delivery register (supplier × year × prison, DATA.md "Re-deliveries") and
//! how cells are written in words. A leaf: the loader registers deliveries by cell, `report`
//! carries the cells of the register, `render` writes them.

use std::collections::{BTreeMap, BTreeSet};

/// A cell of the register (DATA.md, "Re-deliveries"): what one supplier delivered for one
/// year (of the row's reference date) and one prison. A later delivery replaces earlier rows
/// cell by cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Cell {
    pub supplier: String,
    pub year: i32,
    /// The prison code; empty for a row without one (central resources in `middelen`).
    pub prison: String,
}

/// Cells in words, grouped by supplier and year: `CAW 2024: brugge (196), gent (415)`; with
/// `rows`, each prison with its rows. A row without a prison is `centraal`.
pub fn cells_text<'a>(cells: impl IntoIterator<Item = (&'a Cell, Option<usize>)>) -> String {
    let mut groups: BTreeMap<(&str, i32), Vec<String>> = BTreeMap::new();
    for (c, rows) in cells {
        let prison = if c.prison.is_empty() {
            "centraal"
        } else {
            c.prison.as_str()
        };
        groups
            .entry((c.supplier.as_str(), c.year))
            .or_default()
            .push(match rows {
                Some(n) => format!("{prison} ({n})"),
                None => prison.to_string(),
            });
    }
    groups
        .into_iter()
        .map(|((s, y), prisons)| format!("{s} {y}: {}", prisons.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Cells in short, grouped by supplier and year: `CAW 2024: 20 gevangenissen (611 rijen)`;
/// with more than three suppliers, per year: `2024: 157 cellen van 11 leveranciers (166 rijen)`.
pub fn cells_summary<'a>(cells: impl IntoIterator<Item = (&'a Cell, usize)>) -> String {
    let rows = |n: usize| {
        if n == 1 {
            "1 rij".to_string()
        } else {
            format!("{n} rijen")
        }
    };
    let mut groups: BTreeMap<(&str, i32), (usize, usize)> = BTreeMap::new();
    for (c, n) in cells {
        let g = groups.entry((c.supplier.as_str(), c.year)).or_default();
        g.0 += 1;
        g.1 += n;
    }
    let suppliers: BTreeSet<&str> = groups.keys().map(|(s, _)| *s).collect();
    if suppliers.len() > 3 {
        let mut years: BTreeMap<i32, (usize, usize)> = BTreeMap::new();
        for ((_, y), (c, n)) in &groups {
            let g = years.entry(*y).or_default();
            g.0 += c;
            g.1 += n;
        }
        return years
            .into_iter()
            .map(|(y, (c, n))| {
                format!(
                    "{y}: {c} cellen van {} leveranciers ({})",
                    suppliers.len(),
                    rows(n)
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
    }
    groups
        .into_iter()
        .map(|((s, y), (prisons, n))| {
            format!(
                "{s} {y}: {prisons} {} ({})",
                if prisons == 1 {
                    "gevangenis"
                } else {
                    "gevangenissen"
                },
                rows(n)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(supplier: &str, year: i32, prison: &str) -> Cell {
        Cell {
            supplier: supplier.into(),
            year,
            prison: prison.into(),
        }
    }

    #[test]
    fn cells_in_words_group_by_supplier_and_year() {
        let (g, b, c) = (
            cell("CAW", 2024, "gent"),
            cell("CAW", 2024, "brugge"),
            cell("VDAB", 2023, ""),
        );
        assert_eq!(
            cells_text([(&g, Some(415)), (&b, Some(196)), (&c, Some(3))]),
            "CAW 2024: gent (415), brugge (196); VDAB 2023: centraal (3)"
        );
        assert_eq!(cells_text([(&g, None)]), "CAW 2024: gent");
        assert_eq!(
            cells_summary([(&g, 415), (&b, 196), (&c, 1)]),
            "CAW 2024: 2 gevangenissen (611 rijen); VDAB 2023: 1 gevangenis (1 rij)"
        );
    }

    #[test]
    fn more_than_three_suppliers_are_summed_per_year() {
        let cells: Vec<Cell> = ["A", "B", "C", "D"]
            .iter()
            .map(|s| cell(s, 2024, "gent"))
            .chain([cell("A", 2024, "brugge")])
            .collect();
        assert_eq!(
            cells_summary(cells.iter().map(|c| (c, 2))),
            "2024: 5 cellen van 4 leveranciers (10 rijen)"
        );
    }
}
