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

/// A store with three visitors (Rev with a code, a birth year, two earlier
/// visits, one with a note, and a message from the coordinator) and two
/// contacts today.
fn seeded() -> (
    tempfile::TempDir,
    doorlog::config::Config,
    doorlog::store::Store,
) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = common::config(dir.path());
    let store = common::open(dir.path());
    let tc = doorlog::domain::NewStaff::new(
        "Test Coordinator",
        "TC",
        doorlog::domain::Role::Coordinator,
        "1234",
    )
    .unwrap();
    let tc = store.add_staff(tc, None, 0).unwrap().id;
    let day = date!(2026 - 11 - 20);
    let mut ids = Vec::new();
    use doorlog::domain::Gender;
    for (alias, code, year, gender) in [
        ("Rev", Some("REVX1980"), Some(1980), Some(Gender::Male)),
        ("Åse Marie", Some("MAKO1993"), None, Some(Gender::Female)),
        ("Asbjørn", None, None, None),
    ] {
        let nv = NewVisitor {
            alias: alias.into(),
            code: code.map(Into::into),
            birth_year: year,
            gender,
        };
        ids.push(store.add_visitor(nv, day, 0).unwrap().id);
    }
    let left = datetime!(2026-11-24 12:00 UTC).unix_timestamp();
    store
        .add_message(ids[0], "Call your caseworker", Some(tc), left)
        .unwrap();
    // Rev's earlier visits: the card shows them and "the usual".
    for (at, items, note) in [
        (
            datetime!(2026-11-20 09:00 UTC),
            vec![("meal-pack", 1)],
            Some("wants a shelter place"),
        ),
        (
            datetime!(2026-11-24 09:30 UTC),
            vec![("syringe", 10), ("needle", 10), ("meal-pack", 1)],
            None,
        ),
    ] {
        let mut d = ContactDraft::new(at);
        d.visitor = Some(ids[0]);
        d.note = note.map(Into::into);
        d.topics = note
            .map(|_| vec!["housing".to_string()])
            .unwrap_or_default();
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
        // Åse was referred to housing and collects for two others.
        if visitor.is_some() {
            d.referrals = vec!["housing".into()];
            d.flags.collecting_for = 2;
        }
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
    ("contact_anonymous", "Space m m s 10 k F8 - b"),
    ("contact_visitor_with_message", "rev Enter m"),
    ("contact_card_open", "rev Enter C-n"),
    ("contact_quantity", "rev Enter 10 s 1"),
    ("new_message", "rev Enter C-p lit:Mail_for_you"),
    ("conversation", "Space Tab h l 1 Tab lit:wants_company"),
    ("conversation_events", "Space Tab 2 2 4 6"),
    ("contact_naloxone", "Space x , ,"),
    ("new_visitor_form", "lit:Nyfjes F3 Tab lit:NYFJ"),
    ("tally", "F4 m m"),
    ("recent", "F5 Down"),
    ("help_home", "F1"),
    ("help_contact", "Space F1"),
    ("help_conversation", "Space Tab F1"),
    ("help_form", "F3 F1"),
    ("help_tally", "F4 F1"),
    ("help_recent", "F5 F1"),
    ("reports_month", "F6 m"),
    ("reports_indicators", "F6 m i"),
    ("reports_day", "F6"),
    ("reports_range", "F6 c"),
    ("help_reports", "F6 F1"),
    ("audit", "F7"),
    ("locked", "rev Enter m F9 lit:TC Tab lit:99"),
    ("saved", "Space m Enter"),
    ("saved_usual", "rev Enter . Enter"),
    ("today_list", "F5"),
    ("esc_again", "Space m Esc"),
    ("staff", "F11"),
    ("staff_add", "F11 a lit:Per_Hansen Tab lit:PH Tab lit:1234"),
    ("staff_confirm", "F11 d"),
    ("help_staff", "F11 F1"),
    ("register", "F12 a"),
    ("register_edit", "F12 rev Enter"),
    ("register_confirm", "F12 rev Delete"),
    ("register_link", "F12 rev C-k"),
    ("stock", "C-b"),
    ("stock_receive", "C-b Down r lit:100 Tab lit:from_the_city"),
    ("catalog", "C-t"),
    ("catalog_topics", "C-t Tab"),
    ("catalog_edit", "C-t Down Enter"),
    (
        "catalog_add_clash",
        "C-t a lit:Pipe Tab Tab Tab lit:f Enter",
    ),
    ("settings", "C-o"),
    ("settings_edit", "C-o Down Down Down Down Enter"),
    (
        "settings_invalid",
        "C-o Down Down Down Down Enter lit:500 Enter",
    ),
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

/// The screens staff use most, the visitor's card, today's list and the
/// reports, in Danish at 80x24 and in both Nordic languages at the stated
/// minimum of 60x16.
const MAIN: &[&str] = &[
    "home",
    "contact_anonymous",
    "contact_visitor_with_message",
    "contact_card_open",
    "conversation",
    "help_contact",
    "recent",
    "today_list",
    "reports_day",
    "reports_month",
    "reports_indicators",
    "contact_naloxone",
    "conversation_events",
    "saved_usual",
];

#[test]
fn main_screens_in_danish_at_80x24() {
    check(Lang::Da, 80, 24, Some(MAIN));
}

#[test]
fn main_screens_at_the_smallest_size() {
    check(Lang::Nb, 60, 16, Some(MAIN));
    check(Lang::Da, 60, 16, Some(MAIN));
}

/// `word` in `text` as a word (not inside `doorlog` or `contacts`).
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Norwegian and Danish screens show no English: every screen, scanned
/// for words that only the English file has.
#[test]
fn nordic_screens_carry_no_english_words() {
    const ENGLISH: &[&str] = &[
        "contact",
        "contacts",
        "Contact",
        "visitor",
        "visitors",
        "Visitor",
        "Saved",
        "Today",
        "Search",
        "anonymous",
        "door",
        "Keys",
        "item",
        "Message",
        "Conversation",
        "Report",
        "Month",
        "Week",
        "Undone",
        "Signed",
        "Locked",
        "Audit",
        "Handed",
        "Totals",
        "usual",
        "returned",
        "syringe",
        "meal pack",
        "Press",
        "again",
    ];
    for lang in [Lang::Nb, Lang::Da] {
        let (_d, cfg, store) = seeded();
        for (name, script) in SCREENS {
            if *name == "catalog_edit" {
                // The catalog's own English names and ids, being edited.
                continue;
            }
            let mut a = app(&store, &cfg, lang);
            keys(&mut a, script);
            for (w, h) in [(80, 24), (60, 16)] {
                let s = screen(&a, w, h);
                for word in ENGLISH {
                    assert!(
                        !has_word(&s, word),
                        "{} {name} at {w}x{h} shows {word:?}:\n{s}",
                        lang.code()
                    );
                }
            }
        }
    }
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
