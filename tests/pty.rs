//! End to end: the real binary in a pseudo-terminal, typed at like a person
//! at the hatch, then checked with `doorlog export`.

mod common;

use std::time::{Duration, Instant};

use common::tty::Tty;

#[test]
fn type_a_contact_quit_and_find_it_counted() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::config(dir);
    common::ok(dir, &["visitor", "add", "Rev"]);
    let mut tty = Tty::start(dir, 80, 24);
    // First start: create the coordinator (Enter moves to the next field).
    tty.wait_for("First start");
    tty.send(b"Kari Holm\rKH\r4711\r4711\r");
    tty.wait_for("Today: 0 contacts");
    // Anonymous with a meal pack: Space, m, Enter.
    tty.send(b" ");
    tty.wait_for("anonymous  at the door");
    tty.send(b"m\r");
    tty.wait_for("Saved");
    // Rev with a meal pack and a syringe: r e v, Enter, m, s, Enter.
    tty.send(b"rev");
    tty.wait_for(" Rev");
    tty.send(b"\r");
    tty.wait_for(" Rev  at the door");
    tty.send(b"ms\r");
    tty.wait_for("Today: 2 contacts · 1 visitor · 3 items out");
    tty.send(b"\x11"); // Ctrl-Q
    let status = tty.child.wait().unwrap();
    assert!(status.success());
    // The terminal was given back: no alternate screen, cursor shown.
    tty.wait_given_back();
    let parser = tty.screen.lock().unwrap();
    assert!(!parser.screen().hide_cursor());
    drop(parser);

    let today = {
        let cfg = common::config(dir);
        doorlog::report::iso(cfg.day_rule.service_day(time::OffsetDateTime::now_utc()))
    };
    let csv = common::ok(dir, &["export", "--from", &today, "--to", &today]);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with(&format!("{today},2,1,1,1,0,2,")), "{csv}");
}

#[test]
fn a_second_doorlog_on_the_same_data_gets_a_clear_message() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::config(dir);
    let mut tty = Tty::start(dir, 80, 24);
    tty.wait_for("First start");
    let second = common::run(dir, &[]);
    assert_eq!(second.code, 75);
    assert!(
        second.stderr.contains("another doorlog has the store in"),
        "{}",
        second.stderr
    );
    tty.send(b"\x11");
    assert!(tty.child.wait().unwrap().success());
}

#[test]
fn a_terminating_signal_gives_the_terminal_back_and_keeps_the_contact() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::config(dir);
    common::ok(dir, &["visitor", "add", "Rev"]);
    for signal in [libc::SIGTERM, libc::SIGHUP] {
        let mut tty = Tty::start(dir, 80, 24);
        if signal == libc::SIGTERM {
            tty.wait_for("First start");
            tty.send(b"Kari Holm\rKH\r4711\r4711\r");
        } else {
            tty.wait_for("Locked");
            tty.send(b"KH\r4711\r");
        }
        tty.wait_for("Today:");
        // Half a contact: Rev, two meal packs, not saved.
        tty.send(b"rev");
        tty.wait_for(" Rev");
        tty.send(b"\rmm");
        tty.wait_for("Meal pack");
        let pid = tty.child.process_id().unwrap() as libc::pid_t;
        // SAFETY: sends a signal to the child this test started.
        unsafe { libc::kill(pid, signal) };
        let status = tty.child.wait().unwrap();
        assert!(status.success(), "{signal}: {status:?}");
        tty.wait_given_back();
        // The next start: the same person signs in and gets it back.
        let mut tty = Tty::start(dir, 80, 24);
        tty.wait_for("Locked");
        tty.send(b"KH\r4711\r");
        tty.wait_for("Your unsaved contact is back");
        assert!(tty.text().contains(" Rev "), "{}", tty.text());
        // It comes back held: Enter goes on with it, Enter saves.
        tty.wait_for("Enter: go on with it");
        tty.send(b"\r\r");
        tty.wait_for("Saved: Rev");
        tty.send(b"\x11");
        assert!(tty.child.wait().unwrap().success());
    }
    let today = {
        let cfg = common::config(dir);
        doorlog::report::iso(cfg.day_rule.service_day(time::OffsetDateTime::now_utc()))
    };
    let csv = common::ok(dir, &["export", "--from", &today, "--to", &today]);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("{today},2,1,")),
        "{csv}"
    );
}

#[test]
fn the_door_screen_says_the_disk_is_full_and_recovers_when_it_has_room() {
    let Some(disk) = common::SmallDisk::mount(8) else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    };
    let dir = disk.0.join("data");
    common::config(&dir);
    let mut tty = Tty::start(&dir, 80, 24);
    tty.wait_for("First start");
    tty.send(b"Kari Holm\rKH\r4711\r4711\r");
    tty.wait_for("Today:");
    let filler = disk.fill();
    // Contacts with notes until a save fails: it says so in words. Each is
    // sent when the one before has been answered (no keys typed ahead).
    let mut said = false;
    for n in 1..400 {
        tty.send(b" m\t\tfilling the log with a note of some length to reach the end\r\r");
        let start = Instant::now();
        loop {
            let t = tty.text();
            if t.contains("is full: free some space") {
                said = true;
                break;
            }
            if t.contains(&format!("-{n})")) || start.elapsed() > Duration::from_secs(5) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if said {
            break;
        }
    }
    // Room again: the screen recovers by itself; the contact is still there.
    for f in filler {
        let _ = std::fs::remove_file(f);
    }
    tty.wait_for("The disk has room again");
    // Back held, as after any stop: Enter goes on with it, Enter saves.
    tty.send(b"\r\r");
    tty.wait_for("Saved: anonymous");
    tty.send(b"\x11");
    assert!(tty.child.wait().unwrap().success());
    assert!(common::ok(&dir, &["check"]).starts_with("ok:"));
    // sled's complaints went to the log file, and no visitor data did.
    let log = std::fs::read_to_string(dir.join("doorlog.log")).unwrap_or_default();
    assert!(!log.contains("filling the log"), "{log}");
}
