//! City-wide tables from several centres' exports: the long format
//! (`date,centre,metric,value,suppressed`, every centre's metrics, even
//! where their catalogs differ), or one row per period with the counts
//! summed over the centres. Reads the long format and the daily wide CSV.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{By, FIXED_COLUMNS};
use crate::domain::InvalidInput;

/// One centre's export (or a long file of several centres).
pub struct CentreExport {
    /// The centre a wide file is of (long files name theirs in each row).
    pub centre: String,
    /// What the file is called, for messages.
    pub file: String,
    pub csv: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeFormat {
    /// One row per period, every count summed over the centres.
    Sum,
    /// One row per period, centre and metric.
    Long,
}

/// One count of one centre in one period; `None`: suppressed.
struct Cell {
    start: String,
    end: String,
    centre: String,
    metric: String,
    value: Option<u64>,
}

/// A file's cells, and the kind of period its rows are.
struct Parsed {
    by: By,
    cells: Vec<Cell>,
}

fn bad_line(e: &CentreExport, line: usize, detail: impl std::fmt::Display) -> InvalidInput {
    InvalidInput::new("file", "bad_line")
        .arg("file", &e.file)
        .arg("line", line)
        .arg("detail", detail)
}

fn count(e: &CentreExport, line: usize, field: &str) -> Result<u64, InvalidInput> {
    field.parse::<u64>().map_err(|_| {
        InvalidInput::new("file", "line_not_count")
            .arg("file", &e.file)
            .arg("line", line)
            .arg(
                "value",
                format!("{:?}", field.chars().take(12).collect::<String>()),
            )
    })
}

/// An ISO date, as every export writes it (`26.11.2026` is refused: the
/// same day written two ways would be two keys).
fn date(e: &CentreExport, line: usize, field: &str) -> Result<String, InvalidInput> {
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(field, &iso) {
        Ok(d) => Ok(super::iso(d)),
        Err(_) => Err(InvalidInput::new("file", "line_date")
            .arg("file", &e.file)
            .arg("line", line)),
    }
}

/// A column that is a ratio, not a count (`returned_pct_*`).
pub fn is_ratio(metric: &str) -> bool {
    metric.starts_with("returned_pct_")
}

fn parse(e: &CentreExport) -> Result<Parsed, InvalidInput> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(e.csv.trim_start_matches('\u{feff}').as_bytes());
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
    let h: Vec<&str> = header.iter().map(String::as_str).collect();
    let long_day = ["date", "centre", "metric", "value", "suppressed"];
    let long_period = [
        "period_start",
        "period_end",
        "period_kind",
        "centre",
        "metric",
        "value",
        "suppressed",
    ];
    let wide_day = h.len() >= FIXED_COLUMNS.len() && h[..FIXED_COLUMNS.len()] == FIXED_COLUMNS;
    if !(h == long_day || h == long_period || wide_day) {
        if h.first() == Some(&"period_start") {
            // A wide file of weeks or months does not say which.
            return Err(InvalidInput::new("file", "wide_periods").arg("file", &e.file));
        }
        return Err(InvalidInput::new("file", "not_an_export")
            .arg("file", &e.file)
            .arg("columns", "date,centre,metric,value,suppressed"));
    }
    let mut by = By::Day;
    let mut cells = Vec::new();
    for (n, rec) in reader.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|err| bad_line(e, line, err))?;
        let f: Vec<&str> = rec.iter().collect();
        if wide_day {
            // The total row of files from before 0.2: recomputed, never
            // merged.
            if f[0] == "total" {
                continue;
            }
            let day = date(e, line, f[0])?;
            for (metric, field) in h.iter().zip(&f).skip(1) {
                // A ratio is no count: adding centres' ratios means
                // nothing (the counts it is made of are merged).
                if is_ratio(metric) {
                    continue;
                }
                let value = match *field {
                    "" => None,
                    v => Some(count(e, line, v)?),
                };
                cells.push(Cell {
                    start: day.clone(),
                    end: day.clone(),
                    centre: e.centre.clone(),
                    metric: metric.to_string(),
                    value,
                });
            }
            continue;
        }
        let (start, end, rest) = if h == long_day {
            let d = date(e, line, f[0])?;
            (d.clone(), d, &f[1..])
        } else {
            let kind = By::parse(f[2]).ok_or_else(|| bad_line(e, line, f[2]))?;
            if !cells.is_empty() && kind != by {
                return Err(bad_line(e, line, f[2]));
            }
            by = kind;
            (date(e, line, f[0])?, date(e, line, f[1])?, &f[3..])
        };
        let [centre, metric, value, suppressed] = rest else {
            return Err(bad_line(e, line, "columns"));
        };
        if centre.trim().is_empty() {
            return Err(InvalidInput::new("centre", "not_empty"));
        }
        let value = match (*value, *suppressed) {
            ("", "true") => None,
            (v, "false") => Some(count(e, line, v)?),
            (_, other) => return Err(bad_line(e, line, other)),
        };
        cells.push(Cell {
            start,
            end,
            centre: centre.to_string(),
            metric: metric.to_string(),
            value,
        });
    }
    Ok(Parsed { by, cells })
}

/// Merges exports. Centres may have different catalogs: the metrics are
/// the union (a centre without an item handed out none). Refused: files
/// of different period kinds, and a count given twice (the same centre,
/// period and metric in two files, or twice in one).
pub fn merge(exports: &[CentreExport], format: MergeFormat) -> Result<String, InvalidInput> {
    let parsed: Vec<Parsed> = exports.iter().map(parse).collect::<Result<_, _>>()?;
    let Some(first) = parsed.first() else {
        return Err(InvalidInput::new("files", "none_to_merge"));
    };
    let mut seen: HashSet<(&str, &str, &str)> = HashSet::new();
    // Metrics in the order they first come (the first file's catalog
    // order, then what others add).
    let mut metrics: Vec<&str> = Vec::new();
    let mut metric_at: HashMap<&str, usize> = HashMap::new();
    for (e, p) in exports.iter().zip(&parsed) {
        if p.by != first.by {
            return Err(InvalidInput::new("file", "period_kinds_differ")
                .arg("file", &e.file)
                .arg("first", &exports[0].file));
        }
        for c in &p.cells {
            if !seen.insert((&c.start, &c.centre, &c.metric)) {
                return Err(InvalidInput::new("file", "cell_twice")
                    .arg("file", &e.file)
                    .arg("centre", &c.centre)
                    .arg("date", &c.start)
                    .arg("metric", &c.metric));
            }
            metric_at.entry(&c.metric).or_insert_with(|| {
                metrics.push(&c.metric);
                metrics.len() - 1
            });
        }
    }
    let by = first.by;
    let cells = parsed.iter().flat_map(|p| &p.cells);
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| InvalidInput::new("output", "write_failed").arg("detail", e);
    let periods: Vec<&str> = match by {
        By::Day => vec!["date"],
        _ => vec!["period_start", "period_end", "period_kind"],
    };
    let fields = |c: &Cell| -> Vec<String> {
        match by {
            By::Day => vec![c.start.clone()],
            _ => vec![c.start.clone(), c.end.clone(), by.id().to_string()],
        }
    };
    match format {
        MergeFormat::Long => {
            let mut header: Vec<&str> = periods.clone();
            header.extend(["centre", "metric", "value", "suppressed"]);
            w.write_record(&header).map_err(io)?;
            let mut all: Vec<&Cell> = cells.collect();
            all.sort_by(|a, b| {
                (&a.start, &a.centre, metric_at[a.metric.as_str()]).cmp(&(
                    &b.start,
                    &b.centre,
                    metric_at[b.metric.as_str()],
                ))
            });
            for c in all {
                let mut rec = fields(c);
                rec.push(c.centre.clone());
                rec.push(c.metric.clone());
                rec.push(c.value.map_or(String::new(), |n| n.to_string()));
                rec.push(c.value.is_none().to_string());
                w.write_record(&rec).map_err(io)?;
            }
        }
        MergeFormat::Sum => {
            // Per period: the sum of each metric; unknown (empty) where a
            // centre's count was suppressed.
            // By the whole period (a cut month and a whole one that start
            // the same day are two rows).
            type Row = (Vec<String>, Vec<Option<u64>>);
            let mut sums: BTreeMap<(&str, &str), Row> = BTreeMap::new();
            for c in cells {
                let row = sums
                    .entry((&c.start, &c.end))
                    .or_insert_with(|| (fields(c), vec![Some(0); metrics.len()]));
                let at = metric_at[c.metric.as_str()];
                row.1[at] = match (row.1[at], c.value) {
                    (Some(a), Some(b)) => Some(a.checked_add(b).ok_or_else(|| {
                        InvalidInput::new("file", "count_too_large").arg("date", &c.start)
                    })?),
                    _ => None,
                };
            }
            let mut header: Vec<String> = periods[..periods.len().min(2)]
                .iter()
                .map(|s| s.to_string())
                .collect();
            if by != By::Day {
                header.push("period_kind".into());
            }
            // Summed over centres, visitors are not unique: a person who
            // visits two centres is counted by both.
            header.extend(metrics.iter().map(|m| match *m {
                "unique_visitors" => "unique_visitors_summed".to_string(),
                m => m.to_string(),
            }));
            w.write_record(&header).map_err(io)?;
            for (_, (mut rec, counts)) in sums {
                rec.extend(
                    counts
                        .iter()
                        .map(|n| n.map_or(String::new(), |n| n.to_string())),
                );
                w.write_record(&rec).map_err(io)?;
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| InvalidInput::new("output", "write_failed").arg("detail", e))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
}
