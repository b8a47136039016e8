//! `doorlog check`: every record decodes, every index agrees, and the kept
//! counters equal a full recount.

use std::collections::{BTreeMap, HashMap, HashSet};

use time::Date;

use super::{DayRecord, Result, Store, codec, keys};
use crate::domain::{AuditEntry, Contact, ContactId, DayCounts, Staff, Visitor};

/// What `check` found. `problems` is empty for a healthy store.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub visitors: u64,
    pub contacts: u64,
    pub days: u64,
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, p: String) {
        if self.problems.len() < 100 {
            self.problems.push(p);
        }
    }
}

impl Store {
    /// Reads the whole store. Problems are collected, not returned as errors,
    /// so one report lists all of them; only a failing disk is an error.
    pub fn check(&self) -> Result<CheckReport> {
        let mut r = CheckReport::default();
        let mut counts: BTreeMap<Date, DayCounts> = BTreeMap::new();
        let mut last_seq: HashMap<Date, u32> = HashMap::new();

        let mut visitors: HashMap<u64, Visitor> = HashMap::new();
        for kv in self.t.visitors.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            match codec::decode::<Visitor>(&v) {
                Ok(vis) if keys::id_from(&k) == Some(vis.id) => {
                    counts.entry(vis.registered).or_default().new_visitors += 1;
                    visitors.insert(vis.id, vis);
                }
                Ok(_) => r.problem("visitorid_visitor: a key and its id differ".into()),
                Err(e) => r.problem(format!("visitorid_visitor: {e}")),
            }
        }
        r.visitors = visitors.values().filter(|v| !v.erased).count() as u64;

        let mut noted: HashSet<(u64, ContactId)> = HashSet::new();
        for kv in self.t.contacts.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let c = match codec::decode::<Contact>(&v) {
                Ok(c) => c,
                Err(e) => {
                    r.problem(format!("dayseq_contact: {e}"));
                    continue;
                }
            };
            if keys::contact_from(&k) != Some(c.id()) {
                r.problem(format!("contact {}: key and record differ", c.id()));
            }
            r.contacts += 1;
            counts.entry(c.day).or_default().apply(&c, 1);
            let seq = last_seq.entry(c.day).or_default();
            *seq = (*seq).max(c.seq);
            if let Some(vid) = c.visitor {
                if !visitors.contains_key(&vid) {
                    r.problem(format!("contact {}: its visitor {vid} is missing", c.id()));
                }
                if c.note.is_some() {
                    noted.insert((vid, c.id()));
                }
            }
        }

        // The index of visitors' notes (used to erase them).
        let mut indexed = 0usize;
        for kv in self.t.visitor_notes.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            indexed += 1;
            if !keys::visitor_contact_from(&k).is_some_and(|e| noted.contains(&e)) {
                r.problem("visitornote_contact: an entry points to no note".into());
            }
        }
        if indexed != noted.len() {
            r.problem(format!(
                "visitornote_contact has {indexed} entries for {} notes",
                noted.len()
            ));
        }

        // Alias and code indexes against the active visitors.
        for (tree, name) in [
            (&self.t.alias_idx, "aliasfold_visitorid"),
            (&self.t.code_idx, "code_visitorid"),
        ] {
            for kv in tree.iter() {
                let (k, v) = kv.map_err(|e| self.err(e))?;
                let points_right = keys::id_from(&v)
                    .and_then(|id| visitors.get(&id))
                    .is_some_and(|vis| {
                        !vis.erased
                            && if name == "code_visitorid" {
                                vis.code.as_deref().map(str::as_bytes) == Some(&k[..])
                            } else {
                                vis.alias_key().as_bytes() == &k[..]
                            }
                    });
                if !points_right {
                    r.problem(format!("{name}: an entry points to the wrong visitor"));
                }
            }
        }
        let active = visitors.values().filter(|v| !v.erased);
        if self.t.alias_idx.len() != active.clone().count() {
            r.problem("aliasfold_visitorid: some aliases are missing".into());
        }
        if self.t.code_idx.len() != active.filter(|v| v.code.is_some()).count() {
            r.problem("code_visitorid: some codes are missing".into());
        }

        // Records linked into another: the one gone is a tombstone, the one
        // kept is there.
        for kv in self.t.links.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let gone = keys::id_from(&k).and_then(|id| visitors.get(&id));
            let kept = keys::id_from(&v).and_then(|id| visitors.get(&id));
            if !gone.is_some_and(|g| g.erased) || kept.is_none() {
                r.problem("linkedvisitor_visitor: an entry does not match its visitors".into());
            }
        }

        // The active visitors by the day last seen.
        let mut listed = 0usize;
        for kv in self.t.last_seen.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            listed += 1;
            let right = keys::day_id_from(&k).is_some_and(|(day, id)| {
                visitors
                    .get(&id)
                    .is_some_and(|v| !v.erased && v.seen_or_registered() == day)
            });
            if !right {
                r.problem("lastseen_visitor: an entry does not match its visitor".into());
            }
        }
        if listed as u64 != r.visitors {
            r.problem(format!(
                "lastseen_visitor lists {listed} of {} active visitors",
                r.visitors
            ));
        }

        // Kept counters against the recount.
        let mut closed = HashSet::new();
        for kv in self.t.days.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            r.days += 1;
            let Some(day) = keys::day_from(&k) else {
                r.problem("day_record: a bad key".into());
                continue;
            };
            closed.insert(day);
            match codec::decode::<DayRecord>(&v) {
                Ok(kept) => {
                    if kept.counts != counts.remove(&day).unwrap_or_default() {
                        r.problem(format!(
                            "day_record for {day}: counts differ from a recount of its contacts"
                        ));
                    }
                    if kept.last_seq < last_seq.get(&day).copied().unwrap_or(0) {
                        r.problem(format!("day_record for {day}: contact numbering is behind"));
                    }
                }
                Err(e) => r.problem(format!("day_record for {day}: {e}")),
            }
        }
        // Days still open: their counts are their contacts'; what they
        // keep besides must agree.
        match self.open_days() {
            Ok(open) => {
                for (day, o) in open {
                    r.days += 1;
                    let recount = counts.remove(&day).unwrap_or_default();
                    if closed.contains(&day) {
                        r.problem(format!("day {day} is both open and closed"));
                    }
                    if o.new_visitors != recount.new_visitors {
                        r.problem(format!("open_day for {day}: new visitors differ"));
                    }
                    if o.last_seq < last_seq.get(&day).copied().unwrap_or(0) {
                        r.problem(format!("open_day for {day}: contact numbering is behind"));
                    }
                }
            }
            Err(e) => r.problem(e.to_string()),
        }
        for (day, c) in counts {
            if !c.is_empty() {
                r.problem(format!("day_record for {day} is missing"));
            }
        }

        for kv in self.t.audit.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            if let Err(e) = codec::decode::<AuditEntry>(&v) {
                r.problem(format!("auditat_entry: {e}"));
            }
        }
        for kv in self.t.messages.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            match codec::decode::<crate::domain::Message>(&v) {
                Ok(m) if visitors.get(&m.visitor).is_none_or(|v| v.erased) => {
                    r.problem("visitormsg_message: a message for no active visitor".into())
                }
                Ok(_) => {}
                Err(e) => r.problem(format!("visitormsg_message: {e}")),
            }
        }
        for kv in self.t.stock.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            if let Err(e) = codec::decode::<crate::domain::StockMove>(&v) {
                r.problem(format!("stockat_move: {e}"));
            }
        }
        for kv in self.t.staff.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            if let Err(e) = codec::decode::<Staff>(&v) {
                r.problem(format!("staffid_staff: {e}"));
            }
        }
        Ok(r)
    }
}
