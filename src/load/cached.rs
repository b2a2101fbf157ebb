//! The parse cache of deliveries: a parsed and validated delivery is kept as Parquet beside
//! its warnings, keyed by everything the parse result depends on: the file's SHA-256, its
//! name (messages and the extraction date may name it), the source, the prison codes it was
//! validated against, the hashes of the profiles that may read it, the tool version and a
//! format version. A changed cell, profile or prison list misses; other deliveries hit.

use crate::cache::{Cache, Key};
use crate::contract::Source;
use crate::diagnostic::Diagnostics;
use crate::error::Result;
use datafusion::arrow::record_batch::RecordBatch;

/// Bump when the parse result for the same bytes could change shape or meaning.
// 2: sheets streamed; formulas without a value are errors, merged cells warned about.
// 3: invisible characters stripped (with a warning), dates before HDV_MIN_YEAR, time-only
//    cells, huge decimals and over-long texts refused; warnings capped per file.
// 4: `uitstroom` gained the optional column `werk_kwartaal_2`.
// 5: deliveries: the key covers the delivery's name and the profiles that may read it; the
//    entry keeps the profile used and the extraction date.
// 6: keys derived here with `cache::Key` (the cache became a plain store).
// 7: overlapping stays within a delivery: every earlier stay of the person counts, not only
//    the one just before it.
// 8: CSV in Windows-1252 read with a warning, UTF-16 decoded (they were refused or stripped
//    of NUL bytes).
// 9: findings carry the partner's view; a value the profile lacks is one finding per value;
//    the entry keeps every row's file row (as runs) and the columns' places.
// 10: both 8 and 9 (the branches that introduced them were merged).
const FORMAT_VERSION: &str = "10";

/// Bump when the findings across deliveries could change for the same deliveries.
// 3: re-deliveries replace cells (supplier × year × prison), not whole deliveries: the hash
//    covers the replaced cells of each delivery in use. Findings carry the partner's view.
const ACROSS_VERSION: &str = "3";

/// What a parse learned about a delivery besides its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ParseMeta {
    /// The id of the delivery profile that read it (`None`: contract layout).
    pub profile: Option<String>,
    /// The extraction date the delivery states.
    pub extracted: Option<chrono::NaiveDate>,
    /// The file row (CSV line) of every row, in batch order.
    pub file_rows: super::FileRows,
    /// Where the contract's columns are in the file.
    pub layout: Option<super::Layout>,
}

/// A cache hit: the validated batch, the warnings its parse gave and what it learned.
pub(crate) struct Parsed {
    pub batch: RecordBatch,
    pub warnings: Diagnostics,
    pub meta: ParseMeta,
}

/// The JSON beside a cached batch.
#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    warnings: Diagnostics,
    profile: Option<String>,
    /// `yyyy-mm-dd`
    extracted: Option<String>,
    layout: Option<super::Layout>,
    file_rows: super::FileRows,
}

/// The cache key of a delivery of `source` with content `sha256` and name `name`.
pub(crate) fn key(
    source: Source,
    sha256: &str,
    prisons: &[String],
    name: &str,
    profile_hashes: &[&str],
) -> String {
    Key::new()
        .part(FORMAT_VERSION)
        .part(source.name())
        .part(sha256)
        .part(name)
        .list(prisons)
        .list(profile_hashes)
        .finish(source.name())
}

/// The cached parse under `key`, if present and of `source`'s schema.
pub(crate) fn get(cache: &Cache, source: Source, key: &str) -> Option<Parsed> {
    let batch = cache.get_batch(key, &source.schema())?;
    let entry: Entry = cache.get_json(key)?;
    let extracted = match entry.extracted {
        Some(d) => Some(chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()?),
        None => None,
    };
    Some(Parsed {
        batch,
        warnings: entry.warnings,
        meta: ParseMeta {
            profile: entry.profile,
            extracted,
            file_rows: entry.file_rows,
            layout: entry.layout,
        },
    })
}

/// Stores a parse result. The warnings go first: an entry counts only once its Parquet file
/// exists, so a reader never takes a batch without its warnings.
pub(crate) fn put(
    cache: &Cache,
    key: &str,
    batch: &RecordBatch,
    warnings: &Diagnostics,
    meta: &ParseMeta,
) -> Result<()> {
    cache.put_json(
        key,
        &Entry {
            warnings: warnings.clone(),
            profile: meta.profile.clone(),
            extracted: meta.extracted.map(|d| d.format("%Y-%m-%d").to_string()),
            layout: meta.layout.clone(),
            file_rows: meta.file_rows.clone(),
        },
    )?;
    cache.put_batch(key, batch)
}

/// The findings across the active deliveries of `source` (uniqueness of ids, overlapping
/// stays), whose combined hash is `sources_sha256`: from the cache, or computed and stored.
pub(crate) fn across(
    cache: Option<&Cache>,
    source: Source,
    sources_sha256: &str,
    compute: impl FnOnce() -> Diagnostics,
) -> Diagnostics {
    let Some(cache) = cache else {
        return compute();
    };
    let key = Key::new()
        .part(FORMAT_VERSION)
        .part(ACROSS_VERSION)
        .part(source.name())
        .part(sources_sha256)
        .part(crate::limits::findings_per_file().to_string())
        .finish(&format!("leveringen-{}", source.name()));
    if let Some(hit) = cache.get_json(&key) {
        return hit;
    }
    let found = compute();
    // A cache that cannot be written only costs speed next time.
    if let Err(e) = cache.put_json(&key, &found) {
        eprintln!("waarschuwing: {e}");
    }
    found
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
    fn round_trips_batch_warnings_and_meta() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let k = key(Source::Middelen, "abc", &["gent".into()], "m.xlsx", &[]);
        assert!(get(&cache, Source::Middelen, &k).is_none());
        let warnings = Diagnostics(vec![Diagnostic::warning("middelen.xlsx", "extra kolom")]);
        let meta = ParseMeta {
            profile: Some("caw".into()),
            extracted: chrono::NaiveDate::from_ymd_opt(2025, 1, 31),
            file_rows: {
                let mut r = super::super::FileRows::default();
                r.push(2);
                r.push(5);
                r
            },
            layout: Some(super::super::Layout {
                sheet: Some("Export".into()),
                columns: [("partner".to_string(), (3, "Organisatie".to_string()))].into(),
            }),
        };
        put(&cache, &k, &middelen(), &warnings, &meta).unwrap();
        let hit = get(&cache, Source::Middelen, &k).unwrap();
        assert_eq!(hit.batch, middelen());
        assert_eq!(hit.warnings, warnings);
        assert_eq!(hit.meta, meta);
        // Another source's schema does not read it.
        assert!(get(&cache, Source::Deelname, &k).is_none());
    }

    #[test]
    fn key_depends_on_content_name_prisons_and_profiles() {
        let p = vec!["gent".to_string()];
        let k = key(Source::Middelen, "abc", &p, "m.xlsx", &["h1"]);
        assert_ne!(k, key(Source::Middelen, "abd", &p, "m.xlsx", &["h1"]));
        assert_ne!(k, key(Source::Deelname, "abc", &p, "m.xlsx", &["h1"]));
        assert_ne!(
            k,
            key(
                Source::Middelen,
                "abc",
                &["brugge".into()],
                "m.xlsx",
                &["h1"]
            )
        );
        assert_ne!(k, key(Source::Middelen, "abc", &p, "n.xlsx", &["h1"]));
        assert_ne!(k, key(Source::Middelen, "abc", &p, "m.xlsx", &["h2"]));
        assert_eq!(k, key(Source::Middelen, "abc", &p, "m.xlsx", &["h1"]));
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let k = key(Source::Middelen, "abc", &[], "m.xlsx", &[]);
        put(
            &cache,
            &k,
            &middelen(),
            &Diagnostics::new(),
            &ParseMeta::default(),
        )
        .unwrap();
        std::fs::write(dir.path().join(format!("{k}.parquet")), b"kapot").unwrap();
        assert!(get(&cache, Source::Middelen, &k).is_none());
    }
}
