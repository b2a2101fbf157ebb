use std::process::ExitCode;

fn main() -> ExitCode {
    hdv::run()
}
