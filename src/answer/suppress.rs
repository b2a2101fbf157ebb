//! Primary and secondary small-cell suppression for a table with row and column totals.
//!
//! Primary: counts from 1 to `max_small` are hidden. Secondary: a row or column (the totals
//! row included) with exactly one hidden cell and a shown total would give that cell away by
//! subtraction, so one more cell of that line is hidden: the smallest non-zero shown cell, else
//! a zero, else the line's total. Repeated until no line gives a cell away.

/// What to show of each cell: `true` = hidden.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Hidden {
    pub cells: Vec<Vec<bool>>,
    pub row_totals: Vec<bool>,
    pub col_totals: Vec<bool>,
    pub grand_total: bool,
}

fn small(v: f64, max_small: f64) -> bool {
    v > 0.0 && v <= max_small
}

impl Hidden {
    /// Nothing hidden (figures that are not about people).
    pub(crate) fn none(rows: usize, cols: usize) -> Hidden {
        Hidden {
            cells: vec![vec![false; cols]; rows],
            row_totals: vec![false; rows],
            col_totals: vec![false; cols],
            grand_total: false,
        }
    }
}

/// Decides the hidden cells of `m` (rows × `cols` columns; `cols` is given because a table
/// can have columns and no body rows), for a table that shows row totals (sums
/// across a row, or anything a sum can be computed from, such as an average) only when
/// `row_totals`, and column totals only when `col_totals`. A line without a published total
/// gives nothing away by subtraction.
// Rows and columns are walked by index: the same (i, j) addresses `m` and the hidden flags.
#[allow(clippy::needless_range_loop)]
pub(crate) fn suppress(
    m: &[Vec<f64>],
    cols: usize,
    max_small: f64,
    row_totals: bool,
    col_totals: bool,
) -> Hidden {
    let rows = m.len();
    let row_tot: Vec<f64> = m.iter().map(|r| r.iter().sum()).collect();
    let col_tot: Vec<f64> = (0..cols).map(|j| m.iter().map(|r| r[j]).sum()).collect();
    let grand: f64 = row_tot.iter().sum();
    let mut h = Hidden {
        cells: m
            .iter()
            .map(|r| r.iter().map(|&v| small(v, max_small)).collect())
            .collect(),
        row_totals: row_tot
            .iter()
            .map(|&v| row_totals && small(v, max_small))
            .collect(),
        col_totals: col_tot
            .iter()
            .map(|&v| col_totals && small(v, max_small))
            .collect(),
        grand_total: row_totals && col_totals && small(grand, max_small),
    };
    loop {
        let mut changed = false;
        // Rows: cells of row i with total row_tot[i].
        for i in (0..rows).filter(|_| row_totals) {
            let line: Vec<(f64, bool)> = (0..cols).map(|j| (m[i][j], h.cells[i][j])).collect();
            if let Some(pick) = protect(&line, h.row_totals[i]) {
                match pick {
                    Some(j) => h.cells[i][j] = true,
                    None => h.row_totals[i] = true,
                }
                changed = true;
            }
        }
        // Columns: cells of column j with total col_tot[j].
        for j in (0..cols).filter(|_| col_totals) {
            let line: Vec<(f64, bool)> = (0..rows).map(|i| (m[i][j], h.cells[i][j])).collect();
            if let Some(pick) = protect(&line, h.col_totals[j]) {
                match pick {
                    Some(i) => h.cells[i][j] = true,
                    None => h.col_totals[j] = true,
                }
                changed = true;
            }
        }
        // The totals row (column totals with the grand total), and the totals column.
        if !(row_totals && col_totals) {
            if !changed {
                return h;
            }
            continue;
        }
        let line: Vec<(f64, bool)> = (0..cols).map(|j| (col_tot[j], h.col_totals[j])).collect();
        if let Some(pick) = protect(&line, h.grand_total) {
            match pick {
                Some(j) => h.col_totals[j] = true,
                None => h.grand_total = true,
            }
            changed = true;
        }
        let line: Vec<(f64, bool)> = (0..rows).map(|i| (row_tot[i], h.row_totals[i])).collect();
        if let Some(pick) = protect(&line, h.grand_total) {
            match pick {
                Some(i) => h.row_totals[i] = true,
                None => h.grand_total = true,
            }
            changed = true;
        }
        if !changed {
            return h;
        }
    }
}

/// For a line with its total: `None` when nothing can be derived; `Some(Some(k))` to hide
/// cell `k`; `Some(None)` to hide the total.
fn protect(line: &[(f64, bool)], total_hidden: bool) -> Option<Option<usize>> {
    let hidden = line.iter().filter(|c| c.1).count();
    if hidden != 1 || total_hidden {
        return None;
    }
    let candidates = |nonzero: bool| {
        line.iter()
            .enumerate()
            .filter(|(_, c)| !c.1 && (c.0 > 0.0) == nonzero)
            .min_by(|a, b| a.1.0.total_cmp(&b.1.0))
            .map(|(k, _)| k)
    };
    Some(candidates(true).or_else(|| candidates(false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_naive_total_would_reveal_the_small_cell() {
        // Row totals 33 and 60; column totals 13, 30, 50. The 3 is hidden (primary); without
        // more, 33 - 10 - 20 = 3 gives it away, so the 10 (smallest other in its row) goes too.
        // Then column 0 (3 hidden, 10 shown, total 13) would give the 3 away: its 10 goes; and
        // column 1 (10 hidden, 20 shown, total 30) likewise: its 20 goes. Row 2 now has two
        // hidden cells, and every line is safe.
        let m = vec![vec![3.0, 10.0, 20.0], vec![10.0, 20.0, 30.0]];
        let h = suppress(&m, m[0].len(), 4.0, true, true);
        assert_eq!(
            h.cells,
            vec![vec![true, true, false], vec![true, true, false]]
        );
        assert_eq!(h.row_totals, vec![false, false]);
        assert_eq!(h.col_totals, vec![false, false, false]);
        assert!(!h.grand_total);
        // No line is left with exactly one hidden cell and a shown total.
        for i in 0..2 {
            assert_ne!(h.cells[i].iter().filter(|&&x| x).count(), 1);
        }
        for j in 0..3 {
            assert_ne!((0..2).filter(|&i| h.cells[i][j]).count(), 1);
        }
    }

    #[test]
    fn nothing_small_nothing_hidden_and_zeros_are_not_sensitive() {
        let m = vec![vec![0.0, 10.0], vec![5.0, 20.0]];
        let h = suppress(&m, m[0].len(), 4.0, true, true);
        assert!(h.cells.iter().flatten().all(|&x| !x));
        assert_eq!(
            h,
            Hidden {
                cells: vec![vec![false; 2]; 2],
                row_totals: vec![false; 2],
                col_totals: vec![false; 2],
                grand_total: false
            }
        );
    }

    #[test]
    fn without_row_sums_only_columns_protect() {
        // Years in columns, no sum across years: a row with one small cell gives nothing
        // away; the column total (sum over prisons) does.
        let m = vec![vec![3.0, 10.0], vec![20.0, 30.0]];
        let h = suppress(&m, m[0].len(), 4.0, false, true);
        assert_eq!(h.cells, vec![vec![true, false], vec![true, false]]);
        assert_eq!(h.row_totals, vec![false, false]);
        let h = suppress(&m, m[0].len(), 4.0, false, false);
        assert_eq!(h.cells, vec![vec![true, false], vec![false, false]]);
    }

    #[test]
    fn a_lone_small_cell_next_to_zeros_hides_the_total() {
        // Row [2, 0]: hiding the 2 alone is undone by the total 2; the only other cell is a
        // zero, which is hidden; the column of the 2 then needs a second cell too.
        let m = vec![vec![2.0, 0.0], vec![7.0, 9.0]];
        let h = suppress(&m, m[0].len(), 4.0, true, true);
        assert!(h.cells[0][0]);
        assert!(h.row_totals[0], "the row total 2 is itself small");
        assert!(h.cells[1][0], "column 0 would give the 2 away");
    }

    #[test]
    fn columns_without_body_rows_have_their_totals() {
        let h = suppress(&[], 3, 4.0, true, true);
        assert_eq!(h.col_totals, [false; 3]);
        assert!(h.cells.is_empty() && h.row_totals.is_empty());
    }
}
