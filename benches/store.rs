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
use doorlog::report::{By, table};
use time::macros::{date, datetime};

/// Open the store (lock, sled recovery, schema check) and close it.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn open_store() {
    divan::black_box(open());
}

/// One day's counts, on days that have data: the days of the ten years in
/// turn (each closed day is one read of its record).
#[divan::bench(sample_count = 200, sample_size = 100)]
fn day_counts(bencher: Bencher) {
    let store = open();
    let first = LAST_DAY - time::Duration::days(3649);
    let mut n = 0;
    bencher.bench_local(|| {
        n = (n + 1) % 3649;
        let c = store.day_counts(first + time::Duration::days(n)).unwrap();
        assert!(c.contacts > 0);
        divan::black_box(c)
    });
}

/// The counts of today while it is going on: a fold over its contacts (the
/// door screen reads them once at start; a busy day's 274).
#[divan::bench(sample_count = 100, sample_size = 1)]
fn day_counts_open_day(bencher: Bencher) {
    let store = open();
    bencher.bench_local(|| {
        let c = store.day_counts(LAST_DAY).unwrap();
        assert!(c.contacts > 200);
        divan::black_box(c)
    });
}

/// A year of daily counts to CSV (365 rows, every column).
#[divan::bench(sample_count = 20, sample_size = 1)]
fn export_year_csv(bencher: Bencher) {
    let store = open();
    let cfg = config();
    let (from, to) = (date!(2025 - 07 - 01), LAST_DAY);
    bencher.bench_local(|| {
        let counts = store.report_counts(from, to).unwrap();
        let table = table(&counts, &cfg.catalog, from, to, By::Day);
        let mut out = Vec::with_capacity(64 * 1024);
        table.write_csv(&mut out, false).unwrap();
        divan::black_box(out)
    });
}

/// Ten years of daily counts to CSV (3,650 rows), small numbers suppressed
/// (with the cells they could be worked out from).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn export_ten_years_csv(bencher: Bencher) {
    let store = open();
    let cfg = config();
    let (from, to) = (LAST_DAY - time::Duration::days(3649), LAST_DAY);
    let opts = doorlog::report::ExportOptions {
        suppress_below: Some(5),
        ..Default::default()
    };
    bencher.bench_local(|| {
        let counts = store.report_counts(from, to).unwrap();
        divan::black_box(doorlog::report::export(
            &counts,
            &cfg.catalog,
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

/// What a person at the hatch waits for when saving: a known visitor's
/// contact (three items, a topic) on a day that already holds a busy day's
/// 274 contacts and grows, the flush and `fdatasync` included. 1,000
/// samples: the median and the slowest are the figures. Each run uses a
/// fresh day far after the demo data, so it does not change what the other
/// benchmarks read.
#[divan::bench(sample_count = 1000, sample_size = 1)]
fn record_realistic_growing_day(bencher: Bencher) {
    let store = open();
    let cfg = config();
    let visitor = store.visitors().unwrap()[0].id;
    let offset = (time::OffsetDateTime::now_utc().unix_timestamp() / 60) % 100_000;
    let day = date!(2100 - 01 - 01) + time::Duration::days(offset);
    let at = day.with_hms(11, 0, 0).unwrap().assume_utc();
    let make = |visitor| common::realistic_contact(&cfg, at, visitor);
    // A busy day so far.
    store
        .record_all((0..274).map(|_| make(None)).collect())
        .unwrap();
    let contact = make(Some(visitor));
    bencher.bench_local(|| store.record(contact.clone()).unwrap());
}

/// The floor under any save on this disk: 100 bytes written into a file
/// that does not grow (as sled writes into its preallocated log) and
/// `fdatasync`ed, in the benchmark data's directory. `record` is compared
/// to it in the README.
#[divan::bench(sample_count = 1000, sample_size = 1)]
fn fsync_floor(bencher: Bencher) {
    use std::io::{Seek, Write};
    let path = data_dir().join("fsync-floor");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(&[0u8; 4096]).unwrap();
    f.sync_all().unwrap();
    bencher.bench_local(|| {
        f.seek(std::io::SeekFrom::Start(0)).unwrap();
        f.write_all(&[7u8; 100]).unwrap();
        f.sync_data().unwrap();
    });
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
