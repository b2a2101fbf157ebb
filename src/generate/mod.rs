//! Deterministic synthetic data generator for `samples/` and benchmarks.
