//! `doorlog check`: every record decodes, every index agrees, and the kept
//! counters equal a full recount.

use std::collections::{BTreeMap, HashMap};

use time::Date;

use super::contacts::read_u32;
use super::{Result, Store, TREE_NAMES, codec, keys};
use crate::domain::{Contact, DayCounts, Visitor};

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
}

impl Store {
    /// Reads the whole store. Problems are collected, not returned as errors,
    /// so one report lists all of them; only a failing disk is an error.
    pub fn check(&self) -> Result<CheckReport> {
        let mut r = CheckReport::default();
        let problem = |r: &mut CheckReport, p: String| {
            if r.problems.len() < 100 {
                r.problems.push(p);
            }
        };
        let mut counts: BTreeMap<Date, DayCounts> = BTreeMap::new();
        let mut day_visitor: HashMap<(Date, u64), u32> = HashMap::new();
        let mut visitors: HashMap<u64, Visitor> = HashMap::new();

        for kv in self.t.visitors.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            match codec::decode::<Visitor>(&v) {
                Ok(vis) if keys::id_from(&k) == Some(vis.id) => {
                    counts.entry(vis.registered).or_default().new_visitors += 1;
                    visitors.insert(vis.id, vis);
                }
                Ok(_) => problem(&mut r, format!("{}: key and id differ", TREE_NAMES[1])),
                Err(e) => problem(&mut r, format!("{}: {e}", TREE_NAMES[1])),
            }
        }
        r.visitors = visitors.values().filter(|v| !v.erased).count() as u64;

        let mut by_contact: HashMap<u64, (Date, Option<u64>)> = HashMap::new();
        for kv in self.t.contacts.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            let c = match codec::decode::<Contact>(&v) {
                Ok(c) => c,
                Err(e) => {
                    problem(&mut r, format!("{}: {e}", TREE_NAMES[4]));
                    continue;
                }
            };
            if keys::day_id_from(&k) != Some((c.day, c.id)) {
                problem(&mut r, format!("contact {}: key and record differ", c.id));
            }
            r.contacts += 1;
            let day = counts.entry(c.day).or_default();
            day.apply(&c, 1);
            if let Some(vid) = c.visitor {
                if !visitors.contains_key(&vid) {
                    problem(
                        &mut r,
                        format!("contact {}: its visitor {vid} is missing", c.id),
                    );
                }
                let n = day_visitor.entry((c.day, vid)).or_default();
                if *n == 0 {
                    day.unique_visitors += 1;
                }
                *n += 1;
            }
            by_contact.insert(c.id, (c.day, c.visitor));
        }

        // Indexes.
        let mut indexed = 0usize;
        for kv in self.t.contact_day.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            indexed += 1;
            let (id, day) = (keys::id_from(&k), keys::day_from(&v));
            match id.and_then(|id| by_contact.get(&id).map(|c| (id, c))) {
                Some((_, (d, _))) if Some(*d) == day => {}
                _ => problem(
                    &mut r,
                    format!("contactid_day: entry {id:?} points nowhere"),
                ),
            }
        }
        if indexed != by_contact.len() {
            problem(
                &mut r,
                format!(
                    "contactid_day has {indexed} entries for {} contacts",
                    by_contact.len()
                ),
            );
        }
        let mut indexed = 0usize;
        for kv in self.t.visitor_contacts.iter() {
            let (k, _) = kv.map_err(|e| self.err(e))?;
            indexed += 1;
            let ok = keys::id_id_from(&k)
                .is_some_and(|(vid, cid)| by_contact.get(&cid).is_some_and(|c| c.1 == Some(vid)));
            if !ok {
                problem(&mut r, "visitorcontact_day: an entry points nowhere".into());
            }
        }
        let with_visitor = by_contact.values().filter(|c| c.1.is_some()).count();
        if indexed != with_visitor {
            problem(
                &mut r,
                format!("visitorcontact_day has {indexed} entries for {with_visitor} contacts"),
            );
        }
        for (tree, name) in [
            (&self.t.alias_idx, "aliasfold_visitorid"),
            (&self.t.code_idx, "code_visitorid"),
        ] {
            for kv in tree.iter() {
                let (k, v) = kv.map_err(|e| self.err(e))?;
                let ok = keys::id_from(&v)
                    .and_then(|id| visitors.get(&id))
                    .is_some_and(|vis| {
                        !vis.erased
                            && (if name == "code_visitorid" {
                                vis.code.as_deref().map(str::as_bytes) == Some(&k[..])
                            } else {
                                vis.alias_key().as_bytes() == &k[..]
                            })
                    });
                if !ok {
                    problem(
                        &mut r,
                        format!("{name}: an entry points to the wrong visitor"),
                    );
                }
            }
        }
        let active_codes = visitors
            .values()
            .filter(|v| !v.erased && v.code.is_some())
            .count();
        if self.t.code_idx.len() != active_codes {
            problem(&mut r, "code_visitorid: some codes are missing".into());
        }
        if self.t.alias_idx.len() != visitors.values().filter(|v| !v.erased).count() {
            problem(
                &mut r,
                "aliasfold_visitorid: some aliases are missing".into(),
            );
        }

        // Counters against the recount.
        let mut kept_days = 0u64;
        for kv in self.t.day_counts.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            kept_days += 1;
            let Some(day) = keys::day_from(&k) else {
                problem(&mut r, "day_counts: a bad key".into());
                continue;
            };
            match codec::decode::<DayCounts>(&v) {
                Ok(kept) => {
                    let recount = counts.remove(&day).unwrap_or_default();
                    if kept != recount {
                        problem(
                            &mut r,
                            format!("day_counts for {day} differ from a recount of its contacts"),
                        );
                    }
                }
                Err(e) => problem(&mut r, format!("day_counts for {day}: {e}")),
            }
        }
        for (day, c) in counts {
            if !c.is_empty() {
                problem(&mut r, format!("day_counts for {day} are missing"));
            }
        }
        r.days = kept_days;
        let mut kept_pairs = 0usize;
        for kv in self.t.day_visitor.iter() {
            let (k, v) = kv.map_err(|e| self.err(e))?;
            kept_pairs += 1;
            let expected = keys::day_id_from(&k)
                .and_then(|dv| day_visitor.get(&dv))
                .copied();
            if expected != Some(read_u32(Some(&v))) {
                problem(&mut r, "dayvisitor_contacts differs from a recount".into());
            }
        }
        if kept_pairs != day_visitor.len() {
            problem(&mut r, "dayvisitor_contacts is missing entries".into());
        }
        for kv in self.t.audit.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            if let Err(e) = codec::decode::<crate::domain::AuditEntry>(&v) {
                problem(&mut r, format!("auditat_entry: {e}"));
            }
        }
        for kv in self.t.staff.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            if let Err(e) = codec::decode::<crate::domain::Staff>(&v) {
                problem(&mut r, format!("staffid_staff: {e}"));
            }
        }
        Ok(r)
    }
}
