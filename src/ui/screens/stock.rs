//! The coordinator's stock screen: what is on hand of each item, with its
//! low level; record a delivery, a physical count, or the low level. The
//! figures come from the store (deliveries and counts, less the items
//! handed out at the hatch), every change audited.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::View;
use crate::domain::StockLine;
use crate::domain::catalog::name_in;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::Nav;
use crate::ui::widgets::fit;
use crate::ui::widgets::form::{Edit, FieldSpec, Form};
use crate::ui::widgets::list::{self, Selection};
use ratatui::style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Move,
    Receive,
    Count,
    Level,
    Export,
    Back,
    Edit(Edit),
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
    Binding::new(&[Key::Char('r')], A::Receive, "help.stock_receive").footer("foot.received"),
    Binding::new(&[Key::Char('c')], A::Count, "help.stock_count").footer("foot.counted"),
    Binding::new(&[Key::Char('l')], A::Level, "help.stock_level").footer("foot.level"),
    Binding::new(&[Key::Ctrl('e')], A::Export, "help.export_shown").footer("foot.csv"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.back").footer("foot.back"),
];

const FORM: &[Binding<Action>] = crate::form_keys![
    A::Edit;
    Binding::new(&[Key::Code(K::Enter)], A::Save, "help.save_form").main("foot.save"),
    Binding::new(&[Key::Code(K::Esc)], A::Cancel, "help.stock_cancel").footer("foot.back"),
];

const MOVE_FIELDS: &[FieldSpec] = &[
    FieldSpec::text("stock.quantity", 6),
    FieldSpec::text("stock.note", 100),
];

const LEVEL_FIELDS: &[FieldSpec] = &[FieldSpec::text("stock.level", 6)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Receive,
    Count,
    Level,
}

#[derive(Debug, Clone)]
pub struct Stock {
    /// One line per catalog item, in catalog order; `None`: no stock kept.
    lines: Vec<(String, Option<StockLine>)>,
    selection: Selection,
    form: Option<(What, Form)>,
}

impl Stock {
    /// For a coordinator; anyone else is refused.
    pub fn open(env: &mut Env) -> Option<Stock> {
        if let Err(e) = env.store.require_coordinator(env.staff_id(), "stock") {
            env.store_failed(&e);
            return None;
        }
        let mut s = Stock {
            lines: Vec::new(),
            selection: Selection::default(),
            form: None,
        };
        s.reload(env);
        Some(s)
    }

    fn reload(&mut self, env: &mut Env) {
        match env.store.stock(env.day) {
            Ok(mut kept) => {
                self.lines = env
                    .cfg
                    .catalog
                    .items
                    .iter()
                    .filter_map(|i| {
                        let at = kept.iter().position(|l| l.item == i.id);
                        let line = at.map(|n| kept.swap_remove(n));
                        // A retired item while it still has stock kept
                        // (what is left can be counted).
                        (i.active || line.is_some()).then(|| (i.id.clone(), line))
                    })
                    .collect();
                self.selection.set_len(self.lines.len());
            }
            Err(e) => env.store_failed(&e),
        }
    }

    fn save(&mut self, env: &mut Env) {
        let Some(item) = self
            .selection
            .get()
            .and_then(|i| self.lines.get(i))
            .map(|l| l.0.clone())
        else {
            return;
        };
        let Some((what, form)) = &mut self.form else {
            return;
        };
        let Ok(n) = form.value(0).trim().parse::<u32>() else {
            form.focus = 0;
            env.fail_key("status.stock_number");
            return;
        };
        let note = Some(form.value(1).trim().to_string()).filter(|n| !n.is_empty());
        let (by, at, day) = (env.staff_id(), env.at(), env.day);
        let done = match what {
            What::Receive => env
                .store
                .receive_stock(&item, n, day, note, by, at)
                .map(|_| "stock.received"),
            What::Count => env
                .store
                .count_stock(&item, n, day, note, by, at)
                .map(|_| "stock.counted"),
            What::Level => env
                .store
                .set_low_level(&item, n, by, at)
                .map(|()| "stock.level_set"),
        };
        match done {
            Ok(key) => {
                let lang = env.tx.lang.code();
                let (name, counted) = env.cfg.catalog.item(&item).map_or_else(
                    || (item.clone(), format!("{n} {item}")),
                    |i| {
                        (
                            name_in(&i.names, lang, &i.id).to_string(),
                            i.count_in(n, lang),
                        )
                    },
                );
                let msg = env
                    .tx
                    .f(key, &[("item", &name), ("n", &n), ("what", &counted)]);
                env.say(msg);
                self.form = None;
                self.reload(env);
                env.reload_stock();
            }
            Err(e) => env.store_failed(&e),
        }
    }
}

impl View for Stock {
    type Action = Action;
    const NAME: &'static str = "stock";

    fn bindings(&self) -> &'static [Binding<Action>] {
        if self.form.is_some() { FORM } else { LIST }
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("list", LIST), ("form", FORM)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Move => self
                .selection
                .step(if hit.arg.index() == 0 { -1 } else { 1 }),
            A::Receive => self.form = Some((What::Receive, Form::new(MOVE_FIELDS))),
            A::Count => self.form = Some((What::Count, Form::new(MOVE_FIELDS))),
            A::Level => self.form = Some((What::Level, Form::new(LEVEL_FIELDS))),
            A::Export => match env.store.stock_moves() {
                Ok(moves) => {
                    let bytes = crate::report::stock::stock_csv(&moves);
                    let name = format!("stock-{}.csv", crate::report::iso(env.day));
                    crate::ui::ops::export_file(env, &name, &bytes, "stock-export");
                }
                Err(e) => env.store_failed(&e),
            },
            A::Back => return Nav::Pop,
            A::Edit(e) => {
                if let Some((_, form)) = &mut self.form {
                    form.edit(e, hit.arg, env);
                }
            }
            A::Save => self.save(env),
            A::Cancel => self.form = None,
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        match &mut self.form {
            Some((_, form)) => form.focused().insert_or_say(text, env),
            None => env.fail_key("status.paste_here"),
        }
        Nav::Stay
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let block =
            Block::bordered().title(Span::styled(env.tx.t("stock.title"), env.theme.title()));
        let lang = env.tx.lang.code();
        let name = |id: &str| {
            env.cfg.catalog.item(id).map_or(id.to_string(), |i| {
                name_in(&i.names, lang, &i.id).to_string()
            })
        };
        let mut lines = Vec::new();
        if let Some((what, form)) = &self.form {
            let item = self
                .selection
                .get()
                .and_then(|i| self.lines.get(i))
                .map(|l| name(&l.0))
                .unwrap_or_default();
            let hint = match what {
                What::Receive => "stock.receive_hint",
                What::Count => "stock.count_hint",
                What::Level => "stock.level_hint",
            };
            lines.push(Line::styled(
                env.tx.f(hint, &[("item", &item)]),
                env.theme.dim(),
            ));
            lines.push(Line::from(""));
            lines.extend(form.lines(env, 22));
        } else {
            let width = area.width.saturating_sub(2) as usize;
            let header = format!(
                " {} {} {}",
                fit(env.tx.t("stock.col_item"), 26),
                fit(env.tx.t("stock.col_on_hand"), 10),
                env.tx.t("stock.col_level"),
            );
            lines.push(Line::styled(fit(&header, width), env.theme.dim()));
            let height = area.height.saturating_sub(3) as usize;
            for n in self.selection.window(height) {
                let (id, line) = &self.lines[n];
                let (on_hand, level, low) = match line {
                    Some(l) => (
                        l.on_hand.to_string(),
                        if l.low_level > 0 {
                            l.low_level.to_string()
                        } else {
                            "-".into()
                        },
                        l.is_low(),
                    ),
                    None => ("-".into(), "-".into(), false),
                };
                let retired = env.cfg.catalog.item(id).is_some_and(|i| !i.active);
                let mark = match (low, retired) {
                    (_, true) => env.tx.t("catalog.retired_mark"),
                    (true, _) => env.tx.t("stock.low"),
                    _ => "",
                };
                let text = format!(
                    " {} {} {} {mark}",
                    fit(&name(id), 26),
                    fit(&on_hand, 10),
                    fit(&level, 6)
                );
                let style = match (low, retired) {
                    (_, true) => env.theme.dim(),
                    (true, _) => env.theme.error(),
                    _ => Style::new(),
                };
                let row = list::row(
                    fit(&text, width),
                    style,
                    Some(n) == self.selection.get(),
                    env.theme,
                );
                lines.push(row);
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
        self.form.is_some()
    }
}
