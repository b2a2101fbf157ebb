//! Stage 2: register the loaded sources and the plan as DataFusion tables.
//!
//! Source tables are named after the source (`detenties`, ...), with the contract's columns
//! plus `rij`, the row's sequence number in its source. Besides them:
//!
//! | table | columns |
//! |---|---|
//! | `jaren` | `jaar`, `begin`, `einde`, `dagen`: calendar years 1990-2060 |
//! | `gevangenissen` | `gevangenis`, `naam`, `open_vanaf`, `gesloten_vanaf` |
//! | `plannen` | `plan_id`, `titel`, `eerste_jaar`, `laatste_jaar`, `in_gebruik` (the plan the tables below are of), `versie` (in words), `statussen_voorbeeld` |
//! | `doelstellingen` | `doelstelling_id`, `titel`, `voorlopige_titel`, `optie`, `plan_id` (of the plan in force in the run's year, in its version of that year) |
//! | `doelstelling_status` | `doelstelling_id`, `jaar`, `status`, `toelichting`: an objective's own status at the end of every year of `jaren`, only for objectives followed per objective and from their first entry |
//! | `acties` | `actie_id`, `doelstelling_id`, `cluster`, `titel`, `voorlopige_titel`, `trekker`, `maatregel` |
//! | `actie_status` | `actie_id`, `jaar`, `status`, `toelichting`, `geregistreerd`: the status at the end of every year of `jaren` (the latest entry up to that year, `gepland` before the first, then `geregistreerd` is false; after the plan period the last status stays) |
//! | `lokale_acties` | `gevangenis`, `jaar`, `lokale_actie_id`, `titel`, `eigenaar`, `status`, `toelichting` |
//! | `lokale_koppelingen` | `gevangenis`, `jaar`, `lokale_actie_id`, `actie_id` |
//! | `lokale_plannen` | `gevangenis`, `jaar` |

use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::{LocalAction, LocalPlan, Model};
use crate::years::date32;
use chrono::Datelike;
use datafusion::arrow::array::{
    ArrayRef, BooleanArray, Date32Array, Int32Array, Int64Array, StringArray,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::datasource::MemTable;
use datafusion::prelude::{SessionConfig, SessionContext};
use std::sync::Arc;

/// Years in the `jaren` table.
pub(crate) const YEARS_TABLE_RANGE: std::ops::RangeInclusive<i32> = 1990..=2060;

/// The inputs of a run once registered: the model, the sources and the DataFusion context
/// over both, which every later stage reads.
pub struct Inputs {
    pub model: Model,
    pub sources: Sources,
    pub ctx: SessionContext,
}

/// Registers every source and model table in a fresh context. With `pseudonym_salt`, every
/// `persoon_id` is replaced by a salted hash (`X` + 12 hex digits): joins on persons still
/// work, but no real pseudonym can be printed, whatever the query does with the column. Used
/// for analysts' queries.
pub fn register(mut model: Model, sources: Sources, pseudonym_salt: Option<u64>) -> Result<Inputs> {
    // An indicator over an optional source the data folder lacks (linked-data deliveries)
    // does not apply: it is left out of every product, without a warning.
    model
        .indicators
        .retain(|i| !sources.only_optional_absent(&i.bronnen));
    let ctx = context(&sources, &model, pseudonym_salt)?;
    Ok(Inputs {
        model,
        sources,
        ctx,
    })
}

/// A fresh context with every table of `sources` and `model` registered.
fn context(
    sources: &Sources,
    model: &Model,
    pseudonym_salt: Option<u64>,
) -> Result<SessionContext> {
    let config = SessionConfig::new()
        .with_target_partitions(2)
        .with_information_schema(true);
    let ctx = SessionContext::new_with_config_rt(config, crate::query::runtime_env()?);
    for file in &sources.files {
        let batch = match pseudonym_salt {
            Some(salt) => replace_pseudonyms(&file.batch, salt)?,
            None => file.batch.clone(),
        };
        register_table(&ctx, file.source.name(), with_row_numbers(&batch)?)?;
    }
    for (name, batch) in model_tables(model)? {
        register_table(&ctx, name, batch)?;
    }
    Ok(ctx)
}

fn register_table(ctx: &SessionContext, name: &str, batch: RecordBatch) -> Result<()> {
    let table =
        MemTable::try_new(batch.schema(), vec![vec![batch]]).map_err(|e| Error::RegisterTable {
            table: name.to_string(),
            message: e.to_string(),
        })?;
    ctx.register_table(name, Arc::new(table))
        .map_err(|e| Error::RegisterTable {
            table: name.to_string(),
            message: e.to_string(),
        })?;
    Ok(())
}

/// The source batch plus a column `rij`: the row's sequence number in its source (1, 2, ...).
///
/// Indicators that count events (a release, a request) key on `rij` rather than on
/// `ROW_NUMBER()`: DataFusion 55 treats a window-numbered column as unique even after a
/// one-to-many join and then drops a `DISTINCT` over it, which inflates counts.
pub(crate) fn with_row_numbers(batch: &RecordBatch) -> Result<RecordBatch> {
    let mut fields: Vec<Field> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone())
        .collect();
    fields.push(Field::new("rij", DataType::Int64, false));
    let mut columns = batch.columns().to_vec();
    columns.push(Arc::new(Int64Array::from_iter_values(
        1..=batch.num_rows() as i64,
    )));
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(|e| Error::Internal {
        step: "bij het registreren",
        message: e.to_string(),
    })
}

/// The batch with `persoon_id` replaced by `X` + 12 hex digits of SHA-256(salt, id).
fn replace_pseudonyms(batch: &RecordBatch, salt: u64) -> Result<RecordBatch> {
    use datafusion::arrow::array::{Array, AsArray};
    use sha2::{Digest, Sha256};
    let Ok(i) = batch.schema().index_of("persoon_id") else {
        return Ok(batch.clone());
    };
    let ids = batch.column(i).as_string::<i32>();
    let salt = salt.to_le_bytes();
    let replaced: StringArray = (0..ids.len())
        .map(|r| {
            (!ids.is_null(r)).then(|| {
                let h = Sha256::new()
                    .chain_update(salt)
                    .chain_update(ids.value(r).as_bytes())
                    .finalize();
                format!("X{}", crate::cache::hex(&h[..6]))
            })
        })
        .collect();
    let mut columns = batch.columns().to_vec();
    columns[i] = Arc::new(replaced);
    RecordBatch::try_new(batch.schema(), columns).map_err(|e| Error::Internal {
        step: "bij het vervangen van pseudoniemen",
        message: e.to_string(),
    })
}

fn utf8(values: Vec<Option<&str>>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}

fn batch(fields: Vec<(&str, DataType, bool)>, columns: Vec<ArrayRef>) -> Result<RecordBatch> {
    let schema = Schema::new(
        fields
            .into_iter()
            .map(|(n, t, null)| Field::new(n, t, null))
            .collect::<Vec<_>>(),
    );
    RecordBatch::try_new(Arc::new(schema), columns).map_err(|e| Error::Internal {
        step: "bij het opbouwen van een tabel",
        message: e.to_string(),
    })
}

/// The plan, local plans, prisons and years as tables.
pub(crate) fn model_tables(model: &Model) -> Result<Vec<(&'static str, RecordBatch)>> {
    Ok(vec![
        ("jaren", years_table()?),
        ("gevangenissen", prisons_table(model)?),
        ("plannen", plans_table(model)?),
        ("doelstellingen", objectives_table(model)?),
        ("doelstelling_status", objective_status_table(model)?),
        ("acties", actions_table(model)?),
        ("actie_status", action_status_table(model)?),
        ("lokale_acties", local_actions_table(model)?),
        ("lokale_koppelingen", local_links_table(model)?),
        ("lokale_plannen", local_plans_table(model)?),
    ])
}

/// The table `jaren`: every year's first and last day and its number of days.
fn years_table() -> Result<RecordBatch> {
    use DataType::{Date32, Int32};
    let years: Vec<i32> = YEARS_TABLE_RANGE.collect();
    let first = |y: i32| crate::years::year_bounds(y).0;
    let last = |y: i32| crate::years::year_bounds(y).1;
    batch(
        vec![
            ("jaar", Int32, false),
            ("begin", Date32, false),
            ("einde", Date32, false),
            ("dagen", Int32, false),
        ],
        vec![
            Arc::new(Int32Array::from(years.clone())),
            Arc::new(Date32Array::from_iter_values(
                years.iter().map(|&y| date32(first(y))),
            )),
            Arc::new(Date32Array::from_iter_values(
                years.iter().map(|&y| date32(last(y))),
            )),
            Arc::new(Int32Array::from_iter_values(
                years.iter().map(|&y| last(y).ordinal() as i32),
            )),
        ],
    )
}

/// The table `gevangenissen`.
fn prisons_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Date32, Utf8};
    let p = &model.prisons;
    batch(
        vec![
            ("gevangenis", Utf8, false),
            ("naam", Utf8, false),
            ("open_vanaf", Date32, true),
            ("gesloten_vanaf", Date32, true),
        ],
        vec![
            utf8(p.iter().map(|x| Some(x.code.as_str())).collect()),
            utf8(p.iter().map(|x| Some(x.naam.as_str())).collect()),
            Arc::new(Date32Array::from(
                p.iter()
                    .map(|x| x.open_vanaf.map(date32))
                    .collect::<Vec<_>>(),
            )),
            Arc::new(Date32Array::from(
                p.iter()
                    .map(|x| x.gesloten_vanaf.map(date32))
                    .collect::<Vec<_>>(),
            )),
        ],
    )
}

/// The table `plannen`: every plan, the one in use with its version.
fn plans_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Boolean, Int32, Utf8};
    let plans = &model.plans;
    let version = model.plan.version_label();
    batch(
        vec![
            ("plan_id", Utf8, false),
            ("titel", Utf8, false),
            ("eerste_jaar", Int32, false),
            ("laatste_jaar", Int32, false),
            ("in_gebruik", Boolean, false),
            ("versie", Utf8, true),
            ("statussen_voorbeeld", Boolean, false),
        ],
        vec![
            utf8(plans.iter().map(|x| Some(x.id.as_str())).collect()),
            utf8(plans.iter().map(|x| Some(x.titel.as_str())).collect()),
            Arc::new(Int32Array::from_iter_values(
                plans.iter().map(|x| x.eerste_jaar),
            )),
            Arc::new(Int32Array::from_iter_values(
                plans.iter().map(|x| x.laatste_jaar),
            )),
            Arc::new(BooleanArray::from(
                plans
                    .iter()
                    .map(|x| x.id == model.plan.id)
                    .collect::<Vec<_>>(),
            )),
            utf8(
                plans
                    .iter()
                    .map(|x| (x.id == model.plan.id).then_some(version.as_str()))
                    .collect(),
            ),
            Arc::new(BooleanArray::from(
                plans
                    .iter()
                    .map(|x| x.statussen_voorbeeld)
                    .collect::<Vec<_>>(),
            )),
        ],
    )
}

/// The table `doelstellingen` of the plan in use.
fn objectives_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Boolean, Utf8};
    let o = &model.plan.doelstellingen;
    batch(
        vec![
            ("doelstelling_id", Utf8, false),
            ("titel", Utf8, false),
            ("voorlopige_titel", Boolean, false),
            ("optie", Utf8, true),
            ("plan_id", Utf8, false),
        ],
        vec![
            utf8(o.iter().map(|x| Some(x.id.as_str())).collect()),
            utf8(o.iter().map(|x| Some(x.titel.as_str())).collect()),
            Arc::new(BooleanArray::from(
                o.iter().map(|x| x.voorlopige_titel).collect::<Vec<_>>(),
            )),
            utf8(o.iter().map(|x| x.optie.as_deref()).collect()),
            utf8(o.iter().map(|_| Some(model.plan.id.as_str())).collect()),
        ],
    )
}

/// The table `doelstelling_status`: each objective's status per year.
fn objective_status_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Int32, Utf8};
    let o = &model.plan.doelstellingen;
    let (mut ids, mut jaar, mut status, mut expl) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for obj in o {
        for y in YEARS_TABLE_RANGE {
            if let Some((s, t)) = obj.status_in(y) {
                ids.push(Some(obj.id.as_str()));
                jaar.push(y);
                status.push(Some(s.code()));
                expl.push(t);
            }
        }
    }
    batch(
        vec![
            ("doelstelling_id", Utf8, false),
            ("jaar", Int32, false),
            ("status", Utf8, false),
            ("toelichting", Utf8, true),
        ],
        vec![
            utf8(ids),
            Arc::new(Int32Array::from(jaar)),
            utf8(status),
            utf8(expl),
        ],
    )
}

/// The table `acties` of the plan in use.
fn actions_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Boolean, Int32, Utf8};
    let a = &model.plan.acties;
    batch(
        vec![
            ("actie_id", Utf8, false),
            ("doelstelling_id", Utf8, false),
            ("cluster", Utf8, true),
            ("titel", Utf8, false),
            ("voorlopige_titel", Boolean, false),
            ("trekker", Utf8, false),
            ("maatregel", Int32, true),
        ],
        vec![
            utf8(a.iter().map(|x| Some(x.id.as_str())).collect()),
            utf8(a.iter().map(|x| Some(x.doelstelling.as_str())).collect()),
            utf8(a.iter().map(|x| x.cluster.as_deref()).collect()),
            utf8(a.iter().map(|x| Some(x.titel.as_str())).collect()),
            Arc::new(BooleanArray::from(
                a.iter().map(|x| x.voorlopige_titel).collect::<Vec<_>>(),
            )),
            utf8(a.iter().map(|x| Some(x.trekker.as_str())).collect()),
            Arc::new(Int32Array::from(
                a.iter()
                    .map(|x| x.maatregel.map(|m| m as i32))
                    .collect::<Vec<_>>(),
            )),
        ],
    )
}

/// The table `actie_status`: each action's status per year.
fn action_status_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Boolean, Int32, Utf8};
    let a = &model.plan.acties;
    let mut ids = Vec::new();
    let mut jaar = Vec::new();
    let mut status = Vec::new();
    let mut expl = Vec::new();
    let mut registered = Vec::new();
    for action in a {
        for y in YEARS_TABLE_RANGE {
            let (s, t) = action.status_in(y);
            ids.push(Some(action.id.as_str()));
            jaar.push(y);
            status.push(Some(s.code()));
            expl.push(t);
            registered.push(action.has_status_by(y));
        }
    }
    batch(
        vec![
            ("actie_id", Utf8, false),
            ("jaar", Int32, false),
            ("status", Utf8, false),
            ("toelichting", Utf8, true),
            ("geregistreerd", Boolean, false),
        ],
        vec![
            utf8(ids),
            Arc::new(Int32Array::from(jaar)),
            utf8(status),
            utf8(expl),
            Arc::new(BooleanArray::from(registered)),
        ],
    )
}

/// Every action of the local plans, with its plan.
fn local_actions(model: &Model) -> Vec<(&LocalPlan, &LocalAction)> {
    model
        .local_plans
        .iter()
        .flat_map(|p| p.acties.iter().map(move |a| (p, a)))
        .collect()
}

/// The table `lokale_acties`: the actions of the local plans.
fn local_actions_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Int32, Utf8};
    let la = local_actions(model);
    batch(
        vec![
            ("gevangenis", Utf8, false),
            ("jaar", Int32, false),
            ("lokale_actie_id", Utf8, false),
            ("titel", Utf8, false),
            ("eigenaar", Utf8, false),
            ("status", Utf8, false),
            ("toelichting", Utf8, true),
        ],
        vec![
            utf8(
                la.iter()
                    .map(|(p, _)| Some(p.gevangenis.as_str()))
                    .collect(),
            ),
            Arc::new(Int32Array::from_iter_values(la.iter().map(|(p, _)| p.jaar))),
            utf8(la.iter().map(|(_, a)| Some(a.id.as_str())).collect()),
            utf8(la.iter().map(|(_, a)| Some(a.titel.as_str())).collect()),
            utf8(la.iter().map(|(_, a)| Some(a.eigenaar.as_str())).collect()),
            utf8(la.iter().map(|(_, a)| Some(a.status.code())).collect()),
            utf8(la.iter().map(|(_, a)| a.toelichting.as_deref()).collect()),
        ],
    )
}

/// The table `lokale_koppelingen`: local actions → strategic actions.
fn local_links_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Int32, Utf8};
    let la = local_actions(model);
    let links: Vec<_> = la
        .iter()
        .flat_map(|(p, a)| a.strategische_acties.iter().map(move |s| (*p, *a, s)))
        .collect();
    batch(
        vec![
            ("gevangenis", Utf8, false),
            ("jaar", Int32, false),
            ("lokale_actie_id", Utf8, false),
            ("actie_id", Utf8, false),
        ],
        vec![
            utf8(
                links
                    .iter()
                    .map(|(p, _, _)| Some(p.gevangenis.as_str()))
                    .collect(),
            ),
            Arc::new(Int32Array::from_iter_values(
                links.iter().map(|(p, _, _)| p.jaar),
            )),
            utf8(links.iter().map(|(_, a, _)| Some(a.id.as_str())).collect()),
            utf8(links.iter().map(|(_, _, s)| Some(s.as_str())).collect()),
        ],
    )
}

/// The table `lokale_plannen`.
fn local_plans_table(model: &Model) -> Result<RecordBatch> {
    use DataType::{Int32, Utf8};
    let lp = &model.local_plans;
    batch(
        vec![("gevangenis", Utf8, false), ("jaar", Int32, false)],
        vec![
            utf8(lp.iter().map(|p| Some(p.gevangenis.as_str())).collect()),
            Arc::new(Int32Array::from_iter_values(lp.iter().map(|p| p.jaar))),
        ],
    )
}
