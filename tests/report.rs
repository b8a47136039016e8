//! Exports against hand-computed numbers: a scripted week-end across the
//! spring-forward night, contacts either side of a 04:00 cut-over,
//! anonymous contacts, an undone contact and an erased visitor.

mod common;

use std::path::Path;

use doorlog::config::Config;
use doorlog::domain::{Channel, ContactDraft, Flags, Gender, ItemLine, Naloxone, NewVisitor};
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
  ],
  "referrals": [
    {"id": "treatment", "names": {"en": "Treatment"}},
    {"id": "housing", "names": {"en": "Housing"}}
  ]
}"#;

const HEADER: &str = "date,contacts,unique_visitors,new_visitors,anonymous_contacts,conversations,channel_door,channel_phone,channel_outreach,item_meal_pack,item_naloxone,item_sharps_container,topic_housing,topic_loneliness,overdose_reported,referral_made,collecting_for_others,collecting_for_people,referred_treatment,referred_housing,naloxone_first,overdose_reversals,naloxone_refill_lost,naloxone_refill_taken,naloxone_refill_expired,returned_sharps_container,returned_pct_sharps_container,doses_naloxone,returning_visitors,age_under_25,age_25_34,age_35_44,age_45_54,age_55_plus,age_unknown,gender_female,gender_male,gender_other,gender_unknown,days_open";

/// Worked out by hand from `scripted` below; see the comments there. The
/// returned-per-100 column is empty on days nothing of it went out.
const EXPECTED: &str = "\
2026-03-27,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,0,0,0,0,0,0,0,0,0,0,0,0,0
2026-03-28,4,1,1,2,2,3,1,0,3,1,0,1,1,0,0,0,0,0,0,1,0,0,0,0,0,,2,0,0,0,1,0,0,0,0,1,0,0,1
2026-03-29,3,2,1,0,0,3,0,0,3,0,0,0,0,1,1,0,0,0,1,0,0,0,0,0,1,,0,1,1,0,1,0,0,0,1,1,0,0,1
2026-03-30,2,1,1,1,1,2,0,0,1,0,1,1,0,0,0,1,2,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,1,1
2026-03-31,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,0,0,0,0,0,0,0,0,0,0,0,0,0
";
/// The whole range: unique visitors are 3 (Rev came on two days; the sum
/// of daily uniques would be 4), all three new in it; one sharps
/// container out and one back (100 per 100); ages at 2026.
const TOTAL: &str = "2026-03-27,2026-03-31,9,3,3,3,3,8,1,0,7,1,1,2,1,1,1,1,2,0,1,1,0,0,0,0,1,100,2,0,1,0,1,0,0,1,1,1,0,1,3\n";

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
    let reg = |alias: &str, day, birth_year, gender| {
        let nv = NewVisitor {
            alias: alias.into(),
            birth_year: Some(birth_year),
            gender: Some(gender),
            ..Default::default()
        };
        store.add_visitor(nv, day, 0).unwrap().id
    };
    // Ages at 2026: Rev 36 (35-44), Åse 23 (under 25); Bjørn's age and
    // gender go with his erasure.
    let rev = reg("Rev", date!(2026 - 03 - 28), 1990, Gender::Male);
    let aase = reg("Åse", date!(2026 - 03 - 29), 2003, Gender::Female);
    let bjorn = reg("Bjørn", date!(2026 - 03 - 30), 1960, Gender::Male);
    type Line<'a> = (
        &'a str,
        Option<u64>,
        Channel,
        &'a [(&'a str, u16, u16)],
        &'a [&'a str],
        Option<&'a str>,
        Flags,
        &'a [&'a str],
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
            Flags {
                naloxone: Some(Naloxone::First),
                ..no
            },
            &[],
        ),
        (
            "2026-03-28T23:30:00+01:00",
            None,
            Channel::Door,
            &[("meal-pack", 1, 0)],
            &[],
            None,
            no,
            &[],
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
            &[],
        ),
        (
            "2026-03-29T03:59:00+02:00",
            None,
            Channel::Phone,
            &[],
            &["loneliness"],
            Some("lonely since the move"),
            no,
            &[],
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
            &[],
        ),
        (
            "2026-03-29T12:00:00+02:00",
            None,
            Channel::Outreach,
            &[("naloxone", 2, 0)],
            &[],
            None,
            Flags {
                naloxone: Some(Naloxone::RefillUsed),
                ..no
            },
            &[],
        ), // undone below
        (
            "2026-03-29T15:00:00+02:00",
            Some(aase),
            Channel::Door,
            &[("meal-pack", 1, 0)],
            &[],
            None,
            no,
            &["housing"],
        ),
        (
            "2026-03-29T16:00:00+02:00",
            Some(rev),
            Channel::Door,
            &[],
            &[],
            None,
            no,
            &[],
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
                collecting_for: 2,
                ..no
            },
            &[],
        ),
        (
            "2026-03-30T10:00:00+02:00",
            None,
            Channel::Door,
            &[("sharps-container", 1, 0)],
            &[],
            None,
            no,
            &[],
        ),
    ];
    let mut ids = Vec::new();
    for (when, visitor, channel, items, topics, note, flags, referrals) in lines {
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
        d.referrals = referrals.iter().map(|r| r.to_string()).collect();
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
    // The total is its own output, one row for the range.
    assert_eq!(
        export(d.path(), &["--by", "range"]),
        format!("period_start,period_end,{}\n{TOTAL}", &HEADER[5..])
    );
    // The old flag says where the total went.
    let r = run(
        d.path(),
        &[
            "export",
            "--from",
            "2026-03-27",
            "--to",
            "2026-03-31",
            "--totals",
        ],
    );
    assert!(
        r.code == 1 && r.stderr.contains("--by range"),
        "{}",
        r.stderr
    );
}

/// Published counts of a wide CSV: per row, the cells (None: suppressed).
fn cells(csv: &str) -> (Vec<String>, Vec<Vec<Option<u64>>>) {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let periods = if header[0] == "date" { 1 } else { 2 };
    let rows = r
        .records()
        .map(|rec| {
            rec.unwrap()
                .iter()
                .skip(periods)
                .map(|f| (!f.is_empty()).then(|| f.parse().unwrap()))
                .collect()
        })
        .collect();
    (header[periods..].to_vec(), rows)
}

/// Every suppressed cell of `days` that can be worked out from what is
/// published, by the sums the files imply: contacts = the three channels,
/// doses = units × `doses` per item, and each column's total (the range
/// file) = the sum of its days. Dense Gauss-Jordan over the suppressed
/// cells, written here apart from doorlog's own check.
fn recoverable(days: &str, total: &str, doses: &[(&str, f64)]) -> Vec<(usize, String)> {
    let (names, rows) = cells(days);
    let (_, total) = cells(total);
    let col = |n: &str| names.iter().position(|h| h == n).unwrap();
    let mut unknown = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if v.is_none() {
                unknown.push((r, c));
            }
        }
    }
    let index = |r: usize, c: usize| unknown.iter().position(|&u| u == (r, c));
    let mut eqs: Vec<Vec<f64>> = Vec::new();
    let mut add = |terms: Vec<(usize, usize, f64)>| {
        let mut e = vec![0.0; unknown.len()];
        for (r, c, k) in terms {
            if let Some(i) = index(r, c) {
                e[i] += k;
            }
        }
        if e.iter().any(|v| *v != 0.0) {
            eqs.push(e);
        }
    };
    for r in 0..rows.len() {
        add(vec![
            (r, col("contacts"), 1.0),
            (r, col("channel_door"), -1.0),
            (r, col("channel_phone"), -1.0),
            (r, col("channel_outreach"), -1.0),
        ]);
        for (item, k) in doses {
            add(vec![
                (r, col(&format!("doses_{item}")), 1.0),
                (r, col(&format!("item_{item}")), -k),
            ]);
        }
        // Unique visitors: new and returning ones (nearly: a visitor
        // registered and not seen is new and not among them; taken as
        // exact, as an analyst would), each age band, each gender.
        let unique = col("unique_visitors");
        add(vec![
            (r, unique, 1.0),
            (r, col("new_visitors"), -1.0),
            (r, col("returning_visitors"), -1.0),
        ]);
        for prefix in ["age_", "gender_"] {
            let mut sum = vec![(r, unique, 1.0)];
            sum.extend(
                (0..names.len())
                    .filter(|&c| names[c].starts_with(prefix))
                    .map(|c| (r, c, -1.0)),
            );
            add(sum);
        }
    }
    // Each column's total is the sum of its periods, except for the
    // columns that count different visitors over the period, and ratios.
    let additive = |name: &str| {
        !(name == "unique_visitors"
            || name == "returning_visitors"
            || name.starts_with("age_")
            || name.starts_with("gender_")
            || name.starts_with("returned_pct_"))
    };
    for c in 0..names.len() {
        if additive(&names[c]) && total[0][c].is_some() {
            add((0..rows.len()).map(|r| (r, c, 1.0)).collect());
        }
    }
    // Reduced row echelon form; a cell is worked out when its pivot row
    // has nothing else in it.
    let (m, n) = (eqs.len(), unknown.len());
    let mut row = 0;
    let mut pivots = Vec::new();
    for c in 0..n {
        let Some(p) = (row..m).max_by(|&a, &b| eqs[a][c].abs().total_cmp(&eqs[b][c].abs())) else {
            break;
        };
        if eqs[p][c].abs() < 1e-9 {
            continue;
        }
        eqs.swap(row, p);
        let k = eqs[row][c];
        eqs[row].iter_mut().for_each(|v| *v /= k);
        for i in 0..m {
            if i != row && eqs[i][c].abs() > 1e-12 {
                let f = eqs[i][c];
                let pivot_row = eqs[row].clone();
                for (v, p) in eqs[i].iter_mut().zip(&pivot_row) {
                    *v -= f * p;
                }
            }
        }
        pivots.push((row, c));
        row += 1;
        if row == m {
            break;
        }
    }
    pivots
        .into_iter()
        .filter(|&(r, c)| (0..n).all(|j| j == c || eqs[r][j].abs() < 1e-9))
        .map(|(_, c)| (unknown[c].0, names[unknown[c].1].clone()))
        .collect()
}

#[test]
fn small_numbers_are_suppressed_so_none_can_be_worked_out() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let csv = export(d.path(), &["--suppress-below", "3"]);
    let total = export(d.path(), &["--suppress-below", "3", "--by", "range"]);
    let (names, rows) = cells(&csv);
    let (_, exact) = cells(&export(d.path(), &[]));
    // Every count from 1 to 2 is empty (NULL to a database, never 0);
    // zeros stay, and what is published is the true count.
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            // A ratio is no count: it goes with the counts it is made
            // of (below), and has no value where nothing went out.
            if names[c].starts_with("returned_pct_") {
                let id = &names[c]["returned_pct_".len()..];
                let gone = |n: String| row[names.iter().position(|x| *x == n).unwrap()].is_none();
                if gone(format!("returned_{id}")) || gone(format!("item_{id}")) {
                    assert_eq!(*v, None, "{} on row {r}", names[c]);
                }
                continue;
            }
            let truth = exact[r][c].unwrap();
            match v {
                Some(n) => assert_eq!(*n, truth),
                None => assert!(truth > 0, "{} on row {r}", names[c]),
            }
            // Days open counts days, not people: never suppressed.
            if names[c] == "days_open" {
                assert_eq!(*v, Some(truth));
            } else if (1..3).contains(&truth) {
                assert_eq!(*v, None, "{} on row {r}", names[c]);
            }
        }
    }
    assert_eq!(
        recoverable(&csv, &total, &[("naloxone", 2.0)]),
        [],
        "{csv}\n{total}"
    );
    // The only small cell of a column whose total is small too: the
    // total is suppressed with it.
    let (_, t) = cells(&total);
    assert_eq!(
        t[0][names.iter().position(|n| n == "channel_phone").unwrap()],
        None
    );
    let json = export(d.path(), &["--suppress-below", "3", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[1]["unique_visitors"], serde_json::Value::Null);
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

/// A month of a small centre's demo data, suppressed below 5 by day, by
/// week and for the month: no suppressed cell can be worked out.
#[test]
fn a_real_month_keeps_its_small_numbers() {
    let d = tempfile::tempdir().unwrap();
    common::config(d.path());
    ok(d.path(), &["demo", "--days", "31", "--per-day", "12"]);
    let today = OffsetDateTime::now_utc().date();
    let from = doorlog::report::iso(today - time::Duration::days(30));
    let to = doorlog::report::iso(today);
    let get = |by: &str| {
        ok(
            d.path(),
            &[
                "export",
                "--from",
                &from,
                "--to",
                &to,
                "--by",
                by,
                "--suppress-below",
                "5",
            ],
        )
    };
    let total = get("range");
    for by in ["day", "week"] {
        let csv = get(by);
        let hidden = csv.matches(",,").count();
        assert!(hidden > 20, "a small centre has small numbers: {csv}");
        assert_eq!(recoverable(&csv, &total, &[("naloxone", 2.0)]), [], "{by}");
    }
}

#[test]
fn json_export_has_the_same_numbers() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let json = export(d.path(), &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 5, "days only");
    let header: Vec<&str> = HEADER.split(',').collect();
    for (row, line) in rows.iter().zip(EXPECTED.lines()) {
        let obj = row.as_object().unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        assert_eq!(keys, header, "keys in column order");
        let values: Vec<String> = obj
            .values()
            .map(|v| match v {
                // No value (a ratio where nothing went out) is null.
                serde_json::Value::Null => String::new(),
                v => v
                    .as_str()
                    .map(String::from)
                    .unwrap_or_else(|| v.to_string()),
            })
            .collect();
        assert_eq!(values.join(","), line);
    }
}

/// Weeks and months count their visitors over the whole period: Rev
/// came on the 28th and the 29th, one visitor of the week.
#[test]
fn weeks_and_months_count_unique_visitors_over_the_period() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let weeks = export(d.path(), &["--by", "week"]);
    let (_, rows) = cells(&weeks);
    // ISO weeks: Monday 23 to Sunday 29 March (cut to the 27th), then
    // Monday 30 to the 31st.
    assert!(weeks.contains("\n2026-03-27,2026-03-29,7,2,2,"), "{weeks}");
    assert!(weeks.contains("\n2026-03-30,2026-03-31,2,1,1,"), "{weeks}");
    assert_eq!(rows.len(), 2);
    let month = export(d.path(), &["--by", "month"]);
    assert!(month.contains("\n2026-03-27,2026-03-31,9,3,3,"), "{month}");
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
    let sql = |id: &str| id.replace('-', "_");
    documented.extend(catalog.items.iter().map(|i| format!("item_{}", sql(&i.id))));
    documented.extend(
        catalog
            .topics
            .iter()
            .map(|t| format!("topic_{}", sql(&t.id))),
    );
    documented.extend(
        [
            "overdose_reported",
            "referral_made",
            "collecting_for_others",
            "collecting_for_people",
        ]
        .map(String::from),
    );
    documented.extend(
        catalog
            .referrals
            .iter()
            .map(|r| format!("referred_{}", sql(&r.id))),
    );
    documented.extend(
        [
            "naloxone_first",
            "overdose_reversals",
            "naloxone_refill_lost",
            "naloxone_refill_taken",
            "naloxone_refill_expired",
        ]
        .map(String::from),
    );
    for prefix in ["returned", "returned_pct"] {
        documented.extend(
            catalog
                .items
                .iter()
                .filter(|i| i.returnable)
                .map(|i| format!("{prefix}_{}", sql(&i.id))),
        );
    }
    documented.extend(
        catalog
            .items
            .iter()
            .filter(|i| i.doses_per_unit > 1)
            .map(|i| format!("doses_{}", sql(&i.id))),
    );
    documented.extend(doorlog::report::PEOPLE_COLUMNS.map(String::from));
    documented.push("days_open".into());
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
        "collecting_for_people",
        "referred_ID",
        "naloxone_first",
        "overdose_reversals",
        "naloxone_refill_lost",
        "naloxone_refill_taken",
        "naloxone_refill_expired",
        "returned_ID",
        "returned_pct_ID",
        "doses_ID",
        "days_open",
    ]
    .into_iter()
    .chain(doorlog::report::PEOPLE_COLUMNS)
    {
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
    // Counts add up; a ratio is not merged (the counts it comes from are).
    let counts: Vec<bool> = HEADER
        .split(',')
        .map(|h| !h.starts_with("returned_pct_"))
        .collect();
    let tripled: Vec<String> = EXPECTED
        .lines()
        .map(|l| {
            let mut f = l.split(',').zip(&counts).filter(|(_, c)| **c).map(|x| x.0);
            let date = f.next().unwrap();
            std::iter::once(date.to_string())
                .chain(f.map(|n| (n.parse::<u64>().unwrap() * 3).to_string()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    // Visitors summed over centres are not unique: the column says so.
    let summed = HEADER
        .replace("unique_visitors", "unique_visitors_summed")
        .replace(",returned_pct_sharps_container", "");
    assert_eq!(merged, format!("{summed}\n{}\n", tripled.join("\n")));

    // Long format: one row per date, centre and metric.
    let named = format!("Strax={}", files[1]);
    let long = ok(d.path(), &["merge", "--format", "long", &files[0], &named]);
    let rows: Vec<&str> = long.lines().collect();
    assert_eq!(rows[0], "date,centre,metric,value,suppressed");
    assert_eq!(rows.len(), 1 + 5 * 2 * 38);
    assert!(rows.contains(&"2026-03-28,Strax,contacts,4,false"));
    assert!(rows.contains(&"2026-03-28,gyldenpris,unique_visitors,1,false"));
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
    // The same centre twice is refused, naming it.
    let r = run(d.path(), &["merge", &files[0], &files[0]]);
    assert!(r.code == 1 && r.stderr.contains("twice"), "{}", r.stderr);
}

/// A data directory `name` under `parent` for the centre `centre`, in
/// Oslo time, with the shipped catalog.
fn centre(parent: &Path, name: &str, centre: &str) -> std::path::PathBuf {
    let dir = parent.join(name);
    common::config(&dir);
    std::fs::write(
        dir.join("config.json"),
        format!(
            r#"{{"timezone": "{}", "centre": "{centre}"}}"#,
            common::OSLO
        ),
    )
    .unwrap();
    dir
}

/// Long files from centres with different catalogs: every centre's
/// metrics, the union; the centre is the settings' name. Files of
/// different periods are refused, and so is a file that is no export.
#[test]
fn long_files_of_centres_with_different_catalogs_merge() {
    let d = tempfile::tempdir().unwrap();
    let small = d.path().join("small");
    scripted(&small);
    let other = centre(d.path(), "other", "Strax");
    ok(
        &other,
        &[
            "record",
            "--anonymous",
            "--item",
            "foil=3",
            "--at",
            "2026-03-28T10:00:00+01:00",
        ],
    );
    let long = |dir: &Path, name: &str, by: &str| {
        let file = d.path().join(name);
        ok(
            dir,
            &[
                "export",
                "--from",
                "2026-03-27",
                "--to",
                "2026-03-31",
                "--format",
                "long",
                "--by",
                by,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        file.to_str().unwrap().to_string()
    };
    let (a, b) = (long(&small, "a.csv", "day"), long(&other, "b.csv", "day"));
    let merged = ok(d.path(), &["merge", "--format", "long", &a, &b]);
    assert!(
        merged.contains("2026-03-28,Gyldenpris,item_naloxone,1,false"),
        "{merged}"
    );
    assert!(
        merged.contains("2026-03-28,Strax,item_foil,3,false"),
        "{merged}"
    );
    let sum = ok(d.path(), &["merge", &a, &b]);
    let header: Vec<&str> = sum.lines().next().unwrap().split(',').collect();
    assert!(header.contains(&"item_foil") && header.contains(&"item_naloxone"));
    // Months with days: refused.
    let months = long(&small, "m.csv", "month");
    let r = run(d.path(), &["merge", "--format", "long", &a, &months]);
    assert!(
        r.code == 1 && r.stderr.contains("other periods"),
        "{}",
        r.stderr
    );
    // Months merge with months, with their kind.
    let months_b = long(&other, "mb.csv", "month");
    let merged = ok(d.path(), &["merge", "--format", "long", &months, &months_b]);
    assert!(
        merged.starts_with("period_start,period_end,period_kind,centre,metric,value,suppressed\n"),
        "{merged}"
    );
    assert!(merged.contains("2026-03-27,2026-03-31,month,Strax,contacts,1,false"));
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

/// The spreadsheet read back as Excel would: four sheets, the SQL names
/// and the Norwegian names as headers, numbers as numbers, days as dates,
/// a suppressed count an empty cell.
#[test]
fn the_spreadsheet_has_numbers_as_numbers_and_norwegian_names() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let file = d.path().join("november.xlsx");
    let mut args = vec!["export", "--from", "2026-03-27", "--to", "2026-03-31"];
    args.extend(["--format", "xlsx", "--lang", "nb", "--suppress-below", "3"]);
    args.extend(["--out", file.to_str().unwrap()]);
    ok(d.path(), &args);
    let mut book: Xlsx<_> = open_workbook(&file).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Perioder", "Utstyr", "Temaer", "Totalt"]
    );
    let periods = book.worksheet_range("Perioder").unwrap();
    assert_eq!(periods.get((0, 1)), Some(&Data::String("contacts".into())));
    assert_eq!(
        periods.get((1, 1)),
        Some(&Data::String("Henvendelser".into()))
    );
    // The 28th: 4 contacts, a number; its date a date.
    assert!(matches!(periods.get((3, 0)), Some(Data::DateTime(_))));
    assert_eq!(periods.get((3, 1)), Some(&Data::Float(4.0)));
    // Unique visitors that day (1) is suppressed: an empty cell.
    assert!(matches!(periods.get((3, 2)), None | Some(Data::Empty)));
    // The indicators, named in the language.
    let column = |range: &calamine::Range<Data>, name: &str| {
        (0..range.width()).find(|&c| range.get((0, c)) == Some(&Data::String(name.into())))
    };
    let referred = column(&periods, "referred_housing").unwrap();
    assert_eq!(
        periods.get((1, referred)),
        Some(&Data::String("Henvist: Housing".into()))
    );
    let women = column(&periods, "gender_female").unwrap();
    assert_eq!(
        periods.get((1, women)),
        Some(&Data::String("Kvinner".into()))
    );
    let items = book.worksheet_range("Utstyr").unwrap();
    assert_eq!(
        items.get((0, 1)),
        Some(&Data::String("item_meal_pack".into()))
    );
    let pct = column(&items, "returned_pct_sharps_container").unwrap();
    assert_eq!(
        items.get((1, pct)),
        Some(&Data::String(
            "Sharps container, innlevert per 100 utlevert".into()
        ))
    );
    assert_eq!(items.get((1, 1)), Some(&Data::String("Meal pack".into())));
    let totals = book.worksheet_range("Totalt").unwrap();
    assert_eq!(totals.get((2, 0)), Some(&Data::String("contacts".into())));
    assert_eq!(totals.get((2, 2)), Some(&Data::Float(9.0)));
    // Without --out there is nowhere to put it.
    let r = run(
        d.path(),
        &[
            "export",
            "--from",
            "2026-03-27",
            "--to",
            "2026-03-31",
            "--format",
            "xlsx",
        ],
    );
    assert!(r.code == 1 && r.stderr.contains("--out"), "{}", r.stderr);
}

/// The CSV a Nordic Excel opens with a double click: a BOM, `;`, CRLF.
#[test]
fn the_excel_csv_starts_with_a_bom_and_uses_semicolons() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let csv = export(d.path(), &["--excel"]);
    assert!(csv.starts_with("\u{feff}date;contacts;"), "{csv}");
    assert!(csv.contains("\r\n2026-03-28;4;1;"), "{csv}");
    let long = export(d.path(), &["--excel", "--format", "long"]);
    assert!(
        long.contains("\r\n2026-03-28;Gyldenpris;contacts;4;false\r\n"),
        "{long}"
    );
}

#[path = "common/postgres.rs"]
mod postgres;

/// Into the engine the city runs: the daily CSV into a table of date and
/// bigint columns with `\copy` (suppressed counts arrive as NULL), and the
/// long files, days and months, into `contrib/postgres`'s table with its
/// loader, twice (the second load changes nothing).
#[test]
fn exports_load_into_postgresql_as_typed_columns() {
    let Some(pg) = postgres::Cluster::start() else {
        return;
    };
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let file = |name: &str, extra: &[&str]| {
        let path = d.path().join(name);
        let mut args = vec!["export", "--from", "2026-03-27", "--to", "2026-03-31"];
        args.extend_from_slice(extra);
        args.extend(["--out", path.to_str().unwrap()]);
        ok(d.path(), &args);
        path
    };
    // The wide file: every count column a bigint, the date a date.
    let wide = file("days.csv", &["--suppress-below", "3"]);
    let text = std::fs::read_to_string(&wide).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let cols: Vec<String> = header
        .iter()
        .map(|h| match *h {
            "date" => "date date PRIMARY KEY".to_string(),
            h => format!("{h} bigint"),
        })
        .collect();
    pg.sql(&format!("CREATE TABLE days ({})", cols.join(", ")));
    let out = pg.script(&format!(
        "\\copy days FROM '{}' WITH (FORMAT csv, HEADER true)\n",
        wide.display()
    ));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(pg.sql("SELECT count(*), sum(contacts) FROM days"), "5|4");
    assert_eq!(
        pg.sql("SELECT count(*) FROM days WHERE unique_visitors IS NULL"),
        "3",
        "suppressed counts are NULL, never 0"
    );
    assert_eq!(
        pg.sql("SELECT item_meal_pack FROM days WHERE date = '2026-03-29'"),
        "3"
    );
    // The long files through the loader, twice.
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/contrib/postgres/schema.sql");
    pg.sql(&std::fs::read_to_string(schema).unwrap());
    let loader = concat!(env!("CARGO_MANIFEST_DIR"), "/contrib/postgres/load.sh");
    let days = file("long.csv", &["--format", "long", "--suppress-below", "3"]);
    let months = file(
        "months.csv",
        &["--format", "long", "--by", "month", "--excel"],
    );
    for _ in 0..2 {
        let mut c = std::process::Command::new(loader);
        pg.env(&mut c);
        let out = c.arg(&days).arg(&months).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        pg.sql("SELECT period_kind, count(*) FROM doorlog_counts GROUP BY 1 ORDER BY 1"),
        "day|190\nmonth|38"
    );
    assert_eq!(
        pg.sql(
            "SELECT value FROM doorlog_counts WHERE centre = 'Gyldenpris' \
             AND period_kind = 'month' AND metric = 'unique_visitors'"
        ),
        "3",
        "the month's unique visitors"
    );
    assert_eq!(
        pg.sql(
            "SELECT count(*) FROM doorlog_counts WHERE suppressed AND value IS NULL \
             AND period_kind = 'day'"
        ),
        pg.sql("SELECT count(*) FROM doorlog_counts WHERE suppressed"),
    );
}

/// DHIS2's dataValueSets import, as its documentation gives it: each value
/// with its data element, period (`20260328`, `2026W13`, `202603`),
/// organisation unit and value as text. Whole periods only, and never a
/// suppressed value.
#[test]
fn dhis2_gets_whole_periods_and_no_suppressed_values() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let mapping = |period: &str, extra: &str| {
        let path = d.path().join(format!("map-{period}.json"));
        std::fs::write(
            &path,
            format!(
                r#"{{"period": "{period}", "orgUnits": {{"Gyldenpris": "OU123"}},
                "dataElements": {{"contacts": "DEcontacts", "unique_visitors": "DEuniq"{extra}}}}}"#
            ),
        )
        .unwrap();
        path.to_str().unwrap().to_string()
    };
    let run_as = |format: &str, from: &str, to: &str, map: &str, extra: &[&str]| {
        let mut args = vec!["export", "--from", from, "--to", to, "--format", format];
        args.extend(["--mapping", map]);
        args.extend_from_slice(extra);
        run(d.path(), &args)
    };
    let run_with =
        |from: &str, to: &str, map: &str, extra: &[&str]| run_as("dhis2", from, to, map, extra);
    let days = run_with("2026-03-27", "2026-03-31", &mapping("day", ""), &[]);
    assert_eq!(days.code, 0, "{}", days.stderr);
    let v: serde_json::Value = serde_json::from_str(&days.stdout).unwrap();
    let values = v["dataValues"].as_array().unwrap();
    assert_eq!(values.len(), 2 * 5);
    assert!(values.contains(&serde_json::json!({
        "dataElement": "DEcontacts", "period": "20260328", "orgUnit": "OU123", "value": "4"
    })));
    // A month: its unique visitors over the month (3), not a sum of days (4).
    let month = run_with("2026-03-01", "2026-03-31", &mapping("month", ""), &[]);
    let v: serde_json::Value = serde_json::from_str(&month.stdout).unwrap();
    assert!(
        v["dataValues"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({
                "dataElement": "DEuniq", "period": "202603", "orgUnit": "OU123", "value": "3"
            })),
        "{}",
        month.stdout
    );
    // ISO week 13 of 2026: Monday 23 to Sunday 29 March.
    let week = run_with("2026-03-23", "2026-03-29", &mapping("week", ""), &[]);
    assert!(week.stdout.contains("\"2026W13\""), "{}", week.stdout);
    // Refused: a cut month, a suppressed value, an unknown metric.
    let cut = run_with("2026-03-27", "2026-03-31", &mapping("month", ""), &[]);
    assert!(
        cut.code == 1 && cut.stderr.contains("whole periods"),
        "{}",
        cut.stderr
    );
    let small = run_with(
        "2026-03-27",
        "2026-03-31",
        &mapping("day", ""),
        &["--suppress-below", "3"],
    );
    assert!(
        small.code == 1 && small.stderr.contains("suppressed"),
        "{}",
        small.stderr
    );
    let unknown = run_with(
        "2026-03-27",
        "2026-03-31",
        &mapping("day", r#", "item_foil": "DEfoil""#),
        &[],
    );
    assert!(
        unknown.code == 1 && unknown.stderr.contains("item_foil"),
        "{}",
        unknown.stderr
    );
    // DHIS2's CSV form.
    let csv = run_as(
        "dhis2-csv",
        "2026-03-27",
        "2026-03-31",
        &mapping("day", ""),
        &[],
    );
    assert!(
        csv.stdout.starts_with(
            "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n"
        ),
        "{}",
        csv.stdout
    );
    assert!(csv.stdout.contains("DEcontacts,20260328,OU123,,,4\n"));
}

/// Three centres with three catalogs (one hands out smoking pipes and
/// refers to detox, which the others do not have) merge their long month
/// files into one table of every metric: each centre's counts as its own
/// export has them, and the sum of the three where they share a metric.
#[test]
fn three_centres_with_different_catalogs_merge_by_month() {
    let d = tempfile::tempdir().unwrap();
    let month = |dir: &Path, name: &str| -> String {
        let file = d.path().join(name);
        ok(
            dir,
            &[
                "export",
                "--from",
                "2026-03-01",
                "--to",
                "2026-03-31",
                "--by",
                "month",
                "--format",
                "long",
                "--out",
                file.to_str().unwrap(),
            ],
        );
        file.to_str().unwrap().to_string()
    };
    // Gyldenpris: the scripted week-end.
    let gyldenpris = d.path().join("gyldenpris");
    scripted(&gyldenpris);
    // Strax: the shipped catalog, three anonymous contacts.
    let strax = centre(d.path(), "strax", "Strax");
    for at in ["2026-03-02T10:00:00+01:00", "2026-03-03T10:00:00+01:00"] {
        ok(
            &strax,
            &["record", "--anonymous", "--item", "foil=3", "--at", at],
        );
    }
    ok(
        &strax,
        &[
            "record",
            "--anonymous",
            "--item",
            "naloxone",
            "--naloxone",
            "first",
            "--referral",
            "housing",
            "--at",
            "2026-03-04T10:00:00+01:00",
        ],
    );
    // Nygaten: a catalog of its own.
    let nygaten = centre(d.path(), "nygaten", "Nygaten");
    std::fs::write(
        nygaten.join("catalog.json"),
        r#"{
  "items": [
    {"id": "meal-pack", "category": "food", "hotkey": "m", "names": {"en": "Meal pack"}},
    {"id": "pipe", "category": "smoking", "hotkey": "p", "names": {"en": "Pipe"}}
  ],
  "topics": [{"id": "housing", "hotkey": "h", "names": {"en": "Housing"}}],
  "referrals": [{"id": "detox", "names": {"en": "Detox"}}]
}"#,
    )
    .unwrap();
    ok(
        &nygaten,
        &[
            "record",
            "--anonymous",
            "--item",
            "pipe=2",
            "--item",
            "meal-pack",
            "--referral",
            "detox",
            "--for-others",
            "3",
            "--at",
            "2026-03-10T12:00:00+01:00",
        ],
    );
    let files = [
        month(&gyldenpris, "g.csv"),
        month(&strax, "s.csv"),
        month(&nygaten, "n.csv"),
    ];
    let mut args = vec!["merge", "--format", "long"];
    args.extend(files.iter().map(String::as_str));
    let long = ok(d.path(), &args);
    let value = |centre: &str, metric: &str| -> Option<String> {
        long.lines()
            .find(|l| l.contains(&format!(",month,{centre},{metric},")))
            .map(|l| l.split(',').nth(5).unwrap().to_string())
    };
    assert_eq!(value("Gyldenpris", "contacts").as_deref(), Some("9"));
    assert_eq!(value("Strax", "contacts").as_deref(), Some("3"));
    assert_eq!(value("Nygaten", "item_pipe").as_deref(), Some("2"));
    assert_eq!(value("Nygaten", "referred_detox").as_deref(), Some("1"));
    assert_eq!(
        value("Nygaten", "collecting_for_people").as_deref(),
        Some("3")
    );
    assert_eq!(value("Strax", "naloxone_first").as_deref(), Some("1"));
    // A metric a centre does not have is not made up for it in the long
    // form; the sum counts it as none there.
    assert_eq!(value("Gyldenpris", "item_pipe"), None);
    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    let sum = ok(d.path(), &args);
    let mut rows = sum.lines().map(|l| l.split(',').collect::<Vec<_>>());
    let header = rows.next().unwrap();
    let row = rows.next().unwrap();
    let at = |m: &str| row[header.iter().position(|h| *h == m).expect(m)];
    assert_eq!(at("contacts"), "13");
    assert_eq!(at("item_pipe"), "2");
    assert_eq!(at("item_foil"), "6");
    assert_eq!(at("referred_housing"), "2");
    assert_eq!(at("referred_detox"), "1");
    assert_eq!(at("unique_visitors_summed"), "3");
    assert!(rows.next().is_none(), "one month");
    // The same centre's month twice is refused.
    let r = run(
        d.path(),
        &["merge", "--format", "long", &files[1], &files[1]],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
}

/// Every export file parsed as a typed table the way pandas or DuckDB
/// would type it: every date a date, every count an integer or empty
/// (suppressed), in the wide CSV, the `--excel` CSV, the long CSV and
/// JSON, with no edits.
#[test]
fn every_format_parses_as_typed_columns() {
    let d = tempfile::tempdir().unwrap();
    scripted(d.path());
    let date = |s: &str| {
        time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
            .unwrap_or_else(|_| panic!("{s:?} is not a date"))
    };
    let count = |s: &str| s.is_empty() || s.parse::<u64>().is_ok();
    for (extra, sep) in [
        (vec!["--suppress-below", "3"], b','),
        (vec!["--suppress-below", "3", "--excel"], b';'),
        (vec!["--by", "week", "--suppress-below", "3"], b','),
    ] {
        let csv = export(d.path(), &extra);
        let mut r = csv::ReaderBuilder::new()
            .delimiter(sep)
            .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let periods = if header[0] == "date" { 1 } else { 2 };
        assert!(header.iter().all(|h| {
            h.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        }));
        let mut empty = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            for f in rec.iter().take(periods) {
                date(f);
            }
            for (h, f) in header.iter().zip(rec.iter()).skip(periods) {
                assert!(count(f), "{h}: {f:?} in {extra:?}");
                empty += usize::from(f.is_empty());
            }
        }
        assert!(empty > 0, "some counts are suppressed");
    }
    let long = export(d.path(), &["--format", "long", "--suppress-below", "3"]);
    let mut r = csv::Reader::from_reader(long.as_bytes());
    for rec in r.records() {
        let rec = rec.unwrap();
        date(&rec[0]);
        let (value, suppressed) = (&rec[3], &rec[4]);
        assert!(count(value));
        // Empty exactly where suppressed: never an unmarked gap.
        assert_eq!(value.is_empty(), suppressed == "true", "{rec:?}");
    }
    let json = export(d.path(), &["--format", "json", "--suppress-below", "3"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for row in v.as_array().unwrap() {
        for (k, x) in row.as_object().unwrap() {
            match k.as_str() {
                "date" => {
                    date(x.as_str().unwrap());
                }
                _ => assert!(x.is_u64() || x.is_null(), "{k}: {x}"),
            }
        }
    }
}
