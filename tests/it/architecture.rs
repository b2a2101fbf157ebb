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
