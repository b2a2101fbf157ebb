//! `hdv report`: the yearly report for the mixed commission.

use crate::cli::ReportArgs;
use crate::error::{Error, Result};
use std::process::ExitCode;

pub fn execute(args: ReportArgs) -> Result<ExitCode> {
    let _ = args;
    Err(Error::Other(
        "het jaarrapport is nog niet beschikbaar".into(),
    ))
}
