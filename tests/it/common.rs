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
