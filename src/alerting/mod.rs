//! The alerting a team really runs: Prometheus rule files and the Alertmanager routing
//! tree, read as Prometheus and Alertmanager read them (docs/alerting.md).
//!
//! A pure library: each loader takes a file's id and text and gives typed data with
//! source locations and located findings ([`rules::load`], [`alertmanager::load`]);
//! routing ([`route::Route::matching`]) and time intervals
//! ([`route::Route::notifies_at`]) are evaluated on that data, with no I/O.

pub mod alertmanager;
pub mod catalogue;
pub mod duration;
pub mod files;
pub mod interval;
pub mod matcher;
pub mod route;
pub mod rules;
pub mod settings;

pub use alertmanager::AlertmanagerConfig;
pub use matcher::{LabelSet, Matcher};
pub use route::Route;
pub use rules::AlertingRule;
