//! `override-valid`: trades and cover lie inside the rota, replace who the rotation
//! says, and nest rather than partly overlap.

use super::{Ctx, Rule};
use crate::finding::{Finding, Level};
use crate::schedule::interval::Interval;
use crate::schedule::{override_applies, paint};
use crate::time;
use chrono::Days;

pub const OVERRIDE_VALID: Rule = Rule {
    id: "override-valid",
    default_level: Level::Error,
    lowerable: true,
    explanation: "What it checks: each override lies inside the rota (after its first handover, before `until`); `replaces` names who would hold the position at those instants without this override (the rotation, or the override it is nested in); two overrides of one position do not partly overlap (one wholly inside another is fine: the inner one applies).

Why: `replaces` makes a trade say what it intends; if the rotation changes underneath it (a new block, a typo in the date), the override would silently put the wrong person on call.

Example: `replaces: carol` on a week carol does not hold.

How to fix: correct the dates (handovers are at the rota's `handover` time) or the `replaces` name; split partly overlapping overrides so that they nest or touch.",
    check: Some(override_valid),
};

fn override_valid(ctx: &Ctx, out: &mut Vec<Finding>) {
    for (_, rota, rs) in ctx.rotas() {
        let window = ctx.rota_window(rs);
        let tz = rota.timezone;
        let first_handover = rota
            .blocks
            .first()
            .map(|b| time::local_to_instant(tz, b.handover.on(b.start)));
        let until_end = rota
            .blocks
            .last()
            .and_then(|b| b.until)
            .map(|u| time::start_of_day(tz, u + Days::new(1)));
        for (i, o) in rota.overrides.iter().enumerate() {
            if o.to <= window.start {
                continue;
            }
            let span = Interval::new(o.from, o.to);
            if first_handover.is_some_and(|s| o.from < s) || until_end.is_some_and(|e| o.to > e) {
                out.push(
                    Finding::error(
                        "override-valid",
                        o.from_loc,
                        format!(
                            "this override ({} to {}) lies outside rota `{}` (first handover {}{})",
                            ctx.when(rota, o.from),
                            ctx.when(rota, o.to),
                            rota.id,
                            first_handover
                                .map(|s| ctx.when(rota, s))
                                .unwrap_or_default(),
                            until_end
                                .map(|e| format!(", ends {}", ctx.when(rota, e)))
                                .unwrap_or_default(),
                        ),
                    )
                    .with_help("move the override inside the rota's dates"),
                );
                continue;
            }
            let positions: Vec<&crate::schedule::PositionTimeline> = rs
                .positions
                .iter()
                .filter(|p| override_applies(o, &p.name, &p.base))
                .collect();
            if positions.is_empty() {
                if let (None, Some(r)) = (&o.position, &o.replaces) {
                    out.push(
                        Finding::error(
                            "override-valid",
                            r.loc,
                            format!(
                                "{} holds no position on rota `{}` between {} and {}",
                                r.id,
                                rota.id,
                                ctx.when(rota, o.from),
                                ctx.when(rota, o.to)
                            ),
                        )
                        .with_help(
                            "check the dates (turns change at the handover time) and the name",
                        ),
                    );
                }
                continue;
            }
            for p in &positions {
                // Partial overlaps with later overrides of the same position.
                for other in rota.overrides.iter().skip(i + 1) {
                    if !override_applies(other, &p.name, &p.base) {
                        continue;
                    }
                    let o2 = Interval::new(other.from, other.to);
                    let nested = (o2.start >= span.start && o2.end <= span.end)
                        || (span.start >= o2.start && span.end <= o2.end);
                    if span.overlaps(&o2) && (!nested || o2 == span) {
                        out.push(
                            Finding::error(
                                "override-valid",
                                other.loc,
                                format!(
                                    "this override of `{}` {} the one on line {} ({} to {})",
                                    p.name,
                                    if o2 == span { "covers exactly the same span as" } else { "partly overlaps" },
                                    o.loc.line,
                                    ctx.when(rota, o.from),
                                    ctx.when(rota, o.to)
                                ),
                            )
                            .with_help("overrides of one position may nest (one wholly inside another) but not partly overlap: split or merge them"),
                        );
                    }
                }
                let Some(replaces) = &o.replaces else {
                    continue;
                };
                // Who would hold it without this override: the rotation and the overrides it sits inside.
                let mut outer: Vec<(usize, &crate::model::Override)> = rota
                    .overrides
                    .iter()
                    .enumerate()
                    .filter(|(k, x)| {
                        *k != i
                            && override_applies(x, &p.name, &p.base)
                            && x.from <= o.from
                            && x.to >= o.to
                            && (x.from, x.to) != (o.from, o.to)
                    })
                    .collect();
                outer.sort_by_key(|(k, x)| (std::cmp::Reverse(x.to - x.from), x.from, *k));
                let mut without = p.base.clone();
                for (k, x) in outer {
                    without = paint(without, x, k);
                }
                let wrong: Vec<&crate::schedule::Segment> = without
                    .iter()
                    .filter(|s| {
                        s.span().overlaps(&span)
                            && s.person.as_deref() != Some(replaces.id.as_str())
                    })
                    .collect();
                if let Some(s) = wrong.first() {
                    let holder = s.person.as_deref().unwrap_or("nobody");
                    out.push(
                        Finding::error(
                            "override-valid",
                            replaces.loc,
                            format!(
                                "`replaces: {}` but {holder} would hold `{}` from {} to {}",
                                replaces.id,
                                p.name,
                                ctx.when(rota, s.start.max(span.start)),
                                ctx.when(rota, s.end.min(span.end))
                            ),
                        )
                        .with_help("check the dates (turns change at the handover time) and whose place is taken"),
                    );
                }
            }
        }
    }
}
