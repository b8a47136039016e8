//! The coordinator's settings screen: the centre's name, language, time
//! zone and cut-over hour, idle lock, PIN lockout, how long notes and
//! unseen visitors are kept, what the hatch-facing list shows, where
//! backups and exports go. Each change is checked with the same rules and
//! messages as `config.json`, kept in the store (audited) and taken into
//! use at once; the service day's rule (time zone, cut-over hour) at the
//! next start, so today's contacts keep the day they have.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::View;
use crate::config::{Config, ConfigFile, SCREEN_SETTINGS};
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::widgets::form::{Edit, FieldSpec, Form};
use crate::ui::widgets::list::{self, Selection};
use ratatui::style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
    Edit,
    Back,
    Field(Edit),
    Save,
    Cancel,
}

use Action as A;
use KeyCode as K;

const LIST: &[Binding<Action>] = &[
    Binding::new(
        &[Key::Code(K::Up), Key::Code(K::Down)],
        A::Move,
        "help.select",
    ),
    Binding::new(&[Key::Code(K::Enter)], A::Edit, "help.settings_edit").main("foot.change"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
];

const FORM: &[Binding<Action>] = crate::form_keys![
    A::Field;
    Binding::new(&[Key::Code(K::Enter)], A::Save, "help.save_form").main("foot.save"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.settings_cancel").footer("foot.back"),
];

const VALUE: &[FieldSpec] = &[FieldSpec::text("settings.value", 200)];

/// The settings that decide the service day: changed for the next start.
const AT_NEXT_START: [&str; 2] = ["timezone", "cutover_hour"];

#[derive(Debug, Clone)]
enum Mode {
    List,
    /// A new value for the setting at this place in `SCREEN_SETTINGS`.
    Edit(usize, Form),
}

#[derive(Debug, Clone)]
pub struct SettingsScreen {
    selection: Selection,
    mode: Mode,
    /// What the store holds (set on this screen, or taken from
    /// `config.json` at the first start).
    stored: ConfigFile,
}

impl SettingsScreen {
    /// The settings, for a coordinator; anyone else is refused.
    pub fn open(env: &mut Env) -> Option<SettingsScreen> {
        let stored = env
            .store
            .require_coordinator(env.staff_id(), "settings")
            .and_then(|()| ConfigFile::stored(env.store));
        match stored {
            Ok(stored) => Some(SettingsScreen {
                selection: Selection::new(SCREEN_SETTINGS.len(), 0),
                mode: Mode::List,
                stored: stored.unwrap_or_default(),
            }),
            Err(e) => {
                env.store_failed(&e);
                None
            }
        }
    }

    /// A setting as it is in force, in the screen's words.
    fn in_force(&self, name: &str, cfg: &Config, env: &Env) -> String {
        let yes_no = |b: bool| {
            env.tx
                .t(if b { "settings.yes" } else { "settings.no" })
                .to_string()
        };
        match name {
            "centre" => cfg.centre.clone().unwrap_or_default(),
            // The screen's language (`--lang` may have chosen it).
            "language" => env
                .tx
                .t(&format!("lang.{}", env.tx.lang.code()))
                .to_string(),
            "timezone" => match self.stored.timezone.as_ref().or(cfg.file.timezone.as_ref()) {
                Some(z) => z.clone(),
                None => env.tx.t("settings.machine_zone").to_string(),
            },
            "cutover_hour" => format!("{:02}:00", cfg.day_rule.cutover_hour()),
            "idle_lock_minutes" => cfg.idle_lock_minutes.to_string(),
            "pin_max_failures" => cfg.pin_policy.max_failures.to_string(),
            "pin_lockout_minutes" => (cfg.pin_policy.lockout_secs / 60).to_string(),
            "note_retention_days" => cfg.privacy.note_days.to_string(),
            "anonymise_after_days" => cfg.privacy.anonymise_days.to_string(),
            "hatch_shows_aliases" => yes_no(cfg.hatch_shows_aliases),
            "backup_dir" => in_data_dir(&cfg.backup_dir, cfg),
            "backups_kept" => cfg.backups_kept.to_string(),
            "backup_hour" => match cfg.backup_hour {
                Some(h) => format!("{h:02}:00"),
                None => env.tx.t("settings.at_day_start").to_string(),
            },
            "export_dir" => in_data_dir(&cfg.export_dir, cfg),
            _ => String::new(),
        }
    }

    /// Sets `name` to what was typed: checked, kept in the store, in use.
    fn change(&mut self, env: &mut Env, name: &'static str, text: &str) -> bool {
        // A broken rule, named with the setting's label on this screen.
        let refuse = |env: &mut Env, e: &crate::domain::InvalidInput| {
            let label = env.tx.t(&format!("settings.{name}")).to_string();
            let msg = format!("{label}: {}", env.tx.problem(e));
            env.fail(msg);
            false
        };
        let mut stored = self.stored.clone();
        if let Err(e) = stored.set(name, text) {
            return refuse(env, &e);
        }
        let mut next = match env.cfg.with_settings(&stored) {
            Ok(c) => c,
            Err(e) => return refuse(env, &e),
        };
        if let Err(e) = env
            .store
            .put_settings(&stored.to_json(), name, env.staff_id(), env.at())
        {
            env.store_failed(&e);
            return false;
        }
        self.stored = stored;
        // The catalog is the store's; the service day stays as it is until
        // doorlog starts again.
        next.catalog = env.cfg.catalog.clone();
        next.day_rule = env.cfg.day_rule.clone();
        if next.lang != env.cfg.lang {
            env.tx = crate::i18n::Texts::new(next.lang);
        }
        env.cfg = next;
        let label = env.tx.t(&format!("settings.{name}")).to_string();
        let key = if AT_NEXT_START.contains(&name) {
            "settings.changed_next_start"
        } else {
            "settings.changed"
        };
        let value = match (name, text.trim()) {
            ("timezone" | "cutover_hour", "") => env.tx.t("settings.standard").to_string(),
            ("timezone" | "cutover_hour", t) => t.to_string(),
            _ => self.in_force(name, &env.cfg, env),
        };
        let msg = env.tx.f(key, &[("name", &label), ("value", &value)]);
        env.say(msg);
        true
    }
}

impl View for SettingsScreen {
    type Action = Action;
    const NAME: &'static str = "settings";

    fn bindings(&self) -> &'static [Binding<Action>] {
        match self.mode {
            Mode::List => LIST,
            Mode::Edit(..) => FORM,
        }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("list", LIST), ("form", FORM)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Move => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            A::Edit => {
                let Some(i) = self.selection.get() else {
                    return Nav::Stay;
                };
                let name = SCREEN_SETTINGS[i];
                if name == "hatch_shows_aliases" {
                    // Yes or no: Enter turns it over.
                    let now = env.cfg.hatch_shows_aliases;
                    self.change(env, name, if now { "no" } else { "yes" });
                } else if name == "language" {
                    // One of three: Enter goes to the next.
                    let all = crate::i18n::Lang::ALL;
                    let at = all.iter().position(|l| *l == env.tx.lang).unwrap_or(0);
                    let next = all[(at + 1) % all.len()];
                    self.change(env, name, next.code());
                } else {
                    let mut form = Form::new(VALUE);
                    // What is typed: the value itself, not how the list
                    // words it ("00:00", "the computer's").
                    let value = match name {
                        "timezone" => self.stored.timezone.clone().unwrap_or_default(),
                        "cutover_hour" => env.cfg.day_rule.cutover_hour().to_string(),
                        "backup_hour" => env
                            .cfg
                            .backup_hour
                            .map(|h| h.to_string())
                            .unwrap_or_default(),
                        _ => self.in_force(name, &env.cfg, env),
                    };
                    // The first key typed replaces it.
                    form.prefill(0, &value);
                    self.mode = Mode::Edit(i, form);
                }
            }
            A::Back => return Nav::Pop,
            A::Field(e) => {
                if let Mode::Edit(_, form) = &mut self.mode {
                    form.edit(e, hit.arg, env);
                }
            }
            A::Save => {
                if let Mode::Edit(i, form) = &self.mode {
                    let (name, text) = (SCREEN_SETTINGS[*i], form.value(0).to_string());
                    if self.change(env, name, &text) {
                        self.mode = Mode::List;
                    }
                }
            }
            A::Cancel => self.mode = Mode::List,
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        match &mut self.mode {
            Mode::Edit(_, form) => form.focused().insert_or_say(text, env),
            Mode::List => env.fail_key("status.paste_here"),
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let title = env.tx.t("settings.title").to_string();
        let block = Block::bordered().title(Span::styled(title, env.theme.title()));
        let labels: Vec<String> = SCREEN_SETTINGS
            .iter()
            .map(|n| env.tx.t(&format!("settings.{n}")).to_string())
            .collect();
        let label_w = labels.iter().map(|l| l.width()).max().unwrap_or(0).min(36);
        let mut lines = Vec::new();
        match &self.mode {
            Mode::Edit(i, form) => {
                let name = SCREEN_SETTINGS[*i];
                lines.push(Line::styled(labels[*i].clone(), env.theme.title()));
                lines.push(Line::styled(
                    env.tx.t(&format!("settings.hint.{name}")).to_string(),
                    env.theme.dim(),
                ));
                lines.push(Line::from(""));
                lines.extend(form.lines(env, 12));
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    env.tx.t("settings.empty_hint").to_string(),
                    env.theme.dim(),
                ));
            }
            Mode::List => {
                let height = area.height.saturating_sub(3) as usize;
                for n in self.selection.window(height) {
                    let mut label = labels[n].clone();
                    while label.width() > label_w {
                        label.pop();
                    }
                    let pad = " ".repeat(label_w - label.width());
                    let value = self.in_force(SCREEN_SETTINGS[n], &env.cfg, env);
                    lines.push(list::row(
                        format!(" {label}{pad}  {value}"),
                        Style::new(),
                        Some(n) == self.selection.get(),
                        env.theme,
                    ));
                }
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    env.tx.t("settings.file_only").to_string(),
                    env.theme.dim(),
                ));
            }
        }
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
    }
}

/// A folder as the setting names it: inside the data folder by its own
/// name (`backups`), elsewhere by its full path.
fn in_data_dir(dir: &std::path::Path, cfg: &Config) -> String {
    dir.strip_prefix(&cfg.data_dir)
        .unwrap_or(dir)
        .display()
        .to_string()
}
