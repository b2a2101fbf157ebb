//! The integration suite: one test binary (linking DataFusion once), a module per feature.
//! Every module drives the real `hdv` binary or the library on fixture folders
//! (`tests/fixtures/`, `tests/corpus/`).

mod common;

mod accepted;
mod afscherming;
mod answer;
mod approvals;
mod architecture;
mod cache;
mod checks;
mod cli;
mod cohorts;
mod corpus;
mod deliveries;
mod disclosure;
mod feedback;
mod indicators;
mod load;
mod local;
mod offer;
mod oslo;
mod plans;
mod profiles;
mod properties;
mod publish;
mod query;
mod redeliveries;
mod report;
mod samples;
mod site;
