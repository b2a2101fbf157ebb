//! An answer to a parliamentary question as Markdown (template), DOCX and an XLSX annex. The
//! decisions (totals, suppression, years without data, labels) are taken in `crate::answer`;
//! this module only formats its typed tables.

use super::docx::{self, Document as Docx, Orientation, Reference, Style};
use super::nl_number;
use super::xlsx::{SheetSpec, XCell};
use crate::answer::document::{Document, NumberedTable};
use crate::answer::{AnswerTable, ColumnKind, Kind, Value, one_line};
use crate::error::{Error, Result};
use crate::report::RunInfo;
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
    /// The disclosure policy in plain Dutch.
    pub afscherming: Vec<String>,
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

/// The answer's page: the document with its texts filled (the recipe's minijinja over the
/// part's facts and the totals of its tables, `totaal.<tabel>["<kolom>"]`).
pub(crate) fn page(env: &minijinja::Environment, doc: Document) -> Result<Answer> {
    let small = &doc.small_label;
    let mut onderdelen = Vec::new();
    for p in doc.parts {
        let totaal: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> =
            p.tables
                .iter()
                .map(|t| (t.tabel.id.clone(), total_texts(&t.tabel, small)))
                .collect();
        let vars = minijinja::context! {
            totaal => totaal,
            ..minijinja::Value::from(minijinja::value::Serde(&p.facts))
        };
        let fill = |t: &str| {
            env.render_str(t, vars.clone())
                .map(|s| s.trim().to_string())
                .map_err(|e| Error::Render(format!("recept {}: {e:#}", p.recipe)))
        };
        onderdelen.push(AnswerPart {
            nummer: p.number,
            vraag: p.question.clone(),
            toelichting: match p.explanation.as_deref() {
                Some(t) => fill(t)?,
                None => String::new(),
            },
            inleiding: fill(&p.intro)?,
            slot: fill(&p.closing)?,
            tabellen: p.tables,
        });
    }
    let inleiding = env
        .render_str(
            &doc.intro,
            minijinja::Value::from(minijinja::value::Serde(&doc.plan)),
        )
        .map_err(|e| Error::Render(format!("{}: {e:#}", doc.id)))?
        .trim()
        .to_string();
    Ok(Answer {
        id: doc.id,
        titel: doc.title,
        vraag: doc.question,
        inleiding,
        onderdelen,
        jaren: doc.years,
        gevangenissen: doc.prisons,
        afscherming: super::afscherming::policy_lines(&doc.policy),
        goedkeuringen: doc.approvals,
        bronnen: doc
            .sources
            .iter()
            .map(|f| SourceInfo {
                bron: f.source.clone(),
                bestand: f.file.clone(),
                sha256: f.sha256.clone(),
                rijen: f.rows,
                rijen_tekst: nl_number(f.rows as f64, 0),
                laatste_datum: f
                    .last_date
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "–".into()),
            })
            .collect(),
        run: doc.run,
    })
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

/// The answer as a file of format `f`.
pub(crate) fn file(
    env: &minijinja::Environment<'static>,
    a: &Answer,
    small: &str,
    reference: Option<&Reference>,
    f: super::Format,
) -> Result<Vec<u8>> {
    match f {
        super::Format::Docx => docx(a, small, reference),
        super::Format::Md => Ok(markdown(env, a, small)?.into_bytes()),
        super::Format::Xlsx => xlsx(a, small),
        other => Err(super::unsupported("een antwoord", other)),
    }
}

/// Paragraphs of a text block: split at blank lines, each on one line (a YAML line break
/// becomes a space, so no two words are glued together).
fn paragraphs(s: &str) -> Vec<String> {
    s.split("\n\n")
        .map(one_line)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The width of `s` in Arial (or Liberation Sans, the same widths), in thousandths of the
/// font size: narrow and wide letters apart, the rest at an average.
fn em_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 250,
            'I' | 'f' | 't' | 'r' | ' ' | '(' | ')' | '-' | '/' => 310,
            'm' | 'M' | 'W' | '%' => 850,
            'w' => 722,
            c if c.is_ascii_digit() => 556,
            c if c.is_uppercase() => 680,
            _ => 560,
        })
        .sum()
}

/// Width in twips of `s` at `size` half-points in a table cell (bold text is wider), with
/// the cell margins and some slack.
fn twips(s: &str, size: usize, bold: bool) -> usize {
    let w = em_width(s) * size * 10 / 1000;
    (if bold { w * 107 / 100 } else { w }) + 2 * 85 + 60
}

/// Column widths of the columns `cols` that fit the content: figures never wrap, labels wrap
/// only between words (a text column is at least as wide as its longest word, and gets the
/// room left up to its longest text). Wider than `room` when even that does not fit.
fn column_widths(t: &TextTable, cols: &[usize], size: usize, room: usize) -> Vec<usize> {
    let longest_word = |s: &str| {
        s.split_whitespace()
            .max_by_key(|w| em_width(w))
            .unwrap_or("")
            .to_string()
    };
    let mut min = Vec::new();
    let mut pref = Vec::new();
    for &j in cols {
        let head = &t.koppen[j];
        let mut lo = twips(&longest_word(head), size, true);
        let mut hi = twips(head, size, true);
        for r in &t.rijen {
            let c = r.cellen.get(j).map_or("", String::as_str);
            let whole = twips(c, size, r.totaal);
            hi = hi.max(whole);
            lo = lo.max(if t.rechts[j] {
                whole
            } else {
                twips(&longest_word(c), size, r.totaal)
            });
        }
        min.push(lo);
        pref.push(hi);
    }
    if pref.iter().sum::<usize>() <= room {
        return pref;
    }
    // Figures at their width, text columns share what is left, up to their preference.
    let mut w = min.clone();
    let mut left = room.saturating_sub(w.iter().sum());
    for (k, &j) in cols.iter().enumerate() {
        if t.rechts[j] {
            continue;
        }
        let more = (pref[k] - w[k]).min(left);
        w[k] += more;
        left -= more;
    }
    w
}

/// Font sizes of table text, in half-points, largest first: never below 9 pt.
const TABLE_SIZES: [usize; 2] = [20, docx::MIN_SIZE];

/// Where and how a table is set: the orientation of its pages, its font size and its column
/// groups (one group when it fits; else the label columns repeat in every group).
#[derive(Debug, PartialEq)]
struct Placement {
    orientation: Orientation,
    size: usize,
    groups: Vec<Vec<usize>>,
}

/// The first placement that fits: portrait, then landscape (at 10 then 9 pt), then split
/// over several tables in landscape at 9 pt.
fn placement(t: &TextTable) -> Placement {
    let all: Vec<usize> = (0..t.koppen.len()).collect();
    for orientation in [Orientation::Portrait, Orientation::Landscape] {
        for size in TABLE_SIZES {
            let room = orientation.text_width();
            if column_widths(t, &all, size, room).iter().sum::<usize>() <= room {
                return Placement {
                    orientation,
                    size,
                    groups: vec![all],
                };
            }
        }
    }
    let orientation = Orientation::Landscape;
    let size = docx::MIN_SIZE;
    let room = orientation.text_width();
    // The leading text columns (at least the first) name the rows: they repeat.
    let labels: Vec<usize> = (0..all.len())
        .take_while(|&j| j == 0 || !t.rechts[j])
        .collect();
    let fits = |cols: &[usize]| column_widths(t, cols, size, room).iter().sum::<usize>() <= room;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group = labels.clone();
    for j in labels.len()..all.len() {
        let mut wider = group.clone();
        wider.push(j);
        if group.len() > labels.len() && !fits(&wider) {
            groups.push(std::mem::replace(&mut group, labels.clone()));
            group.push(j);
        } else {
            group = wider;
        }
    }
    groups.push(group);
    Placement {
        orientation,
        size,
        groups,
    }
}

/// The table `tt` in the document: caption above, the table (split when too wide), the
/// definition and notes under it, in a landscape section when it needs one.
fn docx_table(d: &mut Docx, tt: &TextTable) {
    let p = placement(tt);
    // A table that fits upright fits across too: it stays on the pages it comes to.
    if p.orientation == Orientation::Landscape {
        d.orientation(p.orientation);
    }
    let n = p.groups.len();
    for (k, cols) in p.groups.iter().enumerate() {
        let caption = if n == 1 {
            format!("Tabel {}. {}", tt.nummer, tt.titel)
        } else {
            format!("Tabel {}. {} (deel {} van {n})", tt.nummer, tt.titel, k + 1)
        };
        d.paragraph(Style::Caption, &caption);
        let pick = |cells: &[String]| cols.iter().map(|&j| cells[j].clone()).collect();
        d.table(docx::Table {
            widths: column_widths(tt, cols, p.size, p.orientation.text_width()),
            size: p.size,
            header: pick(&tt.koppen),
            right: cols.iter().map(|&j| tt.rechts[j]).collect(),
            rows: tt
                .rijen
                .iter()
                .map(|r| (pick(&r.cellen), r.totaal))
                .collect(),
        });
    }
    d.paragraph(Style::Note, &format!("Definitie: {}", tt.definitie));
    for note in &tt.notities {
        d.paragraph(Style::Note, note);
    }
}

/// The house style's reference document, `huisstijl.docx` in the recipes' folder, when
/// there is one.
pub(crate) fn house_style(dir: &std::path::Path) -> Result<Option<Reference>> {
    let path = dir.join(HOUSE_STYLE);
    match std::fs::read(&path) {
        Ok(bytes) => Reference::read(&crate::diagnostic::display_path(&path), &bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Render(format!(
            "{}: kan niet gelezen worden: {e}",
            crate::diagnostic::display_path(&path)
        ))),
    }
}

/// The file name of the house style's reference document.
pub(crate) const HOUSE_STYLE: &str = "huisstijl.docx";

/// The answer as a Word document (text only: safe to paste into the official answer), in
/// the styles of `reference` when given (`templates/antwoorden/huisstijl.docx`).
pub(crate) fn docx(a: &Answer, small: &str, reference: Option<&Reference>) -> Result<Vec<u8>> {
    let mut d = Docx::new();
    // A part starts on pages of its first table's orientation, so its question and text stay
    // with the table rather than alone on a page before a landscape section (the title, the
    // question and the introduction go with the first part).
    let start = |p: &AnswerPart| {
        p.tabellen.first().map_or(Orientation::Portrait, |t| {
            placement(&text_table(t, small)).orientation
        })
    };
    if let Some(first) = a.onderdelen.first() {
        d.orientation(start(first));
    }
    d.paragraph(Style::Title, &a.titel);
    d.paragraph(Style::Quote, &one_line(&a.vraag));
    d.paragraph(
        Style::Normal,
        &format!("Jaren: {}; gevangenissen: {}.", a.jaren, a.gevangenissen),
    );
    for p in paragraphs(&a.inleiding) {
        d.paragraph(Style::Normal, &p);
    }
    for (i, part) in a.onderdelen.iter().enumerate() {
        if i > 0 {
            d.orientation(start(part));
        }
        if let Some(n) = part.nummer {
            d.paragraph(Style::Heading1, &format!("Vraag {n}"));
            d.paragraph(Style::Quote, &one_line(&part.vraag));
        }
        for p in paragraphs(&part.toelichting)
            .into_iter()
            .chain(paragraphs(&part.inleiding))
        {
            d.paragraph(Style::Normal, &p);
        }
        for t in &part.tabellen {
            docx_table(&mut d, &text_table(t, small));
        }
        for p in paragraphs(&part.slot) {
            d.paragraph(Style::Normal, &p);
        }
    }
    d.orientation(Orientation::Portrait);
    d.paragraph(Style::Heading1, "Bronnen en werkwijze");
    for s in &a.bronnen {
        d.paragraph(
            Style::Note,
            &format!(
                "{} ({}): {} rijen, laatste datum {}, SHA-256 {}",
                s.bron,
                s.bestand,
                s.rijen_tekst,
                super::long_date(&s.laatste_datum),
                s.sha256
            ),
        );
    }
    for g in &a.goedkeuringen {
        d.paragraph(Style::Note, g);
    }
    let sources_note = if a.bronnen.is_empty() {
        "Dit antwoord leest geen aangeleverde bestanden: de cijfers komen uit het strategisch plan en zijn opvolging (plans/)."
    } else {
        "De laatste datum is de jongste datum in het bestand (de beste aanwijzing voor de extractiedatum)."
    };
    d.paragraph(
        Style::Note,
        &format!(
            "{sources_note} Opgemaakt met hdv {} op {}. Opdracht om het antwoord opnieuw te maken: {}",
            a.run.version,
            super::long_date(&a.run.generated),
            a.run.command
        ),
    );
    d.paragraph(
        Style::Note,
        &format!("Afscherming: {}", a.afscherming.join(" ")),
    );
    d.package(
        &docx::Meta {
            title: &a.titel,
            date: &a.run.generated,
        },
        reference,
    )
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
            let totals: Vec<bool> = t.tabel.rijen.iter().map(|r| r.totaal).collect();
            super::xlsx::write_sheet_with_totals(
                &mut wb,
                &SheetSpec {
                    name: &t.blad,
                    header: &header,
                    rows: &rows,
                    notes: &notes,
                },
                &totals,
            )?;
        }
    }
    let mut bronnen: Vec<Vec<XCell>> = a
        .bronnen
        .iter()
        .map(|s| {
            vec![
                XCell::T(s.bron.clone()),
                XCell::T(s.bestand.clone()),
                XCell::Int(s.rijen as f64),
                XCell::date_or_text(&s.laatste_datum),
                XCell::T(s.sha256.clone()),
            ]
        })
        .collect();
    if bronnen.is_empty() {
        // No delivered file: the figures come from the plan and its follow-up.
        bronnen.push(vec![
            XCell::T("plan".into()),
            XCell::T("plans/ (het strategisch plan en zijn opvolging)".into()),
            XCell::Empty,
            XCell::Empty,
            XCell::Empty,
        ]);
    }
    let notes: Vec<String> = a
        .goedkeuringen
        .iter()
        .cloned()
        .chain(std::iter::once(format!(
            "Opgemaakt met hdv {} op {}. Opdracht om het antwoord opnieuw te maken: {}",
            a.run.version,
            super::long_date(&a.run.generated),
            a.run.command
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
        let w = column_widths(&t, &[0, 1], 18, Orientation::Portrait.text_width());
        assert!(w[0] >= twips("Gevangenis Antwerpen", 18, false));
    }

    fn wide(columns: usize) -> TextTable {
        let mut koppen = vec!["Gevangenis".to_string()];
        koppen.extend((0..columns).map(|y| format!("{}", 2000 + y)));
        let mut cellen = vec!["Forensisch Psychiatrisch Centrum Antwerpen".to_string()];
        cellen.extend((0..columns).map(|_| "10.076.364".to_string()));
        TextTable {
            nummer: 1,
            titel: "t".into(),
            definitie: String::new(),
            rechts: (0..=columns).map(|j| j > 0).collect(),
            koppen,
            rijen: vec![TextRow {
                cellen,
                totaal: true,
            }],
            notities: vec![],
        }
    }

    #[test]
    fn a_table_goes_across_then_splits_never_under_9_pt() {
        let p = placement(&wide(3));
        assert_eq!((p.orientation, p.size), (Orientation::Portrait, 20));
        assert_eq!(p.groups, vec![vec![0, 1, 2, 3]]);
        let p = placement(&wide(9));
        assert_eq!(p.orientation, Orientation::Landscape);
        assert_eq!(p.groups.len(), 1);
        let t = wide(30);
        let p = placement(&t);
        assert_eq!(
            (p.orientation, p.size),
            (Orientation::Landscape, docx::MIN_SIZE)
        );
        assert!(p.groups.len() >= 2);
        // Every part repeats the label column, every figure column is in one part, and
        // every part fits the page.
        let mut seen: Vec<usize> = Vec::new();
        for g in &p.groups {
            assert_eq!(g[0], 0);
            seen.extend(g[1..].iter().copied());
            let w: usize = column_widths(&t, g, p.size, Orientation::Landscape.text_width())
                .iter()
                .sum();
            assert!(w <= Orientation::Landscape.text_width(), "{g:?}: {w}");
        }
        assert_eq!(seen, (1..=30).collect::<Vec<_>>());
    }
}
