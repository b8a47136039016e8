//! The hatch as staff work it (issue 9): quantities, the usual, the traps
//! that used to save wrong data, today's list on a full day, who may
//! correct what, quitting the kiosk. Keystrokes are counted from the empty
//! home screen after the first three letters of the alias.

mod common;
#[path = "common/ui.rs"]
mod ui;

use doorlog::domain::{ContactDraft, ItemLine, NewStaff, NewVisitor, Role};
use doorlog::i18n::Lang;
use doorlog::store::{Store, StoreError};
use time::Duration;
use time::macros::date;

use ui::{NOW, app, draft, keys, screen};

const TODAY: time::Date = date!(2026 - 11 - 26);

fn setup() -> (tempfile::TempDir, doorlog::config::Config, Store) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = common::config(dir.path());
    let store = common::open(dir.path());
    (dir, cfg, store)
}

fn items(store: &Store, n: usize) -> Vec<(String, u16, u16)> {
    let c = &store.contacts(TODAY, TODAY).unwrap()[n];
    c.items
        .iter()
        .map(|l| (l.item.clone(), l.out, l.returned))
        .collect()
}

fn owned(v: &[(&str, u16, u16)]) -> Vec<(String, u16, u16)> {
    v.iter().map(|(i, o, r)| (i.to_string(), *o, *r)).collect()
}

/// A visitor seen two days ago with 10 syringes, 10 needles, a meal pack.
fn regular(store: &Store, cfg: &doorlog::config::Config) -> u64 {
    let nv = NewVisitor {
        alias: "Kari".into(),
        ..Default::default()
    };
    let id = store.add_visitor(nv, date!(2026 - 11 - 01), 0).unwrap().id;
    let at = NOW - Duration::days(2);
    let mut d = ContactDraft::new(at);
    d.visitor = Some(id);
    d.items = [("meal-pack", 1), ("syringe", 10), ("needle", 10)]
        .into_iter()
        .map(|(i, n)| ItemLine {
            item: i.into(),
            out: n,
            returned: 0,
        })
        .collect();
    let (day, hour) = cfg.day_rule.day_and_hour(at);
    store
        .record(d.into_contact(&cfg.catalog, day, hour).unwrap())
        .unwrap();
    id
}

#[test]
fn ten_syringes_ten_needles_and_a_meal_pack_in_nine_keys() {
    let (_d, cfg, store) = setup();
    regular(&store, &cfg);
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "kar");
    let n = keys(&mut a, "Enter 1 0 s 1 0 k m Enter");
    assert!(n <= 9, "{n} keys");
    assert_eq!(
        items(&store, 0),
        owned(&[("meal-pack", 1, 0), ("syringe", 10, 0), ("needle", 10, 0)])
    );
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("✓ Saved: Kari — 1 meal pack, 10 syringes, 10 needles (20261126-1)"),
        "{s}"
    );
}

#[test]
fn the_same_as_last_time_in_three_keys_and_adjustable() {
    let (_d, cfg, store) = setup();
    regular(&store, &cfg);
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "kar");
    let n = keys(&mut a, "Enter . Enter");
    assert_eq!(n, 3);
    assert_eq!(
        items(&store, 0),
        owned(&[("meal-pack", 1, 0), ("syringe", 10, 0), ("needle", 10, 0)])
    );
    // The usual, then one more meal pack and the needles taken back.
    keys(&mut a, "kar Enter . m");
    let d = draft(&a).unwrap();
    assert_eq!((d.out(0), d.out(1), d.out(2)), (2, 10, 10));
    keys(&mut a, "Backspace Backspace Enter");
    assert_eq!(
        items(&store, 1),
        owned(&[("meal-pack", 1, 0), ("syringe", 10, 0)])
    );
    // Someone never seen before has no usual, and is told so.
    keys(&mut a, "Space .");
    assert!(screen(&a, 80, 24).contains("No earlier visit to repeat"));
}

/// What funders count, in a few keys each: a naloxone refill and why, a
/// referral by type.
#[test]
fn a_naloxone_refill_and_a_referral_in_a_few_keys() {
    let (_d, cfg, store) = setup();
    regular(&store, &cfg);
    let mut a = app(&store, &cfg, Lang::Nb);
    let n = keys(&mut a, "Space x , , Enter");
    assert_eq!(n, 5);
    let c = &store.contacts(TODAY, TODAY).unwrap()[0];
    assert_eq!(
        c.flags.naloxone,
        Some(doorlog::domain::Naloxone::RefillUsed)
    );
    keys(&mut a, "kar");
    let n = keys(&mut a, "Enter m Tab 4 Enter Enter");
    assert_eq!(n, 6);
    let c = &store.contacts(TODAY, TODAY).unwrap()[1];
    assert_eq!(c.referrals, ["housing"]);
    let counts = store.day_counts(TODAY).unwrap();
    assert_eq!((counts.naloxone[1], counts.referrals["housing"]), (1, 1));
    // The naloxone kit taken back: first kit or refill goes with it.
    keys(&mut a, "Space x , Backspace m Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[2];
    assert_eq!(c.flags.naloxone, None);
    // A kit said to be a first one and taken back leaves nothing to save.
    keys(&mut a, "Space x , Backspace Enter");
    assert_eq!(store.contacts(TODAY, TODAY).unwrap().len(), 3);
    keys(&mut a, "Esc");
    // A kit with nothing said is asked about once; a second Enter saves.
    keys(&mut a, "Space x Enter");
    assert!(screen(&a, 80, 24).contains("første sett eller påfyll?"));
    assert_eq!(store.contacts(TODAY, TODAY).unwrap().len(), 3);
    keys(&mut a, "Enter");
    assert_eq!(store.contacts(TODAY, TODAY).unwrap().len(), 4);
    // `;` steps back (to the last reason, expired); Backspace in the
    // conversation counts the people collected for down.
    keys(&mut a, "Space x ; Tab 2 2 2 Backspace Enter Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[4];
    assert_eq!(
        c.flags.naloxone,
        Some(doorlog::domain::Naloxone::RefillExpired)
    );
    assert_eq!(c.flags.collecting_for, 2);
}

#[test]
fn a_quantity_shows_as_typed_and_backspace_takes_it_back() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "Space 1 2");
    assert!(screen(&a, 80, 24).contains("Antall: 12_"));
    keys(&mut a, "Backspace 0 s");
    assert!(!screen(&a, 80, 24).contains("Antall:"));
    keys(&mut a, "Enter");
    assert_eq!(items(&store, 0), owned(&[("syringe", 10, 0)]));
    // Tally mode takes a quantity the same way: one contact, 3 meal packs.
    keys(&mut a, "F4 3 m m Esc");
    assert_eq!(items(&store, 1), owned(&[("meal-pack", 3, 0)]));
    assert_eq!(items(&store, 2), owned(&[("meal-pack", 1, 0)]));
}

#[test]
fn a_second_space_does_not_turn_item_keys_into_topics() {
    // Space opens an anonymous contact; a second Space used to open the
    // conversation, so `m` toggled Money/benefits instead of a meal pack.
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "Space Space m Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[0];
    assert!(c.topics.is_empty(), "{:?}", c.topics);
    assert_eq!(items(&store, 0), owned(&[("meal-pack", 1, 0)]));
}

#[test]
fn caps_lock_hands_out_items_and_only_returnable_items_come_back() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    // Caps Lock on: M and S are a meal pack and a syringe, not returns.
    keys(&mut a, "Space M S Enter");
    assert_eq!(
        items(&store, 0),
        owned(&[("meal-pack", 1, 0), ("syringe", 1, 0)])
    );
    // A returned meal pack is refused with a message; a sharps container
    // comes back, and shows as a return.
    keys(&mut a, "Space - m");
    let s = screen(&a, 80, 24);
    assert!(s.contains("Meal pack cannot be returned"), "{s}");
    keys(&mut a, "- b");
    assert!(screen(&a, 80, 24).contains("↩1"));
    keys(&mut a, "2 - b Enter");
    assert_eq!(items(&store, 1), owned(&[("sharps-container", 0, 3)]));
}

#[test]
fn the_key_that_closes_the_help_does_nothing_else() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    // Enter closing the help used to save; a letter in tally mode, too.
    keys(&mut a, "Space m F1 Enter");
    assert!(!a.help_open());
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 0);
    assert_eq!(draft(&a).unwrap().out(0), 1);
    keys(&mut a, "Esc Esc F4 F1 m");
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 0);
    // But the lock works with the help open.
    keys(&mut a, "F1 F9");
    assert!(a.is_locked());
}

#[test]
fn an_empty_contact_is_not_saved() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "Space Enter");
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 0);
    assert!(screen(&a, 80, 24).contains("Ingenting å lagre ennå"));
    // A conversation alone is a contact.
    keys(&mut a, "Tab l Enter Enter");
    assert_eq!(store.day_counts(TODAY).unwrap().conversations, 1);
}

#[test]
fn function_and_ctrl_keys_mean_one_thing_wherever_they_are_offered() {
    use doorlog::ui::keys::Key;
    use std::collections::BTreeMap;
    let mut meaning: BTreeMap<String, &str> = BTreeMap::new();
    for t in doorlog::ui::screens::all_tables() {
        for b in &t.bindings {
            for k in b.keys {
                let name = match k {
                    Key::Code(ratatui::crossterm::event::KeyCode::F(n)) => format!("F{n}"),
                    Key::Ctrl(c) => format!("Ctrl-{c}"),
                    _ => continue,
                };
                if let Some(before) = meaning.insert(name.clone(), b.help) {
                    assert_eq!(before, b.help, "{name} in {}/{}", t.screen, t.part);
                }
            }
        }
    }
}

#[test]
fn the_visitors_name_stands_out_and_the_home_list_shows_no_aliases() {
    let (_d, cfg, store) = setup();
    regular(&store, &cfg);
    let mut a = app(&store, &cfg, Lang::En);
    // `m Enter` opens the first match: the name is in the frame's title.
    keys(&mut a, "kar Enter");
    let s = screen(&a, 80, 24);
    assert!(s.lines().nth(2).unwrap().contains(" Kari "), "{s}");
    keys(&mut a, "m Enter");
    // The home screen faces the hatch: items and initials, no alias.
    let s = screen(&a, 80, 24);
    let list: String = s
        .lines()
        .skip(3)
        .map(|l| l.chars().skip(37).collect::<String>())
        .collect();
    assert!(list.contains("1 meal pack"), "{s}");
    assert!(!list.contains("Kari"), "{s}");
    // The today screen shows who.
    keys(&mut a, "F5");
    assert!(screen(&a, 80, 24).contains("Kari"));
}

#[test]
fn todays_list_reaches_the_whole_of_a_300_contact_day() {
    let (_d, cfg, store) = setup();
    let mut batch = Vec::new();
    for i in 0..300 {
        let at = NOW - Duration::minutes(300 - i);
        let mut d = ContactDraft::new(at);
        d.items = vec![ItemLine {
            item: "meal-pack".into(),
            out: 1,
            returned: 0,
        }];
        let (day, hour) = cfg.day_rule.day_and_hour(at);
        batch.push(d.into_contact(&cfg.catalog, day, hour).unwrap());
    }
    store.record_all(batch).unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F5");
    assert!(screen(&a, 80, 24).contains("Today's contacts (300)"));
    // Down goes down the list as drawn (older); the oldest is reached.
    for _ in 0..30 {
        keys(&mut a, "PageDown");
    }
    let s = screen(&a, 80, 24);
    assert!(s.contains("05:15"), "the first contact of the day: {s}");
    keys(&mut a, "Enter");
    assert!(screen(&a, 80, 24).contains("correcting 20261126-1"));
    keys(&mut a, "Esc");
    for _ in 0..30 {
        keys(&mut a, "PageUp");
    }
    assert!(screen(&a, 80, 24).contains("10:14"));
}

#[test]
fn door_staff_correct_only_their_own_contacts_at_the_store() {
    let (_d, cfg, store) = setup();
    let ola = NewStaff::new("Ola", "OL", Role::Door, "2468").unwrap();
    let ola = store.add_staff(ola, None, 0).unwrap().id;
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "Space m Enter");
    let theirs = store.contacts(TODAY, TODAY).unwrap()[0].clone();
    let mut fixed = theirs.clone();
    fixed.items[0].out = 5;
    let refused = store.correct(theirs.id(), fixed.clone(), 0, Some(ola));
    assert!(
        matches!(refused, Err(StoreError::Forbidden(_))),
        "{refused:?}"
    );
    assert_eq!(store.day_counts(TODAY).unwrap().items_out["meal-pack"], 1);
    // Through the screen too: said, nothing changed.
    keys(&mut a, "F9 lit:OL Enter lit:2468 Enter F5 Enter m Enter");
    assert!(screen(&a, 80, 24).contains("Only a coordinator may"));
    assert_eq!(store.day_counts(TODAY).unwrap().items_out["meal-pack"], 1);
}

#[test]
fn quitting_from_the_lock_screen_needs_a_coordinator() {
    let (_d, cfg, store) = setup();
    let ola = NewStaff::new("Ola", "OL", Role::Door, "2468").unwrap();
    store.add_staff(ola, None, 0).unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F9 C-q");
    assert!(!a.quit);
    assert!(screen(&a, 80, 24).contains("a coordinator approves"));
    // A door account may not; Esc goes back to the lock.
    keys(&mut a, "lit:OL Enter lit:2468 Enter");
    assert!(!a.quit);
    assert!(screen(&a, 80, 24).contains("Only a coordinator can quit"));
    keys(&mut a, "Esc");
    assert!(screen(&a, 80, 24).contains("Locked"));
    keys(&mut a, "C-q lit:TC Enter lit:1234 Enter");
    assert!(a.quit);
    // Door staff signed in cannot just quit either.
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F9 lit:OL Enter lit:2468 Enter C-q");
    assert!(!a.quit && a.is_locked());
    // A kiosk that must stay up: no quitting at all.
    let mut kiosk = cfg.clone();
    kiosk.allow_quit = false;
    let mut a = app(&store, &kiosk, Lang::Nb);
    keys(&mut a, "C-q F10 F9 C-q");
    assert!(!a.quit);
    assert!(screen(&a, 80, 24).contains("Avslutning er slått av"));
}

#[test]
fn unknown_initials_and_a_wrong_pin_get_the_same_answer() {
    let (_d, cfg, store) = setup();
    let ola = NewStaff::new("Ola", "OL", Role::Door, "2468").unwrap();
    store.add_staff(ola, None, 0).unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F9 lit:OL Enter lit:1111 Enter");
    let wrong = ui::status(&a).unwrap().0;
    let mut b = app(&store, &cfg, Lang::En);
    keys(&mut b, "F9 lit:ZZ Enter lit:1111 Enter");
    let unknown = ui::status(&b).unwrap().0;
    assert_eq!(wrong, unknown);
    // After five wrong PINs the account says until when.
    let mut t = NOW;
    for _ in 0..5 {
        a.tick(t);
        keys(&mut a, "lit:OL Enter lit:1111 Enter");
        t += Duration::seconds(10);
    }
    assert!(
        screen(&a, 80, 24).contains("locked until 10:"),
        "{}",
        screen(&a, 80, 24)
    );
}

#[test]
fn quantities_are_refused_whole_and_never_dropped_unseen() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    // More than 1,000 of one item: refused and said, nothing added.
    keys(&mut a, "Space 2 0 0 0 s");
    assert!(screen(&a, 80, 24).contains("At most 1000"));
    assert_eq!(draft(&a).unwrap().out(1), 0);
    // A number typed but given no item: Enter says so, nothing is lost.
    keys(&mut a, "1 0 m 5 Enter");
    assert!(screen(&a, 80, 24).contains("A number is waiting"));
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 0);
    keys(&mut a, "Backspace Enter");
    assert_eq!(items(&store, 0), owned(&[("meal-pack", 10, 0)]));
    // `3 -` then Backspace takes back the `-` first, then the 3.
    keys(&mut a, "Space 3 - Backspace b Enter");
    assert_eq!(items(&store, 1), owned(&[("sharps-container", 3, 0)]));
}

#[test]
fn a_second_person_locking_in_does_not_lose_the_first_ones_kept_contact() {
    let (_d, cfg, store) = setup();
    for (name, initials, pin) in [("Ola", "OL", "2468"), ("Per", "PE", "1357")] {
        let s = NewStaff::new(name, initials, Role::Door, pin).unwrap();
        store.add_staff(s, None, 0).unwrap();
    }
    let mut a = app(&store, &cfg, Lang::En);
    // TC's contact is kept aside when Ola signs in; Ola's when Per does.
    keys(&mut a, "Space m m F9 lit:OL Enter lit:2468 Enter");
    assert!(screen(&a, 80, 24).contains("kept for TC"));
    keys(&mut a, "Space s F9 lit:PE Enter lit:1357 Enter");
    // A coordinator is asked before quitting while work is kept aside.
    keys(&mut a, "F9 lit:TC Enter lit:1234 Enter");
    assert_eq!(draft(&a).unwrap().out(0), 2, "TC's own contact is back");
    keys(&mut a, "Enter C-q");
    assert!(!a.quit, "Ola's kept contact would be lost");
    keys(&mut a, "Esc lit:TC Enter lit:1234 Enter");
    assert!(!a.is_locked());
    keys(&mut a, "F9 lit:OL Enter lit:2468 Enter");
    assert_eq!(draft(&a).unwrap().out(1), 1, "Ola's contact is back");
}

#[test]
fn after_an_idle_lock_one_esc_does_not_throw_a_contact_away() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "Space m Esc");
    a.tick(NOW + Duration::minutes(6));
    assert!(a.is_locked());
    keys(&mut a, "lit:TC Enter lit:1234 Enter Esc");
    assert_eq!(a.screen_name(), "contact");
    assert!(screen(&a, 80, 24).contains("Press Esc again"));
}

#[test]
fn the_last_visitors_name_leaves_the_status_line() {
    let (_d, cfg, store) = setup();
    regular(&store, &cfg);
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "kar Enter m Enter");
    assert!(screen(&a, 80, 24).contains("Saved: Kari"));
    // The next visitor: the first key clears it.
    keys(&mut a, "b");
    assert!(!screen(&a, 80, 24).contains("Kari"));
    // Or half a minute.
    keys(&mut a, "Esc kar Enter m Enter");
    a.tick(NOW + Duration::seconds(31));
    assert!(!screen(&a, 80, 24).contains("Kari"));
}

#[test]
fn a_correction_keeps_what_the_catalog_no_longer_lists_and_the_notes_lines() {
    let (d, _cfg, store) = setup();
    let mut cfg = doorlog::config::Config::load(d.path()).unwrap();
    // Recorded while foil was in the catalog, with a two-line note.
    let mut c = ContactDraft::new(NOW - Duration::minutes(5));
    c.items = vec![
        ItemLine {
            item: "foil".into(),
            out: 3,
            returned: 0,
        },
        ItemLine {
            item: "meal-pack".into(),
            out: 1,
            returned: 0,
        },
    ];
    c.note = Some("line one\nline two".into());
    let (day, hour) = cfg.day_rule.day_and_hour(c.at);
    store
        .record(c.into_contact(&cfg.catalog, day, hour).unwrap())
        .unwrap();
    // Foil leaves the catalog; the contact is corrected (one more meal pack).
    cfg.catalog.items.retain(|i| i.id != "foil");
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F5 Enter m Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[0];
    let lines: Vec<(&str, u16)> = c.items.iter().map(|l| (l.item.as_str(), l.out)).collect();
    assert_eq!(lines, [("meal-pack", 2), ("foil", 3)]);
    assert_eq!(c.note.as_deref(), Some("line one\nline two"));
    assert_eq!(store.day_counts(TODAY).unwrap().items_out["foil"], 3);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn the_lock_screen_does_not_tell_which_initials_exist_across_locks() {
    let (_d, cfg, store) = setup();
    let ola = NewStaff::new("Ola", "OL", Role::Door, "2468").unwrap();
    store.add_staff(ola, None, 0).unwrap();
    let answers = |initials: &str| {
        let mut a = app(&store, &cfg, Lang::En);
        let mut seen = Vec::new();
        let mut t = NOW;
        for _ in 0..3 {
            a.tick(t);
            // A quit prompt and back builds a new gate each time.
            keys(
                &mut a,
                &format!("F9 C-q Esc lit:{initials} Enter lit:0000 Enter"),
            );
            seen.push(ui::status(&a).unwrap().0);
            t += Duration::seconds(20);
            keys(&mut a, "lit:TC Enter lit:1234 Enter");
        }
        seen
    };
    assert_eq!(answers("OL"), answers("ZQ"));
}

#[test]
fn no_panic_at_the_ends_of_the_calendar() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(
        &mut a,
        "F6 c lit:01.12.9999 Tab lit:31.12.9999 Enter Right Right w m d Right",
    );
    screen(&a, 80, 24);
    keys(&mut a, "c lit:1.1.1990 Tab lit:31.12.2019 Enter");
    for _ in 0..400 {
        keys(&mut a, "Left");
    }
    assert!(screen(&a, 80, 24).contains("Periode"));
}

#[test]
fn after_one_esc_a_search_typed_does_not_become_items() {
    let (_d, cfg, store) = setup();
    regular(&store, &cfg);
    let mut a = app(&store, &cfg, Lang::Nb);
    // Meant to drop Kari and look up Sol: `s` and `o` are items.
    keys(&mut a, "kar Enter m Esc sol");
    assert_eq!(draft(&a).unwrap().out(1), 0, "no syringe");
    assert!(screen(&a, 80, 24).contains("Trykk Esc igjen"));
    keys(&mut a, "Esc");
    assert_eq!(a.screen_name(), "home");
    assert_eq!(store.day_counts(TODAY).unwrap().contacts, 0);
    // A PIN typed into the initials field is not shown.
    keys(&mut a, "F9 lit:2468");
    assert!(!screen(&a, 80, 24).contains("2468"));
}
