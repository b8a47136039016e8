//! The append-only audit log: who did what to which record, and when.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// UTC, unix seconds.
    pub at: i64,
    /// `None` for the command line (whoever holds the computer's account).
    pub staff: Option<u64>,
    /// A fixed word: `visitor-add`, `undo`, `erase`, `restore`, ...
    pub action: String,
    /// The id of the visitor or staff member acted on, if any.
    pub target: Option<u64>,
    /// The contact acted on (`20260329-42`), if any.
    pub contact: Option<String>,
}

impl AuditEntry {
    /// An event about a visitor or staff member (`target`), or about nothing.
    pub fn about(at: i64, staff: Option<u64>, action: &str, target: Option<u64>) -> AuditEntry {
        AuditEntry {
            at,
            staff,
            action: action.to_string(),
            target,
            contact: None,
        }
    }

    /// An event about one contact.
    pub fn about_contact(
        at: i64,
        staff: Option<u64>,
        action: &str,
        contact: super::ContactId,
    ) -> AuditEntry {
        AuditEntry {
            contact: Some(contact.to_string()),
            ..AuditEntry::about(at, staff, action, None)
        }
    }
}
