//! The contact being put together at the hatch, and the new-visitor form.

use crate::domain::text::MAX_ALIAS_CHARS;
use crate::domain::{Channel, ContactId, Flags, Message};

/// The new-visitor form: alias, code, birth year, gender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitorForm {
    pub fields: [String; 4],
    pub focus: usize,
}

impl VisitorForm {
    pub const LABELS: [&'static str; 4] =
        ["form.alias", "form.code", "form.birth_year", "form.gender"];
    pub(super) const MAX: [usize; 4] = [MAX_ALIAS_CHARS, 16, 4, 8];
}

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
    pub note: String,
    pub flags: Flags,
    /// Every unit handed out or returned, in the order keyed: the counts
    /// are read from it, and Backspace takes back the last.
    pub presses: Vec<Press>,
    pub editing: Option<ContactId>,
    pub messages: Vec<Message>,
    /// Topics and note as they were when the conversation panel opened.
    pub(super) saved_talk: (Vec<usize>, String),
}

impl Draft {
    pub(super) fn new(visitor: Option<(u64, String)>) -> Draft {
        Draft {
            visitor,
            channel: Channel::Door,
            topics: Vec::new(),
            note: String::new(),
            flags: Flags::default(),
            presses: Vec::new(),
            editing: None,
            messages: Vec::new(),
            saved_talk: (Vec::new(), String::new()),
        }
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

    pub fn is_blank(&self) -> bool {
        self.presses.is_empty()
            && self.topics.is_empty()
            && self.note.trim().is_empty()
            && self.flags == Flags::default()
    }
}
