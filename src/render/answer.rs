//! An answer to a parliamentary question as Markdown (template), DOCX and an XLSX annex.

use crate::answer::AnswerTable;
use crate::error::{Error, Result};
use crate::report::RunInfo;
use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Answer {
    pub id: String,
    pub titel: String,
    pub vraag: String,
    pub inleiding: String,
    pub tabellen: Vec<AnswerTable>,
    pub slot: String,
    pub jaren: String,
    pub gevangenissen: String,
    pub bronnen: Vec<SourceInfo>,
    pub klein_aantal: String,
    pub run: RunInfo,
}

#[derive(Debug, Serialize)]
pub struct SourceInfo {
    pub bron: String,
    pub bestand: String,
    pub sha256: String,
    pub rijen: usize,
    /// The latest date in the file, as the extraction date's best evidence.
    pub laatste_datum: String,
}

fn text(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t))
}

fn heading(t: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t).bold().size(size))
}

fn cell(t: &str, bold: bool) -> TableCell {
    let run = Run::new().add_text(t).size(18);
    TableCell::new().add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
}

fn row(label: &str, cells: &[String], total: Option<&str>, bold: bool) -> TableRow {
    let mut v = vec![cell(label, bold)];
    v.extend(cells.iter().map(|c| cell(c, bold)));
    if let Some(t) = total {
        v.push(cell(t, true));
    }
    TableRow::new(v)
}

/// The answer as a Word document (text only: safe to paste into the official answer).
pub fn docx(a: &Answer) -> Result<Vec<u8>> {
    let mut d = Docx::new()
        .add_paragraph(heading(&a.titel, 32))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&a.vraag).italic()))
        .add_paragraph(text(&format!(
            "Jaren: {}; gevangenissen: {}.",
            a.jaren, a.gevangenissen
        )));
    for p in a.inleiding.split("\n\n") {
        d = d.add_paragraph(text(p.trim()));
    }
    for t in &a.tabellen {
        d = d.add_paragraph(heading(&t.titel, 24));
        let total = |s: &str| t.totalen.then(|| s.to_string());
        let mut rows = vec![row(
            &t.kolommen[0],
            &t.kolommen[1..],
            total("Totaal").as_deref(),
            true,
        )];
        rows.extend(
            t.rijen
                .iter()
                .map(|r| row(&r.label, &r.cellen, total(&r.totaal).as_deref(), false)),
        );
        if t.totalen {
            rows.push(row(
                &t.totaal.label,
                &t.totaal.cellen,
                Some(&t.totaal.totaal),
                true,
            ));
        }
        d = d.add_table(Table::new(rows));
        d = d.add_paragraph(text(&format!("Definitie: {}", t.definitie)));
        if t.onderdrukt {
            d = d.add_paragraph(text(&format!(
                "Aantallen van 1 tot 4 staan als {}; × is afgeschermd zodat een klein aantal niet uit de totalen kan worden afgeleid.",
                a.klein_aantal
            )));
        }
    }
    for p in a.slot.split("\n\n").filter(|p| !p.trim().is_empty()) {
        d = d.add_paragraph(text(p.trim()));
    }
    d = d.add_paragraph(heading("Bronnen en werkwijze", 24));
    for s in &a.bronnen {
        d = d.add_paragraph(text(&format!(
            "{} ({}): {} rijen, laatste datum {}, SHA-256 {}",
            s.bron, s.bestand, s.rijen, s.laatste_datum, s.sha256
        )));
    }
    d = d.add_paragraph(text(&format!(
        "Opgemaakt met hdv {} op {}. Opdracht om het antwoord opnieuw te maken: {}",
        a.run.version, a.run.generated, a.run.command
    )));
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut buf)
        .map_err(|e| Error::Render(format!("het Word-document kan niet gemaakt worden: {e}")))?;
    Ok(buf.into_inner())
}

/// The tables as a workbook annex: one sheet per table.
pub fn xlsx(a: &Answer) -> Result<Vec<u8>> {
    let mut wb = super::xlsx::new_workbook(a.titel.clone(), &a.run.generated)?;
    for t in &a.tabellen {
        let mut header: Vec<String> = t.kolommen.clone();
        if t.totalen {
            header.push("Totaal".into());
        }
        let h: Vec<&str> = header.iter().map(String::as_str).collect();
        let totals = t.totalen.then_some(&t.totaal);
        let mut rows: Vec<Vec<String>> = t
            .rijen
            .iter()
            .chain(totals)
            .map(|r| {
                let mut v = vec![r.label.clone()];
                v.extend(r.cellen.iter().cloned());
                if t.totalen {
                    v.push(r.totaal.clone());
                }
                v
            })
            .collect();
        rows.push(vec![format!("Definitie: {}", t.definitie)]);
        let name: String = t
            .titel
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        super::xlsx::sheet(&mut wb, &name, &h, &super::xlsx::text_rows(rows))?;
    }
    let bronnen: Vec<Vec<String>> = a
        .bronnen
        .iter()
        .map(|s| {
            vec![
                s.bron.clone(),
                s.bestand.clone(),
                s.rijen.to_string(),
                s.laatste_datum.clone(),
                s.sha256.clone(),
            ]
        })
        .collect();
    super::xlsx::sheet(
        &mut wb,
        "Bronnen",
        &["bron", "bestand", "rijen", "laatste datum", "sha256"],
        &super::xlsx::text_rows(bronnen),
    )?;
    wb.save_to_buffer()
        .map_err(|e| Error::Render(format!("de werkmap kan niet gemaakt worden: {e}")))
}
