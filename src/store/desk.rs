//! The centre's own documents, kept in the store so they are audited and
//! in every backup: the catalog (what is handed out, what is talked
//! about) and the settings a coordinator changes on the screen. Each is
//! one JSON value in `meta` (`b"catalog"`, `b"settings"`): the same form
//! as `catalog.json` and `config.json`, which only give the first value.

use super::{Result, Store, StoreError, codec};
use crate::domain::{AuditEntry, Catalog};

const CATALOG: &[u8] = b"catalog";
const SETTINGS: &[u8] = b"settings";

impl Store {
    /// The catalog kept in the store, if one was put there.
    pub fn stored_catalog(&self) -> Result<Option<Catalog>> {
        match self.document(CATALOG)? {
            Some(text) => Catalog::from_json(&text)
                .map(Some)
                .map_err(StoreError::Invalid),
            None => Ok(None),
        }
    }

    /// Puts the whole catalog in the store (coordinators, or the command
    /// line), audited as `action` (`catalog-add`, `catalog-retire`, ...)
    /// on `what` (the item's or topic's id). A catalog that breaks its
    /// rules (an id twice, a hotkey twice) is refused.
    pub fn put_catalog(
        &self,
        catalog: &Catalog,
        action: &str,
        what: &str,
        by: Option<u64>,
        at: i64,
    ) -> Result<()> {
        self.require_coordinator(by, "catalog")?;
        catalog.check().map_err(StoreError::Invalid)?;
        self.put_document(CATALOG, &catalog.to_json(), action, what, by, at)
    }

    /// The settings kept in the store (`config.json`'s form, only the
    /// settings the screen changes), if any were put there.
    pub fn stored_settings(&self) -> Result<Option<String>> {
        self.document(SETTINGS)
    }

    /// Puts the settings in the store (coordinators), audited as
    /// `setting-change` on `what` (the setting's name). The caller checks
    /// them (`Config::with_settings`).
    pub fn put_settings(&self, json: &str, what: &str, by: Option<u64>, at: i64) -> Result<()> {
        self.require_coordinator(by, "settings")?;
        self.put_document(SETTINGS, json, "setting-change", what, by, at)
    }

    fn document(&self, key: &[u8]) -> Result<Option<String>> {
        match self.t.meta.get(key).map_err(|e| self.err(e))? {
            Some(v) => self.decode("meta", &v).map(Some),
            None => Ok(None),
        }
    }

    /// Writes a document and its audit entry together, then flushes.
    fn put_document(
        &self,
        key: &[u8],
        json: &str,
        action: &str,
        what: &str,
        by: Option<u64>,
        at: i64,
    ) -> Result<()> {
        let entry = AuditEntry {
            contact: Some(what.to_string()),
            ..AuditEntry::about(at, by, action, None)
        };
        let (audit_key, audit_value) = self.audit_record(&entry)?;
        let value = codec::encode(&json.to_string());
        let t = &self.t;
        use sled::Transactional;
        (&t.meta, &t.audit)
            .transaction(|(meta, audit)| {
                meta.insert(key, &value[..])?;
                audit.insert(&audit_key, &audit_value[..])?;
                Ok(())
            })
            .map_err(|e| super::visitors::tx_error(self, e))?;
        self.flush()
    }
}
