//! Half-open spans of time `[start, end)` and the set operations the rules need.

use crate::time::Instant;
use chrono::TimeDelta;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: Instant,
    pub end: Instant,
}

impl Interval {
    pub fn new(start: Instant, end: Instant) -> Interval {
        Interval { start, end }
    }

    pub fn len(&self) -> TimeDelta {
        (self.end - self.start).max(TimeDelta::zero())
    }

    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn contains(&self, t: Instant) -> bool {
        self.start <= t && t < self.end
    }

    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn intersect(&self, other: &Interval) -> Option<Interval> {
        let i = Interval::new(self.start.max(other.start), self.end.min(other.end));
        (!i.is_empty()).then_some(i)
    }
}

/// Sorts and joins overlapping or touching intervals; drops empty ones.
pub fn merge(mut spans: Vec<Interval>) -> Vec<Interval> {
    spans.retain(|s| !s.is_empty());
    spans.sort();
    let mut out: Vec<Interval> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Intersection of two merged, sorted lists.
pub fn intersect(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < a.len() && j < b.len() {
        if let Some(x) = a[i].intersect(&b[j]) {
            out.push(x);
        }
        if a[i].end < b[j].end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Total length of merged intervals.
pub fn total(spans: &[Interval]) -> TimeDelta {
    spans.iter().map(Interval::len).sum()
}

/// Clips merged intervals (sorted, not overlapping) to a window. The first one that
/// reaches into the window is found by bisection, so clipping a long schedule to each
/// of its turns costs what the turns hold, not the schedule's length each time.
pub fn clip(spans: &[Interval], window: Interval) -> Vec<Interval> {
    let from = spans.partition_point(|s| s.end <= window.start);
    spans[from..]
        .iter()
        .take_while(|s| s.start < window.end)
        .filter_map(|s| s.intersect(&window))
        .collect()
}

/// Whether `t` is inside one of a merged, sorted list.
pub fn covers(spans: &[Interval], t: Instant) -> bool {
    let i = spans.partition_point(|s| s.end <= t);
    spans.get(i).is_some_and(|s| s.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(h: i64) -> Instant {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + TimeDelta::hours(h)
    }
    fn iv(a: i64, b: i64) -> Interval {
        Interval::new(at(a), at(b))
    }

    #[test]
    fn merge_joins_touching_and_overlapping() {
        assert_eq!(
            merge(vec![iv(5, 6), iv(0, 2), iv(2, 3), iv(1, 2), iv(7, 7)]),
            vec![iv(0, 3), iv(5, 6)]
        );
    }

    #[test]
    fn intersect_and_total() {
        let a = vec![iv(0, 4), iv(6, 10)];
        let b = vec![iv(2, 7), iv(9, 12)];
        let x = intersect(&a, &b);
        assert_eq!(x, vec![iv(2, 4), iv(6, 7), iv(9, 10)]);
        assert_eq!(total(&x), TimeDelta::hours(4));
        assert!(covers(&x, at(3)));
        assert!(!covers(&x, at(4)));
        assert!(!covers(&x, at(5)));
    }

    proptest::proptest! {
        /// Clipping by bisection gives what looking at every interval gives, for merged
        /// lists and any window (empty, before, inside, across and after them).
        #[test]
        fn clip_finds_what_a_scan_finds(
            raw in proptest::collection::vec((0i64..200, 0i64..30), 0..40),
            start in -10i64..220,
            len in 0i64..80,
        ) {
            let spans = merge(raw.into_iter().map(|(a, l)| iv(a, a + l)).collect());
            let window = iv(start, start + len);
            let scanned: Vec<Interval> =
                spans.iter().filter_map(|s| s.intersect(&window)).collect();
            proptest::prop_assert_eq!(clip(&spans, window), scanned);
        }
    }

    /// Written to kill mutants of the half-open bounds (issue #13): `[0h, 2h)` holds its
    /// start and not its end.
    #[test]
    fn an_interval_holds_its_start_but_not_its_end_and_touching_ones_do_not_overlap() {
        let i = iv(0, 2);
        assert!(i.contains(at(0)));
        assert!(i.contains(at(1)));
        assert!(!i.contains(at(2)));
        assert!(!i.contains(at(-1)));
        // Touching intervals do not overlap, in either order; sharing an hour, they do.
        assert!(!iv(0, 2).overlaps(&iv(2, 4)));
        assert!(!iv(2, 4).overlaps(&iv(0, 2)));
        assert!(iv(0, 3).overlaps(&iv(2, 4)));
        assert!(iv(2, 4).overlaps(&iv(0, 3)));
    }
}

/// `a` minus `b`, both merged and sorted.
pub fn subtract(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut j = 0;
    for span in a {
        let mut start = span.start;
        while j < b.len() && b[j].end <= start {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].start < span.end {
            if b[k].start > start {
                out.push(Interval::new(start, b[k].start));
            }
            start = start.max(b[k].end);
            k += 1;
        }
        if start < span.end {
            out.push(Interval::new(start, span.end));
        }
    }
    out
}

#[cfg(test)]
mod subtract_tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn iv(a: i64, b: i64) -> Interval {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        Interval::new(t0 + TimeDelta::hours(a), t0 + TimeDelta::hours(b))
    }

    #[test]
    fn subtract_cuts_holes() {
        assert_eq!(
            subtract(&[iv(0, 10)], &[iv(2, 3), iv(5, 6)]),
            vec![iv(0, 2), iv(3, 5), iv(6, 10)]
        );
        assert_eq!(
            subtract(&[iv(0, 2), iv(4, 6)], &[iv(1, 5)]),
            vec![iv(0, 1), iv(5, 6)]
        );
        assert_eq!(subtract(&[iv(0, 2)], &[]), vec![iv(0, 2)]);
        assert!(subtract(&[iv(0, 2)], &[iv(0, 2)]).is_empty());
    }
}
