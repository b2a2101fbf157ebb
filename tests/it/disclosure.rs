//! The disclosure ledger on random tables: after suppression no protected cell can be
//! narrowed below the policy's protection interval, checked with a linear program of the
//! test's own (microlp directly, formulated from the table, not from the ledger).

use hdv::model::Policy;
use hdv::protect::{CellKey, Ledger, Mark, Part, Reason};
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use proptest::prelude::*;

/// A table of counts: some cells small (1-4), some zero, most larger.
fn table() -> impl Strategy<Value = Vec<Vec<u32>>> {
    (2usize..6, 2usize..6).prop_flat_map(|(rows, cols)| {
        proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![3 => 1u32..5, 1 => Just(0u32), 6 => 5u32..80],
                cols,
            ),
            rows,
        )
    })
}

fn key(dims: &[(&str, &str)]) -> CellKey {
    CellKey::new("t", 2024, dims, Part::Value)
}

/// The cells of a table with its row, column and grand totals, as the ledger marks them:
/// `cells[r][c]`, `rows[r]`, `cols[c]`, `grand`.
struct Marked {
    cells: Vec<Vec<(f64, Mark)>>,
    rows: Vec<(f64, Mark)>,
    cols: Vec<(f64, Mark)>,
    grand: (f64, Mark),
}

fn protect(m: &[Vec<u32>], policy: &Policy) -> Marked {
    let (nr, nc) = (m.len(), m[0].len());
    let names_r: Vec<String> = (0..nr).map(|r| format!("r{r}")).collect();
    let names_c: Vec<String> = (0..nc).map(|c| format!("c{c}")).collect();
    let mut l = Ledger::new();
    let cell: Vec<Vec<usize>> = (0..nr)
        .map(|r| {
            (0..nc)
                .map(|c| {
                    l.cell(
                        key(&[("rij", &names_r[r]), ("kolom", &names_c[c])]),
                        f64::from(m[r][c]),
                        true,
                    )
                })
                .collect()
        })
        .collect();
    let row: Vec<usize> = (0..nr)
        .map(|r| {
            let v: u32 = m[r].iter().sum();
            l.cell(key(&[("rij", &names_r[r])]), f64::from(v), true)
        })
        .collect();
    let col: Vec<usize> = (0..nc)
        .map(|c| {
            let v: u32 = m.iter().map(|x| x[c]).sum();
            l.cell(key(&[("kolom", &names_c[c])]), f64::from(v), true)
        })
        .collect();
    let total: u32 = m.iter().flatten().sum();
    let grand = l.cell(key(&[]), f64::from(total), true);
    for r in 0..nr {
        l.relation(row[r], cell[r].clone());
    }
    for c in 0..nc {
        l.relation(col[c], (0..nr).map(|r| cell[r][c]).collect());
    }
    l.relation(grand, row.clone());
    l.relation(grand, col.clone());
    let exposed = l.solve(policy);
    assert!(
        exposed.is_empty(),
        "nothing is fixed: every count can be protected: {exposed:?}"
    );
    let at = |i: usize, v: u32| (f64::from(v), l.mark(i));
    Marked {
        cells: (0..nr)
            .map(|r| (0..nc).map(|c| at(cell[r][c], m[r][c])).collect())
            .collect(),
        rows: (0..nr).map(|r| at(row[r], m[r].iter().sum())).collect(),
        cols: (0..nc)
            .map(|c| at(col[c], m.iter().map(|x| x[c]).sum()))
            .collect(),
        grand: at(grand, total),
    }
}

/// The interval of cell (r, c) a reader derives from the published table: shown cells are
/// known, `<5` cells lie in 1..=4, `×` cells are only non-negative; rows and columns add up.
fn attack(t: &Marked, r: usize, c: usize, policy: &Policy) -> (f64, f64) {
    let solve = |direction| {
        let mut p = Problem::new(direction);
        let bounds = |(v, m): (f64, Mark)| match m {
            Mark::Shown => (v, v),
            Mark::Hidden(Reason::Small) => (1.0, f64::from(policy.drempel)),
            _ => (0.0, f64::INFINITY),
        };
        let x: Vec<Vec<_>> = t
            .cells
            .iter()
            .enumerate()
            .map(|(i, row)| {
                row.iter()
                    .enumerate()
                    .map(|(j, &cell)| {
                        let objective = if (i, j) == (r, c) { 1.0 } else { 0.0 };
                        p.add_var(objective, bounds(cell))
                    })
                    .collect()
            })
            .collect();
        let rows: Vec<_> = t.rows.iter().map(|&v| p.add_var(0.0, bounds(v))).collect();
        let cols: Vec<_> = t.cols.iter().map(|&v| p.add_var(0.0, bounds(v))).collect();
        let grand = p.add_var(0.0, bounds(t.grand));
        for (i, row) in x.iter().enumerate() {
            let mut e: Vec<_> = row.iter().map(|&v| (v, 1.0)).collect();
            e.push((rows[i], -1.0));
            p.add_constraint(&e[..], ComparisonOp::Eq, 0.0);
        }
        for (j, &col) in cols.iter().enumerate() {
            let mut e: Vec<_> = x.iter().map(|row| (row[j], 1.0)).collect();
            e.push((col, -1.0));
            p.add_constraint(&e[..], ComparisonOp::Eq, 0.0);
        }
        let mut e: Vec<_> = rows.iter().map(|&v| (v, 1.0)).collect();
        e.push((grand, -1.0));
        p.add_constraint(&e[..], ComparisonOp::Eq, 0.0);
        let mut e: Vec<_> = cols.iter().map(|&v| (v, 1.0)).collect();
        e.push((grand, -1.0));
        p.add_constraint(&e[..], ComparisonOp::Eq, 0.0);
        match p.solve() {
            Ok(s) => s.into_solution().map(|s| s.objective()).unwrap_or(f64::NAN),
            Err(microlp::Error::Unbounded) => f64::INFINITY,
            Err(e) => panic!("the true table satisfies every constraint: {e}"),
        }
    };
    (
        solve(OptimizationDirection::Minimize),
        solve(OptimizationDirection::Maximize),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_small_cell_can_be_narrowed_after_suppression(m in table()) {
        let policy = Policy::default();
        let t = protect(&m, &policy);
        for (r, row) in m.iter().enumerate() {
            for (c, &v) in row.iter().enumerate() {
                let small = (1..=policy.drempel).contains(&v);
                prop_assert_eq!(
                    matches!(t.cells[r][c].1, Mark::Hidden(Reason::Small | Reason::SmallUnmarked)),
                    small,
                    "cell ({}, {}) = {} is marked {:?}", r, c, v, t.cells[r][c].1
                );
                if small {
                    let (lo, hi) = attack(&t, r, c, &policy);
                    prop_assert!(
                        hi - lo + 1e-6 >= f64::from(policy.bescherming),
                        "cell ({}, {}) = {} narrowed to [{}, {}] in {:?}", r, c, v, lo, hi, m
                    );
                }
            }
        }
    }
}

#[test]
fn a_table_without_small_cells_is_published_whole() {
    let t = protect(&[vec![10, 20], vec![30, 40]], &Policy::default());
    assert!(t.cells.iter().flatten().all(|c| c.1 == Mark::Shown));
    assert!(t.rows.iter().chain(&t.cols).all(|c| c.1 == Mark::Shown));
    assert_eq!(t.grand.1, Mark::Shown);
}

#[test]
fn two_small_cells_in_one_row_of_two_need_a_second_row() {
    // 1 + 2 = 3 in row 0: both small, and the row total 3 is small too. Column totals
    // 1 + 30 and 2 + 40 would give each away: cells of row 1 go as well.
    let policy = Policy::default();
    let m = vec![vec![1, 2], vec![30, 40]];
    let t = protect(&m, &policy);
    // Three small counts, and `<5` + `<5` = `<5` would tell a reader each cell is 1 to 3:
    // at least one of them is printed × instead of <5.
    let small = [t.cells[0][0].1, t.cells[0][1].1, t.rows[0].1];
    assert!(
        small
            .iter()
            .all(|m| matches!(m, Mark::Hidden(Reason::Small | Reason::SmallUnmarked)))
    );
    assert!(small.contains(&Mark::Hidden(Reason::SmallUnmarked)));
    // Each column total would give its small cell away: the cells below them go.
    assert!(!t.cells[1][0].1.is_shown() || !t.cols[0].1.is_shown());
    assert!(!t.cells[1][1].1.is_shown() || !t.cols[1].1.is_shown());
    for (r, c) in [(0, 0), (0, 1)] {
        let (lo, hi) = attack(&t, r, c, &policy);
        assert!(hi - lo + 1e-6 >= 3.0, "({r}, {c}): [{lo}, {hi}]");
    }
}
