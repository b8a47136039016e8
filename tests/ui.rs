//! The door screen driven by keys: what staff type, and what the store holds
//! afterwards.

mod common;
#[path = "common/ui.rs"]
mod ui;

use doorlog::domain::{Channel, NewVisitor};
use doorlog::store::Store;
use doorlog::ui::Lang;
use time::macros::date;

use ui::{NOW, app, draft, keys, matches, paste, screen, status};

const TODAY: time::Date = date!(2026 - 11 - 26);

fn setup() -> (tempfile::TempDir, doorlog::config::Config, Store) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = common::config(dir.path());
    let store = common::open(dir.path());
    (dir, cfg, store)
}

fn register(store: &Store, alias: &str, code: Option<&str>) -> u64 {
    let nv = NewVisitor {
        alias: alias.into(),
        code: code.map(Into::into),
        ..Default::default()
    };
    store.add_visitor(nv, date!(2026 - 11 - 01), 0).unwrap().id
}

#[test]
fn anonymous_contact_with_one_meal_pack_in_three_keys() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    let n = keys(&mut app, "Space m Enter");
    assert_eq!(n, 3);
    let c = store.day_counts(TODAY).unwrap();
    assert_eq!((c.contacts, c.anonymous_contacts), (1, 1));
    assert_eq!(c.items_out["meal-pack"], 1);
    // The screen confirms with the id the store gave, and the tally moved.
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("✓ Saved: anonymous — 1 meal pack (20261126-1)"),
        "{s}"
    );
    assert!(
        s.contains("Today: 1 contact · 0 visitors · 1 item out"),
        "{s}"
    );
}

#[test]
fn known_regular_with_three_items_in_five_keys_after_three_letters() {
    let (_d, cfg, store) = setup();
    register(&store, "Rev", None);
    let aase = register(&store, "Åse Marie", Some("MAKO1993"));
    register(&store, "Asbjørn", None);
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "ase");
    assert_eq!(matches(&app)[0], "Åse Marie", "best match first");
    let n = keys(&mut app, "Enter m s k Enter");
    assert!(n <= 6, "{n} keys");
    let saved = store.contacts(TODAY, TODAY).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].visitor, Some(aase));
    let items: Vec<(&str, u16)> = saved[0]
        .items
        .iter()
        .map(|l| (l.item.as_str(), l.out))
        .collect();
    assert_eq!(items, [("meal-pack", 1), ("syringe", 1), ("needle", 1)]);
    // Found by code too, and with a typo.
    keys(&mut app, "mako");
    assert_eq!(matches(&app)[0], "Åse Marie");
    keys(&mut app, "Esc lit:Aes");
    assert!(matches(&app).iter().any(|a| a == "Åse Marie"));
}

#[test]
fn new_visitor_form_continues_into_the_contact() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    // Typed an alias nobody has: F3 takes it into the form.
    keys(&mut app, "lit:Nyfjes F3");
    assert_eq!(form_alias(&app), "Nyfjes");
    keys(&mut app, "Tab lit:mako1993 Tab lit:1993 Tab x Enter");
    assert_eq!(app.screen_name(), "contact");
    keys(&mut app, "m Enter");
    let v = store
        .visitor_by_alias("nyfjes")
        .unwrap()
        .expect("registered");
    assert_eq!(v.code.as_deref(), Some("MAKO1993"));
    assert_eq!(v.birth_year, Some(1993));
    let c = store.day_counts(TODAY).unwrap();
    assert_eq!((c.contacts, c.new_visitors, c.unique_visitors()), (1, 1, 1));
    // A taken alias is refused inline; the form keeps what was typed.
    keys(&mut app, "F3 lit:NYFJES Enter");
    assert_eq!(form_alias(&app), "NYFJES");
    assert!(!status(&app).unwrap().1);
    assert!(screen(&app, 80, 24).contains("Alias: another visitor already has this alias"));
}

fn form_alias(app: &doorlog::ui::App) -> String {
    let form = app
        .screen::<doorlog::ui::screens::new_visitor::NewVisitor>()
        .expect("the new-visitor form is in front");
    form.form.value(0).to_string()
}

#[test]
fn conversation_topics_and_note_are_saved_with_the_contact() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(
        &mut app,
        "Space m Tab h l Tab lit:wants_a_shelter_place Enter Enter",
    );
    let saved = store.contacts(TODAY, TODAY).unwrap();
    assert_eq!(saved[0].topics, ["housing", "loneliness"]);
    assert_eq!(saved[0].note.as_deref(), Some("wants a shelter place"));
    assert_eq!(store.day_counts(TODAY).unwrap().conversations, 1);
    // Esc in the conversation panel drops only its own changes.
    // Asked once when something was chosen: a slip keeps the conversation.
    keys(&mut app, "Space m Tab h Esc");
    assert!(screen(&app, 80, 24).contains("Press Esc again to drop this conversation"));
    keys(&mut app, "Esc Enter");
    let saved = store.contacts(TODAY, TODAY).unwrap();
    assert!(saved[1].topics.is_empty());
    assert_eq!(store.day_counts(TODAY).unwrap().conversations, 1);
}

#[test]
fn flags_returns_and_channel_are_one_key_each() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    // Overdose, collecting for two others, referred to housing (the
    // second type: key 4); a sharps container back and one out; a naloxone
    // kit as a refill because the last one was used on someone.
    keys(&mut app, "Space F8 Tab 1 2 2 4 Enter - b b x , , Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[0];
    assert_eq!(c.channel, Channel::Phone);
    assert!(c.flags.overdose_reported);
    assert_eq!(c.flags.collecting_for, 2);
    assert_eq!(c.referrals, ["housing"]);
    assert_eq!(
        c.flags.naloxone,
        Some(doorlog::domain::Naloxone::RefillUsed)
    );
    let sharps = c.items.iter().find(|l| l.item == "sharps-container");
    assert_eq!(sharps.map(|l| (l.out, l.returned)), Some((1, 1)));
    let counts = store.day_counts(TODAY).unwrap();
    assert_eq!(counts.flags, [1, 1, 1]);
    assert_eq!(counts.naloxone, [0, 1, 0, 0, 0]);
    // `,` without naloxone in the contact says what to do first.
    keys(&mut app, "Space m ,");
    assert!(screen(&app, 80, 24).contains("Add the naloxone kit first"));
    keys(&mut app, "Esc Esc");
    // Backspace takes back the last press.
    keys(&mut app, "Space m m s Backspace Backspace Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[1];
    assert_eq!((c.items.len(), c.items[0].out), (1, 1));
}

#[test]
fn undo_takes_back_the_last_contact_and_is_audited() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "Space m Enter Space s Enter");
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 2);
    // Asked once, with what it would take back; the second Ctrl-Z undoes.
    keys(&mut app, "C-z");
    assert!(screen(&app, 80, 24).contains("again to undo 10:15 anonymous — 1 syringe"));
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 2);
    keys(&mut app, "C-z");
    let c = store.day_counts(TODAY).unwrap();
    assert_eq!(c.contacts, 1);
    assert!(!c.items_out.contains_key("syringe"));
    assert!(screen(&app, 80, 24).contains("Undone 20261126-2"));
    let audit = store.audit(i64::MIN, i64::MAX).unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == "undo" && a.contact.as_deref() == Some("20261126-2"))
    );
}

#[test]
fn a_recent_contact_can_be_corrected_or_undone_from_the_list() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "Space m Enter Space f Enter");
    // F5, the newest is selected; Up selects the first; Enter opens it.
    keys(&mut app, "F5 Down Enter s Enter");
    let first = store
        .contact("20261126-1".parse().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        first.items.len(),
        2,
        "meal pack and the syringe added in the correction"
    );
    assert_eq!(store.day_counts(TODAY).unwrap().items_out["syringe"], 1);
    assert!(
        store
            .audit(i64::MIN, i64::MAX)
            .unwrap()
            .iter()
            .any(|a| a.action == "correct")
    );
    keys(&mut app, "F5 u u Esc");
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 1);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn messages_show_when_the_visitor_is_picked_until_marked_done() {
    let (_d, cfg, store) = setup();
    let rev = register(&store, "Rev", None);
    let mut app = app(&store, &cfg, Lang::En);
    // Pin a message through the UI, then see it on the next visit.
    keys(&mut app, "rev Enter C-p lit:Mail_arrived_for_you Enter Esc");
    assert_eq!(store.open_messages(rev).unwrap().len(), 1);
    keys(&mut app, "rev Enter");
    // The hatch can see the screen: who left it and when, the text on a key.
    let s = screen(&app, 80, 24);
    assert!(s.contains("Message from TC, 2026-11-26"), "{s}");
    assert!(!s.contains("Mail arrived"), "{s}");
    keys(&mut app, "C-n");
    assert!(screen(&app, 80, 24).contains("Mail arrived for you"));
    keys(&mut app, "C-d m Enter");
    assert!(store.open_messages(rev).unwrap().is_empty());
    keys(&mut app, "rev Enter");
    assert!(!screen(&app, 80, 24).contains("Mail arrived"));
}

#[test]
fn tally_mode_saves_one_anonymous_contact_per_key() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "F4 m m x");
    assert!(screen(&app, 80, 24).contains("3 contacts saved in this tally"));
    keys(&mut app, "Backspace");
    assert!(screen(&app, 80, 24).contains("2 contacts saved in this tally"));
    keys(&mut app, "Esc");
    let c = store.day_counts(TODAY).unwrap();
    assert_eq!((c.contacts, c.anonymous_contacts), (2, 2));
    assert_eq!(c.items_out["meal-pack"], 2);
    assert!(!c.items_out.contains_key("naloxone"));
}

#[test]
fn esc_backs_out_without_saving_and_asks_twice_when_something_was_entered() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "Space Esc");
    assert_eq!(app.screen_name(), "home");
    keys(&mut app, "Space m Esc");
    assert_eq!(app.screen_name(), "contact", "one Esc keeps the items");
    assert!(screen(&app, 80, 24).contains("Press Esc again"));
    keys(&mut app, "Esc");
    assert_eq!(app.screen_name(), "home");
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 0);
}

#[test]
fn bad_input_gets_a_message_not_a_panic() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    // A 10 KB paste into the note keeps 1,000 characters and says so.
    keys(&mut app, "Space Tab Tab");
    paste(&mut app, &"x".repeat(10 * 1024));
    assert!(screen(&app, 80, 24).contains("at most 1000 characters"));
    // Control characters never reach the text; escape codes are dropped.
    paste(&mut app, "\u{1b}[2J\u{7}");
    keys(&mut app, "Enter Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[0];
    let note = c.note.as_deref().unwrap();
    assert_eq!(note.chars().count(), 1000);
    assert!(!note.contains('\u{1b}'));
    // A paste into the search or a form field is one line, cut to size.
    paste(&mut app, &"a\nb".repeat(5000));
    let home = app.screen::<doorlog::ui::screens::home::Home>().unwrap();
    assert!(home.search.value.chars().count() <= 64);
    keys(&mut app, "Esc F3");
    paste(&mut app, &"🦊".repeat(100));
    assert!(screen(&app, 80, 24).contains("at most 64 characters"));
    // A paste where keys are hotkeys is refused, not typed as items.
    keys(&mut app, "Esc Space");
    paste(&mut app, "mmmmm");
    assert!(draft(&app).unwrap().entries.is_empty());
    keys(&mut app, "Esc");
    // Emoji and right-to-left aliases register and draw.
    keys(&mut app, "F3");
    paste(&mut app, "مرحبا 🦊");
    keys(&mut app, "Enter m Enter");
    assert!(store.visitor_by_alias("مرحبا 🦊").unwrap().is_some());
    for (w, h) in [(2, 2), (1, 1), (59, 15), (80, 24), (200, 60)] {
        screen(&app, w, h);
    }
    assert!(screen(&app, 2, 2).starts_with("Te"));
    assert!(screen(&app, 40, 10).contains("Terminal too small"));
}

#[test]
fn resizing_mid_form_keeps_what_was_typed() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "F3 lit:Halv");
    screen(&app, 80, 24);
    assert!(screen(&app, 30, 8).contains("too small"));
    keys(&mut app, "lit:ferdig");
    assert!(screen(&app, 80, 24).contains("Halvferdig"));
}

#[test]
fn the_help_lists_every_key_of_the_screen() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    for script in ["", "Space", "Tab"] {
        keys(&mut app, script);
        keys(&mut app, "F1");
        let s = screen(&app, 100, 40);
        let help = app.help_lines();
        assert!(help.len() >= 5);
        for l in help {
            let start: String = l.text.chars().take(30).collect();
            let line = s.lines().find(|row| row.contains(&start));
            assert!(
                line.is_some_and(|row| row.contains(&format!(" {} ", l.keys))),
                "help lacks {l:?}:\n{s}"
            );
        }
        keys(&mut app, "F1");
        assert!(!app.help_open());
    }
}

#[test]
fn a_new_day_applies_the_privacy_rules_and_the_search_forgets_anonymised_visitors() {
    let (_d, cfg, store) = setup();
    // Registered long ago, never seen since.
    let nv = NewVisitor {
        alias: "Oldtimer".into(),
        ..Default::default()
    };
    store
        .add_visitor(nv, TODAY - time::Duration::days(729), 0)
        .unwrap();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "oldt");
    assert_eq!(matches(&app).len(), 1);
    keys(&mut app, "Esc");
    app.tick(NOW + time::Duration::days(2));
    // Two days idle locked the screen too.
    keys(&mut app, "lit:TC Enter lit:1234 Enter");
    assert!(!app.is_locked());
    keys(&mut app, "oldt");
    assert!(screen(&app, 80, 24).contains("Search: oldt"));
    assert!(matches(&app).is_empty());
    assert!(store.visitors().unwrap().is_empty());
}

#[test]
fn the_clock_rolls_the_service_day_over() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "Space m Enter");
    app.tick(NOW + time::Duration::days(1));
    assert_eq!(app.env.today.counts.contacts, 0);
    assert!(app.env.today.contacts.is_empty());
    assert!(screen(&app, 80, 24).contains("2026-11-27"));
}

#[test]
fn reports_show_the_period_and_export_what_they_show() {
    let (d, cfg, store) = setup();
    register(&store, "Rev", None);
    let mut app = app(&store, &cfg, Lang::En);
    // Three contacts today, Rev twice.
    keys(
        &mut app,
        "rev Enter m Enter rev Enter m x , Enter Space m Enter",
    );
    // The screen opens on today.
    keys(&mut app, "F6");
    let r = reports(&app);
    assert_eq!((r.from, r.to, r.total.contacts), (TODAY, TODAY, 3));
    assert!(screen(&app, 80, 24).contains("Day: 2026-11-26"));
    keys(&mut app, "m");
    let r = reports(&app);
    assert_eq!(
        (r.from, r.to),
        (date!(2026 - 11 - 01), date!(2026 - 11 - 30))
    );
    assert_eq!(r.total.contacts, 3);
    assert_eq!(r.total.unique_visitors(), 1);
    assert_eq!(r.total.items_out["meal-pack"], 3);
    // The 30-day chart ends today, not at the end of the month.
    assert_eq!(r.last30.last().unwrap(), &(TODAY, 3));
    let s = screen(&app, 80, 24);
    assert!(s.contains("November 2026"), "{s}");
    assert!(s.contains("(2 doses)"), "naloxone kits and doses: {s}");
    // Items handed out today stay listed, and so do the ones at zero.
    assert!(s.contains("Syringe"), "{s}");
    // The previous month is empty; a typed range shows the same numbers.
    // Typing replaces the prefilled date; both ways of writing it work.
    keys(&mut app, "Left");
    assert_eq!(reports(&app).total.contacts, 0);
    keys(&mut app, "c lit:2026-11-26 Tab lit:26.11.2026 Enter");
    let r = reports(&app);
    assert_eq!((r.from, r.to, r.total.contacts), (TODAY, TODAY, 3));
    // A bad range is refused inline.
    keys(&mut app, "c Backspace Enter");
    assert!(screen(&app, 80, 24).contains("From: must be a date"));
    keys(&mut app, "Esc");
    // e writes the CSV the command line would write: days only.
    keys(&mut app, "e");
    let file = d.path().join("exports/doorlog-2026-11-26-2026-11-26.csv");
    let written = std::fs::read_to_string(&file).unwrap();
    let counts = store.report_counts(TODAY, TODAY).unwrap();
    let opts = doorlog::report::ExportOptions::default();
    let same = doorlog::report::export(
        &counts,
        &cfg.catalog,
        TODAY,
        TODAY,
        doorlog::report::Format::Csv,
        &opts,
    );
    assert_eq!(written.as_bytes(), &same[..]);
    assert!(
        written
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("2026-11-26,3,1,0,1,0,3,"),
        "{written}"
    );
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(screen(&app, 80, 24).contains("Exported to"));
    // x writes the spreadsheet: a zip a spreadsheet program opens.
    keys(&mut app, "x");
    let xlsx = d.path().join("exports/doorlog-2026-11-26-2026-11-26.xlsx");
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    assert!(
        store
            .audit(i64::MIN, i64::MAX)
            .unwrap()
            .iter()
            .any(|a| a.action == "export")
    );
}

fn reports<'a>(app: &'a doorlog::ui::App) -> &'a doorlog::ui::screens::reports::Reports {
    app.screen().expect("the reports screen is in front")
}

#[test]
fn a_correction_can_take_units_back_too() {
    let (_d, cfg, store) = setup();
    let mut app = app(&store, &cfg, Lang::En);
    keys(&mut app, "Space m m s Enter");
    // Open it again: Backspace takes back the syringe (the last line).
    keys(&mut app, "F5 Enter Backspace Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[0];
    let items: Vec<(&str, u16)> = c.items.iter().map(|l| (l.item.as_str(), l.out)).collect();
    assert_eq!(items, [("meal-pack", 2)]);
    let counts = store.day_counts(TODAY).unwrap();
    assert_eq!(counts.items_out["meal-pack"], 2);
    assert!(!counts.items_out.contains_key("syringe"));
}

#[test]
fn the_start_sweep_runs_beside_the_screen_and_its_rewrite_waits_for_a_quiet_lock() {
    let (_d, cfg, store) = setup();
    let nv = NewVisitor {
        alias: "Oldtimer".into(),
        ..Default::default()
    };
    store
        .add_visitor(nv, TODAY - time::Duration::days(800), 0)
        .unwrap();
    ui::register(&store, "Oldenburg");
    // The screen is up before the visitors are read: the search has
    // nobody yet.
    let mut app = doorlog::ui::App::without_visitors(
        &store,
        &cfg,
        doorlog::ui::Texts::new(Lang::En),
        doorlog::ui::Theme { color: false },
        NOW,
    )
    .unwrap();
    app.signed_in_as(ui::coordinator(&store));
    keys(&mut app, "old");
    assert!(matches(&app).is_empty());
    // Then the visitors come (the search typed so far runs again), and
    // the upkeep, which anonymises the one unseen for two years and asks
    // for the files to be rewritten; the copy is made beside the screen,
    // which goes on saving.
    use doorlog::ui::app::{Signals, stop, work_beside};
    // Today's backup is there already (the backup has its own test).
    std::fs::create_dir_all(
        cfg.backup_dir
            .join(doorlog::store::daily_backup_name(TODAY)),
    )
    .unwrap();
    let signals = std::sync::Arc::new(Signals::default());
    let rewritten = std::thread::scope(|scope| {
        let (done, results) = std::sync::mpsc::channel();
        let (ask, jobs) = std::sync::mpsc::channel();
        let (store, cfg, beside) = (&store, &cfg, std::sync::Arc::clone(&signals));
        let worker = scope.spawn(move || work_beside(store, cfg, NOW, &done, &jobs, &beside));
        app.working_beside(results, ask, std::sync::Arc::clone(&signals));
        let until = |app: &mut doorlog::ui::App, what: fn(&doorlog::ui::App) -> bool| {
            for _ in 0..500 {
                app.tick(NOW + time::Duration::seconds(1));
                if what(app) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            panic!("the work beside the screen never got there");
        };
        until(&mut app, |a| matches(a) == ["Oldenburg"]);
        until(&mut app, |a| a.rewrite_ready);
        // A contact saved while the copy is kept up to date.
        keys(&mut app, "Esc Space m Enter");
        assert_eq!(app.env.today.counts.contacts, 1);
        // The copy takes the store's place only on a locked screen left
        // alone for a while.
        assert!(!app.reopen);
        keys(&mut app, "Esc F9");
        app.tick(NOW + time::Duration::seconds(30));
        assert!(!app.reopen);
        app.tick(NOW + time::Duration::minutes(3));
        assert!(app.reopen);
        signals
            .stopping
            .store(stop::FINISH_REWRITE, std::sync::atomic::Ordering::SeqCst);
        worker.join().unwrap()
    });
    assert!(rewritten.unwrap());
    drop(app);
    let store = store.take_rewrite(&cfg.store).unwrap();
    // The contact saved during the rewrite is in the rewritten store.
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 1);
    assert!(!store.rewrite_due().unwrap());
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// What cron would do, done by the running screen: a backup of each
/// service day, made beside the screen and finished while it is locked,
/// rotated as configured; and the one from three days ago restores exactly
/// that day's store.
#[test]
fn the_running_screen_backs_up_each_day_and_an_old_backup_restores_that_day() {
    use doorlog::ui::app::{Done, Job, Signals, stop, work_beside};
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    common::private_dir(&dir);
    std::fs::write(
        dir.join("config.json"),
        format!(r#"{{"timezone": "{}", "backups_kept": 2}}"#, common::OSLO),
    )
    .unwrap();
    let cfg = doorlog::config::Config::load(&dir).unwrap();
    let store = common::open(&dir);
    let signals = Signals::default();
    // Locked: nothing is being saved, each backup is finished at once.
    signals
        .quiet
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let day = |n: i64| TODAY + time::Duration::days(n);
    ui::record_anonymous(&store, &cfg, day(0));
    let mut counts = Vec::new();
    std::thread::scope(|scope| {
        let (done, results) = std::sync::mpsc::channel();
        let (ask, jobs) = std::sync::mpsc::channel();
        let (store_ref, cfg_ref, sig) = (&store, &cfg, &signals);
        let worker = scope.spawn(move || work_beside(store_ref, cfg_ref, NOW, &done, &jobs, sig));
        let backed = |results: &std::sync::mpsc::Receiver<Done>| loop {
            match results
                .recv_timeout(std::time::Duration::from_secs(20))
                .unwrap()
            {
                Done::BackedUp(r) => return r.unwrap(),
                _ => continue,
            }
        };
        // The first start's backup of today, then one for each next day,
        // with a contact more each day.
        let first = backed(&results);
        assert!(first.ends_with(doorlog::store::daily_backup_name(TODAY)));
        counts.push(
            store
                .counts_range(time::Date::MIN, time::Date::MAX)
                .unwrap(),
        );
        for n in 1..=4 {
            ui::record_anonymous(&store, &cfg, day(n));
            ask.send(Job::Backup(day(n))).unwrap();
            backed(&results);
            counts.push(
                store
                    .counts_range(time::Date::MIN, time::Date::MAX)
                    .unwrap(),
            );
        }
        // Asked again for a day that has one: nothing is written.
        ask.send(Job::Backup(day(4))).unwrap();
        signals
            .stopping
            .store(stop::ABANDON, std::sync::atomic::Ordering::SeqCst);
        drop(ask);
        assert!(!worker.join().unwrap().unwrap());
        assert!(results.try_iter().all(|r| !matches!(r, Done::BackedUp(_))));
    });
    // The day before each backup's day is exported for a pickup job: the
    // daily CSV and the long format, counts only.
    let exports = dir.join("exports");
    let iso = doorlog::report::iso(day(0));
    let csv = std::fs::read_to_string(exports.join(format!("counts-{iso}.csv"))).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with(&format!("{iso},1,")),
        "{csv}"
    );
    let long = std::fs::read_to_string(exports.join(format!("counts-{iso}-long.csv"))).unwrap();
    assert!(long.starts_with("date,centre,metric,value"), "{long}");
    assert!(
        long.contains(&format!("{iso},doorlog,contacts,1")),
        "{long}"
    );
    // A coordinator's home screen says when the newest one was made.
    assert_eq!(
        doorlog::store::newest_daily_backup(&cfg.backup_dir),
        Some(day(4))
    );
    // Kept: the newest two, and the first of the month (today's).
    let mut kept: Vec<String> = std::fs::read_dir(&cfg.backup_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kept.sort();
    let name = |n| doorlog::store::daily_backup_name(day(n));
    let mut expected = vec![name(0), name(3), name(4)];
    expected.sort();
    assert_eq!(kept, expected);
    // The backup of three days before the last gives back that day's store.
    drop(store);
    doorlog::store::restore(&dir, &cfg.backup_dir.join(name(0)), &cfg.store).unwrap();
    let store = common::open(&dir);
    assert_eq!(
        store
            .counts_range(time::Date::MIN, time::Date::MAX)
            .unwrap(),
        counts[0]
    );
    assert!(store.check().unwrap().is_ok());
}

/// Stock at the hatch: an item low on stock is marked in the item grid,
/// and one that runs out before the day is over at today's pace is named
/// on the home screen with the time it would.
#[test]
fn the_hatch_sees_low_stock_and_when_an_item_runs_out() {
    let (_d, cfg, store) = setup();
    store
        .receive_stock("foil", 20, TODAY, None, None, 0)
        .unwrap();
    store.set_low_level("foil", 15, None, 0).unwrap();
    // 5 foil at 08:00 and at 09:00 (Oslo); it is 10:15 now.
    for h in [7, 8] {
        let at = TODAY.with_hms(h, 0, 0).unwrap().assume_utc();
        common::record_items(&store, &cfg, at, None, &[("foil", 5)], None);
    }
    let mut a = app(&store, &cfg, Lang::En);
    // 10 left, 10 used in 2 h 15 min: gone at 12:30.
    let shown = screen(&a, 80, 24);
    assert!(
        shown.contains("Runs out today at this pace: Foil"),
        "{shown}"
    );
    assert!(shown.contains("≈ 12:30"), "{shown}");
    keys(&mut a, "Space");
    assert!(
        screen(&a, 80, 24).contains("Foil (low)"),
        "{}",
        screen(&a, 80, 24)
    );
    // Two more handed out: the figure follows without reading the stock.
    keys(&mut a, "2 f Enter");
    assert_eq!(a.env.today.stock[0].on_hand, 8);
    // The reports screen lists the stock, the low item marked.
    keys(&mut a, "F6");
    let shown = screen(&a, 80, 24);
    assert!(shown.contains("In stock now: Foil 8 (low)"), "{shown}");
}

/// A coordinator sees on the home screen when the newest daily backup was
/// made; door staff do not.
#[test]
fn the_home_screen_tells_a_coordinator_the_last_backup() {
    let (_d, cfg, store) = setup();
    let b = cfg
        .backup_dir
        .join(doorlog::store::daily_backup_name(date!(2026 - 11 - 25)));
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(b.join("doorlog-backup.json"), "{}").unwrap();
    let a = app(&store, &cfg, Lang::Nb);
    let shown = screen(&a, 80, 24);
    assert!(shown.contains("Siste daglige"), "{shown}");
    assert!(shown.contains("25.11.2026"), "{shown}");
    let door =
        doorlog::domain::NewStaff::new("Ola", "OL", doorlog::domain::Role::Door, "2468").unwrap();
    let door = store.add_staff(door, None, 0).unwrap();
    let mut a = app(&store, &cfg, Lang::Nb);
    a.signed_in_as(door);
    assert!(!screen(&a, 80, 24).contains("sikkerhetskopi"));
}

/// A day without contacts says so in the hour chart, instead of squeezing
/// 24 hour labels into digit soup.
#[test]
fn an_empty_day_says_it_had_no_contacts() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "F6 d");
    let shown = screen(&a, 80, 24);
    assert!(shown.contains("Ingen henvendelser i perioden"), "{shown}");
    assert!(!shown.contains("0001020304"), "{shown}");
}

/// Registering someone who may already be registered: the form names the
/// look-alikes (a nickname one typo apart, or the same code).
#[test]
fn the_new_visitor_form_names_who_may_be_the_same_person() {
    let (_d, cfg, store) = setup();
    register(&store, "Rev", Some("REVX1980"));
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "lit:Reb F3");
    let shown = screen(&a, 80, 24);
    assert!(
        shown.contains("Allerede registrert og lignende: Rev"),
        "{shown}"
    );
    // Someone else entirely: nothing said.
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "lit:Kari F3");
    assert!(!screen(&a, 80, 24).contains("Allerede registrert"));
    // The same code under another nickname.
    keys(&mut a, "Tab lit:REVX1980");
    assert!(screen(&a, 80, 24).contains("lignende: Rev"));
}

/// With a set hour, the running screen backs the day up again then, so
/// the day's backup has the day's work; once a day.
#[test]
fn at_the_set_hour_the_day_is_backed_up_again_with_its_work() {
    use doorlog::ui::app::{Done, Job, Signals, stop, work_beside};
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("data");
    common::private_dir(&dir);
    std::fs::write(
        dir.join("config.json"),
        format!(r#"{{"timezone": "{}", "backup_hour": 22}}"#, common::OSLO),
    )
    .unwrap();
    let cfg = doorlog::config::Config::load(&dir).unwrap();
    let store = common::open(&dir);
    // The screen asks at 22:00 Oslo time, once.
    {
        let mut a = app(&store, &cfg, Lang::En);
        let (ask, jobs) = std::sync::mpsc::channel();
        let (_done, results) = std::sync::mpsc::channel();
        a.working_beside(results, ask, std::sync::Arc::new(Signals::default()));
        let at_22 = TODAY.with_hms(21, 0, 5).unwrap().assume_utc();
        a.tick(at_22 - time::Duration::hours(1));
        a.tick(at_22);
        a.tick(at_22 + time::Duration::minutes(30));
        let asked: Vec<Job> = jobs.try_iter().collect();
        assert!(
            matches!(asked[..], [Job::BackupAgain(day)] if day == TODAY),
            "{} asked",
            asked.len()
        );
    }
    let signals = Signals::default();
    signals
        .quiet
        .store(true, std::sync::atomic::Ordering::SeqCst);
    ui::record_anonymous(&store, &cfg, TODAY);
    std::thread::scope(|scope| {
        let (done, results) = std::sync::mpsc::channel();
        let (ask, jobs) = std::sync::mpsc::channel();
        let (store_ref, cfg_ref, sig) = (&store, &cfg, &signals);
        let worker = scope.spawn(move || work_beside(store_ref, cfg_ref, NOW, &done, &jobs, sig));
        let backed = || loop {
            match results
                .recv_timeout(std::time::Duration::from_secs(20))
                .unwrap()
            {
                Done::BackedUp(r) => return r.unwrap(),
                _ => continue,
            }
        };
        backed();
        // The day goes on; at the set hour its backup is made again.
        ui::record_anonymous(&store, &cfg, TODAY);
        ask.send(Job::BackupAgain(TODAY)).unwrap();
        backed();
        signals
            .stopping
            .store(stop::ABANDON, std::sync::atomic::Ordering::SeqCst);
        drop(ask);
        worker.join().unwrap().unwrap();
    });
    let names: Vec<String> = std::fs::read_dir(&cfg.backup_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let name = doorlog::store::daily_backup_name(TODAY);
    assert_eq!(
        names,
        std::slice::from_ref(&name),
        "one backup of the day, nothing left over"
    );
    drop(store);
    doorlog::store::restore(&dir, &cfg.backup_dir.join(name), &cfg.store).unwrap();
    let store = common::open(&dir);
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 2);
}

/// Staff quit before the screen was ever left locked: the day's backup,
/// under way beside the screen, is finished before doorlog ends.
#[test]
fn quitting_finishes_the_days_backup() {
    use doorlog::ui::app::{Signals, stop, work_beside};
    let (_d, cfg, store) = setup();
    ui::record_anonymous(&store, &cfg, TODAY);
    // Never quiet: the screen was in use all the time.
    let signals = Signals::default();
    std::thread::scope(|scope| {
        let (done, _results) = std::sync::mpsc::channel();
        let (_ask, jobs) = std::sync::mpsc::channel();
        let (store_ref, cfg_ref, sig) = (&store, &cfg, &signals);
        let worker = scope.spawn(move || work_beside(store_ref, cfg_ref, NOW, &done, &jobs, sig));
        std::thread::sleep(std::time::Duration::from_millis(300));
        signals
            .stopping
            .store(stop::FINISH_BACKUP, std::sync::atomic::Ordering::SeqCst);
        worker.join().unwrap().unwrap();
    });
    assert_eq!(
        doorlog::store::newest_daily_backup(&cfg.backup_dir),
        Some(TODAY)
    );
}
