//! The door screen as a person starts it: the real binary in a
//! pseudo-terminal on a copy of the 1M-contact store (100,000 visitors),
//! timed from the start of the process to the first frame on the screen,
//! then signed in; its peak resident memory is read from /proc after the
//! sign-in and again once the start's upkeep (closing past days, the
//! privacy rules, run beside the screen) has had time to finish.
//!
//!     cargo bench --bench door
//!
//! Five starts; each on a fresh copy (its first start after ten years of
//! data: the first privacy sweep has the whole history to do).

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

fn main() {
    let exe = env!("CARGO_BIN_EXE_doorlog");
    let mut firsts = Vec::new();
    let mut signed = Vec::new();
    let mut settled = Vec::new();
    for _ in 0..5 {
        let (tmp, store) = common::copy();
        drop(store);
        let dir = tmp.path().join("d");
        let mut add = std::process::Command::new(exe)
            .args(["--data-dir", dir.to_str().unwrap(), "staff", "add", "Bench"])
            .args(["--initials", "BE", "--role", "coordinator"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        add.stdin.take().unwrap().write_all(b"4711\n").unwrap();
        assert!(add.wait().unwrap().success());
        let start = Instant::now();
        let mut t = tty::Tty::start(&dir, 80, 24);
        t.wait_for("Initials");
        firsts.push(start.elapsed().as_secs_f64() * 1000.0);
        let pid = t.child.process_id().unwrap();
        t.send(b"BE\r4711\r");
        t.wait_for("Today:");
        signed.push(peak_mb(pid));
        std::thread::sleep(Duration::from_secs(8));
        settled.push(peak_mb(pid));
        let _ = t.child.kill();
        let _ = t.child.wait();
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "door screen, 1M contacts, 100,000 visitors: first frame {:.0} ms (median of 5, slowest {:.0} ms)",
        median(&mut firsts),
        firsts.last().unwrap()
    );
    println!(
        "  peak resident memory: {:.0} MB after sign-in; {:.0} MB with the start's upkeep done",
        median(&mut signed),
        median(&mut settled)
    );
}
