//! UI benchmarks:
//! - one keystroke in the search over 100,000 visitors (the index the door
//!   screen keeps in memory; the store is not touched while typing);
//! - one full frame of the door screen;
//! - start to first frame on the 1,000,000-contact demo store.
//!
//!     cargo bench --bench ui

mod common;

use std::sync::OnceLock;

use divan::Bencher;
use doorlog::demo::{NAMES, Rng};
use doorlog::domain::Visitor;
use doorlog::ui::search::VisitorIndex;
use doorlog::ui::{App, Lang, Texts, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-06-30 10:00 UTC);

/// 100,000 visitors with made-up aliases, 40 % with a code, seen on
/// random days of the last two years.
fn visitors_100k() -> &'static VisitorIndex {
    static IX: OnceLock<VisitorIndex> = OnceLock::new();
    IX.get_or_init(|| {
        let mut rng = Rng::new(7);
        let day = NOW.date();
        VisitorIndex::new((1..=100_000u64).map(|id| {
            let seen = day - time::Duration::days(rng.below(730) as i64);
            Visitor {
                id,
                alias: format!("{} {id}", NAMES[rng.below(NAMES.len() as u64) as usize]),
                code: rng.percent(40).then(|| format!("ABCD{:04}", id % 10_000)),
                birth_year: None,
                gender: None,
                registered: day,
                first_seen: Some(seen),
                last_seen: Some(seen),
                erased: false,
            }
        }))
    })
}

/// Building the search index of 100,000 visitors, as the door screen does
/// before its first frame (the visitors read from the store are included
/// in `start_to_first_frame`; this is the index alone).
#[divan::bench(sample_count = 10)]
fn index_build_100k(bencher: Bencher) {
    let visitors: Vec<Visitor> = (0..visitors_100k().len())
        .map(|i| {
            let e = visitors_100k().get(i);
            Visitor {
                id: e.id,
                alias: e.alias.to_string(),
                code: e.code.map(Into::into),
                birth_year: None,
                gender: None,
                registered: NOW.date(),
                first_seen: e.last_seen(),
                last_seen: e.last_seen(),
                erased: false,
            }
        })
        .collect();
    bencher.bench(|| VisitorIndex::new(visitors.iter().cloned()));
}

/// The search for each prefix as it is typed, and a typo.
#[divan::bench(args = ["r", "re", "rev", "rev 12", "bjrn", "abcd12"])]
fn search_keystroke(bencher: Bencher, query: &str) {
    let ix = visitors_100k();
    bencher.bench(|| ix.search(query, doorlog::ui::screens::home::MATCHES));
}

/// A key typed on the door screen: the whole update path (search included)
/// with 100,000 visitors in the index.
#[divan::bench(sample_count = 200)]
fn door_keystroke(bencher: Bencher) {
    let store = common::open();
    let cfg = common::config();
    let mut app = door_screen(&store, &cfg);
    app.env.index = visitors_100k().clone();
    let keys = [
        KeyCode::Char('r'),
        KeyCode::Char('e'),
        KeyCode::Char('v'),
        KeyCode::Backspace,
        KeyCode::Backspace,
        KeyCode::Backspace,
    ];
    let mut n = 0;
    bencher.bench_local(|| {
        app.key(KeyEvent::new(keys[n % keys.len()], KeyModifiers::NONE));
        n += 1;
    });
}

/// The door screen past the sign-in (the lock screen is not what is measured).
fn door_screen<'a>(store: &'a doorlog::store::Store, cfg: &'a doorlog::config::Config) -> App<'a> {
    let mut app = App::new(store, cfg, Texts::new(Lang::En), Theme { color: true }, NOW).unwrap();
    let staff = doorlog::domain::Staff {
        id: 1,
        name: "Bench".into(),
        initials: "BE".into(),
        role: doorlog::domain::Role::Coordinator,
        pin_hash: String::new(),
        active: true,
        failed: 0,
        not_before: 0,
    };
    app.signed_in_as(staff);
    app
}

fn draw(t: &mut Terminal<TestBackend>, app: &App) {
    t.draw(|f| app.draw(f)).unwrap();
}

/// One full frame of the door screen at 80x24: the search with matches, and
/// the contact panel.
#[divan::bench(args = ["search", "contact"], sample_count = 200)]
fn render_frame(bencher: Bencher, screen: &str) {
    let store = common::open();
    let cfg = common::config();
    let mut app = door_screen(&store, &cfg);
    app.env.index = visitors_100k().clone();
    for c in "rev".chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    if screen == "contact" {
        for k in [KeyCode::Enter, KeyCode::Char('m'), KeyCode::Char('s')] {
            app.key(KeyEvent::new(k, KeyModifiers::NONE));
        }
    }
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    bencher.bench_local(|| draw(&mut t, &app));
}

/// The reports screen for a month and for a year (period counts, the last
/// 30 days, drawn at 80x24).
#[divan::bench(args = ["month", "year"], sample_count = 20, sample_size = 1)]
fn report_screen(bencher: Bencher, period: &str) {
    use doorlog::report::period::Period;
    use doorlog::ui::screens::{Screen, reports::Reports};
    let store = common::open();
    let cfg = common::config();
    let app = door_screen(&store, &cfg);
    let mut r = Reports::new(&app.env, common::LAST_DAY).unwrap();
    if period == "year" {
        r.period = Period::Custom;
        r.custom = (
            common::LAST_DAY - time::Duration::days(364),
            common::LAST_DAY,
        );
    }
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    bencher.bench_local(|| {
        r.load(&app.env).unwrap();
        t.draw(|f| Screen::draw(&r, f, f.area(), &app.env)).unwrap();
    });
}

/// From nothing to the first frame, as the door screen starts: open the
/// 1M-contact store (100,000 visitors), read today's contacts and counts,
/// draw the sign-in frame. Everything before the first frame is here; the
/// visitors for the search and the day's upkeep are read beside it
/// (`visitors_ready`).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn start_to_first_frame() {
    let cfg = common::config();
    let store = doorlog::store::Store::open(common::data_dir(), &cfg.store).unwrap();
    let app = App::without_visitors(
        &store,
        &cfg,
        Texts::new(Lang::En),
        Theme { color: true },
        NOW,
    )
    .unwrap();
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    draw(&mut t, &app);
}

/// The 100,000 visitors read from the store into the search index, as the
/// start's work beside the first frame does: how long after the first
/// frame a search finds anyone (staff are signing in meanwhile).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn visitors_ready(bencher: Bencher) {
    let store = common::open();
    bencher.bench_local(|| VisitorIndex::read(&store).unwrap());
}

/// The running door screen when the service day changes (on a copy of the
/// 1M store, its first sweep done): yesterday counted and closed, a day of
/// old notes deleted, the visitors now due anonymised and taken out of the
/// search, the new day's counts read, the screens refreshed. All of it runs
/// in the event loop, between two frames.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn day_change(bencher: Bencher) {
    bencher
        .with_inputs(|| {
            let (tmp, store) = common::copy();
            store
                .privacy_sweep(
                    common::LAST_DAY,
                    &doorlog::store::PrivacyPolicy::default(),
                    0,
                )
                .unwrap();
            // The screen borrows its store for its whole life.
            let store: &'static doorlog::store::Store = Box::leak(Box::new(store));
            let cfg: &'static doorlog::config::Config = Box::leak(Box::new(
                doorlog::config::Config::load(store.dir()).unwrap(),
            ));
            (tmp, door_screen(store, cfg))
        })
        .bench_local_values(|(tmp, mut app)| {
            app.tick(NOW + time::Duration::days(1));
            (tmp, app)
        });
}

fn main() {
    common::data_dir();
    divan::main();
    println!("peak resident memory: {}", common::peak_rss());
}
