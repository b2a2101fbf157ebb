//! The typed error at the edges of each stage. Messages are Dutch: they reach the user.

use crate::diagnostic::Diagnostics;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has findings of severity error; all of them are listed.
    #[error("de invoer bevat {count} fout(en):\n{list}", count = .0.error_count(), list = .0.terminal())]
    Invalid(Diagnostics),

    #[error("{}: {}", path.display(), io_message(source))]
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
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
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

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// An OS error in Dutch (`geen toegang (os-fout 13)`), never the system's English text.
pub(crate) fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let what = match e.kind() {
        K::NotFound => "bestand of map niet gevonden",
        K::PermissionDenied => "geen toegang (onvoldoende rechten)",
        K::AlreadyExists => "bestaat al",
        K::IsADirectory => "is een map, geen bestand",
        K::NotADirectory => "een deel van het pad is geen map",
        K::DirectoryNotEmpty => "de map is niet leeg",
        K::StorageFull => "de schijf is vol",
        K::FileTooLarge => "het bestand is te groot",
        K::ReadOnlyFilesystem => "het bestandssysteem is alleen-lezen",
        K::CrossesDevices => "kan niet over bestandssystemen heen verplaatst worden",
        K::InvalidFilename => "ongeldige bestandsnaam",
        K::InvalidData => "ongeldige inhoud (bv. geen geldige UTF-8-tekst)",
        K::InvalidInput => "ongeldige invoer",
        K::UnexpectedEof => "onverwacht einde van het bestand",
        K::Interrupted => "onderbroken",
        K::TimedOut => "de bewerking duurde te lang",
        K::BrokenPipe => "de uitvoer werd gesloten",
        K::OutOfMemory => "onvoldoende geheugen",
        K::ResourceBusy => "het bestand of apparaat is bezet",
        K::Unsupported => "niet ondersteund op dit systeem",
        K::WouldBlock => "de bewerking zou blokkeren",
        K::ExecutableFileBusy => "het bestand is in gebruik",
        K::Deadlock => "de bewerking zou vastlopen",
        K::TooManyLinks => "te veel koppelingen",
        K::ArgumentListTooLong => "te lange lijst van argumenten",
        K::NotSeekable => "het bestand laat geen willekeurige toegang toe (een pipe?)",
        K::StaleNetworkFileHandle => "het netwerkbestand is niet meer beschikbaar",
        K::HostUnreachable | K::NetworkUnreachable | K::NetworkDown => {
            "het netwerk is niet bereikbaar"
        }
        K::ConnectionRefused | K::ConnectionReset | K::ConnectionAborted | K::NotConnected => {
            "de verbinding is verbroken"
        }
        _ => "systeemfout",
    };
    match e.raw_os_error() {
        Some(code) => format!("{what} (os-fout {code})"),
        None => what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn os_errors_are_dutch() {
        let e = std::io::Error::from_raw_os_error(13);
        assert_eq!(
            super::io_message(&e),
            "geen toegang (onvoldoende rechten) (os-fout 13)"
        );
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "No such file");
        assert_eq!(super::io_message(&e), "bestand of map niet gevonden");
    }
}
