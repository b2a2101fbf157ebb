//! Helpers shared by the integration tests: the one way to run the `hdv` binary ([`hdv`],
//! [`Hdv`] for the less common cases, both giving a [`Run`]), the one way to build a
//! temporary project ([`Project`]), and the browser and library helpers.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository: the model (`plans/`, `indicators/`, `templates/`), `samples/` and the
/// fixtures under `tests/`.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The hand-worked indicator fixture (small CSVs).
pub const FIXTURE: &str = "tests/fixtures/indicators/basis";

/// `SOURCE_DATE_EPOCH` for runs whose outputs carry a generation date: 1-1-2026.
const EPOCH: &str = "1767225600";

/// Runs `hdv args…` in the test's working directory (the repository) and waits for it.
pub fn hdv(args: &[&str]) -> Run {
    Hdv::new(args).run()
}

/// A run of `hdv` to set up before running it: more arguments (paths too), a working
/// directory, environment variables. [`Hdv::run`] waits for it; [`Hdv::command`] hands over
/// the [`Command`] for the tests that spawn, kill or measure the process themselves.
pub struct Hdv {
    cmd: Command,
    args: Vec<String>,
}

impl Hdv {
    pub fn new(args: &[&str]) -> Self {
        Hdv {
            cmd: Command::new(env!("CARGO_BIN_EXE_hdv")),
            args: Vec::new(),
        }
        .args(args)
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_string_lossy().into_owned());
        self.cmd.arg(arg);
        self
    }

    pub fn args<A: AsRef<OsStr>>(self, args: impl IntoIterator<Item = A>) -> Self {
        args.into_iter().fold(self, Hdv::arg)
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    /// A fixed generation date (`SOURCE_DATE_EPOCH`), for outputs that carry one.
    pub fn dated(self) -> Self {
        self.env("SOURCE_DATE_EPOCH", EPOCH)
    }

    /// Runs it to the end, capturing stdout and stderr.
    pub fn run(mut self) -> Run {
        let out = self.cmd.output().unwrap();
        Run {
            args: self.args,
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("hdv writes UTF-8 to stdout"),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The command, for a test that spawns and waits for the process itself.
    pub fn command(self) -> Command {
        self.cmd
    }
}

/// A finished run of `hdv`: its exit code (-1 when a signal ended it), stdout and stderr.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts exit code 0, showing the command and its stderr otherwise.
    #[track_caller]
    pub fn success(self) -> Self {
        self.exits(0)
    }

    /// Asserts the exit code, showing the command, its stdout and its stderr otherwise.
    #[track_caller]
    pub fn exits(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            code,
            "hdv {}: exit code {}\n{}{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Stdout, then stderr.
    pub fn text(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Asserts the run did not panic.
    #[track_caller]
    pub fn no_panic(self) -> Self {
        assert!(!self.stderr.contains("panicked"), "panic: {}", self.stderr);
        self
    }
}

/// A temporary project folder, built up from copies of the repository's model and fixtures
/// and files written by the test.
pub struct Project {
    dir: tempfile::TempDir,
    reverse: bool,
}

impl Project {
    pub fn new() -> Self {
        Project {
            dir: tempfile::tempdir().unwrap(),
            reverse: false,
        }
    }

    /// A project in a fresh folder under `parent` (e.g. on tmpfs).
    pub fn new_in(parent: &Path) -> Self {
        Project {
            dir: tempfile::tempdir_in(parent).unwrap(),
            reverse: false,
        }
    }

    /// Copies made from here on create their entries in reverse name order (see [`copy_tree`]).
    pub fn reversed(mut self, reverse: bool) -> Self {
        self.reverse = reverse;
        self
    }

    /// A copy of the repository's model: `plans/`, `indicators/` and `templates/`.
    pub fn with_model(self) -> Self {
        for sub in ["plans", "indicators", "templates"] {
            copy_tree(&Path::new(ROOT).join(sub), &self.join(sub), self.reverse);
        }
        self
    }

    /// A copy of the folder `from` (relative to the repository) as the data folder `data/`.
    pub fn with_data(self, from: &str) -> Self {
        copy_tree(&Path::new(ROOT).join(from), &self.data(), self.reverse);
        self
    }

    /// An empty folder `rel`.
    pub fn dir(self, rel: &str) -> Self {
        std::fs::create_dir_all(self.join(rel)).unwrap();
        self
    }

    /// The file `rel` with `contents`.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Self {
        self.write(rel, contents);
        self
    }

    /// Writes the file `rel` (creating its folder); its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// Replaces the first `from` in the file `rel` by `to`; the text before and after.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> (String, String) {
        let f = self.join(rel);
        let before = std::fs::read_to_string(&f).unwrap();
        let after = before.replacen(from, to, 1);
        assert_ne!(before, after, "{rel} holds no `{from}`");
        std::fs::write(&f, &after).unwrap();
        (before, after)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The data folder, `data/`.
    pub fn data(&self) -> PathBuf {
        self.join("data")
    }

    /// `hdv args… --no-cache --project <this> --data <this>/data`.
    pub fn hdv(&self, args: &[&str]) -> Hdv {
        Hdv::new(args)
            .args(["--no-cache", "--project"])
            .arg(self.path())
            .arg("--data")
            .arg(self.data())
    }

    /// The Markdown of the yearly report of 2024, written (dated) into `uit/`.
    pub fn report_md_2024(&self) -> String {
        let out = self.join("uit");
        self.hdv(&[
            "report",
            "--year",
            "2024",
            "--format",
            "md",
            "--out",
            out.to_str().unwrap(),
        ])
        .dated()
        .run()
        .success();
        std::fs::read_to_string(out.join("2024/jaarrapport.md")).unwrap()
    }
}

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

/// Prints `page` to `pdf` as a reader does with the browser's defaults (its own header and
/// footer allowed: the page's margin boxes must replace them).
pub fn print_pdf_as_reader(browser: &str, page: &Path, pdf: &Path) {
    headless(
        browser,
        page,
        &[format!("--print-to-pdf={}", pdf.display())],
    );
    assert!(pdf.is_file(), "no PDF written");
}

/// The sources in `data` read as `hdv` reads them: deliveries in partner layouts through the
/// project's profiles in `plans/leveringen/` (which match no contract-layout fixture file).
pub fn load(model: &hdv::model::Model, data: &str) -> hdv::load::Sources {
    session(data).sources(model).unwrap()
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

/// What a workbook's sheet looks like beyond its values: the number format of every cell
/// (by reference, `B2`), which cells are bold, and the autofilter's range (`A1:C9`).
pub struct SheetLook {
    pub formats: std::collections::BTreeMap<String, String>,
    pub bold: std::collections::BTreeSet<String>,
    pub filter: Option<String>,
}

/// Reads the look of the sheet named `sheet` of the workbook at `path` from its XML.
pub fn sheet_look(path: &Path, sheet: &str) -> SheetLook {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let tag = format!(" {tag}");
        let i = tag.find(&key)? + key.len();
        Some(
            tag[i..i + tag[i..].find('"')?]
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        )
    };
    // Which sheet file: rust_xlsxwriter numbers them in order.
    let workbook = part("xl/workbook.xml");
    let index = workbook
        .split("<sheet ")
        .skip(1)
        .position(|t| attr(t, "name").as_deref() == Some(sheet))
        .unwrap_or_else(|| panic!("no sheet {sheet}"));
    let xml = part(&format!("xl/worksheets/sheet{}.xml", index + 1));
    let styles = part("xl/styles.xml");
    let mut codes: std::collections::BTreeMap<u32, String> =
        [(0, "General"), (1, "0"), (3, "#,##0"), (14, "m/d/yyyy")]
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect();
    for t in styles.split("<numFmt ").skip(1) {
        codes.insert(
            attr(t, "numFmtId").unwrap().parse().unwrap(),
            attr(t, "formatCode").unwrap(),
        );
    }
    let fonts: Vec<bool> = styles
        .split("<fonts")
        .nth(1)
        .unwrap()
        .split("</fonts>")
        .next()
        .unwrap()
        .split("<font>")
        .skip(1)
        .map(|f| f.contains("<b/>"))
        .collect();
    let xfs: Vec<(u32, bool)> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap()
        .split("<xf ")
        .skip(1)
        .map(|t| {
            let font: usize = attr(t, "fontId").unwrap().parse().unwrap();
            (
                attr(t, "numFmtId").unwrap().parse().unwrap(),
                fonts.get(font).copied().unwrap_or(false),
            )
        })
        .collect();
    let mut look = SheetLook {
        formats: Default::default(),
        bold: Default::default(),
        filter: xml
            .split("<autoFilter ")
            .nth(1)
            .and_then(|t| attr(t, "ref")),
    };
    for c in xml.split("<c ").skip(1) {
        let head = &c[..c.find('>').unwrap()];
        let cell = attr(head, "r").unwrap();
        let (fmt, bold) = attr(head, "s").map_or((0, false), |s| xfs[s.parse::<usize>().unwrap()]);
        look.formats
            .insert(cell.clone(), codes.get(&fmt).cloned().unwrap_or_default());
        if bold {
            look.bold.insert(cell);
        }
    }
    look
}
