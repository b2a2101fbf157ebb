//! Answers to recurring parliamentary questions: recipes in `templates/antwoorden/*.yaml`
//! (SQL, Dutch sentences, definitions; a new recipe needs no Rust), run on the same tables as
//! the indicators, published with primary and secondary suppression. This module decides
//! everything (which totals, suppression, years without data, labels); `render::answer` only
//! formats the typed [`AnswerTable`]s.
//!
//! The recipe fields are documented for their writers in the README ("Writing a recipe for a
//! new question"); `hdv answer new NAAM` writes a commented skeleton (`skeleton.rs`).

pub(crate) mod document;
pub(crate) mod skeleton;
pub(crate) mod table;

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
    let v: Option<serde_json::Value> = Option::deserialize(d)?;
    v.map(|v| {
        let text = match &v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
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

/// The recipes' folder of `project` (`templates/antwoorden/`).
pub(crate) fn recipes_dir(project: &Path) -> std::path::PathBuf {
    project.join("templates").join("antwoorden")
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
                .and_then(|t| crate::yaml::from_str::<Title>(&t).ok())
                .and_then(|t| t.titel)
                .unwrap_or_default();
            (id, title)
        })
        .collect()
}

fn unknown(dir: &Path, id: &str) -> Error {
    Error::UnknownRecipe {
        recipe: id.to_string(),
        known: list_recipes(dir).into_iter().map(|r| r.0).collect(),
    }
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
    let combined = crate::yaml::from_str::<serde_json::Value>(&text)
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
        RecipeFile::Combined(_) => Err(Error::CombinedNotRecipe {
            recipe: id.to_string(),
        }),
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
    for t in &r.tabellen {
        if let Some(b) = &t.blad {
            check_sheet(&mut fail, t, b);
        }
        match t.vorm {
            Form::Kruistabel => check_cross(&mut fail, t),
            Form::Lijst => check_list(&mut fail, t),
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

/// The kinds a cross table's `soort` may be, as a hint.
const KINDS: &str = "personen, aantal, euro, getal, dagen of aandeel";

/// A table's sheet name `b`: at most [`MAX_SHEET`] characters, not empty, none Excel refuses.
fn check_sheet(fail: &mut impl FnMut(&RecipeTable, &str, String), t: &RecipeTable, b: &str) {
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

/// A cross table: its kind of figures, its row labels and totals that add up.
fn check_cross(fail: &mut impl FnMut(&RecipeTable, &str, String), t: &RecipeTable) {
    let Some(kind) = t.soort else {
        fail(
            t,
            "id",
            format!("`soort` ontbreekt: voeg `soort:` toe ({KINDS})"),
        );
        return;
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
    if kind == Kind::Aandeel && (!t.rijtotaal.list().is_empty() || !t.kolomtotaal.list().is_empty())
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
            "`kolomtotaal` is `som` of `geen` (een gemiddelde per jaar hoort in `rijtotaal`)"
                .into(),
        );
    }
    let no_sum =
        !t.rijtotaal.list().contains(&Total::Som) || !t.kolomtotaal.list().contains(&Total::Som);
    if kind.is_count() && no_sum && t.waarom_geen_totaal.is_none() {
        fail(
            t,
            "id",
            "zonder rij- of kolomsom hoort een zin `waarom_geen_totaal` (bv. \"Een persoon kan in meer dan één jaar voorkomen.\")".into(),
        );
    }
}

/// A list: its columns named, its rates over two of its columns.
fn check_list(fail: &mut impl FnMut(&RecipeTable, &str, String), t: &RecipeTable) {
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
            let ok = |x: &Option<String>| x.as_deref().is_some_and(|n| names.contains(&n));
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
            let map: BTreeMap<String, serde_json::Map<String, serde_json::Value>> =
                crate::yaml::parse_yaml(&text, &crate::diagnostic::display_path(&path), &mut diags)
                    .ok_or(Error::Invalid(diags))?;
            for (list, m) in map {
                let pairs = m
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
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
            return Err(Error::SourceEmpty { name: n.clone() });
        };
        if !range.iter().any(|y| years.contains(&y)) && n == "plan" {
            return Err(Error::AnswerOutsidePlan {
                plan: years.iter().copied().collect(),
                asked: range.iter().collect(),
            });
        }
        if !range.iter().any(|y| years.contains(&y)) {
            return Err(Error::AnswerOutsideSource {
                name: n.clone(),
                asked: range.iter().collect(),
                held: years.iter().copied().collect(),
            });
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
    crate::years::runs(years.iter().copied(), "geen enkel jaar")
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
        .map_err(|e| Error::Internal {
        step: "",
        message: e.to_string(),
    })?;
    // A combined answer runs several recipes on one context: register once.
    if ctx.table_exist("gekozen_gevangenissen").unwrap_or(false) {
        let _ = ctx.deregister_table("gekozen_gevangenissen");
    }
    ctx.register_batch("gekozen_gevangenissen", batch)
        .map_err(|e| Error::Internal {
            step: "",
            message: e.to_string(),
        })?;
    Ok(())
}

/// Registers the figures of `eval` as the table `indicatoren` (see the module docs) as the
/// reports publish them: a value, numerator or denominator they do not show is null, and
/// `afscherming` says why (`<5` or `×`), so a recipe cannot publish what the reports hide.
pub(crate) fn register_figures(
    ctx: &SessionContext,
    eval: &crate::engine::Evaluation,
    model: &Model,
    d: &crate::disclosure::Disclosure,
) -> Result<()> {
    use crate::disclosure::Shown;
    use datafusion::arrow::array::{Float64Array, Int32Array};
    let figures = &eval.observations;
    let published: Vec<Option<crate::protect::Published>> = figures
        .iter()
        .map(|o| model.indicator(&o.indicator).map(|ind| d.published(ind, o)))
        .collect();
    let shown = |s: Shown| match s {
        Shown::Value(v) => Some(v),
        _ => None,
    };
    let text = |f: &dyn Fn(usize) -> Option<String>| {
        Arc::new(StringArray::from(
            (0..figures.len()).map(f).collect::<Vec<_>>(),
        )) as Arc<dyn Array>
    };
    let num = |f: &dyn Fn(usize) -> Option<f64>| {
        Arc::new(Float64Array::from(
            (0..figures.len()).map(f).collect::<Vec<_>>(),
        )) as Arc<dyn Array>
    };
    let value_shown = |i: usize| published[i].is_some_and(|p| matches!(p.value, Shown::Value(_)));
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
        Field::new("afscherming", DataType::Utf8, true),
    ]));
    let columns = vec![
        text(&|i| Some(figures[i].indicator.clone())),
        Arc::new(Int32Array::from(
            figures.iter().map(|o| o.year).collect::<Vec<_>>(),
        )) as Arc<dyn Array>,
        text(&|i| figures[i].dim.as_ref().map(|d| d.name.clone())),
        text(&|i| figures[i].dim.as_ref().map(|d| d.value.clone())),
        num(&|i| published[i].and_then(|p| shown(p.value))),
        num(&|i| published[i].and_then(|p| shown(p.numerator))),
        num(&|i| published[i].and_then(|p| shown(p.denominator))),
        num(&|i| {
            figures[i]
                .interval
                .and_then(|x| x.low)
                .filter(|_| value_shown(i))
        }),
        num(&|i| {
            figures[i]
                .interval
                .and_then(|x| x.high)
                .filter(|_| value_shown(i))
        }),
        text(&|i| published[i].and_then(|p| table::figure_mark(p.value, &d.small_label()))),
    ];
    let batch = RecordBatch::try_new(schema, columns).map_err(|e| Error::Internal {
        step: "",
        message: e.to_string(),
    })?;
    if ctx.table_exist("indicatoren").unwrap_or(false) {
        let _ = ctx.deregister_table("indicatoren");
    }
    ctx.register_batch("indicatoren", batch)
        .map_err(|e| Error::Internal {
            step: "",
            message: e.to_string(),
        })?;
    Ok(())
}

/// Everything a table needs besides its recipe.
pub(crate) struct TableContext<'a> {
    pub ctx: &'a SessionContext,
    pub years: YearRange,
    pub labels: &'a Labels,
    /// The prisons chosen, in words, when not all of them.
    pub selection: Option<String>,
}

/// The columns of a query result, by name, as strings / numbers / booleans.
pub(crate) struct Frame {
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

/// Runs one table of `recipe` and reads its result (published once the ledger of the whole
/// answer is solved: [`table::Raw::publish`]).
pub(crate) async fn run_table(
    tc: &TableContext<'_>,
    recipe: &str,
    t: &RecipeTable,
    table_coverage: &Coverage,
) -> Result<table::Raw> {
    crate::query::check_read_only(&t.sql)?;
    let max_rows = crate::limits::get("HDV_ANSWER_ROWS", crate::query::DEFAULT_ANSWER_ROWS);
    let batches = crate::engine::run_sql_rows(
        tc.ctx,
        &t.sql,
        vec![
            ("jaar_van", ScalarValue::Int32(Some(tc.years.first))),
            ("jaar_tot", ScalarValue::Int32(Some(tc.years.last))),
        ],
        Some(usize::try_from(max_rows).unwrap_or(usize::MAX)),
    )
    .await
    .map_err(|e| {
        Error::Query(format!(
            "{}: recepttabel `{}`: {e}\nhint: `hdv tables` toont de tabellen en kolommen (en de waarden van elke codekolom); `hdv query \"SELECT …\"` probeert de SQL uit",
            t.plaats, t.id
        ))
    })?;
    // What is built from the result (texts, cells, three documents) is held against the
    // SQL's memory limit too, at a few times the result's size.
    let size: usize = batches.iter().map(|b| b.get_array_memory_size()).sum();
    let built = datafusion::execution::memory_pool::MemoryConsumer::new("antwoordtabel")
        .register(&tc.ctx.runtime_env().memory_pool);
    built.try_grow(size.saturating_mul(4)).map_err(|e| {
        Error::Query(format!(
            "recepttabel `{}`: {}",
            t.id,
            crate::query::execution_message(&e.to_string())
        ))
    })?;
    let frame = Frame {
        batches,
        table: t.id.clone(),
        place: t.plaats.clone(),
    };
    let place = table::Place {
        table: format!("antwoord/{recipe}/{}", t.id),
        years: tc.years,
        selection: tc.selection.clone(),
    };
    table::read(place, tc.labels, t, table_coverage, &frame)
}

/// Collapses line breaks and repeated spaces: a sentence from YAML on one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
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
}
