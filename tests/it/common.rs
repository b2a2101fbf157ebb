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

/// Opens `page` in headless `browser` with a fresh profile and returns the rendered DOM;
/// fails the test when the browser does.
pub fn dump_dom(browser: &str, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let dom = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    String::from_utf8_lossy(&dom.stdout).into_owned()
}
