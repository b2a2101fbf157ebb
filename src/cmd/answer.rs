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
    if a.recipe.as_deref() == Some("new") || a.new_name.is_some() {
        return new_recipe(&dir, &a);
    }
    let Some(id) = a.recipe.as_deref().filter(|_| !a.list) else {
        if a.list {
            crate::output::print_stdout(&answer::recipe_list(&dir))?;
            return Ok(Exit::Success);
        }
        return Err(Error::NoRecipeGiven {
            recipes: answer::recipe_list(&dir).trim_end().to_string(),
        });
    };
    let Some(year) = a.year else {
        return Err(Error::MissingYear);
    };
    let recipes = Recipes::read(&dir, id)?;
    let r = Request::answer(&a.common, year, &a.out)?;
    let inputs = r.session.load(r.model, None)?;
    let years = r.window.evaluation;
    let mut doc =
        answer::document::build(&r.session, &inputs, &recipes, years, &a.prisons, run_info())?;
    // The approvals of the years asked (`hdv approve`) the figures rest on.
    doc.approvals = crate::approval::cite(r.session.project(), year, &inputs.sources)?;
    let env = render::environment(&r.session.templates());
    let reference = render::answer::house_style(&dir)?;
    let (stem, small) = (doc.stem.clone(), doc.small_label.clone());
    let page = render::answer::page(&env, doc)?;
    let formats = [Format::Docx, Format::Md, Format::Xlsx];
    super::emit("Antwoord", &r.out, &stem, &formats, |f| {
        render::answer::file(&env, &page, &small, reference.as_ref(), f)
    })?;
    Ok(Exit::Success)
}

/// `hdv answer new NAAM`: a commented recipe skeleton (never over an existing file).
fn new_recipe(dir: &std::path::Path, a: &AnswerArgs) -> Result<Exit> {
    let (Some("new"), Some(name)) = (a.recipe.as_deref(), &a.new_name) else {
        return Err(match &a.new_name {
            Some(extra) => Error::NewRecipeArgument {
                argument: extra.clone(),
            },
            None => Error::NewRecipeNameMissing,
        });
    };
    let path = answer::skeleton::write(dir, name)?;
    crate::output::print_stdout(&format!(
        "Recept geschreven: {}\nPas het aan en maak het antwoord met `hdv answer {name} --year 2019..2024`.\n",
        crate::diagnostic::display_path(&path)
    ))?;
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

    fn load_as_of(&self, year: i32) -> Result<Inputs> {
        self.load(self.model()?.as_of(year), None)
    }

    fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        Session::block_on(self, future)
    }
}
