//! Every field, problem, permission and audit action id written in `src/`
//! has an English text in `assets/i18n/en.json` (the other languages are
//! held to the same keys by `i18n::tests`). The ids are found in the source
//! text, at the calls that take them, so an id added without a text fails
//! here before anyone sees a bare key on screen.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level arguments of every call `name(...)` in `src`, each trimmed;
/// function definitions (`fn name(`) are left out.
fn calls(src: &str, name: &str) -> Vec<Vec<String>> {
    let pattern = format!("{name}(");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = src[from..].find(&pattern) {
        let start = from + at;
        from = start + pattern.len();
        let before = &src[..start];
        let prev = before.chars().next_back();
        if before.trim_end().ends_with("fn")
            || (!name.starts_with('.')
                && !name.contains("::")
                && prev.is_some_and(|c| c.is_alphanumeric() || c == '_'))
        {
            continue;
        }
        found.push(arguments(&src[from..]));
    }
    found
}

/// Splits the text after an opening parenthesis into its arguments, up to
/// the matching closing one. Knows string and char literals and line
/// comments.
fn arguments(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                current.push(c);
                while let Some(c) = chars.next() {
                    current.push(c);
                    if c == '\\' {
                        current.extend(chars.next());
                    } else if c == '"' {
                        break;
                    }
                }
            }
            '\'' => {
                // A char literal ('(' or '\''), or a lifetime.
                current.push(c);
                let rest: String = chars.clone().take(3).collect();
                let len = if rest.starts_with('\\') {
                    rest.find('\'').map(|i| i + 1)
                } else if rest.chars().nth(1) == Some('\'') {
                    Some(2)
                } else {
                    None
                };
                for _ in 0..len.unwrap_or(0) {
                    current.extend(chars.next());
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' if depth == 0 => break,
            ')' | ']' | '}' => {
                depth -= 1;
                current.push(c);
            }
            '/' if chars.peek() == Some(&'/') => {
                // A line comment.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            ',' if depth == 0 => args.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    args.push(current);
    args.into_iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// The text of a plain string literal argument (`"add_staff"`).
fn literal(arg: &str) -> Option<&str> {
    let inner = arg.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('"') && !inner.contains('\\')).then_some(inner)
}

struct Check {
    english: HashMap<String, String>,
    missing: Vec<String>,
    bad: Vec<String>,
    checked: usize,
}

impl Check {
    /// The argument at `index` of a call must be an id with a text under
    /// `prefix`, or one of the `passing_on` names (a parameter that passes
    /// an id given by the caller, whose calls are checked in turn).
    fn id(&mut self, file: &str, call: &[String], index: usize, prefix: &str, passing_on: &[&str]) {
        let Some(arg) = call.get(index) else {
            self.bad
                .push(format!("{file}: {call:?} has no argument {index}"));
            return;
        };
        match literal(arg) {
            Some(id) => {
                self.checked += 1;
                let key = format!("{prefix}{id}");
                if !self.english.contains_key(&key) {
                    self.missing.push(format!("{key} (used in {file})"));
                }
            }
            None if passing_on.contains(&arg.as_str()) => {}
            None => self.bad.push(format!(
                "{file}: {arg} is not a string literal; write the id out so this test can find its text"
            )),
        }
    }
}

#[test]
fn every_id_in_the_code_has_an_english_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let english: HashMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(root.join("assets/i18n/en.json")).unwrap())
            .unwrap();
    let mut check = Check {
        english,
        missing: Vec::new(),
        bad: Vec::new(),
        checked: 0,
    };
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap();
        let file = path.strip_prefix(root).unwrap().display().to_string();
        let c = &mut check;
        for call in calls(&src, "InvalidInput::new")
            .into_iter()
            .chain(calls(&src, "StoreError::invalid"))
        {
            c.id(&file, &call, 0, "field.", &["field"]);
            // `StoreError::invalid` passes its problem on; its calls are checked.
            let passing_on: &[&str] = if file.ends_with("store/error.rs") {
                &["problem"]
            } else {
                &[]
            };
            c.id(&file, &call, 1, "invalid.", passing_on);
        }
        // Functions that take a field id and pass it on.
        for f in ["one_line", "parse_date", "setting"] {
            for call in calls(&src, f) {
                c.id(&file, &call, 0, "field.", &["field"]);
            }
        }
        for call in calls(&src, "require_coordinator") {
            c.id(&file, &call, 1, "forbidden.", &[]);
        }
        for call in calls(&src, "StoreError::Forbidden") {
            c.id(&file, &call, 0, "forbidden.", &["_", "what", "action"]);
        }
        // The export writer logs the action its callers name.
        let passing_on: &[&str] = if file.ends_with("src/files.rs") {
            &["action"]
        } else {
            &[]
        };
        for call in calls(&src, ".log") {
            c.id(&file, &call, 0, "audit.action.", passing_on);
        }
        for call in calls(&src, "write_export")
            .into_iter()
            .chain(calls(&src, "export_file"))
        {
            c.id(&file, &call, 3, "audit.action.", &["action"]);
        }
        for call in calls(&src, "AuditEntry::about")
            .into_iter()
            .chain(calls(&src, "about_contact"))
        {
            c.id(&file, &call, 2, "audit.action.", &["action"]);
        }
        for call in calls(&src, "forget_visitor") {
            c.id(&file, &call, 3, "audit.action.", &["action"]);
        }
        // Keys written out whole, such as `store.locked` in i18n.rs.
        for prefix in [
            "\"store.",
            "\"field.",
            "\"invalid.",
            "\"forbidden.",
            "\"audit.action.",
        ] {
            for (at, _) in src.match_indices(prefix) {
                let rest = &src[at + 1..];
                let key = &rest[..rest.find('"').unwrap()];
                if !key.ends_with('.') && !key.contains('{') {
                    c.checked += 1;
                    if !c.english.contains_key(key) {
                        c.missing.push(format!("{key} (used in {file})"));
                    }
                }
            }
        }
    }
    assert!(check.bad.is_empty(), "{:#?}", check.bad);
    assert!(
        check.missing.is_empty(),
        "no text in assets/i18n/en.json for {:#?}",
        check.missing
    );
    // The scan found the call sites (about 60 errors, 5 permissions and a
    // dozen audit actions), so a change of style cannot empty it silently.
    assert!(check.checked > 120, "only {} ids found", check.checked);
}

#[test]
fn the_call_scanner_reads_arguments() {
    let src = r#"x(); InvalidInput::new(
        "note",
        "too_long", // comment-free
    ).arg("n", f(a, b)); fn one_line(field: &'static str) {} one_line("alias", &s, 64);
    t.log("lock", Some('('), None, at)"#;
    assert_eq!(
        calls(src, "InvalidInput::new"),
        vec![vec!["\"note\"".to_string(), "\"too_long\"".to_string()]]
    );
    assert_eq!(calls(src, "one_line").len(), 1);
    assert_eq!(calls(src, ".log")[0].len(), 4);
}

/// Every text the screens look up by a written-out key (`tx.t("...")`,
/// `tx.f`, `tx.n`, `fail_key`, `say_key`) is in the English file, with
/// both plural forms where counted: a missing one would show as a bare key.
#[test]
fn every_screen_text_key_has_an_english_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let english: HashMap<String, String> =
        serde_json::from_str(&std::fs::read_to_string(root.join("assets/i18n/en.json")).unwrap())
            .unwrap();
    let mut files = Vec::new();
    rust_files(&root.join("src/ui"), &mut files);
    let mut missing = Vec::new();
    let mut checked = 0;
    for path in &files {
        let src = std::fs::read_to_string(path).unwrap();
        for (call, plural) in [
            (".t", false),
            (".f", false),
            (".n", true),
            ("fail_key", false),
            ("say_key", false),
        ] {
            for args in calls(&src, call) {
                let Some(first) = args.first() else { continue };
                let Some(key) = first.strip_prefix('"').and_then(|k| k.strip_suffix('"')) else {
                    continue;
                };
                checked += 1;
                let keys: Vec<String> = if plural {
                    vec![format!("{key}.one"), format!("{key}.other")]
                } else {
                    vec![key.to_string()]
                };
                for k in keys {
                    if !english.contains_key(&k) {
                        missing.push(format!("{k} ({})", path.display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "no English text for {missing:#?}");
    assert!(checked > 100, "only {checked} lookups found");
}
