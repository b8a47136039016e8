//! Crash safety: a process recording contacts is killed with SIGKILL at
//! random moments, many times. After each kill every contact whose id was
//! printed is in the store, and `doorlog check` passes.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use doorlog::demo::Rng;
use doorlog::domain::{ContactDraft, ContactId, ItemLine, NewVisitor};

const DIR_VAR: &str = "DOORLOG_CRASH_CHILD_DIR";

/// The child: records contacts as fast as it can and prints each id once
/// `record` has returned (that is, once the contact is on disk). Run only
/// by `contacts_survive_sigkill`, which starts this test binary again.
#[test]
#[ignore = "run as a child process by contacts_survive_sigkill"]
fn crash_child_records_forever() {
    let dir = std::path::PathBuf::from(std::env::var(DIR_VAR).expect("started by the crash test"));
    let cfg = common::config(&dir);
    let store = common::open(&dir);
    let rev = match store.visitor_by_alias("Rev").unwrap() {
        Some(v) => v,
        None => {
            let nv = NewVisitor {
                alias: "Rev".into(),
                ..Default::default()
            };
            store
                .add_visitor(
                    nv,
                    cfg.day_rule.service_day(time::OffsetDateTime::now_utc()),
                    0,
                )
                .unwrap()
        }
    };
    println!("ready");
    for n in 0u64.. {
        let mut d = ContactDraft::new(time::OffsetDateTime::now_utc());
        d.visitor = (n % 2 == 0).then_some(rev.id);
        d.items = vec![
            ItemLine {
                item: "meal-pack".into(),
                out: 1,
                returned: 0,
            },
            ItemLine {
                item: "syringe".into(),
                out: (n % 10 + 1) as u16,
                returned: 0,
            },
        ];
        d.topics = vec!["housing".into()];
        d.note = Some("x".repeat((n % 200) as usize + 1));
        let (day, hour) = cfg.day_rule.day_and_hour(d.at);
        let saved = store
            .record(d.into_contact(&cfg.catalog, day, hour).unwrap())
            .unwrap();
        println!("saved {}", saved.id());
    }
}

/// Starts a child, collects the ids it prints until it is killed.
fn run_and_kill(mut cmd: Command, after: Duration, wait_ready: bool) -> Vec<ContactId> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let ids = Arc::new(Mutex::new(Vec::new()));
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let reader = {
        let ids = Arc::clone(&ids);
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if line.ends_with("ready") {
                    let _ = ready_tx.send(());
                } else if let Some(id) = line.strip_prefix("saved ") {
                    ids.lock().unwrap().push(id.parse::<ContactId>().unwrap());
                } else if let Ok(id) = line.trim().parse::<ContactId>() {
                    ids.lock().unwrap().push(id);
                }
            }
        })
    };
    if wait_ready {
        ready_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the child starts");
    }
    std::thread::sleep(after);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    reader.join().unwrap();
    Arc::try_unwrap(ids).unwrap().into_inner().unwrap()
}

fn assert_all_present(dir: &std::path::Path, ids: &[ContactId], round: usize) {
    let check = common::run(dir, &["check"]);
    assert_eq!(
        check.code, 0,
        "round {round}: check failed after a kill: {}",
        check.stderr
    );
    let store = common::open(dir);
    for id in ids {
        assert!(
            store.contact(*id).unwrap().is_some(),
            "round {round}: contact {id} was reported saved but is gone"
        );
    }
}

#[test]
fn contacts_survive_sigkill() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    common::config(dir);
    let seed = time::OffsetDateTime::now_utc().unix_timestamp_nanos() as u64;
    let mut rng = Rng::new(seed);
    let mut all = Vec::new();
    let me = std::env::current_exe().unwrap();
    for round in 0..25 {
        let mut cmd = Command::new(&me);
        cmd.args([
            "--ignored",
            "--exact",
            "crash_child_records_forever",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DIR_VAR, dir);
        let ids = run_and_kill(cmd, Duration::from_millis(rng.below(200)), true);
        all.extend(ids);
        assert_all_present(dir, &all, round);
    }
    assert!(
        all.len() > 50,
        "the child saved too little to prove anything (seed {seed})"
    );
    // The real binary killed at random moments while opening and recording.
    for round in 0..15 {
        let mut cmd = common::doorlog(dir);
        cmd.args([
            "record",
            "--anonymous",
            "--item",
            "meal-pack",
            "--note",
            "n",
        ]);
        let ids = run_and_kill(cmd, Duration::from_millis(rng.below(40)), false);
        all.extend(ids);
        assert_all_present(dir, &all, 100 + round);
    }
}

/// Kills `visitor erase`, `backup` and `restore` at random moments: after
/// each, `check` passes, every contact recorded before is there, and in
/// the end the erased visitor is gone from the raw files.
#[test]
fn erase_backup_and_restore_survive_sigkill() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    let seed = time::OffsetDateTime::now_utc().unix_timestamp_nanos() as u64;
    let mut rng = Rng::new(seed);
    common::ok(&dir, &["demo", "--days", "20", "--per-day", "60"]);
    common::ok(&dir, &["visitor", "add", "Zorro Killtest"]);
    let mut all: Vec<ContactId> = Vec::new();
    let id = common::ok(
        &dir,
        &[
            "record",
            "--visitor",
            "Zorro Killtest",
            "--topic",
            "housing",
            "--note",
            "Killtestnote",
        ],
    );
    all.push(id.trim().parse().unwrap());
    let bak = d.path().join("bak");
    common::ok(&dir, &["backup", bak.to_str().unwrap()]);
    let run_killed = |args: &[&str], ms: u64| {
        let mut cmd = common::doorlog(&dir);
        cmd.args(args);
        run_and_kill(cmd, Duration::from_millis(ms), false)
    };
    for round in 0..6 {
        // A backup killed midway leaves nothing restore would take.
        let target = d.path().join(format!("bak{round}"));
        run_killed(&["backup", target.to_str().unwrap()], rng.below(150));
        assert_all_present(&dir, &all, 200 + round);
        if target.exists() {
            assert!(
                target.join("doorlog-backup.json").is_file(),
                "round {round}"
            );
        }
        // A restore killed midway leaves one whole store, old or restored.
        run_killed(&["restore", bak.to_str().unwrap()], rng.below(300));
        assert_all_present(&dir, &all, 300 + round);
    }
    // An erasure killed midway: finished by repeating it (or already done).
    for round in 0..6 {
        run_killed(&["visitor", "erase", "Zorro Killtest"], rng.below(400));
        assert_all_present(&dir, &all, 400 + round);
    }
    let last = common::run(&dir, &["visitor", "erase", "Zorro Killtest"]);
    assert!(
        last.code == 0 || last.stderr.contains("no active visitor"),
        "{}",
        last.stderr
    );
    common::ok(&dir, &["sweep"]);
    let mut leftovers = Vec::new();
    let mut walk = vec![dir.clone()];
    while let Some(p) = walk.pop() {
        for e in std::fs::read_dir(&p).unwrap().flatten() {
            let p = e.path();
            if p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("store.replaced")
            {
                continue; // kept by restore on purpose, outside the store
            }
            if p.is_dir() {
                walk.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                if bytes.windows(8).any(|w| w == b"Killtest") {
                    leftovers.push(p.display().to_string());
                }
            }
        }
    }
    assert!(leftovers.is_empty(), "seed {seed}: {leftovers:?}");
}
