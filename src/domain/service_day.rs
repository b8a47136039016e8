//! The service day: the local calendar day of a contact, where a day may run
//! past midnight until a cut-over hour. Local time comes from a time-zone
//! rule (tz database or POSIX TZ string) evaluated at the contact's instant,
//! so it is right on daylight-saving nights and never asks the C library
//! (which is unsafe while sled's threads run).

use time::{Date, Duration, OffsetDateTime, UtcOffset};
use tz::TimeZone;

use super::InvalidInput;

#[derive(Debug, Clone)]
pub struct ServiceDayRule {
    zone: TimeZone,
    cutover_hour: u8,
}

impl ServiceDayRule {
    /// `zone`: an IANA name (`Europe/Oslo`), a POSIX TZ string
    /// (`CET-1CEST,M3.5.0,M10.5.0/3`) or `UTC`.
    pub fn new(zone: &str, cutover_hour: u8) -> Result<ServiceDayRule, InvalidInput> {
        let zone = if zone.eq_ignore_ascii_case("utc") {
            TimeZone::utc()
        } else {
            TimeZone::from_posix_tz(zone)
                .map_err(|e| InvalidInput::new("timezone", "unknown_zone").arg("detail", e))?
        };
        Self::with_zone(zone, cutover_hour)
    }

    /// The machine's zone: `TZ` if set, else `/etc/localtime`, else UTC.
    pub fn local(cutover_hour: u8) -> Result<ServiceDayRule, InvalidInput> {
        let zone = match std::env::var("TZ") {
            Ok(tz) if !tz.trim().is_empty() => TimeZone::from_posix_tz(tz.trim()).ok(),
            _ => None,
        }
        .or_else(|| TimeZone::local().ok())
        .unwrap_or_else(TimeZone::utc);
        Self::with_zone(zone, cutover_hour)
    }

    fn with_zone(zone: TimeZone, cutover_hour: u8) -> Result<ServiceDayRule, InvalidInput> {
        if cutover_hour > 12 {
            return Err(InvalidInput::new("cutover_hour", "cutover_hour"));
        }
        Ok(ServiceDayRule { zone, cutover_hour })
    }

    pub fn cutover_hour(&self) -> u8 {
        self.cutover_hour
    }

    /// The offset from UTC in force at `at`.
    pub fn offset_at(&self, at: OffsetDateTime) -> UtcOffset {
        self.zone
            .find_local_time_type(at.unix_timestamp())
            .ok()
            .and_then(|t| UtcOffset::from_whole_seconds(t.ut_offset()).ok())
            .unwrap_or(UtcOffset::UTC)
    }

    /// `at` on the local wall clock.
    pub fn wall_clock(&self, at: OffsetDateTime) -> OffsetDateTime {
        at.to_offset(self.offset_at(at))
    }

    /// The service day and the local hour (0-23) of an instant.
    pub fn day_and_hour(&self, at: OffsetDateTime) -> (Date, u8) {
        let local = self.wall_clock(at);
        let mut day = local.date();
        if local.hour() < self.cutover_hour {
            day = day.previous_day().unwrap_or(day);
        }
        (day, local.hour())
    }

    pub fn service_day(&self, at: OffsetDateTime) -> Date {
        self.day_and_hour(at).0
    }

    /// The first instant of a service day (its local cut-over time). On a
    /// night whose cut-over hour does not exist (skipped by daylight saving)
    /// it is the first instant after the gap.
    pub fn day_start(&self, day: Date) -> OffsetDateTime {
        let wall = day.midnight() + Duration::hours(i64::from(self.cutover_hour));
        // Try the offsets around that wall time; take the earliest instant
        // whose service day is `day`.
        let guess = wall.assume_utc();
        let mut best: Option<OffsetDateTime> = None;
        for probe in [
            guess - Duration::hours(14),
            guess,
            guess + Duration::hours(14),
        ] {
            let off = self.offset_at(probe);
            let at = wall.assume_offset(off).to_offset(UtcOffset::UTC);
            if self.service_day(at) == day && best.is_none_or(|b| at < b) {
                best = Some(at);
            }
        }
        best.unwrap_or(guess)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    /// Europe/Oslo as a POSIX rule, so the test needs no tz database.
    const OSLO: &str = "CET-1CEST,M3.5.0,M10.5.0/3";

    #[test]
    fn spring_forward_night_in_oslo() {
        // 2026-03-29: 02:00 CET jumps to 03:00 CEST.
        let r = ServiceDayRule::new(OSLO, 0).unwrap();
        let before = datetime!(2026-03-29 00:59 UTC); // 01:59 CET
        let after = datetime!(2026-03-29 01:00 UTC); // 03:00 CEST
        assert_eq!(r.day_and_hour(before), (date!(2026 - 03 - 29), 1));
        assert_eq!(r.day_and_hour(after), (date!(2026 - 03 - 29), 3));
        let late = datetime!(2026-03-29 21:59 UTC); // 23:59 CEST
        assert_eq!(r.service_day(late), date!(2026 - 03 - 29));
        let next = datetime!(2026-03-29 22:00 UTC); // 00:00 CEST on the 30th
        assert_eq!(r.service_day(next), date!(2026 - 03 - 30));
    }

    #[test]
    fn fall_back_night_in_oslo() {
        // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        let r = ServiceDayRule::new(OSLO, 0).unwrap();
        let first = datetime!(2026-10-25 00:30 UTC); // 02:30 CEST
        let second = datetime!(2026-10-25 01:30 UTC); // 02:30 CET
        assert_eq!(r.day_and_hour(first), (date!(2026 - 10 - 25), 2));
        assert_eq!(r.day_and_hour(second), (date!(2026 - 10 - 25), 2));
        // The evening before midnight is still the 24th in summer time...
        assert_eq!(
            r.service_day(datetime!(2026-10-24 21:59 UTC)),
            date!(2026 - 10 - 24)
        );
        // ...and 23:30 on the 25th (winter time) is the 25th.
        assert_eq!(
            r.service_day(datetime!(2026-10-25 22:30 UTC)),
            date!(2026 - 10 - 25)
        );
        assert_eq!(
            r.service_day(datetime!(2026-10-25 23:00 UTC)),
            date!(2026 - 10 - 26)
        );
    }

    #[test]
    fn cut_over_hour_keeps_late_night_on_the_evening_before() {
        let r = ServiceDayRule::new(OSLO, 4).unwrap();
        // 03:59 local on 2026-01-10 belongs to the 9th; 04:00 to the 10th.
        assert_eq!(
            r.service_day(datetime!(2026-01-10 02:59 UTC)),
            date!(2026 - 01 - 09)
        );
        assert_eq!(
            r.service_day(datetime!(2026-01-10 03:00 UTC)),
            date!(2026 - 01 - 10)
        );
        // On the spring-forward night 02:00-03:00 does not exist: 03:00 CEST
        // is before the 04:00 cut-over, still the 28th; 04:00 CEST is the 29th.
        assert_eq!(
            r.service_day(datetime!(2026-03-29 01:00 UTC)),
            date!(2026 - 03 - 28)
        );
        assert_eq!(
            r.service_day(datetime!(2026-03-29 02:00 UTC)),
            date!(2026 - 03 - 29)
        );
    }

    #[test]
    fn day_start_is_the_local_cut_over() {
        let r = ServiceDayRule::new(OSLO, 0).unwrap();
        assert_eq!(
            r.day_start(date!(2026 - 07 - 01)),
            datetime!(2026-06-30 22:00 UTC)
        );
        assert_eq!(
            r.day_start(date!(2026 - 01 - 01)),
            datetime!(2025-12-31 23:00 UTC)
        );
        let r = ServiceDayRule::new(OSLO, 2).unwrap();
        // 02:00 on the spring-forward day does not exist; the day starts at 03:00 CEST.
        assert_eq!(
            r.day_start(date!(2026 - 03 - 29)),
            datetime!(2026-03-29 01:00 UTC)
        );
    }

    #[test]
    fn same_answer_from_many_threads() {
        let r = ServiceDayRule::new(OSLO, 0).unwrap();
        let at = datetime!(2026-10-25 00:30 UTC);
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let r = r.clone();
                std::thread::spawn(move || {
                    let all: Vec<_> = (0..1000).map(|_| r.day_and_hour(at)).collect();
                    assert!(all.windows(2).all(|w| w[0] == w[1]));
                    all.first().copied()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), Some((date!(2026 - 10 - 25), 2)));
        }
    }

    #[test]
    fn bad_zone_or_hour_is_refused() {
        assert!(ServiceDayRule::new("Not/AZone", 0).is_err());
        assert!(ServiceDayRule::new(OSLO, 13).is_err());
        assert!(ServiceDayRule::new("UTC", 0).is_ok());
    }
}
