//! The audit log as rows of text, for `doorlog audit` and the audit screen:
//! staff by initials, the target as a contact id or a record id.

use crate::domain::{AuditEntry, Staff};

/// One line of the log as shown and exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub when: String,
    pub staff: String,
    pub action: String,
    pub target: String,
    /// All four, lower-cased, for filtering.
    text: String,
}

impl AuditRow {
    /// Whether the row holds `filter` (already lower-cased) anywhere.
    pub fn matches(&self, filter: &str) -> bool {
        self.text.contains(filter)
    }
}

/// Rows in the order given; `when` formats a unix time.
pub fn audit_rows(
    entries: impl IntoIterator<Item = AuditEntry>,
    staff: &[Staff],
    when: impl Fn(i64) -> String,
) -> Vec<AuditRow> {
    let initials = |id: u64| {
        staff
            .iter()
            .find(|s| s.id == id)
            .map_or(id.to_string(), |s| s.initials.clone())
    };
    entries
        .into_iter()
        .map(|e| {
            let when = when(e.at);
            let staff = e.staff.map_or("-".into(), initials);
            let target = e
                .contact
                .or(e.target.map(|t| t.to_string()))
                .unwrap_or("-".into());
            let text = format!("{when} {staff} {} {target}", e.action).to_lowercase();
            AuditRow {
                when,
                staff,
                action: e.action,
                target,
                text,
            }
        })
        .collect()
}

/// UTF-8 CSV: `time,staff,action,target`.
pub fn audit_csv<'a>(rows: impl IntoIterator<Item = &'a AuditRow>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut write = |rec: [&str; 4]| {
        w.write_record(rec)
            .expect("writing to memory does not fail")
    };
    write(["time", "staff", "action", "target"]);
    for r in rows {
        write([&r.when, &r.staff, &r.action, &r.target]);
    }
    w.into_inner().expect("writing to memory does not fail")
}
