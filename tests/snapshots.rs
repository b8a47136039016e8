//! Every screen and overlay drawn into a test terminal and compared with
//! the stored picture in `tests/snapshots/` (insta). The clock is fixed.
//! After a deliberate change: `cargo insta review` or `INSTA_UPDATE=always cargo test`.

mod common;
#[path = "common/ui.rs"]
mod ui;

use doorlog::domain::{ContactDraft, ItemLine, NewVisitor};
use doorlog::ui::Lang;
use time::macros::{date, datetime};

use ui::{app, keys, screen};

/// A store with three visitors, a message for Rev and two contacts today.
fn seeded() -> (
    tempfile::TempDir,
    doorlog::config::Config,
    doorlog::store::Store,
) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = common::config(dir.path());
    let store = common::open(dir.path());
    let day = date!(2026 - 11 - 20);
    let mut ids = Vec::new();
    for (alias, code) in [
        ("Rev", None),
        ("Åse Marie", Some("MAKO1993")),
        ("Asbjørn", None),
    ] {
        let nv = NewVisitor {
            alias: alias.into(),
            code: code.map(Into::into),
            ..Default::default()
        };
        ids.push(store.add_visitor(nv, day, 0).unwrap().id);
    }
    store
        .add_message(ids[0], "Call your caseworker", 0)
        .unwrap();
    for (at, visitor, items) in [
        (
            datetime!(2026-11-26 08:05 UTC),
            Some(ids[1]),
            vec![("meal-pack", 1), ("syringe", 10)],
        ),
        (
            datetime!(2026-11-26 08:40 UTC),
            None,
            vec![("meal-pack", 1)],
        ),
    ] {
        let mut d = ContactDraft::new(at);
        d.visitor = visitor;
        d.items = items
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
    }
    (dir, cfg, store)
}

/// (name, keys from the start)
const SCREENS: &[(&str, &str)] = &[
    ("home", ""),
    ("home_search", "as"),
    ("home_no_match", "lit:zzzz"),
    ("contact_anonymous", "Space m m s k 1 Tab B"),
    ("contact_visitor_with_message", "rev Enter m"),
    ("new_message", "rev Enter F6 lit:Mail_for_you"),
    ("conversation", "Space Space h l Tab lit:wants_company"),
    ("new_visitor_form", "lit:Nyfjes F3 Tab lit:NYFJ"),
    ("tally", "F4 m m"),
    ("recent", "F5 Up"),
    ("help_home", "F1"),
    ("help_contact", "Space F1"),
    ("help_conversation", "Space Space F1"),
    ("help_form", "F3 F1"),
    ("help_tally", "F4 F1"),
    ("help_recent", "F5 F1"),
    ("reports_month", "F6"),
    ("reports_day", "F6 d"),
    ("reports_range", "F6 c"),
    ("help_reports", "F6 F1"),
    ("audit", "F7"),
    ("locked", "rev Enter m F9 lit:TC Tab lit:99"),
    ("saved", "Space m Enter"),
    ("esc_again", "Space m Esc"),
];

fn check(lang: Lang, w: u16, h: u16, only: Option<&[&str]>) {
    let (_d, cfg, store) = seeded();
    for (name, script) in SCREENS {
        if only.is_some_and(|o| !o.contains(name)) {
            continue;
        }
        // A fresh app per screen; the store is shared (saves accumulate).
        let mut a = app(&store, &cfg, lang);
        keys(&mut a, script);
        let shot = format!(
            "{name} ({}, {w}x{h}, keys: {script})\n{}",
            lang.code(),
            screen(&a, w, h)
        );
        insta::assert_snapshot!(format!("{}_{w}x{h}_{name}", lang.code()), shot);
    }
}

#[test]
fn every_screen_in_english_at_80x24() {
    check(Lang::En, 80, 24, None);
}

#[test]
fn every_screen_in_norwegian_at_80x24() {
    check(Lang::Nb, 80, 24, None);
}

#[test]
fn main_screens_in_danish_at_80x24() {
    check(
        Lang::Da,
        80,
        24,
        Some(&["home", "contact_anonymous", "conversation", "help_contact"]),
    );
}

#[test]
fn main_screens_large() {
    check(
        Lang::En,
        132,
        43,
        Some(&[
            "home_search",
            "contact_visitor_with_message",
            "conversation",
            "help_home",
        ]),
    );
}

#[test]
fn main_screens_large_in_norwegian() {
    check(
        Lang::Nb,
        132,
        43,
        Some(&[
            "home_search",
            "contact_visitor_with_message",
            "tally",
            "help_contact",
        ]),
    );
}

#[test]
fn first_start_asks_for_the_coordinator() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = common::config(dir.path());
    let store = common::open(dir.path());
    let mut a = ui::app_at_gate(&store, &cfg);
    keys(&mut a, "lit:Kari_Holm Enter lit:kh Enter lit:4711");
    insta::assert_snapshot!("en_80x24_setup", screen(&a, 80, 24));
}

#[test]
fn too_small() {
    let (_d, cfg, store) = seeded();
    let a = app(&store, &cfg, Lang::Nb);
    insta::assert_snapshot!("nb_too_small", screen(&a, 40, 10));
}
