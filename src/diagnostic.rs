//! Findings about the input (YAML model and source files), reported all at once.
//!
//! A finding is data, not an early return: loaders collect every problem of a file
//! and hand back the whole list, so a user can fix a delivery in one pass.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// The input cannot be used; the command exits non-zero and writes nothing.
    Error,
    /// The input is used, but the user should know (e.g. an ignored extra column).
    Warning,
}

impl Severity {
    /// In Dutch, as messages and tables say it: `fout`, `waarschuwing`.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Severity::Error => "fout",
            Severity::Warning => "waarschuwing",
        }
    }
}

/// One finding, with the place it is about and a Dutch message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Where: `file!sheet!cell` for workbooks, `file:line` for CSV, `file:line:column` for YAML,
    /// or just the file or folder.
    pub location: String,
    /// What is wrong, in Dutch, naming the offending value and what was expected.
    pub message: String,
    /// The contract column of a finding about one cell (`einde`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The value read, for a finding about one cell (empty when the cell was empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What the cell should hold, in Dutch (`een datum: een datumcel, jjjj-mm-dd of d/m/jjjj`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// For a finding about a delivery that its partner can act on: the finding in the
    /// partner's words (the feedback workbook). `None`: a finding for the data steward (a gap
    /// in the project's delivery profile, a note on the register).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<Partner>,
}

/// A finding as the partner who delivered the file reads it: their header, their words for
/// what is expected and what to change in their export; never a contract code or a path of
/// the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// Their header of the column the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// What the cell should hold, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What to change in their export.
    pub advice: String,
}

/// The parts of a location, for tables of findings (the feedback workbook).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Place {
    /// The file the finding is about, as the location names it.
    pub file: String,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// The cell (`F17`), the CSV line (`regel 17`) or the Parquet row and column.
    pub cell: Option<String>,
}

impl Place {
    /// Splits a location of the loader: `file!sheet!F17` (the file ends in `.xlsx`; a sheet
    /// name may hold `!`), `file:17` (a CSV line), `file: rij 17, kolom einde` (Parquet),
    /// `file:3:5` (YAML line and column), or a file alone.
    pub(crate) fn parse(location: &str) -> Place {
        let lower = location.to_ascii_lowercase();
        if let Some(i) = lower.find(".xlsx!") {
            let (file, rest) = location.split_at(i + ".xlsx".len());
            let rest = &rest[1..];
            return match rest.rsplit_once('!') {
                Some((sheet, cell)) => Place {
                    file: file.into(),
                    sheet: Some(sheet.into()),
                    cell: Some(cell.into()),
                },
                None => Place {
                    file: file.into(),
                    sheet: Some(rest.into()),
                    cell: None,
                },
            };
        }
        if let Some((file, cell)) = location.split_once(": rij ") {
            return Place {
                file: file.into(),
                sheet: None,
                cell: Some(format!("rij {cell}")),
            };
        }
        // `file:17` or `file:3:5`: the first colon followed by digits only (and colons).
        if let Some(i) = location.find(':') {
            let (file, rest) = (&location[..i], &location[i + 1..]);
            if !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == ':') {
                let cell = match rest.split_once(':') {
                    Some((line, col)) => format!("regel {line}, kolom {col}"),
                    None => format!("regel {rest}"),
                };
                return Place {
                    file: file.into(),
                    sheet: None,
                    cell: Some(cell),
                };
            }
        }
        Place {
            file: location.into(),
            sheet: None,
            cell: None,
        }
    }
}

impl Diagnostic {
    pub(crate) fn error(location: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: location.into(),
            message: message.into(),
            column: None,
            value: None,
            expected: None,
            partner: None,
        }
    }

    pub(crate) fn warning(location: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location: location.into(),
            message: message.into(),
            column: None,
            value: None,
            expected: None,
            partner: None,
        }
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same finding about one cell of contract column `column`, with the value read and
    /// what was expected.
    pub(crate) fn with_value(
        mut self,
        column: &str,
        value: impl Into<String>,
        expected: Option<String>,
    ) -> Self {
        self.column = Some(column.to_string());
        self.value = Some(value.into());
        self.expected = expected;
        self
    }

    /// The same finding with the partner's view of it ([`Partner`]).
    pub(crate) fn for_partner(mut self, partner: Partner) -> Self {
        self.partner = Some(partner);
        self
    }

    /// The file, sheet and cell of the location.
    pub(crate) fn place(&self) -> Place {
        Place::parse(&self.location)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One finding is one line: a line break or control character in a file name or a
        // value is shown escaped, so nothing can fake a line of its own (`fout: …`).
        let prefix = self.severity.word();
        if self.location.is_empty() {
            write!(f, "{prefix}: {}", escaped(&self.message))
        } else {
            write!(
                f,
                "{prefix}: {}: {}",
                escaped(&self.location),
                escaped(&self.message)
            )
        }
    }
}

/// A list of findings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub(crate) fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    pub(crate) fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| !d.is_error())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Err(self)` when any finding is an error, else `Ok(warnings)`.
    pub(crate) fn into_result(self) -> Result<Diagnostics, Diagnostics> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(self)
        }
    }
}

impl Diagnostics {
    /// Adds `other`, keeping at most `cap` errors and `cap` warnings in all (memory stays
    /// bounded however many files have findings); returns the errors and warnings left out.
    pub(crate) fn extend_up_to(&mut self, other: Diagnostics, cap: usize) -> (usize, usize) {
        let mut errors = self.error_count();
        let mut warnings = self.0.len() - errors;
        let mut left_out = (0, 0);
        for d in other.0 {
            let (kept, out) = if d.is_error() {
                (&mut errors, &mut left_out.0)
            } else {
                (&mut warnings, &mut left_out.1)
            };
            if *kept < cap {
                *kept += 1;
                self.0.push(d);
            } else {
                *out += 1;
            }
        }
        left_out
    }

    /// The findings as printed in a terminal: at most [`TERMINAL_PER_FILE`] errors and as
    /// many warnings per file and [`TERMINAL_TOTAL`] lines in all, then a line per file
    /// (and one for the rest) with the number left out.
    pub(crate) fn terminal(&self) -> String {
        let mut out = String::new();
        let mut shown = 0usize;
        // Per (file, severity): shown and left out, in order of first appearance.
        let mut per_file: Vec<(String, Severity, usize, usize)> = Vec::new();
        let mut rest = 0usize;
        for d in &self.0 {
            let file = d.place().file;
            let i = match per_file
                .iter()
                .position(|(f, s, _, _)| *f == file && *s == d.severity)
            {
                Some(i) => i,
                None => {
                    per_file.push((file, d.severity, 0, 0));
                    per_file.len() - 1
                }
            };
            let entry = &mut per_file[i];
            // A closing line of a reader (`… en nog 950 waarschuwingen`) is always shown.
            if d.message.starts_with("… en nog") && shown < TERMINAL_TOTAL {
                shown += 1;
                out.push_str(&d.to_string());
                out.push('\n');
            } else if entry.2 >= TERMINAL_PER_FILE {
                entry.3 += 1;
            } else if shown >= TERMINAL_TOTAL {
                rest += 1;
            } else {
                entry.2 += 1;
                shown += 1;
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
        for (file, severity, _, left_out) in per_file.iter().filter(|e| e.3 > 0) {
            let what = match severity {
                Severity::Error => "fouten",
                Severity::Warning => "waarschuwingen",
            };
            out.push_str(&format!(
                "{}: {file}: … en nog {left_out} {what} voor dit bestand die hier niet getoond worden (`hdv check --feedback MAP` schrijft ze in een werkmap)\n",
                severity.word()
            ));
        }
        if rest > 0 {
            out.push_str(&format!(
                "waarschuwing: … en nog {rest} bevinding(en) die hier niet getoond worden (hoogstens {TERMINAL_TOTAL} regels)\n"
            ));
        }
        out
    }
}

/// Findings of one file and severity printed in a terminal.
pub(crate) const TERMINAL_PER_FILE: usize = crate::limits::DEFAULT_FINDINGS_PER_FILE;
/// Findings printed in a terminal in all.
pub(crate) const TERMINAL_TOTAL: usize = 1000;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// A path as shown in messages: relative to the current folder when possible, control
/// characters escaped (`\n`).
pub fn display_path(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok();
    let rel = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    // Control characters in a name are shown escaped, like values.
    escaped(&rel.display().to_string())
}

/// A value for a message: quoted, shortened, and with every invisible character (and tab or
/// line break) written as an escape such as `\u{200B}`, so that what is shown is what was read.
pub(crate) fn quoted(v: &str) -> String {
    let long = v.chars().count() > 60;
    let shown: String = v.chars().take(60).collect();
    format!("'{}{}'", escaped(&shown), if long { "…" } else { "" })
}

/// `v` with invisible characters, tabs and line breaks escaped (`\0`, `\t`, `\n`, `\u{FEFF}`).
pub(crate) fn escaped(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if is_invisible(c) => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Characters that show nothing: control characters other than tab and line breaks, and the
/// Unicode format characters (zero-width space and joiners, byte-order mark, direction marks,
/// soft hyphen, word joiner, tag characters, ...).
pub(crate) fn is_invisible(c: char) -> bool {
    match c {
        '\t' | '\n' | '\r' => false,
        c if c.is_control() => true,
        '\u{00AD}'
        | '\u{034F}'
        | '\u{061C}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_kept_and_shown_within_their_bounds() {
        let many = |file: &str, n: usize| {
            Diagnostics(
                (0..n)
                    .map(|i| Diagnostic::error(format!("{file}:{i}"), "x"))
                    .collect(),
            )
        };
        let mut all = Diagnostics::new();
        assert_eq!(all.extend_up_to(many("a.csv", 8), 10), (0, 0));
        assert_eq!(all.extend_up_to(many("b.csv", 8), 10), (6, 0));
        all.push(Diagnostic::warning("b.csv", "w"));
        assert_eq!(all.0.len(), 11);
        let shown = many("c.csv", 70).terminal();
        assert_eq!(shown.lines().count(), 51, "{shown}");
        assert!(shown.ends_with("fout: c.csv: … en nog 20 fouten voor dit bestand die hier niet getoond worden (`hdv check --feedback MAP` schrijft ze in een werkmap)\n"));
    }

    #[test]
    fn locations_split_into_file_sheet_and_cell() {
        let p = Place::parse("deelname.xlsx!deelname!F17");
        assert_eq!(p.file, "deelname.xlsx");
        assert_eq!(p.sheet.as_deref(), Some("deelname"));
        assert_eq!(p.cell.as_deref(), Some("F17"));
        let p = Place::parse("trajecten/caw-2024.XLSX!Export! jaar!C7");
        assert_eq!(p.file, "trajecten/caw-2024.XLSX");
        assert_eq!(p.sheet.as_deref(), Some("Export! jaar"));
        assert_eq!(p.cell.as_deref(), Some("C7"));
        let p = Place::parse("aanvragen.csv:12");
        assert_eq!(
            (p.file.as_str(), p.cell.as_deref()),
            ("aanvragen.csv", Some("regel 12"))
        );
        let p = Place::parse("uitstroom.parquet: rij 3, kolom vrijlating");
        assert_eq!(p.file, "uitstroom.parquet");
        assert_eq!(p.cell.as_deref(), Some("rij 3, kolom vrijlating"));
        let p = Place::parse("plans/controles.yaml:4:7");
        assert_eq!(p.cell.as_deref(), Some("regel 4, kolom 7"));
        let p = Place::parse("samples/detenties.xlsx");
        assert_eq!(
            (p.file.as_str(), p.sheet, p.cell),
            ("samples/detenties.xlsx", None, None)
        );
    }
}
