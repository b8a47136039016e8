//! The benchmark data: a store with 1,000,000 demo contacts and about
//! 100,000 visitors, ten years of a busy centre (3,650 days x ~274
//! contacts, 28 new visitors a day), made once into
//! `target/bench-data/` and reused by every benchmark.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use doorlog::config::Config;
use doorlog::demo::{self, DemoPlan};
use doorlog::store::Store;
use time::macros::date;

pub const OSLO: &str = "CET-1CEST,M3.5.0,M10.5.0/3";
pub const LAST_DAY: time::Date = date!(2026 - 06 - 30);

/// The data directory with the 1M-contact store, made on first use.
pub fn data_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/store-1m-v4");
        let done = dir.join("demo-complete");
        if !done.exists() {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(
                dir.join("config.json"),
                format!(r#"{{"timezone": "{OSLO}"}}"#),
            )
            .unwrap();
            let cfg = Config::load(&dir).unwrap();
            let store = Store::open(&dir, &cfg.store).unwrap();
            eprintln!("making the benchmark store (1,000,000 contacts, 100,000 visitors, once)...");
            let plan = DemoPlan {
                new_per_day: Some(28),
                ..DemoPlan::new(LAST_DAY, 3650, 274, 1)
            };
            let s = demo::fill(&store, &cfg.catalog, &cfg.day_rule, plan, |_| {}).unwrap();
            assert!(s.contacts > 990_000, "{s:?}");
            std::fs::write(&done, s.contacts.to_string()).unwrap();
        }
        dir
    })
}

pub fn config() -> Config {
    Config::load(data_dir()).unwrap()
}

pub fn open() -> Store {
    let cfg = config();
    Store::open(data_dir(), &cfg.store).unwrap()
}

/// A fresh copy of the benchmark store, in its own directory (a backup:
/// the compact copy a centre would restore).
pub fn copy() -> (tempfile::TempDir, Store) {
    let cfg = config();
    let tmp = tempfile::Builder::new()
        .prefix("doorlog-bench-")
        .tempdir_in(data_dir().parent().unwrap())
        .unwrap();
    let store = open();
    store.backup_to(&tmp.path().join("d"), &cfg.store).unwrap();
    drop(store);
    let copy = Store::open(&tmp.path().join("d"), &cfg.store).unwrap();
    (tmp, copy)
}

/// A realistic contact at the hatch: a meal pack, 10 syringes, 10 needles
/// and a topic, for `visitor` (or anonymous), at `at`.
pub fn realistic_contact(
    cfg: &Config,
    at: time::OffsetDateTime,
    visitor: Option<u64>,
) -> doorlog::domain::Contact {
    let mut d = doorlog::domain::ContactDraft::new(at);
    d.visitor = visitor;
    d.items = [("meal-pack", 1), ("syringe", 10), ("needle", 10)]
        .map(|(id, n)| doorlog::domain::ItemLine {
            item: id.into(),
            out: n,
            returned: 0,
        })
        .to_vec();
    d.topics = vec!["housing".into()];
    let (day, hour) = cfg.day_rule.day_and_hour(at);
    d.into_contact(&cfg.catalog, day, hour).unwrap()
}

/// Peak resident memory of this process so far, as /proc reports it.
pub fn peak_rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    peak.trim_start_matches("VmHWM:").trim().to_string()
}
