//! Linked-data deliveries in the OSLO standard "Hulp- en Dienstverlening aan Gedetineerden"
//! (vocabulary `https://data.vlaanderen.be/ns/hulp-dienstverlening-gedetineerden#`, prefix
//! `hdg:`): Turtle (`.ttl`), N-Triples (`.nt`) and JSON-LD (`.jsonld`, `.json`) files in the
//! folder `<data>/oslo/`, read into the tables `oslo_aanbod`, `oslo_activiteiten`,
//! `oslo_vte`, `oslo_financiering` and `oslo_populatie` (their columns are in `contract`).
//!
//! Each file is parsed into a graph ([`graph`]), then every resource of a class the mapping
//! (`plans/oslo/hdg.yaml`, [`mapping`]) names becomes rows of its table, each column read
//! along a property path ([`path`]). Like the spreadsheets, every finding of a file comes at
//! once, in Dutch, at the place it is about: a syntax error at `file:line:column`, a missing
//! or wrong value at the line where the resource's description starts (Turtle, N-Triples)
//! naming the resource, an unknown class or property as a warning naming the resource and
//! the property.

pub(crate) mod graph;
mod mapping;
pub(crate) mod path;

pub use mapping::{Mapping, read_mapping};

use crate::contract::{Kind, Source};
use crate::diagnostic::{Diagnostic, Diagnostics, quoted};
use chrono::NaiveDate;
use datafusion::arrow::array::{
    ArrayRef, Date32Builder, Float64Builder, Int32Builder, RecordBatch, StringBuilder,
};
use graph::{Graph, Syntax, Term};
use mapping::{As, ColumnMap, Many, TableMap};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;

/// The folder of linked-data deliveries in the data folder.
pub const FOLDER: &str = "oslo";

/// The stack of the thread that reads one delivery.
const PARSE_STACK: usize = 64 << 20;

/// What one delivery says about itself (its `dcat:Dataset`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct About {
    /// Who delivered (`dcterms:publisher`).
    pub supplier: Option<String>,
    /// When it was extracted (`dcterms:issued`), else a date in the file name.
    pub extracted: Option<NaiveDate>,
}

/// The tables one delivery fills (only those with rows), with what it says about itself.
#[derive(Debug, Clone)]
pub struct Read {
    pub tables: Vec<(Source, RecordBatch)>,
    pub about: About,
}

/// True for a file name with a linked-data extension.
pub(crate) fn is_linked_file(name: &str) -> bool {
    Syntax::of(name).is_some()
}

/// Reads the delivery `name` (as shown in messages, relative to the data folder) from
/// `bytes` with `mapping`. Returns the tables when there are no errors, and every finding.
/// A panic in a parser on hostile bytes is an error of the file.
pub fn read_bytes(name: &str, bytes: &[u8], mapping: &Mapping) -> (Option<Read>, Diagnostics) {
    let Some(syntax) = Syntax::of(name) else {
        return (
            None,
            Diagnostics(vec![Diagnostic::error(
                name,
                "geen linked-data-levering (verwacht .ttl, .nt, .jsonld of .json)",
            )]),
        );
    };
    // The JSON-LD reader recurses per level of nesting: the file is read on a thread with a
    // stack of its own, ample for the nesting allowed (graph::MAX_JSON_DEPTH).
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(PARSE_STACK)
            .spawn_scoped(scope, || {
                super::GUARDED.with(|g| g.set(true));
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    read_inner(name, bytes, syntax, mapping)
                }));
                super::GUARDED.with(|g| g.set(false));
                r
            })
            .ok()
            .and_then(|h| h.join().ok())
            .and_then(Result::ok)
    });
    outcome.unwrap_or_else(|| {
        (
            None,
            Diagnostics(vec![Diagnostic::error(
                name,
                "het bestand kan niet gelezen worden: de lezer loopt vast op de inhoud (beschadigd of gemanipuleerd bestand?)",
            )]),
        )
    })
}

/// Reads the delivery at `path` (shown as `name`): refused before reading when over the size
/// limit (`HDV_MAX_RDF_MB`).
pub(crate) fn read_file(
    path: &FsPath,
    name: &str,
    mapping: &Mapping,
) -> (Option<Read>, Diagnostics, String) {
    let fail = |m: String| {
        (
            None,
            Diagnostics(vec![Diagnostic::error(name, m)]),
            String::new(),
        )
    };
    let (max_mb, max_bytes) = crate::limits::mib("HDV_MAX_RDF_MB", graph::DEFAULT_MAX_RDF_MB);
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            return fail(format!(
                "kan niet gelezen worden: {}",
                crate::error::io_message(&e)
            ));
        }
    };
    if size > max_bytes {
        return fail(format!(
            "het bestand is {} MB groot, meer dan de grens van {max_mb} MB voor een linked-data-levering; het wordt niet gelezen. Splits de levering (bv. per gevangenis of per jaar), of zet de omgevingsvariabele HDV_MAX_RDF_MB hoger als ze echt zo groot is",
            size >> 20
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return fail(format!(
                "kan niet gelezen worden: {}",
                crate::error::io_message(&e)
            ));
        }
    };
    let sha = crate::cache::sha256_hex(&bytes);
    let (read, diags) = read_bytes(name, &bytes, mapping);
    let read = read.map(|mut r| {
        if r.about.extracted.is_none() {
            let file = name.rsplit('/').next().unwrap_or(name);
            r.about.extracted = super::Profile::date_in_file_name(file);
        }
        r
    });
    (read, diags, sha)
}

/// Findings of one file, each kind bounded (then counted).
struct Findings {
    diags: Diagnostics,
    errors: usize,
    warnings: usize,
    cap: usize,
}

impl Findings {
    fn push(&mut self, d: Diagnostic) {
        let n = if d.is_error() {
            self.errors += 1;
            self.errors
        } else {
            self.warnings += 1;
            self.warnings
        };
        if n <= self.cap {
            self.diags.push(d);
        }
    }

    fn finish(mut self, name: &str) -> Diagnostics {
        if self.errors > self.cap {
            self.diags.push(Diagnostic::error(
                name,
                format!(
                    "… en nog {} fout(en) in dit bestand",
                    self.errors - self.cap
                ),
            ));
        }
        if self.warnings > self.cap {
            self.diags.push(Diagnostic::warning(
                name,
                format!(
                    "… en nog {} waarschuwing(en) in dit bestand",
                    self.warnings - self.cap
                ),
            ));
        }
        self.diags
    }
}

/// A cell of a table being built.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Null,
    Text(String),
    Int(i32),
    Dec(f64),
    Date(i32),
}

impl Val {
    fn cmp(&self, other: &Val) -> Ordering {
        use Val::*;
        let rank = |v: &Val| match v {
            Null => 0,
            Text(_) => 1,
            Int(_) => 2,
            Dec(_) => 3,
            Date(_) => 4,
        };
        match (self, other) {
            (Text(a), Text(b)) => a.cmp(b),
            (Int(a), Int(b)) | (Date(a), Date(b)) => a.cmp(b),
            (Dec(a), Dec(b)) => a.total_cmp(b),
            _ => rank(self).cmp(&rank(other)),
        }
    }

    fn shown(&self) -> String {
        match self {
            Val::Null => String::new(),
            Val::Text(t) => t.clone(),
            Val::Int(i) => i.to_string(),
            Val::Dec(d) => crate::number::number_text(*d),
            Val::Date(d) => crate::years::from_date32(*d).format("%Y-%m-%d").to_string(),
        }
    }
}

/// A problem with one value, in Dutch, with what was expected.
struct Problem {
    message: String,
    expected: Option<String>,
    /// A warning: the value is used.
    warning: bool,
}

impl Problem {
    fn error(message: impl Into<String>, expected: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            expected: Some(expected.into()),
            warning: false,
        }
    }
}

struct Reader<'a> {
    name: &'a str,
    g: &'a Graph,
    m: &'a Mapping,
    delivery: Vec<u32>,
    rdf_type: Option<u32>,
    findings: Findings,
}

fn read_inner(
    name: &str,
    bytes: &[u8],
    syntax: Syntax,
    mapping: &Mapping,
) -> (Option<Read>, Diagnostics) {
    let base = format!("file:///{}", name.trim_start_matches('/'));
    let parsed = graph::parse(name, bytes, syntax, &base, &mapping.variants);
    let g = &parsed.graph;
    let cap = crate::limits::findings_per_file();
    let mut findings = Findings {
        diags: Diagnostics::new(),
        errors: 0,
        warnings: 0,
        cap,
    };
    let syntax_failed = parsed.diags.has_errors();
    for d in parsed.diags.0 {
        findings.push(d);
    }
    if syntax_failed {
        return (None, findings.finish(name));
    }
    let rdf_type = g.iri_id(graph::RDF_TYPE);
    let delivery: Vec<u32> = {
        let mut v: Vec<u32> = mapping
            .delivery
            .classes
            .iter()
            .filter_map(|c| g.iri_id(c))
            .flat_map(|c| {
                rdf_type
                    .map(|t| g.subjects(c, t).collect::<Vec<_>>())
                    .unwrap_or_default()
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut r = Reader {
        name,
        g,
        m: mapping,
        delivery,
        rdf_type,
        findings,
    };
    r.unknown_terms();
    r.blank_cycles();
    let about = r.about();
    let mut tables = Vec::new();
    for t in &mapping.tables {
        let rows = r.rows(t);
        if !rows.is_empty() {
            tables.push((t.source, batch(t.source, rows)));
        }
    }
    let diags = r.findings.finish(name);
    if diags.has_errors() {
        return (None, diags);
    }
    (Some(Read { tables, about }), diags)
}

fn batch(source: Source, mut rows: Vec<Vec<Val>>) -> RecordBatch {
    rows.sort_by(|a, b| {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.cmp(y))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
    rows.dedup();
    let columns: Vec<ArrayRef> = source
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| -> ArrayRef {
            match c.kind.data_type() {
                datafusion::arrow::datatypes::DataType::Int32 => {
                    let mut b = Int32Builder::new();
                    for r in &rows {
                        b.append_option(match &r[i] {
                            Val::Int(v) => Some(*v),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                datafusion::arrow::datatypes::DataType::Float64 => {
                    let mut b = Float64Builder::new();
                    for r in &rows {
                        b.append_option(match &r[i] {
                            Val::Dec(v) => Some(*v),
                            Val::Int(v) => Some(*v as f64),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                datafusion::arrow::datatypes::DataType::Date32 => {
                    let mut b = Date32Builder::new();
                    for r in &rows {
                        b.append_option(match &r[i] {
                            Val::Date(v) => Some(*v),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                _ => {
                    let mut b = StringBuilder::new();
                    for r in &rows {
                        match &r[i] {
                            Val::Null => b.append_null(),
                            v => b.append_value(v.shown()),
                        }
                    }
                    Arc::new(b.finish())
                }
            }
        })
        .collect();
    RecordBatch::try_new(source.schema(), columns).expect("rows follow the table's schema")
}

const INTEGER_TYPES: &[&str] = &[
    "integer",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "nonPositiveInteger",
    "negativeInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
];
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

fn xsd_local(datatype: &str) -> Option<&str> {
    datatype.strip_prefix(XSD)
}

impl Reader<'_> {
    /// The place of a finding about `subject`: the file and, where the syntax gives one, the
    /// line its description starts on.
    fn at(&self, subject: u32) -> String {
        match self.g.line(subject) {
            Some(l) => format!("{}:{l}", self.name),
            None => self.name.to_string(),
        }
    }

    fn types(&self, node: u32) -> Vec<u32> {
        match self.rdf_type {
            Some(t) => self.g.objects(node, t).collect(),
            None => Vec::new(),
        }
    }

    /// Warnings for every class and property the mapping does not know: one per class or
    /// property, naming the first resource it is used on and how many more.
    fn unknown_terms(&mut self) {
        let g = self.g;
        let mut props: BTreeMap<u32, (u32, usize)> = BTreeMap::new();
        let mut classes: BTreeMap<u32, (u32, usize)> = BTreeMap::new();
        let mut last: Option<(u32, u32)> = None;
        for [s, p, o] in g.triples() {
            let Some(piri) = g.term(*p).iri() else {
                continue;
            };
            if Some(*p) == self.rdf_type {
                let known = g
                    .term(*o)
                    .iri()
                    .is_none_or(|c| self.m.known_classes.contains(c));
                if !known {
                    let e = classes.entry(*o).or_insert((*s, 0));
                    e.1 += 1;
                }
            } else if !self.m.known_properties.contains(piri) && last != Some((*s, *p)) {
                let e = props.entry(*p).or_insert((*s, 0));
                e.1 += 1;
            }
            last = Some((*s, *p));
        }
        let mut found: Vec<(u32, Diagnostic)> = Vec::new();
        let more = |n: usize| {
            if n > 1 {
                format!(" (en bij nog {} andere)", n - 1)
            } else {
                String::new()
            }
        };
        for (p, (s, n)) in props {
            found.push((
                g.line(s).unwrap_or(0),
                Diagnostic::warning(
                    self.at(s),
                    format!(
                        "onbekende eigenschap {} bij {}{}: wordt genegeerd; is het een variant (of tikfout) van een eigenschap van de standaard, verbeter dan de levering of voeg ze toe in {}",
                        g.shown(p),
                        g.shown(s),
                        more(n),
                        self.m.file
                    ),
                ),
            ));
        }
        for (c, (s, n)) in classes {
            found.push((
                g.line(s).unwrap_or(0),
                Diagnostic::warning(
                    self.at(s),
                    format!(
                        "onbekende klasse {} van {}{}: wordt genegeerd; voeg ze toe in {} (onder `bekende_klassen:` of bij een tabel) als ze gelezen moet worden",
                        g.shown(c),
                        g.shown(s),
                        more(n),
                        self.m.file
                    ),
                ),
            ));
        }
        found.sort_by_key(|(l, _)| *l);
        for (_, d) in found {
            self.findings.push(d);
        }
    }

    /// Blank nodes that refer to each other in a cycle: an error per cycle. A blank node
    /// describes something inside one other description; a cycle has no outside to start
    /// from. (Reading never loops on it: paths have no repetition.)
    fn blank_cycles(&mut self) {
        let g = self.g;
        let mut adj: HashMap<u32, Vec<(u32, u32)>> = HashMap::new();
        for [s, p, o] in g.triples() {
            if matches!(g.term(*s), Term::Blank(_)) && matches!(g.term(*o), Term::Blank(_)) {
                adj.entry(*s).or_default().push((*p, *o));
            }
        }
        // 0 unseen, 1 on the stack, 2 done.
        let mut state: HashMap<u32, u8> = HashMap::new();
        let mut starts: Vec<u32> = adj.keys().copied().collect();
        starts.sort_unstable();
        let mut reported = 0usize;
        for start in starts {
            if state.get(&start).copied().unwrap_or(0) != 0 {
                continue;
            }
            // (node, next edge), with the predicate that led to it.
            let mut stack: Vec<(u32, usize, u32)> = vec![(start, 0, 0)];
            state.insert(start, 1);
            while let Some(&mut (node, ref mut i, _)) = stack.last_mut() {
                let edges = adj.get(&node).map(Vec::as_slice).unwrap_or(&[]);
                if *i >= edges.len() {
                    state.insert(node, 2);
                    stack.pop();
                    continue;
                }
                let (p, next) = edges[*i];
                *i += 1;
                match state.get(&next).copied().unwrap_or(0) {
                    0 => {
                        state.insert(next, 1);
                        stack.push((next, 0, p));
                    }
                    1 => {
                        reported += 1;
                        if reported > 5 {
                            continue;
                        }
                        let from = stack.iter().position(|(n, _, _)| *n == next).unwrap_or(0);
                        let mut chain: Vec<String> = vec![g.shown(next)];
                        for (n, _, via) in &stack[from + 1..] {
                            chain.push(format!("{} {}", g.shown(*via), g.shown(*n)));
                        }
                        chain.push(format!("{} {}", g.shown(p), g.shown(next)));
                        self.findings.push(Diagnostic::error(
                            self.at(next),
                            format!(
                                "blanco knopen verwijzen in een kring naar elkaar: {}; een blanco knoop beschrijft iets binnen één andere beschrijving, dus een kring kan niet. Geef deze knopen een IRI of verbreek de kring",
                                chain.join(" → ")
                            ),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }

    /// What the delivery says about itself.
    fn about(&mut self) -> About {
        let mut about = About::default();
        if self.delivery.is_empty() {
            return about;
        }
        if let Some(p) = &self.m.delivery.supplier {
            let v = p.eval(self.g, &self.delivery, &self.delivery);
            let names: BTreeSet<String> = v.iter().filter_map(|n| self.name_of(*n)).collect();
            about.supplier = names.into_iter().next();
        }
        if let Some(p) = &self.m.delivery.extracted {
            for n in p.eval(self.g, &self.delivery, &self.delivery) {
                if let Term::Literal { value, .. } = self.g.term(n)
                    && let Some(d) = date_of(value)
                {
                    about.extracted = Some(d);
                }
            }
        }
        about
    }

    /// The name of a resource (its `namen:` path, Dutch first), or a literal's text.
    fn name_of(&self, node: u32) -> Option<String> {
        if let Term::Literal { value, .. } = self.g.term(node) {
            return Some(value.trim().to_string());
        }
        let mut names: Vec<(u8, String)> = self
            .m
            .names
            .eval(self.g, &[node], &self.delivery)
            .into_iter()
            .filter_map(|n| match self.g.term(n) {
                Term::Literal { value, lang, .. } => {
                    let rank = match lang.as_deref() {
                        Some(l) if l.eq_ignore_ascii_case("nl") || l.starts_with("nl-") => 0,
                        None => 1,
                        Some(_) => 2,
                    };
                    Some((rank, value.trim().to_string()))
                }
                _ => None,
            })
            .filter(|(_, v)| !v.is_empty())
            .collect();
        names.sort();
        names.into_iter().next().map(|(_, v)| v)
    }

    /// The last part of an IRI (after `#` or `/`).
    fn local_name(&self, node: u32) -> Option<String> {
        let iri = self.g.term(node).iri()?;
        let local = iri.rsplit(['#', '/']).next().unwrap_or(iri);
        (!local.is_empty()).then(|| local.to_string())
    }

    /// The rows of table `t`: one per resource of its classes (and per value of a column
    /// read `meerdere: rijen`).
    fn rows(&mut self, t: &TableMap) -> Vec<Vec<Val>> {
        let g = self.g;
        let Some(ty) = self.rdf_type else {
            return Vec::new();
        };
        let mut subjects: Vec<u32> = t
            .classes
            .iter()
            .filter_map(|(c, _)| g.iri_id(c))
            .flat_map(|c| g.subjects(c, ty).collect::<Vec<_>>())
            .collect();
        subjects.sort_unstable();
        subjects.dedup();
        let mut out = Vec::new();
        for s in subjects {
            let class_shown = self
                .types(s)
                .into_iter()
                .find(|c| t.classes.iter().any(|(x, _)| g.term(*c).iri() == Some(x)))
                .map(|c| g.shown(c))
                .unwrap_or_default();
            // Per column of the table, its values (several only for `meerdere: rijen`).
            let mut cells: Vec<Vec<Val>> = Vec::new();
            let mut failed = false;
            for c in t.source.columns() {
                let Some(cm) = t.columns.iter().find(|m| m.column.name == c.name) else {
                    cells.push(vec![Val::Null]);
                    continue;
                };
                match self.column(t, cm, s, &class_shown) {
                    Some(v) => cells.push(v),
                    None => {
                        failed = true;
                        cells.push(vec![Val::Null]);
                    }
                }
            }
            if failed {
                continue;
            }
            // The cross product of the columns' values.
            let mut rows: Vec<Vec<Val>> = vec![Vec::new()];
            for values in &cells {
                rows = rows
                    .into_iter()
                    .flat_map(|r| {
                        values.iter().map(move |v| {
                            let mut r = r.clone();
                            r.push(v.clone());
                            r
                        })
                    })
                    .collect();
            }
            out.extend(rows);
        }
        out
    }

    /// The values of column `cm` for subject `s`, or `None` after reporting an error.
    fn column(
        &mut self,
        t: &TableMap,
        cm: &ColumnMap,
        s: u32,
        class_shown: &str,
    ) -> Option<Vec<Val>> {
        let g = self.g;
        let col = cm.column.name;
        let what = cm.about.as_deref().unwrap_or(col);
        let subject = format!("{} ({class_shown})", g.shown(s));
        let nodes: Vec<u32> = cm
            .paths
            .iter()
            .map(|p| {
                let mut v = p.eval(g, &[s], &self.delivery);
                if !cm.classes.is_empty() {
                    v.retain(|n| {
                        self.types(*n).iter().any(|c| {
                            g.term(*c)
                                .iri()
                                .is_some_and(|c| cm.classes.iter().any(|x| x == c))
                        })
                    });
                }
                v
            })
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        let mut values: Vec<Val> = Vec::new();
        let mut ok = true;
        for n in nodes {
            let r = if cm.as_ == As::Class {
                self.types(n)
                    .into_iter()
                    .find_map(|c| {
                        t.classes
                            .iter()
                            .find(|(x, _)| g.term(c).iri() == Some(x))
                            .map(|(_, code)| Val::Text(code.clone()))
                    })
                    .ok_or_else(|| Problem::error("heeft geen klasse van de tabel", "een klasse"))
            } else {
                self.convert(cm, n)
            };
            match r {
                Ok(v) => values.push(v),
                Err(p) => {
                    let d = if p.warning {
                        Diagnostic::warning(self.at(s), format!("{subject}: {what}: {}", p.message))
                    } else {
                        ok = false;
                        Diagnostic::error(self.at(s), format!("{subject}: {what}: {}", p.message))
                    };
                    self.findings
                        .push(for_partner(d.with_value(col, g.shown(n), p.expected), None));
                    if let Some(v) = p.warning.then(|| self.convert_lenient(cm, n)).flatten() {
                        values.push(v);
                    }
                }
            }
        }
        if !ok {
            return None;
        }
        values.sort_by(|a, b| a.cmp(b));
        values.dedup();
        if values.is_empty() {
            if cm.column.required {
                let d = Diagnostic::error(
                        self.at(s),
                        format!(
                            "{subject}: verplichte waarde ontbreekt: {what} (kolom {col} van {}, gelezen zoals {} zegt)",
                            t.source.name(),
                            self.m.file
                        ),
                    )
                    .with_value(col, "", Some(self.expected(cm)));
                self.findings.push(for_partner(
                    d,
                    Some(format!("{subject}: verplichte waarde ontbreekt: {what}")),
                ));
                return None;
            }
            return Some(vec![Val::Null]);
        }
        match cm.many {
            Many::Rows => Some(values),
            Many::List if values.len() > 1 => Some(vec![Val::Text(
                values.iter().map(Val::shown).collect::<Vec<_>>().join(", "),
            )]),
            Many::First => Some(vec![values.swap_remove(0)]),
            Many::Error if values.len() > 1 => {
                self.findings.push(for_partner(
                    Diagnostic::error(
                        self.at(s),
                        format!(
                            "{subject}: {what} heeft meer dan één waarde ({}); lever er één",
                            values
                                .iter()
                                .map(|v| quoted(&v.shown()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .with_value(
                        col,
                        values.iter().map(Val::shown).collect::<Vec<_>>().join(", "),
                        Some("één waarde".into()),
                    ),
                    None,
                ));
                None
            }
            _ => Some(values),
        }
    }

    /// What a column expects, in words.
    fn expected(&self, cm: &ColumnMap) -> String {
        match cm.column.kind {
            Kind::Integer if cm.year_of_date => {
                "een jaar: een datum (xsd:date) of een jaartal".into()
            }
            Kind::Integer => "een geheel getal (xsd:integer)".into(),
            Kind::Decimal => "een getal (xsd:decimal)".into(),
            Kind::Date => "een datum (xsd:date, jjjj-mm-dd)".into(),
            Kind::Prison => {
                "een gevangenis uit plans/gevangenissen.yaml (naam of identificator)".into()
            }
            Kind::Domain => format!("een beleidsdomein: {}", crate::contract::DOMAINS.join(", ")),
            Kind::Code(l) => format!("een van: {}", l.join(", ")),
            Kind::Text | Kind::YesNo => "een tekst of een benoemde bron".into(),
        }
    }

    /// A value read as text when only a warning was given (a number as plain text).
    fn convert_lenient(&self, cm: &ColumnMap, n: u32) -> Option<Val> {
        let Term::Literal { value, .. } = self.g.term(n) else {
            return None;
        };
        let v = value.trim();
        match cm.column.kind {
            Kind::Integer => v.parse::<i32>().ok().map(Val::Int),
            Kind::Decimal => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .map(Val::Dec),
            _ => None,
        }
    }

    /// One node as a cell of `cm`'s column.
    fn convert(&self, cm: &ColumnMap, n: u32) -> Result<Val, Problem> {
        let g = self.g;
        let term = g.term(n);
        let expected = self.expected(cm);
        match cm.column.kind {
            Kind::Text if cm.as_ == As::Id => Ok(Val::Text(match term {
                Term::Iri(i) => i.to_string(),
                Term::Blank(b) => format!("_:{b}"),
                Term::Literal { value, .. } => value.trim().to_string(),
            })),
            Kind::Text | Kind::YesNo => self.convert_text(cm, n),
            Kind::Prison => self.prison(n),
            Kind::Domain | Kind::Code(_) => self.convert_code(cm, n, expected),
            Kind::Date => self.convert_date(n, expected),
            Kind::Integer => self.convert_integer(cm, n, expected),
            Kind::Decimal => self.convert_decimal(n, expected),
        }
    }

    /// A text or yes/no cell: a literal, the code of a concept, or a resource's name.
    fn convert_text(&self, cm: &ColumnMap, n: u32) -> Result<Val, Problem> {
        let g = self.g;
        let term = g.term(n);
        let text = match (&cm.concepts, term) {
            (_, Term::Literal { value, .. }) => Some(value.trim().to_string()),
            (Some(list), Term::Iri(i)) => self
                .m
                .concepts
                .get(list)
                .and_then(|m| m.get(i.as_ref()))
                .cloned()
                .or_else(|| self.name_of(n))
                .or_else(|| self.local_name(n)),
            _ => self.name_of(n).or_else(|| self.local_name(n)),
        };
        match text {
            Some(t) if t.chars().count() > crate::limits::MAX_CELL_CHARS => Err(Problem::error(
                format!(
                    "de tekst is langer dan {} tekens",
                    crate::limits::MAX_CELL_CHARS
                ),
                "een kortere tekst",
            )),
            Some(t) if !t.is_empty() => Ok(Val::Text(t)),
            _ => Err(Problem::error(
                format!("{} heeft geen naam", g.shown(n)),
                "een naam (bv. skos:prefLabel)",
            )),
        }
    }

    /// A domain or a code: a concept of the list, or a literal that is a code.
    fn convert_code(&self, cm: &ColumnMap, n: u32, expected: String) -> Result<Val, Problem> {
        let g = self.g;
        let term = g.term(n);
        let allowed: &[&str] = match cm.column.kind {
            Kind::Code(l) => l,
            _ => crate::contract::DOMAINS,
        };
        let list = cm.concepts.as_deref().unwrap_or(cm.column.name);
        match term {
            Term::Iri(i) => match self.m.concepts.get(list).and_then(|m| m.get(i.as_ref())) {
                Some(code) => Ok(Val::Text(code.clone())),
                None => Err(Problem::error(
                    format!(
                        "onbekend begrip {} voor {list} (toegelaten codes: {}); voeg het begrip toe onder `{list}:` bij zijn code in {}",
                        g.shown(n),
                        allowed.join(", "),
                        self.m.concepts_file
                    ),
                    expected,
                )),
            },
            Term::Literal { value, .. } => {
                let v = value.trim().to_lowercase();
                if allowed.contains(&v.as_str()) {
                    Ok(Val::Text(v))
                } else {
                    Err(Problem::error(
                        format!(
                            "{} is geen geldige code voor {list} (toegelaten: {})",
                            quoted(value),
                            allowed.join(", ")
                        ),
                        expected,
                    ))
                }
            }
            Term::Blank(_) => Err(Problem::error(
                format!(
                    "verwacht een begrip (een IRI uit {}), maar kreeg een blanco knoop",
                    self.m.concepts_file
                ),
                expected,
            )),
        }
    }

    /// A date: a literal typed xsd:date, xsd:dateTime or plain.
    fn convert_date(&self, n: u32, expected: String) -> Result<Val, Problem> {
        let g = self.g;
        let (value, datatype) = literal(g, n, &expected)?;
        let ok_type = matches!(xsd_local(datatype), Some("date" | "dateTime"))
            || Term::is_plain_string(datatype);
        match date_of(value).filter(|_| ok_type) {
            Some(d) => check_year(d).map(|d| Val::Date(crate::years::date32(d))),
            None => Err(Problem::error(
                format!("{} is geen geldige datum", g.shown(n)),
                expected,
            )),
        }
    }

    /// An integer, or the year of a date for a column read `uit: datum`.
    fn convert_integer(&self, cm: &ColumnMap, n: u32, expected: String) -> Result<Val, Problem> {
        let g = self.g;
        let (value, datatype) = literal(g, n, &expected)?;
        let local = xsd_local(datatype);
        if cm.year_of_date {
            let dated =
                matches!(local, Some("date" | "dateTime")) || Term::is_plain_string(datatype);
            if dated && let Some(d) = date_of(value) {
                return check_year(d).map(|d| Val::Int(chrono::Datelike::year(&d)));
            }
            let yearly =
                local == Some("gYear") || local.is_some_and(|l| INTEGER_TYPES.contains(&l));
            if yearly && let Ok(y) = value.trim().parse::<i32>() {
                return Ok(Val::Int(y));
            }
            return Err(Problem::error(
                format!("{} is geen datum of jaartal", g.shown(n)),
                expected,
            ));
        }
        let typed_int = local.is_some_and(|l| INTEGER_TYPES.contains(&l));
        let typed_dec = matches!(local, Some("decimal" | "double" | "float"));
        let parsed = value.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        match parsed {
            Some(x) if (typed_int || typed_dec) && x.fract() == 0.0 && x.abs() < 2e9 => {
                Ok(Val::Int(x as i32))
            }
            Some(x) if Term::is_plain_string(datatype) && x.fract() == 0.0 && x.abs() < 2e9 => {
                Err(Problem {
                    message: format!(
                        "het getal {} is als tekst geleverd; het wordt gelezen, maar lever het als getal (xsd:integer)",
                        g.shown(n)
                    ),
                    expected: Some(expected),
                    warning: true,
                })
            }
            _ => Err(Problem::error(
                format!("{} is geen geheel getal", g.shown(n)),
                expected,
            )),
        }
    }

    /// A decimal number.
    fn convert_decimal(&self, n: u32, expected: String) -> Result<Val, Problem> {
        let g = self.g;
        let (value, datatype) = literal(g, n, &expected)?;
        let local = xsd_local(datatype);
        let numeric = local.is_some_and(|l| {
            INTEGER_TYPES.contains(&l) || matches!(l, "decimal" | "double" | "float")
        });
        let parsed = value.trim().parse::<f64>().ok().filter(|x| x.is_finite());
        match parsed {
            Some(x) if x.abs() > crate::limits::MAX_DECIMAL => Err(Problem::error(
                format!(
                    "{} is groter dan 10^15 en dus onwaarschijnlijk (een tik- of exportfout?)",
                    g.shown(n)
                ),
                expected,
            )),
            Some(x) if numeric => Ok(Val::Dec(x)),
            Some(_) if Term::is_plain_string(datatype) => Err(Problem {
                message: format!(
                    "het getal {} is als tekst geleverd; het wordt gelezen, maar lever het als getal (xsd:decimal)",
                    g.shown(n)
                ),
                expected: Some(expected),
                warning: true,
            }),
            _ => Err(Problem::error(
                format!("{} is geen getal", g.shown(n)),
                expected,
            )),
        }
    }

    /// A prison resource or text as a prison code: by IRI or identifier (`ids:`), then by
    /// name (`naam`, `namen:`) or code.
    fn prison(&self, n: u32) -> Result<Val, Problem> {
        let g = self.g;
        let ix = &self.m.prisons;
        let found = |v: &str| -> Option<String> {
            let t = v.trim();
            ix.by_id
                .get(t)
                .or_else(|| ix.by_name.get(&mapping::normal(t)))
                .cloned()
                .or_else(|| ix.codes.contains(t).then(|| t.to_string()))
        };
        let mut tried: Vec<String> = Vec::new();
        match g.term(n) {
            Term::Literal { value, .. } => {
                if let Some(c) = found(value) {
                    return Ok(Val::Text(c));
                }
                tried.push(quoted(value));
            }
            term => {
                if let Some(i) = term.iri()
                    && let Some(c) = ix.by_id.get(i)
                {
                    return Ok(Val::Text(c.clone()));
                }
                let ids: Vec<u32> = self
                    .m
                    .identifiers
                    .as_ref()
                    .map(|p| p.eval(g, &[n], &self.delivery))
                    .unwrap_or_default();
                let names: Vec<u32> = self.m.names.eval(g, &[n], &self.delivery);
                for v in ids.iter().chain(&names) {
                    if let Term::Literal { value, .. } = g.term(*v) {
                        if let Some(c) = found(value) {
                            return Ok(Val::Text(c));
                        }
                        tried.push(quoted(value));
                    }
                }
            }
        }
        Err(Problem::error(
            format!(
                "onbekende gevangenis {}{}; voeg de naam (`namen:`) of de identificator (`ids:`) toe bij de gevangenis in plans/gevangenissen.yaml, of verbeter de levering",
                g.shown(n),
                if tried.is_empty() || g.term(n).is_literal() {
                    String::new()
                } else {
                    format!(" (naam of identificator: {})", tried.join(", "))
                }
            ),
            "een gevangenis uit plans/gevangenissen.yaml (naam of identificator)",
        ))
    }
}

/// A finding about a value of a linked-data delivery, for its partner too (the feedback
/// workbook): the column, what it should hold, and `advice` (the message without it).
fn for_partner(d: Diagnostic, advice: Option<String>) -> Diagnostic {
    let partner = crate::diagnostic::Partner {
        header: d.column.clone(),
        expected: d.expected.clone(),
        advice: advice.unwrap_or_else(|| d.message.clone()),
    };
    d.for_partner(partner)
}

/// The value and datatype of literal `n`, or the error that a reference came where a value
/// belongs.
fn literal<'g>(g: &'g Graph, n: u32, expected: &str) -> Result<(&'g str, &'g str), Problem> {
    match g.term(n) {
        Term::Literal {
            value, datatype, ..
        } => Ok((value, datatype)),
        _ => Err(Problem::error(
            format!(
                "verwacht een waarde, maar kreeg een verwijzing naar {}",
                g.shown(n)
            ),
            expected.to_string(),
        )),
    }
}

/// A date written `yyyy-mm-dd` (an `xsd:dateTime` keeps its date).
fn date_of(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    let d = v.get(..10)?;
    if v.len() > 10 && !v[10..].starts_with('T') && !v[10..].starts_with(['+', '-', 'Z']) {
        return None;
    }
    NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()
}

fn check_year(d: NaiveDate) -> Result<NaiveDate, Problem> {
    let min = crate::limits::get("HDV_MIN_YEAR", crate::limits::DEFAULT_MIN_YEAR) as i32;
    if chrono::Datelike::year(&d) < min {
        return Err(Problem::error(
            format!(
                "de datum {} ligt voor {min} en is dus onwaarschijnlijk (grens HDV_MIN_YEAR)",
                d.format("%Y-%m-%d")
            ),
            format!("een datum vanaf {min}"),
        ));
    }
    Ok(d)
}

/// Every linked-data delivery of the folder `<data>/oslo`, sorted by name; hidden files are
/// skipped and other files warned about.
pub(crate) fn discover(dir: &FsPath) -> (Option<PathBuf>, Vec<(PathBuf, String)>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return (None, Vec::new(), diags);
    };
    let folder = entries.filter_map(|e| e.ok().map(|e| e.path())).find(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case(FOLDER))
    });
    let Some(folder) = folder else {
        return (None, Vec::new(), diags);
    };
    let shown_folder = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match std::fs::symlink_metadata(&folder) {
        Ok(m) if m.is_dir() => {}
        _ => {
            diags.push(Diagnostic::error(
                crate::diagnostic::display_path(&folder),
                "de linked-data-leveringen (OSLO) horen in een map `oslo/`; dit is geen map (een symbolische koppeling wordt niet gevolgd)",
            ));
            return (None, Vec::new(), diags);
        }
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for p in paths {
        let n = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if n.starts_with('.') || n.starts_with("~$") {
            continue;
        }
        let shown = crate::diagnostic::display_path(&p);
        let regular = std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file());
        match (is_linked_file(&n), regular) {
            (true, true) => files.push((p, format!("{shown_folder}/{n}"))),
            (true, false) => diags.push(Diagnostic::error(
                shown,
                "levering in `oslo/`: is geen gewoon bestand (een map, koppeling, apparaat of pipe)",
            )),
            (false, _) => diags.push(Diagnostic::warning(
                shown,
                "wordt genegeerd: geen linked-data-levering (.ttl, .nt, .jsonld of .json)",
            )),
        }
    }
    if files.is_empty() {
        diags.push(Diagnostic::warning(
            crate::diagnostic::display_path(&folder),
            "de map `oslo/` bevat geen linked-data-leveringen",
        ));
    }
    (Some(folder), files, diags)
}
