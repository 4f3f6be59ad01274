//! `override-valid`: trades and cover lie inside the rota, replace who the rotation
//! says, and nest rather than partly overlap.

use super::{Ctx, Rule};
use crate::finding::{Finding, RuleId};
use crate::schedule::Source;
use crate::schedule::interval::Interval;
use crate::time;
use chrono::Days;

pub const OVERRIDE_VALID: Rule = Rule {
    id: RuleId::OverrideValid,
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
                        RuleId::OverrideValid,
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
            // What the engine did with this override: the positions it took, and who
            // held them beneath it (the rotation and the overrides it is nested in).
            let replaced = rs.replaced.get(i).map(Vec::as_slice).unwrap_or_default();
            let mut touched: Vec<usize> = replaced.iter().map(|r| r.position).collect();
            touched.sort();
            touched.dedup();
            if touched.is_empty() {
                if let (None, Some(r)) = (&o.position, &o.replaces) {
                    out.push(
                        Finding::error(
                            RuleId::OverrideValid,
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
            for p in touched {
                let name = &rs.positions[p].name;
                // Partial overlaps with later overrides that also take this position.
                for (j, other) in rota.overrides.iter().enumerate().skip(i + 1) {
                    let also_here = rs
                        .replaced
                        .get(j)
                        .is_some_and(|r| r.iter().any(|x| x.position == p));
                    if !also_here {
                        continue;
                    }
                    let o2 = Interval::new(other.from, other.to);
                    let nested = (o2.start >= span.start && o2.end <= span.end)
                        || (span.start >= o2.start && span.end <= o2.end);
                    if span.overlaps(&o2) && (!nested || o2 == span) {
                        out.push(
                            Finding::error(
                                RuleId::OverrideValid,
                                other.loc,
                                format!(
                                    "this override of `{}` {} the one on line {} ({} to {})",
                                    name,
                                    if o2 == span { "covers exactly the same span as" } else { "partly overlaps" },
                                    o.loc.line,
                                    ctx.when(rota, o.from),
                                    ctx.when(rota, o.to)
                                ),
                            )
                            .with_help(if o2 == span {
                                "two overrides of one position for the same span: keep one and set its `person:` to who takes the turn (`rota swap` on a turn already traded does that)"
                            } else {
                                "overrides of one position may nest (one wholly inside another) but not partly overlap: split or merge them"
                            }),
                        );
                    }
                }
                // A position-less override only ever takes what `replaces` holds.
                let (Some(replaces), Some(_)) = (&o.replaces, &o.position) else {
                    continue;
                };
                // Holdings put there by a partly overlapping override are reported above.
                let beneath_counts = |source: Source| match source {
                    Source::Rotation => true,
                    Source::Override(k) => rota
                        .overrides
                        .get(k)
                        .is_some_and(|x| x.from <= o.from && x.to >= o.to),
                };
                let wrong = replaced.iter().find(|r| {
                    r.position == p
                        && beneath_counts(r.segment.source)
                        && r.segment.person.as_deref() != Some(replaces.id.as_str())
                });
                if let Some(r) = wrong {
                    let s = &r.segment;
                    let holder = s.person.as_deref().unwrap_or("nobody");
                    out.push(
                        Finding::error(
                            RuleId::OverrideValid,
                            replaces.loc,
                            format!(
                                "`replaces: {}` but {holder} would hold `{}` from {} to {}",
                                replaces.id,
                                name,
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
