//! Errors from `domain` and `store` read in the screen's language, from the
//! texts in `assets/i18n`, and English stays word for word what the command
//! line has always printed. (`text_ids.rs` checks every id has a text.)

mod common;

use std::path::PathBuf;

use doorlog::domain::staff::check_pin;
use doorlog::domain::text::one_line;
use doorlog::domain::visitor::CodeScheme;
use doorlog::domain::{Catalog, InvalidInput, NewVisitor};
use doorlog::i18n::{Lang, Texts};
use doorlog::report::{parse_date, parse_range};
use doorlog::store::StoreError;
use time::macros::date;

fn visitor(alias: &str) -> NewVisitor {
    NewVisitor {
        alias: alias.into(),
        ..Default::default()
    }
}

#[test]
fn a_pin_refused_in_domain_reads_in_norwegian_and_danish() {
    let e = check_pin("12").unwrap_err();
    let nb = Texts::new(Lang::Nb).invalid(&e);
    let da = Texts::new(Lang::Da).invalid(&e);
    assert_eq!(nb, "PIN-kode: 4 til 12 sifre");
    assert_eq!(da, "pinkode: 4 til 12 cifre");
    assert_ne!(nb, e.to_string());
    assert_ne!(da, e.to_string());
}

#[test]
fn a_visitor_refused_in_domain_reads_in_norwegian_and_danish() {
    let s = CodeScheme::default();
    let empty = visitor("").validated(&s, 2026).unwrap_err();
    assert_eq!(
        Texts::new(Lang::Nb).invalid(&empty),
        "kallenavn: må fylles ut"
    );
    assert_eq!(
        Texts::new(Lang::Da).invalid(&empty),
        "kaldenavn: skal udfyldes"
    );
    // Values are filled in each language's own sentence.
    let long = visitor(&"x".repeat(65)).validated(&s, 2026).unwrap_err();
    assert_eq!(
        Texts::new(Lang::Nb).invalid(&long),
        "kallenavn: er 65 tegn lang; høyst 64 er tillatt"
    );
    assert_eq!(
        Texts::new(Lang::Da).invalid(&long),
        "kaldenavn: er 65 tegn lang; højst 64 er tilladt"
    );
    let year = NewVisitor {
        birth_year: Some(2030),
        ..visitor("Rev")
    }
    .validated(&s, 2026)
    .unwrap_err();
    assert_eq!(
        Texts::new(Lang::Nb).invalid(&year),
        "fødselsår: må være mellom 1900 og 2026"
    );
}

#[test]
fn store_errors_read_in_norwegian_and_danish() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::open(dir.path());
    let day = date!(2026 - 05 - 04);
    store.add_visitor(visitor("Åse"), day, 0).unwrap();
    let taken = store.add_visitor(visitor("ase"), day, 0).unwrap_err();
    let nb = Texts::new(Lang::Nb).store_error(&taken);
    assert!(
        nb.starts_with("kallenavn: en annen bruker har allerede dette kallenavnet"),
        "{nb}"
    );
    let da = Texts::new(Lang::Da).store_error(&taken);
    assert!(
        da.starts_with("kaldenavn: en anden bruger har allerede dette kaldenavn"),
        "{da}"
    );

    let forbidden = StoreError::Forbidden("erase_visitor");
    assert_eq!(
        Texts::new(Lang::Nb).store_error(&forbidden),
        "bare en koordinator kan slette en bruker; be koordinatoren om å logge inn"
    );
    assert_eq!(
        Texts::new(Lang::Da).store_error(&forbidden),
        "kun en koordinator må slette en bruger; bed koordinatoren om at logge ind"
    );
    let locked = StoreError::Locked {
        dir: PathBuf::from("/data"),
    };
    assert!(
        Texts::new(Lang::Nb)
            .store_error(&locked)
            .starts_with("en annen doorlog har databasen i /data åpen")
    );
}

#[test]
fn english_is_word_for_word_what_it_was() {
    let s = CodeScheme::default();
    let cases: Vec<(InvalidInput, &str)> = vec![
        (check_pin("12").unwrap_err(), "PIN: 4 to 12 digits"),
        (
            visitor("").validated(&s, 2026).unwrap_err(),
            "alias: must not be empty",
        ),
        (
            NewVisitor {
                birth_year: Some(2030),
                ..visitor("Rev")
            }
            .validated(&s, 2026)
            .unwrap_err(),
            "birth year: must be between 1900 and 2026",
        ),
        (
            one_line("alias", &"x".repeat(65), 64).unwrap_err(),
            "alias: is 65 characters long; at most 64 are allowed",
        ),
        (
            s.check("MAK1993").unwrap_err(),
            "code: does not fit the code scheme LLLLDDDD (L letter A-Z, D digit, A either)",
        ),
        (
            parse_date("from", "29/03/2026").unwrap_err(),
            "from: must be a date, written 2026-03-29 or 29.03.2026",
        ),
        (
            parse_range("2026-03-02", "2026-03-01").unwrap_err(),
            "from: must not be after the to date",
        ),
        (
            Catalog::from_json(r#"{"items":[],"topics":[{"id":"a","hotkey":"?","names":{}}]}"#)
                .unwrap_err(),
            "catalog: topic hotkey '?' must be a letter a-z (other keys are the program's own)",
        ),
        (
            doorlog::domain::contact::parse_item_arg("naloxone=1001").unwrap_err(),
            "quantity: must be from 1 to 1000",
        ),
    ];
    let en = Texts::new(Lang::En);
    for (e, old) in cases {
        assert_eq!(e.to_string(), old);
        assert_eq!(en.invalid(&e), old);
    }

    let forbidden = StoreError::Forbidden("add_staff");
    assert_eq!(
        forbidden.to_string(),
        "only a coordinator may add staff; ask the coordinator to sign in"
    );
    let dir = tempfile::tempdir().unwrap();
    let store = common::open(dir.path());
    let day = date!(2026 - 05 - 04);
    store.add_visitor(visitor("Åse"), day, 0).unwrap();
    let taken = store.add_visitor(visitor("ase"), day, 0).unwrap_err();
    assert_eq!(
        taken.to_string(),
        "alias: another visitor already has this alias (case and accents are ignored); add a letter or a number to tell them apart"
    );
}

/// The English texts in `store.*` and the `StoreError` messages the
/// command line prints (written in `store/error.rs`) say the same.
#[test]
fn english_store_texts_match_the_command_line() {
    let dir = PathBuf::from("/srv/doorlog");
    let errors = [
        StoreError::Locked { dir: dir.clone() },
        StoreError::Damaged {
            dir: dir.clone(),
            detail: "a key in day_record".into(),
        },
        StoreError::TooNew {
            dir: dir.clone(),
            found: 9,
            known: 2,
        },
        StoreError::Io {
            dir: dir.clone(),
            source: std::io::Error::other("disk full"),
        },
        StoreError::Invalid(check_pin("1").unwrap_err()),
        StoreError::Forbidden("export_counts"),
    ];
    let en = Texts::new(Lang::En);
    for e in &errors {
        assert_eq!(en.store_error(e), e.to_string());
    }
}

#[test]
fn audit_actions_have_names_and_unknown_ones_show_their_id() {
    assert_eq!(Texts::new(Lang::Nb).audit_action("erase"), "bruker slettet");
    assert_eq!(Texts::new(Lang::Da).audit_action("sign-in"), "logget ind");
    assert_eq!(Texts::new(Lang::En).audit_action("undo"), "contact undone");
    assert_eq!(
        Texts::new(Lang::Nb).audit_action("made-up-action"),
        "made-up-action"
    );
}
