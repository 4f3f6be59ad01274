//! Guards against blow-ups (the targets live in the bench scripts, docs/performance.md).

/// Loose CPU and memory guards for pathological input.
mod budgets;
/// The benchmark organisation generator.
mod gen_org;
