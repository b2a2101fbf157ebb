//! The attacker: the narrowest interval a reader can derive for one cell from everything
//! published together, by linear programming (minimise and maximise the cell subject to the
//! published values, the marks of hidden cells and the additive relations between cells).
//! This is the linear relaxation statistical offices use to audit secondary suppression
//! (τ-Argus, sdcTable); the solver is microlp through `good_lp` (pure Rust).

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, constraint,
    microlp, variable,
};

/// What a reader knows of one unknown: its bounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Range {
    pub lo: f64,
    /// `f64::INFINITY` when nothing bounds it from above.
    pub hi: f64,
}

impl Range {
    pub(crate) fn width(&self) -> f64 {
        self.hi - self.lo
    }
}

/// How a linear constraint compares its expression with zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sense {
    Eq,
    /// `expression <= 0`
    Le,
    /// `expression >= 0`
    Ge,
}

/// A linear constraint `Σ coefficient · unknown + constant (sense) 0`.
#[derive(Debug, Clone)]
pub(crate) struct Linear {
    pub terms: Vec<(usize, f64)>,
    pub constant: f64,
    pub sense: Sense,
}

/// A small linear program over unknowns `0..bounds.len()`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Program {
    pub bounds: Vec<Range>,
    pub constraints: Vec<Linear>,
}

/// The interval a reader can derive for unknown `target`, or `None` when the program has no
/// solution (which true values always are: a sign of a wrong relation, handled by the caller
/// as "not protected").
pub(crate) fn interval(p: &Program, target: usize) -> Option<Range> {
    let lo = optimise(p, target, false)?;
    let hi = optimise(p, target, true)?;
    Some(Range { lo, hi })
}

fn optimise(p: &Program, target: usize, maximise: bool) -> Option<f64> {
    let mut vars = ProblemVariables::new();
    let xs: Vec<Variable> = p
        .bounds
        .iter()
        .map(|r| {
            let v = variable().min(r.lo);
            vars.add(if r.hi.is_finite() { v.max(r.hi) } else { v })
        })
        .collect();
    let objective: Expression = xs[target].into();
    let unsolved = if maximise {
        vars.maximise(objective)
    } else {
        vars.minimise(objective)
    };
    let mut model = unsolved.using(microlp);
    for c in &p.constraints {
        let mut e = Expression::from(c.constant);
        for &(i, k) in &c.terms {
            e += k * xs[i];
        }
        model = model.with(match c.sense {
            Sense::Eq => constraint::eq(e, 0.0),
            Sense::Le => constraint::leq(e, 0.0),
            Sense::Ge => constraint::geq(e, 0.0),
        });
    }
    match model.solve() {
        Ok(s) => Some(s.value(xs[target])),
        Err(ResolutionError::Unbounded) if maximise => Some(f64::INFINITY),
        Err(ResolutionError::Unbounded) => Some(p.bounds[target].lo),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(v: f64) -> Range {
        Range { lo: v, hi: v }
    }

    #[test]
    fn a_total_minus_the_shown_cells_gives_a_lone_hidden_cell_away() {
        // total 20 = a + 7 + 10, a hidden `<5` (1..4): a = 3 exactly.
        let p = Program {
            bounds: vec![
                fixed(20.0),
                Range { lo: 1.0, hi: 4.0 },
                fixed(7.0),
                fixed(10.0),
            ],
            constraints: vec![Linear {
                terms: vec![(0, 1.0), (1, -1.0), (2, -1.0), (3, -1.0)],
                constant: 0.0,
                sense: Sense::Eq,
            }],
        };
        let r = interval(&p, 1).unwrap();
        assert!(
            (r.lo - 3.0).abs() < 1e-6 && (r.hi - 3.0).abs() < 1e-6,
            "{r:?}"
        );
    }

    #[test]
    fn a_second_hidden_cell_widens_the_interval() {
        // total 20 = a + b + 10, a in 1..4, b unknown (×): a in [1, 4].
        let p = Program {
            bounds: vec![
                fixed(20.0),
                Range { lo: 1.0, hi: 4.0 },
                Range {
                    lo: 0.0,
                    hi: f64::INFINITY,
                },
                fixed(10.0),
            ],
            constraints: vec![Linear {
                terms: vec![(0, 1.0), (1, -1.0), (2, -1.0), (3, -1.0)],
                constant: 0.0,
                sense: Sense::Eq,
            }],
        };
        let r = interval(&p, 1).unwrap();
        assert!(
            (r.lo - 1.0).abs() < 1e-6 && (r.hi - 4.0).abs() < 1e-6,
            "{r:?}"
        );
        let b = interval(&p, 2).unwrap();
        assert!(
            (b.lo - 6.0).abs() < 1e-6 && (b.hi - 9.0).abs() < 1e-6,
            "{b:?}"
        );
    }

    #[test]
    fn nothing_bounds_an_unknown_from_above() {
        let p = Program {
            bounds: vec![Range {
                lo: 0.0,
                hi: f64::INFINITY,
            }],
            constraints: vec![],
        };
        let r = interval(&p, 0).unwrap();
        assert_eq!(r.lo, 0.0);
        assert!(r.hi.is_infinite());
    }
}
