//! The shared kiosk: first start, PIN sign-in and lockout, the lock and the
//! idle lock, what a locked screen shows, and what a door account may do.

mod common;
#[path = "common/ui.rs"]
mod ui;

use doorlog::domain::{ContactDraft, ItemLine, NewStaff, NewVisitor, PinPolicy, Role};
use doorlog::store::{SignIn, Store, StoreError};
use doorlog::ui::Lang;
use time::Duration;
use time::macros::date;

use ui::{NOW, app, app_at_gate, draft, keys, screen};

fn setup() -> (tempfile::TempDir, doorlog::config::Config, Store) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = common::config(dir.path());
    let store = common::open(dir.path());
    (dir, cfg, store)
}

fn door(store: &Store, initials: &str, pin: &str) -> u64 {
    let new = NewStaff::new("Door Staff", initials, Role::Door, pin).unwrap();
    store.add_staff(new, None, 0).unwrap().id
}

#[test]
fn first_start_creates_the_coordinator_and_refuses_weak_or_mismatched_pins() {
    let (_d, cfg, store) = setup();
    let mut a = app_at_gate(&store, &cfg);
    assert!(a.gate().unwrap().is_setup());
    // Too short.
    keys(
        &mut a,
        "lit:Kari Enter lit:KH Enter lit:123 Enter lit:123 Enter",
    );
    assert!(screen(&a, 80, 24).contains("PIN: 4 to 12 digits"));
    assert!(store.staff().unwrap().is_empty());
    // Two different PINs.
    keys(
        &mut a,
        "Esc lit:Kari Enter lit:KH Enter lit:4711 Enter lit:4712 Enter",
    );
    assert!(screen(&a, 80, 24).contains("The two PINs differ"));
    assert!(store.staff().unwrap().is_empty());
    // Letters are not digits.
    keys(
        &mut a,
        "Esc lit:Kari Enter lit:KH Enter lit:47a1 Enter lit:47a1 Enter",
    );
    assert!(store.staff().unwrap().is_empty());
    keys(
        &mut a,
        "Esc lit:Kari Enter lit:KH Enter lit:4711 Enter lit:4711 Enter",
    );
    assert!(!a.is_locked());
    let s = store.staff().unwrap();
    assert_eq!(
        (s.len(), s[0].role, s[0].initials.as_str()),
        (1, Role::Coordinator, "KH")
    );
    assert!(s[0].pin_hash.starts_with("$argon2id$") && !s[0].pin_hash.contains("4711"));
    // The next start asks for a PIN, not for setup.
    assert!(!app_at_gate(&store, &cfg).gate().unwrap().is_setup());
}

#[test]
fn wrong_pins_slow_down_then_lock_the_account_until_it_expires() {
    let (_d, _cfg, store) = setup();
    let id = door(&store, "OL", "2468");
    let p = PinPolicy::default();
    let t0 = NOW.unix_timestamp();
    assert_eq!(
        store.sign_in("ol", "1111", t0, &p).unwrap(),
        SignIn::Wrong { wait: 1 }
    );
    // Too soon: not even checked, even with the right PIN.
    assert_eq!(
        store.sign_in("OL", "2468", t0, &p).unwrap(),
        SignIn::Wait { wait: 1 }
    );
    let mut t = t0 + 1;
    for wait in [2, 4, 8] {
        assert_eq!(
            store.sign_in("OL", "1111", t, &p).unwrap(),
            SignIn::Wrong { wait }
        );
        t += wait;
    }
    // The fifth wrong PIN locks the account for 15 minutes.
    assert_eq!(
        store.sign_in("OL", "1111", t, &p).unwrap(),
        SignIn::Wrong { wait: 900 }
    );
    assert!(matches!(
        store.sign_in("OL", "2468", t + 899, &p).unwrap(),
        SignIn::Wait { wait: 1 }
    ));
    assert!(
        matches!(store.sign_in("OL", "2468", t + 900, &p).unwrap(), SignIn::Ok(s) if s.id == id)
    );
    assert_eq!(store.sign_in("XX", "2468", t, &p).unwrap(), SignIn::Unknown);
    let audit = store.audit(i64::MIN, i64::MAX).unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == "sign-in-failed")
            .count(),
        6
    );
    assert_eq!(audit.iter().filter(|a| a.action == "sign-in").count(), 1);
}

#[test]
fn the_screen_locks_on_a_key_and_when_left_alone() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F9");
    assert!(a.is_locked());
    assert!(
        store
            .audit(i64::MIN, i64::MAX)
            .unwrap()
            .iter()
            .any(|e| e.action == "lock")
    );
    keys(&mut a, "lit:TC Enter lit:1234 Enter");
    assert!(!a.is_locked(), "{}", screen(&a, 80, 24));
    // Idle: 4 minutes 59 seconds is not enough; 5 minutes is.
    a.tick(NOW + Duration::seconds(299));
    assert!(!a.is_locked());
    keys(&mut a, "Space");
    a.tick(NOW + Duration::seconds(299 + 299));
    assert!(!a.is_locked(), "a key restarts the wait");
    a.tick(NOW + Duration::seconds(299 + 300));
    assert!(a.is_locked());
}

#[test]
fn a_locked_screen_shows_nothing_about_visitors() {
    let (_d, cfg, store) = setup();
    let nv = NewVisitor {
        alias: "Zorro Secretalias".into(),
        code: Some("ZQXW1977".into()),
        ..Default::default()
    };
    let v = store.add_visitor(nv, date!(2026 - 11 - 01), 0).unwrap();
    store
        .add_message(v.id, "Parcel at the desk", None, 0)
        .unwrap();
    let mut d = ContactDraft::new(NOW - Duration::hours(1));
    d.visitor = Some(v.id);
    d.note = Some("Confidential remark".into());
    d.items = vec![ItemLine {
        item: "meal-pack".into(),
        out: 1,
        returned: 0,
    }];
    let (day, hour) = cfg.day_rule.day_and_hour(d.at);
    store
        .record(d.into_contact(&cfg.catalog, day, hour).unwrap())
        .unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    // Mid-contact with that visitor, a note typed and the message showing.
    keys(&mut a, "zorro Enter m Tab Tab lit:typed_words F9");
    for (w, h) in [(80, 24), (132, 43), (60, 16), (20, 5)] {
        let s = screen(&a, w, h);
        for secret in [
            "Zorro",
            "Secretalias",
            "ZQXW",
            "Parcel",
            "Confidential",
            "typed words",
            "Meal pack",
            "contacts",
        ] {
            assert!(
                !s.contains(secret),
                "{secret} shows on the locked screen at {w}x{h}:\n{s}"
            );
        }
    }
    // The same staff member gets the unsaved contact back.
    keys(&mut a, "lit:TC Enter lit:1234 Enter");
    assert_eq!(draft(&a).unwrap().note.value, "typed words");
}

#[test]
fn someone_else_unlocking_does_not_see_the_unsaved_contact_but_its_owner_gets_it_back() {
    let (_d, cfg, store) = setup();
    door(&store, "OL", "2468");
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "Space m m F9 lit:OL Enter lit:2468 Enter");
    assert!(!a.is_locked());
    assert!(draft(&a).is_none());
    assert_eq!(a.screen_name(), "home");
    assert!(!screen(&a, 80, 24).contains("Meal pack"));
    // Ola works on; then the coordinator signs in again and finds it.
    keys(&mut a, "Space s Enter F9 lit:TC Enter lit:1234 Enter");
    assert!(screen(&a, 80, 24).contains("Your unsaved contact is back"));
    assert_eq!(draft(&a).unwrap().out(0), 2);
    // It comes back held: letters typed now do not become items, Enter
    // goes on with it, and a second Enter saves it.
    keys(&mut a, "rev");
    assert_eq!(draft(&a).unwrap().out(0), 2, "nothing typed into it");
    assert!(screen(&a, 80, 24).contains("Enter: go on with it"));
    keys(&mut a, "Enter Enter");
    assert_eq!(store.day_counts(NOW.date()).unwrap().contacts, 2);
}

#[test]
fn a_door_account_cannot_reach_coordinator_actions() {
    let (d, cfg, store) = setup();
    let ola = door(&store, "OL", "2468");
    let mut a = app(&store, &cfg, Lang::En);
    // The coordinator saves a contact; then Ola signs in.
    keys(&mut a, "Space m Enter F9 lit:OL Enter lit:2468 Enter");
    assert_eq!(a.env.staff_id(), Some(ola));
    // Ola's own contact can be undone; the coordinator's cannot.
    keys(&mut a, "Space s Enter");
    keys(&mut a, "F5 Down u u");
    assert!(
        screen(&a, 80, 24).contains("Only a coordinator may"),
        "{}",
        screen(&a, 80, 24)
    );
    // The message belonged to the today screen and leaves with it.
    keys(&mut a, "Esc");
    assert!(!screen(&a, 80, 24).contains("Only a coordinator may"));
    assert_eq!(store.day_counts(NOW.date()).unwrap().contacts, 2);
    keys(&mut a, "C-z C-z");
    assert_eq!(store.day_counts(NOW.date()).unwrap().contacts, 1);
    // Reports: no export key in the footer or help, and e does nothing.
    keys(&mut a, "F6");
    assert!(!screen(&a, 80, 24).contains("e CSV"));
    keys(&mut a, "F1");
    assert!(!screen(&a, 100, 40).contains("export the period"));
    keys(&mut a, "F1 e j");
    assert!(!d.path().join("exports").exists());
    // The store refuses too, whatever the UI does.
    let erase = store.erase_visitor(1, Some(ola), 0).unwrap_err();
    assert!(matches!(erase, StoreError::Forbidden(_)), "{erase}");
    assert!(matches!(
        store.require_coordinator(Some(ola), "export_counts"),
        Err(StoreError::Forbidden(_))
    ));
    let new = NewStaff::new("Sneaky", "SN", Role::Coordinator, "1357").unwrap();
    assert!(matches!(
        store.add_staff(new, Some(ola), 0),
        Err(StoreError::Forbidden(_))
    ));
    let coordinator_contact = store.contacts(NOW.date(), NOW.date()).unwrap()[0].id();
    assert!(matches!(
        store.undo(coordinator_contact, 0, Some(ola)),
        Err(StoreError::Forbidden(_))
    ));
}

#[test]
fn every_contact_records_who_saved_it() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "Space m Enter");
    let c = &store.contacts(NOW.date(), NOW.date()).unwrap()[0];
    assert_eq!(c.staff, a.env.staff_id());
    assert!(c.staff.is_some());
}

#[test]
fn the_coordinator_browses_filters_and_exports_the_audit_log() {
    let (d, cfg, store) = setup();
    door(&store, "OL", "2468");
    let mut a = app(&store, &cfg, Lang::En);
    keys(
        &mut a,
        "Space m Enter C-z C-z F9 lit:OL Enter lit:1111 Enter",
    );
    // Ola's wrong PIN; the coordinator signs back in (after the wait).
    a.tick(NOW + Duration::seconds(2));
    keys(&mut a, "Esc lit:TC Enter lit:1234 Enter F7");
    let s = screen(&a, 100, 30);
    for action in [
        "staff member added",
        "contact undone",
        "screen locked",
        "sign-in failed",
        "signed in",
    ] {
        assert!(s.contains(action), "{action} missing:\n{s}");
    }
    keys(&mut a, "lit:undo");
    let s = screen(&a, 100, 30);
    assert!(s.contains("Audit log (1 line)"), "{s}");
    assert!(s.contains("20261126-1"));
    keys(&mut a, "C-e");
    let file = d.path().join("exports/audit-2026-11-26.csv");
    let csv = std::fs::read_to_string(file).unwrap();
    assert_eq!(csv.lines().count(), 2);
    assert!(
        csv.lines().nth(1).unwrap().contains(",TC,undo,20261126-1"),
        "{csv}"
    );
    // A door account has no F7.
    keys(&mut a, "Esc F9 lit:OL Enter lit:2468 Enter F7");
    assert_eq!(a.screen_name(), "home");
    keys(&mut a, "F1");
    assert!(!screen(&a, 100, 40).contains("audit log"));
}

/// The coordinator's staff screen and what the store keeps true behind it:
/// one active coordinator at least; a new PIN works and the old one does
/// not, and it unlocks a locked-out account; door staff change nothing.
#[test]
fn there_is_always_an_active_coordinator_and_a_new_pin_replaces_the_old() {
    use doorlog::store::StaffChange;
    let (_d, _cfg, store) = setup();
    let tc = NewStaff::new("Kari Holm", "KH", Role::Coordinator, "1234").unwrap();
    let tc = store.add_staff(tc, None, 0).unwrap().id;
    let ol = door(&store, "OL", "2468");
    let last = |r: Result<_, StoreError>| match r {
        Err(StoreError::Invalid(e)) => e.problem == "last_coordinator",
        _ => false,
    };
    assert!(last(store.change_staff(
        tc,
        StaffChange::Deactivate,
        Some(tc),
        0
    )));
    assert!(last(store.change_staff(
        tc,
        StaffChange::Role(Role::Door),
        Some(tc),
        0
    )));
    // Door staff change nobody, not even themselves.
    assert!(matches!(
        store.change_staff(ol, StaffChange::Role(Role::Coordinator), Some(ol), 0),
        Err(StoreError::Forbidden(_))
    ));
    // Locked out by wrong PINs...
    let policy = PinPolicy::default();
    let mut at = 1_000;
    for _ in 0..policy.max_failures {
        store.sign_in("OL", "9999", at, &policy).unwrap();
        at += 3_600;
    }
    at -= 3_600;
    assert!(matches!(
        store.sign_in("OL", "2468", at + 1, &policy).unwrap(),
        SignIn::Wait { .. }
    ));
    // ...a new PIN from the coordinator lets them in, the old one no more.
    let pin = doorlog::domain::staff::hash_pin("1357");
    store
        .change_staff(ol, StaffChange::Pin(pin), Some(tc), at + 2)
        .unwrap();
    assert!(matches!(
        store.sign_in("OL", "2468", at + 3, &policy).unwrap(),
        SignIn::Wrong { .. }
    ));
    store
        .change_staff(ol, StaffChange::Unlock, Some(tc), at + 4)
        .unwrap();
    assert!(matches!(
        store.sign_in("OL", "1357", at + 5, &policy).unwrap(),
        SignIn::Ok(_)
    ));
    // With a second coordinator the first may step down.
    store
        .change_staff(ol, StaffChange::Role(Role::Coordinator), Some(tc), 0)
        .unwrap();
    store
        .change_staff(tc, StaffChange::Deactivate, Some(ol), 0)
        .unwrap();
    assert!(matches!(
        store.sign_in("KH", "1234", at + 6, &policy).unwrap(),
        SignIn::Unknown
    ));
    let actions: Vec<String> = store
        .audit(i64::MIN, i64::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for a in [
        "staff-pin",
        "staff-unlock",
        "staff-role",
        "staff-deactivate",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} not audited");
    }
}

/// On a Monday morning: the coordinator adds a temp and lets a leaver go,
/// from the keyboard, in Norwegian.
#[test]
fn a_coordinator_adds_a_temp_and_lets_a_leaver_go_on_the_staff_screen() {
    let (_d, cfg, store) = setup();
    let leaver = door(&store, "OL", "2468");
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(
        &mut a,
        "F11 a lit:Per_Hansen Tab lit:PH Tab lit:4321 Tab lit:4312 Enter",
    );
    assert!(screen(&a, 80, 24).contains("De to PIN-kodene er ulike"));
    // Both PIN fields are cleared, the first has the keyboard.
    keys(&mut a, "lit:4321 Tab lit:4321 Enter");
    let per = store.staff_by_initials("PH").unwrap().expect("the temp");
    assert_eq!((per.role, per.active), (Role::Door, true));
    assert!(screen(&a, 80, 24).contains("Lagt til: Per Hansen (PH)"));
    // The list: the coordinator first, then door staff by name (Door
    // Staff, Per Hansen). The leaver is Door Staff.
    keys(&mut a, "Down d");
    assert!(screen(&a, 80, 24).contains("Door Staff kan ikke logge inn lenger"));
    keys(&mut a, "Enter");
    assert!(!store.staff_member(leaver).unwrap().unwrap().active);
    assert!(matches!(
        store
            .sign_in("OL", "2468", 10, &PinPolicy::default())
            .unwrap(),
        SignIn::Unknown
    ));
    assert!(screen(&a, 80, 24).contains("sluttet"));
}

/// The visitor register: a coordinator corrects a visitor's code and birth
/// year, is refused a nickname another visitor has, and erases a visitor
/// on request; counts stay, and the search at the hatch follows.
#[test]
fn a_coordinator_corrects_and_erases_in_the_visitor_register() {
    let (_d, cfg, store) = setup();
    let reg = |alias: &str| {
        let nv = NewVisitor {
            alias: alias.into(),
            ..Default::default()
        };
        store.add_visitor(nv, date!(2026 - 11 - 01), 0).unwrap().id
    };
    let rev = reg("Rev");
    let sol = reg("Sol");
    let before = store
        .counts_range(time::Date::MIN, time::Date::MAX)
        .unwrap();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "F12 rev Enter Tab lit:REVX1980 Tab lit:1980 Enter");
    let v = store.visitor(rev).unwrap().unwrap();
    assert_eq!(
        (v.code.as_deref(), v.birth_year),
        (Some("REVX1980"), Some(1980))
    );
    assert!(
        screen(&a, 80, 24).contains("Rettet: Rev"),
        "{}",
        screen(&a, 80, 24)
    );
    // Another visitor's nickname is refused, and nothing changes.
    keys(&mut a, "Enter Backspace Backspace Backspace lit:Sol Enter");
    assert!(
        screen(&a, 80, 24).contains("kallenavnet"),
        "{}",
        screen(&a, 80, 24)
    );
    assert_eq!(store.visitor(rev).unwrap().unwrap().alias, "Rev");
    keys(&mut a, "Esc");
    // Erased on request: gone from the register and the hatch's search.
    for _ in 0..3 {
        keys(&mut a, "Backspace");
    }
    keys(&mut a, "sol Delete");
    assert!(screen(&a, 80, 24).contains("Slette Sol på forespørsel"));
    // Enter is not a yes here (it chose the record): j is.
    keys(&mut a, "Enter");
    assert!(!store.visitor(sol).unwrap().unwrap().erased);
    keys(&mut a, "j");
    assert!(store.visitor(sol).unwrap().unwrap().erased);
    assert!(store.rewrite_due().unwrap());
    assert_eq!(
        store
            .counts_range(time::Date::MIN, time::Date::MAX)
            .unwrap(),
        before
    );
    keys(&mut a, "Esc Esc sol");
    assert!(ui::matches(&a).is_empty());
}

/// Linking from the register: the duplicate is chosen, then the record to
/// keep, then a yes.
#[test]
fn a_coordinator_links_a_duplicate_in_the_register() {
    let (_d, cfg, store) = setup();
    let reg = |alias: &str| {
        let nv = NewVisitor {
            alias: alias.into(),
            ..Default::default()
        };
        store.add_visitor(nv, date!(2026 - 11 - 01), 0).unwrap().id
    };
    let rev = reg("Rev");
    let twin = reg("Reev");
    // Both came today: two visitors, until they are one.
    for v in [rev, twin] {
        common::record_items(&store, &cfg, ui::NOW, Some(v), &[("meal-pack", 1)], None);
    }
    let mut a = app(&store, &cfg, Lang::En);
    assert!(screen(&a, 80, 24).contains("2 contacts · 2 visitors"));
    // Reev is the duplicate: its look-alikes are offered (Rev, one typo
    // apart) before anything is typed.
    keys(&mut a, "F12 reev C-k");
    let shown = screen(&a, 80, 24);
    assert!(shown.contains("Link Reev into"), "{shown}");
    assert!(shown.contains(" Rev "), "{shown}");
    keys(&mut a, "Enter");
    assert!(screen(&a, 80, 24).contains("Reev and Rev are one person"));
    keys(&mut a, "Enter");
    assert!(
        !store.visitor(twin).unwrap().unwrap().erased,
        "Enter is no yes"
    );
    keys(&mut a, "y");
    assert!(store.visitor(twin).unwrap().unwrap().erased);
    assert_eq!(store.linked_into(rev).unwrap(), [twin]);
    let shown = screen(&a, 80, 24);
    assert!(shown.contains("Linked: Reev into Rev"), "{shown}");
    assert!(shown.contains("2 contacts · 1 visitor "), "{shown}");
    // Rev's record says a record was linked into it.
    keys(&mut a, "rev Enter");
    assert!(screen(&a, 80, 24).contains("1 record was linked into this one"));
}

/// A stock delivery and a count on the stock screen, in Norwegian; the
/// syringes handed out at the hatch come off what is on hand.
#[test]
fn a_coordinator_records_a_delivery_and_a_count_on_the_stock_screen() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    // Syringes are the catalog's second item.
    keys(&mut a, "C-b Down r lit:100 Tab lit:fra_kommunen Enter");
    assert!(
        screen(&a, 80, 24).contains("Leveranse ført: 100"),
        "{}",
        screen(&a, 80, 24)
    );
    keys(&mut a, "Esc Space 10 s Enter");
    let on_hand = |store: &Store| store.stock(NOW.date()).unwrap()[0].on_hand;
    assert_eq!(on_hand(&store), 90);
    // Counted 85, and low below 100.
    keys(&mut a, "C-b Down c lit:85 Enter l lit:100 Enter");
    assert_eq!(on_hand(&store), 85);
    assert!(store.stock(NOW.date()).unwrap()[0].is_low());
    assert!(
        screen(&a, 80, 24).contains("lavt"),
        "{}",
        screen(&a, 80, 24)
    );
    // Letters where a number belongs are refused, nothing recorded.
    keys(&mut a, "r lit:mange Enter");
    assert!(screen(&a, 80, 24).contains("Skriv et helt tall"));
    assert_eq!(store.stock_moves().unwrap().len(), 2);
    // The movements as CSV: ids and numbers, no note.
    keys(&mut a, "Esc C-e");
    let csv = std::fs::read_to_string(
        store
            .dir()
            .join("exports")
            .join(format!("stock-{}.csv", doorlog::report::iso(NOW.date()))),
    )
    .unwrap();
    let day = doorlog::report::iso(NOW.date());
    assert_eq!(
        csv,
        format!(
            "date,item,received,counted,difference\n{day},syringe,100,,\n{day},syringe,0,85,-5\n"
        )
    );
    assert!(!csv.contains("kommunen"));
}

/// A visitor registered at the hatch is written to the audit log with who
/// registered them.
#[test]
fn the_audit_log_says_who_registered_a_visitor() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "lit:Nyfjes F3 Enter");
    let tc = store.staff_by_initials("TC").unwrap().unwrap().id;
    let added: Vec<_> = store
        .audit(i64::MIN, i64::MAX)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "visitor-add")
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].staff, Some(tc));
}
