//! Findings in the partner's words (the feedback workbook of `hdv check --feedback`): their
//! header of a column, their words for the values a column takes (the profile's value table
//! read backwards), their date forms, and what to change in their export. Never a contract
//! code (where their layout has its own words) or a path of the project.
//!
//! A delivery in the contract's layout is the partner's own layout too: its headers and codes
//! are then their words.

use super::profile::{DateForm, Profile};
use crate::contract::{Column, DOMAINS, Kind, Source};
use crate::diagnostic::{Partner, quoted};

/// What is wrong with a cell, as far as the partner's message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// The value cannot be read as what the column takes.
    Value,
    /// A required cell is empty.
    Missing,
    /// Each cell is valid but the row breaks a rule across its columns (or an id repeats).
    Across,
}

/// A delivery's vocabulary: its headers per contract column and the profile that reads it.
pub(crate) struct Words<'a> {
    source: Source,
    columns: &'static [Column],
    profile: Option<&'a Profile>,
    /// Their header per contract column (`None`: not in the file, e.g. a constant).
    headers: Vec<Option<String>>,
    prisons: &'a [String],
    comma_decimal: bool,
}

impl<'a> Words<'a> {
    pub(crate) fn new(
        source: Source,
        profile: Option<&'a Profile>,
        headers: Vec<Option<String>>,
        prisons: &'a [String],
        comma_decimal: bool,
    ) -> Self {
        Words {
            source,
            columns: source.columns(),
            profile,
            headers,
            prisons,
            comma_decimal,
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Their header of contract column `name` (the contract's name when the file lacks it).
    pub(crate) fn header(&self, name: &str) -> String {
        self.index(name)
            .and_then(|c| self.headers.get(c).cloned().flatten())
            .unwrap_or_else(|| name.to_string())
    }

    /// Their words for the code `code` of column `name`: every value of the value table that
    /// stands for it (`Gevangenis van Gent of PI Gent`; an empty cell is `leeg`), or the code
    /// itself.
    pub(crate) fn word(&self, name: &str, code: &str) -> String {
        let theirs: Vec<&str> = self
            .profile
            .and_then(|p| p.words.get(name))
            .map(|w| {
                w.iter()
                    .filter(|(_, c)| c == code)
                    .map(|(t, _)| if t.is_empty() { "leeg" } else { t.as_str() })
                    .collect()
            })
            .unwrap_or_default();
        if theirs.is_empty() {
            code.to_string()
        } else {
            theirs.join(" of ")
        }
    }

    /// The values column `c` takes, in their words: their words of the value table when the
    /// profile has one for it, else the codes (their layout is the contract's).
    fn values(&self, c: usize) -> Option<Vec<String>> {
        let col = &self.columns[c];
        if let Some(w) = self.profile.and_then(|p| p.words.get(col.name)) {
            let mut out: Vec<String> = Vec::new();
            for (theirs, _) in w {
                let t = if theirs.is_empty() {
                    "een lege cel".to_string()
                } else {
                    theirs.clone()
                };
                if !out.contains(&t) {
                    out.push(t);
                }
            }
            return Some(out);
        }
        match col.kind {
            Kind::Prison => Some(self.prisons.to_vec()),
            Kind::Domain => Some(DOMAINS.iter().map(|s| s.to_string()).collect()),
            Kind::Code(list) => Some(list.iter().map(|s| s.to_string()).collect()),
            Kind::YesNo => Some(vec!["ja".into(), "nee".into()]),
            _ => None,
        }
    }

    /// What a cell of column `c` holds, in their words.
    pub(crate) fn expected(&self, c: usize) -> String {
        let col = &self.columns[c];
        if let Some(values) = self.values(c) {
            return match values.as_slice() {
                [a, b] => format!("{a} of {b}"),
                _ => format!("een van: {}", values.join(", ")),
            };
        }
        match col.kind {
            Kind::Date => match self.profile.and_then(|p| p.date_forms.as_ref()) {
                Some(forms) => format!(
                    "een datum: {}",
                    forms
                        .iter()
                        .map(|f| date_form(*f))
                        .collect::<Vec<_>>()
                        .join(" of ")
                ),
                None => "een datum: een datumcel, jjjj-mm-dd of d/m/jjjj".into(),
            },
            Kind::Decimal if self.comma_decimal => "een getal, bv. 12.5 of 12,5".into(),
            Kind::Decimal => "een getal, bv. 12.5".into(),
            Kind::Integer => "een geheel getal".into(),
            _ => format!(
                "tekst (hoogstens {} tekens)",
                thousands(crate::limits::MAX_CELL_CHARS)
            ),
        }
    }

    /// The rule across columns that a valid cell of `name` can break, in their words.
    fn rule(&self, name: &str) -> Option<String> {
        let h = |n: &str| self.header(n);
        let on_or_after = |n: &str| format!("een datum op of na {}", h(n));
        Some(match (self.source, name) {
            (Source::Detenties, "einde") => on_or_after("begin"),
            (Source::Detenties, "reden_einde") => {
                format!("ingevuld wanneer {} ingevuld is", h("einde"))
            }
            (Source::Deelname | Source::Trajecten, "einde") => on_or_after("start"),
            (Source::Deelname, "status") | (Source::Trajecten, "afloop") => {
                let c = self.index(name)?;
                let Kind::Code(codes) = self.columns[c].kind else {
                    return None;
                };
                let closed: Vec<String> = codes
                    .iter()
                    .filter(|x| **x != "lopend")
                    .map(|x| self.word(name, x))
                    .collect();
                format!(
                    "{} als {} leeg is, anders {}",
                    self.word(name, "lopend"),
                    h("einde"),
                    closed.join(" of ")
                )
            }
            (Source::Deelname, "geslaagd") => {
                format!(
                    "leeg tenzij {} = {}",
                    h("examen"),
                    self.word("examen", "ja")
                )
            }
            (Source::Trajecten, "traject_id") | (Source::Aanvragen, "aanvraag_id") => {
                "een waarde die maar één keer voorkomt".into()
            }
            (Source::Aanvragen, "start") => on_or_after("aanvraag"),
            (Source::Aanvragen, "afgesloten") => format!(
                "leeg wanneer {} ingevuld is, anders {}",
                h("start"),
                on_or_after("aanvraag")
            ),
            (Source::Aanvragen, "afsluitreden") => {
                format!("ingevuld wanneer {} ingevuld is", h("afgesloten"))
            }
            (Source::Uitstroom, "vrijlating") => on_or_after("detentie_begin"),
            (Source::Uitstroom, "wederopsluiting") => {
                format!("leeg of een datum na {}", h("vrijlating"))
            }
            (Source::Uitstroom, "opvolging_tot") => on_or_after("vrijlating"),
            _ => return None,
        })
    }

    /// The partner's view of a finding about a cell of column `c` holding `value` (as read).
    pub(crate) fn cell(&self, c: usize, value: &str, problem: Problem) -> Partner {
        let col = &self.columns[c];
        let header = self.header(col.name);
        let shown = if value.trim().is_empty() {
            "een lege cel".to_string()
        } else {
            quoted(value)
        };
        let unique = matches!(col.name, "traject_id" | "aanvraag_id");
        let (expected, advice) = match problem {
            Problem::Missing => {
                let e = self.expected(c);
                (
                    format!("{e} (verplicht)"),
                    format!("Vul {header} in: deze kolom mag niet leeg zijn."),
                )
            }
            Problem::Across if unique => (
                "een waarde die maar één keer voorkomt".into(),
                format!(
                    "{header} {shown} komt meer dan eens voor; geef elke rij een eigen {header}."
                ),
            ),
            Problem::Across => {
                let e = self
                    .rule(col.name)
                    .unwrap_or_else(|| "een waarde die past bij de rest van de rij".into());
                (
                    e.clone(),
                    format!(
                        "{header}: {shown} past niet bij de rest van de rij (verwacht {e}); verbeter deze cel of de cel waarmee ze samenhangt."
                    ),
                )
            }
            Problem::Value => {
                let e = self.expected(c);
                (e.clone(), format!("{header}: vervang {shown} door {e}."))
            }
        };
        Partner {
            header: Some(header),
            expected: Some(expected),
            advice,
        }
    }
}

/// A whole number with a point between thousands, as written in Belgium (`32.767`).
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A date form as a partner reads it.
fn date_form(f: DateForm) -> &'static str {
    match f {
        DateForm::Iso => "jjjj-mm-dd (bv. 2024-01-31)",
        DateForm::SlashDmy => "d/m/jjjj (bv. 31/1/2024)",
        DateForm::DotDmy => "dd.mm.jjjj (bv. 31.01.2024)",
        DateForm::DashDmyShort => "dd-mm-jj (bv. 31-01-24)",
        DateForm::DashDmy => "dd-mm-jjjj (bv. 31-01-2024)",
        DateForm::Excel => "een datumcel (een datum, geen tekst)",
    }
}
