//! The final evaluation formatted for its readers: the page the templates
//! (`eindevaluatie.{html,md}`) fill and the workbook. Formatting only: the decisions are in
//! `report::evaluation`.

use super::words::{self, Marks};
use super::xlsx::{SheetSpec, XCell, figure_cell, new_workbook, opt_cell, write_sheet};
use super::yearly::{
    Count, IndicatorLine, MethodLine, SourceLine, action_count, action_title, indicator_line,
    method_lines_of, status_count,
};
use crate::error::Result;
use crate::model::ActionStatus;
use crate::report::RunInfo;
use crate::report::evaluation::{ActionOutcome, ChangeKind, ChangeRow, EndTarget, FinalEvaluation};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct EvalPage {
    pub plan_id: String,
    pub plan_titel: String,
    pub periode: String,
    pub eerste_jaar: i32,
    pub laatste_jaar: i32,
    pub goedgekeurd: String,
    pub versie: String,
    pub versie_voorlopig: bool,
    pub run: RunInfo,
    pub voorbeeld: bool,
    pub statussen_voorbeeld: bool,
    pub acties_telling: Vec<Count>,
    /// Actions added at a revision, or why that is not known yet.
    pub toegevoegd: String,
    pub indicatoren_telling: Vec<Count>,
    pub herzieningen: Vec<RevisionLine>,
    pub doelstellingen: Vec<ObjectiveLine>,
    pub indicatoren: Vec<IndicatorLine>,
    /// Per indicator (same order): whether the end target was reached, in words.
    pub einddoel_bereikt: Vec<String>,
    pub lokaal: LocalLines,
    pub open_acties: Vec<String>,
    pub open_indicatoren: Vec<String>,
    pub bronnen: Vec<(String, String)>,
    pub methode: Vec<MethodLine>,
    pub herkomst: Vec<SourceLine>,
}

#[derive(Debug, Serialize)]
pub struct RevisionLine {
    pub datum: String,
    pub beslissing: String,
    pub reden: String,
    pub bron: String,
    pub voorlopig: bool,
    pub wijzigingen: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ObjectiveLine {
    pub id: String,
    pub titel: String,
    pub voorlopig: bool,
    pub eigen_status: String,
    pub tellingen: Vec<Count>,
    pub acties: Vec<ActionLine>,
}

#[derive(Debug, Serialize)]
pub struct ActionLine {
    pub id: String,
    pub maatregel: String,
    pub titel: String,
    pub voorlopig: bool,
    pub trekker: String,
    /// The status at the end, with since when (`gerealiseerd in 2022`).
    pub status: String,
    pub verloop: String,
    pub herkomst: String,
    pub toelichting: String,
}

#[derive(Debug, Serialize)]
pub struct LocalLines {
    /// Year, plans, open prisons, covered actions ("geen gegevens" in a year without local
    /// plans: the coverage then rests on nothing), actions.
    pub jaren: Vec<(i32, usize, usize, String, usize)>,
    /// Never covered, with their titles.
    pub nooit: Vec<String>,
    /// Never covered whose title is still provisional: their ids only (the phrase once).
    pub nooit_voorlopig: Vec<String>,
    pub totaal: usize,
}

/// The actions no local plan covered, in words: titled ones with their title, those with a
/// provisional title by id, the phrase once.
pub(crate) fn never_covered_text(l: &LocalLines) -> String {
    let mut parts = Vec::new();
    if !l.nooit.is_empty() {
        parts.push(l.nooit.join("; "));
    }
    if !l.nooit_voorlopig.is_empty() {
        parts.push(format!(
            "{} {} waarvan de titel nog over te nemen is uit het goedgekeurde plan: {}",
            l.nooit_voorlopig.len(),
            if l.nooit_voorlopig.len() == 1 {
                "actie"
            } else {
                "acties"
            },
            l.nooit_voorlopig.join(", ")
        ));
    }
    if parts.is_empty() {
        "geen".into()
    } else {
        parts.join("; en ")
    }
}

fn end_target(e: EndTarget) -> &'static str {
    match e {
        EndTarget::Reached => "ja",
        EndTarget::NotReached => "nee",
        EndTarget::Unknown => "niet te beoordelen (geen publiceerbare waarde)",
        EndTarget::NoData => "niet te beoordelen (geen gegevens)",
        EndTarget::NoTarget => "geen doel",
    }
}

fn date(d: chrono::NaiveDate) -> String {
    super::nl_date(d)
}

/// A status as a reader reads it; a sample status is marked.
fn status_word(s: ActionStatus, sample: bool) -> String {
    words::action_status_marked(s, sample)
}

/// `gerealiseerd in 2022`, `lopend sinds 2021`, `gepland (geen status geregistreerd)`.
fn status_since(a: &ActionOutcome, sample: bool) -> String {
    let w = status_word(a.status, sample);
    match (a.status, a.since) {
        (_, None) => format!("{w} (geen status geregistreerd)"),
        (ActionStatus::Gerealiseerd | ActionStatus::Geschrapt, Some(y)) => format!("{w} in {y}"),
        (_, Some(y)) => format!("{w} sinds {y}"),
    }
}

fn verloop(a: &ActionOutcome) -> String {
    let mut parts = Vec::new();
    if !a.delayed_in.is_empty() {
        parts.push(format!(
            "vertraagd in {}",
            a.delayed_in
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (d, k, detail) in &a.revised {
        parts.push(match k {
            ChangeKind::Changed => format!("gewijzigd op {} ({detail})", date(*d)),
            ChangeKind::Merged => format!("samengevoegd op {} ({detail})", date(*d)),
            ChangeKind::Cancelled => format!("geschrapt op {}", date(*d)),
            ChangeKind::Added => format!("toegevoegd op {}", date(*d)),
            ChangeKind::Target => String::new(),
        });
    }
    parts.join("; ")
}

fn origin(a: &ActionOutcome) -> String {
    match a.added_at {
        Some(d) => format!("toegevoegd bij de herziening van {}", date(d)),
        None => "oorspronkelijk plan".into(),
    }
}

fn change_line(c: &ChangeRow, r: &FinalEvaluation) -> String {
    let note = c
        .note
        .as_ref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    match c.kind {
        ChangeKind::Added => format!(
            "actie {} toegevoegd: {}{note}",
            c.subject,
            c.fields.join(", ")
        ),
        ChangeKind::Changed => format!(
            "actie {} gewijzigd ({}){note}",
            c.subject,
            if c.fields.is_empty() {
                "geen velden".into()
            } else {
                c.fields.join(", ")
            }
        ),
        ChangeKind::Merged => format!(
            "acties {} samengevoegd in {}{note}",
            c.fields.join(", "),
            c.subject
        ),
        ChangeKind::Cancelled => format!("actie {} geschrapt{note}", c.subject),
        ChangeKind::Target => {
            let (year, value, sample) = c.target.unwrap_or_default();
            let ind = r.indicators.iter().find(|i| i.id == c.subject);
            let (title, value) = match ind {
                Some(i) => (i.title.clone(), words::value(i.value.unit, value)),
                None => (c.subject.clone(), super::nl_number(value, 1)),
            };
            format!(
                "doel van {title} voor {year}{}: {value}{}",
                c.fields
                    .first()
                    .map(|g| format!(" ({g})"))
                    .unwrap_or_default(),
                if sample { " VOORBEELD" } else { "" }
            )
        }
    }
}

pub fn page(r: &FinalEvaluation, m: &Marks) -> EvalPage {
    let sample = r.sample_statuses;
    EvalPage {
        plan_id: r.plan_id.clone(),
        plan_titel: r.plan_title.clone(),
        periode: format!("{}-{}", r.first_year, r.last_year),
        eerste_jaar: r.first_year,
        laatste_jaar: r.last_year,
        goedgekeurd: r.approved.map(date).unwrap_or_default(),
        versie: r.version.label.clone(),
        versie_voorlopig: r.version.provisional,
        run: r.run.clone(),
        voorbeeld: r.uses_samples,
        statussen_voorbeeld: sample,
        acties_telling: r
            .action_counts
            .iter()
            .map(|(s, n)| action_count(*s, *n, sample))
            .collect(),
        toegevoegd: match r.added {
            Some(n) => n.to_string(),
            None => "nog niet bekend (de wijzigingen van een voorlopige herziening zijn nog over te nemen uit de beslissing)".into(),
        },
        indicatoren_telling: r
            .indicator_counts
            .iter()
            .map(|(s, n)| status_count(*s, *n))
            .collect(),
        herzieningen: r
            .revisions
            .iter()
            .map(|v| RevisionLine {
                datum: date(v.date),
                beslissing: v.decision.clone(),
                reden: v.reason.clone(),
                bron: v.source.clone().unwrap_or_default(),
                voorlopig: v.provisional,
                wijzigingen: v.changes.iter().map(|c| change_line(c, r)).collect(),
            })
            .collect(),
        doelstellingen: objective_lines(r),
        indicatoren: r
            .indicators
            .iter()
            .map(|i| indicator_line(i, r.last_year, m))
            .collect(),
        einddoel_bereikt: r
            .end_targets
            .iter()
            .map(|e| end_target(*e).into())
            .collect(),
        lokaal: local_lines(r),
        open_acties: r
            .open
            .actions
            .iter()
            .map(|(id, t, s)| format!("{id} {}: {}", action_title(t), status_word(*s, sample)))
            .collect(),
        open_indicatoren: r
            .open
            .indicators
            .iter()
            .map(|(_, t, s)| format!("{t}: {}", words::status(*s)))
            .collect(),
        bronnen: r
            .coverage
            .iter()
            .map(|c| (words::source(c.source), words::year_ranges(&c.years)))
            .collect(),
        methode: method_lines_of(&r.method),
        herkomst: r
            .provenance
            .iter()
            .map(|p| SourceLine {
                bron: words::source(p.source),
                bestand: p.file.clone(),
                sha256: p.sha256.clone(),
                rijen: super::nl_number(p.rows as f64, 0),
            })
            .collect(),
    }
}

/// Per objective its own status, counts and actions.
fn objective_lines(r: &FinalEvaluation) -> Vec<ObjectiveLine> {
    let sample = r.sample_statuses;
    r.objectives
        .iter()
        .map(|o| ObjectiveLine {
            id: o.id.clone(),
            titel: if o.title.provisional {
                "(titel nog over te nemen uit het goedgekeurde plan)".into()
            } else {
                o.title.text.clone()
            },
            voorlopig: o.title.provisional,
            eigen_status: match &o.own_status {
                Some((s, note)) => format!(
                    "{}{}",
                    status_word(*s, sample),
                    note.as_ref().map(|n| format!(": {n}")).unwrap_or_default()
                ),
                None => String::new(),
            },
            tellingen: o
                .counts
                .iter()
                .map(|(s, n)| action_count(*s, *n, sample))
                .collect(),
            acties: o
                .actions
                .iter()
                .map(|a| ActionLine {
                    id: a.id.clone(),
                    maatregel: a.measure.map(|n| n.to_string()).unwrap_or_default(),
                    titel: action_title(&a.title),
                    voorlopig: a.title.provisional,
                    trekker: a.lead.clone(),
                    status: status_since(a, sample),
                    verloop: verloop(a),
                    herkomst: origin(a),
                    toelichting: a.note.clone().unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
}

/// How the local plans covered the actions, year by year.
fn local_lines(r: &FinalEvaluation) -> LocalLines {
    LocalLines {
        jaren: r
            .local
            .years
            .iter()
            .map(|y| {
                let covered = if y.plans == 0 {
                    "geen gegevens".to_string()
                } else {
                    y.covered.to_string()
                };
                (y.year, y.plans, y.open_prisons, covered, y.actions)
            })
            .collect(),
        nooit: r
            .local
            .never_covered
            .iter()
            .filter(|(_, t)| !t.provisional)
            .map(|(id, t)| format!("{id} {}", action_title(t)))
            .collect(),
        nooit_voorlopig: r
            .local
            .never_covered
            .iter()
            .filter(|(_, t)| t.provisional)
            .map(|(id, _)| id.clone())
            .collect(),
        totaal: r.local.total_actions,
    }
}

/// The final evaluation as a file of format `f`.
pub(crate) fn file(
    env: &minijinja::Environment,
    r: &FinalEvaluation,
    m: &Marks,
    f: super::Format,
) -> Result<Vec<u8>> {
    match f {
        super::Format::Html => {
            Ok(super::render(env, "eindevaluatie.html", page(r, m))?.into_bytes())
        }
        super::Format::Md => Ok(super::render(env, "eindevaluatie.md", page(r, m))?.into_bytes()),
        super::Format::Xlsx => workbook(r, m),
        other => Err(super::unsupported("de eindevaluatie", other)),
    }
}

/// The workbook: a sheet per section, every figure a number with its format.
pub fn workbook(r: &FinalEvaluation, m: &Marks) -> Result<Vec<u8>> {
    let p = page(r, m);
    let mut wb = new_workbook(format!("Eindevaluatie {}", p.periode), &r.run.generated)?;
    let header_note = vec![
        format!("Getoetst aan: {}, {}.", r.plan_title, r.version.label),
        if r.sample_statuses {
            "VOORBEELD = de statussen van de acties zijn voorbeeldwaarden, niet de opvolging door de gemengde commissie.".into()
        } else {
            String::new()
        },
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>();

    let cx = EvalBook {
        r,
        m,
        p,
        header_note,
    };
    sheet_revisions(&mut wb, &cx)?;
    sheet_actions(&mut wb, &cx)?;
    sheets_indicators_and_series(&mut wb, &cx)?;
    sheet_local(&mut wb, &cx)?;
    sheet_open(&mut wb, &cx)?;
    sheet_provenance(&mut wb, &cx)?;
    wb.save_to_buffer().map_err(|e| {
        crate::error::Error::Render(format!("de werkmap kan niet gemaakt worden: {e}"))
    })
}

/// What every sheet of the final evaluation's workbook reads.
struct EvalBook<'a> {
    r: &'a FinalEvaluation,
    m: &'a Marks,
    /// The page in words, whose lines some sheets repeat.
    p: EvalPage,
    /// The plan and the sample mark, under the sheets of actions and revisions.
    header_note: Vec<String>,
}

/// The sheet of the revisions of the plan, one row per change.
fn sheet_revisions(wb: &mut rust_xlsxwriter::Workbook, cx: &EvalBook) -> Result<()> {
    let EvalBook {
        r, p, header_note, ..
    } = cx;
    let revs: Vec<Vec<XCell>> = p
        .herzieningen
        .iter()
        .zip(&r.revisions)
        .flat_map(|(v, when)| {
            let changes = if v.wijzigingen.is_empty() {
                vec![if v.voorlopig {
                    "nog over te nemen uit de beslissing (voorlopig)".to_string()
                } else {
                    "geen wijzigingen".to_string()
                }]
            } else {
                v.wijzigingen.clone()
            };
            changes.into_iter().map(move |c| {
                vec![
                    XCell::Date(when.date),
                    XCell::T(v.beslissing.clone()),
                    XCell::T(v.reden.clone()),
                    XCell::T(c),
                    XCell::T(if v.voorlopig { "voorlopig" } else { "" }.into()),
                ]
            })
        })
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Herzieningen",
            header: &["datum", "beslissing", "reden", "wijziging", "voorlopig"],
            rows: &revs,
            notes: header_note,
        },
    )?;
    Ok(())
}

/// The actions sheet: every action with its status at the end of the period.
fn sheet_actions(wb: &mut rust_xlsxwriter::Workbook, cx: &EvalBook) -> Result<()> {
    let EvalBook {
        r, p, header_note, ..
    } = cx;
    let mut acts = Vec::new();
    for (o, ol) in r.objectives.iter().zip(&p.doelstellingen) {
        for (a, al) in o.actions.iter().zip(&ol.acties) {
            acts.push(vec![
                XCell::T(o.id.clone()),
                XCell::T(a.id.clone()),
                a.measure.map_or(XCell::Empty, |n| XCell::Int(f64::from(n))),
                XCell::T(al.titel.clone()),
                XCell::T(a.lead.clone()),
                XCell::T(words::action_status(a.status).into()),
                a.since.map_or(XCell::Empty, XCell::Year),
                XCell::T(al.verloop.clone()),
                XCell::T(al.herkomst.clone()),
                XCell::T(al.toelichting.clone()),
                XCell::T(if r.sample_statuses { "VOORBEELD" } else { "" }.into()),
            ]);
        }
    }
    write_sheet(
        wb,
        &SheetSpec {
            name: "Acties",
            header: &[
                "doelstelling",
                "actie",
                "maatregel",
                "titel",
                "trekker",
                "status eind periode",
                "sinds",
                "verloop",
                "herkomst",
                "toelichting",
                "voorbeeldwaarden",
            ],
            rows: &acts,
            notes: header_note,
        },
    )?;
    Ok(())
}

/// The indicators sheet and the series sheet (built in one pass over the indicators).
fn sheets_indicators_and_series(wb: &mut rust_xlsxwriter::Workbook, cx: &EvalBook) -> Result<()> {
    let EvalBook { r, m, p, .. } = cx;
    let mut inds = Vec::new();
    let mut series = Vec::new();
    for ((i, il), reached) in r
        .indicators
        .iter()
        .zip(&p.indicatoren)
        .zip(&p.einddoel_bereikt)
    {
        let unit = i.value.unit;
        inds.push(vec![
            XCell::T(i.title.clone()),
            XCell::T(i.unit_label.clone()),
            opt_cell(unit, i.baseline.map(|b| b.value)),
            i.baseline.map_or(XCell::Empty, |b| XCell::Year(b.year)),
            figure_cell(&i.value, m),
            XCell::Year(r.last_year),
            opt_cell(unit, i.target.map(|t| t.value)),
            i.target.map_or(XCell::Empty, |t| XCell::Year(t.year)),
            XCell::T(
                if i.baseline.is_some_and(|b| b.sample) || i.target.is_some_and(|t| t.sample) {
                    "VOORBEELD".into()
                } else {
                    String::new()
                },
            ),
            XCell::T(reached.clone()),
            XCell::T(il.status.clone()),
            XCell::T(il.uitleg.clone()),
        ]);
        series.extend(super::yearly::series_rows(i, m));
    }
    let marks_note = vec![super::xlsx::marks_note(m)];
    write_sheet(
        wb,
        &SheetSpec {
            name: "Indicatoren",
            header: &[
                "indicator",
                "eenheid",
                "basislijn",
                "basislijnjaar",
                "waarde eind periode",
                "jaar",
                "einddoel",
                "doeljaar",
                "voorbeeldwaarden",
                "einddoel bereikt",
                "status eind periode",
                "toelichting",
            ],
            rows: &inds,
            notes: &marks_note,
        },
    )?;
    super::yearly::series_sheet(wb, &series, &marks_note)?;
    Ok(())
}

/// The sheet of the local action plans per year.
fn sheet_local(wb: &mut rust_xlsxwriter::Workbook, cx: &EvalBook) -> Result<()> {
    let EvalBook { r, p, .. } = cx;
    let local: Vec<Vec<XCell>> = r
        .local
        .years
        .iter()
        .map(|y| {
            vec![
                XCell::Year(y.year),
                XCell::Int(y.plans as f64),
                XCell::Int(y.open_prisons as f64),
                if y.plans == 0 {
                    XCell::Mark("geen gegevens".into())
                } else {
                    XCell::Int(y.covered as f64)
                },
                XCell::Int(y.actions as f64),
            ]
        })
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Lokale actieplannen",
            header: &[
                "jaar",
                "gevangenissen met een plan",
                "open gevangenissen",
                "gedekte acties",
                "acties in het plan",
            ],
            rows: &local,
            notes: &[format!(
                "Nooit gedekt door een lokaal actieplan: {}.",
                never_covered_text(&p.lokaal)
            )],
        },
    )?;
    Ok(())
}

/// The sheet of what stays open for the next plan.
fn sheet_open(wb: &mut rust_xlsxwriter::Workbook, cx: &EvalBook) -> Result<()> {
    let EvalBook { r, .. } = cx;
    let open: Vec<Vec<XCell>> = r
        .open
        .actions
        .iter()
        .map(|(id, t, s)| {
            vec![
                XCell::T("actie".into()),
                XCell::T(id.clone()),
                XCell::T(action_title(t)),
                XCell::T(status_word(*s, r.sample_statuses)),
            ]
        })
        .chain(r.open.indicators.iter().map(|(id, t, s)| {
            vec![
                XCell::T("indicator".into()),
                XCell::T(id.clone()),
                XCell::T(t.clone()),
                XCell::T(words::status(*s).into()),
            ]
        }))
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Open voor het volgende plan",
            header: &["soort", "id", "titel", "status eind periode"],
            rows: &open,
            notes: &[],
        },
    )?;
    Ok(())
}

/// The provenance sheet: the sources and the run.
fn sheet_provenance(wb: &mut rust_xlsxwriter::Workbook, cx: &EvalBook) -> Result<()> {
    let EvalBook { r, .. } = cx;
    let prov: Vec<Vec<XCell>> = r
        .provenance
        .iter()
        .map(|s| {
            vec![
                XCell::T(words::source(s.source)),
                XCell::T(s.file.clone()),
                XCell::T(s.sha256.clone()),
                XCell::Int(s.rows as f64),
            ]
        })
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Herkomst",
            header: &["bron", "bestand", "SHA-256", "rijen"],
            rows: &prov,
            notes: &[format!(
                "Opdracht: {} · hdv {} · gemaakt op {}",
                r.run.command,
                r.run.version,
                super::long_date(&r.run.generated)
            )],
        },
    )?;
    Ok(())
}
