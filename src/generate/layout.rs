//! Partner layouts: how the generated rows look when a partner delivers them from its own
//! system (`hdv generate --deliveries`).
//!
//! Each layout is the mirror image of a delivery profile in `plans/leveringen/`: the profile
//! maps the partner's headers, words and date forms to the contract, the layout here maps the
//! contract to them. The two are written independently; the test
//! `deliveries::partner_layouts_give_the_figures_of_the_contract_layout` proves they agree.

use crate::contract::Source;
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// A generated cell.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Null,
    Text(&'a str),
    Date(NaiveDate),
    YesNo(bool),
    Int(i32),
    Float(f64),
}

impl Value<'_> {
    pub(crate) fn opt_date(d: Option<NaiveDate>) -> Self {
        d.map_or(Value::Null, Value::Date)
    }

    pub(super) fn text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(t) => (*t).to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::YesNo(true) => "ja".into(),
            Value::YesNo(false) => "nee".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f}"),
        }
    }
}

/// How one output cell is made from a contract cell.
#[derive(Debug, Clone, Copy)]
pub enum Form {
    /// Text, numbers and yes/no as the contract writes them; dates as Excel date cells.
    Plain,
    /// A date as text in a `chrono` format (e.g. `%d.%m.%Y`).
    DateText(&'static str),
    /// A code replaced by the partner's word: (contract code, their word).
    Words(&'static [(&'static str, &'static str)]),
    /// A prison code replaced by the partner's name for it.
    Prison(Names),
    /// Yes/no as `Ja`/`Nee`.
    JaNee,
}

/// A partner's names for the prisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// The official names (`Gevangenis Gent`, `Hulpgevangenis Leuven`, ...).
    Official,
    /// Two forms used side by side (`Gevangenis van Gent`, `PI Gent`), alternating per row.
    Mixed,
    /// The place only (`Gent`, `Leuven-Hulp`, `FPC Gent`).
    Place,
}

/// One column of a partner's file: its header and the contract column it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    /// Index of the contract column in `Source::columns()`.
    pub from: usize,
    pub form: Form,
}

const fn c(header: &'static str, from: usize, form: Form) -> Col {
    Col { header, from, form }
}

/// A partner's export layout.
#[derive(Debug)]
pub struct Layout {
    /// The delivery profile that reads it (`plans/leveringen/<profile>.yaml`).
    pub profile: &'static str,
    pub source: Source,
    /// File name prefix; the file is `<source>/<prefix>-<year>.xlsx`.
    pub prefix: &'static str,
    pub sheet: &'static str,
    /// Title rows above the header (row 1, 2, ...).
    pub title: &'static str,
    /// The label of the extraction date, written in A2 with the date cell in B2.
    pub extraction_label: Option<&'static str>,
    /// 0-based row of the header.
    pub header_row: u32,
    pub columns: &'static [Col],
    /// A totals row under the data: the label in the first column, the row count in `.1`.
    pub totals: Option<(&'static str, usize)>,
}

const AFLOOP_CAW: &[(&str, &str)] = &[
    ("lopend", "In behandeling"),
    ("afgerond", "Beëindigd"),
    ("voortijdig_gestopt", "Afgebroken"),
];
const STOPREDEN_CAW: &[(&str, &str)] = &[
    ("vrijlating", "Vrijlating"),
    ("overbrenging", "Overplaatsing"),
    ("op_vraag_gedetineerde", "Op vraag van cliënt"),
    (
        "op_initiatief_hulpverlener",
        "Op initiatief van hulpverlener",
    ),
    ("andere", "Andere"),
];
const AFLOOP_CGG: &[(&str, &str)] = &[
    ("lopend", "Actief"),
    ("afgerond", "Afgesloten"),
    ("voortijdig_gestopt", "Drop-out"),
];
const STOPREDEN_CGG: &[(&str, &str)] = &[
    ("vrijlating", "Vrijgelaten"),
    ("overbrenging", "Overgeplaatst"),
    ("op_vraag_gedetineerde", "Op vraag van patiënt"),
    ("op_initiatief_hulpverlener", "Door behandelaar"),
    ("andere", "Andere"),
];
const STATUS_ACSY: &[(&str, &str)] = &[
    ("lopend", "Actief"),
    ("voltooid", "Afgewerkt"),
    ("stopgezet", "Uitgeschreven"),
];
const DOMEIN_ACSY: &[(&str, &str)] = &[
    ("onderwijs", "Onderwijs"),
    ("werk", "Werk"),
    ("welzijn", "Welzijn"),
    ("gezondheid", "Gezondheid"),
    ("cultuur", "Cultuur"),
    ("sport", "Sport"),
    ("wonen", "Wonen"),
];
const SOORT_ACSY: &[(&str, &str)] = &[
    ("groepsaanbod", "Groepsaanbod"),
    ("individueel_aanbod", "Individueel aanbod"),
];
const REDEN_SIDIS: &[(&str, &str)] = &[
    ("vrijlating", "Invrijheidstelling"),
    ("overbrenging", "Transfer"),
    ("andere", "Andere"),
];

/// CAW: trajectories from its client registration, title rows, Excel dates, mixed prison
/// names; partner and domain are not in the file.
pub(crate) const CAW: Layout = Layout {
    profile: "caw-trajecten",
    source: Source::Trajecten,
    prefix: "caw",
    sheet: "Export",
    title: "CAW - export trajecten justitieel welzijnswerk",
    extraction_label: Some("Extractiedatum"),
    header_row: 3,
    columns: &[
        c("Dossiernr", 0, Form::Plain),
        c("Cliëntcode", 1, Form::Plain),
        c("Vestiging", 2, Form::Prison(Names::Mixed)),
        c("Startdatum", 5, Form::Plain),
        c("Einddatum", 6, Form::Plain),
        c("Resultaat", 7, Form::Words(AFLOOP_CAW)),
        c("Reden stopzetting", 8, Form::Words(STOPREDEN_CAW)),
    ],
    totals: None,
};

/// CGG: treatment trajectories, dates as `dd.mm.yyyy` text, prisons by place name.
pub(crate) const CGG: Layout = Layout {
    profile: "cgg-trajecten",
    source: Source::Trajecten,
    prefix: "cgg",
    sheet: "Trajecten",
    title: "CGG forensisch netwerk - behandeltrajecten in de gevangenissen",
    extraction_label: None,
    header_row: 1,
    columns: &[
        c("Dossier ID", 0, Form::Plain),
        c("Patiënt", 1, Form::Plain),
        c("Instelling", 2, Form::Prison(Names::Place)),
        c("Begin behandeling", 5, Form::DateText("%d.%m.%Y")),
        c("Einde behandeling", 6, Form::DateText("%d.%m.%Y")),
        c("Afsluiting", 7, Form::Words(AFLOOP_CGG)),
        c("Reden afsluiting", 8, Form::Words(STOPREDEN_CGG)),
    ],
    totals: None,
};

/// ACSY: registrations of participation in the group offer, with a totals row.
pub(crate) const ACSY_DEELNAME: Layout = Layout {
    profile: "acsy-deelname",
    source: Source::Deelname,
    prefix: "acsy-deelname",
    sheet: "Deelnames",
    title: "ACSY - deelnames aan het groepsaanbod",
    extraction_label: Some("Extractiedatum"),
    header_row: 3,
    columns: &[
        c("Gedetineerde", 0, Form::Plain),
        c("Gevangenisvestiging", 1, Form::Prison(Names::Official)),
        c("Beleidsdomein", 2, Form::Words(DOMEIN_ACSY)),
        c("Organisator", 3, Form::Plain),
        c("Groepsaanbod", 4, Form::Plain),
        c("Startdatum", 5, Form::Plain),
        c("Einddatum", 6, Form::Plain),
        c("Status", 7, Form::Words(STATUS_ACSY)),
        c("Examen", 8, Form::JaNee),
        c("Geslaagd", 9, Form::JaNee),
    ],
    totals: Some(("Totaal", 4)),
};

/// ACSY: the offer catalogue (which offer, by whom, in which prison, in the year).
pub(crate) const ACSY_AANBOD: Layout = Layout {
    profile: "acsy-aanbod",
    source: Source::Aanbod,
    prefix: "acsy-aanbod",
    sheet: "Aanbod",
    title: "ACSY - aanbodcatalogus per gevangenisvestiging",
    extraction_label: Some("Extractiedatum"),
    header_row: 3,
    columns: &[
        c("Aanbod", 0, Form::Plain),
        c("Type aanbod", 1, Form::Words(SOORT_ACSY)),
        c("Organisator", 2, Form::Plain),
        c("Gevangenisvestiging", 3, Form::Prison(Names::Official)),
        c("Beleidsdomein", 4, Form::Words(DOMEIN_ACSY)),
        c("Werkjaar", 5, Form::Plain),
        c("Aantal sessiereeksen", 6, Form::Plain),
    ],
    totals: None,
};

/// Sidis Suite: detention periods, dates as `dd-mm-yyyy` text, its own end reasons.
pub(crate) const SIDIS: Layout = Layout {
    profile: "sidis-detenties",
    source: Source::Detenties,
    prefix: "sidis",
    sheet: "Detenties",
    title: "SIDIS Suite - uittreksel detentieperiodes (gepseudonimiseerd)",
    extraction_label: Some("Datum uittreksel"),
    header_row: 3,
    columns: &[
        c("Pseudoniem", 0, Form::Plain),
        c("Inrichting", 1, Form::Prison(Names::Official)),
        c("Datum opsluiting", 2, Form::DateText("%d-%m-%Y")),
        c("Datum ontslag", 3, Form::DateText("%d-%m-%Y")),
        c("Reden ontslag", 4, Form::Words(REDEN_SIDIS)),
    ],
    totals: None,
};

/// Every partner layout, for documentation and tests.
pub const ALL: [&Layout; 5] = [&CAW, &CGG, &ACSY_DEELNAME, &ACSY_AANBOD, &SIDIS];

/// Where a row goes in `--deliveries` mode: the file (relative to the data folder) and its
/// layout (`None`: contract layout).
pub(crate) fn route(source: Source, values: &[Value]) -> (String, Option<&'static Layout>) {
    let year = |i: usize| match values.get(i) {
        Some(Value::Date(d)) => d.year(),
        Some(Value::Int(y)) => *y,
        _ => 0,
    };
    match source {
        Source::Detenties => (format!("detenties/sidis-{}.xlsx", year(2)), Some(&SIDIS)),
        Source::Deelname => (
            format!("deelname/acsy-deelname-{}.xlsx", year(5)),
            Some(&ACSY_DEELNAME),
        ),
        Source::Trajecten => {
            let partner = match values.get(3) {
                Some(Value::Text(p)) => p.to_lowercase(),
                _ => String::new(),
            };
            let layout = match partner.as_str() {
                "caw" => Some(&CAW),
                "cgg" => Some(&CGG),
                _ => None,
            };
            (format!("trajecten/{partner}-{}.xlsx", year(5)), layout)
        }
        Source::Aanbod => (
            format!("aanbod/acsy-aanbod-{}.xlsx", year(5)),
            Some(&ACSY_AANBOD),
        ),
        Source::Aanvragen
        | Source::Uitstroom
        | Source::Middelen
        | Source::OsloAanbod
        | Source::OsloActiviteiten
        | Source::OsloVte
        | Source::OsloFinanciering
        | Source::OsloPopulatie => (format!("{}.xlsx", source.name()), None),
    }
}

/// A cell of a written file.
#[derive(Debug, Clone)]
pub(crate) enum Out<'a> {
    Empty,
    Text(Cow<'a, str>),
    /// An Excel date cell.
    Date(NaiveDate),
    Number(f64),
}

impl Layout {
    /// The partner's cells for one contract row; `n` is the row's number in its file (it
    /// picks between a partner's name forms, without touching the generator's randomness).
    pub(crate) fn cells<'a>(&self, values: &[Value<'a>], n: usize) -> Vec<Out<'a>> {
        self.columns
            .iter()
            .map(|col| out(values[col.from], col.form, n))
            .collect()
    }
}

/// The cell for a contract value `v` in `form`; `n` is the row's number in its file.
pub(super) fn out(v: Value<'_>, form: Form, n: usize) -> Out<'_> {
    match (v, form) {
        (Value::Null, _) => Out::Empty,
        (Value::Date(d), Form::DateText(f)) => Out::Text(d.format(f).to_string().into()),
        (Value::Date(d), _) => Out::Date(d),
        (Value::Text(t), Form::Words(words)) => Out::Text(
            words
                .iter()
                .find(|(code, _)| *code == t)
                .unwrap_or_else(|| panic!("no partner word for `{t}`"))
                .1
                .into(),
        ),
        (Value::Text(t), Form::Prison(names)) => Out::Text(prison_name(t, names, n).into()),
        (Value::Text(t), _) => Out::Text(t.into()),
        (Value::YesNo(b), Form::JaNee) => Out::Text(if b { "Ja" } else { "Nee" }.into()),
        (Value::YesNo(b), _) => Out::Text(if b { "ja" } else { "nee" }.into()),
        (Value::Int(i), _) => Out::Number(f64::from(i)),
        (Value::Float(f), _) => Out::Number(f),
    }
}

/// (code, place, official name)
const PRISON_NAMES: &[(&str, &str, &str)] = &[
    ("antwerpen", "Antwerpen", "Gevangenis Antwerpen"),
    ("beveren", "Beveren", "Gevangenis Beveren"),
    ("brugge", "Brugge", "Gevangenis Brugge"),
    ("dendermonde", "Dendermonde", "Gevangenis Dendermonde"),
    ("gent", "Gent", "Gevangenis Gent"),
    ("hasselt", "Hasselt", "Gevangenis Hasselt"),
    ("haren", "Haren", "Gevangenis Haren"),
    ("hoogstraten", "Hoogstraten", "Gevangenis Hoogstraten"),
    ("ieper", "Ieper", "Gevangenis Ieper"),
    ("kortrijk", "Kortrijk", "Detentiehuis Kortrijk"),
    (
        "leuven-centraal",
        "Leuven-Centraal",
        "Gevangenis Leuven-Centraal",
    ),
    ("leuven-hulp", "Leuven-Hulp", "Hulpgevangenis Leuven"),
    ("mechelen", "Mechelen", "Gevangenis Mechelen"),
    ("merksplas", "Merksplas", "Gevangenis Merksplas"),
    ("oudenaarde", "Oudenaarde", "Gevangenis Oudenaarde"),
    ("ruiselede", "Ruiselede", "Gevangenis Ruiselede"),
    ("sint-gillis", "Sint-Gillis", "Gevangenis Sint-Gillis"),
    ("turnhout", "Turnhout", "Gevangenis Turnhout"),
    ("wortel", "Wortel", "Gevangenis Wortel"),
    (
        "fpc-gent",
        "FPC Gent",
        "Forensisch Psychiatrisch Centrum Gent",
    ),
    (
        "fpc-antwerpen",
        "FPC Antwerpen",
        "Forensisch Psychiatrisch Centrum Antwerpen",
    ),
];

fn prison_name(code: &str, names: Names, n: usize) -> String {
    let &(_, place, official) = PRISON_NAMES
        .iter()
        .find(|p| p.0 == code)
        .unwrap_or_else(|| panic!("no name for prison `{code}`"));
    match names {
        Names::Official => official.to_string(),
        Names::Place => place.to_string(),
        // A forensic centre is never a "gevangenis": its official and its short name.
        Names::Mixed if code.starts_with("fpc-") => {
            if n.is_multiple_of(2) { official } else { place }.to_string()
        }
        Names::Mixed if n.is_multiple_of(2) => format!("Gevangenis van {place}"),
        Names::Mixed => format!("PI {place}"),
    }
}
