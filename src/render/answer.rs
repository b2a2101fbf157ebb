//! An answer to a parliamentary question as Markdown (template), DOCX and an XLSX annex. The
//! decisions (totals, suppression, years without data, labels) are taken in `crate::answer`;
//! this module only formats its typed tables.

use super::nl_number;
use super::xlsx::{SheetSpec, XCell};
use crate::answer::{AnswerTable, ColumnKind, Kind, Value, one_line};
use crate::error::{Error, Result};
use crate::report::RunInfo;
use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Run, Table, TableCell, TableLayoutType, TableRow,
    WidthType,
};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub(crate) struct Answer {
    pub id: String,
    pub titel: String,
    /// The question as asked (for a combined answer: its subject).
    pub vraag: String,
    /// Text before the parts (combined answers).
    pub inleiding: String,
    pub onderdelen: Vec<AnswerPart>,
    pub jaren: String,
    pub gevangenissen: String,
    pub bronnen: Vec<SourceInfo>,
    /// The approvals of the years asked (`hdv approve`) the figures rest on, in words.
    pub goedkeuringen: Vec<String>,
    pub run: RunInfo,
}

/// One sub-question (a combined answer) or the whole answer of one recipe (`nummer` none).
#[derive(Debug, Serialize)]
pub(crate) struct AnswerPart {
    pub nummer: Option<u32>,
    /// The sub-question as asked (empty for a single recipe: it is the answer's `vraag`).
    pub vraag: String,
    pub toelichting: String,
    pub inleiding: String,
    pub tabellen: Vec<NumberedTable>,
    pub slot: String,
}

/// A table with its number in the document and its sheet name in the annex.
#[derive(Debug, Serialize)]
pub(crate) struct NumberedTable {
    pub nummer: usize,
    /// Sheet name in the annex (≤ 31 characters, chosen, never cut).
    pub blad: String,
    pub tabel: AnswerTable,
}

#[derive(Debug, Serialize)]
pub(crate) struct SourceInfo {
    pub bron: String,
    pub bestand: String,
    pub sha256: String,
    pub rijen: usize,
    /// `rijen` in Dutch notation.
    pub rijen_tekst: String,
    /// The latest date in the file, as the extraction date's best evidence.
    pub laatste_datum: String,
}

/// A cell as text, in Dutch notation.
pub(crate) fn cell_text(kind: ColumnKind, v: &Value, small: &str) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Year(y) => y.to_string(),
        Value::Number(x) => match kind {
            ColumnKind::Figure(Kind::Aandeel, d) => format!("{} %", nl_number(*x, d as usize)),
            ColumnKind::Figure(_, d) => nl_number(*x, d as usize),
            ColumnKind::Year => format!("{x:.0}"),
            ColumnKind::Label => nl_number(*x, 0),
        },
        Value::Small => small.to_string(),
        Value::Hidden => "×".into(),
        Value::NoData => "geen gegevens".into(),
        Value::Absent => "–".into(),
        Value::Empty => String::new(),
    }
}

/// A cell for the workbook: figures as numbers with their number format.
fn xcell(kind: ColumnKind, v: &Value, small: &str) -> XCell {
    match v {
        Value::Text(s) => XCell::T(s.clone()),
        Value::Year(y) => XCell::Year(*y),
        Value::Number(x) => match kind {
            ColumnKind::Figure(Kind::Personen | Kind::Aantal, _) => XCell::Int(*x),
            ColumnKind::Figure(Kind::Euro, _) => XCell::Euro(*x),
            ColumnKind::Figure(Kind::Dagen, _) => XCell::Days(*x),
            ColumnKind::Figure(Kind::Aandeel, _) => XCell::Pct(*x),
            ColumnKind::Figure(_, d) => XCell::Dec(*x, d),
            ColumnKind::Year => XCell::Year(*x as i32),
            ColumnKind::Label => XCell::N(*x),
        },
        Value::Small => XCell::Mark(small.to_string()),
        Value::Hidden => XCell::Mark("×".into()),
        Value::NoData => XCell::Mark("geen gegevens".into()),
        Value::Absent => XCell::Mark("–".into()),
        Value::Empty => XCell::Empty,
    }
}

/// The first total row of a table as text per column header, amounts with `€`, for the
/// sentences around the tables (`{{ totaal.uitgaven["Gemiddeld per jaar"] }}`).
pub(crate) fn total_texts(
    t: &AnswerTable,
    small: &str,
) -> std::collections::BTreeMap<String, String> {
    let mut m = std::collections::BTreeMap::new();
    if let Some(r) = t.rijen.iter().find(|r| r.totaal) {
        for (c, v) in t.kolommen.iter().zip(&r.cellen) {
            let mut s = cell_text(c.soort, v, small);
            if matches!(c.soort, ColumnKind::Figure(Kind::Euro, _)) && matches!(v, Value::Number(_))
            {
                s = format!("€ {s}");
            }
            m.insert(c.kop.clone(), s);
        }
    }
    m
}

fn is_figure(kind: ColumnKind) -> bool {
    matches!(kind, ColumnKind::Figure(..) | ColumnKind::Year)
}

/// A table as text for the Markdown template.
#[derive(Debug, Serialize)]
pub(crate) struct TextTable {
    pub nummer: usize,
    pub titel: String,
    pub definitie: String,
    pub koppen: Vec<String>,
    /// Per column: right-aligned (figures).
    pub rechts: Vec<bool>,
    pub rijen: Vec<TextRow>,
    pub notities: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TextRow {
    pub cellen: Vec<String>,
    pub totaal: bool,
}

pub(crate) fn text_table(t: &NumberedTable, small: &str) -> TextTable {
    let kinds: Vec<ColumnKind> = t.tabel.kolommen.iter().map(|c| c.soort).collect();
    TextTable {
        nummer: t.nummer,
        titel: t.tabel.titel.clone(),
        definitie: t.tabel.definitie.clone(),
        koppen: t.tabel.kolommen.iter().map(|c| c.kop.clone()).collect(),
        rechts: kinds.iter().map(|k| is_figure(*k)).collect(),
        rijen: t
            .tabel
            .rijen
            .iter()
            .map(|r| TextRow {
                cellen: r
                    .cellen
                    .iter()
                    .zip(&kinds)
                    .map(|(v, k)| cell_text(*k, v, small))
                    .collect(),
                totaal: r.totaal,
            })
            .collect(),
        notities: t.tabel.notities.clone(),
    }
}

/// The view the Markdown template gets.
#[derive(Debug, Serialize)]
struct MdView<'a> {
    a: &'a Answer,
    onderdelen: Vec<MdPart<'a>>,
}

#[derive(Debug, Serialize)]
struct MdPart<'a> {
    p: &'a AnswerPart,
    tabellen: Vec<TextTable>,
}

/// Escapes text for Markdown outside table cells: raw HTML from the data never renders.
pub(crate) fn md_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The answer as Markdown from `antwoorden/antwoord.md` (filter `mdtekst`: escaped text,
/// `mdcel`: escaped table cell).
pub(crate) fn markdown(
    env: &minijinja::Environment<'static>,
    a: &Answer,
    small: &str,
) -> Result<String> {
    let mut env = env.clone();
    env.add_filter("mdtekst", |v: minijinja::Value| md_escape(&v.to_string()));
    env.add_filter("mdcel", |v: minijinja::Value| {
        md_escape(&v.to_string())
            .replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace(['\n', '\r'], " ")
    });
    let view = MdView {
        a,
        onderdelen: a
            .onderdelen
            .iter()
            .map(|p| MdPart {
                p,
                tabellen: p.tabellen.iter().map(|t| text_table(t, small)).collect(),
            })
            .collect(),
    };
    super::render(&env, "antwoorden/antwoord.md", &view)
}

/// Paragraphs of a text block: split at blank lines, each on one line (a YAML line break
/// becomes a space, so no two words are glued together).
fn paragraphs(s: &str) -> Vec<String> {
    s.split("\n\n")
        .map(one_line)
        .filter(|p| !p.is_empty())
        .collect()
}

fn text(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t))
}

fn small_text(t: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(t).size(18))
}

fn heading(t: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(t).bold().size(size))
        .keep_next(true)
}

/// Text width in twips of `chars` characters at `size` half-points, with the cell margins.
fn twips(chars: usize, size: usize) -> usize {
    // An average character of a proportional font is about half its size wide; figures
    // (tabular) slightly more: 0.55 × size/2 pt × 20 twips/pt = 5.5 × size twips.
    chars * size * 11 / 2 + 230
}

/// The usable width of an A4 page with 2 cm margins, in twips.
const PAGE_WIDTH: usize = 11906 - 2 * 1134;

/// Column widths that fit the content: figures never wrap, labels wrap only between words
/// (the first column is at least as wide as its longest word, and gets the room left).
fn column_widths(t: &TextTable, size: usize) -> Vec<usize> {
    let n = t.koppen.len();
    let mut min = vec![0usize; n];
    let mut pref = vec![0usize; n];
    let longest_word = |s: &str| {
        s.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    };
    for j in 0..n {
        let head = &t.koppen[j];
        min[j] = longest_word(head);
        pref[j] = head.chars().count();
        for r in &t.rijen {
            let c = &r.cellen[j];
            let len = c.chars().count();
            pref[j] = pref[j].max(len);
            min[j] = min[j].max(if t.rechts[j] { len } else { longest_word(c) });
        }
    }
    let min: Vec<usize> = min.iter().map(|&c| twips(c, size)).collect();
    let pref: Vec<usize> = pref.iter().map(|&c| twips(c, size)).collect();
    if pref.iter().sum::<usize>() <= PAGE_WIDTH {
        return pref;
    }
    // Figures at their width, text columns share what is left, up to their preference.
    let mut w = min.clone();
    let mut room = PAGE_WIDTH.saturating_sub(w.iter().sum());
    for j in (0..n).filter(|&j| !t.rechts[j]) {
        let more = (pref[j] - w[j]).min(room);
        w[j] += more;
        room -= more;
    }
    w
}

fn docx_table(t: &TextTable) -> Table {
    // Wide tables get a smaller font (9, 8, then 7 pt) so that figures stay on one line.
    let mut size = 18;
    while size > 14 && column_widths(t, size).iter().sum::<usize>() > PAGE_WIDTH {
        size -= 2;
    }
    let widths = column_widths(t, size);
    let cell = |s: &str, j: usize, bold: bool| {
        let mut run = Run::new().add_text(s).size(size);
        if bold {
            run = run.bold();
        }
        let mut p = Paragraph::new().add_run(run);
        if t.rechts[j] {
            p = p.align(AlignmentType::Right);
        }
        TableCell::new()
            .width(widths[j], WidthType::Dxa)
            .add_paragraph(p)
    };
    // The header row repeats on every page: marked here with cantSplit (only header rows
    // carry it), turned into a table header by `mark_header_rows`.
    let header = TableRow::new(
        t.koppen
            .iter()
            .enumerate()
            .map(|(j, k)| cell(k, j, true))
            .collect(),
    )
    .cant_split();
    let mut rows = vec![header];
    for r in &t.rijen {
        rows.push(TableRow::new(
            r.cellen
                .iter()
                .enumerate()
                .map(|(j, c)| cell(c, j, r.totaal))
                .collect(),
        ));
    }
    Table::new(rows)
        .set_grid(widths.clone())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
}

/// Makes the rows marked `cantSplit` (the header rows) repeat on every page (`tblHeader`,
/// which docx-rs does not write) by rewriting `word/document.xml` in the package.
fn mark_header_rows(bytes: Vec<u8>) -> Result<Vec<u8>> {
    use std::io::{Read, Write};
    let fail = |e: &dyn std::fmt::Display| {
        Error::Render(format!("het Word-document kan niet gemaakt worden: {e}"))
    };
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).map_err(|e| fail(&e))?;
        let name = f.name().map_err(|e| fail(&e))?.to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).map_err(|e| fail(&e))?;
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).map_err(|e| fail(&e))?;
            data = xml
                .replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
                .replace("<w:cantSplit/>", "<w:cantSplit/><w:tblHeader/>")
                .into_bytes();
        }
        out.start_file(name, options).map_err(|e| fail(&e))?;
        out.write_all(&data).map_err(|e| fail(&e))?;
    }
    Ok(out.finish().map_err(|e| fail(&e))?.into_inner())
}

/// The answer as a Word document (text only: safe to paste into the official answer).
pub(crate) fn docx(a: &Answer, small: &str) -> Result<Vec<u8>> {
    let mut d = Docx::new()
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1134)
                .right(1134),
        )
        .add_paragraph(heading(&a.titel, 32))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(one_line(&a.vraag)).italic()))
        .add_paragraph(text(&format!(
            "Jaren: {}; gevangenissen: {}.",
            a.jaren, a.gevangenissen
        )));
    for p in paragraphs(&a.inleiding) {
        d = d.add_paragraph(text(&p));
    }
    for part in &a.onderdelen {
        if let Some(n) = part.nummer {
            d = d.add_paragraph(heading(&format!("Vraag {n}"), 28));
            d = d.add_paragraph(
                Paragraph::new().add_run(Run::new().add_text(one_line(&part.vraag)).italic()),
            );
        }
        for p in paragraphs(&part.toelichting)
            .into_iter()
            .chain(paragraphs(&part.inleiding))
        {
            d = d.add_paragraph(text(&p));
        }
        for t in &part.tabellen {
            let tt = text_table(t, small);
            d = d.add_paragraph(heading(&format!("Tabel {}. {}", tt.nummer, tt.titel), 22));
            d = d.add_table(docx_table(&tt));
            d = d.add_paragraph(small_text(&format!("Definitie: {}", tt.definitie)));
            for n in &tt.notities {
                d = d.add_paragraph(small_text(n));
            }
        }
        for p in paragraphs(&part.slot) {
            d = d.add_paragraph(text(&p));
        }
    }
    d = d.add_paragraph(heading("Bronnen en werkwijze", 24));
    for s in &a.bronnen {
        d = d.add_paragraph(small_text(&format!(
            "{} ({}): {} rijen, laatste datum {}, SHA-256 {}",
            s.bron, s.bestand, s.rijen_tekst, s.laatste_datum, s.sha256
        )));
    }
    for g in &a.goedkeuringen {
        d = d.add_paragraph(small_text(g));
    }
    d = d.add_paragraph(small_text(&format!(
        "De laatste datum is de jongste datum in het bestand (de beste aanwijzing voor de extractiedatum). Opgemaakt met hdv {} op {}. Opdracht om het antwoord opnieuw te maken: {}",
        a.run.version, a.run.generated, a.run.command
    )));
    let mut buf = std::io::Cursor::new(Vec::new());
    d.build()
        .pack(&mut buf)
        .map_err(|e| Error::Render(format!("het Word-document kan niet gemaakt worden: {e}")))?;
    mark_header_rows(buf.into_inner())
}

/// The tables as a workbook annex: one sheet per table (figures as numbers with a number
/// format, marks as text with their meaning under the data), and the sources.
pub(crate) fn xlsx(a: &Answer, small: &str) -> Result<Vec<u8>> {
    let mut wb = super::xlsx::new_workbook(a.titel.clone(), &a.run.generated)?;
    for part in &a.onderdelen {
        for t in &part.tabellen {
            let header: Vec<&str> = t.tabel.kolommen.iter().map(|c| c.kop.as_str()).collect();
            let rows: Vec<Vec<XCell>> = t
                .tabel
                .rijen
                .iter()
                .map(|r| {
                    r.cellen
                        .iter()
                        .zip(&t.tabel.kolommen)
                        .map(|(v, c)| xcell(c.soort, v, small))
                        .collect()
                })
                .collect();
            let mut notes = vec![
                format!("Tabel {}. {}", t.nummer, t.tabel.titel),
                format!("Definitie: {}", t.tabel.definitie),
            ];
            notes.extend(t.tabel.notities.iter().cloned());
            super::xlsx::write_sheet(
                &mut wb,
                &SheetSpec {
                    name: &t.blad,
                    header: &header,
                    rows: &rows,
                    notes: &notes,
                },
            )?;
        }
    }
    let bronnen: Vec<Vec<XCell>> = a
        .bronnen
        .iter()
        .map(|s| {
            vec![
                XCell::T(s.bron.clone()),
                XCell::T(s.bestand.clone()),
                XCell::Int(s.rijen as f64),
                XCell::T(s.laatste_datum.clone()),
                XCell::T(s.sha256.clone()),
            ]
        })
        .collect();
    let notes: Vec<String> = a
        .goedkeuringen
        .iter()
        .cloned()
        .chain(std::iter::once(format!(
            "Opgemaakt met hdv {} op {}. Opdracht om het antwoord opnieuw te maken: {}",
            a.run.version, a.run.generated, a.run.command
        )))
        .collect();
    super::xlsx::write_sheet(
        &mut wb,
        &SheetSpec {
            name: "Bronnen",
            header: &["bron", "bestand", "rijen", "laatste datum", "SHA-256"],
            rows: &bronnen,
            notes: &notes,
        },
    )?;
    wb.save_to_buffer()
        .map_err(|e| Error::Render(format!("de werkmap kan niet gemaakt worden: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_escapes_html() {
        assert_eq!(md_escape("<b>A & B</b>"), "&lt;b&gt;A &amp; B&lt;/b&gt;");
    }

    #[test]
    fn paragraphs_keep_a_space_at_line_breaks() {
        assert_eq!(
            paragraphs("één\nindividueel traject in 2024.\nEen\n\ntweede"),
            vec!["één individueel traject in 2024. Een", "tweede"]
        );
    }

    #[test]
    fn the_first_column_fits_a_prison_name() {
        let t = TextTable {
            nummer: 1,
            titel: "t".into(),
            definitie: String::new(),
            koppen: vec!["Gevangenis".into(), "2024".into()],
            rechts: vec![false, true],
            rijen: vec![TextRow {
                cellen: vec!["Gevangenis Antwerpen".into(), "1.234".into()],
                totaal: false,
            }],
            notities: vec![],
        };
        let w = column_widths(&t, 18);
        assert!(w[0] >= twips("Gevangenis Antwerpen".len(), 18));
    }
}
