//! Sample linked-data deliveries in the OSLO standard "Hulp- en Dienstverlening aan
//! Gedetineerden", made from the same generated rows as the spreadsheets, for one year (the
//! one before the last of the range):
//!
//! - `oslo/acsy-<jaar>.ttl` (Turtle, from ACSY): the offer catalogue of the year (every offer
//!   with the prisons it runs in; a group offer with its session series per prison, each with
//!   registrations, enrolments and two sessions, some of them cancelled);
//! - `oslo/wvg-<jaar>.jsonld` (JSON-LD, from the Departement WVG): per row of `middelen` a
//!   realisation with its FTE used and a structural grant of its spending.
//!
//! So `oslo_aanbod` holds exactly the catalogue's offers per prison, the series per offer and
//! prison equal `aanbod.sessiereeksen`, and FTE and funding add up to `middelen`. Registrations,
//! enrolments and cancellations come from a hash of the row, not from the generator's random
//! stream, so the spreadsheets stay byte for byte what they were.

use chrono::{Duration, NaiveDate};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::fmt::Write;

const HDG: &str = "https://data.vlaanderen.be/ns/hulp-dienstverlening-gedetineerden#";
const BASE: &str = "https://example.org/hdv-voorbeeld/";

/// A row of `middelen`: (prison, partner, domain, fte, euro).
type Resource = (Option<String>, String, String, f64, f64);

/// One offer of the catalogue in a prison: (offer, kind, organiser, domain) → prison → series.
type Offers = BTreeMap<(String, String, String, String), BTreeMap<String, Option<usize>>>;

/// The rows the sample deliveries are made from.
#[derive(Debug, Default)]
pub(crate) struct Oslo {
    /// Per year: the catalogue.
    offers: BTreeMap<i32, Offers>,
    /// Per year: (prison, partner, domain, fte, euro) of `middelen`.
    resources: BTreeMap<i32, Vec<Resource>>,
}

/// A stable number from text (FNV-1a), for the pseudo-random parts.
fn hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// A name as part of an IRI: lower-case letters and digits joined by hyphens.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ï' | 'î' => 'i',
            'ö' | 'ô' => 'o',
            'ü' | 'û' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The concept of a domain code (`onderwijs` → `…/BeleidsveldType/Onderwijs`).
fn domain_concept(domain: &str) -> String {
    let mut c = domain.chars();
    let first = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>())
        .unwrap_or_default();
    format!("https://example.com/BeleidsveldType/{first}{}", c.as_str())
}

/// A Turtle string literal.
fn lit(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const CANCELLED: &[(&str, &str)] = &[
    ("begeleider_afwezig", "BegeleiderAfwezig"),
    ("te_weinig_inschrijvingen", "TeWeinigInschrijvingen"),
    ("veiligheid", "Veiligheid"),
    ("staking", "Staking"),
];

impl Oslo {
    /// A row of the catalogue: `series` is `None` for an individual offer.
    pub(crate) fn offer(
        &mut self,
        year: i32,
        (offer, kind, organiser, prison, domain): (&str, &str, &str, &str, &str),
        series: Option<usize>,
    ) {
        self.offers
            .entry(year)
            .or_default()
            .entry((offer.into(), kind.into(), organiser.into(), domain.into()))
            .or_default()
            .insert(prison.into(), series);
    }

    /// A row of `middelen`.
    pub(crate) fn resource(
        &mut self,
        year: i32,
        prison: Option<&str>,
        partner: &str,
        domain: &str,
        fte: f64,
        euro: f64,
    ) {
        self.resources.entry(year).or_default().push((
            prison.map(str::to_string),
            partner.into(),
            domain.into(),
            fte,
            euro,
        ));
    }

    /// The files to write (name under the data folder, bytes) for the last two years of
    /// `years`, extracted on `extraction`.
    pub(crate) fn files(&self, years: &[i32], extraction: NaiveDate) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for &y in years {
            if let Some(o) = self.offers.get(&y) {
                out.push((
                    format!("oslo/acsy-{y}.ttl"),
                    turtle(y, o, extraction).into_bytes(),
                ));
            }
            if let Some(r) = self.resources.get(&y) {
                let doc = jsonld(y, r, extraction);
                // One resource per line: readable, and a third of the indented size.
                let mut bytes = Vec::new();
                let graph = doc["@graph"].as_array().cloned().unwrap_or_default();
                bytes.extend_from_slice(b"{\"@context\": ");
                bytes.extend(serde_json::to_vec(&doc["@context"]).expect("JSON serializes"));
                bytes.extend_from_slice(b",\n\"@graph\": [\n");
                for (i, node) in graph.iter().enumerate() {
                    bytes.extend(serde_json::to_vec(node).expect("JSON serializes"));
                    bytes.extend_from_slice(if i + 1 < graph.len() { b",\n" } else { b"\n" });
                }
                bytes.extend_from_slice(b"]}");
                bytes.push(b'\n');
                out.push((format!("oslo/wvg-{y}.jsonld"), bytes));
            }
        }
        out
    }
}

fn turtle(year: i32, offers: &Offers, extraction: NaiveDate) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Voorbeeldlevering (synthetisch, hdv generate): het aanbod van {year} uit ACSY in de\n\
         # OSLO-standaard \"Hulp- en Dienstverlening aan Gedetineerden\".\n\
         @prefix : <{BASE}acsy/> .\n\
         @prefix hdg: <{HDG}> .\n\
         @prefix cp: <https://data.vlaanderen.be/ns/cultuurparticipatie#> .\n\
         @prefix dcterms: <http://purl.org/dc/terms/> .\n\
         @prefix dcat: <http://www.w3.org/ns/dcat#> .\n\
         @prefix schema: <https://schema.org/> .\n\
         @prefix prov: <http://www.w3.org/ns/prov#> .\n\
         @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
         @prefix adms: <http://www.w3.org/ns/adms#> .\n\
         @prefix cidoc: <http://www.cidoc-crm.org/cidoc-crm/> .\n\
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
         @prefix gevangenis: <{BASE}gevangenis/> .\n\
         @prefix status: <https://example.com/ActiviteitStatus/> .\n\
         @prefix reden: <https://example.com/AnnulatieReden/> .\n"
    );
    let _ = writeln!(
        t,
        ":levering-{year} a dcat:Dataset ;\n  dcterms:title \"Aanbod {year} (ACSY)\"@nl ;\n  dcterms:publisher [ skos:prefLabel \"ACSY\" ] ;\n  dcterms:issued \"{}\"^^xsd:date ;\n  dcterms:temporal [ dcat:startDate \"{year}-01-01\"^^xsd:date ; dcat:endDate \"{year}-12-31\"^^xsd:date ] .\n",
        extraction.format("%Y-%m-%d")
    );
    let mut prisons: Vec<&str> = offers
        .values()
        .flat_map(|p| p.keys().map(String::as_str))
        .collect();
    prisons.sort_unstable();
    prisons.dedup();
    for p in &prisons {
        let _ = writeln!(
            t,
            "gevangenis:{p} a hdg:GevangenisVestiging ; dcterms:identifier {} .",
            lit(p)
        );
    }
    let mut organisers: Vec<&str> = offers.keys().map(|k| k.2.as_str()).collect();
    organisers.sort_unstable();
    organisers.dedup();
    for o in &organisers {
        let _ = writeln!(
            t,
            ":org-{} a cp:Organisator ; skos:prefLabel {}@nl .",
            slug(o),
            lit(o)
        );
    }
    t.push('\n');
    for ((offer, kind, organiser, domain), at) in offers {
        let id = format!("aanbod-{}-{}-{domain}", slug(offer), slug(organiser));
        let class = if kind == "groepsaanbod" {
            "hdg:Groepsaanbod"
        } else {
            "hdg:IndividueelAanbod"
        };
        let locations: Vec<String> = at.keys().map(|p| format!("gevangenis:{p}")).collect();
        let mut series_ids = Vec::new();
        let mut series_text = String::new();
        for (prison, n) in at {
            let Some(n) = n else { continue };
            for k in 0..*n {
                series_ids.push(series(year, &id, prison, k, *n, &mut series_text));
            }
        }
        let _ = write!(
            t,
            ":{id} a {class} ;\n  dcterms:title {}@nl ;\n  hdg:Aanbod.beleidsveld <{}> ;\n  cidoc:P14_carried_out_by :org-{} ;\n  prov:atLocation {}",
            lit(offer),
            domain_concept(domain),
            slug(organiser),
            locations.join(", ")
        );
        if series_ids.is_empty() {
            t.push_str(" .\n\n");
        } else {
            let _ = write!(
                t,
                " ;\n  hdg:activiteit {} .\n\n{series_text}\n",
                series_ids.join(", ")
            );
        }
    }
    t
}

/// Series `k` (of `n`) of offer `id` in `prison` with its two sessions, written to
/// `series_text`; returns its name.
fn series(
    year: i32,
    id: &str,
    prison: &str,
    k: usize,
    n: usize,
    series_text: &mut String,
) -> String {
    let sid = format!("{id}-{prison}-{}", k + 1);
    let h = hash(&[&sid, &year.to_string()]);
    let start =
        NaiveDate::from_ymd_opt(year, 1 + (k * 12 / n.max(1)) as u32 % 12, 10).expect("date");
    let end =
        (start + Duration::days(70)).min(NaiveDate::from_ymd_opt(year, 12, 20).expect("date"));
    let enrolled = 6 + (h % 7) as i64;
    let registered = enrolled + ((h >> 8) % 5) as i64;
    let mut sessions = Vec::new();
    let mut sessions_text = String::new();
    for s in 1..=2 {
        let sess = format!("{sid}-s{s}");
        let day = start + Duration::days(7 * s);
        let hs = hash(&[&sess]);
        let status = if hs.is_multiple_of(13) {
            let (_, r) = CANCELLED[((hs >> 4) % CANCELLED.len() as u64) as usize];
            format!("adms:status status:Geannuleerd ;\n  hdg:Activiteit.annulatieReden reden:{r}")
        } else {
            "adms:status status:Doorgegaan".to_string()
        };
        let _ = writeln!(
            sessions_text,
            ":{sess} a hdg:Sessie ;\n  schema:eventSchedule [ schema:startDate \"{}\"^^xsd:date ] ;\n  {status} .",
            day.format("%Y-%m-%d")
        );
        sessions.push(format!(":{sess}"));
    }
    let _ = writeln!(
        series_text,
        ":{sid} a hdg:Sessiereeks ;\n  dcterms:title \"Reeks {}\" ;\n  prov:atLocation gevangenis:{prison} ;\n  schema:eventSchedule [ schema:startDate \"{}\"^^xsd:date ; schema:endDate \"{}\"^^xsd:date ] ;\n  hdg:Activiteit.aantalAanmeldingen {registered} ;\n  hdg:Activiteit.aantalInschrijvingen {enrolled} ;\n  schema:subEvent {} .\n{sessions_text}",
        k + 1,
        start.format("%Y-%m-%d"),
        end.format("%Y-%m-%d"),
        sessions.join(", ")
    );
    format!(":{sid}")
}

fn jsonld(year: i32, rows: &[Resource], extraction: NaiveDate) -> Json {
    let mut graph: Vec<Json> = vec![json!({
        "@id": format!("levering-{year}"),
        "@type": "dcat:Dataset",
        "dcterms:title": {"@value": format!("Personeel en financiering {year} (Departement WVG)"), "@language": "nl"},
        "dcterms:publisher": {"skos:prefLabel": "Departement WVG"},
        "dcterms:issued": {"@value": extraction.format("%Y-%m-%d").to_string(), "@type": "xsd:date"},
        "dcterms:temporal": {
            "dcat:startDate": {"@value": format!("{year}-01-01"), "@type": "xsd:date"},
            "dcat:endDate": {"@value": format!("{year}-12-31"), "@type": "xsd:date"}
        }
    })];
    let mut prisons: Vec<&str> = rows.iter().filter_map(|r| r.0.as_deref()).collect();
    prisons.sort_unstable();
    prisons.dedup();
    for p in prisons {
        graph.push(json!({
            "@id": format!("gevangenis/{p}"),
            "@type": "hdg:GevangenisVestiging",
            "dcterms:identifier": p
        }));
    }
    let mut realisators: BTreeMap<String, (&str, &str)> = BTreeMap::new();
    let mut funders: BTreeMap<String, &str> = BTreeMap::new();
    for (_, partner, domain, _, _) in rows {
        realisators.insert(
            format!("realisator/{}-{domain}", slug(partner)),
            (partner, domain),
        );
        funders.insert(format!("financierder/{domain}"), domain);
    }
    for (id, (partner, domain)) in &realisators {
        graph.push(json!({
            "@id": id,
            "@type": "cp:Realisator",
            "cp:Realisator.naam": partner,
            "hdg:Realisator.beleidsdomein": {"@id": domain_concept(domain)}
        }));
    }
    for (id, domain) in &funders {
        graph.push(json!({
            "@id": id,
            "@type": "dcterms:Agent",
            "skos:prefLabel": format!("Vlaamse overheid, beleidsdomein {domain}"),
            "hdg:Financieringsbron.beleidsveld": {"@id": domain_concept(domain)},
            "hdg:Financieringsbron.beleidsniveau": {"@id": "https://example.com/BeleidsniveauType/Vlaams"}
        }));
    }
    let decimal = |x: f64| json!({"@value": crate::number::number_text(x), "@type": "xsd:decimal"});
    for (i, (prison, partner, domain, fte, euro)) in rows.iter().enumerate() {
        let n = i + 1;
        let mut real = json!({
            "@id": format!("realisatie/{year}-{n}"),
            "@type": "cp:Realisatie",
            "prov:wasAssociatedWith": {"@id": format!("realisator/{}-{domain}", slug(partner))},
            "prov:startedAtTime": {"@value": format!("{year}-01-01"), "@type": "xsd:date"},
            "prov:qualifiedUsage": {"@id": format!("vte/{year}-{n}")}
        });
        if let Some(p) = prison {
            real["prov:atLocation"] = json!({"@id": format!("gevangenis/{p}")});
        }
        graph.push(real);
        let kind = if prison.is_some() {
            "UitvoerendPersoneel"
        } else {
            "OrganiserendPersoneel"
        };
        graph.push(json!({
            "@id": format!("vte/{year}-{n}"),
            "@type": "hdg:VoltijdsequivalentGebruik",
            "dcterms:type": {"@id": format!("https://example.com/VteType/{kind}")},
            "hdg:VoltijdsequivalentGebruik.aantalVoltijdsequivalenten": decimal(*fte)
        }));
        graph.push(json!({
            "@id": format!("financiering/{year}-{n}"),
            "@type": "schema:MonetaryGrant",
            "qudt:hasQuantity": {"qudt:value": decimal(*euro)},
            "dcterms:type": {"@id": "https://example.com/FinancieringType/Subsidie"},
            "hdg:Financiering.financieringskarakter": {"@id": "https://example.com/KarakterType/Structureel"},
            "schema:funder": {"@id": format!("financierder/{domain}")},
            "schema:fundedItem": {"@id": format!("realisatie/{year}-{n}")},
            "prov:startedAtTime": {"@value": format!("{year}-01-01"), "@type": "xsd:date"}
        }));
    }
    json!({
        "@context": {
            "@base": format!("{BASE}wvg/"),
            "hdg": HDG,
            "cp": "https://data.vlaanderen.be/ns/cultuurparticipatie#",
            "dcterms": "http://purl.org/dc/terms/",
            "dcat": "http://www.w3.org/ns/dcat#",
            "schema": "https://schema.org/",
            "prov": "http://www.w3.org/ns/prov#",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "qudt": "http://qudt.org/schema/qudt/",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@graph": graph
    })
}

/// The year the sample deliveries cover: the one before the last of the range (the last
/// full year of the samples is the usual report year of the README), to keep them small.
pub(crate) fn years(first: i32, last: i32) -> Vec<i32> {
    vec![first.max(last - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_concepts() {
        assert_eq!(slug("De Rode Antraciet"), "de-rode-antraciet");
        assert_eq!(slug("Beëindigd (x)"), "beeindigd-x");
        assert_eq!(
            domain_concept("onderwijs"),
            "https://example.com/BeleidsveldType/Onderwijs"
        );
        assert_eq!(years(2016, 2025), vec![2024]);
    }
}
