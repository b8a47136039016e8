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
