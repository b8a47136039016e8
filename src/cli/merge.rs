use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{CmdResult, Failure, out};
use crate::report::merge::{CentreExport, MergeFormat, merge};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MergeFormatArg {
    /// One row per date, counts summed over the centres.
    Sum,
    /// date,centre,metric,value
    Long,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// CSV exports, each `FILE` or `CENTRE=FILE` (the centre's name is the
    /// file name without extension unless given).
    #[arg(required = true, value_name = "[CENTRE=]FILE")]
    pub files: Vec<String>,
    #[arg(long, value_enum, default_value = "sum")]
    pub format: MergeFormatArg,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The largest export file merge reads: a century of days with a few
/// hundred columns is a few MB; `/dev/zero` or a mistaken file is refused
/// instead of read until memory runs out.
const MAX_FILE_MB: u64 = 64;

fn read_limited(file: &std::path::Path) -> Result<String, Failure> {
    use std::io::Read;
    let cannot =
        |e: std::io::Error| Failure::Input(format!("file: cannot read {}: {e}", file.display()));
    let f = std::fs::File::open(file).map_err(cannot)?;
    let mut bytes = Vec::new();
    f.take(MAX_FILE_MB * 1024 * 1024 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_MB * 1024 * 1024 {
        return Err(crate::domain::InvalidInput::new("file", "file_too_large")
            .arg("file", file.display())
            .arg("max", MAX_FILE_MB)
            .into());
    }
    String::from_utf8(bytes)
        .map_err(|e| cannot(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
}

pub fn run(a: MergeArgs) -> CmdResult {
    let mut exports = Vec::new();
    for arg in &a.files {
        let (centre, file) = match arg.split_once('=') {
            Some((c, f)) if !c.trim().is_empty() => (c.trim().to_string(), PathBuf::from(f)),
            _ => {
                let f = PathBuf::from(arg);
                let stem = f
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (centre_of(&stem).to_string(), f)
            }
        };
        let centre = crate::domain::text::one_line("centre", &centre, 64)?;
        let csv = read_limited(&file)?;
        exports.push(CentreExport {
            centre,
            file: file.display().to_string(),
            csv,
        });
    }
    let format = match a.format {
        MergeFormatArg::Sum => MergeFormat::Sum,
        MergeFormatArg::Long => MergeFormat::Long,
    };
    let merged = merge(&exports, format)?;
    match &a.out {
        None => out(&merged),
        Some(path) => crate::files::refuse_special(path)
            .map_err(|e| Failure::Input(format!("out: {e}")))
            .and_then(|()| {
                crate::files::write_atomically(path, merged.as_bytes()).map_err(|e| {
                    Failure::Input(format!("out: cannot write {}: {e}", path.display()))
                })
            }),
    }
}

/// The centre's name from an export's file name: the reports screen writes
/// `CENTRE-FROM-TO.csv` (`gyldenpris-2026-11-01-2026-11-30.csv`).
fn centre_of(stem: &str) -> &str {
    let b = stem.as_bytes();
    let dated = b.len() > 22
        && b[b.len() - 22] == b'-'
        && stem.is_char_boundary(b.len() - 22)
        && crate::report::parse_date("from", &stem[b.len() - 21..b.len() - 11]).is_ok()
        && crate::report::parse_date("to", &stem[b.len() - 10..]).is_ok();
    if dated { &stem[..b.len() - 22] } else { stem }
}

#[cfg(test)]
mod tests {
    #[test]
    fn centre_names_from_file_names() {
        assert_eq!(
            super::centre_of("gyldenpris-2026-11-01-2026-11-30"),
            "gyldenpris"
        );
        assert_eq!(super::centre_of("strax"), "strax");
        assert_eq!(super::centre_of("x-2026-11-01"), "x-2026-11-01");
    }
}
