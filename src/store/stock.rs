//! Stock: deliveries and counts (`stockat_move`), low levels (in `meta`),
//! and what is on hand, from them and the items handed out.

use std::collections::BTreeMap;

use time::Date;

use super::{Result, Store, StoreError, codec, keys};
use crate::domain::{AuditEntry, StockLine, StockMove};

/// `level:` ++ item id: an item's low-stock level (u32).
fn level_key(item: &str) -> Vec<u8> {
    [&b"level:"[..], item.as_bytes()].concat()
}

impl Store {
    /// Records a delivery of `qty` units (coordinators), audited.
    pub fn receive_stock(
        &self,
        item: &str,
        qty: u32,
        day: Date,
        note: Option<String>,
        by: Option<u64>,
        at: i64,
    ) -> Result<StockMove> {
        if qty == 0 {
            return Err(StoreError::invalid("quantity", "stock_quantity"));
        }
        let m = StockMove {
            received: qty,
            ..StockMove::new(item, day, at, note, by)
        };
        self.put_move(m, "stock-received")
    }

    /// Records a physical count of `counted` units (coordinators): the
    /// figure is corrected, and the difference audited.
    pub fn count_stock(
        &self,
        item: &str,
        counted: u32,
        day: Date,
        note: Option<String>,
        by: Option<u64>,
        at: i64,
    ) -> Result<StockMove> {
        // An item counted for the first time starts its stock here.
        let expected = self
            .stock(day)?
            .into_iter()
            .find(|l| l.item == item)
            .map_or(0, |l| l.on_hand);
        let m = StockMove {
            counted: Some((counted, i64::from(counted) - expected)),
            ..StockMove::new(item, day, at, note, by)
        };
        self.put_move(m, "stock-counted")
    }

    /// Writes a move with its audit entry, for a coordinator.
    fn put_move(&self, m: StockMove, action: &str) -> Result<StockMove> {
        self.require_coordinator(m.by, "stock")?;
        let key = keys::time_seq(m.at, self.new_id()?);
        let (audit_key, audit_value) =
            self.audit_record(&AuditEntry::about(m.at, m.by, action, None))?;
        let t = &self.t;
        use sled::Transactional;
        (&t.stock, &t.audit)
            .transaction(|(stock, audit)| {
                stock.insert(&key, codec::encode(&m))?;
                audit.insert(&audit_key, &audit_value[..])?;
                Ok(())
            })
            .map_err(|e| super::visitors::tx_error(self, e))?;
        self.flush()?;
        Ok(m)
    }

    /// Sets an item's low-stock level (0: none), for coordinators.
    pub fn set_low_level(&self, item: &str, level: u32, by: Option<u64>, at: i64) -> Result<()> {
        self.require_coordinator(by, "stock")?;
        self.t
            .meta
            .insert(level_key(item), &level.to_be_bytes())
            .map_err(|e| self.err(e))?;
        self.log("stock-level", by, None, at)
    }

    /// Every delivery and count, oldest first.
    pub fn stock_moves(&self) -> Result<Vec<StockMove>> {
        let mut out = Vec::new();
        for kv in self.t.stock.iter() {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            out.push(self.decode("stockat_move", &v)?);
        }
        Ok(out)
    }

    /// What is on hand of each item that has stock moves, as of service
    /// day `today` (the day's hand-outs so far included).
    pub fn stock(&self, today: Date) -> Result<Vec<StockLine>> {
        let mut lines: BTreeMap<String, StockLine> = BTreeMap::new();
        for m in self.stock_moves()? {
            // Moves come oldest first: the first one starts the item.
            let l = lines.entry(m.item.clone()).or_insert_with(|| StockLine {
                item: m.item.clone(),
                on_hand: 0,
                low_level: 0,
                since: m.day,
                since_at: m.at,
            });
            l.on_hand += m.change();
        }
        let Some(first) = lines.values().map(|l| l.since).min() else {
            return Ok(Vec::new());
        };
        // Handed out after each item's stock started: whole days after its
        // first day, and on that day the contacts after the first move.
        let first_days: std::collections::BTreeSet<Date> =
            lines.values().map(|l| l.since).collect();
        for (day, counts) in self.counts_range(first, today)? {
            if first_days.contains(&day) {
                for c in self.contacts(day, day)? {
                    for line in &c.items {
                        if let Some(l) = lines.get_mut(&line.item)
                            && (day > l.since || (day == l.since && c.at >= l.since_at))
                        {
                            l.on_hand -= i64::from(line.out);
                        }
                    }
                }
                continue;
            }
            for (item, out) in &counts.items_out {
                if let Some(l) = lines.get_mut(item)
                    && day >= l.since
                {
                    l.on_hand -= i64::from(*out);
                }
            }
        }
        for l in lines.values_mut() {
            if let Some(v) = self
                .t
                .meta
                .get(level_key(&l.item))
                .map_err(|e| self.err(e))?
            {
                l.low_level = v
                    .as_ref()
                    .try_into()
                    .map(u32::from_be_bytes)
                    .map_err(|_| self.damaged("a stock level"))?;
            }
        }
        Ok(lines.into_values().collect())
    }
}
