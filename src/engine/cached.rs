//! The figure cache: an indicator's figures are a function of its YAML, the years asked and
//! the tables its SQL reads: the sources it names (by their hashes, [`sources_key`]) and the
//! model tables (plans and local plans, [`model_key`]). [`key`] combines them; the figures
//! are kept as `<cache>/uitkomst-<key>.json`. Any change to its sources, the plans or the
//! indicator misses; a new delivery of another source does not.

use super::Observation;
use crate::cache::{Cache, Key};
use crate::contract::Source;
use crate::error::Result;
use crate::load::Sources;
use crate::model::{Indicator, Model};
use crate::years::YearRange;

/// Bump when the figures for the same inputs could change.
const FORMAT_VERSION: &str = "7";

/// The key of one indicator's figures for `years`, given the hash of its inputs (model and
/// the sources it reads).
pub(crate) fn key(inputs_key: &str, indicator: &Indicator, years: YearRange) -> String {
    Key::new()
        .part(FORMAT_VERSION)
        .part(inputs_key)
        .part(serde_json::to_string(indicator).expect("indicator serializes"))
        .part(years.first.to_string())
        .part(years.last.to_string())
        .finish("uitkomst")
}

/// The cached figures under `key`; a missing or damaged entry is a miss.
pub(crate) fn get(cache: &Cache, key: &str) -> Option<Vec<Observation>> {
    cache.get_json(key)
}

/// Stores figures under `key`. Figures that JSON cannot hold exactly (not finite) are not
/// stored.
pub(crate) fn put(cache: &Cache, key: &str, observations: &[Observation]) -> Result<()> {
    let exact = |x: Option<f64>| x.is_none_or(f64::is_finite);
    if !observations
        .iter()
        .all(|o| exact(o.value) && exact(o.numerator) && exact(o.denominator))
    {
        return Ok(());
    }
    cache.put_json(key, &observations)
}

/// A hash of the sources named in `tables` (all sources when `None`): each one's SHA-256, or
/// that it is absent. An indicator's figures depend only on the sources its SQL reads, so a
/// new delivery of one source leaves the cached figures of the others valid.
pub(crate) fn sources_key(sources: &Sources, tables: Option<&[String]>) -> String {
    let mut k = Key::new();
    for source in Source::ALL {
        if tables.is_some_and(|t| !t.iter().any(|n| n.eq_ignore_ascii_case(source.name()))) {
            continue;
        }
        k = k
            .part(source.name())
            .part(sources.get(source).map_or("-", |f| f.sha256.as_str()));
    }
    k.hex()
}

/// A hash of the model tables (prisons, plans, local plans).
pub(crate) fn model_key(model: &Model) -> String {
    let json = |r: serde_json::Result<String>| r.expect("model serializes");
    Key::new()
        .part(json(serde_json::to_string(&model.prisons)))
        .part(json(serde_json::to_string(&model.plan)))
        .part(json(serde_json::to_string(&model.local_plans)))
        .hex()
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::record_batch::RecordBatch;
    use std::path::PathBuf;

    #[test]
    fn a_source_key_covers_only_the_tables_named() {
        let file = |source: Source, sha: &str| crate::load::SourceFile {
            source,
            path: PathBuf::new(),
            sha256: sha.into(),
            rows: 0,
            batch: RecordBatch::new_empty(source.schema()),
            parts: Vec::new(),
        };
        let sources = |traj: &str| Sources {
            files: vec![file(Source::Trajecten, traj), file(Source::Middelen, "m")],
            ..Default::default()
        };
        let middelen = ["middelen".to_string()];
        let traj = ["trajecten".to_string(), "gevangenissen".to_string()];
        let (a, b) = (sources("t1"), sources("t2"));
        assert_eq!(
            sources_key(&a, Some(&middelen)),
            sources_key(&b, Some(&middelen))
        );
        assert_ne!(sources_key(&a, Some(&traj)), sources_key(&b, Some(&traj)));
        assert_ne!(sources_key(&a, None), sources_key(&b, None));
    }

    #[test]
    fn figures_round_trip_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let obs = |value: Option<f64>| Observation {
            indicator: "x".into(),
            year: 2024,
            dim: None,
            value,
            numerator: Some(0.1 + 0.2),
            denominator: None,
            interval: None,
            units: None,
        };
        let figures = vec![obs(Some(579.0 / 365.0)), obs(Some(1e-300)), obs(None)];
        put(&cache, "k", &figures).unwrap();
        assert_eq!(get(&cache, "k").unwrap(), figures);
        // A figure JSON cannot hold is not cached at all.
        put(&cache, "nan", &[obs(Some(f64::NAN))]).unwrap();
        assert!(get(&cache, "nan").is_none());
    }
}
