//! Real alerting: Prometheus rules, Alertmanager routing, the catalogue.

/// The alert catalogue, services, runbooks and `rota review`.
mod catalogue;
/// Routing against `amtool`, rule files, Alertmanager configs.
mod routing;
