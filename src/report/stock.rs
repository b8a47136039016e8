//! Stock movements as CSV: `date,item,received,counted,difference`, one
//! row per delivery or count, oldest first. Item ids, not names, so a
//! spreadsheet can add them up across centres; no note (it may name
//! someone), no staff.

use crate::domain::StockMove;

pub fn stock_csv(moves: &[StockMove]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["date", "item", "received", "counted", "difference"])
        .expect("writing to memory does not fail");
    for m in moves {
        let (counted, diff) = match m.counted {
            Some((c, d)) => (c.to_string(), d.to_string()),
            None => (String::new(), String::new()),
        };
        w.write_record([
            super::iso(m.day),
            m.item.clone(),
            m.received.to_string(),
            counted,
            diff,
        ])
        .expect("writing to memory does not fail");
    }
    w.into_inner().expect("writing to memory does not fail")
}
