//! Every core indicator of INDICATORS.md on a hand-worked fixture.
//!
//! The fixture `tests/fixtures/indicators/basis/` is read through the real loader. Each
//! expected cell below was worked out by hand from the fixture; the derivation is written next
//! to it. Every printed cell is checked, and no other cell may be printed.
//!
//! Fixture (years 2022-2025):
//! - detenties: r1 P1 brugge 2023-06-01..2024-03-10 overbrenging; r2 P1 gent
//!   2024-03-10..2024-12-31 vrijlating (same-day transfer, release on 31/12); r3 P2 gent from
//!   2024-01-01, open; r4 P3 brugge 2022-05-01..2023-12-31 vrijlating; r5 P4 haren from
//!   2024-12-31, open; r6 P5 brugge 2024-02-29 (one day, leap day) andere; r7 P3 gent
//!   2024-06-01..2024-09-30 vrijlating (P3 released twice).
//! - deelname: d1 P1 brugge onderwijs 2023-09-01..2024-01-15 voltooid examen ja geslaagd ja;
//!   d2 P1 gent onderwijs 2024-04-01..2024-06-30 stopgezet examen nee; d3 P2 gent sport from
//!   2024-02-01 lopend; d4 P3 gent werk 2024-06-15..2024-12-31 stopgezet; d5 P6 (never
//!   detained) gent onderwijs 2024-01-01..2024-12-31 voltooid examen nee; d6 P5 brugge cultuur
//!   in January 2025.
//! - trajecten: T1 P1 brugge CAW ends 2024-03-10 voortijdig (overbrenging); T2 P2 gent CGG
//!   ends 2024-08-01 afgerond; T3 P3 gent CAW ends 2024-09-30 voortijdig, no reason; T4 P4
//!   haren CAW from 2024-12-31 lopend; T5 P2 gent CAW ends 2023-12-31 afgerond.
//! - aanvragen: A1 P1 brugge CAW 2023-11-01 → start 2024-01-10 (70 days); A2 P1 gent CGG
//!   2024-05-01 never started nor closed; A3 P3 gent VDAB 2024-07-01 closed 2024-09-30
//!   (the release day); A4 P2 gent CAW 2024-03-01 → 2024-03-21 (20 days); A5 P4 haren CAW
//!   2024-12-31 → 2025-01-05 (5 days); A6 P2 gent CGG 2024-01-01 → 2024-04-10 (100 days,
//!   over 29 February).
//! - uitstroom: u1 P3 brugge 2022-05-01..2023-12-31 lang ja, werk nee, back 2024-06-01,
//!   followed to 2026-03-31; u2 P1 gent 2023-06-01..2024-12-31 lang nee werk ja, followed to
//!   2026-03-31 (incomplete); u3 P3 gent 2024-06-01..2024-09-30 lang ja werk unknown
//!   (incomplete); u4 P7 released 2022-02-28, back 2024-02-28 = exactly +730 days, followed
//!   to that day; u5 P8 released 2022-03-01, +730 days = 2024-02-29 (leap), back 2024-03-01.
//!   werk_kwartaal_2: u1 ja, u2 unknown, u3 nee, u4 nee, u5 unknown.
//! - middelen: 2024 brugge CAW 100000, gent CAW 150000, gent CVO 50000.5, central
//!   (no prison) Departement WVG 30000; 2025 haren VDAB 80000; nothing for 2022-2023.

use hdv::engine::Observation;
use hdv::model::{
    Action, ActionStatus, LocalAction, LocalPlan, Model, Objective, Plan, StatusEntry,
};
use std::path::Path;

type Cell = (
    &'static str,
    i32,
    &'static str,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

const T: &str = ""; // the total

/// A rate cell: value = 100 * num / den (null when den = 0).
fn rate(ind: &'static str, year: i32, dim: &'static str, num: f64, den: f64) -> Cell {
    let v = if den == 0.0 {
        None
    } else {
        Some(100.0 * num / den)
    };
    (ind, year, dim, v, Some(num), Some(den))
}

/// A count, average, median or sum cell (no numerator or denominator).
fn plain(ind: &'static str, year: i32, dim: &'static str, v: Option<f64>) -> Cell {
    (ind, year, dim, v, None, None)
}

fn ratio(ind: &'static str, year: i32, dim: &'static str, num: Option<f64>, den: f64) -> Cell {
    let v = num.filter(|_| den != 0.0).map(|n| n / den);
    (ind, year, dim, v, num, Some(den))
}

const FIXTURE: &str = "tests/fixtures/indicators/basis";

fn label(o: &Observation) -> String {
    match &o.dim {
        None => String::new(),
        Some(d) => format!("{}={}", d.name, d.value),
    }
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1.0),
        _ => false,
    }
}

/// Asserts that `got` holds exactly the `expected` cells of the indicators named there.
fn check(got: &[Observation], expected: &[Cell]) {
    let ids: std::collections::BTreeSet<&str> = expected.iter().map(|c| c.0).collect();
    let mut errors = Vec::new();
    for e in expected {
        let found: Vec<&Observation> = got
            .iter()
            .filter(|o| o.indicator == e.0 && o.year == e.1 && label(o) == e.2)
            .collect();
        match found.as_slice() {
            [o] => {
                if !close(o.value, e.3) || !close(o.numerator, e.4) || !close(o.denominator, e.5) {
                    errors.push(format!(
                        "{} {} [{}]: got value {:?} num {:?} den {:?}, expected {:?} {:?} {:?}",
                        e.0, e.1, e.2, o.value, o.numerator, o.denominator, e.3, e.4, e.5
                    ));
                }
            }
            [] => errors.push(format!("{} {} [{}]: missing", e.0, e.1, e.2)),
            _ => errors.push(format!("{} {} [{}]: printed twice", e.0, e.1, e.2)),
        }
    }
    for o in got.iter().filter(|o| ids.contains(o.indicator.as_str())) {
        if !expected
            .iter()
            .any(|e| e.0 == o.indicator && e.1 == o.year && e.2 == label(o))
        {
            errors.push(format!(
                "{} {} [{}]: unexpected cell (value {:?})",
                o.indicator,
                o.year,
                label(o),
                o.value
            ));
        }
    }
    assert!(errors.is_empty(), "\n{}", errors.join("\n"));
}

fn evaluate(model: &Model, years: &str) -> Vec<Observation> {
    let session = crate::common::session(FIXTURE);
    let inputs = crate::common::fixture_inputs(model, FIXTURE);
    let eval = session
        .evaluate(&inputs, &model.indicators, years.parse().unwrap())
        .expect("indicators evaluate");
    assert!(eval.skipped.is_empty(), "skipped: {:?}", eval.skipped);
    eval.observations
}

fn model() -> Model {
    hdv::model::load_model(Path::new(".")).expect("the project's model is valid")
}

#[test]
fn population_indicators() {
    let got = evaluate(&model(), "2022..2025");
    check(
        &got,
        &[
            // 2022: only r4 (P3). 2023: r1 (P1), r4 (P3), both brugge.
            plain("gedetineerden", 2022, T, Some(1.0)),
            plain("gedetineerden", 2022, "gevangenis=brugge", Some(1.0)),
            plain("gedetineerden", 2023, T, Some(2.0)),
            plain("gedetineerden", 2023, "gevangenis=brugge", Some(2.0)),
            // 2024: r4 ended 31/12/2023 and is out; P1 (r1, r2), P2, P3 (r7), P4 (starts
            // 31/12), P5 (one day) = 5 persons; P1 counts in brugge and gent, once in total.
            plain("gedetineerden", 2024, T, Some(5.0)),
            plain("gedetineerden", 2024, "gevangenis=brugge", Some(2.0)),
            plain("gedetineerden", 2024, "gevangenis=gent", Some(3.0)),
            plain("gedetineerden", 2024, "gevangenis=haren", Some(1.0)),
            // 2025: the open stays r3 (P2) and r5 (P4); r2 ended 31/12/2024.
            plain("gedetineerden", 2025, T, Some(2.0)),
            plain("gedetineerden", 2025, "gevangenis=gent", Some(1.0)),
            plain("gedetineerden", 2025, "gevangenis=haren", Some(1.0)),
            // 2022: r4 from 1 May to 31 Dec = 245 days / 365.
            plain("gemiddelde_bezetting", 2022, T, Some(245.0 / 365.0)),
            plain(
                "gemiddelde_bezetting",
                2022,
                "gevangenis=brugge",
                Some(245.0 / 365.0),
            ),
            // 2023: r1 1 Jun-31 Dec = 214 days, r4 the whole year = 365; 579 / 365.
            plain("gemiddelde_bezetting", 2023, T, Some(579.0 / 365.0)),
            plain(
                "gemiddelde_bezetting",
                2023,
                "gevangenis=brugge",
                Some(579.0 / 365.0),
            ),
            // 2024 (366 days): r1 1 Jan-10 Mar = 31+29+10 = 70; r2 10 Mar-31 Dec = 297 (10 March
            // counts in both prisons); r3 366; r5 1; r6 1; r7 1 Jun-30 Sep = 122. Total 857.
            plain("gemiddelde_bezetting", 2024, T, Some(857.0 / 366.0)),
            plain(
                "gemiddelde_bezetting",
                2024,
                "gevangenis=brugge",
                Some(71.0 / 366.0),
            ),
            plain(
                "gemiddelde_bezetting",
                2024,
                "gevangenis=gent",
                Some(785.0 / 366.0),
            ),
            plain(
                "gemiddelde_bezetting",
                2024,
                "gevangenis=haren",
                Some(1.0 / 366.0),
            ),
            // 2025: r3 and r5 all year: 730 / 365.
            plain("gemiddelde_bezetting", 2025, T, Some(2.0)),
            plain("gemiddelde_bezetting", 2025, "gevangenis=gent", Some(1.0)),
            plain("gemiddelde_bezetting", 2025, "gevangenis=haren", Some(1.0)),
        ],
    );
}

#[test]
fn participation_indicators() {
    let got = evaluate(&model(), "2022..2025");
    check(
        &got,
        &[
            // 2022: P(2022) = {P3}, no activity overlaps 2022.
            rate("deelname_graad", 2022, T, 0.0, 1.0),
            rate("deelname_graad", 2022, "gevangenis=brugge", 0.0, 1.0),
            // 2023: P = {P1, P3}; d1 and T1 (P1, brugge) overlap 2023; T5 is P2's, who is not
            // detained in 2023.
            rate("deelname_graad", 2023, T, 1.0, 2.0),
            rate("deelname_graad", 2023, "gevangenis=brugge", 1.0, 2.0),
            rate("deelname_graad", 2023, "domein=onderwijs", 1.0, 2.0),
            rate("deelname_graad", 2023, "domein=welzijn", 1.0, 2.0),
            // 2024: P = {P1..P5}; P1 (d1 d2 T1), P2 (d3 T2), P3 (d4 T3), P4 (T4) take part,
            // P5 not; d5 is P6's, who is never detained.
            rate("deelname_graad", 2024, T, 4.0, 5.0),
            // brugge: P1 and P5 stayed there; P1 has d1/T1 in brugge.
            rate("deelname_graad", 2024, "gevangenis=brugge", 1.0, 2.0),
            // gent: P1 (d2), P2 (d3, T2), P3 (d4, T3).
            rate("deelname_graad", 2024, "gevangenis=gent", 3.0, 3.0),
            rate("deelname_graad", 2024, "gevangenis=haren", 1.0, 1.0),
            rate("deelname_graad", 2024, "domein=gezondheid", 1.0, 5.0), // P2 (T2)
            rate("deelname_graad", 2024, "domein=onderwijs", 1.0, 5.0),  // P1 (P6 not in P)
            rate("deelname_graad", 2024, "domein=sport", 1.0, 5.0),      // P2
            rate("deelname_graad", 2024, "domein=welzijn", 3.0, 5.0),    // P1, P3, P4
            rate("deelname_graad", 2024, "domein=werk", 1.0, 5.0),       // P3
            // 2025: P = {P2, P4}; d3 (open) and T4 (open); d6 is P5's, not detained in 2025.
            rate("deelname_graad", 2025, T, 2.0, 2.0),
            rate("deelname_graad", 2025, "gevangenis=gent", 1.0, 1.0),
            rate("deelname_graad", 2025, "gevangenis=haren", 1.0, 1.0),
            rate("deelname_graad", 2025, "domein=sport", 1.0, 2.0),
            rate("deelname_graad", 2025, "domein=welzijn", 1.0, 2.0),
            // Education ended in 2024 (voltooid/stopgezet): d1 (P1 brugge, voltooid, exam,
            // passed), d2 (P1 gent, stopgezet, no exam), d5 (P6 gent, voltooid, no exam).
            // Persons P1 and P6. No education ended in 2022, 2023 or 2025.
            rate("opleiding_voltooid", 2022, T, 0.0, 0.0),
            rate("opleiding_voltooid", 2023, T, 0.0, 0.0),
            rate("opleiding_voltooid", 2024, T, 2.0, 2.0),
            rate("opleiding_voltooid", 2024, "gevangenis=brugge", 1.0, 1.0),
            // gent: P1's only gent row is stopgezet; P6 voltooid.
            rate("opleiding_voltooid", 2024, "gevangenis=gent", 1.0, 2.0),
            rate("opleiding_voltooid", 2025, T, 0.0, 0.0),
            rate("examen_deelname", 2022, T, 0.0, 0.0),
            rate("examen_deelname", 2023, T, 0.0, 0.0),
            rate("examen_deelname", 2024, T, 1.0, 2.0),
            rate("examen_deelname", 2024, "gevangenis=brugge", 1.0, 1.0),
            rate("examen_deelname", 2024, "gevangenis=gent", 0.0, 2.0),
            rate("examen_deelname", 2025, T, 0.0, 0.0),
            rate("examen_geslaagd", 2022, T, 0.0, 0.0),
            rate("examen_geslaagd", 2023, T, 0.0, 0.0),
            rate("examen_geslaagd", 2024, T, 1.0, 2.0),
            rate("examen_geslaagd", 2024, "gevangenis=brugge", 1.0, 1.0),
            rate("examen_geslaagd", 2024, "gevangenis=gent", 0.0, 2.0),
            rate("examen_geslaagd", 2025, T, 0.0, 0.0),
        ],
    );
}

#[test]
fn trajectory_and_waiting_list_indicators() {
    let got = evaluate(&model(), "2022..2025");
    check(
        &got,
        &[
            rate("traject_uitval", 2022, T, 0.0, 0.0),
            // 2023: T5 afgerond.
            rate("traject_uitval", 2023, T, 0.0, 1.0),
            rate("traject_uitval", 2023, "partner=CAW", 0.0, 1.0),
            rate("traject_uitval", 2023, "gevangenis=gent", 0.0, 1.0),
            // 2024: T1 voortijdig (brugge CAW), T2 afgerond (gent CGG), T3 voortijdig (gent
            // CAW); T4 is still running.
            rate("traject_uitval", 2024, T, 2.0, 3.0),
            rate("traject_uitval", 2024, "partner=CAW", 2.0, 2.0),
            rate("traject_uitval", 2024, "partner=CGG", 0.0, 1.0),
            rate("traject_uitval", 2024, "gevangenis=brugge", 1.0, 1.0),
            rate("traject_uitval", 2024, "gevangenis=gent", 1.0, 2.0),
            rate("traject_uitval", 2025, T, 0.0, 0.0),
            // Early stops in 2024: T1 (reason overbrenging), T3 (no reason).
            rate("uitval_reden_onbekend", 2022, T, 0.0, 0.0),
            rate("uitval_reden_onbekend", 2023, T, 0.0, 0.0),
            rate("uitval_reden_onbekend", 2024, T, 1.0, 2.0),
            rate("uitval_reden_onbekend", 2024, "partner=CAW", 1.0, 2.0),
            rate("uitval_reden_onbekend", 2025, T, 0.0, 0.0),
            // Waiting on 31/12/2022: none. 31/12/2023: A1 (starts 10/1/2024).
            plain("wachtenden", 2022, T, Some(0.0)),
            plain("wachtenden", 2023, T, Some(1.0)),
            plain("wachtenden", 2023, "partner=CAW", Some(1.0)),
            plain("wachtenden", 2023, "gevangenis=brugge", Some(1.0)),
            // 31/12/2024: A2 (never started nor closed) and A5 (asked on 31/12, starts 2025).
            plain("wachtenden", 2024, T, Some(2.0)),
            plain("wachtenden", 2024, "partner=CAW", Some(1.0)),
            plain("wachtenden", 2024, "partner=CGG", Some(1.0)),
            plain("wachtenden", 2024, "gevangenis=gent", Some(1.0)),
            plain("wachtenden", 2024, "gevangenis=haren", Some(1.0)),
            // 31/12/2025: A2 keeps waiting (no age limit).
            plain("wachtenden", 2025, T, Some(1.0)),
            plain("wachtenden", 2025, "partner=CGG", Some(1.0)),
            plain("wachtenden", 2025, "gevangenis=gent", Some(1.0)),
            // Started in 2024: A1 70, A4 20, A6 100 days → median 70; CAW {70, 20} → even
            // count, mean of the two: 45; gent {20, 100} → 60.
            plain("wachttijd_mediaan", 2022, T, None),
            plain("wachttijd_mediaan", 2023, T, None),
            plain("wachttijd_mediaan", 2024, T, Some(70.0)),
            plain("wachttijd_mediaan", 2024, "partner=CAW", Some(45.0)),
            plain("wachttijd_mediaan", 2024, "partner=CGG", Some(100.0)),
            plain("wachttijd_mediaan", 2024, "gevangenis=brugge", Some(70.0)),
            plain("wachttijd_mediaan", 2024, "gevangenis=gent", Some(60.0)),
            plain("wachttijd_mediaan", 2025, T, Some(5.0)),
            plain("wachttijd_mediaan", 2025, "partner=CAW", Some(5.0)),
            plain("wachttijd_mediaan", 2025, "gevangenis=haren", Some(5.0)),
            // Releases: 2023 r4 (P3, no request open then). 2024 r2 (P1 on 31/12: A2 open)
            // and r7 (P3 on 30/9: A3 closed that very day still counts as open).
            rate("vrijgelaten_wachtend", 2022, T, 0.0, 0.0),
            rate("vrijgelaten_wachtend", 2023, T, 0.0, 1.0),
            rate("vrijgelaten_wachtend", 2023, "gevangenis=brugge", 0.0, 1.0),
            rate("vrijgelaten_wachtend", 2024, T, 2.0, 2.0),
            rate("vrijgelaten_wachtend", 2024, "gevangenis=gent", 2.0, 2.0),
            rate("vrijgelaten_wachtend", 2025, T, 0.0, 0.0),
        ],
    );
}

#[test]
fn release_and_follow_up_indicators() {
    let got = evaluate(&model(), "2022..2025");
    check(
        &got,
        &[
            // 2022: u4, u5 (P7, P8 have no participation).
            rate("uitstroom_deelname", 2022, T, 0.0, 2.0),
            // 2023: u1 (P3's only participation, d4, starts after the release).
            rate("uitstroom_deelname", 2023, T, 0.0, 1.0),
            // 2024: u2 (P1: d1, d2 onderwijs start within 2023-06-01..2024-12-31) and u3
            // (P3: d4 werk starts 2024-06-15 within 2024-06-01..2024-09-30).
            rate("uitstroom_deelname", 2024, T, 2.0, 2.0),
            rate("uitstroom_deelname", 2024, "domein=onderwijs", 1.0, 2.0),
            rate("uitstroom_deelname", 2024, "domein=werk", 1.0, 2.0),
            rate("uitstroom_deelname", 2025, T, 0.0, 0.0),
            // Employment: 2022 u4 ja, u5 nee; 2023 u1 nee (lang ja, no work/education);
            // 2024 u2 ja (P1 took education), u3 unknown and left out.
            rate("werk_na_vrijlating", 2022, T, 1.0, 2.0),
            rate(
                "werk_na_vrijlating",
                2022,
                "lange_detentiegeschiedenis=nee",
                1.0,
                2.0,
            ),
            rate(
                "werk_na_vrijlating",
                2022,
                "deelname_werk_onderwijs=nee",
                1.0,
                2.0,
            ),
            rate("werk_na_vrijlating", 2023, T, 0.0, 1.0),
            rate(
                "werk_na_vrijlating",
                2023,
                "lange_detentiegeschiedenis=ja",
                0.0,
                1.0,
            ),
            rate(
                "werk_na_vrijlating",
                2023,
                "deelname_werk_onderwijs=nee",
                0.0,
                1.0,
            ),
            rate("werk_na_vrijlating", 2024, T, 1.0, 1.0),
            rate(
                "werk_na_vrijlating",
                2024,
                "lange_detentiegeschiedenis=nee",
                1.0,
                1.0,
            ),
            rate(
                "werk_na_vrijlating",
                2024,
                "deelname_werk_onderwijs=ja",
                1.0,
                1.0,
            ),
            rate("werk_na_vrijlating", 2025, T, 0.0, 0.0),
            // Employment in quarter 2 (werk_kwartaal_2): 2022 u4 nee, u5 unknown; 2023 u1 ja;
            // 2024 u2 unknown, u3 nee (P3's d4 werk starts within u3's detention).
            rate("werk_na_vrijlating_k2", 2022, T, 0.0, 1.0),
            rate(
                "werk_na_vrijlating_k2",
                2022,
                "lange_detentiegeschiedenis=nee",
                0.0,
                1.0,
            ),
            rate(
                "werk_na_vrijlating_k2",
                2022,
                "deelname_werk_onderwijs=nee",
                0.0,
                1.0,
            ),
            rate("werk_na_vrijlating_k2", 2023, T, 1.0, 1.0),
            rate(
                "werk_na_vrijlating_k2",
                2023,
                "lange_detentiegeschiedenis=ja",
                1.0,
                1.0,
            ),
            rate(
                "werk_na_vrijlating_k2",
                2023,
                "deelname_werk_onderwijs=nee",
                1.0,
                1.0,
            ),
            rate("werk_na_vrijlating_k2", 2024, T, 0.0, 1.0),
            rate(
                "werk_na_vrijlating_k2",
                2024,
                "lange_detentiegeschiedenis=ja",
                0.0,
                1.0,
            ),
            rate(
                "werk_na_vrijlating_k2",
                2024,
                "deelname_werk_onderwijs=ja",
                0.0,
                1.0,
            ),
            rate("werk_na_vrijlating_k2", 2025, T, 0.0, 0.0),
            // Reincarceration within 730 days: u4 back on exactly day 730 (counts); u5's day
            // 730 is 2024-02-29, back on 1 March (does not count). Both followed long enough.
            rate("wederopsluiting_2j", 2022, T, 1.0, 2.0),
            rate(
                "wederopsluiting_2j",
                2022,
                "lange_detentiegeschiedenis=nee",
                1.0,
                2.0,
            ),
            rate(
                "wederopsluiting_2j",
                2022,
                "deelname_werk_onderwijs=nee",
                1.0,
                2.0,
            ),
            // 2023: u1 followed to 2026-03-31 >= 2025-12-30, back 2024-06-01.
            rate("wederopsluiting_2j", 2023, T, 1.0, 1.0),
            rate(
                "wederopsluiting_2j",
                2023,
                "lange_detentiegeschiedenis=ja",
                1.0,
                1.0,
            ),
            rate(
                "wederopsluiting_2j",
                2023,
                "deelname_werk_onderwijs=nee",
                1.0,
                1.0,
            ),
            // 2024: u2 and u3 are not yet followed for two years: left out, not "no".
            rate("wederopsluiting_2j", 2024, T, 0.0, 0.0),
            rate("wederopsluiting_2j", 2025, T, 0.0, 0.0),
            // Data quality (extra indicator): unknown employment among releases.
            rate("werk_onbekend", 2022, T, 0.0, 2.0),
            rate("werk_onbekend", 2023, T, 0.0, 1.0),
            rate("werk_onbekend", 2024, T, 1.0, 2.0),
            rate("werk_onbekend", 2025, T, 0.0, 0.0),
        ],
    );
}

#[test]
fn spending_indicators() {
    let got = evaluate(&model(), "2022..2025");
    let (b22, b23, b24) = (245.0 / 365.0, 579.0 / 365.0, 857.0 / 366.0);
    check(
        &got,
        &[
            // No middelen rows for 2022 and 2023: totals null, no breakdowns.
            plain("uitgaven", 2022, T, None),
            plain("uitgaven", 2023, T, None),
            // 2024: 100000 + 150000 + 50000.5 + 30000 (central) = 330000.5.
            plain("uitgaven", 2024, T, Some(330_000.5)),
            plain("uitgaven", 2024, "gevangenis=brugge", Some(100_000.0)),
            plain("uitgaven", 2024, "gevangenis=gent", Some(200_000.5)),
            plain("uitgaven", 2024, "partner=CAW", Some(250_000.0)),
            plain("uitgaven", 2024, "partner=CVO", Some(50_000.5)),
            plain("uitgaven", 2024, "partner=Departement WVG", Some(30_000.0)),
            plain("uitgaven", 2024, "domein=onderwijs", Some(50_000.5)),
            plain("uitgaven", 2024, "domein=welzijn", Some(280_000.0)),
            plain("uitgaven", 2025, T, Some(80_000.0)),
            plain("uitgaven", 2025, "gevangenis=haren", Some(80_000.0)),
            plain("uitgaven", 2025, "partner=VDAB", Some(80_000.0)),
            plain("uitgaven", 2025, "domein=werk", Some(80_000.0)),
            // Spending / average daily population (from the population test).
            ratio("uitgaven_per_gedetineerde", 2022, T, None, b22),
            ratio("uitgaven_per_gedetineerde", 2023, T, None, b23),
            ratio("uitgaven_per_gedetineerde", 2024, T, Some(330_000.5), b24),
            ratio(
                "uitgaven_per_gedetineerde",
                2024,
                "gevangenis=brugge",
                Some(100_000.0),
                71.0 / 366.0,
            ),
            ratio(
                "uitgaven_per_gedetineerde",
                2024,
                "gevangenis=gent",
                Some(200_000.5),
                785.0 / 366.0,
            ),
            // haren had a detainee in 2024 but no middelen rows: numerator 0.
            ratio(
                "uitgaven_per_gedetineerde",
                2024,
                "gevangenis=haren",
                Some(0.0),
                1.0 / 366.0,
            ),
            ratio("uitgaven_per_gedetineerde", 2025, T, Some(80_000.0), 2.0),
            ratio(
                "uitgaven_per_gedetineerde",
                2025,
                "gevangenis=gent",
                Some(0.0),
                1.0,
            ),
            ratio(
                "uitgaven_per_gedetineerde",
                2025,
                "gevangenis=haren",
                Some(80_000.0),
                1.0,
            ),
        ],
    );
}

/// A four-action plan for 2020-2022 and three local plans.
fn small_plan(model: &mut Model) {
    let action = |id: &str, obj: &str, status: &[(i32, ActionStatus)]| Action {
        id: id.into(),
        titel: format!("Actie {id}"),
        voorlopige_titel: false,
        doelstelling: obj.into(),
        cluster: None,
        trekker: "x".into(),
        indicatoren: vec![],
        status: status
            .iter()
            .map(|&(jaar, status)| StatusEntry {
                jaar,
                status,
                toelichting: None,
            })
            .collect(),
        ..Default::default()
    };
    use ActionStatus::*;
    model.plan = Plan {
        titel: "Testplan".into(),
        eerste_jaar: 2020,
        laatste_jaar: 2022,
        goedgekeurd: None,
        doelstellingen: ["SD1", "SD2"]
            .iter()
            .map(|id| Objective {
                id: (*id).into(),
                titel: (*id).into(),
                korte_titel: None,
                ..Default::default()
            })
            .collect(),
        acties: vec![
            action("A1", "SD1", &[(2020, Lopend), (2021, Gerealiseerd)]),
            action("A2", "SD1", &[(2021, Geschrapt)]),
            action("A3", "SD2", &[]),
            action("A4", "SD2", &[(2020, Vertraagd), (2022, Gerealiseerd)]),
        ],
        ..Default::default()
    };
    let local = |id: &str, links: &[&str]| LocalAction {
        id: id.into(),
        titel: id.into(),
        strategische_acties: links.iter().map(|s| (*s).into()).collect(),
        eigenaar: "x".into(),
        status: Lopend,
        toelichting: None,
        doelen: vec![],
    };
    let plan = |prison: &str, year: i32, acties: Vec<LocalAction>| LocalPlan {
        gevangenis: prison.into(),
        jaar: year,
        lokaal_beleidsteam: None,
        acties,
        file: String::new(),
    };
    model.local_plans = vec![
        plan(
            "brugge",
            2021,
            vec![
                local("L1", &["A1", "A3"]),
                local("L2", &[]),
                local("L3", &["A1"]),
            ],
        ),
        plan("gent", 2021, vec![local("L1", &["A4"])]),
        plan("brugge", 2022, vec![local("L1", &["A2"])]),
    ];
}

#[test]
fn plan_indicators() {
    let mut m = model();
    small_plan(&mut m);
    let got = evaluate(&m, "2019..2023");
    check(
        &got,
        &[
            // 2019, before the first entry: every action is planned, none cancelled.
            rate("acties_gerealiseerd", 2019, T, 0.0, 4.0),
            rate("acties_gerealiseerd", 2019, "doelstelling=SD1", 0.0, 2.0),
            rate("acties_gerealiseerd", 2019, "doelstelling=SD2", 0.0, 2.0),
            // 2020: A1 lopend, A2 and A3 gepland (no entry yet), A4 vertraagd.
            rate("acties_gerealiseerd", 2020, T, 0.0, 4.0),
            rate("acties_gerealiseerd", 2020, "doelstelling=SD1", 0.0, 2.0),
            rate("acties_gerealiseerd", 2020, "doelstelling=SD2", 0.0, 2.0),
            // 2021: A1 realised, A2 cancelled (left out), A3 planned, A4 delayed.
            rate("acties_gerealiseerd", 2021, T, 1.0, 3.0),
            rate("acties_gerealiseerd", 2021, "doelstelling=SD1", 1.0, 1.0),
            rate("acties_gerealiseerd", 2021, "doelstelling=SD2", 0.0, 2.0),
            // 2022: A1 and A4 realised (A1's 2021 status carries forward).
            rate("acties_gerealiseerd", 2022, T, 2.0, 3.0),
            rate("acties_gerealiseerd", 2022, "doelstelling=SD1", 1.0, 1.0),
            rate("acties_gerealiseerd", 2022, "doelstelling=SD2", 1.0, 2.0),
            // 2023, after the plan period: the 2022 statuses stay (A1, A4 realised, A2
            // cancelled, A3 planned).
            rate("acties_gerealiseerd", 2023, T, 2.0, 3.0),
            rate("acties_gerealiseerd", 2023, "doelstelling=SD1", 1.0, 1.0),
            rate("acties_gerealiseerd", 2023, "doelstelling=SD2", 1.0, 2.0),
            // Local plans link: 2021 brugge {A1, A3} (L2 unlinked), gent {A4} → union
            // {A1, A3, A4} of 4 actions; 2022 brugge {A2}.
            rate("lokale_afstemming", 2019, T, 0.0, 4.0),
            rate("lokale_afstemming", 2020, T, 0.0, 4.0),
            rate("lokale_afstemming", 2021, T, 3.0, 4.0),
            rate("lokale_afstemming", 2021, "gevangenis=brugge", 2.0, 4.0),
            rate("lokale_afstemming", 2021, "gevangenis=gent", 1.0, 4.0),
            rate("lokale_afstemming", 2022, T, 1.0, 4.0),
            rate("lokale_afstemming", 2022, "gevangenis=brugge", 1.0, 4.0),
            rate("lokale_afstemming", 2023, T, 0.0, 4.0),
        ],
    );
}

#[test]
fn every_core_indicator_is_defined_and_tested() {
    // The ids of INDICATORS.md; each has a YAML file and expected cells above.
    let core = [
        "gedetineerden",
        "gemiddelde_bezetting",
        "deelname_graad",
        "opleiding_voltooid",
        "examen_deelname",
        "examen_geslaagd",
        "traject_uitval",
        "uitval_reden_onbekend",
        "wachtenden",
        "wachttijd_mediaan",
        "vrijgelaten_wachtend",
        "uitstroom_deelname",
        "werk_na_vrijlating",
        "wederopsluiting_2j",
        "uitgaven",
        "uitgaven_per_gedetineerde",
        "acties_gerealiseerd",
        "lokale_afstemming",
    ];
    let m = model();
    for id in core {
        assert!(m.indicator(id).is_some(), "{id} has no YAML file");
    }
    let tests = include_str!("indicators.rs");
    for id in core {
        assert!(
            tests.matches(&format!("(\"{id}\", 20")).count() >= 2,
            "{id} has no expected cells in this file"
        );
    }
}
