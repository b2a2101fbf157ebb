//! Answers to recurring parliamentary questions: recipes in `templates/antwoorden/*.yaml`
//! (SQL, Dutch sentences, definitions; a new recipe needs no Rust), run on the same tables as
//! the indicators, published with primary and secondary suppression. This module decides
//! everything (which totals, suppression, years without data, labels); `render::answer` only
//! formats the typed [`AnswerTable`]s.
//!
//! The recipe fields are documented for their writers in the README ("Writing a recipe for a
//! new question"); `hdv answer new NAAM` writes a commented skeleton (`skeleton.rs`).

pub(crate) mod skeleton;
pub(crate) mod suppress;

use crate::diagnostic::Diagnostics;
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::Model;
use crate::years::YearRange;
use datafusion::arrow::array::{Array, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Int32Type, Schema};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use datafusion::prelude::SessionContext;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Recipe {
    pub id: String,
    pub titel: String,
    /// The question as asked.
    pub vraag: String,
    /// Sources the tables read; years without rows in one of them are "geen gegevens".
    #[serde(default)]
    pub bronnen: Vec<String>,
    /// Text before the tables (minijinja).
    pub inleiding: String,
    pub tabellen: Vec<RecipeTable>,
    /// Indicators whose figures the tables read from the table `indicatoren`.
    #[serde(default)]
    pub indicatoren: Vec<String>,
    /// Text after the tables (same variables).
    #[serde(default)]
    pub slot: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Form {
    #[default]
    Kruistabel,
    Lijst,
}

/// What the figures of a table or column are.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    Personen,
    #[serde(alias = "aantal_acties")]
    Aantal,
    Euro,
    Getal,
    Dagen,
    Aandeel,
    Jaar,
    Tekst,
}

impl Kind {
    fn is_count(self) -> bool {
        matches!(self, Kind::Personen | Kind::Aantal)
    }
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Total {
    Som,
    Gemiddelde,
    Geen,
}

/// One total or a list of them (`rijtotaal: som` or `rijtotaal: [som, gemiddelde]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum Totals {
    One(Total),
    Many(Vec<Total>),
}

impl Default for Totals {
    fn default() -> Self {
        Totals::One(Total::Geen)
    }
}

impl Totals {
    fn list(&self) -> Vec<Total> {
        let v = match self {
            Totals::One(t) => vec![*t],
            Totals::Many(v) => v.clone(),
        };
        v.into_iter().filter(|t| *t != Total::Geen).collect()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecipeTable {
    pub id: String,
    /// The caption above the table.
    pub titel: String,
    /// What is counted or summed, and over what: printed under the table.
    pub definitie: String,
    /// Name of the table's sheet in the annex (at most 27 characters; default `Tabel <n>`).
    #[serde(default)]
    pub blad: Option<String>,
    #[serde(default)]
    pub vorm: Form,
    /// Sources of this table (default: the recipe's).
    #[serde(default)]
    pub bronnen: Option<Vec<String>>,
    /// Kruistabel: header of the row labels.
    #[serde(default)]
    pub rijen: Option<String>,
    /// Kruistabel: label list of the row codes.
    #[serde(default)]
    pub rijlabels: Option<String>,
    /// Kruistabel: label list of the column codes; `jaar`: the years of the range.
    #[serde(default)]
    pub kolomlabels: Option<String>,
    /// Kruistabel: what the cells are.
    #[serde(default)]
    pub soort: Option<Kind>,
    /// Decimals to show.
    #[serde(default)]
    pub decimalen: Option<u8>,
    #[serde(default)]
    pub rijtotaal: Totals,
    #[serde(default)]
    pub kolomtotaal: Totals,
    /// Why a total is not given (one sentence, printed under the table).
    #[serde(default)]
    pub waarom_geen_totaal: Option<String>,
    /// Lijst: the columns.
    #[serde(default)]
    pub kolommen: Vec<ListColumn>,
    pub sql: String,
    /// Where the table's SQL is (`file:line:column`), for messages; set when read.
    #[serde(skip)]
    pub plaats: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListColumn {
    /// The SQL column (not for a rate).
    #[serde(default)]
    pub naam: Option<String>,
    pub kop: String,
    pub soort: Kind,
    #[serde(default)]
    pub labels: Option<String>,
    #[serde(default)]
    pub decimalen: Option<u8>,
    /// A rate: the columns of its numerator and denominator.
    #[serde(default)]
    pub teller: Option<String>,
    #[serde(default)]
    pub noemer: Option<String>,
}

/// A combined answer: numbered sub-questions, each answered by a recipe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Combined {
    pub id: String,
    pub titel: String,
    /// The question's subject and reference as it was asked.
    pub vraag: String,
    #[serde(default)]
    pub inleiding: Option<String>,
    pub onderdelen: Vec<Part>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Part {
    pub nummer: u32,
    /// The sub-question as asked.
    pub vraag: String,
    #[serde(default)]
    pub toelichting: Option<String>,
    pub recept: String,
    /// The years this part answers for when they differ from `--year` (`2015..2019`: the
    /// report years of the plan 2015-2020), on the plan in force in their last year.
    #[serde(default, deserialize_with = "years_opt")]
    pub jaren: Option<YearRange>,
}

fn years_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<YearRange>, D::Error> {
    // `2015..2019` or a single year `2019` (a number in YAML).
    let v: Option<serde_yaml::Value> = Option::deserialize(d)?;
    v.map(|v| {
        let text = match &v {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) => n.to_string(),
            _ => {
                return Err(serde::de::Error::custom(
                    "verwacht jaren als 2015..2019 of 2019",
                ));
            }
        };
        text.parse::<YearRange>().map_err(serde::de::Error::custom)
    })
    .transpose()
}

/// What a recipe file holds.
#[derive(Debug, Clone)]
pub(crate) enum RecipeFile {
    Recipe(Recipe),
    Combined(Combined),
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('_')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The recipes in `dir` with their titles, sorted by id (files starting with `_` are not
/// recipes). Unreadable files are listed with an empty title.
pub(crate) fn list_recipes(dir: &Path) -> Vec<(String, String)> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let p = e.path();
            if p.extension()? != "yaml" {
                return None;
            }
            Some(p.file_stem()?.to_string_lossy().into_owned())
        })
        .filter(|id| valid_id(id))
        .collect();
    ids.sort();
    ids.into_iter()
        .map(|id| {
            #[derive(Deserialize)]
            struct Title {
                titel: Option<String>,
            }
            let title = std::fs::read_to_string(dir.join(format!("{id}.yaml")))
                .ok()
                .and_then(|t| serde_yaml::from_str::<Title>(&t).ok())
                .and_then(|t| t.titel)
                .unwrap_or_default();
            (id, title)
        })
        .collect()
}

fn unknown(dir: &Path, id: &str) -> Error {
    let ids: Vec<String> = list_recipes(dir).into_iter().map(|r| r.0).collect();
    Error::Other(format!(
        "onbekend antwoordrecept '{id}' (beschikbaar: {})",
        ids.join(", ")
    ))
}

/// Reads `dir/<id>.yaml`; `id` must be a recipe's file stem (no paths).
pub(crate) fn load_file(dir: &Path, id: &str) -> Result<RecipeFile> {
    if !valid_id(id) {
        return Err(unknown(dir, id));
    }
    let path = dir.join(format!("{id}.yaml"));
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Err(unknown(dir, id));
    };
    let shown = crate::diagnostic::display_path(&path);
    let mut diags = Diagnostics::new();
    let combined = serde_yaml::from_str::<serde_yaml::Value>(&text)
        .ok()
        .is_some_and(|v| v.get("onderdelen").is_some());
    let file = if combined {
        crate::yaml::parse_yaml::<Combined>(&text, &shown, &mut diags).map(RecipeFile::Combined)
    } else {
        crate::yaml::parse_yaml::<Recipe>(&text, &shown, &mut diags).map(RecipeFile::Recipe)
    };
    let mut file = file.ok_or(Error::Invalid(diags))?;
    if let RecipeFile::Recipe(r) = &mut file {
        validate(r, &shown)?;
        for t in &mut r.tabellen {
            t.plaats = in_table(&shown, &t.id, "sql");
        }
    }
    Ok(file)
}

/// Reads a recipe (not a combined answer).
pub(crate) fn load_recipe(dir: &Path, id: &str) -> Result<Recipe> {
    match load_file(dir, id)? {
        RecipeFile::Recipe(r) => Ok(r),
        RecipeFile::Combined(_) => Err(Error::Other(format!(
            "'{id}' is een samengesteld antwoord, geen recept met tabellen"
        ))),
    }
}

/// The most characters of a recipe table's sheet name: Excel allows 31, and a combined
/// answer puts `V7 ` (or `V12 `) before it.
const MAX_SHEET: usize = 27;

/// `file:line:column` of `needle` in the block of table `table` (after its `id:` line), or
/// of the table's `id:` line when `needle` is not there.
fn in_table(file: &str, table: &str, needle: &str) -> String {
    let anchor = format!("id: {table}");
    let found = crate::yaml::locate_in_file_after(file, &anchor, needle);
    if found == file {
        crate::yaml::locate_in_file(file, &anchor)
    } else {
        found
    }
}

/// Checks what serde cannot: the fields a form needs, rates with both columns, sheet names.
/// Every problem of the file at once, each with its line and what to change.
fn validate(r: &Recipe, file: &str) -> Result<()> {
    let mut diags = Diagnostics::new();
    let mut fail = |t: &RecipeTable, needle: &str, m: String| {
        diags.push(crate::diagnostic::Diagnostic::error(
            in_table(file, &t.id, needle),
            format!("tabel `{}`: {m}", t.id),
        ));
    };
    let mut unknown_sources = Vec::new();
    for b in r
        .bronnen
        .iter()
        .chain(r.tabellen.iter().flat_map(|t| t.bronnen.iter().flatten()))
    {
        if b != "plan" && crate::contract::Source::from_name(b).is_none() {
            unknown_sources.push(b.clone());
        }
    }
    const KINDS: &str = "personen, aantal, euro, getal, dagen of aandeel";
    for t in &r.tabellen {
        if let Some(b) = &t.blad {
            let n = b.chars().count();
            if n > MAX_SHEET {
                fail(
                    t,
                    "blad",
                    format!(
                        "bladnaam '{b}' telt {n} tekens, hoogstens {MAX_SHEET} (Excel staat 31 tekens toe en een samengesteld antwoord zet er `V7 ` voor): kort hem in tot {MAX_SHEET} tekens"
                    ),
                );
            } else if b.trim().is_empty() {
                fail(
                    t,
                    "blad",
                    "`blad` is leeg: geef een naam (of laat `blad` weg voor `Tabel <n>`)".into(),
                );
            } else if let Some(c) = b.chars().find(|c| "[]:*?/\\".contains(*c)) {
                fail(
                    t,
                    "blad",
                    format!(
                        "bladnaam '{b}' bevat `{c}`, dat Excel in een bladnaam niet toelaat (evenmin [ ] : * ? / \\): laat het weg"
                    ),
                );
            }
        }
        match t.vorm {
            Form::Kruistabel => {
                let Some(kind) = t.soort else {
                    fail(
                        t,
                        "id",
                        format!("`soort` ontbreekt: voeg `soort:` toe ({KINDS})"),
                    );
                    continue;
                };
                if t.rijen.is_none() {
                    fail(
                        t,
                        "id",
                        "`rijen` (kop van de rijlabels) ontbreekt: voeg bv. `rijen: Gevangenis` toe".into(),
                    );
                }
                if matches!(kind, Kind::Jaar | Kind::Tekst) {
                    fail(
                        t,
                        "soort",
                        format!(
                            "een kruistabel bevat cijfers, geen jaren of tekst: kies `soort:` uit {KINDS}, of maak er een `vorm: lijst` van"
                        ),
                    );
                }
                if kind == Kind::Aandeel
                    && (!t.rijtotaal.list().is_empty() || !t.kolomtotaal.list().is_empty())
                {
                    fail(
                        t,
                        "soort",
                        "aandelen tellen niet op: zet `rijtotaal: geen` en `kolomtotaal: geen` (of laat ze weg), of laat de SQL een rij met `totaal` berekenen".into(),
                    );
                }
                if t.kolomtotaal.list().contains(&Total::Gemiddelde) {
                    fail(
                        t,
                        "kolomtotaal",
                        "`kolomtotaal` is `som` of `geen` (een gemiddelde per jaar hoort in `rijtotaal`)".into(),
                    );
                }
                let no_sum = !t.rijtotaal.list().contains(&Total::Som)
                    || !t.kolomtotaal.list().contains(&Total::Som);
                if kind.is_count() && no_sum && t.waarom_geen_totaal.is_none() {
                    fail(
                        t,
                        "id",
                        "zonder rij- of kolomsom hoort een zin `waarom_geen_totaal` (bv. \"Een persoon kan in meer dan één jaar voorkomen.\")".into(),
                    );
                }
            }
            Form::Lijst => {
                if t.kolommen.is_empty() {
                    fail(
                        t,
                        "vorm",
                        "een lijst heeft `kolommen` (per kolom `naam`, `kop` en `soort`)".into(),
                    );
                }
                let names: Vec<&str> = t
                    .kolommen
                    .iter()
                    .filter_map(|c| c.naam.as_deref())
                    .collect();
                for c in &t.kolommen {
                    if c.soort == Kind::Aandeel {
                        let ok =
                            |x: &Option<String>| x.as_deref().is_some_and(|n| names.contains(&n));
                        if !ok(&c.teller) || !ok(&c.noemer) {
                            fail(
                                t,
                                &c.kop,
                                format!(
                                    "kolom `{}`: een aandeel noemt in `teller` en `noemer` twee andere kolommen van de lijst (hun `naam`)",
                                    c.kop
                                ),
                            );
                        }
                    } else if c.naam.is_none() {
                        fail(
                            t,
                            &c.kop,
                            format!("kolom `{}`: `naam` (de kolom van de SQL) ontbreekt", c.kop),
                        );
                    }
                }
                if t.kolommen.iter().any(|c| c.soort.is_count()) && t.waarom_geen_totaal.is_none() {
                    fail(
                        t,
                        "id",
                        "een lijst geeft geen totaal: zeg in `waarom_geen_totaal` waarom (één zin onder de tabel)".into(),
                    );
                }
            }
        }
    }
    for b in unknown_sources {
        diags.push(crate::diagnostic::Diagnostic::error(
            crate::yaml::locate_in_file(file, &b),
            format!(
                "onbekende bron `{b}` in recept `{}`: kies uit detenties, deelname, trajecten, aanvragen, uitstroom, middelen en plan",
                r.id
            ),
        ));
    }
    if diags.has_errors() {
        return Err(Error::Invalid(diags));
    }
    Ok(())
}

/// Dutch labels of codes, per list, in the order tables show them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Labels {
    lists: BTreeMap<String, Vec<(String, String)>>,
    /// Prison code → its opening and closing dates (first day open, first day closed).
    prison_dates: BTreeMap<String, (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)>,
}

impl Labels {
    /// Reads `dir/_labels.yaml` (absent: no labels) and adds `gevangenis` and `doelstelling`
    /// from the model.
    pub(crate) fn load(dir: &Path, model: &Model) -> Result<Labels> {
        let mut lists: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        let path = dir.join("_labels.yaml");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let mut diags = Diagnostics::new();
            let map: BTreeMap<String, serde_yaml::Mapping> =
                crate::yaml::parse_yaml(&text, &crate::diagnostic::display_path(&path), &mut diags)
                    .ok_or(Error::Invalid(diags))?;
            for (list, m) in map {
                let pairs = m
                    .into_iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                    .collect();
                lists.insert(list, pairs);
            }
        }
        // Sample statuses (the plan's `statussen_voorbeeld`) are marked wherever a table
        // shows one.
        if model.plan.statussen_voorbeeld
            && let Some(l) = lists.get_mut("actiestatus")
        {
            for (_, label) in l.iter_mut() {
                label.push_str(" (VOORBEELD)");
            }
        }
        lists.insert(
            "gevangenis".into(),
            model
                .prisons
                .iter()
                .map(|p| (p.code.clone(), p.naam.clone()))
                .collect(),
        );
        lists.insert(
            "doelstelling".into(),
            model
                .plan
                .doelstellingen
                .iter()
                .map(|o| {
                    let name = o.korte_titel.as_deref().unwrap_or(&o.titel);
                    (o.id.clone(), format!("{} {name}", o.id))
                })
                .collect(),
        );
        let prison_dates = model
            .prisons
            .iter()
            .filter(|p| p.open_vanaf.is_some() || p.gesloten_vanaf.is_some())
            .map(|p| (p.code.clone(), (p.open_vanaf, p.gesloten_vanaf)))
            .collect();
        Ok(Labels {
            lists,
            prison_dates,
        })
    }

    /// A footnote for each of `codes` (prison codes) that was closed or not yet open during
    /// part of `years`: figures of such a prison in those years are left-overs of its
    /// registrations, not of a working prison.
    pub(crate) fn prison_notes<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a str>,
        years: YearRange,
    ) -> Vec<String> {
        use chrono::Datelike;
        let day = crate::number::nl_date;
        let mut seen = BTreeSet::new();
        let mut notes = Vec::new();
        for code in codes {
            let Some((open, closed)) = self.prison_dates.get(code) else {
                continue;
            };
            if !seen.insert(code) {
                continue;
            }
            let name = self.get(Some("gevangenis"), code).1;
            let opened_late = open.is_some_and(|d| {
                d.year() > years.first || d.ordinal() > 1 && d.year() == years.first
            });
            let closed_early = closed.is_some_and(|d| d.year() <= years.last);
            match (opened_late, closed_early, open, closed) {
                (true, _, Some(o), _) => notes.push(format!(
                    "{name} opende op {}: het jaar {} is onvolledig en eerdere jaren hebben geen cijfers.",
                    day(*o),
                    o.year()
                )),
                (_, true, _, Some(c)) => notes.push(format!(
                    "{name} is gesloten sinds {}: cijfers van daarna zijn resten van registraties, geen werking van de gevangenis.",
                    day(*c)
                )),
                _ => {}
            }
        }
        notes
    }

    /// The label of `code` in `list` (the code itself when it has none), and its place in
    /// the list (unlisted codes after the listed ones).
    pub(crate) fn get(&self, list: Option<&str>, code: &str) -> (usize, String) {
        let found = list
            .and_then(|l| self.lists.get(l))
            .and_then(|v| v.iter().position(|(c, _)| c == code).map(|i| (i, &v[i].1)));
        match found {
            Some((i, label)) => (i, label.clone()),
            None => (usize::MAX, code.to_string()),
        }
    }
}

/// The years of `range` for which every source in `sources` has rows, with, for the others,
/// which source lacks them. A source has rows for year Y when a date of one of its rows
/// falls between its first and last year (`middelen`: when a row has `jaar` = Y); `plan`
/// covers the plan's years.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Coverage {
    pub with_data: Vec<i32>,
    /// Year → the sources without rows for it.
    pub without: BTreeMap<i32, Vec<String>>,
}

impl Coverage {
    pub(crate) fn has(&self, year: i32) -> bool {
        self.with_data.contains(&year)
    }
}

/// The years for which `source` has rows (`None`: the source is not in the data folder).
pub(crate) fn source_years(
    sources: &Sources,
    model: &Model,
    source: &str,
) -> Option<BTreeSet<i32>> {
    use chrono::Datelike;
    if source == "plan" {
        return Some(model.plan.years().collect());
    }
    let f = sources.get(crate::contract::Source::from_name(source)?)?;
    if let Ok(i) = f.batch.schema().index_of("jaar") {
        let a = cast(f.batch.column(i), &DataType::Int32).ok()?;
        return Some(a.as_primitive::<Int32Type>().iter().flatten().collect());
    }
    let (lo, hi) = f.date_range()?;
    Some((lo.year()..=hi.year()).collect())
}

/// Which years of `range` have data in all of `names`; refuses (Dutch error naming the
/// source and the years it has) when a source is missing or has none of the years.
pub(crate) fn coverage(
    sources: &Sources,
    model: &Model,
    names: &[String],
    range: YearRange,
) -> Result<Coverage> {
    let mut cov = Coverage::default();
    let mut per_source = Vec::new();
    for n in names {
        let Some(years) = source_years(sources, model, n) else {
            return Err(Error::Other(format!(
                "bron `{n}` ontbreekt of heeft geen rijen: zonder die gegevens is dit antwoord niet te maken"
            )));
        };
        if !range.iter().any(|y| years.contains(&y)) && n == "plan" {
            return Err(Error::Other(format!(
                "het strategisch plan loopt over {} en heeft geen gegevens voor {}. Kies jaren van het plan (--year).",
                range_text(&years.iter().copied().collect::<Vec<_>>()),
                range_text(&range.iter().collect::<Vec<_>>())
            )));
        }
        if !range.iter().any(|y| years.contains(&y)) {
            return Err(Error::Other(format!(
                "bron `{n}` heeft geen gegevens voor {}; wel voor {}. Kies jaren met gegevens (--year).",
                range_text(&range.iter().collect::<Vec<_>>()),
                range_text(&years.iter().copied().collect::<Vec<_>>())
            )));
        }
        per_source.push((n.clone(), years));
    }
    for y in range.iter() {
        let lacking: Vec<String> = per_source
            .iter()
            .filter(|(_, ys)| !ys.contains(&y))
            .map(|(n, _)| n.clone())
            .collect();
        if lacking.is_empty() {
            cov.with_data.push(y);
        } else {
            cov.without.insert(y, lacking);
        }
    }
    Ok(cov)
}

/// Years as runs: `2019-2021, 2024`.
pub(crate) fn range_text(years: &[i32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < years.len() {
        let mut j = i;
        while j + 1 < years.len() && years[j + 1] == years[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            years[i].to_string()
        } else {
            format!("{}-{}", years[i], years[j])
        });
        i = j + 1;
    }
    if parts.is_empty() {
        "geen enkel jaar".into()
    } else {
        parts.join(", ")
    }
}

/// A column of a published table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Column {
    pub kop: String,
    pub soort: ColumnKind,
}

/// How a column's cells are formatted.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub(crate) enum ColumnKind {
    /// Row labels and other text.
    Label,
    Year,
    /// Figures of this kind with this many decimals.
    Figure(Kind, u8),
}

/// A published cell.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub enum Value {
    Text(String),
    Year(i32),
    Number(f64),
    /// A small count, shown as `<5`.
    Small,
    /// Hidden so that a small count cannot be derived, or a rate on too few: `×`.
    Hidden,
    /// A source has no rows for the year: "geen gegevens".
    NoData,
    /// The query gave no row for the cell: `–`.
    Absent,
    /// Nothing (a rate on a denominator of 0, an empty cell of a "geen gegevens" row).
    Empty,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Row {
    pub cellen: Vec<Value>,
    /// A total row (printed bold).
    pub totaal: bool,
}

/// A published table: typed cells with suppression applied, and the sentences under it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AnswerTable {
    pub id: String,
    pub titel: String,
    pub definitie: String,
    pub kolommen: Vec<Column>,
    pub rijen: Vec<Row>,
    /// Sentences under the definition: why no total, what the marks mean, years without data.
    pub notities: Vec<String>,
}

/// Registers the chosen prisons as `gekozen_gevangenissen`.
pub(crate) fn register_prisons(ctx: &SessionContext, prisons: &[String]) -> Result<()> {
    let schema = Arc::new(Schema::new(vec![Field::new(
        "gevangenis",
        DataType::Utf8,
        false,
    )]));
    let batch = RecordBatch::try_new(schema, vec![Arc::new(StringArray::from(prisons.to_vec()))])
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    // A combined answer runs several recipes on one context: register once.
    if ctx.table_exist("gekozen_gevangenissen").unwrap_or(false) {
        let _ = ctx.deregister_table("gekozen_gevangenissen");
    }
    ctx.register_batch("gekozen_gevangenissen", batch)
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    Ok(())
}

/// Registers figures as the table `indicatoren` (see the module docs).
pub(crate) fn register_figures(
    ctx: &SessionContext,
    figures: &[crate::engine::Observation],
) -> Result<()> {
    use datafusion::arrow::array::{Float64Array, Int32Array};
    let text = |f: &dyn Fn(&crate::engine::Observation) -> Option<String>| {
        Arc::new(StringArray::from(figures.iter().map(f).collect::<Vec<_>>())) as Arc<dyn Array>
    };
    let num = |f: &dyn Fn(&crate::engine::Observation) -> Option<f64>| {
        Arc::new(Float64Array::from(
            figures.iter().map(f).collect::<Vec<_>>(),
        )) as Arc<dyn Array>
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("indicator", DataType::Utf8, false),
        Field::new("jaar", DataType::Int32, false),
        Field::new("uitsplitsing", DataType::Utf8, true),
        Field::new("waarde_uitsplitsing", DataType::Utf8, true),
        Field::new("waarde", DataType::Float64, true),
        Field::new("teller", DataType::Float64, true),
        Field::new("noemer", DataType::Float64, true),
        Field::new("ci_laag", DataType::Float64, true),
        Field::new("ci_hoog", DataType::Float64, true),
    ]));
    let columns = vec![
        text(&|o| Some(o.indicator.clone())),
        Arc::new(Int32Array::from(
            figures.iter().map(|o| o.year).collect::<Vec<_>>(),
        )) as Arc<dyn Array>,
        text(&|o| o.dim.as_ref().map(|d| d.name.clone())),
        text(&|o| o.dim.as_ref().map(|d| d.value.clone())),
        num(&|o| o.value),
        num(&|o| o.numerator),
        num(&|o| o.denominator),
        num(&|o| o.interval.and_then(|i| i.low)),
        num(&|o| o.interval.and_then(|i| i.high)),
    ];
    let batch = RecordBatch::try_new(schema, columns)
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    if ctx.table_exist("indicatoren").unwrap_or(false) {
        let _ = ctx.deregister_table("indicatoren");
    }
    ctx.register_batch("indicatoren", batch)
        .map_err(|e| Error::Other(format!("interne fout: {e}")))?;
    Ok(())
}

/// Everything a table needs besides its recipe.
pub(crate) struct TableContext<'a> {
    pub ctx: &'a SessionContext,
    pub years: YearRange,
    pub labels: &'a Labels,
    pub disclosure: crate::disclosure::Disclosure,
}

/// The columns of a query result, by name, as strings / numbers / booleans.
struct Frame {
    batches: Vec<RecordBatch>,
    table: String,
    /// Where the table's SQL is, for messages.
    place: String,
}

impl Frame {
    fn rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    fn has(&self, name: &str) -> bool {
        self.batches
            .first()
            .is_some_and(|b| b.column_by_name(name).is_some())
    }

    fn column(&self, name: &str, ty: &DataType) -> Result<Vec<Arc<dyn Array>>> {
        self.batches
            .iter()
            .map(|b| {
                let c = b.column_by_name(name).ok_or_else(|| {
                    Error::Query(format!(
                        "{}: recepttabel `{}` geeft geen kolom `{name}`: geef de SQL een kolom met die naam (`AS {name}`)",
                        self.place, self.table
                    ))
                })?;
                cast(c, ty).map_err(|e| Error::Query(format!("kolom `{name}`: {e}")))
            })
            .collect()
    }

    fn strings(&self, name: &str) -> Result<Vec<Option<String>>> {
        Ok(self
            .column(name, &DataType::Utf8)?
            .iter()
            .flat_map(|a| {
                let a = a.as_string::<i32>();
                (0..a.len())
                    .map(|i| a.is_valid(i).then(|| a.value(i).to_string()))
                    .collect::<Vec<_>>()
            })
            .collect())
    }

    fn numbers(&self, name: &str) -> Result<Vec<Option<f64>>> {
        Ok(self
            .column(name, &DataType::Float64)?
            .iter()
            .flat_map(|a| {
                let a = a.as_primitive::<Float64Type>();
                (0..a.len())
                    .map(|i| a.is_valid(i).then(|| a.value(i)))
                    .collect::<Vec<_>>()
            })
            .collect())
    }

    fn flags(&self, name: &str) -> Result<Vec<bool>> {
        if !self.has(name) {
            return Ok(vec![false; self.rows()]);
        }
        Ok(self
            .column(name, &DataType::Boolean)?
            .iter()
            .flat_map(|a| {
                let a = a.as_boolean();
                (0..a.len())
                    .map(|i| a.is_valid(i) && a.value(i))
                    .collect::<Vec<_>>()
            })
            .collect())
    }
}

/// Runs one table of a recipe and publishes it.
pub(crate) async fn run_table(
    tc: &TableContext<'_>,
    t: &RecipeTable,
    table_coverage: &Coverage,
) -> Result<AnswerTable> {
    crate::query::check_read_only(&t.sql)?;
    let batches = crate::engine::run_sql(
        tc.ctx,
        &t.sql,
        vec![
            ("jaar_van", ScalarValue::Int32(Some(tc.years.first))),
            ("jaar_tot", ScalarValue::Int32(Some(tc.years.last))),
        ],
    )
    .await
    .map_err(|e| {
        Error::Query(format!(
            "{}: recepttabel `{}`: {e}\nhint: `hdv tables` toont de tabellen en kolommen (en de waarden van elke codekolom); `hdv query \"SELECT …\"` probeert de SQL uit",
            t.plaats, t.id
        ))
    })?;
    let frame = Frame {
        batches,
        table: t.id.clone(),
        place: t.plaats.clone(),
    };
    let mut table = match t.vorm {
        Form::Kruistabel => crosstab(tc, t, table_coverage, &frame)?,
        Form::Lijst => list(tc, t, table_coverage, &frame)?,
    };
    if let Some(w) = &t.waarom_geen_totaal {
        table.notities.insert(0, one_line(w));
    }
    let no_data: Vec<String> = table_coverage
        .without
        .iter()
        .map(|(y, s)| {
            let what = s
                .iter()
                .map(|b| {
                    if b == "plan" {
                        "het strategisch plan loopt dan niet".to_string()
                    } else {
                        format!("bron {b} heeft geen rijen")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{y} ({what})")
        })
        .collect();
    let per_year = t.kolomlabels.as_deref() == Some("jaar")
        || t.kolommen.iter().any(|c| c.soort == Kind::Jaar);
    if !no_data.is_empty() {
        table.notities.push(if per_year {
            format!(
                "Geen gegevens voor {}; die jaren tellen niet mee in totalen en gemiddelden.",
                no_data.join(", ")
            )
        } else {
            format!("Geen gegevens voor {}.", no_data.join(", "))
        });
    }
    Ok(table)
}

/// Collapses line breaks and repeated spaces: a sentence from YAML on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn suppression_notes(
    cells: &[&Value],
    kinds: &[Kind],
    d: &crate::disclosure::Disclosure,
) -> Vec<String> {
    let mut notes = Vec::new();
    if cells.iter().any(|v| **v == Value::Small) {
        notes.push(format!(
            "{}: 1 tot {} (kleine aantallen worden niet gepubliceerd).",
            d.small_label(),
            d.max_small_count as i64
        ));
    }
    if cells.iter().any(|v| **v == Value::Hidden) {
        if kinds.contains(&Kind::Aandeel) {
            notes.push(format!(
                "×: niet getoond, omdat de noemer kleiner is dan {} of de teller een klein aantal is, of omdat een klein aantal anders uit de andere cellen af te leiden is.",
                d.min_denominator as i64
            ));
        } else {
            notes.push(
                "×: afgeschermd, zodat een klein aantal niet uit de totalen kan worden afgeleid."
                    .into(),
            );
        }
    }
    if cells.iter().any(|v| **v == Value::Absent) {
        notes.push("–: niets geregistreerd.".into());
    }
    notes
}

fn crosstab(
    tc: &TableContext<'_>,
    t: &RecipeTable,
    cov: &Coverage,
    f: &Frame,
) -> Result<AnswerTable> {
    let kind = t.soort.unwrap_or(Kind::Aantal);
    let d = tc.disclosure;
    let rij = f.strings("rij")?;
    let kolom = f.strings("kolom")?;
    let totaal = f.flags("totaal")?;
    let (num, den): (Vec<Option<f64>>, Vec<Option<f64>>) = if kind == Kind::Aandeel {
        (f.numbers("teller")?, f.numbers("noemer")?)
    } else {
        (f.numbers("waarde")?, vec![None; f.rows()])
    };
    let years = t.kolomlabels.as_deref() == Some("jaar");
    let label = |list: Option<&str>, v: &Option<String>| match v {
        Some(c) => tc.labels.get(list, c),
        None => (usize::MAX, "(onbekend)".to_string()),
    };
    // Columns: the years of the range (all of them), or the codes the query gave.
    let mut cols: Vec<(usize, String, String)> = Vec::new(); // (order, label, code)
    if years {
        for y in tc.years.iter() {
            cols.push((y as usize, y.to_string(), y.to_string()));
        }
    } else {
        for k in &kolom {
            let code = k.clone().unwrap_or_default();
            if !cols.iter().any(|c| c.2 == code) {
                let (o, l) = label(t.kolomlabels.as_deref(), k);
                cols.push((o, l, code));
            }
        }
        cols.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    }
    let col_data: Vec<bool> = cols
        .iter()
        .map(|c| !years || c.2.parse::<i32>().is_ok_and(|y| cov.has(y)))
        .collect();
    // Rows: ordinary rows sorted by label, then the query's total rows.
    let mut rows: Vec<(bool, usize, String, String)> = Vec::new(); // (total, order, label, code)
    for (i, r) in rij.iter().enumerate() {
        let code = r.clone().unwrap_or_default();
        if !rows.iter().any(|x| x.3 == code && x.0 == totaal[i]) {
            let (o, l) = label(t.rijlabels.as_deref(), r);
            rows.push((totaal[i], o, l, code));
        }
    }
    rows.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    let nr = rows.len();
    let nc = cols.len();
    let mut m = vec![vec![0.0; nc]; nr];
    let mut dm = vec![vec![0.0; nc]; nr];
    let mut present = vec![vec![false; nc]; nr];
    let mut undefined = vec![vec![false; nc]; nr];
    for i in 0..rij.len() {
        let code = rij[i].clone().unwrap_or_default();
        let kcode = kolom[i].clone().unwrap_or_default();
        let Some(r) = rows.iter().position(|x| x.3 == code && x.0 == totaal[i]) else {
            continue;
        };
        let Some(c) = cols.iter().position(|x| x.2 == kcode) else {
            continue; // a year outside the range
        };
        present[r][c] = true;
        match num[i] {
            Some(v) => m[r][c] += v,
            None => undefined[r][c] = true,
        }
        dm[r][c] += den[i].unwrap_or(0.0);
    }
    let row_totals = t.rijtotaal.list();
    let col_sum = t.kolomtotaal.list().contains(&Total::Som);
    let body: Vec<usize> = (0..nr).filter(|&i| !rows[i].0).collect();
    let data_cols: Vec<usize> = (0..nc).filter(|&j| col_data[j]).collect();
    // Suppression over the body rows and the columns with data.
    let sub: Vec<Vec<f64>> = body
        .iter()
        .map(|&i| data_cols.iter().map(|&j| m[i][j]).collect())
        .collect();
    let small = |v: f64| d.small_count(v);
    let hidden = if kind == Kind::Personen {
        suppress::suppress(&sub, d.max_small_count, !row_totals.is_empty(), col_sum)
    } else {
        suppress::Hidden::none(sub.len(), data_cols.len())
    };
    let mut notes = Vec::new();
    let mut out_rows = Vec::new();
    let cell_kind = ColumnKind::Figure(
        kind,
        t.decimalen
            .unwrap_or(if kind == Kind::Aandeel { 1 } else { 0 }),
    );
    // The average per year of a row is over the years the row has figures for (a prison open
    // two of six years: over two), as the definition and the note say.
    let total_cells =
        |vals: &[f64], years_with: usize, hide: bool, hide_small: bool| -> Vec<Value> {
            let sum: f64 = vals.iter().sum();
            row_totals
                .iter()
                .map(|tot| {
                    if *tot != Total::Som && years_with == 0 {
                        return Value::NoData;
                    }
                    let v = match tot {
                        Total::Som => sum,
                        _ => sum / years_with as f64,
                    };
                    if hide_small && small(sum) {
                        Value::Small
                    } else if hide {
                        Value::Hidden
                    } else {
                        Value::Number(v)
                    }
                })
                .collect()
        };
    // Row labels that are years (`rijlabels: jaar`) are years, not text.
    let year_rows = t.rijlabels.as_deref() == Some("jaar");
    let row_label = |l: &str| match l.parse::<i32>() {
        Ok(y) if year_rows => Value::Year(y),
        _ => Value::Text(l.to_string()),
    };
    for (bi, &i) in body.iter().enumerate() {
        let mut cells = vec![row_label(&rows[i].2)];
        for j in 0..nc {
            cells.push(if !col_data[j] {
                Value::NoData
            } else {
                let dj = data_cols.iter().position(|&x| x == j).unwrap_or(0);
                let h = hidden.cells[bi][dj];
                if kind == Kind::Aandeel {
                    rate(m[i][j], dm[i][j], present[i][j], &d)
                } else if h && small(m[i][j]) {
                    Value::Small
                } else if h {
                    Value::Hidden
                } else if !present[i][j] {
                    Value::Absent
                } else if undefined[i][j] {
                    Value::Empty
                } else {
                    Value::Number(m[i][j])
                }
            });
        }
        let vals: Vec<f64> = data_cols.iter().map(|&j| m[i][j]).collect();
        let years_with = data_cols.iter().filter(|&&j| present[i][j]).count();
        cells.extend(total_cells(
            &vals,
            years_with,
            hidden.row_totals[bi],
            kind == Kind::Personen,
        ));
        out_rows.push(Row {
            cellen: cells,
            totaal: false,
        });
    }
    if col_sum {
        let mut cells = vec![Value::Text("Totaal".into())];
        for j in 0..nc {
            cells.push(if !col_data[j] {
                Value::NoData
            } else {
                let dj = data_cols.iter().position(|&x| x == j).unwrap_or(0);
                let s: f64 = body.iter().map(|&i| m[i][j]).sum();
                if kind == Kind::Personen && small(s) {
                    Value::Small
                } else if hidden.col_totals[dj] {
                    Value::Hidden
                } else {
                    Value::Number(s)
                }
            });
        }
        let vals: Vec<f64> = data_cols
            .iter()
            .map(|&j| body.iter().map(|&i| m[i][j]).sum())
            .collect();
        let years_with = data_cols
            .iter()
            .filter(|&&j| body.iter().any(|&i| present[i][j]))
            .count();
        cells.extend(total_cells(
            &vals,
            years_with,
            hidden.grand_total,
            kind == Kind::Personen,
        ));
        out_rows.push(Row {
            cellen: cells,
            totaal: true,
        });
    }
    // The query's own total rows (distinct persons): primary suppression only, no sums.
    for i in (0..nr).filter(|&i| rows[i].0) {
        let mut cells = vec![Value::Text(rows[i].2.clone())];
        for j in 0..nc {
            cells.push(if !col_data[j] {
                Value::NoData
            } else if kind == Kind::Aandeel {
                rate(m[i][j], dm[i][j], present[i][j], &d)
            } else if !present[i][j] {
                Value::Absent
            } else if kind == Kind::Personen && small(m[i][j]) {
                Value::Small
            } else {
                Value::Number(m[i][j])
            });
        }
        cells.extend(row_totals.iter().map(|_| Value::Empty));
        out_rows.push(Row {
            cellen: cells,
            totaal: true,
        });
    }
    let span = range_text(&cov.with_data);
    let mut kolommen = vec![Column {
        kop: t.rijen.clone().unwrap_or_default(),
        soort: if year_rows {
            ColumnKind::Year
        } else {
            ColumnKind::Label
        },
    }];
    kolommen.extend(cols.iter().map(|c| Column {
        kop: c.1.clone(),
        soort: cell_kind,
    }));
    for tot in &row_totals {
        kolommen.push(Column {
            kop: match (tot, years) {
                (Total::Som, true) => format!("Totaal {span}"),
                (Total::Som, false) => "Totaal".into(),
                (_, true) => "Gemiddeld per jaar".into(),
                (_, false) => "Gemiddelde".into(),
            },
            soort: cell_kind,
        });
    }
    if years && row_totals.contains(&Total::Gemiddelde) {
        notes.push(format!(
            "Gemiddeld per jaar: het totaal van {span} gedeeld door het aantal jaren met gegevens van die rij ({} voor een rij met gegevens in elk jaar; minder voor een gevangenis die niet elk jaar open was).",
            data_cols.len()
        ));
    }
    let all: Vec<&Value> = out_rows.iter().flat_map(|r| &r.cellen).collect();
    notes.extend(suppression_notes(&all, &[kind], &d));
    if t.rijlabels.as_deref() == Some("gevangenis") {
        notes.extend(
            tc.labels
                .prison_notes(rows.iter().map(|r| r.3.as_str()), tc.years),
        );
    }
    Ok(AnswerTable {
        id: t.id.clone(),
        titel: t.titel.clone(),
        definitie: one_line(&t.definitie),
        kolommen,
        rijen: out_rows,
        notities: notes,
    })
}

/// A published rate from its numerator and denominator.
fn rate(num: f64, den: f64, present: bool, d: &crate::disclosure::Disclosure) -> Value {
    if !present {
        Value::Absent
    } else if den <= 0.0 {
        Value::Empty
    } else if den < d.min_denominator || d.small_count(num) {
        Value::Hidden
    } else {
        Value::Number(100.0 * num / den)
    }
}

fn list(tc: &TableContext<'_>, t: &RecipeTable, cov: &Coverage, f: &Frame) -> Result<AnswerTable> {
    let d = tc.disclosure;
    let n = f.rows();
    enum Col {
        Text(Vec<Option<String>>),
        Num(Vec<Option<f64>>),
        Rate(usize, usize),
    }
    let mut cols = Vec::new();
    for c in &t.kolommen {
        cols.push(match (c.soort, &c.naam) {
            (Kind::Aandeel, _) => {
                let idx = |x: &Option<String>| {
                    t.kolommen
                        .iter()
                        .position(|k| k.naam.as_deref() == x.as_deref())
                        .unwrap_or(0)
                };
                Col::Rate(idx(&c.teller), idx(&c.noemer))
            }
            (Kind::Tekst, Some(name)) => Col::Text(f.strings(name)?),
            (_, Some(name)) => Col::Num(f.numbers(name)?),
            (_, None) => Col::Text(vec![None; n]),
        });
    }
    let totaal = f.flags("totaal")?;
    let year_col = t.kolommen.iter().position(|c| c.soort == Kind::Jaar);
    let mut rows: Vec<(i32, Row)> = Vec::new();
    for i in 0..n {
        let year = year_col.and_then(|yc| match &cols[yc] {
            Col::Num(v) => v[i].map(|y| y as i32),
            _ => None,
        });
        if let Some(y) = year
            && !cov.has(y)
        {
            continue; // replaced by one "geen gegevens" row below
        }
        let mut cells = Vec::new();
        for (k, c) in t.kolommen.iter().enumerate() {
            cells.push(match &cols[k] {
                Col::Text(v) => match &v[i] {
                    Some(s) => Value::Text(tc.labels.get(c.labels.as_deref(), s).1),
                    None => Value::Text("(onbekend)".into()),
                },
                Col::Num(v) => match (c.soort, v[i]) {
                    (Kind::Jaar, Some(y)) => Value::Year(y as i32),
                    (Kind::Personen, Some(x)) if d.small_count(x) => Value::Small,
                    (_, Some(x)) => Value::Number(x),
                    (_, None) => Value::Empty,
                },
                Col::Rate(a, b) => {
                    let (num, den) = match (&cols[*a], &cols[*b]) {
                        (Col::Num(x), Col::Num(y)) => (x[i], y[i]),
                        _ => (None, None),
                    };
                    match (num, den) {
                        (Some(x), Some(y)) => rate(x, y, true, &d),
                        _ => Value::Empty,
                    }
                }
            });
        }
        rows.push((
            year.unwrap_or(0),
            Row {
                cellen: cells,
                totaal: totaal[i],
            },
        ));
    }
    if let Some(yc) = year_col {
        for y in tc.years.iter().filter(|y| !cov.has(*y)) {
            let mut cells = vec![Value::Empty; t.kolommen.len()];
            cells[yc] = Value::Year(y);
            if let Some(first) = (0..t.kolommen.len()).find(|&k| k != yc) {
                cells[first] = Value::NoData;
            }
            rows.push((
                y,
                Row {
                    cellen: cells,
                    totaal: false,
                },
            ));
        }
        rows.sort_by_key(|r| r.0); // stable: the query's order within a year
    }
    let rows: Vec<Row> = rows.into_iter().map(|r| r.1).collect();
    let kolommen: Vec<Column> = t
        .kolommen
        .iter()
        .map(|c| Column {
            kop: c.kop.clone(),
            soort: match c.soort {
                Kind::Tekst => ColumnKind::Label,
                Kind::Jaar => ColumnKind::Year,
                k => ColumnKind::Figure(
                    k,
                    c.decimalen
                        .unwrap_or(if k == Kind::Aandeel { 1 } else { 0 }),
                ),
            },
        })
        .collect();
    let all: Vec<&Value> = rows.iter().flat_map(|r| &r.cellen).collect();
    let kinds: Vec<Kind> = t.kolommen.iter().map(|c| c.soort).collect();
    let mut notes = suppression_notes(&all, &kinds, &d);
    for (k, c) in t.kolommen.iter().enumerate() {
        if let (Some("gevangenis"), Col::Text(v)) = (c.labels.as_deref(), &cols[k]) {
            notes.extend(
                tc.labels
                    .prison_notes(v.iter().flatten().map(String::as_str), tc.years),
            );
        }
    }
    Ok(AnswerTable {
        id: t.id.clone(),
        titel: t.titel.clone(),
        definitie: one_line(&t.definitie),
        kolommen,
        rijen: rows,
        notities: notes,
    })
}

/// The recipes of `dir` as help text: one line per recipe with its title.
pub(crate) fn recipe_list(dir: &Path) -> String {
    let list = list_recipes(dir);
    if list.is_empty() {
        return format!(
            "Geen recepten gevonden in {} (gebruik --project).",
            crate::diagnostic::display_path(dir)
        );
    }
    let width = list.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let mut s = String::from("Recepten:\n");
    for (id, title) in list {
        s.push_str(&format!("  {id:width$}  {title}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_runs() {
        assert_eq!(range_text(&[2019, 2020, 2021, 2024]), "2019-2021, 2024");
        assert_eq!(range_text(&[2026]), "2026");
        assert_eq!(range_text(&[]), "geen enkel jaar");
    }

    #[test]
    fn one_line_joins_yaml_lines_with_a_space() {
        assert_eq!(
            one_line("één\nindividueel  traject\n"),
            "één individueel traject"
        );
    }

    #[test]
    fn a_rate_follows_its_denominator_and_hides_a_small_numerator() {
        let d = crate::disclosure::Disclosure::default();
        assert_eq!(rate(50.0, 100.0, true, &d), Value::Number(50.0));
        assert_eq!(rate(6.0, 9.0, true, &d), Value::Hidden);
        assert_eq!(rate(3.0, 100.0, true, &d), Value::Hidden);
        assert_eq!(rate(0.0, 100.0, true, &d), Value::Number(0.0));
        assert_eq!(rate(0.0, 0.0, true, &d), Value::Empty);
    }
}
