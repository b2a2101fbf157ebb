//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// Copies the folder `from` into `to` recursively, creating entries in name order, or in
/// reverse name order when `reverse` (on tmpfs, the order a folder then lists them in).
pub fn copy_tree(from: &Path, to: &Path, reverse: bool) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(from)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    if reverse {
        entries.reverse();
    }
    for e in entries {
        let target = to.join(e.file_name().unwrap());
        if e.is_dir() {
            copy_tree(&e, &target, reverse);
        } else {
            std::fs::copy(&e, target).unwrap();
        }
    }
}

/// The headless browser on this machine, if any (`.ci/run` installs Debian's chromium).
pub fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Runs headless `browser` on `page` with a fresh profile and `args`; returns its stdout and
/// fails the test when the browser does.
fn headless(browser: &str, page: &Path, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .args(args)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Opens `page` in headless `browser` and returns the rendered DOM.
pub fn dump_dom(browser: &str, page: &Path) -> String {
    headless(browser, page, &["--dump-dom".into()])
}

/// The DOM after the page's scripts had `budget_ms` of (virtual) time to run.
pub fn dump_dom_after(browser: &str, page: &Path, budget_ms: u32) -> String {
    headless(
        browser,
        page,
        &[
            "--dump-dom".into(),
            format!("--virtual-time-budget={budget_ms}"),
        ],
    )
}

/// Prints `page` to `pdf` as the browser's print dialog would, without the browser's own
/// header and footer (the page's CSS sets its margins, title and page numbers).
pub fn print_pdf(browser: &str, page: &Path, pdf: &Path) {
    headless(
        browser,
        page,
        &[
            "--no-pdf-header-footer".into(),
            format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert!(pdf.is_file(), "no PDF written");
}

/// The sources in `data` read as `hdv` reads them: deliveries in partner layouts through the
/// project's profiles in `plans/leveringen/` (which match no contract-layout fixture file).
pub fn load(model: &hdv::model::Model, data: &str) -> hdv::load::Sources {
    inputs(&session(data), model).sources
}

/// A session over this project (the repository root) and the data folder `data`, without a
/// cache: the path every command takes.
pub fn session(data: impl AsRef<Path>) -> hdv::session::Session {
    hdv::session::Session::new(".", data.as_ref()).unwrap()
}

/// A fixture folder in the contract's layout, read and registered without the project's
/// delivery profiles and expected deliveries (`plans/leveringen/`): the fixtures predate them,
/// and a report on a fixture then shows no completeness matrix.
pub fn fixture_inputs(model: &hdv::model::Model, dir: &str) -> hdv::register::Inputs {
    let sources = hdv::load::load_sources(
        Path::new(dir),
        &model.prison_codes(),
        None,
        &hdv::load::Profiles::default(),
    )
    .unwrap();
    hdv::register::register(model.clone(), sources, None).unwrap()
}

/// `model` and the sources of `session`, loaded and registered as `hdv` does.
pub fn inputs(session: &hdv::session::Session, model: &hdv::model::Model) -> hdv::register::Inputs {
    session.load(model.clone(), None).unwrap()
}

/// The committed samples, read as `hdv` reads them.
pub fn load_samples(model: &hdv::model::Model) -> hdv::load::Sources {
    load(model, "samples")
}

/// Every file under `dir`, by path relative to it, with its bytes.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// The sources in `data` and every indicator of `model` evaluated over `years` (`2019..2024`),
/// through the library.
pub fn evaluate(
    model: &hdv::model::Model,
    data: &str,
    years: &str,
) -> (hdv::load::Sources, hdv::engine::Evaluation) {
    let session = session(data);
    let inputs = inputs(&session, model);
    let eval = session
        .evaluate(&inputs, &model.indicators, years.parse().unwrap())
        .unwrap();
    (inputs.sources, eval)
}
