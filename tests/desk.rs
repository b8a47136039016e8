//! The coordinator's desk beyond staff and stock: the catalog and the
//! settings, edited on the screen, kept in the store (audited, in
//! backups), and what the hatch and the exports see afterwards.

mod common;
#[path = "common/ui.rs"]
mod ui;

use doorlog::config::ConfigFile;
use doorlog::domain::{Catalog, NewStaff, Role};
use doorlog::report::{ExportOptions, Format};
use doorlog::store::Store;
use doorlog::ui::Lang;
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

fn audit_actions(store: &Store) -> Vec<(String, Option<String>)> {
    store
        .audit(0, i64::MAX)
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.contact))
        .collect()
}

/// Monday morning: a new item whose key is taken is refused on the spot
/// with what has the key; with a free key it is added. Foil is retired:
/// it leaves the hatch, and last week's export still counts it.
#[test]
fn a_coordinator_adds_an_item_and_retires_one_from_the_keyboard() {
    let (_d, cfg, store) = setup();
    let last_week = date!(2026 - 11 - 19);
    common::record_items(
        &store,
        &cfg,
        NOW - Duration::days(7),
        None,
        &[("foil", 5)],
        None,
    );
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "C-t a lit:Pipe Tab lit:Pipe Tab lit:Pibe Tab lit:f");
    let s = screen(&a, 80, 24);
    assert!(s.contains("Tasten f brukes av Folie"), "{s}");
    // Enter on the key field with the clash refuses to save.
    // The Norwegian screen asks for Norwegian first.
    keys(&mut a, "Tab lit:pipe/piper Tab lit:pipe/pipes Enter");
    keys(&mut a, "Enter Enter");
    assert!(store.stored_catalog().unwrap().is_none(), "nothing saved");
    // The key field has the keyboard again.
    keys(&mut a, "Backspace lit:p Enter");
    let s = screen(&a, 80, 24);
    assert!(s.contains("✓ Lagt til: Pipe"), "{s}");
    let cat = store.stored_catalog().unwrap().expect("in the store");
    let pipe = cat
        .item("pipe")
        .expect("the id comes from the English name");
    assert_eq!((pipe.hotkey, pipe.active), ('p', true));
    assert_eq!(pipe.count_in(2, "nb"), "2 piper");
    assert_eq!(pipe.names["nb"], "Pipe");
    // Foil (the ninth item) retired.
    keys(&mut a, "Up Up Up Up Up Up Up Up Up Up Up Up Up Up Up");
    keys(&mut a, "Down Down Down Down Down Down Down Down d");
    let cat = store.stored_catalog().unwrap().unwrap();
    assert!(!cat.item("foil").unwrap().active);
    assert!(screen(&a, 80, 24).contains("✓ Ute av bruk: Folie"));
    let actions = audit_actions(&store);
    assert!(actions.contains(&("catalog-add".into(), Some("pipe".into()))));
    assert!(actions.contains(&("catalog-retire".into(), Some("foil".into()))));
    // The hatch: no Folie, and f adds nothing; p is the pipe.
    keys(&mut a, "Esc Space");
    let s = screen(&a, 80, 24);
    assert!(!s.contains("Folie") && s.contains("Pipe"), "{s}");
    keys(&mut a, "f p Enter");
    let today = store.day_counts(TODAY).unwrap();
    assert_eq!(today.items_out.get("foil"), None);
    assert_eq!(today.items_out["pipe"], 1);
    // Last week's export still has foil, and its count.
    let counts = store.report_counts(last_week, last_week).unwrap();
    let csv = doorlog::report::export(
        &counts,
        &a.env.cfg.catalog,
        last_week,
        last_week,
        Format::Csv,
        &ExportOptions::default(),
    );
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let foil = header.iter().position(|h| *h == "item_foil").expect(&csv);
    assert_eq!(row[foil], "5", "{csv}");
    // Taken back into use: its key is free again.
    keys(
        &mut a,
        "Esc Esc C-t Down Down Down Down Down Down Down Down d",
    );
    assert!(
        store
            .stored_catalog()
            .unwrap()
            .unwrap()
            .item("foil")
            .unwrap()
            .active
    );
}

/// A contact being typed when someone else signs in is put aside by the
/// place of each item in the catalog; a coordinator who reorders the
/// catalog meanwhile changes no item in it.
#[test]
fn a_contact_put_aside_keeps_its_items_when_the_catalog_is_reordered() {
    let (_d, cfg, store) = setup();
    let ola = NewStaff::new("Ola", "OL", Role::Door, "2468").unwrap();
    store.add_staff(ola, None, 0).unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F9 lit:OL Enter lit:2468 Enter Space m s s");
    keys(&mut a, "F9 lit:TC Enter lit:1234 Enter");
    assert!(screen(&a, 80, 24).contains("kept for OL"));
    // Meal pack down one place, syringe up: their places swap.
    keys(&mut a, "C-t -");
    let cat = store.stored_catalog().unwrap().unwrap();
    assert_eq!(cat.items[0].id, "syringe");
    assert_eq!(cat.items[1].id, "meal-pack");
    keys(&mut a, "Esc F9 lit:OL Enter lit:2468 Enter");
    let lines = draft(&a).unwrap().item_lines(&a.env.cfg.catalog);
    let got: Vec<(&str, u16)> = lines.iter().map(|l| (l.item.as_str(), l.out)).collect();
    assert_eq!(got, [("syringe", 2), ("meal-pack", 1)]);
    // It comes back held, as a contact kept over a restart: Enter to go
    // on with it, Enter to save.
    keys(&mut a, "Enter Enter");
    let s = screen(&a, 80, 24);
    let c = store.day_counts(TODAY).unwrap();
    assert_eq!(c.contacts, 1, "{s}");
    assert_eq!((c.items_out["meal-pack"], c.items_out["syringe"]), (1, 2));
}

/// A setting out of range gets the rule in Norwegian and changes nothing;
/// a good one is kept in the store and is in force at once.
#[test]
fn settings_are_checked_in_norwegian_kept_in_the_store_and_in_force_at_once() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "C-o Down Down Down Down Enter lit:500 Enter");
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("Skjermen låses etter (minutter): må være fra 1 til 120"),
        "{s}"
    );
    assert_eq!(store.stored_settings().unwrap(), None);
    keys(&mut a, "Backspace Backspace Backspace lit:10 Enter");
    let s = screen(&a, 80, 24);
    assert!(s.contains("✓ Skjermen låses etter (minutter): 10"), "{s}");
    let stored = ConfigFile::stored(&store).unwrap().unwrap();
    assert_eq!(stored.idle_lock_minutes, Some(10));
    assert!(
        audit_actions(&store)
            .contains(&("setting-change".into(), Some("idle_lock_minutes".into())))
    );
    // In force: not locked after 6 minutes (the old 5), locked after 11.
    a.tick(NOW + Duration::minutes(6));
    assert!(!a.is_locked());
    a.tick(NOW + Duration::minutes(17));
    assert!(a.is_locked());
    keys(&mut a, "lit:TC Enter lit:1234 Enter");
    // Yes/no turns over with Enter; a word where a number belongs is
    // refused.
    keys(
        &mut a,
        "C-o Down Down Down Down Down Down Down Down Down Enter",
    );
    assert!(a.env.cfg.hatch_shows_aliases);
    keys(&mut a, "Down Down Enter lit:mange Enter");
    assert!(screen(&a, 80, 24).contains("må være et helt tall"));
    keys(&mut a, "Esc");
    // The language: Enter goes to the next one, from Norwegian to Danish.
    keys(&mut a, "Up Up Up Up Up Up Up Up Up Up Up Down Enter");
    let s = screen(&a, 80, 24);
    assert!(s.contains("Indstillinger") && s.contains("Sprog"), "{s}");
    // What the store holds wins over config.json from now on; the file's
    // own settings stay.
    let fresh = cfg.with_store(&store).unwrap();
    assert_eq!(fresh.idle_lock_minutes, 10);
    assert!(fresh.hatch_shows_aliases);
    assert_eq!(fresh.lang, Lang::Da);
}

/// The door screen's first start puts the files' catalog and settings in
/// the store, so a backup has them; after that the store's win.
#[test]
fn the_first_start_takes_the_files_into_the_store() {
    let (d, _cfg, store) = setup();
    std::fs::write(
        d.path().join("config.json"),
        r#"{"timezone": "Europe/Oslo", "centre": "Møhlenpris", "idle_lock_minutes": 7}"#,
    )
    .unwrap();
    let cfg = doorlog::config::Config::load(d.path()).unwrap();
    let settled = cfg.settle_in(&store, 100).unwrap();
    assert_eq!(settled.centre.as_deref(), Some("Møhlenpris"));
    assert_eq!(
        store.stored_catalog().unwrap(),
        Some(Catalog::default_catalog())
    );
    let stored = ConfigFile::stored(&store).unwrap().unwrap();
    assert_eq!(stored.idle_lock_minutes, Some(7));
    // config.json edited later: the store's value stays in force.
    std::fs::write(
        d.path().join("config.json"),
        r#"{"timezone": "Europe/Oslo", "idle_lock_minutes": 30}"#,
    )
    .unwrap();
    let cfg = doorlog::config::Config::load(d.path()).unwrap();
    let again = cfg.settle_in(&store, 200).unwrap();
    assert_eq!(again.idle_lock_minutes, 7);
    assert_eq!(again.centre.as_deref(), Some("Møhlenpris"));
    let imports = audit_actions(&store)
        .into_iter()
        .filter(|(a, _)| a == "catalog-import" || a == "setting-change")
        .count();
    assert_eq!(imports, 2, "taken in once each");
}

/// The store refuses a catalog with a hotkey twice among items in use,
/// whoever sends it; a retired item's key may serve a new one.
#[test]
fn the_store_refuses_a_hotkey_twice() {
    let (_d, cfg, store) = setup();
    let mut cat = cfg.catalog.clone();
    let foil = cat.items.iter().position(|i| i.id == "foil").unwrap();
    let mut pipe = cat.items[foil].clone();
    pipe.id = "pipe".into();
    cat.items.push(pipe);
    let e = store
        .put_catalog(&cat, "catalog-add", "pipe", None, 0)
        .unwrap_err();
    assert!(e.to_string().contains("'f'"), "{e}");
    cat.items[foil].active = false;
    store
        .put_catalog(&cat, "catalog-add", "pipe", None, 0)
        .unwrap();
}

/// The catalog and settings are in the store, so a backup has them and a
/// restore gives them back as they were.
#[test]
fn a_backup_keeps_the_catalog_and_settings() {
    let (d, cfg, store) = setup();
    // A store with something in it (an empty backup is refused).
    common::record_items(&store, &cfg, NOW, None, &[("clothing", 1)], None);
    let mut cat = cfg.catalog.clone();
    cat.items.retain(|i| i.id != "clothing");
    let (cat, _) = cat.keeping_retired(&cfg.catalog);
    store
        .put_catalog(&cat, "catalog-retire", "clothing", None, 0)
        .unwrap();
    let mut settings = ConfigFile::default();
    settings.set("centre", "Møhlenpris").unwrap();
    store
        .put_settings(&settings.to_json(), "centre", None, 0)
        .unwrap();
    let backup = tempfile::tempdir().unwrap();
    store
        .backup_to(&backup.path().join("b"), &cfg.store)
        .unwrap();
    // Changed after the backup.
    store
        .put_catalog(&cfg.catalog, "catalog-reactivate", "clothing", None, 1)
        .unwrap();
    drop(store);
    doorlog::store::restore(d.path(), &backup.path().join("b"), &cfg.store).unwrap();
    let store = common::open(d.path());
    let back = cfg.with_store(&store).unwrap();
    assert!(!back.catalog.item("clothing").unwrap().active);
    assert_eq!(back.centre.as_deref(), Some("Møhlenpris"));
}

/// "The usual" of a regular leaves out an item retired since: the card
/// does not offer it and `.` does not add it.
#[test]
fn the_usual_leaves_out_a_retired_item() {
    let (_d, cfg, store) = setup();
    let rev = ui::register(&store, "Rev");
    common::record_items(
        &store,
        &cfg,
        NOW - Duration::days(1),
        Some(rev),
        &[("meal-pack", 1), ("foil", 5)],
        None,
    );
    let mut cat = cfg.catalog.clone();
    cat.items
        .iter_mut()
        .find(|i| i.id == "foil")
        .unwrap()
        .active = false;
    store
        .put_catalog(&cat, "catalog-retire", "foil", None, 0)
        .unwrap();
    let cfg = cfg.with_store(&store).unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "rev Enter");
    let s = screen(&a, 80, 24);
    // The last visit is history, as it was; the usual is what can be had.
    let usual = s.lines().find(|l| l.contains("Usual (.)")).unwrap();
    assert!(
        usual.contains("1 meal pack") && !usual.contains("foil"),
        "{s}"
    );
    keys(&mut a, ". Enter");
    let c = store.day_counts(TODAY).unwrap();
    assert_eq!(c.items_out.get("foil"), None);
    assert_eq!(c.items_out["meal-pack"], 1);
}

/// The register lists the visitors seen last before anything is typed, so
/// a coordinator can browse; choosing the record to link into offers the
/// look-alikes first, then the others.
#[test]
fn the_register_can_be_browsed_without_typing() {
    let (_d, cfg, store) = setup();
    for (alias, day) in [("Rev", 3), ("Revv", 2), ("Sol", 1)] {
        let v = ui::register(&store, alias);
        common::record_items(
            &store,
            &cfg,
            NOW - Duration::days(day),
            Some(v),
            &[("meal-pack", 1)],
            None,
        );
    }
    let mut a = app(&store, &cfg, Lang::En);
    keys(&mut a, "F12");
    let s = screen(&a, 80, 24);
    let order: Vec<usize> = ["Sol", "Revv", "Rev "]
        .iter()
        .map(|n| s.find(&format!("│ {n}")).expect(&s))
        .collect();
    assert!(order.is_sorted(), "seen last first:\n{s}");
    // Rev chosen: Revv (one typo apart) is offered first, then Sol, though
    // Sol came last.
    keys(&mut a, "Down Down C-k");
    let s = screen(&a, 80, 24);
    let revv = s.find("│ Revv").expect(&s);
    let sol = s.find("│ Sol").expect(&s);
    assert!(revv < sol, "{s}");
}

/// Settings as a coordinator types them: an hour as the screen shows it
/// (`22:00`), a number far too large named with its range, a word refused.
#[test]
fn settings_read_what_a_coordinator_types() {
    let (_d, cfg, _store) = setup();
    let tx = doorlog::i18n::Texts::new(Lang::Nb);
    let mut s = ConfigFile::default();
    s.set("backup_hour", "22:00").unwrap();
    assert_eq!(s.backup_hour, Some(22));
    s.set("backup_hour", " 7 ").unwrap();
    assert_eq!(cfg.with_settings(&s).unwrap().backup_hour, Some(7));
    let e = s.set("backup_hour", "22:30").unwrap_err();
    assert_eq!(tx.problem(&e), "en hel time, som 22 eller 22:00");
    s.set("idle_lock_minutes", "99999").unwrap();
    let e = cfg.with_settings(&s).unwrap_err();
    assert_eq!(tx.problem(&e), "må være fra 1 til 120");
    let e = s.set("note_retention_days", "ti").unwrap_err();
    assert_eq!(tx.problem(&e), "må være et helt tall");
    s.set("timezone", "Europe/Olso").unwrap();
    let e = ConfigFile::default()
        .overlay(&s)
        .timezone
        .and_then(|z| doorlog::domain::ServiceDayRule::new(&z, 0).err())
        .unwrap();
    assert!(tx.problem(&e).contains("Europe/Oslo"), "{}", tx.problem(&e));
    // Empty takes a setting back to config.json's value.
    s.set("idle_lock_minutes", "").unwrap();
    assert_eq!(s.idle_lock_minutes, None);
}

/// Adding an item in few keys: a name and Enter; the key is the first
/// free letter of the name. A half-typed new entry goes only at the
/// second Esc.
#[test]
fn a_name_and_enter_add_an_item_on_a_free_key() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(&mut a, "C-t a lit:Røykepipe Enter");
    let s = screen(&a, 80, 24);
    assert!(s.contains("✓ Lagt til: Røykepipe (tast r)"), "{s}");
    let cat = store.stored_catalog().unwrap().unwrap();
    let pipe = cat.item("roykepipe").expect("the id from the name");
    assert_eq!(pipe.hotkey, 'r');
    // Other screens show the one name there is.
    assert_eq!(
        doorlog::domain::catalog::name_in(&pipe.names, "en", &pipe.id),
        "Røykepipe"
    );
    keys(&mut a, "a lit:Kokeplate Esc");
    assert!(screen(&a, 80, 24).contains("Trykk Esc igjen"));
    assert_eq!(a.screen_name(), "catalog");
    keys(&mut a, "Esc");
    assert!(!screen(&a, 80, 24).contains("Kokeplate"));
    assert_eq!(store.stored_catalog().unwrap().unwrap().items.len(), 15);
}

/// A centre that refers to detox adds the type on the catalog screen: it
/// takes the next key in the conversation (8), a referral on it is
/// counted under its own column, and retiring it frees the key. More than
/// seven types in use is refused with why.
#[test]
fn a_coordinator_adds_a_referral_type_and_the_hatch_uses_it() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    keys(
        &mut a,
        "C-t Tab Tab a lit:Rusbehandling Tab lit:Detox Enter",
    );
    let s = screen(&a, 80, 24);
    assert!(s.contains("8  Rusbehandling"), "{s}");
    keys(&mut a, "Esc Space m Tab 8 Enter Enter");
    let c = &store.contacts(TODAY, TODAY).unwrap()[0];
    assert_eq!(c.referrals, ["detox"]);
    let counts = store.report_counts(TODAY, TODAY).unwrap();
    let cat = store.stored_catalog().unwrap().unwrap();
    let csv = doorlog::report::export(
        &counts,
        &cat,
        TODAY,
        TODAY,
        Format::Csv,
        &ExportOptions::default(),
    );
    let csv = String::from_utf8(csv).unwrap();
    let mut lines = csv.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let (header, row) = (lines.next().unwrap(), lines.next().unwrap());
    let at = header.iter().position(|h| *h == "referred_detox").unwrap();
    assert_eq!(row[at], "1");
    // One more makes seven in use; an eighth is refused, named.
    keys(&mut a, "C-t Tab Tab a lit:Arbeid Enter a lit:Skole Enter");
    let s = screen(&a, 80, 24);
    assert!(s.contains("høyst 7 henvisningstyper"), "{s}");
    // Retired, detox leaves the hatch: 8 is now Arbeid.
    keys(&mut a, "Esc Esc");
    keys(&mut a, "Up d");
    assert!(screen(&a, 80, 24).contains("Rusbehandling"));
    let cat = store.stored_catalog().unwrap().unwrap();
    let keys_now: Vec<(char, &str)> = cat
        .referral_keys()
        .map(|(k, _, r)| (k, r.id.as_str()))
        .collect();
    assert_eq!(keys_now[5], ('8', "arbeid"));
    assert!(
        !keys_now.iter().any(|(_, id)| *id == "detox"),
        "{keys_now:?}"
    );
}
