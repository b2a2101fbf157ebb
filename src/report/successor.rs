//! What a successor plan (`hdv plan new`) takes over from the old one: each indicator's last
//! published value up to the old plan's last year, as its baseline in the new plan.

use super::window::Window;
use super::{Disclosure, Figure, data_years, missing, rests_on_samples};
use crate::engine::Evaluation;
use crate::load::Sources;
use crate::model::Model;
use std::collections::BTreeMap;

/// Per indicator (id) its last published value in `window` (year, value, whether it rests on
/// sample values): the latest year whose sources have rows and whose figure may be shown. An
/// indicator without one is left out.
pub(crate) fn baselines(
    model: &Model,
    eval: &Evaluation,
    sources: &Sources,
    window: Window,
    d: &Disclosure,
) -> BTreeMap<String, (i32, f64, bool)> {
    let coverage = data_years(sources);
    model
        .indicators
        .iter()
        .filter_map(|ind| {
            let years = window.evaluation.first..=window.evaluation.last;
            let last = years.rev().find_map(|y| {
                if !missing(model, ind, y, &coverage).is_empty() {
                    return None;
                }
                Figure::of(ind, eval.total(&ind.id, y), d)
                    .value()
                    .map(|v| (y, v, rests_on_samples(model, ind)))
            })?;
            Some((ind.id.clone(), last))
        })
        .collect()
}
