//! Calendar periods for reports: a day, an ISO week (Monday to Sunday), a
//! month, or a custom range; stepping back and forth.

use time::{Date, Duration, Month};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
    Custom,
}

/// The days of the `period` around `anchor` (a custom range is `custom`).
pub fn range(period: Period, anchor: Date, custom: (Date, Date)) -> (Date, Date) {
    let a = anchor;
    match period {
        Period::Day => (a, a),
        Period::Week => {
            let back = Duration::days(i64::from(a.weekday().number_days_from_monday()));
            let monday = a.checked_sub(back).unwrap_or(Date::MIN);
            (
                monday,
                monday.checked_add(Duration::days(6)).unwrap_or(Date::MAX),
            )
        }
        Period::Month => {
            let first = a.replace_day(1).unwrap_or(a);
            let last = first
                .replace_day(first.month().length(first.year()))
                .unwrap_or(first);
            (first, last)
        }
        Period::Custom => custom,
    }
}

/// The anchor of the previous (-1) or next (+1) period; at the ends of the
/// calendar it stays where it is.
pub fn step_anchor(period: Period, anchor: Date, by: i64) -> Date {
    match period {
        Period::Day => anchor.checked_add(Duration::days(by)).unwrap_or(anchor),
        Period::Week => anchor.checked_add(Duration::weeks(by)).unwrap_or(anchor),
        Period::Month => {
            let (y, m) = (anchor.year(), anchor.month());
            let (y, m) = if by < 0 {
                (if m == Month::January { y - 1 } else { y }, m.previous())
            } else {
                (if m == Month::December { y + 1 } else { y }, m.next())
            };
            Date::from_calendar_date(y, m, 1).unwrap_or(anchor)
        }
        Period::Custom => anchor,
    }
}

/// A custom range moved by its own length; at the ends of the calendar it
/// stays where it is.
pub fn step_range(custom: (Date, Date), by: i64) -> (Date, Date) {
    let len = (custom.1 - custom.0).whole_days() + 1;
    let shift = Duration::days(by.saturating_mul(len));
    match (custom.0.checked_add(shift), custom.1.checked_add(shift)) {
        (Some(a), Some(b)) => (a, b),
        _ => custom,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn periods_are_calendar_weeks_and_months() {
        let d = date!(2026 - 11 - 26); // a Thursday
        let none = (d, d);
        assert_eq!(
            range(Period::Week, d, none),
            (date!(2026 - 11 - 23), date!(2026 - 11 - 29))
        );
        assert_eq!(
            range(Period::Month, d, none),
            (date!(2026 - 11 - 01), date!(2026 - 11 - 30))
        );
        assert_eq!(
            range(Period::Month, date!(2028 - 02 - 10), none).1,
            date!(2028 - 02 - 29)
        );
        let a = step_anchor(Period::Month, date!(2026 - 01 - 31), -1);
        assert_eq!(
            range(Period::Month, a, none),
            (date!(2025 - 12 - 01), date!(2025 - 12 - 31))
        );
        let a = step_anchor(Period::Month, step_anchor(Period::Month, a, 1), 1);
        assert_eq!(range(Period::Month, a, none).0, date!(2026 - 02 - 01));
        assert_eq!(
            step_range((date!(2026 - 11 - 01), date!(2026 - 11 - 03)), 1),
            (date!(2026 - 11 - 04), date!(2026 - 11 - 06))
        );
        // The ends of the calendar: no panic, the period stays.
        assert_eq!(step_anchor(Period::Day, Date::MAX, 1), Date::MAX);
        assert_eq!(step_anchor(Period::Week, Date::MIN, -1), Date::MIN);
        assert_eq!(range(Period::Week, Date::MAX, none).1, Date::MAX);
        let wide = (date!(2000 - 01 - 01), date!(2029 - 12 - 31));
        let mut r = wide;
        for _ in 0..400 {
            r = step_range(r, -1);
        }
        assert!(r.0 >= Date::MIN);
    }
}
