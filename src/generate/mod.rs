//! Deterministic synthetic data for `samples/` and for benchmarks at national scale.
//!
//! Never real persons: a seeded simulation of detention careers (stays, transfers, releases,
//! reincarceration) with participation, trajectories, requests, follow-up and resources.
//! Proportions follow the Court of Audit's 2023 figures (seed 000): about 11% of those
//! released took part in education, over half of CAW/CGG trajectories stopped early, about
//! 56% of those ending an education course took an exam, about 40% reincarcerated within two
//! years. Releases are followed up to the extraction date (recent releases only briefly), a
//! few leave the follow-up earlier; employment is known per quarter once it has passed. The
//! same seed and arguments give byte-identical files.

pub mod layout;
mod oslo;
mod sink;

use crate::contract::Source;
use crate::error::Result;
use crate::years::YearRange;
use chrono::{Datelike, Duration, NaiveDate};
pub use layout::Value;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sink::Sinks;
pub use sink::{Format, Shape};
use std::path::Path;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub persons: usize,
    pub years: YearRange,
    pub seed: u64,
}

/// Rows written per source.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub rows: Vec<(Source, usize)>,
    /// The linked-data deliveries written (`oslo/acsy-2025.ttl`, ...).
    pub linked: Vec<String>,
}

/// A calendar day as (year, month, day).
type Ymd = (i32, u32, u32);

/// (code, relative size, open from, closed from)
const PRISONS: &[(&str, u32, Option<Ymd>, Option<Ymd>)] = &[
    ("antwerpen", 70, None, None),
    ("beveren", 30, None, None),
    ("brugge", 80, None, None),
    ("dendermonde", 30, None, None),
    ("gent", 50, None, None),
    ("hasselt", 45, None, None),
    ("haren", 60, Some((2022, 9, 1)), None),
    ("hoogstraten", 25, None, None),
    ("ieper", 10, None, Some((2022, 1, 1))),
    ("kortrijk", 6, None, None),
    ("leuven-centraal", 30, None, None),
    ("leuven-hulp", 15, None, None),
    ("mechelen", 15, None, None),
    ("merksplas", 45, None, None),
    ("oudenaarde", 15, None, None),
    ("ruiselede", 8, None, None),
    ("sint-gillis", 60, None, Some((2022, 10, 1))),
    ("turnhout", 20, None, None),
    ("wortel", 25, None, None),
    ("fpc-gent", 12, None, None),
    ("fpc-antwerpen", 8, None, None),
];

/// The prison codes the generator uses.
pub fn prison_codes() -> Vec<String> {
    PRISONS.iter().map(|p| p.0.to_string()).collect()
}

fn ymd(t: Ymd) -> NaiveDate {
    NaiveDate::from_ymd_opt(t.0, t.1, t.2).expect("valid date")
}

fn is_open(p: usize, day: NaiveDate) -> bool {
    let (_, _, open, close) = PRISONS[p];
    open.is_none_or(|o| day >= ymd(o)) && close.is_none_or(|c| day < ymd(c))
}

/// The day before `p` closes, if it closes after `from`.
fn closes_after(p: usize, from: NaiveDate) -> Option<NaiveDate> {
    PRISONS[p]
        .3
        .map(|c| ymd(c) - Duration::days(1))
        .filter(|&last| last >= from)
}

/// Waiting-time scale per prison (days): waiting lists differ per prison.
fn wait_scale(p: usize) -> f64 {
    [
        45.0, 30.0, 60.0, 25.0, 90.0, 35.0, 70.0, 20.0, 40.0, 15.0, 55.0, 30.0, 25.0, 80.0, 20.0,
        15.0, 75.0, 30.0, 50.0, 40.0, 35.0,
    ][p]
}

struct Gen {
    rng: ChaCha8Rng,
    first_day: NaiveDate,
    extraction: NaiveDate,
    next_traject: u64,
    next_aanvraag: u64,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn days(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.random_range(lo..=hi)
    }

    /// A skewed duration in days (log-uniform between `lo` and `hi`).
    fn skewed(&mut self, lo: f64, hi: f64) -> i64 {
        let u: f64 = self.rng.random();
        (lo * (hi / lo).powf(u)).round() as i64
    }

    fn pick_prison(&mut self, day: NaiveDate, not: Option<usize>) -> usize {
        let total: u32 = PRISONS
            .iter()
            .enumerate()
            .filter(|(i, _)| is_open(*i, day) && Some(*i) != not)
            .map(|(_, p)| p.1)
            .sum();
        let mut x = self.rng.random_range(0..total);
        for (i, p) in PRISONS.iter().enumerate() {
            if !is_open(i, day) || Some(i) == not {
                continue;
            }
            if x < p.1 {
                return i;
            }
            x -= p.1;
        }
        unreachable!("weights sum to total")
    }
}

/// One stay in one prison.
struct Stay {
    prison: usize,
    begin: NaiveDate,
    end: Option<NaiveDate>,
}

/// Writes the sources into `out` in `format`, one file per source in the contract's layout.
pub fn generate(spec: &Spec, out: &Path, format: Format) -> Result<Summary> {
    generate_as(spec, out, format, Shape::Contract)
}

/// Writes the sources into `out` in `shape`: the same rows either way (same seed, same data),
/// as one contract-layout file per source or as the partners' deliveries.
pub fn generate_as(spec: &Spec, out: &Path, format: Format, shape: Shape) -> Result<Summary> {
    let first_day = crate::years::year_bounds(spec.years.first).0;
    let last_day = crate::years::year_bounds(spec.years.last).1;
    // Extraction at the end of the first quarter after the last year.
    let extraction = NaiveDate::from_ymd_opt(spec.years.last + 1, 3, 31).expect("year");
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(spec.seed),
        first_day,
        extraction,
        next_traject: 1,
        next_aanvraag: 1,
    };
    let mut sinks = Sinks::create(out, format, shape, spec.years, extraction)?;
    // Careers start from four years before the period, so early years have people in custody.
    let span = (last_day - (first_day - Duration::days(1461))).num_days();
    for person in 0..spec.persons {
        // A bijection on 0..10^7 (7919 is coprime with 10): distinct, not sequential.
        let id = format!("P{:07}", (person as u64 * 7919 + 1234) % 10_000_000);
        let long_history = g.chance(0.35);
        let mut begin = first_day - Duration::days(1461) + Duration::days(g.days(0, span));
        // One or more detentions (a reincarceration starts the next one).
        loop {
            let next = detention(&mut g, &mut sinks, &id, long_history, begin)?;
            match next {
                Some(again) if again <= g.extraction => begin = again,
                _ => break,
            }
        }
    }
    resources(&mut g, &mut sinks, spec)?;
    sinks.finish()
}

/// Simulates one detention from `begin`: stays, activities, release and follow-up.
/// Returns the reincarceration date, if any.
fn detention(
    g: &mut Gen,
    sinks: &mut Sinks,
    id: &str,
    long_history: bool,
    begin: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let length = g.skewed(15.0, 2200.0);
    let release = begin + Duration::days(length);
    let released = release <= g.extraction;
    let end_of_all = if released { Some(release) } else { None };
    let stays = stays(g, begin, length, end_of_all);
    let release_reason = if g.chance(0.92) {
        "vrijlating"
    } else {
        "andere"
    };
    write_stays(g, sinks, id, &stays, release_reason)?;
    let mut work_or_education = false;
    let mut any_education = false;
    for s in &stays {
        let (w, e) = activities(g, sinks, id, s, long_history)?;
        work_or_education |= w;
        any_education |= e;
    }
    let _ = any_education;
    if !(released && release_reason == "vrijlating") {
        return Ok(None);
    }
    let last = stays.last().expect("at least one stay");
    let out = Release {
        id,
        prison: last.prison,
        begin,
        release,
        long_history,
        work_or_education,
    };
    follow_up(g, sinks, &out)
}

/// The stays of one detention from `begin` for `length` days: a first prison, then 0-2
/// transfers (and forced ones when a prison closes); the last ends at `end_of_all`.
fn stays(g: &mut Gen, begin: NaiveDate, length: i64, end_of_all: Option<NaiveDate>) -> Vec<Stay> {
    let mut stays: Vec<Stay> = Vec::new();
    let mut prison = g.pick_prison(begin, None);
    let mut from = begin;
    let mut planned_transfers: Vec<NaiveDate> = Vec::new();
    for _ in 0..g.rng.random_range(0..=2u32) {
        if g.chance(0.35) {
            planned_transfers.push(begin + Duration::days(g.days(1, length.max(2) - 1)));
        }
    }
    planned_transfers.sort();
    planned_transfers.dedup();
    loop {
        let forced = closes_after(prison, from).filter(|&d| end_of_all.is_none_or(|e| d < e));
        let planned = planned_transfers.iter().copied().find(|&d| d > from);
        let cut = match (forced, planned) {
            (Some(f), Some(p)) => Some(f.min(p)),
            (a, b) => a.or(b),
        };
        match cut.filter(|&c| end_of_all.is_none_or(|e| c < e) && c <= g.extraction) {
            Some(c) => {
                stays.push(Stay {
                    prison,
                    begin: from,
                    end: Some(c),
                });
                // Same-day transfer half of the time, else the next day.
                let next_begin = if g.chance(0.5) {
                    c
                } else {
                    c + Duration::days(1)
                };
                prison = g.pick_prison(next_begin, Some(prison));
                from = next_begin;
            }
            None => {
                stays.push(Stay {
                    prison,
                    begin: from,
                    end: end_of_all,
                });
                break;
            }
        }
    }
    stays
}

/// The rows of `stays` in `detenties`, with now and then a registration overlap.
fn write_stays(
    g: &mut Gen,
    sinks: &mut Sinks,
    id: &str,
    stays: &[Stay],
    release_reason: &str,
) -> Result<()> {
    for (i, s) in stays.iter().enumerate() {
        let reason = match s.end {
            None => None,
            Some(_) if i + 1 < stays.len() => Some("overbrenging"),
            Some(_) => Some(release_reason),
        };
        sinks.row(
            Source::Detenties,
            &[
                Value::Text(id),
                Value::Text(PRISONS[s.prison].0),
                Value::Date(s.begin),
                Value::opt_date(s.end),
                reason.map_or(Value::Null, Value::Text),
            ],
        )?;
    }
    // A rare registration overlap (the loader accepts it with a warning).
    if g.chance(0.002) {
        let s = &stays[0];
        sinks.row(
            Source::Detenties,
            &[
                Value::Text(id),
                Value::Text(PRISONS[s.prison].0),
                Value::Date(s.begin + Duration::days(1)),
                Value::Date(s.begin + Duration::days(3)),
                Value::Text("andere"),
            ],
        )?;
    }
    Ok(())
}

/// A release to follow up: who, from which prison, when the detention began and ended, and
/// what is known of the person.
struct Release<'a> {
    id: &'a str,
    prison: usize,
    begin: NaiveDate,
    release: NaiveDate,
    long_history: bool,
    work_or_education: bool,
}

/// The follow-up of a release in `uitstroom`. Returns the reincarceration date, if seen.
fn follow_up(g: &mut Gen, sinks: &mut Sinks, out: &Release) -> Result<Option<NaiveDate>> {
    let Release {
        id,
        prison,
        begin,
        release,
        long_history,
        work_or_education,
    } = *out;
    // Follow-up of the release. The linked follow-up normally runs to the extraction date,
    // so recent releases are followed only briefly (censored early); a few persons leave the
    // follow-up before that (emigration, death, a broken link), after which nothing is seen.
    // A modest association with work or education during detention (synthetic, not a claim).
    let p_again =
        if long_history { 0.55 } else { 0.32 } - if work_or_education { 0.05 } else { 0.0 };
    let again = if g.chance(p_again) {
        Some(release + Duration::days(g.skewed(10.0, 700.0)))
    } else if g.chance(0.15) {
        Some(release + Duration::days(g.days(731, 1500)))
    } else {
        None
    };
    let span = (g.extraction - release).num_days();
    let followed_to = if span > 30 && g.chance(0.04) {
        release + Duration::days(g.days(30, span))
    } else {
        g.extraction
    };
    let observed_again = again.filter(|&a| a <= followed_to);
    let p_work = match (long_history, work_or_education) {
        (true, false) => 0.15,
        (true, true) => 0.28,
        (false, false) => 0.30,
        (false, true) => 0.45,
    };
    // A quarter's employment is known once the quarter has passed within the follow-up.
    let known = |days: i64| release + Duration::days(days) <= followed_to;
    let work_q1 = if g.chance(0.10) || !known(91) {
        None
    } else {
        Some(g.chance(p_work))
    };
    let back_by = |days: i64| observed_again.is_some_and(|a| a <= release + Duration::days(days));
    let work_q2 = if g.chance(0.10) || !known(182) {
        None
    } else if back_by(91) {
        // Back in prison before the second quarter began.
        Some(false)
    } else {
        Some(match work_q1 {
            Some(true) => g.chance(0.8),
            Some(false) => g.chance(p_work * 0.5),
            None => g.chance(p_work),
        })
    };
    let yes_no = |v: Option<bool>| v.map_or(Value::Null, Value::YesNo);
    sinks.row(
        Source::Uitstroom,
        &[
            Value::Text(id),
            Value::Text(PRISONS[prison].0),
            Value::Date(begin),
            Value::Date(release),
            Value::YesNo(long_history),
            yes_no(work_q1),
            Value::opt_date(observed_again),
            Value::Date(followed_to),
            yes_no(work_q2),
        ],
    )?;
    // Whoever left the follow-up is not seen again in the registrations either.
    Ok(observed_again)
}

/// Participation, trajectories and requests during one stay. Returns whether the person
/// took part in work or education, and in education.
fn activities(
    g: &mut Gen,
    sinks: &mut Sinks,
    id: &str,
    s: &Stay,
    long_history: bool,
) -> Result<(bool, bool)> {
    let stay_end = s.end.unwrap_or(g.extraction);
    let v = Visit {
        id,
        s,
        stay_end,
        stay_days: (stay_end - s.begin).num_days(),
        prison: PRISONS[s.prison].0,
    };
    let (work_or_edu, edu) = participation(g, sinks, &v)?;
    trajectories(g, sinks, &v, long_history)?;
    requests(g, sinks, &v)?;
    Ok((work_or_edu, edu))
}

/// One stay as its activities see it: whose, its end (or the extraction), its length in days
/// and its prison's code.
#[derive(Clone, Copy)]
struct Visit<'a> {
    id: &'a str,
    s: &'a Stay,
    stay_end: NaiveDate,
    stay_days: i64,
    prison: &'static str,
}

/// The group offer: (domain, partner, offers, chance per stay of at least 30 days).
const OFFER: &[(&str, &str, &[&str], f64)] = &[
    (
        "onderwijs",
        "CVO",
        &[
            "Nederlands tweede taal",
            "Basiseducatie wiskunde",
            "ICT-basis",
        ],
        0.075,
    ),
    (
        "onderwijs",
        "Ligo",
        &["Basiseducatie Nederlands", "Maatschappelijke oriëntatie"],
        0.03,
    ),
    (
        "werk",
        "VDAB",
        &["Opleiding lasser", "Heftruckchauffeur", "Keukenmedewerker"],
        0.12,
    ),
    (
        "welzijn",
        "CAW",
        &["Groepswerking herstel", "Budgetbeheer"],
        0.08,
    ),
    ("gezondheid", "CGG", &["Groepstherapie verslaving"], 0.05),
    (
        "cultuur",
        "De Rode Antraciet",
        &["Leesclub", "Theaterwerkplaats"],
        0.15,
    ),
    (
        "sport",
        "Sportdienst",
        &["Sport: fitness", "Sport: voetbal"],
        0.25,
    ),
    ("wonen", "Huurdersbond", &["Infosessie huren"], 0.04),
];

/// Participation in the group offer during one stay (`deelname`). Returns whether the person
/// took part in work or education, and in education.
fn participation(g: &mut Gen, sinks: &mut Sinks, v: &Visit) -> Result<(bool, bool)> {
    let Visit {
        id,
        s,
        stay_end,
        stay_days,
        prison,
    } = *v;
    let mut work_or_edu = false;
    let mut edu = false;
    if stay_days >= 14 {
        for (domain, partner, offers, p) in OFFER {
            if !g.chance(*p * if stay_days >= 60 { 1.0 } else { 0.4 }) {
                continue;
            }
            let start = s.begin + Duration::days(g.days(0, (stay_days - 1).max(0)));
            if start > g.extraction {
                continue;
            }
            let planned = start + Duration::days(g.days(20, 200));
            let offer = offers[g.rng.random_range(0..offers.len())];
            let (end, status) = if planned > stay_end && s.end.is_some() {
                // Interrupted by release or transfer.
                (Some(stay_end.max(start)), "stopgezet")
            } else if planned > g.extraction {
                (None, "lopend")
            } else if g.chance(0.68) {
                (Some(planned), "voltooid")
            } else {
                (
                    Some(start + Duration::days((planned - start).num_days() / 2)),
                    "stopgezet",
                )
            };
            let exam_kind = matches!(*domain, "onderwijs" | "werk");
            let (exam, passed) = if exam_kind && end.is_some() {
                let p_exam = if status == "voltooid" { 0.85 } else { 0.35 };
                if g.chance(p_exam) {
                    (Value::YesNo(true), Value::YesNo(g.chance(0.8)))
                } else if g.chance(0.9) {
                    (Value::YesNo(false), Value::Null)
                } else {
                    (Value::Null, Value::Null)
                }
            } else {
                (Value::Null, Value::Null)
            };
            work_or_edu |= matches!(*domain, "onderwijs" | "werk");
            edu |= *domain == "onderwijs";
            sinks.row(
                Source::Deelname,
                &[
                    Value::Text(id),
                    Value::Text(prison),
                    Value::Text(domain),
                    Value::Text(partner),
                    Value::Text(offer),
                    Value::Date(start),
                    Value::opt_date(end),
                    Value::Text(status),
                    exam,
                    passed,
                ],
            )?;
        }
    }
    Ok((work_or_edu, edu))
}

/// Individual trajectories during one stay (`trajecten`).
fn trajectories(g: &mut Gen, sinks: &mut Sinks, v: &Visit, long_history: bool) -> Result<()> {
    let Visit {
        id,
        s,
        stay_end,
        stay_days,
        prison,
    } = *v;
    const TRAJ: &[(&str, &str, f64, f64)] = &[
        ("CAW", "welzijn", 0.22, 0.30),
        ("CGG", "gezondheid", 0.10, 0.32),
        ("VDAB", "werk", 0.12, 0.20),
    ];
    for (partner, domain, p, p_stop) in TRAJ {
        if stay_days < 7 || !g.chance(*p * if long_history { 1.2 } else { 1.0 }) {
            continue;
        }
        let start = s.begin + Duration::days(g.days(0, (stay_days - 1).max(0)));
        if start > g.extraction {
            continue;
        }
        let planned = start + Duration::days(g.days(20, 120));
        let (end, afloop, reason) = if planned > stay_end && s.end.is_some() {
            let r = if g.chance(0.7) {
                "vrijlating"
            } else {
                "overbrenging"
            };
            (Some(stay_end.max(start)), "voortijdig_gestopt", Some(r))
        } else if planned > g.extraction {
            (None, "lopend", None)
        } else if g.chance(*p_stop) {
            let r = [
                "op_vraag_gedetineerde",
                "op_initiatief_hulpverlener",
                "andere",
            ][g.rng.random_range(0..3)];
            (
                Some(start + Duration::days(g.days(1, (planned - start).num_days()))),
                "voortijdig_gestopt",
                Some(r),
            )
        } else {
            (Some(planned), "afgerond", None)
        };
        // About one in seven early stops has no registered reason.
        let reason = reason.filter(|_| afloop != "voortijdig_gestopt" || !g.chance(0.15));
        let tid = format!("T{:08}", g.next_traject);
        g.next_traject += 1;
        sinks.row(
            Source::Trajecten,
            &[
                Value::Text(&tid),
                Value::Text(id),
                Value::Text(prison),
                Value::Text(partner),
                Value::Text(domain),
                Value::Date(start),
                Value::opt_date(end),
                Value::Text(afloop),
                reason.map_or(Value::Null, Value::Text),
            ],
        )?;
    }
    Ok(())
}

/// Requests for help during one stay (`aanvragen`: the waiting lists).
fn requests(g: &mut Gen, sinks: &mut Sinks, v: &Visit) -> Result<()> {
    let Visit {
        id,
        s,
        stay_end,
        stay_days,
        prison,
    } = *v;
    const REQ: &[(&str, &str)] = &[
        ("CAW", "trajectbegeleiding"),
        ("CAW", "schuldhulp"),
        ("CGG", "therapie"),
        ("VDAB", "beroepsopleiding"),
        ("CVO", "opleiding"),
        ("CAW", "huisvesting"),
    ];
    let n_req = if g.chance(0.30) {
        1 + usize::from(g.chance(0.3))
    } else {
        0
    };
    for _ in 0..n_req {
        let asked = s.begin + Duration::days(g.days(0, (stay_days - 1).max(0)));
        if asked > g.extraction {
            continue;
        }
        let (partner, service) = REQ[g.rng.random_range(0..REQ.len())];
        let wait = g.skewed(3.0, wait_scale(s.prison) * 4.0);
        let would_start = asked + Duration::days(wait);
        let (start, closed, reason) = if g.chance(0.06) {
            (None, None, None) // never started nor closed: keeps waiting (data quality)
        } else if g.chance(0.08) {
            let c = asked + Duration::days(g.days(0, wait));
            if c <= g.extraction {
                (None, Some(c), Some("ingetrokken"))
            } else {
                (None, None, None)
            }
        } else if s.end.is_some_and(|e| would_start > e) {
            let e = stay_end;
            let r = if g.chance(0.8) {
                "vrijgelaten"
            } else {
                "overgebracht"
            };
            // Closed on the day of leaving, or a few days later.
            (None, Some(e + Duration::days(g.days(0, 10))), Some(r))
        } else if would_start > g.extraction {
            (None, None, None)
        } else {
            (Some(would_start), None, None)
        };
        let closed = closed.filter(|&c| c <= g.extraction);
        let reason = if closed.is_some() { reason } else { None };
        let aid = format!("A{:08}", g.next_aanvraag);
        g.next_aanvraag += 1;
        sinks.row(
            Source::Aanvragen,
            &[
                Value::Text(&aid),
                Value::Text(id),
                Value::Text(prison),
                Value::Text(partner),
                Value::Text(service),
                Value::Date(asked),
                Value::opt_date(start),
                Value::opt_date(closed),
                reason.map_or(Value::Null, Value::Text),
            ],
        )?;
    }
    Ok(())
}

/// Budget and staff per year, prison, partner and domain, plus central rows.
fn resources(g: &mut Gen, sinks: &mut Sinks, spec: &Spec) -> Result<()> {
    const LINES: &[(&str, &str, f64)] = &[
        ("CAW", "welzijn", 0.050),
        ("CGG", "gezondheid", 0.030),
        ("VDAB", "werk", 0.035),
        ("CVO", "onderwijs", 0.040),
        ("Ligo", "onderwijs", 0.015),
        ("De Rode Antraciet", "cultuur", 0.010),
        ("Sportdienst", "sport", 0.012),
        ("Huurdersbond", "wonen", 0.004),
    ];
    let _ = g.first_day;
    for year in spec.years.iter() {
        let mid = NaiveDate::from_ymd_opt(year, 7, 1).expect("year");
        let growth = 1.0 + 0.03 * f64::from(year - spec.years.first);
        for (i, p) in PRISONS.iter().enumerate() {
            let open_part = (1..=12)
                .filter(|&m| is_open(i, NaiveDate::from_ymd_opt(year, m, 15).expect("date")))
                .count() as f64
                / 12.0;
            if open_part == 0.0 {
                continue;
            }
            for (partner, domain, per_place) in LINES {
                let fte = (f64::from(p.1) * per_place * growth * open_part * 10.0).round() / 10.0;
                if fte <= 0.0 {
                    continue;
                }
                let noise = g.rng.random_range(0.9..1.1);
                let euro = (fte * 72_000.0 * noise).round();
                sinks.row(
                    Source::Middelen,
                    &[
                        Value::Int(year),
                        Value::Text(p.0),
                        Value::Text(partner),
                        Value::Text(domain),
                        Value::Float(fte),
                        Value::Float(euro),
                    ],
                )?;
            }
        }
        let _ = mid.year();
        // Central (not allocated) lines: coordination and the digital architecture.
        for (partner, domain, fte) in [
            ("Departement WVG", "welzijn", 6.0),
            ("Agentschap Justitie en Handhaving", "welzijn", 4.5),
            ("Departement Onderwijs en Vorming", "onderwijs", 2.0),
        ] {
            let euro = (fte * 80_000.0 * growth).round();
            sinks.row(
                Source::Middelen,
                &[
                    Value::Int(year),
                    Value::Null,
                    Value::Text(partner),
                    Value::Text(domain),
                    Value::Float(fte),
                    Value::Float(euro),
                ],
            )?;
        }
    }
    Ok(())
}
