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
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::path::Path;

/// A scalar YAML value read as text (`CAW`, `2024`, `ja`): codes and headers may look like
/// numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// Reads one scalar of any YAML type as text; a list or a block is refused.
struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("een enkele waarde (tekst of getal), geen lijst of blok")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(if v { "ja" } else { "nee" }.into()))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
        // `1.0` stays `1.0`, as written.
        Ok(Scalar(format!("{v:?}")))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar(String::new()))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar(String::new()))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<Scalar, A::Error> {
        Err(serde::de::Error::custom(
            "verwacht een enkele waarde (tekst of getal), geen lijst of blok",
        ))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Scalar, A::Error> {
        Err(serde::de::Error::custom(
            "verwacht een enkele waarde (tekst of getal), geen lijst of blok",
        ))
    }
}

/// A YAML mapping as its entries in file order (a value table: their word, our code).
#[derive(Debug)]
struct Pairs<K, V>(Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Pairs<K, V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<K, V>(std::marker::PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> serde::de::Visitor<'de> for V2<K, V> {
            type Value = Pairs<K, V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("sleutels met waarden (hun waarde: code)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = m.next_entry()? {
                    out.push(e);
                }
                Ok(Pairs(out))
            }
        }
        d.deserialize_map(V2(std::marker::PhantomData))
    }
}

/// A value table shared by profiles (`plans/leveringen/waarden/<naam>.yaml`): their word →
/// contract code, with the places of the words.
#[derive(Debug, Clone, Default)]
pub(crate) struct SharedTable {
    /// SHA-256 of the table's text (part of the hash of every profile that uses it).
    hash: String,
    entries: Vec<(String, String, String)>,
}

/// Reads the shared value tables in `folder` (absent: none), by name.
fn read_shared_tables(folder: &Path, diags: &mut Diagnostics) -> BTreeMap<String, SharedTable> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return out;
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml"))
        })
        .collect();
    paths.sort();
    for path in paths {
        let Some((text, shown)) = crate::yaml::read_yaml_file(&path, diags) else {
            continue;
        };
        let Some(pairs) =
            crate::yaml::parse_yaml::<Pairs<Spanned<Scalar>, Scalar>>(&text, &shown, diags)
        else {
            continue;
        };
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entries = pairs
            .0
            .into_iter()
            .map(|(k, v)| {
                let at = span_at(&shown, &k);
                (k.value.0, v.0, at)
            })
            .collect();
        out.insert(
            name,
            SharedTable {
                hash: crate::cache::sha256_hex(text.as_bytes()),
                entries,
            },
        );
    }
    out
}

/// `file:line:column` of a spanned YAML value.
fn span_at<T>(file: &str, s: &Spanned<T>) -> String {
    let l = s.referenced;
    if l.line() == 0 {
        file.to_string()
    } else {
        format!("{file}:{}:{}", l.line(), l.column())
    }
}

/// A word of a value table as it is matched: trimmed, in lower case, inner runs of spaces as
/// one (`" PI  Gent"` and `"pi gent"` are the same word).
pub(crate) fn normalise_word(w: &str) -> String {
    w.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
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
    waarden: BTreeMap<String, Pairs<Spanned<Scalar>, Spanned<Scalar>>>,
    /// Contract column → the name of a shared value table (`plans/leveringen/waarden/`).
    #[serde(default)]
    gedeelde_waarden: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    datumvormen: Option<Vec<String>>,
    /// The first of the hundred years two-digit years (`dd-mm-yy`) are read in.
    #[serde(default)]
    tweecijferig_jaar_vanaf: Option<Spanned<i32>>,
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

/// A contract column's source: their header, or `{ samen: [...], scheiding: ... }`.
#[derive(Debug)]
enum ColumnYaml {
    Header(Scalar),
    Composed(ComposedYaml),
}

impl<'de> Deserialize<'de> for ColumnYaml {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ColumnYaml;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("een kolomkop of `{ samen: [kop, kop] }`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<ColumnYaml, A::Error> {
                ComposedYaml::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(ColumnYaml::Composed)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, s: A) -> Result<ColumnYaml, A::Error> {
                ScalarVisitor.visit_seq(s).map(ColumnYaml::Header)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ColumnYaml, E> {
                ScalarVisitor.visit_str(v).map(ColumnYaml::Header)
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ColumnYaml, E> {
                ScalarVisitor.visit_bool(v).map(ColumnYaml::Header)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ColumnYaml, E> {
                ScalarVisitor.visit_i64(v).map(ColumnYaml::Header)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ColumnYaml, E> {
                ScalarVisitor.visit_u64(v).map(ColumnYaml::Header)
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ColumnYaml, E> {
                ScalarVisitor.visit_f64(v).map(ColumnYaml::Header)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<ColumnYaml, E> {
                ScalarVisitor.visit_unit().map(ColumnYaml::Header)
            }
        }
        d.deserialize_any(V)
    }
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

    /// A text date in this form (`None` for other forms and impossible dates). Two-digit
    /// years are read in the hundred years from `short_from`.
    fn parse(self, text: &str, short_from: i32) -> Option<NaiveDate> {
        match self {
            DateForm::Excel => {
                let t = text.trim();
                if !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit()) {
                    serial(t.parse().ok()?)
                } else {
                    None
                }
            }
            _ => {
                let (y, m, d) = self.parts(text, short_from)?;
                NaiveDate::from_ymd_opt(y, m, d)
            }
        }
    }

    /// Year, month and day of a text in this form's shape, whether or not the day exists
    /// (`31.02.2024` gives 2024, 2, 31); `None` for another shape and for `excel`.
    fn parts(self, text: &str, short_from: i32) -> Option<(i32, u32, u32)> {
        let t = text.trim();
        let (sep, year_first, year_digits) = match self {
            DateForm::Iso => ('-', true, 4),
            DateForm::SlashDmy => ('/', false, 4),
            DateForm::DotDmy => ('.', false, 4),
            DateForm::DashDmyShort => ('-', false, 2),
            DateForm::DashDmy => ('-', false, 4),
            DateForm::Excel => return None,
        };
        let mut parts: Vec<&str> = t.split(sep).collect();
        if year_first {
            parts.reverse();
        }
        let small = |p: &str| (1..=2).contains(&p.len()) || (year_first && p.len() == 2);
        if parts.len() != 3
            || !small(parts[0])
            || !small(parts[1])
            || parts[2].len() != year_digits
            || (year_first && (parts[0].len() != 2 || parts[1].len() != 2))
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let (d, m, y): (u32, u32, i32) = (
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        );
        let y = if year_digits == 2 {
            // The year in [short_from, short_from + 99] that ends in these two digits.
            short_from + (y - short_from).rem_euclid(100)
        } else {
            y
        };
        Some((y, m, d))
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
    /// The first of the hundred years a two-digit year is read in (`tweecijferig_jaar_vanaf`;
    /// required with `dd-mm-yy`).
    pub short_year_from: Option<i32>,
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
    /// The mapping of linked-data deliveries (`plans/oslo/`), when the project has one.
    pub linked: Option<std::sync::Arc<super::linked::Mapping>>,
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
    /// Case and spaces are ignored ([`normalise_word`]).
    pub(crate) fn translate(&self, name: &str, value: &str) -> Option<&str> {
        self.values
            .get(name)?
            .get(&normalise_word(value))
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
            Cell::Text(t) => forms.iter().find_map(|f| f.parse(t, self.short_from())),
            _ => None,
        }
    }

    fn short_from(&self) -> i32 {
        self.short_year_from.unwrap_or(2000)
    }

    /// Why a date cell is not read by the profile's date forms, and what to change.
    pub(crate) fn date_message(&self, c: &Cell) -> String {
        let forms = self.date_forms.as_deref().unwrap_or_default();
        let shown = crate::diagnostic::quoted(&c.shown());
        if matches!(c, Cell::Date(_)) && !forms.contains(&DateForm::Excel) {
            return format!(
                "{shown} is een datumcel van Excel, maar het leveringsprofiel {} aanvaardt alleen de datumvormen {}; voeg `excel` toe aan `datumvormen` in {}",
                self.id,
                self.date_forms_text(),
                self.line("datumvormen")
            );
        }
        if let Cell::Text(t) = c
            && let Some((y, m, d)) = forms.iter().find_map(|f| f.parts(t, self.short_from()))
        {
            return format!(
                "{shown} is een onmogelijke datum: {} bestaat niet; verbeter de datum in de levering",
                impossible_day(y, m, d)
            );
        }
        format!(
            "{shown} heeft geen datumvorm van het leveringsprofiel {} (toegelaten: {}); is dit de vorm van de levering, voeg ze dan toe aan `datumvormen` in {}",
            self.id,
            self.date_forms_text(),
            self.line("datumvormen")
        )
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
                    .find_map(|f| f.parse(w, self.short_from()))
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

/// For a delivery read with two-digit years (`dd-mm-yy`): the warning when dates lie after
/// its own extraction date `extracted`, likely years read in the wrong century.
pub(crate) fn short_years_after(
    p: &Profile,
    batch: &datafusion::arrow::record_batch::RecordBatch,
    extracted: NaiveDate,
) -> Option<String> {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::{DataType, Date32Type};
    if !p
        .date_forms
        .as_ref()
        .is_some_and(|f| f.contains(&DateForm::DashDmyShort))
    {
        return None;
    }
    let limit = crate::years::date32(extracted);
    let mut parts = Vec::new();
    for (field, col) in batch.schema().fields().iter().zip(batch.columns()) {
        if field.data_type() != &DataType::Date32 {
            continue;
        }
        let later: Vec<i32> = col
            .as_primitive::<Date32Type>()
            .iter()
            .flatten()
            .filter(|d| *d > limit)
            .collect();
        if let Some(max) = later.iter().max() {
            parts.push(format!(
                "{} in {} (tot {})",
                later.len(),
                field.name(),
                crate::years::from_date32(*max)
            ));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "datums na de extractiedatum {extracted} van de levering: {}; tweecijferige jaren (dd-mm-yy) worden gelezen als {}-{} (`tweecijferig_jaar_vanaf` in {}): klopt dat?",
        parts.join(", "),
        p.short_from(),
        p.short_from() + 99,
        p.line("tweecijferig_jaar_vanaf")
    ))
}

/// A day that does not exist, in words: `31 februari 2024`, `dag 0 van maart 2024`, `maand 13`.
fn impossible_day(y: i32, m: u32, d: u32) -> String {
    use crate::number::MONTHS;
    match m.checked_sub(1).and_then(|i| MONTHS.get(i as usize)) {
        None => format!("maand {m} (er zijn 12 maanden)"),
        Some(name) if d == 0 => format!("dag 0 van {name} {y}"),
        Some(name) => format!("{d} {name} {y}"),
    }
}

/// Header comparison: case and surrounding spaces ignored.
pub(crate) fn same_header(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// The glob library's message about a pattern, in Dutch.
fn glob_message(msg: &str) -> &'static str {
    match msg {
        m if m.contains("recursive wildcards") || m.contains("wildcards are either") => {
            "`**` mag alleen als een volledig deel van een pad; gebruik `*` binnen een naam"
        }
        m if m.contains("range") => "een reeks tussen [ ] is onvolledig of ongeldig (bv. [a-z])",
        m if m.contains("unclosed") || m.contains("unmatched") => "een [ zonder bijhorende ]",
        _ => {
            "het patroon klopt niet (gebruik * voor een willekeurig stuk, ? voor één teken, [abc] voor één van die tekens)"
        }
    }
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
    let shared = read_shared_tables(&folder.join("waarden"), &mut diags);
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
        if let Some(p) = parse_profile(&text, &shown, &stem, prisons, &shared, &mut diags) {
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

/// The findings of one profile while it is validated: at a YAML key path (`err`, placed by
/// the key's line) or at a place the parser gave (`err_at`).
struct Check<'t> {
    text: &'t str,
    shown: &'t str,
    lines: &'t BTreeMap<String, usize>,
    found: std::cell::RefCell<Vec<Diagnostic>>,
}

impl Check<'_> {
    /// `file:line:column` of a key path (`waarden.afloop`), or of its nearest parent.
    fn at(&self, path: &str) -> String {
        let mut p = path;
        loop {
            if let Some(l) = self.lines.get(p) {
                let col = self
                    .text
                    .lines()
                    .nth(l - 1)
                    .map_or(1, |s| s.len() - s.trim_start().len() + 1);
                return format!("{}:{l}:{col}", self.shown);
            }
            match p.rsplit_once('.') {
                Some((parent, _)) => p = parent,
                None => return self.shown.to_string(),
            }
        }
    }

    fn err(&self, path: &str, m: String) {
        self.found
            .borrow_mut()
            .push(Diagnostic::error(self.at(path), m));
    }

    fn err_at(&self, place: String, m: String) {
        self.found.borrow_mut().push(Diagnostic::error(place, m));
    }
}

/// The contract columns of `source`, for messages.
fn source_names(source: Source) -> String {
    source
        .columns()
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `herkenning`: the file-name pattern and the header signature.
fn recognition(y: &ProfileYaml, ck: &Check) -> (Option<glob::Pattern>, Vec<String>) {
    let glob = match y
        .herkenning
        .as_ref()
        .and_then(|h| h.bestandsnaam.as_deref())
    {
        Some(g) => match glob::Pattern::new(g.trim()) {
            Ok(p) => Some(p),
            Err(e) => {
                ck.err(
                    "herkenning.bestandsnaam",
                    format!(
                        "ongeldig bestandsnaampatroon `{g}` (bij teken {}): {}",
                        e.pos + 1,
                        glob_message(e.msg)
                    ),
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
        ck.err(
            "id",
            "het profiel zegt niet hoe een levering herkend wordt: geef `herkenning:` met `bestandsnaam:` en/of `kolommen:`".into(),
        );
    } else if glob.is_none() && signature.is_empty() {
        ck.err(
            "herkenning",
            "herkenning: geef `bestandsnaam:` en/of `kolommen:`".into(),
        );
    }
    (glob, signature)
}

/// `extractiedatum`: a cell above the header row, or the file name.
fn extraction(y: &ProfileYaml, header_row: usize, ck: &Check) -> Option<Extraction> {
    match &y.extractiedatum {
        None => None,
        Some(ExtractionYaml {
            cel: Some(c),
            bestandsnaam: None | Some(false),
        }) => match cell_ref(c) {
            Some((r, col)) if r + 1 < header_row.max(1) => {
                Some(Extraction::Cell(r, col, c.trim().to_uppercase()))
            }
            Some(_) => {
                ck.err(
                    "extractiedatum.cel",
                    format!(
                        "de cel `{c}` moet boven de kopregel (rij {header_row}) liggen, bij de titelrijen"
                    ),
                );
                None
            }
            None => {
                ck.err(
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
            ck.err(
                "extractiedatum",
                "extractiedatum: geef ofwel `cel: A2` ofwel `bestandsnaam: true`".into(),
            );
            None
        }
    }
}

/// `kolommen` and `constanten`: how each contract column named is filled.
fn mapped_columns(y: &ProfileYaml, source: Source, ck: &Check) -> Vec<(&'static str, Mapping)> {
    let mut columns: Vec<(&'static str, Mapping)> = Vec::new();
    for (name, spec) in &y.kolommen {
        if let Some(c) = column(source, name.trim())
            && columns.iter().any(|(n, _)| *n == c.name)
        {
            ck.err(
                &format!("kolommen.{name}"),
                format!("`{}` staat twee keer onder `kolommen`", c.name),
            );
            continue;
        }
        let Some(c) = column(source, name.trim()) else {
            ck.err(
                &format!("kolommen.{name}"),
                format!(
                    "`{name}` is geen kolom van bron {source} (kolommen: {})",
                    source_names(source)
                ),
            );
            continue;
        };
        let m = match spec {
            ColumnYaml::Header(h) if h.0.trim().is_empty() => {
                ck.err(
                    &format!("kolommen.{name}"),
                    format!("lege kolomkop voor `{name}`"),
                );
                continue;
            }
            ColumnYaml::Header(h) => Mapping::Header(h.0.trim().to_string()),
            ColumnYaml::Composed(ComposedYaml { samen, scheiding }) => {
                if samen.len() < 2 {
                    ck.err(
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
            ck.err(
                &format!("constanten.{name}"),
                format!(
                    "`{name}` is geen kolom van bron {source} (kolommen: {})",
                    source_names(source)
                ),
            );
            continue;
        };
        if columns.iter().any(|(n, _)| *n == c.name) {
            ck.err(
                &format!("constanten.{name}"),
                format!("`{name}` staat zowel onder `kolommen` als onder `constanten`"),
            );
            continue;
        }
        columns.push((c.name, Mapping::Constant(v.0.trim().to_string())));
    }
    columns
}

/// Per contract column: their word (normalised) → code.
type Values = BTreeMap<&'static str, BTreeMap<String, String>>;
/// Per contract column: their words as written, with the code each stands for.
type Words = BTreeMap<&'static str, Vec<(String, String)>>;

/// `gedeelde_waarden` and `waarden`: per contract column, their word (normalised) → code, and
/// their words as written with their codes (the value table in their words, for feedback to
/// the partner).
fn value_tables(
    y: &ProfileYaml,
    source: Source,
    prisons: &[String],
    shared: &BTreeMap<String, SharedTable>,
    ck: &Check,
) -> (Values, Words) {
    let mut values: Values = BTreeMap::new();
    let mut words: Words = BTreeMap::new();
    // Per contract column: normalised word → (code, where it was said).
    let mut said: BTreeMap<&'static str, BTreeMap<String, (String, String, String)>> =
        BTreeMap::new();
    let mut add_word = |col: &Column, theirs: &str, ours: &str, place: String| {
        let allowed = allowed_codes(col.kind, prisons);
        let ours = match &allowed {
            // Codes are matched case-insensitively; the contract's spelling is kept.
            Some(list) => match list.iter().find(|a| a.eq_ignore_ascii_case(ours.trim())) {
                Some(code) => code.clone(),
                None => {
                    ck.err_at(
                        place,
                        format!(
                            "`{ours}` is geen geldige waarde voor {} (toegelaten: {})",
                            col.name,
                            list.join(", ")
                        ),
                    );
                    return;
                }
            },
            None => ours.trim().to_string(),
        };
        let word = normalise_word(theirs);
        let table = said.entry(col.name).or_default();
        match table.get(&word) {
            Some((code, first, at)) if *code != ours => ck.err_at(
                place,
                format!(
                    "{} en {} zijn hetzelfde woord (hoofdletters en spaties tellen niet) maar krijgen een andere code voor {}: `{code}` ({at}) en `{ours}`; houd één van beide",
                    crate::diagnostic::quoted(first),
                    crate::diagnostic::quoted(theirs),
                    col.name
                ),
            ),
            Some(_) => words
                .entry(col.name)
                .or_default()
                .push((theirs.trim().to_string(), ours)),
            None => {
                table.insert(word.clone(), (ours.clone(), theirs.to_string(), place));
                words
                    .entry(col.name)
                    .or_default()
                    .push((theirs.trim().to_string(), ours.clone()));
                values.entry(col.name).or_default().insert(word, ours);
            }
        }
    };
    for (name, table) in &y.gedeelde_waarden {
        let Some(c) = column(source, name.trim()) else {
            ck.err(
                &format!("gedeelde_waarden.{name}"),
                format!(
                    "`{name}` is geen kolom van bron {source} (kolommen: {})",
                    source_names(source)
                ),
            );
            continue;
        };
        let Some(t) = shared.get(table.value.trim()) else {
            ck.err_at(
                span_at(ck.shown, table),
                format!(
                    "onbekende gedeelde waardentabel `{}` (verwacht het bestand plans/leveringen/waarden/{}.yaml; gekend: {})",
                    table.value,
                    table.value.trim(),
                    if shared.is_empty() {
                        "geen".to_string()
                    } else {
                        shared.keys().cloned().collect::<Vec<_>>().join(", ")
                    }
                ),
            );
            continue;
        };
        for (theirs, ours, at) in &t.entries {
            add_word(c, theirs, ours, at.clone());
        }
    }
    for (name, table) in &y.waarden {
        let Some(c) = column(source, name.trim()) else {
            ck.err(
                &format!("waarden.{name}"),
                format!(
                    "`{name}` is geen kolom van bron {source} (kolommen: {})",
                    source_names(source)
                ),
            );
            continue;
        };
        for (theirs, ours) in &table.0 {
            add_word(c, &theirs.value.0, &ours.value.0, span_at(ck.shown, theirs));
        }
    }
    (values, words)
}

/// `tweecijferig_jaar_vanaf`: required with `dd-mm-yy`.
fn short_years(y: &ProfileYaml, ck: &Check) -> Option<i32> {
    let uses_short_years = y
        .datumvormen
        .iter()
        .flatten()
        .any(|f| DateForm::from_name(f) == Some(DateForm::DashDmyShort));
    match &y.tweecijferig_jaar_vanaf {
        Some(v) if !(1900..=2100).contains(&v.value) => {
            ck.err_at(
                span_at(ck.shown, v),
                format!(
                    "tweecijferig_jaar_vanaf {} ligt buiten 1900-2100 (bv. 1970: 70-99 worden 1970-1999, 00-69 worden 2000-2069)",
                    v.value
                ),
            );
            None
        }
        Some(v) => Some(v.value),
        None if uses_short_years => {
            ck.err(
                "datumvormen",
                "de datumvorm dd-mm-yy laat de eeuw open (is 05-03-68 1968 of 2068?): zeg met `tweecijferig_jaar_vanaf: 1970` (of bv. 2000) in welke honderd jaren tweecijferige jaren vallen".into(),
            );
            None
        }
        None => None,
    }
}

/// `datumvormen`: the accepted date forms.
fn date_forms(y: &ProfileYaml, ck: &Check) -> Option<Vec<DateForm>> {
    match &y.datumvormen {
        None => None,
        Some(list) => {
            let mut forms = Vec::new();
            for f in list {
                match DateForm::from_name(f) {
                    Some(d) => forms.push(d),
                    None => ck.err(
                        "datumvormen",
                        format!(
                            "onbekende datumvorm `{f}` (toegelaten: {})",
                            DateForm::ALL.map(|(n, _)| n).join(", ")
                        ),
                    ),
                }
            }
            if list.is_empty() {
                ck.err("datumvormen", "datumvormen is leeg".into());
            }
            Some(forms)
        }
    }
}

/// `weglaten`: rows to drop before any check.
fn drop_rules(y: &ProfileYaml, ck: &Check) -> Vec<DropRule> {
    let mut drops = Vec::new();
    for d in &y.weglaten {
        let test = match (&d.begint_met, &d.gelijk_aan, d.leeg) {
            (Some(p), None, None | Some(false)) => DropTest::StartsWith(p.0.clone()),
            (None, Some(p), None | Some(false)) => DropTest::Equals(p.0.clone()),
            (None, None, Some(true)) => DropTest::Empty,
            _ => {
                ck.err(
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
    drops
}

fn parse_profile(
    text: &str,
    shown: &str,
    stem: &str,
    prisons: &[String],
    shared: &BTreeMap<String, SharedTable>,
    diags: &mut Diagnostics,
) -> Option<Profile> {
    let y: ProfileYaml = crate::yaml::parse_yaml(text, shown, diags)?;
    let lines = key_lines(text);
    let ck = Check {
        text,
        shown,
        lines: &lines,
        found: std::cell::RefCell::new(Vec::new()),
    };
    if y.id != stem {
        ck.err(
            "id",
            format!(
                "het profiel-id `{}` moet gelijk zijn aan de bestandsnaam zonder .yaml (`{stem}`)",
                y.id
            ),
        );
    }
    let Some(source) = Source::from_name(y.bron.trim()) else {
        ck.err(
            "bron",
            format!(
                "onbekende bron `{}` (verwacht: {})",
                y.bron,
                Source::ALL.map(|s| s.name()).join(", ")
            ),
        );
        diags.extend(Diagnostics(ck.found.into_inner()));
        return None;
    };
    if y.leverancier.trim().is_empty() {
        ck.err("leverancier", "leverancier is leeg".into());
    }
    let (glob, signature) = recognition(&y, &ck);
    let header_row = y.kopregel.unwrap_or(1);
    if header_row == 0 {
        ck.err("kopregel", "kopregel telt vanaf 1 (de eerste rij)".into());
    }
    let extraction = extraction(&y, header_row, &ck);
    let columns = mapped_columns(&y, source, &ck);
    let (values, words) = value_tables(&y, source, prisons, shared, &ck);
    let short_year_from = short_years(&y, &ck);
    let date_forms = date_forms(&y, &ck);
    let drops = drop_rules(&y, &ck);
    let found = ck.found.into_inner();
    let failed = !found.is_empty();
    diags.extend(Diagnostics(found));
    if failed {
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
        short_year_from,
        drops,
        hash: crate::cache::sha256_hex(
            y.gedeelde_waarden
                .values()
                .filter_map(|t| shared.get(t.value.trim()))
                .fold(text.to_string(), |acc, t| acc + &t.hash)
                .as_bytes(),
        ),
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

/// How many rows are searched for a profile's headers when they are not in its header row.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

/// A delivery's rows as a profile sees them (its sheet): its header row, and the first
/// [`HEADER_SEARCH_ROWS`] rows (`rows[i]` is row `i + 1`) to find headers that are elsewhere.
#[derive(Debug, Clone, Default)]
pub(crate) struct FirstRows {
    pub header: Option<Vec<String>>,
    pub rows: Vec<Vec<String>>,
}

/// Picks the one profile that reads a delivery among `candidates`: a candidate with a header
/// signature matches when its header row (in `rows_of(profile)`) holds it; one with only a
/// file-name pattern matches by name. `Ok(None)`: no profile, the contract layout. `Err`:
/// the Dutch message when two or more match.
pub(crate) fn recognise<'p>(
    candidates: &[&'p Profile],
    rows: &[Option<FirstRows>],
) -> Result<Option<&'p Profile>, String> {
    let matched: Vec<&'p Profile> = candidates
        .iter()
        .zip(rows)
        .filter(|(p, r)| {
            !p.has_signature()
                || r.as_ref()
                    .and_then(|r| r.header.as_ref())
                    .is_some_and(|h| p.signature_matches(h))
        })
        .map(|(p, _)| *p)
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
    mut rows_of: impl FnMut(&Profile) -> Option<FirstRows>,
    file: &str,
    findings: &mut super::findings::Findings,
    meta: &mut super::Meta,
) -> Result<Option<&'p Profile>, ()> {
    let rows: Vec<Option<FirstRows>> = candidates
        .iter()
        .map(|p| if p.has_signature() { rows_of(p) } else { None })
        .collect();
    match recognise(candidates, &rows) {
        Ok(p) => {
            meta.profile = p.map(|p| p.id.clone());
            if let Some(m) = unrecognised(candidates, &rows, p) {
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
/// expect and where their headers are in the file, so that a steward sees why the file is
/// read in the contract's layout.
pub(crate) fn unrecognised(
    candidates: &[&Profile],
    rows: &[Option<FirstRows>],
    chosen: Option<&Profile>,
) -> Option<String> {
    if chosen.is_some() || candidates.is_empty() {
        return None;
    }
    Some(format!(
        "geen leveringsprofiel herkend, het bestand wordt in het formaat van het contract gelezen; {}",
        candidates
            .iter()
            .zip(rows)
            .map(|(p, r)| format!(
                "profiel {} ({}) verwacht de kolomkoppen {} in rij {}{}{}",
                p.id,
                p.line("herkenning"),
                p.signature.join(", "),
                p.header_row,
                p.sheet
                    .as_ref()
                    .map(|s| format!(" van werkblad {s}"))
                    .unwrap_or_default(),
                r.as_ref()
                    .map(|r| found_where(p, &r.rows))
                    .unwrap_or_default()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    ))
}

/// Where the signature headers of `p` are in the first rows: `; gevonden in rij 6: …`, per
/// header its row and column, and the ones not found.
fn found_where(p: &Profile, rows: &[Vec<String>]) -> String {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for h in &p.signature {
        let at = rows.iter().enumerate().find_map(|(r, cells)| {
            cells
                .iter()
                .position(|c| same_header(c, h))
                .map(|c| (r + 1, c))
        });
        match at {
            Some((r, c)) => found.push((h.as_str(), r, c)),
            None => missing.push(h.as_str()),
        }
    }
    let rows_of: std::collections::BTreeSet<usize> = found.iter().map(|f| f.1).collect();
    let mut out = String::new();
    if let ([row], true) = (
        rows_of.iter().copied().collect::<Vec<_>>().as_slice(),
        missing.is_empty(),
    ) {
        out.push_str(&format!(
            "; ze staan in rij {row} (is `kopregel: {row}` bedoeld?)"
        ));
        return out;
    }
    if !found.is_empty() {
        out.push_str(&format!(
            "; gevonden: {}",
            found
                .iter()
                .map(|(h, r, c)| format!("{h} in {}{r}", super::cell::col_letters(*c)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !missing.is_empty() {
        out.push_str(&format!(
            "; niet in de eerste {} rijen: {}",
            rows.len(),
            missing.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_forms() {
        let p = |f: DateForm, t: &str| f.parse(t, 2000);
        assert_eq!(p(DateForm::DotDmy, "05.03.2024"), Some(d(2024, 3, 5)));
        assert_eq!(p(DateForm::DotDmy, "5.3.2024"), Some(d(2024, 3, 5)));
        assert_eq!(p(DateForm::DotDmy, "31.02.2024"), None);
        assert_eq!(
            DateForm::DotDmy.parts("31.02.2024", 2000),
            Some((2024, 2, 31))
        );
        assert_eq!(p(DateForm::DashDmyShort, "05-03-24"), Some(d(2024, 3, 5)));
        assert_eq!(p(DateForm::DashDmyShort, "05-03-2024"), None);
        // Two-digit years fall in the hundred years from the stated year.
        assert_eq!(
            DateForm::DashDmyShort.parse("05-03-68", 1970),
            Some(d(2068, 3, 5))
        );
        assert_eq!(
            DateForm::DashDmyShort.parse("05-03-68", 1950),
            Some(d(1968, 3, 5))
        );
        assert_eq!(
            DateForm::DashDmyShort.parse("05-03-70", 1970),
            Some(d(1970, 3, 5))
        );
        assert_eq!(p(DateForm::DashDmy, "05-03-2024"), Some(d(2024, 3, 5)));
        assert_eq!(p(DateForm::Iso, "2024-03-05"), Some(d(2024, 3, 5)));
        assert_eq!(p(DateForm::Iso, "5/3/2024"), None);
        assert_eq!(p(DateForm::Iso, "2024-3-05"), None);
        assert_eq!(p(DateForm::SlashDmy, "5/3/2024"), Some(d(2024, 3, 5)));
        assert_eq!(p(DateForm::Excel, "45356"), Some(d(2024, 3, 5)));
        assert_eq!(DateForm::from_name("DD.MM.YYYY"), Some(DateForm::DotDmy));
        assert_eq!(impossible_day(2024, 2, 31), "31 februari 2024");
        assert_eq!(impossible_day(2024, 13, 1), "maand 13 (er zijn 12 maanden)");
    }

    const BASE: &str =
        "id: p\nbron: trajecten\nleverancier: CAW\nherkenning: {bestandsnaam: \"caw-*.xlsx\"}\n";

    /// The errors of the profile `p.yaml` with `extra` after [`BASE`], and the shared tables.
    fn errors(extra: &str, shared: &[(&str, &str)]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.yaml"), format!("{BASE}{extra}")).unwrap();
        if !shared.is_empty() {
            std::fs::create_dir(dir.path().join("waarden")).unwrap();
        }
        for (name, text) in shared {
            std::fs::write(
                dir.path().join("waarden").join(format!("{name}.yaml")),
                text,
            )
            .unwrap();
        }
        let prisons = ["gent".to_string(), "brugge".to_string()];
        match read_profiles(dir.path(), &prisons) {
            Ok(_) => Vec::new(),
            Err(d) => d
                .iter()
                .map(|d| {
                    let s = d.to_string();
                    s.replace(&dir.path().display().to_string(), "")
                })
                .collect(),
        }
    }

    fn has(errors: &[String], expected: &str) {
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{expected}\nin\n{errors:#?}"
        );
    }

    #[test]
    fn words_equal_but_for_case_and_spaces_with_different_codes_are_errors() {
        let e = errors(
            "waarden:\n  gevangenis:\n    \"PI Gent\": gent\n    \"pi  gent \": brugge\n",
            &[],
        );
        has(
            &e,
            "p.yaml:8:5: 'PI Gent' en 'pi  gent ' zijn hetzelfde woord",
        );
        has(&e, "`gent` (");
        // Flow style: the place of the second word all the same.
        let e = errors("waarden: {gevangenis: {A: gent, \" a\": brugge}}\n", &[]);
        has(&e, "p.yaml:5:33:");
        // The same code twice is no conflict; a code in another case is the code.
        assert!(errors("waarden: {gevangenis: {A: gent, a: Gent}}\n", &[]).is_empty());
    }

    #[test]
    fn repeated_keys_are_errors_at_their_place_at_every_level() {
        let e = errors(
            "kolommen:\n  persoon_id: Cliënt\n  persoon_id: Dossiernr\n",
            &[],
        );
        has(
            &e,
            "p.yaml:7:3: ongeldige YAML: de sleutel `persoon_id` komt hier een tweede keer voor",
        );
        let e = errors(
            "waarden:\n  afloop:\n    Stop: afgerond\n    Stop: lopend\n",
            &[],
        );
        has(&e, "p.yaml:8:5:");
        let e = errors("blad: A\nkopregel: 2\nblad: B\n", &[]);
        has(&e, "p.yaml:7:1: ongeldige YAML: de sleutel `blad`");
        // Two spellings of one contract column.
        let e = errors("kolommen:\n  persoon_id: A\n  \"persoon_id \": B\n", &[]);
        has(&e, "`persoon_id` staat twee keer onder `kolommen`");
    }

    #[test]
    fn two_digit_years_need_their_century() {
        let e = errors("datumvormen: [dd-mm-yy]\n", &[]);
        has(&e, "p.yaml:5:1: de datumvorm dd-mm-yy laat de eeuw open");
        assert!(
            errors(
                "datumvormen: [dd-mm-yy]\ntweecijferig_jaar_vanaf: 1970\n",
                &[]
            )
            .is_empty()
        );
        let e = errors(
            "datumvormen: [dd-mm-yy]\ntweecijferig_jaar_vanaf: 70\n",
            &[],
        );
        has(
            &e,
            "p.yaml:6:26: tweecijferig_jaar_vanaf 70 ligt buiten 1900-2100",
        );
    }

    #[test]
    fn glob_errors_are_dutch() {
        let e = errors("", &[]);
        assert!(e.is_empty(), "{e:?}");
        let dir = tempfile::tempdir().unwrap();
        let text = BASE.replace("caw-*.xlsx", "caw-[z-a.xlsx");
        std::fs::write(dir.path().join("p.yaml"), text).unwrap();
        let e = read_profiles(dir.path(), &[]).unwrap_err().to_string();
        assert!(
            e.contains("ongeldig bestandsnaampatroon `caw-[z-a.xlsx` (bij teken 5)"),
            "{e}"
        );
        assert!(!e.contains("invalid") && !e.contains("pattern"), "{e}");
    }

    #[test]
    fn shared_value_tables_are_included_and_checked_like_own_ones() {
        let table = "\"PI Gent\": gent\n\"PI Brugge\": brugge\n";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("p.yaml"),
            format!("{BASE}gedeelde_waarden: {{gevangenis: gevangenissen}}\nwaarden: {{gevangenis: {{Gent: gent}}}}\n"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("waarden")).unwrap();
        std::fs::write(dir.path().join("waarden/gevangenissen.yaml"), table).unwrap();
        let prisons = ["gent".to_string(), "brugge".to_string()];
        let p = read_profiles(dir.path(), &prisons).unwrap();
        let p = &p.profiles[0];
        assert_eq!(p.translate("gevangenis", " pi  brugge"), Some("brugge"));
        assert_eq!(p.translate("gevangenis", "GENT"), Some("gent"));
        let before = p.hash.clone();
        // The table is part of the profile's hash (the parse cache key).
        std::fs::write(
            dir.path().join("waarden/gevangenissen.yaml"),
            format!("{table}PI: gent\n"),
        )
        .unwrap();
        assert_ne!(
            read_profiles(dir.path(), &prisons).unwrap().profiles[0].hash,
            before
        );
        // A conflict between the shared table and the profile, and an unknown table.
        let e = errors(
            "gedeelde_waarden: {gevangenis: gevangenissen, afloop: nergens}\nwaarden: {gevangenis: {pi gent: brugge}}\n",
            &[("gevangenissen", table)],
        );
        has(
            &e,
            "p.yaml:6:24: 'PI Gent' en 'pi gent' zijn hetzelfde woord",
        );
        has(&e, "(/waarden/gevangenissen.yaml:1:1)");
        has(&e, "p.yaml:5:55: onbekende gedeelde waardentabel `nergens`");
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
