//! Re-deliveries by cell (issue 29, DATA.md "Re-deliveries"): a supplier's year split over
//! files by prison reads as the single file, with and without extraction dates; a later file
//! replaces earlier rows only for the supplier × year × prison cells it covers. On the
//! samples' own CAW profile.

use crate::common::Project;
use calamine::{Data, Reader};
use hdv::contract::Source;
use std::path::Path;

/// The CAW delivery of 2024 in the samples (profile `caw-trajecten`: sheet `Export`, the
/// extraction date in B2, the header in row 4, `Vestiging` in column C).
const CAW_2024: &str = "samples/trajecten/caw-2024.xlsx";

/// Prisons whose rows go to the first part of the split (by the last word of `Vestiging`,
/// so that both ways CAW writes a prison land in the same file).
const FIRST: [&str; 6] = ["Antwerpen", "Beveren", "Brugge", "Gent", "Hasselt", "Haren"];

fn first_part(vestiging: &str) -> bool {
    FIRST.iter().any(|p| vestiging.ends_with(p))
}

/// Writes a copy of the CAW export to `to` with only the data rows `keep` accepts (by their
/// `Vestiging`), the extraction date in B2 set to `extracted` (an Excel serial day; `None`
/// leaves it empty), and every kept row passed through `edit` (the cells of columns A-G).
pub(crate) fn write_part(
    to: &Path,
    keep: impl Fn(&str) -> bool,
    extracted: Option<f64>,
    edit: impl Fn(&mut [Data]),
) -> usize {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(CAW_2024).unwrap();
    let range = wb.worksheet_range("Export").unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet().set_name("Export").unwrap();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    ws.write_string(0, 0, "CAW - export trajecten justitieel welzijnswerk")
        .unwrap();
    ws.write_string(1, 0, "Extractiedatum").unwrap();
    if let Some(x) = extracted {
        ws.write_number_with_format(1, 1, x, &date).unwrap();
    }
    for c in 0..7u16 {
        ws.write_string(3, c, cell(3, c as u32).to_string())
            .unwrap();
    }
    let (end, _) = range.end().unwrap();
    let mut next = 4u32;
    for r in 4..=end {
        let mut row: Vec<Data> = (0..7).map(|c| cell(r, c)).collect();
        if !keep(&row[2].to_string()) {
            continue;
        }
        edit(&mut row);
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                Data::String(s) => ws.write_string(next, c, s).map(|_| ()),
                Data::DateTime(d) => ws
                    .write_number_with_format(next, c, d.as_f64(), &date)
                    .map(|_| ()),
                Data::Float(f) => ws.write_number(next, c, *f).map(|_| ()),
                Data::Int(i) => ws.write_number(next, c, *i as f64).map(|_| ()),
                Data::Empty => Ok(()),
                other => panic!("unexpected cell {other:?}"),
            }
            .unwrap();
        }
        next += 1;
    }
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    out.save(to).unwrap();
    (next - 4) as usize
}

/// Excel serial days of 10, 12 February and 1 March 2025.
const FEB_10: f64 = 45698.0;
const FEB_12: f64 = 45700.0;
const MAR_1: f64 = 45717.0;

/// A part of a split delivery: file name, the prisons (`Vestiging`) it keeps, its extraction
/// date, an edit of its rows.
type Part<'a> = (&'a str, fn(&str) -> bool, Option<f64>, fn(&mut [Data]));

/// A project with the samples as data, `caw-2024.xlsx` replaced by `parts` (name, prisons
/// kept, extraction date, row edit); the rows each part got.
fn split(parts: &[Part]) -> (Project, Vec<usize>) {
    let p = Project::new().with_model().with_data("samples");
    std::fs::remove_file(p.data().join("trajecten/caw-2024.xlsx")).unwrap();
    let rows = parts
        .iter()
        .map(|(name, keep, extracted, edit)| {
            write_part(
                &p.data().join("trajecten").join(name),
                keep,
                *extracted,
                edit,
            )
        })
        .collect();
    (p, rows)
}

fn eval_2024(p: &Project) -> String {
    p.hdv(&["eval", "--year", "2024", "--format", "jsonl"])
        .run()
        .success()
        .stdout
}

fn unchanged(_: &mut [Data]) {}

#[test]
fn a_year_split_by_prison_gives_the_figures_of_the_single_file() {
    let whole = eval_2024(&Project::new().with_model().with_data("samples"));
    // With extraction dates 10 and 12 February, and without any.
    for (a, b) in [(Some(FEB_10), Some(FEB_12)), (None, None)] {
        let (p, rows) = split(&[
            ("caw-2024-a.xlsx", first_part, a, unchanged),
            ("caw-2024-b.xlsx", |v| !first_part(v), b, unchanged),
        ]);
        assert!(rows[0] > 100 && rows[1] > 100, "{rows:?}");
        assert_eq!(rows[0] + rows[1], 611);
        assert_eq!(eval_2024(&p), whole, "split with dates {a:?}, {b:?}");
        // The register lists both parts, each with its own cells and nothing replaced.
        let out = p.hdv(&["check"]).run().success().stdout;
        for (name, n) in [("caw-2024-a.xlsx", rows[0]), ("caw-2024-b.xlsx", rows[1])] {
            let line = out
                .lines()
                .find(|l| l.contains(&format!("trajecten/{name}")))
                .unwrap_or_else(|| panic!("{name} in\n{out}"));
            assert!(line.contains(&format!(" {n} rijen ")), "{line}");
        }
        assert!(out.contains("      cellen: CAW 2024: antwerpen ("), "{out}");
        assert!(!out.contains("VERVANGEN"), "{out}");
    }
}

/// `Gent` rows only (both ways CAW writes it; not FPC Gent).
fn gent(v: &str) -> bool {
    v == "PI Gent" || v == "Gevangenis van Gent"
}

/// A correction of Gent: every registered stop reason becomes `Andere`.
fn corrected(row: &mut [Data]) {
    if row[6] != Data::Empty {
        row[6] = Data::String("Andere".into());
    }
}

#[test]
fn a_later_file_for_one_prison_replaces_only_that_prisons_rows() {
    let (p, rows) = split(&[
        ("caw-2024-a.xlsx", first_part, Some(FEB_10), unchanged),
        (
            "caw-2024-b.xlsx",
            |v| !first_part(v),
            Some(FEB_12),
            unchanged,
        ),
        ("caw-2024-gent.xlsx", gent, Some(MAR_1), corrected),
    ]);
    let gent_rows = rows[2];
    assert!(gent_rows > 10, "{rows:?}");
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    let s = hdv::session::Session::new(p.path(), p.data())
        .unwrap()
        .sources(&model)
        .unwrap();
    let a = s
        .deliveries
        .iter()
        .find(|d| d.name == "trajecten/caw-2024-a.xlsx")
        .unwrap();
    // Only the cell CAW × 2024 × gent of the first part is replaced; its other cells stay.
    assert_eq!(a.replaced.len(), 1, "{:?}", a.replaced);
    assert_eq!(a.replaced[0].cell.prison, "gent");
    assert_eq!(a.replaced[0].rows, gent_rows);
    assert_eq!(a.replaced[0].by, "trajecten/caw-2024-gent.xlsx");
    assert_eq!(a.used_rows(), rows[0] - gent_rows);
    assert!(
        s.deliveries
            .iter()
            .find(|d| d.name == "trajecten/caw-2024-b.xlsx")
            .unwrap()
            .replaced
            .is_empty()
    );
    // CAW's trajectories of 2024: all 611, Gent's from the correction.
    let t = &s.get(Source::Trajecten).unwrap().batch;
    let col = |name: &str| {
        t.column_by_name(name)
            .unwrap()
            .as_any()
            .downcast_ref::<datafusion::arrow::array::StringArray>()
            .unwrap()
            .clone()
    };
    use datafusion::arrow::array::Array;
    let (partner, prison) = (col("partner"), col("gevangenis"));
    let start = t
        .column_by_name("start")
        .unwrap()
        .as_any()
        .downcast_ref::<datafusion::arrow::array::Date32Array>()
        .unwrap()
        .clone();
    let reason = col("stopreden");
    let in_2024 = |i: usize| {
        let d = start.value_as_date(i).unwrap();
        chrono::Datelike::year(&d) == 2024
    };
    let caw: Vec<usize> = (0..t.num_rows())
        .filter(|&i| partner.value(i) == "CAW" && in_2024(i))
        .collect();
    assert_eq!(caw.len(), 611);
    let gent_in_use: Vec<usize> = caw
        .iter()
        .copied()
        .filter(|&i| prison.value(i) == "gent")
        .collect();
    assert_eq!(gent_in_use.len(), gent_rows);
    let reasons = |rows: &mut dyn Iterator<Item = usize>| -> std::collections::BTreeSet<String> {
        rows.filter(|&i| reason.is_valid(i))
            .map(|i| reason.value(i).to_string())
            .collect()
    };
    assert_eq!(
        reasons(&mut gent_in_use.iter().copied()),
        ["andere".to_string()].into(),
        "Gent's rows come from the correction"
    );
    assert!(
        reasons(&mut caw.iter().copied().filter(|&i| prison.value(i) != "gent")).len() > 1,
        "other prisons keep their own rows"
    );
    // The register and the note say so, with the rows.
    let out = p.hdv(&["check"]).run().success();
    let text = out.text();
    assert!(
        text.contains(&format!(
            "      VERVANGEN door trajecten/caw-2024-gent.xlsx: CAW 2024: gent ({gent_rows})\n      gebruikt: {} van de {} rijen\n",
            rows[0] - gent_rows,
            rows[0]
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "      vervangt in trajecten/caw-2024-a.xlsx: CAW 2024: gent ({gent_rows})\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "waarschuwing: trajecten/caw-2024-a.xlsx: herlevering: {gent_rows} rijen van deze levering worden niet gebruikt, vervangen door trajecten/caw-2024-gent.xlsx (getrokken op 1 maart 2025) voor CAW 2024: gent ({gent_rows}); de andere {} rijen van deze levering blijven gebruikt",
            rows[0] - gent_rows
        )),
        "{text}"
    );
}

#[test]
fn a_later_file_without_extraction_date_sharing_a_prison_is_an_error() {
    let (p, _) = split(&[
        ("caw-2024-a.xlsx", first_part, None, unchanged),
        ("caw-2024-b.xlsx", |v| !first_part(v), None, unchanged),
        ("caw-2024-gent.xlsx", gent, Some(MAR_1), corrected),
    ]);
    let out = p.hdv(&["check"]).run().exits(1);
    assert!(
        out.stderr.contains(
            "fout: trajecten/caw-2024-gent.xlsx: levert gegevens voor dezelfde cel als trajecten/caw-2024-a.xlsx (CAW 2024: gent), en niet beide zeggen wanneer ze getrokken zijn (extractiedatum)"
        ),
        "{}",
        out.stderr
    );
}
