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
            let monday = a - Duration::days(i64::from(a.weekday().number_days_from_monday()));
            (monday, monday + Duration::days(6))
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

/// The anchor of the previous (-1) or next (+1) period.
pub fn step_anchor(period: Period, anchor: Date, by: i64) -> Date {
    match period {
        Period::Day => anchor + Duration::days(by),
        Period::Week => anchor + Duration::weeks(by),
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

/// A custom range moved by its own length.
pub fn step_range(custom: (Date, Date), by: i64) -> (Date, Date) {
    let len = (custom.1 - custom.0).whole_days() + 1;
    (
        custom.0 + Duration::days(by * len),
        custom.1 + Duration::days(by * len),
    )
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
    }
}
