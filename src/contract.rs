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
    /// Linked-data deliveries in the OSLO standard "Hulp- en Dienstverlening aan
    /// Gedetineerden" (`<data>/oslo/`, Turtle, N-Triples or JSON-LD; see `load::linked`)
    /// fill the five tables below, all optional. The offer (`hdg:Groepsaanbod`,
    /// `hdg:IndividueelAanbod`): one row per offer, prison and year.
    OsloAanbod,
    /// Activities (`hdg:Sessiereeks`, `hdg:Sessie`): one row per series or session.
    OsloActiviteiten,
    /// FTE used (`hdg:VoltijdsequivalentGebruik`): one row per use.
    OsloVte,
    /// Funding (`schema:MonetaryGrant`): one row per grant.
    OsloFinanciering,
    /// Population characteristics per prison (`hdg:Populatie`): one row per value.
    OsloPopulatie,
}

impl Source {
    pub const ALL: [Source; 12] = [
        Source::Detenties,
        Source::Deelname,
        Source::Trajecten,
        Source::Aanvragen,
        Source::Uitstroom,
        Source::Middelen,
        Source::Aanbod,
        Source::OsloAanbod,
        Source::OsloActiviteiten,
        Source::OsloVte,
        Source::OsloFinanciering,
        Source::OsloPopulatie,
    ];

    /// The tables filled from linked-data deliveries (`<data>/oslo/`), not from a file or
    /// folder named after the source.
    pub const LINKED: [Source; 5] = [
        Source::OsloAanbod,
        Source::OsloActiviteiten,
        Source::OsloVte,
        Source::OsloFinanciering,
        Source::OsloPopulatie,
    ];

    /// An optional source: a data folder without it is complete (no warning, no missing
    /// source); the indicators that read it are left out without a warning.
    pub(crate) fn optional(self) -> bool {
        self == Source::Aanbod || self.linked()
    }

    /// True for the tables of linked-data deliveries ([`Source::LINKED`]).
    pub fn linked(self) -> bool {
        Source::LINKED.contains(&self)
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
            Source::OsloAanbod => "oslo_aanbod",
            Source::OsloActiviteiten => "oslo_activiteiten",
            Source::OsloVte => "oslo_vte",
            Source::OsloFinanciering => "oslo_financiering",
            Source::OsloPopulatie => "oslo_populatie",
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
            Source::OsloAanbod => "aanbod (OSLO)",
            Source::OsloActiviteiten => "sessiereeksen en sessies (OSLO)",
            Source::OsloVte => "gebruikte voltijdse equivalenten (OSLO)",
            Source::OsloFinanciering => "financiering (OSLO)",
            Source::OsloPopulatie => "populatiekenmerken per gevangenis (OSLO)",
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
            Source::OsloAanbod => OSLO_AANBOD,
            Source::OsloActiviteiten => OSLO_ACTIVITEITEN,
            Source::OsloVte => OSLO_VTE,
            Source::OsloFinanciering => OSLO_FINANCIERING,
            Source::OsloPopulatie => OSLO_POPULATIE,
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

/// The kinds of activity (`hdg:Sessiereeks`, `hdg:Sessie`).
pub(crate) const SOORT_ACTIVITEIT: &[&str] = &["sessiereeks", "sessie"];
/// The status of an activity.
pub(crate) const ACTIVITEIT_STATUS: &[&str] =
    &["gepland", "doorgegaan", "geannuleerd", "verplaatst"];
/// Why an activity was cancelled.
pub(crate) const ANNULATIEREDEN: &[&str] = &[
    "begeleider_afwezig",
    "te_weinig_inschrijvingen",
    "veiligheid",
    "staking",
    "lokaal_niet_beschikbaar",
    "andere",
];
/// The kinds of FTE used.
pub(crate) const VTE_TYPE: &[&str] = &[
    "organiserend_personeel",
    "uitvoerend_personeel",
    "vrijwilligers",
    "fatikken",
];
/// The kinds of funding.
pub(crate) const FINANCIERINGSTYPE: &[&str] = &[
    "subsidie",
    "werkingsmiddelen",
    "personeelsmiddelen",
    "andere",
];
/// The character of funding.
pub(crate) const KARAKTER: &[&str] = &["structureel", "eenmalig"];
/// The policy level of a funder.
pub(crate) const BELEIDSNIVEAU: &[&str] =
    &["europees", "federaal", "vlaams", "provinciaal", "lokaal"];

/// The OSLO offer: one row per offer, prison and year (the years of its activities, else
/// the period of the delivery).
const OSLO_AANBOD: &[Column] = &[
    col("id", Kind::Text, true),
    col("aanbod", Kind::Text, true),
    col("soort", Kind::Code(SOORT_AANBOD), true),
    col("domein", Kind::Domain, true),
    col("categorie", Kind::Text, false),
    col("doelgroep", Kind::Text, false),
    col("organisator", Kind::Text, true),
    col("gevangenis", Kind::Prison, true),
    col("jaar", Kind::Integer, true),
    col("min_deelnemers", Kind::Integer, false),
    col("max_deelnemers", Kind::Integer, false),
];

/// OSLO activities: one row per session series or session.
const OSLO_ACTIVITEITEN: &[Column] = &[
    col("id", Kind::Text, true),
    col("soort", Kind::Code(SOORT_ACTIVITEIT), true),
    col("naam", Kind::Text, false),
    col("aanbod_id", Kind::Text, false),
    col("aanbod", Kind::Text, false),
    col("reeks_id", Kind::Text, false),
    col("domein", Kind::Domain, false),
    col("organisator", Kind::Text, false),
    col("gevangenis", Kind::Prison, true),
    col("start", Kind::Date, false),
    col("einde", Kind::Date, false),
    col("jaar", Kind::Integer, true),
    col("aanmeldingen", Kind::Integer, false),
    col("inschrijvingen", Kind::Integer, false),
    col("status", Kind::Code(ACTIVITEIT_STATUS), false),
    col("annulatiereden", Kind::Code(ANNULATIEREDEN), false),
    col("vervangen_door", Kind::Text, false),
];

/// OSLO FTE used: one row per `hdg:VoltijdsequivalentGebruik`; `gevangenis` empty = not
/// allocated to one prison.
const OSLO_VTE: &[Column] = &[
    col("id", Kind::Text, true),
    col("type", Kind::Code(VTE_TYPE), true),
    col("vte", Kind::Decimal, true),
    col("personen", Kind::Integer, false),
    col("aanbod_id", Kind::Text, false),
    col("aanbod", Kind::Text, false),
    col("domein", Kind::Domain, false),
    col("organisator", Kind::Text, false),
    col("gevangenis", Kind::Prison, false),
    col("jaar", Kind::Integer, true),
];

/// OSLO funding: one row per `schema:MonetaryGrant`; `gevangenis` is where the funded item
/// is located (empty: not located in one prison).
const OSLO_FINANCIERING: &[Column] = &[
    col("id", Kind::Text, true),
    col("bedrag", Kind::Decimal, true),
    col("type", Kind::Code(FINANCIERINGSTYPE), false),
    col("karakter", Kind::Code(KARAKTER), true),
    col("financierder", Kind::Text, true),
    col("domein", Kind::Domain, true),
    col("niveau", Kind::Code(BELEIDSNIVEAU), true),
    col("gefinancierd", Kind::Text, false),
    col("gevangenis", Kind::Prison, false),
    col("start", Kind::Date, false),
    col("einde", Kind::Date, false),
    col("jaar", Kind::Integer, true),
];

/// OSLO population characteristics: one row per value of a characteristic of a prison's
/// population (`Man`: 30; age 18-25: 10).
const OSLO_POPULATIE: &[Column] = &[
    col("gevangenis", Kind::Prison, true),
    col("jaar", Kind::Integer, true),
    col("kenmerk", Kind::Text, true),
    col("waarde", Kind::Text, false),
    col("ondergrens", Kind::Decimal, false),
    col("bovengrens", Kind::Decimal, false),
    col("aantal", Kind::Integer, true),
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
