//! A recipe table in three steps: the query's result read into a [`Raw`] table (figures,
//! labels, which cells exist, the marks a query passes on from `indicatoren`); its cells and
//! totals registered in the disclosure ledger over the indicators' ledger (each cell keyed by
//! its year and breakdown, so a cell that is also an indicator's figure is published the same
//! way, and the declared totals as relations); and, once the ledger of the whole answer is
//! solved, the published [`AnswerTable`].

use super::{
    AnswerTable, Column, ColumnKind, Coverage, Form, Frame, Kind, Labels, RecipeTable, Row, Total,
    Value, one_line, range_text,
};
use crate::disclosure::{Disclosure, Shown};
use crate::error::Result;
use crate::protect::{CellKey, Ledger, Mark, Part, Reason};
use crate::years::YearRange;

/// A mark passed on by the query (`afscherming`, from the table `indicatoren`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Passed {
    Small,
    Hidden,
}

fn passed(s: &Option<String>) -> Option<Passed> {
    match s.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) if m.starts_with('<') => Some(Passed::Small),
        Some(_) => Some(Passed::Hidden),
    }
}

/// Where a table sits in the ledger.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    /// `antwoord/<recipe>/<table>`.
    pub table: String,
    pub years: YearRange,
    /// The prisons chosen, when not all: totals over them are other cells than the
    /// Flemish ones.
    pub selection: Option<String>,
}

impl Place {
    /// The year of a cell whose column or row is `year`; else the range's single year, or
    /// 0 for figures over several years (keyed by the range).
    fn year(&self, year: Option<i32>) -> (i32, String) {
        match year {
            Some(y) => (y, self.table.clone()),
            None if self.years.first == self.years.last => (self.years.first, self.table.clone()),
            None => (0, format!("{}/{}", self.table, self.years)),
        }
    }

    fn key(&self, what: &str, year: Option<i32>, dims: &[(&str, &str)], part: Part) -> CellKey {
        let (y, table) = self.year(year);
        let table = if what.is_empty() {
            table
        } else {
            format!("{table}/{what}")
        };
        let mut dims: Vec<(&str, &str)> = dims.to_vec();
        if let Some(sel) = &self.selection {
            // A total over the chosen prisons (no prison in its breakdown) is its own cell.
            if !dims.iter().any(|(d, _)| *d == "gevangenis") {
                dims.push(("keuze", sel));
            }
        }
        CellKey::new(&table, y, &dims, part)
    }
}

/// The query's result of a cross table, before publication.
#[derive(Debug, Clone)]
pub(crate) struct Cross {
    kind: Kind,
    /// (query total row, order, label, code)
    rows: Vec<(bool, usize, String, String)>,
    /// (order, label, code)
    cols: Vec<(usize, String, String)>,
    col_data: Vec<bool>,
    m: Vec<Vec<f64>>,
    dm: Vec<Vec<f64>>,
    present: Vec<Vec<bool>>,
    undefined: Vec<Vec<bool>>,
    marks: Vec<Vec<Option<Passed>>>,
    /// The persons or events behind an average or median (the query's `aantal`).
    units: Vec<Vec<Option<f64>>>,
    year_cols: bool,
    year_rows: bool,
}

/// The query's result of a list, before publication.
#[derive(Debug, Clone)]
pub(crate) struct List {
    cols: Vec<ListCol>,
    /// The rows in print order: (year, query total row, row index, or a "geen gegevens" row).
    rows: Vec<(i32, bool, Option<usize>)>,
    marks: Vec<Option<Passed>>,
    /// The persons or events behind a row's averages and medians (the query's `aantal`).
    units: Vec<Option<f64>>,
    year_col: Option<usize>,
}

#[derive(Debug, Clone)]
enum ListCol {
    Text(Vec<Option<String>>),
    Num(Vec<Option<f64>>),
    Rate(usize, usize),
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Cross(Cross),
    List(List),
}

/// A recipe table read from its query, not yet published.
#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub place: Place,
    pub recipe_table: RecipeTable,
    pub coverage: Coverage,
    pub body: Body,
}

/// Reads the query's result of `t`.
pub(crate) fn read(
    place: Place,
    labels: &Labels,
    t: &RecipeTable,
    cov: &Coverage,
    f: &Frame,
) -> Result<Raw> {
    let body = match t.vorm {
        Form::Kruistabel => Body::Cross(read_cross(place.years, labels, t, cov, f)?),
        Form::Lijst => Body::List(read_list(place.years, t, cov, f)?),
    };
    Ok(Raw {
        place,
        recipe_table: t.clone(),
        coverage: cov.clone(),
        body,
    })
}

fn read_cross(
    years: YearRange,
    labels: &Labels,
    t: &RecipeTable,
    cov: &Coverage,
    f: &Frame,
) -> Result<Cross> {
    let kind = t.soort.unwrap_or(Kind::Aantal);
    let rij = f.strings("rij")?;
    let kolom = f.strings("kolom")?;
    let totaal = f.flags("totaal")?;
    let marked = if f.has("afscherming") {
        f.strings("afscherming")?
    } else {
        vec![None; f.rows()]
    };
    let units = if f.has("aantal") {
        f.numbers("aantal")?
    } else {
        vec![None; f.rows()]
    };
    let (num, den): (Vec<Option<f64>>, Vec<Option<f64>>) = if kind == Kind::Aandeel {
        (f.numbers("teller")?, f.numbers("noemer")?)
    } else {
        (f.numbers("waarde")?, vec![None; f.rows()])
    };
    let year_cols = t.kolomlabels.as_deref() == Some("jaar");
    let year_rows = t.rijlabels.as_deref() == Some("jaar");
    let label = |list: Option<&str>, v: &Option<String>| match v {
        Some(c) => labels.get(list, c),
        None => (usize::MAX, "(onbekend)".to_string()),
    };
    // Columns: the years of the range (all of them), or the codes the query gave.
    let mut cols: Vec<(usize, String, String)> = Vec::new();
    if year_cols {
        for y in years.iter() {
            cols.push((y as usize, y.to_string(), y.to_string()));
        }
    } else {
        for k in &kolom {
            let code = k.clone().unwrap_or_default();
            if !cols.iter().any(|c| c.2 == code) {
                let (o, l) = label(t.kolomlabels.as_deref(), k);
                cols.push((o, l, code));
            }
        }
        cols.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    }
    let col_data: Vec<bool> = cols
        .iter()
        .map(|c| !year_cols || c.2.parse::<i32>().is_ok_and(|y| cov.has(y)))
        .collect();
    // Rows: ordinary rows sorted by label, then the query's total rows.
    let mut rows: Vec<(bool, usize, String, String)> = Vec::new();
    for (i, r) in rij.iter().enumerate() {
        let code = r.clone().unwrap_or_default();
        if !rows.iter().any(|x| x.3 == code && x.0 == totaal[i]) {
            let (o, l) = label(t.rijlabels.as_deref(), r);
            rows.push((totaal[i], o, l, code));
        }
    }
    rows.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    let (nr, nc) = (rows.len(), cols.len());
    let mut c = Cross {
        kind,
        m: vec![vec![0.0; nc]; nr],
        dm: vec![vec![0.0; nc]; nr],
        present: vec![vec![false; nc]; nr],
        undefined: vec![vec![false; nc]; nr],
        marks: vec![vec![None; nc]; nr],
        units: vec![vec![None; nc]; nr],
        rows,
        cols,
        col_data,
        year_cols,
        year_rows,
    };
    for i in 0..rij.len() {
        let code = rij[i].clone().unwrap_or_default();
        let kcode = kolom[i].clone().unwrap_or_default();
        let Some(r) = c.rows.iter().position(|x| x.3 == code && x.0 == totaal[i]) else {
            continue;
        };
        let Some(k) = c.cols.iter().position(|x| x.2 == kcode) else {
            continue; // a year outside the range
        };
        c.present[r][k] = true;
        c.marks[r][k] = passed(&marked[i]).or(c.marks[r][k]);
        if let Some(u) = units[i] {
            c.units[r][k] = Some(c.units[r][k].unwrap_or(0.0) + u);
        }
        match num[i] {
            Some(v) => c.m[r][k] += v,
            None => c.undefined[r][k] = true,
        }
        c.dm[r][k] += den[i].unwrap_or(0.0);
    }
    Ok(c)
}

fn read_list(years: YearRange, t: &RecipeTable, cov: &Coverage, f: &Frame) -> Result<List> {
    let n = f.rows();
    let mut cols = Vec::new();
    for c in &t.kolommen {
        cols.push(match (c.soort, &c.naam) {
            (Kind::Aandeel, _) => {
                let idx = |x: &Option<String>| {
                    t.kolommen
                        .iter()
                        .position(|k| k.naam.as_deref() == x.as_deref())
                        .unwrap_or(0)
                };
                ListCol::Rate(idx(&c.teller), idx(&c.noemer))
            }
            (Kind::Tekst, Some(name)) => ListCol::Text(f.strings(name)?),
            (_, Some(name)) => ListCol::Num(f.numbers(name)?),
            (_, None) => ListCol::Text(vec![None; n]),
        });
    }
    let totaal = f.flags("totaal")?;
    let marks = if f.has("afscherming") {
        f.strings("afscherming")?.iter().map(passed).collect()
    } else {
        vec![None; n]
    };
    let units = if f.has("aantal") {
        f.numbers("aantal")?
    } else {
        vec![None; n]
    };
    let year_col = t.kolommen.iter().position(|c| c.soort == Kind::Jaar);
    let mut rows: Vec<(i32, bool, Option<usize>)> = Vec::new();
    for (i, &tot) in totaal.iter().enumerate() {
        let year = year_col.and_then(|yc| match &cols[yc] {
            ListCol::Num(v) => v[i].map(|y| y as i32),
            _ => None,
        });
        if year.is_some_and(|y| !cov.has(y)) {
            continue; // replaced by one "geen gegevens" row below
        }
        rows.push((year.unwrap_or(0), tot, Some(i)));
    }
    if year_col.is_some() {
        for y in years.iter().filter(|y| !cov.has(*y)) {
            rows.push((y, false, None));
        }
        rows.sort_by_key(|r| r.0); // stable: the query's order within a year
    }
    Ok(List {
        cols,
        rows,
        marks,
        units,
        year_col,
    })
}

/// The breakdown names of a cross table's rows and columns (`jaar` is the cell's year).
fn cross_dims(t: &RecipeTable) -> (&str, &str) {
    (
        t.rijlabels.as_deref().unwrap_or("rij"),
        t.kolomlabels.as_deref().unwrap_or("kolom"),
    )
}

impl Raw {
    /// Registers the table's protected cells (counts of persons, and the counts of rates)
    /// and its totals in `l`.
    pub(crate) fn register(&self, l: &mut Ledger) {
        match &self.body {
            Body::Cross(c) => self.register_cross(l, c),
            Body::List(x) => self.register_list(l, x),
        }
    }

    /// The year and breakdown of cross cell (i, j), or of a total row or column (`None`).
    fn cross_cell(
        &self,
        c: &Cross,
        i: Option<usize>,
        j: Option<usize>,
    ) -> (Option<i32>, Vec<(String, String)>) {
        let (rd, cd) = cross_dims(&self.recipe_table);
        let mut year = None;
        let mut dims = Vec::new();
        if let Some(i) = i {
            if c.year_rows {
                year = c.rows[i].3.parse().ok();
            } else if !c.rows[i].0 {
                dims.push((rd.to_string(), c.rows[i].3.clone()));
            }
        } else {
            dims.push(("som".to_string(), "rijen".to_string()));
        }
        if let Some(j) = j {
            if c.year_cols {
                year = c.cols[j].2.parse().ok();
            } else {
                dims.push((cd.to_string(), c.cols[j].2.clone()));
            }
        } else {
            dims.push(("som".to_string(), "kolommen".to_string()));
        }
        (year, dims)
    }

    fn cross_key(&self, c: &Cross, i: Option<usize>, j: Option<usize>, part: Part) -> CellKey {
        let (year, dims) = self.cross_cell(c, i, j);
        let d: Vec<(&str, &str)> = dims.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        // A row sum over year columns is a figure over several years.
        let year = if j.is_none() && c.year_cols {
            None
        } else {
            year
        };
        self.place.key("", year, &d, part)
    }

    fn register_cross(&self, l: &mut Ledger, c: &Cross) {
        let counted = matches!(c.kind, Kind::Personen) || c.kind == Kind::Aandeel;
        if !counted {
            return;
        }
        let t = &self.recipe_table;
        let body: Vec<usize> = (0..c.rows.len()).filter(|&i| !c.rows[i].0).collect();
        let totals: Vec<usize> = (0..c.rows.len()).filter(|&i| c.rows[i].0).collect();
        let data: Vec<usize> = (0..c.cols.len()).filter(|&j| c.col_data[j]).collect();
        // Cells: a count, or a rate's numerator and denominator (persons in a share table).
        let cell = |l: &mut Ledger, i: usize, j: usize| -> Option<usize> {
            if !c.present[i][j] || c.undefined[i][j] {
                return None;
            }
            if c.kind == Kind::Aandeel {
                let k = l.cell(
                    self.cross_key(c, Some(i), Some(j), Part::Numerator),
                    c.m[i][j],
                    true,
                );
                let n = l.cell(
                    self.cross_key(c, Some(i), Some(j), Part::Denominator),
                    c.dm[i][j],
                    true,
                );
                l.rate(k, n);
                if c.marks[i][j].is_some() {
                    l.force(k, Reason::Secondary);
                }
                return None;
            }
            let v = l.cell(
                self.cross_key(c, Some(i), Some(j), Part::Value),
                c.m[i][j],
                true,
            );
            if c.marks[i][j].is_some() {
                l.force(v, Reason::Secondary);
            }
            Some(v)
        };
        let mut grid: Vec<Vec<Option<usize>>> = vec![vec![None; c.cols.len()]; c.rows.len()];
        for (i, row) in grid.iter_mut().enumerate() {
            for &j in &data {
                row[j] = cell(l, i, j);
            }
        }
        if c.kind == Kind::Aandeel {
            return;
        }
        // The query's total rows (distinct persons): a total of the body rows of each
        // column, added up or not as the data say.
        for &ti in &totals {
            for &j in &data {
                if let Some(tc) = grid[ti][j] {
                    let parts: Vec<usize> = body.iter().filter_map(|&i| grid[i][j]).collect();
                    l.relation(tc, parts);
                }
            }
        }
        // The declared sums.
        let row_totals = t.rijtotaal.list();
        let col_sum = t.kolomtotaal.list().contains(&Total::Som);
        let mut col_totals = Vec::new();
        if col_sum {
            for &j in &data {
                let parts: Vec<usize> = body.iter().filter_map(|&i| grid[i][j]).collect();
                let v: f64 = body.iter().map(|&i| c.m[i][j]).sum();
                let tc = l.cell(self.cross_key(c, None, Some(j), Part::Value), v, true);
                l.relation(tc, parts);
                col_totals.push(tc);
            }
        }
        if !row_totals.is_empty() {
            let mut row_sums = Vec::new();
            for &i in &body {
                let parts: Vec<usize> = data.iter().filter_map(|&j| grid[i][j]).collect();
                let v: f64 = data.iter().map(|&j| c.m[i][j]).sum();
                let tc = l.cell(self.cross_key(c, Some(i), None, Part::Value), v, true);
                l.relation(tc, parts);
                row_sums.push(tc);
            }
            if col_sum {
                let v: f64 = body
                    .iter()
                    .flat_map(|&i| data.iter().map(move |&j| (i, j)))
                    .map(|(i, j)| c.m[i][j])
                    .sum();
                let g = l.cell(self.cross_key(c, None, None, Part::Value), v, true);
                l.relation(g, row_sums);
                l.relation(g, col_totals);
            }
        }
    }

    /// The year and breakdown of list row `r` (text columns with a label list are its
    /// breakdown; a query total row has none).
    fn list_cell(&self, x: &List, r: usize, total: bool) -> (Option<i32>, Vec<(String, String)>) {
        let t = &self.recipe_table;
        let year = x.year_col.and_then(|yc| match &x.cols[yc] {
            ListCol::Num(v) => v[r].map(|y| y as i32),
            _ => None,
        });
        let mut dims = Vec::new();
        if !total {
            for (k, col) in t.kolommen.iter().enumerate() {
                if let (Some(list), ListCol::Text(v)) = (&col.labels, &x.cols[k]) {
                    dims.push((list.clone(), v[r].clone().unwrap_or_default()));
                }
            }
        }
        (year, dims)
    }

    fn register_list(&self, l: &mut Ledger, x: &List) {
        let t = &self.recipe_table;
        // Per column of persons: the cells of each year's body rows and of its total rows.
        let mut lines: std::collections::BTreeMap<(usize, i32), (Vec<usize>, Vec<usize>)> =
            Default::default();
        for &(year, total, r) in &x.rows {
            let Some(r) = r else { continue };
            let (y, dims) = self.list_cell(x, r, total);
            let d: Vec<(&str, &str)> = dims.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let mut counted: Vec<(usize, usize)> = Vec::new();
            for (k, col) in t.kolommen.iter().enumerate() {
                if col.soort != Kind::Personen {
                    continue;
                }
                let ListCol::Num(v) = &x.cols[k] else {
                    continue;
                };
                let Some(value) = v[r] else { continue };
                let what = col.naam.clone().unwrap_or_default();
                let c = l.cell(self.place.key(&what, y, &d, Part::Value), value, true);
                if x.marks[r].is_some() {
                    l.force(c, Reason::Secondary);
                }
                counted.push((k, c));
                let line = lines.entry((k, year)).or_default();
                if total {
                    line.1.push(c);
                } else {
                    line.0.push(c);
                }
            }
            // A rate of two columns of persons: the numerator's cell with the denominator's.
            for col in t.kolommen.iter().filter(|c| c.soort == Kind::Aandeel) {
                let pos = |n: &Option<String>| {
                    t.kolommen
                        .iter()
                        .position(|c| c.naam.as_deref() == n.as_deref())
                };
                let (Some(a), Some(b)) = (pos(&col.teller), pos(&col.noemer)) else {
                    continue;
                };
                let find = |k: usize| counted.iter().find(|x| x.0 == k).map(|x| x.1);
                if let (Some(k), Some(n)) = (find(a), find(b)) {
                    l.rate(k, n);
                }
            }
        }
        for ((_, _), (body, totals)) in lines {
            for tc in totals {
                l.relation(tc, body.clone());
            }
        }
    }

    /// The published table: every cell as the ledger marks it.
    pub(crate) fn publish(&self, d: &Disclosure, labels: &Labels) -> AnswerTable {
        let t = &self.recipe_table;
        let mut table = match &self.body {
            Body::Cross(c) => self.publish_cross(d, labels, c),
            Body::List(x) => self.publish_list(d, labels, x),
        };
        if let Some(w) = &t.waarom_geen_totaal {
            table.notities.insert(0, one_line(w));
        }
        table.notities.extend(no_data_note(t, &self.coverage));
        table
    }

    fn count(&self, d: &Disclosure, key: &CellKey, v: f64) -> Value {
        match d.ledger().mark_of(key) {
            Some(Mark::Shown) | None => Value::Number(v),
            Some(Mark::Hidden(Reason::Small)) => Value::Small,
            Some(_) => Value::Hidden,
        }
    }

    fn rate(&self, d: &Disclosure, k: &CellKey, n: &CellKey, num: f64, den: f64) -> Value {
        if den <= 0.0 {
            return Value::Empty;
        }
        let shown = |key: &CellKey| d.ledger().mark_of(key) == Some(Mark::Shown);
        if shown(k) && shown(n) {
            Value::Number(100.0 * num / den)
        } else {
            Value::Hidden
        }
    }

    fn publish_cross(&self, d: &Disclosure, labels: &Labels, c: &Cross) -> AnswerTable {
        let t = &self.recipe_table;
        let v = CrossView::new(self, d, c);
        let mut out_rows = v.body_rows();
        if t.kolomtotaal.list().contains(&Total::Som) {
            out_rows.push(v.total_row());
        }
        out_rows.extend(v.query_total_rows());
        let span = range_text(&self.coverage.with_data);
        let kolommen = v.columns(&span);
        let mut notes = Vec::new();
        if c.year_cols && v.row_totals.contains(&Total::Gemiddelde) {
            notes.push(format!(
                "Gemiddeld per jaar: het totaal van {span} gedeeld door het aantal jaren met gegevens van die rij ({} voor een rij met gegevens in elk jaar; minder voor een gevangenis die niet elk jaar open was).",
                v.data.len()
            ));
        }
        let all: Vec<&Value> = out_rows.iter().flat_map(|r| &r.cellen).collect();
        notes.extend(suppression_notes(&all, d));
        if t.rijlabels.as_deref() == Some("gevangenis") {
            notes
                .extend(labels.prison_notes(c.rows.iter().map(|r| r.3.as_str()), self.place.years));
        }
        AnswerTable {
            id: t.id.clone(),
            titel: t.titel.clone(),
            definitie: one_line(&t.definitie),
            kolommen,
            rijen: out_rows,
            notities: notes,
        }
    }

    fn publish_list(&self, d: &Disclosure, labels: &Labels, x: &List) -> AnswerTable {
        let t = &self.recipe_table;
        let min_persons = f64::from(d.policy().minimum_personen);
        let mut rows = Vec::new();
        for &(year, total, r) in &x.rows {
            let Some(r) = r else {
                // A year without data: one row saying so.
                let mut cells = vec![Value::Empty; t.kolommen.len()];
                if let Some(yc) = x.year_col {
                    cells[yc] = Value::Year(year);
                    if let Some(first) = (0..t.kolommen.len()).find(|&k| k != yc) {
                        cells[first] = Value::NoData;
                    }
                }
                rows.push(Row {
                    cellen: cells,
                    totaal: false,
                });
                continue;
            };
            let (y, dims) = self.list_cell(x, r, total);
            let dk: Vec<(&str, &str)> =
                dims.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let key = |k: usize| {
                let what = t.kolommen[k].naam.clone().unwrap_or_default();
                self.place.key(&what, y, &dk, Part::Value)
            };
            let mut cells = Vec::new();
            for (k, c) in t.kolommen.iter().enumerate() {
                cells.push(match &x.cols[k] {
                    ListCol::Text(v) => match &v[r] {
                        Some(s) => Value::Text(labels.get(c.labels.as_deref(), s).1),
                        None => Value::Text("(onbekend)".into()),
                    },
                    ListCol::Num(v) => match (c.soort, v[r], x.marks[r]) {
                        (Kind::Jaar, Some(y), _) => Value::Year(y as i32),
                        (_, _, Some(Passed::Small)) => Value::Small,
                        (_, _, Some(Passed::Hidden)) => Value::Hidden,
                        (Kind::Personen, Some(v), None) => self.count(d, &key(k), v),
                        (Kind::Dagen | Kind::Getal, Some(_), None)
                            if x.units[r].is_some_and(|u| u < min_persons) =>
                        {
                            Value::Hidden
                        }
                        (_, Some(v), None) => Value::Number(v),
                        (_, None, _) => Value::Empty,
                    },
                    ListCol::Rate(a, b) => match (&x.cols[*a], &x.cols[*b]) {
                        (ListCol::Num(p), ListCol::Num(q)) => match (p[r], q[r]) {
                            (Some(num), Some(den)) => self.rate(d, &key(*a), &key(*b), num, den),
                            _ => Value::Empty,
                        },
                        _ => Value::Empty,
                    },
                });
            }
            rows.push(Row {
                cellen: cells,
                totaal: total,
            });
        }
        let kolommen: Vec<Column> = t
            .kolommen
            .iter()
            .map(|c| Column {
                kop: c.kop.clone(),
                soort: match c.soort {
                    Kind::Tekst => ColumnKind::Label,
                    Kind::Jaar => ColumnKind::Year,
                    k => ColumnKind::Figure(
                        k,
                        c.decimalen
                            .unwrap_or(if k == Kind::Aandeel { 1 } else { 0 }),
                    ),
                },
            })
            .collect();
        let all: Vec<&Value> = rows.iter().flat_map(|r| &r.cellen).collect();
        let mut notes = suppression_notes(&all, d);
        for (k, c) in t.kolommen.iter().enumerate() {
            if let (Some("gevangenis"), ListCol::Text(v)) = (c.labels.as_deref(), &x.cols[k]) {
                notes.extend(
                    labels.prison_notes(v.iter().flatten().map(String::as_str), self.place.years),
                );
            }
        }
        AnswerTable {
            id: t.id.clone(),
            titel: t.titel.clone(),
            definitie: one_line(&t.definitie),
            kolommen,
            rijen: rows,
            notities: notes,
        }
    }
}

/// A cross table being published: its figures, the recipe's table and the disclosure.
struct CrossView<'a> {
    raw: &'a Raw,
    d: &'a Disclosure,
    c: &'a Cross,
    kind: Kind,
    /// Counts of persons: each cell shown as the ledger says.
    protected: bool,
    row_totals: Vec<Total>,
    /// The rows that are not the query's own total rows.
    body: Vec<usize>,
    /// The columns with data.
    data: Vec<usize>,
    min_persons: f64,
}

impl<'a> CrossView<'a> {
    fn new(raw: &'a Raw, d: &'a Disclosure, c: &'a Cross) -> CrossView<'a> {
        let t = &raw.recipe_table;
        let kind = c.kind;
        CrossView {
            raw,
            d,
            c,
            kind,
            protected: kind == Kind::Personen,
            row_totals: t.rijtotaal.list(),
            body: (0..c.rows.len()).filter(|&i| !c.rows[i].0).collect(),
            data: (0..c.cols.len()).filter(|&j| c.col_data[j]).collect(),
            min_persons: f64::from(d.policy().minimum_personen),
        }
    }

    /// The cell of row `i`, column `j`, as it may be shown.
    fn cell(&self, i: usize, j: usize) -> Value {
        let (raw, d, c, kind) = (self.raw, self.d, self.c, self.kind);
        let (protected, min_persons) = (self.protected, self.min_persons);
        if !c.col_data[j] {
            return Value::NoData;
        }
        if !c.present[i][j] {
            return Value::Absent;
        }
        match c.marks[i][j] {
            Some(Passed::Small) => return Value::Small,
            Some(Passed::Hidden) => return Value::Hidden,
            None => {}
        }
        if c.undefined[i][j] {
            return Value::Empty;
        }
        if c.units[i][j].is_some_and(|u| u < min_persons) {
            return Value::Hidden;
        }
        match kind {
            Kind::Aandeel => raw.rate(
                d,
                &raw.cross_key(c, Some(i), Some(j), Part::Numerator),
                &raw.cross_key(c, Some(i), Some(j), Part::Denominator),
                c.m[i][j],
                c.dm[i][j],
            ),
            _ if protected => raw.count(
                d,
                &raw.cross_key(c, Some(i), Some(j), Part::Value),
                c.m[i][j],
            ),
            _ => Value::Number(c.m[i][j]),
        }
    }

    /// A sum, or the yearly average of a sum: shown as its sum's cell is. The average per
    /// year of a row is over the years the row has figures for (a prison open two of six
    /// years: over two), as the definition and the note say.
    fn sum_cells(&self, key: CellKey, sum: f64, years_with: usize, any_hidden: bool) -> Vec<Value> {
        let (raw, d, protected) = (self.raw, self.d, self.protected);
        self.row_totals
            .iter()
            .map(|tot| {
                if *tot != Total::Som && years_with == 0 {
                    return Value::NoData;
                }
                let v = match tot {
                    Total::Som => sum,
                    _ => sum / years_with as f64,
                };
                if protected {
                    match raw.count(d, &key, sum) {
                        Value::Number(_) => Value::Number(v),
                        other => other,
                    }
                } else if any_hidden {
                    Value::Hidden
                } else {
                    Value::Number(v)
                }
            })
            .collect()
    }

    /// The label of a row: a year when the rows are years.
    fn row_label(&self, l: &str) -> Value {
        match l.parse::<i32>() {
            Ok(y) if self.c.year_rows => Value::Year(y),
            _ => Value::Text(l.to_string()),
        }
    }

    /// The body rows, each with its sums.
    fn body_rows(&self) -> Vec<Row> {
        let (c, data, min_persons) = (self.c, &self.data, self.min_persons);
        let mut out_rows = Vec::new();
        for &i in &self.body {
            let mut cells = vec![self.row_label(&c.rows[i].2)];
            cells.extend((0..c.cols.len()).map(|j| self.cell(i, j)));
            let sum: f64 = data.iter().map(|&j| c.m[i][j]).sum();
            let any_hidden = data.iter().any(|&j| {
                c.marks[i][j].is_some() || c.units[i][j].is_some_and(|u| u < min_persons)
            });
            let years_with = data.iter().filter(|&&j| c.present[i][j]).count();
            cells.extend(self.sum_cells(
                self.raw.cross_key(c, Some(i), None, Part::Value),
                sum,
                years_with,
                any_hidden,
            ));
            out_rows.push(Row {
                cellen: cells,
                totaal: false,
            });
        }
        out_rows
    }

    /// The row of the column sums.
    fn total_row(&self) -> Row {
        let (raw, d, c, protected) = (self.raw, self.d, self.c, self.protected);
        let (body, data) = (&self.body, &self.data);
        let mut cells = vec![Value::Text("Totaal".into())];
        for j in 0..c.cols.len() {
            cells.push(if !c.col_data[j] {
                Value::NoData
            } else {
                let s: f64 = body.iter().map(|&i| c.m[i][j]).sum();
                if protected {
                    raw.count(d, &raw.cross_key(c, None, Some(j), Part::Value), s)
                } else if body.iter().any(|&i| c.marks[i][j].is_some()) {
                    Value::Hidden
                } else {
                    Value::Number(s)
                }
            });
        }
        let sum: f64 = body
            .iter()
            .flat_map(|&i| data.iter().map(move |&j| (i, j)))
            .map(|(i, j)| c.m[i][j])
            .sum();
        let any_hidden = body
            .iter()
            .any(|&i| data.iter().any(|&j| c.marks[i][j].is_some()));
        let years_with = data
            .iter()
            .filter(|&&j| body.iter().any(|&i| c.present[i][j]))
            .count();
        cells.extend(self.sum_cells(
            raw.cross_key(c, None, None, Part::Value),
            sum,
            years_with,
            any_hidden,
        ));
        Row {
            cellen: cells,
            totaal: true,
        }
    }

    /// The query's own total rows (distinct persons): no sums.
    fn query_total_rows(&self) -> Vec<Row> {
        let c = self.c;
        let mut out_rows = Vec::new();
        for i in (0..c.rows.len()).filter(|&i| c.rows[i].0) {
            let mut cells = vec![Value::Text(c.rows[i].2.clone())];
            cells.extend((0..c.cols.len()).map(|j| self.cell(i, j)));
            cells.extend(self.row_totals.iter().map(|_| Value::Empty));
            out_rows.push(Row {
                cellen: cells,
                totaal: true,
            });
        }
        out_rows
    }

    /// The columns: the row labels, one per column of the cross table, the row totals.
    fn columns(&self, span: &str) -> Vec<Column> {
        let (t, c, kind) = (&self.raw.recipe_table, self.c, self.kind);
        let cell_kind = ColumnKind::Figure(
            kind,
            t.decimalen
                .unwrap_or(if kind == Kind::Aandeel { 1 } else { 0 }),
        );
        let mut kolommen = vec![Column {
            kop: t.rijen.clone().unwrap_or_default(),
            soort: if c.year_rows {
                ColumnKind::Year
            } else {
                ColumnKind::Label
            },
        }];
        kolommen.extend(c.cols.iter().map(|col| Column {
            kop: col.1.clone(),
            soort: cell_kind,
        }));
        for tot in &self.row_totals {
            kolommen.push(Column {
                kop: match (tot, c.year_cols) {
                    (Total::Som, true) => format!("Totaal {span}"),
                    (Total::Som, false) => "Totaal".into(),
                    (_, true) => "Gemiddeld per jaar".into(),
                    (_, false) => "Gemiddelde".into(),
                },
                soort: cell_kind,
            });
        }
        kolommen
    }
}

/// What the marks in a table mean, for the marks it holds.
fn suppression_notes(cells: &[&Value], d: &Disclosure) -> Vec<String> {
    let p = d.policy();
    let mut notes = Vec::new();
    if cells.iter().any(|v| **v == Value::Small) {
        notes.push(format!(
            "{}: 1 tot {} (kleine aantallen worden niet gepubliceerd).",
            p.small_label(),
            p.drempel
        ));
    }
    if cells.iter().any(|v| **v == Value::Hidden) {
        notes.push(format!(
            "×: niet gepubliceerd om kleine aantallen te beschermen: een percentage op minder dan {}, waar op enkelen na iedereen iets deed, of een cel waaruit (samen met wat elders gepubliceerd is) een klein aantal af te leiden zou zijn.",
            p.minimum_noemer
        ));
    }
    if cells.iter().any(|v| **v == Value::Absent) {
        notes.push("–: niets geregistreerd.".into());
    }
    notes
}

/// The note on the years of the range without data.
fn no_data_note(t: &RecipeTable, cov: &Coverage) -> Option<String> {
    let no_data: Vec<String> = cov
        .without
        .iter()
        .map(|(y, s)| {
            let what = s
                .iter()
                .map(|b| {
                    if b == "plan" {
                        "het strategisch plan loopt dan niet".to_string()
                    } else {
                        format!("bron {b} heeft geen rijen")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{y} ({what})")
        })
        .collect();
    if no_data.is_empty() {
        return None;
    }
    let per_year = t.kolomlabels.as_deref() == Some("jaar")
        || t.kolommen.iter().any(|c| c.soort == Kind::Jaar);
    Some(if per_year {
        format!(
            "Geen gegevens voor {}; die jaren tellen niet mee in totalen en gemiddelden.",
            no_data.join(", ")
        )
    } else {
        format!("Geen gegevens voor {}.", no_data.join(", "))
    })
}

/// The mark of a figure the reports do not show, for the table `indicatoren`: `small` (`<5`)
/// or `×`.
pub(crate) fn figure_mark(s: Shown, small: &str) -> Option<String> {
    match s {
        Shown::Small => Some(small.to_string()),
        Shown::Hidden => Some("×".to_string()),
        _ => None,
    }
}
