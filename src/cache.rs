//! A content-addressed store under the cache folder: Arrow batches (as Parquet) and JSON
//! documents, each under a key. The stages derive their own keys (with [`Key`]) from
//! everything their result depends on, so a changed input misses: `load` keys a parsed
//! delivery by its bytes, name, prisons and profiles; `engine` keys an indicator's figures by
//! its YAML, the years and the hashes of the tables its SQL reads. The cache itself knows
//! nothing of sources, indicators or plans.
//!
//! Entries are written atomically (temporary file, then rename); a missing, damaged or
//! differently shaped entry is a miss, overwritten by the next `put`.

use crate::error::{Error, Result};
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::{RecordBatch, RecordBatchReader};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Cache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The batch stored under `key`, if present, readable and of exactly `schema`.
    pub(crate) fn get_batch(&self, key: &str, schema: &SchemaRef) -> Option<RecordBatch> {
        let file = std::fs::File::open(self.dir.join(format!("{key}.parquet"))).ok()?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)
            .ok()?
            .with_batch_size(1 << 20)
            .build()
            .ok()?;
        // Checked before concatenating: `concat_batches` assumes the batches have `schema`.
        if reader.schema().fields() != schema.fields() {
            return None;
        }
        let batches: Vec<RecordBatch> = reader.collect::<std::result::Result<_, _>>().ok()?;
        concat_batches(schema, &batches).ok()
    }

    /// Stores `batch` under `key` (atomically).
    pub(crate) fn put_batch(&self, key: &str, batch: &RecordBatch) -> Result<()> {
        self.ensure_dir()?;
        let mut bytes = Vec::new();
        let mut w = ArrowWriter::try_new(&mut bytes, batch.schema(), None).map_err(|e| {
            Error::CacheWrite {
                message: e.to_string(),
            }
        })?;
        w.write(batch)
            .and_then(|_| w.close().map(|_| ()))
            .map_err(|e| Error::CacheWrite {
                message: e.to_string(),
            })?;
        crate::output::write_atomic(&self.dir.join(format!("{key}.parquet")), &bytes)
    }

    /// The JSON document stored under `key`, if present and of type `T`.
    pub(crate) fn get_json<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_slice(&std::fs::read(self.dir.join(format!("{key}.json"))).ok()?).ok()
    }

    /// Stores `value` as JSON under `key` (atomically).
    pub(crate) fn put_json<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<()> {
        self.ensure_dir()?;
        let json = serde_json::to_vec(value).map_err(|e| Error::CacheWrite {
            message: e.to_string(),
        })?;
        crate::output::write_atomic(&self.dir.join(format!("{key}.json")), &json)
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
}

/// A cache key: a SHA-256 over its parts (each one terminated, so `("ab", "c")` and
/// `("a", "bc")` differ) and the tool's version, shown as `<prefix>-<hex>`.
pub(crate) struct Key(Sha256);

impl Key {
    pub(crate) fn new() -> Self {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update([0u8]);
        Key(h)
    }

    /// Adds one part.
    pub(crate) fn part(mut self, part: impl AsRef<[u8]>) -> Self {
        self.0.update(part.as_ref());
        self.0.update([0u8]);
        self
    }

    /// Adds a list as one part.
    pub(crate) fn list<S: AsRef<[u8]>>(mut self, parts: &[S]) -> Self {
        for p in parts {
            self.0.update(p.as_ref());
            self.0.update([1u8]);
        }
        self.0.update([2u8]);
        self
    }

    /// The key as lower-case hex, after `prefix` and a dash.
    pub(crate) fn finish(self, prefix: &str) -> String {
        format!("{prefix}-{}", hex(&self.0.finalize()))
    }

    /// The bare lower-case hex digest.
    pub(crate) fn hex(self) -> String {
        hex(&self.0.finalize())
    }
}

impl Default for Key {
    fn default() -> Self {
        Self::new()
    }
}

/// `bytes` as lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-case hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch() -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("jaar", DataType::Int32, false),
            Field::new("gevangenis", DataType::Utf8, true),
        ]));
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(Int32Array::from(vec![2024, 2024])),
                Arc::new(StringArray::from(vec![Some("gent"), None])),
            ],
        )
        .unwrap()
    }

    #[test]
    fn round_trips_batches_and_json() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let schema = batch().schema();
        assert!(cache.get_batch("k", &schema).is_none());
        cache.put_batch("k", &batch()).unwrap();
        assert_eq!(cache.get_batch("k", &schema).unwrap(), batch());
        cache
            .put_json("k", &vec![0.1 + 0.2, 579.0 / 365.0])
            .unwrap();
        assert_eq!(
            cache.get_json::<Vec<f64>>("k").unwrap(),
            vec![0.1 + 0.2, 579.0 / 365.0]
        );
    }

    #[test]
    fn a_damaged_or_reshaped_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        cache.put_batch("k", &batch()).unwrap();
        let other = Arc::new(Schema::new(vec![Field::new(
            "jaar",
            DataType::Int32,
            false,
        )]));
        assert!(cache.get_batch("k", &other).is_none());
        std::fs::write(dir.path().join("k.parquet"), b"kapot").unwrap();
        assert!(cache.get_batch("k", &batch().schema()).is_none());
        std::fs::write(dir.path().join("k.json"), b"{").unwrap();
        assert!(cache.get_json::<Vec<f64>>("k").is_none());
    }

    #[test]
    fn keys_separate_their_parts() {
        let k = |a: &str, b: &str| Key::new().part(a).part(b).finish("x");
        assert_ne!(k("ab", "c"), k("a", "bc"));
        assert_eq!(k("a", "b"), k("a", "b"));
        assert!(k("a", "b").starts_with("x-"));
        assert_ne!(
            Key::new().list(&["a", "b"]).hex(),
            Key::new().list(&["ab"]).hex()
        );
    }
}
