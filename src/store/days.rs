//! The counts of each service day.
//!
//! A day still going on is *open*: the store keeps only its contact
//! numbering and its new visitors (`open_day`, 12 bytes), so a save at the
//! hatch writes the contact and a few bytes, not the day's counts again;
//! an open day's counts are a fold over its contacts (a day is a few
//! hundred). A day that is over is *closed* once (`close_days_before`):
//! its counts are written into `day_record`, and a later change to it (an
//! undo, a correction, a back-dated contact) updates that record in the
//! same transaction as the change.

use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError as Abort, TransactionalTree};
use time::Date;

use super::visitors::tx_error;
use super::{Result, Store, StoreError, codec, keys};
use crate::domain::{Contact, DayCounts};

pub(crate) type TxResult<T> = std::result::Result<T, Abort<StoreError>>;

/// A closed day: its counts and the last contact number given (numbers
/// are never reused, even after an undo).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRecord {
    pub last_seq: u32,
    pub counts: DayCounts,
}

impl codec::Stored for DayRecord {
    fn from_v1(bytes: &[u8]) -> std::result::Result<Self, bincode::Error> {
        codec::read_old::<DayRecordV1, _>(bytes)
    }
}

impl From<DayRecordV1> for DayRecord {
    fn from(o: DayRecordV1) -> DayRecord {
        DayRecord {
            last_seq: o.last_seq,
            counts: o.counts.into(),
        }
    }
}

/// A closed day as value format 1 kept it.
#[derive(Deserialize)]
struct DayRecordV1 {
    last_seq: u32,
    counts: crate::domain::counts::DayCountsV1,
}

/// An open day: what its contacts do not tell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct OpenDay {
    pub last_seq: u32,
    pub new_visitors: u32,
    /// Undos and corrections so far: closing the day checks that nothing
    /// changed while it counted.
    pub edits: u32,
}

impl OpenDay {
    fn encode(&self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[..4].copy_from_slice(&self.last_seq.to_be_bytes());
        b[4..8].copy_from_slice(&self.new_visitors.to_be_bytes());
        b[8..].copy_from_slice(&self.edits.to_be_bytes());
        b
    }

    fn decode(b: &[u8]) -> Option<OpenDay> {
        let n = |i: usize| Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?));
        (b.len() == 12).then_some(())?;
        Some(OpenDay {
            last_seq: n(0)?,
            new_visitors: n(4)?,
            edits: n(8)?,
        })
    }
}

/// A day as a transaction finds it, to change it.
pub(crate) enum TxDay {
    Closed(Box<DayRecord>),
    Open(OpenDay),
}

impl TxDay {
    /// The next contact number of the day, counted.
    pub fn next_seq(&mut self) -> u32 {
        let last = match self {
            TxDay::Closed(r) => &mut r.last_seq,
            TxDay::Open(o) => &mut o.last_seq,
        };
        *last += 1;
        *last
    }

    /// A contact added (`sign` 1) or taken away (-1): a closed day's counts
    /// follow; an open day counts its contacts when read.
    pub fn apply(&mut self, c: &Contact, sign: i64) {
        match self {
            TxDay::Closed(r) => r.counts.apply(c, sign),
            TxDay::Open(o) if sign < 0 => o.edits += 1,
            TxDay::Open(_) => {}
        }
    }

    /// A contact changed in place (a correction).
    pub fn replace(&mut self, old: &Contact, new: &Contact) {
        match self {
            TxDay::Closed(r) => {
                r.counts.apply(old, -1);
                r.counts.apply(new, 1);
            }
            TxDay::Open(o) => o.edits += 1,
        }
    }

    pub fn new_visitor(&mut self) {
        match self {
            TxDay::Closed(r) => r.counts.new_visitors += 1,
            TxDay::Open(o) => o.new_visitors += 1,
        }
    }
}

/// The two trees a day lives in, inside a transaction.
pub(crate) struct TxDays<'a> {
    pub closed: &'a TransactionalTree,
    pub open: &'a TransactionalTree,
}

impl Store {
    pub(crate) fn tx_day(&self, t: &TxDays, day: Date) -> TxResult<TxDay> {
        let k = keys::day(day);
        if let Some(v) = t.closed.get(k)? {
            return Ok(TxDay::Closed(Box::new(
                self.decode("day_record", &v).map_err(Abort::Abort)?,
            )));
        }
        match t.open.get(k)? {
            Some(v) => OpenDay::decode(&v)
                .map(TxDay::Open)
                .ok_or_else(|| Abort::Abort(self.damaged("a record in open_day"))),
            None => Ok(TxDay::Open(OpenDay::default())),
        }
    }

    pub(crate) fn tx_put_day(&self, t: &TxDays, day: Date, d: &TxDay) -> TxResult<()> {
        let k = keys::day(day);
        match d {
            TxDay::Closed(r) => t.closed.insert(&k, codec::encode(&**r))?,
            TxDay::Open(o) => t.open.insert(&k, &o.encode())?,
        };
        Ok(())
    }

    fn open_day(&self, day: Date) -> Result<Option<OpenDay>> {
        match self
            .t
            .open_days
            .get(keys::day(day))
            .map_err(|e| self.err(e))?
        {
            Some(v) => OpenDay::decode(&v)
                .map(Some)
                .ok_or_else(|| self.damaged("a record in open_day")),
            None => Ok(None),
        }
    }

    /// An open day's counts: a fold over its contacts.
    fn open_counts(&self, day: Date, open: OpenDay) -> Result<DayCounts> {
        let mut counts = DayCounts {
            new_visitors: open.new_visitors,
            ..DayCounts::default()
        };
        for c in self.contacts(day, day)? {
            counts.apply(&c, 1);
        }
        Ok(counts)
    }

    /// One day's counts: its contacts while open, its record once closed.
    /// Open is looked at first: a day closed in between is then found
    /// closed (a day never opens again), never missed.
    pub fn day_counts(&self, day: Date) -> Result<DayCounts> {
        if let Some(open) = self.open_day(day)? {
            return self.open_counts(day, open);
        }
        match self.t.days.get(keys::day(day)).map_err(|e| self.err(e))? {
            Some(v) => Ok(self.decode::<DayRecord>("day_record", &v)?.counts),
            None => Ok(DayCounts::default()),
        }
    }

    /// The counts of every day from `from` to `to` (inclusive) that has any.
    /// Open days are read first, then closed ones: a day closed in between
    /// is found twice, and its record is kept; none is missed.
    pub fn counts_range(&self, from: Date, to: Date) -> Result<Vec<(Date, DayCounts)>> {
        let range = keys::day(from)..=keys::day(to);
        let mut open = Vec::new();
        for kv in self.t.open_days.range(range.clone()) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let day = keys::day_from(&k).ok_or_else(|| self.damaged("a key in open_day"))?;
            let o = OpenDay::decode(&v).ok_or_else(|| self.damaged("a record in open_day"))?;
            open.push((day, self.open_counts(day, o)?));
        }
        let mut out = Vec::new();
        for kv in self.t.days.range(range) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let day = keys::day_from(&k).ok_or_else(|| self.damaged("a key in day_record"))?;
            let r: DayRecord = self.decode("day_record", &v)?;
            out.push((day, r.counts));
        }
        if !open.is_empty() {
            open.retain(|(d, _)| out.binary_search_by_key(d, |(c, _)| *c).is_err());
            out.extend(open);
            out.sort_by_key(|(d, _)| *d);
        }
        Ok(out)
    }

    /// Closes every open day before `day`: its counts are written once.
    /// Returns how many were closed. Safe beside saves: a day that changes
    /// while it is counted is counted again.
    pub fn close_days_before(&self, day: Date) -> Result<usize> {
        let mut open = Vec::new();
        for kv in self.t.open_days.range(..keys::day(day)) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            open.push(keys::day_from(&k).ok_or_else(|| self.damaged("a key in open_day"))?);
        }
        for &d in &open {
            self.close_day(d)?;
        }
        if !open.is_empty() {
            self.flush()?;
        }
        Ok(open.len())
    }

    fn close_day(&self, day: Date) -> Result<()> {
        let k = keys::day(day);
        loop {
            let Some(open) = self.open_day(day)? else {
                return Ok(());
            };
            let record = DayRecord {
                last_seq: open.last_seq,
                counts: self.open_counts(day, open)?,
            };
            let t = &self.t;
            let closed = (&t.days, &t.open_days)
                .transaction(|(days, opens)| {
                    let now = opens.get(k)?.and_then(|v| OpenDay::decode(&v));
                    if now != Some(open) {
                        return Ok(false);
                    }
                    days.insert(&k, codec::encode(&record))?;
                    opens.remove(&k)?;
                    Ok(true)
                })
                .map_err(|e| tx_error(self, e))?;
            if closed {
                return Ok(());
            }
        }
    }

    /// Days still open (for `check`), with what they keep.
    pub(crate) fn open_days(&self) -> Result<Vec<(Date, OpenDay)>> {
        let mut out = Vec::new();
        for kv in self.t.open_days.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            match (keys::day_from(&k), OpenDay::decode(&v)) {
                (Some(d), Some(o)) => out.push((d, o)),
                _ => return Err(self.damaged("a record in open_day")),
            }
        }
        Ok(out)
    }
}

impl Store {
    /// What an export of `from..=to` reads: the days' counts and the
    /// profiles (registration day, birth year, gender) of the visitors in
    /// them. Read with one lookup per different visitor.
    pub fn report_counts(&self, from: Date, to: Date) -> Result<crate::report::Counts> {
        let days = self.counts_range(from, to)?;
        let profiles = self.profiles_of(&days)?;
        Ok(crate::report::Counts { days, profiles })
    }

    /// The profiles of the visitors of `days`, one lookup per different
    /// visitor.
    pub fn profiles_of(
        &self,
        days: &[(Date, DayCounts)],
    ) -> Result<std::collections::HashMap<u64, crate::report::Profile>> {
        let mut ids: Vec<u64> = days
            .iter()
            .flat_map(|(_, c)| c.visitors.keys().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut profiles = std::collections::HashMap::with_capacity(ids.len());
        for id in ids {
            if let Some(v) = self.visitor(id)? {
                profiles.insert(
                    id,
                    crate::report::Profile {
                        // Known from the first of registration and first
                        // visit: a record linked into another keeps the
                        // earlier duplicate's first visit.
                        registered: v.first_seen.map_or(v.registered, |f| f.min(v.registered)),
                        birth_year: v.birth_year,
                        gender: v.gender,
                    },
                );
            }
        }
        Ok(profiles)
    }
}
