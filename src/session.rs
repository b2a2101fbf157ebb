//! A run of `hdv`: the project folder (plans, indicators, delivery profiles), the data folder,
//! the cache and one Tokio runtime for DataFusion. Every command and every integration test
//! goes through it: `model` → `load` (read and validate the sources, register the tables) →
//! `evaluate` (the indicators, with cached figures reused) → whatever the command does next
//! with `block_on`.

use crate::cache::Cache;
use crate::engine::Evaluation;
use crate::error::{Error, Result};
use crate::load::Sources;
use crate::model::{Indicator, Model};
use crate::register::Inputs;
use crate::years::YearRange;
use std::future::Future;
use std::path::PathBuf;

pub struct Session {
    project: PathBuf,
    data: PathBuf,
    cache: Option<Cache>,
    /// Print every loader warning (as `check` does) instead of their number.
    all_warnings: bool,
    runtime: tokio::runtime::Runtime,
}

impl Session {
    /// A session over `project` and `data`, without a cache and with loader warnings counted.
    pub fn new(project: impl Into<PathBuf>, data: impl Into<PathBuf>) -> Result<Session> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::RuntimeStart {
                message: e.to_string(),
            })?;
        Ok(Session {
            project: project.into(),
            data: data.into(),
            cache: None,
            all_warnings: false,
            runtime,
        })
    }

    /// Reuses (and fills) the cache in `dir`.
    pub(crate) fn with_cache(mut self, dir: Option<PathBuf>) -> Self {
        self.cache = dir.map(Cache::new);
        self
    }

    /// Prints every loader warning instead of their number.
    pub(crate) fn with_all_warnings(mut self, all: bool) -> Self {
        self.all_warnings = all;
        self
    }

    /// The project folder (plans, indicators, templates, delivery profiles).
    pub(crate) fn project(&self) -> &std::path::Path {
        &self.project
    }

    /// The project's templates (`templates/`).
    pub(crate) fn templates(&self) -> PathBuf {
        self.project.join("templates")
    }

    /// The model (plans, local plans, indicators) of the project, validated.
    pub fn model(&self) -> Result<Model> {
        Ok(crate::model::load_model(&self.project)?)
    }

    /// The delivery profiles of the project (`plans/leveringen/`), for `prisons`.
    pub(crate) fn profiles(&self, prisons: &[String]) -> Result<crate::load::Profiles> {
        Ok(crate::load::profile::read_profiles(
            &self.project.join("plans").join("leveringen"),
            prisons,
        )?)
    }

    /// Loads and validates the sources for `model`, then registers the tables; with
    /// `pseudonym_salt`, pseudonyms are replaced by a salted hash ([`crate::register::register`]).
    pub fn load(&self, model: Model, pseudonym_salt: Option<u64>) -> Result<Inputs> {
        let sources = self.sources(&model)?;
        crate::register::register(model, sources, pseudonym_salt)
    }

    /// Loads and validates the sources for `model` (its prisons), without registering them.
    /// Loader warnings go to stderr (all of them, or their number); errors abort with every
    /// finding listed.
    pub fn sources(&self, model: &Model) -> Result<Sources> {
        let prisons = model.prison_codes();
        let mut profiles = self.profiles(&prisons)?;
        profiles.linked = crate::load::linked::read_mapping(
            &self.project.join("plans").join("oslo"),
            &model.prisons,
        )?
        .map(std::sync::Arc::new);
        let spinner = crate::progress::spinner("bronbestanden inlezen");
        let sources =
            crate::load::load_sources(&self.data, &prisons, self.cache.as_ref(), &profiles);
        spinner.finish_and_clear();
        let sources = sources?;
        // The full list is for `check`; every other command says once that there are warnings.
        let warnings = sources.warnings.warnings().count();
        if self.all_warnings {
            eprint!("{}", sources.warnings.terminal());
        } else if warnings > 0 {
            eprintln!(
                "waarschuwing: {warnings} waarschuwing(en) bij het inlezen van de bronnen; `hdv check` toont ze"
            );
        }
        for s in &sources.missing {
            eprintln!(
                "waarschuwing: {}: bron `{s}` ontbreekt; de indicatoren die ze gebruiken worden overgeslagen",
                self.data.display()
            );
        }
        Ok(sources)
    }

    /// Evaluates `indicators` for `years`, reusing cached figures for unchanged inputs.
    pub fn evaluate(
        &self,
        inputs: &Inputs,
        indicators: &[Indicator],
        years: YearRange,
    ) -> Result<Evaluation> {
        let bar = crate::progress::bar(indicators.len(), "indicatoren berekenen");
        let eval = self.block_on(crate::engine::evaluate(
            inputs,
            indicators,
            years,
            self.cache.as_ref(),
            Some(&bar),
        ));
        bar.finish_and_clear();
        eval
    }

    /// The release rows of `years` for the report's cohort section, reusing cached rows for
    /// unchanged inputs.
    pub(crate) fn releases(
        &self,
        inputs: &Inputs,
        years: YearRange,
    ) -> Result<Vec<crate::cohort::ReleaseRow>> {
        self.block_on(crate::engine::release_rows_cached(
            inputs,
            years,
            self.cache.as_ref(),
        ))
    }

    /// The checks across sources of the project (`plans/controles.yaml`; none without it).
    pub(crate) fn rules(&self) -> Result<Vec<crate::checks::Rule>> {
        Ok(crate::checks::load_rules(&self.project)?)
    }

    /// The release rows of the cohort section for `years`: none when the data holds no
    /// `uitstroom`.
    pub(crate) fn cohort_releases(
        &self,
        inputs: &Inputs,
        years: YearRange,
    ) -> Result<Vec<crate::cohort::ReleaseRow>> {
        if inputs
            .sources
            .get(crate::contract::Source::Uitstroom)
            .is_none()
        {
            return Ok(Vec::new());
        }
        self.releases(inputs, years)
    }

    /// Runs the checks across sources (`rules`) over `inputs` at the `reference` date,
    /// reusing cached counts for unchanged inputs.
    pub fn check(
        &self,
        inputs: &Inputs,
        rules: &[crate::checks::Rule],
        reference: chrono::NaiveDate,
    ) -> Result<Vec<crate::checks::Outcome>> {
        Ok(self.block_on(crate::checks::run(
            inputs,
            rules,
            reference,
            self.cache.as_ref(),
        ))?)
    }

    /// Runs `future` (a DataFusion query, the checks, ...) to completion on the session's
    /// runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }
}
