//! Stage 4: assess progress against baselines and targets (issue 4).
