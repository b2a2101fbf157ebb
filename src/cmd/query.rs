//! `hdv query` and `hdv tables`: read-only SQL for analysts.

use super::Exit;
use crate::cli::{QueryArgs, QueryFormat, TablesArgs};
use crate::error::{Error, Result};
use crate::render::tabular::Table;

pub(crate) fn execute(a: QueryArgs) -> Result<Exit> {
    crate::query::check_read_only(&a.sql)?;
    let params = a
        .params
        .iter()
        .map(|p| crate::query::parse_param(p))
        .collect::<Result<Vec<_>>>()?;
    if a.format == QueryFormat::Xlsx && a.out.is_none() {
        return Err(Error::Query(
            "--format xlsx heeft --out BESTAND.xlsx nodig".into(),
        ));
    }
    // Refused before any work: an existing --out that is a device node or a folder.
    if let Some(out) = &a.out {
        crate::output::refuse_special(out)?;
    }
    let salt = (!a.microdata).then(rand::random::<u64>);
    let session = crate::request::session(&a.common)?;
    let inputs = session.load(session.model()?, salt)?;
    let batches = session
        .block_on(crate::engine::run_sql(
            &inputs.ctx,
            &a.sql,
            params
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect(),
        ))
        .map_err(Error::Query)?;
    let table = Table::from_batches(&batches, a.microdata)?;
    match a.format {
        QueryFormat::Table => crate::output::print_stdout(&table.aligned())?,
        QueryFormat::Csv => crate::output::print_stdout(&table.csv())?,
        QueryFormat::Jsonl => crate::output::print_stdout(&table.jsonl())?,
        QueryFormat::Xlsx => {
            let out = a.out.expect("checked above");
            crate::output::write_new(&out, &table.xlsx("hdv query", "Resultaat")?)?;
            eprintln!(
                "{} rijen geschreven naar {}",
                table.rows.len(),
                out.display()
            );
        }
    }
    Ok(Exit::Success)
}

pub(crate) fn tables(a: TablesArgs) -> Result<Exit> {
    let session = crate::request::session(&a.common)?;
    let inputs = session.load(session.model()?, None)?;
    let batches = session
        .block_on(crate::engine::run_sql(
            &inputs.ctx,
            "SELECT table_name, column_name, data_type FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            vec![],
        ))
        .map_err(Error::Query)?;
    let t = Table::from_batches(&batches, true)?;
    let mut s = String::new();
    let mut current = String::new();
    for r in &t.rows {
        let (table, col, ty) = (r[0].text(), r[1].text(), r[2].text());
        if table != current {
            s.push_str(&format!("\n{table}\n"));
            current = table.clone();
        }
        s.push_str(&format!("  {col:<28} {ty}\n"));
        // The values of a code column (partner, dienst, afsluitreden, …), for a recipe's SQL.
        if ty == "Utf8"
            && crate::query::may_be_codes(&col)
            && let Some(values) =
                session.block_on(crate::query::code_values(&inputs.ctx, &table, &col))?
            && !values.is_empty()
        {
            s.push_str(&crate::query::wrapped_values(&values));
        }
    }
    crate::output::print_stdout(s.trim_start())?;
    Ok(Exit::Success)
}
