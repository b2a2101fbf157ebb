//! One linked-data delivery parsed into an in-memory graph: every term interned once, the
//! triples as three numbers each, indexed by subject and by object, and for Turtle and
//! N-Triples the line on which each subject is first described.
//!
//! Parsing never stops at the first syntax error: the parsers of the Oxigraph project recover
//! at the next statement, so every syntax error of a file is reported with its line and
//! column. Memory stays bounded: the file size and the number of triples have limits (each
//! message names the environment variable that raises it).

use crate::diagnostic::{Diagnostic, Diagnostics};
use oxrdf::{NamedOrBlankNode, Term as OxTerm, Triple};
use std::collections::HashMap;
use std::rc::Rc;

/// A linked-data file may be at most this many MiB (`HDV_MAX_RDF_MB`): a 31 MB JSON-LD
/// delivery peaks at about 580 MB (the JSON-LD reader buffers), Turtle at about 210 MB.
pub(crate) const DEFAULT_MAX_RDF_MB: u64 = 32;
/// A linked-data file may hold at most this many triples (`HDV_MAX_TRIPLES`).
pub(crate) const DEFAULT_MAX_TRIPLES: u64 = 2_000_000;

pub(crate) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// The syntax of a delivery, from its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Turtle,
    NTriples,
    JsonLd,
}

impl Syntax {
    /// The syntax of a file named `name` (`.ttl`, `.nt`, `.jsonld` or `.json`), if any.
    pub(crate) fn of(name: &str) -> Option<Syntax> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "ttl" => Some(Syntax::Turtle),
            "nt" => Some(Syntax::NTriples),
            "jsonld" | "json" => Some(Syntax::JsonLd),
            _ => None,
        }
    }

    pub(crate) fn word(self) -> &'static str {
        match self {
            Syntax::Turtle => "Turtle",
            Syntax::NTriples => "N-Triples",
            Syntax::JsonLd => "JSON-LD",
        }
    }
}

/// An RDF term.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Term {
    Iri(Box<str>),
    Blank(Box<str>),
    Literal {
        value: Box<str>,
        datatype: Box<str>,
        lang: Option<Box<str>>,
    },
}

impl Term {
    pub(crate) fn iri(&self) -> Option<&str> {
        match self {
            Term::Iri(i) => Some(i),
            _ => None,
        }
    }

    pub(crate) fn is_literal(&self) -> bool {
        matches!(self, Term::Literal { .. })
    }

    /// The short name of a datatype IRI (`xsd:integer`), else the IRI.
    pub(crate) fn datatype_shown(datatype: &str) -> String {
        match datatype.strip_prefix("http://www.w3.org/2001/XMLSchema#") {
            Some(local) => format!("xsd:{local}"),
            None => format!("<{datatype}>"),
        }
    }

    /// True for a plain string (`xsd:string` or a language-tagged string).
    pub(crate) fn is_plain_string(datatype: &str) -> bool {
        datatype == XSD_STRING || datatype == RDF_LANG_STRING
    }
}

/// The graph of one delivery.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// Every term once, shared by the two lookups (by id and by term).
    terms: Vec<Rc<Term>>,
    ids: HashMap<Rc<Term>, u32>,
    /// (subject, predicate, object), sorted and without duplicates after [`Graph::finish`].
    spo: Vec<[u32; 3]>,
    /// (object, predicate, subject), sorted.
    ops: Vec<[u32; 3]>,
    /// The line (1-based) on which a subject is first described, for Turtle and N-Triples.
    lines: HashMap<u32, u32>,
    /// The prefixes the file declares (name, IRI), to show IRIs as the file writes them.
    pub(crate) prefixes: Vec<(String, String)>,
    /// IRIs read as another ([`super::Mapping`]'s `varianten`).
    variants: Vec<(String, String)>,
}

impl Graph {
    pub(crate) fn intern(&mut self, t: Term) -> u32 {
        if let Some(id) = self.ids.get(&t) {
            return *id;
        }
        let id = self.terms.len() as u32;
        let t = Rc::new(t);
        self.terms.push(Rc::clone(&t));
        self.ids.insert(t, id);
        id
    }

    /// The id of a term, if it occurs.
    pub(crate) fn id(&self, t: &Term) -> Option<u32> {
        self.ids.get(t).copied()
    }

    /// The id of an IRI, if it occurs.
    pub(crate) fn iri_id(&self, iri: &str) -> Option<u32> {
        self.id(&Term::Iri(iri.into()))
    }

    pub(crate) fn term(&self, id: u32) -> &Term {
        &self.terms[id as usize]
    }

    /// An IRI as the mapping names it (its variants replaced).
    fn canonical(&self, iri: String) -> Box<str> {
        for (from, to) in &self.variants {
            let namespace = from.ends_with('#') || from.ends_with('/');
            if namespace && iri.starts_with(from.as_str()) {
                return format!("{to}{}", &iri[from.len()..]).into();
            }
            if !namespace && iri == *from {
                return to.as_str().into();
            }
        }
        iri.into()
    }

    fn add(&mut self, t: Triple, line: Option<u32>) {
        let s = match t.subject {
            NamedOrBlankNode::NamedNode(n) => Term::Iri(self.canonical(n.into_string())),
            NamedOrBlankNode::BlankNode(b) => Term::Blank(b.into_string().into()),
        };
        let s = self.intern(s);
        let p = Term::Iri(self.canonical(t.predicate.into_string()));
        let p = self.intern(p);
        let o = match t.object {
            OxTerm::NamedNode(n) => Term::Iri(self.canonical(n.into_string())),
            OxTerm::BlankNode(b) => Term::Blank(b.into_string().into()),
            OxTerm::Literal(l) => {
                let (value, datatype, lang) = l.destruct();
                let datatype = match (&datatype, &lang) {
                    (Some(d), _) => d.as_str().to_string(),
                    (None, Some(_)) => RDF_LANG_STRING.to_string(),
                    (None, None) => XSD_STRING.to_string(),
                };
                Term::Literal {
                    value: value.into(),
                    datatype: datatype.into(),
                    lang: lang.map(Into::into),
                }
            }
            #[allow(unreachable_patterns)]
            _ => Term::Literal {
                value: "".into(),
                datatype: XSD_STRING.into(),
                lang: None,
            },
        };
        let o = self.intern(o);
        if let Some(line) = line {
            self.lines.entry(s).or_insert(line);
        }
        self.spo.push([s, p, o]);
    }

    /// Sorts and indexes the triples once every triple is added.
    fn finish(&mut self) {
        self.spo.sort_unstable();
        self.spo.dedup();
        self.ops = self.spo.iter().map(|[s, p, o]| [*o, *p, *s]).collect();
        self.ops.sort_unstable();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.spo.len()
    }

    /// Every (predicate, object) of `subject`.
    pub(crate) fn about(&self, subject: u32) -> &[[u32; 3]] {
        range(&self.spo, subject)
    }

    /// Every (predicate, subject) pointing at `object`.
    pub(crate) fn pointing_at(&self, object: u32) -> &[[u32; 3]] {
        range(&self.ops, object)
    }

    /// The objects of `subject` through `predicate`.
    pub(crate) fn objects(&self, subject: u32, predicate: u32) -> impl Iterator<Item = u32> + '_ {
        self.about(subject)
            .iter()
            .filter(move |t| t[1] == predicate)
            .map(|t| t[2])
    }

    /// The subjects pointing at `object` through `predicate`.
    pub(crate) fn subjects(&self, object: u32, predicate: u32) -> impl Iterator<Item = u32> + '_ {
        self.pointing_at(object)
            .iter()
            .filter(move |t| t[1] == predicate)
            .map(|t| t[2])
    }

    /// Every triple, sorted by subject.
    pub(crate) fn triples(&self) -> &[[u32; 3]] {
        &self.spo
    }

    /// The line on which `subject` is first described (Turtle, N-Triples).
    pub(crate) fn line(&self, subject: u32) -> Option<u32> {
        self.lines.get(&subject).copied()
    }

    /// A term as the file would write it: `ex:Voetbal` with a prefix of the file, else
    /// `<http://…>`, `_:b0`, `"12"^^xsd:integer`.
    pub(crate) fn shown(&self, id: u32) -> String {
        match self.term(id) {
            Term::Iri(i) => self.compact(i),
            // A label the parser made up for `[ … ]` says nothing to the reader.
            Term::Blank(b) if b.len() >= 32 && b.chars().all(|c| c.is_ascii_hexdigit()) => {
                "[ … ] (een blanco knoop)".to_string()
            }
            Term::Blank(b) => format!("_:{b}"),
            Term::Literal {
                value,
                datatype,
                lang,
            } => {
                let v = crate::diagnostic::quoted(value);
                match lang {
                    Some(l) => format!("{v}@{l}"),
                    None if Term::is_plain_string(datatype) => v,
                    None => format!("{v}^^{}", Term::datatype_shown(datatype)),
                }
            }
        }
    }

    /// An IRI with the longest prefix of the file that it starts with.
    pub(crate) fn compact(&self, iri: &str) -> String {
        self.prefixes
            .iter()
            .filter(|(_, ns)| !ns.is_empty() && iri.starts_with(ns.as_str()))
            .max_by_key(|(_, ns)| ns.len())
            .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
            .filter(|c| c.len() < iri.len() + 2)
            .unwrap_or_else(|| format!("<{iri}>"))
    }
}

fn range(index: &[[u32; 3]], first: u32) -> &[[u32; 3]] {
    let lo = index.partition_point(|t| t[0] < first);
    let hi = index.partition_point(|t| t[0] <= first);
    &index[lo..hi]
}

/// What parsing a file gave: the graph (also when there were syntax errors, for the findings
/// that need it) and the findings.
pub(crate) struct Parsed {
    pub graph: Graph,
    pub diags: Diagnostics,
}

/// A syntax error in Dutch, located at `name:line:column` (1-based).
fn syntax_error(name: &str, syntax: Syntax, line: u64, column: u64, detail: &str) -> Diagnostic {
    Diagnostic::error(
        format!("{name}:{}:{}", line + 1, column + 1),
        format!(
            "syntaxfout in {}: {} (melding van de lezer: {detail}); verbeter het bestand op deze plaats",
            syntax.word(),
            dutch_syntax(detail)
        ),
    )
}

/// The usual syntax errors of the Oxigraph parsers in words.
fn dutch_syntax(detail: &str) -> &'static str {
    let d = detail.to_ascii_lowercase();
    if d.contains("stack size") {
        "het bestand is te diep genest"
    } else if d.contains("end of file") || d.contains("eof") {
        "het bestand houdt onverwacht op (ontbreekt een punt, haakje of aanhalingsteken?)"
    } else if d.contains("prefix") {
        "een voorvoegsel (prefix) is niet gedeclareerd of fout geschreven"
    } else if d.contains("iri") {
        "een IRI is ongeldig"
    } else if d.contains("string") || d.contains("quote") {
        "een tekst (tussen aanhalingstekens) is niet goed afgesloten"
    } else {
        "onverwachte tekens"
    }
}

/// Parses `bytes` (the file `name`, relative to the data folder) in `syntax` with `base` as
/// base IRI. Stops with an error at the triple limit; every syntax error is a finding, up to
/// the bound of findings per file.
pub(crate) fn parse(
    name: &str,
    bytes: &[u8],
    syntax: Syntax,
    base: &str,
    variants: &[(String, String)],
) -> Parsed {
    let mut st = Parse {
        name,
        syntax,
        max_triples: crate::limits::get("HDV_MAX_TRIPLES", DEFAULT_MAX_TRIPLES) as usize,
        cap: crate::limits::findings_per_file(),
        graph: Graph {
            variants: variants.to_vec(),
            ..Graph::default()
        },
        diags: Diagnostics::new(),
        errors: 0,
        over_limit: false,
    };
    match syntax {
        Syntax::Turtle | Syntax::NTriples => st.read_lines(bytes, base),
        Syntax::JsonLd if too_deep(bytes).is_some() => {
            let (line, column) = too_deep(bytes).expect("checked");
            st.diags.push(Diagnostic::error(
                format!("{name}:{line}:{column}"),
                format!(
                    "het bestand is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus van objecten en lijsten); een levering heeft er enkele nodig. Het wordt niet gelezen"
                ),
            ));
        }
        Syntax::JsonLd => st.read_jsonld(bytes, base),
    }
    let Parse {
        mut graph,
        mut diags,
        errors,
        cap,
        over_limit,
        ..
    } = st;
    if errors > cap {
        diags.push(Diagnostic::error(
            name.to_string(),
            format!("… en nog {} syntaxfout(en)", errors - cap),
        ));
    }
    let _ = over_limit;
    graph.finish();
    Parsed { graph, diags }
}

/// A file being parsed: the graph and findings so far, and the limits.
struct Parse<'a> {
    name: &'a str,
    syntax: Syntax,
    max_triples: usize,
    /// Syntax errors reported at most (the others counted).
    cap: usize,
    graph: Graph,
    diags: Diagnostics,
    errors: usize,
    over_limit: bool,
}

impl Parse<'_> {
    /// A syntax error, kept when under the bound of findings per file.
    fn push_error(&mut self, d: Diagnostic) {
        self.errors += 1;
        if self.errors <= self.cap {
            self.diags.push(d);
        }
    }

    /// The error at `at` that the file has more triples than allowed.
    fn limit_message(&self, at: String) -> Diagnostic {
        let max_triples = self.max_triples;
        Diagnostic::error(
            at,
            format!(
                "het bestand bevat meer dan {max_triples} triples, de grens voor een linked-data-levering; het wordt niet verder gelezen. Is het echt zo groot, zet dan de omgevingsvariabele HDV_MAX_TRIPLES hoger"
            ),
        )
    }

    /// Turtle or N-Triples.
    fn read_lines(&mut self, bytes: &[u8], base: &str) {
        let (name, syntax) = (self.name, self.syntax);
        // Fed line by line, so that each triple is known to end on the line just fed:
        // the line of a subject is where its description starts.
        enum Low {
            T(Box<oxttl::turtle::LowLevelTurtleParser>),
            N(Box<oxttl::ntriples::LowLevelNTriplesParser>),
        }
        let mut p = match syntax {
            Syntax::Turtle => Low::T(Box::new(
                oxttl::TurtleParser::new()
                    .with_base_iri(base)
                    .unwrap_or_else(|_| oxttl::TurtleParser::new())
                    .low_level(),
            )),
            _ => Low::N(Box::new(oxttl::NTriplesParser::new().low_level())),
        };
        let mut line_no: u32 = 0;
        let mut rest = bytes;
        loop {
            let done = rest.is_empty();
            if done {
                match &mut p {
                    Low::T(x) => x.end(),
                    Low::N(x) => x.end(),
                }
            } else {
                let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
                match &mut p {
                    Low::T(x) => x.extend_from_slice(&rest[..end]),
                    Low::N(x) => x.extend_from_slice(&rest[..end]),
                }
                rest = &rest[end..];
                line_no += 1;
            }
            loop {
                let next = match &mut p {
                    Low::T(x) => x.parse_next(),
                    Low::N(x) => x.parse_next(),
                };
                match next {
                    None => break,
                    Some(Ok(t)) => {
                        if self.graph.spo.len() >= self.max_triples {
                            self.over_limit = true;
                            break;
                        }
                        self.graph.add(t, Some(line_no.max(1)));
                    }
                    Some(Err(e)) => {
                        let at = e.location().start;
                        self.push_error(syntax_error(
                            name,
                            syntax,
                            at.line,
                            at.column,
                            e.message(),
                        ));
                    }
                }
            }
            if self.over_limit {
                self.diags
                    .push(self.limit_message(format!("{name}:{line_no}")));
                break;
            }
            if done {
                break;
            }
        }
        if let Low::T(x) = &p {
            self.graph.prefixes = x
                .prefixes()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
        }
    }

    /// JSON-LD.
    fn read_jsonld(&mut self, bytes: &[u8], base: &str) {
        let (name, syntax) = (self.name, self.syntax);
        // No remote document is ever loaded: a context must be given in the file.
        let mut parser = oxjsonld::JsonLdParser::new()
            .with_base_iri(base)
            .unwrap_or_else(|_| oxjsonld::JsonLdParser::new())
            .for_slice(bytes)
            .with_load_document_callback(|url, _| {
                Err(format!(
                    "hdv laadt geen documenten van elders ({url}); neem de context (@context) op in het bestand zelf"
                )
                .into())
            });
        let mut seen_error = false;
        for q in parser.by_ref() {
            match q {
                Ok(q) => {
                    if self.graph.spo.len() >= self.max_triples {
                        self.diags.push(self.limit_message(name.to_string()));
                        self.over_limit = true;
                        break;
                    }
                    // A named graph's triples are read as if in the default graph.
                    self.graph
                        .add(Triple::new(q.subject, q.predicate, q.object), None);
                }
                Err(e) => {
                    let d = match e.location() {
                        Some(at) => syntax_error(
                            name,
                            syntax,
                            at.start.line,
                            at.start.column,
                            &e.to_string(),
                        ),
                        None => Diagnostic::error(
                            name.to_string(),
                            format!(
                                "ongeldige JSON-LD: {} (melding van de lezer: {e}); verbeter het bestand",
                                dutch_jsonld(&e.to_string())
                            ),
                        ),
                    };
                    self.push_error(d);
                    seen_error = true;
                }
            }
            // The JSON reader cannot go on after a JSON syntax error.
            if seen_error
                && self
                    .diags
                    .0
                    .last()
                    .is_some_and(|d| d.location.contains(':'))
            {
                break;
            }
        }
        self.graph.prefixes = parser
            .prefixes()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
    }
}

/// JSON may nest at most this deep: the JSON-LD reader's work and stack grow with the depth
/// (a deeply nested file overflowed the stack), while a delivery needs a handful of levels.
pub(crate) const MAX_JSON_DEPTH: usize = 64;

/// The line and column (1-based) where JSON text first nests deeper than [`MAX_JSON_DEPTH`],
/// found in one linear pass that skips strings.
fn too_deep(bytes: &[u8]) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in bytes {
        column += 1;
        if b == b'\n' {
            line += 1;
            column = 0;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Some((line, column));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn dutch_jsonld(detail: &str) -> &'static str {
    let d = detail.to_ascii_lowercase();
    if d.contains("context") {
        "de context (@context) is ongeldig of kan niet geladen worden"
    } else if d.contains("iri") {
        "een IRI is ongeldig"
    } else {
        "de JSON-LD-structuur klopt niet"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turtle_subjects_keep_the_line_their_description_starts_on() {
        let ttl = b"@prefix ex: <http://example.com/> .\n\nex:a ex:p 1 ;\n  ex:q [ ex:r 2 ] .\nex:b ex:p ex:a .\n";
        let p = parse("x.ttl", ttl, Syntax::Turtle, "file:///x.ttl", &[]);
        assert!(p.diags.is_empty(), "{}", p.diags);
        let g = &p.graph;
        let a = g.iri_id("http://example.com/a").unwrap();
        let b = g.iri_id("http://example.com/b").unwrap();
        assert_eq!(g.line(a), Some(3));
        assert_eq!(g.line(b), Some(5));
        assert_eq!(g.len(), 4);
        assert_eq!(g.shown(a), "ex:a");
        let p_ = g.iri_id("http://example.com/p").unwrap();
        assert_eq!(g.subjects(a, p_).collect::<Vec<_>>(), vec![b]);
    }

    #[test]
    fn every_syntax_error_is_reported_with_line_and_column() {
        let ttl = b"@prefix ex: <http://example.com/> .\nex:a ex:p 1 .\nex:b ex:p \"open .\nex:c ex:p 2 .\nex:d ex:p ) .\n";
        let p = parse("x.ttl", ttl, Syntax::Turtle, "file:///x.ttl", &[]);
        assert!(p.diags.has_errors());
        assert!(p.diags.0[0].location.starts_with("x.ttl:3:"), "{}", p.diags);
        assert!(
            p.diags.0[0].message.starts_with("syntaxfout in Turtle"),
            "{}",
            p.diags
        );
    }

    #[test]
    fn deeply_nested_json_is_refused_before_it_is_parsed() {
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        assert_eq!(too_deep(deep.as_bytes()), Some((1, 65)));
        // Brackets inside strings do not count.
        let text = format!("{{\"a\": \"{}\\\"\"}}", "[".repeat(300));
        assert_eq!(too_deep(text.as_bytes()), None);
        let p = parse(
            "x.jsonld",
            deep.as_bytes(),
            Syntax::JsonLd,
            "file:///x",
            &[],
        );
        assert!(p.diags.0[0].location == "x.jsonld:1:65", "{}", p.diags);
        assert!(
            p.diags.0[0].message.contains("te diep genest"),
            "{}",
            p.diags
        );
    }

    #[test]
    fn jsonld_is_read_without_loading_remote_contexts() {
        let j = br#"{"@context": {"ex": "http://example.com/"}, "@id": "ex:a", "ex:p": 1}"#;
        let p = parse("x.jsonld", j, Syntax::JsonLd, "file:///x.jsonld", &[]);
        assert!(p.diags.is_empty(), "{}", p.diags);
        assert_eq!(p.graph.len(), 1);
        let j =
            br#"{"@context": "https://example.com/context.jsonld", "@id": "http://example.com/a"}"#;
        let p = parse("x.jsonld", j, Syntax::JsonLd, "file:///x.jsonld", &[]);
        assert!(p.diags.has_errors());
        assert!(
            p.diags.to_string().contains("hdv laadt geen documenten"),
            "{}",
            p.diags
        );
        let j = b"{\"@id\": \n \"http://example.com/a\", }";
        let p = parse("x.jsonld", j, Syntax::JsonLd, "file:///x.jsonld", &[]);
        assert!(
            p.diags.0[0].location.starts_with("x.jsonld:2:"),
            "{}",
            p.diags
        );
    }
}
