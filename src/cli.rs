//! Command-line arguments (clap). Commands and flags are English; help texts are Dutch.

use crate::years::YearRange;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hdv",
    version,
    about = "Opvolging van de hulp- en dienstverlening aan gedetineerden: indicatoren, voortgang en rapporten",
    disable_help_subcommand = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command that reads the model and the data.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Map met de bronbestanden (detenties, deelname, trajecten, aanvragen, uitstroom, middelen)
    #[arg(long, value_name = "MAP", default_value = "samples")]
    pub data: PathBuf,
    /// Projectmap met plans/, indicators/ en templates/
    #[arg(long, value_name = "MAP", default_value = ".")]
    pub project: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Controleer de plannen, de indicatoren en de bronbestanden
    Check(CheckArgs),
    /// Bereken de indicatoren (ongeafrond en zonder afscherming, voor analisten)
    Eval(EvalArgs),
    /// Maak het jaarrapport voor de gemengde commissie
    Report(ReportArgs),
    /// Maak een synthetische dataset (voorbeeldgegevens of grote testsets)
    Generate(GenerateArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    Table,
    Csv,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
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
pub struct ReportArgs {
    /// Het rapportjaar, bv. 2024
    #[arg(long, value_name = "JAAR")]
    pub year: i32,
    /// Uitvoermap; het rapport komt in <MAP>/<jaar>/
    #[arg(long, value_name = "MAP", default_value = "out")]
    pub out: PathBuf,
    /// Formaten, gescheiden door komma's
    #[arg(long, value_delimiter = ',', default_value = "html,md,xlsx")]
    pub format: Vec<ReportFormat>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
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
    #[arg(long, value_enum, default_value_t = DataFormat::Xlsx)]
    pub format: DataFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    Xlsx,
    Csv,
    Parquet,
}
