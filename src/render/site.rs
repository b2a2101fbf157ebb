//! The site of `hdv site` formatted: every page from the templates in `templates/site/`
//! (which include the reports' own partials), and per indicator its published figures as CSV
//! and XLSX. Formatting only: which pages, which years, what is suppressed and every status
//! come from `report::site` (a prison's comparison with the others is the local report's,
//! funnel verdicts included).

use super::local::ComparisonView;
use super::words::{self, Marks};
use super::xlsx::{SheetSpec, XCell, new_workbook, write_sheet};
use super::yearly::{self as yr, Count, IndicatorLine, MethodLine, SourceLine};
use crate::error::{Error, Result};
use crate::report::site::{IndicatorPage, PrisonPage, Site, YearFigure};
use crate::report::{RunInfo, Unit};
use minijinja::Environment;
use serde::Serialize;

/// What every page shows in its footer.
#[derive(Debug, Serialize)]
pub(crate) struct SiteInfo {
    /// The assessed year (the last year with data).
    pub jaar: i32,
    /// The years of the site, as ranges (`2019-2025`).
    pub jaren: String,
    pub plan_versie: String,
    pub run: RunInfo,
    pub voorbeeld: bool,
    /// The plan's action statuses are samples (each marked VOORBEELD).
    pub statussen_voorbeeld: bool,
    pub klein_aantal: String,
    pub kleine_noemer: String,
}

/// A page: the way back to the site's folder, its title, the footer facts and its content.
#[derive(Debug, Serialize)]
struct Page<'a, T: Serialize> {
    root: &'a str,
    /// The page's title (`paginatitel`: a body may have a `titel` of its own).
    paginatitel: String,
    site: &'a SiteInfo,
    #[serde(flatten)]
    body: T,
}

#[derive(Debug, Serialize)]
pub(crate) struct Home<'a> {
    pub plan_titel: String,
    pub jaren_met_gegevens: String,
    pub jaren_zonder_gegevens: String,
    pub indicatoren_telling: Vec<Count>,
    pub context_telling: Vec<Count>,
    pub doelstellingen: Vec<HomeObjective>,
    pub indicatoren: Vec<&'a IndicatorLine>,
    pub gevangenissen: Vec<HomePrison>,
    pub herkomst: Vec<SourceLine>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HomeObjective {
    pub id: String,
    pub titel: String,
    pub acties: Vec<Count>,
    pub indicatoren: Vec<Count>,
    /// Off-track indicators first, then delayed actions, each linking to its page.
    pub aandacht: Vec<yr::Link>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HomePrison {
    pub code: String,
    pub naam: String,
    pub opmerking: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ObjectiveRef {
    pub id: String,
    pub titel: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct IndicatorView<'a> {
    pub i: &'a IndicatorLine,
    pub m: &'a MethodLine,
    pub doelstellingen: Vec<ObjectiveRef>,
    pub jaren: Vec<YearLine>,
    pub uitsplitsingen: Vec<BreakdownTable>,
    /// For a rate compared across the prisons in the yearly report: its funnel plot.
    pub trechter: Option<yr::FunnelPage>,
}

#[derive(Debug, Serialize)]
pub(crate) struct YearLine {
    pub jaar: i32,
    pub waarde: String,
    pub teller_noemer: String,
    pub interval: String,
    pub opmerking: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct BreakdownTable {
    pub titel: String,
    pub kop: String,
    pub jaren: Vec<i32>,
    pub rijen: Vec<BreakdownRow>,
}

#[derive(Debug, Serialize)]
pub(crate) struct BreakdownRow {
    pub label: String,
    /// The prison's page, for a breakdown by prison.
    pub href: String,
    pub cellen: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PrisonView {
    pub naam: String,
    pub status: String,
    pub lokale_plannen: Vec<LocalPlanRef>,
    pub indicatoren: Vec<ComparisonView>,
    pub reeksen: Vec<PrisonSeriesView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct LocalPlanRef {
    pub jaar: i32,
    pub bestand: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PrisonSeriesView {
    pub id: String,
    pub titel: String,
    pub jaren: Vec<i32>,
    pub gevangenis: Vec<String>,
    pub vlaanderen: Vec<String>,
}

/// Renders one page of the site.
fn page_bytes<T: Serialize>(
    env: &Environment,
    site: &SiteInfo,
    name: &str,
    root: &str,
    titel: String,
    body: T,
) -> Result<Vec<u8>> {
    super::render(
        env,
        name,
        Page {
            root,
            paginatitel: titel,
            site,
            body,
        },
    )
    .map(String::into_bytes)
}

/// The name of a prison's local report in the site (`gevangenis/<code>-lokaal-<jaar>.html`).
fn local_file(code: &str, year: i32) -> String {
    format!("{code}-lokaal-{year}.html")
}

fn year_line(f: &YearFigure, m: &Marks) -> YearLine {
    YearLine {
        jaar: f.year,
        waarde: words::figure(&f.value, m),
        teller_noemer: words::fraction(f.fraction),
        interval: words::interval(f.interval),
        opmerking: if f.is_break {
            "breuk in de reeks: nieuwe definitie vanaf dit jaar".into()
        } else {
            String::new()
        },
    }
}

/// Every file of the site: (path relative to the site's folder, bytes).
pub fn files(site: &Site, env: &Environment, m: &Marks) -> Result<Vec<(String, Vec<u8>)>> {
    let r = &site.report;
    let year = site.year;
    let page = yr::page(r, m);
    let info = SiteInfo {
        jaar: year,
        jaren: words::year_ranges(&site.range.iter().collect()),
        plan_versie: r.plan_version.label.clone(),
        run: r.run.clone(),
        voorbeeld: r.uses_samples,
        statussen_voorbeeld: r.sample_statuses,
        klein_aantal: page.drempels.klein_aantal.clone(),
        kleine_noemer: page.drempels.kleine_noemer.clone(),
    };
    let lines: Vec<IndicatorLine> = site
        .indicators
        .iter()
        .map(|p| yr::indicator_line(&p.row, year, m))
        .collect();
    let methods: Vec<MethodLine> = site
        .indicators
        .iter()
        .flat_map(|p| yr::method_lines_of(std::slice::from_ref(&p.method)))
        .collect();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let home = home(
        site,
        &lines,
        (page.indicatoren_telling, page.context_telling),
        page.herkomst,
    );
    out.push((
        "index.html".into(),
        page_bytes(
            env,
            &info,
            "site/index.html",
            "",
            format!("Opvolging: {}", r.plan_title),
            &home,
        )?,
    ));
    for o in &page.doelstellingen {
        out.push((
            objective_file(&o.id),
            page_bytes(
                env,
                &info,
                "site/doelstelling.html",
                "../",
                format!("{}: {}", o.id, o.titel),
                o,
            )?,
        ));
    }

    for ((p, line), method) in site.indicators.iter().zip(&lines).zip(&methods) {
        out.extend(indicator_files(site, env, &info, m, p, line, method)?);
    }
    for p in &site.prisons {
        out.extend(prison_files(site, env, &info, m, p)?);
    }
    Ok(out)
}

/// The file of an objective's page.
fn objective_file(id: &str) -> String {
    format!("doelstelling/{id}.html")
}

/// The home page: the objectives with their status, the indicators, the prisons.
fn home<'a>(
    site: &Site,
    lines: &'a [IndicatorLine],
    (counts, context): (Vec<Count>, Vec<Count>),
    provenance: Vec<SourceLine>,
) -> Home<'a> {
    let (r, year) = (&site.report, site.year);
    Home {
        plan_titel: r.plan_title.clone(),
        jaren_met_gegevens: words::year_ranges(&site.years_with_data.iter().copied().collect()),
        jaren_zonder_gegevens: {
            let missing: std::collections::BTreeSet<i32> = site
                .range
                .iter()
                .filter(|y| !site.years_with_data.contains(y))
                .collect();
            if missing.is_empty() {
                String::new()
            } else {
                words::year_ranges(&missing)
            }
        },
        indicatoren_telling: counts,
        context_telling: context,
        doelstellingen: r
            .summary
            .iter()
            .map(|o| HomeObjective {
                id: o.id.clone(),
                titel: o.title.clone(),
                acties: o
                    .actions
                    .iter()
                    .map(|(s, n)| yr::action_count(*s, *n, r.sample_statuses))
                    .collect(),
                indicatoren: o
                    .indicators
                    .iter()
                    .map(|(s, n)| yr::status_count(*s, *n))
                    .collect(),
                aandacht: o
                    .off_track
                    .iter()
                    .map(|(id, title)| yr::Link {
                        anker: format!("indicator/{id}.html"),
                        tekst: title.clone(),
                    })
                    .chain(o.delayed.iter().map(|id| yr::Link {
                        anker: format!("{}#actie-{id}", objective_file(&o.id)),
                        tekst: if r.sample_statuses {
                            format!("actie {id} (vertraagd, VOORBEELD)")
                        } else {
                            format!("actie {id} (vertraagd)")
                        },
                    }))
                    .collect(),
            })
            .collect(),
        indicatoren: lines.iter().collect(),
        gevangenissen: site
            .prisons
            .iter()
            .map(|p| HomePrison {
                code: p.code.clone(),
                naam: p.name.clone(),
                opmerking: prison_note(p, year),
            })
            .collect(),
        herkomst: provenance,
    }
}

/// An indicator's page and its downloads (CSV, XLSX).
fn indicator_files(
    site: &Site,
    env: &Environment,
    info: &SiteInfo,
    m: &Marks,
    p: &IndicatorPage,
    line: &IndicatorLine,
    method: &MethodLine,
) -> Result<Vec<(String, Vec<u8>)>> {
    let r = &site.report;
    let mut out = Vec::new();
    let view = IndicatorView {
        i: line,
        m: method,
        doelstellingen: p
            .objectives
            .iter()
            .map(|id| ObjectiveRef {
                id: id.clone(),
                titel: r
                    .summary
                    .iter()
                    .find(|o| &o.id == id)
                    .map(|o| o.title.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        jaren: p.years.iter().map(|y| year_line(y, m)).collect(),
        trechter: r
            .equal_access
            .funnels
            .iter()
            .find(|f| f.indicator == p.row.id)
            .filter(|f| f.plot)
            .map(|f| yr::funnel_page(f, None)),
        uitsplitsingen: p
            .breakdowns
            .iter()
            .map(|b| BreakdownTable {
                titel: words::dimension(&b.dimension),
                kop: capitalised(&b.dimension.replace('_', " ")),
                jaren: site.range.iter().collect(),
                rijen: b
                    .cells
                    .iter()
                    .map(|c| BreakdownRow {
                        label: c.label.clone(),
                        href: if b.dimension == "gevangenis"
                            && site.prisons.iter().any(|x| x.code == c.code)
                        {
                            format!("../gevangenis/{}.html", c.code)
                        } else {
                            String::new()
                        },
                        cellen: c.years.iter().map(|y| words::figure(&y.value, m)).collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    let id = &p.row.id;
    out.push((
        format!("indicator/{id}.html"),
        page_bytes(
            env,
            info,
            "site/indicator.html",
            "../",
            p.row.title.clone(),
            &view,
        )?,
    ));
    out.push((format!("indicator/{id}.csv"), csv(p, m)?));
    out.push((
        format!("indicator/{id}.xlsx"),
        workbook(p, method, m, &r.run)?,
    ));
    Ok(out)
}

/// A prison's page and its local reports.
fn prison_files(
    site: &Site,
    env: &Environment,
    info: &SiteInfo,
    m: &Marks,
    p: &PrisonPage,
) -> Result<Vec<(String, Vec<u8>)>> {
    let year = site.year;
    let mut out = Vec::new();
    let view = PrisonView {
        naam: p.name.clone(),
        status: prison_status(p, year),
        lokale_plannen: p
            .local_plans
            .iter()
            .map(|y| LocalPlanRef {
                jaar: *y,
                bestand: local_file(&p.code, *y),
            })
            .collect(),
        indicatoren: p
            .comparisons
            .iter()
            .map(|c| super::local::comparison_view(c, &p.code, m))
            .collect(),
        reeksen: p
            .series
            .iter()
            .map(|s| PrisonSeriesView {
                id: s.indicator.clone(),
                titel: s.title.clone(),
                jaren: s.prison.iter().map(|y| y.year).collect(),
                gevangenis: s
                    .prison
                    .iter()
                    .map(|y| words::figure(&y.value, m))
                    .collect(),
                vlaanderen: s
                    .flanders
                    .iter()
                    .map(|y| words::figure(&y.value, m))
                    .collect(),
            })
            .collect(),
    };
    out.push((
        format!("gevangenis/{}.html", p.code),
        page_bytes(
            env,
            info,
            "site/gevangenis.html",
            "../",
            p.name.clone(),
            &view,
        )?,
    ));
    for (y, lr) in &p.local_reports {
        out.push((
            format!("gevangenis/{}", local_file(&p.code, *y)),
            super::render(env, "lokaal.html", super::local::page(lr, m))?.into_bytes(),
        ));
    }
    Ok(out)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn date(d: chrono::NaiveDate) -> String {
    super::nl_date(d)
}

/// A short note next to a prison's name on the home page (closed, not yet open).
fn prison_note(p: &PrisonPage, year: i32) -> String {
    match (p.open, p.opened, p.closed) {
        (false, _, Some(c)) => format!("gesloten sinds {}", date(c)),
        (false, Some(o), None) => format!("open sinds {}", date(o)),
        (true, Some(o), _) if o.format("%Y").to_string() == year.to_string() => {
            format!("open sinds {}", date(o))
        }
        _ => String::new(),
    }
}

/// The prison's state in the assessed year, in a sentence.
fn prison_status(p: &PrisonPage, year: i32) -> String {
    match (p.open, p.opened, p.closed) {
        (false, _, Some(c)) => format!(
            "Gesloten sinds {}: in {year} niet vergeleken met de andere gevangenissen.",
            date(c)
        ),
        (false, Some(o), None) => format!(
            "Open sinds {}: in {year} nog niet vergeleken met de andere gevangenissen.",
            date(o)
        ),
        (true, Some(o), _) => format!("Open sinds {}.", date(o)),
        _ => format!("Open in {year}."),
    }
}

/// Text for a download: a value that a spreadsheet would read as a formula gets a leading
/// apostrophe (OWASP's advice against CSV injection).
fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_number(v: Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_default()
}

/// The CSV rows of one figure: the published value (or empty) and its mark (or empty).
fn csv_figure(f: &YearFigure, m: &Marks) -> [String; 6] {
    let (value, mark) = match f.value.value() {
        Some(v) => (csv_number(Some(v)), String::new()),
        None => (String::new(), words::figure(&f.value, m)),
    };
    [
        value,
        csv_number(f.fraction.map(|x| x.0)),
        csv_number(f.fraction.map(|x| x.1)),
        csv_number(f.interval.map(|x| x.0)),
        csv_number(f.interval.map(|x| x.1)),
        mark,
    ]
}

/// The indicator's published figures as CSV (comma-separated, UTF-8, decimal point): the
/// total per year, then every breakdown cell per year. Suppressed figures have no value and
/// their mark (`<5`, `×`, `geen gegevens`) in `afscherming`.
pub(crate) fn csv(p: &IndicatorPage, m: &Marks) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| Error::Render(format!("CSV van {}: {e}", p.row.id));
    w.write_record([
        "indicator",
        "titel",
        "eenheid",
        "jaar",
        "uitsplitsing",
        "categorie",
        "waarde",
        "teller",
        "noemer",
        "interval_95_van",
        "interval_95_tot",
        "afscherming",
    ])
    .map_err(err)?;
    let head = [
        csv_text(&p.row.id),
        csv_text(&p.row.title),
        csv_text(&p.row.unit_label),
    ];
    let mut row = |y: &YearFigure, dim: &str, cat: &str| {
        let mut r: Vec<String> = head.to_vec();
        r.push(y.year.to_string());
        r.push(csv_text(dim));
        r.push(csv_text(cat));
        r.extend(csv_figure(y, m));
        w.write_record(&r)
    };
    for y in &p.years {
        row(y, "", "").map_err(err)?;
    }
    for b in &p.breakdowns {
        for c in &b.cells {
            for y in &c.years {
                row(y, &b.dimension, &c.label).map_err(err)?;
            }
        }
    }
    w.into_inner()
        .map_err(|e| Error::Render(format!("CSV van {}: {e}", p.row.id)))
}

fn figure_row(f: &YearFigure, m: &Marks) -> Vec<XCell> {
    vec![
        XCell::Year(f.year),
        super::xlsx::figure_cell(&f.value, m),
        super::xlsx::opt_cell(Unit::Whole, f.fraction.map(|x| x.0)),
        super::xlsx::opt_cell(Unit::Whole, f.fraction.map(|x| x.1)),
        super::xlsx::opt_cell(Unit::Percent, f.interval.map(|x| x.0)),
        super::xlsx::opt_cell(Unit::Percent, f.interval.map(|x| x.1)),
    ]
}

const FIGURE_HEADER: [&str; 6] = [
    "jaar",
    "waarde (na afscherming)",
    "teller",
    "noemer",
    "95%-interval van",
    "95%-interval tot",
];

/// The indicator's published figures as a workbook: per year, per breakdown, the definition.
pub(crate) fn workbook(
    p: &IndicatorPage,
    method: &MethodLine,
    m: &Marks,
    run: &RunInfo,
) -> Result<Vec<u8>> {
    let mut wb = new_workbook(p.row.title.clone(), &run.generated)?;
    let notes = vec![
        format!("{} ({})", p.row.title, p.row.unit_label),
        super::xlsx::marks_note(m),
    ];
    let years: Vec<Vec<XCell>> = p
        .years
        .iter()
        .map(|y| {
            let mut r = figure_row(y, m);
            r.push(if y.is_break {
                XCell::T("breuk: nieuwe definitie vanaf dit jaar".into())
            } else {
                XCell::Empty
            });
            r
        })
        .collect();
    let mut header = FIGURE_HEADER.to_vec();
    header.push("reeksbreuk");
    write_sheet(
        &mut wb,
        &SheetSpec {
            name: "Per jaar",
            header: &header,
            rows: &years,
            notes: &notes,
        },
    )?;
    let cells: Vec<Vec<XCell>> = p
        .breakdowns
        .iter()
        .flat_map(|b| {
            b.cells.iter().flat_map(move |c| {
                c.years.iter().map(move |y| {
                    let mut r = vec![XCell::T(b.dimension.clone()), XCell::T(c.label.clone())];
                    r.extend(figure_row(y, m));
                    r
                })
            })
        })
        .collect();
    let mut header = vec!["uitsplitsing", "categorie"];
    header.extend(FIGURE_HEADER);
    write_sheet(
        &mut wb,
        &SheetSpec {
            name: "Uitsplitsingen",
            header: &header,
            rows: &cells,
            notes: &notes,
        },
    )?;
    let definition: Vec<Vec<XCell>> = [
        ("indicator", method.titel.as_str()),
        ("beschrijving", method.beschrijving.as_str()),
        ("eenheid", method.eenheid.as_str()),
        ("teller", method.teller.as_str()),
        ("noemer", method.noemer.as_str()),
        ("lezing", method.interpretatie.as_str()),
        ("bronnen", method.bronnen.as_str()),
        ("basislijn", method.basislijn.as_str()),
        ("doelen", method.doelen.as_str()),
        ("pad naar het doel", method.methode.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| vec![XCell::T(k.into()), XCell::T(v.into())])
    .collect();
    write_sheet(
        &mut wb,
        &SheetSpec {
            name: "Definitie",
            header: &["veld", "tekst"],
            rows: &definition,
            notes: &[format!(
                "Gemaakt op {} met hdv {} ({}).",
                super::long_date(&run.generated),
                run.version,
                run.command
            )],
        },
    )?;
    wb.save_to_buffer()
        .map_err(|e| Error::Render(format!("de werkmap kan niet gemaakt worden: {e}")))
}
