//! The contact being put together at the hatch (the contact screen and
//! tally mode make one; `ops::save_draft` writes it).

use super::widgets::form::TextField;
use crate::domain::text::MAX_NOTE_CHARS;
use crate::domain::{Catalog, Channel, Contact, ContactId, Flags, ItemLine, Message};

/// A key press in the contact panel that Backspace can take back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Out(usize),
    Returned(usize),
}

/// The contact being put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub visitor: Option<(u64, String)>,
    pub channel: Channel,
    pub topics: Vec<usize>,
    pub note: TextField,
    pub flags: Flags,
    /// Every unit handed out or returned, in the order keyed: the counts
    /// are read from it, and Backspace takes back the last.
    pub presses: Vec<Press>,
    /// The contact being corrected, if it is a correction.
    pub editing: Option<ContactId>,
    pub messages: Vec<Message>,
}

impl Draft {
    pub fn new(visitor: Option<(u64, String)>) -> Draft {
        Draft {
            visitor,
            channel: Channel::Door,
            topics: Vec::new(),
            note: TextField::new(MAX_NOTE_CHARS),
            flags: Flags::default(),
            presses: Vec::new(),
            editing: None,
            messages: Vec::new(),
        }
    }

    /// A saved contact, opened again for correction: its units as if keyed
    /// again, so Backspace can take them back.
    pub fn correcting(c: &Contact, alias: Option<String>, cat: &Catalog) -> Draft {
        let mut d = Draft::new(c.visitor.zip(alias));
        d.editing = Some(c.id());
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
        d.note = TextField::with(c.note.as_deref().unwrap_or(""), MAX_NOTE_CHARS);
        d.flags = c.flags;
        d.channel = c.channel;
        d
    }

    /// Units of catalog item `i` handed out.
    pub fn out(&self, i: usize) -> u16 {
        self.count(Press::Out(i))
    }

    /// Used units of catalog item `i` returned.
    pub fn returned(&self, i: usize) -> u16 {
        self.count(Press::Returned(i))
    }

    fn count(&self, p: Press) -> u16 {
        self.presses.iter().filter(|q| **q == p).count() as u16
    }

    /// One more unit, up to the most one contact may carry.
    pub fn press(&mut self, p: Press) {
        let units = match p {
            Press::Out(i) => self.out(i),
            Press::Returned(i) => self.returned(i),
        };
        if units < crate::domain::contact::MAX_QUANTITY {
            self.presses.push(p);
        }
    }

    pub fn is_blank(&self) -> bool {
        self.presses.is_empty()
            && self.topics.is_empty()
            && self.note.value.trim().is_empty()
            && self.flags == Flags::default()
    }

    /// The draft as catalog item lines.
    pub fn item_lines(&self, cat: &Catalog) -> Vec<ItemLine> {
        cat.items
            .iter()
            .enumerate()
            .map(|(i, item)| ItemLine {
                item: item.id.clone(),
                out: self.out(i),
                returned: self.returned(i),
            })
            .filter(|l| l.out > 0 || l.returned > 0)
            .collect()
    }
}
