//! The iCalendar feeds `rota build` writes.

/// Feed contents worked out by hand.
mod hand_worked;
/// Feeds parsed back, and the all-or-nothing output folder.
mod output;
