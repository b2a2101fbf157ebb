//! The command line speaks Dutch: help of every command and parse errors.

use crate::common::{FIXTURE, Hdv, ROOT, hdv};

#[test]
fn every_help_page_is_dutch() {
    let top = hdv(&["--help"]).success().stdout;
    let commands: Vec<String> = top
        .lines()
        .skip_while(|l| !l.starts_with("Opdrachten:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(commands.len() >= 4, "{top}");
    for page in std::iter::once(top).chain(commands.iter().map(|c| hdv(&[c, "--help"]).stdout)) {
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
        let page = hdv(&[cmd[0], cmd[1], "--help"]).success().stdout;
        assert!(page.contains(usage), "{page}");
    }
    let page = hdv(&["report", "--help"]).stdout;
    assert!(
        page.contains("Gebruik: hdv report [OPTIES] <--year <JAAR>|--period <JAAR..JAAR>>"),
        "{page}"
    );
}

#[test]
fn parse_errors_are_dutch_with_exit_code_2() {
    let err = hdv(&["evl"]).exits(2).stderr;
    assert!(err.starts_with("fout: onbekende opdracht 'evl'"), "{err}");
    let err = hdv(&["eval", "--year", "20x4"]).exits(2).stderr;
    assert!(
        err.contains("'20x4' is geen geldig jaar (verwacht bv. 2024 of 2019..2025)"),
        "{err}"
    );
    let err = hdv(&["eval", "--year", "2024", "--format", "xml"])
        .exits(2)
        .stderr;
    assert!(
        err.contains("ongeldige waarde 'xml' voor --format"),
        "{err}"
    );
    let err = hdv(&["report"]).exits(2).stderr;
    assert!(
        err.contains("verplichte optie ontbreekt: <--year <JAAR>|--period <JAAR..JAAR>>"),
        "{err}"
    );
}

#[test]
fn progress_stays_off_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().to_str().unwrap();
    let run = hdv(&[
        "eval", "--year", "2024", "--data", FIXTURE, "--cache", cache,
    ])
    .success();
    let (out, err) = (run.stdout, run.stderr);
    assert!(out.contains("gedetineerden"), "{out}");
    // Piped, stderr carries messages only: no progress bars or terminal control codes.
    assert!(
        !err.contains("berekenen") && !err.contains("inlezen"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn the_answer_help_lists_the_recipes_of_the_project_asked() {
    // From a folder without a project, `--project` names the recipes' project.
    let elsewhere = tempfile::tempdir().unwrap();
    let joined = format!("--project={ROOT}");
    for project in [vec!["--project", ROOT], vec![joined.as_str()]] {
        let help = Hdv::new(&["answer", "--help"])
            .args(&project)
            .current_dir(elsewhere.path())
            .run()
            .success()
            .stdout;
        assert!(help.contains("Recepten:"), "{help}");
        assert!(help.contains("  vraag_92  "), "{help}");
    }
    let here = Hdv::new(&["answer", "--help"])
        .current_dir(elsewhere.path())
        .run()
        .success()
        .stdout;
    assert!(here.contains("Geen recepten gevonden"), "{here}");
    assert!(!here.contains("Recepten:"), "{here}");
}
