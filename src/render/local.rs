//! The local report (one prison, one year) and the overview across prisons formatted: the
//! pages the templates (`lokaal.{html,md}`, `overzicht.{html,md}`) fill and the workbooks.
//! Formatting only: the decisions are in `report::local`.

use super::words::{self, Marks};
use super::xlsx::{XCell, figure_cell, new_workbook, sheet, text_rows, value_cell};
use super::{nl_number, pct_label};
use crate::error::Result;
use crate::report::RunInfo;
use crate::report::local::{
    Comparison, LocalActionRef, LocalReport, LocalTarget, ObjectiveCoverage, OffTrack, Overview,
    Ref,
};
use rust_xlsxwriter::Workbook;
use serde::Serialize;

/// The page of a local report, for the templates.
#[derive(Debug, Serialize)]
pub struct LocalPage {
    pub gevangenis: String,
    pub code: String,
    pub jaar: i32,
    pub team: String,
    pub run: RunInfo,
    pub niet_op_koers: Vec<String>,
    pub dekking: Vec<CoverageLine>,
    pub gedekt: Vec<ActionRef>,
    pub niet_gedekt: Vec<ActionRef>,
    pub ongekoppeld: Vec<String>,
    pub acties: Vec<LocalActionView>,
    pub indicatoren: Vec<ComparisonView>,
    pub doelen: Vec<TargetView>,
    pub klein_aantal: String,
    pub kleine_noemer: String,
}

#[derive(Debug, Serialize)]
pub struct CoverageLine {
    pub id: String,
    pub titel: String,
    pub gedekt: usize,
    pub totaal: usize,
    pub aandeel: String,
}

#[derive(Debug, Serialize)]
pub struct ActionRef {
    pub id: String,
    pub titel: String,
}

#[derive(Debug, Serialize)]
pub struct LocalActionView {
    pub id: String,
    pub titel: String,
    pub koppeling: String,
    pub eigenaar: String,
    pub status: String,
    pub toelichting: String,
}

#[derive(Debug, Serialize)]
pub struct ComparisonView {
    pub id: String,
    pub titel: String,
    pub waarde: String,
    pub vlaanderen: String,
    pub bereik: String,
    /// Where the prison lies in the funnel of a rate (empty for other figures).
    pub tegenover: String,
    /// The funnel plot of a rate, with this prison marked.
    pub trechter: Option<super::yearly::FunnelPage>,
    pub afwijking: String,
}

#[derive(Debug, Serialize)]
pub struct TargetView {
    pub indicator: String,
    pub actie: String,
    pub waarde: String,
    pub doel: String,
    pub status: String,
    pub toon: String,
    pub uitleg: String,
}

fn action_ref(r: &Ref) -> ActionRef {
    ActionRef {
        id: r.id.clone(),
        titel: r.title.clone(),
    }
}

/// The share of covered actions: `41,7 %`, `–` for an objective without actions.
fn coverage_line(c: &ObjectiveCoverage) -> CoverageLine {
    CoverageLine {
        id: c.id.clone(),
        titel: c.title.clone(),
        gedekt: c.covered,
        totaal: c.total,
        aandeel: if c.total == 0 {
            "–".into()
        } else {
            pct_label(100.0 * c.covered as f64 / c.total as f64)
        },
    }
}

/// A local action by id, title and owner: `GEN-2024-05 Bibliotheekwerking uitbreiden
/// (eigenaar: bibliotheek)`.
fn local_action(a: &LocalActionRef) -> String {
    let mut s = a.id.clone();
    if !a.title.is_empty() {
        s.push(' ');
        s.push_str(&a.title);
    }
    if !a.owner.is_empty() {
        s.push_str(&format!(" (eigenaar: {})", a.owner));
    }
    s
}

/// An item that is off track in one line.
fn off_track_line(o: &OffTrack, year: i32, m: &Marks) -> String {
    match o {
        OffTrack::Target {
            indicator,
            action,
            assessment,
            unit,
        } => format!(
            "Lokaal doel {indicator} van lokale actie {}: {} – {}",
            local_action(action),
            words::status(assessment.status),
            words::reason(assessment, *unit, year)
        ),
        OffTrack::Delayed { id, title, note } => format!(
            "Lokale actie {id} {title} is vertraagd{}",
            note.as_deref()
                .map(|t| format!(": {t}"))
                .unwrap_or_default()
        ),
        OffTrack::Rate {
            title,
            position,
            value,
            centre,
        } => format!(
            "{title}: {} ({} tegenover {} in de gevangenissen samen)",
            words::position(*position),
            words::figure(value, m),
            centre.map(pct_label).unwrap_or_default()
        ),
    }
}

/// A prison's figure next to the others in words.
pub(crate) fn comparison_view(c: &Comparison, code: &str, m: &Marks) -> ComparisonView {
    let unit = c.value.unit;
    // A deviation shown at more decimals shows the two values it is the difference of at as
    // many (so the three agree).
    let at = |f: &crate::report::Figure| match (c.deviation, f.value()) {
        (Some(d), Some(v)) if d.decimals > 1 => words::value_at(unit, v, d.decimals),
        _ => words::figure(f, m),
    };
    ComparisonView {
        id: c.id.clone(),
        titel: c.title.clone(),
        waarde: at(&c.value),
        vlaanderen: at(&c.flanders),
        bereik: c
            .range
            .map(|(lo, hi)| format!("{} – {}", words::value(unit, lo), words::value(unit, hi)))
            .unwrap_or_default(),
        tegenover: c.position.map(words::position).unwrap_or_default().into(),
        trechter: c
            .funnel
            .as_ref()
            .filter(|f| f.plot)
            .map(|f| super::yearly::funnel_page(f, Some(code))),
        afwijking: c
            .deviation
            .map(|d| words::points_change(&d))
            .unwrap_or_default(),
    }
}

fn target_view(t: &LocalTarget, year: i32, m: &Marks) -> TargetView {
    let unit = t.value.unit;
    TargetView {
        indicator: t.indicator.clone(),
        actie: local_action(&t.action),
        waarde: words::figure(&t.value, m),
        doel: format!("{} ({})", words::value(unit, t.target), t.target_year),
        status: words::status(t.assessment.status).into(),
        toon: words::tone(t.assessment.status.tone()).into(),
        uitleg: words::reason(&t.assessment, unit, year),
    }
}

/// The page of the local report `r`.
pub(crate) fn page(r: &LocalReport, m: &Marks) -> LocalPage {
    LocalPage {
        gevangenis: r.prison.clone(),
        code: r.code.clone(),
        jaar: r.year,
        team: r.team.clone(),
        run: r.run.clone(),
        niet_op_koers: r
            .off_track
            .iter()
            .map(|o| off_track_line(o, r.year, m))
            .collect(),
        dekking: r.coverage.iter().map(coverage_line).collect(),
        gedekt: r.covered.iter().map(action_ref).collect(),
        niet_gedekt: r.uncovered.iter().map(action_ref).collect(),
        ongekoppeld: r
            .unlinked
            .iter()
            .map(|l| format!("{} {}", l.id, l.title))
            .collect(),
        acties: r
            .actions
            .iter()
            .map(|l| LocalActionView {
                id: l.id.clone(),
                titel: l.title.clone(),
                koppeling: if l.links.is_empty() {
                    "geen".into()
                } else {
                    l.links.join(", ")
                },
                eigenaar: l.owner.clone(),
                status: words::action_status(l.status).into(),
                toelichting: l.note.clone().unwrap_or_default(),
            })
            .collect(),
        indicatoren: r
            .comparisons
            .iter()
            .map(|c| comparison_view(c, &r.code, m))
            .collect(),
        doelen: r
            .targets
            .iter()
            .map(|t| target_view(t, r.year, m))
            .collect(),
        klein_aantal: m.small_label.clone(),
        kleine_noemer: nl_number(m.min_denominator, 0),
    }
}

/// The page of the overview, for the templates.
#[derive(Debug, Serialize)]
pub(crate) struct OverviewPage {
    pub jaar: i32,
    pub run: RunInfo,
    pub doelstellingen: Vec<ActionRef>,
    pub acties: Vec<ActionRef>,
    pub rijen: Vec<OverviewLine>,
    pub zonder_plan: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct OverviewLine {
    pub gevangenis: String,
    pub cellen: Vec<HeatCell>,
    pub totaal: String,
    /// Per action: covered or not, in plan order.
    pub acties: Vec<bool>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HeatCell {
    pub tekst: String,
    /// 0-4: the coverage share in quarters, for the heatmap colour.
    pub niveau: usize,
}

pub(crate) fn overview_page(o: &Overview) -> OverviewPage {
    OverviewPage {
        jaar: o.year,
        run: o.run.clone(),
        doelstellingen: o.objectives.iter().map(action_ref).collect(),
        acties: o.actions.iter().map(action_ref).collect(),
        rijen: o
            .rows
            .iter()
            .map(|r| OverviewLine {
                gevangenis: r.prison.clone(),
                cellen: r
                    .per_objective
                    .iter()
                    .map(|&(n, t)| {
                        let share = if t == 0 { 0.0 } else { n as f64 / t as f64 };
                        HeatCell {
                            tekst: format!("{n}/{t}"),
                            niveau: ((share * 4.0).ceil() as usize).min(4),
                        }
                    })
                    .collect(),
                totaal: format!("{}/{}", r.covered, o.actions.len()),
                acties: r.actions.clone(),
            })
            .collect(),
        zonder_plan: o.without_plan.clone(),
    }
}

/// The local report as a workbook: a sheet per section.
pub(crate) fn workbook(r: &LocalReport, m: &Marks) -> Result<Vec<u8>> {
    let p = page(r, m);
    let mut wb = new_workbook(
        format!("Lokaal rapport {} {}", p.gevangenis, p.jaar),
        &p.run.generated,
    )?;
    let off: Vec<Vec<String>> = p.niet_op_koers.iter().map(|t| vec![t.clone()]).collect();
    sheet(&mut wb, "Niet op koers", &["wat"], &text_rows(off))?;
    coverage_sheet(&mut wb, r)?;
    actions_sheet(&mut wb, &p)?;
    local_actions_sheet(&mut wb, &p)?;
    figures_sheet(&mut wb, r, &p, m)?;
    targets_sheet(&mut wb, r, &p, m)?;
    wb.save_to_buffer().map_err(super::xlsx::err)
}

fn coverage_sheet(wb: &mut Workbook, r: &LocalReport) -> Result<()> {
    let rows: Vec<Vec<XCell>> = r
        .coverage
        .iter()
        .map(|c| {
            vec![
                XCell::T(c.id.clone()),
                XCell::T(c.title.clone()),
                XCell::Int(c.covered as f64),
                XCell::Int(c.total as f64),
                if c.total == 0 {
                    XCell::Empty
                } else {
                    XCell::Pct(100.0 * c.covered as f64 / c.total as f64)
                },
            ]
        })
        .collect();
    sheet(
        wb,
        "Afstemming",
        &[
            "doelstelling",
            "titel",
            "gedekte acties",
            "acties",
            "aandeel",
        ],
        &rows,
    )
}

fn actions_sheet(wb: &mut Workbook, p: &LocalPage) -> Result<()> {
    let mut rows: Vec<Vec<String>> = p
        .gedekt
        .iter()
        .map(|a| vec![a.id.clone(), a.titel.clone(), "ja".into()])
        .collect();
    rows.extend(
        p.niet_gedekt
            .iter()
            .map(|a| vec![a.id.clone(), a.titel.clone(), "nee".into()]),
    );
    sheet(
        wb,
        "Strategische acties",
        &["actie", "titel", "gedekt"],
        &text_rows(rows),
    )
}

fn local_actions_sheet(wb: &mut Workbook, p: &LocalPage) -> Result<()> {
    let rows: Vec<Vec<String>> = p
        .acties
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.titel.clone(),
                a.koppeling.clone(),
                a.eigenaar.clone(),
                a.status.clone(),
                a.toelichting.clone(),
            ]
        })
        .collect();
    sheet(
        wb,
        "Lokale acties",
        &[
            "id",
            "titel",
            "strategische acties",
            "eigenaar",
            "status",
            "toelichting",
        ],
        &text_rows(rows),
    )
}

fn figures_sheet(wb: &mut Workbook, r: &LocalReport, p: &LocalPage, m: &Marks) -> Result<()> {
    let rows: Vec<Vec<XCell>> = r
        .comparisons
        .iter()
        .zip(&p.indicatoren)
        .map(|(c, v)| {
            // A deviation at more decimals: its two values at as many, so the three agree.
            let at = |f: &crate::report::Figure| match (c.deviation, f.value()) {
                (Some(d), Some(x)) if d.decimals > 1 => XCell::PctAt(x, d.decimals as u8),
                _ => figure_cell(f, m),
            };
            vec![
                XCell::T(c.title.clone()),
                at(&c.value),
                at(&c.flanders),
                XCell::T(v.bereik.clone()),
                XCell::T(v.tegenover.clone()),
                c.deviation.map_or(XCell::Empty, |d| {
                    XCell::Dec(d.shown_change(), d.decimals as u8)
                }),
            ]
        })
        .collect();
    sheet(
        wb,
        "Indicatoren",
        &[
            "indicator",
            "gevangenis",
            "Vlaanderen",
            "bereik",
            "tegenover de andere gevangenissen",
            "afwijking (procentpunt)",
        ],
        &rows,
    )
}

fn targets_sheet(wb: &mut Workbook, r: &LocalReport, p: &LocalPage, m: &Marks) -> Result<()> {
    let rows: Vec<Vec<XCell>> = r
        .targets
        .iter()
        .zip(&p.doelen)
        .map(|(t, v)| {
            vec![
                XCell::T(t.indicator.clone()),
                XCell::T(t.action.id.clone()),
                XCell::T(t.action.title.clone()),
                XCell::T(t.action.owner.clone()),
                figure_cell(&t.value, m),
                value_cell(t.value.unit, t.target),
                XCell::Year(t.target_year),
                XCell::T(v.status.clone()),
                XCell::T(v.uitleg.clone()),
            ]
        })
        .collect();
    sheet(
        wb,
        "Lokale doelen",
        &[
            "indicator",
            "lokale actie",
            "titel",
            "eigenaar",
            "waarde",
            "doel",
            "doeljaar",
            "status",
            "toelichting",
        ],
        &rows,
    )
}

/// The overview as a workbook: coverage per objective and per action.
pub(crate) fn overview_workbook(o: &Overview) -> Result<Vec<u8>> {
    let mut wb = new_workbook(
        format!("Overzicht lokale actieplannen {}", o.year),
        &o.run.generated,
    )?;
    per_objective_sheet(&mut wb, o)?;
    per_action_sheet(&mut wb, o)?;
    let without: Vec<Vec<String>> = o.without_plan.iter().map(|p| vec![p.clone()]).collect();
    sheet(
        &mut wb,
        "Zonder lokaal plan",
        &["gevangenis"],
        &text_rows(without),
    )?;
    wb.save_to_buffer().map_err(super::xlsx::err)
}

/// Each cell is the number of covered actions; the header says out of how many.
fn per_objective_sheet(wb: &mut Workbook, o: &Overview) -> Result<()> {
    let of: Vec<usize> = o
        .rows
        .first()
        .map(|r| r.per_objective.iter().map(|c| c.1).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = vec!["gevangenis".into()];
    header.extend(
        o.objectives
            .iter()
            .enumerate()
            .map(|(i, d)| match of.get(i) {
                Some(n) => format!("{} {} (gedekte acties van {n})", d.id, d.title),
                None => format!("{} {}", d.id, d.title),
            }),
    );
    header.push(format!("totaal (gedekte acties van {})", o.actions.len()));
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<XCell>> = o
        .rows
        .iter()
        .map(|r| {
            let mut v = vec![XCell::T(r.prison.clone())];
            v.extend(r.per_objective.iter().map(|c| XCell::Int(c.0 as f64)));
            v.push(XCell::Int(r.covered as f64));
            v
        })
        .collect();
    sheet(wb, "Per doelstelling", &h, &rows)
}

fn per_action_sheet(wb: &mut Workbook, o: &Overview) -> Result<()> {
    let mut header: Vec<String> = vec!["gevangenis".into()];
    header.extend(o.actions.iter().map(|a| a.id.clone()));
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows: Vec<Vec<XCell>> = o
        .rows
        .iter()
        .map(|r| {
            let mut v = vec![XCell::T(r.prison.clone())];
            v.extend(
                r.actions
                    .iter()
                    .map(|&c| XCell::N(if c { 1.0 } else { 0.0 })),
            );
            v
        })
        .collect();
    sheet(wb, "Per actie", &h, &rows)
}

/// The local report as a file of format `f`.
pub(crate) fn report_file(
    env: &minijinja::Environment,
    r: &LocalReport,
    m: &Marks,
    f: super::Format,
) -> Result<Vec<u8>> {
    match f {
        super::Format::Html => Ok(super::render(env, "lokaal.html", page(r, m))?.into_bytes()),
        super::Format::Md => Ok(super::render(env, "lokaal.md", page(r, m))?.into_bytes()),
        super::Format::Xlsx => workbook(r, m),
        other => Err(super::unsupported("het lokaal rapport", other)),
    }
}

/// The overview as a file of format `f`.
pub(crate) fn overview_file(
    env: &minijinja::Environment,
    o: &Overview,
    f: super::Format,
) -> Result<Vec<u8>> {
    match f {
        super::Format::Html => {
            Ok(super::render(env, "overzicht.html", overview_page(o))?.into_bytes())
        }
        super::Format::Md => Ok(super::render(env, "overzicht.md", overview_page(o))?.into_bytes()),
        super::Format::Xlsx => overview_workbook(o),
        other => Err(super::unsupported("het overzicht", other)),
    }
}

/// A commented skeleton of a new local action plan of `prison` (a known code) for `year`,
/// listing the strategic actions of the plan in force to link to.
pub(crate) fn skeleton(model: &crate::model::Model, prison: &str, year: i32) -> String {
    use crate::yaml::{comment, scalar};
    let naam = model.prison(prison).map_or(prison, |p| p.naam.as_str());
    let prefix: String = prison
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(3)
        .collect();
    let mut s = format!(
        "# Lokaal actieplan {year} van {naam}.\n\
         #\n\
         # Vul per lokale actie in: een unieke id, de titel, de strategische acties waaraan ze\n\
         # bijdraagt (ids uit de lijst onderaan; leeg laten = aan geen strategische actie\n\
         # gekoppeld), de eigenaar, de status (gepland, lopend, gerealiseerd, vertraagd, geschrapt),\n\
         # een toelichting (zeker bij vertraagd of geschrapt) en eventueel lokale doelen op een\n\
         # indicator (ids uit de map indicators/).\n\
         # Controleer daarna met: hdv check\n\
         gevangenis: {prison}\n\
         jaar: {year}\n\
         lokaal_beleidsteam: {team}\n\
         acties:\n  \
           - id: {p}-{year}-01\n    \
             titel: Titel van de lokale actie\n    \
             strategische_acties: []\n    \
             eigenaar: Naam van de trekker\n    \
             status: gepland\n    \
             # toelichting: waarom vertraagd of geschrapt\n    \
             # doelen:\n    \
             #   - {{indicator: deelname_graad, waarde: 60}}\n\
         #\n\
         # Strategische acties van het {titel}:\n",
        p = prefix.to_uppercase(),
        titel = comment(&model.plan.titel),
        team = scalar(&format!("Lokaal beleidsteam {naam}")),
        naam = comment(naam),
    );
    for o in &model.plan.doelstellingen {
        s.push_str(&format!(
            "#\n# {} {}\n",
            comment(&o.id),
            comment(o.korte_titel.as_deref().unwrap_or(&o.titel))
        ));
        for act in model.plan.acties.iter().filter(|x| x.doelstelling == o.id) {
            s.push_str(&format!(
                "#   {:<8} {}\n",
                comment(&act.id),
                comment(&act.titel)
            ));
        }
    }
    s
}
