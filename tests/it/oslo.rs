//! Linked-data deliveries in the OSLO standard "Hulp- en Dienstverlening aan Gedetineerden":
//! the tables they fill, the indicators over them (each figure worked out by hand), the same
//! content as Turtle and as JSON-LD, and bad input.
//!
//! Fixture `tests/fixtures/oslo/{ttl,jsonld}/`: the same delivery `oslo/acsy-2024.*` (ACSY,
//! extracted 15-01-2025, period 2024) in two syntaxes, and `detenties.csv`:
//! - offers: Taalles (group, onderwijs, CVO, Gent), Voetbal (group, sport, Sportwerking,
//!   Brugge, matched by the identifier `brugge`), Psychosociale begeleiding (individual,
//!   welzijn, CAW, Gent and Brugge; no activities: the year is the delivery's period);
//! - series TaalVoorjaar (Gent, 15 registrations, 10 enrolments) with sessions T1 held, T2
//!   cancelled (coach absent, replaced by T2b), T2b held, T3 cancelled (strike); series
//!   VoetbalNajaar (Brugge, 20 and 16) with V1 held, V2 cancelled (security), V3 held;
//! - FTE: F1 0.5 executing staff and F2 0.2 volunteers for Taalles (Gent, onderwijs), F3 1.0
//!   organising staff for Voetbal (Brugge, sport), F4 2 organising staff in Gent (no offer, no
//!   domain), F5 0.8 organising staff allocated to no prison;
//! - grants: G1 120000 structural subsidy of the Flemish education department for Taalles
//!   (Gent), G2 45000.5 one-off subsidy of the Flemish welfare department to CAW (no prison),
//!   G3 30000 structural operating funds of the city of Brugge for Voetbal (Brugge);
//! - population of Gent: men 30, women 10; age 18-25: 12, 26-40: 28;
//! - detenties: P1 Gent from 2023-06-01 (open), P2 Gent 2024-01-01..2025-02-01, P3 Brugge
//!   2024-07-01..2024-12-31.

use crate::common::{Project, session};
use hdv::contract::Source;
use hdv::engine::Observation;
use std::path::Path;

const TTL: &str = "tests/fixtures/oslo/ttl";
const JSONLD: &str = "tests/fixtures/oslo/jsonld";

fn model() -> hdv::model::Model {
    hdv::model::load_model(Path::new(".")).expect("the project's model is valid")
}

fn sources(dir: &str) -> hdv::load::Sources {
    session(dir).sources(&model()).expect("the fixture reads")
}

fn figures(dir: &str) -> Vec<Observation> {
    let model = model();
    let s = session(dir);
    let inputs = s.load(model.clone(), None).unwrap();
    let ids: Vec<_> = model
        .indicators
        .iter()
        .filter(|i| i.id.starts_with("oslo_"))
        .cloned()
        .collect();
    assert_eq!(ids.len(), 6);
    let eval = s
        .evaluate(&inputs, &ids, "2023..2024".parse().unwrap())
        .unwrap();
    assert!(eval.skipped.is_empty(), "{:?}", eval.skipped);
    eval.observations
}

fn cell<'a>(got: &'a [Observation], ind: &str, year: i32, dim: &str) -> &'a Observation {
    let found: Vec<_> = got
        .iter()
        .filter(|o| {
            o.indicator == ind
                && o.year == year
                && match &o.dim {
                    None => dim.is_empty(),
                    Some(d) => format!("{}={}", d.name, d.value) == dim,
                }
        })
        .collect();
    assert_eq!(found.len(), 1, "{ind} {year} [{dim}]: {found:?}");
    found[0]
}

#[track_caller]
fn is(got: &[Observation], ind: &str, year: i32, dim: &str, value: Option<f64>) {
    let o = cell(got, ind, year, dim);
    match (o.value, value) {
        (None, None) => {}
        (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{ind} {year} [{dim}]: {a} != {b}"),
        (a, b) => panic!("{ind} {year} [{dim}]: {a:?} != {b:?}"),
    }
}

#[track_caller]
fn fraction(got: &[Observation], ind: &str, year: i32, dim: &str, num: f64, den: f64) {
    let o = cell(got, ind, year, dim);
    assert_eq!(
        (o.numerator, o.denominator),
        (Some(num), Some(den)),
        "{ind} {year} [{dim}]"
    );
}

/// How many cells an indicator printed for a year.
fn cells(got: &[Observation], ind: &str, year: i32) -> usize {
    got.iter()
        .filter(|o| o.indicator == ind && o.year == year)
        .count()
}

#[test]
fn the_fixture_fills_every_table_with_the_rows_worked_out_by_hand() {
    let s = sources(TTL);
    let rows = |src: Source| s.get(src).map_or(0, |f| f.rows);
    // Taalles (Gent), Voetbal (Brugge), Begeleiding in two prisons: 4 rows.
    assert_eq!(rows(Source::OsloAanbod), 4);
    // Two series and seven sessions.
    assert_eq!(rows(Source::OsloActiviteiten), 9);
    assert_eq!(rows(Source::OsloVte), 5);
    assert_eq!(rows(Source::OsloFinanciering), 3);
    assert_eq!(rows(Source::OsloPopulatie), 4);
    // Each table is a delivery of ACSY for 2024, extracted 15-01-2025.
    let ds: Vec<_> = s.deliveries.iter().filter(|d| d.source.linked()).collect();
    assert_eq!(ds.len(), 5);
    for d in ds {
        assert_eq!(d.name, "oslo/acsy-2024.ttl");
        assert_eq!(d.supplier_text(), "ACSY");
        assert_eq!(d.years.iter().copied().collect::<Vec<_>>(), vec![2024]);
        assert_eq!(
            d.extracted.map(|x| x.to_string()).as_deref(),
            Some("2025-01-15")
        );
    }
    assert!(s.warnings.is_empty(), "{}", s.warnings);
}

#[test]
fn turtle_and_jsonld_of_the_same_content_give_identical_tables_and_figures() {
    let (a, b) = (sources(TTL), sources(JSONLD));
    for src in Source::LINKED {
        assert_eq!(
            a.get(src).map(|f| &f.batch),
            b.get(src).map(|f| &f.batch),
            "{src}"
        );
    }
    assert_eq!(figures(TTL), figures(JSONLD));
}

#[test]
fn offer_sessions_enrolments_fte_and_funding_worked_out_by_hand() {
    let g = figures(TTL);
    // 2023: no rows of any table: totals only, empty (no data is not zero).
    for ind in ["oslo_aanbod", "oslo_vte", "oslo_financiering"] {
        is(&g, ind, 2023, "", None);
        assert_eq!(cells(&g, ind, 2023), 1, "{ind}");
    }
    for ind in ["oslo_sessies_geannuleerd", "oslo_inschrijvingsgraad"] {
        is(&g, ind, 2023, "", None);
        fraction(&g, ind, 2023, "", 0.0, 0.0);
    }

    // Offer: three distinct offers; Gent has Taalles and Begeleiding, Brugge Voetbal and
    // Begeleiding (counted in both prisons, once in the total).
    let a = "oslo_aanbod";
    is(&g, a, 2024, "", Some(3.0));
    is(&g, a, 2024, "gevangenis=gent", Some(2.0));
    is(&g, a, 2024, "gevangenis=brugge", Some(2.0));
    is(&g, a, 2024, "domein=onderwijs", Some(1.0));
    is(&g, a, 2024, "domein=sport", Some(1.0));
    is(&g, a, 2024, "domein=welzijn", Some(1.0));
    is(&g, a, 2024, "soort=groepsaanbod", Some(2.0));
    is(&g, a, 2024, "soort=individueel_aanbod", Some(1.0));
    assert_eq!(cells(&g, a, 2024), 8);

    // Sessions: T1 T2 T2b T3 (Gent) and V1 V2 V3 (Brugge) = 7, cancelled T2, T3, V2 = 3.
    let c = "oslo_sessies_geannuleerd";
    is(&g, c, 2024, "", Some(100.0 * 3.0 / 7.0));
    fraction(&g, c, 2024, "", 3.0, 7.0);
    is(&g, c, 2024, "gevangenis=gent", Some(50.0)); // T2, T3 of 4
    fraction(&g, c, 2024, "gevangenis=gent", 2.0, 4.0);
    is(&g, c, 2024, "gevangenis=brugge", Some(100.0 / 3.0)); // V2 of 3
    // One session per reason, of all 7: the reasons add up to the total.
    for reason in ["begeleider_afwezig", "staking", "veiligheid"] {
        let dim = format!("annulatiereden={reason}");
        is(&g, c, 2024, &dim, Some(100.0 / 7.0));
        fraction(&g, c, 2024, &dim, 1.0, 7.0);
    }
    assert_eq!(cells(&g, c, 2024), 6);

    // Enrolments per registration: the two series, (10 + 16) / (15 + 20).
    let r = "oslo_inschrijvingsgraad";
    is(&g, r, 2024, "", Some(100.0 * 26.0 / 35.0));
    fraction(&g, r, 2024, "", 26.0, 35.0);
    is(&g, r, 2024, "gevangenis=gent", Some(100.0 * 10.0 / 15.0));
    is(&g, r, 2024, "gevangenis=brugge", Some(80.0));
    is(&g, r, 2024, "domein=onderwijs", Some(100.0 * 10.0 / 15.0));
    is(&g, r, 2024, "domein=sport", Some(80.0));
    assert_eq!(cells(&g, r, 2024), 5);

    // FTE: 0.5 + 0.2 + 1.0 + 2 + 0.8 = 4.5 (F5, in no prison, only in the total and its type);
    // Gent 0.5 + 0.2 + 2 = 2.7, Brugge 1.0; onderwijs 0.7, sport 1.0 (F4, F5 have no domain);
    // organising staff 1.0 + 2 + 0.8 = 3.8.
    let v = "oslo_vte";
    is(&g, v, 2024, "", Some(4.5));
    is(&g, v, 2024, "gevangenis=gent", Some(2.7));
    is(&g, v, 2024, "gevangenis=brugge", Some(1.0));
    is(&g, v, 2024, "domein=onderwijs", Some(0.7));
    is(&g, v, 2024, "domein=sport", Some(1.0));
    is(&g, v, 2024, "type=organiserend_personeel", Some(3.8));
    is(&g, v, 2024, "type=uitvoerend_personeel", Some(0.5));
    is(&g, v, 2024, "type=vrijwilligers", Some(0.2));
    assert_eq!(cells(&g, v, 2024), 8);

    // FTE per 100 detainees. Average daily population 2024 (366 days): P1 and P2 in Gent all
    // year = 732 days, P3 in Brugge 1 July-31 December = 184 days; total 916 / 366.
    let p = "oslo_vte_per_100_gedetineerden";
    is(&g, p, 2024, "", Some(450.0 / (916.0 / 366.0)));
    fraction(&g, p, 2024, "", 450.0, 916.0 / 366.0);
    is(&g, p, 2024, "gevangenis=gent", Some(270.0 / 2.0));
    is(
        &g,
        p,
        2024,
        "gevangenis=brugge",
        Some(100.0 / (184.0 / 366.0)),
    );
    assert_eq!(cells(&g, p, 2024), 3);
    // 2023: P1 in Gent from 1 June = 214 days / 365, and no FTE: an empty value.
    is(&g, p, 2023, "", None);
    assert_eq!(cell(&g, p, 2023, "").denominator, Some(214.0 / 365.0));

    // Funding: 120000 + 45000.5 + 30000 = 195000.5.
    let f = "oslo_financiering";
    is(&g, f, 2024, "", Some(195_000.5));
    is(&g, f, 2024, "domein=onderwijs", Some(120_000.0));
    is(&g, f, 2024, "domein=welzijn", Some(45_000.5));
    is(&g, f, 2024, "domein=sport", Some(30_000.0));
    is(&g, f, 2024, "niveau=vlaams", Some(165_000.5));
    is(&g, f, 2024, "niveau=lokaal", Some(30_000.0));
    is(&g, f, 2024, "karakter=structureel", Some(150_000.0));
    is(&g, f, 2024, "karakter=eenmalig", Some(45_000.5));
    // G2 went to CAW (an organisation in no one prison): in no prison's cell.
    is(&g, f, 2024, "gevangenis=gent", Some(120_000.0));
    is(&g, f, 2024, "gevangenis=brugge", Some(30_000.0));
    assert_eq!(cells(&g, f, 2024), 10);
}

#[test]
fn the_population_table_holds_every_value_of_every_characteristic() {
    let s = sources(JSONLD);
    let b = &s.get(Source::OsloPopulatie).unwrap().batch;
    let text = datafusion::arrow::util::pretty::pretty_format_batches(std::slice::from_ref(b))
        .unwrap()
        .to_string();
    for line in [
        "| gent       | 2024 | geslacht | Man    |            |            | 30     |",
        "| gent       | 2024 | geslacht | Vrouw  |            |            | 10     |",
        "| gent       | 2024 | leeftijd |        | 18.0       | 25.0       | 12     |",
        "| gent       | 2024 | leeftijd |        | 26.0       | 40.0       | 28     |",
    ] {
        assert!(text.contains(line), "{text}");
    }
}

/// A project with the repository's model, the fixture and one more delivery `oslo/<name>`
/// holding `body` after ten lines of prefixes and a line describing the delivery (period
/// 2024): `body` starts on line 12.
fn delivery(name: &str, body: &str) -> Project {
    let prefixes = "@prefix : <https://example.org/x/> .\n\
        @prefix hdg: <https://data.vlaanderen.be/ns/hulp-dienstverlening-gedetineerden#> .\n\
        @prefix dcterms: <http://purl.org/dc/terms/> .\n\
        @prefix prov: <http://www.w3.org/ns/prov#> .\n\
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
        @prefix cidoc: <http://www.cidoc-crm.org/cidoc-crm/> .\n\
        @prefix qudt: <http://qudt.org/schema/qudt/> .\n\
        @prefix schema: <https://schema.org/> .\n\
        @prefix dcat: <http://www.w3.org/ns/dcat#> .\n\
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
        :levering a dcat:Dataset ; dcterms:temporal [ dcat:startDate \"2024-01-01\"^^xsd:date ] .\n";
    Project::new()
        .with_model()
        .with_data("tests/fixtures/oslo/ttl")
        .file(&format!("data/oslo/{name}"), format!("{prefixes}{body}"))
}

/// An offer in the prison named `prison_name` (7 lines).
fn offer(prison_name: &str) -> String {
    format!(
        ":Aanbod a hdg:IndividueelAanbod ;\n  dcterms:title \"Begeleiding\" ;\n  hdg:Aanbod.beleidsveld <https://example.com/BeleidsveldType/Welzijn> ;\n  cidoc:P14_carried_out_by [ skos:prefLabel \"CAW\" ] ;\n  prov:atLocation :P ;\n  hdg:onbekend \"x\" .\n:P skos:prefLabel \"{prison_name}\" .\n"
    )
}

#[test]
fn a_syntax_error_is_named_with_file_line_and_column() {
    let p = delivery("fout.ttl", "\n:a :b \"open .\n:c :d :e .\n");
    let r = p.hdv(&["check"]).run().exits(1).no_panic();
    // Line 12 is empty: the open string starts on line 13, column 7.
    assert!(
        r.stderr
            .contains("oslo/fout.ttl:13:7: syntaxfout in Turtle"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unknown_prison_and_text_where_a_number_belongs_are_errors_at_the_line_of_the_resource() {
    let body = format!(
        "{}\n:G a schema:MonetaryGrant ;\n  qudt:hasQuantity [ qudt:value \"twaalfduizend\" ] .\n",
        offer("Gevangenis Atlantis")
    );
    let p = delivery("fout.ttl", &body);
    let r = p.hdv(&["check"]).run().exits(1).no_panic();
    // The offer's description starts on line 12, the grant's on line 20.
    assert!(
        r.stderr.contains(
            "oslo/fout.ttl:12: :Aanbod (hdg:IndividueelAanbod): gevangenis: onbekende gevangenis :P (naam of identificator: 'Gevangenis Atlantis')"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "oslo/fout.ttl:20: :G (schema:MonetaryGrant): bedrag: 'twaalfduizend' is geen getal"
        ),
        "{}",
        r.stderr
    );
    // All findings of the file at once: the grant's missing funder too.
    assert!(
        r.stderr.contains(
            "oslo/fout.ttl:20: :G (schema:MonetaryGrant): verplichte waarde ontbreekt: financierder"
        ),
        "{}",
        r.stderr
    );
    // An unknown property is a warning naming the resource and the property.
    assert!(
        r.stderr.contains(
            "waarschuwing: oslo/fout.ttl:12: onbekende eigenschap hdg:onbekend bij :Aanbod"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn a_prison_is_matched_by_an_identifier_declared_in_the_prisons_file() {
    let p = delivery("ok.ttl", &offer("niet gekend"));
    p.edit(
        "plans/gevangenissen.yaml",
        "{code: gent, naam: Gevangenis Gent}",
        "{code: gent, naam: Gevangenis Gent, ids: [\"https://example.org/x/P\"]}",
    );
    let r = p
        .hdv(&[
            "query",
            "SELECT id, gevangenis FROM oslo_aanbod WHERE id LIKE '%/x/%'",
            "--format",
            "csv",
        ])
        .run()
        .success();
    assert!(
        r.stdout.contains("https://example.org/x/Aanbod,gent"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_blank_node_cycle_is_an_error_naming_its_place() {
    let p = delivery(
        "kring.ttl",
        "_:a dcterms:hasPart _:b .\n_:b dcterms:hasPart _:c .\n_:c dcterms:hasPart _:a .\n",
    );
    let r = p.hdv(&["check"]).run().exits(1).no_panic();
    assert!(
        r.stderr.contains("oslo/kring.ttl:12: blanco knopen verwijzen in een kring naar elkaar: _:a → dcterms:hasPart _:b → dcterms:hasPart _:c → dcterms:hasPart _:a"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let p = Project::new()
        .with_model()
        .with_data("tests/fixtures/oslo/ttl");
    // 100 MB of comments: refused by its size, never parsed (memory stays bounded).
    let path = p.data().join("oslo/groot.ttl");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(100 << 20).unwrap();
    let r = p.hdv(&["check"]).run().exits(1).no_panic();
    assert!(
        r.stderr.contains("oslo/groot.ttl: het bestand is 100 MB groot, meer dan de grens van 32 MB voor een linked-data-levering"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("HDV_MAX_RDF_MB"), "{}", r.stderr);
}

#[test]
fn the_triple_limit_stops_a_large_file_at_the_line_it_is_reached() {
    let body: String = (0..50)
        .map(|i| format!(":s{i} dcterms:title \"x\" .\n"))
        .collect();
    let p = delivery("veel.ttl", &body);
    let r = p
        .hdv(&["check"])
        .env("HDV_MAX_TRIPLES", "20")
        .run()
        .exits(1)
        .no_panic();
    assert!(
        r.stderr
            .contains("oslo/veel.ttl:29: het bestand bevat meer dan 20 triples"),
        "{}",
        r.stderr
    );
}

#[test]
fn feedback_workbooks_cover_linked_data_deliveries() {
    let p = delivery("fout.ttl", &offer("Gevangenis Atlantis"));
    let out = p.join("terug");
    let r = p
        .hdv(&["check", "--feedback", out.to_str().unwrap()])
        .run()
        .exits(1)
        .no_panic();
    let book = out.join("oslo/fout-terugkoppeling.xlsx");
    assert!(book.is_file(), "{}", r.text());
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    let range = wb.worksheet_range("Bevindingen").unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let hit = rows
        .iter()
        .find(|r| r.iter().any(|c| c.contains("onbekende gevangenis")))
        .expect("the prison finding is listed");
    // bestand, werkblad, cel (the line), kolom, ernst, waarde, ...
    // The partner's own file name (no path of the project).
    assert_eq!(hit[0], "fout.ttl");
    assert_eq!(hit[2], "regel 12");
    assert_eq!(hit[3], "gevangenis");
    assert_eq!(hit[4], "fout");
    assert_eq!(hit[5], ":P");
}

/// The number in the single cell of `sql`'s result.
fn scalar(s: &hdv::session::Session, inputs: &hdv::register::Inputs, sql: &str) -> f64 {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Float64Type;
    let batches = s
        .block_on(async { inputs.ctx.sql(sql).await?.collect().await })
        .unwrap();
    let col = datafusion::arrow::compute::cast(
        batches[0].column(0),
        &datafusion::arrow::datatypes::DataType::Float64,
    )
    .unwrap();
    col.as_primitive::<Float64Type>().value(0)
}

#[test]
fn the_sample_linked_data_deliveries_agree_with_the_spreadsheets() {
    let model = model();
    let s = session("samples");
    let inputs = s.load(model, None).unwrap();
    let q = |sql: &str| scalar(&s, &inputs, sql);
    // The offer of 2024 per prison is the catalogue's, row for row.
    let differ = "SELECT CAST(COUNT(*) AS DOUBLE) FROM (
        (SELECT aanbod, soort, organisator, gevangenis, domein, jaar FROM aanbod WHERE jaar = 2024
         EXCEPT SELECT aanbod, soort, organisator, gevangenis, domein, jaar FROM oslo_aanbod)
        UNION ALL
        (SELECT aanbod, soort, organisator, gevangenis, domein, jaar FROM oslo_aanbod
         EXCEPT SELECT aanbod, soort, organisator, gevangenis, domein, jaar FROM aanbod WHERE jaar = 2024))";
    assert_eq!(q(differ), 0.0);
    assert!(q("SELECT CAST(COUNT(*) AS DOUBLE) FROM oslo_aanbod") > 100.0);
    // The series per offer and prison are the catalogue's session series.
    let series = "SELECT CAST(COUNT(*) AS DOUBLE) FROM (
        SELECT aanbod, organisator, gevangenis, sessiereeksen AS n FROM aanbod
        WHERE jaar = 2024 AND soort = 'groepsaanbod'
        EXCEPT
        SELECT aanbod, organisator, gevangenis, COUNT(*) FROM oslo_activiteiten
        WHERE soort = 'sessiereeks' GROUP BY aanbod, organisator, gevangenis)";
    assert_eq!(q(series), 0.0);
    // FTE and funding add up to middelen of 2024 (rounded to the cent: sums of decimals).
    let fte = q(
        "SELECT ROUND((SELECT SUM(vte) FROM oslo_vte) - (SELECT SUM(fte) FROM middelen WHERE jaar = 2024), 6)",
    );
    assert_eq!(fte, 0.0);
    let euro = q(
        "SELECT ROUND((SELECT SUM(bedrag) FROM oslo_financiering) - (SELECT SUM(uitgaven_eur) FROM middelen WHERE jaar = 2024), 2)",
    );
    assert_eq!(euro, 0.0);
    // The central rows of middelen are FTE and grants in no prison.
    let central = q(
        "SELECT ROUND((SELECT SUM(vte) FROM oslo_vte WHERE gevangenis IS NULL) - (SELECT SUM(fte) FROM middelen WHERE jaar = 2024 AND gevangenis IS NULL), 6)",
    );
    assert_eq!(central, 0.0);
}

/// The `oslo_aanbod` rows of `sources` as published offer rows.
fn offer_rows(sources: &hdv::load::Sources) -> Vec<hdv::report::oslo::OfferRow> {
    let all = hdv::report::oslo::offer_catalogue(sources, "1990..2060".parse().unwrap());
    let mut rows: Vec<_> = all.into_values().flatten().collect();
    rows.sort();
    rows
}

#[test]
fn the_published_offer_catalogue_reads_back_as_the_same_offer_table() {
    let model = model();
    let samples = sources("samples");
    let mapping = hdv::load::linked::read_mapping(Path::new("plans/oslo"), &model.prisons)
        .unwrap()
        .unwrap();
    let concept = |l: &str, c: &str| mapping.concept_iri(l, c).map(str::to_string);
    // 2024 from the linked-data deliveries, 2023 from the spreadsheet catalogue.
    let published = hdv::report::oslo::offer_catalogue(&samples, "2023..2024".parse().unwrap());
    assert_eq!(
        published.keys().copied().collect::<Vec<_>>(),
        vec![2023, 2024]
    );
    let p = Project::new().dir("data/oslo");
    for (y, rows) in &published {
        let bytes = hdv::render::oslo::offer_jsonld(*y, rows, &concept, "2026-12-01");
        p.write(&format!("data/oslo/aanbod-{y}.jsonld"), bytes);
    }
    let back = session(p.data()).sources(&model).unwrap();
    // Read without a single warning: every class and property of the file is the standard's.
    assert!(back.warnings.is_empty(), "{}", back.warnings);
    // 2024: exactly the rows of the deliveries, column for column.
    let original = &samples.get(Source::OsloAanbod).unwrap().batch;
    let again = &back.get(Source::OsloAanbod).unwrap().batch;
    let year_2024 = |b: &datafusion::arrow::array::RecordBatch| {
        use datafusion::arrow::array::AsArray;
        let jaar = b
            .column_by_name("jaar")
            .unwrap()
            .as_primitive::<datafusion::arrow::datatypes::Int32Type>();
        let keep = datafusion::arrow::array::BooleanArray::from(
            jaar.iter()
                .map(|y| Some(y == Some(2024)))
                .collect::<Vec<_>>(),
        );
        datafusion::arrow::compute::filter_record_batch(b, &keep).unwrap()
    };
    assert_eq!(year_2024(again), year_2024(original));
    // Both years: the rows published are the rows read back.
    let want: Vec<_> = published.into_values().flatten().collect();
    let mut want = want;
    want.sort();
    assert_eq!(offer_rows(&back), want);
    assert!(want.len() > 500, "{}", want.len());
    // The hand-worked fixture (categories, participants) round-trips too.
    let fixture = sources(TTL);
    let rows = offer_rows(&fixture);
    let p = Project::new().dir("data/oslo");
    p.write(
        "data/oslo/aanbod-2024.jsonld",
        hdv::render::oslo::offer_jsonld(2024, &rows, &concept, "2026-12-01"),
    );
    let back = session(p.data()).sources(&model).unwrap();
    assert_eq!(
        back.get(Source::OsloAanbod).unwrap().batch,
        fixture.get(Source::OsloAanbod).unwrap().batch
    );
}

#[test]
fn the_dcat_catalogue_parses_and_names_every_csv_and_xlsx_download() {
    let p = Project::new()
        .with_model()
        .with_data("tests/fixtures/indicators/basis");
    crate::common::copy_tree(&Path::new(TTL).join("oslo"), &p.data().join("oslo"), false);
    let site = p.join("site");
    p.hdv(&[
        "site",
        "--year",
        "2019..2024",
        "--out",
        site.to_str().unwrap(),
    ])
    .dated()
    .run()
    .success();
    let bytes = std::fs::read(site.join("catalogus.jsonld")).unwrap();
    let base = "https://example.org/site/";
    let mut downloads = std::collections::BTreeSet::new();
    let mut datasets = 0;
    let mut licensed = 0;
    for q in oxjsonld::JsonLdParser::new()
        .with_base_iri(format!("{base}catalogus.jsonld"))
        .unwrap()
        .for_slice(&bytes)
    {
        let q = q.expect("the catalogue is valid JSON-LD");
        let p = q.predicate.as_str();
        let o = q.object.to_string();
        if p == "http://www.w3.org/ns/dcat#downloadURL" {
            downloads.insert(o.trim_matches(['<', '>']).to_string());
        }
        if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
            && o == "<http://www.w3.org/ns/dcat#Dataset>"
        {
            datasets += 1;
        }
        if p == "http://purl.org/dc/terms/license" {
            licensed += 1;
        }
    }
    let mut files = std::collections::BTreeSet::new();
    for (rel, _) in crate::common::tree(&site) {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.ends_with(".csv")
            || rel.ends_with(".xlsx")
            || rel.ends_with(".jsonld") && rel != "catalogus.jsonld"
        {
            files.insert(format!("{base}{rel}"));
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("indicator/oslo_vte.csv")),
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("aanbod/aanbod-2024.jsonld")),
        "{files:?}"
    );
    assert_eq!(downloads, files);
    // One dataset per indicator with downloads, and the offer catalogue; each licensed.
    let indicators = files.iter().filter(|f| f.ends_with(".csv")).count();
    assert_eq!(datasets, indicators + 1);
    assert!(licensed > datasets, "{licensed}");
}

#[test]
fn the_budget_and_staff_answer_comes_from_the_deliveries_where_they_exist() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    crate::common::Hdv::new(&[
        "answer",
        "budget_en_personeel_oslo",
        "--year",
        "2023..2024",
        "--data",
        TTL,
        "--no-cache",
        "--out",
        o,
    ])
    .dated()
    .run()
    .success();
    let md =
        std::fs::read_to_string(out.path().join("budget_en_personeel_oslo_2023-2024.md")).unwrap();
    // Grants per prison: G1 (Taalles, Gent) 120000, G3 (Voetbal, Brugge) 30000, G2 (to CAW)
    // central 45000.5 (whole euros shown); 2023 has no deliveries.
    for line in [
        "| Gevangenis Brugge | geen gegevens | 30.000 | 30.000 | 30.000 |",
        "| Gevangenis Gent | geen gegevens | 120.000 | 120.000 | 120.000 |",
        "| **Totaal** | **geen gegevens** | **195.000** | **195.000** | **195.000** |",
        // Structural 120000 + 30000, one-off 45000.5.
        "| **Totaal** | **150.000** | **45.000** | **195.000** |",
        // FTE: Gent 0.5 + 0.2 + 2, Brugge 1.0, central 0.8.
        "| Gevangenis Gent | geen gegevens | 2,7 | 2,7 |",
        "| centraal (niet aan één gevangenis toegewezen) | geen gegevens | 0,8 | 0,8 |",
        "| organiserend personeel | geen gegevens | 3,8 | 3,8 |",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    // Without linked-data deliveries the answer is refused, naming the source.
    let r = crate::common::Hdv::new(&[
        "answer",
        "budget_en_personeel_oslo",
        "--year",
        "2024",
        "--data",
        "tests/fixtures/indicators/basis",
        "--no-cache",
        "--out",
        o,
    ])
    .run()
    .exits(2);
    assert!(
        r.stderr.contains("bron `oslo_financiering` ontbreekt"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_yearly_report_has_a_section_on_the_deliveries_with_the_same_suppression() {
    let out = tempfile::tempdir().unwrap();
    crate::common::Hdv::new(&[
        "report",
        "--year",
        "2024",
        "--data",
        TTL,
        "--no-cache",
        "--format",
        "md",
        "--out",
        out.path().to_str().unwrap(),
    ])
    .dated()
    .run()
    .success();
    let md = std::fs::read_to_string(out.path().join("2024/jaarrapport.md")).unwrap();
    assert!(
        md.contains("### Aanbod, personeel en financiering volgens de OSLO-leveringen (2024)"),
        "{md}"
    );
    assert!(md.contains("voor 2024: oslo/acsy-2024.ttl (ACSY)."), "{md}");
    // Offers 2 and 2 (3 for Flanders). Cancelled sessions (1 of 3, 2 of 4, 3 of 7) count
    // sessions, not persons: shown. Enrolments per registration count events about persons:
    // Brugge 16 of 20 is "all but 4" (hidden), and Gent's 10 of 15 is hidden too, since
    // Flanders' 26 of 35 minus Gent would give Brugge back. The FTE per 100 detainees is a
    // ratio on an average population of 2, 0.5 and 2.5 persons: under the minimum of 10,
    // hidden. FTE and amounts are never suppressed.
    for line in [
        "| Gevangenis Brugge | 2 | 33,3 % | × | 1,0 | × | € 30.000 |",
        "| Gevangenis Gent | 2 | 50,0 % | × | 2,7 | × | € 120.000 |",
        "| **Vlaanderen** | **3** | **42,9 %** | **74,3 %** | **4,5** | **×** | **€ 195.000** |",
        "per soort personeel: organiserend personeel 3,8; uitvoerend personeel 0,5; vrijwilligers 0,2.",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
}
