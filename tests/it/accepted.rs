//! Accepted findings (issue 29, item 5): `plans/aanvaard.yaml` records a finding as accepted
//! (check or cell, delivery, reason, until when); it stays visible as "aanvaard" but no
//! longer makes `check` exit 1; it comes back on its date or when the delivery changes.

use crate::common::Project;
use crate::deliveries::{CAW_HEADERS, CAW_PROFILE, caw_rows, write_caw};
use std::path::Path;

/// The CAW export (trajectories of P1, P2, P3) with a stay for P1 only: the check
/// `traject_zonder_verblijf` finds the trajectories of P2 (row 6) and P3 (row 7).
fn project() -> Project {
    let p = Project::new()
        .with_model()
        .file("plans/leveringen/caw-trajecten.yaml", CAW_PROFILE)
        .file(
            "data/detenties.csv",
            "persoon_id,gevangenis,begin,einde,reden_einde\nP1,gent,2023-06-01,,\n",
        );
    write_caw(
        &p.join("data/trajecten/caw-2024.xlsx"),
        &CAW_HEADERS,
        &caw_rows(),
    );
    p
}

/// The SHA-256 of the CAW delivery as the register gives it.
fn caw_hash(p: &Project) -> String {
    let model = hdv::model::load_model(Path::new(".")).unwrap();
    let s = hdv::session::Session::new(p.path(), p.data())
        .unwrap()
        .sources(&model)
        .unwrap();
    s.deliveries
        .iter()
        .find(|d| d.name == "trajecten/caw-2024.xlsx")
        .unwrap()
        .sha256
        .clone()
}

fn accept(p: &Project, hash: &str, cell: Option<&str>, until: &str) {
    let cell = cell.map(|c| format!("  cel: {c}\n")).unwrap_or_default();
    p.write(
        "plans/aanvaard.yaml",
        format!(
            "# Aanvaarde bevindingen\n- controle: traject_zonder_verblijf\n  levering: trajecten/caw-2024.xlsx\n  sha256: {}\n{cell}  reden: verblijf in een instelling buiten Sidis\n  tot: {until}\n",
            &hash[..16]
        ),
    );
}

#[test]
fn an_accepted_finding_turns_the_exit_status_to_0_and_stays_listed() {
    let p = project();
    let before = p.hdv(&["check"]).dated().run().exits(1);
    assert!(
        before
            .stdout
            .contains("traject_zonder_verblijf                fout: 2 rij(en)"),
        "{}",
        before.stdout
    );
    let hash = caw_hash(&p);
    accept(&p, &hash, None, "2026-12-31");
    let fb = p.join("terug");
    let after = p
        .hdv(&["check", "--feedback", fb.to_str().unwrap()])
        .dated()
        .run()
        .success();
    assert!(
        after.stdout.contains(
            "  traject_zonder_verblijf                aanvaard: 2 rij(en): traject in een gevangenis waar de persoon op de startdatum niet verbleef\n      aanvaard: 2 rij(en) in trajecten/caw-2024.xlsx (tot 31 december 2026): verblijf in een instelling buiten Sidis\n"
        ),
        "{}",
        after.stdout
    );
    assert!(
        after.stdout.contains("Aanvaarde bevindingen (plans/aanvaard.yaml):\n  controle traject_zonder_verblijf in trajecten/caw-2024.xlsx: aanvaard tot 31 december 2026 (2 rij(en)): verblijf in een instelling buiten Sidis\n"),
        "{}",
        after.stdout
    );
    // Nothing for the partner to change: no rows of the check in its workbook.
    let book = fb.join("trajecten/caw-2024-terugkoppeling.xlsx");
    if book.exists() {
        let text = std::fs::read(&book).unwrap();
        assert!(!String::from_utf8_lossy(&text).contains("Traject zonder verblijf"));
    }
    // The report shows them as accepted, with the reason.
    let md = p.report_md_2024();
    // Two rows: a small count, published as such (as the checks' own counts).
    assert!(
        md.contains("| Traject zonder verblijf | aanvaard | – | trajecten/caw-2024.xlsx | <5 |"),
        "{md}"
    );
    assert!(
        md.contains("- Traject zonder verblijf (aanvaard): &lt;5 rij(en) in trajecten/caw-2024.xlsx, aanvaard tot 31 december 2026: verblijf in een instelling buiten Sidis"),
        "{md}"
    );
}

#[test]
fn an_accepted_cell_covers_only_that_row() {
    let p = project();
    let hash = caw_hash(&p);
    accept(&p, &hash, Some("Export!E6"), "2026-12-31");
    let run = p.hdv(&["check"]).dated().run().exits(1);
    assert!(
        run.stdout
            .contains("traject_zonder_verblijf                fout: 1 rij(en)")
            && run
                .stdout
                .contains("      aanvaard: 1 rij(en) in trajecten/caw-2024.xlsx"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_acceptance_lapses_on_its_date_and_when_the_delivery_changes() {
    let p = project();
    let hash = caw_hash(&p);
    // Ended the day before the run (1 January 2026).
    accept(&p, &hash, None, "2025-12-31");
    let run = p.hdv(&["check"]).dated().run().exits(1);
    assert!(
        run.stdout.contains(
            "controle traject_zonder_verblijf in trajecten/caw-2024.xlsx: VERLOPEN op 31 december 2025"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("aanvaarding (traject_zonder_verblijf) van trajecten/caw-2024.xlsx is verlopen op 31 december 2025; de bevinding telt weer"),
        "{}",
        run.stdout
    );
    // In force again, then the partner sends the file anew with one cell changed.
    accept(&p, &hash, None, "2026-12-31");
    p.hdv(&["check"]).dated().run().success();
    let mut rows = caw_rows();
    rows[0][8] = "gecorrigeerd";
    write_caw(&p.join("data/trajecten/caw-2024.xlsx"), &CAW_HEADERS, &rows);
    let run = p.hdv(&["check"]).dated().run().exits(1);
    assert!(
        run.stdout.contains("VERVALLEN: de levering is gewijzigd")
            && run
                .stdout
                .contains("traject_zonder_verblijf                fout: 2 rij(en)"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_validates_the_accepted_findings() {
    let p = project();
    p.write(
        "plans/aanvaard.yaml",
        "- controle: bestaat_niet\n  levering: trajecten/caw-2024.xlsx\n  sha256: 0123456789abcdef\n  reden: x\n  tot: 2026-12-31\n- controle: traject_zonder_verblijf\n  levering: trajecten/caw-2024.xlsx\n  sha256: xyz\n  reden: x\n  tot: 31/12/2026\n",
    );
    let run = p.hdv(&["check"]).run().exits(1);
    let file = p.join("plans/aanvaard.yaml").display().to_string();
    assert!(
        run.stderr.contains(&format!(
            "fout: {file}:6: sha256: 'xyz' is geen begin van een SHA-256 van minstens 12 tekens"
        )),
        "{}",
        run.stderr
    );
    p.write(
        "plans/aanvaard.yaml",
        "- controle: bestaat_niet\n  levering: trajecten/caw-2024.xlsx\n  sha256: 0123456789abcdef\n  reden: x\n  tot: 2026-12-31\n",
    );
    let run = p.hdv(&["check"]).run().exits(1);
    assert!(
        run.stderr.contains(&format!(
            "fout: {file}:1: onbekende controle `bestaat_niet` (controles: deelname_zonder_verblijf"
        )),
        "{}",
        run.stderr
    );
}
