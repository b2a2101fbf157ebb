//! One module per command; each wires the stages together and knows nothing of rendering
//! details or SQL.

pub(crate) mod answer;
pub(crate) mod approve;
pub(crate) mod check;
pub(crate) mod disclosure;
pub(crate) mod eval;
pub(crate) mod generate;
pub(crate) mod local;
pub(crate) mod plan;
pub(crate) mod query;
pub(crate) mod report;
pub(crate) mod site;
pub(crate) mod template;

use crate::cli::{Command, Common};
use crate::error::Result;
use crate::render::Format;
use std::path::Path;

pub(crate) fn execute(command: Command) -> Result<Exit> {
    match outputs_first(command)? {
        Command::Check(a) => check::execute(a),
        Command::Eval(a) => eval::execute(a),
        Command::Report(a) => report::execute(a),
        Command::Generate(a) => generate::execute(a),
        Command::Local(c) => local::execute(c),
        Command::Plan(c) => plan::execute(c),
        Command::Query(a) => query::execute(a),
        Command::Tables(a) => query::tables(a),
        Command::Answer(a) => answer::execute(a),
        Command::Approve(a) => approve::execute(a),
        Command::Template(a) => template::execute(a),
        Command::Site(a) => site::execute(a),
    }
}

/// Output paths resolved and checked before any work: `--out .` and `--out x/.` made
/// absolute, no output inside the data folder, and a command that writes a single file
/// never replaces one ([`crate::output::refuse_existing`]).
fn outputs_first(command: Command) -> Result<Command> {
    use crate::cli::{LocalCommand, PlanCommand};
    use crate::output::{outside_data, refuse_existing, resolve};
    let out = |o: &std::path::Path, c: &Common| outside_data(o, &c.data, "--out");
    Ok(match command {
        Command::Check(mut a) => {
            if let Some(f) = &a.feedback {
                a.feedback = Some(outside_data(f, &a.common.data, "--feedback")?);
            }
            Command::Check(a)
        }
        Command::Report(mut a) => {
            a.out = out(&a.out, &a.common)?;
            Command::Report(a)
        }
        Command::Answer(mut a) => {
            a.out = out(&a.out, &a.common)?;
            Command::Answer(a)
        }
        Command::Site(mut a) => {
            a.out = out(&a.out, &a.common)?;
            Command::Site(a)
        }
        Command::Query(mut a) => {
            if let Some(o) = &a.out {
                refuse_existing(o)?;
                a.out = Some(out(o, &a.common)?);
            }
            Command::Query(a)
        }
        Command::Template(mut a) => {
            refuse_existing(&a.out)?;
            a.out = resolve(&a.out)?;
            Command::Template(a)
        }
        Command::Local(LocalCommand::Report(mut a)) => {
            a.out = out(&a.out, &a.common)?;
            Command::Local(LocalCommand::Report(a))
        }
        Command::Local(LocalCommand::Overview(mut a)) => {
            a.out = resolve(&a.out)?;
            Command::Local(LocalCommand::Overview(a))
        }
        Command::Plan(PlanCommand::New(a)) => {
            if let Some(o) = &a.out {
                refuse_existing(o)?;
            }
            Command::Plan(PlanCommand::New(a))
        }
        other => other,
    })
}

/// How a command ended, as data; [`Exit::code`] is the process's exit status. An error is
/// the third way (`Err`, status 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Done (status 0).
    Success,
    /// Ran and found errors in the inputs (status 1; `check`).
    Findings,
}

impl Exit {
    /// The exit status: 0 success, 1 findings; 2 is an error ([`ERROR_STATUS`]).
    pub(crate) fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Findings => 1,
        }
    }
}

/// The exit status of a command that could not run.
pub(crate) const ERROR_STATUS: u8 = 2;

/// Writes a product in `formats` as `<dir>/<stem>.<extension>` and lists the files under
/// `what` (`Jaarrapport 2024 geschreven:`). Every format is rendered before any file is
/// written (a failing template leaves the previous files intact); each file is written
/// atomically.
pub(crate) fn emit(
    what: &str,
    dir: &Path,
    stem: &str,
    formats: &[Format],
    render: impl Fn(Format) -> Result<Vec<u8>>,
) -> Result<()> {
    let files = formats
        .iter()
        .map(|&f| Ok((dir.join(format!("{stem}.{}", f.extension())), render(f)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut written = String::new();
    for (path, bytes) in files {
        crate::output::write_atomic(&path, &bytes)?;
        written.push_str(&format!("  {}\n", crate::diagnostic::display_path(&path)));
    }
    crate::output::print_stdout(&format!("{what} geschreven:\n{written}"))
}
