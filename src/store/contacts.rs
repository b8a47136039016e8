//! Recording and undoing contacts, with the day's counts kept in the same
//! transaction.

use sled::Transactional;
use sled::transaction::ConflictableTransactionError as Abort;
use time::Date;

use super::days::TxDays;
use super::visitors::tx_error;
use super::{Result, Store, StoreError, codec, keys};
use crate::domain::{AuditEntry, Contact, ContactId, InvalidInput, Visitor};

impl Store {
    /// Records one contact and returns it with its id, once it is on disk.
    pub fn record(&self, contact: Contact) -> Result<Contact> {
        Ok(self.record_all(vec![contact])?.remove(0))
    }

    /// Records several contacts in one transaction, then flushes: all or none.
    pub fn record_all(&self, batch: Vec<Contact>) -> Result<Vec<Contact>> {
        let t = &self.t;
        let saved = (
            &t.contacts,
            &t.days,
            &t.open_days,
            &t.visitor_notes,
            &t.visitors,
            &t.last_seen,
        )
            .transaction(
                |(contacts, closed, open, visitor_notes, visitors, last_seen)| {
                    let days = TxDays { closed, open };
                    let mut saved = batch.clone();
                    for c in &mut saved {
                        let mut day = self.tx_day(&days, c.day)?;
                        c.seq = day.next_seq();
                        day.apply(c, 1);
                        self.tx_put_day(&days, c.day, &day)?;
                        contacts.insert(&keys::contact(c.id()), codec::encode(&*c))?;
                        if let Some(vid) = c.visitor {
                            let v: Visitor = match visitors.get(keys::id(vid))? {
                                Some(v) => {
                                    self.decode("visitorid_visitor", &v).map_err(Abort::Abort)?
                                }
                                None => return Err(no_visitor(vid)),
                            };
                            if v.erased {
                                return Err(no_visitor(vid));
                            }
                            // The visitor's record is written only when their
                            // first or last day moves (once a day at most).
                            let seen = Visitor {
                                first_seen: Some(v.first_seen.map_or(c.day, |d| d.min(c.day))),
                                last_seen: Some(v.last_seen.map_or(c.day, |d| d.max(c.day))),
                                ..v.clone()
                            };
                            if seen != v {
                                visitors.insert(&keys::id(vid), codec::encode(&seen))?;
                                let (was, is) = (v.seen_or_registered(), seen.seen_or_registered());
                                if was != is {
                                    last_seen.remove(&keys::day_id(was, vid))?;
                                    last_seen.insert(&keys::day_id(is, vid), &[])?;
                                }
                            }
                            if c.note.is_some() {
                                visitor_notes.insert(&keys::visitor_contact(vid, c.id()), &[])?;
                            }
                        }
                    }
                    Ok(saved)
                },
            )
            .map_err(|e| tx_error(self, e))?;
        self.flush()?;
        Ok(saved)
    }

    /// The contact with this id, if it exists.
    pub fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        match self
            .t
            .contacts
            .get(keys::contact(id))
            .map_err(|e| self.err(e))?
        {
            Some(v) => Ok(Some(self.decode("dayseq_contact", &v)?)),
            None => Ok(None),
        }
    }

    /// Contacts of the service days `from..=to`, in order of recording.
    pub fn contacts(&self, from: Date, to: Date) -> Result<Vec<Contact>> {
        let mut out = Vec::new();
        for kv in self.t.contacts.range(keys::contact_range(from, to)) {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(self.decode("dayseq_contact", &v)?);
        }
        Ok(out)
    }

    /// A visitor's latest contacts, newest first: at most `max`, looked for
    /// back from `last_seen` over at most `days` days (the visitor's card).
    pub fn visitor_history(
        &self,
        visitor: u64,
        last_seen: Date,
        max: usize,
        days: i64,
    ) -> Result<Vec<Contact>> {
        let mut out = Vec::new();
        let oldest = last_seen - time::Duration::days(days);
        let mut to = last_seen;
        // A month at a time: the days the visitor came, then their contacts.
        while out.len() < max && to > oldest {
            let from = (to - time::Duration::days(29)).max(oldest);
            let counts = self.counts_range(from, to)?;
            for (day, _) in counts
                .iter()
                .rev()
                .filter(|(_, c)| c.visitors.contains_key(&visitor))
            {
                let mut theirs: Vec<Contact> = self
                    .contacts(*day, *day)?
                    .into_iter()
                    .filter(|c| c.visitor == Some(visitor))
                    .collect();
                theirs.reverse();
                out.extend(theirs);
                if out.len() >= max {
                    break;
                }
            }
            to = from - time::Duration::days(1);
        }
        out.truncate(max);
        Ok(out)
    }

    /// The notes of a visitor's contacts still kept (the privacy rules
    /// delete old ones), newest first, with their day.
    pub fn visitor_notes(&self, visitor: u64) -> Result<Vec<(Date, String)>> {
        let mut out = Vec::new();
        for kv in self.t.visitor_notes.scan_prefix(keys::id(visitor)) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            let Some((_, id)) = keys::visitor_contact_from(&k) else {
                continue;
            };
            if let Some(c) = self.contact(id)?
                && let Some(note) = c.note
            {
                out.push((c.day, note));
            }
        }
        out.reverse();
        Ok(out)
    }

    /// Takes a contact back (a mistake at the hatch): it and its counts are
    /// removed, and the undo is written to the audit log.
    pub fn undo(&self, id: ContactId, at: i64, staff: Option<u64>) -> Result<Contact> {
        let Some(c) = self.contact(id)? else {
            return Err(StoreError::Invalid(
                InvalidInput::new("contact", "no_contact").arg("id", id),
            ));
        };
        self.may_change(staff, &c)?;
        let (audit_key, audit_value) =
            self.audit_record(&AuditEntry::about_contact(at, staff, "undo", id))?;
        let t = &self.t;
        (
            &t.contacts,
            &t.days,
            &t.open_days,
            &t.visitor_notes,
            &t.audit,
        )
            .transaction(|(contacts, closed, open, visitor_notes, audit)| {
                let days = TxDays { closed, open };
                contacts.remove(&keys::contact(id))?;
                let mut day = self.tx_day(&days, c.day)?;
                day.apply(&c, -1);
                self.tx_put_day(&days, c.day, &day)?;
                if let Some(vid) = c.visitor {
                    visitor_notes.remove(&keys::visitor_contact(vid, id))?;
                }
                audit.insert(&audit_key, &audit_value[..])?;
                Ok(())
            })
            .map_err(|e| tx_error(self, e))?;
        self.flush()?;
        Ok(c)
    }
}

impl Store {
    /// Corrects a saved contact: items, topics, note, flags and channel are
    /// replaced; its id, time, day and visitor stay. Counts follow, and the
    /// correction is written to the audit log.
    pub fn correct(
        &self,
        id: ContactId,
        new: Contact,
        at: i64,
        staff: Option<u64>,
    ) -> Result<Contact> {
        let Some(old) = self.contact(id)? else {
            return Err(StoreError::Invalid(
                InvalidInput::new("contact", "no_contact").arg("id", id),
            ));
        };
        // Door staff correct only their own contacts, as they undo only theirs.
        self.may_change(staff, &old)?;
        let fixed = Contact {
            seq: old.seq,
            at: old.at,
            day: old.day,
            hour: old.hour,
            visitor: old.visitor,
            gender: old.gender,
            birth_decade: old.birth_decade,
            staff: old.staff,
            ..new
        };
        let (audit_key, audit_value) =
            self.audit_record(&AuditEntry::about_contact(at, staff, "correct", id))?;
        let t = &self.t;
        (
            &t.contacts,
            &t.days,
            &t.open_days,
            &t.visitor_notes,
            &t.audit,
        )
            .transaction(|(contacts, closed, open, visitor_notes, audit)| {
                let days = TxDays { closed, open };
                let mut day = self.tx_day(&days, old.day)?;
                day.replace(&old, &fixed);
                self.tx_put_day(&days, old.day, &day)?;
                contacts.insert(&keys::contact(id), codec::encode(&fixed))?;
                if let Some(vid) = fixed.visitor {
                    let k = keys::visitor_contact(vid, id);
                    if fixed.note.is_some() {
                        visitor_notes.insert(&k, &[])?;
                    } else {
                        visitor_notes.remove(&k)?;
                    }
                }
                audit.insert(&audit_key, &audit_value[..])?;
                Ok(())
            })
            .map_err(|e| tx_error(self, e))?;
        self.flush()?;
        Ok(fixed)
    }
}

fn no_visitor(id: u64) -> Abort<StoreError> {
    Abort::Abort(StoreError::Invalid(
        InvalidInput::new("visitor", "no_active_visitor_register").arg("id", id),
    ))
}
