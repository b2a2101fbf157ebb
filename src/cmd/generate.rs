//! `hdv generate`: write a deterministic synthetic data set.

use super::Exit;
use crate::cli::GenerateArgs;
use crate::error::Result;
use crate::generate::{Shape, Spec, generate_as};

pub(crate) fn execute(args: GenerateArgs) -> Result<Exit> {
    let spec = Spec {
        persons: args.persons,
        years: args.years,
        seed: args.seed,
    };
    let shape = if args.deliveries {
        Shape::Deliveries
    } else {
        Shape::Contract
    };
    let summary = generate_as(&spec, &args.out, args.format, shape)?;
    let mut s = format!(
        "Synthetische gegevens geschreven naar {} ({} personen, jaren {}, startwaarde {}):\n",
        crate::diagnostic::display_path(&args.out),
        spec.persons,
        spec.years,
        spec.seed
    );
    for (source, rows) in summary.rows {
        s.push_str(&format!("  {:<10} {rows:>9} rijen\n", source.name()));
    }
    for name in summary.linked {
        s.push_str(&format!("  linked data (OSLO): {name}\n"));
    }
    crate::output::print_stdout(&s)?;
    Ok(Exit::Success)
}
