//! The schedule engine: who holds which position when, to the minute.

/// End-to-end `rota now` and `rota shifts` on small repositories.
mod end_to_end;
/// Instants worked out by hand for the schedule engine's edge cases.
mod hand_worked;
/// Property tests of the schedule engine's invariants.
mod properties;
