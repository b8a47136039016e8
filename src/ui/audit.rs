//! The coordinator's audit log screen: newest first, filtered by what is
//! typed (action, initials or target), exportable to CSV.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Mode};
use crate::domain::AuditEntry;

/// One line of the log as shown and exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub when: String,
    pub staff: String,
    pub action: String,
    pub target: String,
}

impl AuditRow {
    fn matches(&self, filter: &str) -> bool {
        let f = filter.trim().to_lowercase();
        f.is_empty()
            || [&self.action, &self.staff, &self.target, &self.when]
                .iter()
                .any(|s| s.to_lowercase().contains(&f))
    }
}

impl App<'_> {
    /// The log as rows, newest first (local time).
    pub fn audit_rows(&self) -> crate::store::Result<Vec<AuditRow>> {
        let initials: std::collections::HashMap<u64, String> = self
            .store
            .staff()?
            .into_iter()
            .map(|s| (s.id, s.initials))
            .collect();
        let mut rows: Vec<AuditRow> = self
            .store
            .audit(i64::MIN, i64::MAX)?
            .into_iter()
            .rev()
            .map(|e: AuditEntry| {
                let local = time::OffsetDateTime::from_unix_timestamp(e.at)
                    .map(|t| self.cfg.day_rule.wall_clock(t))
                    .ok();
                AuditRow {
                    when: local.map_or(e.at.to_string(), |t| {
                        format!(
                            "{} {:02}:{:02}",
                            crate::report::iso(t.date()),
                            t.hour(),
                            t.minute()
                        )
                    }),
                    staff: e.staff.map_or("-".into(), |id| {
                        initials.get(&id).cloned().unwrap_or(id.to_string())
                    }),
                    action: e.action,
                    target: e
                        .contact
                        .or(e.target.map(|t| t.to_string()))
                        .unwrap_or("-".into()),
                }
            })
            .collect();
        rows.truncate(10_000);
        Ok(rows)
    }

    pub(super) fn open_audit(&mut self) {
        if let Err(e) = self
            .store
            .require_coordinator(self.staff_id(), "read the audit log")
        {
            return self.fail(e.to_string());
        }
        match self.audit_rows() {
            Ok(rows) => {
                self.audit = rows;
                self.mode = Mode::Audit {
                    filter: String::new(),
                    selected: 0,
                };
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub fn audit_filtered(&self) -> Vec<&AuditRow> {
        let Mode::Audit { filter, .. } = &self.mode else {
            return Vec::new();
        };
        self.audit.iter().filter(|r| r.matches(filter)).collect()
    }

    /// Writes the shown (filtered) log to `DATA_DIR/exports/audit-DATE.csv`.
    pub(super) fn export_audit(&mut self) {
        let rows = self.audit_filtered();
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut ok = w
            .write_record(["time", "staff", "action", "target"])
            .is_ok();
        for r in &rows {
            ok &= w
                .write_record([&r.when, &r.staff, &r.action, &r.target])
                .is_ok();
        }
        let bytes = w.into_inner().unwrap_or_default();
        let dir = self.cfg.data_dir.join("exports");
        let path = dir.join(format!("audit-{}.csv", crate::report::iso(self.day)));
        let written = ok
            && std::fs::create_dir_all(&dir).is_ok()
            && crate::files::write_atomically(&path, &bytes).is_ok()
            && self
                .store
                .log(
                    "audit-export",
                    self.staff_id(),
                    None,
                    self.now.unix_timestamp(),
                )
                .is_ok();
        if written {
            let msg = self.tx.f("status.exported", &[("path", &path.display())]);
            self.say(msg);
        } else {
            let msg = self
                .tx
                .f("status.export_failed", &[("error", &path.display())]);
            self.fail(msg);
        }
    }
}

pub fn draw(f: &mut Frame, app: &App, area: Rect) {
    let Mode::Audit { filter, selected } = &app.mode else {
        return;
    };
    let rows = app.audit_filtered();
    let title = app.tx.f("audit.title", &[("n", &rows.len())]);
    let mut lines = vec![Line::from(format!(
        " {} {filter}▏",
        app.tx.t("audit.filter")
    ))];
    let height = area.height.saturating_sub(3) as usize;
    let first = selected.saturating_sub(height.saturating_sub(1));
    for (i, r) in rows.iter().enumerate().skip(first).take(height) {
        let mut line = Line::from(format!(
            " {}  {:<5} {:<16} {}",
            r.when, r.staff, r.action, r.target
        ));
        if i == *selected {
            line = line.style(app.theme.selected());
        }
        lines.push(line);
    }
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(title)),
        area,
    );
}
