//! The command line speaks Dutch: help of every command and parse errors.

use std::process::Command;

const HDV: &str = env!("CARGO_BIN_EXE_hdv");

fn run(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(HDV).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn every_help_page_is_dutch() {
    let (code, top, _) = run(&["--help"]);
    assert_eq!(code, 0);
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Opdrachten:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(commands.len() >= 4, "{top}");
    for page in std::iter::once(top).chain(commands.iter().map(|c| run(&[c, "--help"]).1)) {
        assert!(page.contains("Gebruik: hdv"), "{page}");
        assert!(page.contains("Toon deze hulp"), "{page}");
        for english in [
            "Usage:",
            "Options:",
            "Commands:",
            "Print help",
            "[default:",
            "[possible values",
        ] {
            assert!(!page.contains(english), "English `{english}` in:\n{page}");
        }
    }
}

#[test]
fn a_nested_command_names_its_whole_path_in_its_usage() {
    for (cmd, usage) in [
        (
            ["local", "report"],
            "Gebruik: hdv local report [OPTIES] --prison <CODE> --year <JAAR>",
        ),
        (
            ["local", "init"],
            "Gebruik: hdv local init [OPTIES] --prison <CODE> --year <JAAR>",
        ),
    ] {
        let (code, page, _) = run(&[cmd[0], cmd[1], "--help"]);
        assert_eq!(code, 0);
        assert!(page.contains(usage), "{page}");
    }
    let (_, page, _) = run(&["report", "--help"]);
    assert!(
        page.contains("Gebruik: hdv report [OPTIES] <--year <JAAR>|--period <JAAR..JAAR>>"),
        "{page}"
    );
}

#[test]
fn parse_errors_are_dutch_with_exit_code_2() {
    let (code, _, err) = run(&["evl"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("fout: onbekende opdracht 'evl'"), "{err}");
    let (code, _, err) = run(&["eval", "--year", "20x4"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("'20x4' is geen geldig jaar (verwacht bv. 2024 of 2019..2025)"),
        "{err}"
    );
    let (code, _, err) = run(&["eval", "--year", "2024", "--format", "xml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("ongeldige waarde 'xml' voor --format"),
        "{err}"
    );
    let (code, _, err) = run(&["report"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("verplichte optie ontbreekt: <--year <JAAR>|--period <JAAR..JAAR>>"),
        "{err}"
    );
}

#[test]
fn progress_stays_off_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().to_str().unwrap();
    let (code, out, err) = run(&[
        "eval",
        "--year",
        "2024",
        "--data",
        "tests/fixtures/indicators/basis",
        "--cache",
        cache,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("gedetineerden"), "{out}");
    // Piped, stderr carries messages only: no progress bars or terminal control codes.
    assert!(
        !err.contains("berekenen") && !err.contains("inlezen"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err:?}");
}
