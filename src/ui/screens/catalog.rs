//! The coordinator's catalog screen: what the hatch hands out (items),
//! what people talk about (topics) and where they are referred (referral
//! types, keys 3-9 in the conversation by their order). Add, rename in the three languages
//! with the plural forms, change a hotkey (a key in use is refused on the
//! spot, naming what has it), reorder, retire and take back, mark an item
//! returnable and its doses per unit. A retired entry leaves the door
//! screen and stays in old contacts and exports. The catalog lives in the
//! store; every change is audited there.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::View;
use crate::domain::catalog::{Names, id_from_name, name_in};
use crate::domain::{Catalog, CatalogItem, Category, InvalidInput, Referral, Topic};
use crate::i18n::Lang;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::widgets::form::{Edit, FieldSpec, Form};
use crate::ui::widgets::list::{self, Selection};
use ratatui::style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
    Switch,
    Add,
    Edit,
    Retire,
    Returnable,
    Order,
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
    Binding::new(&[Key::Code(K::Tab)], A::Switch, "help.catalog_switch")
        .footer("foot.items_topics"),
    Binding::new(&[Key::Char('a')], A::Add, "help.catalog_add").footer("foot.add"),
    Binding::new(&[Key::Code(K::Enter)], A::Edit, "help.catalog_edit").main("foot.change"),
    Binding::new(&[Key::Char('d')], A::Retire, "help.catalog_retire").footer("foot.retire"),
    Binding::new(&[Key::Char('r')], A::Returnable, "help.catalog_returnable"),
    Binding::new(&[Key::OneOf("+-")], A::Order, "help.catalog_order"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
];

const FORM: &[Binding<Action>] = crate::form_keys![
    A::Field;
    Binding::new(&[Key::Code(K::Enter)], A::Save, "help.save_form").main("foot.save"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.catalog_cancel").footer("foot.back"),
];

/// The forms, the screen's language first (`langs`): three names, the
/// key, then for items the three one/other forms and the doses.
macro_rules! fields {
    ($a:literal, $b:literal, $c:literal) => {
        &[
            FieldSpec::text(concat!("catalog.name_", $a), 40),
            FieldSpec::text(concat!("catalog.name_", $b), 40),
            FieldSpec::text(concat!("catalog.name_", $c), 40),
            FieldSpec::initials("catalog.key", 1),
            FieldSpec::text(concat!("catalog.counted_", $a), 60),
            FieldSpec::text(concat!("catalog.counted_", $b), 60),
            FieldSpec::text(concat!("catalog.counted_", $c), 60),
            FieldSpec::number("catalog.doses", 3),
        ]
    };
}

const ITEM_FIELDS: [&[FieldSpec]; 3] = [
    fields!("en", "nb", "da"),
    fields!("nb", "en", "da"),
    fields!("da", "en", "nb"),
];

/// The languages in the order the form asks for them: the screen's
/// first (its name is the one needed), then English (every screen's
/// fallback), then the other.
fn langs(screen: Lang) -> [&'static str; 3] {
    match screen {
        Lang::En => ["en", "nb", "da"],
        Lang::Nb => ["nb", "en", "da"],
        Lang::Da => ["da", "en", "nb"],
    }
}

fn form_fields(screen: Lang, part: Part) -> &'static [FieldSpec] {
    let all = ITEM_FIELDS[match screen {
        Lang::En => 0,
        Lang::Nb => 1,
        Lang::Da => 2,
    }];
    match part {
        Part::Items => all,
        // Names and key.
        Part::Topics => &all[..4],
        // Names: the key is the place in the list.
        Part::Referrals => &all[..3],
    }
}

/// Where the hotkey is in both forms.
const KEY_FIELD: usize = 3;

/// Items, topics or referral types: the lists the screen shows, one at a
/// time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Items,
    Topics,
    Referrals,
}

#[derive(Debug, Clone)]
enum Mode {
    List,
    /// Adding (`None`) or changing the entry with this id.
    Form(Option<String>, Form),
}

#[derive(Debug, Clone)]
pub struct CatalogScreen {
    part: Part,
    selection: Selection,
    mode: Mode,
    /// Esc was pressed once on a new entry with something typed.
    esc_asked: bool,
}

/// One row of either list, as the screen needs it.
struct Row<'a> {
    id: &'a str,
    key: char,
    names: &'a Names,
    active: bool,
}

fn rows(cat: &Catalog, part: Part) -> Vec<Row<'_>> {
    match part {
        Part::Items => (cat.items.iter())
            .map(|i| Row {
                id: &i.id,
                key: i.hotkey,
                names: &i.names,
                active: i.active,
            })
            .collect(),
        Part::Topics => (cat.topics.iter())
            .map(|t| Row {
                id: &t.id,
                key: t.hotkey,
                names: &t.names,
                active: t.active,
            })
            .collect(),
        Part::Referrals => {
            let keys: Vec<(char, usize)> = cat.referral_keys().map(|(k, i, _)| (k, i)).collect();
            (cat.referrals.iter().enumerate())
                .map(|(i, r)| Row {
                    id: &r.id,
                    key: keys
                        .iter()
                        .find(|(_, at)| *at == i)
                        .map_or(' ', |(k, _)| *k),
                    names: &r.names,
                    active: r.active,
                })
                .collect()
        }
    }
}

impl CatalogScreen {
    /// The catalog, for a coordinator; anyone else is refused.
    pub fn open(env: &mut Env) -> Option<CatalogScreen> {
        if let Err(e) = env.store.require_coordinator(env.staff_id(), "catalog") {
            env.store_failed(&e);
            return None;
        }
        Some(CatalogScreen {
            part: Part::Items,
            selection: Selection::new(env.cfg.catalog.items.len(), 0),
            mode: Mode::List,
            esc_asked: false,
        })
    }

    fn len(&self, env: &Env) -> usize {
        match self.part {
            Part::Items => env.cfg.catalog.items.len(),
            Part::Topics => env.cfg.catalog.topics.len(),
            Part::Referrals => env.cfg.catalog.referrals.len(),
        }
    }

    /// The selected entry's id.
    fn chosen(&self, env: &Env) -> Option<String> {
        let i = self.selection.get()?;
        rows(&env.cfg.catalog, self.part)
            .get(i)
            .map(|r| r.id.to_string())
    }

    /// Writes the changed catalog with its audit entry, takes it into use
    /// and says so; the selection follows the entry changed.
    fn put(&mut self, env: &mut Env, next: Catalog, action: &str, id: &str, said: &str) -> bool {
        match env
            .store
            .put_catalog(&next, action, id, env.staff_id(), env.at())
        {
            Ok(()) => {
                let name = Self::name_of(&next, self.part, id, env);
                let key = rows(&next, self.part)
                    .iter()
                    .find(|r| r.id == id)
                    .map_or(' ', |r| r.key);
                env.set_catalog(next);
                let at = rows(&env.cfg.catalog, self.part)
                    .iter()
                    .position(|r| r.id == id);
                self.selection.set_len(self.len(env));
                if let Some(at) = at {
                    self.selection.select(at);
                }
                let msg = env.tx.f(said, &[("name", &name), ("key", &key)]);
                env.say(msg);
                true
            }
            Err(e) => {
                env.store_failed(&e);
                false
            }
        }
    }

    fn name_of(cat: &Catalog, part: Part, id: &str, env: &Env) -> String {
        rows(cat, part)
            .iter()
            .find(|r| r.id == id)
            .map_or(id.to_string(), |r| {
                name_in(r.names, env.tx.lang.code(), r.id).to_string()
            })
    }

    /// The active entry other than `except` that has `key`, by name: a
    /// hotkey is refused on the spot with what has it.
    fn key_taken(&self, env: &mut Env, key: char, except: Option<&str>) -> bool {
        if self.part == Part::Referrals {
            return false;
        }
        let cat = &env.cfg.catalog;
        let owner = rows(cat, self.part)
            .into_iter()
            .find(|r| r.active && r.key == key && Some(r.id) != except)
            .map(|r| name_in(r.names, env.tx.lang.code(), r.id).to_string());
        match owner {
            Some(name) => {
                let msg = env
                    .tx
                    .f("catalog.key_taken", &[("key", &key), ("name", &name)]);
                env.fail(msg);
                true
            }
            None => false,
        }
    }

    /// A key no entry in use has: the first such letter of `name`, else
    /// the first of a-z.
    fn free_key(&self, env: &Env, name: &str, except: Option<&str>) -> Option<char> {
        let rows = rows(&env.cfg.catalog, self.part);
        let free = |k: &char| {
            !rows
                .iter()
                .any(|r| r.active && r.key == *k && Some(r.id) != except)
        };
        let from_name = name
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_lowercase)
            .find(free);
        from_name.or_else(|| ('a'..='z').find(free))
    }

    fn form_for(&self, env: &Env, id: Option<&str>) -> Form {
        let cat = &env.cfg.catalog;
        let langs = langs(env.tx.lang);
        let mut form = Form::new(form_fields(env.tx.lang, self.part));
        let Some(id) = id else {
            if self.part == Part::Items {
                form.prefill(7, "1");
            }
            return form;
        };
        let (names, key) = match self.part {
            Part::Items => match cat.item(id) {
                Some(i) => (&i.names, i.hotkey),
                None => return form,
            },
            Part::Topics => match cat.topic(id) {
                Some(t) => (&t.names, t.hotkey),
                None => return form,
            },
            Part::Referrals => match cat.referral(id) {
                Some(r) => (&r.names, ' '),
                None => return form,
            },
        };
        for (n, lang) in langs.iter().enumerate() {
            form.set(n, names.get(*lang).map_or("", String::as_str));
        }
        if self.part != Part::Referrals {
            form.set(3, &key.to_string());
        }
        if let Some(item) = cat.item(id).filter(|_| self.part == Part::Items) {
            for (n, lang) in langs.iter().enumerate() {
                if let Some([one, other]) = item.counted.get(*lang) {
                    form.set(4 + n, &format!("{one} / {other}"));
                }
            }
            form.set(7, &item.doses_per_unit.to_string());
        }
        form
    }

    /// Saves the form: checks it, then adds or changes the entry.
    fn save(&mut self, env: &mut Env) {
        let Mode::Form(editing, form) = &self.mode else {
            return;
        };
        let (editing, form) = (editing.clone(), form.clone());
        let invalid = |env: &mut Env, e: InvalidInput, field: usize, me: &mut Self| {
            env.invalid(&e);
            if let Mode::Form(_, f) = &mut me.mode {
                f.focus = field;
            }
        };
        // Names: the screen's language is needed; the others may wait
        // (until then a screen in another language shows this one).
        let langs = langs(env.tx.lang);
        let mut names = Names::new();
        for (n, lang) in langs.iter().enumerate() {
            match (n, form.value(n).trim()) {
                (0, "") => return invalid(env, InvalidInput::new("name", "not_empty"), 0, self),
                (_, "") => {}
                (_, text) => match crate::domain::text::one_line("name", text, 40) {
                    Ok(t) => {
                        names.insert(lang.to_string(), t);
                    }
                    Err(e) => return invalid(env, e, n, self),
                },
            }
        }
        // A referral type has no letter: its key is its place.
        let typed = match self.part {
            Part::Referrals => "r".to_string(),
            _ => form.value(3).trim().to_lowercase(),
        };
        let key = match typed.chars().next() {
            Some(k) if k.is_ascii_lowercase() => k,
            Some(k) => {
                let e =
                    InvalidInput::new("catalog", "item_hotkey_letter").arg("key", format!("{k:?}"));
                return invalid(env, e, 3, self);
            }
            // Left empty: the first free letter of the name, else of a-z.
            None => {
                let name = names.values().next().map(String::as_str).unwrap_or("");
                match self.free_key(env, name, editing.as_deref()) {
                    Some(k) => k,
                    None => return env.fail_key("catalog.no_free_key"),
                }
            }
        };
        if self.key_taken(env, key, editing.as_deref()) {
            if let Mode::Form(_, f) = &mut self.mode {
                f.focus = 3;
            }
            return;
        }
        let mut next = env.cfg.catalog.clone();
        let id = match &editing {
            Some(id) => id.clone(),
            None => {
                // From the English name if there is one: ids are the
                // exports' column names.
                let name = names.get("en").unwrap_or(&names[langs[0]]);
                let base = match id_from_name(name) {
                    s if s.is_empty() => "item".to_string(),
                    s => s,
                };
                let taken = |s: &str| {
                    next.item(s).is_some()
                        || next.topic(s).is_some()
                        || next.referral(s).is_some()
                        || s == crate::domain::contact::UNSPECIFIED_REFERRAL
                };
                let mut id = base.clone();
                let mut n = 2;
                while taken(&id) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                id
            }
        };
        match self.part {
            Part::Items => {
                let mut counted = std::collections::BTreeMap::new();
                for (n, lang) in langs.iter().enumerate() {
                    let text = form.value(4 + n).trim();
                    if text.is_empty() {
                        continue;
                    }
                    let mut parts = text.split('/').map(str::trim);
                    let one = parts.next().unwrap_or_default();
                    let other = parts.next().unwrap_or(one);
                    if one.is_empty() || other.is_empty() || parts.next().is_some() {
                        let e = InvalidInput::new("counted", "one_other");
                        return invalid(env, e, 4 + n, self);
                    }
                    counted.insert(lang.to_string(), [one.to_string(), other.to_string()]);
                }
                let doses = match form.value(7).trim() {
                    "" => 1,
                    t => match t.parse::<u16>() {
                        Ok(d) if (1..=100).contains(&d) => d,
                        _ => {
                            let e = InvalidInput::new("doses", "range")
                                .arg("min", 1)
                                .arg("max", 100);
                            return invalid(env, e, 7, self);
                        }
                    },
                };
                match next.items.iter_mut().find(|i| i.id == id) {
                    Some(item) => {
                        item.names = names;
                        item.hotkey = key;
                        item.counted = counted;
                        item.doses_per_unit = doses;
                    }
                    None => next.items.push(CatalogItem {
                        id: id.clone(),
                        category: Category::Other,
                        hotkey: key,
                        names,
                        doses_per_unit: doses,
                        returnable: false,
                        active: true,
                        counted,
                    }),
                }
            }
            Part::Topics => match next.topics.iter_mut().find(|t| t.id == id) {
                Some(t) => {
                    t.names = names;
                    t.hotkey = key;
                }
                None => next.topics.push(Topic {
                    id: id.clone(),
                    hotkey: key,
                    names,
                    active: true,
                }),
            },
            Part::Referrals => match next.referrals.iter_mut().find(|r| r.id == id) {
                Some(r) => r.names = names,
                None => next.referrals.push(Referral {
                    id: id.clone(),
                    names,
                    active: true,
                }),
            },
        }
        let (action, said) = match editing {
            Some(_) => ("catalog-edit", "catalog.changed"),
            None => ("catalog-add", "catalog.added"),
        };
        if self.put(env, next, action, &id, said) {
            self.mode = Mode::List;
        }
    }

    /// Retires the selected entry, or takes a retired one back (if its
    /// hotkey is free).
    fn retire(&mut self, env: &mut Env) {
        let Some(id) = self.chosen(env) else { return };
        let mut next = env.cfg.catalog.clone();
        let (active, key) = match self.part {
            Part::Items => match next.items.iter_mut().find(|i| i.id == id) {
                Some(i) => {
                    i.active = !i.active;
                    (i.active, i.hotkey)
                }
                None => return,
            },
            Part::Topics => match next.topics.iter_mut().find(|t| t.id == id) {
                Some(t) => {
                    t.active = !t.active;
                    (t.active, t.hotkey)
                }
                None => return,
            },
            Part::Referrals => match next.referrals.iter_mut().find(|r| r.id == id) {
                Some(r) => {
                    r.active = !r.active;
                    (r.active, ' ')
                }
                None => return,
            },
        };
        if active && self.key_taken(env, key, Some(&id)) {
            return;
        }
        let (action, said) = if active {
            ("catalog-reactivate", "catalog.reactivated")
        } else {
            ("catalog-retire", "catalog.retired")
        };
        self.put(env, next, action, &id, said);
    }

    fn returnable(&mut self, env: &mut Env) {
        if self.part != Part::Items {
            return env.fail_key("catalog.items_only");
        }
        let Some(id) = self.chosen(env) else { return };
        let mut next = env.cfg.catalog.clone();
        let Some(item) = next.items.iter_mut().find(|i| i.id == id) else {
            return;
        };
        item.returnable = !item.returnable;
        let said = if item.returnable {
            "catalog.returnable_on"
        } else {
            "catalog.returnable_off"
        };
        self.put(env, next, "catalog-returnable", &id, said);
    }

    /// One place earlier (`up`) or later in the list: the order of the
    /// door screen's grid and of the exports' columns.
    fn reorder(&mut self, env: &mut Env, up: bool) {
        let (Some(i), Some(id)) = (self.selection.get(), self.chosen(env)) else {
            return;
        };
        let j = if up { i.checked_sub(1) } else { Some(i + 1) };
        let Some(j) = j.filter(|j| *j < self.len(env)) else {
            return;
        };
        let mut next = env.cfg.catalog.clone();
        match self.part {
            Part::Items => next.items.swap(i, j),
            Part::Topics => next.topics.swap(i, j),
            Part::Referrals => next.referrals.swap(i, j),
        }
        self.put(env, next, "catalog-move", &id, "catalog.moved");
    }
}

impl View for CatalogScreen {
    type Action = Action;
    const NAME: &'static str = "catalog";

    fn bindings(&self) -> &'static [Binding<Action>] {
        match self.mode {
            Mode::List => LIST,
            Mode::Form(..) => FORM,
        }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("list", LIST), ("form", FORM)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        if hit.action != A::Cancel {
            self.esc_asked = false;
        }
        match hit.action {
            A::Move => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            A::Switch => {
                self.part = match self.part {
                    Part::Items => Part::Topics,
                    Part::Topics => Part::Referrals,
                    Part::Referrals => Part::Items,
                };
                self.selection = Selection::new(self.len(env), 0);
            }
            A::Add => self.mode = Mode::Form(None, self.form_for(env, None)),
            A::Edit => {
                if let Some(id) = self.chosen(env) {
                    self.mode = Mode::Form(Some(id.clone()), self.form_for(env, Some(&id)));
                }
            }
            A::Retire => self.retire(env),
            A::Returnable => self.returnable(env),
            A::Order => self.reorder(env, hit.arg.index() == 0),
            A::Back => return Nav::Pop,
            A::Field(e) => {
                if let Mode::Form(editing, form) = &mut self.mode {
                    form.edit(e, hit.arg, env);
                    // A key in use is said as it is typed; a free one
                    // takes the saying away.
                    if form.focus == KEY_FIELD && matches!(e, Edit::Type | Edit::Erase) {
                        let typed = form.value(KEY_FIELD).to_lowercase().chars().next();
                        let editing = editing.clone();
                        let taken =
                            typed.is_some_and(|k| self.key_taken(env, k, editing.as_deref()));
                        if !taken {
                            env.status = None;
                        }
                    }
                }
            }
            // Enter saves from any field (most are optional); Tab moves.
            A::Save => self.save(env),
            // A new entry with something typed is thrown away only at the
            // second Esc.
            A::Cancel if self.unsaved() && !self.esc_asked => {
                self.esc_asked = true;
                env.fail_key("catalog.esc_again");
            }
            A::Cancel => self.mode = Mode::List,
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        match &mut self.mode {
            Mode::Form(_, form) => form.focused().insert_or_say(text, env),
            Mode::List => env.fail_key("status.paste_here"),
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let cat = &env.cfg.catalog;
        let lang = env.tx.lang.code();
        let title_key = match self.part {
            Part::Items => "catalog.title_items",
            Part::Topics => "catalog.title_topics",
            Part::Referrals => "catalog.title_referrals",
        };
        let title = env.tx.n(title_key, self.len(env) as u64, &[]);
        let block = Block::bordered().title(Span::styled(title, env.theme.title()));
        let mut lines = Vec::new();
        match &self.mode {
            Mode::Form(editing, form) => {
                let hint = match editing {
                    Some(id) => env.tx.f(
                        "catalog.edit_hint",
                        &[
                            ("name", &Self::name_of(cat, self.part, id, env)),
                            ("id", id),
                        ],
                    ),
                    None => env.tx.t("catalog.add_hint").to_string(),
                };
                lines.push(Line::styled(hint, env.theme.dim()));
                lines.push(Line::from(""));
                lines.extend(form.lines(env, 26));
                if self.part == Part::Items {
                    lines.push(Line::from(""));
                    lines.push(Line::styled(
                        env.tx.t("catalog.counted_hint"),
                        env.theme.dim(),
                    ));
                }
            }
            Mode::List => {
                let all = rows(cat, self.part);
                let name_w = (all.iter())
                    .map(|r| name_in(r.names, lang, r.id).width())
                    .max()
                    .unwrap_or(0)
                    .min(28);
                let height = area.height.saturating_sub(2) as usize;
                for n in self.selection.window(height) {
                    let r = &all[n];
                    let mut name = name_in(r.names, lang, r.id).to_string();
                    while name.width() > name_w {
                        name.pop();
                    }
                    let pad = " ".repeat(name_w - name.width());
                    let mut marks = Vec::new();
                    if let Some(item) = cat.item(r.id).filter(|_| self.part == Part::Items) {
                        if item.doses_per_unit > 1 {
                            marks.push(env.tx.n(
                                "catalog.doses_mark",
                                u64::from(item.doses_per_unit),
                                &[],
                            ));
                        }
                        if item.returnable {
                            marks.push(env.tx.t("catalog.returnable").to_string());
                        }
                    }
                    if !r.active {
                        marks.push(env.tx.t("catalog.retired_mark").to_string());
                    }
                    let text = format!(" {}  {name}{pad}  {}", r.key, marks.join(" · "));
                    let style = if r.active {
                        Style::new()
                    } else {
                        env.theme.dim()
                    };
                    lines.push(list::row(
                        text,
                        style,
                        Some(n) == self.selection.get(),
                        env.theme,
                    ));
                }
            }
        }
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
    }

    fn unsaved(&self) -> bool {
        match &self.mode {
            Mode::Form(None, form) => form.fields.iter().any(|f| !f.is_empty()),
            _ => false,
        }
    }
}
