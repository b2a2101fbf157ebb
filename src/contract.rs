//! The six sources of `shared/contract/DATA.md` as data: columns, types, required-ness and
//! closed value lists. The loader validates against this, the generator writes it, and the
//! Arrow schema of each registered table follows it column for column.

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use std::fmt;
use std::sync::Arc;

/// A source, named as in DATA.md; the DataFusion table has the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Detenties,
    Deelname,
    Trajecten,
    Aanvragen,
    Uitstroom,
    Middelen,
    /// The offer catalogue (optional, a project extension beyond DATA.md): which group or
    /// individual offer exists in which prison in a year, by which organiser (OSLO
    /// `hdg:Groepsaanbod` / `hdg:IndividueelAanbod`, `Organisator`, `GevangenisVestiging`).
    Aanbod,
}

impl Source {
    pub const ALL: [Source; 7] = [
        Source::Detenties,
        Source::Deelname,
        Source::Trajecten,
        Source::Aanvragen,
        Source::Uitstroom,
        Source::Middelen,
        Source::Aanbod,
    ];

    /// An optional source: a data folder without it is complete (no warning, no missing
    /// source); no indicator reads it.
    pub(crate) fn optional(self) -> bool {
        self == Source::Aanbod
    }

    pub fn name(self) -> &'static str {
        match self {
            Source::Detenties => "detenties",
            Source::Deelname => "deelname",
            Source::Trajecten => "trajecten",
            Source::Aanvragen => "aanvragen",
            Source::Uitstroom => "uitstroom",
            Source::Middelen => "middelen",
            Source::Aanbod => "aanbod",
        }
    }

    pub fn from_name(name: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Dutch description for summaries.
    pub(crate) fn description(self) -> &'static str {
        match self {
            Source::Detenties => "detentieperiodes",
            Source::Deelname => "deelname aan het groepsaanbod",
            Source::Trajecten => "individuele trajecten",
            Source::Aanvragen => "hulpvragen en wachtlijsten",
            Source::Uitstroom => "vrijlatingen met opvolging",
            Source::Middelen => "budget en personeel",
            Source::Aanbod => "aanbodcatalogus",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Source::Detenties => DETENTIES,
            Source::Deelname => DEELNAME,
            Source::Trajecten => TRAJECTEN,
            Source::Aanvragen => AANVRAGEN,
            Source::Uitstroom => UITSTROOM,
            Source::Middelen => MIDDELEN,
            Source::Aanbod => AANBOD,
        }
    }

    /// The Arrow schema of the registered table: the contract's columns in contract order.
    pub fn schema(self) -> SchemaRef {
        let fields: Vec<Field> = self
            .columns()
            .iter()
            .map(|c| Field::new(c.name, c.kind.data_type(), !c.required))
            .collect();
        Arc::new(Schema::new(fields))
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The type of a column's cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, case kept (`persoon_id`, `partner`, `aanbod`, `dienst`, ids).
    Text,
    /// A prison code from the plans' list of prisons.
    Prison,
    /// A domain code (`onderwijs`, `werk`, ...).
    Domain,
    /// One of a closed list of lower-case codes.
    Code(&'static [&'static str]),
    Date,
    YesNo,
    Decimal,
    Integer,
}

impl Kind {
    pub(crate) fn data_type(self) -> DataType {
        match self {
            Kind::Text | Kind::Prison | Kind::Domain | Kind::Code(_) => DataType::Utf8,
            Kind::Date => DataType::Date32,
            Kind::YesNo => DataType::Boolean,
            Kind::Decimal => DataType::Float64,
            Kind::Integer => DataType::Int32,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

const fn col(name: &'static str, kind: Kind, required: bool) -> Column {
    Column {
        name,
        kind,
        required,
    }
}

pub(crate) const DOMAINS: &[&str] = &[
    "onderwijs",
    "werk",
    "welzijn",
    "gezondheid",
    "cultuur",
    "sport",
    "wonen",
];

pub(crate) const REDEN_EINDE: &[&str] = &["vrijlating", "overbrenging", "andere"];
pub(crate) const DEELNAME_STATUS: &[&str] = &["lopend", "voltooid", "stopgezet"];
pub(crate) const AFLOOP: &[&str] = &["lopend", "afgerond", "voortijdig_gestopt"];
pub(crate) const STOPREDEN: &[&str] = &[
    "vrijlating",
    "overbrenging",
    "op_vraag_gedetineerde",
    "op_initiatief_hulpverlener",
    "andere",
];
pub(crate) const AFSLUITREDEN: &[&str] = &["vrijgelaten", "overgebracht", "ingetrokken", "andere"];
/// The kinds of offer of the OSLO standard (`hdg:Groepsaanbod`, `hdg:IndividueelAanbod`).
pub(crate) const SOORT_AANBOD: &[&str] = &["groepsaanbod", "individueel_aanbod"];

const DETENTIES: &[Column] = &[
    col("persoon_id", Kind::Text, true),
    col("gevangenis", Kind::Prison, true),
    col("begin", Kind::Date, true),
    col("einde", Kind::Date, false),
    col("reden_einde", Kind::Code(REDEN_EINDE), false),
];

const DEELNAME: &[Column] = &[
    col("persoon_id", Kind::Text, true),
    col("gevangenis", Kind::Prison, true),
    col("domein", Kind::Domain, true),
    col("partner", Kind::Text, true),
    col("aanbod", Kind::Text, true),
    col("start", Kind::Date, true),
    col("einde", Kind::Date, false),
    col("status", Kind::Code(DEELNAME_STATUS), true),
    col("examen", Kind::YesNo, false),
    col("geslaagd", Kind::YesNo, false),
];

const TRAJECTEN: &[Column] = &[
    col("traject_id", Kind::Text, true),
    col("persoon_id", Kind::Text, true),
    col("gevangenis", Kind::Prison, true),
    col("partner", Kind::Text, true),
    col("domein", Kind::Domain, true),
    col("start", Kind::Date, true),
    col("einde", Kind::Date, false),
    col("afloop", Kind::Code(AFLOOP), true),
    col("stopreden", Kind::Code(STOPREDEN), false),
];

const AANVRAGEN: &[Column] = &[
    col("aanvraag_id", Kind::Text, true),
    col("persoon_id", Kind::Text, true),
    col("gevangenis", Kind::Prison, true),
    col("partner", Kind::Text, true),
    col("dienst", Kind::Text, true),
    col("aanvraag", Kind::Date, true),
    col("start", Kind::Date, false),
    col("afgesloten", Kind::Date, false),
    col("afsluitreden", Kind::Code(AFSLUITREDEN), false),
];

const UITSTROOM: &[Column] = &[
    col("persoon_id", Kind::Text, true),
    col("gevangenis", Kind::Prison, true),
    col("detentie_begin", Kind::Date, true),
    col("vrijlating", Kind::Date, true),
    col("lange_detentiegeschiedenis", Kind::YesNo, true),
    col("werk_kwartaal_1", Kind::YesNo, false),
    col("wederopsluiting", Kind::Date, false),
    col("opvolging_tot", Kind::Date, true),
    col("werk_kwartaal_2", Kind::YesNo, false),
];

const MIDDELEN: &[Column] = &[
    col("jaar", Kind::Integer, true),
    col("gevangenis", Kind::Prison, false),
    col("partner", Kind::Text, true),
    col("domein", Kind::Domain, true),
    col("fte", Kind::Decimal, true),
    col("uitgaven_eur", Kind::Decimal, true),
];

/// The offer catalogue: one row per offer, organiser, prison and year.
const AANBOD: &[Column] = &[
    col("aanbod", Kind::Text, true),
    col("soort", Kind::Code(SOORT_AANBOD), true),
    col("organisator", Kind::Text, true),
    col("gevangenis", Kind::Prison, true),
    col("domein", Kind::Domain, true),
    col("jaar", Kind::Integer, true),
    col("sessiereeksen", Kind::Integer, false),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_has_a_schema_in_contract_order() {
        let s = Source::Uitstroom.schema();
        assert_eq!(s.field(0).name(), "persoon_id");
        assert_eq!(s.field(3).data_type(), &DataType::Date32);
        assert!(!s.field(3).is_nullable());
        assert!(s.field(5).is_nullable());
        assert_eq!(Source::from_name("middelen"), Some(Source::Middelen));
        assert_eq!(Source::from_name("x"), None);
    }
}
