//! Kiosk benchmarks: PIN verification (it should take 50-500 ms: slow
//! against guessing, quick at the hatch) and the daily privacy sweep over
//! the 1,000,000-contact demo store (run on copies; the shared store stays
//! as made).
//!
//!     cargo bench --bench kiosk

mod common;

use common::copy;
use divan::Bencher;
use doorlog::domain::staff::{hash_pin, verify_pin};
use doorlog::store::PrivacyPolicy;
use time::Duration;

#[divan::bench(sample_count = 10, sample_size = 1)]
fn pin_verify(bencher: Bencher) {
    let hash = hash_pin("4711");
    bencher.bench(|| assert!(verify_pin("4711", &hash)));
}

/// The first sweep on a store that never had one: ten years of contacts
/// looked at, every note older than 90 days deleted, visitors unseen for
/// two years anonymised.
#[divan::bench(sample_count = 2, sample_size = 1)]
fn privacy_sweep_first(bencher: Bencher) {
    bencher
        .with_inputs(copy)
        .bench_local_values(|(dir, store)| {
            let r = store
                .privacy_sweep(common::LAST_DAY, &PrivacyPolicy::default(), 0)
                .unwrap();
            assert!(r.notes_deleted > 10_000, "{r:?}");
            (dir, store)
        });
}

/// The sweep of each following day: one day of notes, all visitors looked at.
#[divan::bench(sample_count = 2, sample_size = 1)]
fn privacy_sweep_daily(bencher: Bencher) {
    bencher
        .with_inputs(|| {
            let (dir, store) = copy();
            store
                .privacy_sweep(common::LAST_DAY, &PrivacyPolicy::default(), 0)
                .unwrap();
            (dir, store)
        })
        .bench_local_values(|(dir, store)| {
            let next = common::LAST_DAY + Duration::days(1);
            store
                .privacy_sweep(next, &PrivacyPolicy::default(), 0)
                .unwrap();
            (dir, store)
        });
}

/// Rewriting the files (after an erasure, and weekly after sweeps).
#[divan::bench(sample_count = 2, sample_size = 1)]
fn compact(bencher: Bencher) {
    let cfg = common::config();
    bencher
        .with_inputs(copy)
        .bench_local_values(|(dir, store)| (dir, store.compact(&cfg.store).unwrap()));
}

/// What a save at the hatch waits for while the files are being rewritten
/// beside the screen (on a copy of the 1M store): a known visitor's
/// contact with three items and a topic, flush included, 1,000 of them,
/// all made while the rewrite's copy is being made (it takes seconds).
#[divan::bench(sample_count = 1000, sample_size = 1)]
fn record_during_rewrite(bencher: Bencher) {
    let cfg = common::config();
    let (_tmp, store) = copy();
    let visitor = store.each_visitor().next().unwrap().unwrap().id;
    let at = time::macros::datetime!(2026-06-30 11:00 UTC);
    let contact = common::realistic_contact(&cfg, at, Some(visitor));
    let copying = std::sync::atomic::AtomicBool::new(true);
    std::thread::scope(|s| {
        let copier = s.spawn(|| {
            let mut rw = store.start_rewrite(&cfg.store).unwrap();
            while copying.load(std::sync::atomic::Ordering::SeqCst) {
                rw.carry(std::time::Duration::from_millis(5)).unwrap();
            }
            rw.abandon();
        });
        bencher.bench_local(|| store.record(contact.clone()).unwrap());
        copying.store(false, std::sync::atomic::Ordering::SeqCst);
        copier.join().unwrap();
    });
}

fn main() {
    common::data_dir();
    divan::main();
    println!("peak resident memory: {}", common::peak_rss());
}
