//! `rota schema [KIND] [--out DIR]`: print or write the JSON Schemas of the data files and
//! the JSON outputs.

use super::Failure;
use crate::output::schema::{self, KINDS};
use crate::output::staging::safe_write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(kind: Option<&str>, out: Option<&Path>) -> Result<ExitCode, Failure> {
    let chosen: Vec<_> = match kind {
        Some(k) => vec![schema::find(k).ok_or_else(|| {
            let kinds: Vec<_> = KINDS.iter().map(|k| k.kind).collect();
            Failure(format!(
                "no schema `{k}`; the schemas are: {}",
                kinds.join(", ")
            ))
        })?],
        None => KINDS.iter().collect(),
    };
    match (kind, out) {
        (_, Some(dir)) => {
            // Never through a link, at `--out` or under it (docs/security.md, "Writing
            // files"); every target is checked before the first is written.
            let failed = |e: safe_write::WriteError| Failure(format!("{e}; nothing was written"));
            safe_write::create_output_folder(dir).map_err(failed)?;
            for k in &chosen {
                safe_write::check_target(dir, Path::new(k.file_name)).map_err(failed)?;
            }
            for k in chosen {
                safe_write::write_file(dir, Path::new(k.file_name), &[k.text().as_bytes()])
                    .map_err(|e| Failure(e.to_string()))?;
            }
        }
        (Some(_), None) => {
            for k in chosen {
                print!("{}", k.text());
            }
        }
        (None, None) => {
            println!("Schemas (`rota schema KIND` prints one, `--out DIR` writes them all):");
            for k in chosen {
                println!("  {:<9} {:<21} {}", k.kind, k.file_name, k.describes);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
