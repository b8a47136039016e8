//! Key bindings, in one place: which key does what on which screen, and the
//! help text for each (the help overlay and the footer read these lists).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::Mode;
use super::reports::Period;
use crate::domain::Catalog;
use crate::report::Format;

/// One line of help: the key as shown, and the text's key in `assets/i18n`.
pub type HelpLine = (&'static str, &'static str);

pub const HOME_HELP: &[HelpLine] = &[
    ("a-z 0-9", "help.search"),
    ("↑ ↓", "help.select"),
    ("Enter", "help.pick"),
    ("Space / F2", "help.anonymous"),
    ("F3", "help.new_visitor"),
    ("F4", "help.tally"),
    ("F5", "help.recent"),
    ("F6", "help.reports"),
    ("F7", "help.audit"),
    ("Ctrl-Z", "help.undo_last"),
    ("Esc", "help.clear_search"),
    ("F9 / Ctrl-L", "help.lock"),
    ("? / F1", "help.help"),
    ("Ctrl-Q / F10", "help.quit"),
];

pub const CONTACT_HELP: &[HelpLine] = &[
    ("a-z", "help.add_item"),
    ("A-Z", "help.return_item"),
    ("Backspace", "help.remove_last"),
    ("1 2 3", "help.flags"),
    ("Tab", "help.channel"),
    ("Space", "help.conversation"),
    ("F6", "help.new_message"),
    ("F7", "help.message_done"),
    ("Enter", "help.save"),
    ("Esc", "help.cancel_contact"),
    ("F9 / Ctrl-L", "help.lock"),
    ("? / F1", "help.help"),
];

pub const CONVERSATION_HELP: &[HelpLine] = &[
    ("a-z", "help.toggle_topic"),
    ("Tab", "help.note_focus"),
    ("Enter", "help.done_conversation"),
    ("Esc", "help.cancel_conversation"),
    ("F1", "help.help"),
];

pub const FORM_HELP: &[HelpLine] = &[
    ("Tab / ↓", "help.next_field"),
    ("Shift-Tab / ↑", "help.prev_field"),
    ("Enter", "help.save_visitor"),
    ("Esc", "help.cancel_form"),
    ("F1", "help.help"),
];

pub const TALLY_HELP: &[HelpLine] = &[
    ("a-z", "help.tally_item"),
    ("Backspace / Ctrl-Z", "help.tally_undo"),
    ("Esc", "help.leave_tally"),
    ("? / F1", "help.help"),
];

pub const RECENT_HELP: &[HelpLine] = &[
    ("↑ ↓", "help.select"),
    ("Enter", "help.edit_selected"),
    ("u / Delete", "help.undo_selected"),
    ("Esc", "help.back"),
    ("? / F1", "help.help"),
];

pub const REPORTS_HELP: &[HelpLine] = &[
    ("d w m", "help.period"),
    ("c", "help.custom_range"),
    ("← →", "help.step_period"),
    ("t", "help.this_period"),
    ("e", "help.export_csv"),
    ("j", "help.export_json"),
    ("Esc", "help.back"),
    ("? / F1", "help.help"),
];

pub const RANGE_HELP: &[HelpLine] = &[
    ("Tab", "help.next_field"),
    ("Enter", "help.apply_range"),
    ("Esc", "help.cancel_range"),
    ("F1", "help.help"),
];

pub const AUDIT_HELP: &[HelpLine] = &[
    ("a-z 0-9", "help.audit_filter"),
    ("↑ ↓", "help.select"),
    ("F2", "help.audit_export"),
    ("Esc", "help.back"),
    ("F1", "help.help"),
];

pub const MESSAGE_HELP: &[HelpLine] = &[
    ("Enter", "help.save_message"),
    ("Esc", "help.cancel_message"),
    ("F1", "help.help"),
];

/// Keys only a coordinator has.
const COORDINATOR_KEYS: [&str; 3] = ["e", "j", "F7"];

/// The help of a screen, without the keys the signed-in role may not use.
pub fn help_for(mode: &Mode, coordinator: bool) -> Vec<HelpLine> {
    screen_help(mode)
        .iter()
        .filter(|(k, _)| coordinator || !COORDINATOR_KEYS.contains(k))
        .copied()
        .collect()
}

fn screen_help(mode: &Mode) -> &'static [HelpLine] {
    match mode {
        Mode::Home => HOME_HELP,
        Mode::Contact => CONTACT_HELP,
        Mode::Conversation { .. } => CONVERSATION_HELP,
        Mode::NewVisitor(_) => FORM_HELP,
        Mode::Tally => TALLY_HELP,
        Mode::Recent { .. } => RECENT_HELP,
        Mode::NewMessage(_) => MESSAGE_HELP,
        Mode::Reports => REPORTS_HELP,
        Mode::ReportRange => RANGE_HELP,
        Mode::Audit { .. } => AUDIT_HELP,
    }
}

/// The action a key means on the current screen, if any.
pub fn action(
    mode: &Mode,
    search_empty: bool,
    coordinator: bool,
    key: KeyEvent,
    catalog: &Catalog,
) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::F(1) => return Some(Action::Help),
        KeyCode::F(10) => return Some(Action::Quit),
        KeyCode::F(9) => return Some(Action::Lock),
        KeyCode::Char('l') if ctrl => return Some(Action::Lock),
        KeyCode::Char('q') if ctrl => return Some(Action::Quit),
        KeyCode::Char('c') if ctrl => return Some(Action::Quit),
        KeyCode::Esc => return Some(Action::Back),
        _ => {}
    }
    let item = |c: char| catalog.items.iter().position(|i| i.hotkey == c);
    let topic = |c: char| catalog.topics.iter().position(|t| t.hotkey == c);
    let text_field = || match key.code {
        KeyCode::Char(c) if !ctrl && !c.is_control() => Some(Action::TextChar(c)),
        KeyCode::Backspace => Some(Action::TextBackspace),
        KeyCode::Enter => Some(Action::Save),
        _ => None,
    };
    match mode {
        Mode::Home => match key.code {
            KeyCode::Char('z') if ctrl => Some(Action::UndoLast),
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char(' ') if search_empty => Some(Action::Anonymous),
            KeyCode::Char(c) if !ctrl && !c.is_control() => Some(Action::SearchChar(c)),
            KeyCode::Backspace => Some(Action::SearchBackspace),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Enter => Some(Action::Pick),
            KeyCode::F(2) => Some(Action::Anonymous),
            KeyCode::F(3) => Some(Action::NewVisitor),
            KeyCode::F(4) => Some(Action::Tally),
            KeyCode::F(5) => Some(Action::Recent),
            KeyCode::F(6) => Some(Action::Reports),
            KeyCode::F(7) if coordinator => Some(Action::Audit),
            _ => None,
        },
        Mode::Contact => match key.code {
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char(' ') => Some(Action::Conversation),
            KeyCode::Char(d @ '1'..='3') => Some(Action::ToggleFlag(d as usize - '1' as usize)),
            KeyCode::Char(c) if !ctrl && c.is_ascii_lowercase() => item(c).map(Action::AddItem),
            KeyCode::Char(c) if !ctrl && c.is_ascii_uppercase() => {
                item(c.to_ascii_lowercase()).map(Action::ReturnItem)
            }
            KeyCode::Backspace => Some(Action::RemoveLast),
            KeyCode::Tab => Some(Action::CycleChannel),
            KeyCode::F(6) => Some(Action::NewMessage),
            KeyCode::F(7) => Some(Action::MessageDone),
            KeyCode::Enter => Some(Action::Save),
            _ => None,
        },
        Mode::Conversation { note_focus: false } => match key.code {
            KeyCode::Char(c) if !ctrl && c.is_ascii_lowercase() => {
                topic(c).map(Action::ToggleTopic)
            }
            KeyCode::Tab | KeyCode::BackTab => Some(Action::SwitchFocus),
            KeyCode::Enter => Some(Action::Save),
            _ => None,
        },
        Mode::Conversation { note_focus: true } => match key.code {
            KeyCode::Tab | KeyCode::BackTab => Some(Action::SwitchFocus),
            _ => text_field(),
        },
        Mode::NewVisitor(_) => match key.code {
            KeyCode::Tab | KeyCode::Down => Some(Action::NextField),
            KeyCode::BackTab | KeyCode::Up => Some(Action::PrevField),
            _ => text_field(),
        },
        Mode::NewMessage(_) => text_field(),
        Mode::Tally => match key.code {
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char('z') if ctrl => Some(Action::TallyUndo),
            KeyCode::Backspace => Some(Action::TallyUndo),
            KeyCode::Char(c) if !ctrl && c.is_ascii_lowercase() => item(c).map(Action::TallyItem),
            _ => None,
        },
        Mode::Reports => match key.code {
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Char('d') => Some(Action::Period(Period::Day)),
            KeyCode::Char('w') => Some(Action::Period(Period::Week)),
            KeyCode::Char('m') => Some(Action::Period(Period::Month)),
            KeyCode::Char('c') => Some(Action::Period(Period::Custom)),
            KeyCode::Left => Some(Action::Step(-1)),
            KeyCode::Right => Some(Action::Step(1)),
            KeyCode::Char('t') => Some(Action::ThisPeriod),
            KeyCode::Char('e') if coordinator => Some(Action::Export(Format::Csv)),
            KeyCode::Char('j') if coordinator => Some(Action::Export(Format::Json)),
            _ => None,
        },
        Mode::Audit { .. } => match key.code {
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::F(2) => Some(Action::AuditExport),
            KeyCode::Char(c) if !ctrl && !c.is_control() => Some(Action::TextChar(c)),
            KeyCode::Backspace => Some(Action::TextBackspace),
            _ => None,
        },
        Mode::ReportRange => match key.code {
            KeyCode::Tab | KeyCode::BackTab => Some(Action::NextField),
            _ => text_field(),
        },
        Mode::Recent { .. } => match key.code {
            KeyCode::Char('?') => Some(Action::Help),
            KeyCode::Up => Some(Action::Up),
            KeyCode::Down => Some(Action::Down),
            KeyCode::Enter => Some(Action::EditSelected),
            KeyCode::Char('u') | KeyCode::Delete => Some(Action::UndoSelected),
            _ => None,
        },
    }
}
