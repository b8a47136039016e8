//! Property: any sequence of register / record / undo / erase leaves the
//! kept counters equal to a full recount, and equal to a simple model.

mod common;

use std::collections::BTreeMap;

use doorlog::domain::{ContactDraft, ItemLine, NewVisitor};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Date, Duration};

#[derive(Debug, Clone)]
enum Op {
    Register,
    Record {
        who: Option<usize>,
        day: i64,
        hour: i64,
        items: Vec<(usize, u16)>,
        topic: Option<usize>,
        note: bool,
    },
    Undo(usize),
    Erase(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::Register),
        5 => (
            proptest::option::of(0usize..6),
            0i64..4,
            0i64..24,
            proptest::collection::vec((0usize..14, 1u16..20), 0..3),
            proptest::option::of(0usize..11),
            any::<bool>(),
        )
            .prop_map(|(who, day, hour, items, topic, note)| Op::Record { who, day, hour, items, topic, note }),
        2 => (0usize..50).prop_map(Op::Undo),
        1 => (0usize..6).prop_map(Op::Erase),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn counters_equal_a_recount(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let cfg = common::config(dir.path());
        let store = common::open(dir.path());
        let base = datetime!(2026-10-24 12:00 UTC); // across the fall-back night
        let mut visitors: Vec<(u64, bool)> = Vec::new(); // (id, erased)
        let mut recorded: Vec<doorlog::domain::ContactId> = Vec::new();
        // Model: contacts and units out per service day.
        let mut model: BTreeMap<Date, (u32, u32)> = BTreeMap::new();
        let mut live: BTreeMap<doorlog::domain::ContactId, (Date, u32)> = BTreeMap::new();

        for (n, op) in ops.into_iter().enumerate() {
            match op {
                Op::Register => {
                    let nv = NewVisitor { alias: format!("visitor {n}"), ..Default::default() };
                    let v = store.add_visitor(nv, base.date(), 0).unwrap();
                    visitors.push((v.id, false));
                }
                Op::Record { who, day, hour, items, topic, note } => {
                    let at = base + Duration::days(day) + Duration::hours(hour);
                    let mut d = ContactDraft::new(at);
                    let who = who.and_then(|i| visitors.get(i).copied());
                    d.visitor = who.map(|(id, _)| id);
                    d.items = items
                        .iter()
                        .map(|(i, q)| ItemLine { item: cfg.catalog.items[*i].id.clone(), out: *q, returned: 0 })
                        .collect();
                    d.topics = topic.map(|t| cfg.catalog.topics[t].id.clone()).into_iter().collect();
                    d.note = note.then(|| format!("note {n}"));
                    let (sday, shour) = cfg.day_rule.day_and_hour(at);
                    let c = d.into_contact(&cfg.catalog, sday, shour).unwrap();
                    let units: u32 = c.items.iter().map(|l| u32::from(l.out)).sum();
                    match store.record(c) {
                        Ok(saved) => {
                            prop_assert!(who.is_none_or(|(_, erased)| !erased));
                            recorded.push(saved.id());
                            let e = model.entry(sday).or_default();
                            e.0 += 1;
                            e.1 += units;
                            live.insert(saved.id(), (sday, units));
                        }
                        Err(e) => {
                            // Only a contact for an erased visitor may be refused.
                            prop_assert!(who.is_some_and(|(_, erased)| erased), "{}", e);
                        }
                    }
                }
                Op::Undo(k) => {
                    if let Some(id) = recorded.get(k).copied() {
                        let r = store.undo(id, 0, None);
                        match live.remove(&id) {
                            Some((day, units)) => {
                                r.unwrap();
                                let e = model.get_mut(&day).unwrap();
                                e.0 -= 1;
                                e.1 -= units;
                            }
                            None => prop_assert!(r.is_err(), "undoing twice must fail"),
                        }
                    }
                }
                Op::Erase(i) => {
                    if let Some((id, erased)) = visitors.get_mut(i) {
                        let r = store.erase_visitor(*id, None, 0);
                        prop_assert_eq!(r.is_ok(), !*erased);
                        *erased = true;
                    }
                }
            }
        }
        let report = store.check().unwrap();
        prop_assert!(report.is_ok(), "{:?}", report.problems);
        for (day, (contacts, units)) in model {
            let c = store.day_counts(day).unwrap();
            prop_assert_eq!(c.contacts, contacts);
            prop_assert_eq!(c.items_out.values().sum::<u32>(), units);
        }
        prop_assert_eq!(report.contacts, live.len() as u64);
        // Erased visitors' notes are gone; everyone else's are kept.
        for id in live.keys() {
            let c = store.contact(*id).unwrap().unwrap();
            if let Some(vid) = c.visitor {
                let erased = visitors.iter().any(|(v, e)| *v == vid && *e);
                prop_assert!(!(erased && c.note.is_some()), "an erased visitor's note survived");
            }
        }
    }
}
