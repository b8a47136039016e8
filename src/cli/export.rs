use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{CmdResult, Ctx, Failure, out};
use crate::report::{self, By, ExportOptions, Format};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One row per period, one column per metric.
    Csv,
    Json,
    /// One row per period and metric, with the centre (the city's format).
    Long,
    /// A spreadsheet (needs --out): periods, items, topics, totals.
    Xlsx,
    /// DHIS2's dataValueSets JSON, from --mapping.
    Dhis2,
    /// The same in DHIS2's CSV import form.
    Dhis2Csv,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ByArg {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    Month,
    Year,
    /// One row for the whole range.
    Range,
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
    /// One row per day (default), ISO week, month, year, or one for the
    /// whole range; unique visitors are counted over each period.
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    /// For `--format dhis2`: the mapping file (JSON) of metrics to data
    /// elements and centres to organisation units, and the period type.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// Leave counts from 1 to N-1 empty, and the ones they could be worked
    /// out from, for sharing outside the centre.
    #[arg(long, value_name = "N")]
    pub suppress_below: Option<String>,
    /// CSV the way Nordic Excel opens it: UTF-8 with BOM, `;`, CRLF.
    #[arg(long)]
    pub excel: bool,
    /// Replaced by `--by range` (a file of its own): a daily file holds
    /// only days.
    #[arg(long, hide = true)]
    pub totals: bool,
}

pub fn run(ctx: &Ctx, a: ExportArgs) -> CmdResult {
    if a.totals {
        return Err(Failure::Input(
            "totals: a daily file holds only days now; export the total with --by range".into(),
        ));
    }
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
    let format = match a.format {
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
        FormatArg::Long => Format::Long,
        FormatArg::Xlsx => Format::Xlsx,
        FormatArg::Dhis2 | FormatArg::Dhis2Csv => return dhis2(ctx, &a, from, to, suppress_below),
    };
    if format == Format::Xlsx && a.out.is_none() {
        return Err(Failure::Input(
            "format: a spreadsheet is written to a file; add --out FILE.xlsx".into(),
        ));
    }
    let by = a.by.map_or(By::Day, by_of);
    let store = ctx.open_for_reading(None)?;
    let counts = store.report_counts(from, to)?;
    let cfg = ctx.config.with_store(&store)?;
    let opts = ExportOptions {
        by,
        suppress_below,
        excel: a.excel,
        centre: cfg.centre_name(),
        lang: cfg.lang,
    };
    let buf = report::export(&counts, &cfg.catalog, from, to, format, &opts);
    deliver(ctx, &store, &a, &buf)
}

fn by_of(b: ByArg) -> By {
    match b {
        ByArg::Day => By::Day,
        ByArg::Week => By::Week,
        ByArg::Month => By::Month,
        ByArg::Year => By::Year,
        ByArg::Range => By::Range,
    }
}

/// For DHIS2: whole periods of the mapping's kind, nothing suppressed.
fn dhis2(
    ctx: &Ctx,
    a: &ExportArgs,
    from: time::Date,
    to: time::Date,
    suppress_below: Option<u64>,
) -> CmdResult {
    use crate::report::dhis2;
    let Some(file) = &a.mapping else {
        return Err(Failure::Input(
            "mapping: DHIS2 needs a mapping file (--mapping FILE): see the README".into(),
        ));
    };
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::Input(format!("mapping: {}: {e}", file.display())))?;
    let mapping = dhis2::Mapping::from_json(&text)?;
    let by = mapping.by()?;
    if a.by.is_some_and(|b| by_of(b) != by) {
        return Err(crate::domain::InvalidInput::new("by", "dhis2_by")
            .arg("period", &mapping.period)
            .into());
    }
    let store = ctx.open_for_reading(None)?;
    let counts = store.report_counts(from, to)?;
    let cfg = ctx.config.with_store(&store)?;
    let mut table = report::table(&counts, &cfg.catalog, from, to, by);
    if let Some(n) = suppress_below {
        table.suppress(n);
    }
    let centre = cfg.centre_name();
    let values = dhis2::values(&table, &mapping, &centre)?;
    let buf = match a.format {
        FormatArg::Dhis2Csv => dhis2::csv(&values),
        _ => dhis2::json(&values),
    };
    deliver(ctx, &store, a, &buf)
}

/// To standard output or `--out`, audited once the counts have left.
fn deliver(ctx: &Ctx, store: &crate::store::Store, a: &ExportArgs, buf: &[u8]) -> CmdResult {
    let at = ctx.now().unix_timestamp();
    match &a.out {
        // Audited once the counts have left, as a file export is.
        None => {
            out(&String::from_utf8_lossy(buf))?;
            Ok(store.log("export", None, None, at)?)
        }
        Some(path) => match crate::files::write_export(store, path, buf, "export", None, at) {
            Ok(()) => Ok(()),
            Err(crate::files::ExportError::Store(e)) => Err(e.into()),
            Err(e) => Err(Failure::Input(format!("out: {e}"))),
        },
    }
}
