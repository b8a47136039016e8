//! Counts to rows: the daily export. Pure functions over `DayCounts`; the
//! export never sees aliases, codes, notes or staff.

pub mod audit;
pub mod merge;
pub mod period;
pub mod stock;

use std::collections::BTreeSet;
use std::io::Write;

use time::Date;

use crate::domain::{Catalog, Channel, DayCounts, Flags};

/// The first six columns, always in this order.
pub const FIXED_COLUMNS: [&str; 6] = [
    "date",
    "contacts",
    "unique_visitors",
    "new_visitors",
    "anonymous_contacts",
    "conversations",
];

/// One row per service day from `from` to `to`, days without contacts
/// included (as zeros), and the column names; optionally a last row over
/// the whole range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyTable {
    pub columns: Vec<String>,
    pub rows: Vec<(Date, Vec<u64>)>,
    /// Counts over the whole range (`date` = `total`): sums, except unique
    /// visitors, which are unique over the range.
    pub total: Option<Vec<u64>>,
}

/// How an export is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Add the `total` row.
    pub totals: bool,
    /// Replace counts from 1 to N-1 by the marker `<N` (small-number
    /// suppression for sharing outside the centre). Zeros stay.
    pub suppress_below: Option<u64>,
}

/// Counts over a range: every count summed, visitors united, so
/// `unique_visitors()` is unique over the whole range.
pub fn range_total<'a>(days: impl IntoIterator<Item = &'a (Date, DayCounts)>) -> DayCounts {
    let mut total = DayCounts::default();
    for (_, c) in days {
        total.add(c);
    }
    total
}

/// Which column a number comes from.
enum Source {
    Channel(Channel),
    ItemOut(String),
    Topic(String),
    Flag(usize),
    Returned(String),
    Doses(String, u16),
}

impl Source {
    fn read(&self, c: &DayCounts) -> u64 {
        let get = |m: &std::collections::BTreeMap<String, u32>, k: &str| {
            u64::from(m.get(k).copied().unwrap_or(0))
        };
        match self {
            Source::Channel(ch) => u64::from(c.channels[ch.index()]),
            Source::ItemOut(id) => get(&c.items_out, id),
            Source::Topic(id) => get(&c.topics, id),
            Source::Flag(i) => u64::from(c.flags[*i]),
            Source::Returned(id) => get(&c.items_returned, id),
            Source::Doses(id, per) => get(&c.items_out, id) * u64::from(*per),
        }
    }
}

/// Builds the table. Item and topic columns follow the catalog's order;
/// ids found in the data but no longer in the catalog come after, sorted.
pub fn daily_table(
    catalog: &Catalog,
    days: &[(Date, DayCounts)],
    from: Date,
    to: Date,
    totals: bool,
) -> DailyTable {
    let mut items: Vec<String> = catalog.items.iter().map(|i| i.id.clone()).collect();
    let mut topics: Vec<String> = catalog.topics.iter().map(|t| t.id.clone()).collect();
    let mut returned: Vec<String> = catalog
        .items
        .iter()
        .filter(|i| i.returnable)
        .map(|i| i.id.clone())
        .collect();
    let (mut more_items, mut more_topics, mut more_returned) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for (_, c) in days {
        more_items.extend(
            c.items_out
                .keys()
                .filter(|k| catalog.item(k).is_none())
                .cloned(),
        );
        more_topics.extend(
            c.topics
                .keys()
                .filter(|k| catalog.topic(k).is_none())
                .cloned(),
        );
        more_returned.extend(
            c.items_returned
                .keys()
                .filter(|k| !returned.contains(k))
                .cloned(),
        );
    }
    items.extend(more_items);
    topics.extend(more_topics);
    returned.extend(more_returned);

    let mut sources: Vec<(String, Source)> = Vec::new();
    for ch in Channel::ALL {
        sources.push((format!("channel_{}", ch.id()), Source::Channel(ch)));
    }
    for id in &items {
        sources.push((format!("item_{id}"), Source::ItemOut(id.clone())));
    }
    for id in &topics {
        sources.push((format!("topic_{id}"), Source::Topic(id.clone())));
    }
    for (i, f) in Flags::IDS.iter().enumerate() {
        sources.push(((*f).to_string(), Source::Flag(i)));
    }
    for id in &returned {
        sources.push((format!("returned_{id}"), Source::Returned(id.clone())));
    }
    for item in catalog.items.iter().filter(|i| i.doses_per_unit > 1) {
        sources.push((
            format!("doses_{}", item.id),
            Source::Doses(item.id.clone(), item.doses_per_unit),
        ));
    }

    let mut columns: Vec<String> = FIXED_COLUMNS.iter().map(|s| s.to_string()).collect();
    columns.extend(sources.iter().map(|(name, _)| name.clone()));

    let row_of = |c: &DayCounts| {
        let mut row = vec![
            u64::from(c.contacts),
            u64::from(c.unique_visitors()),
            u64::from(c.new_visitors),
            u64::from(c.anonymous_contacts),
            u64::from(c.conversations),
        ];
        row.extend(sources.iter().map(|(_, s)| s.read(c)));
        row
    };
    let empty = DayCounts::default();
    let mut rows = Vec::new();
    let mut it = days.iter().peekable();
    let mut day = from;
    loop {
        while it.peek().is_some_and(|(d, _)| *d < day) {
            it.next();
        }
        let c = match it.peek() {
            Some((d, c)) if *d == day => c,
            _ => &empty,
        };
        rows.push((day, row_of(c)));
        match day.next_day() {
            Some(next) if next <= to => day = next,
            _ => break,
        }
    }
    let in_range = days.iter().filter(|(d, _)| (from..=to).contains(d));
    let total = totals.then(|| row_of(&range_total(in_range)));
    DailyTable {
        columns,
        rows,
        total,
    }
}

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// The whole export of the days `from..=to` (given their counts), as bytes.
pub fn export(
    catalog: &Catalog,
    days: &[(Date, DayCounts)],
    from: Date,
    to: Date,
    format: Format,
    opts: &ExportOptions,
) -> Vec<u8> {
    let table = daily_table(catalog, days, from, to, opts.totals);
    let mut buf = Vec::new();
    let written = match format {
        Format::Csv => table.write_csv(&mut buf, opts),
        Format::Json => table.write_json(&mut buf, opts),
    };
    written.expect("writing to memory does not fail");
    buf
}

/// Parses `YYYY-MM-DD`, or `DD.MM.YYYY` as Norwegian and Danish staff
/// write dates (`26.11.2026`, also `1.2.2026`).
pub fn parse_date(field: &'static str, raw: &str) -> Result<Date, crate::domain::InvalidInput> {
    let bad = || crate::domain::InvalidInput::new(field, "date_form");
    let raw = raw.trim();
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    if let Ok(d) = Date::parse(raw, &iso) {
        return Ok(d);
    }
    let parts: Vec<&str> = raw.split('.').collect();
    let [d, m, y] = parts[..] else {
        return Err(bad());
    };
    let num = |s: &str, max_len: usize| {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    // A two-digit year is this century's (`26.11.26`).
    let year = match y.len() {
        4 => num(y, 4),
        2 => num(y, 2).map(|y| 2000 + y),
        _ => None,
    };
    match (num(d, 2), num(m, 2), year) {
        (Some(d), Some(m), Some(y)) => {
            let month = time::Month::try_from(m as u8).map_err(|_| bad())?;
            Date::from_calendar_date(y, month, d as u8).map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

/// The longest range one report or export covers (about 30 years).
pub const MAX_DAYS: i64 = 11_000;

/// Parses a from/to pair of `YYYY-MM-DD` dates: from not after to, and not
/// more than `MAX_DAYS` apart.
pub fn parse_range(from: &str, to: &str) -> Result<(Date, Date), crate::domain::InvalidInput> {
    let (from, to) = (parse_date("from", from)?, parse_date("to", to)?);
    if from > to {
        return Err(crate::domain::InvalidInput::new("from", "after_to"));
    }
    if (to - from).whole_days() >= MAX_DAYS {
        return Err(crate::domain::InvalidInput::new("to", "too_many_days").arg("max", MAX_DAYS));
    }
    Ok((from, to))
}

/// `YYYY-MM-DD`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// One count as written: the number, or the suppression marker.
fn shown(n: u64, opts: &ExportOptions) -> Result<u64, String> {
    match opts.suppress_below {
        Some(limit) if n > 0 && n < limit => Err(format!("<{limit}")),
        _ => Ok(n),
    }
}

impl DailyTable {
    /// Rows as written: the date (or `total`) and the counts.
    fn labelled(&self) -> impl Iterator<Item = (String, &Vec<u64>)> {
        self.rows
            .iter()
            .map(|(d, r)| (iso(*d), r))
            .chain(self.total.iter().map(|r| ("total".to_string(), r)))
    }

    /// UTF-8 CSV with a header row, ISO dates, `\n` line ends.
    pub fn write_csv<W: Write>(&self, out: W, opts: &ExportOptions) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.columns)?;
        let mut record = csv::StringRecord::new();
        for (label, row) in self.labelled() {
            record.clear();
            record.push_field(&label);
            for n in row {
                match shown(*n, opts) {
                    Ok(n) => record.push_field(&n.to_string()),
                    Err(marker) => record.push_field(&marker),
                }
            }
            w.write_record(&record)?;
        }
        w.flush()
    }

    /// A JSON array with one object per day, keys in column order.
    /// Suppressed counts are the marker string, e.g. `"<5"`.
    pub fn write_json<W: Write>(&self, out: W, opts: &ExportOptions) -> std::io::Result<()> {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = self
            .labelled()
            .map(|(label, row)| {
                let mut m = serde_json::Map::new();
                m.insert(self.columns[0].clone(), label.into());
                for (name, n) in self.columns[1..].iter().zip(row) {
                    let v = match shown(*n, opts) {
                        Ok(n) => n.into(),
                        Err(marker) => marker.into(),
                    };
                    m.insert(name.clone(), v);
                }
                m
            })
            .collect();
        let mut out = std::io::BufWriter::new(out);
        serde_json::to_writer_pretty(&mut out, &rows)?;
        out.write_all(b"\n")?;
        out.flush()
    }
}

#[cfg(test)]
mod date_tests {
    use super::parse_date;
    use time::macros::date;

    #[test]
    fn dates_are_read_as_iso_and_as_nordic_staff_write_them() {
        for raw in ["2026-11-26", "26.11.2026", " 26.11.2026 "] {
            assert_eq!(parse_date("from", raw).unwrap(), date!(2026 - 11 - 26));
        }
        assert_eq!(
            parse_date("from", "1.2.2026").unwrap(),
            date!(2026 - 02 - 01)
        );
        for bad in [
            "31.02.2026",
            "26.11.226",
            "26.11",
            "x.y.z",
            "",
            "2026-13-01",
            "+1.1.2026",
        ] {
            assert!(parse_date("from", bad).is_err(), "{bad}");
        }
    }
}
