use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = hdv::cli::Cli::parse();
    hdv::run(cli)
}
