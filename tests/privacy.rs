//! Privacy rules: notes expire, long-unseen visitors are anonymised, and
//! erasure on request leaves no trace in the store's files.

mod common;

use std::path::Path;

use doorlog::domain::NewVisitor;
use doorlog::store::{PrivacyPolicy, Store};
use time::macros::date;
use time::{Date, Duration, OffsetDateTime};

const TODAY: Date = date!(2026 - 11 - 26);

fn record(
    store: &Store,
    cfg: &doorlog::config::Config,
    day: Date,
    visitor: Option<u64>,
    note: &str,
) {
    let at = day.with_hms(11, 0, 0).unwrap().assume_utc();
    common::record_items(store, cfg, at, visitor, &[("meal-pack", 1)], Some(note));
}

fn visitor(store: &Store, alias: &str, registered: Date) -> u64 {
    let nv = NewVisitor {
        alias: alias.into(),
        ..Default::default()
    };
    store.add_visitor(nv, registered, 0).unwrap().id
}

#[test]
fn notes_are_deleted_after_the_retention_period_and_counts_stay() {
    let d = tempfile::tempdir().unwrap();
    let cfg = common::config(d.path());
    let store = common::open(d.path());
    let rev = visitor(&store, "Rev", TODAY - Duration::days(200));
    record(
        &store,
        &cfg,
        TODAY - Duration::days(91),
        Some(rev),
        "old note",
    );
    record(
        &store,
        &cfg,
        TODAY - Duration::days(90),
        None,
        "exactly ninety days",
    );
    record(
        &store,
        &cfg,
        TODAY - Duration::days(89),
        Some(rev),
        "recent note",
    );
    let before = store.counts_range(Date::MIN, Date::MAX).unwrap();
    let p = PrivacyPolicy::default();
    let r = store.privacy_sweep(TODAY, &p, 0).unwrap();
    assert_eq!(r.notes_deleted, 1);
    let notes: Vec<Option<String>> = store
        .contacts(Date::MIN, Date::MAX)
        .unwrap()
        .into_iter()
        .map(|c| c.note)
        .collect();
    assert_eq!(
        notes,
        [
            None,
            Some("exactly ninety days".into()),
            Some("recent note".into())
        ]
    );
    assert_eq!(
        store.counts_range(Date::MIN, Date::MAX).unwrap(),
        before,
        "counts stay"
    );
    assert!(store.check().unwrap().is_ok());
    // Again the same day: nothing more. The next day: the next note.
    assert_eq!(store.privacy_sweep(TODAY, &p, 0).unwrap().notes_deleted, 0);
    assert_eq!(
        store
            .privacy_sweep(TODAY + Duration::days(1), &p, 0)
            .unwrap()
            .notes_deleted,
        1
    );
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn visitors_unseen_for_two_years_are_anonymised() {
    let d = tempfile::tempdir().unwrap();
    let cfg = common::config(d.path());
    let store = common::open(d.path());
    let long_ago = TODAY - Duration::days(1000);
    let gone = visitor(&store, "Gone Longago", long_ago);
    let still = visitor(&store, "Still Around", long_ago);
    let never = visitor(&store, "Never Came", long_ago);
    let fresh = visitor(&store, "Just Registered", TODAY - Duration::days(10));
    record(&store, &cfg, TODAY - Duration::days(731), Some(gone), "n");
    record(&store, &cfg, TODAY - Duration::days(729), Some(still), "n");
    let before = store.counts_range(Date::MIN, Date::MAX).unwrap();
    let r = store
        .privacy_sweep(TODAY, &PrivacyPolicy::default(), 0)
        .unwrap();
    assert_eq!(r.anonymised.len(), 2);
    let left: Vec<String> = store
        .visitors()
        .unwrap()
        .into_iter()
        .map(|v| v.alias)
        .collect();
    assert_eq!(left, ["Still Around", "Just Registered"]);
    assert!(store.visitor(gone).unwrap().unwrap().erased);
    assert!(store.visitor(never).unwrap().unwrap().erased);
    assert!(!store.visitor(still).unwrap().unwrap().erased);
    assert!(!store.visitor(fresh).unwrap().unwrap().erased);
    assert_eq!(store.counts_range(Date::MIN, Date::MAX).unwrap(), before);
    assert!(
        store
            .audit(i64::MIN, i64::MAX)
            .unwrap()
            .iter()
            .any(|a| a.action == "anonymise")
    );
    assert!(store.check().unwrap().is_ok());
}

/// Every file under `dir`, read as bytes.
fn raw_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(raw_files(&p));
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

fn found(dir: &Path, secret: &str) -> Vec<String> {
    raw_files(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(secret.len()).any(|w| w == secret.as_bytes()))
        .map(|(name, _)| name)
        .collect()
}

#[test]
fn erasure_leaves_no_trace_in_the_raw_files_and_counts_stay() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let cfg = common::config(dir);
    {
        let store = common::open(dir);
        let zorro = store
            .add_visitor(
                NewVisitor {
                    alias: "Zorro Secretalias".into(),
                    code: Some("ZQXW1977".into()),
                    ..Default::default()
                },
                TODAY,
                0,
            )
            .unwrap()
            .id;
        for i in 0..20 {
            record(
                &store,
                &cfg,
                TODAY - Duration::days(i),
                Some(zorro),
                "Confidential remark about Zorro",
            );
        }
        record(&store, &cfg, TODAY, None, "someone else entirely");
        store
            .add_message(zorro, "Parcelmessage for him", None, 0)
            .unwrap();
    }
    let secrets = [
        "Secretalias",
        "ZQXW1977",
        "Confidential remark",
        "Parcelmessage",
    ];
    for s in secrets {
        assert!(
            !found(dir, s).is_empty(),
            "{s} should be on disk before the erasure (else this test proves nothing)"
        );
    }
    let before = common::ok(
        dir,
        &["export", "--from", "2026-11-01", "--to", "2026-11-30"],
    );
    let out = common::ok(dir, &["visitor", "erase", "zorro secretalias"]);
    assert!(out.contains("gone from the store's files"), "{out}");
    for s in secrets {
        assert!(
            found(dir, s).is_empty(),
            "{s} is still in {:?}",
            found(dir, s)
        );
    }
    assert!(
        !found(dir, "someone else entirely").is_empty(),
        "other notes stay"
    );
    assert_eq!(
        common::ok(
            dir,
            &["export", "--from", "2026-11-01", "--to", "2026-11-30"]
        ),
        before
    );
    assert!(common::ok(dir, &["check"]).starts_with("ok:"));
}

#[test]
fn sweep_from_the_command_line_reports_and_keeps_counts() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let cfg = common::config(dir);
    let today = cfg.day_rule.service_day(OffsetDateTime::now_utc());
    {
        let store = common::open(dir);
        record(
            &store,
            &cfg,
            today - Duration::days(100),
            None,
            "Oldnote words",
        );
    }
    let before = common::ok(
        dir,
        &["export", "--from", "2020-01-01", "--to", "2030-01-01"],
    );
    let out = common::ok(dir, &["sweep"]);
    assert!(
        out.starts_with("1 notes deleted, 0 visitors anonymised"),
        "{out}"
    );
    assert!(found(dir, "Oldnote").is_empty());
    assert_eq!(
        common::ok(
            dir,
            &["export", "--from", "2020-01-01", "--to", "2030-01-01"]
        ),
        before
    );
}

#[test]
fn a_rewrite_cut_short_by_a_crash_is_settled_on_the_next_start() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let cfg = common::config(dir);
    {
        let store = common::open(dir);
        record(&store, &cfg, TODAY, None, "kept");
    }
    let before = common::ok(
        dir,
        &["export", "--from", "2026-11-26", "--to", "2026-11-26"],
    );
    // Crash after the live store was set aside, before the new one moved in.
    std::fs::rename(dir.join("store"), dir.join("store.old")).unwrap();
    std::fs::create_dir_all(dir.join("store.compacting")).unwrap();
    std::fs::write(dir.join("store.compacting/db"), b"half").unwrap();
    assert!(common::ok(dir, &["check"]).starts_with("ok: 0 visitors, 1 contacts"));
    assert!(!dir.join("store.old").exists() && !dir.join("store.compacting").exists());
    assert_eq!(
        common::ok(
            dir,
            &["export", "--from", "2026-11-26", "--to", "2026-11-26"]
        ),
        before
    );
    // Crash after the new store moved in, before the old one was removed.
    common::copy_dir(&dir.join("store"), &dir.join("store.old"));
    assert!(common::ok(dir, &["check"]).starts_with("ok:"));
    assert!(!dir.join("store.old").exists());
}

#[test]
fn an_erasure_cut_short_is_finished_by_repeating_it_and_leaves_no_trace() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let cfg = common::config(dir);
    {
        let store = common::open(dir);
        let nv = NewVisitor {
            alias: "Zorro Cutshort".into(),
            ..Default::default()
        };
        let zorro = store.add_visitor(nv, TODAY, 0).unwrap().id;
        record(&store, &cfg, TODAY, Some(zorro), "Cutshortnote");
        // The erasure's records are written; the process stops before the
        // rewrite (a kill, a full disk).
        store.erase_visitor(zorro, None, 0).unwrap();
        assert!(store.rewrite_due().unwrap());
    }
    assert!(!found(dir, "Cutshort").is_empty(), "still in the raw files");
    // Repeating the command finishes it, and says so.
    let out = common::ok(dir, &["visitor", "erase", "Zorro Cutshort"]);
    assert!(out.contains("now finished"), "{out}");
    assert!(
        found(dir, "Cutshort").is_empty(),
        "{:?}",
        found(dir, "Cutshort")
    );
    assert!(common::ok(dir, &["check"]).starts_with("ok:"));
}

/// The daily sweep reads only what is due: with many visitors seen
/// lately, the next day's sweep decodes the two who are due, not everyone.
#[test]
fn the_daily_sweep_reads_only_the_visitors_due() {
    let d = tempfile::tempdir().unwrap();
    let cfg = common::config(d.path());
    let store = common::open(d.path());
    let long_ago = TODAY - Duration::days(1000);
    let regulars: Vec<u64> = (0..300)
        .map(|i| visitor(&store, &format!("Regular {i}"), long_ago))
        .collect();
    for &v in &regulars {
        record(&store, &cfg, TODAY - Duration::days(5), Some(v), "n");
    }
    let due = [
        visitor(&store, "Due One", long_ago),
        visitor(&store, "Due Two", TODAY - Duration::days(731)),
    ];
    record(&store, &cfg, TODAY - Duration::days(731), Some(due[0]), "n");
    let p = PrivacyPolicy::default();
    // Yesterday's sweep: nobody was due yet (two years to the day).
    store
        .privacy_sweep(TODAY - Duration::days(1), &p, 0)
        .unwrap();
    let before = store.records_decoded();
    let r = store.privacy_sweep(TODAY, &p, 0).unwrap();
    let read = store.records_decoded() - before;
    assert_eq!(r.anonymised, due);
    // The two visitors, their day's contacts with notes, little else.
    assert!(read < 20, "the sweep decoded {read} records");
    assert!(store.check().unwrap().is_ok());
}

/// The rewrite of the files is made while contacts are being saved (the
/// door screen's copy runs beside it): every contact saved, undone or
/// noted meanwhile is in the rewritten store, and the counts agree.
#[test]
fn the_rewrite_runs_while_contacts_are_saved_and_loses_nothing() {
    let d = tempfile::tempdir().unwrap();
    let cfg = common::config(d.path());
    let store = common::open(d.path());
    let plan = doorlog::demo::DemoPlan::new(TODAY - Duration::days(1), 60, 100, 3);
    doorlog::demo::fill(&store, &cfg.catalog, &cfg.day_rule, plan, |_| {}).unwrap();
    let before = store.counts_range(Date::MIN, Date::MAX).unwrap();
    let regular = visitor(&store, "Regular", TODAY);
    let copying = std::sync::atomic::AtomicBool::new(true);
    let (rewrite, saved) = std::thread::scope(|s| {
        let copier = s.spawn(|| {
            let mut rw = store.start_rewrite(&cfg.store).unwrap();
            while copying.load(std::sync::atomic::Ordering::SeqCst) {
                rw.carry(std::time::Duration::from_millis(1)).unwrap();
            }
            rw
        });
        let mut saved = 0;
        for i in 0..300 {
            let who = (i % 2 == 0).then_some(regular);
            record(&store, &cfg, TODAY, who, &format!("note {i}"));
            saved += 1;
        }
        // One undone: it must not come back.
        let last = store.contacts(TODAY, TODAY).unwrap().pop().unwrap();
        store.undo(last.id(), 0, None).unwrap();
        copying.store(false, std::sync::atomic::Ordering::SeqCst);
        (copier.join().unwrap(), saved - 1)
    });
    rewrite.finish().unwrap();
    let store = store.take_rewrite(&cfg.store).unwrap();
    let today = store.day_counts(TODAY).unwrap();
    assert_eq!(today.contacts, saved);
    assert_eq!(store.visitor_notes(regular).unwrap().len(), 150);
    let mut after = store.counts_range(Date::MIN, Date::MAX).unwrap();
    after.retain(|(d, _)| *d != TODAY);
    assert_eq!(after, before);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// A visitor's entry in the list by last seen that points at someone
/// already anonymised (left by a sweep that met a save) is removed by the
/// next sweep, which goes on with everyone else instead of stopping.
#[test]
fn a_stale_entry_for_a_visitor_gone_does_not_stop_the_sweep() {
    let d = tempfile::tempdir().unwrap();
    common::config(d.path());
    let long_ago = TODAY - Duration::days(1000);
    let gone = {
        let store = common::open(d.path());
        let gone = visitor(&store, "Gone Before", long_ago);
        let r = store
            .privacy_sweep(TODAY, &PrivacyPolicy::default(), 0)
            .unwrap();
        assert_eq!(r.anonymised, [gone]);
        gone
    };
    {
        // sled's flusher thread may hold the files' lock a moment after
        // the store is dropped (doorlog's own open waits the same way).
        let db = (0..250)
            .find_map(|_| {
                sled::open(d.path().join("store"))
                    .inspect_err(|_| std::thread::sleep(std::time::Duration::from_millis(20)))
                    .ok()
            })
            .expect("the store's lock is let go");
        let t = db.open_tree("lastseen_visitor").unwrap();
        t.insert(doorlog::store::keys::day_id(long_ago, gone), &[])
            .unwrap();
        db.flush().unwrap();
    }
    let store = common::open(d.path());
    let next = visitor(&store, "Due Next", long_ago);
    let r = store
        .privacy_sweep(TODAY + Duration::days(1), &PrivacyPolicy::default(), 0)
        .unwrap();
    assert_eq!(r.anonymised, [next]);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}
