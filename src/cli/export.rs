use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{CmdResult, Ctx, Failure, out, parse_date};
use crate::report::daily_table;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// First service day, YYYY-MM-DD.
    #[arg(long)]
    pub from: String,
    /// Last service day, YYYY-MM-DD (inclusive).
    #[arg(long)]
    pub to: String,
    #[arg(long, value_enum, default_value = "csv")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The longest range one export covers (about 30 years).
const MAX_DAYS: i64 = 11_000;

pub fn run(ctx: &Ctx, a: ExportArgs) -> CmdResult {
    let from = parse_date("from", &a.from)?;
    let to = parse_date("to", &a.to)?;
    if from > to {
        return Err(Failure::Input("from: must not be after --to".into()));
    }
    if (to - from).whole_days() >= MAX_DAYS {
        return Err(Failure::Input(format!(
            "to: at most {MAX_DAYS} days in one export"
        )));
    }
    let store = ctx.open()?;
    let days = store.counts_range(from, to)?;
    let table = daily_table(&ctx.config.catalog, &days, from, to);
    let mut buf = Vec::new();
    let written = match a.format {
        Format::Csv => table.write_csv(&mut buf),
        Format::Json => table.write_json(&mut buf),
    };
    written.map_err(|e| Failure::Unavailable(format!("cannot build the export: {e}")))?;
    match &a.out {
        None => out(&String::from_utf8_lossy(&buf)),
        Some(path) => {
            // Write beside the target, then rename: no half-written file.
            let tmp = path.with_extension("doorlog-partial");
            std::fs::write(&tmp, &buf)
                .and_then(|_| std::fs::rename(&tmp, path))
                .map_err(|e| Failure::Input(format!("out: cannot write {}: {e}", path.display())))
        }
    }
}
