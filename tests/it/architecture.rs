//! The layout's promise, checked on the source: the top-level modules of `src/` form a
//! one-way graph (no module uses one that uses it back, directly or through others).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every top-level module of `src/` and the top-level modules its code (tests and comments
/// left out) names with `crate::`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let files = crate::common::tree(Path::new("src"));
    for (rel, bytes) in files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "rs"))
    {
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        // Unit tests may reach anywhere; they are not part of the flow.
        let code = text.split("#[cfg(test)]").next().unwrap();
        let code: String = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let uses = graph.entry(module.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            for n in first_segments(&code[i + "crate::".len()..]) {
                if n != module {
                    uses.insert(n);
                }
            }
        }
    }
    let modules: BTreeSet<String> = graph.keys().cloned().collect();
    for uses in graph.values_mut() {
        uses.retain(|m| modules.contains(m));
    }
    graph
}

/// The first path segment after `crate::`: one name, or each item's first name of a
/// `{…}` group (over several lines too).
fn first_segments(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    // The group up to its closing brace; items split at top-level commas.
    let mut depth = 0;
    let mut items = vec![String::new()];
    for c in group.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(String::new());
                continue;
            }
            _ => {}
        }
        if depth == 0 {
            items.last_mut().unwrap().push(c);
        }
    }
    items
        .iter()
        .map(|i| ident(i))
        .filter(|n| !n.is_empty())
        .collect()
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
        for next in &graph[last] {
            let mut q = p.clone();
            q.push(next.clone());
            stack.push(q);
        }
    }
    None
}

#[test]
fn the_modules_form_a_one_way_graph() {
    let graph = module_graph();
    // The reader sees the stages: the graph is not trivially empty.
    assert!(graph["engine"].contains("load"), "{graph:?}");
    assert!(graph["session"].contains("engine"), "{graph:?}");
    let mut cycles = Vec::new();
    for (m, uses) in &graph {
        for u in uses {
            if let Some(back) = path(&graph, u, m) {
                cycles.push(format!("{m} → {}", back.join(" → ")));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "modules that use each other back:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_leaves_use_no_stage() {
    let graph = module_graph();
    for leaf in [
        "cache",
        "contract",
        "diagnostic",
        "limits",
        "progress",
        "years",
        "error",
    ] {
        for stage in [
            "load", "register", "engine", "assess", "report", "render", "cmd", "session",
        ] {
            assert!(
                !graph[leaf].contains(stage),
                "`{leaf}` uses `{stage}`: {:?}",
                graph[leaf]
            );
        }
    }
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

/// Functions still longer than [`MAX_FUNCTION_LINES`], as `file::function`: each in a file
/// another change is reworking (the yearly report and the final evaluation, their decisions
/// in `report/` and their pages and workbooks in `render/`). Shrink this list as they are
/// split; a function may not be added to it.
const LONG_FUNCTIONS_ALLOWED: &[&str] = &[
    "render/yearly.rs::workbook",
    "render/yearly.rs::page",
    "render/evaluation.rs::workbook",
    "render/evaluation.rs::page",
    "report/yearly.rs::build",
    "report/yearly.rs::equal_access",
    "report/evaluation.rs::build",
];

#[test]
fn no_function_in_src_is_over_120_lines() {
    let files = crate::common::tree(Path::new("src"));
    let mut measured = 0;
    let mut long = Vec::new();
    let mut allowed_seen = BTreeSet::new();
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
            let key = format!("{file}::{name}");
            if LONG_FUNCTIONS_ALLOWED.contains(&key.as_str()) {
                allowed_seen.insert(key);
            } else {
                long.push(format!("src/{file}:{line} {name}: {len} lines"));
            }
        }
    }
    // The scan sees the code: hundreds of functions.
    assert!(measured > 500, "only {measured} functions found in src/");
    assert!(
        long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them into named steps):\n{}",
        long.join("\n")
    );
    let stale: Vec<&&str> = LONG_FUNCTIONS_ALLOWED
        .iter()
        .filter(|k| !allowed_seen.contains(**k))
        .collect();
    assert!(
        stale.is_empty(),
        "no longer over {MAX_FUNCTION_LINES} lines: remove from LONG_FUNCTIONS_ALLOWED: {stale:?}"
    );
}
