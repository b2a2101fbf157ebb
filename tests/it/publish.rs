//! Publication quality as a reader meets it: the yearly report printed to A4 PDF in headless
//! Chromium (page count, page numbers, no near-empty page), and the yearly, local and
//! overview pages audited with axe-core (WCAG 2.1 A and AA) in the same browser.
//!
//! The browser, `pdftotext` (poppler-utils) and axe-core (npm) are installed by `.ci/run`;
//! where one is missing the check says so and is skipped.

use crate::common::Hdv;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The yearly report, one local report and the overview for 2024 on the samples.
fn pages(out: &Path) -> Vec<PathBuf> {
    let o = out.to_str().unwrap();
    Hdv::new(&["report", "--year", "2024", "--no-cache", "--out", o])
        .dated()
        .run()
        .success();
    Hdv::new(&[
        "local",
        "report",
        "--prison",
        "brugge",
        "--year",
        "2024",
        "--no-cache",
        "--out",
        o,
    ])
    .dated()
    .run()
    .success();
    Hdv::new(&["local", "overview", "--year", "2024", "--out", o])
        .dated()
        .run()
        .success();
    vec![
        out.join("2024/jaarrapport.html"),
        out.join("2024/lokaal/brugge.html"),
        out.join("2024/lokaal/overzicht.html"),
    ]
}

fn has(tool: &str) -> bool {
    Command::new(tool)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// One printed page: its size and the text lines in its content area (without the margin
/// boxes), top to bottom, with where the lowest line ends as a share of the content area.
struct Page {
    fill: f64,
    first_line: String,
    text: String,
    /// Words of the content area that cross the left or right margin (15 mm, 42.5 pt).
    outside: Vec<String>,
}

/// Reads the pages of a PDF through `pdftotext -bbox` (word boxes in points).
fn read_pages(pdf: &Path) -> (Vec<Page>, (f64, f64)) {
    let o = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success());
    let xml = String::from_utf8_lossy(&o.stdout).into_owned();
    let attr = |s: &str, name: &str| -> f64 {
        let k = format!("{name}=\"");
        let i = s.find(&k).unwrap() + k.len();
        s[i..i + s[i..].find('"').unwrap()].parse().unwrap()
    };
    let mut size = (0.0, 0.0);
    let mut out = Vec::new();
    for chunk in xml.split("<page ").skip(1) {
        let (w, h) = (attr(chunk, "width"), attr(chunk, "height"));
        size = (w, h);
        // The margins are 18 mm (51 pt) at the top and bottom; the running title and the
        // page number sit in them.
        let (top, bottom) = (51.0, h - 51.0);
        let mut words: Vec<(f64, f64, String)> = Vec::new();
        let mut outside = Vec::new();
        for wchunk in chunk.split("<word ").skip(1) {
            let (y0, y1) = (attr(wchunk, "yMin"), attr(wchunk, "yMax"));
            let text =
                wchunk[wchunk.find('>').unwrap() + 1..wchunk.find("</word>").unwrap()].to_string();
            if y0 >= top - 2.0 && y1 <= bottom + 2.0 {
                let (x0, x1) = (attr(wchunk, "xMin"), attr(wchunk, "xMax"));
                if x0 < 42.5 - 1.0 || x1 > w - 42.5 + 1.0 {
                    outside.push(format!("{text} ({x0:.0}-{x1:.0} pt)"));
                }
                words.push((y0, y1, text));
            }
        }
        let lowest = words.iter().map(|w| w.1).fold(top, f64::max);
        let first_y = words.iter().map(|w| w.0).fold(f64::MAX, f64::min);
        out.push(Page {
            fill: (lowest - top) / (bottom - top),
            first_line: words
                .iter()
                .filter(|w| (w.0 - first_y).abs() < 3.0)
                .map(|w| w.2.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            text: chunk.to_string(),
            outside,
        });
    }
    (out, size)
}

/// Does a line start a chapter (`5. Na de vrijlating`, `2.3 SD3: ...`)? Its first word is a
/// section number with a dot; a year or a figure is not.
fn starts_chapter(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first.contains('.')
        && first
            .trim_end_matches('.')
            .split('.')
            .all(|p| p.parse::<u32>().is_ok_and(|n| n < 100))
        && line.split_whitespace().count() > 1
}

#[test]
fn chapter_detection_reads_numbered_headings_only() {
    assert!(starts_chapter("5. Na de vrijlating: werk"));
    assert!(starts_chapter("2.3 SD3: We zetten in"));
    assert!(!starts_chapter("2024 51,6 % 57,0 %"));
    assert!(!starts_chapter("2.500 personen"));
    assert!(!starts_chapter("Gevangenis Noemer Percentage"));
    assert!(!starts_chapter(""));
}

/// Checks a printed document: A4, page `i van n` and the running title on every page, no
/// text beyond the left or right margin, no page less than a quarter full except at the end of
/// a chapter; `pages` bounds its length. Printed as a reader prints it: with the browser's own
/// header and footer allowed (the page's margin boxes must replace them).
fn assert_prints_well(
    browser: &str,
    html: &Path,
    title: &str,
    pages_range: std::ops::RangeInclusive<usize>,
) {
    let pdf = html.with_extension("pdf");
    crate::common::print_pdf_as_reader(browser, html, &pdf);
    let (pages, (w, h)) = read_pages(&pdf);
    let name = html.display();
    // A4 is 595 × 842 points.
    assert!(
        (w - 595.0).abs() < 2.0 && (h - 842.0).abs() < 2.0,
        "{name}: not A4: {w} × {h}"
    );
    let n = pages.len();
    assert!(pages_range.contains(&n), "{name}: {n} pages");
    for (i, p) in pages.iter().enumerate() {
        let number = format!("pagina {} van {n}", i + 1);
        assert!(
            p.text.contains(&format!(">{}</word>", i + 1))
                && p.text.contains(">pagina</word>")
                && p.text.contains(">van</word>"),
            "{name}: {number} missing"
        );
        assert!(
            p.text.contains(&format!(">{title}</word>")),
            "{name}: running title missing on page {}",
            i + 1
        );
        // Chromium's own header (date and time, "PM") never shows.
        assert!(
            !p.text.contains(">PM</word>") && !p.text.contains(">AM</word>"),
            "{name}: the browser's header on page {}",
            i + 1
        );
        assert!(
            p.outside.is_empty(),
            "{name}: page {}: text beyond the margin: {:?}",
            i + 1,
            p.outside
        );
        // No page less than a quarter full, except the last and the end of a chapter (the
        // next page then starts with a numbered heading).
        let ends_chapter = pages
            .get(i + 1)
            .is_none_or(|next| starts_chapter(&next.first_line));
        assert!(
            p.fill >= 0.25 || ends_chapter,
            "{name}: page {} is {:.0} % full and does not end a chapter (next page starts with {:?})",
            i + 1,
            p.fill * 100.0,
            pages.get(i + 1).map(|x| x.first_line.as_str())
        );
    }
}

/// The yearly report, the final evaluation and a local report on the samples, with a fixed
/// generation date, in `dir`: their HTML files.
fn printed_documents(dir: &Path) -> [PathBuf; 3] {
    let out = dir.to_str().unwrap();
    Hdv::new(&["report", "--year", "2024", "--no-cache", "--out", out])
        .dated()
        .run()
        .success();
    Hdv::new(&[
        "report",
        "--period",
        "2020..2025",
        "--no-cache",
        "--out",
        out,
    ])
    .dated()
    .run()
    .success();
    Hdv::new(&[
        "local",
        "report",
        "--prison",
        "brugge",
        "--year",
        "2024",
        "--no-cache",
        "--out",
        out,
    ])
    .dated()
    .run()
    .success();
    [
        dir.join("2024/jaarrapport.html"),
        dir.join("eindevaluatie-2020-2025/eindevaluatie.html"),
        dir.join("2024/lokaal/brugge.html"),
    ]
}

#[test]
fn reports_print_on_a4_within_the_margins_with_running_title_and_page_numbers() {
    let Some(browser) = crate::common::browser() else {
        eprintln!("OVERGESLAGEN: geen chromium op deze machine; .ci/run installeert het");
        return;
    };
    if !has("pdftotext") {
        eprintln!("OVERGESLAGEN: geen pdftotext (poppler-utils); .ci/run installeert het");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let [yearly, eval, local] = printed_documents(dir.path());
    // The samples' yearly report holds 5 objectives, 31 indicators with charts (6 over the
    // linked-data deliveries), 3 funnel plots and 3 cohorts: 31 pages with 25 indicators.
    // The bound leaves room for growth but catches a layout that spreads the report thin
    // (it was 34 Letter pages with 25 indicators).
    assert_prints_well(browser, &yearly, "Jaarrapport", 8..=42);
    assert_prints_well(browser, &eval, "Eindevaluatie", 8..=36);
    assert_prints_well(browser, &local, "lokaal", 2..=12);
}

/// A text of an SVG chart and the box it takes (x0, y0, x1, y1), from its position, anchor,
/// size and length (0.55 em a character).
fn text_boxes(svg: &str) -> Vec<((f64, f64, f64, f64), String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        Some(tag[i..i + tag[i..].find('"')?].to_string())
    };
    let mut out = Vec::new();
    for chunk in svg.split("<text").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        let text = chunk[chunk.find('>').unwrap() + 1..chunk.find("</text>").unwrap()]
            .trim()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        if text.is_empty() {
            continue;
        }
        let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok());
        let (x, y, fs) = (
            num("x").unwrap(),
            num("y").unwrap(),
            num("font-size").unwrap_or(12.0),
        );
        let w = text.chars().count() as f64 * 0.55 * fs;
        let shift = match attr(tag, "dy") {
            Some(d) if d.ends_with("em") => d[..d.len() - 2].parse::<f64>().unwrap() * fs,
            Some(d) if d.ends_with("ex") => d[..d.len() - 2].parse::<f64>().unwrap() * 0.5 * fs,
            _ => 0.0,
        };
        // The box from the top of the capitals to the baseline and a little under it.
        let top = y + shift - 0.76 * fs;
        let x0 = match attr(tag, "text-anchor").as_deref() {
            Some("middle") => x - w / 2.0,
            Some("end") => x - w,
            _ => x,
        };
        let b = if attr(tag, "transform").is_some_and(|t| t.starts_with("rotate")) {
            // Turned a quarter to the left around (x, y).
            (
                x + (top - y),
                y - (x0 + w - x),
                x + (top - y) + fs,
                y - (x0 - x),
            )
        } else {
            (x0, top, x0 + w, top + fs)
        };
        out.push((b, text));
    }
    out
}

/// The points of the data (circles, and the vertices of the blue values and the vermillion
/// target path) in an SVG chart.
fn data_points(svg: &str) -> Vec<(f64, f64)> {
    let mut pts = Vec::new();
    for chunk in svg.split("<circle ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        let get = |n: &str| {
            let k = format!("{n}=\"");
            let i = tag.find(&k).unwrap() + k.len();
            tag[i..i + tag[i..].find('"').unwrap()]
                .parse::<f64>()
                .unwrap()
        };
        pts.push((get("cx"), get("cy")));
    }
    for chunk in svg.split("<polyline ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        if !(tag.contains("#0072B2") || tag.contains("#D55E00")) {
            continue;
        }
        let k = "points=\"";
        let i = tag.find(k).unwrap() + k.len();
        for p in tag[i..i + tag[i..].find('"').unwrap()].split_whitespace() {
            let (x, y) = p.split_once(',').unwrap();
            pts.push((x.parse().unwrap(), y.parse().unwrap()));
        }
    }
    pts
}

/// Every chart's texts (title, axis labels, legend, names) overlap neither each other nor
/// the data, and stay inside the chart.
fn assert_charts_readable(html: &Path) {
    let page = std::fs::read_to_string(html).unwrap();
    let mut charts = 0;
    for svg in page.split("<svg").skip(1) {
        let svg = &svg[..svg.find("</svg>").unwrap()];
        let Some(vb) = svg.split("viewBox=\"").nth(1) else {
            continue;
        };
        let vb: Vec<f64> = vb[..vb.find('"').unwrap()]
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        let boxes = text_boxes(svg);
        let points = data_points(svg);
        let name = html.display();
        for (i, (a, ta)) in boxes.iter().enumerate() {
            assert!(
                a.0 >= vb[0] - 1.0
                    && a.2 <= vb[0] + vb[2] + 1.0
                    && a.1 >= vb[1] - 1.0
                    && a.3 <= vb[1] + vb[3] + 1.0,
                "{name}: chart {charts}: '{ta}' {a:?} leaves the chart {vb:?}"
            );
            for (b, tb) in &boxes[i + 1..] {
                let overlap =
                    a.0 < b.2 - 1.0 && b.0 < a.2 - 1.0 && a.1 < b.3 - 1.0 && b.1 < a.3 - 1.0;
                assert!(
                    !overlap,
                    "{name}: chart {charts}: '{ta}' {a:?} overlaps '{tb}' {b:?}"
                );
            }
            for p in &points {
                let inside =
                    p.0 > a.0 + 1.0 && p.0 < a.2 - 1.0 && p.1 > a.1 + 1.0 && p.1 < a.3 - 1.0;
                assert!(
                    !inside,
                    "{name}: chart {charts}: '{ta}' {a:?} covers a data point {p:?}"
                );
            }
        }
        charts += 1;
    }
    assert!(charts > 0, "{}: no chart", html.display());
}

#[test]
fn chart_titles_axis_labels_and_legends_overlap_nothing() {
    // The check finds an overlap: a legend on a data point.
    let bad = "<svg viewBox=\"0 0 100 100\"><circle cx=\"20\" cy=\"14\" r=\"3\"/><text x=\"10\" y=\"10\" dy=\"0.76em\" font-size=\"10\">waarde</text></svg>";
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("slecht.html"), bad).unwrap();
    let caught =
        std::panic::catch_unwind(|| assert_charts_readable(&dir.path().join("slecht.html")));
    assert!(caught.is_err(), "an overlap goes unnoticed");
    for html in printed_documents(dir.path()) {
        assert_charts_readable(&html);
    }
}

/// axe-core's browser build, from `HDV_AXE_CORE` or the npm cache `.ci/run` fills.
fn axe_core() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("HDV_AXE_CORE").map(PathBuf::from),
        std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".cache/hdv-npm/node_modules/axe-core/axe.min.js")),
        Some(PathBuf::from("node_modules/axe-core/axe.min.js")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// The WCAG 2.1 A and AA violations axe-core finds on `page`, as JSON (id, impact, help and
/// the first elements), read back from the DOM after the audit ran in the browser.
fn axe_violations(browser: &str, axe: &Path, page: &Path) -> Vec<serde_json::Value> {
    let html = std::fs::read_to_string(page).unwrap();
    let runner = format!(
        "<script>{}</script><script>\
         axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}}})\
         .then(r => {{ const p = document.createElement('pre'); p.id = 'axe-uitslag'; \
         p.textContent = JSON.stringify(r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help, \
         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}}))); document.body.appendChild(p); }})\
         .catch(e => {{ const p = document.createElement('pre'); p.id = 'axe-uitslag'; \
         p.textContent = 'FOUT ' + e; document.body.appendChild(p); }});</script>",
        std::fs::read_to_string(axe).unwrap()
    );
    let audited = page.with_extension("axe.html");
    std::fs::write(
        &audited,
        html.replace("</body>", &format!("{runner}</body>")),
    )
    .unwrap();
    let dom = crate::common::dump_dom_after(browser, &audited, 30_000);
    let open = "<pre id=\"axe-uitslag\">";
    let start = dom
        .find(open)
        .unwrap_or_else(|| panic!("axe-core did not finish on {}", page.display()))
        + open.len();
    let result = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let result = result
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    assert!(!result.starts_with("FOUT"), "{result}");
    serde_json::from_str::<serde_json::Value>(&result)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The browser and axe-core; without one of them the audit is skipped, saying why.
fn audit_tools() -> Option<(&'static str, PathBuf)> {
    let Some(browser) = crate::common::browser() else {
        eprintln!("OVERGESLAGEN: geen chromium op deze machine; .ci/run installeert het");
        return None;
    };
    let Some(axe) = axe_core() else {
        eprintln!("OVERGESLAGEN: axe-core niet gevonden (npm); .ci/run installeert het");
        return None;
    };
    Some((browser, axe))
}

/// Fails on any WCAG 2.1 A/AA violation axe-core finds on `page`.
fn assert_accessible(browser: &str, axe: &Path, page: &Path) {
    let violations = axe_violations(browser, axe, page);
    assert!(
        violations.is_empty(),
        "{}: {}",
        page.display(),
        serde_json::to_string_pretty(&violations).unwrap()
    );
}

#[test]
fn yearly_local_and_overview_pages_pass_axe_core_wcag_21_aa() {
    let Some((browser, axe)) = audit_tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // The audit itself works: a page without a language and an image without a text
    // alternative fails it.
    let control = dir.path().join("controle.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><head><title>x</title></head><body><img src=\"a.png\"></body></html>",
    )
    .unwrap();
    let ids: Vec<String> = axe_violations(browser, &axe, &control)
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert!(
        ids.contains(&"html-has-lang".to_string()) && ids.contains(&"image-alt".to_string()),
        "{ids:?}"
    );
    for page in pages(dir.path()) {
        assert_accessible(browser, &axe, &page);
    }
}

/// The funnel sheet of the yearly workbook on the samples: numbers stored as numbers, limits
/// nested around the pooled rate, and every judgement agreeing with the rate and limits.
#[test]
fn funnel_sheet_holds_consistent_numbers() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    Hdv::new(&["report", "--year", "2024", "--no-cache", "--out", out])
        .dated()
        .run()
        .success();
    let mut wb: Xlsx<_> = open_workbook(dir.path().join("2024/jaarrapport.xlsx")).unwrap();
    let r = wb.worksheet_range("Trechtergrafieken").unwrap();
    let num = |d: &Data| match d {
        Data::Float(f) => *f,
        other => panic!("not a number: {other:?}"),
    };
    let mut rows = 0;
    for row in r.rows().skip(1).take_while(|r| r[1] != Data::Empty) {
        let (k, n, rate, centre) = (num(&row[2]), num(&row[3]), num(&row[4]), num(&row[5]));
        let (l95, h95, l998, h998) = (num(&row[6]), num(&row[7]), num(&row[8]), num(&row[9]));
        assert!((rate - k / n).abs() < 0.0006, "{row:?}");
        assert!(
            l998 <= l95 && l95 <= centre && centre <= h95 && h95 <= h998,
            "{row:?}"
        );
        let verdict = row[10].to_string();
        if rate > h998 {
            assert!(verdict.starts_with("hoger"), "{row:?}");
        } else if rate < l998 {
            assert!(verdict.starts_with("lager"), "{row:?}");
        } else if rate > h95 || rate < l95 {
            assert!(verdict.starts_with("tussen"), "{row:?}");
        } else {
            assert_eq!(verdict, "binnen de grenzen", "{row:?}");
        }
        rows += 1;
    }
    // Three rates are compared (plans/rapport.yaml), over the 19 prisons open in 2024.
    assert!(rows >= 3 * 15, "{rows} rows");
}

/// The site's home page, one objective, one indicator and one prison page pass the same audit
/// (the audit itself is shown to work by the control page of the test above).
#[test]
fn site_pages_pass_axe_core_wcag_21_aa() {
    let Some((browser, axe)) = audit_tools() else {
        return;
    };
    // A copy: the audit writes its runner page next to each page it audits.
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_tree(crate::site::samples_site(), dir.path(), false);
    for page in [
        "index.html",
        "doelstelling/SD1.html",
        "indicator/deelname_graad.html",
        "gevangenis/brugge.html",
    ] {
        assert_accessible(browser, &axe, &dir.path().join(page));
    }
}
