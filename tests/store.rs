//! The store on real (temporary) sled databases.

mod common;

use doorlog::domain::{
    Channel, Contact, ContactDraft, DayCounts, Flags, ItemLine, Naloxone, NewVisitor,
};
use doorlog::store::codec;
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use common::{config, open};

fn draft(at: OffsetDateTime, visitor: Option<u64>, items: &[(&str, u16)]) -> ContactDraft {
    let mut d = ContactDraft::new(at);
    d.visitor = visitor;
    d.items = items
        .iter()
        .map(|(id, n)| ItemLine {
            item: (*id).into(),
            out: *n,
            returned: 0,
        })
        .collect();
    d
}

fn contact(cfg: &doorlog::config::Config, d: ContactDraft) -> Contact {
    let (day, hour) = cfg.day_rule.day_and_hour(d.at);
    d.into_contact(&cfg.catalog, day, hour).unwrap()
}

fn visitor(alias: &str) -> NewVisitor {
    NewVisitor {
        alias: alias.into(),
        ..Default::default()
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn kept_contact() -> Contact {
    Contact {
        seq: 42,
        at: 1_774_744_200,
        day: date!(2026 - 03 - 29),
        hour: 1,
        channel: Channel::Phone,
        visitor: Some(7),
        gender: None,
        birth_decade: None,
        staff: Some(3),
        items: vec![ItemLine {
            item: "naloxone".into(),
            out: 2,
            returned: 0,
        }],
        topics: vec!["housing".into()],
        note: Some("ok".into()),
        conversation: true,
        flags: Flags {
            overdose_reported: true,
            collecting_for: 0,
            naloxone: None,
        },
        referrals: Vec::new(),
    }
}

/// Today's value format, byte for byte. If this test fails, stored data
/// from earlier versions would no longer read: add a value format (and
/// read the old one) instead of changing the bytes.
#[test]
fn value_format_of_today_still_decodes() {
    let mut c = kept_contact();
    c.flags.collecting_for = 3;
    c.flags.naloxone = Some(Naloxone::RefillLost);
    c.referrals = vec!["housing".into(), "treatment".into()];
    const BYTES: &str = "022afc10e590d3fc921b4b00010101070000010301086e616c6f786f6e6502000107686f7573696e6701026f6b01010301020207686f7573696e670974726561746d656e74";
    assert_eq!(
        hex(&codec::encode(&c)),
        BYTES,
        "the stored format of a contact changed"
    );
    let bytes = unhex(BYTES);
    assert_eq!(codec::decode::<Contact>(&bytes).unwrap(), c);
    // A value from an unknown future format is refused, not misread.
    let mut future = bytes.clone();
    future[0] = 9;
    assert!(codec::decode::<Contact>(&future).is_err());
}

/// Contacts kept before referral types (value format 1) read as they
/// meant: a referral of no type (`unspecified`), collecting for others as
/// one person; their days' counts read the same way, so the counts of an
/// old store equal a recount of its contacts.
#[test]
fn contacts_of_the_first_value_format_still_read() {
    const V1: &str = "012afc10e590d3fc921b4b00010101070000010301086e616c6f786f6e6502000107686f7573696e6701026f6b01010000";
    let c = kept_contact();
    assert_eq!(codec::decode::<Contact>(&unhex(V1)).unwrap(), c);
    // Referral made and collecting for others set.
    let both = V1.replace("01010000", "01010101");
    let old = codec::decode::<Contact>(&unhex(&both)).unwrap();
    assert_eq!(old.referrals, ["unspecified"]);
    assert_eq!(old.flags.collecting_for, 1);
    assert_eq!(old.events(), [true, true, true]);
    let mut counts = DayCounts::default();
    counts.apply(&old, 1);
    assert_eq!(counts.flags, [1, 1, 1]);
    assert_eq!(counts.referrals["unspecified"], 1);
    assert_eq!(counts.collected_for, 1);
}

#[test]
fn counts_follow_records_undo_and_erase() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let day = date!(2026 - 05 - 04);
    let rev = store.add_visitor(visitor("Rev"), day, 0).unwrap();
    let sol = store.add_visitor(visitor("Sol"), day, 0).unwrap();
    let at = datetime!(2026-05-04 10:00 +02:00);

    let a = store
        .record(contact(
            &cfg,
            draft(at, Some(rev.id), &[("meal-pack", 1), ("syringe", 10)]),
        ))
        .unwrap();
    store
        .record(contact(&cfg, draft(at, Some(rev.id), &[("meal-pack", 1)])))
        .unwrap();
    store
        .record(contact(&cfg, draft(at, Some(sol.id), &[("naloxone", 1)])))
        .unwrap();
    let mut talk = draft(at, None, &[("meal-pack", 1)]);
    talk.topics = vec!["loneliness".into()];
    talk.note = Some("wants company".into());
    talk.channel = Channel::Phone;
    store.record(contact(&cfg, talk)).unwrap();

    let c = store.day_counts(day).unwrap();
    assert_eq!(c.contacts, 4);
    assert_eq!(c.unique_visitors(), 2);
    assert_eq!(c.new_visitors, 2);
    assert_eq!(c.anonymous_contacts, 1);
    assert_eq!(c.conversations, 1);
    assert_eq!(c.channels, [3, 1, 0]);
    assert_eq!(c.items_out["meal-pack"], 3);
    assert_eq!(c.items_out["syringe"], 10);
    assert_eq!(c.topics["loneliness"], 1);
    assert_eq!(c.hours[10], 4);

    // Undo one of Rev's two: Rev is still unique that day.
    store.undo(a.id(), 0, None).unwrap();
    let c = store.day_counts(day).unwrap();
    assert_eq!((c.contacts, c.unique_visitors()), (3, 2));
    assert!(!c.items_out.contains_key("syringe"));
    assert!(store.contact(a.id()).unwrap().is_none());

    // Erasing Rev removes the alias but no count.
    let before = store.day_counts(day).unwrap();
    store.erase_visitor(rev.id, None, 0).unwrap();
    assert_eq!(store.day_counts(day).unwrap(), before);
    assert!(store.visitor_by_alias("rev").unwrap().is_none());
    assert!(store.visitors().unwrap().iter().all(|v| v.alias != "Rev"));
    // The alias is free again for someone new.
    store.add_visitor(visitor("REV"), day, 0).unwrap();

    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

#[test]
fn erasure_removes_notes_of_that_visitor_only() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let day = date!(2026 - 05 - 04);
    let at = datetime!(2026-05-04 10:00 +02:00);
    let rev = store.add_visitor(visitor("Rev"), day, 0).unwrap();
    let mut d = draft(at, Some(rev.id), &[]);
    d.note = Some("mail arrived for Rev".into());
    let theirs = store.record(contact(&cfg, d)).unwrap();
    let mut d = draft(at, None, &[]);
    d.note = Some("someone else".into());
    let other = store.record(contact(&cfg, d)).unwrap();

    store.erase_visitor(rev.id, None, 0).unwrap();
    let theirs = store.contact(theirs.id()).unwrap().unwrap();
    assert_eq!(theirs.note, None);
    assert!(theirs.conversation, "the conversation still counts");
    assert_eq!(
        store.contact(other.id()).unwrap().unwrap().note.as_deref(),
        Some("someone else")
    );
    assert_eq!(store.day_counts(day).unwrap().conversations, 2);
}

#[test]
fn unique_visitors_over_a_week_are_not_a_sum_of_days() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let monday = date!(2026 - 05 - 04);
    let rev = store.add_visitor(visitor("Rev"), monday, 0).unwrap();
    for d in 0..5 {
        let at = datetime!(2026-05-04 10:00 +02:00) + time::Duration::days(d);
        store
            .record(contact(&cfg, draft(at, Some(rev.id), &[("meal-pack", 1)])))
            .unwrap();
    }
    let sunday = date!(2026 - 05 - 10);
    let daily_sum: u32 = store
        .counts_range(monday, sunday)
        .unwrap()
        .iter()
        .map(|(_, c)| c.unique_visitors())
        .sum();
    assert_eq!(daily_sum, 5);
    assert_eq!(store.unique_visitors(monday, sunday).unwrap(), 1);
}

#[test]
fn aliases_are_unique_without_case_or_accents_and_codes_are_unique() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let day = date!(2026 - 05 - 04);
    store.add_visitor(visitor("Åse"), day, 0).unwrap();
    let e = store.add_visitor(visitor(" ase"), day, 0).unwrap_err();
    assert!(e.to_string().starts_with("alias:"), "{e}");
    assert!(!e.is_unavailable());
    let coded = NewVisitor {
        alias: "Mako".into(),
        code: Some("MAKO1993".into()),
        ..Default::default()
    };
    store.add_visitor(coded.clone(), day, 0).unwrap();
    let e = store
        .add_visitor(
            NewVisitor {
                alias: "Other".into(),
                ..coded
            },
            day,
            0,
        )
        .unwrap_err();
    assert!(e.to_string().starts_with("code:"), "{e}");
    assert_eq!(
        store.visitor_by_code("MAKO1993").unwrap().unwrap().alias,
        "Mako"
    );
    // Refused registrations left nothing behind.
    assert_eq!(store.visitors().unwrap().len(), 2);
    assert_eq!(store.day_counts(day).unwrap().new_visitors, 2);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn a_contact_for_an_erased_visitor_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let day = date!(2026 - 05 - 04);
    let rev = store.add_visitor(visitor("Rev"), day, 0).unwrap();
    store.erase_visitor(rev.id, None, 0).unwrap();
    let at = datetime!(2026-05-04 10:00 +02:00);
    let e = store
        .record(contact(&cfg, draft(at, Some(rev.id), &[("meal-pack", 1)])))
        .unwrap_err();
    assert!(!e.is_unavailable());
    assert_eq!(store.day_counts(day).unwrap().contacts, 0);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn backup_and_restore_give_back_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let backup = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let day: Date = date!(2026 - 05 - 04);
    let at = datetime!(2026-05-04 10:00 +02:00);
    {
        let store = open(dir.path());
        store
            .record(contact(&cfg, draft(at, None, &[("meal-pack", 2)])))
            .unwrap();
        store
            .backup_to(&backup.path().join("b"), &cfg.store)
            .unwrap();
        // Recorded after the backup: gone after the restore.
        store
            .record(contact(&cfg, draft(at, None, &[("meal-pack", 5)])))
            .unwrap();
    }
    let kept = doorlog::store::restore(dir.path(), &backup.path().join("b"), &cfg.store)
        .unwrap()
        .expect("the replaced store is kept");
    assert!(kept.exists());
    let store = open(dir.path());
    assert_eq!(store.day_counts(day).unwrap().items_out["meal-pack"], 2);
    assert!(store.check().unwrap().is_ok());
    // A backup into a directory that is not empty is refused.
    let e = store.backup_to(dir.path(), &cfg.store).unwrap_err();
    assert!(!e.is_unavailable());
}

#[test]
fn a_schema_1_store_is_migrated_and_its_messages_kept() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    config(dir);
    let (vid, mid) = {
        let store = open(dir);
        let nv = NewVisitor {
            alias: "Rev".into(),
            ..Default::default()
        };
        let v = store.add_visitor(nv, date!(2026 - 11 - 01), 0).unwrap();
        let m = store.add_message(v.id, "Mail arrived", Some(1), 5).unwrap();
        (v.id, m.id)
    };
    // Put the store back to schema 1: the message as it was written then
    // (no `by`), and the version stamp.
    {
        let db = sled::open(dir.join("store")).unwrap();
        let msgs = db.open_tree("visitormsg_message").unwrap();
        let v1 = codec::encode(&(mid, vid, "Mail arrived".to_string(), 5i64, None::<i64>));
        msgs.insert(doorlog::store::keys::id_pair(vid, mid), v1)
            .unwrap();
        let meta = db.open_tree("meta").unwrap();
        meta.insert(b"schema", &1u32.to_be_bytes()).unwrap();
        db.flush().unwrap();
    }
    let store = open(dir);
    let open_msgs = store.open_messages(vid).unwrap();
    assert_eq!(open_msgs.len(), 1);
    assert_eq!(open_msgs[0].text, "Mail arrived");
    assert_eq!(open_msgs[0].by, None);
    assert!(store.check().unwrap().is_ok());
    drop(store);
    // Stamped with today's schema: a second open does not migrate again.
    let db = sled::open(dir.join("store")).unwrap();
    let meta = db.open_tree("meta").unwrap();
    assert_eq!(
        meta.get(b"schema").unwrap().unwrap().as_ref(),
        &doorlog::store::SCHEMA_VERSION.to_be_bytes()
    );
}

/// A store written by the last release (schema 2: who came each day inside
/// the day's record), as it is on disk: it opens, is migrated, passes
/// `check` (every counter equals a recount), and exports the same numbers
/// it exported before.
#[test]
fn a_schema_2_store_from_the_last_release_is_migrated() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("d");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-schema2");
    common::copy_dir(&fixture.join("store"), &dir.join("store"));
    std::fs::copy(
        fixture.join("doorlog-store.json"),
        dir.join("doorlog-store.json"),
    )
    .unwrap();
    common::private_dir(&dir);
    {
        let store = open(&dir);
        let r = store.check().unwrap();
        assert!(r.is_ok(), "{:?}", r.problems);
        assert_eq!((r.visitors, r.contacts, r.days), (48, 600, 20));
        // Who came is read from its new place.
        let days = store
            .counts_range(date!(2026 - 11 - 01), date!(2026 - 11 - 30))
            .unwrap();
        assert!(days.iter().all(|(_, c)| c.unique_visitors() > 0));
    }
    let before = std::fs::read_to_string(fixture.join("export-2026-11.csv")).unwrap();
    same_numbers_as_the_last_release(&dir, &before);
    // Stamped: the second open finds nothing to migrate.
    let store = open(&dir);
    let n = store.records_decoded();
    assert!(n < 10, "{n} records read opening a migrated store");
}

/// A day going on is counted from its contacts; once over it is counted
/// once into its record. Both give the same numbers, and an undo, a
/// correction or a back-dated contact after that keeps the record right.
#[test]
fn a_day_counts_the_same_open_and_closed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let day = date!(2026 - 05 - 04);
    let rev = store.add_visitor(visitor("Rev"), day, 0).unwrap();
    let at = datetime!(2026-05-04 10:00 +02:00);
    let a = store
        .record(contact(&cfg, draft(at, Some(rev.id), &[("syringe", 10)])))
        .unwrap();
    let b = store
        .record(contact(&cfg, draft(at, None, &[("meal-pack", 1)])))
        .unwrap();
    store.undo(b.id(), 0, None).unwrap();
    let open = store.day_counts(day).unwrap();
    assert_eq!(
        (open.contacts, open.unique_visitors(), open.new_visitors),
        (1, 1, 1)
    );

    // The next day's upkeep closes it: the same numbers from its record.
    assert_eq!(store.close_days_before(day.next_day().unwrap()).unwrap(), 1);
    assert_eq!(store.day_counts(day).unwrap(), open);
    assert_eq!(store.counts_range(day, day).unwrap(), vec![(day, open)]);
    assert!(store.check().unwrap().is_ok());

    // Changes to a closed day reach its record; numbers are not reused.
    let mut fixed = draft(at, Some(rev.id), &[("syringe", 5)]);
    fixed.topics = vec!["housing".into()];
    store
        .correct(a.id(), contact(&cfg, fixed), 0, None)
        .unwrap();
    let late = store
        .record(contact(&cfg, draft(at, None, &[("meal-pack", 1)])))
        .unwrap();
    assert_eq!(late.seq, 3);
    store.add_visitor(visitor("Sol"), day, 0).unwrap();
    let c = store.day_counts(day).unwrap();
    assert_eq!((c.contacts, c.new_visitors), (2, 2));
    assert_eq!(c.items_out["syringe"], 5);
    assert_eq!(c.topics["housing"], 1);
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// Closing days beside the saves (the door screen's upkeep runs in its own
/// thread): a day that changes while it is being counted is counted again,
/// and nothing is lost.
#[test]
fn closing_days_beside_saves_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let day = date!(2026 - 05 - 04);
    let at = datetime!(2026-05-04 10:00 +02:00);
    let saving = std::sync::atomic::AtomicBool::new(true);
    let closes = std::thread::scope(|s| {
        let closer = s.spawn(|| {
            let mut closes = 0;
            while saving.load(std::sync::atomic::Ordering::Relaxed) {
                closes += store.close_days_before(day.next_day().unwrap()).unwrap();
            }
            closes
        });
        for i in 0..200 {
            let c = store
                .record(contact(&cfg, draft(at, None, &[("meal-pack", 1)])))
                .unwrap();
            if i % 10 == 0 {
                store.undo(c.id(), 0, None).unwrap();
            }
        }
        saving.store(false, std::sync::atomic::Ordering::Relaxed);
        closer.join().unwrap()
    });
    assert!(closes >= 1);
    store.close_days_before(day.next_day().unwrap()).unwrap();
    let c = store.day_counts(day).unwrap();
    assert_eq!((c.contacts, c.items_out["meal-pack"]), (180, 180));
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// A backup made by the last release (schema 2, its mark's checksum over
/// the trees it had) restores: it is checked against its mark as it is,
/// migrated in a copy (the backup itself is not changed), and gives back
/// the numbers it held. A backup from a newer doorlog is refused.
#[test]
fn a_backup_from_the_last_release_restores() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("d");
    let bak = d.path().join("bak");
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    common::copy_dir(&fixtures.join("backup-schema2"), &bak);
    let files = |p: &std::path::Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        let mut out = Vec::new();
        let mut todo = vec![p.to_path_buf()];
        while let Some(p) = todo.pop() {
            for e in std::fs::read_dir(&p).unwrap() {
                let e = e.unwrap().path();
                if e.is_dir() {
                    todo.push(e);
                } else {
                    out.push((e.clone(), std::fs::read(&e).unwrap()));
                }
            }
        }
        out.sort();
        out
    };
    let before = files(&bak);
    common::private_dir(&dir);
    common::ok(&dir, &["restore", bak.to_str().unwrap()]);
    assert_eq!(files(&bak), before, "the backup itself is not changed");
    assert!(!dir.join("store.migrating").exists());
    let expected =
        std::fs::read_to_string(fixtures.join("store-schema2/export-2026-11.csv")).unwrap();
    same_numbers_as_the_last_release(&dir, &expected);
    assert!(open(&dir).check().unwrap().is_ok());

    // A backup from a doorlog newer than this one is refused, and says so.
    let mark = bak.join("doorlog-backup.json");
    let text = std::fs::read_to_string(&mark).unwrap();
    std::fs::write(&mark, text.replace("\"schema\": 2", "\"schema\": 99")).unwrap();
    let r = common::run(&dir, &["restore", bak.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("newer doorlog"), "{}", r.stderr);
}

/// Two records that turn out to be one person are linked: every contact,
/// note and message moves to the one kept, a past day where both came now
/// counts one visitor (closed days and the day going on alike), the total
/// of contacts is unchanged, and `check` agrees with a recount.
#[test]
fn linking_two_visitors_keeps_every_contact_and_counts_one_person() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let d1 = date!(2026 - 05 - 04);
    let d2 = date!(2026 - 05 - 05);
    let rev = store.add_visitor(visitor("Rev"), d1, 0).unwrap().id;
    let twin = store.add_visitor(visitor("Reeve"), d1, 0).unwrap().id;
    let at1 = datetime!(2026-05-04 10:00 +02:00);
    let at2 = datetime!(2026-05-05 10:00 +02:00);
    for who in [rev, twin, twin] {
        store
            .record(contact(&cfg, draft(at1, Some(who), &[("meal-pack", 1)])))
            .unwrap();
    }
    let mut noted = draft(at2, Some(twin), &[("syringe", 10)]);
    noted.note = Some("asked about housing".into());
    store.record(contact(&cfg, noted)).unwrap();
    store.add_message(twin, "Mail arrived", None, 0).unwrap();
    // The first day is over and counted; the second goes on.
    store.close_days_before(d2).unwrap();
    let before = store.counts_range(d1, d2).unwrap();
    assert_eq!(before[0].1.unique_visitors(), 2);

    let l = store.link_visitors(rev, twin, None, 1).unwrap();
    assert_eq!((l.contacts, l.messages), (3, 1));
    let after = store.counts_range(d1, d2).unwrap();
    assert_eq!(
        after[0].1.unique_visitors(),
        1,
        "a day both came counts one"
    );
    assert_eq!(after[0].1.visitors[&rev], 3);
    assert_eq!(after[1].1.visitors.keys().collect::<Vec<_>>(), [&rev]);
    for ((_, b), (_, a)) in before.iter().zip(&after) {
        assert_eq!((a.contacts, &a.items_out), (b.contacts, &b.items_out));
    }
    assert_eq!(store.visitor_notes(rev).unwrap().len(), 1);
    assert_eq!(store.open_messages(rev).unwrap().len(), 1);
    assert!(store.visitor(twin).unwrap().unwrap().erased);
    assert_eq!(store.linked_into(rev).unwrap(), [twin]);
    let v = store.visitor(rev).unwrap().unwrap();
    assert_eq!((v.first_seen, v.last_seen), (Some(d1), Some(d2)));
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    // Once more is refused: the record is gone.
    assert!(store.link_visitors(rev, twin, None, 2).is_err());
}

/// Stock on hand after a scripted sequence: a delivery, hand-outs at the
/// hatch, a physical count that corrects the figure, another delivery.
#[test]
fn stock_on_hand_follows_deliveries_hand_outs_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let (d1, d2, d3) = (
        date!(2026 - 05 - 04),
        date!(2026 - 05 - 05),
        date!(2026 - 05 - 06),
    );
    // Handed out before stock was kept: not counted against it.
    let before = datetime!(2026-05-03 10:00 +02:00);
    store
        .record(contact(&cfg, draft(before, None, &[("syringe", 40)])))
        .unwrap();
    store
        .receive_stock("syringe", 100, d1, Some("from the city".into()), None, 1)
        .unwrap();
    let hand_out = |at, n| {
        store
            .record(contact(&cfg, draft(at, None, &[("syringe", n)])))
            .unwrap();
    };
    hand_out(datetime!(2026-05-04 10:00 +02:00), 10);
    hand_out(datetime!(2026-05-05 10:00 +02:00), 5);
    // Counted: 80 on the shelf where 85 were expected.
    let count = store.count_stock("syringe", 80, d2, None, None, 2).unwrap();
    assert_eq!(count.counted, Some((80, -5)));
    store
        .receive_stock("syringe", 50, d3, None, None, 3)
        .unwrap();
    hand_out(datetime!(2026-05-06 10:00 +02:00), 3);
    store.set_low_level("syringe", 150, None, 4).unwrap();
    let stock = store.stock(d3).unwrap();
    assert_eq!(stock.len(), 1);
    assert_eq!((stock[0].item.as_str(), stock[0].on_hand), ("syringe", 127));
    assert!(stock[0].is_low());
    assert_eq!(store.stock_moves().unwrap().len(), 3);
    let log: Vec<String> = store
        .audit(i64::MIN, i64::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in ["stock-received", "stock-counted", "stock-level"] {
        assert!(log.iter().any(|x| x == a), "{a}");
    }
    assert!(store.check().unwrap().is_ok());
}

/// Stock kept from the middle of a day on: what the hatch handed out that
/// morning, before the first delivery was recorded, does not come off it.
#[test]
fn stock_starts_at_the_first_delivery_not_the_morning_before() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let store = open(dir.path());
    let day = date!(2026 - 05 - 04);
    let morning = datetime!(2026-05-04 09:00 +02:00);
    let noon = datetime!(2026-05-04 12:00 +02:00);
    let afternoon = datetime!(2026-05-04 14:00 +02:00);
    store
        .record(contact(&cfg, draft(morning, None, &[("syringe", 200)])))
        .unwrap();
    store
        .receive_stock("syringe", 200, day, None, None, noon.unix_timestamp())
        .unwrap();
    assert_eq!(store.stock(day).unwrap()[0].on_hand, 200);
    store
        .record(contact(&cfg, draft(afternoon, None, &[("syringe", 10)])))
        .unwrap();
    assert_eq!(store.stock(day).unwrap()[0].on_hand, 190);
    // A first count of another item that day starts it there too.
    store
        .count_stock(
            "foil",
            150,
            day,
            None,
            None,
            afternoon.unix_timestamp() + 60,
        )
        .unwrap();
    let foil = store
        .stock(day)
        .unwrap()
        .into_iter()
        .find(|l| l.item == "foil");
    assert_eq!(foil.unwrap().on_hand, 150);
}

/// November 2026 exported now has the numbers the last release exported
/// (its file: ids with hyphens in the column names, a `total` row): the
/// days byte for byte once the names are plain SQL and the columns that
/// came since are left out, the total as the `--by range` row.
fn same_numbers_as_the_last_release(dir: &std::path::Path, old: &str) {
    let export = |extra: &[&str]| {
        let mut args = vec!["export", "--from", "2026-11-01", "--to", "2026-11-30"];
        args.extend_from_slice(extra);
        common::ok(dir, &args)
    };
    let mut lines = old.lines();
    let header = lines.next().unwrap().replace('-', "_");
    let (days, total): (Vec<&str>, Vec<&str>) = lines.partition(|l| !l.starts_with("total,"));
    // The old columns of a new export, in the old order; the period
    // columns are the first `periods`.
    let old_columns = |csv: &str, periods: usize| -> String {
        let mut rows = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
        let new_header = rows.next().unwrap();
        let at: Vec<usize> = header
            .split(',')
            .skip(1)
            .map(|name| new_header.iter().position(|h| *h == name).expect(name))
            .collect();
        rows.map(|r| {
            let mut out: Vec<&str> = r[..periods].to_vec();
            out.extend(at.iter().map(|&i| r[i]));
            out.join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
    };
    assert_eq!(old_columns(&export(&[]), 1), days.join("\n"));
    let range = old_columns(&export(&["--by", "range"]), 2);
    let row = total[0].replacen("total", "2026-11-01,2026-11-30", 1);
    assert_eq!(range, row);
}
