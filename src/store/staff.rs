//! Staff, sign-in with PIN and the role checks the store enforces itself.
//! `by: None` is the command line: whoever holds the computer's account.

use super::{Result, Store, StoreError, codec, keys};
use crate::domain::staff::{hash_pin, pin_hash_is_current, verify_pin};
use crate::domain::{Contact, NewStaff, PinPolicy, Role, Staff};

/// How a sign-in went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Ok(Staff),
    /// Wrong PIN; the next try is possible after `wait` seconds.
    Wrong {
        wait: i64,
    },
    /// Too soon after a wrong PIN, or the account is locked: try again in
    /// `wait` seconds (the PIN was not checked).
    Wait {
        wait: i64,
    },
    /// No active staff member has these initials.
    Unknown,
}

/// A change to a staff member (the coordinator's staff screen, or the
/// command line when no coordinator can sign in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffChange {
    /// A leaver: cannot sign in any more; their contacts keep their name.
    Deactivate,
    Reactivate,
    Role(Role),
    /// A new PIN (already hashed), set by a coordinator; also unlocks.
    Pin(String),
    /// Unlocks an account locked by wrong PINs.
    Unlock,
}

impl StaffChange {
    /// The action's id in the audit log.
    fn audit_id(&self) -> &'static str {
        match self {
            StaffChange::Deactivate => "staff-deactivate",
            StaffChange::Reactivate => "staff-reactivate",
            StaffChange::Role(_) => "staff-role",
            StaffChange::Pin(_) => "staff-pin",
            StaffChange::Unlock => "staff-unlock",
        }
    }
}

impl Store {
    /// Changes a staff member, audited. There is always at least one
    /// active coordinator: the last one can be neither deactivated nor
    /// made door staff. A reactivated member's initials must be free.
    pub fn change_staff(
        &self,
        id: u64,
        change: StaffChange,
        by: Option<u64>,
        at: i64,
    ) -> Result<Staff> {
        self.require_coordinator(by, "change_staff")?;
        let Some(mut s) = self.staff_member(id)? else {
            return Err(StoreError::Invalid(
                crate::domain::InvalidInput::new("staff", "no_staff").arg("id", id),
            ));
        };
        match &change {
            StaffChange::Deactivate => s.active = false,
            StaffChange::Reactivate => {
                if !s.active && self.staff_by_initials(&s.initials)?.is_some() {
                    return Err(StoreError::invalid("initials", "initials_taken"));
                }
                s.active = true;
            }
            StaffChange::Role(r) => s.role = *r,
            StaffChange::Pin(hash) => {
                s.pin_hash = hash.clone();
                s.failed = 0;
                s.not_before = 0;
            }
            StaffChange::Unlock => {
                s.failed = 0;
                s.not_before = 0;
            }
        }
        let coordinators = self
            .staff()?
            .into_iter()
            .map(|o| if o.id == s.id { s.clone() } else { o })
            .filter(|o| o.active && o.role == Role::Coordinator)
            .count();
        if coordinators == 0 {
            return Err(StoreError::invalid("staff", "last_coordinator"));
        }
        let action = change.audit_id();
        let (audit_key, audit_value) =
            self.audit_record(&crate::domain::AuditEntry::about(at, by, action, Some(id)))?;
        let t = &self.t;
        use sled::Transactional;
        (&t.staff, &t.audit)
            .transaction(|(staff, audit)| {
                staff.insert(&keys::id(s.id), codec::encode(&s))?;
                audit.insert(&audit_key, &audit_value[..])?;
                Ok(())
            })
            .map_err(|e| super::visitors::tx_error(self, e))?;
        self.flush()?;
        Ok(s)
    }

    /// Adds a staff member; the initials must be free among active staff.
    pub fn add_staff(&self, new: NewStaff, by: Option<u64>, at: i64) -> Result<Staff> {
        self.require_coordinator(by, "add_staff")?;
        if self.staff_by_initials(&new.initials)?.is_some() {
            return Err(StoreError::invalid("initials", "initials_taken"));
        }
        let s = Staff {
            id: self.new_id()?,
            name: new.name,
            initials: new.initials,
            role: new.role,
            pin_hash: new.pin_hash,
            active: true,
            failed: 0,
            not_before: 0,
        };
        self.t
            .staff
            .insert(keys::id(s.id), codec::encode(&s))
            .map_err(|e| self.err(e))?;
        self.log("staff-add", by, Some(s.id), at)?;
        Ok(s)
    }

    /// Every staff member, active or not.
    pub fn staff(&self) -> Result<Vec<Staff>> {
        let mut out = Vec::new();
        for kv in self.t.staff.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(self.decode("staffid_staff", &v)?);
        }
        Ok(out)
    }

    pub fn staff_member(&self, id: u64) -> Result<Option<Staff>> {
        match self.t.staff.get(keys::id(id)).map_err(|e| self.err(e))? {
            Some(v) => Ok(Some(self.decode("staffid_staff", &v)?)),
            None => Ok(None),
        }
    }

    pub fn staff_by_initials(&self, initials: &str) -> Result<Option<Staff>> {
        let initials = initials.trim().to_uppercase();
        Ok(self
            .staff()?
            .into_iter()
            .find(|s| s.active && s.initials == initials))
    }

    /// Checks a PIN, slowing down and locking after wrong ones. Every try
    /// is written to the audit log.
    pub fn sign_in(
        &self,
        initials: &str,
        pin: &str,
        at: i64,
        policy: &PinPolicy,
    ) -> Result<SignIn> {
        // Made before any answer, so the first one is not slower either.
        dummy_hash();
        let Some(mut s) = self.staff_by_initials(initials)? else {
            // As slow as a real check, so timing does not tell which
            // initials exist.
            let _ = verify_pin(pin, dummy_hash());
            self.log("sign-in-failed", None, None, at)?;
            return Ok(SignIn::Unknown);
        };
        if at < s.not_before {
            // As slow as a check (unknown initials are checked too).
            let _ = verify_pin(pin, dummy_hash());
            return Ok(SignIn::Wait {
                wait: s.not_before - at,
            });
        }
        let result = if verify_pin(pin, &s.pin_hash) {
            s.failed = 0;
            s.not_before = 0;
            // A hash from an earlier version's parameters is made anew.
            if !pin_hash_is_current(&s.pin_hash) {
                s.pin_hash = hash_pin(pin);
            }
            SignIn::Ok(s.clone())
        } else {
            s.failed += 1;
            let wait = policy.wait_after(s.failed);
            s.not_before = at + wait;
            if s.failed >= policy.max_failures {
                // After the lockout, a fresh count.
                s.failed = 0;
            }
            SignIn::Wrong { wait }
        };
        self.t
            .staff
            .insert(keys::id(s.id), codec::encode(&s))
            .map_err(|e| self.err(e))?;
        if matches!(result, SignIn::Ok(_)) {
            self.log("sign-in", Some(s.id), Some(s.id), at)?;
        } else {
            self.log("sign-in-failed", Some(s.id), Some(s.id), at)?;
        }
        Ok(result)
    }

    /// Keeps an unsaved contact for a staff member (doorlog is stopping).
    pub fn keep_contact(&self, staff: u64, kept: &crate::domain::KeptContact) -> Result<()> {
        self.t
            .meta
            .insert(kept_key(staff), codec::encode(kept))
            .map_err(|e| self.err(e))?;
        self.flush()
    }

    /// The contact kept for a staff member, if any; it is taken (removed).
    pub fn take_kept_contact(&self, staff: u64) -> Result<Option<crate::domain::KeptContact>> {
        let Some(v) = self
            .t
            .meta
            .remove(kept_key(staff))
            .map_err(|e| self.err(e))?
        else {
            return Ok(None);
        };
        self.flush()?;
        Ok(Some(self.decode("meta", &v)?))
    }

    /// Refuses unless `by` is the command line or an active coordinator.
    /// `what` is an action id with a text `forbidden.<id>` (`add_staff`,
    /// `export_counts`, ...).
    pub fn require_coordinator(&self, by: Option<u64>, what: &'static str) -> Result<()> {
        let Some(id) = by else { return Ok(()) };
        match self.staff_member(id)? {
            Some(s) if s.active && s.role == Role::Coordinator => Ok(()),
            _ => Err(StoreError::Forbidden(what)),
        }
    }

    /// Door staff may change only the contacts they saved themselves.
    pub(crate) fn may_change(&self, by: Option<u64>, c: &Contact) -> Result<()> {
        match by {
            Some(id) if c.staff != Some(id) => {
                self.require_coordinator(by, "change_others_contact")
            }
            _ => Ok(()),
        }
    }
}

/// A hash no PIN matches, checked for unknown initials (made once).
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        NewStaff::new("-", "X", Role::Door, "000000000000")
            .map(|n| n.pin_hash)
            .unwrap_or_default()
    })
}

/// `kept:` ++ staff id (8): an unsaved contact kept for that staff member.
fn kept_key(staff: u64) -> Vec<u8> {
    [&b"kept:"[..], &keys::id(staff)].concat()
}
