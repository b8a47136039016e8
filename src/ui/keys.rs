//! Key bindings: every screen describes its keys once, as a table of
//! `Binding`s. Key dispatch, the F1 help and the footer all read that one
//! table, so they cannot disagree. Catalog hotkeys are key classes (item,
//! return, topic), not literal letters.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::{Catalog, Role};
use crate::i18n::Texts;

/// A key, or a class of keys, a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A key without Ctrl or Alt (Shift only for `BackTab`).
    Code(KeyCode),
    /// Ctrl and a letter.
    Ctrl(char),
    /// One printable character.
    Char(char),
    /// A catalog item hotkey, in either case (Caps Lock changes nothing);
    /// the hit carries the item's position.
    Item,
    /// A conversation topic hotkey, in either case; the hit carries the
    /// topic's position.
    Topic,
    /// One of these characters; the hit carries its position in the string.
    OneOf(&'static str),
    /// Any other printable character (typing into a field).
    Text,
}

/// Who may use a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Anyone,
    Coordinator,
}

/// One thing a screen does on a key.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A: 'static> {
    pub keys: &'static [Key],
    pub action: A,
    /// The help text's key in `assets/i18n`.
    pub help: &'static str,
    /// A short label for the footer, if the binding is shown there.
    pub footer: Option<&'static str>,
    /// Shown first in the footer, so a narrow terminal keeps it.
    pub main: bool,
    pub need: Need,
}

impl<A: Copy> Binding<A> {
    pub const fn new(keys: &'static [Key], action: A, help: &'static str) -> Binding<A> {
        Binding {
            keys,
            action,
            help,
            footer: None,
            main: false,
            need: Need::Anyone,
        }
    }

    /// Shown in the footer with this label.
    pub const fn footer(mut self, label: &'static str) -> Binding<A> {
        self.footer = Some(label);
        self
    }

    /// Shown first in the footer with this label (the key that finishes
    /// the screen's job: save, pick, sign in).
    pub const fn main(mut self, label: &'static str) -> Binding<A> {
        self.footer = Some(label);
        self.main = true;
        self
    }

    /// Only for coordinators.
    pub const fn coordinator(mut self) -> Binding<A> {
        self.need = Need::Coordinator;
        self
    }

    /// The binding without its action, for help, footers and checks.
    pub fn erased(&self) -> Binding<()> {
        Binding {
            keys: self.keys,
            action: (),
            help: self.help,
            footer: self.footer,
            main: self.main,
            need: self.need,
        }
    }

    pub fn allowed(&self, role: Option<Role>) -> bool {
        self.need == Need::Anyone || role == Some(Role::Coordinator)
    }
}

/// What a key meant on a screen: the action, and what the key class picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<A> {
    pub action: A,
    pub arg: Arg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    None,
    /// The catalog item's or topic's position, the position in `OneOf`, or
    /// for an exact key its position in the binding's keys (`↑` 0, `↓` 1).
    Index(usize),
    /// The character typed (`Text`).
    Char(char),
}

impl Arg {
    pub fn index(self) -> usize {
        match self {
            Arg::Index(i) => i,
            _ => 0,
        }
    }
}

/// The binding a key press means on a screen, if any, for this role. Exact
/// keys win over key classes, and `Text` takes what nothing else takes.
pub fn dispatch<A: Copy>(
    table: &[Binding<A>],
    key: KeyEvent,
    role: Option<Role>,
    catalog: &Catalog,
) -> Option<Hit<A>> {
    // Ctrl, but not AltGr (which some terminals report as Ctrl+Alt): Alt
    // alone or AltGr still types the character.
    let m = key.modifiers;
    let ctrl = m.contains(KeyModifiers::CONTROL) && !m.contains(KeyModifiers::ALT);
    let hit = |b: &Binding<A>, arg| {
        Some(Hit {
            action: b.action,
            arg,
        })
    };
    let found = (|| {
        // Exact keys first.
        for b in table {
            for (n, k) in b.keys.iter().enumerate() {
                let exact = match (*k, key.code) {
                    (Key::Code(c), code) => !ctrl && c == code,
                    (Key::Ctrl(c), KeyCode::Char(k)) => ctrl && k.eq_ignore_ascii_case(&c),
                    (Key::Char(c), KeyCode::Char(k)) => !ctrl && c == k,
                    _ => false,
                };
                if exact {
                    return Some((b, Arg::Index(n)));
                }
            }
        }
        let KeyCode::Char(c) = key.code else {
            return None;
        };
        if ctrl || c.is_control() {
            return None;
        }
        for b in table {
            for k in b.keys {
                let arg = match *k {
                    Key::Item => catalog.item_by_key(c.to_ascii_lowercase()),
                    Key::Topic => catalog.topic_by_key(c.to_ascii_lowercase()),
                    Key::OneOf(set) => set.chars().position(|s| s == c),
                    _ => None,
                };
                if let Some(i) = arg {
                    return Some((b, Arg::Index(i)));
                }
            }
        }
        table
            .iter()
            .find(|b| b.keys.contains(&Key::Text))
            .map(|b| (b, Arg::Char(c)))
    })();
    let (b, arg) = found?;
    if b.allowed(role) { hit(b, arg) } else { None }
}

/// A key as people read it, in the screen's language (`Enter`, `F1`,
/// `Ctrl-Z`, `a-z`).
pub fn label(tx: &Texts, k: Key) -> String {
    match k {
        Key::Code(c) => match c {
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Enter => tx.t("key.enter").into(),
            KeyCode::Esc => tx.t("key.esc").into(),
            KeyCode::Tab => tx.t("key.tab").into(),
            KeyCode::BackTab => tx.t("key.backtab").into(),
            KeyCode::Backspace => tx.t("key.backspace").into(),
            KeyCode::Delete => tx.t("key.delete").into(),
            KeyCode::PageUp => tx.t("key.pgup").into(),
            KeyCode::PageDown => tx.t("key.pgdn").into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            _ => "?".into(),
        },
        Key::Ctrl(c) => format!("{}-{}", tx.t("key.ctrl"), c.to_ascii_uppercase()),
        Key::Char(' ') => tx.t("key.space").into(),
        Key::Char(c) => c.to_string(),
        Key::Item | Key::Topic => "a-z".into(),
        // A run of three or more digits as a range (`0-9`, `3-9`).
        Key::OneOf(set) if digit_run(set) => {
            format!("{}-{}", &set[..1], &set[set.len() - 1..])
        }
        Key::OneOf(set) => set.chars().map(String::from).collect::<Vec<_>>().join("/"),
        Key::Text => tx.t("key.text").into(),
    }
}

/// Keys for the help: every key, `F9 / Ctrl-L`; arrows as one group.
pub fn keys_text(tx: &Texts, keys: &[Key]) -> String {
    let labels: Vec<String> = keys.iter().map(|k| label(tx, *k)).collect();
    let arrows = keys.iter().all(|k| {
        matches!(
            k,
            Key::Code(
                KeyCode::Up
                    | KeyCode::Down
                    | KeyCode::Left
                    | KeyCode::Right
                    | KeyCode::PageUp
                    | KeyCode::PageDown
            )
        )
    });
    labels.join(if arrows { " " } else { " / " })
}

/// One line of the help: the keys and what they do, both as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub keys: String,
    pub text: String,
}

/// The footer's parts of a table, for this role: `Enter save`.
pub fn footer<A: Copy>(tx: &Texts, table: &[Binding<A>], role: Option<Role>) -> Vec<String> {
    let main = table.iter().filter(|b| b.main);
    main.chain(table.iter().filter(|b| !b.main))
        .filter(|b| b.allowed(role))
        .filter_map(|b| {
            let label = b.footer?;
            let key = b.keys.first().map(|k| keys_short(tx, b, *k))?;
            Some(match label {
                "" => key,
                l => format!("{key} {}", tx.t(l)),
            })
        })
        .collect()
}

/// The footer shows the first key of a binding, or both arrows.
fn keys_short<A: Copy>(tx: &Texts, b: &Binding<A>, first: Key) -> String {
    match first {
        Key::Code(KeyCode::Up | KeyCode::Left) if b.keys.len() == 2 => {
            b.keys.iter().map(|k| label(tx, *k)).collect::<String>()
        }
        k => label(tx, k),
    }
}

/// Every concrete key a binding takes with this catalog, as text, for the
/// test that no two bindings of a screen share a key (`Text` excluded: it
/// takes only what nothing else takes).
pub fn concrete_keys<A>(b: &Binding<A>, catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for k in b.keys {
        match *k {
            Key::Code(c) => out.push(format!("{c:?}")),
            Key::Ctrl(c) => out.push(format!("Ctrl-{}", c.to_ascii_lowercase())),
            Key::Char(c) => out.push(c.to_string()),
            Key::Item => out.extend(
                (catalog.items.iter())
                    .filter(|i| i.active)
                    .flat_map(|i| both_cases(i.hotkey)),
            ),
            Key::Topic => out.extend(
                (catalog.topics.iter())
                    .filter(|t| t.active)
                    .flat_map(|t| both_cases(t.hotkey)),
            ),
            Key::OneOf(set) => out.extend(set.chars().map(String::from)),
            Key::Text => {}
        }
    }
    out
}

fn both_cases(c: char) -> [String; 2] {
    [
        c.to_ascii_lowercase().to_string(),
        c.to_ascii_uppercase().to_string(),
    ]
}

/// Three or more digits, each one more than the one before.
fn digit_run(set: &str) -> bool {
    let b = set.as_bytes();
    b.len() >= 3 && b.iter().all(u8::is_ascii_digit) && b.windows(2).all(|w| w[1] == w[0] + 1)
}
