//! `hdv answer new NAAM`: a commented recipe that runs as it is (participants per prison and
//! year) and says, field by field, what to change for a new question.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The recipe skeleton for `id` (a valid recipe id: letters, digits, `_` and `-`, so it
/// needs no quoting in YAML).
pub(crate) fn skeleton(id: &str) -> String {
    SKELETON.replace("{{ID}}", id)
}

const SKELETON: &str = r#"# Antwoordrecept `{{ID}}`: maak het antwoord met
#   hdv answer {{ID}} --year 2019..2024
# Zoals het hier staat, telt het de deelnemers per gevangenis en jaar; pas elk veld aan je
# vraag aan. Alle velden en een uitgewerkt voorbeeld: README, "Een recept schrijven".
# Tabellen en kolommen: `hdv tables` (met de waarden van elke codekolom); een query
# uitproberen: `hdv query "SELECT …" --param jaar_van=2019 --param jaar_tot=2024`.

id: {{ID}}
# De titel boven het antwoord.
titel: Deelnemers aan het aanbod per gevangenis
# De vraag zoals ze gesteld werd (komt cursief onder de titel).
vraag: >
  Hoeveel gedetineerden namen deel aan het aanbod van de hulp- en dienstverlening, per
  gevangenis en per jaar?
# De bronnen die de SQL leest: detenties, deelname, trajecten, aanvragen, uitstroom,
# middelen of plan. Een jaar zonder rijen in een van deze bronnen wordt "geen gegevens".
bronnen: [deelname]
# Tekst vóór de tabellen. Variabelen: {{ jaar_van }}, {{ jaar_tot }}, {{ gevangenissen }},
# {{ jaren_met_gegevens }}, {{ jaren_zonder_gegevens }}, {{ plan_titel }}, {{ plan_periode }},
# en het totaal van een tabel: {{ totaal.<tabel-id>["<kolomkop>"] }}.
inleiding: |
  Van {{ jaar_van }} tot en met {{ jaar_tot }} telt de tabel per gevangenis en per jaar de
  gedetineerden die minstens één keer deelnamen aan het aanbod.
# Tekst na de tabellen (mag weg).
slot: |
  Een gedetineerde die in meer gevangenissen deelnam, telt in elk van die gevangenissen.
tabellen:
  # Een kruistabel: de SQL geeft per cel `rij`, `kolom` en `waarde`.
  - id: deelnemers_per_gevangenis
    # Het bijschrift boven de tabel.
    titel: Deelnemers per gevangenis en jaar
    # Naam van het werkblad in de bijlage (hoogstens 27 tekens).
    blad: Deelnemers per gevangenis
    # Wat er geteld wordt en waarover: staat onder de tabel.
    definitie: >
      Verschillende personen met minstens één deelname die in het jaar liep, per gevangenis.
    # De kop boven de rijlabels, en de lijst die de codes van de rijen vertaalt
    # (gevangenis, doelstelling of een lijst uit _labels.yaml).
    rijen: Gevangenis
    rijlabels: gevangenis
    # `jaar`: de kolommen zijn de jaren van --year, in volgorde.
    kolomlabels: jaar
    # personen (1 tot 4 wordt <5), aantal, euro, getal, dagen of aandeel (met teller/noemer).
    soort: personen
    # Totalen: rijtotaal (kolom rechts: som, gemiddelde of geen) en kolomtotaal (rij onderaan:
    # som of geen). Zonder som zegt waarom_geen_totaal waarom.
    kolomtotaal: geen
    rijtotaal: geen
    waarom_geen_totaal: >
      Er staat geen totaal: een persoon kan in meer jaren en in meer gevangenissen deelnemen.
    # De SQL (alleen lezen) krijgt $jaar_van en $jaar_tot; `jaren` heeft per jaar `jaar`,
    # `begin` en `einde`; `gekozen_gevangenissen` de gevangenissen van --prison (of alle).
    sql: |
      SELECT d.gevangenis AS rij, CAST(j.jaar AS VARCHAR) AS kolom,
             COUNT(DISTINCT d.persoon_id) AS waarde
      FROM deelname d
      JOIN jaren j ON j.jaar BETWEEN $jaar_van AND $jaar_tot
        AND d.start <= j.einde AND (d.einde IS NULL OR d.einde >= j.begin)
      JOIN gekozen_gevangenissen k ON k.gevangenis = d.gevangenis
      GROUP BY 1, 2
"#;

/// Writes the skeleton of recipe `id` into `dir` (`templates/antwoorden`); never overwrites.
/// The path written.
pub(crate) fn write(dir: &Path, id: &str) -> Result<PathBuf> {
    if !super::valid_id(id) {
        return Err(Error::InvalidRecipeName {
            name: id.to_string(),
        });
    }
    let path = dir.join(format!("{id}.yaml"));
    if path.exists() {
        return Err(Error::RecipeExists { path });
    }
    crate::output::write_new(&path, skeleton(id).as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use crate::error::Error;

    #[test]
    fn the_skeleton_is_a_valid_recipe_under_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = super::write(dir.path(), "mijn_vraag").unwrap();
        let r = super::super::load_recipe(dir.path(), "mijn_vraag").unwrap();
        assert_eq!(r.id, "mijn_vraag");
        assert_eq!(r.tabellen.len(), 1);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .starts_with("# Antwoordrecept `mijn_vraag`")
        );
        // Never overwrites; refuses a name that is no recipe id.
        let e = super::write(dir.path(), "mijn_vraag").unwrap_err();
        assert!(
            matches!(&e, Error::RecipeExists { path: p } if p == &path),
            "{e:?}"
        );
        assert!(e.to_string().contains("bestaat al"), "{e}");
        for bad in ["../x", "_labels", "a b", ""] {
            assert!(
                matches!(
                    super::write(dir.path(), bad),
                    Err(Error::InvalidRecipeName { name }) if name == bad
                ),
                "{bad}"
            );
        }
        // A recipe that is not there is named with the ones that are.
        assert!(matches!(
            super::super::load_recipe(dir.path(), "andere"),
            Err(Error::UnknownRecipe { recipe, known }) if recipe == "andere" && known == ["mijn_vraag"]
        ));
    }
}
