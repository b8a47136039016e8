use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{CmdResult, Ctx, Failure, out};
use crate::report::{self, ExportOptions, Format};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
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
    pub format: FormatArg,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Add a last row, `total`, over the whole range (unique visitors
    /// unique over the range).
    #[arg(long)]
    pub totals: bool,
    /// Replace counts from 1 to N-1 by `<N`, for sharing outside the centre.
    #[arg(long, value_name = "N")]
    pub suppress_below: Option<String>,
}

pub fn run(ctx: &Ctx, a: ExportArgs) -> CmdResult {
    let (from, to) = report::parse_range(&a.from, &a.to)?;
    let suppress_below = match &a.suppress_below {
        None => None,
        Some(raw) => match raw.trim().parse::<u64>() {
            Ok(n) if (2..=100).contains(&n) => Some(n),
            _ => {
                return Err(Failure::Input(
                    "suppress-below: a whole number from 2 to 100".into(),
                ));
            }
        },
    };
    let opts = ExportOptions {
        totals: a.totals,
        suppress_below,
    };
    let format = match a.format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
    };
    let store = ctx.open_for_reading(None)?;
    let days = store.counts_range(from, to)?;
    let cfg = ctx.config.with_store(&store)?;
    let buf = report::export(&cfg.catalog, &days, from, to, format, &opts);
    let at = ctx.now().unix_timestamp();
    match &a.out {
        // Audited once the counts have left, as a file export is.
        None => {
            out(&String::from_utf8_lossy(&buf))?;
            Ok(store.log("export", None, None, at)?)
        }
        Some(path) => match crate::files::write_export(&store, path, &buf, "export", None, at) {
            Ok(()) => Ok(()),
            Err(crate::files::ExportError::Store(e)) => Err(e.into()),
            Err(e) => Err(Failure::Input(format!("out: {e}"))),
        },
    }
}
