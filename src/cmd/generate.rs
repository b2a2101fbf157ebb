//! `hdv generate`: write a deterministic synthetic data set.

use crate::cli::GenerateArgs;
use crate::error::{Error, Result};
use std::process::ExitCode;

pub fn execute(args: GenerateArgs) -> Result<ExitCode> {
    let _ = args;
    Err(Error::Other("de generator is nog niet beschikbaar".into()))
}
