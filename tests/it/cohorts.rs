//! The release-cohort figures of COHORTS.md on a hand-worked fixture.
//!
//! `tests/fixtures/indicators/cohort/` is read through the real loader and evaluated with the
//! project's indicators. Every expected cell was worked out by hand from the fixture; the
//! derivation is written next to it. Every printed cell is checked, and no other cell may be
//! printed.
//!
//! Fixture (`t` = days from release; "fu" = opvolging_tot; "exp" = a deelname row in werk or
//! onderwijs with start between detentie_begin and vrijlating):
//!
//! Cohort 2020, all released 2020-01-01 after a detention from 2019-01-01:
//!
//! | row | lang | exp | back at t | fu t | observed | k1 | k2 |
//! |---|---|---|---|---|---|---|---|
//! | P01 | nee | ja (werk) | 100 | 900 | event 100 | ja | ja |
//! | P02 | nee | ja (onderwijs, running) | – | 100 | censored 100 | ja | – |
//! | P03 | nee | ja (starts on detentie_begin) | – | 900 | censored 900 | nee | nee |
//! | P04 | nee | nee | 200 | 900 | event 200 | nee | nee |
//! | P05 | nee | nee (sport only) | 400 | 900 | event 400 | ja | ja |
//! | P06 | nee | nee (onderwijs starts the day after release) | – | 900 | censored 900 | nee | – |
//! | P07 | ja | nee | 50 | 900 | event 50 | nee | nee |
//! | P08 | ja | nee | 300 | 900 | event 300 | nee | nee |
//! | P09 | ja | ja (werk starts on the release day) | – | 500 | censored 500 | ja | ja |
//! | P10 | ja | nee | 950 (after fu) | 900 | censored 900 | – | nee |
//!
//! Cohort 2021, released 2021-07-01, followed to 2022-03-31 (t = 273): P11 lang nee, exp nee,
//! back 2021-08-10 (event 40), k1 nee; P12 lang nee, exp nee, censored 273, k1 unknown; P13
//! lang ja, exp ja (onderwijs 2021-01-10), censored 273, k1 ja. No k2 in 2021.
//! Nobody is released in 2022.

use hdv::engine::Observation;
use hdv::model::Model;
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/indicators/cohort";
const IDS: [&str; 6] = [
    "wederopsluiting_km_1j",
    "wederopsluiting_km_2j",
    "wederopsluiting_mediaan_dagen",
    "werk_na_vrijlating_k2",
    "verschil_wederopsluiting_deelname",
    "verschil_werk_deelname",
];

/// (indicator, year, cell, value, numerator, denominator, interval)
type Cell = (
    &'static str,
    i32,
    &'static str,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<(Option<f64>, Option<f64>)>,
);

const T: &str = "";
const LN: &str = "lange_detentiegeschiedenis=nee";
const LJ: &str = "lange_detentiegeschiedenis=ja";
const WN: &str = "deelname_werk_onderwijs=nee";
const WJ: &str = "deelname_werk_onderwijs=ja";

/// A Kaplan–Meier risk cell: value `100 * (1 - S)` (null when nobody is followed long
/// enough), numerator the events by the horizon, denominator the rows.
fn km(
    ind: &'static str,
    year: i32,
    dim: &'static str,
    s: Option<f64>,
    events: f64,
    rows: f64,
) -> Cell {
    (
        ind,
        year,
        dim,
        s.map(|s| 100.0 * (1.0 - s)),
        Some(events),
        Some(rows),
        None,
    )
}

fn median(year: i32, dim: &'static str, days: Option<f64>) -> Cell {
    (
        "wederopsluiting_mediaan_dagen",
        year,
        dim,
        days,
        None,
        None,
        None,
    )
}

fn rate(ind: &'static str, year: i32, dim: &'static str, num: f64, den: f64) -> Cell {
    let v = (den != 0.0).then(|| 100.0 * num / den);
    (ind, year, dim, v, Some(num), Some(den), None)
}

/// A difference `100 * rd` with interval `100 * (rd ± 1.959964 * sqrt(var))` on `rows` rows.
fn diff(ind: &'static str, year: i32, rd_var: Option<(f64, f64)>, rows: f64) -> Cell {
    match rd_var {
        Some((rd, var)) => {
            let half = 1.959964 * var.sqrt();
            (
                ind,
                year,
                T,
                Some(100.0 * rd),
                None,
                Some(rows),
                Some((Some(100.0 * (rd - half)), Some(100.0 * (rd + half)))),
            )
        }
        None => (ind, year, T, None, None, Some(rows), Some((None, None))),
    }
}

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

fn check(got: &[Observation], expected: &[Cell]) {
    let mut errors = Vec::new();
    for e in expected {
        let found: Vec<&Observation> = got
            .iter()
            .filter(|o| o.indicator == e.0 && o.year == e.1 && label(o) == e.2)
            .collect();
        match found.as_slice() {
            [o] => {
                let ci = o.interval.map(|i| (i.low, i.high));
                let ci_ok = match (ci, e.6) {
                    (None, None) => true,
                    (Some((a, b)), Some((c, d))) => close(a, c) && close(b, d),
                    _ => false,
                };
                if !close(o.value, e.3)
                    || !close(o.numerator, e.4)
                    || !close(o.denominator, e.5)
                    || !ci_ok
                {
                    errors.push(format!(
                        "{} {} [{}]: got {:?} {:?} {:?} {:?}, expected {:?} {:?} {:?} {:?}",
                        e.0, e.1, e.2, o.value, o.numerator, o.denominator, ci, e.3, e.4, e.5, e.6
                    ));
                }
            }
            [] => errors.push(format!("{} {} [{}]: missing", e.0, e.1, e.2)),
            _ => errors.push(format!("{} {} [{}]: printed twice", e.0, e.1, e.2)),
        }
    }
    for o in got {
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

fn model() -> Model {
    hdv::model::load_model(Path::new(".")).expect("the project's model is valid")
}

fn evaluate(model: &Model) -> Vec<Observation> {
    let session = crate::common::session(FIXTURE);
    let inputs = crate::common::fixture_inputs(model, FIXTURE);
    let indicators: Vec<_> = model
        .indicators
        .iter()
        .filter(|i| IDS.contains(&i.id.as_str()))
        .cloned()
        .collect();
    assert_eq!(
        indicators.len(),
        IDS.len(),
        "every cohort figure has a YAML file"
    );
    let eval = session
        .evaluate(&inputs, &indicators, "2020..2022".parse().unwrap())
        .expect("indicators evaluate");
    assert!(eval.skipped.is_empty(), "skipped: {:?}", eval.skipped);
    eval.observations
}

#[test]
fn kaplan_meier_figures() {
    let got = evaluate(&model());
    let got: Vec<Observation> = got
        .into_iter()
        .filter(|o| o.indicator.starts_with("wederopsluiting_"))
        .collect();
    let (k1, k2) = ("wederopsluiting_km_1j", "wederopsluiting_km_2j");
    check(
        &got,
        &[
            // 2020 total, ten rows; observed: 50e 100e 100c 200e 300e 400e 500c 900c 900c 900c.
            // t=50:  n=10, d=1: S = 9/10.
            // t=100: n=9 (P02, censored at 100, is still at risk), d=1: S = 9/10 · 8/9 = 4/5.
            //        (Dropping P02 first would give n=8 and S = 0.7875: the tie rule matters.)
            // t=200: n=7, d=1: S = 4/5 · 6/7 = 24/35.
            // t=300: n=6, d=1: S = 24/35 · 5/6 = 4/7.
            // t=400: n=5, d=1: S = 4/7 · 4/5 = 16/35.
            // S(365) = 4/7 (4 events by 365); S(730) = 16/35 (5 events; P03, P06, P10 are
            // followed to 900 >= 730). Median: S(300) = 4/7 > 1/2, S(400) = 16/35 <= 1/2: 400.
            km(k1, 2020, T, Some(4.0 / 7.0), 4.0, 10.0),
            km(k2, 2020, T, Some(16.0 / 35.0), 5.0, 10.0),
            median(2020, T, Some(400.0)),
            // lang=nee (P01-P06): 100e 100c 200e 400e 900c 900c.
            // t=100: n=6, d=1: 5/6; t=200: n=4: 5/6 · 3/4 = 5/8; t=400: n=3: 5/8 · 2/3 = 5/12.
            km(k1, 2020, LN, Some(5.0 / 8.0), 2.0, 6.0),
            km(k2, 2020, LN, Some(5.0 / 12.0), 3.0, 6.0),
            median(2020, LN, Some(400.0)),
            // lang=ja (P07-P10): 50e 300e 500c 900c. t=50: n=4: 3/4; t=300: n=3: 3/4 · 2/3 =
            // 1/2. S(300) = 0.5 exactly, which is <= 0.5: the median is 300. P10 is followed
            // to 900, so S(730) is defined.
            km(k1, 2020, LJ, Some(0.5), 2.0, 4.0),
            km(k2, 2020, LJ, Some(0.5), 2.0, 4.0),
            median(2020, LJ, Some(300.0)),
            // exp=ja (P01, P02, P03, P09): 100e 100c 500c 900c. t=100: n=4, d=1: S = 3/4,
            // and S stays 3/4 > 1/2: no median.
            km(k1, 2020, WJ, Some(0.75), 1.0, 4.0),
            km(k2, 2020, WJ, Some(0.75), 1.0, 4.0),
            median(2020, WJ, None),
            // exp=nee (P04-P08, P10): 50e 200e 300e 400e 900c 900c.
            // t=50: n=6: 5/6; t=200: n=5: 2/3; t=300: n=4: 1/2 (median 300); t=400: n=3: 1/3.
            km(k1, 2020, WN, Some(0.5), 3.0, 6.0),
            km(k2, 2020, WN, Some(1.0 / 3.0), 4.0, 6.0),
            median(2020, WN, Some(300.0)),
            // 2021: 40e 273c 273c. Nobody is followed 365 days: both risks null (the counts
            // stay). S(40) = 2/3 > 1/2: no median in the total.
            km(k1, 2021, T, None, 1.0, 3.0),
            km(k2, 2021, T, None, 1.0, 3.0),
            median(2021, T, None),
            // lang=nee and exp=nee (P11, P12): t=40: n=2, d=1: S = 1/2: median 40, reached
            // although the follow-up stops before a year.
            km(k1, 2021, LN, None, 1.0, 2.0),
            km(k2, 2021, LN, None, 1.0, 2.0),
            median(2021, LN, Some(40.0)),
            km(k1, 2021, WN, None, 1.0, 2.0),
            km(k2, 2021, WN, None, 1.0, 2.0),
            median(2021, WN, Some(40.0)),
            // lang=ja and exp=ja (P13): censored at 273, no event.
            km(k1, 2021, LJ, None, 0.0, 1.0),
            km(k2, 2021, LJ, None, 0.0, 1.0),
            median(2021, LJ, None),
            km(k1, 2021, WJ, None, 0.0, 1.0),
            km(k2, 2021, WJ, None, 0.0, 1.0),
            median(2021, WJ, None),
            // 2022: no releases; only the totals, null.
            km(k1, 2022, T, None, 0.0, 0.0),
            km(k2, 2022, T, None, 0.0, 0.0),
            median(2022, T, None),
        ],
    );
}

#[test]
fn work_in_the_second_quarter() {
    let got: Vec<Observation> = evaluate(&model())
        .into_iter()
        .filter(|o| o.indicator == "werk_na_vrijlating_k2")
        .collect();
    let k = "werk_na_vrijlating_k2";
    check(
        &got,
        &[
            // 2020, k2 known for P01 ja, P03 nee, P04 nee, P05 ja, P07 nee, P08 nee, P09 ja,
            // P10 nee (P02, P06 unknown): 3 of 8.
            rate(k, 2020, T, 3.0, 8.0),
            // lang=nee: P01, P03, P04, P05: 2 of 4; lang=ja: P07, P08, P09, P10: 1 of 4.
            rate(k, 2020, LN, 2.0, 4.0),
            rate(k, 2020, LJ, 1.0, 4.0),
            // exp=ja: P01, P03, P09: 2 of 3; exp=nee: P04, P05, P07, P08, P10: 1 of 5.
            rate(k, 2020, WJ, 2.0, 3.0),
            rate(k, 2020, WN, 1.0, 5.0),
            // 2021: nobody's k2 is known; 2022: no releases.
            rate(k, 2021, T, 0.0, 0.0),
            rate(k, 2022, T, 0.0, 0.0),
        ],
    );
}

#[test]
fn mantel_haenszel_differences() {
    let got: Vec<Observation> = evaluate(&model())
        .into_iter()
        .filter(|o| o.indicator.starts_with("verschil_"))
        .collect();
    check(
        &got,
        &[
            // Reincarceration within two years, 2020: rows followed >= 730 days (P02 and P09
            // are left out); outcome back by day 730 (P10's return on day 950 is not).
            // - lang=nee: exposed P01 (back), P03: a=1, n1=2; others P04, P05 (back), P06:
            //   c=2, n0=3; N=5, b=1, d=1.
            // - lang=ja: no exposed row left (P09 is not followed two years): left out.
            // RD = ((1·3 - 2·2)/5) / (2·3/5) = (-1/5)/(6/5) = -1/6 (the crude 1/2 - 2/3).
            // Var = ((1·1·27 + 2·1·8)/(2·3·25)) / (6/5)² = (43/150)/(36/25) = 1075/5400
            //     = 0.19907407 (= 0.25/2 + (2/9)/3); sqrt = 0.44617718; half-width
            //     1.959964 · 0.44617718 = 0.87449121. Interval [-1.04115787, 0.70782454],
            //     in percentage points [-104.115787, 70.782454]. Rows used: 5.
            diff(
                "verschil_wederopsluiting_deelname",
                2020,
                Some((-1.0 / 6.0, 1075.0 / 5400.0)),
                5.0,
            ),
            // 2021: nobody is followed two years; 2022: no releases. No stratum left.
            diff("verschil_wederopsluiting_deelname", 2021, None, 0.0),
            diff("verschil_wederopsluiting_deelname", 2022, None, 0.0),
            // Work in quarter 1, 2020: rows with k1 known (P10 is left out).
            // - lang=nee: exposed P01 ja, P02 ja, P03 nee: a=2, n1=3; others P04 nee, P05 ja,
            //   P06 nee: c=1, n0=3; N=6, b=1, d=2.
            // - lang=ja: exposed P09 ja: a=1, n1=1; others P07, P08 nee: c=0, n0=2; N=3, b=0.
            // RD numerator: (2·3 - 1·3)/6 + (1·2 - 0·1)/3 = 1/2 + 2/3 = 7/6;
            // weights: 3·3/6 + 1·2/3 = 3/2 + 2/3 = 13/6; RD = 7/13 = 0.53846154.
            // Var numerator: (2·1·27 + 1·2·27)/(3·3·36) + (1·0·8 + 0·2·1)/(1·2·9)
            //   = 108/324 + 0 = 1/3; Var = (1/3)/(13/6)² = 36/507 = 12/169 = 0.07100592;
            // sqrt = 0.26646936; half-width 0.52227034. Interval [0.01619120, 1.06073188],
            // in percentage points [1.619120, 106.073188]. Rows used: 6 + 3 = 9.
            diff(
                "verschil_werk_deelname",
                2020,
                Some((7.0 / 13.0, 12.0 / 169.0)),
                9.0,
            ),
            // 2021, k1 known: P11 (lang nee, not exposed) and P13 (lang ja, exposed): each
            // stratum lacks one group, both are left out: null, 0 rows.
            diff("verschil_werk_deelname", 2021, None, 0.0),
            diff("verschil_werk_deelname", 2022, None, 0.0),
        ],
    );
}

/// The difference rows print `ci_low`/`ci_high`; the other cohort rows keep the shape of
/// INDICATORS.md.
#[test]
fn jsonl_has_intervals_on_the_differences_only() {
    let got = evaluate(&model());
    for o in &got {
        let line = hdv::render::eval::jsonl_line(o);
        assert_eq!(
            line.contains("\"ci_low\"") && line.contains("\"ci_high\""),
            o.indicator.starts_with("verschil_"),
            "{line}"
        );
    }
    let rd = got
        .iter()
        .find(|o| o.indicator == "verschil_werk_deelname" && o.year == 2021)
        .unwrap();
    assert_eq!(
        hdv::render::eval::jsonl_line(rd),
        r#"{"indicator":"verschil_werk_deelname","year":2021,"dims":{},"value":null,"numerator":null,"denominator":0,"ci_low":null,"ci_high":null}"#
    );
}

/// The report's cohort section, built from the release rows, shows the figures of `hdv eval`
/// for every group, and its hand-worked curve, numbers at risk and Court's table.
#[test]
fn the_cohort_section_equals_eval() {
    let m = model();
    let got = evaluate(&m);
    let session = crate::common::session(FIXTURE);
    let inputs = crate::common::fixture_inputs(&m, FIXTURE);
    let rows = session
        .block_on(hdv::engine::release_rows(
            &inputs.ctx,
            "2020..2022".parse().unwrap(),
        ))
        .unwrap();
    assert_eq!(rows.len(), 13);
    let section = hdv::cohort::cohort_section(&rows, &[2020, 2021, 2022]);
    let cell = |ind: &str, year: i32, dim: &str| {
        got.iter()
            .find(|o| o.indicator == ind && o.year == year && label(o) == dim)
            .unwrap_or_else(|| panic!("{ind} {year} {dim}"))
    };
    let days = |v: Option<i64>| v.map(|d| d as f64);
    for c in &section.cohorts {
        if c.size == 0 {
            assert!(c.curves.is_empty());
            continue;
        }
        for curve in &c.curves {
            let dim = format!("deelname_werk_onderwijs={}", curve.deelname_werk_onderwijs);
            let dim = dim.as_str();
            assert!(close(
                curve.km_1j,
                cell("wederopsluiting_km_1j", c.year, dim).value
            ));
            assert!(close(
                curve.km_2j,
                cell("wederopsluiting_km_2j", c.year, dim).value
            ));
            let median = cell("wederopsluiting_mediaan_dagen", c.year, dim).value;
            assert!(close(days(curve.median_days), median), "{} {dim}", c.year);
        }
        for r in &c.court_table {
            let dim = match r.lange_detentiegeschiedenis.as_str() {
                "totaal" => String::new(),
                v => format!("lange_detentiegeschiedenis={v}"),
            };
            let dim = dim.as_str();
            assert!(close(
                r.km_2j,
                cell("wederopsluiting_km_2j", c.year, dim).value
            ));
            let median = cell("wederopsluiting_mediaan_dagen", c.year, dim).value;
            assert!(close(days(r.median_days), median));
            let k2 = got.iter().find(|o| {
                o.indicator == "werk_na_vrijlating_k2" && o.year == c.year && label(o) == dim
            });
            assert!(close(r.work_q2.value, k2.and_then(|o| o.value)));
        }
        let rd = cell("verschil_wederopsluiting_deelname", c.year, T);
        assert!(close(c.difference_reincarceration.value, rd.value));
        assert!(close(
            c.difference_reincarceration.low,
            rd.interval.unwrap().low
        ));
        let rd = cell("verschil_werk_deelname", c.year, T);
        assert!(close(c.difference_work.value, rd.value));
        assert!(close(c.difference_work.high, rd.interval.unwrap().high));
    }
    let c20 = &section.cohorts[0];
    assert_eq!((c20.year, c20.size), (2020, 10));
    // Participants (P01, P02, P03, P09): 100e 100c 500c 900c. The curve starts at (0, 1),
    // steps to 3/4 at 100 and ends at the last observed time, 900.
    let ja = &c20.curves[0];
    assert_eq!(ja.deelname_werk_onderwijs, "ja");
    let pts: Vec<(i64, f64, usize)> = ja
        .points
        .iter()
        .map(|p| (p.t, p.survival, p.at_risk))
        .collect();
    assert_eq!(pts, vec![(0, 1.0, 4), (100, 0.75, 4), (900, 0.75, 1)]);
    // At risk (observed time >= t): day 0: 4; 182 and 365: P03 (900), P09 (500); 547 and
    // 730: P03 only.
    let at: Vec<(i64, usize)> = ja.at_risk.iter().map(|a| (a.t, a.n)).collect();
    assert_eq!(at, vec![(0, 4), (182, 2), (365, 2), (547, 1), (730, 1)]);
    // Court's table, lange_detentiegeschiedenis = ja (P07-P10): P09 takes part in werk;
    // work q1 known for P07 nee, P08 nee, P09 ja (1 of 3); back within two years among those
    // followed two years (P07, P08 yes; P10 back on day 950: no; P09 followed 500 days): 2/3.
    let ja = &c20.court_table[0];
    assert_eq!((ja.lange_detentiegeschiedenis.as_str(), ja.size), ("ja", 4));
    assert_eq!(ja.participation.len(), 1);
    assert_eq!(ja.participation[0].0, "werk");
    assert_eq!(ja.participation[0].1.numerator, 1);
    assert_eq!((ja.work_q1.numerator, ja.work_q1.denominator), (1, 3));
    let two = ja.reincarcerated_two_years;
    assert_eq!((two.numerator, two.denominator), (2, 3));
    // nee (P01-P06): onderwijs P02, P03 (P06's course starts after the release), sport P05,
    // werk P01; work or education 3 of 6.
    let nee = &c20.court_table[1];
    let p: Vec<(&str, usize)> = nee
        .participation
        .iter()
        .map(|(d, s)| (d.as_str(), s.numerator))
        .collect();
    assert_eq!(p, vec![("onderwijs", 2), ("sport", 1), ("werk", 1)]);
    assert_eq!(nee.work_or_education.numerator, 3);
    assert_eq!(c20.court_table[2].lange_detentiegeschiedenis, "totaal");
}
