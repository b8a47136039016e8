//! The coordinator's audit log: newest first, filtered by what is typed
//! (action, initials, target or date), exportable to CSV.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::View;
use crate::report::audit::{AuditRow, audit_csv, audit_rows};
use crate::ui::env::Env;
use crate::ui::keys::{Arg, Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::ops;
use crate::ui::widgets::form::TextField;
use crate::ui::widgets::list::{self, Selection};
use ratatui::style::Style;

/// The most lines the screen loads.
const MAX_ROWS: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Type,
    Erase,
    Move,
    Export,
    Back,
}

use Action as A;
use KeyCode as K;

const KEYS: &[Binding<Action>] = &[
    Binding::new(&[Key::Text], A::Type, "help.audit_filter").footer("foot.filter"),
    Binding::new(&[Key::Code(K::Backspace)], A::Erase, "help.erase"),
    Binding::new(
        &[Key::Code(K::Up), Key::Code(K::Down)],
        A::Move,
        "help.select",
    )
    .footer("foot.scroll"),
    Binding::new(&[Key::Ctrl('e')], A::Export, "help.export_shown")
        .footer("foot.csv")
        .coordinator(),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
];

#[derive(Debug, Clone)]
pub struct Audit {
    /// The log as loaded when the screen opened, newest first.
    rows: Vec<AuditRow>,
    /// Each row's action in the screen's language, and lower-cased.
    actions: Vec<(String, String)>,
    filter: TextField,
    /// Positions in `rows` that match the filter.
    shown: Vec<usize>,
    selection: Selection,
}

impl Audit {
    /// Loads the log for a coordinator; anyone else is refused.
    pub fn open(env: &mut Env) -> Option<Audit> {
        let loaded = env
            .store
            .require_coordinator(env.staff_id(), "read_audit_log")
            .and_then(|_| load(env));
        match loaded {
            Ok(rows) => {
                let actions = rows
                    .iter()
                    .map(|r| {
                        let shown = env.tx.audit_action(&r.action);
                        let lower = shown.to_lowercase();
                        (shown, lower)
                    })
                    .collect();
                let mut a = Audit {
                    rows,
                    actions,
                    filter: TextField::new(32),
                    shown: Vec::new(),
                    selection: Selection::default(),
                };
                a.refilter();
                Some(a)
            }
            Err(e) => {
                env.store_failed(&e);
                None
            }
        }
    }

    /// The rows matching the filter (by what the row shows, or the action's
    /// id); the selection follows the list.
    fn refilter(&mut self) {
        let filter = self.filter.value.trim().to_lowercase();
        self.shown = (0..self.rows.len())
            .filter(|&i| self.rows[i].matches(&filter) || self.actions[i].1.contains(&filter))
            .collect();
        self.selection.set_len(self.shown.len());
    }

    /// Writes the shown lines to `DATA_DIR/exports/audit-DATE.csv`.
    fn export(&self, env: &mut Env) {
        let bytes = audit_csv(self.shown.iter().map(|&i| &self.rows[i]));
        let name = format!("audit-{}.csv", crate::report::iso(env.day));
        ops::export_file(env, &name, &bytes, "audit-export");
    }
}

/// The log as rows, newest first, in local time.
fn load(env: &Env) -> crate::store::Result<Vec<AuditRow>> {
    let entries = env.store.audit_newest(MAX_ROWS)?;
    let local = |at: i64| match time::OffsetDateTime::from_unix_timestamp(at) {
        Ok(t) => {
            let t = env.cfg.day_rule.wall_clock(t);
            format!(
                "{} {:02}:{:02}",
                env.tx.date(t.date()),
                t.hour(),
                t.minute()
            )
        }
        Err(_) => at.to_string(),
    };
    Ok(audit_rows(entries, &env.store.staff()?, local))
}

impl View for Audit {
    type Action = Action;
    const NAME: &'static str = "audit";

    fn bindings(&self) -> &'static [Binding<Action>] {
        KEYS
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("log", KEYS)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Type => {
                if let Arg::Char(c) = hit.arg {
                    self.filter.insert_or_say(&c.to_string(), env);
                    self.refilter();
                }
            }
            A::Erase => {
                self.filter.backspace();
                self.refilter();
            }
            A::Move => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            A::Export => self.export(env),
            A::Back => return Nav::Pop,
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        self.filter.insert_or_say(text, env);
        self.refilter();
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let title = env.tx.n("audit.title", self.shown.len() as u64, &[]);
        let mut lines = vec![Line::from(format!(
            " {} {}▏",
            env.tx.t("audit.filter"),
            self.filter.value
        ))];
        let height = area.height.saturating_sub(3) as usize;
        let width = self.actions.iter().map(|a| a.0.width()).max().unwrap_or(0);
        for n in self.selection.window(height) {
            let i = self.shown[n];
            let (r, action) = (&self.rows[i], &self.actions[i].0);
            let pad = " ".repeat(width - action.width());
            let line = list::row(
                format!(" {}  {:<5} {action}{pad} {}", r.when, r.staff, r.target),
                Style::new(),
                Some(n) == self.selection.get(),
                env.theme,
            );
            lines.push(line);
        }
        f.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(title)),
            area,
        );
    }
}
