//! What the reports may publish of each figure, read from the run's disclosure ledger
//! ([`crate::protect`]): every product asks the same ledger, so a cell is shown the same way
//! (the same number, or the same mark) in every output made from the same data. `hdv eval`
//! and `hdv query` stay unprotected: they are the analysts' view, not a publication.

use crate::engine::{Evaluation, Observation};
use crate::model::{Indicator, Model, Policy};
use crate::protect::{Exposed, Ledger, Published};
use std::sync::Arc;

pub use crate::protect::Shown;

/// The policy and the solved ledger of a run.
#[derive(Debug, Clone)]
pub struct Disclosure {
    policy: Policy,
    ledger: Arc<Ledger>,
}

impl Disclosure {
    /// The base ledger of a run: every protected figure of `eval`, which must hold every
    /// indicator of the model for the years it covers (so that every command decides the
    /// same cells alike).
    pub fn of(model: &Model, eval: &Evaluation) -> Disclosure {
        Disclosure {
            policy: model.policy.clone(),
            ledger: Arc::new(crate::protect::base(model, eval)),
        }
    }

    /// A ledger over this one with the cells `register` adds (the cohorts of the yearly
    /// report, an answer's tables), solved: this one's cells keep their marks. Returns the
    /// protected counts the new cells could not keep hidden (then the output must not be
    /// published).
    pub fn over(&self, register: impl FnOnce(&mut Ledger)) -> (Disclosure, Vec<Exposed>) {
        let mut l = Ledger::over(&self.ledger);
        register(&mut l);
        let exposed = l.solve(&self.policy);
        (
            Disclosure {
                policy: self.policy.clone(),
                ledger: Arc::new(l),
            },
            exposed,
        )
    }

    /// This ledger together with `other`'s (another run's years, e.g. a part of an answer
    /// about an earlier plan): every cell keeps the mark its own ledger gave it.
    pub fn with(&self, other: &Disclosure) -> Disclosure {
        let mut l = Ledger::union(&[&self.ledger, &other.ledger]);
        l.solve(&self.policy);
        Disclosure {
            policy: self.policy.clone(),
            ledger: Arc::new(l),
        }
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What may be published of an observation of `ind`.
    pub(crate) fn apply(&self, ind: &Indicator, o: &Observation) -> Shown {
        self.published(ind, o).value
    }

    /// What may be published of an observation and of a rate's numerator and denominator.
    pub(crate) fn published(&self, ind: &Indicator, o: &Observation) -> Published {
        self.ledger.figure(&self.policy, ind, o)
    }

    /// The label of a small count (`<5`).
    pub(crate) fn small_label(&self) -> String {
        self.policy.small_label()
    }

    /// Below this denominator a rate is not shown.
    pub(crate) fn min_denominator(&self) -> f64 {
        f64::from(self.policy.minimum_noemer)
    }
}
