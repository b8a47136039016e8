//! How the store grows at the hatch: a year of contacts (365 days x ~274)
//! saved one at a time, each flushed, as the door screen saves them, into
//! a fresh store that is never closed in between. Prints the bytes on disk
//! per contact (sled's files, what `du` would count), then the same after
//! closing and opening again.
//!
//!     cargo bench --bench growth
//!
//! `DOORLOG_GROWTH_DAYS` makes it shorter (for trying a change).

use doorlog::config::Config;
use doorlog::demo::{self, DemoPlan};
use doorlog::store::Store;
use time::macros::date;

fn main() {
    let days: u32 = std::env::var("DOORLOG_GROWTH_DAYS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(365);
    let base = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&base).unwrap();
    let tmp = tempfile::Builder::new()
        .prefix("growth-")
        .tempdir_in(&base)
        .unwrap();
    let dir = tmp.path();
    let cfg = Config::load(dir).unwrap();
    let store = Store::open(dir, &cfg.store).unwrap();
    let start = std::time::Instant::now();
    let plan = DemoPlan {
        one_by_one: true,
        ..DemoPlan::new(date!(2026 - 06 - 30), days, 274, 1)
    };
    let s = demo::fill(&store, &cfg.catalog, &cfg.day_rule, plan, |_| {}).unwrap();
    let took = start.elapsed();
    let live = store.size_on_disk().unwrap();
    drop(store);
    let store = Store::open(dir, &cfg.store).unwrap();
    let reopened = store.size_on_disk().unwrap();
    println!(
        "store growth: {} contacts and {} visitors saved one at a time over {days} days in {:.1} s",
        s.contacts,
        s.visitors,
        took.as_secs_f64()
    );
    println!(
        "  {} bytes per contact on disk while open ({:.1} MB); {} after closing and opening again",
        live / s.contacts.max(1),
        live as f64 / 1e6,
        reopened / s.contacts.max(1)
    );
}
