//! The delivery template of a source (`hdv template`): a workbook a partner fills in that
//! reads without a delivery profile. The sheet named after the source holds the contract's
//! columns in contract order (required ones marked), a drop-down list for every code column,
//! date columns formatted as dates and text columns as text; `Instructies` explains it in
//! Dutch; the hidden sheet `Lijsten` holds the allowed values the drop-down lists refer to.

use crate::contract::{DOMAINS, Kind, Source};
use crate::error::{Error, Result};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Formula,
    Workbook, Worksheet,
};

fn err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Render(format!(
        "het sjabloon kan niet gemaakt worden: {}",
        crate::render::xlsx::xlsx_words(&e)
    ))
}

/// The last data row a validation covers (0-based: Excel's last row).
const LAST_ROW: u32 = 1_048_575;
/// The name of the hidden sheet with the allowed values.
const LISTS: &str = "Lijsten";

/// What a partner fills in for `source`: `prisons` are the codes and names of the plans;
/// `partner`, when given, is the only value the `partner` column accepts.
pub(crate) struct TemplateSpec<'a> {
    pub source: Source,
    pub prisons: &'a [(String, String)],
    pub partner: Option<&'a str>,
    /// Dates before 1 January of this year are refused by the loader (`HDV_MIN_YEAR`).
    pub min_year: i32,
}

/// The allowed values of a column, if it has a closed list.
fn allowed(kind: Kind, name: &str, spec: &TemplateSpec) -> Option<Vec<String>> {
    let owned = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    match kind {
        Kind::Prison => Some(spec.prisons.iter().map(|(c, _)| c.clone()).collect()),
        Kind::Domain => Some(owned(DOMAINS)),
        Kind::Code(list) => Some(owned(list)),
        Kind::YesNo => Some(owned(&["ja", "nee"])),
        Kind::Text if name == "partner" => spec.partner.map(|p| vec![p.to_string()]),
        _ => None,
    }
}

/// What a column holds, in words (the instruction sheet and the input message of a cell).
pub(crate) fn describe(kind: Kind, name: &str, spec: &TemplateSpec) -> String {
    match kind {
        Kind::Text if name == "partner" => match spec.partner {
            Some(p) => format!("tekst: altijd {p}"),
            None => "tekst: de naam van de organisatie".into(),
        },
        Kind::Text => "tekst".into(),
        Kind::Prison => "gevangeniscode uit de keuzelijst".into(),
        Kind::Domain => "domein uit de keuzelijst".into(),
        Kind::Code(_) => "code uit de keuzelijst".into(),
        Kind::Date => "datum (dd/mm/jjjj)".into(),
        Kind::YesNo => "ja of nee".into(),
        Kind::Decimal => "getal (decimalen toegelaten, geen duizendtallen)".into(),
        Kind::Integer => "geheel getal".into(),
    }
}

/// The template as XLSX bytes.
pub(crate) fn workbook(spec: &TemplateSpec) -> Result<Vec<u8>> {
    let source = spec.source;
    let mut wb = Workbook::new();
    let columns = source.columns();

    // The values of every closed list, one column each on the hidden sheet (the prisons'
    // names are on `Instructies`).
    let lists: Vec<Option<Vec<String>>> = columns
        .iter()
        .map(|c| allowed(c.kind, c.name, spec))
        .collect();

    let ws = wb.add_worksheet();
    ws.set_name(source.name()).map_err(err)?;
    data_sheet(ws, spec, &lists)?;

    let ws = wb.add_worksheet();
    ws.set_name("Instructies").map_err(err)?;
    instructions(ws, spec)?;

    let ws = wb.add_worksheet();
    ws.set_name(LISTS).map_err(err)?;
    for (c, (col, list)) in columns.iter().zip(&lists).enumerate() {
        let Some(list) = list else { continue };
        ws.write_string(0, c as u16, col.name).map_err(err)?;
        for (r, v) in list.iter().enumerate() {
            crate::render::xlsx::check_cell_text(LISTS, r as u32 + 1, c as u16, v)?;
            ws.write_string(r as u32 + 1, c as u16, v).map_err(err)?;
        }
    }
    ws.set_hidden(true);
    wb.save_to_buffer().map_err(err)
}

fn data_sheet(
    ws: &mut Worksheet,
    spec: &TemplateSpec,
    lists: &[Option<Vec<String>>],
) -> Result<()> {
    let header = Format::new().set_bold().set_background_color("#DDE6F0");
    let required = Format::new().set_bold().set_background_color("#F4B183");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let text = Format::new().set_num_format("@");
    let min = ExcelDateTime::from_ymd(spec.min_year.clamp(1900, 9999) as u16, 1, 1).map_err(err)?;
    let max = ExcelDateTime::from_ymd(2100, 12, 31).map_err(err)?;
    for (c, col) in spec.source.columns().iter().enumerate() {
        let c16 = c as u16;
        let f = if col.required { &required } else { &header };
        ws.write_string_with_format(0, c16, col.name, f)
            .map_err(err)?;
        ws.set_column_width(c16, (col.name.len() as f64 + 4.0).max(14.0))
            .map_err(err)?;
        let what = describe(col.kind, col.name, spec);
        let title = if col.required {
            format!("{} (verplicht)", col.name)
        } else {
            col.name.to_string()
        };
        let mut v = match (&lists[c], col.kind) {
            (Some(list), _) => {
                let letter = rust_xlsxwriter::utility::column_number_to_name(c16);
                DataValidation::new().allow_list_formula(Formula::new(format!(
                    "={LISTS}!${letter}$2:${letter}${}",
                    list.len() + 1
                )))
            }
            (None, Kind::Date) => {
                ws.set_column_format(c16, &date).map_err(err)?;
                DataValidation::new()
                    .allow_date(DataValidationRule::Between(min.clone(), max.clone()))
            }
            (None, Kind::Integer) => DataValidation::new()
                .allow_whole_number(DataValidationRule::Between(spec.min_year, 2100)),
            (None, Kind::Decimal) => DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            (None, _) => {
                ws.set_column_format(c16, &text).map_err(err)?;
                DataValidation::new().allow_any_value()
            }
        };
        v = v
            .set_input_title(truncate(&title, 32))
            .map_err(err)?
            .set_input_message(truncate(&what, 255))
            .map_err(err)?
            .set_error_title("Ongeldige waarde")
            .map_err(err)?
            .set_error_message(truncate(&format!("Verwacht in {}: {what}.", col.name), 255))
            .map_err(err)?
            .set_error_style(DataValidationErrorStyle::Stop);
        ws.add_data_validation(1, c16, LAST_ROW, c16, &v)
            .map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    Ok(())
}

fn instructions(ws: &mut Worksheet, spec: &TemplateSpec) -> Result<()> {
    let source = spec.source;
    let bold = Format::new().set_bold();
    let mut lines: Vec<(String, bool)> = vec![
        (
            format!(
                "Sjabloon voor de levering van {} ({})",
                source.description(),
                source.name()
            ),
            true,
        ),
        (String::new(), false),
        (
            format!(
                "Vul het werkblad '{}' in: één rij per {}, vanaf rij 2. Laat de kolomkoppen in rij 1 staan zoals ze zijn.",
                source.name(),
                match source {
                    Source::Detenties => "verblijf in één gevangenis",
                    Source::Deelname => "deelname van een persoon aan een aanbod",
                    Source::Trajecten => "traject",
                    Source::Aanvragen => "aanvraag",
                    Source::Uitstroom => "vrijlating",
                    Source::Middelen => "jaar, gevangenis, partner en domein",
                    Source::Aanbod => "aanbod in een gevangenis in een jaar",
                    // Not offered by `hdv template` (linked-data deliveries have no sheet).
                    Source::OsloAanbod
                    | Source::OsloActiviteiten
                    | Source::OsloVte
                    | Source::OsloFinanciering
                    | Source::OsloPopulatie => "rij van een linked-data-levering",
                }
            ),
            false,
        ),
        (
            "Oranje kolomkoppen zijn verplicht; de andere kolommen mogen leeg blijven. Codes kiest u uit de keuzelijst van de cel (kleine letters).".into(),
            false,
        ),
        (
            "Datums zijn datumcellen (dd/mm/jjjj). Ja/nee-kolommen bevatten ja of nee. Getallen zonder duizendtallen.".into(),
            false,
        ),
        (
            "Bewaar het bestand als .xlsx en bezorg het aan de gegevensbeheerder; hdv leest het zonder leveringsprofiel.".into(),
            false,
        ),
    ];
    if let Some(p) = spec.partner {
        lines.push((
            format!("Dit sjabloon is voor {p}: vul in de kolom partner altijd {p} in."),
            false,
        ));
    }
    lines.push((String::new(), false));
    lines.push(("Kolommen".into(), true));
    for (r, (text, strong)) in lines.iter().enumerate() {
        crate::render::xlsx::check_cell_text("Instructies", r as u32, 0, text)?;
        if *strong {
            ws.write_string_with_format(r as u32, 0, text, &bold)
                .map_err(err)?;
        } else {
            ws.write_string(r as u32, 0, text).map_err(err)?;
        }
    }
    let mut row = lines.len() as u32;
    for (c, h) in ["kolom", "verplicht", "inhoud", "toegelaten waarden"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &bold)
            .map_err(err)?;
    }
    row += 1;
    for col in source.columns() {
        let values = match col.kind {
            Kind::Prison => spec
                .prisons
                .iter()
                .map(|(c, n)| format!("{c} ({n})"))
                .collect::<Vec<_>>()
                .join(", "),
            _ => allowed(col.kind, col.name, spec)
                .map(|l| l.join(", "))
                .unwrap_or_default(),
        };
        ws.write_string(row, 0, col.name).map_err(err)?;
        ws.write_string(row, 1, if col.required { "ja" } else { "nee" })
            .map_err(err)?;
        ws.write_string(row, 2, describe(col.kind, col.name, spec))
            .map_err(err)?;
        crate::render::xlsx::check_cell_text("Instructies", row, 3, &values)?;
        ws.write_string(row, 3, &values).map_err(err)?;
        row += 1;
    }
    ws.set_column_width(0, 24).map_err(err)?;
    ws.set_column_width(2, 40).map_err(err)?;
    ws.set_column_width(3, 80).map_err(err)?;
    Ok(())
}

/// At most `n` characters (Excel's limits on validation titles and messages).
fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
