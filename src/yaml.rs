//! Reading the project's YAML files (plans, indicators, delivery profiles, checks) with
//! Dutch messages that point at the file, line and column: size and depth limits, texts
//! longer than a cell, and locating a key or value in a file for a message.

use crate::diagnostic::{Diagnostics, display_path};
use std::path::Path;

/// Reads a YAML file of the model: the text without a leading byte-order mark, and the path
/// as shown in messages. A file that cannot be read is an error in Dutch.
pub(crate) fn read_yaml_file(path: &Path, diags: &mut Diagnostics) -> Option<(String, String)> {
    let shown = display_path(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(crate::diagnostic::Diagnostic::error(
                shown,
                format!("kan niet gelezen worden: {}", crate::error::io_message(&e)),
            ));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(t) => Some((
            t.strip_prefix('\u{FEFF}').map(str::to_string).unwrap_or(t),
            shown,
        )),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            diags.push(crate::diagnostic::Diagnostic::error(
                format!("{shown}:{line}"),
                "het bestand is geen geldige UTF-8-tekst (bewaar het als UTF-8)",
            ));
            None
        }
    }
}

/// YAML may nest at most this deep (serde_yaml stops at 128, but only after the parser has
/// spent time quadratic in the depth).
pub(crate) const MAX_YAML_DEPTH: usize = 64;

/// As [`parse_yaml`], for a file of the model: every text is also checked against the length
/// of an Excel cell (reports write the model's texts into workbooks).
pub(crate) fn parse_model_yaml<T: serde::de::DeserializeOwned + serde::Serialize>(
    text: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    let v = parse_yaml::<T>(text, file, diags)?;
    if let Ok(json) = serde_json::to_value(&v) {
        long_texts(&json, None, text, file, diags);
    }
    Some(v)
}

/// Parses YAML text into `T`; on failure records an error with `file:line:column`.
///
/// Before parsing, the nesting depth is checked in one linear pass ([`too_deep`]).
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    // A byte-order mark, as editors on Windows write, is no part of the YAML.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if let Some((line, col)) = too_deep(text) {
        diags.push(crate::diagnostic::Diagnostic::error(
            format!("{file}:{line}:{col}"),
            format!("ongeldige YAML: te diep genest (meer dan {MAX_YAML_DEPTH} niveaus)"),
        ));
        return None;
    }
    match serde_yaml::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let location = match e.location() {
                Some(l) => format!("{file}:{}:{}", l.line(), l.column()),
                None => file.to_string(),
            };
            diags.push(crate::diagnostic::Diagnostic::error(
                location,
                crate::yaml::yaml_message(&e),
            ));
            None
        }
    }
}

/// Reports every text in `v` longer than an Excel cell holds, at its place in the file.
fn long_texts(
    v: &serde_json::Value,
    key: Option<&str>,
    text: &str,
    file: &str,
    diags: &mut Diagnostics,
) {
    use crate::limits::MAX_CELL_CHARS;
    match v {
        serde_json::Value::String(s)
            if s.len() > MAX_CELL_CHARS && s.chars().count() > MAX_CELL_CHARS =>
        {
            let start: String = s.lines().next().unwrap_or("").chars().take(40).collect();
            let at = text
                .find(start.trim())
                .filter(|_| !start.trim().is_empty())
                .map(|i| {
                    let line = 1 + text[..i].matches('\n').count();
                    let col = 1 + text[..i].rsplit('\n').next().unwrap_or("").chars().count();
                    (line, col)
                })
                .or_else(|| key.and_then(|k| locate(text, k)));
            diags.push(crate::diagnostic::Diagnostic::error(
                match at {
                    Some((l, c)) => format!("{file}:{l}:{c}"),
                    None => file.to_string(),
                },
                format!(
                    "de tekst{} telt {} tekens, meer dan de {MAX_CELL_CHARS} die een Excel-cel kan bevatten",
                    key.map(|k| format!(" van `{k}`")).unwrap_or_default(),
                    s.chars().count()
                ),
            ));
        }
        serde_json::Value::Array(a) => {
            for x in a {
                long_texts(x, key, text, file, diags);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                long_texts(x, Some(k), text, file, diags);
            }
        }
        _ => {}
    }
}

/// The 1-based line and column where YAML `text` nests deeper than [`MAX_YAML_DEPTH`], in one
/// linear pass: flow collections (`[`, `{`) and compact block nesting on one line (`- - - x`)
/// are counted outside quotes, comments and block scalars. Nesting by indentation is not
/// counted: each level costs a space on every line, so a deep file grows quadratically and
/// parsing it stays linear in its size.
pub(crate) fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut flow = 0usize;
    // Inside a quoted scalar: its quote character.
    let mut quote: Option<char> = None;
    // Inside a block scalar (`|`, `>`): the indentation of the line that opened it.
    let mut block_scalar: Option<usize> = None;
    for (ln, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_scalar {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut compact = 0usize;
        // At the start of a value (where `[`, `{` or a quote opens one).
        let mut value_start = quote.is_none();
        let mut prev = ' ';
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if let Some(q) = quote {
                if c == q {
                    if q == '\'' && next == '\'' {
                        i += 2;
                        continue;
                    }
                    quote = None;
                } else if q == '"' && c == '\\' {
                    i += 2;
                    continue;
                }
                prev = c;
                i += 1;
                continue;
            }
            match c {
                '#' if prev == ' ' || prev == '\t' || i == 0 => break,
                '"' | '\''
                    if value_start || (flow > 0 && matches!(prev, '[' | '{' | ',' | ':' | ' ')) =>
                {
                    quote = Some(c);
                    value_start = false;
                }
                '[' | '{' if value_start || flow > 0 => {
                    flow += 1;
                    value_start = true;
                }
                ']' | '}' if flow > 0 => flow -= 1,
                ',' if flow > 0 => value_start = true,
                '-' | '?' | ':'
                    if flow == 0
                        && (next == ' ' || i + 1 == chars.len())
                        && (value_start || c == ':') =>
                {
                    if c != ':' || value_start {
                        compact += 1;
                    }
                    value_start = true;
                }
                ':' if next == ' ' || i + 1 == chars.len() => value_start = true,
                '|' | '>' if flow == 0 && value_start => {
                    let rest: String = chars[i + 1..].iter().collect();
                    let rest = rest.split(" #").next().unwrap_or("").trim();
                    if rest.chars().all(|c| matches!(c, '+' | '-' | '0'..='9')) {
                        block_scalar = Some(indent);
                    }
                    break;
                }
                ' ' | '\t' => {}
                _ => value_start = false,
            }
            if flow + compact > MAX_YAML_DEPTH {
                return Some((ln + 1, i + 1));
            }
            prev = c;
            i += 1;
        }
    }
    None
}

/// serde_yaml's message in Dutch. The YAML reader's own phrases are translated; a phrase
/// not in the list keeps a Dutch lead-in.
pub(crate) fn yaml_message(e: &serde_yaml::Error) -> String {
    let raw = e.to_string();
    // Drop serde_yaml's own " at line X column Y" suffix: the location is given separately.
    let raw = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    // Messages of the YAML parser (libyaml), whole.
    let parser = [
        (
            "found character that cannot start any token",
            "een teken dat hier niet mag staan (bv. een tab of een @ of ` aan het begin van een waarde; zet de waarde tussen aanhalingstekens)",
        ),
        (
            "did not find expected key",
            "hier werd een sleutel verwacht (klopt de inspringing?)",
        ),
        (
            "did not find expected node content",
            "hier werd een waarde verwacht",
        ),
        (
            "did not find expected '-' indicator",
            "hier werd een lijstelement (-) verwacht (klopt de inspringing?)",
        ),
        (
            "did not find expected ',' or ']'",
            "een lijst tussen [ ] is niet goed gesloten (ontbreekt een , of ]?)",
        ),
        (
            "did not find expected ',' or '}'",
            "een verzameling tussen { } is niet goed gesloten (ontbreekt een , of }?)",
        ),
        (
            "could not find expected ':'",
            "hier werd een dubbelpunt (:) na de sleutel verwacht",
        ),
        (
            "mapping values are not allowed in this context",
            "een dubbelpunt (sleutel: waarde) mag hier niet (zet de tekst tussen aanhalingstekens)",
        ),
        (
            "block sequence entries are not allowed in this context",
            "een lijstelement (-) mag hier niet (klopt de inspringing?)",
        ),
        (
            "mapping keys are not allowed in this context",
            "een sleutel mag hier niet",
        ),
        (
            "found a tab character that violates indentation",
            "een tab in de inspringing (gebruik spaties)",
        ),
        (
            "found a tab character where an indentation space is expected",
            "een tab in de inspringing (gebruik spaties)",
        ),
        (
            "found unexpected end of stream",
            "onverwacht einde van het bestand (een aanhalingsteken of haakje niet gesloten?)",
        ),
        (
            "found unknown escape character",
            "onbekende escape-reeks na \\ in een tekst tussen dubbele aanhalingstekens",
        ),
        (
            "found undefined alias",
            "verwijzing naar een onbekend anker (*naam zonder &naam)",
        ),
        ("found unexpected ':'", "onverwacht dubbelpunt"),
        (
            "found unexpected document indicator",
            "onverwachte documentscheiding (--- of ...)",
        ),
        (
            "control characters are not allowed",
            "het bestand bevat stuurtekens die in YAML niet mogen",
        ),
        ("invalid leading UTF-8 octet", "ongeldige UTF-8-tekst"),
        ("invalid trailing UTF-8 octet", "ongeldige UTF-8-tekst"),
        (
            "found an incorrect leading UTF-8 octet",
            "ongeldige UTF-8-tekst",
        ),
        (
            "found an incorrect trailing UTF-8 octet",
            "ongeldige UTF-8-tekst",
        ),
        ("incomplete UTF-8 octet sequence", "ongeldige UTF-8-tekst"),
        ("invalid Unicode character", "ongeldig Unicode-teken"),
        (
            "found duplicate anchor",
            "een anker (&naam) komt twee keer voor",
        ),
        (
            "EOF while parsing a value",
            "onverwacht einde van het bestand",
        ),
        (
            "deserializing from YAML containing more than one document is not supported",
            "het bestand bevat meer dan één YAML-document (---)",
        ),
    ];
    for (en, nl) in parser {
        if raw.contains(en) {
            return format!("ongeldige YAML: {nl}");
        }
    }
    let replacements = [
        ("expected i32", "verwacht een geheel getal"),
        ("expected u32", "verwacht een positief geheel getal"),
        ("expected u64", "verwacht een positief geheel getal"),
        ("expected usize", "verwacht een positief geheel getal"),
        ("expected f64", "verwacht een getal"),
        ("unknown field", "onbekend veld"),
        ("missing field", "ontbrekend veld"),
        ("expected one of", "verwacht een van"),
        ("unknown variant", "onbekende waarde"),
        ("invalid type", "ongeldig type"),
        ("invalid value", "ongeldige waarde"),
        ("invalid length", "ongeldige lengte"),
        ("duplicate field", "dubbel veld"),
        ("duplicate entry with key", "dubbele sleutel"),
        ("expected", "verwacht"),
        ("found", "gevonden"),
        ("a sequence", "een lijst"),
        ("a map", "een verzameling sleutels"),
        ("a string", "een tekst"),
        ("a boolean", "ja/nee (true/false)"),
        ("an integer", "een geheel getal"),
        ("a floating point number", "een getal"),
        ("integer", "geheel getal"),
        ("string", "tekst"),
        ("sequence", "lijst"),
        ("boolean", "ja/nee (true/false)"),
        ("floating point", "kommagetal"),
        ("unit value", "lege waarde"),
        ("premature end of input", "onverwacht einde van de waarde"),
        (
            "input contains invalid characters",
            "de waarde bevat ongeldige tekens",
        ),
        ("trailing input", "tekst na de waarde"),
        (
            "repetition limit exceeded",
            "te veel herhalingen (aliassen)",
        ),
        ("recursion limit exceeded", "te diep genest"),
    ];
    // Translate outside quoted parts only: those are the user's own values and names.
    let mut msg = String::new();
    let mut quote: Option<char> = None;
    let mut part = String::new();
    let flush = |part: &mut String, msg: &mut String, translate: bool| {
        let mut p = std::mem::take(part);
        if translate {
            for (en, nl) in replacements {
                p = p.replace(en, nl);
            }
        }
        msg.push_str(&p);
    };
    for c in raw.chars() {
        match quote {
            None if c == '"' || c == '`' => {
                flush(&mut part, &mut msg, true);
                quote = Some(c);
                msg.push(c);
            }
            Some(q) if c == q => {
                flush(&mut part, &mut msg, false);
                quote = None;
                msg.push(c);
            }
            _ => part.push(c),
        }
    }
    flush(&mut part, &mut msg, quote.is_none());
    format!("ongeldige YAML: {msg}")
}

/// `file:line:column` of the first occurrence of `needle` in the file, or just the file.
///
/// serde_yaml gives no positions for values, so references found invalid after parsing are
/// located by searching the text.
pub(crate) fn locate_in_file(file: &str, needle: &str) -> String {
    let Ok(text) = std::fs::read_to_string(file) else {
        return file.to_string();
    };
    match locate(&text, needle) {
        Some((line, col)) => format!("{file}:{line}:{col}"),
        None => file.to_string(),
    }
}

/// `file:line:column` of the first occurrence of `needle` after the line holding `anchor`
/// (e.g. a reference inside the block of the action with that id), or of `needle` anywhere.
pub(crate) fn locate_in_file_after(file: &str, anchor: &str, needle: &str) -> String {
    let Ok(text) = std::fs::read_to_string(file) else {
        return file.to_string();
    };
    let from = locate(&text, anchor).map_or(0, |(l, _)| l - 1);
    match locate_from(&text, needle, from).or_else(|| locate(&text, needle)) {
        Some((line, col)) => format!("{file}:{line}:{col}"),
        None => file.to_string(),
    }
}

/// 1-based line and column of the first whole-word occurrence of `needle`.
pub(crate) fn locate(text: &str, needle: &str) -> Option<(usize, usize)> {
    locate_from(text, needle, 0)
}

/// As [`locate`], starting at the 0-based line `from`.
fn locate_from(text: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
    for (i, line) in text.lines().enumerate().skip(from) {
        let mut start = 0;
        while let Some(pos) = line[start..].find(needle) {
            let at = start + pos;
            let before = line[..at].chars().next_back();
            let after = line[at + needle.len()..].chars().next();
            if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
                return Some((i + 1, line[..at].chars().count() + 1));
            }
            start = at + needle.len();
        }
    }
    None
}
