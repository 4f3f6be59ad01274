//! `rota serve [--port N] [--open]`: build in memory, serve on 127.0.0.1, rebuild on
//! change.

use super::Failure;
use crate::cli::Cli;
use crate::serve::{self, Attempt, Preview, Snapshot};
use std::io::ErrorKind;
use std::net::{Ipv4Addr, TcpListener};
use std::process::ExitCode;
use std::sync::Arc;

pub fn run(cli: &Cli, port: u16, open: bool) -> Result<ExitCode, Failure> {
    let root = cli.root.as_path();
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
        Failure(match e.kind() {
            ErrorKind::AddrInUse => format!(
                "port {port} on 127.0.0.1 is already in use (another `rota serve`?); choose another with --port N"
            ),
            _ => format!("cannot listen on 127.0.0.1:{port}: {e}"),
        })
    })?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(port);
    // Resolved again for each rebuild, from the data as it then is.
    let options = |model: &crate::model::Model| {
        let clock = super::clock(cli, model.repo.config.timezone, false).map_err(|f| f.0)?;
        Ok(super::publishing_options(root, model, clock))
    };
    let seen = Snapshot::take(root);
    let started = std::time::Instant::now();
    let first = serve::attempt(root, &options);
    if let Attempt::Unreadable(message) = first {
        return Err(Failure(message));
    }
    serve::tell(&first, started.elapsed());
    let preview = Arc::new(Preview::default());
    preview.publish(first);
    let url = format!("http://127.0.0.1:{port}/");
    println!(
        "serving {url} — rebuilding when rota/, runbooks/ or templates/ change (Ctrl-C stops)"
    );
    if open {
        open_browser(&url);
    }
    std::thread::scope(|scope| {
        let watched = Arc::clone(&preview);
        scope.spawn(move || serve::watch_forever(root, &options, &watched, seen));
        serve::serve_forever(listener, preview)
    })
}

/// Opens `url` with `xdg-open` (or `open` on macOS) when there is one; says so when not.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    match std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("note: no `{opener}` here; open {url} yourself"),
    }
}
