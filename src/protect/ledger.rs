//! The disclosure ledger: every cell a run publishes, the additive relations between them,
//! and what may be shown of each (primary and secondary suppression over linked tables).
//!
//! Cells are registered with their true value and what they count. Cells of the same year
//! and breakdown cell with the same protected value (above the threshold) are taken to be
//! the same count (say, the detainees of a prison as a denominator of two rates): they share
//! one unknown and one mark, so a count hidden in one table cannot be read in another. This
//! may link cells that only happen to be equal, which only makes the ledger more careful.
//!
//! Relations are decided from the data: categories that add up to their total are an
//! equation; categories adding up to more (a person in two prisons) give the total as a
//! lower bound of their sum; to less (rows without a category), an upper bound.

use super::attack::{self, Linear, Program, Range, Sense};
use crate::model::Policy;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Which part of a published figure a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// A count, an average, a median, an amount: the figure itself.
    Value,
    /// The numerator of a rate.
    Numerator,
    /// The denominator of a rate.
    Denominator,
    /// Denominator minus numerator ("all but a few"): never printed, but derivable.
    Complement,
}

/// What one cell is: its table, year, breakdown cell and part.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CellKey {
    /// An indicator id, or the table of another output (`cohort/…`, `antwoord/…`).
    pub table: String,
    pub year: i32,
    /// The breakdown cell as (dimension, value) pairs, sorted; empty for the total.
    pub dims: Vec<(String, String)>,
    pub part: Part,
}

impl CellKey {
    pub fn new(table: &str, year: i32, dims: &[(&str, &str)], part: Part) -> CellKey {
        let mut dims: Vec<(String, String)> = dims
            .iter()
            .map(|(d, v)| (d.to_string(), v.to_string()))
            .collect();
        dims.sort();
        CellKey {
            table: table.to_string(),
            year,
            dims,
            part,
        }
    }
}

/// A cell as a reader of a message reads it: `deelname_graad 2024, gevangenis gent, teller`.
impl std::fmt::Display for CellKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let part = match self.part {
            Part::Value => "",
            Part::Numerator => ", teller",
            Part::Denominator => ", noemer",
            Part::Complement => ", noemer min teller",
        };
        let table = self.table.strip_prefix("antwoord/").unwrap_or(&self.table);
        let year = if self.year == 0 {
            String::new()
        } else {
            format!(" {}", self.year)
        };
        write!(f, "{table}{year}")?;
        for (d, v) in &self.dims {
            write!(f, ", {d} {v}")?;
        }
        write!(f, "{part}")
    }
}

/// Why a cell is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A count of 1 up to the threshold (primary), printed `<5`.
    Small,
    /// A count of 1 up to the threshold printed `×`, not `<5`: where small counts add up to
    /// a small total, the marks alone would narrow them (`<5` + `<5` = `<5`).
    SmallUnmarked,
    /// The numerator of a rate where all but a few did something (primary).
    Complement,
    /// The numerator of a rate over fewer than the minimum denominator (primary).
    SmallDenominator,
    /// An average, median or curve over fewer than the minimum number of persons (primary).
    FewPersons,
    /// Hidden so that a protected cell cannot be derived from what is shown (secondary).
    Secondary,
}

impl Reason {
    pub fn is_primary(self) -> bool {
        self != Reason::Secondary
    }
}

/// What may be published of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Shown,
    /// Not shown; a small count is printed `<5`, anything else `×`.
    Hidden(Reason),
    /// Never printed (a complement), yet protected through its relations.
    Implicit,
}

impl Mark {
    pub fn is_shown(self) -> bool {
        self == Mark::Shown
    }
}

#[derive(Debug, Clone)]
struct Cell {
    key: CellKey,
    value: f64,
    /// Counts persons or events (protected by the policy).
    protected: bool,
    /// Hidden whatever else holds (a rate's numerator over too small a denominator, a median
    /// over too few persons).
    forced: Option<Reason>,
    /// Decided by an earlier ledger this one extends: keeps that mark.
    fixed: Option<Mark>,
    /// The interval the earlier ledger found a reader can derive (a protected count).
    derived: Option<Range>,
    var: usize,
}

/// One unknown of the attacker: one cell, or cells taken to be the same count.
#[derive(Debug, Clone)]
struct Var {
    cells: Vec<usize>,
    value: f64,
    protected: bool,
    implicit: bool,
    /// Decided elsewhere (a cell of the base ledger that an answer shows): not to be changed.
    fixed: Option<Mark>,
    mark: Mark,
    /// Must be protected: a small count, or a small complement under the complement rule.
    sensitive: bool,
    /// For a protected count, the interval a reader can derive, as found when solving.
    derived: Option<Range>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Additivity {
    /// The parts add up to the total.
    Exact,
    /// The parts add up to more than the total (a unit in several categories).
    Overlapping,
    /// The parts add up to less than the total (units without a category).
    Incomplete,
}

#[derive(Debug, Clone)]
struct Relation {
    total: usize,
    parts: Vec<usize>,
    additivity: Additivity,
    /// Every part is at most the total (true in the data; a reader may know it).
    parts_within_total: bool,
}

/// The ledger of one run. Register cells and relations, then [`Ledger::solve`].
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    cells: Vec<Cell>,
    index: HashMap<CellKey, usize>,
    relations: Vec<(usize, Vec<usize>)>,
    vars: Vec<Var>,
    rels: Vec<Relation>,
    solved: bool,
}

/// A protected count that could not be protected: only when the cells that would have to be
/// hidden are fixed by another output (an answer over the base ledger).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exposed {
    pub cell: CellKey,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// The interval a reader can derive for one protected cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Derived {
    pub cell: CellKey,
    pub mark: Mark,
    pub low: f64,
    /// `None`: no upper bound.
    pub high: Option<f64>,
    pub protected: bool,
}

const EPS: f64 = 1e-6;

/// Year, breakdown cell and whole value: cells that are taken to be one count.
type Identity = (i32, Vec<(String, String)>, i64);

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Registers a cell (once: a second registration of the same key returns the first).
    pub fn cell(&mut self, key: CellKey, value: f64, protected: bool) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.cells.len();
        self.index.insert(key.clone(), i);
        self.cells.push(Cell {
            key,
            value,
            protected,
            forced: None,
            fixed: None,
            derived: None,
            var: usize::MAX,
        });
        self.solved = false;
        i
    }

    /// Hides a cell whatever else holds (a primary reason other than a small count).
    pub fn force(&mut self, cell: usize, reason: Reason) {
        let c = &mut self.cells[cell];
        c.forced = Some(c.forced.map_or(reason, |r| r.min(reason)));
    }

    /// `total` is made of `parts`; how they add up is read from the values.
    pub fn relation(&mut self, total: usize, parts: Vec<usize>) {
        if !parts.is_empty() {
            self.relations.push((total, parts));
        }
    }

    /// A rate's numerator and denominator: registers the complement (denominator minus
    /// numerator) as an implicit cell with `denominator = numerator + complement`.
    pub fn rate(&mut self, numerator: usize, denominator: usize) -> usize {
        let n = &self.cells[numerator];
        let d = &self.cells[denominator];
        let key = CellKey {
            part: Part::Complement,
            ..n.key.clone()
        };
        let value = d.value - n.value;
        let protected = n.protected && d.protected;
        let c = self.cell(key, value, protected);
        self.relation(denominator, vec![numerator, c]);
        c
    }

    pub fn key_of(&self, cell: usize) -> &CellKey {
        &self.cells[cell].key
    }

    pub fn find(&self, key: &CellKey) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// The mark of a registered cell (after [`Ledger::solve`]).
    pub fn mark(&self, cell: usize) -> Mark {
        debug_assert!(self.solved, "the ledger is read before it is solved");
        let c = &self.cells[cell];
        let v = &self.vars[c.var];
        if c.key.part == Part::Complement {
            return Mark::Implicit;
        }
        v.mark
    }

    pub fn mark_of(&self, key: &CellKey) -> Option<Mark> {
        self.find(key).map(|c| self.mark(c))
    }

    /// A ledger holding every cell and relation of `base` with the marks `base` gave them.
    /// The cells of another output registered on it are linked to base's cells (the same
    /// year, breakdown cell and value are one count), and solving it decides only the new
    /// cells: every output publishes a cell the same way, and what a new output adds (its
    /// own totals, a total over the prisons chosen) cannot give away what base protects.
    pub fn over(base: &Ledger) -> Ledger {
        assert!(base.solved, "a ledger is extended before it is solved");
        let mut l = Ledger {
            cells: base.cells.clone(),
            index: base.index.clone(),
            relations: base.relations.clone(),
            ..Ledger::default()
        };
        for c in &mut l.cells {
            c.fixed = Some(base.vars[c.var].mark);
            c.derived = base.vars[c.var].derived;
        }
        l
    }

    /// Everything several outputs publish, as they publish it: every cell of `ledgers` with
    /// the mark its own output gave it (a cell two outputs both hold is shown when one shows
    /// it), and every relation of each. Solve it and [`Ledger::audit`] it to attack all of
    /// them together.
    pub fn union(ledgers: &[&Ledger]) -> Ledger {
        let mut l = Ledger::default();
        let mut seen_relations = std::collections::HashSet::new();
        for other in ledgers {
            assert!(other.solved, "a ledger is joined before it is solved");
            let mut map = Vec::with_capacity(other.cells.len());
            for c in &other.cells {
                let mark = other.vars[c.var].mark;
                let i = match l.index.get(&c.key) {
                    Some(&i) => {
                        if mark == Mark::Shown {
                            l.cells[i].fixed = Some(Mark::Shown);
                        }
                        i
                    }
                    None => {
                        let i = l.cell(c.key.clone(), c.value, c.protected);
                        l.cells[i].fixed = Some(mark);
                        i
                    }
                };
                map.push(i);
            }
            for (t, parts) in &other.relations {
                let r = (map[*t], parts.iter().map(|p| map[*p]).collect::<Vec<_>>());
                if seen_relations.insert(r.clone()) {
                    l.relations.push(r);
                }
            }
        }
        l
    }

    /// Decides every mark: primary suppression by `policy`, then secondary suppression until
    /// no protected count can be narrowed below the policy's protection interval. Returns the
    /// protected counts that could not be protected (only possible for a ledger made with
    /// [`Ledger::over`], when what would have to be hidden is fixed by base).
    pub fn solve(&mut self, policy: &Policy) -> Vec<Exposed> {
        self.merge(policy);
        self.primary(policy);
        let exposed = self.secondary(policy);
        self.solved = true;
        exposed
    }

    /// The cells taken to be the same count: the same year, breakdown cell and protected
    /// value above the threshold (zeros and small counts are never merged: they are not
    /// what secondary suppression could give away).
    fn identity(policy: &Policy, c: &Cell) -> Option<Identity> {
        (c.protected
            && c.key.part != Part::Complement
            && c.value.fract() == 0.0
            && c.value > f64::from(policy.drempel))
        .then(|| (c.key.year, c.key.dims.clone(), c.value as i64))
    }

    fn merge(&mut self, policy: &Policy) {
        let mut by_identity: BTreeMap<Identity, usize> = BTreeMap::new();
        self.vars.clear();
        // Cells in key order, so that the unknowns are numbered the same in every run.
        let mut order: Vec<usize> = (0..self.cells.len()).collect();
        order.sort_by(|&a, &b| self.cells[a].key.cmp(&self.cells[b].key));
        for i in order {
            let c = &self.cells[i];
            let id = Self::identity(policy, c);
            // Not with another part of the same figure (a numerator equal to its denominator
            // is still two cells of one rate).
            let existing = id
                .as_ref()
                .and_then(|k| by_identity.get(k))
                .copied()
                .filter(|&v| {
                    !self.vars[v].cells.iter().any(|&o| {
                        let o = &self.cells[o].key;
                        o.table == c.key.table && o.dims == c.key.dims
                    })
                });
            let v = match existing {
                Some(v) => v,
                None => {
                    let v = self.vars.len();
                    self.vars.push(Var {
                        cells: Vec::new(),
                        value: c.value,
                        protected: c.protected,
                        implicit: c.key.part == Part::Complement,
                        fixed: None,
                        mark: Mark::Shown,
                        sensitive: false,
                        derived: None,
                    });
                    if let Some(k) = id {
                        by_identity.insert(k, v);
                    }
                    v
                }
            };
            let (fixed, derived) = (self.cells[i].fixed, self.cells[i].derived);
            let var = &mut self.vars[v];
            var.cells.push(i);
            // Cells fixed by several outputs: shown when any of them shows it.
            if fixed != Some(Mark::Implicit) && (var.fixed.is_none() || fixed == Some(Mark::Shown))
            {
                var.fixed = fixed.or(var.fixed);
            }
            var.derived = var.derived.or(derived);
            self.cells[i].var = v;
        }
        self.rels = self
            .relations
            .iter()
            .map(|(t, parts)| {
                let total = self.cells[*t].var;
                let parts: Vec<usize> = parts.iter().map(|p| self.cells[*p].var).collect();
                let tv = self.vars[total].value;
                let sum: f64 = parts.iter().map(|&p| self.vars[p].value).sum();
                let additivity = if (sum - tv).abs() < 0.5 {
                    Additivity::Exact
                } else if sum > tv {
                    Additivity::Overlapping
                } else {
                    Additivity::Incomplete
                };
                let parts_within_total = parts.iter().all(|&p| self.vars[p].value <= tv + EPS);
                Relation {
                    total,
                    parts,
                    additivity,
                    parts_within_total,
                }
            })
            .collect();
    }

    fn primary(&mut self, policy: &Policy) {
        for v in 0..self.vars.len() {
            let var = &self.vars[v];
            let small = var.protected && policy.small(var.value);
            let forced = var.cells.iter().filter_map(|&c| self.cells[c].forced).min();
            // A count hidden for another primary reason (the numerator of a rate on too few,
            // or of "all but a few") is protected too: the policy promises it is not
            // published, so it must not be derivable either.
            let sensitive = (small && (!var.implicit || policy.complement))
                || (forced.is_some() && var.protected && !var.implicit);
            let mark = if let Some(m) = var.fixed {
                m
            } else if var.implicit {
                Mark::Implicit
            } else if small {
                Mark::Hidden(Reason::Small)
            } else if let Some(r) = forced {
                Mark::Hidden(r)
            } else {
                Mark::Shown
            };
            let var = &mut self.vars[v];
            var.sensitive = sensitive;
            var.mark = mark;
        }
        // Under the complement rule, the numerator of a rate whose complement is small is
        // hidden: with the denominator it would give the complement away.
        if policy.complement {
            for c in 0..self.cells.len() {
                if self.cells[c].key.part != Part::Complement {
                    continue;
                }
                let cv = self.cells[c].var;
                if !self.vars[cv].sensitive {
                    continue;
                }
                let numerator = CellKey {
                    part: Part::Numerator,
                    ..self.cells[c].key.clone()
                };
                if let Some(&n) = self.index.get(&numerator) {
                    let nv = self.cells[n].var;
                    if self.vars[nv].mark == Mark::Shown && self.vars[nv].fixed.is_none() {
                        self.vars[nv].mark = Mark::Hidden(Reason::Complement);
                    }
                }
            }
        }
    }

    /// What a reader knows of unknown `v` when its mark is `mark`.
    fn known(policy: &Policy, var: &Var, mark: Mark) -> Range {
        match mark {
            Mark::Shown => Range {
                lo: var.value,
                hi: var.value,
            },
            Mark::Hidden(Reason::Small) => Range {
                lo: 1.0,
                hi: f64::from(policy.drempel),
            },
            Mark::Hidden(_) | Mark::Implicit => Range {
                lo: 0.0,
                hi: f64::INFINITY,
            },
        }
    }

    /// The relations each unknown is in.
    fn relations_of(&self) -> Vec<Vec<usize>> {
        let mut of = vec![Vec::new(); self.vars.len()];
        for (r, rel) in self.rels.iter().enumerate() {
            for v in std::iter::once(rel.total).chain(rel.parts.iter().copied()) {
                if of[v].last() != Some(&r) {
                    of[v].push(r);
                }
            }
        }
        of
    }

    /// The relations a reader can combine to learn about `target`: those of `target`, and
    /// through every unknown that is not shown, theirs (a shown value is a constant and
    /// links nothing).
    fn reach(&self, of: &[Vec<usize>], target: usize, marks: &[Mark]) -> BTreeSet<usize> {
        let mut rels = BTreeSet::new();
        let mut seen = BTreeSet::from([target]);
        let mut todo = vec![target];
        while let Some(v) = todo.pop() {
            for &r in &of[v] {
                if !rels.insert(r) {
                    continue;
                }
                let rel = &self.rels[r];
                for u in std::iter::once(rel.total).chain(rel.parts.iter().copied()) {
                    if !marks[u].is_shown() && seen.insert(u) {
                        todo.push(u);
                    }
                }
            }
        }
        rels
    }

    /// Is every unknown a reader combines for `s` fixed by an earlier ledger?
    fn settled(&self, of: &[Vec<usize>], s: usize, marks: &[Mark]) -> bool {
        self.reach(of, s, marks).into_iter().all(|r| {
            let rel = &self.rels[r];
            std::iter::once(rel.total)
                .chain(rel.parts.iter().copied())
                .all(|v| self.vars[v].fixed.is_some())
        })
    }

    /// The interval a reader can derive for `target` with the given marks.
    fn derive(
        &self,
        policy: &Policy,
        of: &[Vec<usize>],
        target: usize,
        marks: &[Mark],
    ) -> Option<Range> {
        let rels = self.reach(of, target, marks);
        let own = Self::known(policy, &self.vars[target], marks[target]);
        if rels.is_empty() {
            return Some(own);
        }
        // Number the unknowns of these relations.
        let mut local: BTreeMap<usize, usize> = BTreeMap::new();
        let mut p = Program::default();
        let mut id = |v: usize, p: &mut Program| -> usize {
            *local.entry(v).or_insert_with(|| {
                p.bounds.push(Self::known(policy, &self.vars[v], marks[v]));
                p.bounds.len() - 1
            })
        };
        let t = id(target, &mut p);
        for &r in &rels {
            let rel = &self.rels[r];
            let total = id(rel.total, &mut p);
            let mut terms = vec![(total, 1.0)];
            for &part in &rel.parts {
                let x = id(part, &mut p);
                terms.push((x, -1.0));
                if rel.parts_within_total && rel.additivity != Additivity::Exact {
                    p.constraints.push(Linear {
                        terms: vec![(x, 1.0), (total, -1.0)],
                        constant: 0.0,
                        sense: Sense::Le,
                    });
                }
            }
            let sense = match rel.additivity {
                Additivity::Exact => Sense::Eq,
                // total <= sum of parts
                Additivity::Overlapping => Sense::Le,
                // total >= sum of parts
                Additivity::Incomplete => Sense::Ge,
            };
            p.constraints.push(Linear {
                terms,
                constant: 0.0,
                sense,
            });
        }
        attack::interval(&p, t)
    }

    fn protected_enough(policy: &Policy, r: Option<Range>) -> bool {
        r.is_some_and(|r| r.width() + EPS >= f64::from(policy.bescherming))
    }

    fn secondary(&mut self, policy: &Policy) -> Vec<Exposed> {
        let of = self.relations_of();
        let mut marks: Vec<Mark> = self.vars.iter().map(|v| v.mark).collect();
        let mut exposed = Vec::new();
        let is_total: Vec<bool> = {
            let mut t = vec![false; self.vars.len()];
            for r in &self.rels {
                t[r.total] = true;
            }
            t
        };
        for s in 0..self.vars.len() {
            if !self.vars[s].sensitive {
                continue;
            }
            if of[s].is_empty() {
                self.vars[s].derived = Some(Self::known(policy, &self.vars[s], marks[s]));
                continue;
            }
            // Decided and checked by the ledger this one extends, and nothing new reaches it.
            if self.vars[s].fixed.is_some() && self.settled(&of, s, &marks) {
                continue;
            }
            loop {
                let now = self.derive(policy, &of, s, &marks);
                if Self::protected_enough(policy, now) {
                    self.vars[s].derived = now;
                    break;
                }
                let width = now.map_or(0.0, |r| r.width());
                // Candidates: shown, not fixed, in a relation the reader combines for `s`.
                // Candidates, not fixed, in a relation the reader combines for `s`: a shown
                // cell to hide (×), or another `<5` cell to show as × instead (a reader then
                // no longer knows it is between 1 and 4: with a small total over small parts,
                // the marks alone narrow them). `s` itself keeps its `<5`: a lone × among
                // shown cells would be read as small all the same.
                let candidates: BTreeSet<usize> = self
                    .reach(&of, s, &marks)
                    .into_iter()
                    .flat_map(|r| {
                        let rel = &self.rels[r];
                        std::iter::once(rel.total).chain(rel.parts.clone())
                    })
                    .filter(|&v| {
                        self.vars[v].fixed.is_none()
                            && (marks[v].is_shown()
                                || (v != s && marks[v] == Mark::Hidden(Reason::Small)))
                    })
                    .collect();
                if candidates.is_empty() {
                    let r = now.unwrap_or(Range { lo: 0.0, hi: 0.0 });
                    self.vars[s].derived = Some(r);
                    for &c in &self.vars[s].cells {
                        exposed.push(Exposed {
                            cell: self.cells[c].key.clone(),
                            value: self.vars[s].value,
                            low: r.lo,
                            high: r.hi,
                        });
                    }
                    break;
                }
                // Which one protects `s` at the least cost? Unmarking a `<5` costs no number;
                // then parts before totals, small values before large ones (they carry the
                // least information).
                let next = |m: Mark| match m {
                    Mark::Shown => Mark::Hidden(Reason::Secondary),
                    _ => Mark::Hidden(Reason::SmallUnmarked),
                };
                type Cost = (bool, bool, f64, usize);
                let mut best: Option<(bool, f64, Cost)> = None;
                for &c in &candidates {
                    let was = marks[c];
                    let cost = |v: usize| (was.is_shown(), is_total[v], self.vars[v].value, v);
                    marks[c] = next(was);
                    let r = self.derive(policy, &of, s, &marks);
                    marks[c] = was;
                    let enough = Self::protected_enough(policy, r);
                    let gain = r.map_or(0.0, |r| r.width()) - width;
                    let better = match &best {
                        None => true,
                        Some((e, g, k)) => {
                            if enough != *e {
                                enough
                            } else if enough {
                                cost(c) < *k
                            } else if (gain - g).abs() > EPS {
                                gain > *g
                            } else {
                                cost(c) < *k
                            }
                        }
                    };
                    if better {
                        best = Some((enough, gain, cost(c)));
                    }
                }
                let (_, _, (_, _, _, pick)) = best.expect("candidates are not empty");
                marks[pick] = next(marks[pick]);
            }
        }
        for (v, m) in marks.into_iter().enumerate() {
            self.vars[v].mark = m;
        }
        exposed
    }

    /// For every protected count: the narrowest interval a reader can derive from
    /// everything in this ledger, as published.
    pub fn audit(&self, policy: &Policy) -> Vec<Derived> {
        let of = self.relations_of();
        let marks: Vec<Mark> = self.vars.iter().map(|v| v.mark).collect();
        let mut out = Vec::new();
        for (s, var) in self.vars.iter().enumerate() {
            if !var.sensitive {
                continue;
            }
            let r = self.derive(policy, &of, s, &marks);
            let ok = Self::protected_enough(policy, r);
            let r = r.unwrap_or(Range {
                lo: var.value,
                hi: var.value,
            });
            for &c in &var.cells {
                out.push(Derived {
                    cell: self.cells[c].key.clone(),
                    mark: var.mark,
                    low: r.lo,
                    high: r.hi.is_finite().then_some(r.hi),
                    protected: ok,
                });
            }
        }
        out.sort_by(|a, b| a.cell.cmp(&b.cell));
        out
    }

    /// Counts for the audit: (cells, primary hidden, secondary hidden), complements left out.
    pub fn counts(&self) -> LedgerCounts {
        let mut n = LedgerCounts::default();
        for c in &self.cells {
            if c.key.part == Part::Complement {
                continue;
            }
            n.cells += 1;
            match self.vars[c.var].mark {
                Mark::Hidden(r) if r.is_primary() => n.primary += 1,
                Mark::Hidden(_) => n.secondary += 1,
                _ => {}
            }
        }
        n
    }

    /// Every registered cell (complements left out) with its mark, in key order.
    pub fn cells(&self) -> Vec<(CellKey, f64, Mark)> {
        let mut v: Vec<(CellKey, f64, Mark)> = self
            .cells
            .iter()
            .filter(|c| c.key.part != Part::Complement)
            .map(|c| (c.key.clone(), c.value, self.vars[c.var].mark))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LedgerCounts {
    pub cells: usize,
    pub primary: usize,
    pub secondary: usize,
}

/// What solving found, for an output's provenance: the cells, what is hidden, and the
/// narrowest interval a reader can derive for a protected count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Summary {
    pub cells: usize,
    pub shown: usize,
    /// Small counts (`<5`, or `×` where the marks alone would narrow them).
    pub small: usize,
    /// Hidden for another primary reason.
    pub primary: usize,
    pub secondary: usize,
    /// Protected counts (small counts and small complements).
    pub protected: usize,
    /// The narrowest interval a reader can derive for one of them (`None`: none).
    pub narrowest: Option<f64>,
    /// Protected counts narrower than the policy allows.
    pub failures: usize,
}

impl Ledger {
    /// The summary of the cells of `years` (every year when `None`), from the intervals found
    /// when solving.
    pub fn summary(
        &self,
        policy: &Policy,
        years: Option<std::ops::RangeInclusive<i32>>,
    ) -> Summary {
        let within = |y: i32| years.as_ref().is_none_or(|r| r.contains(&y));
        let mut s = Summary::default();
        for c in self.cells.iter().filter(|c| within(c.key.year)) {
            let var = &self.vars[c.var];
            if c.key.part == Part::Complement {
                // Never printed; counted below as a protected count when small.
            } else {
                s.cells += 1;
                match var.mark {
                    Mark::Shown => s.shown += 1,
                    Mark::Hidden(Reason::Small | Reason::SmallUnmarked) => s.small += 1,
                    Mark::Hidden(Reason::Secondary) => s.secondary += 1,
                    Mark::Hidden(_) => s.primary += 1,
                    Mark::Implicit => {}
                }
            }
            if var.sensitive {
                s.protected += 1;
                let width = var.derived.map_or(0.0, |r| r.width());
                s.narrowest = Some(s.narrowest.map_or(width, |w: f64| w.min(width)));
                if width + EPS < f64::from(policy.bescherming) {
                    s.failures += 1;
                }
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(table: &str, dims: &[(&str, &str)], part: Part) -> CellKey {
        CellKey::new(table, 2024, dims, part)
    }

    fn policy() -> Policy {
        Policy::default()
    }

    /// A count by prison with its total.
    fn counts(ledger: &mut Ledger, table: &str, cells: &[(&str, f64)]) -> (usize, Vec<usize>) {
        let total: f64 = cells.iter().map(|c| c.1).sum();
        let t = ledger.cell(key(table, &[], Part::Value), total, true);
        let parts: Vec<usize> = cells
            .iter()
            .map(|(p, v)| ledger.cell(key(table, &[("gevangenis", p)], Part::Value), *v, true))
            .collect();
        ledger.relation(t, parts.clone());
        (t, parts)
    }

    #[test]
    fn a_count_of_three_is_hidden_and_one_more_cell_with_it() {
        // 3 + 40 + 57 = 100, total shown: the 3 alone would be 100 - 40 - 57. The 40 (the
        // smaller part) goes too, and then the 3 can be anything from 1 to 4.
        let mut l = Ledger::new();
        let (t, p) = counts(&mut l, "x", &[("a", 3.0), ("b", 40.0), ("c", 57.0)]);
        assert!(l.solve(&policy()).is_empty());
        assert_eq!(l.mark(p[0]), Mark::Hidden(Reason::Small));
        assert_eq!(l.mark(p[1]), Mark::Hidden(Reason::Secondary));
        assert_eq!(l.mark(p[2]), Mark::Shown);
        assert_eq!(l.mark(t), Mark::Shown);
        let audit = l.audit(&policy());
        assert_eq!(audit.len(), 1);
        assert!(audit[0].protected);
        assert_eq!((audit[0].low, audit[0].high), (1.0, Some(4.0)));
    }

    #[test]
    fn two_small_cells_with_a_total_shown() {
        // 3 + 1 + 96 = 100: with both small cells `<5`, a + b = 4 and both in 1..4 puts a in
        // [1, 3], narrower than the mark.
        let mut l = Ledger::new();
        let (t, p) = counts(&mut l, "x", &[("a", 3.0), ("b", 1.0), ("c", 96.0)]);
        l.solve(&policy());
        // Printing the 1 as × rather than <5 is enough, and costs no number: a + b = 4 with
        // b >= 0 leaves a anywhere in 1..4, and b anywhere in 0..3.
        assert_eq!(l.mark(p[0]), Mark::Hidden(Reason::Small));
        assert_eq!(l.mark(p[1]), Mark::Hidden(Reason::SmallUnmarked));
        assert_eq!(l.mark(p[2]), Mark::Shown);
        assert_eq!(l.mark(t), Mark::Shown);
        assert!(l.audit(&policy()).iter().all(|d| d.protected));
    }

    #[test]
    fn rates_of_3_in_12_and_9_in_12() {
        // 3/12: the numerator is small. 9/12: three did not (the complement is small), so the
        // numerator is hidden, though 9 is not small.
        let mut l = Ledger::new();
        let n1 = l.cell(key("r", &[("gevangenis", "a")], Part::Numerator), 3.0, true);
        let d1 = l.cell(
            key("r", &[("gevangenis", "a")], Part::Denominator),
            12.0,
            true,
        );
        l.rate(n1, d1);
        let n2 = l.cell(key("s", &[("gevangenis", "b")], Part::Numerator), 9.0, true);
        let d2 = l.cell(
            key("s", &[("gevangenis", "b")], Part::Denominator),
            12.0,
            true,
        );
        l.rate(n2, d2);
        l.solve(&policy());
        assert_eq!(l.mark(n1), Mark::Hidden(Reason::Small));
        assert_eq!(l.mark(n2), Mark::Hidden(Reason::Complement));
        // The denominators are not small: with their numerators hidden, they may be shown.
        assert_eq!(l.mark(d1), Mark::Shown);
        assert_eq!(l.mark(d2), Mark::Shown);
        assert!(l.audit(&policy()).iter().all(|d| d.protected));
    }

    #[test]
    fn a_numerator_hidden_for_its_small_denominator_cannot_be_derived_either() {
        // Domains 9 of 9 and 40 of 50, in all 49 of 59: the rate on 9 is not shown, nor its
        // numerator; 49 - 40 would give it back, so the 40 goes too.
        let mut l = Ledger::new();
        let p = policy();
        let cell = |dims: &[(&str, &str)], k: f64, n: f64, l: &mut Ledger| {
            let kc = l.cell(key("r", dims, Part::Numerator), k, true);
            let nc = l.cell(key("r", dims, Part::Denominator), n, true);
            l.rate(kc, nc);
            if n < f64::from(p.minimum_noemer) {
                l.force(kc, Reason::SmallDenominator);
            }
            (kc, nc)
        };
        let (tk, tn) = cell(&[], 49.0, 59.0, &mut l);
        let (ak, an) = cell(&[("domein", "a")], 9.0, 9.0, &mut l);
        let (bk, bn) = cell(&[("domein", "b")], 40.0, 50.0, &mut l);
        l.relation(tk, vec![ak, bk]);
        l.relation(tn, vec![an, bn]);
        l.solve(&p);
        assert_eq!(l.mark(ak), Mark::Hidden(Reason::SmallDenominator));
        assert_eq!(l.mark(bk), Mark::Hidden(Reason::Secondary));
        assert!(
            l.mark(tk).is_shown()
                && l.mark(an).is_shown()
                && l.mark(bn).is_shown()
                && l.mark(tn).is_shown(),
            "{:?}",
            [l.mark(tk), l.mark(tn), l.mark(an), l.mark(bn)]
        );
        assert!(l.audit(&p).iter().all(|d| d.protected));
    }

    #[test]
    fn a_person_in_two_prisons_breaks_additivity() {
        // Prisons 3 and 20 but 22 persons in all (one was in both): 22 <= a + b with b = 20
        // gives a >= 2, narrowing `<5` to [2, 4]; a second hidden prison is needed.
        let mut l = Ledger::new();
        let t = l.cell(key("x", &[], Part::Value), 22.0, true);
        let a = l.cell(key("x", &[("gevangenis", "a")], Part::Value), 3.0, true);
        let b = l.cell(key("x", &[("gevangenis", "b")], Part::Value), 20.0, true);
        let c = l.cell(key("x", &[("gevangenis", "c")], Part::Value), 0.0, true);
        l.relation(t, vec![a, b, c]);
        l.solve(&policy());
        assert_eq!(l.rels[0].additivity, Additivity::Overlapping);
        assert_eq!(l.mark(a), Mark::Hidden(Reason::Small));
        // One more cell hidden: the empty prison c is the cheapest (a reader then knows only
        // 22 <= a + 20 + c, and c can be anything up to 22).
        assert_eq!(l.mark(c), Mark::Hidden(Reason::Secondary));
        assert!(l.mark(b).is_shown() && l.mark(t).is_shown());
        assert!(l.audit(&policy()).iter().all(|d| d.protected));
    }

    #[test]
    fn the_same_count_in_two_tables_is_one_unknown() {
        // The detainees of prison b (40) are a denominator of one rate and a count of their
        // own. Hiding the 40 for the count's sake hides it as the denominator too.
        let mut l = Ledger::new();
        let (t, p) = counts(&mut l, "gedetineerden", &[("a", 3.0), ("b", 40.0)]);
        let n = l.cell(
            key("graad", &[("gevangenis", "b")], Part::Numerator),
            20.0,
            true,
        );
        let d = l.cell(
            key("graad", &[("gevangenis", "b")], Part::Denominator),
            40.0,
            true,
        );
        l.rate(n, d);
        l.solve(&policy());
        // The 3 needs the 40 or the total 43 hidden; the 40 costs less.
        assert_eq!(l.mark(t), Mark::Shown);
        assert_eq!(l.mark(p[1]), Mark::Hidden(Reason::Secondary));
        assert_eq!(l.mark(d), Mark::Hidden(Reason::Secondary));
    }

    #[test]
    fn an_answer_over_the_base_keeps_the_base_marks() {
        let mut base = Ledger::new();
        counts(
            &mut base,
            "gedetineerden",
            &[("a", 3.0), ("b", 40.0), ("c", 57.0)],
        );
        base.solve(&policy());
        // An answer shows the same prisons, and a total over the prisons b and c chosen.
        let mut answer = Ledger::over(&base);
        let b = answer.cell(
            key("antwoord", &[("gevangenis", "b")], Part::Value),
            40.0,
            true,
        );
        let c = answer.cell(
            key("antwoord", &[("gevangenis", "c")], Part::Value),
            57.0,
            true,
        );
        let bc = answer.cell(
            key("antwoord", &[("keuze", "b+c")], Part::Value),
            97.0,
            true,
        );
        answer.relation(bc, vec![b, c]);
        assert!(answer.solve(&policy()).is_empty());
        assert_eq!(answer.mark(b), Mark::Hidden(Reason::Secondary));
        assert_eq!(answer.mark(c), Mark::Shown);
        // Nothing small in the answer itself, but its total would give the 40 away (97 - 57),
        // and with it the 3 of the base (100 - 57 - 40): the total goes.
        assert_eq!(answer.mark(bc), Mark::Hidden(Reason::Secondary));
        assert!(answer.audit(&policy()).iter().all(|d| d.protected));
    }

    #[test]
    fn a_median_over_three_persons_is_hidden() {
        let mut l = Ledger::new();
        let m = l.cell(key("mediaan", &[], Part::Value), 14.0, false);
        l.force(m, Reason::FewPersons);
        l.solve(&policy());
        assert_eq!(l.mark(m), Mark::Hidden(Reason::FewPersons));
    }
}
