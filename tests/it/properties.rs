//! Property tests: the cell parsers never panic and read back what they should; the progress
//! method is monotone in the value and symmetric for "lower is better".

use chrono::{Datelike, NaiveDate};
use hdv::assess::{Goal, Point, Spec, Status, assess};
use hdv::load::cell::{parse_date, parse_decimal, parse_yes_no};
use hdv::model::{Baseline, Direction, IndicatorKind, ProgressMethod, Target};
use proptest::prelude::*;

fn date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..2100, 1u32..=12, 1u32..=31)
        .prop_filter_map("a real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
}

proptest! {
    #[test]
    fn any_text_parses_or_is_refused_without_panic(s in "\\PC{0,24}") {
        let _ = parse_date(&s);
        let _ = parse_yes_no(&s);
        let _ = parse_decimal(&s, true);
        let _ = parse_decimal(&s, false);
    }

    #[test]
    fn both_date_forms_read_back(d in date(), pad in "[ ]{0,3}") {
        let iso = format!("{pad}{}{pad}", d.format("%Y-%m-%d"));
        prop_assert_eq!(parse_date(&iso), Some(d));
        let dmy = format!("{}/{}/{}", d.day(), d.month(), d.year());
        prop_assert_eq!(parse_date(&dmy), Some(d));
        let dmy0 = format!("{:02}/{:02}/{}", d.day(), d.month(), d.year());
        prop_assert_eq!(parse_date(&dmy0), Some(d));
    }

    #[test]
    fn a_parsed_date_is_always_a_real_date(y in 1900i32..2100, m in 0u32..15, d in 0u32..34) {
        let text = format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(parse_date(&text), NaiveDate::from_ymd_opt(y, m, d));
    }

    #[test]
    fn yes_no_is_exactly_ja_or_nee_in_any_case(s in "[jJaAnNeE]{0,4}", pad in "[ ]{0,2}") {
        let text = format!("{pad}{s}{pad}");
        let expected = match s.to_lowercase().as_str() {
            "ja" => Some(true),
            "nee" => Some(false),
            _ => None,
        };
        prop_assert_eq!(parse_yes_no(&text), expected);
    }

    #[test]
    fn decimals_read_back(x in -1.0e9f64..1.0e9) {
        let text = format!("{x}");
        prop_assert_eq!(parse_decimal(&text, false), Some(x));
        prop_assert_eq!(parse_decimal(&text.replace('.', ","), true), Some(x));
    }
}

fn spec(direction: Direction, method: ProgressMethod) -> Spec {
    Spec {
        kind: IndicatorKind::Aantal,
        direction,
        method,
        min_denominator: 30.0,
        sampled: false,
    }
}

fn goal(base: f64, target: f64) -> (Baseline, Vec<Target>) {
    (
        Baseline {
            jaar: 2020,
            waarde: base,
            voorbeeld: false,
        },
        vec![Target {
            jaar: 2025,
            waarde: target,
            gevangenis: None,
            voorbeeld: false,
            plan: None,
        }],
    )
}

fn point(year: i32, value: f64) -> Option<Point> {
    Some(Point {
        year,
        value,
        numerator: None,
        denominator: None,
        interval: None,
    })
}

fn rank(s: Status) -> i32 {
    match s {
        Status::NietOpKoers => 0,
        Status::OpKoers => 1,
        Status::Bereikt => 2,
        _ => -1,
    }
}

proptest! {
    #[test]
    fn progress_is_monotone_in_the_value(
        base in 1.0f64..100.0, gain in 1.0f64..100.0, year in 2021i32..=2025,
        a in 0.0f64..250.0, b in 0.0f64..250.0, cagr in any::<bool>(),
    ) {
        let method = if cagr { ProgressMethod::Cagr } else { ProgressMethod::Lineair };
        let s = spec(Direction::HogerIsBeter, method);
        let (bl, t) = goal(base, base + gain);
        let g = Goal { baseline: Some(&bl), targets: &t };
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (lo, hi) = (lo.max(0.01), hi.max(0.01));
        let s_lo = assess(&s, &g, None, point(year, lo), None, &[]).status;
        let s_hi = assess(&s, &g, None, point(year, hi), None, &[]).status;
        prop_assert!(rank(s_lo) <= rank(s_hi), "{lo} → {s_lo:?}, {hi} → {s_hi:?}");
    }

    #[test]
    fn lower_is_better_mirrors_higher_is_better(
        base in 1.0f64..100.0, gain in 1.0f64..100.0, year in 2021i32..=2025, v in 0.0f64..250.0,
    ) {
        // Mirror around 1000: a value going up by g is, mirrored, the same value going down.
        let (b_up, t_up) = goal(base, base + gain);
        let (b_down, t_down) = goal(1000.0 - base, 1000.0 - base - gain);
        let a = assess(
            &spec(Direction::HogerIsBeter, ProgressMethod::Lineair),
            &Goal { baseline: Some(&b_up), targets: &t_up },
            None, point(year, v), None, &[],
        );
        let b = assess(
            &spec(Direction::LagerIsBeter, ProgressMethod::Lineair),
            &Goal { baseline: Some(&b_down), targets: &t_down },
            None, point(year, 1000.0 - v), None, &[],
        );
        prop_assert_eq!(a.status, b.status);
        match (a.covered, b.covered) {
            (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-9),
            (x, y) => prop_assert_eq!(x, y),
        }
    }
}
