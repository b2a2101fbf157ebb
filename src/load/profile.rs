//! Delivery profiles (`plans/leveringen/*.yaml`): how a delivery in a partner's own layout
//! maps onto the contract. The README ("Partner deliveries as they arrive") documents the
//! format with a worked example.
//!
//! A profile is read and validated once ([`read_profiles`]); the readers then use it to pick
//! the sheet and the header row, and [`super::table::TableBuilder`] uses it to build each
//! contract column (their header, a composition of headers or a constant), to translate
//! values and to read the delivery's date forms. Positions in the profile's YAML are kept so
//! that every finding about a delivery names the profile line to change.

use super::cell::{self, Cell};
use crate::contract::{Column, DOMAINS, Kind, Source};
use crate::diagnostic::{Diagnostic, Diagnostics};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A scalar YAML value read as text (`CAW`, `2024`, `ja`): codes and headers may look like
/// numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::String(s) => Ok(Scalar(s)),
            serde_yaml::Value::Number(n) => Ok(Scalar(n.to_string())),
            serde_yaml::Value::Bool(b) => Ok(Scalar(if b { "ja" } else { "nee" }.into())),
            serde_yaml::Value::Null => Ok(Scalar(String::new())),
            _ => Err(serde::de::Error::custom(
                "verwacht een enkele waarde (tekst of getal), geen lijst of blok",
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileYaml {
    id: String,
    bron: String,
    leverancier: String,
    #[serde(default)]
    #[allow(dead_code)]
    omschrijving: Option<String>,
    #[serde(default)]
    herkenning: Option<RecognitionYaml>,
    #[serde(default)]
    blad: Option<Scalar>,
    #[serde(default)]
    kopregel: Option<usize>,
    #[serde(default)]
    extractiedatum: Option<ExtractionYaml>,
    #[serde(default)]
    kolommen: BTreeMap<String, ColumnYaml>,
    #[serde(default)]
    constanten: BTreeMap<String, Scalar>,
    #[serde(default)]
    waarden: BTreeMap<String, BTreeMap<Scalar, Scalar>>,
    #[serde(default)]
    datumvormen: Option<Vec<String>>,
    #[serde(default)]
    weglaten: Vec<DropYaml>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecognitionYaml {
    #[serde(default)]
    bestandsnaam: Option<String>,
    #[serde(default)]
    kolommen: Vec<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtractionYaml {
    #[serde(default)]
    cel: Option<String>,
    /// True: the first `yyyy-mm-dd` (or `yyyymmdd`) in the file name.
    #[serde(default)]
    bestandsnaam: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ColumnYaml {
    Header(Scalar),
    Composed(ComposedYaml),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComposedYaml {
    samen: Vec<Scalar>,
    #[serde(default)]
    scheiding: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DropYaml {
    kolom: Scalar,
    #[serde(default)]
    begint_met: Option<Scalar>,
    #[serde(default)]
    gelijk_aan: Option<Scalar>,
    #[serde(default)]
    leeg: Option<bool>,
}

/// How a contract column is filled from a delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapping {
    /// Their header.
    Header(String),
    /// Their headers, non-empty values joined by the separator.
    Composed(Vec<String>, String),
    /// The same value on every row.
    Constant(String),
}

/// A date form a profile accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateForm {
    /// `yyyy-mm-dd`
    Iso,
    /// `d/m/yyyy`
    SlashDmy,
    /// `dd.mm.yyyy` (one or two digits for day and month)
    DotDmy,
    /// `dd-mm-yy`
    DashDmyShort,
    /// `dd-mm-yyyy`
    DashDmy,
    /// An Excel date cell, or a serial number (a number cell or a text of digits).
    Excel,
}

impl DateForm {
    const ALL: [(&'static str, DateForm); 6] = [
        ("yyyy-mm-dd", DateForm::Iso),
        ("d/m/yyyy", DateForm::SlashDmy),
        ("dd.mm.yyyy", DateForm::DotDmy),
        ("dd-mm-yy", DateForm::DashDmyShort),
        ("dd-mm-yyyy", DateForm::DashDmy),
        ("excel", DateForm::Excel),
    ];

    fn from_name(name: &str) -> Option<DateForm> {
        Self::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, f)| *f)
    }

    pub(crate) fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .expect("every form is listed")
    }

    /// A text date in this form (`None` for other forms and impossible dates).
    fn parse(self, text: &str) -> Option<NaiveDate> {
        let t = text.trim();
        let dmy = |sep: char, year_digits: usize| -> Option<NaiveDate> {
            let parts: Vec<&str> = t.split(sep).collect();
            if parts.len() != 3
                || !(1..=2).contains(&parts[0].len())
                || !(1..=2).contains(&parts[1].len())
                || parts[2].len() != year_digits
                || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
            {
                return None;
            }
            let (d, m, y): (u32, u32, i32) = (
                parts[0].parse().ok()?,
                parts[1].parse().ok()?,
                parts[2].parse().ok()?,
            );
            // Two-digit years: 00-69 are 2000-2069, 70-99 are 1970-1999.
            let y = match year_digits {
                2 if y < 70 => 2000 + y,
                2 => 1900 + y,
                _ => y,
            };
            NaiveDate::from_ymd_opt(y, m, d)
        };
        match self {
            DateForm::Iso | DateForm::SlashDmy => {
                let d = cell::parse_date(t)?;
                let iso = t.len() == 10 && t.as_bytes()[4] == b'-';
                (iso == (self == DateForm::Iso)).then_some(d)
            }
            DateForm::DotDmy => dmy('.', 4),
            DateForm::DashDmyShort => dmy('-', 2),
            DateForm::DashDmy => dmy('-', 4),
            DateForm::Excel => {
                if !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                    serial(t.parse().ok()?)
                } else {
                    None
                }
            }
        }
    }
}

/// An Excel serial day number as a date (1900 date system; the time of day is dropped).
fn serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&n) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(n.trunc() as u64))
}

/// A rule for rows to drop before any check.
#[derive(Debug, Clone, PartialEq)]
pub struct DropRule {
    /// Their header.
    pub header: String,
    pub test: DropTest,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DropTest {
    StartsWith(String),
    Equals(String),
    Empty,
}

impl DropTest {
    /// True when a cell shown as `v` makes its row one to drop.
    pub(crate) fn matches(&self, v: &str) -> bool {
        let v = v.trim();
        match self {
            DropTest::StartsWith(p) => v.to_lowercase().starts_with(&p.trim().to_lowercase()),
            DropTest::Equals(p) => v.eq_ignore_ascii_case(p.trim()),
            DropTest::Empty => v.is_empty(),
        }
    }
}

/// Where the delivery says when it was extracted.
#[derive(Debug, Clone, PartialEq)]
pub enum Extraction {
    /// A cell above the header row: (0-based row, 0-based column), as written (`A2`).
    Cell(usize, usize, String),
    /// The first `yyyy-mm-dd` or `yyyymmdd` in the file name.
    FileName,
}

/// One validated delivery profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: String,
    /// The YAML file, as shown in messages.
    pub file: String,
    pub source: Source,
    /// The delivering organisation (`leverancier`).
    pub supplier: String,
    glob: Option<glob::Pattern>,
    /// Headers that must all be present (`herkenning.kolommen`).
    pub signature: Vec<String>,
    pub sheet: Option<String>,
    /// 1-based row of the header.
    pub header_row: usize,
    pub extraction: Option<Extraction>,
    /// Per contract column named in `kolommen` or `constanten`.
    pub columns: Vec<(&'static str, Mapping)>,
    /// Per contract column: their value (trimmed, lower case) → contract value.
    pub values: BTreeMap<&'static str, BTreeMap<String, String>>,
    /// Per contract column: their values as written, with the code each stands for (the
    /// value table in their words, for feedback to the partner).
    pub words: BTreeMap<&'static str, Vec<(String, String)>>,
    /// Accepted date forms; `None`: the contract's (date cell, `yyyy-mm-dd`, `d/m/yyyy`).
    pub date_forms: Option<Vec<DateForm>>,
    pub drops: Vec<DropRule>,
    /// SHA-256 of the profile's text (part of the parse cache key).
    pub hash: String,
    /// `file:line` of YAML keys, by dotted path (`kolommen.traject_id`, `waarden.afloop`).
    lines: BTreeMap<String, usize>,
}

/// What a project declares about deliveries: the profiles and the expected deliveries.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    pub profiles: Vec<Profile>,
    pub expected: Vec<super::expected::Expected>,
}

impl Profile {
    /// `file:line` of a YAML key path such as `waarden.gevangenis` (the nearest existing
    /// parent when the key is absent, else the file).
    pub(crate) fn line(&self, path: &str) -> String {
        let mut p = path;
        loop {
            if let Some(l) = self.lines.get(p) {
                return format!("{}:{l}", self.file);
            }
            match p.rsplit_once('.') {
                Some((parent, _)) => p = parent,
                None => return self.file.clone(),
            }
        }
    }

    /// True when the file name matches `herkenning.bestandsnaam` (or there is none).
    pub(crate) fn name_matches(&self, file_name: &str) -> bool {
        self.glob.as_ref().is_none_or(|g| {
            g.matches_with(
                file_name,
                glob::MatchOptions {
                    case_sensitive: false,
                    require_literal_separator: true,
                    require_literal_leading_dot: false,
                },
            )
        })
    }

    /// True when `headers` hold every header of the signature (ignoring case and spaces).
    pub(crate) fn signature_matches(&self, headers: &[String]) -> bool {
        self.signature
            .iter()
            .all(|s| headers.iter().any(|h| same_header(h, s)))
    }

    pub(crate) fn has_signature(&self) -> bool {
        !self.signature.is_empty()
    }

    /// The mapping of contract column `name`, if the profile gives one.
    pub(crate) fn mapping(&self, name: &str) -> Option<&Mapping> {
        self.columns
            .iter()
            .find(|(c, _)| *c == name)
            .map(|(_, m)| m)
    }

    /// Their value for contract column `name` translated by `waarden` (`None`: not listed).
    pub(crate) fn translate(&self, name: &str, value: &str) -> Option<&str> {
        self.values
            .get(name)?
            .get(&value.trim().to_lowercase())
            .map(String::as_str)
    }

    /// The accepted date forms, in words, for messages.
    pub(crate) fn date_forms_text(&self) -> String {
        match &self.date_forms {
            Some(f) => f.iter().map(|f| f.name()).collect::<Vec<_>>().join(", "),
            None => "datumcel, yyyy-mm-dd, d/m/yyyy".into(),
        }
    }

    /// A date cell read by the profile's date forms; `None` when its form is not accepted.
    pub(crate) fn date(&self, c: &Cell) -> Option<NaiveDate> {
        let forms = self.date_forms.as_ref()?;
        match c {
            Cell::Date(d) if forms.contains(&DateForm::Excel) => Some(*d),
            Cell::Number(n) if forms.contains(&DateForm::Excel) => serial(*n),
            Cell::Text(t) => forms.iter().find_map(|f| f.parse(t)),
            _ => None,
        }
    }

    /// A date found in a text by the profile's date forms (or the contract's), e.g. in
    /// `Extractie: 15.01.2025`.
    pub(crate) fn date_in_text(&self, text: &str) -> Option<NaiveDate> {
        let forms: Vec<DateForm> = self
            .date_forms
            .clone()
            .unwrap_or_else(|| vec![DateForm::Iso, DateForm::SlashDmy]);
        text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '_'))
            .map(|w| w.trim_matches(|c: char| matches!(c, ':' | '.')))
            .filter(|w| !w.is_empty())
            .find_map(|w| {
                forms
                    .iter()
                    .filter(|f| **f != DateForm::Excel)
                    .find_map(|f| f.parse(w))
                    .or_else(|| cell::parse_date(w))
            })
    }

    /// The extraction date from the file name (`caw-2024-extractie-2025-01-15.xlsx`).
    pub(crate) fn date_in_file_name(name: &str) -> Option<NaiveDate> {
        let b = name.as_bytes();
        (0..b.len()).find_map(|i| {
            let iso = b.get(i..i + 10)?;
            if iso[4] == b'-'
                && iso[7] == b'-'
                && let Some(d) = std::str::from_utf8(iso).ok().and_then(cell::parse_date)
            {
                return Some(d);
            }
            let compact = b.get(i..i + 8)?;
            let before = i.checked_sub(1).and_then(|j| b.get(j));
            let after = b.get(i + 8);
            if compact.iter().all(u8::is_ascii_digit)
                && !before.is_some_and(u8::is_ascii_digit)
                && !after.is_some_and(u8::is_ascii_digit)
            {
                let s = std::str::from_utf8(compact).ok()?;
                return NaiveDate::parse_from_str(s, "%Y%m%d").ok();
            }
            None
        })
    }
}

/// Header comparison: case and surrounding spaces ignored.
pub(crate) fn same_header(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The `(row, column)` (0-based) of a cell reference such as `A2`.
fn cell_ref(r: &str) -> Option<(usize, usize)> {
    let r = r.trim();
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let row: usize = digits.parse().ok().filter(|r| *r >= 1)?;
    let col = letters.bytes().fold(0usize, |acc, b| {
        acc * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize
    });
    Some((row - 1, col - 1))
}

/// The 1-based line of every block-style key in `text`, by dotted path (`waarden.afloop`).
/// Flow-style values (`{ samen: [...] }`) are not descended into.
fn key_lines(text: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    // (indent, key) of the open parents.
    let mut stack: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('-') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let key = match trimmed.chars().next() {
            Some(q @ ('"' | '\'')) => trimmed[1..].split(q).next().map(str::to_string),
            _ => trimmed
                .split(": ")
                .next()
                .map(|k| k.trim_end_matches(':').to_string()),
        };
        let Some(key) = key else { continue };
        if !trimmed.contains(':') {
            continue;
        }
        while stack.last().is_some_and(|(d, _)| *d >= indent) {
            stack.pop();
        }
        let path = stack
            .iter()
            .map(|(_, k)| k.as_str())
            .chain([key.as_str()])
            .collect::<Vec<_>>()
            .join(".");
        out.entry(path).or_insert(i + 1);
        stack.push((indent, key));
    }
    out
}

/// The allowed values of a code column, for messages and validation (`None`: free text).
pub(crate) fn allowed_codes(kind: Kind, prisons: &[String]) -> Option<Vec<String>> {
    match kind {
        Kind::Prison => Some(prisons.to_vec()),
        Kind::Domain => Some(DOMAINS.iter().map(|s| s.to_string()).collect()),
        Kind::Code(list) => Some(list.iter().map(|s| s.to_string()).collect()),
        Kind::YesNo => Some(vec!["ja".into(), "nee".into()]),
        _ => None,
    }
}

fn column(source: Source, name: &str) -> Option<&'static Column> {
    source.columns().iter().find(|c| c.name == name)
}

/// Reads every profile in `folder` (`*.yaml`, except `verwacht.yaml`) and the expected
/// deliveries. Without the folder: no profiles, nothing expected. All findings at once, each
/// at `file:line:column` where the YAML says it.
pub fn read_profiles(folder: &Path, prisons: &[String]) -> Result<Profiles, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut out = Profiles::default();
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => {
            return Err(Diagnostics(vec![Diagnostic::error(
                crate::diagnostic::display_path(folder),
                format!(
                    "de map met leveringsprofielen kan niet gelezen worden: {}",
                    crate::error::io_message(&e)
                ),
            )]));
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        })
        .collect();
    paths.sort();
    for path in paths {
        let Some((text, shown)) = crate::yaml::read_yaml_file(&path, &mut diags) else {
            continue;
        };
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if stem == "verwacht" {
            out.expected = super::expected::read(&text, &shown, &mut diags);
            continue;
        }
        if let Some(p) = parse_profile(&text, &shown, &stem, prisons, &mut diags) {
            out.profiles.push(p);
        }
    }
    for (i, a) in out.profiles.iter().enumerate() {
        if let Some(b) = out.profiles[..i].iter().find(|b| b.id == a.id) {
            diags.push(Diagnostic::error(
                a.line("id"),
                format!("profiel-id `{}` komt ook voor in {}", a.id, b.file),
            ));
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(out)
}

fn parse_profile(
    text: &str,
    shown: &str,
    stem: &str,
    prisons: &[String],
    diags: &mut Diagnostics,
) -> Option<Profile> {
    let y: ProfileYaml = crate::yaml::parse_yaml(text, shown, diags)?;
    let lines = key_lines(text);
    let at = |path: &str| -> String {
        let mut p = path;
        loop {
            if let Some(l) = lines.get(p) {
                let col = text
                    .lines()
                    .nth(l - 1)
                    .map_or(1, |s| s.len() - s.trim_start().len() + 1);
                return format!("{shown}:{l}:{col}");
            }
            match p.rsplit_once('.') {
                Some((parent, _)) => p = parent,
                None => return shown.to_string(),
            }
        }
    };
    let before = diags.error_count();
    let mut err = |path: &str, m: String| diags.push(Diagnostic::error(at(path), m));
    if y.id != stem {
        err(
            "id",
            format!(
                "het profiel-id `{}` moet gelijk zijn aan de bestandsnaam zonder .yaml (`{stem}`)",
                y.id
            ),
        );
    }
    let Some(source) = Source::from_name(y.bron.trim()) else {
        err(
            "bron",
            format!(
                "onbekende bron `{}` (verwacht: {})",
                y.bron,
                Source::ALL.map(|s| s.name()).join(", ")
            ),
        );
        return None;
    };
    let names = || {
        source
            .columns()
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if y.leverancier.trim().is_empty() {
        err("leverancier", "leverancier is leeg".into());
    }
    let glob = match y
        .herkenning
        .as_ref()
        .and_then(|h| h.bestandsnaam.as_deref())
    {
        Some(g) => match glob::Pattern::new(g.trim()) {
            Ok(p) => Some(p),
            Err(e) => {
                err(
                    "herkenning.bestandsnaam",
                    format!("ongeldig bestandsnaampatroon `{g}`: {}", e.msg),
                );
                None
            }
        },
        None => None,
    };
    let signature: Vec<String> = y
        .herkenning
        .as_ref()
        .map(|h| h.kolommen.iter().map(|s| s.0.trim().to_string()).collect())
        .unwrap_or_default();
    if y.herkenning.is_none() {
        err(
            "id",
            "het profiel zegt niet hoe een levering herkend wordt: geef `herkenning:` met `bestandsnaam:` en/of `kolommen:`".into(),
        );
    } else if glob.is_none() && signature.is_empty() {
        err(
            "herkenning",
            "herkenning: geef `bestandsnaam:` en/of `kolommen:`".into(),
        );
    }
    let header_row = y.kopregel.unwrap_or(1);
    if header_row == 0 {
        err("kopregel", "kopregel telt vanaf 1 (de eerste rij)".into());
    }
    let extraction = match &y.extractiedatum {
        None => None,
        Some(ExtractionYaml {
            cel: Some(c),
            bestandsnaam: None | Some(false),
        }) => match cell_ref(c) {
            Some((r, col)) if r + 1 < header_row.max(1) => {
                Some(Extraction::Cell(r, col, c.trim().to_uppercase()))
            }
            Some(_) => {
                err(
                    "extractiedatum.cel",
                    format!(
                        "de cel `{c}` moet boven de kopregel (rij {header_row}) liggen, bij de titelrijen"
                    ),
                );
                None
            }
            None => {
                err(
                    "extractiedatum.cel",
                    format!("`{c}` is geen celverwijzing (verwacht bv. A2)"),
                );
                None
            }
        },
        Some(ExtractionYaml {
            cel: None,
            bestandsnaam: Some(true),
        }) => Some(Extraction::FileName),
        Some(_) => {
            err(
                "extractiedatum",
                "extractiedatum: geef ofwel `cel: A2` ofwel `bestandsnaam: true`".into(),
            );
            None
        }
    };
    let mut columns: Vec<(&'static str, Mapping)> = Vec::new();
    for (name, spec) in &y.kolommen {
        let Some(c) = column(source, name.trim()) else {
            err(
                &format!("kolommen.{name}"),
                format!(
                    "`{name}` is geen kolom van bron {source} (kolommen: {})",
                    names()
                ),
            );
            continue;
        };
        let m = match spec {
            ColumnYaml::Header(h) if h.0.trim().is_empty() => {
                err(
                    &format!("kolommen.{name}"),
                    format!("lege kolomkop voor `{name}`"),
                );
                continue;
            }
            ColumnYaml::Header(h) => Mapping::Header(h.0.trim().to_string()),
            ColumnYaml::Composed(ComposedYaml { samen, scheiding }) => {
                if samen.len() < 2 {
                    err(
                        &format!("kolommen.{name}"),
                        format!("`samen` voor `{name}` noemt minstens twee kolomkoppen"),
                    );
                    continue;
                }
                Mapping::Composed(
                    samen.iter().map(|s| s.0.trim().to_string()).collect(),
                    scheiding.clone().unwrap_or_else(|| " ".into()),
                )
            }
        };
        columns.push((c.name, m));
    }
    for (name, v) in &y.constanten {
        let Some(c) = column(source, name.trim()) else {
            err(
                &format!("constanten.{name}"),
                format!(
                    "`{name}` is geen kolom van bron {source} (kolommen: {})",
                    names()
                ),
            );
            continue;
        };
        if y.kolommen.contains_key(name) {
            err(
                &format!("constanten.{name}"),
                format!("`{name}` staat zowel onder `kolommen` als onder `constanten`"),
            );
            continue;
        }
        columns.push((c.name, Mapping::Constant(v.0.trim().to_string())));
    }
    let mut values: BTreeMap<&'static str, BTreeMap<String, String>> = BTreeMap::new();
    let mut words: BTreeMap<&'static str, Vec<(String, String)>> = BTreeMap::new();
    for (name, table) in &y.waarden {
        let Some(c) = column(source, name.trim()) else {
            err(
                &format!("waarden.{name}"),
                format!(
                    "`{name}` is geen kolom van bron {source} (kolommen: {})",
                    names()
                ),
            );
            continue;
        };
        let allowed = allowed_codes(c.kind, prisons);
        let mut map = BTreeMap::new();
        for (theirs, ours) in table {
            if let Some(allowed) = &allowed
                && !allowed.iter().any(|a| *a == ours.0.trim())
            {
                let path = format!("waarden.{name}.{}", theirs.0);
                err(
                    &path,
                    format!(
                        "`{}` is geen geldige waarde voor {name} (toegelaten: {})",
                        ours.0,
                        allowed.join(", ")
                    ),
                );
                continue;
            }
            map.insert(theirs.0.trim().to_lowercase(), ours.0.trim().to_string());
            words
                .entry(c.name)
                .or_default()
                .push((theirs.0.trim().to_string(), ours.0.trim().to_string()));
        }
        values.insert(c.name, map);
    }
    let date_forms = match &y.datumvormen {
        None => None,
        Some(list) => {
            let mut forms = Vec::new();
            for f in list {
                match DateForm::from_name(f) {
                    Some(d) => forms.push(d),
                    None => err(
                        "datumvormen",
                        format!(
                            "onbekende datumvorm `{f}` (toegelaten: {})",
                            DateForm::ALL.map(|(n, _)| n).join(", ")
                        ),
                    ),
                }
            }
            if list.is_empty() {
                err("datumvormen", "datumvormen is leeg".into());
            }
            Some(forms)
        }
    };
    let mut drops = Vec::new();
    for d in &y.weglaten {
        let test = match (&d.begint_met, &d.gelijk_aan, d.leeg) {
            (Some(p), None, None | Some(false)) => DropTest::StartsWith(p.0.clone()),
            (None, Some(p), None | Some(false)) => DropTest::Equals(p.0.clone()),
            (None, None, Some(true)) => DropTest::Empty,
            _ => {
                err(
                    "weglaten",
                    format!(
                        "weglaten voor kolom `{}`: geef precies één van `begint_met`, `gelijk_aan` of `leeg: true`",
                        d.kolom.0
                    ),
                );
                continue;
            }
        };
        drops.push(DropRule {
            header: d.kolom.0.trim().to_string(),
            test,
        });
    }
    if diags.error_count() > before {
        return None;
    }
    Some(Profile {
        id: y.id,
        file: shown.to_string(),
        source,
        supplier: y.leverancier.trim().to_string(),
        glob,
        signature,
        sheet: y.blad.map(|s| s.0.trim().to_string()),
        header_row,
        extraction,
        columns,
        values,
        words,
        date_forms,
        drops,
        hash: crate::cache::sha256_hex(text.as_bytes()),
        lines,
    })
}

/// The profiles that may read a delivery named `file_name` of `source`: those for the source
/// whose file-name pattern matches (or that have none).
pub(crate) fn candidates<'p>(
    profiles: &'p [Profile],
    source: Source,
    file_name: &str,
) -> Vec<&'p Profile> {
    profiles
        .iter()
        .filter(|p| p.source == source && p.name_matches(file_name))
        .collect()
}

/// Picks the one profile that reads a delivery among `candidates`: a candidate with a header
/// signature matches when `headers_of(profile)` (its sheet's header row) holds it; one with
/// only a file-name pattern matches by name. `Ok(None)`: no profile, the contract layout.
/// `Err`: the Dutch message when two or more match.
pub(crate) fn recognise<'p>(
    candidates: &[&'p Profile],
    mut headers_of: impl FnMut(&Profile) -> Option<Vec<String>>,
) -> Result<Option<&'p Profile>, String> {
    let matched: Vec<&'p Profile> = candidates
        .iter()
        .copied()
        .filter(|p| !p.has_signature() || headers_of(p).is_some_and(|h| p.signature_matches(&h)))
        .collect();
    match matched.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(format!(
            "het bestand past bij meer dan één leveringsprofiel: {}; maak de herkenning (bestandsnaam of kolommen) van één ervan strikter",
            many.iter()
                .map(|p| format!("{} ({})", p.id, p.line("herkenning")))
                .collect::<Vec<_>>()
                .join(" en ")
        )),
    }
}

/// [`recognise`] for a reader: records the profile in `meta` and a note when no profile
/// fits. `Err(())` when two profiles fit (the error is then in `findings`).
pub(crate) fn choose<'p>(
    candidates: &[&'p Profile],
    headers_of: impl FnMut(&Profile) -> Option<Vec<String>>,
    file: &str,
    findings: &mut super::table::Findings,
    meta: &mut super::Meta,
) -> Result<Option<&'p Profile>, ()> {
    match recognise(candidates, headers_of) {
        Ok(p) => {
            meta.profile = p.map(|p| p.id.clone());
            if let Some(m) = unrecognised(candidates, p) {
                findings.warning(file.to_string(), m);
            }
            Ok(p)
        }
        Err(m) => {
            findings.error(file.to_string(), m);
            Err(())
        }
    }
}

/// When profiles matched the file's name but none its headers: a note naming what they
/// expect, so that a steward sees why the file is read in the contract's layout.
pub(crate) fn unrecognised(candidates: &[&Profile], chosen: Option<&Profile>) -> Option<String> {
    if chosen.is_some() || candidates.is_empty() {
        return None;
    }
    Some(format!(
        "geen leveringsprofiel herkend, het bestand wordt in het formaat van het contract gelezen; {}",
        candidates
            .iter()
            .map(|p| format!(
                "profiel {} ({}) verwacht de kolomkoppen {} in rij {}{}",
                p.id,
                p.line("herkenning"),
                p.signature.join(", "),
                p.header_row,
                p.sheet
                    .as_ref()
                    .map(|s| format!(" van werkblad {s}"))
                    .unwrap_or_default()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_forms() {
        assert_eq!(DateForm::DotDmy.parse("05.03.2024"), Some(d(2024, 3, 5)));
        assert_eq!(DateForm::DotDmy.parse("5.3.2024"), Some(d(2024, 3, 5)));
        assert_eq!(DateForm::DotDmy.parse("31.02.2024"), None);
        assert_eq!(
            DateForm::DashDmyShort.parse("05-03-24"),
            Some(d(2024, 3, 5))
        );
        assert_eq!(DateForm::DashDmyShort.parse("05-03-2024"), None);
        assert_eq!(DateForm::DashDmy.parse("05-03-2024"), Some(d(2024, 3, 5)));
        assert_eq!(DateForm::Iso.parse("2024-03-05"), Some(d(2024, 3, 5)));
        assert_eq!(DateForm::Iso.parse("5/3/2024"), None);
        assert_eq!(DateForm::SlashDmy.parse("5/3/2024"), Some(d(2024, 3, 5)));
        assert_eq!(DateForm::Excel.parse("45356"), Some(d(2024, 3, 5)));
        assert_eq!(DateForm::from_name("DD.MM.YYYY"), Some(DateForm::DotDmy));
    }

    #[test]
    fn key_lines_follow_block_nesting() {
        let text = "id: x\nkolommen:\n  traject_id: Dossiernr\n  aanbod: { samen: [a, b] }\nwaarden:\n  gevangenis:\n    \"PI Gent\": gent\n  afloop:\n    Beëindigd: afgerond\n";
        let l = key_lines(text);
        assert_eq!(l["kolommen.traject_id"], 3);
        assert_eq!(l["waarden.gevangenis"], 6);
        assert_eq!(l["waarden.gevangenis.PI Gent"], 7);
        assert_eq!(l["waarden.afloop"], 8);
    }

    #[test]
    fn cell_references_and_file_name_dates() {
        assert_eq!(cell_ref("A2"), Some((1, 0)));
        assert_eq!(cell_ref("ab10"), Some((9, 27)));
        assert_eq!(cell_ref("2A"), None);
        assert_eq!(
            Profile::date_in_file_name("caw-2024_extractie-2025-01-15.xlsx"),
            Some(d(2025, 1, 15))
        );
        assert_eq!(
            Profile::date_in_file_name("caw_20250115.csv"),
            Some(d(2025, 1, 15))
        );
        assert_eq!(Profile::date_in_file_name("caw-2024.xlsx"), None);
    }
}
