//! Real alerting: Prometheus rules, Alertmanager routing, the catalogue.

/// The alert catalogue, services, runbooks and `rota review`.
mod catalogue;
/// `rota init` pointed at existing rule files, Alertmanager config and runbook tree.
mod init_alerting;
/// The page log checked against the rota (`page-log`).
mod page_log;
/// Routing against `amtool`, rule files, Alertmanager configs.
mod routing;
/// The team's own severity words (`severities:`).
mod severities;
