//! The command line: `now`, output formats, schemas, completions, man page.

/// `rota now` reads only the rota files.
mod now;
/// `rota alerts` and `rota route` write what their output types describe.
mod outputs;
/// The finding printers' escaping.
mod printers;
/// Snapshots of `rota check` in each format.
mod snapshots;
/// Schemas, GitLab reports, completions, the man page, JSON output shapes.
mod tools;
