//! Writing outputs safely: every file goes to a temporary file in the target folder and is
//! renamed into place, so an interrupted run never leaves a half-written file.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Refuses a `path` that exists and is not a regular file (a device node, a pipe, a folder,
/// a link to one of those): the rename of [`write_atomic`] would replace it.
pub(crate) fn refuse_special(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(Error::OutputNotAFile {
            path: path.to_path_buf(),
            is_dir: m.is_dir(),
        }),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
/// An existing `path` that is not a regular file is refused, never replaced.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    refuse_special(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".hdv-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    // Temporary files are private (0600); a report is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// The one overwrite rule of the commands that write a single file (`template`, `query
/// --out`, `plan new`, `local init`): an existing file, or anything else at the path (a
/// link, also a dangling one, a folder, a pipe), is never replaced; the command refuses
/// before any work, naming it. Commands that write a set of outputs into a folder (reports,
/// answers, the site) replace their own files.
pub(crate) fn refuse_existing(path: &Path) -> Result<()> {
    refuse_special(path)?;
    match std::fs::symlink_metadata(path) {
        Ok(m) => Err(Error::OutputExists {
            path: path.to_path_buf(),
            link: m.file_type().is_symlink(),
        }),
        Err(_) => Ok(()),
    }
}

/// Writes a new file `path` that must not exist yet ([`refuse_existing`]): written next to
/// its place and linked in without replacing, so it refuses to overwrite even when another
/// process creates the file meanwhile.
pub(crate) fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    refuse_existing(path)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    // Files are readable like any output (a temporary file is private).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(path, e))?;
    }
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::OutputExists {
                path: path.to_path_buf(),
                link: false,
            }
        } else {
            Error::io(path, e.error)
        }
    })?;
    Ok(())
}

/// An output path as given (`--out .`, `--out x/.`, `--out x/`) made absolute, without `.`
/// parts, so that it is resolved before any work and names a real folder or file.
pub(crate) fn resolve(path: &Path) -> Result<std::path::PathBuf> {
    let abs = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    Ok(abs
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect())
}

/// `path` with its links resolved as far as it exists (the rest appended as written).
fn canonical_prefix(path: &Path) -> std::path::PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            return rest.iter().rev().fold(c, |acc, part| acc.join(part));
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Refuses an output (`what`: `--out`, `--feedback`) inside the data folder `data`: the next
/// run would read it as a delivery. Returns the output resolved ([`resolve`]).
pub(crate) fn outside_data(out: &Path, data: &Path, what: &str) -> Result<std::path::PathBuf> {
    let resolved = resolve(out)?;
    let (o, d) = (
        canonical_prefix(&resolved),
        canonical_prefix(&resolve(data)?),
    );
    if o.starts_with(&d) {
        return Err(Error::OutputInData {
            option: what.to_string(),
            out: out.to_path_buf(),
            data: data.to_path_buf(),
        });
    }
    Ok(resolved)
}

/// The longest file name (in bytes) an output gets: file systems allow 255, and a temporary
/// file next to it needs a few more.
pub(crate) const MAX_NAME_BYTES: usize = 200;

/// A file name `stem` + `suffix` that fits [`MAX_NAME_BYTES`]: a longer stem is cut (at a
/// character boundary) and given the first 12 hex digits of its SHA-256, so that two long
/// names stay apart and the same name always gives the same file.
pub(crate) fn short_name(stem: &str, suffix: &str) -> String {
    if stem.len() + suffix.len() <= MAX_NAME_BYTES {
        return format!("{stem}{suffix}");
    }
    use sha2::Digest;
    let hash: String = sha2::Sha256::digest(stem.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let room = MAX_NAME_BYTES.saturating_sub(suffix.len() + 13);
    let mut cut = room.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}-{}{suffix}", &stem[..cut], &hash[..12])
}

/// A folder of files written at once (`hdv site`): built completely in a temporary folder
/// next to `dir`, then renamed into place. A reader sees the previous folder or the new one,
/// never a half-written one. An existing `dir` is replaced only when it is empty or holds
/// `marker` (a folder this command wrote before); anything else is refused.
pub(crate) fn write_dir(dir: &Path, files: &[(String, Vec<u8>)], marker: &str) -> Result<()> {
    let dir = &resolve(dir)?;
    check_replaceable(dir, marker)?;
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".hdv-")
        .suffix(".tmp")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    for (rel, bytes) in files {
        let rel_path = Path::new(rel);
        if rel_path
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Error::OutputName {
                name: rel.to_string(),
            });
        }
        let path = tmp.path().join(rel_path);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(dir.join(rel_path), e))?;
    }
    std::fs::write(
        tmp.path().join(marker),
        "Geschreven door hdv; deze map wordt bij een volgende run in zijn geheel vervangen.\n",
    )
    .map_err(|e| Error::io(dir.join(marker), e))?;
    // Temporary folders are private (0700); a site is readable like any folder.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(|e| Error::io(dir, e))?;
    }
    // Recheck: another process may have put something at `dir` meanwhile.
    check_replaceable(dir, marker)?;
    let old = match std::fs::symlink_metadata(dir) {
        Ok(_) => {
            let old = tempfile::Builder::new()
                .prefix(".hdv-")
                .suffix(".oud")
                .tempdir_in(parent)
                .map_err(|e| Error::io(parent, e))?
                .keep();
            // Renaming a folder onto an empty one replaces it.
            std::fs::rename(dir, &old).map_err(|e| Error::io(dir, e))?;
            Some(old)
        }
        Err(_) => None,
    };
    let built = tmp.keep();
    if let Err(e) = std::fs::rename(&built, dir) {
        // Put the previous folder back; the new one stays for inspection.
        if let Some(old) = &old {
            let _ = std::fs::rename(old, dir);
        }
        let _ = std::fs::remove_dir_all(&built);
        return Err(Error::io(dir, e));
    }
    if let Some(old) = old {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
    }
    Ok(())
}

/// May `dir` be replaced by [`write_dir`]? Yes when absent, an empty folder or a folder
/// holding `marker`; never a file, a link or a folder of something else.
pub(crate) fn check_replaceable(dir: &Path, marker: &str) -> Result<()> {
    let path = dir.to_path_buf();
    let dir = &resolve(dir)?;
    // The folder the command runs in, or one that holds it, is never replaced.
    if let Ok(cwd) = std::env::current_dir()
        && canonical_prefix(&cwd).starts_with(canonical_prefix(dir))
    {
        return Err(Error::OutputIsWorkingDir { path });
    }
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
        Ok(m) if m.file_type().is_symlink() => Err(Error::OutputIsLink { path }),
        Ok(m) if !m.is_dir() => Err(Error::OutputNotADir { path }),
        Ok(_) => {
            let empty = std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir, e))?
                .next()
                .is_none();
            if empty || dir.join(marker).is_file() {
                Ok(())
            } else {
                Err(Error::OutputNotOurs {
                    path,
                    marker: marker.to_string(),
                })
            }
        }
    }
}

/// Prints data to stdout; a closed pipe (`hdv eval | head`) is not an error.
pub(crate) fn print_stdout(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::io("<stdout>", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a").join("r.md");
        write_atomic(&p, b"een").unwrap();
        write_atomic(&p, b"twee").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "twee");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_special_file_is_not_replaced() {
        let e = write_atomic(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(
            matches!(e, Error::OutputNotAFile { is_dir: false, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("geen gewoon bestand"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(
            matches!(e, Error::OutputNotAFile { is_dir: true, .. }),
            "{e:?}"
        );
        assert!(e.to_string().contains("een map"), "{e}");
        // A new file is never written over an existing one.
        let p = dir.path().join("r.yaml");
        write_new(&p, b"een").unwrap();
        let e = write_new(&p, b"twee").unwrap_err();
        assert!(
            matches!(&e, Error::OutputExists { path, link: false } if path == &p),
            "{e:?}"
        );
    }

    #[test]
    fn long_names_are_cut_with_a_hash_and_paths_resolved() {
        let long = "é".repeat(150);
        let a = short_name(&long, "-terugkoppeling.xlsx");
        assert!(
            a.len() <= MAX_NAME_BYTES && a.ends_with("-terugkoppeling.xlsx"),
            "{a}"
        );
        assert_eq!(a, short_name(&long, "-terugkoppeling.xlsx"));
        assert_ne!(a, short_name(&format!("{long}x"), "-terugkoppeling.xlsx"));
        assert_eq!(short_name("kort", ".md"), "kort.md");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(resolve(Path::new(".")).unwrap(), cwd);
        assert_eq!(resolve(Path::new("x/.")).unwrap(), cwd.join("x"));
        let e = outside_data(Path::new("samples/x/."), Path::new("samples"), "--out").unwrap_err();
        assert!(
            matches!(&e, Error::OutputInData { option, .. } if option == "--out"),
            "{e:?}"
        );
        assert!(outside_data(Path::new("out"), Path::new("samples"), "--out").is_ok());
    }

    #[test]
    fn a_folder_is_replaced_whole_and_only_when_hdv_wrote_it() {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join("site");
        let files = |n: &str| vec![("a/b.html".to_string(), n.as_bytes().to_vec())];
        write_dir(&site, &files("een"), ".m").unwrap();
        std::fs::write(site.join("weg.txt"), "oud").unwrap();
        write_dir(&site, &files("twee"), ".m").unwrap();
        assert_eq!(
            std::fs::read_to_string(site.join("a/b.html")).unwrap(),
            "twee"
        );
        // The previous folder is gone as a whole, and nothing is left next to it.
        assert!(!site.join("weg.txt").exists());
        let names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["site"]);
        // A folder of something else, a file and a link are refused and left alone.
        let other = root.path().join("andere");
        std::fs::create_dir(&other).unwrap();
        std::fs::write(other.join("x"), "x").unwrap();
        let e = write_dir(&other, &files("x"), ".m").unwrap_err();
        assert!(
            matches!(&e, Error::OutputNotOurs { path, marker } if path == &other && marker == ".m"),
            "{e:?}"
        );
        assert!(
            e.to_string().contains("geen map die hdv eerder schreef"),
            "{e}"
        );
        assert!(other.join("x").is_file());
        let file = root.path().join("bestand");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(
            write_dir(&file, &files("x"), ".m"),
            Err(Error::OutputNotADir { .. })
        ));
        #[cfg(unix)]
        {
            let link = root.path().join("link");
            std::os::unix::fs::symlink(&site, &link).unwrap();
            let e = write_dir(&link, &files("x"), ".m").unwrap_err();
            assert!(matches!(e, Error::OutputIsLink { .. }), "{e:?}");
            assert!(e.to_string().contains("koppeling"), "{e}");
        }
        let bad = vec![("../uit.html".to_string(), Vec::new())];
        assert!(matches!(
            write_dir(&root.path().join("s2"), &bad, ".m"),
            Err(Error::OutputName { name }) if name == "../uit.html"
        ));
        assert!(!root.path().join("uit.html").exists());
    }
}
