//! `hdv answer`: an answer to a parliamentary question from a recipe, or a combined answer
//! (numbered sub-questions, each from a recipe).

use super::Exit;
use crate::answer::{self, Labels, Recipe, RecipeFile, TableContext};
use crate::cli::AnswerArgs;
use crate::disclosure::Disclosure;
use crate::error::{Error, Result};
use crate::render::answer::SourceInfo;
use crate::render::{self, answer::Answer, answer::AnswerPart, answer::NumberedTable};
use std::collections::BTreeMap;

pub(crate) fn execute(a: AnswerArgs) -> Result<Exit> {
    let dir = a.common.project.join("templates/antwoorden");
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
    let file = answer::load_file(&dir, id)?;
    // Every recipe a combined answer names is read (and checked) before the data.
    let parts: Vec<(Option<&answer::Part>, Recipe)> = match &file {
        RecipeFile::Recipe(r) => vec![(None, r.clone())],
        RecipeFile::Combined(c) => c
            .onderdelen
            .iter()
            .map(|p| Ok((Some(p), answer::load_recipe(&dir, &p.recept)?)))
            .collect::<Result<_>>()?,
    };
    // The plan in force in the last year asked, in its version of that year.
    let session = super::session(&a.common)?;
    let inputs = session.load(session.model()?.as_of(year.last), None)?;
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
    let labels = Labels::load(&dir, &inputs.model)?;
    let d = Disclosure::default();
    let small = d.small_label();
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
    let mut onderdelen = Vec::new();
    let mut number = 0;
    for (part, recipe) in &parts {
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
            let eval = session.evaluate(&inputs, &wanted, year)?;
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
        let cov = answer::coverage(&inputs.sources, &inputs.model, &recipe.bronnen, year)?;
        let tc = TableContext {
            ctx: &inputs.ctx,
            years: year,
            labels: &labels,
            disclosure: d,
        };
        let mut tabellen = Vec::new();
        for t in &recipe.tabellen {
            let tcov = match &t.bronnen {
                Some(b) => answer::coverage(&inputs.sources, &inputs.model, b, year)?,
                None => cov.clone(),
            };
            number += 1;
            let tabel = session.block_on(answer::run_table(&tc, t, &tcov))?;
            let blad = match (part, &t.blad) {
                (Some(p), Some(b)) => format!("V{} {b}", p.nummer),
                (None, Some(b)) => b.clone(),
                (_, None) => format!("Tabel {number}"),
            };
            tabellen.push(NumberedTable {
                nummer: number,
                blad,
                tabel,
            });
        }
        // The text around the tables may quote a total (`totaal.<tabel>["<kolom>"]`).
        let totaal: BTreeMap<String, BTreeMap<String, String>> = tabellen
            .iter()
            .map(|t| {
                (
                    t.tabel.id.clone(),
                    render::answer::total_texts(&t.tabel, &small),
                )
            })
            .collect();
        let without: Vec<i32> = cov.without.keys().copied().collect();
        let vars = minijinja::context! {
            jaar_van => year.first,
            jaar_tot => year.last,
            gevangenissen => gevangenissen.clone(),
            jaren_met_gegevens => answer::range_text(&cov.with_data),
            jaren_zonder_gegevens => if without.is_empty() { String::new() } else { answer::range_text(&without) },
            totaal => totaal,
            plan_id => inputs.model.plan.id.clone(),
            plan_titel => inputs.model.plan.titel.clone(),
            plan_periode => inputs.model.plan.period(),
            plan_versie => inputs.model.plan.version_label(),
            statussen_voorbeeld => inputs.model.plan.statussen_voorbeeld,
        };
        let fill = |t: &str| {
            env.render_str(t, vars.clone())
                .map(|s| s.trim().to_string())
                .map_err(|e| Error::Render(format!("recept {}: {e:#}", recipe.id)))
        };
        onderdelen.push(AnswerPart {
            nummer: part.map(|p| p.nummer),
            vraag: part.map(|p| answer::one_line(&p.vraag)).unwrap_or_default(),
            toelichting: match part.and_then(|p| p.toelichting.as_deref()) {
                Some(t) => fill(t)?,
                None => String::new(),
            },
            inleiding: fill(&recipe.inleiding)?,
            slot: fill(recipe.slot.as_deref().unwrap_or_default())?,
            tabellen,
        });
    }
    let (titel, vraag, inleiding, stem_id) = match &file {
        RecipeFile::Recipe(r) => (
            r.titel.clone(),
            r.vraag.clone(),
            String::new(),
            r.id.clone(),
        ),
        RecipeFile::Combined(c) => {
            let vars = minijinja::context! {
                jaar_van => year.first,
                jaar_tot => year.last,
                plan_id => inputs.model.plan.id.clone(),
                plan_titel => inputs.model.plan.titel.clone(),
                plan_periode => inputs.model.plan.period(),
                plan_versie => inputs.model.plan.version_label(),
            };
            let intro = env
                .render_str(c.inleiding.as_deref().unwrap_or_default(), vars)
                .map_err(|e| Error::Render(format!("{}: {e:#}", c.id)))?;
            (
                c.titel.clone(),
                c.vraag.clone(),
                intro.trim().to_string(),
                c.id.clone(),
            )
        }
    };
    let answer = Answer {
        id: stem_id.clone(),
        titel,
        vraag: answer::one_line(&vraag),
        inleiding,
        onderdelen,
        jaren: year.to_string().replace("..", "-"),
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
                rijen_tekst: crate::render::nl_number(f.rows as f64, 0),
                laatste_datum: f
                    .date_range()
                    .map(|(_, hi)| hi.to_string())
                    .unwrap_or_else(|| "–".into()),
            })
            .collect(),
        goedkeuringen: crate::approval::cite(&a.common.project, year, &inputs.sources)?,
        run: super::report::run_info(),
    };
    let mut stem = format!("{stem_id}_{}-{}", year.first, year.last);
    for p in &a.prisons {
        stem.push('_');
        stem.push_str(p);
    }
    let md = render::answer::markdown(&env, &answer, &small)?;
    let outputs = vec![
        (
            a.out.join(format!("{stem}.docx")),
            render::answer::docx(&answer, &small)?,
        ),
        (a.out.join(format!("{stem}.md")), md.into_bytes()),
        (
            a.out.join(format!("{stem}.xlsx")),
            render::answer::xlsx(&answer, &small)?,
        ),
    ];
    let mut written = String::new();
    for (path, bytes) in outputs {
        crate::output::write_atomic(&path, &bytes)?;
        written.push_str(&format!("  {}\n", crate::diagnostic::display_path(&path)));
    }
    crate::output::print_stdout(&format!("Antwoord geschreven:\n{written}"))?;
    Ok(Exit::Success)
}
