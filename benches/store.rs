//! Store benchmarks over `doorlog demo` data: 1,000,000 contacts, about ten
//! years of a busy centre (3,650 days x ~274 contacts). The data is made
//! once, into `target/bench-data/`, and reused.
//!
//!     cargo bench --bench store
//!
//! After the benchmarks the peak resident memory and the store's size on
//! disk are printed.

mod common;

use common::{LAST_DAY, config, data_dir, open};
use divan::Bencher;
use doorlog::domain::ContactDraft;
use doorlog::report::daily_table;
use time::macros::{date, datetime};

/// Open the store (lock, sled recovery, schema check) and close it.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn open_store() {
    divan::black_box(open());
}

/// One day's counts: a single read.
#[divan::bench(sample_count = 200, sample_size = 100)]
fn day_counts(bencher: Bencher) {
    let store = open();
    let mut day = date!(2020 - 01 - 01);
    bencher.bench_local(|| {
        day = day.next_day().unwrap();
        divan::black_box(store.day_counts(day).unwrap())
    });
}

/// A year of daily counts to CSV (365 rows, every column).
#[divan::bench(sample_count = 20, sample_size = 1)]
fn export_year_csv(bencher: Bencher) {
    let store = open();
    let cfg = config();
    let (from, to) = (date!(2025 - 07 - 01), LAST_DAY);
    bencher.bench_local(|| {
        let days = store.counts_range(from, to).unwrap();
        let table = daily_table(&cfg.catalog, &days, from, to, false);
        let mut out = Vec::with_capacity(64 * 1024);
        table.write_csv(&mut out, &Default::default()).unwrap();
        divan::black_box(out)
    });
}

/// Ten years of daily counts to CSV (3,650 rows, with the total row).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn export_ten_years_csv(bencher: Bencher) {
    let store = open();
    let cfg = config();
    let (from, to) = (LAST_DAY - time::Duration::days(3649), LAST_DAY);
    let opts = doorlog::report::ExportOptions {
        totals: true,
        suppress_below: None,
    };
    bencher.bench_local(|| {
        let days = store.counts_range(from, to).unwrap();
        divan::black_box(doorlog::report::export(
            &cfg.catalog,
            &days,
            from,
            to,
            doorlog::report::Format::Csv,
            &opts,
        ))
    });
}

/// Record one anonymous contact with two items, including the flush to
/// disk. The contacts land on a day outside the exported year.
#[divan::bench(sample_count = 100, sample_size = 1)]
fn record_and_flush(bencher: Bencher) {
    let store = open();
    let cfg = config();
    let at = datetime!(2027-01-15 12:00 UTC);
    let (day, hour) = cfg.day_rule.day_and_hour(at);
    let mut d = ContactDraft::new(at);
    d.items = ["meal-pack", "naloxone"]
        .map(|id| doorlog::domain::ItemLine {
            item: id.into(),
            out: 1,
            returned: 0,
        })
        .to_vec();
    let contact = d.into_contact(&cfg.catalog, day, hour).unwrap();
    bencher.bench_local(|| store.record(contact.clone()).unwrap());
}

fn main() {
    data_dir();
    divan::main();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    let store = open();
    let contacts: u64 = std::fs::read_to_string(data_dir().join("demo-complete"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    let bytes = store.size_on_disk().unwrap();
    println!(
        "peak resident memory: {}",
        peak.trim_start_matches("VmHWM:").trim()
    );
    println!(
        "store on disk: {} MB for {contacts} contacts = {} bytes per contact",
        bytes / 1_000_000,
        bytes / contacts
    );
}
