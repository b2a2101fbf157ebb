//! The typed error at the edges of each stage: one variant per way a command can fail, with
//! the data a test can match on (paths, names, years). Its `Display` holds every message's
//! Dutch wording: they reach the user.

use crate::diagnostic::{Diagnostics, display_path};
use crate::years::{YearRange, runs};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has findings of severity error; all of them are listed.
    #[error("de invoer bevat {count} fout(en):\n{list}", count = .0.error_count(), list = .0.terminal())]
    Invalid(Diagnostics),

    #[error("{}: {}", path.display(), io_message(source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An indicator's SQL failed to plan or run.
    #[error("indicator `{indicator}` ({file}): {message}")]
    Indicator {
        indicator: String,
        file: String,
        message: String,
    },

    /// A query from the user was refused or failed.
    #[error("{0}")]
    Query(String),

    #[error("{0}")]
    Render(String),

    // --- Output files and folders (`output`): never overwritten, never in the data folder.
    /// A single output file's path is taken by a folder (`is_dir`) or a device or pipe.
    #[error("{} bestaat al en is geen gewoon bestand ({}); kies een ander uitvoerbestand", .path.display(), if *.is_dir { "maar een map" } else { "maar bv. een apparaat of een pipe" })]
    OutputNotAFile { path: PathBuf, is_dir: bool },

    /// A new file's path exists (`link`: as a symbolic link to nothing or to no plain file).
    #[error("{} bestaat al{}; het wordt niet overschreven: verwijder het of kies een andere naam", display_path(.path), if *.link { " (als koppeling, naar iets dat niet bestaat of geen gewoon bestand is)" } else { "" })]
    OutputExists { path: PathBuf, link: bool },

    /// An output (`option`: `--out`, `--feedback`) inside the data folder.
    #[error("{option} {} ligt in de gegevensmap {}: wat hdv daar schrijft, zou een volgende run als levering lezen; kies een map buiten de gegevensmap", display_path(.out), display_path(.data))]
    OutputInData {
        option: String,
        out: PathBuf,
        data: PathBuf,
    },

    /// A product named one of its files with an absolute path or `..` (a bug).
    #[error("interne fout: ongeldige bestandsnaam '{name}' in de uitvoer")]
    OutputName { name: String },

    /// The output folder is the working folder or holds it.
    #[error("{} is de map waarin hdv draait (of bevat ze); ze wordt niet vervangen: kies een nieuwe map, bv. --out site", shown(.path))]
    OutputIsWorkingDir { path: PathBuf },

    #[error("{} is een koppeling (symbolic link); ze wordt niet vervangen: kies een andere uitvoermap", display_path(.path))]
    OutputIsLink { path: PathBuf },

    #[error("{} bestaat al en is geen map; kies een andere uitvoermap", display_path(.path))]
    OutputNotADir { path: PathBuf },

    /// A non-empty folder without the `marker` file hdv leaves in what it writes.
    #[error("{} bestaat al en is geen map die hdv eerder schreef (het bestand {marker} ontbreekt); ze wordt niet vervangen: kies een nieuwe of lege map", display_path(.path))]
    OutputNotOurs { path: PathBuf, marker: String },

    // --- The command line: options, years, plans, prisons, sources.
    #[error("verplichte optie ontbreekt: --year (bv. --year 2024 of --year 2019..2024)")]
    MissingYear,

    #[error(
        "verplichte optie ontbreekt: --year (jaarrapport, bv. --year 2024) of --period (eindevaluatie, bv. --period 2020..2025)"
    )]
    MissingYearOrPeriod,

    /// A report year outside 2000-2100.
    #[error("'{year}' is geen geldig rapportjaar")]
    ReportYear { year: i32 },

    /// A year without a 31 December in the calendar.
    #[error("ongeldig jaar {year}")]
    InvalidYear { year: i32 },

    #[error("jaar {year} ligt buiten de planperiode {first}-{last}")]
    YearOutsidePlan { year: i32, first: i32, last: i32 },

    /// `--period` is no plan's period; `plans` are the plans with their periods.
    #[error("geen plan met de periode {}-{} (plannen: {}); de eindevaluatie gaat over de volledige periode van één plan", .period.first, .period.last, .plans.join(", "))]
    NoPlanForPeriod {
        period: YearRange,
        plans: Vec<String>,
    },

    #[error("onbekend plan '{plan}' (plannen: {})", .plans.join(", "))]
    UnknownPlan { plan: String, plans: Vec<String> },

    /// A successor's period does not start after the plan it follows (`plan`, over
    /// `plan_period`, ending in `last`).
    #[error("de periode {}-{} overlapt met die van plan {plan} ({plan_period}): het nieuwe plan begint na {last}", .period.first, .period.last)]
    PeriodNotAfter {
        period: YearRange,
        plan: String,
        plan_period: String,
        last: i32,
    },

    /// A successor's period overlaps another plan's.
    #[error("de periode {}-{} overlapt met die van plan {plan} ({plan_period})", .period.first, .period.last)]
    PeriodOverlaps {
        period: YearRange,
        plan: String,
        plan_period: String,
    },

    #[error("onbekende gevangenis '{prison}' (toegelaten: {})", .known.join(", "))]
    UnknownPrison { prison: String, known: Vec<String> },

    #[error("onbekende indicator `{indicator}`")]
    UnknownIndicator { indicator: String },

    /// `hdv template` for a source that is no delivered table.
    #[error("onbekende bron '{name}' (mogelijk: {})", .known.join(", "))]
    UnknownSource { name: String, known: Vec<String> },

    #[error("--partner mag niet leeg zijn")]
    EmptyPartner,

    #[error("bron `{name}` heeft geen kolom partner; laat --partner weg")]
    NoPartnerColumn { name: String },

    #[error(
        "geen lokaal actieplan voor {prison} in {year} (maak er een met: hdv local init --prison {prison} --year {year})"
    )]
    NoLocalPlan { prison: String, year: i32 },

    // --- Products without data.
    /// No source has data for the report's year; `coverage`: each source with its years.
    #[error("geen jaarrapport voor {year}: geen enkele bron heeft gegevens voor dat jaar (jaren met gegevens: {})", coverage_text(.coverage))]
    NoYearlyData {
        year: i32,
        coverage: Vec<(String, BTreeSet<i32>)>,
    },

    #[error("geen site: geen gegevens voor {year}")]
    NoSiteData { year: i32 },

    #[error("geen site: geen enkele bron heeft gegevens")]
    NoSiteSources,

    #[error("geen site voor {range}: geen enkele bron heeft gegevens in die jaren")]
    NoSiteDataIn { range: YearRange },

    /// An identifier (`kind`: indicator, gevangenis) that cannot name a file of the site.
    #[error(
        "{kind} '{id}' kan geen bestandsnaam van de site zijn (alleen letters, cijfers, - _ en .)"
    )]
    SiteFileName { kind: &'static str, id: String },

    // --- Answers to parliamentary questions (`answer`).
    /// `hdv answer` without a recipe; `recipes` is the list of recipes as it prints them.
    #[error("geef een recept op, bv. `hdv answer vraag_92 --year 2019..2024`.\n{recipes}")]
    NoRecipeGiven { recipes: String },

    #[error("geef de naam van het nieuwe recept, bv. `hdv answer new uitstroom_per_jaar`")]
    NewRecipeNameMissing,

    #[error(
        "onverwacht argument '{argument}': een nieuw recept begin je met `hdv answer new {argument}`"
    )]
    NewRecipeArgument { argument: String },

    #[error(
        "ongeldige receptnaam '{name}': gebruik letters, cijfers, _ en - (niet beginnend met _), bv. `hdv answer new uitstroom_per_jaar`"
    )]
    InvalidRecipeName { name: String },

    #[error("{} bestaat al; het wordt niet overschreven (kies een andere naam)", display_path(.path))]
    RecipeExists { path: PathBuf },

    #[error("onbekend antwoordrecept '{recipe}' (beschikbaar: {})", .known.join(", "))]
    UnknownRecipe { recipe: String, known: Vec<String> },

    #[error("'{recipe}' is een samengesteld antwoord, geen recept met tabellen")]
    CombinedNotRecipe { recipe: String },

    #[error("recept {recipe}: indicator '{indicator}' mist de bron(nen) {}", .sources.join(", "))]
    RecipeMissingSources {
        recipe: String,
        indicator: String,
        sources: Vec<String>,
    },

    #[error("recept {recipe}: onbekende indicator '{indicator}'")]
    RecipeUnknownIndicator { recipe: String, indicator: String },

    /// A protected count would be exposed by the answer with the other outputs, and the cells
    /// that could hide it are fixed by those outputs.
    #[error(
        "dit antwoord kan niet gepubliceerd worden: een klein aantal ({cell}) zou af te leiden zijn uit wat het antwoord en de andere stukken samen tonen, en de cellen die het zouden afschermen liggen al vast in die andere stukken; pas de tabellen van het recept aan (minder totalen of uitsplitsingen)"
    )]
    AnswerUnpublishable { cell: String },

    #[error(
        "bron `{name}` ontbreekt of heeft geen rijen: zonder die gegevens is dit antwoord niet te maken"
    )]
    SourceEmpty { name: String },

    /// The years asked lie outside the strategic plan's years.
    #[error("het strategisch plan loopt over {} en heeft geen gegevens voor {}. Kies jaren van het plan (--year).", runs(.plan.iter().copied(), NO_YEAR), runs(.asked.iter().copied(), NO_YEAR))]
    AnswerOutsidePlan { plan: Vec<i32>, asked: Vec<i32> },

    /// A source the answer reads has no data in the years asked; `held`: its years.
    #[error("bron `{name}` heeft geen gegevens voor {}; wel voor {}. Kies jaren met gegevens (--year).", runs(.asked.iter().copied(), NO_YEAR), runs(.held.iter().copied(), NO_YEAR))]
    AnswerOutsideSource {
        name: String,
        asked: Vec<i32>,
        held: Vec<i32>,
    },

    // --- Approval of a year's figures (`approval`).
    /// The figures differ from the latest approved `version` and no reason was given.
    #[error("de cijfers van {year} wijken af van de goedkeuring (versie {version}): {revised} cijfer(s) anders, {} levering(en) gewijzigd ({}); geef met --reden waarom ze herzien worden", .files.len(), .files.join(", "))]
    RevisionWithoutReason {
        year: i32,
        version: u32,
        revised: usize,
        files: Vec<String>,
    },

    // --- Failures of the machinery (libraries, runtime, disk), with their own message.
    #[error("cache kan niet geschreven worden: {message}")]
    CacheWrite { message: String },

    #[error("tabel `{table}` kan niet geregistreerd worden: {message}")]
    RegisterTable { table: String, message: String },

    /// The release cohorts could not be computed.
    #[error("vrijlatingscohorten: {message}")]
    Releases { message: String },

    /// `hdv generate` could not write its data.
    #[error("de gegevens kunnen niet geschreven worden: {message}")]
    GenerateWrite { message: String },

    /// The Tokio runtime of a session could not start.
    #[error("kan de uitvoeringsomgeving niet starten: {message}")]
    RuntimeStart { message: String },

    /// The memory-limited query environment could not start.
    #[error("kan de rekenomgeving niet starten: {message}")]
    QueryEnvironment { message: String },

    /// A bug or a library failure that no input explains; `step` says where (`bij het
    /// registreren`), or is empty.
    #[error("interne fout{}: {message}", step_text(.step))]
    Internal { step: &'static str, message: String },
}

/// How an empty list of years reads in the answers' messages.
const NO_YEAR: &str = "geen enkel jaar";

/// A path as messages show it; the working folder itself is `.`.
fn shown(path: &Path) -> String {
    let s = display_path(path);
    if s.is_empty() { ".".to_string() } else { s }
}

fn step_text(step: &str) -> String {
    if step.is_empty() {
        String::new()
    } else {
        format!(" {step}")
    }
}

/// `plan: 2019-2024; vrijlatingen: 2020-2024`, or `geen bronnen`.
fn coverage_text(coverage: &[(String, BTreeSet<i32>)]) -> String {
    if coverage.is_empty() {
        return "geen bronnen".to_string();
    }
    coverage
        .iter()
        .map(|(source, years)| format!("{source}: {}", runs(years.iter().copied(), "geen")))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Invalid(d)
    }
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// An OS error in Dutch (`geen toegang (os-fout 13)`), never the system's English text.
pub(crate) fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "bestand of map niet gevonden",
        K::PermissionDenied => "geen toegang (onvoldoende rechten)",
        K::AlreadyExists => "bestaat al",
        K::IsADirectory => "is een map, geen bestand",
        K::NotADirectory => "een deel van het pad is geen map",
        K::DirectoryNotEmpty => "de map is niet leeg",
        K::StorageFull => "de schijf is vol",
        K::FileTooLarge => "het bestand is te groot",
        K::ReadOnlyFilesystem => "het bestandssysteem is alleen-lezen",
        K::CrossesDevices => "kan niet over bestandssystemen heen verplaatst worden",
        K::InvalidFilename => "ongeldige bestandsnaam",
        K::InvalidData => "ongeldige inhoud (bv. geen geldige UTF-8-tekst)",
        K::InvalidInput => "ongeldige invoer",
        K::UnexpectedEof => "onverwacht einde van het bestand",
        K::Interrupted => "onderbroken",
        K::TimedOut => "de bewerking duurde te lang",
        K::BrokenPipe => "de uitvoer werd gesloten",
        K::OutOfMemory => "onvoldoende geheugen",
        K::ResourceBusy => "het bestand of apparaat is bezet",
        K::Unsupported => "niet ondersteund op dit systeem",
        K::WouldBlock => "de bewerking zou blokkeren",
        K::ExecutableFileBusy => "het bestand is in gebruik",
        K::Deadlock => "de bewerking zou vastlopen",
        K::TooManyLinks => "te veel koppelingen",
        K::ArgumentListTooLong => "te lange lijst van argumenten",
        K::NotSeekable => "het bestand laat geen willekeurige toegang toe (een pipe?)",
        K::StaleNetworkFileHandle => "het netwerkbestand is niet meer beschikbaar",
        K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown => {
            "het netwerk is niet bereikbaar"
        }
        K::ConnectionRefused | K::ConnectionReset | K::ConnectionAborted | K::NotConnected => {
            "de verbinding is verbroken"
        }
        _ => "systeemfout",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what} (os-fout {code})"),
        None => what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::Error;
    use crate::years::YearRange;

    #[test]
    fn each_variant_says_its_data_in_dutch() {
        let e = Error::NoYearlyData {
            year: 2030,
            coverage: vec![
                ("detenties".into(), [2019, 2020, 2021, 2024].into()),
                ("middelen".into(), Default::default()),
            ],
        };
        assert_eq!(
            e.to_string(),
            "geen jaarrapport voor 2030: geen enkele bron heeft gegevens voor dat jaar (jaren met gegevens: detenties: 2019-2021, 2024; middelen: geen)"
        );
        let e = Error::AnswerOutsideSource {
            name: "uitstroom".into(),
            asked: vec![2010, 2011],
            held: vec![],
        };
        assert_eq!(
            e.to_string(),
            "bron `uitstroom` heeft geen gegevens voor 2010-2011; wel voor geen enkel jaar. Kies jaren met gegevens (--year)."
        );
        let e = Error::UnknownPrison {
            prison: "xx".into(),
            known: vec!["brugge".into(), "gent".into()],
        };
        assert_eq!(
            e.to_string(),
            "onbekende gevangenis 'xx' (toegelaten: brugge, gent)"
        );
        let e = Error::PeriodNotAfter {
            period: YearRange {
                first: 2024,
                last: 2029,
            },
            plan: "2020-2025".into(),
            plan_period: "2020-2025".into(),
            last: 2025,
        };
        assert_eq!(
            e.to_string(),
            "de periode 2024-2029 overlapt met die van plan 2020-2025 (2020-2025): het nieuwe plan begint na 2025"
        );
        let e = Error::Internal {
            step: "",
            message: "x".into(),
        };
        assert_eq!(e.to_string(), "interne fout: x");
        let e = Error::Internal {
            step: "bij het registreren",
            message: "x".into(),
        };
        assert_eq!(e.to_string(), "interne fout bij het registreren: x");
    }

    #[test]
    fn os_errors_are_dutch() {
        let e = std::io::Error::from_raw_os_error(13);
        assert_eq!(
            super::io_message(&e),
            "geen toegang (onvoldoende rechten) (os-fout 13)"
        );
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        assert_eq!(super::io_message(&e), "bestand of map niet gevonden");
    }
}
