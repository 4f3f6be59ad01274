//! `rota schema [KIND] [--out DIR]`: print or write the JSON Schemas of the data files and
//! the JSON outputs.

use super::Failure;
use crate::schema::{self, KINDS};
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
            std::fs::create_dir_all(dir)
                .map_err(|e| Failure(format!("{}: cannot create: {e}", dir.display())))?;
            for k in chosen {
                let file = dir.join(k.file_name);
                std::fs::write(&file, k.text())
                    .map_err(|e| Failure(format!("{}: cannot write: {e}", file.display())))?;
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
