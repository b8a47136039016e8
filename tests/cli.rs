//! The real binary: exit codes, messages, and that bad input changes nothing.

mod common;

use common::{ok, run};

fn export_csv(dir: &std::path::Path, from: &str, to: &str) -> String {
    ok(
        dir,
        &["export", "--from", from, "--to", to, "--format", "csv"],
    )
}

#[test]
fn record_and_export_count_right() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    ok(
        dir,
        &[
            "visitor",
            "add",
            "Åse",
            "--code",
            "mako1993",
            "--birth-year",
            "1993",
        ],
    );
    ok(dir, &["visitor", "add", "Rev"]);
    // Two contacts for Åse (by alias and by code), one for Rev, two anonymous.
    ok(
        dir,
        &[
            "record",
            "--visitor",
            "ASE",
            "--item",
            "meal-pack",
            "--item",
            "naloxone=2",
            "--at",
            "2026-03-28T10:00:00+01:00",
        ],
    );
    ok(
        dir,
        &[
            "record",
            "--code",
            "MAKO1993",
            "--item",
            "meal-pack",
            "--topic",
            "housing",
            "--at",
            "2026-03-28T15:00:00+01:00",
        ],
    );
    ok(
        dir,
        &[
            "record",
            "--visitor",
            "rev",
            "--item",
            "syringe=10",
            "--returned",
            "sharps-container",
            "--at",
            "2026-03-28T23:59:00+01:00",
        ],
    );
    // Spring-forward night: 01:30 CET is the 29th; 03:30 CEST too.
    ok(
        dir,
        &[
            "record",
            "--anonymous",
            "--item",
            "meal-pack",
            "--channel",
            "phone",
            "--at",
            "2026-03-29T01:30:00+01:00",
        ],
    );
    ok(
        dir,
        &[
            "record",
            "--anonymous",
            "--note",
            "asked for a blanket",
            "--overdose",
            "--at",
            "2026-03-29T03:30:00+02:00",
        ],
    );

    let csv = export_csv(dir, "2026-03-27", "2026-03-29");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        &header[..6],
        [
            "date",
            "contacts",
            "unique_visitors",
            "new_visitors",
            "anonymous_contacts",
            "conversations"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 3, "one row per day, empty days too");
    let col = |row: &Vec<String>, name: &str| -> u64 {
        let i = header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        row[i].parse().unwrap()
    };
    let (d27, d28, d29) = (&rows[0], &rows[1], &rows[2]);
    assert_eq!(d27[0], "2026-03-27");
    assert_eq!(col(d27, "contacts"), 0);
    assert_eq!(d28[0], "2026-03-28");
    assert_eq!(col(d28, "contacts"), 3);
    assert_eq!(col(d28, "unique_visitors"), 2);
    assert_eq!(col(d28, "anonymous_contacts"), 0);
    assert_eq!(col(d28, "conversations"), 1);
    assert_eq!(col(d28, "item_meal_pack"), 2);
    assert_eq!(col(d28, "item_naloxone"), 2);
    assert_eq!(col(d28, "doses_naloxone"), 4);
    assert_eq!(col(d28, "item_syringe"), 10);
    assert_eq!(col(d28, "returned_sharps_container"), 1);
    assert_eq!(col(d28, "topic_housing"), 1);
    assert_eq!(d29[0], "2026-03-29");
    assert_eq!(col(d29, "contacts"), 2);
    assert_eq!(col(d29, "anonymous_contacts"), 2);
    assert_eq!(col(d29, "channel_phone"), 1);
    assert_eq!(col(d29, "channel_door"), 1);
    assert_eq!(col(d29, "conversations"), 1);
    assert_eq!(col(d29, "overdose_reported"), 1);

    // Counts only: no alias, code or note anywhere in either format.
    let json = ok(
        dir,
        &[
            "export",
            "--from",
            "2026-03-27",
            "--to",
            "2026-03-29",
            "--format",
            "json",
        ],
    );
    for secret in ["Åse", "Rev", "MAKO", "blanket"] {
        assert!(
            !csv.contains(secret) && !json.contains(secret),
            "{secret} leaked into an export"
        );
    }
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed[1]["contacts"], 3);
    assert_eq!(parsed[2]["date"], "2026-03-29");

    // --out writes the same CSV to a file.
    let file = dir.join("out.csv");
    let printed = ok(
        dir,
        &[
            "export",
            "--from",
            "2026-03-27",
            "--to",
            "2026-03-29",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(printed, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);

    assert!(ok(dir, &["check"]).starts_with("ok:"));
}

#[test]
fn bad_input_is_refused_clearly_and_changes_nothing() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    ok(dir, &["visitor", "add", "Rev"]);
    ok(
        dir,
        &[
            "record",
            "--anonymous",
            "--item",
            "meal-pack",
            "--at",
            "2026-05-04T10:00:00+02:00",
        ],
    );
    let before = export_csv(dir, "2026-05-04", "2026-05-04");
    let visitors_before = ok(dir, &["visitor", "list"]);

    let long_alias = "x".repeat(65);
    let long_note = "n".repeat(1001);
    let paste = "p".repeat(10 * 1024);
    let at = "--at=2026-05-04T11:00:00+02:00";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["record", "--anonymous", "--item", "caviar", at],
            "item:",
        ),
        (
            vec!["record", "--anonymous", "--item", "meal-pack=0", at],
            "quantity:",
        ),
        (
            vec!["record", "--anonymous", "--item", "meal-pack=-3", at],
            "quantity:",
        ),
        (
            vec!["record", "--anonymous", "--item", "meal-pack=1001", at],
            "quantity:",
        ),
        (
            vec!["record", "--anonymous", "--topic", "weather", at],
            "topic:",
        ),
        (
            vec!["record", "--anonymous", "--note", &long_note, at],
            "note:",
        ),
        (vec!["record", "--anonymous", "--note", &paste, at], "note:"),
        (
            vec!["record", "--anonymous", "--note", "bell\u{7}\u{1b}[2J", at],
            "note:",
        ),
        (
            vec!["record", "--anonymous", "--channel", "carrier-pigeon", at],
            "channel:",
        ),
        (vec!["record", "--anonymous", "--at", "yesterday"], "at:"),
        (
            vec!["record", "--anonymous", "--at", "2099-01-01T10:00:00Z"],
            "at:",
        ),
        (
            vec!["record", "--anonymous", "--at", "2026-13-01T10:00:00Z"],
            "at:",
        ),
        (vec!["record", "--visitor", "nobody", at], "visitor:"),
        (vec!["record", "--code", "ZZZZ1999", at], "code:"),
        (vec!["visitor", "add", ""], "alias:"),
        (vec!["visitor", "add", &long_alias], "alias:"),
        (vec!["visitor", "add", &paste], "alias:"),
        (vec!["visitor", "add", "tab\there"], "alias:"),
        (vec!["visitor", "add", "REV"], "alias:"),
        (vec!["visitor", "add", "New", "--code", "12"], "code:"),
        (
            vec!["visitor", "add", "New", "--birth-year", "19x5"],
            "birth year:",
        ),
        (
            vec!["visitor", "add", "New", "--birth-year", "2999"],
            "birth year:",
        ),
        (vec!["visitor", "add", "New", "--gender", "?"], "gender:"),
        (
            vec!["export", "--from", "2026-5-4x", "--to", "2026-05-04"],
            "from:",
        ),
        (
            vec!["export", "--from", "2026-05-05", "--to", "2026-05-04"],
            "from:",
        ),
        (
            vec!["export", "--from", "2026-05-04", "--to", "31/05/2026"],
            "to:",
        ),
    ];
    for (args, field) in cases {
        let r = run(dir, &args);
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(30).collect()).collect();
        assert_eq!(
            r.code, 1,
            "{shown:?} should be refused as bad input: {}",
            r.stderr
        );
        assert!(
            r.stderr.starts_with(&format!("doorlog: {field}")),
            "{shown:?}: message should name {field}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{shown:?} printed {}", r.stdout);
        assert!(
            r.stderr.len() < 400,
            "{shown:?}: message too long (echoes input?)"
        );
        assert!(!r.stderr.contains("panicked"));
    }
    // Nothing changed.
    assert_eq!(export_csv(dir, "2026-05-04", "2026-05-04"), before);
    assert_eq!(ok(dir, &["visitor", "list"]), visitors_before);
    assert!(ok(dir, &["check"]).starts_with("ok:"));

    // Emoji and right-to-left text are fine as aliases and notes.
    ok(dir, &["visitor", "add", "🦊 Rev-2"]);
    ok(dir, &["visitor", "add", "مرحبا"]);
    ok(
        dir,
        &["record", "--visitor", "مرحبا", "--note", "שלום 👋", at],
    );
    // A usage mistake is bad input too (exit 1), not a crash.
    assert_eq!(run(dir, &["record"]).code, 1);
    assert_eq!(run(dir, &["no-such-command"]).code, 1);
}

#[test]
fn record_prints_the_id_and_undo_takes_it_back() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let id = ok(
        dir,
        &[
            "record",
            "--anonymous",
            "--item",
            "meal-pack",
            "--at",
            "2026-05-04T10:00:00+02:00",
        ],
    );
    let id = id.trim();
    assert!(id == "20260504-1", "record prints only the id: {id:?}");
    assert!(export_csv(dir, "2026-05-04", "2026-05-04").contains("2026-05-04,1,"));
    ok(dir, &["undo", id]);
    assert!(export_csv(dir, "2026-05-04", "2026-05-04").contains("2026-05-04,0,"));
    let again = run(dir, &["undo", id]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("contact:"));
}

#[test]
fn erase_keeps_counts_and_forgets_the_alias() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    ok(dir, &["visitor", "add", "Rev", "--code", "REVV1980"]);
    ok(
        dir,
        &[
            "record",
            "--visitor",
            "Rev",
            "--item",
            "meal-pack",
            "--at",
            "2026-05-04T10:00:00+02:00",
        ],
    );
    let before = export_csv(dir, "2026-05-04", "2026-05-04");
    ok(dir, &["visitor", "erase", "rev"]);
    assert_eq!(export_csv(dir, "2026-05-04", "2026-05-04"), before);
    let list = ok(dir, &["visitor", "list"]);
    assert!(!list.contains("Rev") && !list.contains("REVV1980"));
    assert_eq!(run(dir, &["record", "--code", "REVV1980"]).code, 1);
    assert!(ok(dir, &["check"]).starts_with("ok:"));
}

#[test]
fn a_second_doorlog_on_the_same_store_gets_a_clear_message() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let held = common::open(dir);
    for args in [
        vec!["record", "--anonymous", "--item", "meal-pack"],
        vec!["check"],
        vec!["export", "--from", "2026-05-04", "--to", "2026-05-04"],
    ] {
        let r = run(dir, &args);
        assert_eq!(r.code, 75, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("another doorlog has the store in"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr.contains(&dir.display().to_string()),
            "names the directory: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
    }
    drop(held);
    ok(dir, &["record", "--anonymous", "--item", "meal-pack"]);
}

#[test]
fn a_damaged_store_gets_a_clear_message_pointing_to_restore() {
    let d = tempfile::tempdir().unwrap();
    let base = d.path().join("base");
    ok(&base, &["visitor", "add", "Rev"]);
    ok(
        &base,
        &[
            "record",
            "--visitor",
            "Rev",
            "--note",
            "private words",
            "--at",
            "2026-05-04T10:00:00+02:00",
        ],
    );
    let db_len = std::fs::metadata(base.join("store/db")).unwrap().len() as usize;

    type Damage = fn(&std::path::Path, usize);
    let damages: [(&str, Damage); 3] = [
        ("random bytes", |s, n| {
            let mut rng = doorlog::demo::Rng::new(7);
            let junk: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            std::fs::write(s.join("db"), junk).unwrap();
        }),
        ("empty file", |s, _| {
            std::fs::write(s.join("db"), b"").unwrap()
        }),
        ("broken conf", |s, _| {
            std::fs::write(s.join("conf"), [0xffu8; 64]).unwrap()
        }),
    ];
    for (what, damage) in damages {
        let dir = d.path().join(what.replace(' ', "-"));
        common::copy_dir(&base, &dir);
        damage(&dir.join("store"), db_len);
        for args in [
            vec!["check"],
            vec!["record", "--anonymous"],
            vec!["visitor", "list"],
        ] {
            let r = run(&dir, &args);
            assert_eq!(r.code, 2, "{what} {args:?}: {} {}", r.stdout, r.stderr);
            assert!(r.stderr.contains("is damaged"), "{what}: {}", r.stderr);
            assert!(r.stderr.contains("doorlog restore"), "{what}: {}", r.stderr);
            assert!(r.stderr.contains(&dir.display().to_string()));
            assert!(!r.stderr.contains("panicked") && !r.stderr.contains("private"));
        }
    }
}

#[test]
fn a_damaged_record_is_found_by_check() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    ok(
        dir,
        &[
            "record",
            "--anonymous",
            "--item",
            "meal-pack",
            "--at",
            "2026-05-04T10:00:00+02:00",
        ],
    );
    {
        // Spoil one value behind doorlog's back.
        let db = sled::open(dir.join("store")).unwrap();
        let t = db.open_tree("dayseq_contact").unwrap();
        let (k, _) = t.first().unwrap().unwrap();
        t.insert(k, &[1u8, 0xff, 0xff, 0xff][..]).unwrap();
        db.flush().unwrap();
    }
    let r = run(dir, &["check"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("dayseq_contact"), "{}", r.stderr);
    assert!(r.stderr.contains("doorlog restore"), "{}", r.stderr);
    // Reading the spoiled day is refused with the same advice, not a panic.
    let r = run(
        dir,
        &["export", "--from", "2026-05-04", "--to", "2026-05-04"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is damaged"));
}

#[test]
fn backup_then_restore_from_the_command_line() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    let bak = d.path().join("bak");
    ok(
        &dir,
        &[
            "record",
            "--anonymous",
            "--item",
            "meal-pack=3",
            "--at",
            "2026-05-04T10:00:00+02:00",
        ],
    );
    ok(&dir, &["backup", bak.to_str().unwrap()]);
    // The store breaks; restore brings back what the backup held.
    std::fs::write(dir.join("store/db"), b"").unwrap();
    assert_eq!(run(&dir, &["check"]).code, 2);
    let out = ok(&dir, &["restore", bak.to_str().unwrap()]);
    assert!(out.contains("kept in"), "{out}");
    assert!(ok(&dir, &["check"]).starts_with("ok:"));
    assert!(export_csv(&dir, "2026-05-04", "2026-05-04").contains("2026-05-04,1,"));
    // Restoring from a directory that holds no backup is refused.
    let r = run(&dir, &["restore", d.path().to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no doorlog backup"));
}

#[test]
fn a_bad_settings_file_is_named_and_nothing_starts() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::private_dir(dir);
    for (text, field) in [
        (r#"{"cache_mb": 1}"#, "cache_mb:"),
        (r#"{"idle_lock_minutes": 0}"#, "idle_lock_minutes:"),
        (r#"{"timezone": "Mars/Olympus"}"#, "timezone:"),
        (r#"{"cutover_hour": 20}"#, "cutover_hour:"),
        (r#"{"colour": "red"}"#, "config.json:"),
        ("{", "config.json:"),
    ] {
        std::fs::write(dir.join("config.json"), text).unwrap();
        let r = run(dir, &["check"]);
        assert_eq!(r.code, 1, "{text}");
        // The setting named as the file spells it.
        let name = field.trim_end_matches(':');
        assert!(
            r.stderr.starts_with("doorlog: ") && r.stderr.contains(name),
            "{text}: {}",
            r.stderr
        );
    }
    std::fs::remove_file(dir.join("config.json")).unwrap();
    std::fs::write(
        dir.join("catalog.json"),
        r#"{"items": [], "topics": [{"id": "x", "hotkey": "?", "names": {}}]}"#,
    )
    .unwrap();
    let r = run(dir, &["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("catalog: topic hotkey '?' must be a letter"),
        "{}",
        r.stderr
    );
}

/// Break glass: the centre's only coordinator is locked out by wrong PINs,
/// or forgot the PIN. Whoever has the computer account (and has stopped
/// the door screen) unlocks the account or gives a new PIN on the command
/// line; it is audited, and the last coordinator still cannot be removed.
#[test]
fn the_only_coordinator_is_let_back_in_from_the_command_line() {
    use doorlog::domain::PinPolicy;
    use doorlog::store::SignIn;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::config(dir);
    let r = common::run_with_input(
        dir,
        &[
            "staff",
            "add",
            "Kari Holm",
            "--initials",
            "KH",
            "--role",
            "coordinator",
        ],
        "1234\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    {
        let store = common::open(dir);
        for _ in 0..PinPolicy::default().max_failures {
            let _ = store.sign_in("KH", "9999", now + 3_600, &PinPolicy::default());
        }
        assert!(matches!(
            store
                .sign_in("KH", "1234", now, &PinPolicy::default())
                .unwrap(),
            SignIn::Wait { .. }
        ));
    }
    ok(dir, &["staff", "unlock", "kh"]);
    {
        let store = common::open(dir);
        assert!(matches!(
            store
                .sign_in("KH", "1234", now, &PinPolicy::default())
                .unwrap(),
            SignIn::Ok(_)
        ));
    }
    let r = common::run_with_input(dir, &["staff", "pin", "KH"], "5678\n");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(dir, &["staff", "deactivate", "KH"]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("one active coordinator"), "{}", r.stderr);
    let store = common::open(dir);
    assert!(matches!(
        store
            .sign_in("KH", "5678", now, &PinPolicy::default())
            .unwrap(),
        SignIn::Ok(_)
    ));
    let log: Vec<String> = store
        .audit(i64::MIN, i64::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(log.contains(&"staff-unlock".to_string()) && log.contains(&"staff-pin".to_string()));
}

/// The catalog goes out of the store as JSON and comes back in; an import
/// that leaves an item out keeps it retired (old contacts name it), and
/// `record` knows the new item at once.
#[test]
fn the_catalog_goes_out_and_in_as_json_and_an_import_never_deletes() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::config(dir);
    ok(dir, &["record", "--anonymous", "--item", "foil=2"]);
    let file = dir.join("catalog-out.json");
    let said = ok(dir, &["catalog", "--export", file.to_str().unwrap()]);
    assert!(said.contains("14 items, 11 topics"), "{said}");
    let mut cat =
        doorlog::domain::Catalog::from_json(&std::fs::read_to_string(&file).unwrap()).unwrap();
    cat.items.retain(|i| i.id != "foil");
    let mut pipe = cat.items[0].clone();
    pipe.id = "pipe".into();
    pipe.hotkey = 'p';
    cat.items.push(pipe);
    std::fs::write(&file, cat.to_json()).unwrap();
    let said = ok(dir, &["catalog", "--import", file.to_str().unwrap()]);
    assert!(said.contains("1 left out and kept retired"), "{said}");
    let list = ok(dir, &["catalog"]);
    assert!(
        list.contains("foil") && list.contains("(retired)"),
        "{list}"
    );
    ok(dir, &["record", "--anonymous", "--item", "pipe=1"]);
    // A broken file is refused with the reason, and nothing changes.
    std::fs::write(&file, "{").unwrap();
    let r = run(dir, &["catalog", "--import", file.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("catalog"), "{}", r.stderr);
    assert!(ok(dir, &["catalog"]).contains("pipe"));
    let audit = ok(dir, &["audit"]);
    assert!(audit.contains("catalog-import"), "{audit}");
    // The centre's own referral types, then a file from before there were
    // any: the centre's list stays as it is (keys 3-9 keep their meaning).
    let mut cat =
        doorlog::domain::Catalog::from_json(&ok(dir, &["catalog", "--export", "-"])).unwrap();
    cat.referrals.retain(|r| r.id != "other");
    cat.referrals[0].id = "detox".into();
    std::fs::write(&file, cat.to_json()).unwrap();
    ok(dir, &["catalog", "--import", file.to_str().unwrap()]);
    let mut old: serde_json::Value = serde_json::from_str(&cat.to_json()).unwrap();
    old.as_object_mut().unwrap().remove("referrals");
    std::fs::write(&file, old.to_string()).unwrap();
    ok(dir, &["catalog", "--import", file.to_str().unwrap()]);
    let list = ok(dir, &["catalog"]);
    assert!(list.contains("detox              3"), "{list}");
    // An item id that would take another's ratio column is refused.
    cat.items[0].id = "pct-meal".into();
    std::fs::write(&file, cat.to_json()).unwrap();
    let r = run(dir, &["catalog", "--import", file.to_str().unwrap()]);
    assert!(r.code == 1 && r.stderr.contains("pct-"), "{}", r.stderr);
}
