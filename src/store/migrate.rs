//! Numbered migrations, gated on the schema version kept in `meta`.

use super::{Result, Store, StoreError};

/// The schema this doorlog writes.
pub const SCHEMA_VERSION: u32 = 1;
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
    // Migrations from older schemas go here, one per version, each ending by
    // writing its version number; there are none yet (schema 1 is the first).
    Ok(())
}
