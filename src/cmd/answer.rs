//! `hdv answer`: an answer to a parliamentary question from a recipe.

use crate::answer;
use crate::cli::AnswerArgs;
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::render::{self, answer::Answer, answer::SourceInfo};
use std::process::ExitCode;

pub fn execute(a: AnswerArgs) -> Result<ExitCode> {
    let recipe = answer::load_recipe(&a.common.project.join("templates/antwoorden"), &a.recipe)?;
    let inputs = super::load_inputs(&a.common)?;
    for p in &a.prisons {
        if inputs.model.prison(p).is_none() {
            return Err(Error::Other(format!(
                "onbekende gevangenis '{p}' (toegelaten: {})",
                inputs.model.prison_codes().join(", ")
            )));
        }
    }
    let chosen = if a.prisons.is_empty() {
        inputs.model.prison_codes()
    } else {
        a.prisons.clone()
    };
    answer::register_prisons(&inputs.ctx, &chosen)?;
    if !recipe.indicatoren.is_empty() {
        let mut wanted = Vec::new();
        for id in &recipe.indicatoren {
            match inputs.model.indicator(id) {
                Some(ind) => wanted.push(ind.clone()),
                None => {
                    return Err(Error::Other(format!(
                        "recept {}: onbekende indicator '{id}'",
                        recipe.id
                    )));
                }
            }
        }
        let eval = inputs.evaluate(&wanted, a.year)?;
        if let Some((id, missing)) = eval.skipped.first() {
            let names: Vec<&str> = missing.iter().map(|s| s.name()).collect();
            return Err(Error::Other(format!(
                "recept {}: indicator '{id}' mist de bron(nen) {}",
                recipe.id,
                names.join(", ")
            )));
        }
        answer::register_figures(&inputs.ctx, &eval.observations)?;
    }
    let d = Disclosure::default();
    let rt = super::runtime()?;
    let mut tabellen = Vec::new();
    for t in &recipe.tabellen {
        tabellen.push(rt.block_on(answer::run_table(
            &inputs.ctx,
            t,
            a.year.first,
            a.year.last,
            d.max_small_count,
        ))?);
    }
    let env = render::environment(&a.common.project.join("templates"));
    let gevangenissen = if a.prisons.is_empty() {
        "alle".to_string()
    } else {
        a.prisons
            .iter()
            .map(|p| {
                inputs
                    .model
                    .prison(p)
                    .map(|x| x.naam.clone())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let vars = minijinja::context! {
        jaar_van => a.year.first,
        jaar_tot => a.year.last,
        gevangenissen => gevangenissen.clone(),
        tabellen => minijinja::Value::from(minijinja::value::Serde(&tabellen)),
    };
    let fill = |t: &str| {
        env.render_str(t, vars.clone())
            .map_err(|e| Error::Render(format!("recept {}: {e:#}", recipe.id)))
    };
    let answer = Answer {
        id: recipe.id.clone(),
        titel: recipe.titel.clone(),
        vraag: recipe.vraag.trim().to_string(),
        inleiding: fill(&recipe.inleiding)?.trim().to_string(),
        slot: fill(recipe.slot.as_deref().unwrap_or_default())?
            .trim()
            .to_string(),
        tabellen,
        jaren: a.year.to_string().replace("..", "-"),
        gevangenissen,
        bronnen: inputs
            .sources
            .files
            .iter()
            .map(|f| SourceInfo {
                bron: f.source.name().into(),
                bestand: f.file_name(),
                sha256: f.sha256.clone(),
                rijen: f.rows,
                laatste_datum: f
                    .date_range()
                    .map(|(_, hi)| hi.to_string())
                    .unwrap_or_else(|| "–".into()),
            })
            .collect(),
        klein_aantal: d.small_label(),
        run: super::report::run_info(),
    };
    let mut stem = format!("{}_{}-{}", recipe.id, a.year.first, a.year.last);
    for p in &a.prisons {
        stem.push('_');
        stem.push_str(p);
    }
    let md = render::render(&env, "antwoorden/antwoord.md", &answer)?;
    let outputs = vec![
        (
            a.out.join(format!("{stem}.docx")),
            render::answer::docx(&answer)?,
        ),
        (a.out.join(format!("{stem}.md")), md.into_bytes()),
        (
            a.out.join(format!("{stem}.xlsx")),
            render::answer::xlsx(&answer)?,
        ),
    ];
    let mut written = String::new();
    for (path, bytes) in outputs {
        crate::output::write_atomic(&path, &bytes)?;
        written.push_str(&format!("  {}\n", crate::model::display_path(&path)));
    }
    crate::output::print_stdout(&format!("Antwoord geschreven:\n{written}"))?;
    Ok(ExitCode::SUCCESS)
}
