//! Counts to rows: the daily export. Pure functions over `DayCounts`; the
//! export never sees aliases, codes, notes or staff.

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
/// included (as zeros), and the column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyTable {
    pub columns: Vec<String>,
    pub rows: Vec<(Date, Vec<u64>)>,
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
        let mut row = vec![
            u64::from(c.contacts),
            u64::from(c.unique_visitors()),
            u64::from(c.new_visitors),
            u64::from(c.anonymous_contacts),
            u64::from(c.conversations),
        ];
        row.extend(sources.iter().map(|(_, s)| s.read(c)));
        rows.push((day, row));
        match day.next_day() {
            Some(next) if next <= to => day = next,
            _ => break,
        }
    }
    DailyTable { columns, rows }
}

/// `YYYY-MM-DD`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

impl DailyTable {
    /// UTF-8 CSV with a header row, ISO dates, `\n` line ends.
    pub fn write_csv<W: Write>(&self, out: W) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.columns)?;
        let mut record = csv::StringRecord::new();
        for (day, row) in &self.rows {
            record.clear();
            record.push_field(&iso(*day));
            for n in row {
                record.push_field(&n.to_string());
            }
            w.write_record(&record)?;
        }
        w.flush()
    }

    /// A JSON array with one object per day, keys in column order.
    pub fn write_json<W: Write>(&self, out: W) -> std::io::Result<()> {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = self
            .rows
            .iter()
            .map(|(day, row)| {
                let mut m = serde_json::Map::new();
                m.insert(self.columns[0].clone(), iso(*day).into());
                for (name, n) in self.columns[1..].iter().zip(row) {
                    m.insert(name.clone(), (*n).into());
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
