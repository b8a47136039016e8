//! Linking two visitor records that turn out to be one person ("link", the
//! word staff use): the contacts, notes and messages of the one move to
//! the one kept, the counts of past days are counted again (a day where
//! both came now counts one visitor), and the record that goes stays as a
//! tombstone, linked to the one kept (`linkedvisitor_visitor`).

use sled::Transactional;
use sled::transaction::ConflictableTransactionError as Abort;

use super::days::TxDays;
use super::visitors::tx_error;
use super::{Result, Store, StoreError, codec, keys};
use crate::domain::{AuditEntry, Contact, InvalidInput, Message, Visitor};

/// What a link moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Linked {
    pub contacts: usize,
    pub messages: usize,
}

impl Store {
    /// Links `gone` into `keep` (coordinators only), audited. Registrations
    /// stay as they were counted (new visitors are registrations); every
    /// other count follows the contacts.
    pub fn link_visitors(&self, keep: u64, gone: u64, by: Option<u64>, at: i64) -> Result<Linked> {
        self.require_coordinator(by, "link_visitors")?;
        let active = |id: u64| -> Result<Visitor> {
            match self.visitor(id)? {
                Some(v) if !v.erased => Ok(v),
                _ => Err(StoreError::Invalid(
                    InvalidInput::new("visitor", "no_active_visitor_register").arg("id", id),
                )),
            }
        };
        if keep == gone {
            return Err(StoreError::invalid("visitor", "link_itself"));
        }
        let (_, g) = (active(keep)?, active(gone)?);
        // The days `gone` came, then their contacts those days.
        let mut moved: Vec<Contact> = Vec::new();
        if let (Some(first), Some(last)) = (g.first_seen, g.last_seen) {
            for (day, counts) in self.counts_range(first, last)? {
                if counts.visitors.contains_key(&gone) {
                    moved.extend(
                        self.contacts(day, day)?
                            .into_iter()
                            .filter(|c| c.visitor == Some(gone)),
                    );
                }
            }
        }
        let mut messages: Vec<(sled::IVec, Message)> = Vec::new();
        for kv in self.t.messages.scan_prefix(keys::id(gone)) {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            messages.push((k, self.decode("visitormsg_message", &v)?));
        }
        let (audit_key, audit_value) =
            self.audit_record(&AuditEntry::about(at, by, "visitor-link", Some(keep)))?;
        let t = &self.t;
        (
            &t.contacts,
            &t.days,
            &t.open_days,
            &t.visitors,
            &t.alias_idx,
            &t.code_idx,
            &t.visitor_notes,
            &t.messages,
            &t.last_seen,
            &t.audit,
            &t.links,
        )
            .transaction(
                |(
                    contacts,
                    closed,
                    open,
                    visitors,
                    alias_idx,
                    code_idx,
                    visitor_notes,
                    message_tree,
                    last_seen,
                    audit,
                    links,
                )| {
                    let days = TxDays { closed, open };
                    let read = |id: u64| -> std::result::Result<Visitor, Abort<StoreError>> {
                        match visitors.get(keys::id(id))? {
                            Some(v) => self.decode("visitorid_visitor", &v).map_err(Abort::Abort),
                            None => Err(Abort::Abort(StoreError::invalid("visitor", "no_visitor"))),
                        }
                    };
                    let (k, g) = (read(keep)?, read(gone)?);
                    if k.erased || g.erased {
                        return Err(Abort::Abort(StoreError::invalid(
                            "visitor",
                            "no_active_visitor_register",
                        )));
                    }
                    let mut n = 0;
                    for c in &moved {
                        let key = keys::contact(c.id());
                        // As it is now (undone or changed meanwhile: as is).
                        let Some(v) = contacts.get(key)? else {
                            continue;
                        };
                        let now: Contact =
                            self.decode("dayseq_contact", &v).map_err(Abort::Abort)?;
                        if now.visitor != Some(gone) {
                            continue;
                        }
                        let linked = Contact {
                            visitor: Some(keep),
                            ..now.clone()
                        };
                        let mut day = self.tx_day(&days, now.day)?;
                        day.replace(&now, &linked);
                        self.tx_put_day(&days, now.day, &day)?;
                        contacts.insert(&key, codec::encode(&linked))?;
                        if now.note.is_some() {
                            visitor_notes.remove(&keys::visitor_contact(gone, now.id()))?;
                            visitor_notes.insert(&keys::visitor_contact(keep, now.id()), &[])?;
                        }
                        n += 1;
                    }
                    for (old_key, m) in &messages {
                        let m = Message {
                            visitor: keep,
                            ..m.clone()
                        };
                        message_tree.remove(old_key)?;
                        message_tree.insert(&keys::id_pair(keep, m.id), codec::encode(&m))?;
                    }
                    let min = |a: Option<time::Date>, b: Option<time::Date>| match (a, b) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    // What the kept record lacks, the duplicate may know.
                    let code_free = match &g.code {
                        Some(c) if k.code.is_none() => {
                            code_idx.remove(c.as_bytes())?;
                            true
                        }
                        _ => false,
                    };
                    let kept = Visitor {
                        first_seen: min(k.first_seen, g.first_seen),
                        last_seen: k.last_seen.max(g.last_seen),
                        code: if code_free {
                            g.code.clone()
                        } else {
                            k.code.clone()
                        },
                        birth_year: k.birth_year.or(g.birth_year),
                        gender: k.gender.or(g.gender),
                        ..k.clone()
                    };
                    if code_free && let Some(c) = &kept.code {
                        code_idx.insert(c.as_bytes(), &keys::id(keep))?;
                    }
                    last_seen.remove(&keys::day_id(k.seen_or_registered(), keep))?;
                    last_seen.remove(&keys::day_id(g.seen_or_registered(), gone))?;
                    last_seen.insert(&keys::day_id(kept.seen_or_registered(), keep), &[])?;
                    visitors.insert(&keys::id(keep), codec::encode(&kept))?;
                    alias_idx.remove(g.alias_key().as_bytes())?;
                    if let Some(code) = &g.code
                        && !code_free
                    {
                        code_idx.remove(code.as_bytes())?;
                    }
                    let tombstone = Visitor {
                        alias: String::new(),
                        code: None,
                        birth_year: None,
                        gender: None,
                        erased: true,
                        ..g.clone()
                    };
                    visitors.insert(&keys::id(gone), codec::encode(&tombstone))?;
                    links.insert(&keys::id(gone), &keys::id(keep))?;
                    audit.insert(&audit_key, &audit_value[..])?;
                    Ok(Linked {
                        contacts: n,
                        messages: messages.len(),
                    })
                },
            )
            .map_err(|e| tx_error(self, e))
            .and_then(|l| self.flush().map(|()| l))
    }

    /// The record a visitor was linked into, followed to the end (a draft
    /// begun for the duplicate is saved for the person kept).
    pub fn linked_to(&self, id: u64) -> Result<Option<u64>> {
        let mut at = id;
        let mut found = None;
        // A chain of links, never a loop (each link ends a record).
        for _ in 0..64 {
            match self.t.links.get(keys::id(at)).map_err(|e| self.err(e))? {
                Some(v) => {
                    at = keys::id_from(&v).ok_or_else(|| self.damaged("a visitor link"))?;
                    found = Some(at);
                }
                None => break,
            }
        }
        Ok(found)
    }

    /// The records linked into this visitor (their ids), for the register.
    pub fn linked_into(&self, keep: u64) -> Result<Vec<u64>> {
        let mut out = Vec::new();
        for kv in self.t.links.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            if keys::id_from(&v) == Some(keep) {
                out.extend(keys::id_from(&k));
            }
        }
        Ok(out)
    }
}
