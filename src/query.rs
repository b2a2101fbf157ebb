//! Analysts' SQL: only a single read-only query, with parameters bound by DataFusion, on
//! tables whose pseudonyms are replaced unless microdata are asked for.

use crate::error::{Error, Result};
use chrono::NaiveDate;
use datafusion::common::ScalarValue;
use datafusion::sql::parser::{DFParser, Statement as DFStatement};
use datafusion::sql::sqlparser::ast::Statement;

/// Accepts exactly one query (`SELECT`, `WITH … SELECT`, `VALUES`); refuses everything else
/// with a Dutch message naming what was found.
pub fn check_read_only(sql: &str) -> Result<()> {
    let statements = DFParser::parse_sql(sql)
        .map_err(|e| Error::Query(format!("de SQL kan niet gelezen worden: {e}")))?;
    if statements.len() != 1 {
        return Err(Error::Query(format!(
            "geef precies één SELECT-opdracht (gevonden: {})",
            statements.len()
        )));
    }
    let refused = |kind: &str| {
        Err(Error::Query(format!(
            "geweigerd: {kind} is niet toegelaten; alleen lezen met SELECT (of WITH … SELECT) mag"
        )))
    };
    match &statements[0] {
        DFStatement::Statement(s) => match s.as_ref() {
            Statement::Query(_) => Ok(()),
            Statement::Insert(_)
            | Statement::Update { .. }
            | Statement::Delete(_)
            | Statement::Merge { .. } => {
                refused("het wijzigen van gegevens (INSERT, UPDATE, DELETE, MERGE)")
            }
            Statement::CreateTable(_)
            | Statement::CreateView { .. }
            | Statement::Drop { .. }
            | Statement::AlterTable { .. }
            | Statement::CreateSchema { .. }
            | Statement::CreateDatabase { .. }
            | Statement::CreateFunction(_)
            | Statement::Truncate { .. } => {
                refused("het aanmaken, wijzigen of verwijderen van tabellen (DDL)")
            }
            Statement::Copy { .. } => refused("COPY (bestanden lezen of schrijven)"),
            Statement::Set(_) => refused("SET (instellingen wijzigen)"),
            Statement::Explain { .. } | Statement::ExplainTable { .. } => refused("EXPLAIN"),
            other => {
                let text = other.to_string();
                let word = text.split_whitespace().next().unwrap_or("deze opdracht");
                refused(&word.to_uppercase())
            }
        },
        DFStatement::CreateExternalTable(_) => refused("CREATE EXTERNAL TABLE (bestanden lezen)"),
        DFStatement::CopyTo(_) => refused("COPY … TO (bestanden schrijven)"),
        DFStatement::Explain(_) => refused("EXPLAIN"),
        DFStatement::Reset(_) => refused("RESET (instellingen wijzigen)"),
    }
}

/// A `--param naam=waarde`: whole numbers as integers, decimals as doubles, `jjjj-mm-dd` as a
/// date, anything else as text. Bound as `$naam`; never spliced into the SQL.
pub fn parse_param(s: &str) -> Result<(String, ScalarValue)> {
    let Some((name, value)) = s.split_once('=') else {
        return Err(Error::Query(format!(
            "parameter '{s}' heeft de vorm naam=waarde nodig"
        )));
    };
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(Error::Query(format!(
            "ongeldige parameternaam '{name}' (letters, cijfers en _)"
        )));
    }
    let v = if let Ok(i) = value.parse::<i32>() {
        ScalarValue::Int32(Some(i))
    } else if let Ok(i) = value.parse::<i64>() {
        ScalarValue::Int64(Some(i))
    } else if let Ok(f) = value
        .parse::<f64>()
        .map_err(|_| ())
        .and_then(|f| if f.is_finite() { Ok(f) } else { Err(()) })
    {
        ScalarValue::Float64(Some(f))
    } else if let Ok(d) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        ScalarValue::Date32(Some(crate::register::date32(d)))
    } else {
        ScalarValue::Utf8(Some(value.to_string()))
    };
    Ok((name.to_string(), v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_select_passes() {
        assert!(check_read_only("SELECT 1").is_ok());
        assert!(check_read_only("WITH a AS (SELECT 1 AS x) SELECT x FROM a").is_ok());
        for (sql, word) in [
            ("INSERT INTO t VALUES (1)", "INSERT"),
            ("UPDATE t SET a = 1", "UPDATE"),
            ("DELETE FROM t", "DELETE"),
            ("DROP TABLE detenties", "DDL"),
            ("CREATE TABLE x AS SELECT 1", "DDL"),
            ("CREATE VIEW v AS SELECT 1", "DDL"),
            (
                "CREATE EXTERNAL TABLE x STORED AS CSV LOCATION '/etc/passwd'",
                "CREATE EXTERNAL TABLE",
            ),
            ("COPY (SELECT 1) TO '/tmp/x.csv'", "COPY"),
            ("SET datafusion.execution.batch_size = 1", "SET"),
            ("EXPLAIN SELECT 1", "EXPLAIN"),
            ("SELECT 1; SELECT 2", "precies één"),
            ("SELECT 1; DROP TABLE t", "precies één"),
        ] {
            let e = check_read_only(sql).unwrap_err().to_string();
            assert!(e.contains(word), "{sql}: {e}");
        }
    }

    #[test]
    fn parameters_are_typed_values() {
        assert_eq!(
            parse_param("jaar=2024").unwrap(),
            ("jaar".into(), ScalarValue::Int32(Some(2024)))
        );
        assert_eq!(
            parse_param("x=1.5").unwrap().1,
            ScalarValue::Float64(Some(1.5))
        );
        assert!(matches!(
            parse_param("d=2024-02-29").unwrap().1,
            ScalarValue::Date32(Some(_))
        ));
        let hostile = "'; DROP TABLE detenties; --";
        assert_eq!(
            parse_param(&format!("p={hostile}")).unwrap().1,
            ScalarValue::Utf8(Some(hostile.into()))
        );
        assert!(parse_param("geen-is").is_err());
        assert!(parse_param("a b=1").is_err());
    }
}
