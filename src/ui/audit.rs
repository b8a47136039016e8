//! The coordinator's audit log screen: newest first, filtered by what is
//! typed (action, initials or target), exportable to CSV.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::app::{App, Mode};
use crate::report::audit::{AuditRow, audit_csv, audit_rows};

/// The most lines the screen loads.
const MAX_ROWS: usize = 10_000;

impl App<'_> {
    /// The log as rows, newest first, in local time.
    pub fn audit_rows(&self) -> crate::store::Result<Vec<AuditRow>> {
        let mut entries = self.store.audit(i64::MIN, i64::MAX)?;
        entries.reverse();
        entries.truncate(MAX_ROWS);
        let local = |at: i64| match time::OffsetDateTime::from_unix_timestamp(at) {
            Ok(t) => {
                let t = self.cfg.day_rule.wall_clock(t);
                format!(
                    "{} {:02}:{:02}",
                    crate::report::iso(t.date()),
                    t.hour(),
                    t.minute()
                )
            }
            Err(_) => at.to_string(),
        };
        Ok(audit_rows(entries, &self.store.staff()?, local))
    }

    pub(super) fn open_audit(&mut self) {
        if let Err(e) = self
            .store
            .require_coordinator(self.staff_id(), "read_audit_log")
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
        let filter = filter.trim().to_lowercase();
        self.audit.iter().filter(|r| r.matches(&filter)).collect()
    }

    /// Writes the shown (filtered) log to `DATA_DIR/exports/audit-DATE.csv`.
    pub(super) fn export_audit(&mut self) {
        let bytes = audit_csv(self.audit_filtered());
        let dir = self.cfg.data_dir.join("exports");
        let path = dir.join(format!("audit-{}.csv", crate::report::iso(self.day)));
        let written = std::fs::create_dir_all(&dir)
            .and_then(|_| crate::files::write_atomically(&path, &bytes))
            .map_err(|e| e.to_string())
            .and_then(|_| {
                let at = self.now.unix_timestamp();
                self.store
                    .log("audit-export", self.staff_id(), None, at)
                    .map_err(|e| e.to_string())
            });
        match written {
            Ok(()) => {
                let msg = self.tx.f("status.exported", &[("path", &path.display())]);
                self.say(msg);
            }
            Err(e) => {
                let msg = self.tx.f("status.export_failed", &[("error", &e)]);
                self.fail(msg);
            }
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
