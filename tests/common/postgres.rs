//! A throwaway PostgreSQL cluster for the tests that load exports the way
//! a city does: Debian's `postgresql` package (`.ci/run` installs it), a
//! cluster in a temporary directory, reached by a Unix socket there, gone
//! with the test. Without the package the test says so and does nothing,
//! unless `DOORLOG_REQUIRE_POSTGRES` is set (CI sets it: there it fails).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

/// The newest installed server's `bin` directory.
fn server_bin() -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
        .collect();
    found.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok())
            .unwrap_or(0)
    });
    found.pop()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A server command, as the `postgres` account when this is root (the
/// server refuses to run as root).
fn server_cmd(bin: &Path, name: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(bin.join(name));
        c
    } else {
        Command::new(bin.join(name))
    }
}

fn ok(out: Output, what: &str) -> Output {
    assert!(
        out.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

impl Cluster {
    /// Starts a cluster, or `None` (said on stderr) where PostgreSQL is not
    /// installed and CI does not require it.
    pub fn start() -> Option<Cluster> {
        let Some(bin) = server_bin() else {
            assert!(
                std::env::var_os("DOORLOG_REQUIRE_POSTGRES").is_none(),
                "PostgreSQL is required here: apt-get install postgresql"
            );
            eprintln!("PostgreSQL is not installed: the PostgreSQL test does nothing here");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            ok(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(dir.path())
                    .output()
                    .unwrap(),
                "chown",
            );
        }
        let data = dir.path().join("data");
        ok(
            server_cmd(&bin, "initdb")
                .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
                .arg("-D")
                .arg(&data)
                .output()
                .unwrap(),
            "initdb",
        );
        let opts = format!("-k {} -c listen_addresses='' -F", dir.path().display());
        ok(
            server_cmd(&bin, "pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &opts, "-w", "-l"])
                .arg(dir.path().join("server.log"))
                .arg("start")
                .output()
                .unwrap(),
            "pg_ctl start",
        );
        Some(Cluster { dir, bin })
    }

    /// Environment for psql and `contrib/postgres/load.sh`.
    pub fn env(&self, c: &mut Command) {
        c.env("PGHOST", self.dir.path())
            .env("PGUSER", "postgres")
            .env("PGDATABASE", "postgres");
    }

    /// Runs SQL with psql; returns what it printed (unaligned, no headers).
    pub fn sql(&self, sql: &str) -> String {
        let mut c = Command::new("psql");
        self.env(&mut c);
        c.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]);
        let out = ok(c.output().unwrap(), sql);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs a psql meta-command script (`\copy`).
    pub fn script(&self, script: &str) -> Output {
        let mut c = Command::new("psql");
        self.env(&mut c);
        c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"]);
        c.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = server_cmd(&self.bin, "pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}
