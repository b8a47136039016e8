//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub mod tty;

use doorlog::config::Config;
use doorlog::store::{Store, StoreOptions};

/// Europe/Oslo as a POSIX rule: the tests need no tz database.
pub const OSLO: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

/// The real binary, on a data directory, in Oslo time, with no stray
/// environment.
pub fn doorlog(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_doorlog"));
    c.arg("--data-dir")
        .arg(dir)
        .env("TZ", OSLO)
        .env_remove("DOORLOG_DATA_DIR");
    c
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(dir: &Path, args: &[&str]) -> Run {
    let o: Output = doorlog(dir).args(args).output().expect("doorlog runs");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Runs with `input` on standard input (a PIN, a note).
pub fn run_with_input(dir: &Path, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = doorlog(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("doorlog runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Runs and expects success; returns standard output.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let r = run(dir, args);
    assert_eq!(r.code, 0, "doorlog {args:?} failed: {}", r.stderr);
    r.stdout
}

/// Saves a contact as the hatch would: at `at` (UTC), for `visitor` or
/// anonymous, with these items handed out and an optional note.
pub fn record_items(
    store: &Store,
    cfg: &Config,
    at: time::OffsetDateTime,
    visitor: Option<u64>,
    items: &[(&str, u16)],
    note: Option<&str>,
) -> doorlog::domain::Contact {
    let mut d = doorlog::domain::ContactDraft::new(at);
    d.visitor = visitor;
    d.note = note.map(Into::into);
    d.items = items
        .iter()
        .map(|(item, out)| doorlog::domain::ItemLine {
            item: (*item).into(),
            out: *out,
            returned: 0,
        })
        .collect();
    let (day, hour) = cfg.day_rule.day_and_hour(at);
    store
        .record(d.into_contact(&cfg.catalog, day, hour).unwrap())
        .unwrap()
}

/// A config for a data directory, in Oslo time.
pub fn config(dir: &Path) -> Config {
    private_dir(dir);
    std::fs::write(
        dir.join("config.json"),
        format!(r#"{{"timezone": "{OSLO}", "cutover_hour": 0}}"#),
    )
    .unwrap();
    Config::load(dir).unwrap()
}

pub fn open(dir: &Path) -> Store {
    private_dir(dir);
    Store::open(dir, &StoreOptions::default()).unwrap()
}

/// A data directory as doorlog makes it: for this account only (0700), so
/// commands print no notice about tightening it.
pub fn private_dir(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// Copies a directory tree (a data directory, a store).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A small file system for the full-disk tests, unmounted when dropped;
/// `None` where this machine cannot mount one (not root, no tmpfs).
pub struct SmallDisk(pub std::path::PathBuf);

impl SmallDisk {
    pub fn mount(mb: u32) -> Option<SmallDisk> {
        let d = tempfile::tempdir().unwrap().keep();
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mb}m"), "tmpfs"])
            .arg(&d)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk(d))
    }

    /// Fills the disk; the file names, to free the room again.
    pub fn fill(&self) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for n in 0.. {
            let p = self.0.join(format!("fill{n}"));
            let full = std::fs::write(&p, vec![0u8; 64 * 1024]).is_err();
            files.push(p);
            if full {
                break;
            }
        }
        let _ = std::fs::write(self.0.join("fill-last"), vec![0u8; 1024]);
        files.push(self.0.join("fill-last"));
        files
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
