//! Exports against hand-computed numbers: a scripted week-end across the
//! spring-forward night, contacts either side of a 04:00 cut-over,
//! anonymous contacts, an undone contact and an erased visitor.

mod common;

use std::path::Path;

use doorlog::config::Config;
use doorlog::domain::{Channel, ContactDraft, Flags, ItemLine, NewVisitor};
use doorlog::store::Store;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::date;

use common::{ok, run};

const CATALOG: &str = r#"{
  "items": [
    {"id": "meal-pack", "category": "food", "hotkey": "m", "names": {"en": "Meal pack"}},
    {"id": "naloxone", "category": "naloxone", "hotkey": "x", "doses_per_unit": 2, "names": {"en": "Naloxone"}},
    {"id": "sharps-container", "category": "injecting", "hotkey": "b", "returnable": true, "names": {"en": "Sharps container"}}
  ],
  "topics": [
    {"id": "housing", "hotkey": "h", "names": {"en": "Housing"}},
    {"id": "loneliness", "hotkey": "l", "names": {"en": "Loneliness"}}
  ]
}"#;

const HEADER: &str = "date,contacts,unique_visitors,new_visitors,anonymous_contacts,conversations,channel_door,channel_phone,channel_outreach,item_meal-pack,item_naloxone,item_sharps-container,topic_housing,topic_loneliness,overdose_reported,referral_made,collecting_for_others,returned_sharps-container,doses_naloxone";

/// Worked out by hand from `scripted` below; see the comments there.
const EXPECTED: &str = "\
2026-03-27,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
2026-03-28,4,1,1,2,2,3,1,0,3,1,0,1,1,0,0,0,0,2
2026-03-29,3,2,1,0,0,3,0,0,3,0,0,0,0,1,1,0,1,0
2026-03-30,2,1,1,1,1,2,0,0,1,0,1,1,0,0,0,1,0,0
2026-03-31,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0
";
const TOTAL: &str = "total,9,3,3,3,3,8,1,0,7,1,1,2,1,1,1,1,1,2\n";

fn at(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap()
}

/// A data directory in Oslo time with a 04:00 cut-over and a small catalog.
fn scripted(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("config.json"),
        format!(
            r#"{{"timezone": "{}", "cutover_hour": 4, "centre": "Gyldenpris"}}"#,
            common::OSLO
        ),
    )
    .unwrap();
    std::fs::write(dir.join("catalog.json"), CATALOG).unwrap();
    let cfg = Config::load(dir).unwrap();
    let store = Store::open(dir, &cfg.store).unwrap();
    let reg = |alias: &str, day| {
        let nv = NewVisitor {
            alias: alias.into(),
            ..Default::default()
        };
        store.add_visitor(nv, day, 0).unwrap().id
    };
    let rev = reg("Rev", date!(2026 - 03 - 28));
    let aase = reg("Åse", date!(2026 - 03 - 29));
    let bjorn = reg("Bjørn", date!(2026 - 03 - 30));
    type Line<'a> = (
        &'a str,
        Option<u64>,
        Channel,
        &'a [(&'a str, u16, u16)],
        &'a [&'a str],
        Option<&'a str>,
        Flags,
    );
    let no = Flags::default();
    let lines: Vec<Line> = vec![
        // Service day 28
        (
            "2026-03-28T10:00:00+01:00",
            Some(rev),
            Channel::Door,
            &[("meal-pack", 1, 0), ("naloxone", 1, 0)],
            &["housing"],
            None,
            no,
        ),
        (
            "2026-03-28T23:30:00+01:00",
            None,
            Channel::Door,
            &[("meal-pack", 1, 0)],
            &[],
            None,
            no,
        ),
        // Before the 04:00 cut-over: still the 28th, on both sides of the DST jump.
        (
            "2026-03-29T01:30:00+01:00",
            Some(rev),
            Channel::Door,
            &[("meal-pack", 1, 0)],
            &[],
            None,
            no,
        ),
        (
            "2026-03-29T03:59:00+02:00",
            None,
            Channel::Phone,
            &[],
            &["loneliness"],
            Some("lonely since the move"),
            no,
        ),
        // From the cut-over on: the 29th.
        (
            "2026-03-29T04:00:00+02:00",
            Some(aase),
            Channel::Door,
            &[("meal-pack", 2, 0), ("sharps-container", 0, 1)],
            &[],
            None,
            Flags {
                overdose_reported: true,
                ..no
            },
        ),
        (
            "2026-03-29T12:00:00+02:00",
            None,
            Channel::Outreach,
            &[("naloxone", 2, 0)],
            &[],
            None,
            no,
        ), // undone below
        (
            "2026-03-29T15:00:00+02:00",
            Some(aase),
            Channel::Door,
            &[("meal-pack", 1, 0)],
            &[],
            None,
            Flags {
                referral_made: true,
                ..no
            },
        ),
        (
            "2026-03-29T16:00:00+02:00",
            Some(rev),
            Channel::Door,
            &[],
            &[],
            None,
            no,
        ),
        // The 30th; Bjørn is erased afterwards, his counts stay.
        (
            "2026-03-30T09:00:00+02:00",
            Some(bjorn),
            Channel::Door,
            &[("meal-pack", 1, 0)],
            &["housing"],
            None,
            Flags {
                collecting_for_others: true,
                ..no
            },
        ),
        (
            "2026-03-30T10:00:00+02:00",
            None,
            Channel::Door,
            &[("sharps-container", 1, 0)],
            &[],
            None,
            no,
        ),
    ];
    let mut ids = Vec::new();
    for (when, visitor, channel, items, topics, note, flags) in lines {
        let mut d = ContactDraft::new(at(when));
        d.visitor = visitor;
        d.channel = channel;
        d.items = items
            .iter()
            .map(|(i, o, r)| ItemLine {
                item: (*i).into(),
                out: *o,
                returned: *r,
            })
            .collect();
        d.topics = topics.iter().map(|t| t.to_string()).collect();
        d.note = note.map(Into::into);
        d.flags = flags;
        let (day, hour) = cfg.day_rule.day_and_hour(d.at);
        ids.push(
            store
                .record(d.into_contact(&cfg.catalog, day, hour).unwrap())
                .unwrap()
                .id(),
        );
    }
    store.undo(ids[5], 0, None).unwrap();
    store.erase_visitor(bjorn, None, 0).unwrap();
    assert!(store.check().unwrap().is_ok());
}

fn export(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["export", "--from", "2026-03-27", "--to", "2026-03-31"];
    args.extend_from_slice(extra);
    ok(dir, &args)
}

#[test]
fn daily_export_matches_hand_computed_counts_byte_for_byte() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    assert_eq!(export(d.path(), &[]), format!("{HEADER}\n{EXPECTED}"));
    // With --totals: unique visitors over the range are 3 (Rev came on two
    // days; the sum of daily uniques would be 4).
    assert_eq!(
        export(d.path(), &["--totals"]),
        format!("{HEADER}\n{EXPECTED}{TOTAL}")
    );
}

#[test]
fn small_numbers_can_be_suppressed() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let csv = export(d.path(), &["--suppress-below", "3"]);
    let day28 = csv.lines().find(|l| l.starts_with("2026-03-28")).unwrap();
    assert_eq!(
        day28,
        "2026-03-28,4,<3,<3,<3,<3,3,<3,0,3,<3,0,<3,<3,0,0,0,0,<3"
    );
    let json = export(d.path(), &["--suppress-below", "3", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[1]["contacts"], 4);
    assert_eq!(v[1]["unique_visitors"], "<3");
    assert_eq!(v[0]["contacts"], 0, "zeros are not suppressed");
    for bad in ["1", "0", "x", "101"] {
        let r = run(
            d.path(),
            &[
                "export",
                "--from",
                "2026-03-27",
                "--to",
                "2026-03-31",
                "--suppress-below",
                bad,
            ],
        );
        assert_eq!(r.code, 1, "{bad}");
        assert!(r.stderr.contains("suppress-below:"));
    }
}

#[test]
fn json_export_has_the_same_numbers() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let json = export(d.path(), &["--format", "json", "--totals"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let csv_rows: Vec<&str> = EXPECTED.lines().chain(TOTAL.lines()).collect();
    let header: Vec<&str> = HEADER.split(',').collect();
    for (row, line) in rows.iter().zip(csv_rows) {
        let obj = row.as_object().unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        assert_eq!(keys, header, "keys in column order");
        let values: Vec<String> = obj
            .values()
            .map(|v| {
                v.as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect();
        assert_eq!(values.join(","), line);
    }
}

#[test]
fn every_documented_column_is_in_the_csv() {
    let d = tempfile::tempdir().unwrap();
    ok(
        d.path(),
        &[
            "record",
            "--anonymous",
            "--item",
            "meal-pack",
            "--at",
            "2026-05-04T10:00:00+02:00",
        ],
    );
    let csv = ok(
        d.path(),
        &["export", "--from", "2026-05-04", "--to", "2026-05-04"],
    );
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let catalog = doorlog::domain::Catalog::default_catalog();
    let mut documented: Vec<String> = [
        "date",
        "contacts",
        "unique_visitors",
        "new_visitors",
        "anonymous_contacts",
        "conversations",
        "channel_door",
        "channel_phone",
        "channel_outreach",
    ]
    .map(String::from)
    .to_vec();
    documented.extend(catalog.items.iter().map(|i| format!("item_{}", i.id)));
    documented.extend(catalog.topics.iter().map(|t| format!("topic_{}", t.id)));
    documented.extend(
        [
            "overdose_reported",
            "referral_made",
            "collecting_for_others",
        ]
        .map(String::from),
    );
    documented.extend(
        catalog
            .items
            .iter()
            .filter(|i| i.returnable)
            .map(|i| format!("returned_{}", i.id)),
    );
    documented.extend(
        catalog
            .items
            .iter()
            .filter(|i| i.doses_per_unit > 1)
            .map(|i| format!("doses_{}", i.id)),
    );
    assert_eq!(header, documented);
    // Every column is also named in the README's table.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for col in [
        "date",
        "contacts",
        "unique_visitors",
        "new_visitors",
        "anonymous_contacts",
        "conversations",
        "channel_door",
        "item_ID",
        "topic_ID",
        "overdose_reported",
        "referral_made",
        "collecting_for_others",
        "returned_ID",
        "doses_ID",
    ] {
        assert!(
            readme.contains(&format!("`{col}`")),
            "README does not document {col}"
        );
    }
    let rec = reader.records().next().unwrap().unwrap();
    assert_eq!(rec.len(), header.len());
}

#[test]
fn three_centres_merge_into_one_table() {
    let d = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for centre in ["gyldenpris", "strax", "nygaten"] {
        let dir = d.path().join(centre);
        scripted(&dir);
        let file = d.path().join(format!("{centre}.csv"));
        ok(
            &dir,
            &[
                "export",
                "--from",
                "2026-03-27",
                "--to",
                "2026-03-31",
                "--out",
                file.to_str().unwrap(),
            ],
        );
        files.push(file.to_str().unwrap().to_string());
    }
    let args: Vec<&str> = std::iter::once("merge")
        .chain(files.iter().map(String::as_str))
        .collect();
    let merged = ok(d.path(), &args);
    let tripled: Vec<String> = EXPECTED
        .lines()
        .map(|l| {
            let mut f = l.split(',');
            let date = f.next().unwrap();
            std::iter::once(date.to_string())
                .chain(f.map(|n| (n.parse::<u64>().unwrap() * 3).to_string()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(merged, format!("{HEADER}\n{}\n", tripled.join("\n")));

    // Long format: one row per date, centre and metric.
    let named = format!("Strax={}", files[1]);
    let long = ok(d.path(), &["merge", "--format", "long", &files[0], &named]);
    let rows: Vec<&str> = long.lines().collect();
    assert_eq!(rows[0], "date,centre,metric,value");
    assert_eq!(rows.len(), 1 + 5 * 2 * 18);
    assert!(rows.contains(&"2026-03-28,Strax,contacts,4"));
    assert!(rows.contains(&"2026-03-28,gyldenpris,unique_visitors,1"));
    // The reports screen names files CENTRE-FROM-TO.csv; the centre is read back.
    let dated = d.path().join("nygaten-2026-03-27-2026-03-31.csv");
    std::fs::copy(&files[2], &dated).unwrap();
    let long = ok(
        d.path(),
        &["merge", "--format", "long", dated.to_str().unwrap()],
    );
    assert!(
        long.lines()
            .nth(1)
            .unwrap()
            .starts_with("2026-03-27,nygaten,"),
        "{long}"
    );

    // A file with another column set is refused, naming it.
    let other = d.path().join("other");
    ok(
        &other,
        &[
            "record",
            "--anonymous",
            "--item",
            "meal-pack",
            "--at",
            "2026-03-28T10:00:00+01:00",
        ],
    );
    let other_csv = d.path().join("other.csv");
    ok(
        &other,
        &[
            "export",
            "--from",
            "2026-03-27",
            "--to",
            "2026-03-31",
            "--out",
            other_csv.to_str().unwrap(),
        ],
    );
    let r = run(d.path(), &["merge", &files[0], other_csv.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("other.csv has other columns"),
        "{}",
        r.stderr
    );
    // So is a suppressed export, and a file that is no export.
    let sup = d.path().join("sup.csv");
    let dir0 = d.path().join("gyldenpris");
    ok(
        &dir0,
        &[
            "export",
            "--from",
            "2026-03-27",
            "--to",
            "2026-03-31",
            "--suppress-below",
            "3",
            "--out",
            sup.to_str().unwrap(),
        ],
    );
    let r = run(d.path(), &["merge", &files[0], sup.to_str().unwrap()]);
    assert!(
        r.code == 1 && r.stderr.contains("suppressed"),
        "{}",
        r.stderr
    );
    std::fs::write(d.path().join("notes.txt"), "hello\n").unwrap();
    let r = run(
        d.path(),
        &["merge", d.path().join("notes.txt").to_str().unwrap()],
    );
    assert!(
        r.code == 1 && r.stderr.contains("not a doorlog export"),
        "{}",
        r.stderr
    );
}
