//! `hdv answer`: an answer to a parliamentary question from a recipe, or a combined answer
//! (numbered sub-questions, each from a recipe).

use super::Exit;
use crate::answer::{self, document::Recipes};
use crate::cli::AnswerArgs;
use crate::engine::Evaluation;
use crate::error::{Error, Result};
use crate::model::Indicator;
use crate::register::Inputs;
use crate::render::{self, Format};
use crate::request::{Request, run_info};
use crate::session::Session;
use crate::years::YearRange;

pub(crate) fn execute(a: AnswerArgs) -> Result<Exit> {
    let dir = answer::recipes_dir(&a.common.project);
    let Some(id) = a.recipe.as_deref().filter(|_| !a.list) else {
        if a.list {
            crate::output::print_stdout(&answer::recipe_list(&dir))?;
            return Ok(Exit::Success);
        }
        return Err(Error::Other(format!(
            "geef een recept op, bv. `hdv answer vraag_92 --year 2019..2024`.\n{}",
            answer::recipe_list(&dir).trim_end()
        )));
    };
    let Some(year) = a.year else {
        return Err(Error::Other(
            "verplichte optie ontbreekt: --year (bv. --year 2024 of --year 2019..2024)".into(),
        ));
    };
    let recipes = Recipes::read(&dir, id)?;
    let r = Request::answer(&a.common, year, &a.out)?;
    let inputs = r.session.load(r.model, None)?;
    let years = r.window.evaluation;
    let doc =
        answer::document::build(&r.session, &inputs, &recipes, years, &a.prisons, run_info())?;
    let env = render::environment(&r.session.templates());
    let (stem, small) = (doc.stem.clone(), doc.small_label.clone());
    let page = render::answer::page(&env, doc)?;
    super::emit(
        "Antwoord",
        &r.out,
        &stem,
        &[Format::Docx, Format::Md, Format::Xlsx],
        |f| render::answer::file(&env, &page, &small, f),
    )?;
    Ok(Exit::Success)
}

/// The session runs what an answer needs: its figures and its queries.
impl answer::document::Run for Session {
    fn evaluate(
        &self,
        inputs: &Inputs,
        indicators: &[Indicator],
        years: YearRange,
    ) -> Result<Evaluation> {
        Session::evaluate(self, inputs, indicators, years)
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        Session::block_on(self, future)
    }
}
