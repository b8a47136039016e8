//! Contacts: one visit at the hatch, one phone call or one outreach delivery.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::catalog::Catalog;
use super::text;
use super::{Gender, InvalidInput};

/// The most of one item handed out (or returned) in one contact.
pub const MAX_QUANTITY: u16 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Channel {
    Door,
    Phone,
    Outreach,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Door, Channel::Phone, Channel::Outreach];

    pub fn id(self) -> &'static str {
        match self {
            Channel::Door => "door",
            Channel::Phone => "phone",
            Channel::Outreach => "outreach",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn parse(raw: &str) -> Result<Channel, InvalidInput> {
        Channel::ALL
            .into_iter()
            .find(|c| c.id() == raw.trim().to_ascii_lowercase())
            .ok_or_else(|| InvalidInput::new("channel", "channel_name"))
    }
}

/// One catalog item in a contact: how many went out, how many came back
/// (used equipment such as a full sharps container).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLine {
    pub item: String,
    pub out: u16,
    pub returned: u16,
}

/// Naloxone handed out as the visitor's first kit, or as a refill and why
/// the last kit is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Naloxone {
    First,
    /// The last kit was used on someone: an overdose reversal reported.
    RefillUsed,
    RefillLost,
    /// Taken from them (stolen, confiscated).
    RefillTaken,
    RefillExpired,
}

impl Naloxone {
    /// In the order the hatch steps through them (and `DayCounts::naloxone`).
    pub const ALL: [Naloxone; 5] = [
        Naloxone::First,
        Naloxone::RefillUsed,
        Naloxone::RefillLost,
        Naloxone::RefillTaken,
        Naloxone::RefillExpired,
    ];

    /// The word on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Naloxone::First => "first",
            Naloxone::RefillUsed => "used",
            Naloxone::RefillLost => "lost",
            Naloxone::RefillTaken => "taken",
            Naloxone::RefillExpired => "expired",
        }
    }

    /// Its export column.
    pub fn column(self) -> &'static str {
        match self {
            Naloxone::First => "naloxone_first",
            Naloxone::RefillUsed => "overdose_reversals",
            Naloxone::RefillLost => "naloxone_refill_lost",
            Naloxone::RefillTaken => "naloxone_refill_taken",
            Naloxone::RefillExpired => "naloxone_refill_expired",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn parse(raw: &str) -> Result<Naloxone, InvalidInput> {
        Naloxone::ALL
            .into_iter()
            .find(|n| n.id() == raw.trim().to_ascii_lowercase())
            .ok_or_else(|| InvalidInput::new("naloxone", "naloxone_kind"))
    }

    /// The next choice at the hatch: none, first, the refill reasons, none.
    pub fn step(now: Option<Naloxone>) -> Option<Naloxone> {
        match now {
            None => Some(Naloxone::First),
            Some(n) => Naloxone::ALL.get(n.index() + 1).copied(),
        }
    }

    /// The choice before, the other way round.
    pub fn step_back(now: Option<Naloxone>) -> Option<Naloxone> {
        match now {
            None => Naloxone::ALL.last().copied(),
            Some(n) => n.index().checked_sub(1).map(|i| Naloxone::ALL[i]),
        }
    }
}

/// What else happened at a contact (referrals are kept beside them, by
/// type).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flags {
    pub overdose_reported: bool,
    /// How many other people the visitor collects for (0: only themselves).
    pub collecting_for: u8,
    /// Set where naloxone went out: first kit or refill, and why.
    pub naloxone: Option<Naloxone>,
}

/// The most people one visitor collects for, as the hatch counts them.
pub const MAX_COLLECTING_FOR: u8 = 20;

/// The events counted per contact, in export order.
pub const EVENT_IDS: [&str; 3] = [
    "overdose_reported",
    "referral_made",
    "collecting_for_others",
];

/// A contact's id: its service day and its number within that day, shown
/// as `YYYYMMDD-N` (`20260329-42`). Staff can read the day from it, and the
/// store finds the contact with one read, no index needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId {
    pub day: Date,
    pub seq: u32,
}

impl std::fmt::Display for ContactId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = self.day;
        write!(
            f,
            "{:04}{:02}{:02}-{}",
            d.year(),
            u8::from(d.month()),
            d.day(),
            self.seq
        )
    }
}

impl std::str::FromStr for ContactId {
    type Err = InvalidInput;

    fn from_str(raw: &str) -> Result<ContactId, InvalidInput> {
        let bad = || InvalidInput::new("contact", "contact_id_form");
        let (day, seq) = raw.trim().split_once('-').ok_or_else(bad)?;
        if day.len() != 8 || !day.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let n = |r: std::ops::Range<usize>| day[r].parse::<u32>().map_err(|_| bad());
        let month = time::Month::try_from(n(4..6)? as u8).map_err(|_| bad())?;
        let day =
            Date::from_calendar_date(n(0..4)? as i32, month, n(6..8)? as u8).map_err(|_| bad())?;
        let seq = seq.parse::<u32>().map_err(|_| bad())?;
        Ok(ContactId { day, seq })
    }
}

/// A contact as it is kept. `at` is UTC (unix seconds); `day` and `hour`
/// are the service day and local hour, fixed when the contact is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Number within the service day, from 1; 0 until the store saves it.
    pub seq: u32,
    pub at: i64,
    #[serde(with = "super::day_serde")]
    pub day: Date,
    pub hour: u8,
    pub channel: Channel,
    /// `None` for an anonymous contact.
    pub visitor: Option<u64>,
    /// For anonymous contacts: optional gender and birth decade, statistics only.
    pub gender: Option<Gender>,
    pub birth_decade: Option<u16>,
    pub staff: Option<u64>,
    pub items: Vec<ItemLine>,
    pub topics: Vec<String>,
    pub note: Option<String>,
    /// A conversation took place (topics or a note were recorded). Kept as a
    /// fact so the count survives deleting the note later.
    pub conversation: bool,
    pub flags: Flags,
    /// Referrals made, by type (ids from the catalog's referral list).
    pub referrals: Vec<String>,
}

impl Contact {
    pub fn id(&self) -> ContactId {
        ContactId {
            day: self.day,
            seq: self.seq,
        }
    }

    /// Overdose reported, a referral made, collecting for others: the
    /// events counted per contact (`EVENT_IDS`).
    pub fn events(&self) -> [bool; 3] {
        [
            self.flags.overdose_reported,
            !self.referrals.is_empty(),
            self.flags.collecting_for > 0,
        ]
    }
}

/// Values written before referral types, collecting for a number of people
/// and naloxone kinds (value format 1): read into today's form. A referral
/// then had no type (`unspecified`); collecting for others counts as one
/// person.
pub(crate) mod v1 {
    use super::*;

    #[derive(Deserialize)]
    pub struct Flags {
        overdose_reported: bool,
        referral_made: bool,
        collecting_for_others: bool,
    }

    impl Flags {
        pub fn upgrade(self) -> (super::Flags, Vec<String>) {
            (
                super::Flags {
                    overdose_reported: self.overdose_reported,
                    collecting_for: u8::from(self.collecting_for_others),
                    naloxone: None,
                },
                if self.referral_made {
                    vec![UNSPECIFIED_REFERRAL.to_string()]
                } else {
                    Vec::new()
                },
            )
        }
    }

    #[derive(Deserialize)]
    pub struct Contact {
        seq: u32,
        at: i64,
        #[serde(with = "crate::domain::day_serde")]
        day: Date,
        hour: u8,
        channel: Channel,
        visitor: Option<u64>,
        gender: Option<Gender>,
        birth_decade: Option<u16>,
        staff: Option<u64>,
        items: Vec<ItemLine>,
        topics: Vec<String>,
        note: Option<String>,
        conversation: bool,
        flags: Flags,
    }

    impl From<Contact> for super::Contact {
        fn from(c: Contact) -> super::Contact {
            let (flags, referrals) = c.flags.upgrade();
            super::Contact {
                seq: c.seq,
                at: c.at,
                day: c.day,
                hour: c.hour,
                channel: c.channel,
                visitor: c.visitor,
                gender: c.gender,
                birth_decade: c.birth_decade,
                staff: c.staff,
                items: c.items,
                topics: c.topics,
                note: c.note,
                conversation: c.conversation,
                flags,
                referrals,
            }
        }
    }

    #[derive(Deserialize)]
    pub struct KeptContact {
        visitor: Option<u64>,
        channel: Channel,
        items: Vec<ItemLine>,
        topics: Vec<String>,
        note: String,
        flags: Flags,
        editing: Option<(i32, u32)>,
    }

    impl From<KeptContact> for super::KeptContact {
        fn from(k: KeptContact) -> super::KeptContact {
            let (flags, referrals) = k.flags.upgrade();
            super::KeptContact {
                visitor: k.visitor,
                channel: k.channel,
                items: k.items,
                topics: k.topics,
                note: k.note,
                flags,
                editing: k.editing,
                referrals,
            }
        }
    }
}

/// The referral type of a referral recorded before there were types.
pub const UNSPECIFIED_REFERRAL: &str = "unspecified";

/// What staff put together before saving a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDraft {
    pub at: OffsetDateTime,
    pub channel: Channel,
    pub visitor: Option<u64>,
    pub gender: Option<Gender>,
    pub birth_decade: Option<u16>,
    pub staff: Option<u64>,
    /// (item id, out, returned); the same id may appear more than once.
    pub items: Vec<ItemLine>,
    pub topics: Vec<String>,
    pub note: Option<String>,
    pub flags: Flags,
    /// Referral type ids.
    pub referrals: Vec<String>,
}

impl ContactDraft {
    pub fn new(at: OffsetDateTime) -> ContactDraft {
        ContactDraft {
            at,
            channel: Channel::Door,
            visitor: None,
            gender: None,
            birth_decade: None,
            staff: None,
            items: Vec::new(),
            topics: Vec::new(),
            note: None,
            flags: Flags::default(),
            referrals: Vec::new(),
        }
    }

    /// Checks the draft against the catalog and builds the contact to keep
    /// (id 0 until the store gives it one). Repeated items are added up;
    /// items keep catalog order, topics too.
    pub fn into_contact(
        self,
        catalog: &Catalog,
        day: Date,
        hour: u8,
    ) -> Result<Contact, InvalidInput> {
        let mut items: Vec<ItemLine> = Vec::new();
        for line in &self.items {
            if catalog.item(&line.item).is_none() {
                return Err(InvalidInput::new("item", "unknown_item")
                    .arg("id", format!("{:?}", short(&line.item))));
            }
            match items.iter_mut().find(|l| l.item == line.item) {
                Some(l) => {
                    l.out = l.out.saturating_add(line.out);
                    l.returned = l.returned.saturating_add(line.returned);
                }
                None => items.push(line.clone()),
            }
        }
        for l in &items {
            if l.out > MAX_QUANTITY || l.returned > MAX_QUANTITY {
                return Err(InvalidInput::new("quantity", "per_contact").arg("max", MAX_QUANTITY));
            }
            if l.out == 0 && l.returned == 0 {
                return Err(InvalidInput::new("quantity", "at_least_one"));
            }
        }
        items.sort_by_key(|l| catalog.item_position(&l.item));

        let mut topics: Vec<String> = Vec::new();
        for t in &self.topics {
            if catalog.topic(t).is_none() {
                return Err(InvalidInput::new("topic", "unknown_topic")
                    .arg("id", format!("{:?}", short(t))));
            }
            if !topics.contains(t) {
                topics.push(t.clone());
            }
        }
        topics.sort_by_key(|t| catalog.topic_position(t));

        let mut referrals: Vec<String> = Vec::new();
        for r in &self.referrals {
            if catalog.referral(r).is_none() && r != UNSPECIFIED_REFERRAL {
                return Err(InvalidInput::new("referral", "unknown_referral")
                    .arg("id", format!("{:?}", short(r))));
            }
            if !referrals.contains(r) {
                referrals.push(r.clone());
            }
        }
        referrals.sort_by_key(|r| catalog.referral_position(r));
        let flags = self.flags;
        if flags.collecting_for > MAX_COLLECTING_FOR {
            return Err(InvalidInput::new("collecting_for", "range")
                .arg("min", 0)
                .arg("max", MAX_COLLECTING_FOR));
        }
        // First kit or refill describes naloxone handed out.
        let naloxone_out = items.iter().any(|l| {
            l.out > 0
                && catalog
                    .item(&l.item)
                    .is_some_and(|i| i.category == super::catalog::Category::Naloxone)
        });
        if flags.naloxone.is_some() && !naloxone_out {
            return Err(InvalidInput::new("naloxone", "naloxone_needs_kit"));
        }

        let note = match &self.note {
            Some(n) => text::note(n)?,
            None => None,
        };
        let anonymous = self.visitor.is_none();
        Ok(Contact {
            seq: 0,
            at: self.at.unix_timestamp(),
            day,
            hour,
            channel: self.channel,
            visitor: self.visitor,
            gender: if anonymous { self.gender } else { None },
            birth_decade: if anonymous { self.birth_decade } else { None },
            staff: self.staff,
            conversation: !topics.is_empty() || note.is_some(),
            items,
            topics,
            note,
            flags,
            referrals,
        })
    }
}

/// Shows at most 24 characters of a rejected id, escaped.
fn short(s: &str) -> String {
    s.chars().take(24).flat_map(char::escape_default).collect()
}

/// Parses `ID` or `ID=QTY` as used on the command line.
pub fn parse_item_arg(raw: &str) -> Result<(String, u16), InvalidInput> {
    let (id, qty) = match raw.split_once('=') {
        Some((id, q)) => {
            let q = q.trim();
            let n: i64 = q.parse().map_err(|_| {
                InvalidInput::new("quantity", "whole_number").arg("max", MAX_QUANTITY)
            })?;
            if !(1..=i64::from(MAX_QUANTITY)).contains(&n) {
                return Err(InvalidInput::new("quantity", "range")
                    .arg("min", 1)
                    .arg("max", MAX_QUANTITY));
            }
            (id, n as u16)
        }
        None => (raw, 1),
    };
    Ok((id.trim().to_string(), qty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn draft() -> ContactDraft {
        ContactDraft::new(datetime!(2026-03-29 01:30 +01:00))
    }

    #[test]
    fn repeated_items_add_up_in_catalog_order() {
        let cat = Catalog::default_catalog();
        let mut d = draft();
        for id in ["naloxone", "meal-pack", "naloxone"] {
            d.items.push(ItemLine {
                item: id.into(),
                out: 1,
                returned: 0,
            });
        }
        let c = d.into_contact(&cat, date!(2026 - 03 - 29), 1).unwrap();
        let got: Vec<(&str, u16)> = c.items.iter().map(|l| (l.item.as_str(), l.out)).collect();
        let meal = cat.item_position("meal-pack");
        let nal = cat.item_position("naloxone");
        assert_eq!(got.len(), 2);
        assert_eq!(got.iter().find(|g| g.0 == "naloxone").unwrap().1, 2);
        assert_eq!(meal < nal, got[0].0 == "meal-pack");
    }

    #[test]
    fn unknown_ids_and_bad_quantities_are_refused() {
        let cat = Catalog::default_catalog();
        let mut d = draft();
        d.items.push(ItemLine {
            item: "caviar".into(),
            out: 1,
            returned: 0,
        });
        assert_eq!(
            d.clone()
                .into_contact(&cat, date!(2026 - 03 - 29), 1)
                .unwrap_err()
                .field,
            "item"
        );
        d.items[0] = ItemLine {
            item: "meal-pack".into(),
            out: 1001,
            returned: 0,
        };
        assert_eq!(
            d.into_contact(&cat, date!(2026 - 03 - 29), 1)
                .unwrap_err()
                .field,
            "quantity"
        );
        assert!(parse_item_arg("meal-pack=0").is_err());
        assert!(parse_item_arg("meal-pack=-2").is_err());
        assert!(parse_item_arg("meal-pack=1001").is_err());
        assert!(parse_item_arg("meal-pack=x").is_err());
        assert_eq!(
            parse_item_arg("meal-pack=3").unwrap(),
            ("meal-pack".into(), 3)
        );
        assert_eq!(parse_item_arg("naloxone").unwrap(), ("naloxone".into(), 1));
    }

    #[test]
    fn contact_ids_read_as_day_and_number() {
        let id = ContactId {
            day: date!(2026 - 03 - 29),
            seq: 42,
        };
        assert_eq!(id.to_string(), "20260329-42");
        assert_eq!("20260329-42".parse::<ContactId>().unwrap(), id);
        for bad in [
            "42",
            "2026-03-29-42",
            "20261329-1",
            "20260329-x",
            "20260329-",
            "-1",
        ] {
            assert!(bad.parse::<ContactId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_note_or_topic_makes_a_conversation() {
        let cat = Catalog::default_catalog();
        let mut d = draft();
        assert!(
            !d.clone()
                .into_contact(&cat, date!(2026 - 03 - 29), 1)
                .unwrap()
                .conversation
        );
        d.note = Some("asked about the shelter".into());
        assert!(
            d.into_contact(&cat, date!(2026 - 03 - 29), 1)
                .unwrap()
                .conversation
        );
    }
}

/// A contact that was being put together when doorlog had to stop (a
/// signal, the terminal closed): kept in the store for the staff member who
/// was typing it, and given back at their next sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptContact {
    pub visitor: Option<u64>,
    pub channel: Channel,
    pub items: Vec<ItemLine>,
    pub topics: Vec<String>,
    pub note: String,
    pub flags: Flags,
    /// The saved contact this was correcting: its day (Julian) and number.
    pub editing: Option<(i32, u32)>,
    pub referrals: Vec<String>,
}
