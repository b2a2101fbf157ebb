//! The feedback to a partner (`hdv check --feedback DIR`): per delivery file with findings, a
//! workbook listing every error and warning with its sheet, cell, value and what was expected,
//! ready to send back.

use super::xlsx::{SheetSpec, XCell, new_workbook, write_sheet};
use crate::diagnostic::Diagnostic;
use crate::error::Result;

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
