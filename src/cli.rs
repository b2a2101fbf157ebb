//! Command-line arguments (clap). Commands and flags are English; help texts are Dutch.

use crate::years::YearRange;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Args, Command as ClapCommand, CommandFactory, FromArgMatches};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

/// Dutch help layout for every command (clap's own headings are English).
const TEMPLATE: &str = "{about-with-newline}\nGebruik: {usage}\n\n{all-args}{after-help}";

/// Gives a command and its subcommands Dutch help: layout, headings, help and version flags,
/// and default and possible values spelled out in Dutch.
fn dutch(cmd: ClapCommand) -> ClapCommand {
    dutch_under(cmd, "")
}

/// As [`dutch`], for a command under `parent` (`"hdv local"`), which its usage line names.
fn dutch_under(cmd: ClapCommand, parent: &str) -> ClapCommand {
    let path = if parent.is_empty() {
        cmd.get_name().to_string()
    } else {
        format!("{parent} {}", cmd.get_name())
    };
    let has_version = cmd.get_version().is_some();
    let mut cmd = cmd
        .help_template(TEMPLATE)
        .subcommand_help_heading("Opdrachten")
        .next_help_heading("Opties")
        .disable_help_flag(true)
        .disable_version_flag(true)
        .subcommand_value_name("OPDRACHT")
        .mut_args(|a| {
            let a = a.help_heading("Opties");
            if !a.get_action().takes_values() {
                return a;
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect();
            let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            if !values.is_empty() {
                help.push_str(&format!(" (mogelijk: {})", values.join(", ")));
            }
            if !defaults.is_empty() {
                help.push_str(&format!(" [standaard: {}]", defaults.join(",")));
            }
            a.help(help)
                .hide_default_value(true)
                .hide_possible_values(true)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Toon deze hulp"),
        );
    if has_version {
        cmd = cmd.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Toon de versie"),
        );
    }
    let usage = cmd
        .clone()
        .render_usage()
        .to_string()
        .replace("Usage: ", "")
        .replace("[OPTIONS]", "[OPTIES]")
        .replace("<COMMAND>", "<OPDRACHT>");
    // The usage of a detached subcommand starts with its own name only.
    let usage = match usage.strip_prefix(cmd.get_name()) {
        Some(rest) => format!("{path}{rest}"),
        None => usage,
    };
    cmd.override_usage(usage)
        .mut_subcommands(move |c| dutch_under(c, &path))
}

/// Parses the command line; on a mistake prints a Dutch message and returns exit code 2.
pub(crate) fn parse() -> Result<Cli, ExitCode> {
    // The recipes of the project asked (`--project`, default the current folder), with their
    // titles: the help of `hdv answer` lists them.
    let recipes = crate::answer::recipe_list(&crate::answer::recipes_dir(&project_arg()));
    let cmd = dutch(Cli::command().mut_subcommand("answer", |c| c.after_help(recipes)));
    let matches = match cmd.try_get_matches() {
        Ok(m) => m,
        Err(e) => return Err(report_error(&e)),
    };
    Cli::from_arg_matches(&matches).map_err(|e| report_error(&e))
}

/// The value of `--project` on the command line (`--project DIR` or `--project=DIR`, the
/// last one given), before clap parses it: the help is built first. Default: `.`.
fn project_arg() -> PathBuf {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut project = PathBuf::from(".");
    for (i, a) in args.iter().enumerate() {
        if a == "--project" {
            if let Some(v) = args.get(i + 1) {
                project = PathBuf::from(v);
            }
        } else if let Some(v) = a.to_str().and_then(|a| a.strip_prefix("--project=")) {
            project = PathBuf::from(v);
        }
    }
    project
}

fn report_error(e: &clap::Error) -> ExitCode {
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        // The help of the command that lacks its subcommand (`hdv local`), Dutch already.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        ErrorKind::UnknownArgument => {
            format!("onbekende optie '{}'", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::InvalidSubcommand => {
            format!(
                "onbekende opdracht '{}'",
                ctx(ContextKind::InvalidSubcommand)
            )
        }
        ErrorKind::MissingRequiredArgument => {
            format!(
                "verplichte optie ontbreekt: {}",
                ctx(ContextKind::InvalidArg)
            )
        }
        ErrorKind::InvalidValue => format!(
            "ongeldige waarde '{}' voor {} (mogelijk: {})",
            ctx(ContextKind::InvalidValue),
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            let value = ctx(ContextKind::InvalidValue);
            let source = match std::error::Error::source(e) {
                // Numbers parsed by Rust itself: its English words in Dutch.
                Some(s) => match s.downcast_ref::<std::num::ParseIntError>() {
                    Some(p) => {
                        use std::num::IntErrorKind as K;
                        match p.kind() {
                            K::Empty => "een lege waarde; verwacht een geheel getal".to_string(),
                            K::PosOverflow => format!("'{value}' is te groot"),
                            K::NegOverflow => format!("'{value}' is te klein"),
                            _ => format!("'{value}' is geen (positief) geheel getal"),
                        }
                    }
                    None => s.to_string(),
                },
                None => String::new(),
            };
            format!(
                "ongeldige waarde voor {}: {source}",
                ctx(ContextKind::InvalidArg)
            )
        }
        ErrorKind::ArgumentConflict => format!(
            "{} kan niet samen met {}",
            ctx(ContextKind::InvalidArg),
            ctx(ContextKind::PriorArg)
        ),
        _ => format!("ongeldige opdrachtregel ({})", e.kind()),
    };
    // The command the mistake was made in, from its usage line (`hdv local report [OPTIES] …`).
    let usage = ctx(ContextKind::Usage);
    let path: Vec<&str> = usage
        .split_whitespace()
        .skip_while(|w| *w != "hdv")
        .take_while(|w| !w.starts_with(['[', '<', '-']))
        .collect();
    let path = if path.is_empty() {
        "hdv".to_string()
    } else {
        path.join(" ")
    };
    eprintln!("fout: {message}\nGebruik `{path} --help` voor hulp.");
    ExitCode::from(2)
}

#[derive(Debug, Parser)]
#[command(
    name = "hdv",
    version,
    about = "Opvolging van de hulp- en dienstverlening aan gedetineerden: indicatoren, voortgang en rapporten",
    disable_help_subcommand = true
)]
/// Build it with [`parse`], which gives the help and errors in Dutch.
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command that reads the model and the data.
#[derive(Debug, Clone, Args)]
pub(crate) struct Common {
    /// Map met de bronbestanden (detenties, deelname, trajecten, aanvragen, uitstroom, middelen; optioneel aanbod, de aanbodcatalogus)
    #[arg(long, value_name = "MAP", default_value = "samples")]
    pub data: PathBuf,
    /// Projectmap met plans/, indicators/ en templates/
    #[arg(long, value_name = "MAP", default_value = ".")]
    pub project: PathBuf,
    /// Map voor de cache van ingelezen bronbestanden en berekende indicatoren (per inhoud van de bestanden, plannen en indicatoren); bevat gepseudonimiseerde microgegevens, dus buiten de uitvoermap
    #[arg(long, value_name = "MAP", default_value = ".hdv-cache")]
    pub cache: PathBuf,
    /// Lees alle bronbestanden opnieuw in en bereken alles opnieuw, zonder cache
    #[arg(long)]
    pub no_cache: bool,
    /// Set by `check`: print every warning of the loader, not only their number.
    #[arg(skip)]
    pub all_warnings: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Controleer de plannen, de indicatoren en de bronbestanden
    Check(CheckArgs),
    /// Bereken de indicatoren (ongeafrond en zonder afscherming, voor analisten)
    Eval(EvalArgs),
    /// Maak het jaarrapport voor de gemengde commissie (--year) of de eindevaluatie van een plan (--period)
    Report(ReportArgs),
    /// Keur de cijfers van een jaar goed: leg de leveringen en de gepubliceerde cijfers vast in plans/goedkeuringen/<jaar>.yaml
    Approve(ApproveArgs),
    /// Lokale actieplannen: sjabloon, rapport per gevangenis, overzicht over de gevangenissen
    #[command(subcommand)]
    Local(LocalCommand),
    /// Strategische plannen: een skelet voor het volgende plan
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Voer één SQL-query uit (alleen lezen) op de bronnen, het plan en de lokale plannen
    Query(QueryArgs),
    /// Toon de tabellen en hun kolommen voor hdv query, met de waarden van elke codekolom
    Tables(TablesArgs),
    /// Maak een antwoord op een parlementaire vraag uit een recept (docx, md, xlsx)
    Answer(AnswerArgs),
    /// Maak een synthetische dataset (voorbeeldgegevens of grote testsets)
    Generate(GenerateArgs),
    /// Maak een invulsjabloon (xlsx) voor een bron, met keuzelijsten en uitleg, om aan een partner te bezorgen
    Template(TemplateArgs),
    /// Maak een statische website: de doelstellingen met hun status, een pagina per doelstelling, indicator en gevangenis, met downloads
    Site(SiteArgs),
}

#[derive(Debug, Args)]
pub(crate) struct TemplateArgs {
    /// De bron: detenties, deelname, trajecten, aanvragen, uitstroom, middelen of aanbod
    #[arg(value_name = "BRON")]
    pub source: String,
    /// De partner die het sjabloon invult; de kolom partner aanvaardt dan alleen die naam
    #[arg(long, value_name = "NAAM")]
    pub partner: Option<String>,
    /// Het sjabloonbestand (.xlsx)
    #[arg(long, value_name = "BESTAND")]
    pub out: PathBuf,
    /// Projectmap met plans/, indicators/ en templates/
    #[arg(long, value_name = "MAP", default_value = ".")]
    pub project: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct SiteArgs {
    /// Jaren op de site, bv. 2019..2025 [standaard: van het jaar vóór het lopende plan tot het laatste jaar met gegevens]
    #[arg(long, value_name = "JAAR..JAAR")]
    pub year: Option<YearRange>,
    /// Map voor de site; een bestaande map wordt alleen vervangen als ze leeg is of eerder door hdv site geschreven werd
    #[arg(long, value_name = "MAP")]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum QueryFormat {
    Table,
    Csv,
    Jsonl,
    Xlsx,
}

#[derive(Debug, Args)]
pub(crate) struct QueryArgs {
    /// De SQL-query (één SELECT; parameters als $naam)
    pub sql: String,
    /// Parameter naam=waarde, bv. --param jaar=2024 voor $jaar (herhaalbaar)
    #[arg(long = "param", value_name = "NAAM=WAARDE")]
    pub params: Vec<String>,
    /// Uitvoerformaat
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    pub format: QueryFormat,
    /// Uitvoerbestand (verplicht voor xlsx)
    #[arg(long, value_name = "BESTAND")]
    pub out: Option<PathBuf>,
    /// Toon echte pseudoniemen (persoon_id); zonder deze optie worden ze vervangen en weggelaten
    #[arg(long)]
    pub microdata: bool,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct AnswerArgs {
    /// Het recept (bestand templates/antwoorden/<RECEPT>.yaml), bv. vraag_92 of uitgaven_per_gevangenis; `new NAAM` schrijft een nieuw recept met uitleg (overschrijft niets)
    #[arg(value_name = "RECEPT")]
    pub recipe: Option<String>,
    /// Met `new`: de naam van het nieuwe recept, bv. `hdv answer new uitstroom_per_jaar`
    #[arg(value_name = "NAAM")]
    pub new_name: Option<String>,
    /// Jaar of bereik van jaren, bv. 2019..2024
    #[arg(long, value_name = "JAAR")]
    pub year: Option<YearRange>,
    /// Toon de recepten met hun titel
    #[arg(long)]
    pub list: bool,
    /// Beperk tot deze gevangenis(sen) (herhaalbaar); zonder: alle gevangenissen
    #[arg(long = "prison", value_name = "CODE")]
    pub prisons: Vec<String>,
    /// Uitvoermap
    #[arg(long, value_name = "MAP", default_value = "out/antwoorden")]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct TablesArgs {
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PlanCommand {
    /// Schrijf een skelet voor een nieuw plan op basis van een vorig plan (overschrijft niets)
    New(PlanNewArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PlanNewArgs {
    /// Het vorige plan (de naam van zijn bestand in plans/plannen/), bv. 2020-2025
    #[arg(long, value_name = "PLAN")]
    pub from: String,
    /// De periode van het nieuwe plan, bv. 2026..2030
    #[arg(long, value_name = "JAAR..JAAR")]
    pub period: YearRange,
    /// Het bestand voor het skelet; standaard plans/plannen/<eerste>-<laatste>.yaml
    #[arg(long, value_name = "BESTAND")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Subcommand)]
pub(crate) enum LocalCommand {
    /// Schrijf een sjabloon voor een nieuw lokaal actieplan (overschrijft niets)
    Init(LocalInitArgs),
    /// Maak het rapport van één gevangenis: afstemming, lokale acties, cijfers naast de andere
    Report(LocalReportArgs),
    /// Maak het overzicht over de gevangenissen: dekking per doelstelling en actie
    Overview(LocalOverviewArgs),
}

#[derive(Debug, Args)]
pub(crate) struct LocalInitArgs {
    /// Code van de gevangenis, bv. brugge
    #[arg(long, value_name = "CODE")]
    pub prison: String,
    /// Jaar van het actieplan
    #[arg(long, value_name = "JAAR", value_parser = crate::years::parse_year)]
    pub year: i32,
    /// Projectmap met plans/, indicators/ en templates/
    #[arg(long, value_name = "MAP", default_value = ".")]
    pub project: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct LocalReportArgs {
    /// Code van de gevangenis, bv. brugge
    #[arg(long, value_name = "CODE")]
    pub prison: String,
    /// Jaar van het actieplan
    #[arg(long, value_name = "JAAR", value_parser = crate::years::parse_year)]
    pub year: i32,
    /// Uitvoermap; het rapport komt in <MAP>/<jaar>/lokaal/
    #[arg(long, value_name = "MAP", default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct LocalOverviewArgs {
    /// Het jaar
    #[arg(long, value_name = "JAAR", value_parser = crate::years::parse_year)]
    pub year: i32,
    /// Uitvoermap; het overzicht komt in <MAP>/<jaar>/lokaal/
    #[arg(long, value_name = "MAP", default_value = "out")]
    pub out: PathBuf,
    /// Projectmap met plans/, indicators/ en templates/
    #[arg(long, value_name = "MAP", default_value = ".")]
    pub project: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Schrijf in deze map per leveringsbestand met fouten of waarschuwingen een werkmap met alle bevindingen (blad, cel, waarde, wat verwacht wordt), om terug te sturen naar de partner
    #[arg(long, value_name = "MAP")]
    pub feedback: Option<PathBuf>,
    /// Controleer de afscherming van alles wat over een jaar gepubliceerd wordt (jaarrapport, lokale rapporten, website, elk antwoordrecept): per stuk de getoonde en verborgen cellen, en wat een aanvaller uit alles samen kan afleiden (vraagt --year)
    #[arg(long, requires = "year")]
    pub disclosure: bool,
    /// Het jaar van de afschermingscontrole, bv. 2024
    #[arg(long, value_name = "JAAR", requires = "disclosure")]
    pub year: Option<i32>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum EvalFormat {
    Table,
    Csv,
    Jsonl,
}

#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Jaar of bereik van jaren, bv. 2024 of 2019..2025
    #[arg(long, value_name = "JAAR")]
    pub year: YearRange,
    /// Uitvoerformaat
    #[arg(long, value_enum, default_value_t = EvalFormat::Table)]
    pub format: EvalFormat,
    /// Alleen deze indicator(en), bv. --indicator deelname_graad
    #[arg(long = "indicator", value_name = "ID")]
    pub indicators: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("wat").required(true).args(["year", "period"])))]
pub(crate) struct ReportArgs {
    /// Het rapportjaar, bv. 2024 (jaarrapport)
    #[arg(long, value_name = "JAAR", value_parser = crate::years::parse_year)]
    pub year: Option<i32>,
    /// De volledige periode van een plan, bv. 2020..2025: de eindevaluatie van dat plan
    #[arg(long, value_name = "JAAR..JAAR")]
    pub period: Option<YearRange>,
    /// Uitvoermap; het jaarrapport komt in <MAP>/<jaar>/, de eindevaluatie in <MAP>/eindevaluatie-<plan>/
    #[arg(long, value_name = "MAP", default_value = "out")]
    pub out: PathBuf,
    /// Formaten, gescheiden door komma's
    #[arg(long, value_delimiter = ',', default_value = "html,md,xlsx")]
    pub format: Vec<ReportFormat>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub(crate) struct ApproveArgs {
    /// Het jaar waarvan de cijfers (het jaarrapport) goedgekeurd worden, bv. 2024
    #[arg(long, value_name = "JAAR")]
    pub year: i32,
    /// Waarom de cijfers herzien worden (verplicht wanneer het jaar al goedgekeurd is en cijfers of leveringen sindsdien wijzigden)
    #[arg(long, value_name = "TEKST")]
    pub reden: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Html,
    Md,
    Xlsx,
}

#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// Uitvoermap voor de bronbestanden
    #[arg(long, value_name = "MAP", default_value = "samples")]
    pub out: PathBuf,
    /// Aantal personen in de dataset
    #[arg(long, default_value_t = 12000)]
    pub persons: usize,
    /// Jaren die de dataset beslaat
    #[arg(long, value_name = "JAREN", default_value = "2019..2025")]
    pub years: YearRange,
    /// Startwaarde van de toevalsgenerator (zelfde waarde = zelfde dataset)
    #[arg(long, default_value_t = 2020)]
    pub seed: u64,
    /// Bestandsformaat
    #[arg(long, value_enum, default_value_t = crate::generate::Format::Xlsx)]
    pub format: crate::generate::Format,
    /// Schrijf de gegevens zoals de partners ze leveren: een map per bron met een levering per partner en jaar in de eigen opmaak van de partner (gelezen via de leveringsprofielen in plans/leveringen/); de bronnen zonder partneropmaak in de opmaak van de gegevensafspraken
    #[arg(long)]
    pub deliveries: bool,
}
