//! sled reports trouble (a failed write, a slow flush) through the `log`
//! crate. Its warnings and errors go to `doorlog.log` in the data
//! directory (0600, like every file there), one line each, with the time.
//! doorlog itself logs nothing there: no alias, code or note ever reaches
//! it. The file is started afresh when it passes 1 MB (the old one is kept
//! as `doorlog.log.1`).

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

const FILE: &str = "doorlog.log";
const MAX_BYTES: u64 = 1024 * 1024;

struct FileLog(Mutex<std::fs::File>);

impl log::Log for FileLog {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.level() <= log::Level::Warn
    }

    fn log(&self, r: &log::Record) {
        if !self.enabled(r.metadata()) {
            return;
        }
        let now = time::OffsetDateTime::now_utc();
        if let Ok(mut f) = self.0.lock() {
            let _ = writeln!(
                f,
                "{} {} {}: {}",
                now.unix_timestamp(),
                r.level(),
                r.target(),
                r.args()
            );
        }
    }

    fn flush(&self) {
        if let Ok(mut f) = self.0.lock() {
            let _ = f.flush();
        }
    }
}

/// Sends sled's warnings and errors to the data directory's log file. Does
/// nothing when the directory is not there (yet) or the file cannot be
/// opened: logging never stops doorlog.
pub fn install(data_dir: &Path) {
    if !data_dir.is_dir() {
        return;
    }
    let path = data_dir.join(FILE);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_BYTES) {
        let _ = std::fs::rename(&path, data_dir.join(format!("{FILE}.1")));
    }
    let Ok(f) = std::fs::File::options()
        .create(true)
        .append(true)
        .open(&path)
    else {
        return;
    };
    if log::set_boxed_logger(Box::new(FileLog(Mutex::new(f)))).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
}
