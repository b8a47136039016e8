//! Recording and undoing contacts, with the day's counts kept in the same
//! transaction.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError as Abort, TransactionalTree};
use time::Date;

use super::visitors::tx_error;
use super::{Result, Store, StoreError, codec, keys};
use crate::domain::{AuditEntry, Contact, DayCounts, Visitor};

type TxResult<T> = std::result::Result<T, Abort<StoreError>>;

impl Store {
    /// Records one contact and returns it with its new id, once it is on disk.
    pub fn record(&self, contact: Contact) -> Result<Contact> {
        Ok(self.record_all(vec![contact])?.remove(0))
    }

    /// Records several contacts in one transaction, then flushes: all or none.
    pub fn record_all(&self, mut batch: Vec<Contact>) -> Result<Vec<Contact>> {
        for c in &mut batch {
            c.id = self.new_id()?;
        }
        let t = &self.t;
        (
            &t.contacts,
            &t.contact_day,
            &t.day_counts,
            &t.day_visitor,
            &t.visitor_contacts,
            &t.visitors,
        )
            .transaction(
                |(contacts, contact_day, day_counts, day_visitor, visitor_contacts, visitors)| {
                    for c in &batch {
                        let dk = keys::day(c.day);
                        contacts.insert(&keys::day_id(c.day, c.id), codec::encode(c))?;
                        contact_day.insert(&keys::id(c.id), &dk)?;
                        let mut counts = self.tx_counts(day_counts, c.day)?;
                        counts.apply(c, 1);
                        if let Some(vid) = c.visitor {
                            let mut v: Visitor = match visitors.get(keys::id(vid))? {
                                Some(v) => {
                                    self.decode("visitorid_visitor", &v).map_err(Abort::Abort)?
                                }
                                None => return Err(no_visitor(vid)),
                            };
                            if v.erased {
                                return Err(no_visitor(vid));
                            }
                            v.first_seen = Some(v.first_seen.map_or(c.day, |d| d.min(c.day)));
                            v.last_seen = Some(v.last_seen.map_or(c.day, |d| d.max(c.day)));
                            visitors.insert(&keys::id(vid), codec::encode(&v))?;
                            visitor_contacts.insert(&keys::id_id(vid, c.id), &dk)?;
                            let dv = keys::day_id(c.day, vid);
                            let seen = read_u32(day_visitor.get(dv)?.as_deref());
                            if seen == 0 {
                                counts.unique_visitors += 1;
                            }
                            day_visitor.insert(&dv, &(seen + 1).to_be_bytes())?;
                        }
                        day_counts.insert(&dk, codec::encode(&counts))?;
                    }
                    Ok(())
                },
            )
            .map_err(|e| tx_error(self, e))?;
        self.flush()?;
        Ok(batch)
    }

    fn tx_counts(&self, day_counts: &TransactionalTree, day: Date) -> TxResult<DayCounts> {
        match day_counts.get(keys::day(day))? {
            Some(v) => self.decode("day_counts", &v).map_err(Abort::Abort),
            None => Ok(DayCounts::default()),
        }
    }

    /// The contact with this id, if it exists.
    pub fn contact(&self, id: u64) -> Result<Option<Contact>> {
        let Some(day) = self
            .t
            .contact_day
            .get(keys::id(id))
            .map_err(|e| self.err(e))?
        else {
            return Ok(None);
        };
        let day = keys::day_from(&day).ok_or_else(|| self.damaged("a value in contactid_day"))?;
        match self
            .t
            .contacts
            .get(keys::day_id(day, id))
            .map_err(|e| self.err(e))?
        {
            Some(v) => Ok(Some(self.decode("daycontact_contact", &v)?)),
            None => Err(self.damaged("contactid_day points to a missing contact")),
        }
    }

    /// Contacts of the service days `from..=to`, in order of recording.
    pub fn contacts(&self, from: Date, to: Date) -> Result<Vec<Contact>> {
        let mut out = Vec::new();
        for kv in self
            .t
            .contacts
            .range(keys::day_id(from, 0)..=keys::day_id(to, u64::MAX))
        {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(self.decode("daycontact_contact", &v)?);
        }
        Ok(out)
    }

    /// Takes a contact back (a mistake at the hatch): it and its counts are
    /// removed, and the undo is written to the audit log.
    pub fn undo(&self, id: u64, at: i64, staff: Option<u64>) -> Result<Contact> {
        let Some(c) = self.contact(id)? else {
            return Err(StoreError::invalid(
                "contact",
                format!("no contact with id {id}"),
            ));
        };
        let audit_seq = self.new_id()?;
        let t = &self.t;
        (
            &t.contacts,
            &t.contact_day,
            &t.day_counts,
            &t.day_visitor,
            &t.visitor_contacts,
            &t.audit,
        )
            .transaction(
                |(contacts, contact_day, day_counts, day_visitor, visitor_contacts, audit)| {
                    contacts.remove(&keys::day_id(c.day, c.id))?;
                    contact_day.remove(&keys::id(c.id))?;
                    let mut counts = self.tx_counts(day_counts, c.day)?;
                    counts.apply(&c, -1);
                    if let Some(vid) = c.visitor {
                        visitor_contacts.remove(&keys::id_id(vid, c.id))?;
                        let dv = keys::day_id(c.day, vid);
                        let seen = read_u32(day_visitor.get(dv)?.as_deref());
                        if seen <= 1 {
                            day_visitor.remove(&dv)?;
                            counts.unique_visitors = counts.unique_visitors.saturating_sub(1);
                        } else {
                            day_visitor.insert(&dv, &(seen - 1).to_be_bytes())?;
                        }
                    }
                    if counts.is_empty() {
                        day_counts.remove(&keys::day(c.day))?;
                    } else {
                        day_counts.insert(&keys::day(c.day), codec::encode(&counts))?;
                    }
                    audit.insert(
                        &keys::time_seq(at, audit_seq),
                        codec::encode(&AuditEntry {
                            at,
                            staff,
                            action: "undo".into(),
                            target: Some(c.id),
                        }),
                    )?;
                    Ok(())
                },
            )
            .map_err(|e| tx_error(self, e))?;
        self.flush()?;
        Ok(c)
    }
}

fn no_visitor(id: u64) -> Abort<StoreError> {
    Abort::Abort(StoreError::invalid(
        "visitor",
        format!("no active visitor with id {id}; register them first"),
    ))
}

pub(crate) fn read_u32(v: Option<&[u8]>) -> u32 {
    v.and_then(|b| b.try_into().ok())
        .map(u32::from_be_bytes)
        .unwrap_or(0)
}
