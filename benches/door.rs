//! The door screen as a person starts it: the real binary in a
//! pseudo-terminal on a copy of the 1M-contact store (100,000 visitors),
//! timed from the start of the process to the first frame on the screen,
//! then signed in; its peak resident memory is read from /proc after the
//! sign-in and again once the start's upkeep (closing past days, the
//! privacy rules, run beside the screen) has had time to finish.
//!
//!     cargo bench --bench door
//!
//! `DOORLOG_DOOR_DIR=DIR` starts it on that data directory instead, as it
//! is (e.g. a 3M-contact store made with `doorlog demo --days 10950`).
//!
//! Three starts of each kind, each on a fresh copy: a daily start (the
//! copy's upkeep done first, as on a store used every day) and a first
//! start after ten years of data (the first privacy sweep has the whole
//! history to do, and the files are rewritten beside the screen).

mod common;
#[path = "../tests/common/tty.rs"]
mod tty;

use std::io::Write;
use std::time::{Duration, Instant};

fn peak_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// One start of the door screen on a fresh copy; `daily`: the copy has had
/// its upkeep and rewrite first, as a store used every day has (otherwise
/// it is a first start after ten years: the first privacy sweep and a
/// rewrite of the files run beside the screen). Returns the first frame
/// (ms), the peak memory after sign-in and after `settle` (MB).
fn start(exe: &str, daily: bool, settle: Duration) -> (f64, f64, f64) {
    if let Some(dir) = std::env::var_os("DOORLOG_DOOR_DIR") {
        return start_on(exe, std::path::Path::new(&dir), settle);
    }
    let (tmp, store) = common::copy();
    let store = if daily {
        let cfg = common::config();
        let now = time::OffsetDateTime::now_utc();
        store
            .privacy_sweep(
                cfg.day_rule.service_day(now),
                &cfg.privacy,
                now.unix_timestamp(),
            )
            .unwrap();
        // The catalog and settings in the store, as after its first start.
        cfg.settle_in(&store, now.unix_timestamp()).unwrap();
        store.compact(&cfg.store).unwrap()
    } else {
        store
    };
    drop(store);
    start_on(exe, &tmp.path().join("d"), settle)
}

/// One start on the data directory `dir` (a coordinator BE is added if
/// there is none).
fn start_on(exe: &str, dir: &std::path::Path, settle: Duration) -> (f64, f64, f64) {
    let has_staff = std::process::Command::new(exe)
        .args(["--data-dir", dir.to_str().unwrap(), "staff", "list"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("BE"));
    if !has_staff {
        add_staff(exe, dir);
    }
    let begun = Instant::now();
    let mut t = tty::Tty::start(dir, 80, 24);
    t.wait_for("Initials");
    let first = begun.elapsed().as_secs_f64() * 1000.0;
    let pid = t.child.process_id().unwrap();
    // A person takes a second or two to type initials and PIN.
    std::thread::sleep(Duration::from_millis(1500));
    t.send(b"BE\r4711\r");
    t.wait_for("Today:");
    let signed = peak_mb(pid);
    std::thread::sleep(settle);
    let settled = peak_mb(pid);
    let _ = t.child.kill();
    let _ = t.child.wait();
    (first, signed, settled)
}

/// A coordinator BE with PIN 4711, added with the command line.
fn add_staff(exe: &str, dir: &std::path::Path) {
    let mut add = std::process::Command::new(exe)
        .args(["--data-dir", dir.to_str().unwrap(), "staff", "add", "Bench"])
        .args(["--initials", "BE", "--role", "coordinator"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    add.stdin.take().unwrap().write_all(b"4711\n").unwrap();
    assert!(add.wait().unwrap().success());
}

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[v.len() - 1])
}

fn main() {
    let exe = env!("CARGO_BIN_EXE_doorlog");
    let given = std::env::var("DOORLOG_DOOR_DIR").ok();
    let kinds = match &given {
        Some(dir) => vec![(false, Duration::from_secs(5), format!("on {dir} as it is"))],
        None => vec![
            (
                true,
                Duration::from_secs(5),
                "1M contacts, 100,000 visitors, a daily start (upkeep up to date)".to_string(),
            ),
            (
                false,
                Duration::from_secs(40),
                "1M contacts, 100,000 visitors, a first start after ten years (first sweep and \
                 rewrite beside the screen)"
                    .to_string(),
            ),
        ],
    };
    for (daily, settle, what) in kinds {
        let runs: Vec<_> = (0..3).map(|_| start(exe, daily, settle)).collect();
        let (first, first_max) = median(runs.iter().map(|r| r.0).collect());
        let (signed, _) = median(runs.iter().map(|r| r.1).collect());
        let (settled, _) = median(runs.iter().map(|r| r.2).collect());
        println!("door screen, {what}:");
        println!("  first frame {first:.0} ms (median of 3, slowest {first_max:.0} ms)");
        println!(
            "  peak resident memory {signed:.0} MB after sign-in, {settled:.0} MB {} s later",
            settle.as_secs()
        );
    }
}
