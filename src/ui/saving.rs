//! The `App` methods that write to the store. Each confirms on screen only
//! after the store has said the write is on disk; a failure keeps the input.

use super::app::{App, Draft, Mode, Press, RECENT, Saved, VisitorForm};
use crate::domain::{ContactDraft, ContactId, Gender, NewVisitor};

impl App<'_> {
    /// Enter on the contact panel.
    pub(super) fn save_contact(&mut self) {
        let Some(d) = self.draft.clone() else { return };
        if self.write_draft(&d).is_some() {
            self.draft = None;
            self.mode = Mode::Home;
        }
    }

    /// Records (or corrects) a draft, then updates the lists and the tally
    /// and says so; on failure says why. The id once it is on disk.
    fn write_draft(&mut self, d: &Draft) -> Option<ContactId> {
        let mut cd = ContactDraft::new(self.now);
        cd.channel = d.channel;
        cd.visitor = d.visitor.as_ref().map(|(id, _)| *id);
        cd.items = self.item_lines(d);
        cd.topics = d
            .topics
            .iter()
            .map(|&i| self.cfg.catalog.topics[i].id.clone())
            .collect();
        cd.note = Some(d.note.clone());
        cd.flags = d.flags;
        cd.staff = self.staff_id();
        let (day, hour) = self.cfg.day_rule.day_and_hour(self.now);
        let contact = match cd.into_contact(&self.cfg.catalog, day, hour) {
            Ok(c) => c,
            Err(e) => {
                self.fail(e.to_string());
                return None;
            }
        };
        let at = self.now.unix_timestamp();
        let saved = match d.editing {
            Some(id) => self.store.correct(id, contact, at, self.staff_id()),
            None => self.store.record(contact),
        };
        let c = match saved {
            Ok(c) => c,
            Err(e) => {
                self.fail(e.to_string());
                return None;
            }
        };
        let alias = d.visitor.clone().map(|(id, alias)| {
            self.index.seen(id, c.day);
            alias
        });
        let id = c.id();
        match self.recent.iter_mut().find(|s| s.contact.id() == id) {
            Some(s) => s.contact = c,
            None => self.push_recent(Saved { contact: c, alias }),
        }
        self.refresh_today();
        let key = if d.editing.is_some() {
            "status.corrected"
        } else {
            "status.saved"
        };
        let msg = self.tx.f(key, &[("id", &id)]);
        self.say(msg);
        Some(id)
    }

    fn push_recent(&mut self, s: Saved) {
        if s.contact.day != self.day {
            return;
        }
        self.recent.push(s);
        if self.recent.len() > RECENT {
            self.recent.remove(0);
        }
    }

    fn refresh_today(&mut self) {
        match self.store.day_counts(self.day) {
            Ok(c) => self.today = c,
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn save_visitor(&mut self) {
        let Mode::NewVisitor(VisitorForm { fields, .. }) = &self.mode else {
            return;
        };
        let [alias, code, year, gender] = fields.clone();
        let birth_year = match year.trim() {
            "" => None,
            y => match y.parse::<u16>() {
                Ok(y) => Some(y),
                Err(_) => return self.fail(self.tx.t("status.bad_year").to_string()),
            },
        };
        let gender = match gender.trim() {
            "" => None,
            g => match Gender::parse(g) {
                Ok(g) => Some(g),
                Err(e) => return self.fail(e.to_string()),
            },
        };
        let nv = NewVisitor {
            alias,
            code: Some(code),
            birth_year,
            gender,
        };
        let nv = match nv.validated(&self.cfg.code_scheme, self.now.year()) {
            Ok(nv) => nv,
            Err(e) => return self.fail(e.to_string()),
        };
        match self
            .store
            .add_visitor(nv, self.day, self.now.unix_timestamp())
        {
            Ok(v) => {
                self.index.upsert(&v);
                self.refresh_today();
                let msg = self.tx.f("status.visitor_added", &[("alias", &v.alias)]);
                self.start_contact(Some((v.id, v.alias)));
                self.say(msg);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn new_message(&mut self) {
        if self.draft.as_ref().is_some_and(|d| d.visitor.is_some()) {
            self.mode = Mode::NewMessage(String::new());
        } else {
            self.fail(self.tx.t("status.message_needs_visitor").to_string());
        }
    }

    pub(super) fn save_message(&mut self) {
        let Mode::NewMessage(text) = &self.mode else {
            return;
        };
        let Some(Draft {
            visitor: Some((vid, _)),
            ..
        }) = &self.draft
        else {
            return;
        };
        match self
            .store
            .add_message(*vid, text, self.now.unix_timestamp())
        {
            Ok(m) => {
                if let Some(d) = &mut self.draft {
                    d.messages.push(m);
                }
                self.mode = Mode::Contact;
                self.say(self.tx.t("status.message_saved").to_string());
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn message_done(&mut self) {
        let Some(d) = &self.draft else { return };
        let (Some((vid, _)), Some(m)) = (&d.visitor, d.messages.first()) else {
            return self.fail(self.tx.t("status.no_message").to_string());
        };
        match self
            .store
            .message_done(*vid, m.id, self.now.unix_timestamp())
        {
            Ok(()) => {
                if let Some(d) = &mut self.draft {
                    d.messages.remove(0);
                }
                self.say(self.tx.t("status.message_done").to_string());
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Ctrl-Z on the search line: take back the newest contact of today.
    pub(super) fn undo_last(&mut self) {
        match self.recent.len() {
            0 => self.fail(self.tx.t("status.nothing_to_undo").to_string()),
            n => self.undo_at(n - 1),
        }
    }

    fn undo_at(&mut self, i: usize) {
        let id = self.recent[i].contact.id();
        match self
            .store
            .undo(id, self.now.unix_timestamp(), self.staff_id())
        {
            Ok(_) => {
                self.recent.remove(i);
                self.refresh_today();
                let msg = self.tx.f("status.undone", &[("id", &id)]);
                self.say(msg);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn undo_selected(&mut self) {
        if let Mode::Recent { selected } = self.mode
            && selected < self.recent.len()
        {
            self.undo_at(selected);
            self.mode = Mode::Recent {
                selected: selected.min(self.recent.len().saturating_sub(1)),
            };
        }
    }

    /// Enter in the recent list: open the contact for correction.
    pub(super) fn edit_selected(&mut self) {
        let Mode::Recent { selected } = self.mode else {
            return;
        };
        let Some(s) = self.recent.get(selected).cloned() else {
            return;
        };
        let c = &s.contact;
        let cat = &self.cfg.catalog;
        let mut d = Draft::new(c.visitor.zip(s.alias.clone()));
        d.editing = Some(c.id());
        // As if keyed again, so Backspace can take units back.
        for line in &c.items {
            let i = cat.item_position(&line.item);
            if i < cat.items.len() {
                d.presses
                    .extend(std::iter::repeat_n(Press::Out(i), line.out.into()));
                d.presses.extend(std::iter::repeat_n(
                    Press::Returned(i),
                    line.returned.into(),
                ));
            }
        }
        d.topics = c
            .topics
            .iter()
            .map(|t| cat.topic_position(t))
            .filter(|&i| i < cat.topics.len())
            .collect();
        d.note = c.note.clone().unwrap_or_default();
        d.flags = c.flags;
        d.channel = c.channel;
        self.draft = Some(d);
        self.mode = Mode::Contact;
    }

    /// Tally mode: one key, one anonymous contact with one unit of the item.
    pub(super) fn tally_item(&mut self, i: usize) {
        let mut d = Draft::new(None);
        d.presses.push(Press::Out(i));
        if let Some(id) = self.write_draft(&d) {
            self.tally.push(id);
        }
    }

    pub(super) fn tally_undo(&mut self) {
        let Some(id) = self.tally.pop() else {
            return self.fail(self.tx.t("status.nothing_to_undo").to_string());
        };
        match self.recent.iter().position(|s| s.contact.id() == id) {
            Some(i) => self.undo_at(i),
            None => self.fail(self.tx.t("status.nothing_to_undo").to_string()),
        }
    }
}
