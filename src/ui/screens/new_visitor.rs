//! The new-visitor form: alias (required), anonymous code, birth year,
//! gender. Registering continues straight into the contact.

use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::View;
use crate::ui::env::Env;
use crate::ui::keys::{Binding, Hit, Key};
use crate::ui::nav::{Nav, Route};
use crate::ui::ops;
use crate::ui::widgets::form::{Edit, Form};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Edit(Edit),
    Register,
    Back,
}

use Action as A;
use KeyCode as K;

const KEYS: &[Binding<Action>] = crate::form_keys![
    A::Edit;
    Binding::new(&[Key::Code(K::Enter)], A::Register, "help.save_visitor").main("foot.register"),
    Binding::new(&[Key::Code(K::Esc)], A::Back, "help.cancel_form").footer("foot.back"),
];

use crate::ui::widgets::visitor_form::{FIELD_IDS, FIELDS, read_form};

#[derive(Debug, Clone)]
pub struct NewVisitor {
    pub form: Form,
    /// Visitors already registered who may be this person, found when the
    /// nickname or code changes (a scan of every visitor: not per frame).
    similar: Vec<String>,
}

impl NewVisitor {
    pub fn new(alias: &str, env: &Env) -> NewVisitor {
        let mut form = Form::new(FIELDS);
        form.set(0, alias);
        let mut v = NewVisitor {
            form,
            similar: Vec::new(),
        };
        v.find_similar(env);
        v
    }

    /// Someone already registered who may be this person: register them
    /// again only if they are not.
    fn find_similar(&mut self, env: &Env) {
        let code = Some(self.form.value(1).trim().to_uppercase()).filter(|c| !c.is_empty());
        self.similar = env
            .index
            .similar(self.form.value(0).trim(), code.as_deref(), 3)
            .into_iter()
            .map(|i| env.index.get(i).alias.to_string())
            .collect();
    }

    fn register(&mut self, env: &mut Env) -> Nav {
        let Some(nv) = read_form(&mut self.form, env) else {
            return Nav::Stay;
        };
        match ops::register(env, nv) {
            Ok(v) => {
                let msg = env.tx.f("status.visitor_added", &[("alias", &v.alias)]);
                env.say(msg);
                Nav::Replace(Route::Contact(Some((v.id, v.alias))))
            }
            // The cursor goes to the field at fault.
            Err(field) => {
                if let Some(i) = field.and_then(|f| FIELD_IDS.iter().position(|id| *id == f)) {
                    self.form.focus = i;
                }
                Nav::Stay
            }
        }
    }
}

impl View for NewVisitor {
    type Action = Action;
    const NAME: &'static str = "new_visitor";

    fn bindings(&self) -> &'static [Binding<Action>] {
        KEYS
    }

    fn tables() -> Vec<(&'static str, &'static [Binding<Action>])> {
        vec![("form", KEYS)]
    }

    fn update(&mut self, hit: Hit<Action>, env: &mut Env) -> Nav {
        match hit.action {
            A::Edit(e) => {
                self.form.edit(e, hit.arg, env);
                self.find_similar(env);
            }
            A::Register => return self.register(env),
            A::Back => return Nav::Pop,
        }
        Nav::Stay
    }

    fn paste(&mut self, text: &str, env: &mut Env) -> Nav {
        self.form.focused().insert_or_say(text, env);
        self.find_similar(env);
        Nav::Stay
    }

    /// The visitors came, or changed: look again.
    fn refresh(&mut self, env: &Env) {
        self.find_similar(env);
    }

    fn draw(&self, f: &mut Frame, area: Rect, env: &Env) {
        let block =
            Block::bordered().title(Span::styled(env.tx.t("form.title"), env.theme.title()));
        let mut lines = vec![
            Line::styled(env.tx.t("form.hint"), env.theme.dim()),
            Line::from(""),
        ];
        lines.extend(self.form.lines(env, 22));
        if !self.similar.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::styled(
                env.tx
                    .f("form.similar", &[("who", &self.similar.join(", "))]),
                env.theme.key(),
            ));
        }
        f.render_widget(
            Paragraph::new(lines)
                .wrap(ratatui::widgets::Wrap { trim: false })
                .block(block),
            area,
        );
    }

    fn unsaved(&self) -> bool {
        self.form.fields.iter().any(|f| !f.is_empty())
    }
}
