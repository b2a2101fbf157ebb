//! The mapping from the OSLO vocabulary to the tables (`plans/oslo/hdg.yaml`), the concept
//! table (`plans/oslo/begrippen.yaml`) and the prisons to match (`plans/gevangenissen.yaml`),
//! read and checked once per run. No Rust names a class or a property: a namespace or a
//! property variant is a line in the YAML.

use super::path::{self, Path};
use crate::contract::{Column, Kind, Source};
use crate::diagnostic::{Diagnostic, Diagnostics, quoted};
use crate::model::Prison;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// `hdg.yaml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    prefixen: BTreeMap<String, String>,
    /// IRIs read as another: a namespace (ending in `#` or `/`) or one IRI, as the variant a
    /// delivery writes → as the mapping names it.
    #[serde(default)]
    varianten: BTreeMap<String, String>,
    /// Reusable paths, by name (`@naam` in a path); a path may use those above it.
    #[serde(default)]
    paden: serde_json::Map<String, serde_json::Value>,
    /// Where a resource's name is (an organiser, a prison, a funded item).
    namen: String,
    /// Where a resource's identifiers are (matched against the prisons' `ids`).
    #[serde(default)]
    identificatoren: Option<String>,
    levering: DeliveryFile,
    #[serde(default)]
    bekende_klassen: Vec<String>,
    #[serde(default)]
    bekende_eigenschappen: Vec<String>,
    tabellen: BTreeMap<String, TableFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeliveryFile {
    klassen: Vec<String>,
    #[serde(default)]
    leverancier: Option<String>,
    #[serde(default)]
    extractiedatum: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    /// Class: the code it gives the column read `als: klasse`.
    klassen: BTreeMap<String, String>,
    kolommen: BTreeMap<String, ColumnFile>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ColumnFile {
    Path(String),
    Paths(Vec<String>),
    Full(ColumnFull),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnFull {
    /// One path, or several tried in order (the first that gives a value counts).
    #[serde(default)]
    pad: Option<OneOrMany>,
    /// `naam` (default: a resource's name), `id` (its IRI), `klasse` (the code of its class).
    #[serde(default)]
    als: Option<String>,
    /// Several values: `rijen` (a row per value), `lijst` (joined with `, `) or `eerste` (the
    /// smallest); else an error.
    #[serde(default)]
    meerdere: Option<String>,
    /// `datum`: the column is the year of a date.
    #[serde(default)]
    uit: Option<String>,
    /// Keep only resources of these classes.
    #[serde(default)]
    klassen: Vec<String>,
    /// The concept list of `begrippen.yaml` (default: the column's name; `beleidsdomein`
    /// for a domain).
    #[serde(default)]
    begrippen: Option<String>,
    /// What the column holds, in Dutch, for messages.
    #[serde(default)]
    omschrijving: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// How a column's value is read from the resources a path reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum As {
    Name,
    Id,
    Class,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Many {
    Error,
    Rows,
    List,
    /// The smallest value (the first year of a series that runs over the new year).
    First,
}

#[derive(Debug)]
pub(crate) struct ColumnMap {
    pub column: Column,
    pub paths: Vec<Path>,
    pub as_: As,
    pub many: Many,
    pub year_of_date: bool,
    pub classes: Vec<String>,
    /// The concept list, for a code, a domain or an open text list.
    pub concepts: Option<String>,
    pub about: Option<String>,
}

#[derive(Debug)]
pub(crate) struct TableMap {
    pub source: Source,
    /// Class IRI and its code.
    pub classes: Vec<(String, String)>,
    pub columns: Vec<ColumnMap>,
}

/// The delivery's own description.
#[derive(Debug)]
pub(crate) struct DeliveryMap {
    pub classes: Vec<String>,
    pub supplier: Option<Path>,
    pub extracted: Option<Path>,
}

/// The mapping of one project, ready to read deliveries.
#[derive(Debug)]
pub struct Mapping {
    /// `plans/oslo/hdg.yaml` as shown in messages.
    pub(crate) file: String,
    /// A hash of the mapping files and the prisons (cache keys).
    pub(crate) hash: String,
    /// IRIs read as another (namespace or whole IRI), applied while parsing.
    pub(crate) variants: Vec<(String, String)>,
    pub(crate) names: Path,
    pub(crate) identifiers: Option<Path>,
    pub(crate) delivery: DeliveryMap,
    pub(crate) known_classes: HashSet<String>,
    pub(crate) known_properties: HashSet<String>,
    pub(crate) tables: Vec<TableMap>,
    /// List → concept IRI → code.
    pub(crate) concepts: HashMap<String, HashMap<String, String>>,
    /// List → code → the first concept IRI listed for it (to write what is read).
    pub(crate) iris: HashMap<String, BTreeMap<String, String>>,
    /// `begrippen.yaml` as shown in messages.
    pub(crate) concepts_file: String,
    pub(crate) prisons: PrisonIndex,
}

impl Mapping {
    /// The concept IRI a delivery would use for `code` of the concept list `list` (the first
    /// listed in `begrippen.yaml`), if any.
    pub fn concept_iri(&self, list: &str, code: &str) -> Option<&str> {
        self.iris.get(list)?.get(code).map(String::as_str)
    }
}

/// The prisons by code, by name and by identifier.
#[derive(Debug, Default)]
pub(crate) struct PrisonIndex {
    pub codes: HashSet<String>,
    pub by_name: HashMap<String, String>,
    pub by_id: HashMap<String, String>,
}

/// A name compared ignoring case, surrounding and repeated spaces.
pub(crate) fn normal(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl PrisonIndex {
    fn new(prisons: &[Prison]) -> PrisonIndex {
        let mut ix = PrisonIndex::default();
        for p in prisons {
            ix.codes.insert(p.code.clone());
            ix.by_name.insert(normal(&p.naam), p.code.clone());
            for n in &p.namen {
                ix.by_name.insert(normal(n), p.code.clone());
            }
            for id in &p.ids {
                ix.by_id.insert(id.trim().to_string(), p.code.clone());
            }
        }
        ix
    }
}

const RDF_TYPE_SHORT: &str = "rdf:type";

/// Reads `hdg.yaml` and `begrippen.yaml` from `dir` (`plans/oslo`) for `prisons`. `None`
/// when the project has no mapping (`hdg.yaml` absent).
pub fn read_mapping(
    dir: &std::path::Path,
    prisons: &[Prison],
) -> Result<Option<Mapping>, Diagnostics> {
    let path = dir.join("hdg.yaml");
    if !path.exists() {
        return Ok(None);
    }
    let mut diags = Diagnostics::new();
    let Some((text, shown)) = crate::yaml::read_yaml_file(&path, &mut diags) else {
        return Err(diags);
    };
    let Some(f) = crate::yaml::parse_yaml::<File>(&text, &shown, &mut diags) else {
        return Err(diags);
    };
    let cpath = dir.join("begrippen.yaml");
    let concepts_file = crate::diagnostic::display_path(&cpath);
    let concepts_text = if cpath.exists() {
        crate::yaml::read_yaml_file(&cpath, &mut diags).map(|(t, _)| t)
    } else {
        Some(String::new())
    };
    let raw: BTreeMap<String, BTreeMap<String, Vec<String>>> = match &concepts_text {
        Some(t) if !t.trim().is_empty() => {
            crate::yaml::parse_yaml(t, &concepts_file, &mut diags).unwrap_or_default()
        }
        _ => BTreeMap::new(),
    };
    let mut r = Reader {
        shown: &shown,
        prefixes: &f.prefixen,
        named: BTreeMap::new(),
        known_properties: HashSet::new(),
        diags,
    };
    r.read_named_paths(&f.paden);
    r.known_properties
        .insert(super::graph::RDF_TYPE.to_string());
    let names = r.parse_path(&f.namen);
    let identifiers = f.identificatoren.as_deref().and_then(|t| r.parse_path(t));
    let mut delivery = DeliveryMap {
        classes: Vec::new(),
        supplier: f
            .levering
            .leverancier
            .as_deref()
            .and_then(|t| r.parse_path(t)),
        extracted: f
            .levering
            .extractiedatum
            .as_deref()
            .and_then(|t| r.parse_path(t)),
    };
    let tables: Vec<TableMap> = f
        .tabellen
        .iter()
        .filter_map(|(name, t)| r.read_table(name, t))
        .collect();
    delivery.classes = r.expand_all(&f.levering.klassen);
    let known_classes = r.known_classes(&f, &delivery, &tables);
    let _ = RDF_TYPE_SHORT;
    let variants = r.read_variants(&f.varianten);
    let (concepts, iris) = r.read_concepts(&raw, &tables, &concepts_file);
    let Reader {
        known_properties,
        diags,
        ..
    } = r;
    if diags.has_errors() {
        return Err(diags);
    }
    let hash = crate::cache::Key::new()
        .part(&text)
        .part(concepts_text.as_deref().unwrap_or(""))
        .part(serde_json::to_string(prisons).unwrap_or_default())
        .hex();
    Ok(Some(Mapping {
        file: shown,
        hash,
        variants,
        names: names.expect("checked above"),
        identifiers,
        delivery,
        known_classes,
        known_properties,
        tables,
        concepts,
        iris,
        concepts_file,
        prisons: PrisonIndex::new(prisons),
    }))
}

/// The concept lists of `begrippen.yaml`: list → concept IRI → code, and list → code → its
/// first concept IRI.
type Concepts = (
    HashMap<String, HashMap<String, String>>,
    HashMap<String, BTreeMap<String, String>>,
);

/// What reading `hdg.yaml` shares between its parts: the file as shown, its prefixes and
/// named paths, the properties its paths use and the findings so far.
struct Reader<'a> {
    shown: &'a str,
    prefixes: &'a BTreeMap<String, String>,
    named: BTreeMap<String, Path>,
    known_properties: HashSet<String>,
    diags: Diagnostics,
}

impl Reader<'_> {
    /// An error at the first place `needle` appears in `hdg.yaml`.
    fn err(&mut self, needle: &str, m: String) {
        self.diags.push(Diagnostic::error(
            crate::yaml::locate_in_file(self.shown, needle),
            m,
        ));
    }

    /// Named paths, in file order; each may use those above it.
    fn read_named_paths(&mut self, paden: &serde_json::Map<String, serde_json::Value>) {
        for (k, v) in paden {
            let (k, Some(v)) = (k.as_str(), v.as_str()) else {
                self.err(
                    "paden",
                    "`paden:` bevat per regel een naam en een pad (tekst)".into(),
                );
                continue;
            };
            match path::parse(v, self.prefixes, &self.named) {
                Ok(p) => {
                    self.named.insert(k.to_string(), p);
                }
                Err(m) => self.err(v, m),
            }
        }
    }

    /// A path, its predicates noted as known properties.
    fn parse_path(&mut self, text: &str) -> Option<Path> {
        match path::parse(text, self.prefixes, &self.named) {
            Ok(p) => {
                let mut preds = Vec::new();
                p.predicates(&mut preds);
                self.known_properties.extend(preds);
                Some(p)
            }
            Err(m) => {
                self.err(text, m);
                None
            }
        }
    }

    /// The IRIs of `names` (prefixed names expanded); an error for each that is none.
    fn expand_all(&mut self, names: &[String]) -> Vec<String> {
        let mut iris = Vec::new();
        for c in names {
            match path::expand(c, self.prefixes) {
                Ok(i) => iris.push(i),
                Err(m) => self.err(c, m),
            }
        }
        iris
    }

    /// One table under `tabellen:`; `None` when it is no linked-data table.
    fn read_table(&mut self, name: &str, t: &TableFile) -> Option<TableMap> {
        let Some(source) = Source::from_name(name).filter(|s| s.linked()) else {
            self.err(
                name,
                format!(
                    "onbekende tabel `{name}` (mogelijk: {})",
                    Source::LINKED.map(|s| s.name()).join(", ")
                ),
            );
            return None;
        };
        let mut columns = Vec::new();
        for (cname, c) in &t.kolommen {
            if let Some(column) = self.read_column(name, source, cname, c) {
                columns.push(column);
            }
        }
        for c in source.columns().iter().filter(|c| c.required) {
            if !columns.iter().any(|m| m.column.name == c.name) {
                self.err(
                    name,
                    format!(
                        "de verplichte kolom `{}` van {name} staat niet onder `kolommen:`",
                        c.name
                    ),
                );
            }
        }
        let mut classes = Vec::new();
        for (c, code) in &t.klassen {
            match path::expand(c, self.prefixes) {
                Ok(i) => classes.push((i, code.clone())),
                Err(m) => self.err(c, m),
            }
        }
        Some(TableMap {
            source,
            classes,
            columns,
        })
    }

    /// One column of table `name`; `None` when the table has no such column.
    fn read_column(
        &mut self,
        name: &str,
        source: Source,
        cname: &str,
        c: &ColumnFile,
    ) -> Option<ColumnMap> {
        let Some(column) = source.columns().iter().find(|x| x.name == cname) else {
            self.err(
                cname,
                format!(
                    "tabel {name} heeft geen kolom `{cname}` (wel: {})",
                    source
                        .columns()
                        .iter()
                        .map(|c| c.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            return None;
        };
        let full = full_column(c);
        let as_ = match full.als.as_deref() {
            None | Some("naam") => As::Name,
            Some("id") => As::Id,
            Some("klasse") => As::Class,
            Some(other) => {
                self.err(
                    other,
                    format!("`als: {other}` is onbekend (mogelijk: naam, id, klasse)"),
                );
                As::Name
            }
        };
        let many = match full.meerdere.as_deref() {
            None => Many::Error,
            Some("rijen") => Many::Rows,
            Some("lijst") => Many::List,
            Some("eerste") => Many::First,
            Some(other) => {
                self.err(
                    other,
                    format!("`meerdere: {other}` is onbekend (mogelijk: rijen, lijst, eerste)"),
                );
                Many::Error
            }
        };
        let texts: Vec<String> = match &full.pad {
            None if as_ == As::Class => vec![".".into()],
            None => {
                self.err(
                    cname,
                    format!("kolom `{cname}` van {name} heeft geen `pad:`"),
                );
                Vec::new()
            }
            Some(OneOrMany::One(s)) => vec![s.clone()],
            Some(OneOrMany::Many(v)) => v.clone(),
        };
        let paths: Vec<Path> = texts.iter().filter_map(|t| self.parse_path(t)).collect();
        let classes = self.expand_all(&full.klassen);
        let concepts = match (full.begrippen.clone(), column.kind) {
            (Some(l), _) => Some(l),
            (None, Kind::Domain) => Some("beleidsdomein".to_string()),
            (None, Kind::Code(_)) if as_ != As::Class => Some(cname.to_string()),
            _ => None,
        };
        if full.uit.as_deref().is_some_and(|u| u != "datum") {
            self.err(
                cname,
                "`uit:` kent enkel `datum` (het jaar van een datum)".into(),
            );
        }
        Some(ColumnMap {
            column: *column,
            paths,
            as_,
            many,
            year_of_date: full.uit.as_deref() == Some("datum"),
            classes,
            concepts,
            about: full.omschrijving,
        })
    }

    /// The classes a delivery may use: the delivery's, the tables' and columns', and
    /// `bekende_klassen`; `bekende_eigenschappen` added to the known properties.
    fn known_classes(
        &mut self,
        f: &File,
        delivery: &DeliveryMap,
        tables: &[TableMap],
    ) -> HashSet<String> {
        let mut known_classes: HashSet<String> = HashSet::new();
        known_classes.extend(delivery.classes.iter().cloned());
        for t in tables {
            known_classes.extend(t.classes.iter().map(|(c, _)| c.clone()));
            for c in &t.columns {
                known_classes.extend(c.classes.iter().cloned());
            }
        }
        known_classes.extend(self.expand_all(&f.bekende_klassen));
        let properties = self.expand_all(&f.bekende_eigenschappen);
        self.known_properties.extend(properties);
        known_classes
    }

    /// `varianten:`: IRIs read as another.
    fn read_variants(&mut self, varianten: &BTreeMap<String, String>) -> Vec<(String, String)> {
        let mut variants = Vec::new();
        for (from, to) in varianten {
            match (
                path::expand(from, self.prefixes),
                path::expand(to, self.prefixes),
            ) {
                (Ok(a), Ok(b)) => variants.push((a, b)),
                (Err(m), _) | (_, Err(m)) => self.err(from, m),
            }
        }
        variants
    }

    /// The concept table: every code must be one the columns using the list accept.
    fn read_concepts(
        &mut self,
        raw: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
        tables: &[TableMap],
        concepts_file: &str,
    ) -> Concepts {
        let mut concepts: HashMap<String, HashMap<String, String>> = HashMap::new();
        let mut iris: HashMap<String, BTreeMap<String, String>> = HashMap::new();
        let cat = |needle: &str| crate::yaml::locate_in_file(concepts_file, needle);
        for (list, codes) in raw {
            let allowed: Option<Vec<&str>> = tables
                .iter()
                .flat_map(|t| t.columns.iter())
                .find(|c| c.concepts.as_deref() == Some(list.as_str()))
                .and_then(|c| match c.column.kind {
                    Kind::Domain => Some(crate::contract::DOMAINS.to_vec()),
                    Kind::Code(l) => Some(l.to_vec()),
                    _ => None,
                });
            let entry = concepts.entry(list.clone()).or_default();
            for (code, list_iris) in codes {
                if let Some(first) = list_iris.first()
                    && let Ok(i) = path::expand(first, self.prefixes)
                {
                    iris.entry(list.clone())
                        .or_default()
                        .insert(code.clone(), i);
                }
                let iris_of_code = list_iris;
                if let Some(allowed) = &allowed
                    && !allowed.contains(&code.as_str())
                {
                    self.diags.push(Diagnostic::error(
                        cat(code),
                        format!(
                            "{} is geen geldige code voor de lijst {list} (toegelaten: {})",
                            quoted(code),
                            allowed.join(", ")
                        ),
                    ));
                }
                for iri in iris_of_code {
                    match path::expand(iri, self.prefixes) {
                        Ok(i) => {
                            if let Some(other) = entry.insert(i, code.clone())
                                && other != *code
                            {
                                self.diags.push(Diagnostic::error(
                                    cat(iri),
                                    format!(
                                        "begrip {iri} staat in de lijst {list} bij twee codes ({other} en {code})"
                                    ),
                                ));
                            }
                        }
                        Err(m) => self.diags.push(Diagnostic::error(cat(iri), m)),
                    }
                }
            }
        }
        (concepts, iris)
    }
}

/// A column as written, in its full form.
fn full_column(c: &ColumnFile) -> ColumnFull {
    let simple = |pad: OneOrMany| ColumnFull {
        pad: Some(pad),
        als: None,
        meerdere: None,
        uit: None,
        klassen: Vec::new(),
        begrippen: None,
        omschrijving: None,
    };
    match c {
        ColumnFile::Paths(v) => simple(OneOrMany::Many(v.clone())),
        ColumnFile::Path(p) => ColumnFull {
            pad: Some(OneOrMany::One(p.clone())),
            als: None,
            meerdere: None,
            uit: None,
            klassen: Vec::new(),
            begrippen: None,
            omschrijving: None,
        },
        ColumnFile::Full(f) => ColumnFull {
            pad: f.pad.as_ref().map(|p| match p {
                OneOrMany::One(s) => OneOrMany::One(s.clone()),
                OneOrMany::Many(v) => OneOrMany::Many(v.clone()),
            }),
            als: f.als.clone(),
            meerdere: f.meerdere.clone(),
            uit: f.uit.clone(),
            klassen: f.klassen.clone(),
            begrippen: f.begrippen.clone(),
            omschrijving: f.omschrijving.clone(),
        },
    }
}
