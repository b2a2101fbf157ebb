//! A file's findings as the readers collect them: errors and warnings, each capped per file.

use crate::diagnostic::{Diagnostic, Diagnostics};

/// Collects a file's findings; errors and warnings past their cap are counted, not stored.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub diags: Diagnostics,
    errors: usize,
    warnings: usize,
}

impl Findings {
    pub(crate) fn error(&mut self, location: String, message: String) {
        self.errors += 1;
        if self.errors <= crate::limits::findings_per_file() {
            self.diags.push(Diagnostic::error(location, message));
        }
    }

    /// A finding built elsewhere (with its partner's view), counted by its severity.
    pub(crate) fn push(&mut self, d: Diagnostic) {
        let n = if d.is_error() {
            self.errors += 1;
            self.errors
        } else {
            self.warnings += 1;
            self.warnings
        };
        if n <= crate::limits::findings_per_file() {
            self.diags.push(d);
        }
    }

    pub(crate) fn warning(&mut self, location: String, message: String) {
        self.warnings += 1;
        if self.warnings <= crate::limits::findings_per_file() {
            self.diags.push(Diagnostic::warning(location, message));
        }
    }

    pub(crate) fn error_count(&self) -> usize {
        self.errors
    }

    /// All findings, with a closing line for errors and warnings past their cap.
    pub(crate) fn finish(mut self, file: &str) -> Diagnostics {
        let cap = crate::limits::findings_per_file();
        if self.warnings > cap {
            self.diags.push(Diagnostic::warning(
                file.to_string(),
                format!(
                    "… en nog {} waarschuwingen voor dit bestand (alleen de eerste {cap} worden getoond)",
                    self.warnings - cap
                ),
            ));
        }
        if self.errors > cap {
            self.diags.push(Diagnostic::error(
                file.to_string(),
                format!(
                    "… en nog {} fouten in dit bestand (alleen de eerste {cap} worden getoond)",
                    self.errors - cap
                ),
            ));
        }
        self.diags
    }
}
