//! The shape of the UI, checked over every screen and both roles: binding
//! tables without clashes, help and footers made from them in every
//! language, no screen importing another; and the bugs the old single
//! `App` had (a paste that skipped the lock, help filtered by key label, an
//! audit filter that emptied a scrolled list).

mod common;
#[path = "common/ui.rs"]
mod ui;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use doorlog::domain::{NewStaff, Role};
use doorlog::i18n::{Lang, Texts};
use doorlog::ui::app::GLOBAL;
use doorlog::ui::keys::{self, Binding};
use doorlog::ui::screens::all_tables;
use doorlog::ui::widgets::chrome::footer_text;

use ui::{app, draft, keys as press, paste, screen};

fn setup() -> (
    tempfile::TempDir,
    doorlog::config::Config,
    doorlog::store::Store,
) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = common::config(dir.path());
    let store = common::open(dir.path());
    (dir, cfg, store)
}

fn global() -> Vec<Binding<()>> {
    GLOBAL.iter().map(Binding::erased).collect()
}

#[test]
fn no_two_bindings_of_a_screen_take_the_same_key() {
    let cfg = common::config(tempfile::tempdir().unwrap().path());
    for t in all_tables() {
        // The app's own keys are in force on every screen but the gate.
        let app_keys = if t.screen == "gate" { vec![] } else { global() };
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for b in t.bindings.iter().chain(&app_keys) {
            for k in keys::concrete_keys(b, &cfg.catalog) {
                if let Some(other) = seen.insert(k.clone(), b.help) {
                    // `?` and F1 both open the help; one help text.
                    assert_eq!(
                        other, b.help,
                        "{}/{}: {k} is taken by {other} and {}",
                        t.screen, t.part, b.help
                    );
                }
            }
        }
    }
}

#[test]
fn every_binding_has_help_in_every_language() {
    for lang in Lang::ALL {
        let texts = Texts::keys(lang);
        for t in all_tables() {
            for b in t.bindings.iter().chain(&global()) {
                for key in [Some(b.help), b.footer.filter(|f| !f.is_empty())]
                    .into_iter()
                    .flatten()
                {
                    assert!(
                        texts.iter().any(|k| k == key),
                        "{} {}/{}: no text {key}",
                        lang.code(),
                        t.screen,
                        t.part
                    );
                }
            }
        }
    }
}

#[test]
fn every_footer_fits_80_columns_in_every_language_and_role() {
    for lang in Lang::ALL {
        let tx = Texts::new(lang);
        for t in all_tables() {
            for role in [None, Some(Role::Door), Some(Role::Coordinator)] {
                let parts = keys::footer(&tx, &t.bindings, role);
                let whole = parts.join(" · ");
                // The footer is drawn from column 1 of 80.
                assert_eq!(
                    footer_text(&parts, 79),
                    whole,
                    "{} {}/{} ({role:?}) does not fit: {whole}",
                    lang.code(),
                    t.screen,
                    t.part
                );
            }
        }
    }
}

/// Each screen and part, reached by keys from the home screen.
const PARTS: &[(&str, &str, &str)] = &[
    ("home", "search", ""),
    ("contact", "items", "Space"),
    ("contact", "topics", "Space Tab"),
    ("contact", "note", "Space Tab Tab"),
    ("contact", "message", "rev Enter C-p"),
    ("new_visitor", "form", "F3"),
    ("tally", "tally", "F4"),
    ("today", "today", "F5"),
    ("reports", "shown", "F6"),
    ("reports", "range", "F6 c"),
    ("audit", "log", "F7"),
    ("staff", "list", "F11"),
    ("staff", "form", "F11 a"),
    ("staff", "confirm", "F11 d"),
    ("register", "list", "F12"),
    ("register", "form", "F12 rev Enter"),
    ("register", "confirm", "F12 rev Delete"),
    ("register", "link", "F12 rev C-k"),
    ("contact", "held", "Space m F9 lit:TC Enter lit:1234 Enter"),
    ("stock", "list", "C-b"),
    ("stock", "form", "C-b r"),
    ("catalog", "list", "C-t"),
    ("catalog", "form", "C-t a"),
    ("settings", "list", "C-o"),
    ("settings", "form", "C-o Enter"),
];

#[test]
fn the_help_lists_exactly_the_keys_the_role_may_use() {
    let (_d, cfg, store) = setup();
    ui::register(&store, "Rev");
    let door = NewStaff::new("Door Staff", "OL", Role::Door, "2468").unwrap();
    let door = store.add_staff(door, None, 0).unwrap();
    let tables = all_tables();
    let mut visited = BTreeSet::new();
    for role in [Role::Coordinator, Role::Door] {
        for lang in Lang::ALL {
            for (name, part, script) in PARTS {
                let mut a = app(&store, &cfg, lang);
                if role == Role::Door {
                    a.signed_in_as(door.clone());
                }
                if *part == "held" && role == Role::Door {
                    // The script signs the coordinator in again; the held
                    // table is the same for every role.
                    continue;
                }
                if matches!(
                    *name,
                    "audit" | "staff" | "register" | "stock" | "catalog" | "settings"
                ) && role == Role::Door
                {
                    // Door staff have no audit, staff or register screen:
                    // the key that opens it leaves them where they are.
                    let opener = script.split_whitespace().next().unwrap();
                    press(&mut a, opener);
                    assert_eq!(a.screen_name(), "home");
                    continue;
                }
                press(&mut a, script);
                assert_eq!(a.screen_name(), *name, "{script}");
                press(&mut a, "F1");
                let shown = screen(&a, 120, 50);
                let tx = Texts::new(lang);
                let table = tables
                    .iter()
                    .find(|t| t.screen == *name && t.part == *part)
                    .unwrap();
                for b in table.bindings.iter().chain(&global()) {
                    // The text's start (long ones wrap in the overlay).
                    let text: String = tx.t(b.help).chars().take(30).collect();
                    let may = b.allowed(Some(role));
                    assert_eq!(
                        shown.contains(&text),
                        may,
                        "{} {name}/{part} as {role:?}: {text:?} shown: {}\n{shown}",
                        lang.code(),
                        !may
                    );
                }
                // Nothing but the table's and the app's lines.
                let lines = a.help_lines();
                let expected: BTreeSet<&str> = table
                    .bindings
                    .iter()
                    .chain(&global())
                    .filter(|b| b.allowed(Some(role)))
                    .map(|b| tx.t(b.help))
                    .collect();
                let got: BTreeSet<&str> = lines.iter().map(|l| l.text.as_str()).collect();
                assert_eq!(got, expected, "{name}/{part} as {role:?}");
                // Written out, not derived: what a door account must not be
                // offered, and a coordinator must.
                let coordinator_only = match (*name, *part) {
                    ("home", _) => vec!["help.audit", "help.staff", "help.register", "help.stock"],
                    ("reports", "shown") => vec!["help.export_period"],
                    _ => vec![],
                };
                for key in coordinator_only {
                    assert_eq!(
                        got.contains(tx.t(key)),
                        role == Role::Coordinator,
                        "{name}/{part} as {role:?}: {key}"
                    );
                }
                visited.insert((*name, *part));
            }
        }
    }
    // Every table but the gate's (which has no help overlay) was seen.
    for t in tables.iter().filter(|t| t.screen != "gate") {
        assert!(
            visited.contains(&(t.screen, t.part)),
            "{}/{} not visited",
            t.screen,
            t.part
        );
    }
}

#[test]
fn door_staff_see_f7_on_the_contact_panel() {
    // F7 is the coordinator's audit log on the home screen, and "message
    // passed on" on the contact panel: roles are on bindings, not keys.
    let (_d, cfg, store) = setup();
    ui::register(&store, "Rev");
    let door = NewStaff::new("Door Staff", "OL", Role::Door, "2468").unwrap();
    let door = store.add_staff(door, None, 0).unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    a.signed_in_as(door);
    press(&mut a, "rev Enter F1");
    let s = screen(&a, 100, 40);
    assert!(s.contains("mark the first message as passed on"), "{s}");
    press(&mut a, "Esc Esc F1");
    assert!(!screen(&a, 100, 40).contains("audit log"));
}

#[test]
fn a_paste_while_locked_changes_nothing_behind_the_lock() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::En);
    // The note has the keyboard when the screen locks.
    press(&mut a, "Space m Tab Tab lit:before F9");
    assert!(a.is_locked());
    paste(&mut a, "pasted while locked");
    // The paste went to the sign-in form (4 letters fit), where it is seen
    // and cleared.
    assert!(screen(&a, 80, 24).contains("past▏"));
    press(&mut a, "Esc lit:TC Enter lit:1234 Enter");
    assert!(!a.is_locked());
    assert_eq!(draft(&a).unwrap().note.value, "before");
    // Back held: Enter goes on with it, Enter leaves the note, Enter saves.
    press(&mut a, "Enter Enter Enter");
    let c = &store.contacts(ui::NOW.date(), ui::NOW.date()).unwrap()[0];
    assert_eq!(c.note.as_deref(), Some("before"));
}

#[test]
fn filtering_the_audit_log_after_scrolling_shows_the_matches() {
    let (_d, cfg, store) = setup();
    for i in 0..60 {
        store.log("lock", None, None, i).unwrap();
    }
    store.log("export", None, None, 100).unwrap();
    let mut a = app(&store, &cfg, Lang::En);
    press(&mut a, "F7");
    for _ in 0..55 {
        press(&mut a, "Down");
    }
    press(&mut a, "lit:export");
    let s = screen(&a, 100, 30);
    assert!(s.contains("Audit log (1 line)"), "{s}");
    assert!(s.contains("counts exported"), "{s}");
}

#[test]
fn a_domain_error_reads_in_norwegian_on_a_norwegian_screen() {
    let (_d, cfg, store) = setup();
    let mut a = app(&store, &cfg, Lang::Nb);
    // A birth year the domain refuses.
    press(&mut a, "F3 lit:Nyfjes Tab Tab lit:1850 Enter");
    let s = screen(&a, 80, 24);
    assert!(s.contains("Fødselsår: må være mellom 1900 og 2026"), "{s}");
    // And a store rule: the alias is taken.
    press(&mut a, "Esc F3 lit:Rev Enter m Enter F3 lit:REV Enter");
    let s = screen(&a, 100, 24);
    assert!(s.contains("Kallenavn: en annen bruker har allerede"), "{s}");
}

/// The names that follow `prefix` in a source text (`super::View` -> `View`).
fn after(src: &str, prefix: &str) -> BTreeSet<String> {
    src.match_indices(prefix)
        .map(|(at, _)| {
            src[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn no_screen_imports_another_and_ui_modules_form_no_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let screens: Vec<String> = std::fs::read_dir(root.join("screens"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "mod.rs")
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(screens.len() >= 8, "{screens:?}");
    // Screen files: only the screens module itself, never a sibling.
    for s in &screens {
        let src = std::fs::read_to_string(root.join(format!("screens/{s}.rs"))).unwrap();
        for r in after(&src, "super::") {
            assert!(!screens.contains(&r), "screens/{s}.rs uses the {r} screen");
        }
        assert!(
            !src.contains("ui::screens::"),
            "screens/{s}.rs reaches into another screen"
        );
    }
    // The top-level ui modules and who uses whom; no cycle.
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walk(&root) {
        let rel = entry.strip_prefix(&root).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "mod" {
            continue; // ui/mod.rs declares the modules
        }
        let src = std::fs::read_to_string(&entry).unwrap();
        let nested = rel.components().count() > 1;
        let refs = graph.entry(top.clone()).or_default();
        refs.extend(after(&src, "crate::ui::"));
        // `super::` of a top-level file is ui itself; of a nested file, its
        // own module (and `super::super::` is ui).
        refs.extend(after(&src, "super::super::"));
        if !nested {
            refs.extend(after(&src, "super::"));
        }
        refs.remove(&top);
        refs.remove("super");
    }
    let modules: Vec<String> = graph.keys().cloned().collect();
    for g in graph.values_mut() {
        g.retain(|m| modules.contains(m));
    }
    // Depth-first search for a cycle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if done.contains(m) {
            return;
        }
        assert!(
            !path.iter().any(|p| p == m),
            "import cycle: {path:?} -> {m}"
        );
        path.push(m.to_string());
        for n in &graph[m] {
            visit(n, graph, path, done);
        }
        path.pop();
        done.insert(m.to_string());
    }
    let mut done = BTreeSet::new();
    for m in &modules {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
    assert!(graph["app"].contains("screens"));
    assert!(!graph["screens"].contains("app"));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}
