//! The static site.

/// The example's site, hostile values, overrides, determinism.
mod pages;
/// Templates come from the loaded repository.
mod templates;
/// An existing Hugo-style runbook tree.
mod runbook_tree;
