//! The feedback to a partner (`hdv check --feedback DIR`): per delivery file with findings, a
//! workbook listing every error and warning with its sheet, cell, value and what was expected,
//! ready to send back.

use super::xlsx::{SheetSpec, XCell, new_workbook, write_sheet};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Result;
use std::path::{Component, Path, PathBuf};

/// The feedback on one delivery file: where it goes, its workbook, its numbers of errors
/// and warnings.
pub(crate) struct Feedback {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub errors: usize,
    pub warnings: usize,
}

/// Per delivery file (`.xlsx`, `.csv`, `.parquet`) of the data folder `data` with findings,
/// the workbook `<dir>/<file without extension>-terugkoppeling.xlsx` (subfolders of the data
/// folder kept). `generated` is `jjjj-mm-dd`.
pub(crate) fn files(
    dir: &Path,
    data: &Path,
    diags: &Diagnostics,
    generated: &str,
) -> Result<Vec<Feedback>> {
    let data_shown = crate::diagnostic::display_path(data);
    let mut out: Vec<Feedback> = Vec::new();
    for (file, list) in diags.by_file() {
        let rel = Path::new(&file)
            .strip_prefix(&data_shown)
            .map_or(file.clone(), |r| r.display().to_string());
        let Some(target) = feedback_path(dir, &rel) else {
            continue;
        };
        // Two deliveries with one stem (`x.xlsx`, `x.csv`) keep their extension apart.
        let target = if out.iter().any(|f| f.path == target) {
            target.with_file_name(crate::output::short_name(
                &Path::new(&rel)
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy(),
                "-terugkoppeling.xlsx",
            ))
        } else {
            target
        };
        let errors = list.iter().filter(|d| d.is_error()).count();
        out.push(Feedback {
            path: target,
            bytes: workbook(&rel, &list, generated)?,
            errors,
            warnings: list.len() - errors,
        });
    }
    Ok(out)
}

/// Where the feedback on delivery `rel` goes; `None` for what is no delivery file (a folder,
/// a YAML file of the project). Only plain parts of `rel` are kept, so it stays under `dir`.
fn feedback_path(dir: &Path, rel: &str) -> Option<PathBuf> {
    let path = Path::new(rel);
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !matches!(
        ext.as_str(),
        "xlsx" | "csv" | "parquet" | "ttl" | "nt" | "jsonld" | "json"
    ) {
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

/// The columns of the sheet `Bevindingen`.
pub(crate) const HEADER: [&str; 8] = [
    "bestand", "werkblad", "cel", "kolom", "ernst", "waarde", "verwacht", "melding",
];

/// The workbook for the findings `diags` of the delivery `file` (as named to the partner),
/// errors first, each in the order the loader found them. `generated` is `jjjj-mm-dd`.
pub(crate) fn workbook(file: &str, diags: &[&Diagnostic], generated: &str) -> Result<Vec<u8>> {
    let mut sorted: Vec<&&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| d.severity);
    let rows: Vec<Vec<XCell>> = sorted
        .iter()
        .map(|d| {
            let place = d.place();
            let text = |v: Option<String>| v.map_or(XCell::Empty, XCell::T);
            vec![
                XCell::T(file.to_string()),
                text(place.sheet),
                text(place.cell),
                text(d.column.clone()),
                XCell::T(d.severity.word().into()),
                text(d.value.clone()),
                text(d.expected.clone()),
                XCell::T(d.message.clone()),
            ]
        })
        .collect();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let notes = vec![
        format!(
            "{errors} fout(en) en {warnings} waarschuwing(en) in {file}, gevonden door hdv check op {generated}."
        ),
        if errors > 0 {
            "Een fout maakt het bestand onbruikbaar: verbeter elke fout en lever het hele bestand opnieuw aan.".to_string()
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
