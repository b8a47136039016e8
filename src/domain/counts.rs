//! The counts of one service day, kept beside the contacts so a day's
//! numbers are one read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Contact;
use super::contact::UNSPECIFIED_REFERRAL;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCounts {
    pub contacts: u32,
    /// Visitors registered that day.
    pub new_visitors: u32,
    pub anonymous_contacts: u32,
    pub conversations: u32,
    /// Indexed by `Channel::index()`.
    pub channels: [u32; 3],
    /// Contacts with each event, indexed like `EVENT_IDS`.
    pub flags: [u32; 3],
    /// Contacts per local hour of the day.
    pub hours: [u32; 24],
    pub items_out: BTreeMap<String, u32>,
    pub items_returned: BTreeMap<String, u32>,
    pub topics: BTreeMap<String, u32>,
    /// Contacts per registered visitor (by id, never by alias): the
    /// different visitors of the day, and of a range by union.
    pub visitors: BTreeMap<u64, u32>,
    /// The people visitors collected for (beside themselves).
    pub collected_for: u32,
    /// Contacts with a referral of each type.
    pub referrals: BTreeMap<String, u32>,
    /// Contacts with naloxone as a first kit or a refill (for each reason),
    /// indexed like `Naloxone::ALL`.
    pub naloxone: [u32; 5],
}

impl DayCounts {
    /// Different registered visitors with at least one contact.
    pub fn unique_visitors(&self) -> u32 {
        self.visitors.len() as u32
    }

    /// Adds (`sign` = 1) or takes away (`sign` = -1) one contact. New
    /// visitors are counted when they are registered, not here.
    pub fn apply(&mut self, c: &Contact, sign: i64) {
        fn step(n: &mut u32, by: i64) {
            *n = (i64::from(*n) + by).clamp(0, i64::from(u32::MAX)) as u32;
        }
        fn step_map<K: Ord + Clone>(m: &mut BTreeMap<K, u32>, key: &K, by: i64) {
            let n = m.entry(key.clone()).or_default();
            step(n, by);
            if *n == 0 {
                m.remove(key);
            }
        }
        step(&mut self.contacts, sign);
        match c.visitor {
            None => step(&mut self.anonymous_contacts, sign),
            Some(v) => step_map(&mut self.visitors, &v, sign),
        }
        if c.conversation {
            step(&mut self.conversations, sign);
        }
        step(&mut self.channels[c.channel.index()], sign);
        for (n, on) in self.flags.iter_mut().zip(c.events()) {
            if on {
                step(n, sign);
            }
        }
        step(
            &mut self.collected_for,
            sign * i64::from(c.flags.collecting_for),
        );
        for r in &c.referrals {
            step_map(&mut self.referrals, r, sign);
        }
        if let Some(n) = c.flags.naloxone {
            step(&mut self.naloxone[n.index()], sign);
        }
        step(&mut self.hours[usize::from(c.hour.min(23))], sign);
        for l in &c.items {
            if l.out > 0 {
                step_map(&mut self.items_out, &l.item, sign * i64::from(l.out));
            }
            if l.returned > 0 {
                step_map(
                    &mut self.items_returned,
                    &l.item,
                    sign * i64::from(l.returned),
                );
            }
        }
        for t in &c.topics {
            step_map(&mut self.topics, t, sign);
        }
    }

    /// Adds another day's counts (for ranges). Visitors are united, so
    /// unique visitors over a range are unique over the whole range.
    pub fn add(&mut self, o: &DayCounts) {
        self.contacts += o.contacts;
        self.new_visitors += o.new_visitors;
        self.anonymous_contacts += o.anonymous_contacts;
        self.conversations += o.conversations;
        for (a, b) in self.channels.iter_mut().zip(o.channels) {
            *a += b;
        }
        for (a, b) in self.flags.iter_mut().zip(o.flags) {
            *a += b;
        }
        self.collected_for += o.collected_for;
        for (a, b) in self.naloxone.iter_mut().zip(o.naloxone) {
            *a += b;
        }
        for (a, b) in self.hours.iter_mut().zip(o.hours) {
            *a += b;
        }
        for (m, om) in [
            (&mut self.items_out, &o.items_out),
            (&mut self.items_returned, &o.items_returned),
            (&mut self.topics, &o.topics),
            (&mut self.referrals, &o.referrals),
        ] {
            for (k, v) in om {
                *m.entry(k.clone()).or_default() += v;
            }
        }
        for (k, v) in &o.visitors {
            *self.visitors.entry(*k).or_default() += v;
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == DayCounts::default()
    }
}

/// A day's counts as value format 1 kept them (before referral types,
/// collecting for a number of people and naloxone kinds), read into
/// today's form the way a contact of then is (`contact::v1`).
#[derive(Deserialize)]
pub(crate) struct DayCountsV1 {
    contacts: u32,
    new_visitors: u32,
    anonymous_contacts: u32,
    conversations: u32,
    channels: [u32; 3],
    flags: [u32; 3],
    hours: [u32; 24],
    items_out: BTreeMap<String, u32>,
    items_returned: BTreeMap<String, u32>,
    topics: BTreeMap<String, u32>,
    visitors: BTreeMap<u64, u32>,
}

impl From<DayCountsV1> for DayCounts {
    fn from(o: DayCountsV1) -> DayCounts {
        let referred = o.flags[1];
        DayCounts {
            contacts: o.contacts,
            new_visitors: o.new_visitors,
            anonymous_contacts: o.anonymous_contacts,
            conversations: o.conversations,
            channels: o.channels,
            flags: o.flags,
            hours: o.hours,
            items_out: o.items_out,
            items_returned: o.items_returned,
            topics: o.topics,
            visitors: o.visitors,
            collected_for: o.flags[2],
            referrals: if referred > 0 {
                BTreeMap::from([(UNSPECIFIED_REFERRAL.to_string(), referred)])
            } else {
                BTreeMap::new()
            },
            naloxone: [0; 5],
        }
    }
}
