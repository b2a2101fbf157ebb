//! Writing outputs safely: every file goes to a temporary file in the target folder and is
//! renamed into place, so an interrupted run never leaves a half-written file.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Refuses a `path` that exists and is not a regular file (a device node, a pipe, a folder,
/// a link to one of those): the rename of [`write_atomic`] would replace it.
pub fn refuse_special(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(Error::Other(format!(
            "{} bestaat al en is geen gewoon bestand ({}); kies een ander uitvoerbestand",
            path.display(),
            if m.is_dir() {
                "maar een map"
            } else {
                "maar bv. een apparaat of een pipe"
            }
        ))),
        _ => Ok(()),
    }
}

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
/// An existing `path` that is not a regular file is refused, never replaced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
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

/// Writes a new file `path` that must not exist yet (a skeleton a person then edits): written
/// next to its place and linked in without replacing, so it refuses to overwrite even when
/// another process creates the file meanwhile.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.persist_noclobber(path).map_err(|e| {
        Error::Other(format!(
            "{} kan niet geschreven worden: {}",
            crate::model::display_path(path),
            e.error
        ))
    })?;
    Ok(())
}

/// Prints data to stdout; a closed pipe (`hdv eval | head`) is not an error.
pub fn print_stdout(text: &str) -> Result<()> {
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
        assert!(e.to_string().contains("geen gewoon bestand"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("een map"), "{e}");
    }
}
