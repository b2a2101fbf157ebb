//! A cache of parsed sources as Parquet, keyed by each file's content hash.
//!
//! Parsing a large workbook dominates a run; a rerun on unchanged data reads the already
//! validated Arrow batch back from `<cache>/<key>.parquet` instead. The key covers everything
//! the parse result depends on: the file's SHA-256, the source, the prison codes it was
//! validated against, the tool version and a format version. A changed cell changes the hash
//! and so misses the cache. Warnings of the original parse are kept beside the batch, so a
//! cached run reports the same warnings.

use crate::diagnostic::Diagnostics;
use crate::error::{Error, Result};
use crate::load::Source;
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Bump when the parse result for the same bytes could change shape or meaning.
const FORMAT_VERSION: &str = "1";

#[derive(Debug, Clone)]
pub struct ParseCache {
    dir: PathBuf,
}

/// A cache hit: the validated batch and the warnings its parse gave.
pub struct Cached {
    pub batch: RecordBatch,
    pub warnings: Diagnostics,
}

impl ParseCache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ParseCache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache key of a parse of `file_sha256` as `source`, validated against `prisons`.
    pub fn key(source: Source, file_sha256: &str, prisons: &[String]) -> String {
        let mut h = Sha256::new();
        for part in [
            FORMAT_VERSION,
            env!("CARGO_PKG_VERSION"),
            source.name(),
            file_sha256,
        ] {
            h.update(part.as_bytes());
            h.update([0u8]);
        }
        for p in prisons {
            h.update(p.as_bytes());
            h.update([1u8]);
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
        let warnings: Diagnostics =
            serde_json::from_slice(&std::fs::read(self.dir.join(format!("{key}.json"))).ok()?)
                .ok()?;
        Some(Cached { batch, warnings })
    }

    /// Stores a parse result (atomically: a reader never sees a half-written entry).
    pub fn put(&self, key: &str, batch: &RecordBatch, warnings: &Diagnostics) -> Result<()> {
        let mut bytes = Vec::new();
        let mut w = ArrowWriter::try_new(&mut bytes, batch.schema(), None)
            .map_err(|e| Error::Other(format!("cache kan niet geschreven worden: {e}")))?;
        w.write(batch)
            .and_then(|_| w.close().map(|_| ()))
            .map_err(|e| Error::Other(format!("cache kan niet geschreven worden: {e}")))?;
        let json = serde_json::to_vec(warnings).expect("diagnostics serialize");
        // Warnings first: an entry counts only once its Parquet file exists.
        crate::output::write_atomic(&self.dir.join(format!("{key}.json")), &json)?;
        crate::output::write_atomic(&self.dir.join(format!("{key}.parquet")), &bytes)?;
        Ok(())
    }
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
        let cache = ParseCache::new(dir.path());
        let key = ParseCache::key(Source::Middelen, "abc", &["gent".into()]);
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
        let k = ParseCache::key(Source::Middelen, "abc", &p);
        assert_ne!(k, ParseCache::key(Source::Middelen, "abd", &p));
        assert_ne!(k, ParseCache::key(Source::Deelname, "abc", &p));
        assert_ne!(
            k,
            ParseCache::key(Source::Middelen, "abc", &["brugge".into()])
        );
        assert_eq!(k, ParseCache::key(Source::Middelen, "abc", &p));
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ParseCache::new(dir.path());
        let key = ParseCache::key(Source::Middelen, "abc", &[]);
        cache.put(&key, &middelen(), &Diagnostics::new()).unwrap();
        std::fs::write(dir.path().join(format!("{key}.parquet")), b"kapot").unwrap();
        assert!(cache.get(Source::Middelen, &key).is_none());
    }
}
