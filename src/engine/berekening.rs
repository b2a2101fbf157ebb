//! Declared computations (`berekening:` in an indicator's YAML): the SQL returns one row per
//! unit and the figures of every cell are computed here with [`crate::cohort`]. The row
//! contract of each method is in `model::indicator`.

use super::{Dim, Interval, Observation, as_f64, as_text, column};
use crate::cohort::{Followup, KaplanMeier, Stratum, mantel_haenszel};
use crate::model::{Computation, Indicator};
use crate::years::YearRange;
use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::arrow::record_batch::RecordBatch;
use std::collections::BTreeMap;

type R<T> = std::result::Result<T, String>;

/// The figures of `ind` for `years` from its per-row SQL output.
pub(super) fn compute(
    ind: &Indicator,
    method: Computation,
    batches: &[RecordBatch],
    years: YearRange,
) -> R<Vec<Observation>> {
    match method {
        Computation::KaplanMeier { .. } | Computation::KaplanMeierMediaan => {
            kaplan_meier(ind, method, batches, years)
        }
        Computation::MantelHaenszel => mantel_haenszel_rows(ind, batches, years),
    }
}

fn years_of(b: &RecordBatch) -> R<Vec<i32>> {
    let year = cast(column(b, "year")?, &DataType::Int64)
        .map_err(|e| format!("kolom `year` is geen geheel getal: {e}"))?;
    let year = year.as_primitive::<Int64Type>();
    (0..b.num_rows())
        .map(|i| {
            if year.is_null(i) {
                Err("de SQL geeft een rij zonder jaar".to_string())
            } else {
                Ok(year.value(i) as i32)
            }
        })
        .collect()
}

/// A 0/1 (or boolean) column as booleans; null is an error.
fn flags(b: &RecordBatch, name: &str) -> R<Vec<bool>> {
    let c = column(b, name)?;
    let v = if c.data_type() == &DataType::Boolean {
        c.as_boolean().iter().map(|x| x.map(f64::from)).collect()
    } else {
        as_f64(b, name)?
    };
    v.into_iter()
        .map(|x| match x {
            Some(0.0) => Ok(false),
            Some(1.0) => Ok(true),
            Some(x) => Err(format!("kolom `{name}` moet 0 of 1 zijn, niet {x}")),
            None => Err(format!("kolom `{name}` is leeg op een rij")),
        })
        .collect()
}

/// Cells: `(year, None)` for the total, `(year, Some((breakdown position, value)))`.
type CellKey = (i32, Option<(usize, String)>);

fn kaplan_meier(
    ind: &Indicator,
    method: Computation,
    batches: &[RecordBatch],
    years: YearRange,
) -> R<Vec<Observation>> {
    let mut cells: BTreeMap<CellKey, Vec<Followup>> = BTreeMap::new();
    for y in years.iter() {
        cells.insert((y, None), Vec::new());
    }
    for b in batches {
        let year = years_of(b)?;
        let t = as_f64(b, "t")?;
        let event = flags(b, "event")?;
        let dims: Vec<Vec<Option<String>>> = ind
            .uitsplitsingen
            .iter()
            .map(|u| as_text(b, u))
            .collect::<R<_>>()?;
        for i in 0..b.num_rows() {
            let Some(t) = t[i] else {
                return Err("kolom `t` is leeg op een rij".into());
            };
            if t.fract() != 0.0 || t < 0.0 {
                return Err(format!(
                    "kolom `t` moet een geheel aantal dagen >= 0 zijn, niet {t}"
                ));
            }
            let row = Followup {
                t: t as i64,
                event: event[i],
            };
            cells.entry((year[i], None)).or_default().push(row);
            for (k, d) in dims.iter().enumerate() {
                let value = d[i].clone().unwrap_or_default();
                cells
                    .entry((year[i], Some((k, value))))
                    .or_default()
                    .push(row);
            }
        }
    }
    Ok(cells
        .into_iter()
        .map(|((year, dim), rows)| {
            let km = KaplanMeier::fit(&rows);
            let (value, numerator, denominator) = match method {
                Computation::KaplanMeier { dagen } => (
                    km.risk(dagen).map(|r| 100.0 * r),
                    Some(km.events_by(dagen) as f64),
                    Some(km.rows() as f64),
                ),
                _ => (km.median().map(|t| t as f64), None, None),
            };
            Observation {
                indicator: ind.id.clone(),
                year,
                dim: dim.map(|(k, value)| Dim {
                    name: ind.uitsplitsingen[k].clone(),
                    value,
                }),
                value,
                numerator,
                denominator,
                interval: None,
                units: Some(km.rows() as f64),
            }
        })
        .collect())
}

fn mantel_haenszel_rows(
    ind: &Indicator,
    batches: &[RecordBatch],
    years: YearRange,
) -> R<Vec<Observation>> {
    let mut strata: BTreeMap<i32, BTreeMap<String, Stratum>> = BTreeMap::new();
    for y in years.iter() {
        strata.insert(y, BTreeMap::new());
    }
    for b in batches {
        let year = years_of(b)?;
        let stratum = as_text(b, "stratum")?;
        let exposed = flags(b, "blootgesteld")?;
        let outcome = flags(b, "uitkomst")?;
        for i in 0..b.num_rows() {
            let s = strata
                .entry(year[i])
                .or_default()
                .entry(stratum[i].clone().unwrap_or_default())
                .or_default();
            if exposed[i] {
                s.n1 += 1;
                s.a += u64::from(outcome[i]);
            } else {
                s.n0 += 1;
                s.c += u64::from(outcome[i]);
            }
        }
    }
    Ok(strata
        .into_iter()
        .map(|(year, by)| {
            let s: Vec<Stratum> = by.into_values().collect();
            let rd = mantel_haenszel(&s);
            Observation {
                indicator: ind.id.clone(),
                year,
                dim: None,
                value: rd.map(|r| 100.0 * r.rd),
                numerator: None,
                denominator: Some(rd.map_or(0.0, |r| r.rows as f64)),
                interval: Some(Interval {
                    low: rd.map(|r| 100.0 * r.low),
                    high: rd.map(|r| 100.0 * r.high),
                }),
                units: Some(rd.map_or(0.0, |r| r.smallest_group as f64)),
            }
        })
        .collect())
}
