//! The typed error at the edges of each stage. Messages are Dutch: they reach the user.

use crate::diagnostic::Diagnostics;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has findings of severity error; all of them are listed.
    #[error("de invoer bevat {count} fout(en):\n{list}", count = .0.error_count(), list = .0)]
    Invalid(Diagnostics),

    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// An indicator's SQL failed to plan or run.
    #[error("indicator `{indicator}` ({file}): {message}")]
    Indicator {
        indicator: String,
        file: String,
        message: String,
    },

    /// A query from the user was refused or failed.
    #[error("{0}")]
    Query(String),

    #[error("{0}")]
    Render(String),

    /// Any other failure, already phrased in Dutch.
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Invalid(d)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
