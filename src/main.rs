use std::process::ExitCode;

fn main() -> ExitCode {
    match hdv::cli::parse() {
        Ok(cli) => hdv::run(cli),
        Err(code) => code,
    }
}
