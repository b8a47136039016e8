//! Nothing lost, nothing readable (issue 10): read-only commands never make
//! a store, the exit codes a scheduler acts on, files for this account
//! only, exports that replace only regular files, restore of real backups
//! only.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{ok, run};

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn record(dir: &Path) {
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
}

#[test]
fn read_only_commands_on_a_missing_store_say_so_and_create_nothing() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("mistyped");
    for args in [
        vec!["export", "--from", "2026-05-04", "--to", "2026-05-04"],
        vec!["check"],
        vec!["audit"],
        vec!["visitor", "list"],
        vec!["staff", "list"],
        vec!["catalog"],
        vec!["backup", d.path().join("b").to_str().unwrap()],
    ] {
        let r = run(&dir, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("no doorlog store in"), "{}", r.stderr);
        assert!(
            r.stderr.contains("mistyped"),
            "names the directory: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?} printed {}", r.stdout);
        assert!(!dir.join("store").exists(), "{args:?} made a store");
    }
}

#[test]
fn a_data_directory_that_is_a_file_is_unavailable() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("data");
    std::fs::write(&file, b"not a directory").unwrap();
    let r = run(&file, &["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is a file"), "{}", r.stderr);
}

#[test]
fn files_are_for_this_account_only_whatever_the_umask() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    let out = d.path().join("counts.csv");
    let script = format!(
        "umask 022 && {bin} --data-dir {dir} record --anonymous --item meal-pack && {bin} --data-dir {dir} export --from 2026-01-01 --to 2026-01-02 --out {out}",
        bin = env!("CARGO_BIN_EXE_doorlog"),
        dir = dir.display(),
        out = out.display()
    );
    let status = std::process::Command::new("sh")
        .args(["-c", &script])
        .env_remove("DOORLOG_DATA_DIR")
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&out), 0o600);
    let mut seen = 0;
    let mut walk = vec![dir.clone()];
    while let Some(p) = walk.pop() {
        for e in std::fs::read_dir(&p).unwrap() {
            let p = e.unwrap().path();
            let m = mode(&p);
            if p.is_dir() {
                assert_eq!(m, 0o700, "{}", p.display());
                walk.push(p);
            } else {
                assert_eq!(m, 0o600, "{}", p.display());
            }
            seen += 1;
        }
    }
    assert!(seen >= 4, "the store's files were checked");
    // An existing directory open to others is tightened, with one notice.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = run(&dir, &["check"]);
    assert_eq!(r.code, 0);
    assert_eq!(mode(&dir), 0o700);
    assert!(
        r.stderr.contains("was open to other accounts"),
        "{}",
        r.stderr
    );
    assert!(run(&dir, &["check"]).stderr.is_empty());
}

#[test]
fn export_replaces_only_a_regular_file_and_audits_only_what_was_written() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    record(&dir);
    let fifo = d.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let link = d.path().join("link.csv");
    std::os::unix::fs::symlink(d.path().join("elsewhere.csv"), &link).unwrap();
    for target in [&fifo, &link] {
        let r = run(
            &dir,
            &[
                "export",
                "--from",
                "2026-05-04",
                "--to",
                "2026-05-04",
                "--out",
                target.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    }
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(!d.path().join("elsewhere.csv").exists());
    let audit = ok(&dir, &["audit"]);
    assert!(
        !audit.contains(",export,"),
        "refused exports are not audited: {audit}"
    );
    // A regular file is replaced, and audited.
    let file = d.path().join("counts.csv");
    std::fs::write(&file, b"old").unwrap();
    ok(
        &dir,
        &[
            "export",
            "--from",
            "2026-05-04",
            "--to",
            "2026-05-04",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("date,"));
    assert!(ok(&dir, &["audit"]).contains("export"));
}

#[test]
fn restore_takes_only_a_complete_backup_that_holds_something() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    record(&dir);
    std::fs::write(dir.join("config.json"), r#"{"centre": "Gyldenpris"}"#).unwrap();
    let bak = d.path().join("bak");
    ok(&dir, &["backup", bak.to_str().unwrap()]);
    // The mark and the settings are in it; no partial directory is left.
    let mark = std::fs::read_to_string(bak.join("doorlog-backup.json")).unwrap();
    assert!(mark.contains("\"complete\": true"), "{mark}");
    assert!(bak.join("config.json").is_file());
    assert!(!d.path().join("bak.partial").exists());

    // An empty store (a fresh data directory's backup) is refused.
    let fresh = d.path().join("fresh");
    ok(&fresh, &["record", "--anonymous", "--item", "meal-pack"]);
    ok(&fresh, &["undo", &format!("{}-1", today(&fresh))]);
    let empty = d.path().join("empty-bak");
    ok(&fresh, &["backup", empty.to_str().unwrap()]);
    let before = ok(
        &dir,
        &["export", "--from", "2026-05-04", "--to", "2026-05-04"],
    );
    // (The fresh store still holds the undo's audit entry, not a visitor or
    // contact: empty for a restore.)
    let r = run(&dir, &["restore", empty.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("empty backup"), "{}", r.stderr);

    // A copy without the mark (a junk or hand-made one), and an interrupted
    // backup, are refused.
    let junk = d.path().join("junk");
    std::fs::create_dir_all(junk.join("store")).unwrap();
    std::fs::write(junk.join("store/db"), b"junk").unwrap();
    let cut = d.path().join("cut");
    common::copy_dir(&bak, &cut);
    std::fs::remove_file(cut.join("doorlog-backup.json")).unwrap();
    for bad in [&junk, &cut] {
        let r = run(&dir, &["restore", bad.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains("not a complete doorlog backup"),
            "{}",
            r.stderr
        );
    }
    // A backup whose contents differ from its mark is refused as damaged.
    let altered = d.path().join("altered");
    common::copy_dir(&bak, &altered);
    let text = mark.replace("\"contacts\": 1", "\"contacts\": 2");
    std::fs::write(altered.join("doorlog-backup.json"), text).unwrap();
    let r = run(&dir, &["restore", altered.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        ok(
            &dir,
            &["export", "--from", "2026-05-04", "--to", "2026-05-04"]
        ),
        before
    );

    // The real one restores, settings too; two restores in one second keep
    // both replaced stores.
    std::fs::write(dir.join("config.json"), r#"{"centre": "Changed"}"#).unwrap();
    ok(&dir, &["restore", bak.to_str().unwrap()]);
    ok(&dir, &["restore", bak.to_str().unwrap()]);
    let replaced = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("store.replaced-")
        })
        .count();
    assert_eq!(replaced, 2);
    assert!(
        std::fs::read_to_string(dir.join("config.json"))
            .unwrap()
            .contains("Gyldenpris")
    );
    assert!(ok(&dir, &["check"]).starts_with("ok:"));
}

/// Today's service day as `doorlog record` stamps it, `YYYYMMDD`.
fn today(dir: &Path) -> String {
    let cfg = doorlog::config::Config::load(dir).unwrap();
    let d = cfg.day_rule.service_day(time::OffsetDateTime::now_utc());
    doorlog::report::iso(d).replace('-', "")
}

#[test]
fn merge_refuses_a_repeated_date_an_overflowing_sum_and_endless_input() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let header = "date,contacts,unique_visitors,new_visitors,anonymous_contacts,conversations";
    let write = |name: &str, rows: &[&str]| {
        let p = dir.join(name);
        std::fs::write(&p, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
        p.to_str().unwrap().to_string()
    };
    let twice = write("a.csv", &["2026-05-04,1,1,0,0,0", "2026-05-04,2,1,0,0,0"]);
    let r = run(dir, &["merge", &twice]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("given twice"), "{}", r.stderr);
    let huge = format!("2026-05-04,{},1,0,0,0", u64::MAX);
    let big1 = write("b.csv", &[&huge]);
    let big2 = write("c.csv", &[&huge]);
    let r = run(dir, &["merge", &big1, &big2]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("add up past"), "{}", r.stderr);
    // /dev/zero is endless: refused at the size limit, quickly.
    let started = std::time::Instant::now();
    let r = run(dir, &["merge", "/dev/zero"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("larger than 64 MB"), "{}", r.stderr);
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn invisible_characters_are_refused_in_aliases() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    ok(&dir, &["visitor", "add", "Rev"]);
    let r = run(&dir, &["visitor", "add", "Re\u{200B}v"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("invisible characters"), "{}", r.stderr);
}

#[test]
fn a_back_dated_contact_does_not_get_a_new_visitor_anonymised() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    ok(&dir, &["visitor", "add", "Nyfjes"]);
    // A mistyped year: 2016 for 2026.
    ok(
        &dir,
        &[
            "record",
            "--visitor",
            "Nyfjes",
            "--item",
            "meal-pack",
            "--at",
            "2016-11-26T10:00:00+01:00",
        ],
    );
    ok(&dir, &["sweep"]);
    assert!(ok(&dir, &["visitor", "list"]).contains("Nyfjes"));
}

#[test]
fn a_note_can_come_from_standard_input_and_stays_off_the_process_list() {
    use std::io::Write;
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    ok(&dir, &["visitor", "add", "Rev"]);
    let mut child = common::doorlog(&dir)
        .args([
            "record",
            "--visitor",
            "Rev",
            "--topic",
            "housing",
            "--note",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"sleeps outside\nsince Monday\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let cfg = doorlog::config::Config::load(&dir).unwrap();
    let store = doorlog::store::Store::open(&dir, &cfg.store).unwrap();
    let day = cfg.day_rule.service_day(time::OffsetDateTime::now_utc());
    let c = &store.contacts(day, day).unwrap()[0];
    assert_eq!(c.note.as_deref(), Some("sleeps outside\nsince Monday"));
}

/// A data directory used for a while: demo data, then another session.
fn used(d: &Path) -> std::path::PathBuf {
    let dir = d.join("data");
    ok(&dir, &["demo", "--days", "5", "--per-day", "40"]);
    ok(&dir, &["visitor", "add", "Rev"]);
    assert!(ok(&dir, &["check"]).starts_with("ok:"));
    dir
}

fn snapshot(dir: &Path) -> Option<std::path::PathBuf> {
    std::fs::read_dir(dir.join("store"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
        })
}

#[test]
fn a_store_that_lost_its_snapshot_is_refused_and_left_untouched() {
    let d = tempfile::tempdir().unwrap();
    let dir = used(d.path());
    let snap = snapshot(&dir).expect("sled wrote a snapshot by now");
    std::fs::remove_file(snap).unwrap();
    let db = std::fs::read(dir.join("store/db")).unwrap();
    for args in [vec!["check"], vec!["visitor", "add", "Ny"], vec![]] {
        let r = run(&dir, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("snapshot file is gone"), "{}", r.stderr);
        assert!(r.stderr.contains("doorlog restore"), "{}", r.stderr);
    }
    assert_eq!(
        std::fs::read(dir.join("store/db")).unwrap(),
        db,
        "nothing was written"
    );
}

#[test]
fn a_store_that_lost_its_files_never_opens_as_a_new_one() {
    let d = tempfile::tempdir().unwrap();
    let dir = used(d.path());
    // The store's directory emptied, then gone.
    for entry in std::fs::read_dir(dir.join("store")).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
    }
    for _ in 0..2 {
        for args in [
            vec!["check"],
            vec!["record", "--anonymous", "--item", "meal-pack"],
        ] {
            let r = run(&dir, &args);
            assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
            assert!(r.stderr.contains("files are gone"), "{}", r.stderr);
        }
        assert!(!dir.join("store/db").exists(), "no new store was made");
        let _ = std::fs::remove_dir_all(dir.join("store"));
    }
}

#[test]
fn a_store_that_comes_up_short_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let dir = used(d.path());
    // Another, nearly empty store's files in its place (a copy gone wrong).
    let other = d.path().join("other");
    ok(&other, &["visitor", "add", "Solo"]);
    ok(&other, &["visitor", "add", "Duo"]);
    std::fs::remove_dir_all(dir.join("store")).unwrap();
    common::copy_dir(&other.join("store"), &dir.join("store"));
    let r = run(&dir, &["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("less than it held"), "{}", r.stderr);
    // Restoring a backup is the way back, and then it opens.
    let bak = d.path().join("bak");
    ok(&other, &["backup", bak.to_str().unwrap()]);
    ok(&dir, &["restore", bak.to_str().unwrap()]);
    assert!(ok(&dir, &["check"]).starts_with("ok:"));
}

#[test]
fn the_door_screen_without_a_terminal_says_so() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    let r = run(&dir, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
}

#[test]
fn data_can_be_copied_off_a_full_disk() {
    // A 3 MB file system of its own (needs root to mount; skipped if not).
    let Some(disk) = common::SmallDisk::mount(3) else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    };
    let mnt = disk.0.clone();
    let dir = mnt.join("data");
    ok(&dir, &["demo", "--days", "3", "--per-day", "30"]);
    ok(&dir, &["visitor", "add", "Rev"]);
    let filler = disk.fill();
    // Writing says the disk is full, in words.
    let r = run(&dir, &["record", "--anonymous", "--item", "meal-pack"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("is full: free some space"),
        "{}",
        r.stderr
    );
    // Reading works: counts, the visitor list, a backup to another disk.
    assert!(
        ok(
            &dir,
            &["export", "--from", "2026-01-01", "--to", "2030-01-01"]
        )
        .contains(',')
    );
    assert!(ok(&dir, &["visitor", "list"]).contains("Rev"));
    let d = tempfile::tempdir().unwrap();
    let bak = d.path().join("bak");
    ok(&dir, &["backup", bak.to_str().unwrap()]);
    assert!(bak.join("doorlog-backup.json").is_file());
    // The store is whole once there is room again.
    for f in filler {
        let _ = std::fs::remove_file(f);
    }
    assert!(ok(&dir, &["check"]).starts_with("ok:"));
}
