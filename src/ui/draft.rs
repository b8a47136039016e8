//! The contact being put together at the hatch (the contact screen and
//! tally mode make one; `ops::save_draft` writes it).

use super::widgets::form::TextField;
use crate::domain::contact::MAX_QUANTITY;
use crate::domain::{Catalog, Channel, Contact, ContactId, Flags, ItemLine, Message};

/// Units of one item handed out or returned, as keyed (`10` `s`): what
/// Backspace takes back as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The item's position in the catalog.
    pub item: usize,
    pub qty: u16,
    pub returned: bool,
}

/// The contact being put together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub visitor: Option<(u64, String)>,
    pub channel: Channel,
    pub topics: Vec<usize>,
    pub note: TextField,
    pub flags: Flags,
    /// Referral types made, by id (a retired one a correction has stays).
    pub referrals: Vec<String>,
    /// What was handed out or returned, in the order keyed.
    pub entries: Vec<Entry>,
    /// The contact being corrected, if it is a correction.
    pub editing: Option<ContactId>,
    pub messages: Vec<Message>,
    /// Items and topics of a corrected contact that the catalog no longer
    /// has: kept as they were, so a correction drops no count.
    pub kept_items: Vec<ItemLine>,
    pub kept_topics: Vec<String>,
}

impl Draft {
    pub fn new(visitor: Option<(u64, String)>) -> Draft {
        Draft {
            visitor,
            channel: Channel::Door,
            topics: Vec::new(),
            note: TextField::note(""),
            flags: Flags::default(),
            referrals: Vec::new(),
            entries: Vec::new(),
            editing: None,
            messages: Vec::new(),
            kept_items: Vec::new(),
            kept_topics: Vec::new(),
        }
    }

    /// A saved contact, opened again for correction: its units as entries,
    /// so Backspace can take them back.
    pub fn correcting(c: &Contact, alias: Option<String>, cat: &Catalog) -> Draft {
        let mut d = Draft::new(c.visitor.zip(alias));
        d.editing = Some(c.id());
        for line in &c.items {
            let item = cat.item_position(&line.item);
            if item >= cat.items.len() {
                d.kept_items.push(line.clone());
            } else {
                for (qty, returned) in [(line.out, false), (line.returned, true)] {
                    if qty > 0 {
                        d.entries.push(Entry {
                            item,
                            qty,
                            returned,
                        });
                    }
                }
            }
        }
        for t in &c.topics {
            match cat.topic_position(t) {
                i if i < cat.topics.len() => d.topics.push(i),
                _ => d.kept_topics.push(t.clone()),
            }
        }
        d.note = TextField::note(c.note.as_deref().unwrap_or(""));
        d.flags = c.flags;
        d.referrals = c.referrals.clone();
        d.channel = c.channel;
        d
    }

    /// Units of catalog item `i` handed out.
    pub fn out(&self, i: usize) -> u16 {
        self.units(i, false)
    }

    /// Used units of catalog item `i` returned.
    pub fn returned(&self, i: usize) -> u16 {
        self.units(i, true)
    }

    fn units(&self, i: usize, returned: bool) -> u16 {
        self.entries
            .iter()
            .filter(|e| e.item == i && e.returned == returned)
            .map(|e| e.qty)
            .sum()
    }

    /// Adds units; more than one contact may carry of an item is refused
    /// whole (`Err` with the most that would still fit), never cut short.
    pub fn add(&mut self, item: usize, qty: u16, returned: bool) -> Result<(), u16> {
        let room = MAX_QUANTITY.saturating_sub(self.units(item, returned));
        if qty > room {
            return Err(room);
        }
        self.entries.push(Entry {
            item,
            qty,
            returned,
        });
        Ok(())
    }

    /// Nothing keyed: no item, topic, note or flag.
    pub fn is_blank(&self) -> bool {
        self.entries.is_empty()
            && self.topics.is_empty()
            && self.note.value.trim().is_empty()
            && self.flags == Flags::default()
            && self.referrals.is_empty()
    }

    /// Takes back the last units keyed. With the last naloxone kit gone,
    /// first kit or refill goes too: there is no kit left to say it of.
    pub fn take_back(&mut self, cat: &Catalog) {
        self.entries.pop();
        if !self.naloxone_out(cat) {
            self.flags.naloxone = None;
        }
    }

    /// Is naloxone being handed out (so first kit or refill can be said)?
    pub fn naloxone_out(&self, cat: &Catalog) -> bool {
        self.entries.iter().any(|e| {
            !e.returned
                && cat
                    .items
                    .get(e.item)
                    .is_some_and(|i| i.category == crate::domain::Category::Naloxone)
        })
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

    /// What was handed out and returned, as a sentence says it:
    /// `1 meal pack, 10 syringes, 1 sharps container returned`.
    pub fn summary(&self, cat: &Catalog, tx: &crate::i18n::Texts) -> String {
        super::widgets::items_text(&self.item_lines(cat), cat, tx)
    }
}
