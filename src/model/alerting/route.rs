//! The Alertmanager routing tree and how an alert walks it, exactly as Alertmanager's
//! `dispatch.Route.Match` does (docs/alerting.md, "Routing"): depth first, left to right;
//! a route matches when all its matchers do; the first matching child ends the search at
//! its level unless it has `continue: true`; a matching route none of whose children
//! match is itself the result.

use super::interval::TimeInterval;
use super::matcher::{LabelSet, Matcher};
use crate::source::Loc;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// One node of the routing tree, with what it inherited from its parent already applied.
#[derive(Clone, Debug)]
pub struct Route {
    /// The receiver: this route's own, else its parent's (the root must name one).
    pub receiver: String,
    /// Where the receiver in force was written (this route's, or an ancestor's).
    pub receiver_loc: Loc,
    /// Every matcher of `match`, `match_re` and `matchers` (all must match).
    pub matchers: Vec<Matcher>,
    /// A match here lets the following siblings be tried too.
    pub continue_matching: bool,
    pub routes: Vec<Route>,
    /// Names of `time_intervals` outside which this route does not notify (not inherited,
    /// as in Alertmanager).
    pub active_time_intervals: Vec<String>,
    /// Names of `time_intervals` during which this route does not notify (not inherited).
    pub mute_time_intervals: Vec<String>,
    /// Where the route starts (its first key).
    pub loc: Loc,
}

impl Route {
    /// The routes an alert with these labels ends at, in order (what
    /// `amtool config routes test` prints the receivers of).
    pub fn matching<'a>(&'a self, labels: &LabelSet) -> Vec<&'a Route> {
        let mut found = Vec::new();
        self.walk(labels, &mut found);
        found
    }

    /// Appends the routes matched under `self`; false when `self` does not match.
    fn walk<'a>(&'a self, labels: &LabelSet, found: &mut Vec<&'a Route>) -> bool {
        if !self.matchers.iter().all(|m| m.matches_labels(labels)) {
            return false;
        }
        let before = found.len();
        for child in &self.routes {
            if child.walk(labels, found) && !child.continue_matching {
                break;
            }
        }
        if found.len() == before {
            found.push(self);
        }
        true
    }

    /// Every route of the tree, this one first, depth first.
    pub fn all(&self) -> Vec<&Route> {
        let mut out = vec![self];
        for child in &self.routes {
            out.extend(child.all());
        }
        out
    }

    /// Whether this route may notify at `at`: inside one of its active intervals (if it
    /// has any) and inside none of its mute intervals. An interval name that is not
    /// defined contains no instant (the loader reports it).
    pub fn notifies_at(
        &self,
        intervals: &BTreeMap<String, Vec<TimeInterval>>,
        at: DateTime<Utc>,
    ) -> bool {
        let inside = |name: &String| {
            intervals
                .get(name)
                .is_some_and(|entries| entries.iter().any(|i| i.contains(at)))
        };
        (self.active_time_intervals.is_empty() || self.active_time_intervals.iter().any(inside))
            && !self.mute_time_intervals.iter().any(inside)
    }
}

#[cfg(test)]
mod tests {
    use super::super::matcher::parse_matcher;
    use super::*;
    use crate::source::FileId;

    fn loc() -> Loc {
        Loc {
            file: FileId(0),
            line: 1,
            column: 1,
        }
    }

    fn route(
        receiver: &str,
        matchers: &[&str],
        continue_matching: bool,
        routes: Vec<Route>,
    ) -> Route {
        Route {
            receiver: receiver.into(),
            receiver_loc: loc(),
            matchers: matchers.iter().map(|m| parse_matcher(m).unwrap()).collect(),
            continue_matching,
            routes,
            active_time_intervals: vec![],
            mute_time_intervals: vec![],
            loc: loc(),
        }
    }

    fn receivers(tree: &Route, labels: &[(&str, &str)]) -> Vec<String> {
        let labels: LabelSet = labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        tree.matching(&labels)
            .iter()
            .map(|r| r.receiver.clone())
            .collect()
    }

    #[test]
    fn first_match_wins_unless_continue() {
        let tree = route(
            "default",
            &[],
            false,
            vec![
                route("audit", &["team=~.+"], true, vec![]),
                route(
                    "db",
                    &["team=db"],
                    false,
                    vec![route("db-pager", &["severity=critical"], false, vec![])],
                ),
                route("web", &["team=~db|web"], false, vec![]),
            ],
        );
        assert_eq!(receivers(&tree, &[]), ["default"]);
        assert_eq!(receivers(&tree, &[("team", "db")]), ["audit", "db"]);
        assert_eq!(
            receivers(&tree, &[("team", "db"), ("severity", "critical")]),
            ["audit", "db-pager"]
        );
        assert_eq!(receivers(&tree, &[("team", "web")]), ["audit", "web"]);
        assert_eq!(receivers(&tree, &[("team", "ops")]), ["audit"]);
    }
}
