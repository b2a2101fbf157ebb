//! A Word document written as WordprocessingML: real paragraph styles (Title, Heading 1-3,
//! Caption, Quote, a table style), Dutch (Belgium) as the document language, page numbers in
//! the footer, core properties, and sections in landscape for wide tables.
//!
//! A reference document (like pandoc's `--reference-doc`) overrides the look: its
//! `styles.xml` is taken as a whole (with its theme, numbering and font table), each style
//! this module uses is looked up there by its built-in name (Word writes localised style ids,
//! `Kop1` for "heading 1" in a Dutch Word), and only the styles it lacks are added from ours.
//! The document's language stays nl-BE whatever the reference says.
//!
//! Formatting only: what goes into the document is decided by the caller.

use crate::error::{Error, Result};
use quick_xml::escape::escape;
use std::collections::BTreeMap;
use std::io::{Read, Write};

/// The language of every text.
pub(crate) const LANG: &str = "nl-BE";

/// The organisation named in the document's properties when the reference document names
/// none.
pub(crate) const ORGANISATION: &str = "Vlaamse overheid";

/// A4 in twips, 2 cm margins.
const A4_SHORT: usize = 11906;
const A4_LONG: usize = 16838;
const MARGIN: usize = 1134;

/// The smallest font size of any text, in half-points (9 pt).
pub(crate) const MIN_SIZE: usize = 18;

/// The paragraph styles a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Style {
    Normal,
    Title,
    Heading1,
    Heading2,
    Heading3,
    Caption,
    Quote,
    /// Small text under a table (definition, notes) and the sources: 9 pt.
    Note,
    Footer,
    /// The table style.
    Table,
    /// Word's default table style (every table not styled otherwise).
    TableNormal,
}

const STYLES: [Style; 11] = [
    Style::Normal,
    Style::Title,
    Style::Heading1,
    Style::Heading2,
    Style::Heading3,
    Style::Caption,
    Style::Quote,
    Style::Note,
    Style::Footer,
    Style::Table,
    Style::TableNormal,
];

impl Style {
    /// Our style id (Word's English id for the built-in styles).
    fn id(self) -> &'static str {
        match self {
            Style::Normal => "Normal",
            Style::Title => "Title",
            Style::Heading1 => "Heading1",
            Style::Heading2 => "Heading2",
            Style::Heading3 => "Heading3",
            Style::Caption => "Caption",
            Style::Quote => "Quote",
            Style::Note => "Tabelnoot",
            Style::Footer => "Footer",
            Style::Table => "TableGrid",
            Style::TableNormal => "TableNormal",
        }
    }

    /// The style's name: Word's built-in name (the same in every language of Word), so a
    /// reference document's definition is found whatever its id.
    fn name(self) -> &'static str {
        match self {
            Style::Normal => "Normal",
            Style::Title => "Title",
            Style::Heading1 => "heading 1",
            Style::Heading2 => "heading 2",
            Style::Heading3 => "heading 3",
            Style::Caption => "caption",
            Style::Quote => "Quote",
            Style::Note => "Tabelnoot",
            Style::Footer => "footer",
            Style::Table => "Table Grid",
            Style::TableNormal => "Normal Table",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Style::Table | Style::TableNormal => "table",
            _ => "paragraph",
        }
    }

    /// Our definition's inner XML; `id` gives the id of another style (`basedOn`, `next`).
    fn body(self, id: &dyn Fn(Style) -> String) -> String {
        let normal = id(Style::Normal);
        let based = format!(r#"<w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/>"#);
        let heading = |level: u8, before: u32, after: u32, size: u32, color: &str| {
            format!(
                r#"{based}<w:uiPriority w:val="9"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/><w:outlineLvl w:val="{level}"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="{color}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>"#
            )
        };
        match self {
            Style::Normal => "<w:qFormat/>".into(),
            Style::Title => format!(
                r#"{based}<w:uiPriority w:val="10"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:bCs/><w:color w:val="1F4E79"/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr>"#
            ),
            Style::Heading1 => heading(0, 360, 120, 30, "1F4E79"),
            Style::Heading2 => heading(1, 280, 100, 26, "1F4E79"),
            Style::Heading3 => heading(2, 240, 80, 22, "333333"),
            Style::Caption => format!(
                r#"{based}<w:uiPriority w:val="35"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="80"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>"#
            ),
            Style::Quote => format!(
                r#"{based}<w:uiPriority w:val="29"/><w:qFormat/><w:pPr><w:ind w:left="284"/></w:pPr><w:rPr><w:i/><w:iCs/><w:color w:val="404040"/></w:rPr>"#
            ),
            Style::Note => format!(
                r#"{based}<w:qFormat/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>"#
            ),
            Style::Footer => format!(
                r#"<w:basedOn w:val="{normal}"/><w:uiPriority w:val="99"/><w:pPr><w:spacing w:after="0"/><w:jc w:val="right"/></w:pPr><w:rPr><w:color w:val="444444"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>"#
            ),
            Style::Table => format!(
                r#"<w:basedOn w:val="{}"/><w:uiPriority w:val="39"/><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:left w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:right w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="9AA5B1"/></w:tblBorders><w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DDE6F0"/></w:tcPr></w:tblStylePr>"#,
                id(Style::TableNormal)
            ),
            Style::TableNormal => r#"<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>"#.into(),
        }
    }

    fn definition(self, style_id: &str, id: &dyn Fn(Style) -> String) -> String {
        let default = matches!(self, Style::Normal | Style::TableNormal);
        format!(
            r#"<w:style w:type="{}"{} w:styleId="{}"><w:name w:val="{}"/>{}</w:style>"#,
            self.kind(),
            if default { r#" w:default="1""# } else { "" },
            escape(style_id),
            self.name(),
            self.body(id)
        )
    }
}

/// The run properties every text gets by default: the font (Arial, on every Windows and
/// Mac; Liberation Sans, metric-compatible, where it is missing), 10.5 pt, Dutch (Belgium).
fn run_defaults() -> String {
    format!(
        r#"<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="21"/><w:szCs w:val="21"/>{}</w:rPr>"#,
        lang()
    )
}

fn lang() -> String {
    format!(r#"<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/>"#)
}

/// Our `styles.xml`.
fn own_styles() -> String {
    let id = |s: Style| s.id().to_string();
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault>{}</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        run_defaults()
    );
    for s in STYLES {
        xml.push_str(&s.definition(s.id(), &id));
    }
    xml.push_str("</w:styles>");
    xml
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Page orientation of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Orientation {
    Portrait,
    Landscape,
}

impl Orientation {
    /// The width between the margins, in twips.
    pub(crate) fn text_width(self) -> usize {
        match self {
            Orientation::Portrait => A4_SHORT - 2 * MARGIN,
            Orientation::Landscape => A4_LONG - 2 * MARGIN,
        }
    }
}

/// A run of text.
#[derive(Debug, Clone)]
struct Run {
    text: String,
    bold: bool,
    /// Half-points; the style's size when none.
    size: Option<usize>,
}

#[derive(Debug, Clone)]
struct Para {
    style: Style,
    runs: Vec<Run>,
    align_right: bool,
    /// The section ends with this paragraph, in this orientation.
    section_end: Option<Orientation>,
}

/// A table: column widths (twips), a header row repeated on every page, rows; `right` per
/// column (figures), `bold` per row (totals), one font size (half-points).
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub widths: Vec<usize>,
    pub size: usize,
    pub header: Vec<String>,
    pub right: Vec<bool>,
    pub rows: Vec<(Vec<String>, bool)>,
}

#[derive(Debug, Clone)]
enum Block {
    P(Para),
    T(Table),
}

/// A document under construction.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    blocks: Vec<Block>,
    /// The orientation of the section being written.
    current: Orientation,
    /// The orientation asked for the next block.
    wanted: Orientation,
}

impl Default for Document {
    fn default() -> Self {
        Self::new()
    }
}

/// The document's properties.
pub(crate) struct Meta<'a> {
    pub title: &'a str,
    /// `yyyy-mm-dd`, the date of the run.
    pub date: &'a str,
}

impl Document {
    pub(crate) fn new() -> Self {
        Document {
            blocks: Vec::new(),
            current: Orientation::Portrait,
            wanted: Orientation::Portrait,
        }
    }

    /// The orientation of the pages from the next block on (a new section when it changes).
    pub(crate) fn orientation(&mut self, o: Orientation) {
        self.wanted = o;
    }

    /// Ends the running section when the next block asks another orientation.
    fn place(&mut self) {
        if self.wanted == self.current || self.blocks.is_empty() {
            self.current = self.wanted;
            return;
        }
        let ending = self.current;
        match self.blocks.last_mut() {
            Some(Block::P(p)) if p.section_end.is_none() => p.section_end = Some(ending),
            _ => self.blocks.push(Block::P(Para {
                style: Style::Note,
                runs: Vec::new(),
                align_right: false,
                section_end: Some(ending),
            })),
        }
        self.current = self.wanted;
    }

    /// A paragraph of `style`.
    pub(crate) fn paragraph(&mut self, style: Style, text: &str) {
        self.place();
        self.blocks.push(Block::P(Para {
            style,
            runs: vec![Run {
                text: text.to_string(),
                bold: false,
                size: None,
            }],
            align_right: false,
            section_end: None,
        }));
    }

    pub(crate) fn table(&mut self, t: Table) {
        self.place();
        self.blocks.push(Block::T(t));
    }

    /// `word/document.xml`, with the style ids `id` gives.
    fn document_xml(&self, id: &dyn Fn(Style) -> String) -> String {
        let mut x = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>"#
        );
        for b in &self.blocks {
            match b {
                Block::P(p) => para_xml(&mut x, p, id),
                Block::T(t) => table_xml(&mut x, t, id),
            }
        }
        x.push_str(&section_xml(self.current));
        x.push_str("</w:body></w:document>");
        x
    }

    /// The document as a `.docx` package; `reference` is a reference document whose styles
    /// override ours.
    pub(crate) fn package(&self, meta: &Meta, reference: Option<&Reference>) -> Result<Vec<u8>> {
        let mut parts: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
        let (styles, ids) = match reference {
            Some(r) => r.merged_styles()?,
            None => (
                own_styles(),
                STYLES.iter().map(|s| (*s, s.id().to_string())).collect(),
            ),
        };
        let id = |s: Style| ids.get(&s).cloned().unwrap_or_else(|| s.id().to_string());
        parts.insert("word/document.xml", self.document_xml(&id).into_bytes());
        parts.insert("word/styles.xml", styles.into_bytes());
        parts.insert("word/footer1.xml", footer_xml(&id).into_bytes());
        parts.insert("word/settings.xml", settings_xml().into_bytes());
        let extra = reference.map(|r| &r.parts);
        let has = |name: &str| extra.is_some_and(|p| p.contains_key(name));
        match extra.and_then(|p| p.get(FONT_TABLE)) {
            Some(f) => parts.insert(FONT_TABLE, f.clone()),
            None => parts.insert(FONT_TABLE, font_table_xml().into_bytes()),
        };
        for name in [THEME, NUMBERING] {
            if let Some(b) = extra.and_then(|p| p.get(name)) {
                parts.insert(name, b.clone());
            }
        }
        let organisation = reference
            .and_then(|r| r.company.as_deref())
            .unwrap_or(ORGANISATION);
        parts.insert(
            "docProps/core.xml",
            core_xml(meta, organisation).into_bytes(),
        );
        parts.insert("docProps/app.xml", app_xml(organisation).into_bytes());
        parts.insert(
            "word/_rels/document.xml.rels",
            document_rels(has(THEME), has(NUMBERING)).into_bytes(),
        );
        parts.insert("_rels/.rels", PACKAGE_RELS.as_bytes().to_vec());
        parts.insert(
            "[Content_Types].xml",
            content_types(has(THEME), has(NUMBERING)).into_bytes(),
        );
        zip_parts(&parts, meta.date)
    }
}

const FONT_TABLE: &str = "word/fontTable.xml";
const THEME: &str = "word/theme/theme1.xml";
const NUMBERING: &str = "word/numbering.xml";

/// Text for XML: escaped, without the control characters XML does not allow (a tab or line
/// break becomes a space).
fn text(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    escape(&clean).into_owned()
}

fn run_xml(x: &mut String, r: &Run) {
    x.push_str("<w:r>");
    if r.bold || r.size.is_some() {
        x.push_str("<w:rPr>");
        if r.bold {
            x.push_str("<w:b/><w:bCs/>");
        }
        if let Some(s) = r.size {
            x.push_str(&format!(r#"<w:sz w:val="{s}"/><w:szCs w:val="{s}"/>"#));
        }
        x.push_str("</w:rPr>");
    }
    x.push_str(&format!(
        r#"<w:t xml:space="preserve">{}</w:t></w:r>"#,
        text(&r.text)
    ));
}

fn para_xml(x: &mut String, p: &Para, id: &dyn Fn(Style) -> String) {
    x.push_str(&format!(
        r#"<w:p><w:pPr><w:pStyle w:val="{}"/>"#,
        id(p.style)
    ));
    if p.align_right {
        x.push_str(r#"<w:jc w:val="right"/>"#);
    }
    if let Some(o) = p.section_end {
        x.push_str(&section_xml(o));
    }
    x.push_str("</w:pPr>");
    for r in &p.runs {
        run_xml(x, r);
    }
    x.push_str("</w:p>");
}

fn table_xml(x: &mut String, t: &Table, id: &dyn Fn(Style) -> String) {
    let total: usize = t.widths.iter().sum();
    x.push_str(&format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="{}"/><w:tblW w:w="{total}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>"#,
        id(Style::Table)
    ));
    for w in &t.widths {
        x.push_str(&format!(r#"<w:gridCol w:w="{w}"/>"#));
    }
    x.push_str("</w:tblGrid>");
    let row = |x: &mut String, cells: &[String], header: bool, bold: bool| {
        x.push_str("<w:tr>");
        // The header row repeats on every page and never splits; no row splits over pages.
        x.push_str(if header {
            "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        } else {
            "<w:trPr><w:cantSplit/></w:trPr>"
        });
        for (j, c) in cells.iter().enumerate() {
            x.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr>"#,
                t.widths.get(j).copied().unwrap_or(0)
            ));
            para_xml(
                x,
                &Para {
                    style: Style::Normal,
                    runs: vec![Run {
                        text: c.clone(),
                        bold,
                        size: Some(t.size),
                    }],
                    align_right: t.right.get(j).copied().unwrap_or(false),
                    section_end: None,
                },
                id,
            );
            x.push_str("</w:tc>");
        }
        x.push_str("</w:tr>");
    };
    row(x, &t.header, true, true);
    for (cells, bold) in &t.rows {
        row(x, cells, false, *bold);
    }
    x.push_str("</w:tbl>");
}

/// Section properties: A4 in the orientation, 2 cm margins, the footer with page numbers.
fn section_xml(o: Orientation) -> String {
    let (w, h, orient) = match o {
        Orientation::Portrait => (A4_SHORT, A4_LONG, ""),
        Orientation::Landscape => (A4_LONG, A4_SHORT, r#" w:orient="landscape""#),
    };
    format!(
        r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/><w:type w:val="nextPage"/><w:pgSz w:w="{w}" w:h="{h}"{orient}/><w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#
    )
}

/// A field (`PAGE`, `NUMPAGES`) with its last computed value.
fn field(instr: &str) -> String {
    format!(
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
    )
}

/// The footer: "pagina X van Y", right-aligned.
fn footer_xml(id: &dyn Fn(Style) -> String) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="{}"/><w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">pagina </w:t></w:r>{}<w:r><w:t xml:space="preserve"> van </w:t></w:r>{}</w:p></w:ftr>"#,
        id(Style::Footer),
        field("PAGE"),
        field("NUMPAGES")
    )
}

fn settings_xml() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/><w:themeFontLang w:val="{LANG}"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

/// The fonts: Arial, with its metrics (so a missing Arial is replaced by a sans-serif font of
/// the same widths, such as Liberation Sans).
fn font_table_xml() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="{W}"><w:font w:name="Arial"><w:altName w:val="Liberation Sans"/><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>"#
    )
}

fn core_xml(meta: &Meta, organisation: &str) -> String {
    let when = format!("{}T00:00:00Z", meta.date);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy><dc:language>{LANG}</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>"#,
        text(meta.title),
        text(organisation),
        text(organisation)
    )
}

fn app_xml(organisation: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>hdv {}</Application><Company>{}</Company></Properties>"#,
        env!("CARGO_PKG_VERSION"),
        text(organisation)
    )
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

fn document_rels(theme: bool, numbering: bool) -> String {
    let rel = |id: &str, kind: &str, target: &str| {
        format!(
            r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#
        )
    };
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    x.push_str(&rel("rIdStyles", "styles", "styles.xml"));
    x.push_str(&rel("rIdSettings", "settings", "settings.xml"));
    x.push_str(&rel("rIdFonts", "fontTable", "fontTable.xml"));
    x.push_str(&rel("rIdFooter", "footer", "footer1.xml"));
    if theme {
        x.push_str(&rel("rIdTheme", "theme", "theme/theme1.xml"));
    }
    if numbering {
        x.push_str(&rel("rIdNumbering", "numbering", "numbering.xml"));
    }
    x.push_str("</Relationships>");
    x
}

fn content_types(theme: bool, numbering: bool) -> String {
    let part = |name: &str, kind: &str| {
        format!(
            r#"<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.{kind}"/>"#
        )
    };
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>"#,
    );
    x.push_str(&part(
        "word/document.xml",
        "wordprocessingml.document.main+xml",
    ));
    x.push_str(&part("word/styles.xml", "wordprocessingml.styles+xml"));
    x.push_str(&part("word/settings.xml", "wordprocessingml.settings+xml"));
    x.push_str(&part(FONT_TABLE, "wordprocessingml.fontTable+xml"));
    x.push_str(&part("word/footer1.xml", "wordprocessingml.footer+xml"));
    if theme {
        x.push_str(&part(THEME, "theme+xml"));
    }
    if numbering {
        x.push_str(&part(NUMBERING, "wordprocessingml.numbering+xml"));
    }
    x.push_str(r#"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#);
    x.push_str(&part("docProps/app.xml", "extended-properties+xml"));
    x.push_str("</Types>");
    x
}

fn fail(e: impl std::fmt::Display) -> Error {
    Error::Render(format!("het Word-document kan niet gemaakt worden: {e}"))
}

/// The parts as a zip package; every entry dated `date` (the run's), so the same inputs on
/// the same date give the same bytes.
fn zip_parts(parts: &BTreeMap<&str, Vec<u8>>, date: &str) -> Result<Vec<u8>> {
    let stamp = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .and_then(|d| {
            use chrono::Datelike;
            zip::DateTime::from_date_and_time(
                d.year() as u16,
                d.month() as u8,
                d.day() as u8,
                0,
                0,
                0,
            )
            .ok()
        })
        .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp);
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // `[Content_Types].xml` first, as Word writes it.
    let order = parts
        .keys()
        .filter(|k| **k == "[Content_Types].xml")
        .chain(parts.keys().filter(|k| **k != "[Content_Types].xml"));
    for name in order {
        out.start_file(*name, options).map_err(fail)?;
        out.write_all(&parts[name]).map_err(fail)?;
    }
    Ok(out.finish().map_err(fail)?.into_inner())
}

/// A reference document: its styles and the parts they rely on.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    /// Where it was read from, for messages.
    file: String,
    styles: String,
    /// The theme, numbering and font table, when it has them.
    parts: BTreeMap<&'static str, Vec<u8>>,
    /// The organisation its properties name (`Company`).
    company: Option<String>,
}

impl Reference {
    /// Reads a reference document (`file` names it in messages).
    pub(crate) fn read(file: &str, bytes: &[u8]) -> Result<Reference> {
        let bad = |why: String| {
            Error::Render(format!(
                "{file}: geen bruikbaar Word-document als huisstijl ({why})"
            ))
        };
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| bad(format!("geen docx-pakket: {e}")))?;
        let mut read = |name: &str| -> Option<Vec<u8>> {
            let mut f = zip.by_name(name).ok()?;
            let mut b = Vec::new();
            f.read_to_end(&mut b).ok()?;
            Some(b)
        };
        let styles =
            read("word/styles.xml").ok_or_else(|| bad("het bevat geen word/styles.xml".into()))?;
        let styles =
            String::from_utf8(styles).map_err(|_| bad("word/styles.xml is geen UTF-8".into()))?;
        let mut parts = BTreeMap::new();
        for name in [THEME, NUMBERING, FONT_TABLE] {
            if let Some(b) = read(name) {
                parts.insert(name, b);
            }
        }
        let company = read("docProps/app.xml")
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|x| element_text(&x, "Company"))
            .filter(|c| !c.trim().is_empty());
        let r = Reference {
            file: file.to_string(),
            styles,
            parts,
            company,
        };
        // Read the styles now, so a broken reference is refused before anything is written.
        r.merged_styles()?;
        Ok(r)
    }

    /// The reference's `styles.xml` with the document language set to nl-BE and the styles
    /// it lacks added from ours; the id of each of our styles in it.
    fn merged_styles(&self) -> Result<(String, BTreeMap<Style, String>)> {
        let bad = |why: String| {
            Error::Render(format!(
                "{}: word/styles.xml kan niet gelezen worden ({why})",
                self.file
            ))
        };
        let scan = scan_styles(&self.styles).map_err(bad)?;
        // Each of our styles: the reference's with the same built-in name, else the one with
        // our id when it is of the same kind and has no other name, else ours (under our id,
        // or `hdv<id>` when the reference uses that id for another style).
        let mut ids: BTreeMap<Style, String> = BTreeMap::new();
        let mut missing = Vec::new();
        for s in STYLES {
            // Word writes "heading 1", LibreOffice "Heading 1"; an exact match goes first
            // (LibreOffice keeps a "Caption" of its own beside Word's "caption").
            let named = |exact: bool| {
                scan.styles.iter().find(|x| {
                    x.kind == s.kind()
                        && x.name.as_deref().is_some_and(|n| {
                            if exact {
                                n == s.name()
                            } else {
                                n.eq_ignore_ascii_case(s.name())
                            }
                        })
                })
            };
            let by_name = named(true).or_else(|| named(false));
            match by_name {
                Some(x) => {
                    ids.insert(s, x.id.clone());
                }
                None => {
                    let taken = scan.styles.iter().any(|x| x.id == s.id());
                    let id = if taken {
                        format!("hdv{}", s.id())
                    } else {
                        s.id().to_string()
                    };
                    ids.insert(s, id);
                    missing.push(s);
                }
            }
        }
        let id = |s: Style| ids[&s].clone();
        let mut added = String::new();
        for s in &missing {
            added.push_str(&s.definition(&ids[s], &id));
        }
        let x = &self.styles;
        let mut out = String::with_capacity(x.len() + added.len() + 200);
        // The language: replace the default's, or add it to the defaults.
        match (scan.default_lang, scan.default_rpr_end, scan.defaults_end) {
            (Some((a, b)), _, _) => {
                out.push_str(&x[..a]);
                out.push_str(&lang());
                out.push_str(&x[b..scan.styles_end]);
            }
            (None, Some(at), _) => {
                out.push_str(&x[..at]);
                out.push_str(&lang());
                out.push_str(&x[at..scan.styles_end]);
            }
            (None, None, Some(at)) => {
                out.push_str(&x[..at]);
                out.push_str(&format!(
                    "<w:rPrDefault><w:rPr>{}</w:rPr></w:rPrDefault>",
                    lang()
                ));
                out.push_str(&x[at..scan.styles_end]);
            }
            (None, None, None) => {
                out.push_str(&x[..scan.styles_start]);
                out.push_str(&format!(
                    "<w:docDefaults><w:rPrDefault><w:rPr>{}</w:rPr></w:rPrDefault></w:docDefaults>",
                    lang()
                ));
                out.push_str(&x[scan.styles_start..scan.styles_end]);
            }
        }
        out.push_str(&added);
        out.push_str(&x[scan.styles_end..]);
        Ok((out, ids))
    }
}

/// One `w:style` of a styles part.
#[derive(Debug)]
struct ScannedStyle {
    id: String,
    kind: String,
    name: Option<String>,
}

/// What the merge needs to know of a styles part, as byte offsets into it.
#[derive(Debug, Default)]
struct Scan {
    styles: Vec<ScannedStyle>,
    /// Just after `<w:styles …>`.
    styles_start: usize,
    /// At `</w:styles>`.
    styles_end: usize,
    /// The span of `<w:lang …/>` in the default run properties.
    default_lang: Option<(usize, usize)>,
    /// At `</w:rPr>` of the default run properties.
    default_rpr_end: Option<usize>,
    /// Just after `<w:docDefaults>`.
    defaults_end: Option<usize>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Finds the styles, the default language and the places to insert into a styles part.
fn scan_styles(xml: &str) -> std::result::Result<Scan, String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut scan = Scan::default();
    // The open elements, by local name.
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut closed = false;
    let is = |path: &[Vec<u8>], want: &[&[u8]]| {
        path.len() == want.len() && path.iter().zip(want).all(|(a, b)| a.as_slice() == *b)
    };
    loop {
        let before = r.buffer_position() as usize;
        let ev = r.read_event().map_err(|e| e.to_string())?;
        let after = r.buffer_position() as usize;
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = e.local_name().as_ref().as_bytes().to_vec();
                let empty = matches!(ev, Event::Empty(_));
                if path.is_empty() && local == b"styles" && !empty {
                    scan.styles_start = after;
                } else if is(&path, &[b"styles"]) && local == b"docDefaults" && !empty {
                    scan.defaults_end = Some(after);
                } else if is(&path, &[b"styles"]) && local == b"style" {
                    scan.styles.push(ScannedStyle {
                        id: attr(e, "styleId").unwrap_or_default(),
                        kind: attr(e, "type").unwrap_or_else(|| "paragraph".into()),
                        name: None,
                    });
                } else if is(&path, &[b"styles", b"style"]) && local == b"name" {
                    if let Some(s) = scan.styles.last_mut() {
                        s.name = attr(e, "val");
                    }
                } else if is(&path, &[b"styles", b"docDefaults", b"rPrDefault", b"rPr"])
                    && local == b"lang"
                    && empty
                {
                    scan.default_lang = Some((before, after));
                }
                if !empty {
                    path.push(local);
                }
            }
            Event::End(_) => {
                let local = path.pop().unwrap_or_default();
                if path.is_empty() && local == b"styles" {
                    scan.styles_end = before;
                    closed = true;
                } else if is(&path, &[b"styles", b"docDefaults", b"rPrDefault"]) && local == b"rPr"
                {
                    scan.default_rpr_end = Some(before);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !closed {
        return Err("geen w:styles-element".into());
    }
    Ok(scan)
}

/// The text of the first element `name` in `xml`.
fn element_text(xml: &str, name: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut r = quick_xml::Reader::from_str(xml);
    let mut inside = false;
    loop {
        match r.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == name => inside = true,
            Event::Text(t) if inside => {
                return Some(
                    t.xml_content(quick_xml::XmlVersion::Implicit1_0)
                        .into_owned(),
                );
            }
            Event::End(_) if inside => return Some(String::new()),
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts of a package, by name.
    fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut s = String::new();
                f.read_to_string(&mut s).unwrap();
                (f.name().unwrap().to_string(), s)
            })
            .collect()
    }

    fn sample() -> Document {
        let mut d = Document::new();
        d.paragraph(Style::Title, "Titel & <meer>");
        d.paragraph(Style::Heading1, "Vraag 1");
        d.orientation(Orientation::Landscape);
        d.paragraph(Style::Caption, "Tabel 1. Breed");
        d.table(Table {
            widths: vec![2000, 1000],
            size: 18,
            header: vec!["Gevangenis".into(), "2024".into()],
            right: vec![false, true],
            rows: vec![(vec!["Gent".into(), "1.234".into()], false)],
        });
        d.orientation(Orientation::Portrait);
        d.paragraph(Style::Normal, "Slot\u{1}tekst");
        d
    }

    const META: Meta = Meta {
        title: "Titel & <meer>",
        date: "2026-01-01",
    };

    #[test]
    fn a_document_has_its_styles_language_footer_and_properties() {
        let parts = unzip(&sample().package(&META, None).unwrap());
        let doc = &parts["word/document.xml"];
        assert!(doc.contains(r#"<w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">Titel &amp; &lt;meer&gt;</w:t>"#), "{doc}");
        assert!(doc.contains(r#"<w:pStyle w:val="Heading1"/>"#));
        // The control character became a space.
        assert!(doc.contains("Slot tekst"));
        // The landscape section ends with the caption's section: two sections, the body's
        // last one upright.
        assert_eq!(doc.matches("<w:sectPr>").count(), 3, "{doc}");
        assert_eq!(doc.matches(r#"w:orient="landscape""#).count(), 1);
        assert!(doc.ends_with(&format!(
            "{}</w:body></w:document>",
            section_xml(Orientation::Portrait)
        )));
        assert!(doc.contains("<w:tblHeader/>"));
        let styles = &parts["word/styles.xml"];
        assert!(styles.contains(r#"<w:lang w:val="nl-BE""#));
        for s in STYLES {
            assert!(styles.contains(&format!(
                r#"w:styleId="{}"><w:name w:val="{}"/>"#,
                s.id(),
                s.name()
            )));
        }
        assert!(parts["word/footer1.xml"].contains(" PAGE "));
        let core = &parts["docProps/core.xml"];
        assert!(
            core.contains("<dc:title>Titel &amp; &lt;meer&gt;</dc:title>"),
            "{core}"
        );
        assert!(core.contains("<dc:creator>Vlaamse overheid</dc:creator>"));
        assert!(core.contains(">2026-01-01T00:00:00Z</dcterms:created>"));
        assert!(parts["docProps/app.xml"].contains("<Company>Vlaamse overheid</Company>"));
        // Same inputs, same bytes.
        assert_eq!(
            sample().package(&META, None).unwrap(),
            sample().package(&META, None).unwrap()
        );
    }

    /// A styles part as a Dutch Word writes it: localised ids, English built-in names.
    const DUTCH: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Huisletter"/><w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Standaard"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/><w:basedOn w:val="Standaard"/><w:rPr><w:color w:val="C00000"/></w:rPr></w:style><w:style w:type="character" w:styleId="Tabelnoot"><w:name w:val="Iets anders"/></w:style></w:styles>"#;

    fn reference(styles: &str) -> Reference {
        let mut parts = BTreeMap::new();
        parts.insert("word/styles.xml", styles.as_bytes().to_vec());
        parts.insert(
            "docProps/app.xml",
            b"<Properties><Company>Departement Zorg</Company></Properties>".to_vec(),
        );
        parts.insert(THEME, b"<a:theme/>".to_vec());
        Reference::read("huisstijl.docx", &zip_parts(&parts, "2026-01-01").unwrap()).unwrap()
    }

    #[test]
    fn a_reference_documents_styles_win_and_ours_fill_the_gaps() {
        let r = reference(DUTCH);
        let parts = unzip(&sample().package(&META, Some(&r)).unwrap());
        let styles = &parts["word/styles.xml"];
        // Its own definitions stay; the language becomes nl-BE.
        assert!(styles.contains(r#"<w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/><w:basedOn w:val="Standaard"/><w:rPr><w:color w:val="C00000"/></w:rPr></w:style>"#));
        assert!(
            styles.contains(r#"<w:rFonts w:ascii="Huisletter"/><w:lang w:val="nl-BE""#),
            "{styles}"
        );
        assert!(!styles.contains("en-US"));
        // Ours are added under a free id, based on its Normal.
        assert!(styles.contains(r#"w:styleId="hdvTabelnoot"><w:name w:val="Tabelnoot"/><w:basedOn w:val="Standaard"/>"#), "{styles}");
        assert!(styles.contains(
            r#"w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Standaard"/>"#
        ));
        assert_eq!(styles.matches("<w:name w:val=\"heading 1\"/>").count(), 1);
        // The document uses its ids.
        let doc = &parts["word/document.xml"];
        assert!(doc.contains(r#"<w:pStyle w:val="Kop1"/>"#));
        assert!(!doc.contains(r#"<w:pStyle w:val="Heading1"/>"#));
        assert!(!doc.contains(r#"<w:pStyle w:val="Normal"/>"#));
        assert!(parts["docProps/core.xml"].contains("<dc:creator>Departement Zorg</dc:creator>"));
        assert_eq!(parts[THEME], "<a:theme/>");
        assert!(parts["word/_rels/document.xml.rels"].contains("theme/theme1.xml"));
        assert!(parts["[Content_Types].xml"].contains("/word/theme/theme1.xml"));
    }

    #[test]
    fn a_reference_without_defaults_gets_the_language_and_a_broken_one_is_named() {
        let bare = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"#;
        let (styles, _) = reference(bare).merged_styles().unwrap();
        assert!(styles.starts_with(r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="nl-BE""#), "{styles}");
        let e = Reference::read("templates/antwoorden/huisstijl.docx", b"geen zip")
            .unwrap_err()
            .to_string();
        assert!(e.contains("templates/antwoorden/huisstijl.docx"), "{e}");
        let mut parts = BTreeMap::new();
        parts.insert("word/styles.xml", b"<w:styles><w:style>".to_vec());
        let e = Reference::read("h.docx", &zip_parts(&parts, "2026-01-01").unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("h.docx: word/styles.xml kan niet gelezen worden"),
            "{e}"
        );
    }
}
