//! Registering, finding and erasing visitors.

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError as Abort, TransactionError};
use time::Date;

use super::{Result, Store, StoreError, codec, keys};
use crate::domain::text::fold;
use crate::domain::{AuditEntry, InvalidInput, NewVisitor, Visitor};

/// Turns a transaction's failure into our error.
pub(crate) fn tx_error(store: &Store, e: TransactionError<StoreError>) -> StoreError {
    match e {
        TransactionError::Abort(e) => e,
        TransactionError::Storage(e) => store.err(e),
    }
}

impl Store {
    /// Registers a visitor (already validated) on service day `day`. The
    /// alias must be free among active visitors (case and accents ignored),
    /// the code too.
    pub fn add_visitor(&self, nv: NewVisitor, day: Date, at: i64) -> Result<Visitor> {
        self.add_visitor_by(nv, day, at, None)
    }

    /// The same, with who registered the visitor in the audit log.
    pub fn add_visitor_by(
        &self,
        nv: NewVisitor,
        day: Date,
        at: i64,
        by: Option<u64>,
    ) -> Result<Visitor> {
        let id = self.new_id()?;
        let visitor = Visitor {
            id,
            alias: nv.alias,
            code: nv.code,
            birth_year: nv.birth_year,
            gender: nv.gender,
            registered: day,
            first_seen: None,
            last_seen: None,
            erased: false,
        };
        let alias_key = visitor.alias_key();
        let (audit_key, audit_value) =
            self.audit_record(&AuditEntry::about(at, by, "visitor-add", Some(id)))?;
        let t = &self.t;
        (
            &t.visitors,
            &t.alias_idx,
            &t.code_idx,
            &t.days,
            &t.open_days,
            &t.audit,
            &t.last_seen,
        )
            .transaction(
                |(visitors, alias_idx, code_idx, closed, open, audit, last_seen)| {
                    if alias_idx.get(alias_key.as_bytes())?.is_some() {
                        return Err(Abort::Abort(StoreError::invalid("alias", "alias_taken")));
                    }
                    if let Some(code) = &visitor.code
                        && code_idx.get(code.as_bytes())?.is_some()
                    {
                        return Err(Abort::Abort(StoreError::invalid("code", "code_taken")));
                    }
                    visitors.insert(&keys::id(id), codec::encode(&visitor))?;
                    last_seen.insert(&keys::day_id(visitor.seen_or_registered(), id), &[])?;
                    alias_idx.insert(alias_key.as_bytes(), &keys::id(id))?;
                    if let Some(code) = &visitor.code {
                        code_idx.insert(code.as_bytes(), &keys::id(id))?;
                    }
                    let days = super::days::TxDays { closed, open };
                    let mut record = self.tx_day(&days, day)?;
                    record.new_visitor();
                    self.tx_put_day(&days, day, &record)?;
                    audit.insert(&audit_key, &audit_value[..])?;
                    Ok(())
                },
            )
            .map_err(|e| tx_error(self, e))?;
        self.flush()?;
        Ok(visitor)
    }

    /// Corrects a visitor's alias, code, birth year and gender (already
    /// validated), for a coordinator: the alias and code must stay unique
    /// among active visitors. Audited.
    pub fn edit_visitor(
        &self,
        id: u64,
        nv: NewVisitor,
        by: Option<u64>,
        at: i64,
    ) -> Result<Visitor> {
        self.require_coordinator(by, "edit_visitor")?;
        let (audit_key, audit_value) =
            self.audit_record(&AuditEntry::about(at, by, "visitor-edit", Some(id)))?;
        let t = &self.t;
        (&t.visitors, &t.alias_idx, &t.code_idx, &t.audit)
            .transaction(|(visitors, alias_idx, code_idx, audit)| {
                let old: Visitor = match visitors.get(keys::id(id))? {
                    Some(v) => self.decode("visitorid_visitor", &v).map_err(Abort::Abort)?,
                    None => {
                        return Err(Abort::Abort(StoreError::Invalid(
                            InvalidInput::new("visitor", "no_visitor").arg("id", id),
                        )));
                    }
                };
                if old.erased {
                    return Err(Abort::Abort(StoreError::Invalid(
                        InvalidInput::new("visitor", "already_erased").arg("id", id),
                    )));
                }
                let new = Visitor {
                    alias: nv.alias.clone(),
                    code: nv.code.clone(),
                    birth_year: nv.birth_year,
                    gender: nv.gender,
                    ..old.clone()
                };
                let taken =
                    |v: Option<sled::IVec>| v.is_some_and(|v| keys::id_from(&v) != Some(id));
                if taken(alias_idx.get(new.alias_key().as_bytes())?) {
                    return Err(Abort::Abort(StoreError::invalid("alias", "alias_taken")));
                }
                if let Some(code) = &new.code
                    && taken(code_idx.get(code.as_bytes())?)
                {
                    return Err(Abort::Abort(StoreError::invalid("code", "code_taken")));
                }
                alias_idx.remove(old.alias_key().as_bytes())?;
                alias_idx.insert(new.alias_key().as_bytes(), &keys::id(id))?;
                if let Some(code) = &old.code {
                    code_idx.remove(code.as_bytes())?;
                }
                if let Some(code) = &new.code {
                    code_idx.insert(code.as_bytes(), &keys::id(id))?;
                }
                visitors.insert(&keys::id(id), codec::encode(&new))?;
                audit.insert(&audit_key, &audit_value[..])?;
                Ok(new)
            })
            .map_err(|e| tx_error(self, e))
            .and_then(|v| self.flush().map(|()| v))
    }

    pub fn visitor(&self, id: u64) -> Result<Option<Visitor>> {
        match self.t.visitors.get(keys::id(id)).map_err(|e| self.err(e))? {
            Some(v) => Ok(Some(self.decode("visitorid_visitor", &v)?)),
            None => Ok(None),
        }
    }

    /// The active visitor with this alias (case and accents ignored).
    pub fn visitor_by_alias(&self, alias: &str) -> Result<Option<Visitor>> {
        self.visitor_by_index(&self.t.alias_idx, fold(alias).as_bytes())
    }

    /// The active visitor with this anonymous code (already normalised).
    pub fn visitor_by_code(&self, code: &str) -> Result<Option<Visitor>> {
        self.visitor_by_index(&self.t.code_idx, code.as_bytes())
    }

    fn visitor_by_index(&self, idx: &sled::Tree, key: &[u8]) -> Result<Option<Visitor>> {
        match idx.get(key).map_err(|e| self.err(e))? {
            Some(v) => {
                let id = keys::id_from(&v).ok_or_else(|| self.damaged("a visitor index"))?;
                self.visitor(id)
            }
            None => Ok(None),
        }
    }

    /// All active (not erased) visitors, in registration order.
    pub fn visitors(&self) -> Result<Vec<Visitor>> {
        self.each_visitor().collect()
    }

    /// The active visitors one at a time, in registration order: read
    /// without holding them all (the search index takes them as they come).
    pub fn each_visitor(&self) -> impl Iterator<Item = Result<Visitor>> + '_ {
        self.t.visitors.iter().filter_map(|kv| {
            let visitor = kv
                .map_err(|e| self.err(e))
                .and_then(|(_, v)| self.decode::<Visitor>("visitorid_visitor", &v));
            match visitor {
                Ok(v) if v.erased => None,
                other => Some(other),
            }
        })
    }

    /// Erases a visitor on request: alias, code, birth year, gender, the
    /// notes of their contacts and their messages are removed; the contacts
    /// and every count stay.
    pub fn erase_visitor(&self, id: u64, by: Option<u64>, at: i64) -> Result<()> {
        self.require_coordinator(by, "erase_visitor")?;
        self.forget_visitor(id, by, at, "erase", None)?;
        self.flush()
    }

    /// Erasure and anonymisation: the personal fields go, counts stay.
    /// `action` names it in the audit log. With `unseen_before` (the
    /// privacy rule) a visitor who came back meanwhile, or was erased
    /// meanwhile, is left as they are: the visitor is read again inside the
    /// transaction (the door screen saves beside the sweep). Returns
    /// whether the visitor was forgotten. Not flushed: the caller flushes
    /// once (the sweep anonymises many in a row).
    pub(crate) fn forget_visitor(
        &self,
        id: u64,
        by: Option<u64>,
        at: i64,
        action: &str,
        unseen_before: Option<Date>,
    ) -> Result<bool> {
        let Some(visitor) = self.visitor(id)? else {
            return Err(StoreError::Invalid(
                InvalidInput::new("visitor", "no_visitor").arg("id", id),
            ));
        };
        if visitor.erased {
            if unseen_before.is_some() {
                return Ok(false);
            }
            return Err(StoreError::Invalid(
                InvalidInput::new("visitor", "already_erased").arg("id", id),
            ));
        }
        let mut noted = Vec::new();
        for kv in self.t.visitor_notes.scan_prefix(keys::id(id)) {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            let (_, cid) = keys::visitor_contact_from(&k)
                .ok_or_else(|| self.damaged("a key in visitornote_contact"))?;
            noted.push(cid);
        }
        let mut pinned = Vec::new();
        for kv in self.t.messages.scan_prefix(keys::id(id)) {
            pinned.push(kv.map_err(|e| self.err(e))?.0);
        }
        let (audit_key, audit_value) =
            self.audit_record(&AuditEntry::about(at, by, action, Some(id)))?;
        // An erasure on request promises the files too: the rewrite it
        // needs is recorded with it, and done at the next chance if this
        // process stops before (see `Store::finish_rewrite`).
        let promise = action == "erase";
        let t = &self.t;
        (
            &t.visitors,
            &t.alias_idx,
            &t.code_idx,
            &t.contacts,
            &t.visitor_notes,
            &t.messages,
            &t.audit,
            &t.meta,
            &t.last_seen,
        )
            .transaction(
                |(
                    visitors,
                    alias_idx,
                    code_idx,
                    contacts,
                    visitor_notes,
                    messages,
                    audit,
                    meta,
                    last_seen,
                )| {
                    // As the visitor is now, not as read before.
                    let visitor: Visitor = match visitors.get(keys::id(id))? {
                        Some(v) => self.decode("visitorid_visitor", &v).map_err(Abort::Abort)?,
                        None => return Ok(false),
                    };
                    if visitor.erased
                        || unseen_before.is_some_and(|cut| visitor.seen_or_registered() >= cut)
                    {
                        return Ok(false);
                    }
                    if promise {
                        meta.insert(super::privacy::REWRITE_DUE, &[1u8])?;
                    }
                    let erased = Visitor {
                        alias: String::new(),
                        code: None,
                        birth_year: None,
                        gender: None,
                        erased: true,
                        ..visitor.clone()
                    };
                    visitors.insert(&keys::id(id), codec::encode(&erased))?;
                    last_seen.remove(&keys::day_id(visitor.seen_or_registered(), id))?;
                    for k in &pinned {
                        messages.remove(k)?;
                    }
                    alias_idx.remove(visitor.alias_key().as_bytes())?;
                    if let Some(code) = &visitor.code {
                        code_idx.remove(code.as_bytes())?;
                    }
                    for cid in &noted {
                        let k = keys::contact(*cid);
                        if let Some(v) = contacts.get(k)? {
                            let mut c: crate::domain::Contact =
                                self.decode("dayseq_contact", &v).map_err(Abort::Abort)?;
                            if c.note.take().is_some() {
                                contacts.insert(&k, codec::encode(&c))?;
                            }
                        }
                        visitor_notes.remove(&keys::visitor_contact(id, *cid))?;
                    }
                    audit.insert(&audit_key, &audit_value[..])?;
                    Ok(true)
                },
            )
            .map_err(|e| tx_error(self, e))
    }
}
