//! The sample deliveries in partner layouts (`hdv generate --deliveries`, read through the
//! profiles in `plans/leveringen/`) against the same data in the contract's layout: the same
//! rows per delivery and the same figures over all years.

use crate::common::Hdv;
use hdv::contract::Source;
use hdv::generate::{Format, Shape, Spec, generate_as};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The same small data set twice: in the contract's layout and as deliveries.
struct Twins {
    _dir: tempfile::TempDir,
    contract: PathBuf,
    deliveries: PathBuf,
}

fn twins() -> &'static Twins {
    static TWINS: OnceLock<Twins> = OnceLock::new();
    TWINS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let spec = Spec {
            persons: 1000,
            years: "2021..2024".parse().unwrap(),
            seed: 14,
        };
        let contract = dir.path().join("contract");
        let deliveries = dir.path().join("leveringen");
        generate_as(&spec, &contract, Format::Xlsx, Shape::Contract).unwrap();
        generate_as(&spec, &deliveries, Format::Xlsx, Shape::Deliveries).unwrap();
        Twins {
            _dir: dir,
            contract,
            deliveries,
        }
    })
}

/// The stdout of `hdv args… --data <data> --no-cache`, which must succeed.
fn hdv_on(args: &[&str], data: &Path) -> String {
    Hdv::new(args)
        .arg("--data")
        .arg(data)
        .arg("--no-cache")
        .run()
        .success()
        .stdout
}

#[test]
fn the_deliveries_are_in_partner_layouts_one_per_partner_and_year() {
    let t = twins();
    for file in [
        "trajecten/caw-2023.xlsx",
        "trajecten/cgg-2023.xlsx",
        "trajecten/vdab-2023.xlsx",
        "deelname/acsy-deelname-2023.xlsx",
        "detenties/sidis-2023.xlsx",
        "aanbod/acsy-aanbod-2023.xlsx",
        "aanvragen.xlsx",
        "uitstroom.xlsx",
        "middelen.xlsx",
    ] {
        assert!(t.deliveries.join(file).is_file(), "{file} missing");
    }
    // No contract-layout file of a source that arrives as deliveries.
    for source in ["trajecten", "deelname", "detenties", "aanbod"] {
        assert!(!t.deliveries.join(format!("{source}.xlsx")).exists());
    }
    // The CAW file has its title rows and own headers, not the contract's.
    let bytes = std::fs::read(t.deliveries.join("trajecten/caw-2023.xlsx")).unwrap();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("a workbook");
    use calamine::Reader;
    let sheet = wb.worksheet_range("Export").unwrap();
    let a4 = sheet.get_value((3, 0)).unwrap().to_string();
    assert_eq!(a4, "Dossiernr");
    assert!(
        sheet
            .rows()
            .skip(4)
            .any(|r| r[2].to_string().starts_with("PI "))
    );
}

#[test]
fn partner_layouts_give_the_figures_of_the_contract_layout() {
    let t = twins();
    let args = ["eval", "--year", "2017..2025", "--format", "jsonl"];
    let contract = hdv_on(&args, &t.contract);
    let deliveries = hdv_on(&args, &t.deliveries);
    // The linked-data deliveries (oslo/) come with the deliveries only: their indicators are
    // left out of the comparison.
    let (a, b): (Vec<&str>, Vec<&str>) = (
        contract.lines().collect(),
        deliveries
            .lines()
            .filter(|l| !l.contains("\"indicator\":\"oslo_"))
            .collect(),
    );
    assert!(a.len() > 1000, "only {} rows", a.len());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
}

/// The rows of `source` in `data` with the contract's columns, `filter` applied, as CSV.
fn rows(source: Source, filter: &str, data: &Path) -> String {
    let cols: Vec<&str> = source.columns().iter().map(|c| c.name).collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {filter} ORDER BY {}",
        cols.join(", "),
        source.name(),
        cols.join(", ")
    );
    hdv_on(&["query", &sql, "--format", "csv", "--microdata"], data)
}

/// A data folder holding only the deliveries of `twins()` whose path starts with `prefix`.
fn only(prefix: &str) -> tempfile::TempDir {
    let t = twins();
    let dir = tempfile::tempdir().unwrap();
    let (folder, stem) = prefix.split_once('/').unwrap();
    std::fs::create_dir_all(dir.path().join(folder)).unwrap();
    for e in std::fs::read_dir(t.deliveries.join(folder)).unwrap() {
        let name = e.unwrap().file_name().into_string().unwrap();
        if name.starts_with(stem) {
            std::fs::copy(
                t.deliveries.join(folder).join(&name),
                dir.path().join(folder).join(&name),
            )
            .unwrap();
        }
    }
    dir
}

#[test]
fn each_partner_delivery_reads_to_exactly_the_rows_of_its_contract_twin() {
    let t = twins();
    // (deliveries, their source, the rows of the contract-layout data they hold, the column
    // that places a row in the year of its delivery)
    let cases = [
        (
            "trajecten/caw-",
            Source::Trajecten,
            "partner = 'CAW'",
            "start",
        ),
        (
            "trajecten/cgg-",
            Source::Trajecten,
            "partner = 'CGG'",
            "start",
        ),
        ("deelname/acsy-deelname-", Source::Deelname, "TRUE", "start"),
        ("detenties/sidis-", Source::Detenties, "TRUE", "begin"),
        ("aanbod/acsy-aanbod-", Source::Aanbod, "TRUE", "jaar"),
    ];
    // Every partner layout of the generator is covered.
    for layout in hdv::generate::layout::ALL {
        assert!(
            cases.iter().any(|(f, s, _, _)| *s == layout.source
                && *f == format!("{}/{}-", layout.source, layout.prefix)),
            "{} untested",
            layout.profile
        );
    }
    for (prefix, source, filter, year_col) in cases {
        // One delivery alone: the year 2022.
        let one = only(&format!("{prefix}2022.xlsx"));
        let year = if year_col == "jaar" {
            "jaar = 2022".to_string()
        } else {
            format!("EXTRACT(YEAR FROM {year_col}) = 2022")
        };
        let got = rows(source, "TRUE", one.path());
        let want = rows(source, &format!("{filter} AND {year}"), &t.contract);
        assert!(want.lines().count() > 10, "{prefix}2022: too few rows");
        assert_eq!(got, want, "{prefix}2022.xlsx");
        // All deliveries of the layout together, every year.
        let all = only(prefix);
        let got = rows(source, "TRUE", all.path());
        let want = rows(source, filter, &t.contract);
        assert!(want.lines().count() > 100, "{prefix}*: too few rows");
        assert_eq!(got, want, "{prefix}*.xlsx");
    }
}

#[test]
fn the_committed_samples_are_the_generators_deliveries() {
    // `samples/` is `hdv generate --out samples --deliveries` (defaults: 12000 persons,
    // 2019..2025, seed 2020): regenerating gives the same files, byte for byte.
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec {
        persons: 12000,
        years: "2019..2025".parse().unwrap(),
        seed: 2020,
    };
    generate_as(&spec, dir.path(), Format::Xlsx, Shape::Deliveries).unwrap();
    let fresh = crate::common::tree(dir.path());
    let committed = crate::common::tree(Path::new("samples"));
    assert_eq!(
        fresh.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &fresh {
        assert!(committed[name] == *bytes, "{} differs", name.display());
    }
}

#[test]
fn the_samples_hold_every_expected_delivery_each_read_through_its_profile() {
    let m = hdv::model::load_model(Path::new(".")).unwrap();
    let s = crate::common::load_samples(&m);
    // plans/leveringen/verwacht.yaml: every supplier of every source, 2019-2025, nothing
    // missing or replaced, and no supplier delivering without being expected.
    let series: Vec<(&str, Source)> = s
        .completeness
        .iter()
        .map(|r| (r.supplier.as_str(), r.source))
        .collect();
    assert_eq!(
        series[..7],
        [
            ("FOD Justitie (Sidis Suite)", Source::Detenties),
            ("ACSY", Source::Deelname),
            ("ACSY", Source::Aanbod),
            ("CAW", Source::Trajecten),
            ("CGG", Source::Trajecten),
            ("VDAB", Source::Trajecten),
            ("CAW", Source::Aanvragen),
        ]
    );
    // Every source of the contract; of the linked-data tables (OSLO), those the samples
    // deliver (for 2024).
    for source in Source::ALL.into_iter().filter(|s| !s.linked()) {
        assert!(
            series.iter().any(|(_, s)| *s == source),
            "{source} not in the matrix"
        );
    }
    let linked: Vec<Source> = series
        .iter()
        .map(|(_, s)| *s)
        .filter(|s| s.linked())
        .collect();
    assert_eq!(
        linked,
        [
            Source::OsloAanbod,
            Source::OsloActiviteiten,
            Source::OsloVte,
            Source::OsloFinanciering
        ]
    );
    for r in &s.completeness {
        assert!(r.expected, "{} / {} is not expected", r.supplier, r.source);
        let years: Vec<i32> = r.years.iter().map(|c| c.year).collect();
        if r.source.linked() {
            assert_eq!(years, [2024]);
        } else {
            assert_eq!(years, (2019..=2025).collect::<Vec<_>>());
        }
        for c in &r.years {
            assert!(
                matches!(c.delivered, hdv::load::Delivered::Rows { rows, replaced: false, .. } if rows > 0),
                "{} {} {}: {c:?}",
                r.supplier,
                r.source,
                c.year
            );
        }
    }
    // Every delivery in a partner layout is recognised by its own profile; the rest are in
    // the contract's layout.
    for d in &s.deliveries {
        let want = match d.name.split('-').next().unwrap() {
            "trajecten/caw" => Some("caw-trajecten"),
            "trajecten/cgg" => Some("cgg-trajecten"),
            "deelname/acsy" => Some("acsy-deelname"),
            "detenties/sidis" => Some("sidis-detenties"),
            "aanbod/acsy" => Some("acsy-aanbod"),
            _ => None,
        };
        assert_eq!(d.profile.as_deref(), want, "{}", d.name);
        assert!(d.active(), "{} replaced", d.name);
    }
    // 2015-2026 of CAW, CGG, VDAB, ACSY (deelname) and Sidis; 2019-2025 of the catalogue;
    // aanvragen, uitstroom and middelen as one file each; the two linked-data deliveries of
    // 2024, each a delivery of the two tables it fills.
    assert_eq!(s.deliveries.len(), 12 * 5 + 7 + 3 + 4);
}
