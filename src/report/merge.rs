//! City-wide tables from several centres' CSV exports: summed by date, or
//! long (`date,centre,metric,value`).

use std::collections::BTreeMap;

use super::FIXED_COLUMNS;
use crate::domain::InvalidInput;

/// One centre's export.
pub struct CentreExport {
    pub centre: String,
    /// What the file is called, for messages.
    pub file: String,
    pub csv: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeFormat {
    /// One row per date, every count summed over the centres.
    Sum,
    /// One row per date, centre and metric.
    Long,
}

struct Parsed {
    header: Vec<String>,
    rows: Vec<(String, Vec<u64>)>,
}

fn parse(e: &CentreExport) -> Result<Parsed, InvalidInput> {
    let mut reader = csv::Reader::from_reader(e.csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|err| {
            InvalidInput::new("file", "not_csv")
                .arg("file", &e.file)
                .arg("detail", err)
        })?
        .iter()
        .map(String::from)
        .collect();
    if header.len() < FIXED_COLUMNS.len() || header[..FIXED_COLUMNS.len()] != FIXED_COLUMNS {
        return Err(InvalidInput::new("file", "not_an_export")
            .arg("file", &e.file)
            .arg("columns", FIXED_COLUMNS.join(",")));
    }
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (n, rec) in reader.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|err| {
            InvalidInput::new("file", "bad_line")
                .arg("file", &e.file)
                .arg("line", line)
                .arg("detail", err)
        })?;
        let date = rec.get(0).unwrap_or("").to_string();
        if date == "total" {
            continue; // totals are recomputed, never merged
        }
        if date.len() != 10 || super::parse_date("date", &date).is_err() {
            return Err(InvalidInput::new("file", "line_date")
                .arg("file", &e.file)
                .arg("line", line));
        }
        // A date twice in one file would be summed twice.
        if !seen.insert(date.clone()) {
            return Err(InvalidInput::new("file", "date_twice")
                .arg("file", &e.file)
                .arg("line", line)
                .arg("date", &date));
        }
        let mut counts = Vec::with_capacity(header.len() - 1);
        for field in rec.iter().skip(1) {
            counts.push(field.parse::<u64>().map_err(|_| {
                InvalidInput::new("file", "line_not_count")
                    .arg("file", &e.file)
                    .arg("line", line)
                    .arg(
                        "value",
                        format!("{:?}", field.chars().take(12).collect::<String>()),
                    )
            })?);
        }
        rows.push((date, counts));
    }
    Ok(Parsed { header, rows })
}

/// Merges exports that share one column set; a file with other columns is
/// refused, naming the first column that differs.
pub fn merge(exports: &[CentreExport], format: MergeFormat) -> Result<String, InvalidInput> {
    let parsed: Vec<Parsed> = exports.iter().map(parse).collect::<Result<_, _>>()?;
    let Some(first) = parsed.first() else {
        return Err(InvalidInput::new("files", "none_to_merge"));
    };
    for (e, p) in exports.iter().zip(&parsed).skip(1) {
        if p.header != first.header {
            let at = first
                .header
                .iter()
                .zip(&p.header)
                .position(|(a, b)| a != b)
                .unwrap_or(first.header.len().min(p.header.len()));
            let theirs = p.header.get(at).map_or("(none)", String::as_str);
            let ours = first.header.get(at).map_or("(none)", String::as_str);
            return Err(InvalidInput::new("file", "other_columns")
                .arg("file", &e.file)
                .arg("first", &exports[0].file)
                .arg("column", at + 1)
                .arg("theirs", theirs)
                .arg("ours", ours));
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| InvalidInput::new("output", "write_failed").arg("detail", e);
    match format {
        MergeFormat::Sum => {
            let mut sums: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
            for p in &parsed {
                for (date, counts) in &p.rows {
                    let row = sums.entry(date).or_insert_with(|| vec![0; counts.len()]);
                    for (a, b) in row.iter_mut().zip(counts) {
                        *a = a.checked_add(*b).ok_or_else(|| {
                            InvalidInput::new("file", "count_too_large").arg("date", date)
                        })?;
                    }
                }
            }
            w.write_record(&first.header).map_err(io)?;
            for (date, counts) in sums {
                let mut rec = vec![date.to_string()];
                rec.extend(counts.iter().map(u64::to_string));
                w.write_record(&rec).map_err(io)?;
            }
        }
        MergeFormat::Long => {
            w.write_record(["date", "centre", "metric", "value"])
                .map_err(io)?;
            let mut rows: Vec<(&str, &str, usize, u64)> = Vec::new();
            for (e, p) in exports.iter().zip(&parsed) {
                for (date, counts) in &p.rows {
                    for (i, n) in counts.iter().enumerate() {
                        rows.push((date, &e.centre, i, *n));
                    }
                }
            }
            rows.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
            for (date, centre, i, n) in rows {
                w.write_record([date, centre, &first.header[i + 1], &n.to_string()])
                    .map_err(io)?;
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| InvalidInput::new("output", "write_failed").arg("detail", e))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
}
