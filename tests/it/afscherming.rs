//! Everything a year publishes about a small generated population, read back as a reader
//! would (CSV downloads of the site, workbooks of the reports and answers, the audit): no
//! count, numerator or complement of 1 to 4 persons or events, and no hidden cell that the
//! shown ones give back by subtraction (checked against the unprotected `hdv eval`).

use crate::common::{Hdv, Project, ROOT};
use calamine::{Data, Reader, open_workbook_auto};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

fn small(v: f64) -> bool {
    (1.0..=4.0).contains(&v) && v.fract() == 0.0
}

/// The unprotected figures: (indicator, year, breakdown, code) → (value, numerator, denominator).
type Truth = HashMap<(String, i32, String, String), Figures>;

/// (value, numerator, denominator)
type Figures = (Option<f64>, Option<f64>, Option<f64>);

/// One of a figure's three parts.
type Pick = fn(&Figures) -> Option<f64>;

fn truth(p: &Project) -> Truth {
    let run = p
        .hdv(&["eval", "--year", "2018..2025", "--format", "jsonl"])
        .run()
        .success();
    let mut t = Truth::new();
    for line in run.stdout.lines() {
        let o: serde_json::Value = serde_json::from_str(line).unwrap();
        let (dim, code) = o["dims"]
            .as_object()
            .and_then(|m| m.iter().next())
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
            .unwrap_or_default();
        t.insert(
            (
                o["indicator"].as_str().unwrap().to_string(),
                o["year"].as_i64().unwrap() as i32,
                dim,
                code,
            ),
            (
                o["value"].as_f64(),
                o["numerator"].as_f64(),
                o["denominator"].as_f64(),
            ),
        );
    }
    t
}

/// What the model says of each indicator: (protected, a count), by id and by title.
struct Kinds {
    by_id: HashMap<String, (bool, bool)>,
    by_title: HashMap<String, (bool, bool)>,
    prison_codes: HashMap<String, String>,
}

fn kinds() -> Kinds {
    let model = hdv::model::load_model(Path::new(ROOT)).unwrap();
    let mut k = Kinds {
        by_id: HashMap::new(),
        by_title: HashMap::new(),
        prison_codes: model
            .prisons
            .iter()
            .map(|p| (p.naam.clone(), p.code.clone()))
            .collect(),
    };
    for ind in &model.indicators {
        let protected = ind.telt != Some(hdv::model::Counts::Geen);
        let count = ind.soort == hdv::model::IndicatorKind::Aantal;
        k.by_id.insert(ind.id.clone(), (protected, count));
        k.by_title.insert(ind.titel.clone(), (protected, count));
    }
    k
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse().ok()
}

/// The site's CSV downloads: no small numerator, denominator, complement or count, and no
/// hidden cell of an additive breakdown that the total minus the shown cells gives back.
fn check_site_csv(dir: &Path, t: &Truth, k: &Kinds, found: &mut Vec<String>) -> usize {
    let mut rows_read = 0;
    for f in std::fs::read_dir(dir.join("indicator")).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let mut r = csv::Reader::from_path(&f).unwrap();
        let head = r.headers().unwrap().clone();
        let col = |name: &str| head.iter().position(|h| h == name).unwrap();
        let (ci, cj, cd, cc, cv, ck, cn) = (
            col("indicator"),
            col("jaar"),
            col("uitsplitsing"),
            col("categorie"),
            col("waarde"),
            col("teller"),
            col("noemer"),
        );
        // (indicator, year, breakdown) → [(code, value, numerator, denominator)]
        type Line = Vec<(String, Option<f64>, Option<f64>, Option<f64>)>;
        let mut lines: BTreeMap<(String, i32, String), Line> = BTreeMap::new();
        for rec in r.records() {
            let rec = rec.unwrap();
            rows_read += 1;
            let ind = rec[ci].to_string();
            let (protected, count) = k.by_id[&ind];
            if !protected {
                continue;
            }
            let (v, num, den) = (number(&rec[cv]), number(&rec[ck]), number(&rec[cn]));
            let at = format!("{} {} {} {}", ind, &rec[cj], &rec[cd], &rec[cc]);
            if num.is_some_and(small) || den.is_some_and(small) {
                found.push(format!("site: kleine teller of noemer: {at}"));
            }
            if let (Some(a), Some(b)) = (num, den)
                && small(b - a)
            {
                found.push(format!("site: noemer min teller klein: {at}"));
            }
            if count && v.is_some_and(small) {
                found.push(format!("site: klein aantal: {at}"));
            }
            let code = k
                .prison_codes
                .get(&rec[cc])
                .cloned()
                .unwrap_or_else(|| rec[cc].to_string());
            lines
                .entry((ind, rec[cj].parse().unwrap(), rec[cd].to_string()))
                .or_default()
                .push((code, v, num, den));
        }
        for ((ind, year, dim), cells) in &lines {
            if dim.is_empty() {
                continue;
            }
            let Some(total) = lines.get(&(ind.clone(), *year, String::new())) else {
                continue;
            };
            let (_, count) = k.by_id[ind];
            let parts: [(usize, Pick); 2] = if count {
                [(0, |x| x.0), (0, |x| x.0)]
            } else {
                [(1, |x| x.1), (2, |x| x.2)]
            };
            for (which, of_truth) in parts {
                let get = |c: &(String, Option<f64>, Option<f64>, Option<f64>)| match which {
                    0 => c.1,
                    1 => c.2,
                    _ => c.3,
                };
                let Some(tot) = get(&total[0]) else { continue };
                let hidden: Vec<_> = cells.iter().filter(|c| get(c).is_none()).collect();
                if hidden.len() != 1 {
                    continue;
                }
                let guess = tot - cells.iter().filter_map(get).sum::<f64>();
                let h = hidden[0];
                let real = t
                    .get(&(ind.clone(), *year, dim.clone(), h.0.clone()))
                    .and_then(of_truth);
                if real == Some(guess) {
                    found.push(format!(
                        "site: {ind} {year} {dim} {}: verborgen cel terug te rekenen als totaal min de rest ({guess})",
                        h.0
                    ));
                }
            }
        }
    }
    rows_read
}

fn cells(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut wb = open_workbook_auto(path).unwrap();
    wb.sheet_names()
        .into_iter()
        .map(|s| {
            let r = wb.worksheet_range(&s).unwrap();
            (s, r.rows().map(|r| r.to_vec()).collect())
        })
        .collect()
}

fn float(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The sheets of a report workbook that show indicators by title: a count of 1 to 4 of a
/// protected count indicator, or a small numerator, denominator or complement next to it.
fn check_report_workbook(path: &Path, k: &Kinds, found: &mut Vec<String>) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    for (sheet, rows) in cells(path) {
        let Some(head) = rows.first() else { continue };
        let head: Vec<String> = head.iter().map(text).collect();
        let col = |n: &str| head.iter().position(|h| h == n);
        let title = col("indicator");
        let (num, den) = (col("teller"), col("noemer"));
        for row in rows.iter().skip(1) {
            let Some(kind) = title.and_then(|c| k.by_title.get(&text(&row[c]))) else {
                continue;
            };
            let (protected, count) = *kind;
            if !protected {
                continue;
            }
            let at = format!("{name}!{sheet}: {}", text(&row[title.unwrap()]));
            let k_ = num.and_then(|c| float(&row[c]));
            let n_ = den.and_then(|c| float(&row[c]));
            if k_.is_some_and(small) || n_.is_some_and(small) {
                found.push(format!("{at}: kleine teller of noemer"));
            }
            if let (Some(a), Some(b)) = (k_, n_)
                && small(b - a)
            {
                found.push(format!("{at}: noemer min teller klein"));
            }
            if count {
                for c in [
                    "waarde",
                    "waarde (na afscherming)",
                    "gevangenis",
                    "Vlaanderen",
                ] {
                    if let Some(v) = col(c).and_then(|c| float(&row[c]))
                        && small(v)
                    {
                        found.push(format!("{at}: klein aantal in kolom {c}"));
                    }
                }
            }
        }
        // Columns of counts of persons or events by prison (the equal-access table).
        for (j, h) in head.iter().enumerate() {
            let counted = k
                .by_title
                .iter()
                .any(|(t, (p, c))| *p && *c && h.starts_with(t.as_str()));
            if counted {
                for row in rows.iter().skip(1) {
                    if float(&row[j]).is_some_and(small) {
                        found.push(format!(
                            "{name}!{sheet}: {} {h}: klein aantal",
                            text(&row[0])
                        ));
                    }
                }
            }
        }
    }
}

/// A Markdown report (yearly, final evaluation, local): every table row of a protected
/// indicator, found by its title, with its numerator and denominator as `k / n`.
fn check_markdown(path: &Path, k: &Kinds, found: &mut Vec<String>) -> usize {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    let whole = |t: &str| t.trim().replace('.', "").parse::<f64>().ok();
    let mut read = 0;
    for line in text.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(title) = cells.get(1) else { continue };
        let title = title
            .trim_start_matches('[')
            .split("](")
            .next()
            .unwrap_or_default()
            .trim_end_matches(']')
            .trim_matches('*');
        let Some(&(protected, count)) = k.by_title.get(title) else {
            continue;
        };
        if !protected {
            continue;
        }
        read += 1;
        for c in &cells[2..] {
            if let Some((a, b)) = c.split_once(" / ")
                && let (Some(a), Some(b)) = (whole(a), whole(b))
                && (small(a) || small(b) || small(b - a))
            {
                found.push(format!("{name}: {title}: teller en noemer {a} / {b}"));
            }
        }
        if count && cells.get(2).and_then(|c| whole(c)).is_some_and(small) {
            found.push(format!("{name}: {title}: klein aantal {}", cells[2]));
        }
    }
    read
}

/// The sheet names of recipe tables of persons (`blad:` of a table with `soort: personen`).
fn persons_sheets() -> Vec<String> {
    let mut out = Vec::new();
    for f in std::fs::read_dir(Path::new(ROOT).join("templates/antwoorden")).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap_or_default();
        for table in text.split("\n  - id:").skip(1) {
            let sheet = table
                .lines()
                .find_map(|l| l.trim().strip_prefix("blad:"))
                .map(|s| s.trim().to_string());
            if let Some(s) = sheet
                && table.contains("soort: personen")
            {
                out.push(s);
            }
        }
    }
    out
}

/// An answer workbook: no count of 1 to 4 on a sheet of persons; no total row or column
/// shown beside a line with exactly one hidden cell.
fn check_answer_workbook(path: &Path, sheets: &[String], found: &mut Vec<String>) {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    for (sheet, rows) in cells(path) {
        if !sheets.iter().any(|s| sheet.ends_with(s.as_str())) {
            continue;
        }
        let hidden = |d: &Data| matches!(d, Data::String(s) if s == "×" || s.starts_with('<'));
        let body: Vec<&Vec<Data>> = rows
            .iter()
            .skip(1)
            .filter(|r| text(&r[0]) != "Totaal")
            .take_while(|r| !r.iter().all(|c| matches!(c, Data::Empty)))
            .collect();
        for (i, row) in body.iter().enumerate() {
            for (j, c) in row.iter().enumerate().skip(1) {
                if float(c).is_some_and(small) {
                    found.push(format!(
                        "{name}!{sheet}: rij {} kolom {}: klein aantal",
                        i + 2,
                        j + 1
                    ));
                }
            }
        }
        // A "Totaal" row under the data: its columns against the body.
        if let Some(total) = rows.iter().find(|r| text(&r[0]) == "Totaal") {
            for (j, c) in total.iter().enumerate().skip(1) {
                if float(c).is_none() {
                    continue;
                }
                if body.iter().filter(|r| r.get(j).is_some_and(hidden)).count() == 1 {
                    found.push(format!(
                        "{name}!{sheet}: kolom {}: één verborgen cel naast een getoond totaal",
                        j + 1
                    ));
                }
            }
        }
    }
}

#[test]
fn nothing_published_about_400_persons_gives_a_small_count_away() {
    let p = Project::new().with_model();
    // As the partners deliver (profiles, and linked data in the Flemish standard).
    Hdv::new(&["generate", "--persons", "400", "--deliveries", "--out"])
        .arg(p.data())
        .run()
        .success();
    let out = p.join("uit");
    let o = out.to_str().unwrap();
    p.hdv(&["report", "--year", "2024", "--out", o])
        .run()
        .success();
    p.hdv(&["report", "--period", "2020..2025", "--out", o])
        .run()
        .success();
    p.hdv(&["site", "--out", &format!("{o}/site")])
        .run()
        .success();
    let model = hdv::model::load_model(Path::new(ROOT)).unwrap();
    let locals: Vec<String> = model
        .local_plans
        .iter()
        .filter(|l| l.jaar == 2024)
        .map(|l| l.gevangenis.clone())
        .collect();
    assert!(!locals.is_empty());
    for prison in &locals {
        p.hdv(&[
            "local", "report", "--prison", prison, "--year", "2024", "--out", o,
        ])
        .run()
        .success();
    }
    let answers = format!("{o}/antwoorden");
    let recipes: Vec<String> = hdv_answer_list(&p)
        .into_iter()
        .filter(|r| r != "doelen_bereikt")
        .collect();
    for r in &recipes {
        p.hdv(&["answer", r, "--year", "2019..2024", "--out", &answers])
            .run()
            .success();
    }
    p.hdv(&[
        "answer",
        "wachtlijsten",
        "--year",
        "2024",
        "--prison",
        "gent",
        "--prison",
        "brugge",
        "--out",
        &answers,
    ])
    .run()
    .success();

    let t = truth(&p);
    let k = kinds();
    let mut found = Vec::new();
    let rows = check_site_csv(&out.join("site"), &t, &k, &mut found);
    assert!(rows > 1000, "the site's downloads hold {rows} rows");
    check_report_workbook(&out.join("2024/jaarrapport.xlsx"), &k, &mut found);
    let rows = check_markdown(&out.join("2024/jaarrapport.md"), &k, &mut found);
    assert!(
        rows > 10,
        "the yearly report shows {rows} rows of protected figures"
    );
    let final_evaluation = out.join("eindevaluatie-2020-2025/eindevaluatie.md");
    check_markdown(&final_evaluation, &k, &mut found);
    for prison in &locals {
        check_markdown(
            &out.join(format!("2024/lokaal/{prison}.md")),
            &k,
            &mut found,
        );
        check_report_workbook(
            &out.join(format!("2024/lokaal/{prison}.xlsx")),
            &k,
            &mut found,
        );
    }
    let sheets = persons_sheets();
    assert!(sheets.len() >= 4, "{sheets:?}");
    let mut workbooks = 0;
    for f in std::fs::read_dir(&answers).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "xlsx") {
            check_answer_workbook(&f, &sheets, &mut found);
            workbooks += 1;
        }
    }
    assert!(workbooks > recipes.len(), "{workbooks} answer workbooks");
    assert!(found.is_empty(), "{}", found.join("\n"));

    // The audit of everything 2024 publishes, together, finds nothing narrower than allowed.
    let audit = p
        .hdv(&["check", "--disclosure", "--year", "2024"])
        .run()
        .success();
    assert!(
        audit
            .stdout
            .contains("in orde: geen enkel beschermd aantal"),
        "{}",
        audit.stdout
    );
}

fn hdv_answer_list(p: &Project) -> Vec<String> {
    let list = p.hdv(&["answer", "--list"]).run().success();
    list.stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_reader_finds_what_a_looser_policy_lets_through() {
    // The same reading, on a site published without the complement rule: rates where all but
    // a few did something are then shown, and the reader above must see them (so its
    // silence on the real policy means something).
    let p = Project::new()
        .with_model()
        .file("plans/afscherming.yaml", "complement: false\n");
    Hdv::new(&["generate", "--persons", "400", "--out"])
        .arg(p.data())
        .run()
        .success();
    let site = p.join("site");
    p.hdv(&["site", "--out", site.to_str().unwrap()])
        .run()
        .success();
    let mut found = Vec::new();
    check_site_csv(&site, &truth(&p), &kinds(), &mut found);
    assert!(
        found.iter().any(|f| f.contains("noemer min teller klein")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|f| f.contains("kleine teller")),
        "{found:?}"
    );
}
