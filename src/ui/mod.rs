//! The terminal UI. Data flows one way: a key or paste -> `App::input` (the
//! gate first, then the app's own keys, then the screen in front) -> the
//! screen's binding table -> its `update` -> the store (through `ops`) ->
//! new state -> `App::draw`. See `screens/` for every screen.

pub mod app;
pub mod card;
pub mod draft;
pub mod env;
pub mod keys;
pub mod nav;
pub mod ops;
pub mod screens;
pub mod search;
pub mod theme;
pub mod widgets;

use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyEventKind,
};
use ratatui::crossterm::execute;

use crate::config::Config;
pub use crate::i18n::{Lang, Texts};
use crate::store::Store;
pub use app::{App, Input};
pub use theme::Theme;

/// Runs the UI until staff quit. The terminal is restored on return and on
/// panic (ratatui's `init` installs that hook).
pub fn run(store: Store, config: &Config) -> Result<(), String> {
    // The catalog and settings in the store win over the files'.
    let config = &config
        .settle_in(&store, time::OffsetDateTime::now_utc().unix_timestamp())
        .map_err(|e| Texts::new(config.lang).store_error(&e))?;
    let tx = Texts::new(config.lang);
    // The door screen needs a terminal to draw on and read keys from.
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(tx.t("start.no_terminal").to_string());
    }
    let mut terminal = ratatui::init();
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    let result = serve(&mut terminal, store, config, &tx);
    let _ = execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    result
}

/// Runs the app on the store. When the disk filled up (sled keeps its
/// first write error) and has room again, the store is closed and opened
/// afresh and the app starts over, the same person signed in and their
/// unsaved contact back: the door screen recovers by itself.
fn serve(
    terminal: &mut ratatui::DefaultTerminal,
    mut store: Store,
    config: &Config,
    tx: &Texts,
) -> Result<(), String> {
    let mut resume: Option<crate::domain::Staff> = None;
    // `run` settled it; after a reopen, what the screens changed is read
    // from the store again.
    let mut settled = config.clone();
    loop {
        let now = time::OffsetDateTime::now_utc();
        let config = &settled;
        // The screen draws at once; the visitors for the search, the day's
        // upkeep and any rewrite of the files run beside it
        // (`app::work_beside`).
        let mut app = App::without_visitors(&store, config, tx.clone(), Theme::from_env(), now)
            .map_err(|e| tx.store_error(&e))?;
        if let Some(staff) = resume.take() {
            app.resume(staff);
        }
        let signals = std::sync::Arc::new(app::Signals::default());
        let (result, rewritten) = std::thread::scope(|scope| {
            let (done, results) = std::sync::mpsc::channel();
            let (ask, jobs) = std::sync::mpsc::channel();
            let store = &store;
            let beside = std::sync::Arc::clone(&signals);
            let worker =
                scope.spawn(move || app::work_beside(store, config, now, &done, &jobs, &beside));
            app.working_beside(results, ask, std::sync::Arc::clone(&signals));
            let result = event_loop(terminal, &mut app);
            // The screen writes no more: a ready rewrite is finished if the
            // screen stopped for it, given up otherwise.
            let how = if app.reopen && app.reopen_for_rewrite && !app.env.disk_full {
                app::stop::FINISH_REWRITE
            } else if !app.reopen {
                // Quit, a signal, the terminal gone: nothing is saved any
                // more, so the day's backup under way is finished first (a
                // shutdown waits the seconds it takes).
                if app.env.last_backup != Some(app.env.day) {
                    let _ = terminal.draw(|f| {
                        let text = ratatui::widgets::Paragraph::new(tx.t("start.finishing_backup"));
                        f.render_widget(text, f.area());
                    });
                }
                app::stop::FINISH_BACKUP
            } else {
                app::stop::ABANDON
            };
            signals
                .stopping
                .store(how, std::sync::atomic::Ordering::SeqCst);
            let rewritten = worker.join().unwrap_or(Ok(false));
            (result, rewritten)
        });
        if !app.reopen || result.is_err() {
            // However the loop ended (quit, a signal, the terminal gone),
            // what was being typed is kept for whoever typed it.
            app.keep_unsaved();
            return result.map_err(|e| tx.f("start.terminal_failed", &[("error", &e)]));
        }
        // Reopened: after a full disk had room again (the old store cannot
        // write any more), or for a rewrite made beside the screen, which
        // takes the store's place now (the screen was locked and idle).
        // What is unsaved goes across in memory, into the new store.
        let unsaved = app.unsaved_contacts();
        resume = app.env.staff.clone();
        drop(app);
        match rewritten {
            Ok(true) => {
                let _ = terminal.draw(|f| {
                    let text = ratatui::widgets::Paragraph::new(tx.t("start.rewriting"));
                    f.render_widget(text, f.area());
                });
                store = store
                    .take_rewrite(&config.store)
                    .map_err(|e| tx.store_error(&e))?;
            }
            other => {
                if let Err(e) = other {
                    log::warn!("the rewrite of the store's files failed: {e}");
                }
                drop(store);
                store =
                    Store::open(&config.data_dir, &config.store).map_err(|e| tx.store_error(&e))?;
            }
        }
        for (owner, kept) in unsaved {
            store
                .keep_contact(owner, &kept)
                .map_err(|e| tx.store_error(&e))?;
        }
        settled = settled.with_store(&store).map_err(|e| tx.store_error(&e))?;
    }
}

/// Set by SIGTERM, SIGHUP or SIGINT: the loop keeps what is unsaved,
/// gives the terminal back and ends.
static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_stop_signal(_: libc::c_int) {
    STOP.store(true, std::sync::atomic::Ordering::SeqCst);
}

fn catch_stop_signals() {
    for sig in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
        // SAFETY: the handler only stores to an atomic, which is
        // async-signal-safe.
        unsafe {
            libc::signal(sig, on_stop_signal as *const () as libc::sighandler_t);
        }
    }
}

fn event_loop(terminal: &mut ratatui::DefaultTerminal, app: &mut App) -> std::io::Result<()> {
    catch_stop_signals();
    while !app.quit && !app.reopen {
        if STOP.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        terminal.draw(|f| app.draw(f))?;
        // Wait for the terminal ourselves: once it is gone, crossterm's
        // poll spins for ever without returning, timeout or not (crossterm
        // issue #793), so it is asked only while the terminal is there.
        if wait_for_terminal(Duration::from_millis(250)) == Terminal::Gone {
            break;
        }
        // What crossterm has (keys, pastes, a resize), without waiting.
        let mut gone = false;
        loop {
            // Before crossterm is asked at all (its poll spins too), and
            // after each key (a PIN check takes a moment): still there?
            if STOP.load(std::sync::atomic::Ordering::SeqCst)
                || wait_for_terminal(Duration::ZERO) == Terminal::Gone
            {
                gone = true;
                break;
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => app.input(Input::Key(k)),
                Event::Paste(text) => app.input(Input::Paste(text)),
                _ => {}
            }
            if app.quit || app.reopen {
                break;
            }
        }
        if gone {
            break;
        }
        app.tick(time::OffsetDateTime::now_utc());
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Terminal {
    /// Input waiting, a signal, or the time is up.
    There,
    /// Hung up: the window closed, the connection dropped.
    Gone,
}

/// Waits up to `timeout` for input on the terminal (standard input).
fn wait_for_terminal(timeout: Duration) -> Terminal {
    let mut fds = [libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    }];
    let ms = timeout.as_millis().min(i32::MAX as u128) as libc::c_int;
    // SAFETY: one valid pollfd, its length given.
    let rc = unsafe { libc::poll(fds.as_mut_ptr(), 1, ms) };
    let gone = libc::POLLHUP | libc::POLLERR | libc::POLLNVAL;
    if rc > 0 && fds[0].revents & gone != 0 {
        Terminal::Gone
    } else {
        Terminal::There
    }
}
