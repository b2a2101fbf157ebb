//! The release rows of the report's cohort section ([`crate::cohort::cohort_section`]), read
//! with the same definitions as the cohort indicators (COHORTS.md, INDICATORS.md).

use super::{as_f64, as_text, run_sql};
use crate::cache::{Cache, Key};
use crate::cohort::{Followup, ReleaseRow};
use crate::error::{Error, Result};
use crate::register::Inputs;
use crate::years::YearRange;
use datafusion::common::ScalarValue;
use datafusion::prelude::SessionContext;
use std::collections::BTreeMap;

/// One row per `uitstroom` row released in the years; `ev` is the row's number.
const ROWS: &str = "
SELECT u.rij AS ev, j.jaar,
       CASE WHEN u.wederopsluiting IS NOT NULL AND u.wederopsluiting <= u.opvolging_tot
            THEN CAST(u.wederopsluiting - u.vrijlating AS DOUBLE)
            ELSE CAST(u.opvolging_tot - u.vrijlating AS DOUBLE) END AS t,
       CASE WHEN u.wederopsluiting IS NOT NULL AND u.wederopsluiting <= u.opvolging_tot
            THEN 1.0 ELSE 0.0 END AS event,
       CASE WHEN u.lange_detentiegeschiedenis THEN 1.0 ELSE 0.0 END AS lang,
       CASE WHEN u.werk_kwartaal_1 IS NULL THEN NULL WHEN u.werk_kwartaal_1 THEN 1.0 ELSE 0.0 END AS k1,
       CASE WHEN u.werk_kwartaal_2 IS NULL THEN NULL WHEN u.werk_kwartaal_2 THEN 1.0 ELSE 0.0 END AS k2,
       CASE WHEN u.opvolging_tot < u.vrijlating + INTERVAL '730 days' THEN NULL
            WHEN u.wederopsluiting IS NOT NULL AND u.wederopsluiting <= u.vrijlating + INTERVAL '730 days'
            THEN 1.0 ELSE 0.0 END AS twee_jaar
FROM uitstroom u
JOIN jaren j ON u.vrijlating >= j.begin AND u.vrijlating <= j.einde
WHERE j.jaar BETWEEN $jaar_van AND $jaar_tot
";

/// The domains of `deelname` rows starting within each release's detention.
const DOMAINS: &str = "
SELECT DISTINCT u.rij AS ev, d.domein
FROM uitstroom u
JOIN jaren j ON u.vrijlating >= j.begin AND u.vrijlating <= j.einde
JOIN deelname d
  ON d.persoon_id = u.persoon_id
 AND d.start >= u.detentie_begin AND d.start <= u.vrijlating
WHERE j.jaar BETWEEN $jaar_van AND $jaar_tot
";

/// Bump when the release rows for the same inputs could change.
const CACHE_VERSION: &str = "1";

/// [`release_rows`] over `inputs`, reused from `cache` while the model tables, `uitstroom`,
/// `deelname` and the years are unchanged (a new delivery of another source leaves them
/// valid), and stored otherwise.
pub(crate) async fn release_rows_cached(
    inputs: &Inputs,
    years: YearRange,
    cache: Option<&Cache>,
) -> Result<Vec<ReleaseRow>> {
    let Some(cache) = cache else {
        return release_rows(&inputs.ctx, years).await;
    };
    let model_key = super::model_key(&inputs.model);
    let key = Key::new()
        .part(CACHE_VERSION)
        .part(super::inputs_key(inputs, &model_key, ROWS))
        .part(super::inputs_key(inputs, &model_key, DOMAINS))
        .part(years.first.to_string())
        .part(years.last.to_string())
        .finish("vrijlatingen");
    if let Some(hit) = cache.get_json(&key) {
        return Ok(hit);
    }
    let rows = release_rows(&inputs.ctx, years).await?;
    // A cache that cannot be written only costs speed next time.
    if let Err(e) = cache.put_json(&key, &rows) {
        eprintln!("waarschuwing: {e}");
    }
    Ok(rows)
}

/// The release rows of `years` (needs the tables `uitstroom` and `deelname`), in source order.
pub async fn release_rows(ctx: &SessionContext, years: YearRange) -> Result<Vec<ReleaseRow>> {
    let params = || {
        vec![
            ("jaar_van", ScalarValue::Int32(Some(years.first))),
            ("jaar_tot", ScalarValue::Int32(Some(years.last))),
        ]
    };
    let fail = |message: String| Error::Releases { message };
    let mut domains: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for b in run_sql(ctx, DOMAINS, params()).await.map_err(fail)? {
        let ev = as_f64(&b, "ev").map_err(fail)?;
        let d = as_text(&b, "domein").map_err(fail)?;
        for (ev, d) in ev.into_iter().zip(d) {
            if let (Some(ev), Some(d)) = (ev, d) {
                domains.entry(ev as i64).or_default().push(d);
            }
        }
    }
    for v in domains.values_mut() {
        v.sort();
        v.dedup();
    }
    let mut out: Vec<(i64, ReleaseRow)> = Vec::new();
    for b in run_sql(ctx, ROWS, params()).await.map_err(fail)? {
        let col = |n: &str| as_f64(&b, n).map_err(fail);
        let (ev, year, t, event, lang, k1, k2, two) = (
            col("ev")?,
            col("jaar")?,
            col("t")?,
            col("event")?,
            col("lang")?,
            col("k1")?,
            col("k2")?,
            col("twee_jaar")?,
        );
        let flag = |v: Option<f64>| v.map(|x| x != 0.0);
        for i in 0..b.num_rows() {
            let ev = ev[i].unwrap_or_default() as i64;
            let ds = domains.get(&ev).cloned().unwrap_or_default();
            out.push((
                ev,
                ReleaseRow {
                    year: year[i].unwrap_or_default() as i32,
                    followup: Followup {
                        t: t[i].unwrap_or_default() as i64,
                        event: flag(event[i]).unwrap_or(false),
                    },
                    long_history: flag(lang[i]).unwrap_or(false),
                    exposed: ds.iter().any(|d| d == "werk" || d == "onderwijs"),
                    domains: ds,
                    work_q1: flag(k1[i]),
                    work_q2: flag(k2[i]),
                    within_two_years: flag(two[i]),
                },
            ));
        }
    }
    out.sort_by_key(|(ev, _)| *ev);
    Ok(out.into_iter().map(|(_, r)| r).collect())
}
