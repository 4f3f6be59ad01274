//! `rota review`: runbooks overdue or due within 30 days, grouped by owner — the list a
//! team posts to its channel each week.

use super::{Failure, Session};
use crate::cli::NowFormat;
use crate::encode::terminal;
use crate::output::json::{
    OwnerReviewOutput as OwnerReviews, ReviewOutput as Review, ReviewStatus,
    RunbookReviewOutput as RunbookReview,
};
use crate::rules::catalogue::review_due;
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;
use std::process::ExitCode;

/// How far ahead "due soon" looks.
const DUE_SOON_DAYS: u64 = 30;

pub fn run(session: &Session, format: NowFormat) -> Result<ExitCode, Failure> {
    if let Some(code) = super::refuse_on_errors(session, &["rota/config.", "runbooks/"]) {
        return Ok(code);
    }
    let repo = &session.model.repo;
    let today = session.clock.today;
    let soon = today + Days::new(DUE_SOON_DAYS);
    let mut owners: BTreeMap<Option<String>, Vec<RunbookReview>> = BTreeMap::new();
    for rb in &repo.runbooks {
        let due: Option<NaiveDate> = review_due(repo.config.policy.review_in, rb);
        let status = match due {
            None => ReviewStatus::NeverReviewed,
            Some(d) if d < today => ReviewStatus::Overdue,
            Some(d) if d <= soon => ReviewStatus::DueSoon,
            Some(_) => continue,
        };
        owners
            .entry(rb.owner.clone())
            .or_default()
            .push(RunbookReview {
                slug: rb.slug.clone(),
                title: rb.title.clone(),
                file: repo.sources.get(rb.file).path.clone(),
                last_reviewed: rb.last_reviewed.map(|d| d.to_string()),
                due: due.map(|d| d.to_string()),
                days_overdue: due.map(|d| (today - d).num_days()),
                status,
            });
    }
    let mut owners: Vec<OwnerReviews> = owners
        .into_iter()
        .map(|(owner, mut runbooks)| {
            runbooks.sort_by_key(|r| {
                (
                    std::cmp::Reverse(r.days_overdue.unwrap_or(i64::MAX)),
                    r.slug.clone(),
                )
            });
            OwnerReviews { owner, runbooks }
        })
        .collect();
    // Runbooks nobody owns come last.
    owners.sort_by_key(|o| o.owner.is_none());
    let review = Review {
        today: today.to_string(),
        owners,
    };
    match format {
        NowFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&review).unwrap_or_default()
        ),
        NowFormat::Text => print!("{}", text(&review)),
    }
    Ok(ExitCode::SUCCESS)
}

fn text(review: &Review) -> String {
    if review.owners.is_empty() {
        return format!(
            "Runbook reviews: nothing overdue or due in the next {DUE_SOON_DAYS} days ({}).\n",
            review.today
        );
    }
    let mut out = format!("Runbook reviews as of {}\n", review.today);
    for o in &review.owners {
        out.push_str(&format!(
            "\n{}\n",
            o.owner.as_deref().map_or("(no owner)".into(), terminal)
        ));
        for r in &o.runbooks {
            let when = match (r.status, r.days_overdue, &r.due) {
                (ReviewStatus::Overdue, Some(d), Some(due)) => {
                    format!("{} overdue (due {due})", crate::time::days(d))
                }
                (ReviewStatus::DueSoon, Some(d), Some(due)) => {
                    format!("due in {} ({due})", crate::time::days(-d))
                }
                _ => "never reviewed".to_string(),
            };
            out.push_str(&format!(
                "  {:<34} {}: {}\n",
                when,
                terminal(&r.slug),
                terminal(&r.title)
            ));
        }
    }
    out
}
