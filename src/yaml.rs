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

/// YAML may nest at most this deep (mappings, lists and flow collections together).
pub(crate) const MAX_YAML_DEPTH: usize = 64;

/// The parser's settings for every YAML file of the project: a budget (nesting depth, and
/// the parser's defaults for nodes, aliases and anchors, which stop an alias bomb), duplicate
/// keys refused at any level, and an empty value read as an empty text where a text is
/// expected (`titel:`); YAML 1.2 as the files have always been read (only `true` and `false`
/// are booleans, `Y` or `ja` are texts; `0012` and `1_000` read without a target type stay
/// texts).
fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_YAML_DEPTH,
            flow_nesting_limit: MAX_YAML_DEPTH,
        },
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        null_as_string: true,
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        underscored_numbers_as_strings: true,
        with_snippet: false,
    }
}

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
/// The text is first read as YAML alone (syntax, duplicate keys and the budget), so that a
/// broken or hostile file is named as such before its content is compared with `T`.
pub(crate) fn parse_yaml<T: serde::de::DeserializeOwned>(
    text: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    match from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            diags.push(crate::diagnostic::Diagnostic::error(
                e.place(file),
                e.message.clone(),
            ));
            None
        }
    }
}

/// A YAML error: its 1-based line and column (when known) and its Dutch message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl YamlError {
    /// `file:line:column: ` of the error, or the file alone.
    pub(crate) fn place(&self, file: &str) -> String {
        if self.line == 0 {
            file.to_string()
        } else {
            format!("{file}:{}:{}", self.line, self.column)
        }
    }
}

/// Parses YAML text into `T` with the project's settings ([`options`]); the error in Dutch.
pub(crate) fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    // A byte-order mark, as editors on Windows write, is no part of the YAML.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let checked = serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, options())
        .and_then(|_| serde_saphyr::from_str_with_options::<T>(text, options()));
    checked.map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
        YamlError {
            line,
            column,
            message: format!("ongeldige YAML: {}", message(&e)),
        }
    })
}

/// A text as one YAML scalar on one line, for the skeletons a command writes (`plan new`,
/// `local init`): a JSON string is a valid double-quoted YAML scalar, with quotes, `#`,
/// colons and line breaks escaped or harmless inside the quotes.
pub(crate) fn scalar(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// A text for a YAML comment line of a skeleton: line breaks and other control characters
/// become spaces, so that a multi-line title cannot end the comment and break the file.
pub(crate) fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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

/// The parser's error in Dutch: every kind a project file can run into is worded here; the
/// serde messages (unknown or missing fields, wrong types) are translated outside the quoted
/// parts, which are the user's own names.
fn message(e: &serde_saphyr::Error) -> String {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let list = |v: &[&str]| {
        v.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match e.without_snippet() {
        E::AliasError { error, .. } => message(error),
        E::ExternalMessage { source, msg, .. } => match source.as_ref() {
            serde_saphyr::localizer::ExternalMessageSource::Parser(scan) => {
                parser_message(scan.kind(), msg)
            }
            _ => translate(msg),
        },
        E::Budget { breach, .. } => match breach {
            B::Depth { .. } => format!("te diep genest (meer dan {MAX_YAML_DEPTH} niveaus)"),
            B::Aliases { .. }
            | B::Nodes { .. }
            | B::Events { .. }
            | B::Anchors { .. }
            | B::ScalarBytes { .. } => "het bestand is te groot of herhaalt te veel (aliassen: *naam); schrijf de waarden uit".into(),
            B::Documents { .. } => "het bestand bevat meer dan één YAML-document (---)".into(),
            _ => "het bestand overschrijdt een grens van de YAML-lezer (te groot of te diep genest)".into(),
        },
        E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. } => {
            "te veel herhalingen (aliassen: *naam); schrijf de waarden uit".into()
        }
        E::Eof { .. } => "onverwacht einde van het bestand (is het leeg of afgebroken?)".into(),
        E::MultipleDocuments { .. } => "het bestand bevat meer dan één YAML-document (---)".into(),
        E::UnknownAnchor { .. } => {
            "verwijzing naar een onbekend anker (*naam zonder &naam)".into()
        }
        E::DuplicateMappingKey { key: Some(k), .. } => format!(
            "de sleutel `{k}` komt hier een tweede keer voor; elke sleutel mag maar één keer voorkomen (verwijder of hernoem een van beide)"
        ),
        E::DuplicateMappingKey { key: None, .. } => {
            "deze sleutel komt een tweede keer voor; elke sleutel mag maar één keer voorkomen".into()
        }
        E::SerdeUnknownField {
            field, expected, ..
        } => format!("onbekend veld `{field}`, verwacht een van {}", list(expected)),
        E::SerdeMissingField { field, .. } => format!("ontbrekend veld `{field}`"),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => format!(
            "onbekende waarde `{variant}`, verwacht een van {}",
            list(expected)
        ),
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => translate(&format!("invalid type: {unexpected}, expected {expected}")),
        E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => translate(&format!("invalid value: {unexpected}, expected {expected}")),
        E::SerdeInvalidLength { len, expected, .. } => {
            translate(&format!("invalid length {len}, expected {expected}"))
        }
        E::Unexpected { expected, .. } => match *expected {
            "sequence start" => "ongeldig type: verwacht een lijst ([a, b] of regels met -; een lege lijst is [])".into(),
            "mapping start" => {
                "ongeldig type: verwacht sleutels met waarden (sleutel: waarde; leeg is {})".into()
            }
            "string scalar" | "scalar" => {
                "ongeldig type: verwacht een enkele waarde (tekst of getal), geen lijst of blok"
                    .into()
            }
            other => format!("ongeldig type: verwacht {}", translate(other)),
        },
        E::InvalidScalar { ty, .. } => format!("ongeldige waarde: verwacht {}", type_name(ty)),
        E::InvalidBooleanStrict { .. } => "verwacht ja/nee (true/false)".into(),
        E::NullIntoString { .. } => "verwacht een tekst, gevonden een lege waarde".into(),
        E::UnexpectedValueForUnit { .. }
        | E::UnexpectedValueForUnitEnumVariant { .. }
        | E::ExpectedEmptyMappingForUnitStruct { .. } => "hier wordt geen waarde verwacht".into(),
        E::MergeValueNotMapOrSeqOfMaps { .. } | E::MergeKeyNotAllowed { .. } => {
            "een samenvoegsleutel (<<) mag hier niet".into()
        }
        E::InvalidUtf8Input => "het bestand is geen geldige UTF-8-tekst (bewaar het als UTF-8)".into(),
        E::Message { msg, .. } | E::SerdeVariantId { msg, .. } => translate(msg),
        E::IndentationError { .. } | E::FoldedBlockScalarMustIndentContent { .. } => {
            "de inspringing klopt niet".into()
        }
        E::QuotingRequired { .. } => "zet deze waarde tussen aanhalingstekens".into(),
        E::NonFiniteFloat { value, .. } => format!("`{value}` is geen eindig getal"),
        _ => "de tekst volgt de YAML-regels hier niet".into(),
    }
}

/// A Rust type named by the parser, in words.
fn type_name(ty: &str) -> &'static str {
    match ty {
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "een geheel getal",
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => "een positief geheel getal",
        "f32" | "f64" => "een getal",
        "bool" | "boolean" => "ja/nee (true/false)",
        "char" => "één teken",
        _ => "een waarde van een ander soort",
    }
}

/// A syntax error of the YAML parser in Dutch, by its kind.
fn parser_message(kind: &serde_saphyr::granit_parser::ErrorKind, original: &str) -> String {
    use serde_saphyr::granit_parser::ErrorKind as K;
    let m = match kind {
        K::UnexpectedCharacter { .. } => {
            "een teken dat hier niet mag staan (bv. een @ of ` aan het begin van een waarde, of een stuurteken; zet de waarde tussen aanhalingstekens)"
        }
        K::TabNotAllowed
        | K::TabInBlockIndentation
        | K::TabInIndentation
        | K::TabInPlainScalar
        | K::TabAtBlockScalarStart => "een tab in de inspringing (gebruik spaties)",
        K::ExpectedBlockMappingKey | K::SimpleKeyExpected | K::InvalidSimpleKey => {
            "hier werd een sleutel met een dubbelpunt (sleutel: waarde) verwacht (klopt de inspringing?)"
        }
        K::ExpectedNodeContent => "hier werd een waarde verwacht",
        K::ExpectedBlockSequenceEntry => {
            "hier werd een lijstelement (-) verwacht (klopt de inspringing?)"
        }
        K::ExpectedFlowSequenceSeparator | K::UnclosedFlowCollection { open: '[' } => {
            "een lijst tussen [ ] is niet goed gesloten (ontbreekt een , of ]?)"
        }
        K::ExpectedFlowMappingSeparator | K::UnclosedFlowCollection { .. } => {
            "een verzameling tussen { } is niet goed gesloten (ontbreekt een , of }?)"
        }
        K::MisplacedFlowCollectionEnd | K::MismatchedFlowCollectionEnd { .. } => {
            "een sluitend haakje (] of }) zonder bijhorend openend haakje"
        }
        K::MappingValueNotAllowed | K::InvalidColonPlacement => {
            "een dubbelpunt (sleutel: waarde) mag hier niet (zet de tekst tussen aanhalingstekens)"
        }
        K::BlockSequenceEntryNotAllowed | K::BlockEntryInFlowCollection => {
            "een lijstelement (-) mag hier niet (klopt de inspringing?)"
        }
        K::MappingKeyNotAllowed => "een sleutel mag hier niet",
        K::InvalidIndentation
        | K::InvalidQuotedScalarIndent
        | K::InvalidFlowScalarIndent
        | K::InvalidBlockScalarIndent => "de inspringing klopt niet",
        K::UnclosedQuotedScalar | K::UnexpectedEof => {
            "onverwacht einde van het bestand (een aanhalingsteken of haakje niet gesloten?)"
        }
        K::UnknownQuotedScalarEscape
        | K::InvalidQuotedScalarHexEscape
        | K::InvalidUnicodeEscape
        | K::InvalidLowSurrogate
        | K::InvalidLowSurrogateHexEscape
        | K::MissingLowSurrogate
        | K::UnpairedLowSurrogate => {
            "onbekende escape-reeks na \\ in een tekst tussen dubbele aanhalingstekens"
        }
        K::UnknownAnchor => "verwijzing naar een onbekend anker (*naam zonder &naam)",
        K::DocumentIndicatorInQuotedScalar | K::InvalidDocumentEnd => {
            "onverwachte documentscheiding (--- of ...)"
        }
        K::RecursionLimitExceeded => {
            return format!("te diep genest (meer dan {MAX_YAML_DEPTH} niveaus)");
        }
        K::MultipleDocumentsUnsupported => "het bestand bevat meer dan één YAML-document (---)",
        K::BomInsideDocument => "een byte-order mark (U+FEFF) midden in het bestand",
        K::CommentNotSeparated => "een # van commentaar moet na een spatie komen",
        K::InvalidTrailingSingleQuotedScalar | K::InvalidTrailingDoubleQuotedScalar => {
            "tekst na het sluitende aanhalingsteken (zet de hele waarde tussen aanhalingstekens)"
        }
        K::InvalidMappingValueWhitespace
        | K::InvalidBlockEntryWhitespace
        | K::ExpectedWhitespace => "na : of - hoort een spatie",
        K::CommentInterceptedScalar => "commentaar (#) midden in een tekst over meerdere regels",
        _ => {
            let _ = original;
            "de tekst volgt de YAML-regels hier niet"
        }
    };
    m.to_string()
}

/// serde's English phrases in Dutch, outside quoted parts (the user's own values and names).
fn translate(raw: &str) -> String {
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
        (
            "data did not match any variant of untagged enum",
            "de waarde heeft geen toegelaten vorm voor",
        ),
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
        ("struct ", "de velden van "),
        ("map", "verzameling sleutels"),
    ];
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
    msg
}

/// `file:line:column` of the first occurrence of `needle` in the file, or just the file.
///
/// Values found invalid after parsing are so references found invalid after parsing are
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        id: String,
        #[serde(default)]
        lijst: Vec<String>,
        #[serde(default)]
        tabel: std::collections::BTreeMap<String, String>,
    }

    fn err(text: &str) -> (usize, usize, String) {
        let e = from_str::<Doc>(text).unwrap_err();
        (e.line, e.column, e.message)
    }

    #[test]
    fn every_message_is_dutch_with_its_line_and_column() {
        let (l, c, m) = err("id: x\nkleur: rood\n");
        assert_eq!((l, c), (2, 1));
        assert!(
            m.starts_with("ongeldige YAML: onbekend veld `kleur`"),
            "{m}"
        );
        let (l, c, m) = err("id: x\ntabel:\n  a: 1\n  b: 2\n  a: 3\n");
        assert_eq!((l, c), (5, 3));
        assert!(
            m.contains("de sleutel `a` komt hier een tweede keer voor"),
            "{m}"
        );
        // A key written once plain and once quoted is the same key.
        let (l, _, m) = err("id: x\n'id': y\n");
        assert_eq!(l, 2);
        assert!(m.contains("`id`"), "{m}");
        let (l, _, m) = err("id: @x\n");
        assert_eq!(l, 1);
        assert!(m.contains("een teken dat hier niet mag staan"), "{m}");
        let (_, _, m) = err("id: x\nlijst:\n\t- a\n");
        assert!(m.contains("een tab in de inspringing"), "{m}");
        let (_, _, m) = err("id: [a, b\n");
        assert!(m.contains("niet goed gesloten"), "{m}");
        let (_, _, m) = err("id: *nergens\n");
        assert!(m.contains("onbekend anker"), "{m}");
        let (_, _, m) = err("id: x\n---\nid: y\n");
        assert!(m.contains("meer dan één YAML-document"), "{m}");
        let (_, _, m) = err("lijst: [a]\n");
        assert!(m.contains("ontbrekend veld `id`"), "{m}");
        let (_, _, m) = err("id: x\nlijst: {a: b}\n");
        assert!(m.contains("ongeldig type: verwacht een lijst"), "{m}");
        for (_, _, m) in [err("id: \"\\q\"\n"), err("id: x\nlijst: [a]]\n")] {
            assert!(!m.contains(" the ") && !m.contains("expected"), "{m}");
        }
    }

    #[test]
    fn the_budget_stops_deep_nesting_and_alias_bombs() {
        let n = 40_000;
        let (l, _, m) = err(&format!("id: {}{}\n", "[".repeat(n), "]".repeat(n)));
        assert_eq!(l, 1);
        assert!(m.contains("te diep genest (meer dan 64 niveaus)"), "{m}");
        let (_, _, m) = err(&format!("id: x\nlijst:\n{}x\n", "  - ".repeat(n)));
        assert!(m.contains("te diep genest"), "{m}");
        let mut nested = String::from("id: x\ntabel:\n");
        for i in 0..100 {
            nested.push_str(&format!("{}a{i}:\n", "  ".repeat(i + 1)));
        }
        let (l, _, m) = err(&nested);
        assert!(m.contains("te diep genest") && l < 70, "{l} {m}");
        let mut bomb = String::from("id: x\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for w in names.windows(2) {
            bomb.push_str(&format!(
                "{}: &{} [{}]\n",
                w[1],
                w[1],
                vec![format!("*{}", w[0]); 9].join(",")
            ));
        }
        let (_, _, m) = err(&bomb);
        assert!(m.contains("aliassen"), "{m}");
    }

    #[test]
    fn a_byte_order_mark_and_yaml_1_2_scalars_read_as_before() {
        let d: Doc = from_str("\u{FEFF}id: Y\nlijst: [ja, 0012, 1_000, 1.10, true]\n").unwrap();
        assert_eq!(d.id, "Y");
        assert_eq!(d.lijst, ["ja", "0012", "1_000", "1.10", "true"]);
        let d: Doc = from_str("id:\n").unwrap();
        assert_eq!(d.id, "");
    }

    #[test]
    fn skeleton_texts_are_quoted_where_needed() {
        for s in [
            "a: b",
            "# geen commentaar",
            "'quote' \"dubbel\"",
            "twee\nregels",
            "- lijst",
            "@x",
            "ja",
            "\u{1}",
        ] {
            let line = format!("- {} # {}\n", scalar(s), comment(s));
            let back: Vec<String> = from_str(&line).unwrap();
            assert_eq!(back, [s], "{line}");
        }
    }
}
