//! The feedback workbooks of `hdv check --feedback DIR`: per delivery file a workbook its
//! partner can act on (their headers and words, the cell, what to change), ready to send
//! back; and one workbook for the data steward with what only the project can fix.

use super::xlsx::{SheetSpec, XCell, new_workbook, write_sheet};
use crate::error::Result;
use crate::report::feedback::{Feedback, PartnerFeedback, StewardLine};
use std::path::{Component, Path, PathBuf};

/// The steward's workbook in the feedback folder.
pub(crate) const STEWARD_FILE: &str = "gegevensbeheerder.xlsx";

/// A partner's workbook: its path, bytes, errors and warnings.
pub(crate) type PartnerFile = (PathBuf, Vec<u8>, usize, usize);

/// The workbooks of a run, rendered: per partner, and the steward's (path, bytes).
pub(crate) struct Files {
    pub partners: Vec<PartnerFile>,
    pub steward: Option<(PathBuf, Vec<u8>)>,
}

impl Files {
    /// Every workbook: (path, bytes).
    pub(crate) fn all(&self) -> impl Iterator<Item = (&Path, &[u8])> {
        self.partners
            .iter()
            .map(|(p, b, ..)| (p.as_path(), b.as_slice()))
            .chain(
                self.steward
                    .iter()
                    .map(|(p, b)| (p.as_path(), b.as_slice())),
            )
    }
}

/// What `check --feedback` wrote, in words: per partner's workbook its errors and warnings,
/// and the steward's workbook.
pub(crate) fn summary(files: &Files, fb: &Feedback) -> String {
    let mut s = String::new();
    if files.partners.is_empty() {
        s.push_str(
            "Geen terugkoppeling voor partners: geen bevindingen over leveringsbestanden.\n",
        );
    } else {
        s.push_str("Terugkoppeling geschreven:\n");
    }
    for (path, _, errors, warnings) in &files.partners {
        s.push_str(&format!(
            "  {}  ({errors} fout(en), {warnings} waarschuwing(en))\n",
            crate::diagnostic::display_path(path)
        ));
    }
    if let Some((path, _)) = &files.steward {
        s.push_str(&format!(
            "Voor de gegevensbeheerder (niet voor de partners): {}  ({} bevinding(en))\n",
            crate::diagnostic::display_path(path),
            fb.steward.len()
        ));
    }
    s
}

/// Every workbook of `fb` with its path under `dir`: per delivery
/// `<dir>/<folder>/<file without extension>-terugkoppeling.xlsx` (the folders of the data folder
/// kept), and the steward's [`STEWARD_FILE`] when there is anything for the steward. With each
/// partner's file its numbers of errors and warnings.
pub(crate) fn files(fb: &Feedback, dir: &Path, generated: &str) -> Result<Files> {
    let mut out: Vec<PartnerFile> = Vec::new();
    for p in &fb.partners {
        let Some(target) = feedback_path(dir, &p.delivery) else {
            continue;
        };
        // Two deliveries with one stem (`x.xlsx`, `x.csv`) keep their extension apart.
        let target = if out.iter().any(|(t, ..)| *t == target) {
            target.with_file_name(crate::output::short_name(
                p.file_name(),
                "-terugkoppeling.xlsx",
            ))
        } else {
            target
        };
        let errors = p.errors();
        out.push((
            target,
            workbook(p, generated)?,
            errors,
            p.rows.len() - errors,
        ));
    }
    let steward = if fb.steward.is_empty() {
        None
    } else {
        Some((
            dir.join(STEWARD_FILE),
            steward_workbook(&fb.steward, generated)?,
        ))
    };
    Ok(Files {
        partners: out,
        steward,
    })
}

/// Where the feedback on delivery `rel` goes; `None` for what is no delivery file. Only plain
/// parts of `rel` are kept, so it stays under `dir`.
fn feedback_path(dir: &Path, rel: &str) -> Option<PathBuf> {
    let path = Path::new(rel);
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !crate::report::feedback::DELIVERY_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let mut target = dir.to_path_buf();
    if let Some(parent) = path.parent() {
        for c in parent.components() {
            if let Component::Normal(p) = c {
                target.push(p);
            }
        }
    }
    let stem = path.file_stem()?.to_string_lossy();
    target.push(crate::output::short_name(&stem, "-terugkoppeling.xlsx"));
    Some(target)
}

/// The columns of the sheet `Bevindingen` of a partner's workbook.
pub(crate) const HEADER: [&str; 8] = [
    "bestand",
    "werkblad",
    "cel",
    "kolom",
    "ernst",
    "waarde",
    "verwacht",
    "wat aanpassen",
];

/// The workbook for one delivery, errors first, each in the order found. `generated` is
/// `jjjj-mm-dd`.
pub(crate) fn workbook(fb: &PartnerFeedback, generated: &str) -> Result<Vec<u8>> {
    let file = fb.file_name();
    let mut sorted: Vec<_> = fb.rows.iter().collect();
    sorted.sort_by_key(|r| r.severity);
    let text = |v: &Option<String>| v.clone().map_or(XCell::Empty, XCell::T);
    let rows: Vec<Vec<XCell>> = sorted
        .iter()
        .map(|r| {
            vec![
                XCell::T(file.to_string()),
                text(&r.sheet),
                text(&r.cell),
                text(&r.header),
                XCell::T(r.severity.word().into()),
                text(&r.value),
                text(&r.expected),
                XCell::T(r.advice.clone()),
            ]
        })
        .collect();
    let errors = fb.errors();
    let warnings = fb.rows.len() - errors;
    let notes = vec![
        format!(
            "{errors} fout(en) en {warnings} waarschuwing(en) in {file}, gevonden op {}.",
            super::long_date(generated)
        ),
        if errors > 0 {
            "Een fout maakt het bestand (of de rij) onbruikbaar: verbeter elke fout in de export en lever het hele bestand opnieuw aan.".to_string()
        } else {
            "Het bestand is bruikbaar; de waarschuwingen zijn het nakijken waard.".to_string()
        },
    ];
    let mut wb = new_workbook(format!("Terugkoppeling bij {file}"), generated)?;
    write_sheet(
        &mut wb,
        &SheetSpec {
            name: "Bevindingen",
            header: &HEADER,
            rows: &rows,
            notes: &notes,
        },
    )?;
    wb.save_to_buffer().map_err(|e| {
        crate::error::Error::Render(format!("de werkmap kan niet gemaakt worden: {e}"))
    })
}

/// The workbook of the data steward: what the project itself must fix or look at (gaps in a
/// delivery profile, the register's notes), errors first.
pub(crate) fn steward_workbook(lines: &[StewardLine], generated: &str) -> Result<Vec<u8>> {
    let mut sorted: Vec<&StewardLine> = lines.iter().collect();
    sorted.sort_by_key(|l| l.severity);
    let rows: Vec<Vec<XCell>> = sorted
        .iter()
        .map(|l| {
            vec![
                XCell::T(l.file.clone()),
                XCell::T(l.location.clone()),
                XCell::T(l.severity.word().into()),
                XCell::T(l.message.clone()),
            ]
        })
        .collect();
    let mut wb = new_workbook(
        "Bevindingen voor de gegevensbeheerder".to_string(),
        generated,
    )?;
    write_sheet(
        &mut wb,
        &SheetSpec {
            name: "Beheerder",
            header: &["bestand", "plaats", "ernst", "melding"],
            rows: &rows,
            notes: &[format!(
                "Wat het project zelf moet oplossen of nakijken (leveringsprofielen, het register), gevonden op {}; niet voor de partners.",
                super::long_date(generated)
            )],
        },
    )?;
    wb.save_to_buffer().map_err(|e| {
        crate::error::Error::Render(format!("de werkmap kan niet gemaakt worden: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feedback_goes_under_its_folder_for_delivery_files_only() {
        let dir = Path::new("terug");
        assert_eq!(
            feedback_path(dir, "deelname.xlsx"),
            Some(PathBuf::from("terug/deelname-terugkoppeling.xlsx"))
        );
        assert_eq!(
            feedback_path(dir, "trajecten/caw-2024.CSV"),
            Some(PathBuf::from(
                "terug/trajecten/caw-2024-terugkoppeling.xlsx"
            ))
        );
        // Only plain parts of the path: never outside the folder.
        assert_eq!(
            feedback_path(dir, "../../etc/x.parquet"),
            Some(PathBuf::from("terug/etc/x-terugkoppeling.xlsx"))
        );
        assert_eq!(
            feedback_path(dir, "/abs/y.xlsx"),
            Some(PathBuf::from("terug/abs/y-terugkoppeling.xlsx"))
        );
        assert_eq!(feedback_path(dir, "plans/controles.yaml"), None);
        assert_eq!(feedback_path(dir, "samples"), None);
        // Linked-data deliveries get feedback too.
        assert_eq!(
            feedback_path(dir, "oslo/acsy-2024.ttl"),
            Some(PathBuf::from("terug/oslo/acsy-2024-terugkoppeling.xlsx"))
        );
    }
}
