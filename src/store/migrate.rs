//! Numbered migrations, gated on the schema version kept in `meta`.

use super::{Result, Store, StoreError, codec, keys};
use crate::domain::Visitor;

/// The schema this doorlog writes.
/// 1: the first. 2: messages record who left them. 3: who came each day
/// is kept apart from the day's counts, and active visitors are listed by
/// the day last seen. 4: records linked into another are listed
/// (`linkedvisitor_visitor`, a new tree: nothing to convert). 5: stock
/// deliveries and counts (`stockat_move`, a new tree). 6: contacts keep
/// referral types, people collected for and naloxone kinds (value format
/// 2; values of format 1 are read as they are, nothing to convert: the
/// number only keeps an older doorlog from misreading the new values).
pub const SCHEMA_VERSION: u32 = 6;
const KEY: &[u8] = b"schema";

pub(super) fn run(store: &Store) -> Result<()> {
    let found = match store.t.meta.get(KEY).map_err(|e| store.err(e))? {
        None => {
            // A new store: stamp it with today's schema.
            store
                .t
                .meta
                .insert(KEY, &SCHEMA_VERSION.to_be_bytes())
                .map_err(|e| store.err(e))?;
            store.flush()?;
            return Ok(());
        }
        Some(v) => u32::from_be_bytes(
            v.as_ref()
                .try_into()
                .map_err(|_| store.damaged("the schema version"))?,
        ),
    };
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            dir: store.dir.clone(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    // One migration per version, each ending by writing its version number,
    // so an interrupted one is run again from its start.
    if found < 2 {
        to_2(store)?;
    }
    if found < 3 {
        to_3(store)?;
    }
    if found < 4 {
        stamp(store, 4)?;
    }
    if found < 5 {
        stamp(store, 5)?;
    }
    if found < 6 {
        stamp(store, 6)?;
    }
    Ok(())
}

/// Schema 1's message, without who left it.
#[derive(serde::Deserialize)]
struct MessageV1 {
    id: u64,
    visitor: u64,
    text: String,
    created: i64,
    done: Option<i64>,
}

impl codec::Stored for MessageV1 {}

/// Schema 2: every message gets `by` (unknown for the old ones).
fn to_2(store: &Store) -> Result<()> {
    let t = &store.t.messages;
    for kv in t.iter() {
        let (k, v) = kv.map_err(|e| store.err(e))?;
        // A message already in the new form (an interrupted migration).
        if store
            .decode::<crate::domain::Message>("visitormsg_message", &v)
            .is_ok()
        {
            continue;
        }
        let old: MessageV1 = store.decode("visitormsg_message", &v)?;
        let new = crate::domain::Message {
            id: old.id,
            visitor: old.visitor,
            text: old.text,
            created: old.created,
            done: old.done,
            by: None,
        };
        t.insert(k, codec::encode(&new)).map_err(|e| store.err(e))?;
    }
    stamp(store, 2)
}

/// Schema 3: a day still going on keeps its counts in its contacts
/// (`open_day`; the days already counted stay as they are), and
/// `lastseen_visitor` lists the active visitors by the day they were last
/// seen, so the privacy rule reads only those due. Can run again (an
/// interrupted migration).
fn to_3(store: &Store) -> Result<()> {
    let t = &store.t;
    let mut batch = sled::Batch::default();
    for kv in t.visitors.iter() {
        let (_, v) = kv.map_err(|e| store.err(e))?;
        let visitor: Visitor = store.decode("visitorid_visitor", &v)?;
        if !visitor.erased {
            batch.insert(&keys::day_id(visitor.seen_or_registered(), visitor.id), &[]);
        }
    }
    t.last_seen.apply_batch(batch).map_err(|e| store.err(e))?;
    stamp(store, 3)
}

fn stamp(store: &Store, version: u32) -> Result<()> {
    store
        .t
        .meta
        .insert(KEY, &version.to_be_bytes())
        .map_err(|e| store.err(e))?;
    store.flush()
}
