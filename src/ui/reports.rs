//! The coordinator's reports screen: the numbers of a day, week, month or
//! custom range, the last 30 days and the busiest hours.

use time::{Date, Duration};

use crate::domain::DayCounts;
use crate::report::range_total;
use crate::store::{Result, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    Custom,
}

/// A custom range being typed: from and to, `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RangeEntry {
    pub fields: [String; 2],
    pub focus: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reports {
    pub period: Period,
    /// A day inside the period shown (day, week, month).
    pub anchor: Date,
    pub custom: (Date, Date),
    pub entry: RangeEntry,
    /// What is on screen.
    pub from: Date,
    pub to: Date,
    pub total: DayCounts,
    /// Contacts per day for the 30 days ending `to`.
    pub last30: Vec<(Date, u32)>,
}

impl Reports {
    pub fn new(store: &Store, today: Date) -> Result<Reports> {
        let mut r = Reports {
            period: Period::Month,
            anchor: today,
            custom: (today, today),
            entry: RangeEntry::default(),
            from: today,
            to: today,
            total: DayCounts::default(),
            last30: Vec::new(),
        };
        r.load(store)?;
        Ok(r)
    }

    /// The days of the period around `anchor`.
    pub fn range(&self) -> (Date, Date) {
        let a = self.anchor;
        match self.period {
            Period::Day => (a, a),
            Period::Week => {
                let monday = a - Duration::days(i64::from(a.weekday().number_days_from_monday()));
                (monday, monday + Duration::days(6))
            }
            Period::Month => {
                let first = a.replace_day(1).unwrap_or(a);
                let last = first
                    .replace_day(first.month().length(first.year()))
                    .unwrap_or(first);
                (first, last)
            }
            Period::Custom => self.custom,
        }
    }

    /// Reads the counts of the period and of the 30 days ending with it.
    pub fn load(&mut self, store: &Store) -> Result<()> {
        (self.from, self.to) = self.range();
        // One read covers the period and the 30 days ending with it.
        let start = self.to - Duration::days(29);
        let days = store.counts_range(start.min(self.from), self.to)?;
        self.total = range_total(days.iter().filter(|(d, _)| *d >= self.from));
        self.last30 = (0..30)
            .map(|i| {
                let d = start + Duration::days(i);
                let n = days
                    .binary_search_by_key(&d, |(day, _)| *day)
                    .map_or(0, |k| days[k].1.contacts);
                (d, n)
            })
            .collect();
        Ok(())
    }

    /// The previous (-1) or next (+1) period; a custom range moves by its length.
    pub fn step(&mut self, by: i64) {
        self.anchor = match self.period {
            Period::Day => self.anchor + Duration::days(by),
            Period::Week => self.anchor + Duration::weeks(by),
            Period::Month => {
                let (y, m) = (self.anchor.year(), self.anchor.month());
                let (y, m) = if by < 0 {
                    (
                        if m == time::Month::January { y - 1 } else { y },
                        m.previous(),
                    )
                } else {
                    (if m == time::Month::December { y + 1 } else { y }, m.next())
                };
                Date::from_calendar_date(y, m, 1).unwrap_or(self.anchor)
            }
            Period::Custom => {
                let len = (self.custom.1 - self.custom.0).whole_days() + 1;
                self.custom = (
                    self.custom.0 + Duration::days(by * len),
                    self.custom.1 + Duration::days(by * len),
                );
                self.anchor
            }
        };
    }

    /// The custom range typed in, checked.
    pub fn typed_range(&self) -> std::result::Result<(Date, Date), crate::domain::InvalidInput> {
        crate::report::parse_range(&self.entry.fields[0], &self.entry.fields[1])
    }

    /// The local hour with the most contacts in the period, if any.
    pub fn busiest_hour(&self) -> Option<(usize, u32)> {
        self.total
            .hours
            .iter()
            .copied()
            .enumerate()
            .filter(|(_, n)| *n > 0)
            .max_by_key(|(h, n)| (*n, std::cmp::Reverse(*h)))
    }
}

impl super::App<'_> {
    pub(super) fn open_reports(&mut self) {
        match Reports::new(self.store, self.day) {
            Ok(r) => {
                self.reports = Some(r);
                self.mode = super::app::Mode::Reports;
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    fn reload(&mut self) {
        let Some(r) = &mut self.reports else { return };
        if let Err(e) = r.load(self.store) {
            self.fail(e.to_string());
        }
    }

    pub(super) fn set_period(&mut self, p: Period) {
        let Some(r) = &mut self.reports else { return };
        if p == Period::Custom {
            r.entry = RangeEntry {
                fields: [crate::report::iso(r.from), crate::report::iso(r.to)],
                focus: 0,
            };
            self.mode = super::app::Mode::ReportRange;
            return;
        }
        r.period = p;
        self.reload();
    }

    pub(super) fn step_period(&mut self, by: i64) {
        if let Some(r) = &mut self.reports {
            r.step(by);
        }
        self.reload();
    }

    pub(super) fn this_period(&mut self) {
        if let Some(r) = &mut self.reports {
            r.anchor = self.day;
            if r.period == Period::Custom {
                r.period = Period::Month;
            }
        }
        self.reload();
    }

    pub(super) fn apply_range(&mut self) {
        let Some(r) = &mut self.reports else { return };
        match r.typed_range() {
            Ok(range) => {
                r.custom = range;
                r.period = Period::Custom;
                self.mode = super::app::Mode::Reports;
                self.reload();
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Writes the period's daily counts, with a total row, to
    /// `DATA_DIR/exports/` and says where.
    pub(super) fn export(&mut self, format: crate::report::Format) {
        let Some(r) = &self.reports else { return };
        let (from, to) = (r.from, r.to);
        let result = (|| -> std::result::Result<std::path::PathBuf, String> {
            self.store
                .require_coordinator(self.staff_id(), "export_counts")
                .map_err(|e| e.to_string())?;
            let days = self
                .store
                .counts_range(from, to)
                .map_err(|e| e.to_string())?;
            let opts = crate::report::ExportOptions {
                totals: true,
                suppress_below: None,
            };
            let bytes = crate::report::export(&self.cfg.catalog, &days, from, to, format, &opts);
            let dir = self.cfg.data_dir.join("exports");
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            let centre: String = self
                .cfg
                .centre
                .as_deref()
                .unwrap_or("doorlog")
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            let name = format!(
                "{centre}-{}-{}.{}",
                crate::report::iso(from),
                crate::report::iso(to),
                format.extension()
            );
            let path = dir.join(name);
            crate::files::write_atomically(&path, &bytes).map_err(|e| e.to_string())?;
            self.store
                .log("export", self.staff_id(), None, self.now.unix_timestamp())
                .map_err(|e| e.to_string())?;
            Ok(path)
        })();
        match result {
            Ok(path) => {
                let msg = self.tx.f("status.exported", &[("path", &path.display())]);
                self.say(msg);
            }
            Err(e) => {
                let msg = self.tx.f("status.export_failed", &[("error", &e)]);
                self.fail(msg);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn at(period: Period, anchor: Date) -> Reports {
        Reports {
            period,
            anchor,
            custom: (anchor, anchor),
            entry: RangeEntry::default(),
            from: anchor,
            to: anchor,
            total: DayCounts::default(),
            last30: Vec::new(),
        }
    }

    #[test]
    fn periods_are_calendar_weeks_and_months() {
        let d = date!(2026 - 11 - 26); // a Thursday
        assert_eq!(
            at(Period::Week, d).range(),
            (date!(2026 - 11 - 23), date!(2026 - 11 - 29))
        );
        assert_eq!(
            at(Period::Month, d).range(),
            (date!(2026 - 11 - 01), date!(2026 - 11 - 30))
        );
        assert_eq!(
            at(Period::Month, date!(2028 - 02 - 10)).range().1,
            date!(2028 - 02 - 29)
        );
        let mut r = at(Period::Month, date!(2026 - 01 - 31));
        r.step(-1);
        assert_eq!(r.range(), (date!(2025 - 12 - 01), date!(2025 - 12 - 31)));
        r.step(1);
        r.step(1);
        assert_eq!(r.range().0, date!(2026 - 02 - 01));
    }
}
