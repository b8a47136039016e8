use std::process::ExitCode;

use clap::Parser;

use doorlog::cli::{self, Cli, Ctx, Failure};
use doorlog::config::{Config, default_data_dir};

fn main() -> ExitCode {
    install_panic_hook();
    // Everything doorlog creates (the store, the lock, exports, backups) is
    // for this computer account only: 0700 directories, 0600 files.
    doorlog::files::private_umask();
    let args = match Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("doorlog: {f}");
            ExitCode::from(f.exit_code())
        }
    }
}

fn run(args: Cli) -> Result<(), Failure> {
    let data_dir = match args.data_dir.or_else(default_data_dir) {
        Some(d) => d,
        None => {
            return Err(Failure::Unavailable(
                "cannot find a data directory for this user; give one with --data-dir DIR".into(),
            ));
        }
    };
    if data_dir.exists() && !data_dir.is_dir() {
        return Err(Failure::Unavailable(format!(
            "the data directory {} is a file, not a directory; give another with --data-dir DIR",
            data_dir.display()
        )));
    }
    if let Some(notice) = doorlog::files::tighten(&data_dir) {
        eprintln!("doorlog: {notice}");
    }
    let config = Config::load_with_lang(&data_dir, args.lang.as_deref())?;
    doorlog::logfile::install(&data_dir);
    let ctx = Ctx { config };
    match args.command {
        Some(command) => cli::run(&ctx, command),
        None => {
            // An erasure's rewrite that a stop cut short is done beside the
            // screen, not before it (commands do it first, `Ctx::open`).
            // Said in the door screen's language (a store another doorlog
            // holds, a damaged one), with the same exit codes as commands.
            let store = doorlog::store::Store::open(&ctx.config.data_dir, &ctx.config.store)
                .map_err(|e| {
                    let said = doorlog::ui::Texts::new(ctx.config.lang).store_error(&e);
                    match Failure::from(e) {
                        Failure::Busy(_) => Failure::Busy(said),
                        Failure::Unavailable(_) => Failure::Unavailable(said),
                        Failure::Input(_) => Failure::Input(said),
                    }
                })?;
            doorlog::ui::run(store, &ctx.config).map_err(Failure::Unavailable)
        }
    }
}

/// A panic prints where it happened and nothing else: panic messages can
/// carry data, and visitors' data must never reach a log or the screen.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown place".into());
        eprintln!(
            "doorlog: internal error at {place}. Saved contacts are safe on disk; please report this (the place, not the data)."
        );
    }));
}
