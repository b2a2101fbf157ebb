//! The disclosure policy (`plans/afscherming.yaml`): what every published output protects and
//! how. One file for the whole project, so the yearly report, local reports, answers and the
//! site apply the same rules; `hdv check` validates it and the method section of every
//! output states it in words.

use crate::diagnostic::{Diagnostic, Diagnostics};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What an indicator (or a column of an answer) counts: drives whether its cells are
/// protected.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Counts {
    /// Persons (prisoners, released persons, course participants).
    Personen,
    /// Events about persons (trajectories, requests, releases).
    Gebeurtenissen,
    /// Nothing about persons: money, FTE, the plan's own actions.
    Geen,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Counts of 1 up to this many persons or events are never published or derivable
    /// (shown as `<drempel+1>`).
    #[serde(default = "default_threshold")]
    pub drempel: u32,
    /// A rate (share, ratio) over fewer than this many persons or events is not shown.
    #[serde(default = "default_min_denominator")]
    pub minimum_noemer: u32,
    /// Also protect "all but a few": a rate whose denominator minus numerator is 1 up to
    /// `drempel` is not shown, nor its numerator.
    #[serde(default = "yes")]
    pub complement: bool,
    /// An average, a median or a Kaplan–Meier figure rests on at least this many persons or
    /// events; a curve of a smaller group is not drawn; an adjusted difference needs this many
    /// in every stratum.
    #[serde(default = "default_min_persons")]
    pub minimum_personen: u32,
    /// Secondary suppression: from everything published together, the narrowest interval an
    /// attacker can derive for a protected count must be at least this wide (in persons).
    /// With `drempel: 4` the largest possible value is 3: nothing more can be learnt than what
    /// `<5` already says (between 1 and 4).
    #[serde(default = "default_protection")]
    pub bescherming: u32,
    /// What is protected; figures counting anything else (money, FTE, plan actions) are
    /// published as they are.
    #[serde(default = "default_protected")]
    pub beschermd: Vec<Counts>,
    /// File it was read from (`None`: the defaults, no file).
    #[serde(skip)]
    pub file: Option<String>,
}

fn default_threshold() -> u32 {
    4
}
fn default_min_denominator() -> u32 {
    10
}
fn default_min_persons() -> u32 {
    10
}
fn default_protection() -> u32 {
    3
}
fn default_protected() -> Vec<Counts> {
    vec![Counts::Personen, Counts::Gebeurtenissen]
}
fn yes() -> bool {
    true
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            drempel: default_threshold(),
            minimum_noemer: default_min_denominator(),
            complement: true,
            minimum_personen: default_min_persons(),
            bescherming: default_protection(),
            beschermd: default_protected(),
            file: None,
        }
    }
}

impl Policy {
    /// Is a figure that counts `c` protected?
    pub fn protects(&self, c: Counts) -> bool {
        self.beschermd.contains(&c)
    }

    /// Is `v` a small count (1 up to the threshold)?
    pub fn small(&self, v: f64) -> bool {
        v >= 0.5 && v < f64::from(self.drempel) + 0.5
    }

    /// The mark of a small count: `<5`.
    pub fn small_label(&self) -> String {
        format!("<{}", self.drempel + 1)
    }
}

/// Reads `plans/afscherming.yaml`; without it the defaults apply (and `check` says so).
pub(crate) fn load_policy(plans: &Path, diags: &mut Diagnostics) -> Policy {
    let path = plans.join("afscherming.yaml");
    let shown = crate::diagnostic::display_path(&path);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Policy::default(),
        Err(e) => {
            diags.push(Diagnostic::error(
                shown,
                format!("kan niet gelezen worden: {}", crate::error::io_message(&e)),
            ));
            return Policy::default();
        }
    };
    let Some(mut policy) = crate::yaml::parse_yaml::<Policy>(&text, &shown, diags) else {
        return Policy::default();
    };
    policy.file = Some(shown);
    validate(&policy, diags);
    policy
}

fn validate(p: &Policy, diags: &mut Diagnostics) {
    let file = p.file.clone().unwrap_or_default();
    let at = |key: &str| crate::yaml::locate_in_file(&file, key);
    if p.drempel == 0 {
        diags.push(Diagnostic::error(
            at("drempel"),
            "`drempel` moet minstens 1 zijn (aantallen van 1 tot en met de drempel worden afgeschermd)",
        ));
    }
    if p.bescherming + 1 > p.drempel.max(1) {
        diags.push(Diagnostic::error(
            at("bescherming"),
            format!(
                "`bescherming` is {}, maar kan hoogstens {} zijn: `{}` zegt al dat een aantal tussen 1 en {} ligt, een breder interval is niet te bereiken",
                p.bescherming,
                p.drempel.saturating_sub(1),
                p.small_label(),
                p.drempel
            ),
        ));
    }
    if p.minimum_noemer <= p.drempel {
        diags.push(Diagnostic::error(
            at("minimum_noemer"),
            format!(
                "`minimum_noemer` ({}) moet groter zijn dan `drempel` ({}): anders verraadt een percentage een klein aantal",
                p.minimum_noemer, p.drempel
            ),
        ));
    }
    if p.minimum_personen == 0 {
        diags.push(Diagnostic::error(
            at("minimum_personen"),
            "`minimum_personen` moet minstens 1 zijn",
        ));
    }
    if p.beschermd.contains(&Counts::Geen) {
        diags.push(Diagnostic::error(
            at("beschermd"),
            "`beschermd` noemt wat personen betreft: `personen` en/of `gebeurtenissen`, niet `geen`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Policy, Diagnostics) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("afscherming.yaml"), text).unwrap();
        let mut diags = Diagnostics::new();
        let p = load_policy(dir.path(), &mut diags);
        (p, diags)
    }

    #[test]
    fn defaults_without_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut diags = Diagnostics::new();
        let p = load_policy(dir.path(), &mut diags);
        assert!(!diags.has_errors());
        assert_eq!(p.drempel, 4);
        assert_eq!(p.minimum_noemer, 10);
        assert_eq!(p.bescherming, 3);
        assert!(p.file.is_none());
        assert!(p.small(1.0) && p.small(4.0) && !p.small(0.0) && !p.small(5.0));
        assert_eq!(p.small_label(), "<5");
    }

    #[test]
    fn a_protection_wider_than_the_mark_is_refused() {
        let (_, diags) = parse("drempel: 4\nbescherming: 4\n");
        assert!(diags.has_errors());
        let text = diags.to_string();
        assert!(text.contains("afscherming.yaml:2"), "{text}");
        assert!(text.contains("hoogstens 3"), "{text}");
    }

    #[test]
    fn a_minimum_denominator_at_the_threshold_is_refused() {
        let (_, diags) = parse("drempel: 9\nminimum_noemer: 9\nbescherming: 2\n");
        assert!(diags.to_string().contains("minimum_noemer"));
    }
}
