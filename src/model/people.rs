//! `rota/people.yaml`: everyone who can be on a rota.

use crate::source::Loc;
use chrono::NaiveDate;

#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub roles: Vec<String>,
    pub opted_in: bool,
    pub vetted: Option<NaiveDate>,
    pub experienced: bool,
    pub handle: Option<String>,
    /// Last day; turns after it are unfilled.
    pub left: Option<NaiveDate>,
    /// Where the entry's `id` is written.
    pub loc: Loc,
}
