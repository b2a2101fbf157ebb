//! A cache of parsed sources and of indicator results, keyed by content hashes.
//!
//! Parsing a large workbook dominates a cold run; a rerun on unchanged data reads the already
//! validated Arrow batch back from `<cache>/<key>.parquet` instead. The key covers everything
//! the parse result depends on: the file's SHA-256, the source, the prison codes it was
//! validated against, the tool version and a format version. A changed cell changes the hash
//! and so misses the cache. Warnings of the original parse are kept beside the batch, so a
//! cached run reports the same warnings.
//!
//! Evaluating the indicators is the rest of a run. An indicator's figures are a function of
//! its YAML, the years asked and the tables its SQL reads: the sources it names (by their
//! hashes, [`sources_key`]) and the model tables (plans and local plans, [`model_key`]);
//! [`Cache::result_key`] adds the indicator and the years; the figures are kept as
//! `<cache>/uitkomst-<key>.json`. Any change to its sources, the plans or the indicator
//! misses; a new delivery of another source does not.

use crate::diagnostic::Diagnostics;
use crate::engine::Observation;
use crate::error::{Error, Result};
use crate::load::{Source, Sources};
use crate::model::{Indicator, Model};
use crate::years::YearRange;
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Bump when the parse result for the same bytes could change shape or meaning.
// 2: sheets streamed; formulas without a value are errors, merged cells warned about.
// 3: invisible characters stripped (with a warning), dates before HDV_MIN_YEAR, time-only
//    cells, huge decimals and over-long texts refused; warnings capped per file.
// 4: `uitstroom` gained the optional column `werk_kwartaal_2`.
// 5: deliveries: the key covers the delivery's name and the profiles that may read it; the
//    entry keeps the profile used and the extraction date.
const FORMAT_VERSION: &str = "5";

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// A cache hit: the validated batch and the warnings its parse gave.
pub struct Cached {
    pub batch: RecordBatch,
    pub warnings: Diagnostics,
    pub meta: ParseMeta,
}

/// What a parse learned about a delivery besides its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseMeta {
    /// The id of the delivery profile that read it (`None`: contract layout).
    pub profile: Option<String>,
    /// The extraction date the delivery states.
    pub extracted: Option<chrono::NaiveDate>,
}

/// The JSON beside a cached batch.
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    warnings: Diagnostics,
    profile: Option<String>,
    /// `yyyy-mm-dd`
    extracted: Option<String>,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Cache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache key of a parse of `file_sha256` as `source`, validated against `prisons`.
    pub fn key(source: Source, file_sha256: &str, prisons: &[String]) -> String {
        Self::key_profiled(source, file_sha256, prisons, "", &[])
    }

    /// The cache key of a delivery: its content, its name (messages and the extraction date
    /// may name it), the prisons and the hashes of the profiles that may read it. A new or
    /// corrected delivery, or a changed profile for its source, misses; other deliveries hit.
    pub fn key_profiled(
        source: Source,
        file_sha256: &str,
        prisons: &[String],
        name: &str,
        profile_hashes: &[&str],
    ) -> String {
        let mut h = Sha256::new();
        for part in [
            FORMAT_VERSION,
            env!("CARGO_PKG_VERSION"),
            source.name(),
            file_sha256,
            name,
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        for p in prisons {
            h.update(p.as_bytes());
            h.update([1u8]);
        }
        for p in profile_hashes {
            h.update(p.as_bytes());
            h.update([2u8]);
        }
        format!("{}-{}", source.name(), hex(&h.finalize()))
    }

    /// The cached parse, if present and readable with the expected schema. A damaged entry
    /// is treated as a miss (and overwritten by the next `put`).
    pub fn get(&self, source: Source, key: &str) -> Option<Cached> {
        let file = std::fs::File::open(self.dir.join(format!("{key}.parquet"))).ok()?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .ok()?
            .with_batch_size(1 << 20)
            .build()
            .ok()?;
        let batches: Vec<RecordBatch> = reader.collect::<std::result::Result<_, _>>().ok()?;
        let schema = source.schema();
        let batch = concat_batches(&schema, &batches).ok()?;
        if batch.schema().fields() != schema.fields() {
            return None;
        }
        let entry: Entry =
            serde_json::from_slice(&std::fs::read(self.dir.join(format!("{key}.json"))).ok()?)
                .ok()?;
        let extracted = match entry.extracted {
            Some(d) => Some(chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()?),
            None => None,
        };
        Some(Cached {
            batch,
            warnings: entry.warnings,
            meta: ParseMeta {
                profile: entry.profile,
                extracted,
            },
        })
    }

    /// Creates the cache folder readable by its owner only: it holds the parsed sources,
    /// pseudonymised microdata included.
    fn ensure_dir(&self) -> Result<()> {
        if self.dir.is_dir() {
            return Ok(());
        }
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(&self.dir).map_err(|e| Error::io(&self.dir, e))
    }

    /// Stores a parse result (atomically: a reader never sees a half-written entry).
    pub fn put(&self, key: &str, batch: &RecordBatch, warnings: &Diagnostics) -> Result<()> {
        self.put_with(key, batch, warnings, &ParseMeta::default())
    }

    /// As [`Cache::put`], with what the parse learned about the delivery.
    pub fn put_with(
        &self,
        key: &str,
        batch: &RecordBatch,
        warnings: &Diagnostics,
        meta: &ParseMeta,
    ) -> Result<()> {
        self.ensure_dir()?;
        let mut bytes = Vec::new();
        let mut w = ArrowWriter::try_new(&mut bytes, batch.schema(), None)
            .map_err(|e| Error::Other(format!("cache kan niet geschreven worden: {e}")))?;
        w.write(batch)
            .and_then(|_| w.close().map(|_| ()))
            .map_err(|e| Error::Other(format!("cache kan niet geschreven worden: {e}")))?;
        let json = serde_json::to_vec(&Entry {
            warnings: warnings.clone(),
            profile: meta.profile.clone(),
            extracted: meta.extracted.map(|d| d.format("%Y-%m-%d").to_string()),
        })
        .expect("diagnostics serialize");
        // Warnings first: an entry counts only once its Parquet file exists.
        crate::output::write_atomic(&self.dir.join(format!("{key}.json")), &json)?;
        crate::output::write_atomic(&self.dir.join(format!("{key}.parquet")), &bytes)?;
        Ok(())
    }
}

impl Cache {
    /// The key of one indicator's figures for `years`, given the hash of its inputs (model and
    /// the sources it reads).
    pub fn result_key(inputs_key: &str, indicator: &Indicator, years: YearRange) -> String {
        let mut h = Sha256::new();
        for part in [
            FORMAT_VERSION,
            env!("CARGO_PKG_VERSION"),
            inputs_key,
            &serde_json::to_string(indicator).expect("indicator serializes"),
            &years.first.to_string(),
            &years.last.to_string(),
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        format!("uitkomst-{}", hex(&h.finalize()))
    }

    /// The cached figures of a result key; a missing or damaged entry is a miss.
    pub fn get_results(&self, key: &str) -> Option<Vec<Observation>> {
        serde_json::from_slice(&std::fs::read(self.dir.join(format!("{key}.json"))).ok()?).ok()
    }

    /// Stores figures under a result key (atomically). Figures that JSON cannot hold exactly
    /// (not finite) are not stored.
    pub fn put_results(&self, key: &str, observations: &[Observation]) -> Result<()> {
        let exact = |x: Option<f64>| x.is_none_or(f64::is_finite);
        if !observations
            .iter()
            .all(|o| exact(o.value) && exact(o.numerator) && exact(o.denominator))
        {
            return Ok(());
        }
        self.ensure_dir()?;
        let json = serde_json::to_vec(observations).expect("observations serialize");
        crate::output::write_atomic(&self.dir.join(format!("{key}.json")), &json)
    }
}

/// A hash of the sources named in `tables` (all sources when `None`): each one's SHA-256, or
/// that it is absent. An indicator's figures depend only on the sources its SQL reads, so a
/// new delivery of one source leaves the cached figures of the others valid.
pub fn sources_key(sources: &Sources, tables: Option<&[String]>) -> String {
    let mut h = Sha256::new();
    for source in Source::ALL {
        if tables.is_some_and(|t| !t.iter().any(|n| n.eq_ignore_ascii_case(source.name()))) {
            continue;
        }
        h.update(source.name().as_bytes());
        h.update([0u8]);
        match sources.get(source) {
            Some(f) => h.update(f.sha256.as_bytes()),
            None => h.update(b"-"),
        }
        h.update([0u8]);
    }
    hex(&h.finalize())
}

/// A hash of the model tables (prisons, plans, local plans).
pub fn model_key(model: &Model) -> String {
    let mut h = Sha256::new();
    for part in [
        serde_json::to_string(&model.prisons),
        serde_json::to_string(&model.plan),
        serde_json::to_string(&model.local_plans),
    ] {
        h.update(part.expect("model serializes").as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Diagnostic;
    use datafusion::arrow::array::{Float64Array, Int32Array, StringArray};
    use std::sync::Arc;

    fn middelen() -> RecordBatch {
        RecordBatch::try_new(
            Source::Middelen.schema(),
            vec![
                Arc::new(Int32Array::from(vec![2024, 2024])),
                Arc::new(StringArray::from(vec![Some("gent"), None])),
                Arc::new(StringArray::from(vec!["CAW", "VDAB"])),
                Arc::new(StringArray::from(vec!["welzijn", "werk"])),
                Arc::new(Float64Array::from(vec![1.5, 2.0])),
                Arc::new(Float64Array::from(vec![1000.0, 250.5])),
            ],
        )
        .unwrap()
    }

    #[test]
    fn round_trips_batch_and_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let key = Cache::key(Source::Middelen, "abc", &["gent".into()]);
        assert!(cache.get(Source::Middelen, &key).is_none());
        let warnings = Diagnostics(vec![Diagnostic::warning("middelen.xlsx", "extra kolom")]);
        cache.put(&key, &middelen(), &warnings).unwrap();
        let hit = cache.get(Source::Middelen, &key).unwrap();
        assert_eq!(hit.batch, middelen());
        assert_eq!(hit.warnings, warnings);
    }

    #[test]
    fn key_depends_on_content_and_prisons() {
        let p = vec!["gent".to_string()];
        let k = Cache::key(Source::Middelen, "abc", &p);
        assert_ne!(k, Cache::key(Source::Middelen, "abd", &p));
        assert_ne!(k, Cache::key(Source::Deelname, "abc", &p));
        assert_ne!(k, Cache::key(Source::Middelen, "abc", &["brugge".into()]));
        assert_eq!(k, Cache::key(Source::Middelen, "abc", &p));
    }

    #[test]
    fn a_source_key_covers_only_the_tables_named() {
        let file = |source: Source, sha: &str| crate::load::SourceFile {
            source,
            path: PathBuf::new(),
            sha256: sha.into(),
            rows: 0,
            batch: RecordBatch::new_empty(source.schema()),
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
        };
        let figures = vec![obs(Some(579.0 / 365.0)), obs(Some(1e-300)), obs(None)];
        cache.put_results("k", &figures).unwrap();
        assert_eq!(cache.get_results("k").unwrap(), figures);
        // A figure JSON cannot hold is not cached at all.
        cache.put_results("nan", &[obs(Some(f64::NAN))]).unwrap();
        assert!(cache.get_results("nan").is_none());
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let key = Cache::key(Source::Middelen, "abc", &[]);
        cache.put(&key, &middelen(), &Diagnostics::new()).unwrap();
        std::fs::write(dir.path().join(format!("{key}.parquet")), b"kapot").unwrap();
        assert!(cache.get(Source::Middelen, &key).is_none());
    }
}
