//! The site's linked-data downloads: the offer catalogue of a year in the OSLO standard
//! "Hulp- en Dienstverlening aan Gedetineerden" (JSON-LD, readable as a delivery by
//! `hdv` itself), and a DCAT-AP catalogue (`catalogus.jsonld`) of every dataset the site
//! publishes, so that an open-data portal can harvest it. Links are relative: a JSON-LD
//! processor resolves them against the address the file was fetched from.

use crate::report::oslo::{Dataset, OfferRow, slug};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;

const HDG: &str = "https://data.vlaanderen.be/ns/hulp-dienstverlening-gedetineerden#";
/// The Flemish model licence for free reuse.
pub(crate) const LICENCE: &str =
    "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0";
/// Who publishes the site's data (the owner of the standard).
const PUBLISHER: &str = "Agentschap Justitie en Handhaving";

fn date(v: String) -> Json {
    json!({"@value": v, "@type": "xsd:date"})
}

/// A coded value: the concept IRI `concept(list, code)` gives, else the code as text (both
/// read back as the code).
fn coded(list: &str, code: &str, concept: &dyn Fn(&str, &str) -> Option<String>) -> Json {
    match concept(list, code) {
        Some(iri) => json!({"@id": iri}),
        None => json!(code),
    }
}

/// One JSON object per line inside `@graph`: readable, and diffable.
fn lines(context: &Json, graph: &[Json]) -> Vec<u8> {
    let mut out = b"{\"@context\": ".to_vec();
    out.extend(serde_json::to_vec(context).expect("JSON serializes"));
    out.extend_from_slice(b",\n\"@graph\": [\n");
    for (i, node) in graph.iter().enumerate() {
        out.extend(serde_json::to_vec(node).expect("JSON serializes"));
        out.extend_from_slice(if i + 1 < graph.len() { b",\n" } else { b"\n" });
    }
    out.extend_from_slice(b"]}\n");
    out
}

/// The offer catalogue of `year` (`rows`, each an offer in a prison) as a delivery in the
/// standard: the delivery's `dcat:Dataset` with the year as its period, one resource per
/// offer located in each of its prisons, prisons named by their code. `concept` gives the
/// concept IRI of a code (from `plans/oslo/begrippen.yaml`); `generated` is `jjjj-mm-dd`.
pub fn offer_jsonld(
    year: i32,
    rows: &[OfferRow],
    concept: &dyn Fn(&str, &str) -> Option<String>,
    generated: &str,
) -> Vec<u8> {
    let context = json!({
        "hdg": HDG,
        "cidoc": "http://www.cidoc-crm.org/cidoc-crm/",
        "dcterms": "http://purl.org/dc/terms/",
        "dcat": "http://www.w3.org/ns/dcat#",
        "prov": "http://www.w3.org/ns/prov#",
        "schema": "https://schema.org/",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "xsd": "http://www.w3.org/2001/XMLSchema#"
    });
    let mut graph = vec![json!({
        "@id": format!("urn:hdv:levering:aanbod-{year}"),
        "@type": "dcat:Dataset",
        "dcterms:title": {"@value": format!("Aanbodcatalogus {year}"), "@language": "nl"},
        "dcterms:publisher": {"skos:prefLabel": "hdv"},
        "dcterms:issued": date(generated.to_string()),
        "dcterms:license": {"@id": LICENCE},
        "dcterms:temporal": {
            "dcat:startDate": date(format!("{year}-01-01")),
            "dcat:endDate": date(format!("{year}-12-31"))
        }
    })];
    let mut prisons: Vec<&str> = rows.iter().map(|r| r.gevangenis.as_str()).collect();
    prisons.sort_unstable();
    prisons.dedup();
    for p in prisons {
        graph.push(json!({
            "@id": format!("urn:hdv:gevangenis:{p}"),
            "@type": "hdg:GevangenisVestiging",
            "dcterms:identifier": p
        }));
    }
    let mut organisers: Vec<&str> = rows.iter().map(|r| r.organisator.as_str()).collect();
    organisers.sort_unstable();
    organisers.dedup();
    for o in organisers {
        graph.push(json!({
            "@id": format!("urn:hdv:organisator:{}", slug(o)),
            "@type": "hdg:Organisator",
            "skos:prefLabel": o
        }));
    }
    let mut offers: BTreeMap<&str, Vec<&OfferRow>> = BTreeMap::new();
    for r in rows {
        offers.entry(r.id.as_str()).or_default().push(r);
    }
    for (id, at) in offers {
        let r = at[0];
        let class = if r.soort == "individueel_aanbod" {
            "hdg:IndividueelAanbod"
        } else {
            "hdg:Groepsaanbod"
        };
        let mut node = json!({
            "@id": id,
            "@type": class,
            "dcterms:title": r.aanbod,
            "hdg:Aanbod.beleidsdomein": coded("beleidsdomein", &r.domein, concept),
            "cidoc:P14_carried_out_by": {"@id": format!("urn:hdv:organisator:{}", slug(&r.organisator))},
            "prov:atLocation": at
                .iter()
                .map(|x| json!({"@id": format!("urn:hdv:gevangenis:{}", x.gevangenis)}))
                .collect::<Vec<_>>()
        });
        // A list of several codes is text: it reads back as the same text.
        let open = |list: &str, v: &str| {
            if v.contains(", ") {
                json!(v)
            } else {
                coded(list, v, concept)
            }
        };
        if let Some(c) = &r.categorie {
            node["hdg:Aanbod.categorie"] = open("categorie", c);
        }
        if let Some(d) = &r.doelgroep {
            node["schema:audience"] = open("doelgroep", d);
        }
        if let Some(n) = r.min_deelnemers {
            node["hdg:Aanbod.minAantalDeelnemers"] = json!(n);
        }
        if let Some(n) = r.max_deelnemers {
            node["hdg:Aanbod.maxAantalDeelnemers"] = json!(n);
        }
        graph.push(node);
    }
    lines(&context, &graph)
}

/// The DCAT-AP catalogue of the site: every dataset with its title, description, period,
/// licence and distributions (download and access links, relative to the catalogue).
pub fn catalogue(site_title: &str, datasets: &[Dataset], generated: &str) -> Vec<u8> {
    let context = json!({
        "dcat": "http://www.w3.org/ns/dcat#",
        "dcterms": "http://purl.org/dc/terms/",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "xsd": "http://www.w3.org/2001/XMLSchema#"
    });
    let media = |f: &str| match f.rsplit_once('.').map(|(_, e)| e) {
        Some("csv") => ("text/csv", "CSV"),
        Some("xlsx") => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX",
        ),
        Some("jsonld") => ("application/ld+json", "JSON-LD"),
        _ => ("application/octet-stream", "onbekend"),
    };
    let publisher = json!({"@id": "#uitgever", "@type": "foaf:Agent", "foaf:name": PUBLISHER});
    let mut graph = vec![
        json!({
            "@id": "#catalogus",
            "@type": "dcat:Catalog",
            "dcterms:title": {"@value": site_title, "@language": "nl"},
            "dcterms:description": {"@value": "De cijfers over de hulp- en dienstverlening aan gedetineerden die deze site publiceert: per indicator de gepubliceerde cijfers (CSV en XLSX, kleine aantallen onderdrukt) en de aanbodcatalogus in de OSLO-standaard.", "@language": "nl"},
            "dcterms:publisher": {"@id": "#uitgever"},
            "dcterms:modified": date(generated.to_string()),
            "dcterms:license": {"@id": LICENCE},
            "dcterms:language": {"@id": "http://publications.europa.eu/resource/authority/language/NLD"},
            "dcat:dataset": datasets.iter().map(|d| json!({"@id": format!("#{}", d.key)})).collect::<Vec<_>>()
        }),
        publisher,
    ];
    for d in datasets {
        let access = d.page.clone().unwrap_or_else(|| "index.html".into());
        let mut ds = json!({
            "@id": format!("#{}", d.key),
            "@type": "dcat:Dataset",
            "dcterms:title": {"@value": d.title, "@language": "nl"},
            "dcterms:description": {"@value": d.description, "@language": "nl"},
            "dcterms:publisher": {"@id": "#uitgever"},
            "dcterms:license": {"@id": LICENCE},
            "dcterms:temporal": {
                "@type": "dcterms:PeriodOfTime",
                "dcat:startDate": date(format!("{}-01-01", d.first)),
                "dcat:endDate": date(format!("{}-12-31", d.last))
            },
            "dcat:distribution": d.files.iter().map(|f| json!({"@id": format!("#{}", slug(f))})).collect::<Vec<_>>()
        });
        if let Some(p) = &d.page {
            ds["dcat:landingPage"] = json!({"@id": p});
        }
        graph.push(ds);
        for f in &d.files {
            let (mt, fmt) = media(f);
            graph.push(json!({
                "@id": format!("#{}", slug(f)),
                "@type": "dcat:Distribution",
                "dcterms:title": {"@value": format!("{} ({fmt})", d.title), "@language": "nl"},
                "dcat:downloadURL": {"@id": f},
                "dcat:accessURL": {"@id": access},
                "dcat:mediaType": {"@id": format!("https://www.iana.org/assignments/media-types/{mt}")},
                "dcterms:format": fmt,
                "dcterms:license": {"@id": LICENCE}
            }));
        }
    }
    lines(&context, &graph)
}
