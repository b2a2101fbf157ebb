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
    let at = |needle: &str| crate::yaml::locate_in_file(&shown, needle);
    let err = |diags: &mut Diagnostics, needle: &str, m: String| {
        diags.push(Diagnostic::error(at(needle), m));
    };
    let prefixes = f.prefixen.clone();
    // Named paths, in file order; each may use those above it.
    let mut named: BTreeMap<String, Path> = BTreeMap::new();
    for (k, v) in &f.paden {
        let (k, Some(v)) = (k.as_str(), v.as_str()) else {
            err(
                &mut diags,
                "paden",
                "`paden:` bevat per regel een naam en een pad (tekst)".into(),
            );
            continue;
        };
        match path::parse(v, &prefixes, &named) {
            Ok(p) => {
                named.insert(k.to_string(), p);
            }
            Err(m) => err(&mut diags, v, m),
        }
    }
    let mut known_properties: HashSet<String> = HashSet::new();
    known_properties.insert(super::graph::RDF_TYPE.to_string());
    let mut parse_path = |diags: &mut Diagnostics, text: &str| -> Option<Path> {
        match path::parse(text, &prefixes, &named) {
            Ok(p) => {
                let mut preds = Vec::new();
                p.predicates(&mut preds);
                known_properties.extend(preds);
                Some(p)
            }
            Err(m) => {
                diags.push(Diagnostic::error(at(text), m));
                None
            }
        }
    };
    let names = parse_path(&mut diags, &f.namen);
    let identifiers = f
        .identificatoren
        .as_deref()
        .and_then(|t| parse_path(&mut diags, t));
    let delivery = DeliveryMap {
        classes: Vec::new(),
        supplier: f
            .levering
            .leverancier
            .as_deref()
            .and_then(|t| parse_path(&mut diags, t)),
        extracted: f
            .levering
            .extractiedatum
            .as_deref()
            .and_then(|t| parse_path(&mut diags, t)),
    };
    let mut tables = Vec::new();
    for (name, t) in &f.tabellen {
        let Some(source) = Source::from_name(name).filter(|s| s.linked()) else {
            err(
                &mut diags,
                name,
                format!(
                    "onbekende tabel `{name}` (mogelijk: {})",
                    Source::LINKED.map(|s| s.name()).join(", ")
                ),
            );
            continue;
        };
        let mut columns = Vec::new();
        for (cname, c) in &t.kolommen {
            let Some(column) = source.columns().iter().find(|x| x.name == cname) else {
                err(
                    &mut diags,
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
                continue;
            };
            let simple = |pad: OneOrMany| ColumnFull {
                pad: Some(pad),
                als: None,
                meerdere: None,
                uit: None,
                klassen: Vec::new(),
                begrippen: None,
                omschrijving: None,
            };
            let full = match c {
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
            };
            let as_ = match full.als.as_deref() {
                None | Some("naam") => As::Name,
                Some("id") => As::Id,
                Some("klasse") => As::Class,
                Some(other) => {
                    err(
                        &mut diags,
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
                    err(
                        &mut diags,
                        other,
                        format!("`meerdere: {other}` is onbekend (mogelijk: rijen, lijst, eerste)"),
                    );
                    Many::Error
                }
            };
            let texts: Vec<String> = match &full.pad {
                None if as_ == As::Class => vec![".".into()],
                None => {
                    err(
                        &mut diags,
                        cname,
                        format!("kolom `{cname}` van {name} heeft geen `pad:`"),
                    );
                    Vec::new()
                }
                Some(OneOrMany::One(s)) => vec![s.clone()],
                Some(OneOrMany::Many(v)) => v.clone(),
            };
            let paths: Vec<Path> = texts
                .iter()
                .filter_map(|t| parse_path(&mut diags, t))
                .collect();
            let mut classes = Vec::new();
            for c in &full.klassen {
                match path::expand(c, &prefixes) {
                    Ok(i) => classes.push(i),
                    Err(m) => err(&mut diags, c, m),
                }
            }
            let concepts = match (full.begrippen.clone(), column.kind) {
                (Some(l), _) => Some(l),
                (None, Kind::Domain) => Some("beleidsdomein".to_string()),
                (None, Kind::Code(_)) if as_ != As::Class => Some(cname.clone()),
                _ => None,
            };
            if full.uit.as_deref().is_some_and(|u| u != "datum") {
                err(
                    &mut diags,
                    cname,
                    "`uit:` kent enkel `datum` (het jaar van een datum)".into(),
                );
            }
            columns.push(ColumnMap {
                column: *column,
                paths,
                as_,
                many,
                year_of_date: full.uit.as_deref() == Some("datum"),
                classes,
                concepts,
                about: full.omschrijving,
            });
        }
        for c in source.columns().iter().filter(|c| c.required) {
            if !columns.iter().any(|m| m.column.name == c.name) {
                err(
                    &mut diags,
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
            match path::expand(c, &prefixes) {
                Ok(i) => classes.push((i, code.clone())),
                Err(m) => err(&mut diags, c, m),
            }
        }
        tables.push(TableMap {
            source,
            classes,
            columns,
        });
    }
    let mut known_classes: HashSet<String> = HashSet::new();
    let mut delivery = delivery;
    for c in &f.levering.klassen {
        match path::expand(c, &prefixes) {
            Ok(i) => delivery.classes.push(i),
            Err(m) => err(&mut diags, c, m),
        }
    }
    known_classes.extend(delivery.classes.iter().cloned());
    for t in &tables {
        known_classes.extend(t.classes.iter().map(|(c, _)| c.clone()));
        for c in &t.columns {
            known_classes.extend(c.classes.iter().cloned());
        }
    }
    for c in &f.bekende_klassen {
        match path::expand(c, &prefixes) {
            Ok(i) => {
                known_classes.insert(i);
            }
            Err(m) => err(&mut diags, c, m),
        }
    }
    for c in &f.bekende_eigenschappen {
        match path::expand(c, &prefixes) {
            Ok(i) => {
                known_properties.insert(i);
            }
            Err(m) => err(&mut diags, c, m),
        }
    }
    let _ = RDF_TYPE_SHORT;
    let mut variants = Vec::new();
    for (from, to) in &f.varianten {
        match (path::expand(from, &prefixes), path::expand(to, &prefixes)) {
            (Ok(a), Ok(b)) => variants.push((a, b)),
            (Err(m), _) | (_, Err(m)) => err(&mut diags, from, m),
        }
    }
    // The concept table: every code must be one the columns using the list accept.
    let mut concepts: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut iris: HashMap<String, BTreeMap<String, String>> = HashMap::new();
    let cat = |needle: &str| crate::yaml::locate_in_file(&concepts_file, needle);
    for (list, codes) in &raw {
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
                && let Ok(i) = path::expand(first, &prefixes)
            {
                iris.entry(list.clone())
                    .or_default()
                    .insert(code.clone(), i);
            }
            let iris_of_code = list_iris;
            if let Some(allowed) = &allowed
                && !allowed.contains(&code.as_str())
            {
                diags.push(Diagnostic::error(
                    cat(code),
                    format!(
                        "{} is geen geldige code voor de lijst {list} (toegelaten: {})",
                        quoted(code),
                        allowed.join(", ")
                    ),
                ));
            }
            for iri in iris_of_code {
                match path::expand(iri, &prefixes) {
                    Ok(i) => {
                        if let Some(other) = entry.insert(i, code.clone())
                            && other != *code
                        {
                            diags.push(Diagnostic::error(
                                cat(iri),
                                format!(
                                    "begrip {iri} staat in de lijst {list} bij twee codes ({other} en {code})"
                                ),
                            ));
                        }
                    }
                    Err(m) => diags.push(Diagnostic::error(cat(iri), m)),
                }
            }
        }
    }
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
