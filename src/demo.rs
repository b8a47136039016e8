//! Realistic synthetic data: `doorlog demo`, for trying doorlog and for
//! benchmarks. Nothing here is real: aliases are made up, notes generic.

use time::{Date, Duration, OffsetDateTime};

use crate::domain::{Catalog, Channel, ContactDraft, Flags, ItemLine, NewVisitor, ServiceDayRule};
use crate::store::{Result, Store, StoreError};

/// A small, fast, seedable random generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `p` percent.
    pub fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
}

/// Made-up nicknames for demo visitors.
pub const NAMES: [&str; 24] = [
    "Rev",
    "Bjørn",
    "Kaja",
    "Tufs",
    "Lillebror",
    "Sol",
    "Åse",
    "Mads",
    "Pingvin",
    "Kjell",
    "Ronja",
    "Stein",
    "Fugl",
    "Tante",
    "Jens",
    "Mona",
    "Ulv",
    "Kim",
    "Sara",
    "Ørn",
    "Lasse",
    "Nina",
    "Viggo",
    "Elg",
];

/// What `fill` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub visitors: u64,
    pub contacts: u64,
}

/// What to make: `days` service days ending `last_day`, about `per_day`
/// contacts each (±20 %), a third of them anonymous.
#[derive(Debug, Clone, Copy)]
pub struct DemoPlan {
    pub last_day: Date,
    pub days: u32,
    pub per_day: u32,
    pub seed: u64,
    /// New visitors registered each day once the first regulars are there
    /// (`None`: one for every 60 contacts a day).
    pub new_per_day: Option<u32>,
    /// Save each contact on its own, as at the hatch (otherwise a day at a
    /// time, which is quicker).
    pub one_by_one: bool,
}

impl DemoPlan {
    pub fn new(last_day: Date, days: u32, per_day: u32, seed: u64) -> DemoPlan {
        DemoPlan {
            last_day,
            days,
            per_day,
            seed,
            new_per_day: None,
            one_by_one: false,
        }
    }
}

/// Fills an empty store. `progress` is called after each day with the
/// number of days done.
pub fn fill(
    store: &Store,
    catalog: &Catalog,
    rule: &ServiceDayRule,
    plan: DemoPlan,
    mut progress: impl FnMut(u32),
) -> Result<DemoSummary> {
    let DemoPlan {
        last_day,
        days,
        per_day,
        seed,
        new_per_day,
        one_by_one,
    } = plan;
    if !store.visitors()?.is_empty() || !store.counts_range(Date::MIN, Date::MAX)?.is_empty() {
        return Err(StoreError::invalid("data_dir", "demo_needs_empty"));
    }
    let mut rng = Rng::new(seed);
    let has = |id: &str| catalog.item(id).is_some();
    let topics: Vec<String> = catalog.topics.iter().map(|t| t.id.clone()).collect();
    let mut regulars: Vec<u64> = Vec::new();
    let mut summary = DemoSummary {
        visitors: 0,
        contacts: 0,
    };
    let first = last_day - Duration::days(i64::from(days.saturating_sub(1)));
    let mut day = first;
    for done in 1..=days {
        let start = rule.day_start(day);
        // New faces: a few per day, more at the start.
        let new_today = if regulars.len() < per_day as usize {
            per_day / 4 + 1
        } else {
            new_per_day.unwrap_or((per_day / 60).max(1))
        };
        for _ in 0..new_today {
            let n = summary.visitors + 1;
            let nv = NewVisitor {
                alias: format!("{} {n}", NAMES[rng.below(NAMES.len() as u64) as usize]),
                code: rng.percent(40).then(|| {
                    let l = |r: &mut Rng| (b'A' + r.below(26) as u8) as char;
                    format!(
                        "{}{}{}{}{:04}",
                        l(&mut rng),
                        l(&mut rng),
                        l(&mut rng),
                        l(&mut rng),
                        n % 10_000
                    )
                }),
                birth_year: rng.percent(50).then(|| 1955 + rng.below(50) as u16),
                // From the number, not from a draw: the demo's other data
                // stays what earlier versions made.
                gender: match n % 20 {
                    0..=11 => Some(crate::domain::Gender::Male),
                    12..=17 => Some(crate::domain::Gender::Female),
                    18 => Some(crate::domain::Gender::Other),
                    _ => None,
                },
            };
            // Codes are unique; on the rare clash, register without one.
            let v = match store.add_visitor(nv.clone(), day, start.unix_timestamp()) {
                Ok(v) => v,
                Err(StoreError::Invalid(_)) => store.add_visitor(
                    NewVisitor { code: None, ..nv },
                    day,
                    start.unix_timestamp(),
                )?,
                Err(e) => return Err(e),
            };
            regulars.push(v.id);
            summary.visitors += 1;
        }
        let spread = u64::from(per_day / 5).max(1);
        let today = u64::from(per_day) - spread + rng.below(2 * spread + 1);
        let mut batch = Vec::with_capacity(today as usize);
        for _ in 0..today {
            // Open 09-17, busiest at opening and lunch.
            let hour = [0, 0, 0, 1, 2, 3, 3, 4, 5, 6, 7][rng.below(11) as usize] + 9
                - i64::from(rule.cutover_hour());
            let at: OffsetDateTime =
                start + Duration::hours(hour) + Duration::minutes(rng.below(60) as i64);
            let mut d = ContactDraft::new(at);
            d.channel = match rng.below(100) {
                0..=89 => Channel::Door,
                90..=96 => Channel::Phone,
                _ => Channel::Outreach,
            };
            if !rng.percent(33) && !regulars.is_empty() {
                // Regulars come often: favour the first tenth.
                let pool = if rng.percent(60) {
                    (regulars.len() / 10).max(1)
                } else {
                    regulars.len()
                };
                d.visitor = Some(regulars[rng.below(pool as u64) as usize]);
            }
            let mut add = |id: &str, out: u16, returned: u16| {
                if has(id) {
                    d.items.push(ItemLine {
                        item: id.into(),
                        out,
                        returned,
                    });
                }
            };
            if rng.percent(80) {
                add("meal-pack", 1, 0);
            }
            if rng.percent(40) {
                let n = [1, 2, 5, 10][rng.below(4) as usize];
                add("syringe", n, 0);
                add("needle", n, 0);
                add("swab", n, 0);
            }
            if rng.percent(15) {
                add("foil", 5, 0);
            }
            if rng.percent(3) {
                add("naloxone", 1, 0);
            }
            if rng.percent(10) {
                add("condom", 3, 0);
            }
            if rng.percent(5) {
                add("sharps-container", 1, 1);
            }
            if rng.percent(15) && !topics.is_empty() {
                d.topics
                    .push(topics[rng.below(topics.len() as u64) as usize].clone());
            }
            if rng.percent(5) {
                d.note = Some("Synthetic demo note: asked about opening hours.".into());
            }
            let (overdose, referral, collecting) = (rng.percent(1), rng.percent(2), rng.percent(4));
            // Kinds and numbers from the time, not from more draws: the
            // demo's contacts stay the ones earlier versions made.
            let spread = at.unix_timestamp().unsigned_abs() / 60;
            d.flags = Flags {
                overdose_reported: overdose,
                collecting_for: if collecting {
                    1 + (spread % 3) as u8
                } else {
                    0
                },
                naloxone: d.items.iter().any(|l| l.item == "naloxone").then(|| {
                    // Mostly refills; now and then a first kit or a reversal.
                    crate::domain::Naloxone::ALL[[0, 1, 2, 2, 3, 4, 2, 0][(spread % 8) as usize]]
                }),
            };
            if referral {
                let types: Vec<&str> = catalog
                    .referral_keys()
                    .map(|(_, _, r)| r.id.as_str())
                    .collect();
                if let Some(t) = types.get((spread / 7) as usize % types.len().max(1)) {
                    d.referrals.push(t.to_string());
                }
            }
            let (sday, shour) = rule.day_and_hour(at);
            batch.push(d.into_contact(catalog, sday, shour)?);
        }
        // Recorded in the order they happened, as at a real hatch.
        batch.sort_by_key(|c| c.at);
        summary.contacts += batch.len() as u64;
        if one_by_one {
            for c in batch {
                store.record(c)?;
            }
        } else {
            store.record_all(batch)?;
        }
        // The day before is over: counted once, as the door screen does
        // when the day changes.
        store.close_days_before(day)?;
        progress(done);
        day = match day.next_day() {
            Some(d) => d,
            None => break,
        };
    }
    Ok(summary)
}
