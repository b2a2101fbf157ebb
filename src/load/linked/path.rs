//! Property paths of the mapping (`plans/oslo/hdg.yaml`): a small subset of SPARQL's
//! property paths, enough to say where a column's value is in the graph.
//!
//! ```text
//! path := seq ("|" seq)*          alternatives: the values of all of them
//! seq  := step ("/" step)*        a chain: from each value the next step
//! step := "^"? iri | "(" path ")" | "." | "$levering" | "@name"
//! iri  := prefix:local | <http://…>
//! ```
//!
//! `^p` follows `p` backwards (from object to subject); `.` is the node itself; `$levering` starts again at the
//! delivery's own description (`dcat:Dataset`); `@name` is a path declared under `paden:`.
//! There is no repetition (`*`, `+`), so every path ends, whatever cycles the graph holds.

use super::graph::Graph;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Path {
    Pred(String),
    Inverse(String),
    Seq(Vec<Path>),
    Alt(Vec<Path>),
    /// The delivery's own description.
    Delivery,
}

/// Parses `text`, expanding prefixes with `prefixes` and `@name` with `named` (already
/// parsed). The error is a Dutch sentence.
pub(crate) fn parse(
    text: &str,
    prefixes: &BTreeMap<String, String>,
    named: &BTreeMap<String, Path>,
) -> Result<Path, String> {
    let tokens = tokenize(text)?;
    let mut p = Parser {
        tokens,
        at: 0,
        prefixes,
        named,
    };
    let path = p.alt()?;
    if p.at < p.tokens.len() {
        return Err(format!(
            "onverwacht {} in pad {}",
            crate::diagnostic::quoted(&p.tokens[p.at]),
            crate::diagnostic::quoted(text)
        ));
    }
    Ok(path)
}

fn tokenize(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' | ')' | '|' | '/' | '^' => out.push(c.to_string()),
            '<' => {
                let rest = &text[i..];
                let Some(end) = rest.find('>') else {
                    return Err(format!(
                        "een IRI tussen < > is niet afgesloten in pad {}",
                        crate::diagnostic::quoted(text)
                    ));
                };
                out.push(rest[..=end].to_string());
                for _ in 0..rest[..=end].chars().count() - 1 {
                    chars.next();
                }
            }
            _ => {
                let mut tok = c.to_string();
                while let Some((_, d)) = chars.peek() {
                    if d.is_whitespace() || "()|/^<".contains(*d) {
                        break;
                    }
                    tok.push(*d);
                    chars.next();
                }
                out.push(tok);
            }
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<String>,
    at: usize,
    prefixes: &'a BTreeMap<String, String>,
    named: &'a BTreeMap<String, Path>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn alt(&mut self) -> Result<Path, String> {
        let mut v = vec![self.seq()?];
        while self.peek() == Some("|") {
            self.at += 1;
            v.push(self.seq()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Path::Alt(v)
        })
    }

    fn seq(&mut self) -> Result<Path, String> {
        let mut v = vec![self.step()?];
        while self.peek() == Some("/") {
            self.at += 1;
            v.push(self.step()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Path::Seq(v)
        })
    }

    fn step(&mut self) -> Result<Path, String> {
        let Some(tok) = self.peek().map(str::to_string) else {
            return Err("een pad houdt op waar een eigenschap verwacht wordt".into());
        };
        self.at += 1;
        match tok.as_str() {
            "(" => {
                let p = self.alt()?;
                if self.peek() != Some(")") {
                    return Err("een haakje ( in een pad wordt niet gesloten".into());
                }
                self.at += 1;
                Ok(p)
            }
            "^" => {
                let Some(next) = self.peek().map(str::to_string) else {
                    return Err("na ^ volgt geen eigenschap".into());
                };
                self.at += 1;
                Ok(Path::Inverse(self.iri(&next)?))
            }
            "$levering" => Ok(Path::Delivery),
            "." => Ok(Path::Seq(Vec::new())),
            t if t.starts_with('@') => self.named.get(&t[1..]).cloned().ok_or_else(|| {
                format!(
                    "onbekend pad {} (niet gedeclareerd onder `paden:`)",
                    crate::diagnostic::quoted(t)
                )
            }),
            t => Ok(Path::Pred(self.iri(t)?)),
        }
    }

    fn iri(&self, tok: &str) -> Result<String, String> {
        if let Some(inner) = tok.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            return Ok(inner.to_string());
        }
        expand(tok, self.prefixes)
    }
}

/// `prefix:local` with the prefix's IRI, or `<iri>` without its brackets.
pub(crate) fn expand(tok: &str, prefixes: &BTreeMap<String, String>) -> Result<String, String> {
    if let Some(inner) = tok.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
        return Ok(inner.to_string());
    }
    let Some((prefix, local)) = tok.split_once(':') else {
        return Err(format!(
            "{} is geen eigenschap: schrijf voorvoegsel:naam (bv. dcterms:title) of <http://…>",
            crate::diagnostic::quoted(tok)
        ));
    };
    if local.starts_with("//") {
        return Ok(tok.to_string());
    }
    let Some(ns) = prefixes.get(prefix) else {
        return Err(format!(
            "onbekend voorvoegsel `{prefix}:` in {} (voeg het toe onder `prefixen:`)",
            crate::diagnostic::quoted(tok)
        ));
    };
    Ok(format!("{ns}{local}"))
}

impl Path {
    /// Every predicate IRI the path names (for the list of known properties).
    pub(crate) fn predicates(&self, out: &mut Vec<String>) {
        match self {
            Path::Pred(p) | Path::Inverse(p) => out.push(p.clone()),
            Path::Seq(v) | Path::Alt(v) => v.iter().for_each(|p| p.predicates(out)),
            Path::Delivery => {}
        }
    }

    /// The nodes reached from `start`, sorted and without duplicates; `delivery` are the
    /// nodes `$levering` stands for.
    pub(crate) fn eval(&self, g: &Graph, start: &[u32], delivery: &[u32]) -> Vec<u32> {
        let mut out = match self {
            Path::Pred(p) => match g.iri_id(p) {
                Some(pid) => start.iter().flat_map(|s| g.objects(*s, pid)).collect(),
                None => Vec::new(),
            },
            Path::Inverse(p) => match g.iri_id(p) {
                Some(pid) => start.iter().flat_map(|o| g.subjects(*o, pid)).collect(),
                None => Vec::new(),
            },
            Path::Seq(v) => {
                let mut cur = start.to_vec();
                for step in v {
                    if cur.is_empty() {
                        break;
                    }
                    cur = step.eval(g, &cur, delivery);
                }
                cur
            }
            Path::Alt(v) => v.iter().flat_map(|p| p.eval(g, start, delivery)).collect(),
            Path::Delivery => delivery.to_vec(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::linked::graph::{Syntax, parse as parse_graph};

    fn prefixes() -> BTreeMap<String, String> {
        [("ex".to_string(), "http://example.com/".to_string())].into()
    }

    #[test]
    fn paths_parse_with_precedence_and_macros() {
        let named: BTreeMap<String, Path> = [(
            "a".to_string(),
            parse("ex:p | ex:q", &prefixes(), &BTreeMap::new()).unwrap(),
        )]
        .into();
        let p = parse("^ex:r/(ex:s|@a)/<http://x/y>", &prefixes(), &named).unwrap();
        assert_eq!(
            p,
            Path::Seq(vec![
                Path::Inverse("http://example.com/r".into()),
                Path::Alt(vec![
                    Path::Pred("http://example.com/s".into()),
                    Path::Alt(vec![
                        Path::Pred("http://example.com/p".into()),
                        Path::Pred("http://example.com/q".into())
                    ])
                ]),
                Path::Pred("http://x/y".into())
            ])
        );
        assert!(
            parse("foo:bar", &prefixes(), &named)
                .unwrap_err()
                .contains("onbekend voorvoegsel")
        );
        assert!(parse("(ex:a", &prefixes(), &named).is_err());
        assert!(parse("@b", &prefixes(), &named).is_err());
    }

    #[test]
    fn paths_follow_the_graph_both_ways_and_end_on_cycles() {
        let ttl = b"@prefix ex: <http://example.com/> .\nex:a ex:p ex:b . ex:b ex:p ex:a . ex:b ex:q \"x\" .\n";
        let g = parse_graph("x.ttl", ttl, Syntax::Turtle, "file:///x", &[]).graph;
        let a = g.iri_id("http://example.com/a").unwrap();
        let b = g.iri_id("http://example.com/b").unwrap();
        let p = parse("ex:p/ex:p/ex:p", &prefixes(), &BTreeMap::new()).unwrap();
        assert_eq!(p.eval(&g, &[a], &[]), vec![b]);
        let p = parse("^ex:p/ex:q", &prefixes(), &BTreeMap::new()).unwrap();
        assert_eq!(g.shown(p.eval(&g, &[a], &[])[0]), "'x'");
        let p = parse(".", &prefixes(), &BTreeMap::new()).unwrap();
        assert_eq!(p.eval(&g, &[a], &[]), vec![a]);
    }
}
