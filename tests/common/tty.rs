//! The real binary in a pseudo-terminal, typed at like a person at the
//! hatch, its screen read back (tests and the door-screen benchmark).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Europe/Oslo as a POSIX rule.
const OSLO: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

pub struct Tty {
    pub screen: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tty {
    pub fn start(dir: &std::path::Path, cols: u16, rows: u16) -> Tty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_doorlog"));
        cmd.args(["--data-dir", dir.to_str().unwrap(), "--lang", "en"]);
        cmd.env("TZ", OSLO);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("DOORLOG_DATA_DIR");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
        )));
        let feed = Arc::clone(&screen);
        std::thread::spawn(move || {
            let _master = pair.master; // keep the pty open while reading
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        Tty {
            screen,
            writer,
            child,
        }
    }

    pub fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `what` (the frame is stable enough to read).
    pub fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while !self.text().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "never showed {what:?}:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the program has left the alternate screen (its last
    /// bytes may still be on their way from the pty after it exits).
    pub fn wait_given_back(&self) {
        let start = Instant::now();
        while self.screen.lock().unwrap().screen().alternate_screen() {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "the terminal is not given back"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }
}
