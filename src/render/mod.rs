//! Stage 6: format the products of `report` and `answer` (formatting only, no decisions):
//! pages from the minijinja templates in the project's `templates/` folder, loaded at run time
//! (wording changes need no recompile), workbooks, DOCX and text. Reads only the types of
//! `report` and `answer` and the leaves (`model`, `years`, `observation`, `cohort`, ...).

pub(crate) mod accepted;
pub(crate) mod afscherming;
pub(crate) mod answer;
pub mod chart;
pub(crate) mod check;
pub(crate) mod docx;
pub mod eval;
pub mod evaluation;
pub(crate) mod feedback;
pub(crate) mod local;
pub mod oslo;
pub(crate) mod register;
pub mod site;
pub(crate) mod successor;
pub(crate) mod survival;
pub(crate) mod tabular;
pub(crate) mod template;
pub mod words;
pub(crate) mod xlsx;
pub mod yearly;

use crate::error::{Error, Result};
use minijinja::{AutoEscape, Environment, Value};
use std::path::Path;

/// A file format of the products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Html,
    Md,
    Xlsx,
    Docx,
}

impl Format {
    /// The file name extension (`html`).
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Md => "md",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }
}

/// The refusal of a format a product does not come in (a bug: the command chose it).
pub(crate) fn unsupported(product: &str, f: Format) -> Error {
    Error::Render(format!("{product} bestaat niet als {}", f.extension()))
}

/// A number in Dutch (Belgian) notation: `1.234.567,8`.
pub fn nl_number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    // No minus sign on a value that rounds to zero.
    let nonzero = grouped.chars().any(|c| c != '0' && c != '.')
        || frac.as_deref().is_some_and(|f| f.chars().any(|c| c != '0'));
    let neg = v < 0.0 && nonzero;
    let sign = if neg { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A percentage with one decimal: `41,7 %`.
pub(crate) fn pct_label(v: f64) -> String {
    format!("{} %", nl_number(v, 1))
}

/// Markdown text from data: no line breaks, `|` escaped, and HTML escaped as in the HTML
/// output (a Markdown viewer would otherwise render markup from the data).
fn md_filter(v: Value) -> String {
    v.to_string()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// A template environment over `dir`: `.html` templates auto-escape, `.md` ones do not.
pub fn environment(dir: &Path) -> Environment<'static> {
    let mut env = Environment::new();
    let dir = dir.to_path_buf();
    env.set_loader(move |name| {
        if name.contains("..") || name.starts_with('/') {
            return Ok(None);
        }
        match std::fs::read_to_string(dir.join(name)) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("sjabloon {name} kan niet gelezen worden: {e}"),
            )),
        }
    });
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.add_filter("md", md_filter);
    // Dates (`yyyy-mm-dd`) as a reader reads them: `22 december 2023` in text,
    // `22/12/2023` in a table.
    env.add_filter("datum", |v: Value| long_date(&v.to_string()));
    env.add_filter("datum_kort", |v: Value| short_date(&v.to_string()));
    env
}

/// Renders template `name` with `ctx`.
pub fn render(env: &Environment, name: &str, ctx: impl serde::Serialize) -> Result<String> {
    let tmpl = env
        .get_template(name)
        .map_err(|e| Error::Render(format!("sjabloon {name}: {e:#}")))?;
    tmpl.render(minijinja::value::Serde(ctx))
        .map_err(|e| Error::Render(format!("sjabloon {name}: {e:#}")))
}

pub(crate) use crate::number::{nl_date, nl_date_short};

/// A `yyyy-mm-dd` date (the run's) in running text; any other text as it is.
pub(crate) fn long_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_string(), nl_date)
}

/// A `yyyy-mm-dd` date in a table cell; any other text as it is.
pub(crate) fn short_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), nl_date_short)
}

/// The generation date: `SOURCE_DATE_EPOCH` (seconds) when set, else today (UTC).
pub(crate) fn generation_date() -> String {
    let ts = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let dt = match ts.and_then(|t| chrono::DateTime::from_timestamp(t, 0)) {
        Some(d) => d,
        None => chrono::Utc::now(),
    };
    dt.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers() {
        assert_eq!(nl_number(1234567.85, 1), "1.234.567,9");
        assert_eq!(nl_number(41.666, 1), "41,7");
        assert_eq!(nl_number(999.0, 0), "999");
        assert_eq!(nl_number(1000.0, 0), "1.000");
        assert_eq!(nl_number(-2.5, 1), "-2,5");
        assert_eq!(nl_number(-0.01, 1), "0,0");
        assert_eq!(pct_label(12.0), "12,0 %");
    }

    #[test]
    fn dutch_dates() {
        let d = chrono::NaiveDate::from_ymd_opt(2023, 12, 22).unwrap();
        assert_eq!(nl_date(d), "22 december 2023");
        assert_eq!(nl_date_short(d), "22/12/2023");
        assert_eq!(long_date("2026-01-01"), "1 januari 2026");
        assert_eq!(short_date("2026-03-31"), "31/03/2026");
        assert_eq!(short_date("–"), "–");
    }

    #[test]
    fn html_templates_escape_and_markdown_cells_stay_in_their_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("t.html"), "<p>{{ x }}</p>").unwrap();
        std::fs::write(dir.path().join("t.md"), "| {{ x|md }} |").unwrap();
        let env = environment(dir.path());
        let x = r#"<script>alert(1)</script>" onmouseover="x"#;
        let html = render(&env, "t.html", minijinja::context! { x }).unwrap();
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("\" onmouseover"));
        let md = render(&env, "t.md", minijinja::context! { x => "a|b\nc" }).unwrap();
        assert_eq!(md, r"| a\|b c |");
        assert!(render(&env, "../etc/passwd", minijinja::context! {}).is_err());
    }
}
