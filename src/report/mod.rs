//! Counts to rows: the daily export. Pure functions over `DayCounts`; the
//! export never sees aliases, codes, notes or staff.

pub mod audit;
pub mod dhis2;
pub mod merge;
pub mod period;
pub mod stock;
mod suppress;
mod xlsx;

pub use suppress::determined;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use time::Date;

use crate::domain::{Catalog, Channel, DayCounts, EVENT_IDS, Gender, Naloxone};

/// What an export needs of a registered visitor: when they were
/// registered (new or returning), birth year and gender (age bands and
/// genders). Never an alias or a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub registered: Date,
    pub birth_year: Option<u16>,
    pub gender: Option<Gender>,
}

/// The days' counts of a range, and the profiles of the visitors in them.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub days: Vec<(Date, DayCounts)>,
    pub profiles: HashMap<u64, Profile>,
}

impl From<Vec<(Date, DayCounts)>> for Counts {
    /// Counts without profiles: every visitor returning, of unknown age
    /// and gender.
    fn from(days: Vec<(Date, DayCounts)>) -> Counts {
        Counts {
            days,
            profiles: HashMap::new(),
        }
    }
}

/// The columns counting a period's different visitors by what their
/// profile says, after `unique_visitors`'s other parts: returning (registered
/// before the period), then age bands at the period's first day's year,
/// then genders. Each group of age bands and genders adds up to
/// `unique_visitors`.
pub const PEOPLE_COLUMNS: [&str; 11] = [
    "returning_visitors",
    "age_under_25",
    "age_25_34",
    "age_35_44",
    "age_45_54",
    "age_55_plus",
    "age_unknown",
    "gender_female",
    "gender_male",
    "gender_other",
    "gender_unknown",
];

/// The different visitors of a period counted by `PEOPLE_COLUMNS`. A
/// visitor without a profile (not found) is returning, of unknown age and
/// gender; so is an erased one's age and gender.
fn people<'a>(
    visitors: impl Iterator<Item = &'a u64>,
    start: Date,
    profiles: &HashMap<u64, Profile>,
) -> [u64; 11] {
    let mut n = [0u64; 11];
    for v in visitors {
        let p = profiles.get(v);
        if p.is_none_or(|p| p.registered < start) {
            n[0] += 1;
        }
        let age = p
            .and_then(|p| p.birth_year)
            .map(|y| start.year() - i32::from(y));
        let band = match age {
            Some(a) if a < 25 => 1,
            Some(a) if a < 35 => 2,
            Some(a) if a < 45 => 3,
            Some(a) if a < 55 => 4,
            Some(_) => 5,
            None => 6,
        };
        n[band] += 1;
        let gender = match p.and_then(|p| p.gender) {
            Some(Gender::Female) => 7,
            Some(Gender::Male) => 8,
            Some(Gender::Other) => 9,
            None => 10,
        };
        n[gender] += 1;
    }
    n
}

/// The first six columns, always in this order.
pub const FIXED_COLUMNS: [&str; 6] = [
    "date",
    "contacts",
    "unique_visitors",
    "new_visitors",
    "anonymous_contacts",
    "conversations",
];

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
#[derive(PartialEq, Eq)]
enum Source {
    Channel(Channel),
    ItemOut(String),
    Topic(String),
    Flag(usize),
    CollectedFor,
    Referral(String),
    Naloxone(Naloxone),
    Returned(String),
    /// Returned per 100 handed out (rounded); no value where none went out.
    ReturnedPct(String),
    Doses(String, u16),
    People(usize),
}

impl Source {
    fn read(&self, c: &DayCounts, people: &[u64; 11]) -> u64 {
        let get = |m: &std::collections::BTreeMap<String, u32>, k: &str| {
            u64::from(m.get(k).copied().unwrap_or(0))
        };
        match self {
            Source::Channel(ch) => u64::from(c.channels[ch.index()]),
            Source::ItemOut(id) => get(&c.items_out, id),
            Source::Topic(id) => get(&c.topics, id),
            Source::Flag(i) => u64::from(c.flags[*i]),
            Source::CollectedFor => u64::from(c.collected_for),
            Source::Referral(id) => get(&c.referrals, id),
            Source::Naloxone(n) => u64::from(c.naloxone[n.index()]),
            Source::Returned(id) => get(&c.items_returned, id),
            Source::ReturnedPct(id) => {
                let out = get(&c.items_out, id);
                (get(&c.items_returned, id) * 100 + out / 2)
                    .checked_div(out)
                    .unwrap_or(0)
            }
            Source::Doses(id, per) => get(&c.items_out, id) * u64::from(*per),
            Source::People(i) => people[*i],
        }
    }
}

/// How an export's rows are cut: one per day, ISO week (Monday to
/// Sunday), calendar month, calendar year, or one for the whole range.
/// Periods at the ends are cut to the range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum By {
    #[default]
    Day,
    Week,
    Month,
    Year,
    Range,
}

impl By {
    /// The word in files (`period_kind`) and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            By::Day => "day",
            By::Week => "week",
            By::Month => "month",
            By::Year => "year",
            By::Range => "range",
        }
    }

    /// The `period_kind` a file names, if it is one.
    pub fn parse(s: &str) -> Option<By> {
        [By::Day, By::Week, By::Month, By::Year, By::Range]
            .into_iter()
            .find(|b| b.id() == s)
    }
}

/// The periods of `by` from `from` to `to`, each cut to the range.
pub fn periods(from: Date, to: Date, by: By) -> Vec<(Date, Date)> {
    let mut out = Vec::new();
    let mut start = from;
    loop {
        let end = match by {
            By::Day => start,
            By::Range => to,
            By::Week => period::range(period::Period::Week, start, (start, start)).1,
            By::Month => period::range(period::Period::Month, start, (start, start)).1,
            By::Year => {
                Date::from_calendar_date(start.year(), time::Month::December, 31).unwrap_or(to)
            }
        }
        .min(to);
        out.push((start, end));
        match end.next_day() {
            Some(next) if next <= to => start = next,
            _ => break,
        }
    }
    out
}

/// An export's table: one row per period (its first and last day), one
/// column per metric, and which cells are suppressed (written empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub by: By,
    /// Metric names, plain SQL identifiers (`item_meal_pack`).
    pub columns: Vec<String>,
    pub rows: Vec<(Date, Date, Vec<u64>)>,
    /// Per row and column: suppressed (a small number, or one that would
    /// give a small number away).
    pub hidden: Vec<Vec<bool>>,
    /// What holds in every row, as (column, coefficient) summing to 0:
    /// contacts - door - phone - outreach, doses - units × doses per unit.
    /// A suppressed cell must not follow from the rest of its row.
    relations: Vec<Vec<(usize, i64)>>,
    /// Columns whose periods add up to the range's total (not unique
    /// visitors: a visitor of two days is one visitor of both).
    additive: Vec<bool>,
    /// Ratio columns (returned per 100 out) and the two they come from:
    /// (ratio, returned, out). A ratio is no count of people: it goes where
    /// either source goes, and has no value where nothing went out.
    ratios: Vec<(usize, usize, usize)>,
    /// The whole range as one row (`--by range`), for a table of more
    /// than one period: what suppression takes the published totals from.
    range: Option<Vec<u64>>,
}

/// A metric's column name: its id as a plain SQL identifier. Catalog ids
/// are `a-z 0-9 -`, so `-` becomes `_` (`meal-pack` -> `item_meal_pack`),
/// and two ids never meet in one name.
pub fn column_name(prefix: &str, id: &str) -> String {
    format!("{prefix}_{}", id.replace('-', "_"))
}

/// Builds the table. Item and topic columns follow the catalog's order;
/// ids found in the data but no longer in the catalog come after, sorted.
/// Each period's counts are its days' together: sums, and the different
/// visitors over the whole period (not a sum of days).
pub fn table(counts: &Counts, catalog: &Catalog, from: Date, to: Date, by: By) -> Table {
    let days = &counts.days;
    let mut items: Vec<String> = catalog.items.iter().map(|i| i.id.clone()).collect();
    let mut topics: Vec<String> = catalog.topics.iter().map(|t| t.id.clone()).collect();
    let mut returned: Vec<String> = catalog
        .items
        .iter()
        .filter(|i| i.returnable)
        .map(|i| i.id.clone())
        .collect();
    let mut referrals: Vec<String> = catalog.referrals.iter().map(|r| r.id.clone()).collect();
    let (mut more_items, mut more_topics, mut more_returned, mut more_referrals) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
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
        more_referrals.extend(
            c.referrals
                .keys()
                .filter(|k| catalog.referral(k).is_none())
                .cloned(),
        );
    }
    items.extend(more_items);
    topics.extend(more_topics);
    returned.extend(more_returned);
    referrals.extend(more_referrals);

    let mut sources: Vec<(String, Source)> = Vec::new();
    for ch in Channel::ALL {
        sources.push((column_name("channel", ch.id()), Source::Channel(ch)));
    }
    for id in &items {
        sources.push((column_name("item", id), Source::ItemOut(id.clone())));
    }
    for id in &topics {
        sources.push((column_name("topic", id), Source::Topic(id.clone())));
    }
    for (i, f) in EVENT_IDS.iter().enumerate() {
        sources.push(((*f).to_string(), Source::Flag(i)));
    }
    sources.push(("collecting_for_people".into(), Source::CollectedFor));
    for id in &referrals {
        sources.push((column_name("referred", id), Source::Referral(id.clone())));
    }
    for n in Naloxone::ALL {
        sources.push((n.column().into(), Source::Naloxone(n)));
    }
    for id in &returned {
        sources.push((column_name("returned", id), Source::Returned(id.clone())));
    }
    for id in &returned {
        sources.push((
            column_name("returned_pct", id),
            Source::ReturnedPct(id.clone()),
        ));
    }
    for item in catalog.items.iter().filter(|i| i.doses_per_unit > 1) {
        sources.push((
            column_name("doses", &item.id),
            Source::Doses(item.id.clone(), item.doses_per_unit),
        ));
    }
    for (i, name) in PEOPLE_COLUMNS.iter().enumerate() {
        sources.push((name.to_string(), Source::People(i)));
    }

    let fixed = &FIXED_COLUMNS[1..];
    let mut columns: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    columns.extend(sources.iter().map(|(name, _)| name.clone()));
    let at = |s: &Source| fixed.len() + sources.iter().position(|(_, o)| o == s).unwrap_or(0);
    let mut relations = vec![
        std::iter::once((0, 1))
            .chain(
                Channel::ALL
                    .iter()
                    .map(|ch| (at(&Source::Channel(*ch)), -1)),
            )
            .collect::<Vec<_>>(),
    ];
    for item in catalog.items.iter().filter(|i| i.doses_per_unit > 1) {
        relations.push(vec![
            (at(&Source::Doses(item.id.clone(), item.doses_per_unit)), 1),
            (
                at(&Source::ItemOut(item.id.clone())),
                -i64::from(item.doses_per_unit),
            ),
        ]);
    }
    // Unique visitors are the new and the returning ones (new is counted
    // at registration, so a visitor registered and not seen makes this
    // hold only nearly: suppression takes it as exact, which only
    // suppresses more), and each of the age bands and genders.
    let person_col = |i: usize| at(&Source::People(i));
    relations.push(vec![(1, 1), (2, -1), (person_col(0), -1)]);
    for group in [1..7, 7..11] {
        relations.push(
            std::iter::once((1, 1))
                .chain(group.map(|i| (person_col(i), -1)))
                .collect(),
        );
    }
    let ratios = returned
        .iter()
        .map(|id| {
            (
                at(&Source::ReturnedPct(id.clone())),
                at(&Source::Returned(id.clone())),
                sources
                    .iter()
                    .position(|(_, o)| *o == Source::ItemOut(id.clone()))
                    .map_or(usize::MAX, |p| fixed.len() + p),
            )
        })
        .collect::<Vec<_>>();
    // The days the centre was open (had a contact), last: a count of
    // days, not of people, so never suppressed.
    columns.push("days_open".into());
    // Unique visitors and the columns counting them by profile are not
    // sums of their days, nor are ratios.
    let additive = (0..columns.len())
        .map(|i| {
            i != 1
                && !ratios.iter().any(|r| r.0 == i)
                && !(0..PEOPLE_COLUMNS.len()).any(|p| person_col(p) == i)
        })
        .collect();

    let row_of = |c: &DayCounts, start: Date| {
        let mut row = vec![
            u64::from(c.contacts),
            u64::from(c.unique_visitors()),
            u64::from(c.new_visitors),
            u64::from(c.anonymous_contacts),
            u64::from(c.conversations),
        ];
        let by_profile = people(c.visitors.keys(), start, &counts.profiles);
        row.extend(sources.iter().map(|(_, s)| s.read(c, &by_profile)));
        row
    };
    let row_over = |a: Date, b: Date| {
        let within = days.iter().filter(|(d, _)| (a..=b).contains(d));
        let open = within.clone().filter(|(_, c)| c.contacts > 0).count();
        let mut row = row_of(&range_total(within), a);
        row.push(open as u64);
        row
    };
    let rows: Vec<(Date, Date, Vec<u64>)> = periods(from, to, by)
        .into_iter()
        .map(|(a, b)| (a, b, row_over(a, b)))
        .collect();
    // The range's own row, as `--by range` writes it: its visitors and
    // their profiles are not the sums of the periods'.
    let range = (rows.len() > 1).then(|| row_over(from, to));
    let hidden = rows.iter().map(|r| vec![false; r.2.len()]).collect();
    Table {
        by,
        columns,
        rows,
        hidden,
        relations,
        additive,
        ratios,
        range,
    }
}

impl Table {
    /// The period columns: `date` for days, else `period_start` and
    /// `period_end`.
    fn period_columns(&self) -> Vec<&'static str> {
        match self.by {
            By::Day => vec!["date"],
            _ => vec!["period_start", "period_end"],
        }
    }

    fn period_fields(&self, a: Date, b: Date) -> Vec<String> {
        match self.by {
            By::Day => vec![iso(a)],
            _ => vec![iso(a), iso(b)],
        }
    }

    /// A cell as written: the count, or empty when suppressed or when it
    /// has no value (a ratio where nothing went out).
    fn cell(&self, r: usize, c: usize) -> Option<u64> {
        (!self.hidden[r][c] && !self.undefined(r, c)).then(|| self.rows[r].2[c])
    }

    /// The value of column `name` in row `r` as written (none where
    /// suppressed or without a value, or where there is no such column).
    pub fn value(&self, r: usize, name: &str) -> Option<u64> {
        let c = self.columns.iter().position(|x| x == name)?;
        self.rows.get(r)?;
        self.cell(r, c)
    }

    /// A ratio where nothing went out: no value, and not a suppressed one.
    pub fn undefined(&self, r: usize, c: usize) -> bool {
        self.ratios
            .iter()
            .any(|&(p, _, out)| p == c && self.rows[r].2.get(out).is_none_or(|n| *n == 0))
    }

    /// CSV with a header row, ISO dates; a suppressed count is an empty
    /// field (NULL to a database, missing to pandas, never 0). `excel`:
    /// the way Nordic Excel opens CSV (a BOM, `;`, CRLF).
    pub fn write_csv<W: Write>(&self, out: W, excel: bool) -> std::io::Result<()> {
        let mut w = csv_writer(out, excel)?;
        let mut header: Vec<String> = self
            .period_columns()
            .iter()
            .map(|s| s.to_string())
            .collect();
        header.extend(self.columns.iter().cloned());
        w.write_record(&header)?;
        for (r, (a, b, row)) in self.rows.iter().enumerate() {
            let mut record = self.period_fields(*a, *b);
            record.extend(
                (0..row.len()).map(|c| self.cell(r, c).map_or(String::new(), |n| n.to_string())),
            );
            w.write_record(&record)?;
        }
        w.flush()
    }

    /// A JSON array with one object per period, keys in column order; a
    /// suppressed count is `null`.
    pub fn write_json<W: Write>(&self, out: W) -> std::io::Result<()> {
        let rows: Vec<serde_json::Map<String, serde_json::Value>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(r, (a, b, row))| {
                let mut m = serde_json::Map::new();
                for (k, v) in self.period_columns().iter().zip(self.period_fields(*a, *b)) {
                    m.insert(k.to_string(), v.into());
                }
                for (c, name) in self.columns.iter().enumerate().take(row.len()) {
                    m.insert(
                        name.clone(),
                        self.cell(r, c).map_or(serde_json::Value::Null, Into::into),
                    );
                }
                m
            })
            .collect();
        let mut out = std::io::BufWriter::new(out);
        serde_json::to_writer_pretty(&mut out, &rows)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// The long format, one row per period and metric: `date,centre,
    /// metric,value,suppressed` (by day), or `period_start,period_end,
    /// period_kind,centre,metric,value,suppressed`. A suppressed value is
    /// empty with `suppressed` `true`.
    pub fn write_long<W: Write>(&self, out: W, centre: &str, excel: bool) -> std::io::Result<()> {
        let mut w = csv_writer(out, excel)?;
        let mut header: Vec<String> = self
            .period_columns()
            .iter()
            .map(|s| s.to_string())
            .collect();
        if self.by != By::Day {
            header.push("period_kind".into());
        }
        header.extend(["centre", "metric", "value", "suppressed"].map(String::from));
        w.write_record(&header)?;
        let centre = if excel {
            excel_text(centre)
        } else {
            centre.to_string()
        };
        for (r, (a, b, row)) in self.rows.iter().enumerate() {
            for (c, name) in self.columns.iter().enumerate().take(row.len()) {
                // Counts only: a ratio would be added up across centres
                // (the counts it is made of are here).
                if self.ratios.iter().any(|x| x.0 == c) {
                    continue;
                }
                let mut record = self.period_fields(*a, *b);
                if self.by != By::Day {
                    record.push(self.by.id().into());
                }
                let cell = self.cell(r, c);
                record.push(centre.clone());
                record.push(name.clone());
                record.push(cell.map_or(String::new(), |n| n.to_string()));
                record.push(self.hidden[r][c].to_string());
                w.write_record(&record)?;
            }
        }
        w.flush()
    }
}

/// A CSV writer; `excel`: a UTF-8 BOM first, `;` between fields, CRLF.
fn csv_writer<W: Write>(mut out: W, excel: bool) -> std::io::Result<csv::Writer<W>> {
    let mut b = csv::WriterBuilder::new();
    if excel {
        out.write_all("\u{feff}".as_bytes())?;
        b.delimiter(b';').terminator(csv::Terminator::CRLF);
    }
    Ok(b.from_writer(out))
}

/// Text for a spreadsheet cell: one that starts like a formula (`= + -
/// @`, or a tab or return) is kept as text with a leading `'`.
pub fn excel_text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Export file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One row per period, one column per metric.
    Csv,
    Json,
    /// One row per period and metric, with the centre.
    Long,
    /// A spreadsheet: periods, items, topics and the range's totals.
    Xlsx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv | Format::Long => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

/// How an export is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    pub by: By,
    /// Suppress counts from 1 to N-1, and the ones they could be worked
    /// out from (for sharing outside the centre).
    pub suppress_below: Option<u64>,
    /// CSV for Nordic Excel: BOM, `;`, CRLF, formula-like text neutralised.
    pub excel: bool,
    /// The centre's name in the long format.
    pub centre: String,
    /// The language of the spreadsheet's names.
    pub lang: crate::i18n::Lang,
}

/// The whole export of the days `from..=to` (given their counts), as bytes.
pub fn export(
    counts: &Counts,
    catalog: &Catalog,
    from: Date,
    to: Date,
    format: Format,
    opts: &ExportOptions,
) -> Vec<u8> {
    let mut t = table(counts, catalog, from, to, opts.by);
    if let Some(n) = opts.suppress_below {
        t.suppress(n);
    }
    let mut buf = Vec::new();
    let written = match format {
        Format::Csv => t.write_csv(&mut buf, opts.excel),
        Format::Json => t.write_json(&mut buf),
        Format::Long => t.write_long(&mut buf, &opts.centre, opts.excel),
        Format::Xlsx => {
            let mut total = table(counts, catalog, from, to, By::Range);
            if let Some(n) = opts.suppress_below {
                total.suppress(n);
            }
            let tx = crate::i18n::Texts::new(opts.lang);
            buf = xlsx::workbook(&t, &total, catalog, &tx)
                .expect("a workbook of numbers and checked names is written in memory");
            Ok(())
        }
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
