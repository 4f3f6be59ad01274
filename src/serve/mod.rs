//! `rota serve`: the preview loop. The site is built in memory through the pipeline
//! `rota build` takes (`pipeline::for_publishing`, so it refuses what a build refuses),
//! served on 127.0.0.1 from
//! that map alone, rebuilt when a watched file changes, and open pages reload. While an
//! error stands, the last good build stays up with the findings in a banner.

pub mod http;
mod inject;
pub mod path;
mod respond;
pub mod watch;

use crate::model::Model;
use crate::output::staging::Outputs;
use crate::pipeline::{self, Options};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub use respond::respond;
pub use watch::Snapshot;

/// How often the watched folders are looked at.
pub const POLL_EVERY: Duration = Duration::from_millis(300);
/// Connections served at once, a thread each; more are told to retry (503). Well above
/// what a browser opens (6 per host, about 256 in all), and each connection ends within
/// [`http::MAX_HEAD_TIME`] plus [`http::MAX_RESPONSE_TIME`], so slow or idle clients
/// cannot hold them all for long.
pub const MAX_CONNECTIONS: usize = 512;
/// A connection's thread needs little stack: it answers from the published build.
const CONNECTION_STACK: usize = 512 * 1024;

/// Why the latest build could not be published, as the banner shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// One line: how many errors, and what is being shown instead.
    pub summary: String,
    /// The findings as `rota check` prints them.
    pub details: String,
}

/// What the server shows now.
#[derive(Debug, Clone)]
pub struct Published {
    /// Changes whenever anything shown changes; open pages poll it and reload.
    pub version: u64,
    /// The last good build (empty until there is one).
    pub site: Arc<Outputs>,
    /// Set while the latest build failed.
    pub problem: Option<Arc<Problem>>,
}

/// The result of one build in memory.
#[derive(Debug)]
pub enum Attempt {
    Built {
        site: Outputs,
        warnings: usize,
    },
    /// Rule errors: the findings, printed.
    RuleErrors {
        errors: usize,
        details: String,
    },
    /// A file could not be read, a required file is missing, or the clock is wrong.
    Unreadable(String),
    /// The data is fine but the site could not be rendered (a broken template override).
    SiteBroken(String),
}

/// The options of one build, resolved by the command from the freshly loaded data
/// (its time zone, its `calendar.secret_env`): `--today`/`--at` or the real clock, the
/// feed secret, the stamp.
pub type OptionsSource<'a> = &'a (dyn Fn(&Model) -> Result<Options, String> + Sync);

/// Builds the site in memory, as `rota build` would write it, refusing what it refuses.
pub fn attempt(root: &Path, options: OptionsSource) -> Attempt {
    let repo = match crate::load::load(root) {
        Ok(repo) => repo,
        Err(e) => return Attempt::Unreadable(e.0),
    };
    let model = crate::load::resolve::resolve(repo);
    let options = match options(&model) {
        Ok(options) => options,
        Err(e) => return Attempt::Unreadable(e),
    };
    let checked = pipeline::for_publishing(&model, &options);
    let (errors, warnings) = checked.counts();
    if errors > 0 {
        return Attempt::RuleErrors {
            errors,
            details: crate::diagnostics::human(&model.repo.sources, &checked.errors()),
        };
    }
    let rendered =
        crate::output::site::Site::new(&model.repo).and_then(|site| checked.render(&site));
    match rendered {
        Ok(mut site) => {
            preview_404(&mut site, &model.repo.config.base_url);
            Attempt::Built { site, warnings }
        }
        Err(e) => Attempt::SiteBroken(e.0),
    }
}

/// The published 404 page links from `base_url` (a static host serves it at any depth);
/// the preview serves the site at its own root, so those links point at `/` here.
fn preview_404(site: &mut Outputs, base_url: &str) {
    let base = format!("{}/", base_url.trim_end_matches('/'));
    if let Some(page) = site.get_mut("404.html")
        && let Ok(text) = std::str::from_utf8(page)
    {
        let local = text
            .replace(&format!("href=\"{base}"), "href=\"/")
            .replace(&format!("src=\"{base}"), "src=\"/");
        *page = local.into_bytes();
    }
}

/// The published state, shared by the watcher (which writes it) and the connections
/// (which read it).
pub struct Preview {
    state: RwLock<Published>,
}

impl Default for Preview {
    fn default() -> Self {
        Preview {
            state: RwLock::new(Published {
                version: 1,
                site: Arc::new(Outputs::new()),
                problem: None,
            }),
        }
    }
}

impl Preview {
    /// A cheap copy of what is shown now (the build itself is shared, not copied).
    pub fn current(&self) -> Published {
        match self.state.read() {
            Ok(state) => state.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Shows a new attempt: a good build replaces the site and clears the banner; a
    /// failed one keeps the last good site and sets the banner.
    pub fn publish(&self, attempt: Attempt) {
        let mut state = match self.state.write() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        let have_site = !state.site.is_empty();
        let instead = if have_site {
            "showing the last good build"
        } else {
            "no good build yet"
        };
        match attempt {
            Attempt::Built { site, .. } => {
                state.site = Arc::new(site);
                state.problem = None;
            }
            Attempt::RuleErrors { errors, details } => {
                let s = if errors == 1 { "" } else { "s" };
                state.problem = Some(Arc::new(Problem {
                    summary: format!("rota serve: {errors} error{s} in the data — {instead}."),
                    details,
                }));
            }
            Attempt::Unreadable(message) => {
                state.problem = Some(Arc::new(Problem {
                    summary: format!("rota serve: the data could not be read — {instead}."),
                    details: message,
                }));
            }
            Attempt::SiteBroken(message) => {
                state.problem = Some(Arc::new(Problem {
                    summary: format!("rota serve: the site could not be rendered — {instead}."),
                    details: message,
                }));
            }
        }
        state.version += 1;
    }
}

/// Accepts connections for ever, one thread each, at most [`MAX_CONNECTIONS`] at once.
pub fn serve_forever(listener: TcpListener, preview: Arc<Preview>) -> ! {
    let active = Arc::new(AtomicUsize::new(0));
    loop {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(e) => {
                eprintln!("rota serve: accept failed: {e}");
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            // Never wait on this peer: the short answer fits the socket's buffer, or is
            // dropped.
            let mut stream = stream;
            let _ = stream.set_nonblocking(true);
            let _ = http::Response::text(503, "busy; try again\n").write_to(&mut stream, false);
            continue;
        }
        let guard = ActiveGuard(Arc::clone(&active));
        let preview = Arc::clone(&preview);
        let spawned = std::thread::Builder::new()
            .name("rota-serve-conn".into())
            .stack_size(CONNECTION_STACK)
            .spawn(move || {
                let _guard = guard;
                handle(stream, &preview);
            });
        if let Err(e) = spawned {
            eprintln!("rota serve: cannot start a thread: {e}");
        }
    }
}

/// Counts a connection while it lives.
struct ActiveGuard(Arc<AtomicUsize>);

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Reads one request and answers it. The head must arrive within
/// [`http::MAX_HEAD_TIME`] and the answer be taken within [`http::MAX_RESPONSE_TIME`],
/// however slowly the peer sends or reads: the thread is then free again.
fn handle(stream: TcpStream, preview: &Preview) {
    let head_by = Instant::now() + http::MAX_HEAD_TIME;
    let read = http::read_request(&mut http::Bounded::new(&stream, head_by), head_by);
    let (response, head_only) = match read {
        Ok(None) => return,
        Ok(Some(request)) => (
            respond(&preview.current(), &request),
            request.method == "HEAD",
        ),
        Err(bad) => (
            http::Response::text(bad.status, &format!("{}\n", bad.reason)),
            false,
        ),
    };
    let answer_by = Instant::now() + http::MAX_RESPONSE_TIME;
    let _ = response.write_to(&mut http::Bounded::new(&stream, answer_by), head_only);
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Polls the watched folders and rebuilds on change, for ever. `seen` is the snapshot
/// the current build was made from. The pause between looks is [`POLL_EVERY`], or ten
/// times as long as a look takes when that is longer, so that a huge repository (10,000
/// runbooks: ~50 ms a look) costs at most a tenth of a core while idle.
pub fn watch_forever(
    root: &Path,
    options: OptionsSource,
    preview: &Preview,
    mut seen: Snapshot,
) -> ! {
    let mut pause = POLL_EVERY;
    loop {
        std::thread::sleep(pause);
        let looked = std::time::Instant::now();
        let now = Snapshot::take(root);
        pause = POLL_EVERY.max(looked.elapsed() * 10);
        if now == seen {
            continue;
        }
        seen = now;
        let started = std::time::Instant::now();
        let attempt = attempt(root, options);
        tell(&attempt, started.elapsed());
        preview.publish(attempt);
    }
}

/// One line on the terminal per build (and the findings, when it failed).
pub fn tell(attempt: &Attempt, took: Duration) {
    let ms = took.as_millis();
    match attempt {
        Attempt::Built { site, warnings } => println!(
            "built {} files in {ms} ms ({warnings} warning(s); `rota check` shows them)",
            site.len()
        ),
        Attempt::RuleErrors { errors, details } => {
            eprint!("{details}");
            eprintln!("{errors} error(s): still serving the last good build");
        }
        Attempt::Unreadable(message) | Attempt::SiteBroken(message) => {
            eprintln!("error: {message}\nstill serving the last good build");
        }
    }
}
