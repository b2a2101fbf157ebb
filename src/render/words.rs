//! The words and numbers a reader sees for the report layer's typed values: statuses,
//! reasons, units, suppression marks, codes. Formatting only: every decision was taken in
//! `report` and `assess`.

use super::{nl_number, pct_label};
use crate::contract::Source;
use crate::model::ActionStatus;
use crate::report::Shown;
use crate::report::quality::Arrived;
use crate::report::{Assessment, Reason, Status, Tone};
use crate::report::{Basis, Figure, Marked, Unit};

/// How marks are written: the small-count label (`<5`) and the minimum denominator.
#[derive(Debug, Clone)]
pub struct Marks {
    pub small_label: String,
    /// The largest count shown as the small label.
    pub max_small: f64,
    pub min_denominator: f64,
    /// The disclosure policy in plain Dutch, for method sections.
    pub policy: Vec<String>,
}

impl Marks {
    pub fn of(p: &crate::model::Policy) -> Marks {
        Marks {
            small_label: p.small_label(),
            max_small: f64::from(p.drempel),
            min_denominator: f64::from(p.minimum_noemer),
            policy: super::afscherming::policy_lines(p),
        }
    }

    /// What the marks mean, in one sentence (under tables and in notes).
    pub fn note(&self) -> String {
        format!(
            "{} = een aantal van 1 tot {} personen of gebeurtenissen; × = niet gepubliceerd om kleine aantallen te beschermen (een percentage op minder dan {}, \"allen op enkelen na\", of een cel waaruit een klein aantal af te leiden zou zijn); geen gegevens = de bron heeft geen rijen voor dat jaar.",
            self.small_label,
            nl_number(self.max_small, 0),
            nl_number(self.min_denominator, 0)
        )
    }
}

/// The status as written in the report.
pub(crate) fn status(s: Status) -> &'static str {
    match s {
        Status::Bereikt => "doel bereikt",
        Status::OpKoers => "op koers",
        Status::NietOpKoers => "niet op koers",
        Status::GeenSignificanteWijziging => "geen significante wijziging",
        Status::OnvoldoendeGegevens => "onvoldoende gegevens",
        Status::GeenGegevens => "geen gegevens",
        Status::Verbetering => "verbetering (geen doel)",
        Status::Verslechtering => "verslechtering (geen doel)",
        Status::Stabiel => "stabiel (geen doel)",
        Status::Stijgend => "stijgend (geen doel)",
        Status::Dalend => "dalend (geen doel)",
    }
}

/// The css class of a tone (the colour is never the only cue: the word is always there).
pub(crate) fn tone(t: Tone) -> &'static str {
    match t {
        Tone::Good => "goed",
        Tone::Bad => "slecht",
        Tone::Neutral => "neutraal",
    }
}

pub(crate) fn action_status(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Gepland => "gepland",
        ActionStatus::Lopend => "lopend",
        ActionStatus::Gerealiseerd => "gerealiseerd",
        ActionStatus::Vertraagd => "vertraagd",
        ActionStatus::Geschrapt => "geschrapt",
    }
}

/// An action's status as a reader reads it; a sample status (the plan's
/// `statussen_voorbeeld`) is marked `VOORBEELD` beside it.
pub(crate) fn action_status_marked(s: ActionStatus, sample: bool) -> String {
    if sample {
        format!("{} (VOORBEELD)", action_status(s))
    } else {
        action_status(s).to_string()
    }
}

/// A value in its unit: `41,7 %`, `1.234`, `€ 10.784.111`, `12 dagen`.
pub(crate) fn value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Percent => pct_label(v),
        Unit::Whole => nl_number(v, 0),
        Unit::Decimal => nl_number(v, 1),
        Unit::Euro => format!("€ {}", nl_number(v, 0)),
        Unit::Points => format!("{} procentpunt", signed(v, 1)),
        Unit::Days => {
            let decimals = if v.fract() == 0.0 { 0 } else { 1 };
            format!("{} dagen", nl_number(v, decimals))
        }
    }
}

/// A value in its unit at `decimals` for percentages and percentage points (to agree with a
/// difference shown beside it, [`crate::report::Difference`]); other units as [`value`].
pub(crate) fn value_at(unit: Unit, v: f64, decimals: usize) -> String {
    match unit {
        Unit::Percent => format!("{} %", nl_number(v, decimals)),
        Unit::Points => format!("{} procentpunt", signed(v, decimals)),
        _ => value(unit, v),
    }
}

/// A change in percentage points that agrees with the values beside it: `-1,49 procentpunt`.
pub(crate) fn points_change(d: &crate::report::Difference) -> String {
    format!("{} procentpunt", signed(d.shown_change(), d.decimals))
}

/// A published figure: its value, or the mark that stands for it.
pub(crate) fn figure(f: &Figure, m: &Marks) -> String {
    match f.shown {
        Shown::Value(v) if f.sample => format!("{} (VOORBEELD)", value(f.unit, v)),
        Shown::Value(v) => value(f.unit, v),
        Shown::Small => m.small_label.clone(),
        Shown::Hidden => "×".into(),
        Shown::Empty => "–".into(),
        Shown::NoData => "geen gegevens".into(),
    }
}

/// A baseline or target: `69,7 % (2019)`, with `VOORBEELD` when it is a sample value.
pub(crate) fn marked(unit: Unit, m: &Marked) -> String {
    let mut s = format!("{} ({})", value(unit, m.value), m.year);
    if m.sample {
        s.push_str(" VOORBEELD");
    }
    s
}

/// `857 / 1.265`.
pub(crate) fn fraction(f: Option<(f64, f64)>) -> String {
    f.map(|(n, d)| format!("{} / {}", nl_number(n, 0), nl_number(d, 0)))
        .unwrap_or_default()
}

/// A 95 % interval of a rate: `65,1 % – 70,3 %`.
pub(crate) fn interval(i: Option<(f64, f64)>) -> String {
    i.map(|(lo, hi)| format!("{} – {}", pct_label(lo), pct_label(hi)))
        .unwrap_or_default()
}

/// A fraction between 0,05 and 0,95 in words: `een derde`, `drie kwart`.
fn fraction_word(f: f64) -> &'static str {
    const STEPS: [(f64, &str); 11] = [
        (0.1, "een tiende"),
        (0.2, "een vijfde"),
        (0.25, "een kwart"),
        (1.0 / 3.0, "een derde"),
        (0.4, "twee vijfde"),
        (0.5, "de helft"),
        (0.6, "drie vijfde"),
        (2.0 / 3.0, "twee derde"),
        (0.75, "drie kwart"),
        (0.8, "vier vijfde"),
        (0.9, "negen tiende"),
    ];
    STEPS
        .iter()
        .min_by(|a, b| (a.0 - f).abs().total_cmp(&(b.0 - f).abs()))
        .map(|s| s.1)
        .unwrap_or("een deel")
}

/// A share of the way to a target in words a lay reader understands.
pub(crate) fn share_of_way(f: f64) -> String {
    if f < 0.0 {
        "verder van het doel dan bij de start".into()
    } else if f < 0.05 {
        "nog nauwelijks vooruitgang richting het doel".into()
    } else if f >= 1.0 {
        "het doel is gehaald".into()
    } else if f > 0.95 {
        "bijna de hele weg naar het doel afgelegd".into()
    } else {
        format!(
            "ongeveer {} van de weg naar het doel afgelegd",
            fraction_word(f)
        )
    }
}

/// What the path expects by `year`, in words.
fn path_expects(e: f64, year: i32, expected: &str) -> String {
    if e >= 0.999 {
        format!("volgens het pad hoort het doel in {year} gehaald te zijn ({expected})")
    } else if e < 0.05 {
        format!("volgens het pad is in {year} nog nauwelijks vooruitgang nodig ({expected})")
    } else {
        format!(
            "volgens het pad hoort dat in {year} ongeveer {} te zijn (verwacht: {expected})",
            fraction_word(e)
        )
    }
}

/// Why a figure got its status, in one sentence.
pub(crate) fn reason(a: &Assessment, unit: Unit, year: i32) -> String {
    match a.reason {
        Reason::NoValue => "geen publiceerbare waarde voor dit jaar".into(),
        Reason::NoData => format!("een bron heeft geen gegevens voor {year}"),
        Reason::SmallDenominator { minimum } => format!(
            "minder dan {} in de noemer: te weinig om te beoordelen",
            nl_number(minimum, 0)
        ),
        Reason::NotAfterBaseline { baseline_year } => {
            format!("nog geen jaar na de basislijn ({baseline_year}) om te beoordelen")
        }
        Reason::PathUndefined => {
            "het pad naar het doel kan met deze methode niet berekend worden".into()
        }
        Reason::TargetMet => match a.target {
            Some((y, v)) => format!("het doel voor {y} ({}) is gehaald", value(unit, v)),
            None => "het doel is gehaald".into(),
        },
        Reason::Path {
            behind,
            significant,
        } => {
            let mut parts: Vec<String> = a.covered.map(share_of_way).into_iter().collect();
            if let (Some(e), Some(x)) = (a.expected_covered, a.expected) {
                parts.push(path_expects(e, year, &value(unit, x)));
            }
            match (behind, significant) {
                (true, Some(true)) => {
                    parts.push("het verschil is groter dan de toevalsmarge".into())
                }
                (true, Some(false)) => {
                    parts.push("het verschil valt binnen de toevalsmarge".into())
                }
                _ => {}
            }
            parts.join("; ")
        }
        Reason::WithinNoise { baseline_year } => format!(
            "niet te onderscheiden van het pad naar het doel, noch van de basislijn ({baseline_year}): te weinig gegevens om een verandering vast te stellen"
        ),
        Reason::Trend {
            growth,
            first_year,
            first_value,
            last_year,
            last_value,
            significant,
        } => {
            let s = if unit == Unit::Percent {
                format!(
                    "van {} in {first_year} naar {} in {last_year}",
                    value(unit, first_value),
                    value(unit, last_value)
                )
            } else {
                format!(
                    "gemiddeld {} % per jaar tussen {first_year} en {last_year}",
                    signed(100.0 * growth, 1)
                )
            };
            if significant == Some(false) {
                format!("{s}; het verschil valt binnen de toevalsmarge")
            } else {
                s
            }
        }
        Reason::PointsTrend {
            per_year,
            first_year,
            first_value,
            last_year,
            last_value,
            significant,
        } => {
            let s = format!(
                "van {} in {first_year} naar {} in {last_year}: gemiddeld {} procentpunt per jaar",
                value(unit, first_value),
                value(unit, last_value),
                signed(per_year, 1)
            );
            if significant == Some(false) {
                format!("{s}; het verschil valt binnen de toevalsmarge")
            } else {
                s
            }
        }
        Reason::ShortSeries => {
            "minder dan twee jaren met een gepubliceerde waarde: geen trend".into()
        }
        Reason::NoGrowth => {
            "geen groei per jaar te berekenen: de reeks begint of eindigt bij 0".into()
        }
    }
}

/// `+1,2` / `-3,4` (no sign on zero).
pub(crate) fn signed(v: f64, decimals: usize) -> String {
    let s = nl_number(v, decimals);
    if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// A source by its Dutch description.
pub(crate) fn source(s: Source) -> String {
    format!("{} ({})", s.name(), s.description())
}

/// What a figure rests on, by its Dutch description: a source, the local action plans or
/// the actions' statuses.
pub(crate) fn basis(b: Basis) -> String {
    match b {
        Basis::Source(s) => source(s),
        Basis::LocalPlans => "de lokale actieplannen".into(),
        Basis::Statuses => "de statussen van de acties".into(),
    }
}

/// Why a figure has no data in `year`, when it rests only on the plans' own data (`None`
/// when a source has no rows: then the assessment's own words say so).
pub(crate) fn plan_no_data(missing: &[Basis], year: i32) -> Option<String> {
    if missing.is_empty() || missing.iter().any(|b| matches!(b, Basis::Source(_))) {
        return None;
    }
    Some(
        missing
            .iter()
            .map(|b| match b {
                Basis::LocalPlans => format!("geen lokaal actieplan voor {year}"),
                _ => format!("nog geen status van de acties geregistreerd tot en met {year}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Missing expected deliveries in words: `levering ontbreekt van CAW (trajecten)`.
pub(crate) fn missing_deliveries(missing: &[(String, Source)]) -> String {
    if missing.is_empty() {
        return String::new();
    }
    format!(
        "verwachte levering ontbreekt van {}",
        missing
            .iter()
            .map(|(who, s)| format!("{who} ({})", s.name()))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A cell of the completeness matrix: the rows delivered, `ontbreekt`, `niet verplicht`, and
/// whether an earlier delivery was replaced.
pub(crate) fn delivered(d: Arrived) -> String {
    match d {
        Arrived::Missing => "ontbreekt".into(),
        Arrived::NotRequired => "niet verplicht".into(),
        Arrived::Rows { rows, replaced } => format!(
            "{} rijen{}",
            super::nl_number(rows as f64, 0),
            if replaced { " (herlevering)" } else { "" }
        ),
    }
}

/// A number of days: `1 dag`, `12 dagen`.
pub(crate) fn days(n: i64) -> String {
    if n == 1 {
        "1 dag".into()
    } else {
        format!("{n} dagen")
    }
}

/// A late delivery in words, its due date as `due` gives it: `CGG / trajecten 2025:
/// ontbreekt, 250 dagen na de termijn van 31-03-2026`.
pub(crate) fn late_year(
    l: &crate::report::quality::Late,
    due: impl Fn(chrono::NaiveDate) -> String,
) -> String {
    format!(
        "{} / {} {}: {}, {} na de termijn van {}",
        l.supplier,
        l.source.name(),
        l.year,
        if l.missing {
            "ontbreekt"
        } else {
            "eerst getrokken"
        },
        days(l.days),
        due(l.due)
    )
}

/// A delivery's number of cells in short: `1 cel`, `21 cellen`.
pub(crate) fn cell_count(n: usize) -> String {
    match n {
        1 => "1 cel".into(),
        n => format!("{n} cellen"),
    }
}

/// A breakdown dimension in words.
pub(crate) fn dimension(d: &str) -> String {
    match d {
        "gevangenis" => "per gevangenis".into(),
        "partner" => "per partner".into(),
        "domein" => "per domein".into(),
        "lange_detentiegeschiedenis" => "naar detentieverleden".into(),
        "deelname_werk_onderwijs" => "naar deelname aan werk of onderwijs".into(),
        "doelstelling" => "per doelstelling".into(),
        other => format!("per {}", other.replace('_', " ")),
    }
}

/// A list of years as ranges: `2015-2019, 2021`.
pub(crate) fn year_ranges(years: &std::collections::BTreeSet<i32>) -> String {
    crate::years::runs(years.iter().copied(), "geen")
}

/// The kind of an offer, in the words of the OSLO standard.
pub(crate) fn offer_kind(k: crate::report::offer::OfferKind) -> &'static str {
    match k {
        crate::report::offer::OfferKind::Group => "groepsaanbod",
        crate::report::offer::OfferKind::Individual => "individueel aanbod",
    }
}

/// Where the table of offers per prison comes from, in one sentence.
pub(crate) fn offer_basis(b: crate::report::offer::OfferBasis, year: i32) -> String {
    use crate::report::offer::OfferBasis::*;
    match b {
        Catalogue => format!(
            "Bron: de aanbodcatalogus voor {year}: het groepsaanbod en het individueel aanbod per gevangenisvestiging, met de organisator."
        ),
        Participation => format!(
            "Er is geen aanbodcatalogus voor {year} geleverd; het groepsaanbod is afgeleid uit de deelname: aanbod met minstens één deelname die in {year} liep. Aanbod zonder deelnemers en het individueel aanbod ontbreken daardoor."
        ),
        Nothing => format!(
            "Voor {year} is er geen aanbodcatalogus en geen deelname aan het groepsaanbod: welk aanbod in welke gevangenis bestaat, kan niet getoond worden."
        ),
    }
}

/// Where a prison lies in a funnel plot, in words.
pub(crate) fn position(p: crate::report::funnel::Position) -> &'static str {
    use crate::report::funnel::Position::*;
    match p {
        Inside => "binnen de grenzen",
        Watch => "tussen de 95%- en de 99,8%-grens (kan toeval zijn)",
        Above => "hoger dan bij toeval te verwachten (boven de 99,8%-grens)",
        Below => "lager dan bij toeval te verwachten (onder de 99,8%-grens)",
    }
}

/// The prisons outside a funnel's 99.8 % limits, named, and those between the limits.
pub(crate) fn funnel_findings(f: &crate::report::funnel::Funnel) -> Vec<String> {
    use crate::report::funnel::Position;
    let names = |p: Position| -> Vec<&str> {
        f.points
            .iter()
            .filter(|x| x.position == p)
            .map(|x| x.prison.as_str())
            .collect()
    };
    let mut out = Vec::new();
    for (p, what) in [
        (Position::Above, "hoger dan bij toeval te verwachten in"),
        (Position::Below, "lager dan bij toeval te verwachten in"),
        (
            Position::Watch,
            "tussen de 95%- en de 99,8%-grens (kan toeval zijn, om op te volgen) in",
        ),
    ] {
        let n = names(p);
        if !n.is_empty() {
            out.push(format!("{}: {what} {}", f.title, n.join(", ")));
        }
    }
    if out.is_empty() {
        out.push(format!(
            "{}: alle gevangenissen liggen binnen de grenzen",
            f.title
        ));
    }
    out
}

/// A funnel plot in words: its text alternative.
pub(crate) fn funnel_description(f: &crate::report::funnel::Funnel) -> String {
    let flagged = f.points.iter().filter(|p| p.position.flagged()).count();
    format!(
        "Trechtergrafiek: per gevangenis het percentage (verticaal) tegenover de noemer (horizontaal), \
         {} gevangenissen. De horizontale lijn is het percentage van de gevangenissen samen ({}: {} / {}); \
         de gestreepte lijnen zijn de 95%- en 99,8%-controlegrenzen, die smaller worden naarmate de noemer \
         groter is (benadering met de normale verdeling). {}",
        f.points.len(),
        pct_label(f.centre),
        nl_number(f.pooled.0, 0),
        nl_number(f.pooled.1, 0),
        match flagged {
            0 => "Geen gevangenis ligt buiten de 99,8%-grenzen.".to_string(),
            1 => "Eén gevangenis ligt buiten de 99,8%-grenzen en is bij naam genoemd.".to_string(),
            n => format!(
                "{n} gevangenissen liggen buiten de 99,8%-grenzen en zijn bij naam genoemd."
            ),
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_of_the_way_in_words() {
        assert_eq!(share_of_way(-0.2), "verder van het doel dan bij de start");
        assert_eq!(
            share_of_way(0.01),
            "nog nauwelijks vooruitgang richting het doel"
        );
        assert_eq!(
            share_of_way(0.34),
            "ongeveer een derde van de weg naar het doel afgelegd"
        );
        assert_eq!(
            share_of_way(0.5),
            "ongeveer de helft van de weg naar het doel afgelegd"
        );
        assert_eq!(share_of_way(1.2), "het doel is gehaald");
    }

    #[test]
    fn values_carry_their_unit() {
        assert_eq!(value(Unit::Days, 12.0), "12 dagen");
        assert_eq!(value(Unit::Days, 12.5), "12,5 dagen");
        assert_eq!(value(Unit::Euro, 10_784_111.4), "€ 10.784.111");
        assert_eq!(value(Unit::Percent, 67.747), "67,7 %");
        let m = Marks::of(&crate::model::Policy::default());
        let f = Figure {
            shown: Shown::NoData,
            unit: Unit::Euro,
            sample: false,
        };
        assert_eq!(figure(&f, &m), "geen gegevens");
        // A value resting on sample statuses says so; a mark never gets the word.
        let f = Figure {
            shown: Shown::Value(26.92),
            unit: Unit::Percent,
            sample: true,
        };
        assert_eq!(figure(&f, &m), "26,9 % (VOORBEELD)");
        let f = Figure {
            shown: Shown::NoData,
            ..f
        };
        assert_eq!(figure(&f, &m), "geen gegevens");
    }

    #[test]
    fn a_trend_of_a_difference_is_in_points_per_year_and_a_short_series_is_named_only_when_short() {
        let a = Assessment {
            status: Status::Stijgend,
            reason: Reason::PointsTrend {
                per_year: 2.0,
                first_year: 2019,
                first_value: 5.0,
                last_year: 2024,
                last_value: 15.0,
                significant: Some(true),
            },
            ..Assessment::no_data()
        };
        assert_eq!(
            reason(&a, Unit::Points, 2024),
            "van +5,0 procentpunt in 2019 naar +15,0 procentpunt in 2024: gemiddeld +2,0 procentpunt per jaar"
        );
        // A six-year series starting at 0 has no growth rate; it is not "too short".
        let a = Assessment {
            reason: Reason::NoGrowth,
            ..a
        };
        let s = reason(&a, Unit::Whole, 2024);
        assert!(
            !s.contains("te korte") && !s.contains("minder dan twee"),
            "{s}"
        );
        let a = Assessment {
            reason: Reason::ShortSeries,
            ..a
        };
        assert!(reason(&a, Unit::Whole, 2024).contains("minder dan twee jaren"));
    }

    #[test]
    fn a_change_in_points_agrees_with_the_values_beside_it() {
        let d = crate::report::Difference::between(39.96, 38.52, 1);
        assert_eq!(
            (
                value_at(Unit::Percent, d.from, d.decimals),
                value_at(Unit::Percent, d.to, d.decimals),
                points_change(&d)
            ),
            (
                "39,96 %".to_string(),
                "38,52 %".to_string(),
                "-1,44 procentpunt".to_string()
            )
        );
    }

    #[test]
    fn year_lists_collapse_to_ranges() {
        let y: std::collections::BTreeSet<i32> = [2015, 2016, 2017, 2019, 2021, 2022].into();
        assert_eq!(year_ranges(&y), "2015-2017, 2019, 2021-2022");
    }
}
