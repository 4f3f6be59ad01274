//! `rota check`'s rules and the advice they give.

/// Trade advice that can be followed as printed.
mod advice;
/// Every rule triggered exactly once, with its id, level, file and line.
mod each_rule;
/// Shares, nested overrides and leave edges worked out by hand.
mod hand_worked;
/// Holidays as data and `rota holidays import`.
mod holidays;
/// `max-share`, `coverage-gap`, `double-duty` and `report`'s share.
mod share_cover_duty;
/// `rota toil`.
mod toil;
