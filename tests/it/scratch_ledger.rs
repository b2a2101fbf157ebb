use crate::common;

#[test]
#[ignore]
fn scratch_ledger_on_samples() {
    let model = hdv::model::load_model(std::path::Path::new(common::ROOT)).unwrap();
    let data = std::env::var("SCRATCH_DATA").unwrap_or("samples".into());
    let (_, eval) = common::evaluate(&model, &data, "2016..2025");
    let t = std::time::Instant::now();
    let l = hdv::protect::base(&model, &eval);
    eprintln!("solve: {:?}", t.elapsed());
    eprintln!("{:?}", l.counts());
    let audit = l.audit(&model.policy);
    eprintln!(
        "audit: {} sensitive, {} unprotected, {:?}",
        audit.len(),
        audit.iter().filter(|d| !d.protected).count(),
        t.elapsed()
    );
    for (k, v, m) in l
        .cells()
        .iter()
        .filter(|c| c.0.year == 2022 && c.0.table == "examen_deelname")
    {
        eprintln!("{k:?} {v} {m:?}");
    }
}
