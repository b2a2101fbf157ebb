//! The layout's promise, checked on the source: the top-level modules of `src/` use each other
//! only along the allowed edges (the stages one way, `cmd` and its helpers on top, the leaves
//! below), and inside every folder (`src/load/*.rs`, `src/render/*.rs`, ...) no module uses
//! one that uses it back, directly or through others.
//!
//! Edges are read from the paths in the code (tests and comments left out): `crate::x::…`,
//! `super::…`, `self::…`, also inside `use` groups. A folder's `mod.rs` is its hub (it declares
//! the modules and holds what they share): edges to and from it are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Modules every module may use; they use no stage (only each other, one way).
const LEAVES: &[&str] = &[
    "contract",      // the sources and their columns
    "delivery_cell", // a cell of the delivery register (supplier × year × prison) in words
    "model",         // the YAML plans and indicators
    "observation",   // a figure as the engine computes it
    "cohort",        // Kaplan–Meier, Mantel–Haenszel
    "yaml",
    "diagnostic",
    "error",
    "limits",
    "years",
    "number",
    "cache",    // a store by key; each stage derives its keys
    "output",   // atomic writes
    "progress", // progress bars
    "query",    // the guarded SQL runner (read-only, memory and time limits)
];

/// The stages and the modules on top, each with the modules besides the leaves it may use.
/// The flow: load → register → engine → assess → protect/disclosure → report → render;
/// `checks` and `accepted` beside `engine`, `answer` and `approval` beside `report`; `cli`,
/// `session`, `request` and `cmd` on top.
const ALLOWED: &[(&str, &[&str])] = &[
    ("load", &[]),
    ("register", &["load"]),
    ("engine", &["load", "register"]),
    ("checks", &["load", "register", "engine"]),
    ("accepted", &["load", "checks"]),
    ("assess", &[]),
    ("protect", &["engine"]),
    ("disclosure", &["engine", "protect"]),
    (
        "report",
        &[
            "load",
            "engine",
            "checks",
            "accepted",
            "assess",
            "protect",
            "disclosure",
        ],
    ),
    (
        "answer",
        &[
            "load",
            "register",
            "engine",
            "protect",
            "disclosure",
            "report",
        ],
    ),
    ("approval", &["load", "register", "report"]),
    ("render", &["report", "answer"]),
    ("generate", &["load"]),
    // On top: the arguments, the run, the request of a command, the commands.
    ("cli", &["answer", "generate"]),
    ("session", &["load", "register", "engine", "checks"]),
    (
        "request",
        &["cli", "session", "load", "report", "approval", "render"],
    ),
    (
        "cmd",
        &[
            "cli",
            "request",
            "session",
            "load",
            "register",
            "engine",
            "checks",
            "accepted",
            "assess",
            "protect",
            "disclosure",
            "report",
            "answer",
            "approval",
            "render",
            "generate",
        ],
    ),
];

/// Edges against the direction that the code still has, each with why (none left).
const KNOWN_EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// The module path of a source file: `load/table.rs` → `load::table`, `load/mod.rs` → `load`,
/// `lib.rs` → the crate root.
fn module_of(rel: &Path) -> Vec<String> {
    let mut m: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if m.last().is_some_and(|l| l == "mod") {
        m.pop();
    }
    if m == ["lib"] || m == ["main"] {
        m.clear();
    }
    m
}

/// For every folder (`src`, `src/load`, ...) the graph of its modules: each module and the
/// modules of the same folder its code names.
fn folder_graphs() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let files: Vec<(Vec<String>, String)> = crate::common::tree(Path::new("src"))
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "rs"))
        .map(|(p, bytes)| (module_of(&p), code_of(&String::from_utf8_lossy(&bytes))))
        .collect();
    let modules: BTreeSet<&[String]> = files.iter().map(|(m, _)| m.as_slice()).collect();
    let mut graphs: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (module, code) in &files {
        if let Some((folder, name)) = module.split_last().map(|(n, f)| (f, n)) {
            graphs
                .entry(folder_name(folder))
                .or_default()
                .entry(name.clone())
                .or_default();
        }
        for path in paths_in(code) {
            let mut target = resolve(module, &path);
            while !target.is_empty() && !modules.contains(target.as_slice()) {
                target.pop();
            }
            let k = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            // Itself, its folder's hub or its own submodules: no edge between siblings.
            if k == module.len() || k == target.len() {
                continue;
            }
            graphs
                .entry(folder_name(&module[..k]))
                .or_default()
                .entry(module[k].clone())
                .or_default()
                .insert(target[k].clone());
        }
    }
    graphs
}

fn folder_name(folder: &[String]) -> String {
    std::iter::once("src")
        .chain(folder.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("/")
}

/// The code of a file without its unit tests (they may reach anywhere) and comment lines. The
/// tests are the `#[cfg(test)]` module at the top level; a test-only item inside the code
/// (`#[cfg(test)] fn …`) does not end the code.
fn code_of(text: &str) -> String {
    let code = text.split("\n#[cfg(test)]\nmod ").next().unwrap();
    code.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every path in `code` that starts with `crate::`, `super::` or `self::`, as its segments;
/// a `use` group gives one path per item (`crate::load::{table, profile::Profile}` →
/// `crate load table`, `crate load profile Profile`).
fn paths_in(code: &str) -> Vec<Vec<String>> {
    let s = code.as_bytes();
    let mut out = Vec::new();
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(start) {
            // Not the tail of a longer path (`super::super::`) or name, nor `$crate`.
            let before = i.checked_sub(1).map(|j| s[j]);
            if before.is_some_and(|c| is_ident(c) || c == b':' || c == b'$') {
                continue;
            }
            out.extend(use_tree(s, &mut { i }));
        }
    }
    out
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The paths of the use tree (or path expression) at `s[*i..]`; leaves `*i` after it.
fn use_tree(s: &[u8], i: &mut usize) -> Vec<Vec<String>> {
    let mut prefix: Vec<String> = Vec::new();
    loop {
        while s.get(*i).is_some_and(u8::is_ascii_whitespace) {
            *i += 1;
        }
        if s.get(*i) == Some(&b'{') {
            *i += 1;
            let mut out = Vec::new();
            loop {
                while s
                    .get(*i)
                    .is_some_and(|c| c.is_ascii_whitespace() || *c == b',')
                {
                    *i += 1;
                }
                match s.get(*i) {
                    None => break,
                    Some(b'}') => {
                        *i += 1;
                        break;
                    }
                    _ => {}
                }
                let at = *i;
                for p in use_tree(s, i) {
                    out.push(prefix.iter().cloned().chain(p).collect());
                }
                // The rest of the item (`as name`, `*`) up to its `,` or the group's `}`.
                let mut depth = 0;
                while let Some(&c) = s.get(*i) {
                    match c {
                        b'{' => depth += 1,
                        b'}' if depth == 0 => break,
                        b'}' => depth -= 1,
                        b',' if depth == 0 => break,
                        _ => {}
                    }
                    *i += 1;
                }
                if *i == at {
                    *i += 1;
                }
            }
            return if out.is_empty() { vec![prefix] } else { out };
        }
        let start = *i;
        while s.get(*i).copied().is_some_and(is_ident) {
            *i += 1;
        }
        if start == *i {
            return vec![prefix];
        }
        prefix.push(String::from_utf8_lossy(&s[start..*i]).into_owned());
        if s[*i..].starts_with(b"::") {
            *i += 2;
        } else {
            return vec![prefix];
        }
    }
}

/// The absolute module path a path in `module` names (`super::table::X` in `load::csv` →
/// `load table X`).
fn resolve(module: &[String], path: &[String]) -> Vec<String> {
    let (mut base, mut rest) = match path.split_first() {
        Some((first, rest)) if first == "crate" => (Vec::new(), rest),
        _ => (module.to_vec(), path),
    };
    while let Some((first, tail)) = rest.split_first() {
        match first.as_str() {
            "super" => {
                base.pop();
            }
            "self" => {}
            _ => break,
        }
        rest = tail;
    }
    base.extend(rest.iter().cloned());
    base
}

/// A path `from` → … → `to` in `graph`, if any.
fn path(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![vec![from.to_string()]];
    while let Some(p) = stack.pop() {
        let last = p.last().unwrap();
        if last == to && p.len() > 1 {
            return Some(p);
        }
        if !seen.insert(last.clone()) {
            continue;
        }
        for next in graph.get(last).into_iter().flatten() {
            let mut q = p.clone();
            q.push(next.clone());
            stack.push(q);
        }
    }
    None
}

fn known_exception(folder: &str, from: &str, to: &str) -> bool {
    KNOWN_EXCEPTIONS.contains(&(folder, from, to))
}

#[test]
fn the_path_reader_sees_groups_and_relative_paths() {
    let code = "use crate::{load::{table, profile::Profile as P}, engine};\n\
                fn f() { super::super::cell::parse(x); self::inner::g(); crate::years::Y }";
    let paths: BTreeSet<String> = paths_in(code).iter().map(|p| p.join(" ")).collect();
    let expected = [
        "crate load table",
        "crate load profile Profile",
        "crate engine",
        "super super cell parse",
        "self inner g",
        "crate years Y",
    ];
    assert_eq!(paths, expected.iter().map(|s| s.to_string()).collect());
    let m = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
    assert_eq!(
        resolve(&m("load linked graph"), &m("super super table Findings")),
        m("load table Findings")
    );
    assert_eq!(
        resolve(&m("render xlsx"), &m("super words Marks")),
        m("render words Marks")
    );
    // A test-only item keeps the code after it; the tests module is left out.
    let text = "use crate::a;\n#[cfg(test)]\nfn t() {}\nuse crate::b;\n\
                #[cfg(test)]\nmod tests {\n    use crate::c;\n}\n";
    let seen: Vec<String> = paths_in(&code_of(text))
        .iter()
        .map(|p| p.join(" "))
        .collect();
    assert_eq!(seen, ["crate a", "crate b"]);
}

#[test]
fn the_modules_use_only_the_allowed_edges() {
    let graphs = folder_graphs();
    let top = &graphs["src"];
    // The reader sees the stages: the graph is not trivially empty.
    assert!(top["engine"].contains("load"), "{top:?}");
    assert!(top["session"].contains("engine"), "{top:?}");
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut wrong = Vec::new();
    for (m, uses) in top {
        let may: BTreeSet<&str> = match allowed.get(m.as_str()) {
            Some(stages) => stages.iter().chain(LEAVES).copied().collect(),
            None if LEAVES.contains(&m.as_str()) => LEAVES.iter().copied().collect(),
            None => {
                wrong.push(format!(
                    "`{m}` is neither a leaf nor a listed stage: add it to LEAVES or ALLOWED"
                ));
                continue;
            }
        };
        for u in uses {
            if !may.contains(u.as_str()) && !known_exception("src", m, u) {
                wrong.push(format!("`{m}` → `{u}` is not an allowed edge"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_known_exception_is_still_in_the_code() {
    let graphs = folder_graphs();
    for (folder, from, to) in KNOWN_EXCEPTIONS {
        assert!(
            graphs
                .get(*folder)
                .and_then(|g| g.get(*from))
                .is_some_and(|u| u.contains(*to)),
            "{folder}: `{from}` → `{to}` is gone: remove it from KNOWN_EXCEPTIONS"
        );
    }
}

#[test]
fn no_module_uses_one_that_uses_it_back() {
    let graphs = folder_graphs();
    // Inside folders too: the reader sees the modules of `src/render`.
    assert!(
        graphs["src/render"]["yearly"].contains("xlsx"),
        "{graphs:?}"
    );
    let mut cycles = Vec::new();
    for (folder, graph) in &graphs {
        let mut graph = graph.clone();
        for (m, uses) in graph.iter_mut() {
            uses.retain(|u| !known_exception(folder, m, u));
        }
        for (m, uses) in &graph {
            for u in uses {
                if let Some(back) = path(&graph, u, m) {
                    cycles.push(format!("{folder}: {m} → {}", back.join(" → ")));
                }
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that use each other back:\n{}",
        cycles.join("\n")
    );
}

/// Every function in `text` (rustfmt's layout) with its first line (1-based) and its length
/// in lines, from `fn` to its closing brace. A function ends at the first line at its own
/// indentation that starts with `}`; a multi-line signature (`)`, `where`, `{` at that
/// indentation) does not end it, a declaration without a body (`;`) is skipped.
fn function_lengths(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let mut rest = t;
        for prefix in [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ] {
            rest = rest.strip_prefix(prefix).unwrap_or(rest);
        }
        let Some(after) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() || (t.contains('{') && t.ends_with('}')) {
            continue;
        }
        let own = indent(line);
        let end = lines[i + 1..]
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .find(|(_, l)| {
                let s = l.trim_start();
                indent(l) < own
                    || (indent(l) == own
                        && !s.starts_with(')')
                        && !s.starts_with("where")
                        && !s.starts_with('{'))
            })
            .filter(|(_, l)| indent(l) == own && l.trim_start().starts_with('}'))
            .map(|(j, _)| i + 1 + j);
        if let Some(end) = end {
            out.push((name, i + 1, end - i + 1));
        }
    }
    out
}

#[test]
fn function_lengths_are_measured_from_fn_to_its_brace() {
    let text = "\
impl X {
    /// Doc.
    pub(crate) fn long(
        a: u8,
    ) -> u8
    where
        u8: Copy,
    {
        if a > 1 {
            a
        } else {
            0
        }
    }

    fn one_line(&self) -> u8 { 1 }
    fn declared(&self);
}
fn free() {
    let s = \"}\";
}
";
    assert_eq!(
        function_lengths(text),
        vec![("long".to_string(), 3, 12), ("free".to_string(), 19, 3)]
    );
}

/// The longest a function in `src/` may be, in lines (issue 27: short functions).
const MAX_FUNCTION_LINES: usize = 120;

#[test]
fn no_function_in_src_is_over_120_lines() {
    let files = crate::common::tree(Path::new("src"));
    let mut measured = 0;
    let mut long = Vec::new();
    for (rel, bytes) in files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "rs"))
    {
        let file = rel.to_string_lossy().replace('\\', "/");
        for (name, line, len) in function_lengths(&String::from_utf8_lossy(bytes)) {
            measured += 1;
            if len <= MAX_FUNCTION_LINES {
                continue;
            }
            long.push(format!("src/{file}:{line} {name}: {len} lines"));
        }
    }
    // The scan sees the code: hundreds of functions.
    assert!(measured > 500, "only {measured} functions found in src/");
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them into named steps):\n{}",
        long.join("\n")
    );
}
