//! The yearly report formatted for its readers: the page the templates fill (every number
//! and status already in nl-BE words) and the workbook (every figure a number). Formatting
//! only: the decisions are in `report::yearly`.

use super::words::{self, Marks};
use super::xlsx::{SheetSpec, XCell, figure_cell, marks_note, new_workbook, opt_cell, write_sheet};
use crate::contract::Source;
use crate::error::Result;
use crate::report::Status;
use crate::report::funnel::{Funnel, Position};
use crate::report::offer::OfferTable;
use crate::report::quality::{Arrived, CheckOutcome, Completeness, Late, RegisterEntry};
use crate::report::yearly::{Attention, Change, IndicatorRow, YearReport};
use crate::report::{RunInfo, Unit};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Page {
    pub jaar: i32,
    pub vorig_jaar: i32,
    pub plan_titel: String,
    /// The plan version the report assesses against, in words.
    pub plan_versie: String,
    pub run: RunInfo,
    pub voorbeeld: bool,
    /// The plan's action statuses are samples (each marked VOORBEELD).
    pub statussen_voorbeeld: bool,
    pub samenvatting: Vec<SummaryLine>,
    pub indicatoren_telling: Vec<Count>,
    /// The context indicators (chapter 3) per status.
    pub context_telling: Vec<Count>,
    pub bewegers: Vec<MoverLine>,
    pub aandacht: Vec<AttentionLine>,
    pub doelstellingen: Vec<ObjectivePage>,
    pub overige: Vec<IndicatorLine>,
    pub gelijke_toegang: AccessPage,
    pub cohorten: Vec<CohortPage>,
    pub kwaliteit: QualityPage,
    pub methode: Vec<MethodLine>,
    pub drempels: ThresholdLine,
    pub herkomst: Vec<SourceLine>,
    pub afscherming: ProtectionLine,
    /// The approval the report follows (`hdv approve`), when the year has one.
    pub goedkeuring: Option<ApprovalPage>,
}

/// The approval of the year in words.
#[derive(Debug, Serialize)]
pub struct ApprovalPage {
    /// Which approval the report follows.
    pub zin: String,
    /// Deliveries changed since, in words.
    pub leveringen: Vec<String>,
    /// Per revised figure: indicator, breakdown, approved, new, the deliveries that caused it.
    pub herzieningen: Vec<[String; 5]>,
}

/// The disclosure policy in words, and what its ledger found (provenance).
#[derive(Debug, Serialize)]
pub struct ProtectionLine {
    /// The policy as sentences.
    pub regels: Vec<String>,
    /// The ledger and its audit, in one sentence.
    pub controle: String,
}

impl ProtectionLine {
    pub(crate) fn of(p: &crate::report::yearly::Protection) -> ProtectionLine {
        ProtectionLine {
            regels: super::afscherming::policy_lines(&p.policy),
            controle: super::afscherming::ledger_sentence(p),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Count {
    pub label: String,
    pub aantal: usize,
    pub toon: String,
}

#[derive(Debug, Serialize)]
pub struct SummaryLine {
    pub id: String,
    pub titel: String,
    pub acties: Vec<Count>,
    pub indicatoren: Vec<Count>,
    /// What needs attention, off-track indicators first, each linking to its detail.
    pub aandacht: Vec<Link>,
}

#[derive(Debug, Serialize)]
pub struct Link {
    pub anker: String,
    pub tekst: String,
}

#[derive(Debug, Serialize)]
pub struct MoverLine {
    pub id: String,
    pub titel: String,
    pub van: String,
    pub naar: String,
    pub verandering: String,
    pub beoordeling: String,
}

#[derive(Debug, Serialize)]
pub struct AttentionLine {
    pub anker: String,
    pub wat: String,
    pub waarom: String,
}

#[derive(Debug, Serialize)]
pub struct ActionLine {
    pub id: String,
    pub titel: String,
    pub voorlopig: bool,
    pub trekker: String,
    pub status: String,
    pub toelichting: String,
}

#[derive(Debug, Serialize)]
pub struct ObjectivePage {
    pub id: String,
    pub titel: String,
    pub acties: Vec<ActionLine>,
    pub actie_telling: Vec<Count>,
    pub vertraagd: Vec<ActionLine>,
    pub indicatoren: Vec<IndicatorLine>,
}

#[derive(Debug, Serialize)]
pub struct YearValue {
    pub jaar: i32,
    pub waarde: String,
    /// The 95 % interval, for rates over persons or events (else empty).
    pub interval: String,
    /// The definition changed from this year on (a break in the series).
    pub breuk: bool,
}

#[derive(Debug, Serialize)]
pub struct BreakdownLine {
    pub titel: String,
    pub cellen: Vec<(String, String, String)>,
}

#[derive(Debug, Serialize)]
pub struct IndicatorLine {
    pub id: String,
    pub titel: String,
    pub eenheid: String,
    pub waarde: String,
    pub teller_noemer: String,
    pub interval: String,
    pub basislijn: String,
    pub doel: String,
    pub verwacht: String,
    pub status: String,
    pub toon: String,
    pub uitleg: String,
    pub reeks: Vec<YearValue>,
    pub uitsplitsingen: Vec<BreakdownLine>,
    pub geteld_onder: String,
    pub geen_gegevens: String,
    /// The expected deliveries missing in the report year, in words (empty when complete).
    pub onvolledig: String,
    /// Inline SVG (numbers only), empty when there is no data.
    pub grafiek: String,
}

#[derive(Debug, Serialize)]
pub struct AccessPage {
    pub kolommen: Vec<String>,
    pub rijen: Vec<AccessLine>,
    pub vlaanderen: Vec<String>,
    pub gesloten: Vec<String>,
    pub noemers: Vec<String>,
    pub buiten: Vec<String>,
    pub trechters: Vec<FunnelPage>,
    pub aanbod: OfferPage,
    /// The figures of the linked-data deliveries (OSLO), when the year has them.
    pub oslo: Option<OsloPage>,
}

/// The section on the linked-data deliveries, as the templates show it.
#[derive(Debug, Serialize)]
pub struct OsloPage {
    pub leveringen: String,
    pub kolommen: Vec<String>,
    /// Per prison: name and cells.
    pub rijen: Vec<(String, Vec<String>)>,
    pub vlaanderen: Vec<String>,
    /// Per breakdown: its caption and (value, figure) lines.
    pub uitsplitsingen: Vec<(String, Vec<(String, String)>)>,
}

fn oslo_page(s: &crate::report::oslo::OsloSection, m: &Marks) -> OsloPage {
    let dim = |d: &str| match d {
        "domein" => "per beleidsdomein",
        "soort" => "per soort aanbod",
        "type" => "per soort personeel",
        "niveau" => "per beleidsniveau van de financierder",
        "karakter" => "structureel of eenmalig",
        "annulatiereden" => "per reden van annulering",
        _ => "per categorie",
    };
    OsloPage {
        leveringen: format!(
            "Uit de linked-data-leveringen in de OSLO-standaard \"Hulp- en Dienstverlening aan Gedetineerden\" voor {}: {}.",
            s.year,
            s.deliveries
                .iter()
                .map(|(f, who)| format!("{f} ({who})"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        kolommen: s
            .columns
            .iter()
            .map(|(t, u)| format!("{t} ({u})"))
            .collect(),
        rijen: s
            .prisons
            .iter()
            .map(|(p, cells)| {
                (
                    p.clone(),
                    cells.iter().map(|f| words::figure(f, m)).collect(),
                )
            })
            .collect(),
        vlaanderen: s.flanders.iter().map(|f| words::figure(f, m)).collect(),
        uitsplitsingen: s
            .breakdowns
            .iter()
            .map(|(t, d, cells)| {
                (
                    format!("{t}, {}", dim(d)),
                    cells
                        .iter()
                        .map(|(v, f)| (v.replace('_', " "), words::figure(f, m)))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// Which offer exists in which prison, as the templates show it.
#[derive(Debug, Serialize)]
pub struct OfferPage {
    /// Where the table comes from, in one sentence.
    pub bron: String,
    /// Domain columns.
    pub domeinen: Vec<String>,
    /// Per open prison: name, counts of group and individual offer, offers per domain.
    pub gevangenissen: Vec<OfferPrisonLine>,
    /// Per offer: in how many of the open prisons it exists.
    pub aanbod: Vec<OfferLine>,
    pub open_gevangenissen: usize,
}

#[derive(Debug, Serialize)]
pub struct OfferPrisonLine {
    pub gevangenis: String,
    pub groepsaanbod: usize,
    pub individueel: usize,
    /// Per domain: the offers' names joined, or `—`.
    pub cellen: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OfferLine {
    pub naam: String,
    pub soort: String,
    pub organisator: String,
    pub domein: String,
    pub gevangenissen: usize,
    /// Where, in words: `alle`, `alle behalve …` or `alleen …` (the shorter list).
    pub waar: String,
    pub sessiereeksen: String,
}

/// A funnel plot as the templates show it.
#[derive(Debug, Serialize)]
pub struct FunnelPage {
    pub id: String,
    pub titel: String,
    /// Inline SVG.
    pub grafiek: String,
    /// What the chart shows, in words (its text alternative).
    pub beschrijving: String,
    pub rijen: Vec<FunnelLine>,
}

#[derive(Debug, Serialize)]
pub struct FunnelLine {
    pub gevangenis: String,
    pub noemer: String,
    pub waarde: String,
    pub grenzen95: String,
    pub grenzen998: String,
    pub beoordeling: String,
    /// The local report's own prison.
    pub eigen: bool,
}

#[derive(Debug, Serialize)]
pub struct AccessLine {
    pub gevangenis: String,
    pub cellen: Vec<AccessCellLine>,
}

#[derive(Debug, Serialize)]
pub struct AccessCellLine {
    pub tekst: String,
    /// `hoog` or `laag` outside the control limits, else empty.
    pub buiten: String,
}

#[derive(Debug, Serialize)]
pub struct CohortPage {
    pub jaar: i32,
    pub grootte: String,
    /// Inline SVG of the curves "nog niet opnieuw opgesloten" (numbers only).
    pub grafiek: String,
    /// Per group: label, releases, risk within 1 and 2 years, median days.
    pub groepen: Vec<[String; 5]>,
    pub domeinen: Vec<String>,
    pub tabel: Vec<CourtLinePage>,
    pub verschillen: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct CourtLinePage {
    pub label: String,
    pub grootte: String,
    pub deelname: Vec<String>,
    pub werk_of_onderwijs: String,
    pub werk_k1: String,
    pub werk_k2: String,
    pub wederopsluiting_2j: String,
    pub km_2j: String,
    pub mediaan: String,
}

#[derive(Debug, Serialize)]
pub struct QualityPage {
    pub items: Vec<(String, String, String)>,
    pub bronnen: Vec<(String, String, String)>,
    pub ontbrekende_bronnen: Vec<String>,
    pub overgeslagen: Vec<String>,
    pub waarschuwingen: Vec<String>,
    /// The completeness matrix: the years (columns) and per expected delivery its label and
    /// one cell per year.
    pub volledigheid_jaren: Vec<String>,
    pub volledigheid: Vec<(String, Vec<String>)>,
    /// Indicators resting on incomplete deliveries, in words.
    pub onvolledig: Vec<String>,
    /// The deliveries with rows in the report year: their cells, replaced cells and lateness.
    pub register: Vec<RegisterLine>,
    /// Late deliveries, in words.
    pub te_laat: Vec<String>,
    /// The checks across sources: titel, ernst, gevangenis, partner, rijen (one row per
    /// prison and partner, or one row saying the rule found nothing or was skipped).
    pub controles: Vec<[String; 5]>,
    /// Each check's title and message.
    pub controles_uitleg: Vec<(String, String)>,
}

/// A delivery in the register, in words.
#[derive(Debug, Serialize)]
pub struct RegisterLine {
    pub bestand: String,
    pub leverancier: String,
    pub getrokken: String,
    pub rijen: String,
    /// The rows in use.
    pub gebruikt: String,
    /// The cells it covers with their rows: `CAW 2024: brugge (196), gent (415)`.
    pub cellen: String,
    /// Its cells replaced by later deliveries.
    pub vervangen: String,
    /// The cells it replaces in earlier deliveries.
    pub vervangt: String,
    pub te_laat: String,
}

#[derive(Debug, Serialize)]
pub struct MethodLine {
    pub id: String,
    pub titel: String,
    pub beschrijving: String,
    pub eenheid: String,
    pub teller: String,
    pub noemer: String,
    pub interpretatie: String,
    /// The sources in plain words (what they hold).
    pub bronnen: String,
    /// The sources by name, for the technical definition.
    pub bronbestanden: String,
    pub uitsplitsingen: String,
    pub methode: String,
    pub basislijn: String,
    pub doelen: String,
    pub toevalsmarge: bool,
}

#[derive(Debug, Serialize)]
pub struct ThresholdLine {
    pub op_koers: String,
    pub minimum_noemer: String,
    pub klein_aantal: String,
    pub kleine_noemer: String,
}

#[derive(Debug, Serialize)]
pub struct SourceLine {
    pub bron: String,
    pub bestand: String,
    pub sha256: String,
    pub rijen: String,
}

pub(crate) fn status_count(s: Status, n: usize) -> Count {
    Count {
        label: words::status(s).into(),
        aantal: n,
        toon: words::tone(s.tone()).into(),
    }
}

pub(crate) fn action_count(s: crate::model::ActionStatus, n: usize, sample: bool) -> Count {
    Count {
        label: words::action_status_marked(s, sample),
        aantal: n,
        toon: match s {
            crate::model::ActionStatus::Gerealiseerd => "goed",
            crate::model::ActionStatus::Vertraagd => "slecht",
            _ => "neutraal",
        }
        .into(),
    }
}

/// An action's title as shown: a provisional title is replaced by one clear mark.
pub(crate) fn action_title(t: &crate::report::yearly::Title) -> String {
    if t.provisional {
        "(titel nog over te nemen uit het goedgekeurde plan)".into()
    } else {
        t.text.clone()
    }
}

pub(crate) fn action_line(a: &crate::report::yearly::ActionRow, sample: bool) -> ActionLine {
    ActionLine {
        id: a.id.clone(),
        titel: action_title(&a.title),
        voorlopig: a.title.provisional,
        trekker: a.lead.clone(),
        status: words::action_status_marked(a.status, sample),
        toelichting: a.note.clone().unwrap_or_default(),
    }
}

/// The completeness matrix in words: per delivery series its label and one cell per year
/// of [`Completeness::years`] (empty outside its years), `te laat` where late.
fn completeness_lines(rows: &[Completeness], late: &[Late]) -> Vec<(String, Vec<String>)> {
    let years = Completeness::years(rows);
    rows.iter()
        .map(|r| {
            (
                format!(
                    "{} – {}{}",
                    r.supplier,
                    words::source(r.source),
                    if r.expected { "" } else { " (niet verwacht)" }
                ),
                years
                    .iter()
                    .map(|y| match r.arrived(*y) {
                        Some(a) => {
                            let mut w = words::delivered(a);
                            if let Some(l) = Late::of(late, r, *y) {
                                w.push_str(&format!(", {} te laat", words::days(l.days)));
                            }
                            w
                        }
                        None => String::new(),
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The register of the data-quality section in words.
fn register_lines(entries: &[RegisterEntry]) -> Vec<RegisterLine> {
    use crate::delivery_cell::{cells_summary, cells_text};
    entries
        .iter()
        .map(|e| RegisterLine {
            bestand: e.name.clone(),
            leverancier: match e.suppliers.len() {
                0..=3 => e.suppliers.join(", "),
                n => format!("{n} leveranciers"),
            },
            getrokken: e.extracted.map(super::nl_date_short).unwrap_or_default(),
            rijen: super::nl_number(e.rows as f64, 0),
            gebruikt: super::nl_number(e.used as f64, 0),
            cellen: if e.shared {
                cells_text(e.cells.iter().map(|(c, n)| (c, Some(*n))))
            } else {
                cells_summary(e.cells.iter().map(|(c, n)| (c, *n)))
            },
            vervangen: e
                .replaced
                .iter()
                .map(|r| r.by.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|by| {
                    format!(
                        "door {by}: {}",
                        cells_text(
                            e.replaced
                                .iter()
                                .filter(|r| r.by == by)
                                .map(|r| (&r.cell, Some(r.rows)))
                        )
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            vervangt: e
                .replaces
                .iter()
                .map(|(from, _)| from.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|from| {
                    format!(
                        "in {from}: {}",
                        cells_text(
                            e.replaces
                                .iter()
                                .filter(|(f, _)| f == from)
                                .map(|(_, r)| (&r.cell, Some(r.rows)))
                        )
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
            te_laat: e
                .late
                .map(|(due, days)| {
                    format!(
                        "getrokken {} na de termijn van {}",
                        words::days(days),
                        super::nl_date_short(due)
                    )
                })
                .unwrap_or_default(),
        })
        .collect()
}

pub(crate) fn indicator_line(r: &IndicatorRow, year: i32, m: &Marks) -> IndicatorLine {
    let unit = r.value.unit;
    let values: Vec<(i32, f64)> = r
        .series
        .iter()
        .filter_map(|(y, f)| f.value().map(|v| (*y, v)))
        .collect();
    // A series resting on sample values says so in its chart's title.
    let title = if r.series.iter().any(|(_, f)| f.sample) {
        format!("{} (VOORBEELD)", r.title)
    } else {
        r.title.clone()
    };
    let grafiek = super::chart::trend_svg(&super::chart::Trend {
        title: &title,
        unit: &r.unit_label,
        values: &values,
        band: &r.band,
        target_path: &r.path,
        breaks: &r.breaks,
        percent: unit == Unit::Percent,
    })
    .unwrap_or_default();
    IndicatorLine {
        id: r.id.clone(),
        titel: r.title.clone(),
        eenheid: r.unit_label.clone(),
        waarde: words::figure(&r.value, m),
        teller_noemer: words::fraction(r.fraction),
        interval: words::interval(r.assessment.interval),
        basislijn: r
            .baseline
            .map(|b| words::marked(unit, &b))
            .unwrap_or_else(|| "–".into()),
        doel: r
            .target
            .map(|t| words::marked(unit, &t))
            .unwrap_or_else(|| "geen doel".into()),
        verwacht: r
            .assessment
            .expected
            .map(|v| words::value(unit, v))
            .unwrap_or_default(),
        status: words::status(r.assessment.status).into(),
        toon: words::tone(r.assessment.status.tone()).into(),
        uitleg: words::plan_no_data(&r.no_data, year)
            .unwrap_or_else(|| words::reason(&r.assessment, unit, year)),
        reeks: r
            .series
            .iter()
            .map(|(y, f)| YearValue {
                jaar: *y,
                waarde: words::figure(f, m),
                interval: r
                    .band
                    .iter()
                    .find(|b| b.0 == *y)
                    .map(|b| words::interval(Some((b.1, b.2))))
                    .unwrap_or_default(),
                breuk: r.breaks.contains(y),
            })
            .collect(),
        uitsplitsingen: r
            .breakdowns
            .iter()
            .map(|b| BreakdownLine {
                titel: words::dimension(&b.dimension),
                cellen: b
                    .cells
                    .iter()
                    .map(|c| {
                        (
                            c.label.clone(),
                            words::figure(&c.value, m),
                            words::fraction(c.fraction),
                        )
                    })
                    .collect(),
            })
            .collect(),
        geteld_onder: r.counted_under.clone().unwrap_or_default(),
        geen_gegevens: r
            .no_data
            .iter()
            .map(|s| words::basis(*s))
            .collect::<Vec<_>>()
            .join(", "),
        onvolledig: words::missing_deliveries(&r.incomplete),
        grafiek,
    }
}

fn attention_line(a: &Attention, year: i32, m: &Marks, sample: bool) -> AttentionLine {
    match a {
        Attention::Indicator {
            id,
            title,
            objective,
            status,
            assessment,
            value,
        } => AttentionLine {
            anker: format!("ind-{id}"),
            wat: match objective {
                Some(o) => format!("{title} ({o})"),
                None => title.clone(),
            },
            waarom: format!(
                "{} in {year}: {}; {}",
                words::figure(value, m),
                words::status(*status),
                words::reason(assessment, value.unit, year)
            ),
        },
        Attention::Action {
            id,
            title,
            objective,
            note,
        } => AttentionLine {
            anker: objective.clone(),
            wat: if title.provisional {
                format!("Actie {id} {}", action_title(title))
            } else {
                format!("Actie {id}: {}", title.text)
            },
            waarom: {
                let status =
                    words::action_status_marked(crate::model::ActionStatus::Vertraagd, sample);
                match note {
                    Some(n) => format!("{status}: {n}"),
                    None => status,
                }
            },
        },
        Attention::NoData { id, title, sources } => AttentionLine {
            anker: format!("ind-{id}"),
            wat: title.clone(),
            waarom: format!(
                "geen gegevens voor {year} in {}",
                sources
                    .iter()
                    .map(|s| words::basis(*s))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    }
}

/// The page the HTML and Markdown templates fill.
pub fn page(r: &YearReport, m: &Marks) -> Page {
    let year = r.year;
    Page {
        jaar: year,
        vorig_jaar: year - 1,
        plan_titel: r.plan_title.clone(),
        plan_versie: r.plan_version.label.clone(),
        run: r.run.clone(),
        voorbeeld: r.uses_samples,
        statussen_voorbeeld: r.sample_statuses,
        samenvatting: summary_lines(r),
        indicatoren_telling: r
            .indicator_counts
            .iter()
            .map(|(s, n)| status_count(*s, *n))
            .collect(),
        context_telling: r
            .context_counts
            .iter()
            .map(|(s, n)| status_count(*s, *n))
            .collect(),
        bewegers: mover_lines(r),
        aandacht: r
            .attention
            .iter()
            .map(|a| attention_line(a, year, m, r.sample_statuses))
            .collect(),
        doelstellingen: objective_pages(r, m),
        overige: r
            .context
            .iter()
            .map(|i| indicator_line(i, year, m))
            .collect(),
        gelijke_toegang: access_page(r, m),
        cohorten: cohort_pages(&r.cohorts, m),
        kwaliteit: quality_page(r, m),
        methode: method_lines(r),
        afscherming: ProtectionLine::of(&r.protection),
        drempels: ThresholdLine {
            op_koers: format!("{} %", super::nl_number(100.0 * r.thresholds.on_track, 0)),
            minimum_noemer: super::nl_number(r.thresholds.min_denominator, 0),
            klein_aantal: r.thresholds.small_label.clone(),
            kleine_noemer: super::nl_number(r.thresholds.small_denominator, 0),
        },
        goedkeuring: r.approval.as_ref().map(|a| approval_page(a, m)),
        herkomst: r
            .provenance
            .iter()
            .map(|p| SourceLine {
                bron: p.source.name().into(),
                bestand: p.file.clone(),
                sha256: p.sha256.clone(),
                rijen: super::nl_number(p.rows as f64, 0),
            })
            .collect(),
    }
}

/// The summary: per objective the actions and indicators per status and what needs attention.
fn summary_lines(r: &YearReport) -> Vec<SummaryLine> {
    r.summary
        .iter()
        .map(|o| SummaryLine {
            id: o.id.clone(),
            titel: o.title.clone(),
            acties: o
                .actions
                .iter()
                .map(|(s, n)| action_count(*s, *n, r.sample_statuses))
                .collect(),
            indicatoren: o
                .indicators
                .iter()
                .map(|(s, n)| status_count(*s, *n))
                .collect(),
            aandacht: o
                .off_track
                .iter()
                .map(|(id, title)| Link {
                    anker: format!("ind-{id}"),
                    tekst: title.clone(),
                })
                .chain(o.delayed.iter().map(|id| Link {
                    anker: format!("actie-{id}"),
                    tekst: if r.sample_statuses {
                        format!("actie {id} (vertraagd, VOORBEELD)")
                    } else {
                        format!("actie {id} (vertraagd)")
                    },
                }))
                .collect(),
        })
        .collect()
}

/// The indicators that moved most since last year, in words.
fn mover_lines(r: &YearReport) -> Vec<MoverLine> {
    r.movers
        .iter()
        .map(|mv| {
            let decimals = match mv.change {
                Change::Points(d) => d.decimals,
                Change::Relative(_) => 1,
            };
            MoverLine {
                id: mv.id.clone(),
                titel: mv.title.clone(),
                van: words::value_at(mv.unit, mv.from, decimals),
                naar: words::value_at(mv.unit, mv.to, decimals),
                verandering: match mv.change {
                    Change::Points(d) => words::points_change(&d),
                    Change::Relative(f) => format!("{} %", words::signed(100.0 * f, 1)),
                },
                beoordeling: {
                    let verdict = match (mv.better, mv.significant) {
                        (_, Some(false)) => "binnen de toevalsmarge",
                        (Some(true), _) => "gunstig",
                        (Some(false), _) => "ongunstig",
                        (None, _) => "context",
                    };
                    if mv.sample {
                        format!("{verdict}; VOORBEELD")
                    } else {
                        verdict.into()
                    }
                },
            }
        })
        .collect()
}

/// Per objective its actions and indicators.
fn objective_pages(r: &YearReport, m: &Marks) -> Vec<ObjectivePage> {
    let year = r.year;
    r.objectives
        .iter()
        .map(|o| ObjectivePage {
            id: o.id.clone(),
            titel: o.title.clone(),
            acties: o
                .actions
                .iter()
                .map(|a| action_line(a, r.sample_statuses))
                .collect(),
            actie_telling: o
                .action_counts
                .iter()
                .map(|(s, n)| action_count(*s, *n, r.sample_statuses))
                .collect(),
            vertraagd: o
                .actions
                .iter()
                .filter(|a| a.status == crate::model::ActionStatus::Vertraagd)
                .map(|a| action_line(a, r.sample_statuses))
                .collect(),
            indicatoren: o
                .indicators
                .iter()
                .map(|i| indicator_line(i, year, m))
                .collect(),
        })
        .collect()
}

/// The data-quality section.
fn quality_page(r: &YearReport, m: &Marks) -> QualityPage {
    let year = r.year;
    QualityPage {
        items: r
            .quality
            .figures
            .iter()
            .map(|q| {
                (
                    q.title.clone(),
                    words::figure(&q.value, m),
                    q.meaning.clone(),
                )
            })
            .collect(),
        bronnen: r
            .quality
            .coverage
            .iter()
            .map(|c| {
                (
                    words::source(c.source),
                    words::year_ranges(&c.years),
                    if c.has(year) {
                        "ja".to_string()
                    } else {
                        "nee: geen gegevens".to_string()
                    },
                )
            })
            .collect(),
        ontbrekende_bronnen: r
            .quality
            .missing_sources
            .iter()
            .map(|s| words::source(*s))
            .collect(),
        overgeslagen: r
            .quality
            .skipped
            .iter()
            .map(|(id, m)| {
                format!(
                    "{id}: ontbrekende bron(nen) {}",
                    m.iter().map(|s| s.name()).collect::<Vec<_>>().join(", ")
                )
            })
            .collect(),
        waarschuwingen: r.quality.warnings.clone(),
        volledigheid_jaren: Completeness::years(&r.quality.completeness)
            .iter()
            .map(|y| y.to_string())
            .collect(),
        volledigheid: completeness_lines(&r.quality.completeness, &r.quality.late),
        onvolledig: r
            .quality
            .incomplete
            .iter()
            .map(|i| format!("{}: {}", i.title, words::missing_deliveries(&i.missing)))
            .collect(),
        register: register_lines(&r.quality.register),
        te_laat: r
            .quality
            .late
            .iter()
            .map(|l| words::late_year(l, super::nl_date))
            .collect(),
        controles: check_rows(&r.quality.checks)
            .into_iter()
            .map(|(title, ernst, prison, partner, rows)| {
                let rows = match rows {
                    CheckRows::Count(n) => super::nl_number(n as f64, 0),
                    CheckRows::Small => m.small_label.clone(),
                    CheckRows::None => "0 (in orde)".into(),
                    CheckRows::Skipped(why) => why,
                };
                [title, ernst.into(), prison, partner, rows]
            })
            .collect(),
        controles_uitleg: r
            .quality
            .checks
            .iter()
            .map(|o| (o.title.clone(), o.message.clone()))
            .chain(r.quality.checks.iter().flat_map(|o| {
                o.accepted.iter().map(|a| {
                    (
                        format!("{} (aanvaard)", o.title),
                        format!(
                            "{} rij(en) in {}, aanvaard tot {}: {}",
                            if a.small {
                                m.small_label.clone()
                            } else {
                                a.rows.to_string()
                            },
                            a.delivery,
                            super::nl_date(a.until),
                            a.reason
                        ),
                    )
                })
            }))
            .collect(),
    }
}

fn group_label(participated: bool) -> String {
    if participated {
        "deelname aan werk of onderwijs".into()
    } else {
        "geen deelname aan werk of onderwijs".into()
    }
}

fn history_label(long: Option<bool>) -> String {
    match long {
        Some(true) => "lange detentiegeschiedenis".into(),
        Some(false) => "geen lange detentiegeschiedenis".into(),
        None => "hele cohorte".into(),
    }
}

/// An adjusted difference in words a commission member reads without statistics.
fn difference_sentence(
    d: Option<&crate::cohort::Difference>,
    what: &str,
    better_when_lower: bool,
) -> String {
    let Some((v, lo, hi)) = d.and_then(|d| Some((d.value?, d.low?, d.high?))) else {
        return format!(
            "{}: te weinig vrijlatingen in vergelijkbare groepen om een verschil te berekenen.",
            capitalise(what)
        );
    };
    let dir = if v < 0.0 { "lager" } else { "hoger" };
    let mut s = format!(
        "Bij vergelijkbaar detentieverleden lag {what} bij wie tijdens de detentie aan werk of onderwijs deelnam {} procentpunt {dir} dan bij de anderen (95%-interval {} tot {} procentpunt)",
        super::nl_number(v.abs(), 1),
        words::signed(lo, 1),
        words::signed(hi, 1)
    );
    if lo <= 0.0 && hi >= 0.0 {
        s.push_str("; het verschil valt binnen de toevalsmarge.");
    } else if (v < 0.0) == better_when_lower {
        s.push_str(": gunstig voor de deelnemers.");
    } else {
        s.push_str(": ongunstig voor de deelnemers.");
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

fn cohort_pages(c: &crate::report::cohort::CohortReport, m: &Marks) -> Vec<CohortPage> {
    c.cohorts
        .iter()
        .map(|b| CohortPage {
            jaar: b.year,
            grootte: words::figure(&b.size, m),
            grafiek: super::survival::survival_svg(&b.curves, 730).unwrap_or_default(),
            groepen: b
                .groups
                .iter()
                .map(|g| {
                    [
                        group_label(g.participated),
                        words::figure(&g.rows, m),
                        words::figure(&g.km_1j, m),
                        words::figure(&g.km_2j, m),
                        words::figure(&g.median_days, m),
                    ]
                })
                .collect(),
            domeinen: b.domains.clone(),
            tabel: b
                .court
                .iter()
                .map(|l| CourtLinePage {
                    label: history_label(l.long_history),
                    grootte: words::figure(&l.size, m),
                    deelname: l
                        .participation
                        .iter()
                        .map(|f| words::figure(f, m))
                        .collect(),
                    werk_of_onderwijs: words::figure(&l.work_or_education, m),
                    werk_k1: words::figure(&l.work_q1, m),
                    werk_k2: words::figure(&l.work_q2, m),
                    wederopsluiting_2j: words::figure(&l.reincarcerated_two_years, m),
                    km_2j: words::figure(&l.km_2j, m),
                    mediaan: words::figure(&l.median_days, m),
                })
                .collect(),
            verschillen: vec![
                difference_sentence(
                    b.difference_reincarceration.as_ref(),
                    "de wederopsluiting binnen twee jaar",
                    true,
                ),
                difference_sentence(
                    b.difference_work.as_ref(),
                    "het aandeel met werk in het eerste kwartaal na vrijlating",
                    false,
                ),
            ],
        })
        .collect()
}

fn access_page(r: &YearReport, m: &Marks) -> AccessPage {
    let a = &r.equal_access;
    let mut buiten = Vec::new();
    for f in &a.funnels {
        buiten.extend(words::funnel_findings(f));
    }
    AccessPage {
        kolommen: a
            .columns
            .iter()
            .map(|c| format!("{} ({})", c.title, c.unit_label))
            .collect(),
        rijen: a
            .rows
            .iter()
            .map(|row| AccessLine {
                gevangenis: row.prison.clone(),
                cellen: row
                    .cells
                    .iter()
                    .map(|c| AccessCellLine {
                        tekst: words::figure(&c.value, m),
                        buiten: match c.position {
                            Some(Position::Above) => "hoog".into(),
                            Some(Position::Below) => "laag".into(),
                            _ => String::new(),
                        },
                    })
                    .collect(),
            })
            .collect(),
        vlaanderen: a.flanders.iter().map(|f| words::figure(f, m)).collect(),
        gesloten: a
            .closed
            .iter()
            .map(|p| match (p.opened, p.closed) {
                (_, Some(c)) => format!("{} (gesloten sinds {})", p.name, super::nl_date(c)),
                (Some(o), None) => format!("{} (open sinds {})", p.name, super::nl_date(o)),
                _ => p.name.clone(),
            })
            .collect(),
        noemers: a
            .columns
            .iter()
            .zip(&a.denominators)
            .filter_map(|(c, d)| {
                let (sum, fl) = (*d)?;
                (sum > fl).then(|| {
                    format!(
                        "{}: de noemers van de gevangenissen tellen samen {} tegenover {} in Vlaanderen, omdat wie in het jaar in meer gevangenissen verbleef in elke gevangenis telt. Per gevangenis telt alleen de deelname in die gevangenis, voor Vlaanderen de deelname in eender welke gevangenis; daarom ligt het Vlaamse cijfer hoger dan dat van de meeste gevangenissen.",
                        c.title,
                        super::nl_number(sum, 0),
                        super::nl_number(fl, 0)
                    )
                })
            })
            .collect(),
        buiten,
        trechters: a
            .funnels
            .iter()
            .filter(|f| f.plot)
            .map(|f| funnel_page(f, None))
            .collect(),
        aanbod: offer_page(&a.offers, r.year),
        oslo: a.oslo.as_ref().map(|s| oslo_page(s, m)),
    }
}

fn offer_page(t: &OfferTable, year: i32) -> OfferPage {
    OfferPage {
        bron: words::offer_basis(t.basis, year),
        domeinen: t.domains.clone(),
        gevangenissen: t
            .prisons
            .iter()
            .map(|p| OfferPrisonLine {
                gevangenis: p.prison.clone(),
                groepsaanbod: p.group,
                individueel: p.individual,
                cellen: p
                    .per_domain
                    .iter()
                    .map(|names| {
                        if names.is_empty() {
                            "—".into()
                        } else {
                            names.join(", ")
                        }
                    })
                    .collect(),
            })
            .collect(),
        aanbod: t
            .offers
            .iter()
            .map(|o| OfferLine {
                naam: o.name.clone(),
                soort: words::offer_kind(o.kind).into(),
                organisator: o.organiser.clone(),
                domein: o.domain.clone(),
                gevangenissen: o.prisons.len(),
                waar: {
                    let (here, not): (Vec<_>, Vec<_>) =
                        t.prisons.iter().partition(|p| o.prisons.contains(&p.code));
                    let names = |v: Vec<&crate::report::offer::PrisonOffers>| {
                        v.iter()
                            .map(|p| p.prison.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    if not.is_empty() {
                        "alle".into()
                    } else if here.len() * 2 >= t.prisons.len() {
                        format!("alle behalve {}", names(not))
                    } else {
                        format!("alleen {}", names(here))
                    }
                },
                sessiereeksen: o
                    .series
                    .map_or_else(|| "—".into(), |n| super::nl_number(n as f64, 0)),
            })
            .collect(),
        open_gevangenissen: t.prisons.len(),
    }
}

/// A funnel plot with its text alternative: the chart, what it shows in words and its data.
pub(crate) fn funnel_page(f: &Funnel, own: Option<&str>) -> FunnelPage {
    FunnelPage {
        id: f.indicator.clone(),
        titel: f.title.clone(),
        grafiek: super::chart::funnel_svg(f, own, "noemer (personen of gebeurtenissen)")
            .unwrap_or_default(),
        beschrijving: words::funnel_description(f),
        rijen: f
            .points
            .iter()
            .map(|p| FunnelLine {
                gevangenis: p.prison.clone(),
                noemer: super::nl_number(p.denominator, 0),
                waarde: words::value(Unit::Percent, p.rate),
                grenzen95: words::interval(Some(p.limits95)),
                grenzen998: words::interval(Some(p.limits998)),
                beoordeling: words::position(p.position).into(),
                eigen: own == Some(p.code.as_str()),
            })
            .collect(),
    }
}

/// The workbook rows of an indicator's series: one per year, the figure as published and the
/// mark of a break in the series.
pub(crate) fn series_rows(i: &IndicatorRow, m: &Marks) -> Vec<Vec<XCell>> {
    i.series
        .iter()
        .map(|(y, f)| {
            vec![
                XCell::T(i.title.clone()),
                XCell::T(i.unit_label.clone()),
                XCell::Year(*y),
                figure_cell(f, m),
                if i.breaks.contains(y) {
                    XCell::T("breuk: nieuwe definitie vanaf dit jaar".into())
                } else {
                    XCell::Empty
                },
            ]
        })
        .collect()
}

/// The sheet of the series (yearly report and final evaluation).
pub(crate) fn series_sheet(
    wb: &mut rust_xlsxwriter::Workbook,
    rows: &[Vec<XCell>],
    notes: &[String],
) -> Result<()> {
    write_sheet(
        wb,
        &SheetSpec {
            name: "Reeksen",
            header: &[
                "indicator",
                "eenheid",
                "jaar",
                "waarde (na afscherming)",
                "reeksbreuk",
            ],
            rows,
            notes,
        },
    )
}

/// The yearly report as a file of format `f`.
pub(crate) fn file(
    env: &minijinja::Environment,
    r: &YearReport,
    m: &Marks,
    f: super::Format,
) -> Result<Vec<u8>> {
    match f {
        super::Format::Html => Ok(super::render(env, "jaarrapport.html", page(r, m))?.into_bytes()),
        super::Format::Md => Ok(super::render(env, "jaarrapport.md", page(r, m))?.into_bytes()),
        super::Format::Xlsx => workbook(r, m),
        other => Err(super::unsupported("het jaarrapport", other)),
    }
}

/// The workbook: one sheet per section, every figure a number with its format.
pub fn workbook(r: &YearReport, m: &Marks) -> Result<Vec<u8>> {
    let mut wb = new_workbook(format!("Jaarrapport {}", r.year), &r.run.generated)?;
    let cx = Book {
        r,
        m,
        marks_note: vec![marks_note(m)],
    };
    let page = access_page(r, m);
    sheet_summary(&mut wb, &cx)?;
    sheet_indicators(&mut wb, &cx)?;
    sheet_series(&mut wb, &cx)?;
    sheet_actions(&mut wb, &cx)?;
    sheet_access(&mut wb, &cx, &page)?;
    sheet_offers(&mut wb, &cx, &page)?;
    sheet_oslo(&mut wb, &cx)?;
    sheet_funnels(&mut wb, &cx)?;
    sheet_cohorts(&mut wb, &cx)?;
    sheet_quality(&mut wb, &cx)?;
    sheet_checks(&mut wb, &cx)?;
    sheet_deliveries(&mut wb, &cx)?;
    sheet_register(&mut wb, &cx)?;
    sheet_method(&mut wb, &cx)?;
    sheet_provenance(&mut wb, &cx)?;
    sheet_approval(&mut wb, &cx)?;
    wb.save_to_buffer().map_err(|e| {
        crate::error::Error::Render(format!("de werkmap kan niet gemaakt worden: {e}"))
    })
}

/// What every sheet of the yearly workbook reads.
struct Book<'a> {
    r: &'a YearReport,
    m: &'a Marks,
    /// The note on the marks, under most sheets.
    marks_note: Vec<String>,
}

/// The summary sheet: actions and indicators per status and objective.
fn sheet_summary(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, .. } = cx;
    let mut summary = Vec::new();
    for o in &r.summary {
        for (s, n) in &o.actions {
            summary.push(vec![
                XCell::T(o.id.clone()),
                XCell::T(o.title.clone()),
                XCell::T("acties".into()),
                XCell::T(words::action_status_marked(*s, r.sample_statuses)),
                XCell::Int(*n as f64),
            ]);
        }
        for (s, n) in &o.indicators {
            summary.push(vec![
                XCell::T(o.id.clone()),
                XCell::T(o.title.clone()),
                XCell::T("indicatoren".into()),
                XCell::T(words::status(*s).into()),
                XCell::Int(*n as f64),
            ]);
        }
    }
    write_sheet(
        wb,
        &SheetSpec {
            name: "Samenvatting",
            header: &["doelstelling", "titel", "soort", "status", "aantal"],
            rows: &summary,
            notes: &[
                "Elke indicator telt één keer, onder de eerste doelstelling die ze volgt."
                    .to_string(),
                format!("Getoetst aan: {}, {}.", r.plan_title, r.plan_version.label),
            ],
        },
    )?;
    Ok(())
}

/// The indicators sheet: every figure with its baseline, target and assessment.
fn sheet_indicators(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, m, marks_note } = cx;
    let sample_note = match (r.uses_samples, r.sample_statuses) {
        (true, true) => {
            "VOORBEELD = basislijn of doel is een voorbeeldwaarde, geen beslissing van de gemengde commissie, of de waarde rust op de voorbeeldstatussen van de acties."
        }
        (true, false) => {
            "VOORBEELD = basislijn of doel is een voorbeeldwaarde, geen beslissing van de gemengde commissie."
        }
        (false, true) => {
            "VOORBEELD = de waarde rust op de voorbeeldstatussen van de acties, niet op de opvolging door de gemengde commissie."
        }
        (false, false) => "",
    };
    let mut inds = Vec::new();
    let sections = r
        .objectives
        .iter()
        .flat_map(|o| o.indicators.iter().map(move |i| (o.id.as_str(), i)))
        .chain(r.context.iter().map(|i| ("context", i)));
    for (o, i) in sections {
        let unit = i.value.unit;
        inds.push(vec![
            XCell::T(o.into()),
            XCell::T(i.title.clone()),
            XCell::T(i.unit_label.clone()),
            figure_cell(&i.value, m),
            opt_cell(Unit::Whole, i.fraction.map(|f| f.0)),
            opt_cell(Unit::Whole, i.fraction.map(|f| f.1)),
            opt_cell(Unit::Percent, i.assessment.interval.map(|x| x.0)),
            opt_cell(Unit::Percent, i.assessment.interval.map(|x| x.1)),
            opt_cell(unit, i.baseline.map(|b| b.value)),
            i.baseline.map_or(XCell::Empty, |b| XCell::Year(b.year)),
            opt_cell(unit, i.target.map(|t| t.value)),
            i.target.map_or(XCell::Empty, |t| XCell::Year(t.year)),
            XCell::T(
                if i.value.sample
                    || i.baseline.is_some_and(|b| b.sample)
                    || i.target.is_some_and(|t| t.sample)
                {
                    "VOORBEELD".into()
                } else {
                    String::new()
                },
            ),
            opt_cell(unit, i.assessment.expected),
            XCell::T(words::status(i.assessment.status).into()),
            XCell::T(
                words::plan_no_data(&i.no_data, r.year)
                    .unwrap_or_else(|| words::reason(&i.assessment, unit, r.year)),
            ),
        ]);
    }
    let mut notes = marks_note.clone();
    if !sample_note.is_empty() {
        notes.push(sample_note.into());
    }
    write_sheet(
        wb,
        &SheetSpec {
            name: "Indicatoren",
            header: &[
                "doelstelling",
                "indicator",
                "eenheid",
                "waarde",
                "teller",
                "noemer",
                "95%-interval van",
                "95%-interval tot",
                "basislijn",
                "basislijnjaar",
                "doel",
                "doeljaar",
                "voorbeeldwaarden",
                "verwacht op het pad",
                "status",
                "toelichting",
            ],
            rows: &inds,
            notes: &notes,
        },
    )?;
    Ok(())
}

/// The series sheet: the years of every indicator counted once.
fn sheet_series(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, m, marks_note } = cx;
    let mut series = Vec::new();
    for i in r
        .objectives
        .iter()
        .flat_map(|o| &o.indicators)
        .filter(|i| i.counted_under.is_none())
        .chain(&r.context)
    {
        series.extend(series_rows(i, m));
    }
    series_sheet(wb, &series, marks_note)?;
    Ok(())
}

/// The actions sheet: every action of the plan with its status.
fn sheet_actions(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, .. } = cx;
    let acts: Vec<Vec<XCell>> = r
        .objectives
        .iter()
        .flat_map(|o| {
            o.actions.iter().map(move |a| {
                vec![
                    XCell::T(o.id.clone()),
                    XCell::T(a.id.clone()),
                    XCell::T(action_title(&a.title)),
                    XCell::T(a.lead.clone()),
                    XCell::T(words::action_status_marked(a.status, r.sample_statuses)),
                    XCell::T(a.note.clone().unwrap_or_default()),
                ]
            })
        })
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Acties",
            header: &[
                "doelstelling",
                "actie",
                "titel",
                "trekker",
                "status",
                "toelichting",
            ],
            rows: &acts,
            notes: &[],
        },
    )?;
    Ok(())
}

/// The equal-access sheet: the figures per prison and for Flanders.
fn sheet_access(wb: &mut rust_xlsxwriter::Workbook, cx: &Book, page: &AccessPage) -> Result<()> {
    let Book { r, m, marks_note } = cx;
    let a = &r.equal_access;
    let mut header = vec!["gevangenis".to_string()];
    header.extend(
        a.columns
            .iter()
            .map(|c| format!("{} ({})", c.title, c.unit_label)),
    );
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut access: Vec<Vec<XCell>> = a
        .rows
        .iter()
        .map(|row| {
            std::iter::once(XCell::T(row.prison.clone()))
                .chain(row.cells.iter().map(|c| figure_cell(&c.value, m)))
                .collect()
        })
        .collect();
    access.push(
        std::iter::once(XCell::T("Vlaanderen".into()))
            .chain(a.flanders.iter().map(|f| figure_cell(f, m)))
            .collect(),
    );
    let mut access_notes = marks_note.clone();
    access_notes.extend(page.buiten.iter().cloned());
    access_notes.extend(page.noemers.iter().cloned());
    if !page.gesloten.is_empty() {
        access_notes.push(format!(
            "Niet vergeleken (gesloten of nog niet open in {}): {}.",
            r.year,
            page.gesloten.join(", ")
        ));
    }
    write_sheet(
        wb,
        &SheetSpec {
            name: "Gelijke toegang",
            header: &header_refs,
            rows: &access,
            notes: &access_notes,
        },
    )?;
    Ok(())
}

/// The sheet of the offer per prison.
fn sheet_offers(wb: &mut rust_xlsxwriter::Workbook, cx: &Book, page: &AccessPage) -> Result<()> {
    let Book { r, .. } = cx;
    let a = &r.equal_access;
    let offer_rows: Vec<Vec<XCell>> = a
        .offers
        .cells
        .iter()
        .map(|c| {
            vec![
                XCell::T(c.prison.clone()),
                XCell::T(c.domain.clone()),
                XCell::T(c.name.clone()),
                XCell::T(words::offer_kind(c.kind).into()),
                XCell::T(c.organiser.clone()),
                c.series.map_or(XCell::Empty, |n| XCell::Int(n as f64)),
            ]
        })
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Aanbod per gevangenis",
            header: &[
                "gevangenis",
                "domein",
                "aanbod",
                "soort aanbod",
                "organisator",
                "sessiereeksen",
            ],
            rows: &offer_rows,
            notes: std::slice::from_ref(&page.aanbod.bron),
        },
    )?;
    Ok(())
}

/// The sheet of the OSLO deliveries, when there are any.
fn sheet_oslo(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, m, .. } = cx;
    let a = &r.equal_access;
    if let Some(s) = &a.oslo {
        let header: Vec<String> = std::iter::once("gevangenis".to_string())
            .chain(s.columns.iter().map(|(t, u)| format!("{t} ({u})")))
            .collect();
        let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<XCell>> = s
            .prisons
            .iter()
            .map(|(p, cells)| (p.clone(), cells))
            .chain(std::iter::once(("Vlaanderen".to_string(), &s.flanders)))
            .map(|(p, cells)| {
                std::iter::once(XCell::T(p))
                    .chain(cells.iter().map(|f| figure_cell(f, m)))
                    .collect()
            })
            .collect();
        let page = oslo_page(s, m);
        let mut notes = vec![page.leveringen.clone()];
        notes.extend(page.uitsplitsingen.iter().map(|(t, l)| {
            format!(
                "{t}: {}.",
                l.iter()
                    .map(|(v, f)| format!("{v} {f}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }));
        write_sheet(
            wb,
            &SheetSpec {
                name: "OSLO-leveringen",
                header: &header_refs,
                rows: &rows,
                notes: &notes,
            },
        )?;
    }
    Ok(())
}

/// The sheet behind the funnel plots: control limits per prison.
fn sheet_funnels(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, .. } = cx;
    let a = &r.equal_access;
    let funnel_rows: Vec<Vec<XCell>> = a
        .funnels
        .iter()
        .flat_map(|f| {
            f.points.iter().map(|p| {
                vec![
                    XCell::T(f.title.clone()),
                    XCell::T(p.prison.clone()),
                    XCell::Int(p.numerator),
                    XCell::Int(p.denominator),
                    XCell::Pct(p.rate),
                    XCell::Pct(f.centre),
                    XCell::Pct(p.limits95.0),
                    XCell::Pct(p.limits95.1),
                    XCell::Pct(p.limits998.0),
                    XCell::Pct(p.limits998.1),
                    XCell::T(words::position(p.position).into()),
                ]
            })
        })
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Trechtergrafieken",
            header: &[
                "indicator",
                "gevangenis",
                "teller",
                "noemer",
                "percentage",
                "gevangenissen samen",
                "95%-grens laag",
                "95%-grens hoog",
                "99,8%-grens laag",
                "99,8%-grens hoog",
                "beoordeling",
            ],
            rows: &funnel_rows,
            notes: &["Controlegrenzen rond het percentage van de gevangenissen samen (som van de tellers / som van de noemers), met de benadering door de normale verdeling: p ± z·√(p(1−p)/n), z = 1,96 (95 %) en 3,09 (99,8 %). Alleen gepubliceerde cijfers van gevangenissen die in het jaar open waren.".to_string()],
        },
    )?;
    Ok(())
}

/// The sheet of the release cohorts.
fn sheet_cohorts(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, m, marks_note } = cx;
    let mut cohort_rows: Vec<Vec<XCell>> = Vec::new();
    for b in &r.cohorts.cohorts {
        for l in &b.court {
            cohort_rows.push(vec![
                XCell::Year(b.year),
                XCell::T(history_label(l.long_history)),
                figure_cell(&l.size, m),
                figure_cell(&l.work_or_education, m),
                figure_cell(&l.work_q1, m),
                figure_cell(&l.work_q2, m),
                figure_cell(&l.reincarcerated_two_years, m),
                figure_cell(&l.km_2j, m),
                figure_cell(&l.median_days, m),
            ]);
        }
    }
    let mut cohort_notes = marks_note.clone();
    cohort_notes
        .push("Samenhang in geregistreerde gegevens, geen gemeten effect van de deelname.".into());
    for p in cohort_pages(&r.cohorts, m) {
        for v in p.verschillen {
            cohort_notes.push(format!("Cohorte {}: {v}", p.jaar));
        }
    }
    write_sheet(
        wb,
        &SheetSpec {
            name: "Na de vrijlating",
            header: &[
                "cohorte (jaar van vrijlating)",
                "detentieverleden",
                "vrijlatingen",
                "deelname aan werk of onderwijs",
                "werk in kwartaal 1",
                "werk in kwartaal 2",
                "wederopsluiting binnen 2 jaar (volledige opvolging)",
                "wederopsluiting binnen 2 jaar (Kaplan-Meier)",
                "mediaan dagen tot wederopsluiting",
            ],
            rows: &cohort_rows,
            notes: &cohort_notes,
        },
    )?;
    Ok(())
}

/// The data-quality sheet.
fn sheet_quality(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, m, .. } = cx;
    let mut quality: Vec<Vec<XCell>> = r
        .quality
        .figures
        .iter()
        .map(|q| {
            vec![
                XCell::T(q.title.clone()),
                figure_cell(&q.value, m),
                XCell::T(q.meaning.clone()),
            ]
        })
        .collect();
    for c in &r.quality.coverage {
        quality.push(vec![
            XCell::T(format!("jaren met gegevens: {}", words::source(c.source))),
            XCell::Empty,
            XCell::T(words::year_ranges(&c.years)),
        ]);
    }
    for s in &r.quality.missing_sources {
        quality.push(vec![
            XCell::T("ontbrekende bron".into()),
            XCell::Empty,
            XCell::T(words::source(*s)),
        ]);
    }
    for w in &r.quality.warnings {
        quality.push(vec![
            XCell::T("waarschuwing bij het inlezen".into()),
            XCell::Empty,
            XCell::T(w.clone()),
        ]);
    }
    for i in &r.quality.incomplete {
        quality.push(vec![
            XCell::T(format!("onvolledige levering: {}", i.title)),
            XCell::Empty,
            XCell::T(words::missing_deliveries(&i.missing)),
        ]);
    }
    for l in &r.quality.late {
        quality.push(vec![
            XCell::T("te laat".into()),
            XCell::Int(l.days as f64),
            XCell::T(words::late_year(l, super::nl_date)),
        ]);
    }
    write_sheet(
        wb,
        &SheetSpec {
            name: "Datakwaliteit",
            header: &["onderwerp", "waarde", "toelichting"],
            rows: &quality,
            notes: &[],
        },
    )?;
    Ok(())
}

/// The sheet of the checks across sources, when there are any.
fn sheet_checks(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, m, .. } = cx;
    if !r.quality.checks.is_empty() {
        let rows: Vec<Vec<XCell>> = check_rows(&r.quality.checks)
            .into_iter()
            .map(|(title, ernst, prison, partner, rows)| {
                let (n, note) = match rows {
                    CheckRows::Count(n) => (XCell::Int(n as f64), XCell::Empty),
                    CheckRows::Small => (XCell::T(m.small_label.clone()), XCell::Empty),
                    CheckRows::None => (XCell::Int(0.0), XCell::T("in orde".into())),
                    CheckRows::Skipped(why) => (XCell::Empty, XCell::T(why)),
                };
                vec![
                    XCell::T(title),
                    XCell::T(ernst.into()),
                    XCell::T(prison),
                    XCell::T(partner),
                    n,
                    note,
                ]
            })
            .collect();
        write_sheet(
            wb,
            &SheetSpec {
                name: "Controles",
                header: &[
                    "controle",
                    "ernst",
                    "gevangenis",
                    "partner",
                    "rijen",
                    "toelichting",
                ],
                rows: &rows,
                notes: &std::iter::once(format!(
                    "Controles over de bronnen heen (plans/controles.yaml), rijen van {} of open op 31 december; alleen aantallen, geen personen.",
                    r.year
                ))
                .chain(
                    r.quality
                        .checks
                        .iter()
                        .map(|o| format!("{}: {}", o.title, o.message)),
                )
                .collect::<Vec<_>>(),
            },
        )?;
    }
    Ok(())
}

/// The sheet of the expected deliveries, when there are any.
fn sheet_deliveries(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, .. } = cx;
    if !r.quality.completeness.is_empty() {
        let years = Completeness::years(&r.quality.completeness);
        let header: Vec<String> = ["leverancier".to_string(), "bron".to_string()]
            .into_iter()
            .chain(years.iter().map(|y| y.to_string()))
            .collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<XCell>> = r
            .quality
            .completeness
            .iter()
            .map(|c| {
                [
                    XCell::T(c.supplier.clone()),
                    XCell::T(words::source(c.source)),
                ]
                .into_iter()
                .chain(years.iter().map(|y| match c.arrived(*y) {
                    Some(Arrived::Rows { rows, .. }) => XCell::Int(rows as f64),
                    Some(Arrived::Missing) => XCell::T("ontbreekt".into()),
                    Some(Arrived::NotRequired) => XCell::T("niet verplicht".into()),
                    None => XCell::Empty,
                }))
                .collect()
            })
            .collect();
        write_sheet(
            wb,
            &SheetSpec {
                name: "Leveringen",
                header: &header,
                rows: &rows,
                notes: &std::iter::once(
                    "Rijen per jaar van de verwachte leveringen (plans/leveringen/verwacht.yaml); ontbreekt = geen rijen van die leverancier voor dat jaar; niet verplicht = een facultatieve bron die niet geleverd is.".to_string(),
                )
                .chain(
                    r.quality
                        .late
                        .iter()
                        .map(|l| format!("Te laat: {}", words::late_year(l, super::nl_date))),
                )
                .collect::<Vec<_>>(),
            },
        )?;
    }
    Ok(())
}

/// The register of deliveries, one row per delivery and cell.
fn sheet_register(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, .. } = cx;
    if !r.quality.register.is_empty() {
        // One row per delivery and cell (supplier × year × prison).
        let mut rows: Vec<Vec<XCell>> = Vec::new();
        for e in &r.quality.register {
            for (c, n) in &e.cells {
                let by = e
                    .replaced
                    .iter()
                    .find(|x| x.cell == *c)
                    .map(|x| x.by.clone());
                let from: Vec<&str> = e
                    .replaces
                    .iter()
                    .filter(|(_, x)| x.cell == *c)
                    .map(|(f, _)| f.as_str())
                    .collect();
                rows.push(vec![
                    XCell::T(e.name.clone()),
                    XCell::T(e.source.name().into()),
                    XCell::T(c.supplier.clone()),
                    XCell::Int(c.year as f64),
                    XCell::T(if c.prison.is_empty() {
                        "centraal".into()
                    } else {
                        c.prison.clone()
                    }),
                    XCell::Int(*n as f64),
                    XCell::T(match &by {
                        Some(b) => format!("vervangen door {b}"),
                        None if !from.is_empty() => {
                            format!("gebruikt; vervangt {}", from.join(", "))
                        }
                        None => "gebruikt".into(),
                    }),
                    e.extracted.map_or(XCell::Empty, XCell::Date),
                ]);
            }
        }
        write_sheet(
            wb,
            &SheetSpec {
                name: "Register",
                header: &[
                    "levering",
                    "bron",
                    "leverancier",
                    "jaar",
                    "gevangenis",
                    "rijen",
                    "gebruik",
                    "getrokken",
                ],
                rows: &rows,
                notes: &[format!(
                    "De leveringen met rijen in {}, per cel (leverancier × jaar × gevangenis): een latere levering (extractiedatum) vervangt alleen de rijen van de cellen die ze zelf levert.",
                    r.year
                )],
            },
        )?;
    }
    Ok(())
}

/// The method sheet: how every indicator is computed.
fn sheet_method(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, .. } = cx;
    let method: Vec<Vec<XCell>> = method_lines(r)
        .into_iter()
        .map(|mline| {
            vec![
                XCell::T(mline.titel),
                XCell::T(mline.beschrijving),
                XCell::T(mline.eenheid),
                XCell::T(mline.teller),
                XCell::T(mline.noemer),
                XCell::T(mline.interpretatie),
                XCell::T(mline.methode),
                XCell::T(mline.basislijn),
                XCell::T(mline.doelen),
            ]
        })
        .collect();
    write_sheet(
        wb,
        &SheetSpec {
            name: "Methode",
            header: &[
                "indicator",
                "in gewone woorden",
                "eenheid",
                "teller (technisch)",
                "noemer (technisch)",
                "berekening en lezing (technisch)",
                "pad naar het doel",
                "basislijn",
                "doelen",
            ],
            rows: &method,
            notes: &[],
        },
    )?;
    Ok(())
}

/// The provenance sheet: the sources and the run.
fn sheet_provenance(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, .. } = cx;
    let prov: Vec<Vec<XCell>> = r
        .provenance
        .iter()
        .map(|s| {
            vec![
                XCell::T(s.source.name().into()),
                XCell::T(s.file.clone()),
                XCell::T(s.sha256.clone()),
                XCell::Int(s.rows as f64),
            ]
        })
        .collect();
    // The run under the sources (not as a row in their columns: its date is no row count).
    write_sheet(
        wb,
        &SheetSpec {
            name: "Herkomst",
            header: &["bron", "bestand", "sha256", "rijen"],
            rows: &prov,
            notes: &[format!(
                "Gemaakt met hdv {} op {}: {}",
                r.run.version,
                super::long_date(&r.run.generated),
                r.run.command
            )],
        },
    )?;
    Ok(())
}

/// The approval sheet, when the report carries an approval note.
fn sheet_approval(wb: &mut rust_xlsxwriter::Workbook, cx: &Book) -> Result<()> {
    let Book { r, m, .. } = cx;
    if let Some(a) = &r.approval {
        let page = approval_page(a, m);
        let rows: Vec<Vec<XCell>> = a
            .revisions
            .iter()
            .zip(&page.herzieningen)
            .map(|(rev, words)| {
                let cell = |x: Option<&crate::report::approval::Recorded>, w: &String| match x {
                    Some(crate::report::approval::Recorded::Value(v)) => XCell::N(*v),
                    _ => XCell::T(w.clone()),
                };
                vec![
                    XCell::T(words[0].clone()),
                    XCell::T(words[1].clone()),
                    cell(rev.approved.as_ref(), &words[2]),
                    cell(rev.new.as_ref(), &words[3]),
                    XCell::T(words[4].clone()),
                ]
            })
            .collect();
        write_sheet(
            wb,
            &SheetSpec {
                name: "Goedkeuring",
                header: &[
                    "indicator",
                    "uitsplitsing",
                    "goedgekeurd",
                    "nieuw",
                    "gewijzigde leveringen",
                ],
                rows: &rows,
                notes: &std::iter::once(page.zin.clone())
                    .chain(page.leveringen.iter().cloned())
                    .collect::<Vec<_>>(),
            },
        )?;
    }
    Ok(())
}

/// A recorded figure in words: the value in its unit, or the mark.
fn recorded(
    unit: crate::report::Unit,
    r: Option<&crate::report::approval::Recorded>,
    m: &Marks,
) -> String {
    use crate::report::approval::Recorded;
    match r {
        Some(Recorded::Value(v)) => words::value(unit, *v),
        Some(Recorded::Mark(w)) if w == "klein aantal" => m.small_label.clone(),
        Some(Recorded::Mark(w)) if w == "verborgen" => "×".into(),
        Some(Recorded::Mark(w)) => w.clone(),
        None => "niet gepubliceerd".into(),
    }
}

/// The approval the report follows, and what differs since, in words.
fn approval_page(a: &crate::report::approval::ApprovalNote, m: &Marks) -> ApprovalPage {
    use crate::report::approval::Change;
    ApprovalPage {
        zin: format!(
            "Dit rapport volgt de goedkeuring van de cijfers, versie {} van {} ({}; {}). {}",
            a.version,
            super::nl_date(a.date),
            a.reason,
            a.file,
            if a.revisions.is_empty() {
                "Alle cijfers zijn gelijk aan de goedgekeurde.".to_string()
            } else {
                format!(
                    "Sindsdien wijken {} cijfer(s) af van de goedgekeurde: zie Herkomst.",
                    a.revisions.len()
                )
            }
        ),
        leveringen: a
            .changed
            .iter()
            .map(|c| {
                format!(
                    "{}: {}",
                    c.file,
                    match c.change {
                        Change::Changed => "gewijzigd sinds de goedkeuring",
                        Change::Added => "nieuw sinds de goedkeuring",
                        Change::Removed => "niet meer gebruikt sinds de goedkeuring",
                    }
                )
            })
            // A linked-data file is a delivery of each table it fills: said once.
            .fold(Vec::new(), |mut v: Vec<String>, l| {
                if !v.contains(&l) {
                    v.push(l);
                }
                v
            }),
        herzieningen: a
            .revisions
            .iter()
            .map(|r| {
                [
                    r.title.clone(),
                    if r.breakdown.is_empty() {
                        "totaal".into()
                    } else {
                        r.breakdown.replace('=', ": ")
                    },
                    recorded(r.unit, r.approved.as_ref(), m),
                    recorded(r.unit, r.new.as_ref(), m),
                    if r.deliveries.is_empty() {
                        "geen gewijzigde levering van zijn bronnen".into()
                    } else {
                        r.deliveries.join(", ")
                    },
                ]
            })
            .collect(),
    }
}

fn method_lines(r: &YearReport) -> Vec<MethodLine> {
    method_lines_of(&r.method)
}

/// The method section's lines for these indicators.
pub(crate) fn method_lines_of(method: &[crate::report::yearly::MethodEntry]) -> Vec<MethodLine> {
    method
        .iter()
        .map(|e| MethodLine {
            id: e.id.clone(),
            titel: e.title.clone(),
            beschrijving: e.description.clone(),
            eenheid: e.unit_label.clone(),
            teller: e.numerator.clone(),
            noemer: e.denominator.clone(),
            interpretatie: e.reading.clone(),
            // In plain words the data each source holds; its file name in the technical
            // definition.
            bronnen: e
                .sources
                .iter()
                .map(|b| Source::from_name(b).map_or_else(|| b.clone(), |s| s.description().into()))
                .collect::<Vec<_>>()
                .join(", "),
            bronbestanden: e.sources.join(", "),
            uitsplitsingen: e
                .breakdowns
                .iter()
                .map(|b| words::dimension(b))
                .collect::<Vec<_>>()
                .join(", "),
            methode: match e.method {
                crate::model::ProgressMethod::Lineair => {
                    "rechte lijn van basislijn naar doel".into()
                }
                crate::model::ProgressMethod::Cagr => {
                    "constante jaarlijkse groei van basislijn naar doel".into()
                }
            },
            basislijn: e
                .baseline
                .map(|b| words::marked(e.unit, &b))
                .unwrap_or_else(|| "–".into()),
            doelen: if e.targets.is_empty() {
                "–".into()
            } else {
                e.targets
                    .iter()
                    .map(|(t, g)| {
                        let mut s = words::marked(e.unit, t);
                        if let Some(g) = g {
                            s.push_str(&format!(" voor {g}"));
                        }
                        s
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            toevalsmarge: e.sampled,
        })
        .collect()
}

/// What a row of the checks table says about its rule.
enum CheckRows {
    /// This many offending rows for the prison and partner of the row.
    Count(usize),
    /// A small count of rows (1 up to the threshold), not published.
    Small,
    /// The rule found nothing.
    None,
    /// The rule did not run; why, in words.
    Skipped(String),
}

/// The checks across sources as rows: title, severity, prison, partner and what was found
/// (`–` where a rule's rows carry no prison or partner).
fn check_rows(checks: &[CheckOutcome]) -> Vec<(String, &'static str, String, String, CheckRows)> {
    let mut out = Vec::new();
    for o in checks {
        let ernst = o.severity.word();
        let dash = || "–".to_string();
        if !o.missing.is_empty() {
            let why = format!(
                "overgeslagen: ontbrekende bron(nen) {}",
                o.missing
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            out.push((
                o.title.clone(),
                ernst,
                dash(),
                dash(),
                CheckRows::Skipped(why),
            ));
        } else if o.counts.is_empty() && o.accepted.is_empty() {
            out.push((o.title.clone(), ernst, dash(), dash(), CheckRows::None));
        }
        for c in &o.counts {
            out.push((
                o.title.clone(),
                ernst,
                c.prison.clone().unwrap_or_else(dash),
                c.partner.clone().unwrap_or_else(dash),
                if c.small {
                    CheckRows::Small
                } else {
                    CheckRows::Count(c.rows)
                },
            ));
        }
        // Accepted rows stay visible, per delivery (the reason is under the table).
        for a in &o.accepted {
            out.push((
                o.title.clone(),
                "aanvaard",
                dash(),
                a.delivery.clone(),
                if a.small {
                    CheckRows::Small
                } else {
                    CheckRows::Count(a.rows)
                },
            ));
        }
    }
    out
}
