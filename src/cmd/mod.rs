//! One module per command; each wires the stages together and knows nothing of rendering
//! details or SQL.

pub mod answer;
pub mod check;
pub mod eval;
pub mod generate;
pub mod local;
pub mod plan;
pub mod query;
pub mod report;
pub mod site;
pub mod template;

use crate::cache::Cache;
use crate::cli::{Command, Common};
use crate::engine::Evaluation;
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::{Indicator, Model};
use crate::years::YearRange;
use datafusion::prelude::SessionContext;
use std::process::ExitCode;

pub fn execute(command: Command) -> Result<ExitCode> {
    match command {
        Command::Check(a) => check::execute(a),
        Command::Eval(a) => eval::execute(a),
        Command::Report(a) => report::execute(a),
        Command::Generate(a) => generate::execute(a),
        Command::Local(c) => local::execute(c),
        Command::Plan(c) => plan::execute(c),
        Command::Query(a) => query::execute(a),
        Command::Tables(a) => query::tables(a),
        Command::Answer(a) => answer::execute(a),
        Command::Template(a) => template::execute(a),
        Command::Site(a) => site::execute(a),
    }
}

/// The loaded inputs of a run: model, sources and the DataFusion context over them.
pub struct Inputs {
    pub model: Model,
    pub sources: Sources,
    pub ctx: SessionContext,
    /// The cache of this run (none with `--no-cache`).
    pub cache: Option<Cache>,
}

impl Inputs {
    /// Evaluates `indicators` for `years`, reusing cached figures for unchanged inputs.
    pub fn evaluate(&self, indicators: &[Indicator], years: YearRange) -> Result<Evaluation> {
        let key = self
            .cache
            .as_ref()
            .map(|_| crate::cache::model_key(&self.model));
        let cache = self.cache.as_ref().zip(key.as_deref());
        let bar = crate::feedback::bar(indicators.len(), "indicatoren berekenen");
        let eval = runtime()?.block_on(crate::engine::evaluate_cached(
            &self.ctx,
            indicators,
            &self.sources,
            years,
            cache,
            Some(&bar),
        ));
        bar.finish_and_clear();
        eval
    }
}

/// Load and validate the model and the sources, then register the tables.
/// Warnings are printed to stderr; errors abort with every finding listed.
pub fn load_inputs(common: &Common) -> Result<Inputs> {
    load_inputs_with(common, None)
}

/// As [`load_inputs`], for a run about `year`: the plan in force in that year, in its version
/// of 31 December, is the one the tables and the assessment use ([`Model::as_of`]).
pub fn load_inputs_for(common: &Common, year: i32) -> Result<Inputs> {
    load_inputs_model(common, None, |m| m.as_of(year))
}

/// As [`load_inputs`], with pseudonyms replaced by a salted hash when a salt is given.
pub fn load_inputs_with(common: &Common, pseudonym_salt: Option<u64>) -> Result<Inputs> {
    load_inputs_model(common, pseudonym_salt, |m| m)
}

/// Loads the model, lets `select` choose the plan version, then loads the sources.
pub fn load_inputs_model(
    common: &Common,
    pseudonym_salt: Option<u64>,
    select: impl FnOnce(Model) -> Model,
) -> Result<Inputs> {
    let model = select(crate::model::load_model(&common.project)?);
    let cache = (!common.no_cache).then(|| Cache::new(&common.cache));
    let prisons = model.prison_codes();
    let profiles = crate::load::profile::read_profiles(
        &common.project.join("plans").join("leveringen"),
        &prisons,
    )?;
    let spinner = crate::feedback::spinner("bronbestanden inlezen");
    let sources = crate::load::load_sources_with(&common.data, &prisons, cache.as_ref(), &profiles);
    spinner.finish_and_clear();
    let sources = sources?;
    // The full list is for `check`; every other command says once that there are warnings.
    let warnings = sources.warnings.warnings().count();
    if common.all_warnings {
        for w in sources.warnings.iter() {
            eprintln!("{w}");
        }
    } else if warnings > 0 {
        eprintln!(
            "waarschuwing: {warnings} waarschuwing(en) bij het inlezen van de bronnen; `hdv check` toont ze"
        );
    }
    for s in &sources.missing {
        eprintln!(
            "waarschuwing: {}: bron `{s}` ontbreekt; de indicatoren die ze gebruiken worden overgeslagen",
            common.data.display()
        );
    }
    let ctx = crate::register::build_context_with(&sources, &model, pseudonym_salt)?;
    Ok(Inputs {
        model,
        sources,
        ctx,
        cache,
    })
}

/// A Tokio runtime for the async DataFusion calls.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("kan de uitvoeringsomgeving niet starten: {e}")))
}
