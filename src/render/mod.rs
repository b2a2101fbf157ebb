//! Stage 5: render reports (HTML, Markdown, XLSX) from minijinja templates (issue 4).
