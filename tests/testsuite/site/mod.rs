//! The static site.

/// The example's site, hostile values, overrides, determinism.
mod pages;
/// An existing Hugo-style runbook tree.
mod runbook_tree;
/// Every share on person and rota pages equals `rota report`'s.
mod shares;
/// Templates come from the loaded repository.
mod templates;
