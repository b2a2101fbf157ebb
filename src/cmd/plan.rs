//! `hdv plan new`: a skeleton successor plan from an earlier one: objectives to fill in, the
//! open actions listed to carry over or drop, and every indicator's last value under the old
//! plan as its baseline. The skeleton is valid YAML that `hdv check` accepts once it is in
//! `plans/plannen/`; it never overwrites a file.

use super::Exit;
use crate::cli::{PlanCommand, PlanNewArgs};
use crate::error::Result;
use crate::report::{Disclosure, successor};
use crate::request::Request;

pub(crate) fn execute(c: PlanCommand) -> Result<Exit> {
    match c {
        PlanCommand::New(a) => new(a),
    }
}

fn new(a: PlanNewArgs) -> Result<Exit> {
    let (r, old) = Request::successor(&a.common, &a.from, a.period, a.out.as_deref())?;
    let id = format!("{}-{}", a.period.first, a.period.last);
    let inputs = r.session.load(r.model, None)?;
    let eval = r
        .session
        .evaluate(&inputs, &inputs.model.indicators, r.window.evaluation)?;
    let d = Disclosure::of(&inputs.model, &eval);
    let baselines = successor::baselines(&inputs.model, &eval, &inputs.sources, r.window, &d);
    let text = crate::render::successor::skeleton(&inputs.model, &old, a.period, &id, &baselines);
    crate::output::write_new(&r.out, text.as_bytes())?;
    crate::output::print_stdout(&format!(
        "Skelet van het plan {id} geschreven: {}\nVul het aan en controleer met: hdv check\n",
        crate::diagnostic::display_path(&r.out)
    ))?;
    Ok(Exit::Success)
}
