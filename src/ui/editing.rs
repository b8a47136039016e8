//! Editing the contact being put together and the text fields: key presses
//! for items, flags, channel and topics; typing and pasting with limits.

use super::app::{App, MAX_MESSAGE, Mode};
use super::draft::{Draft, Press, VisitorForm};
use crate::domain::text::MAX_NOTE_CHARS;
use crate::domain::{Channel, ItemLine};

impl App<'_> {
    pub(super) fn press(&mut self, p: Press) {
        let Some(d) = &mut self.draft else { return };
        let units = match p {
            Press::Out(i) => d.out(i),
            Press::Returned(i) => d.returned(i),
        };
        if units < crate::domain::contact::MAX_QUANTITY {
            d.presses.push(p);
        }
    }

    pub(super) fn remove_last(&mut self) {
        if let Some(d) = &mut self.draft {
            d.presses.pop();
        }
    }

    pub(super) fn toggle_flag(&mut self, i: usize) {
        let Some(d) = &mut self.draft else { return };
        let f = &mut d.flags;
        let flag = [
            &mut f.overdose_reported,
            &mut f.referral_made,
            &mut f.collecting_for_others,
        ];
        if let Some(b) = flag.into_iter().nth(i) {
            *b = !*b;
        }
    }

    pub(super) fn cycle_channel(&mut self) {
        if let Some(d) = &mut self.draft {
            d.channel = Channel::ALL[(d.channel.index() + 1) % Channel::ALL.len()];
        }
    }

    pub(super) fn open_conversation(&mut self) {
        if let Some(d) = &mut self.draft {
            d.saved_talk = (d.topics.clone(), d.note.clone());
            self.mode = Mode::Conversation { note_focus: false };
        }
    }

    pub(super) fn toggle_topic(&mut self, i: usize) {
        if let Some(d) = &mut self.draft {
            match d.topics.iter().position(|t| *t == i) {
                Some(p) => {
                    d.topics.remove(p);
                }
                None => d.topics.push(i),
            }
        }
    }

    /// The text field that has the keyboard, with its limit in characters.
    pub(super) fn field(&mut self) -> Option<(&mut String, usize)> {
        match &mut self.mode {
            Mode::Conversation { note_focus: true } => {
                self.draft.as_mut().map(|d| (&mut d.note, MAX_NOTE_CHARS))
            }
            Mode::NewVisitor(f) => {
                let max = VisitorForm::MAX[f.focus];
                Some((&mut f.fields[f.focus], max))
            }
            Mode::NewMessage(text) => Some((text, MAX_MESSAGE)),
            Mode::ReportRange => self
                .reports
                .as_mut()
                .map(|r| (&mut r.entry.fields[r.entry.focus], 10)),
            Mode::Audit { filter, .. } => Some((filter, 32)),
            _ => None,
        }
    }

    pub(super) fn text_input(&mut self, text: &str) {
        let Some((field, max)) = self.field() else {
            return;
        };
        let room = max.saturating_sub(field.chars().count());
        let clean: Vec<char> = text
            .chars()
            .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control())
            .collect();
        let dropped = clean.len() > room;
        field.extend(clean.into_iter().take(room));
        if dropped {
            let msg = self.tx.f("status.too_long", &[("max", &max)]);
            self.fail(msg);
        }
    }

    pub(super) fn paste(&mut self, text: &str) {
        if self.field().is_some() {
            self.text_input(text);
        } else if self.mode == Mode::Home {
            let one_line: String = text.chars().filter(|c| !c.is_control()).collect();
            self.search_edit(|s| s.push_str(&one_line));
        } else {
            self.fail(self.tx.t("status.paste_here").to_string());
        }
    }

    pub(super) fn text_backspace(&mut self) {
        if let Some((field, _)) = self.field() {
            field.pop();
        }
    }

    /// The draft as catalog item lines.
    pub(super) fn item_lines(&self, d: &Draft) -> Vec<ItemLine> {
        self.cfg
            .catalog
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| ItemLine {
                item: item.id.clone(),
                out: d.out(i),
                returned: d.returned(i),
            })
            .filter(|l| l.out > 0 || l.returned > 0)
            .collect()
    }
}
