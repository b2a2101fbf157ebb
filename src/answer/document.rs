//! An answer as a typed document: its parts, each with its tables run and published (totals,
//! suppression, years without data decided in this module's parent) and the facts its
//! sentences may quote; the sources with their hashes. `render::answer` fills the sentences
//! (minijinja text of the recipe) and formats the tables.

use super::{Labels, Part, Recipe, RecipeFile, TableContext};
use crate::disclosure::Disclosure;
use crate::engine::Evaluation;
use crate::error::{Error, Result};
use crate::model::Indicator;
use crate::register::Inputs;
use crate::report::RunInfo;
use crate::years::YearRange;
use serde::Serialize;
use std::future::Future;
use std::path::Path;

/// What building an answer needs from the run that holds the data: the figures of indicators
/// and a runtime for the queries (the `Session`, wired in `cmd::answer`).
pub(crate) trait Run {
    /// Evaluates `indicators` for `years`.
    fn evaluate(
        &self,
        inputs: &Inputs,
        indicators: &[Indicator],
        years: YearRange,
    ) -> Result<Evaluation>;
    /// The data over the model with the plan in force in `year` (a part that asks about
    /// other years, e.g. the goals of an earlier plan).
    fn load_as_of(&self, year: i32) -> Result<Inputs>;
    /// Runs `future` to completion.
    fn block_on<F: Future>(&self, future: F) -> F::Output;
}

/// A recipe file with every recipe it names, read (and checked) before the data.
pub(crate) struct Recipes {
    /// The recipes' folder (`templates/antwoorden`), with the labels.
    pub dir: std::path::PathBuf,
    pub file: RecipeFile,
    /// Per part: the part of a combined answer (none for a single recipe) and its recipe.
    pub parts: Vec<(Option<Part>, Recipe)>,
}

impl Recipes {
    /// Reads recipe `id` of `dir` and, for a combined answer, every recipe it names.
    pub(crate) fn read(dir: &Path, id: &str) -> Result<Recipes> {
        let file = super::load_file(dir, id)?;
        let parts = match &file {
            RecipeFile::Recipe(r) => vec![(None, r.clone())],
            RecipeFile::Combined(c) => c
                .onderdelen
                .iter()
                .map(|p| Ok((Some(p.clone()), super::load_recipe(dir, &p.recept)?)))
                .collect::<Result<_>>()?,
        };
        Ok(Recipes {
            dir: dir.to_path_buf(),
            file,
            parts,
        })
    }
}

/// The answer, decided: what `render::answer` formats.
#[derive(Debug)]
pub(crate) struct Document {
    pub id: String,
    pub title: String,
    /// The question as asked (for a combined answer: its subject), on one line.
    pub question: String,
    /// A combined answer's text before the parts (minijinja over `plan`), or empty.
    pub intro: String,
    pub plan: PlanFacts,
    pub parts: Vec<DocumentPart>,
    /// The years asked (`2019-2024`).
    pub years: String,
    /// The prisons asked, by name, or `alle`.
    pub prisons: String,
    pub sources: Vec<SourceFact>,
    /// The approvals of the years asked (`hdv approve`) the figures rest on, in words; set by
    /// the command.
    pub approvals: Vec<String>,
    pub run: RunInfo,
    /// The label of a small count (`<5`).
    pub small_label: String,
    /// The disclosure policy, stated in the answer.
    pub policy: crate::model::Policy,
    /// The files' name without extension: `<id>_<from>-<to>[_<prison>…]`.
    pub stem: String,
}

/// One sub-question (a combined answer) or the whole answer of one recipe (`number` none).
#[derive(Debug)]
pub(crate) struct DocumentPart {
    /// The recipe that answers it (for messages).
    pub recipe: String,
    pub number: Option<u32>,
    /// The sub-question as asked, on one line (empty for a single recipe).
    pub question: String,
    /// The texts around the tables: minijinja over `facts` and the tables' totals.
    pub explanation: Option<String>,
    pub intro: String,
    pub closing: String,
    pub tables: Vec<NumberedTable>,
    pub facts: PartFacts,
}

/// A table with its number in the document and its sheet name in the annex.
#[derive(Debug, Serialize)]
pub(crate) struct NumberedTable {
    pub nummer: usize,
    /// Sheet name in the annex (≤ 31 characters, chosen, never cut).
    pub blad: String,
    pub tabel: super::AnswerTable,
}

/// What a combined answer's introduction may quote.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlanFacts {
    pub jaar_van: i32,
    pub jaar_tot: i32,
    pub plan_id: String,
    pub plan_titel: String,
    pub plan_periode: String,
    pub plan_versie: String,
}

/// What the texts of a part may quote (besides the totals of its tables).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PartFacts {
    pub jaar_van: i32,
    pub jaar_tot: i32,
    pub gevangenissen: String,
    pub jaren_met_gegevens: String,
    pub jaren_zonder_gegevens: String,
    pub plan_id: String,
    pub plan_titel: String,
    pub plan_periode: String,
    pub plan_versie: String,
    pub statussen_voorbeeld: bool,
}

/// A source file the answer rests on.
#[derive(Debug)]
pub(crate) struct SourceFact {
    pub source: String,
    pub file: String,
    pub sha256: String,
    pub rows: usize,
    /// The latest date in the file, as the extraction date's best evidence.
    pub last_date: Option<chrono::NaiveDate>,
}

/// Builds the answer of `recipes` for `years` and `prisons` (codes; empty: all) over `inputs`
/// (the plan in force in the last year asked).
pub(crate) fn build(
    run: &impl Run,
    inputs: &Inputs,
    recipes: &Recipes,
    years: YearRange,
    prisons: &[String],
    info: RunInfo,
) -> Result<Document> {
    build_with_ledger(run, inputs, recipes, years, prisons, info).map(|(doc, _)| doc)
}

/// As [`build`], with the disclosure ledger the answer was published from (for the audit of
/// everything a year publishes).
pub(crate) fn build_with_ledger(
    run: &impl Run,
    inputs: &Inputs,
    recipes: &Recipes,
    years: YearRange,
    prisons: &[String],
    info: RunInfo,
) -> Result<(Document, Disclosure)> {
    let model = &inputs.model;
    for p in prisons {
        if model.prison(p).is_none() {
            return Err(Error::UnknownPrison {
                prison: p.clone(),
                known: model.prison_codes(),
            });
        }
    }
    let chosen = if prisons.is_empty() {
        model.prison_codes()
    } else {
        prisons.to_vec()
    };
    let labels = Labels::load(&recipes.dir, model)?;
    // The indicators' ledger over the years asked: every indicator (so that its marks are
    // those of every other output), and the figures a recipe reads as published.
    let eval = run.evaluate(inputs, &model.indicators, years)?;
    let d = Disclosure::of(model, &eval);
    super::register_figures(&inputs.ctx, &eval, model, &d)?;
    let names = if prisons.is_empty() {
        "alle".to_string()
    } else {
        prisons
            .iter()
            .map(|p| model.prison(p).map(|x| x.naam.clone()).unwrap_or_default())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // With some prisons chosen, the tables of all prisons are decided first: a prison's cell
    // is then published as in the answer over all prisons, and only the totals over the
    // prisons chosen are decided here (so that answers with other choices, together, give
    // nothing away either).
    let asked = Asked {
        run,
        inputs,
        recipes,
        years,
    };
    let d = if prisons.is_empty() {
        d
    } else {
        asked.decided_over_all(&eval, &labels, &d)?
    };
    super::register_prisons(&inputs.ctx, &chosen)?;
    let tc = TableContext {
        ctx: &inputs.ctx,
        years,
        labels: &labels,
        selection: (!prisons.is_empty()).then(|| chosen.join("+")),
    };
    let (raw_parts, d) = asked.raw_parts(&eval, &tc, &chosen, d)?;
    let read = sources_read(recipes, model);
    let d = solved(
        &d,
        raw_parts.iter().flat_map(|p| p.tables.iter().map(|t| &t.2)),
    )?;
    let parts: Vec<DocumentPart> = raw_parts
        .into_iter()
        .map(|p| {
            let own = p.labels.clone();
            p.publish(&d, own.as_ref().unwrap_or(&labels), &names)
        })
        .collect();
    let doc = asked.document(prisons, names, parts, info, &d, &read);
    Ok((doc, d))
}

/// What an answer is built from: the run, its inputs, the recipes and the years asked.
struct Asked<'a, R: Run> {
    run: &'a R,
    inputs: &'a Inputs,
    recipes: &'a Recipes,
    years: YearRange,
}

impl<R: Run> Asked<'_, R> {
    /// The ledger with the tables of all prisons decided (before those of the prisons chosen).
    fn decided_over_all(
        &self,
        eval: &Evaluation,
        labels: &Labels,
        d: &Disclosure,
    ) -> Result<Disclosure> {
        let (run, inputs, recipes, years) = (self.run, self.inputs, self.recipes, self.years);
        super::register_prisons(&inputs.ctx, &inputs.model.prison_codes())?;
        let tc = TableContext {
            ctx: &inputs.ctx,
            years,
            labels,
            selection: None,
        };
        let mut all = Vec::new();
        for (part, recipe) in &recipes.parts {
            check_figures(eval, recipe)?;
            all.extend(raw_part(run, inputs, &tc, part.as_ref(), recipe, &mut 0)?.tables);
        }
        solved(d, all.iter().map(|t| &t.2))
    }

    /// Each part's tables as computed, and the ledger with the figures of parts about other
    /// years added.
    fn raw_parts(
        &self,
        eval: &Evaluation,
        tc: &TableContext,
        chosen: &[String],
        d: Disclosure,
    ) -> Result<(Vec<RawPart>, Disclosure)> {
        let (run, inputs, recipes, years) = (self.run, self.inputs, self.recipes, self.years);
        let mut raw_parts = Vec::new();
        let mut number = 0;
        let mut d = d;
        for (part, recipe) in &recipes.parts {
            // A part may ask about other years (`jaren`, e.g. the goals of an earlier plan): its
            // tables are made on the plan in force in its last year, in that version, and its
            // figures are those years' as published.
            match part.as_ref().and_then(|p| p.jaren).filter(|y| *y != years) {
                Some(own) => {
                    let alt = run.load_as_of(own.last)?;
                    let alt_eval = run.evaluate(&alt, &alt.model.indicators, own)?;
                    let alt_base = Disclosure::of(&alt.model, &alt_eval);
                    super::register_figures(&alt.ctx, &alt_eval, &alt.model, &alt_base)?;
                    super::register_prisons(&alt.ctx, chosen)?;
                    let alt_labels = Labels::load(&recipes.dir, &alt.model)?;
                    let alt_tc = TableContext {
                        ctx: &alt.ctx,
                        years: own,
                        labels: &alt_labels,
                        selection: tc.selection.clone(),
                    };
                    check_figures(&alt_eval, recipe)?;
                    let mut p = raw_part(run, &alt, &alt_tc, part.as_ref(), recipe, &mut number)?;
                    p.labels = Some(alt_labels);
                    raw_parts.push(p);
                    d = d.with(&alt_base);
                }
                None => {
                    check_figures(eval, recipe)?;
                    raw_parts.push(raw_part(
                        run,
                        inputs,
                        tc,
                        part.as_ref(),
                        recipe,
                        &mut number,
                    )?);
                }
            }
        }
        Ok((raw_parts, d))
    }

    /// The document: the recipe's title and question, the plan, the parts, the sources read.
    fn document(
        &self,
        prisons: &[String],
        names: String,
        parts: Vec<DocumentPart>,
        info: RunInfo,
        d: &Disclosure,
        read: &std::collections::BTreeSet<String>,
    ) -> Document {
        let (inputs, recipes, years) = (self.inputs, self.recipes, self.years);
        let model = &inputs.model;
        let (title, question, intro, id) = match &recipes.file {
            RecipeFile::Recipe(r) => (
                r.titel.clone(),
                r.vraag.clone(),
                String::new(),
                r.id.clone(),
            ),
            RecipeFile::Combined(c) => (
                c.titel.clone(),
                c.vraag.clone(),
                c.inleiding.clone().unwrap_or_default(),
                c.id.clone(),
            ),
        };
        let mut stem = format!("{id}_{}-{}", years.first, years.last);
        for p in prisons {
            stem.push('_');
            stem.push_str(p);
        }
        // Many prisons make a long name: cut with a hash (the same options, the same name).
        let stem = crate::output::short_name(&stem, "");
        Document {
            id,
            title,
            question: super::one_line(&question),
            intro,
            plan: PlanFacts {
                jaar_van: years.first,
                jaar_tot: years.last,
                plan_id: model.plan.id.clone(),
                plan_titel: model.plan.titel.clone(),
                plan_periode: model.plan.period(),
                plan_versie: model.plan.version_label(),
            },
            parts,
            years: years.to_string().replace("..", "-"),
            prisons: names,
            // Only the sources the recipes read (their `bronnen`, their tables' and their
            // indicators'), not every delivery of the project.
            sources: inputs
                .sources
                .files
                .iter()
                .filter(|f| read.contains(f.source.name()))
                .map(|f| SourceFact {
                    source: f.source.name().into(),
                    file: f.file_name(),
                    sha256: f.sha256.clone(),
                    rows: f.rows,
                    last_date: f.date_range().map(|(_, hi)| hi),
                })
                .collect(),
            approvals: Vec::new(),
            run: info,
            small_label: d.small_label(),
            policy: d.policy().clone(),
            stem,
        }
    }
}

/// Refuses a recipe whose indicators are unknown or lack a source.
fn check_figures(eval: &Evaluation, recipe: &Recipe) -> Result<()> {
    for id in &recipe.indicatoren {
        if let Some((_, missing)) = eval.skipped.iter().find(|(s, _)| s == id) {
            return Err(Error::RecipeMissingSources {
                recipe: recipe.id.clone(),
                indicator: id.clone(),
                sources: missing.iter().map(|s| s.name().to_string()).collect(),
            });
        }
        if !eval.observations.iter().any(|o| &o.indicator == id)
            && !eval.skipped.iter().any(|(s, _)| s == id)
        {
            return Err(Error::RecipeUnknownIndicator {
                recipe: recipe.id.clone(),
                indicator: id.clone(),
            });
        }
    }
    Ok(())
}

/// The ledger over `d` with the cells of `tables`, solved; refuses to publish when a
/// protected count could not be kept hidden (only possible when every cell that would have
/// to be hidden is fixed by another output).
fn solved<'a>(
    d: &Disclosure,
    tables: impl Iterator<Item = &'a super::table::Raw>,
) -> Result<Disclosure> {
    let tables: Vec<&super::table::Raw> = tables.collect();
    let (d, exposed) = d.over(|l| {
        for t in &tables {
            t.register(l);
        }
    });
    if let Some(e) = exposed.first() {
        return Err(Error::AnswerUnpublishable {
            cell: e.cell.to_string(),
        });
    }
    Ok(d)
}

/// The sources the recipes read: their `bronnen`, their tables' and their indicators'.
fn sources_read(
    recipes: &Recipes,
    model: &crate::model::Model,
) -> std::collections::BTreeSet<String> {
    recipes
        .parts
        .iter()
        .flat_map(|(_, r)| {
            r.bronnen
                .iter()
                .chain(r.tabellen.iter().flat_map(|t| t.bronnen.iter().flatten()))
                .cloned()
                .chain(
                    r.indicatoren
                        .iter()
                        .filter_map(|id| model.indicator(id))
                        .flat_map(|i| i.bronnen.clone()),
                )
                .collect::<Vec<_>>()
        })
        .collect()
}

/// A part with its tables read but not yet published.
struct RawPart {
    recipe: Recipe,
    part: Option<Part>,
    /// Its own labels, for a part about other years (the plan of those years).
    labels: Option<Labels>,
    /// (number, sheet name, table)
    tables: Vec<(usize, String, super::table::Raw)>,
    facts: PartFacts,
}

impl RawPart {
    fn publish(self, d: &Disclosure, labels: &Labels, prisons: &str) -> DocumentPart {
        let (recipe, part) = (&self.recipe, self.part.as_ref());
        DocumentPart {
            recipe: recipe.id.clone(),
            number: part.map(|p| p.nummer),
            question: part.map(|p| super::one_line(&p.vraag)).unwrap_or_default(),
            explanation: part.and_then(|p| p.toelichting.clone()),
            intro: recipe.inleiding.clone(),
            closing: recipe.slot.clone().unwrap_or_default(),
            tables: self
                .tables
                .iter()
                .map(|(nummer, blad, raw)| NumberedTable {
                    nummer: *nummer,
                    blad: blad.clone(),
                    tabel: raw.publish(d, labels),
                })
                .collect(),
            facts: PartFacts {
                gevangenissen: prisons.to_string(),
                ..self.facts
            },
        }
    }
}

/// One part: its tables run and read (numbered on from `number`), its texts and facts.
fn raw_part(
    run: &impl Run,
    inputs: &Inputs,
    tc: &TableContext,
    part: Option<&Part>,
    recipe: &Recipe,
    number: &mut usize,
) -> Result<RawPart> {
    let (model, years) = (&inputs.model, tc.years);
    let cov = super::coverage(&inputs.sources, model, &recipe.bronnen, years)?;
    let mut tables = Vec::new();
    for t in &recipe.tabellen {
        let tcov = match &t.bronnen {
            Some(b) => super::coverage(&inputs.sources, model, b, years)?,
            None => cov.clone(),
        };
        *number += 1;
        let raw = run.block_on(super::run_table(tc, &recipe.id, t, &tcov))?;
        let blad = match (part, &t.blad) {
            (Some(p), Some(b)) => format!("V{} {b}", p.nummer),
            (None, Some(b)) => b.clone(),
            (_, None) => format!("Tabel {number}"),
        };
        tables.push((*number, blad, raw));
    }
    let without: Vec<i32> = cov.without.keys().copied().collect();
    Ok(RawPart {
        recipe: recipe.clone(),
        part: part.cloned(),
        labels: None,
        tables,
        facts: PartFacts {
            jaar_van: years.first,
            jaar_tot: years.last,
            gevangenissen: String::new(),
            jaren_met_gegevens: super::range_text(&cov.with_data),
            jaren_zonder_gegevens: if without.is_empty() {
                String::new()
            } else {
                super::range_text(&without)
            },
            plan_id: model.plan.id.clone(),
            plan_titel: model.plan.titel.clone(),
            plan_periode: model.plan.period(),
            plan_versie: model.plan.version_label(),
            statussen_voorbeeld: model.plan.statussen_voorbeeld,
        },
    })
}
