//! Hand-encoded keys. Integers are big-endian so byte order is numeric
//! order: a service day or a range of days is one range scan.

use time::Date;

use crate::domain::ContactId;

/// A service day as 4 bytes: the Julian day number, big-endian. Days
/// before the Julian epoch (4713 BC) all map to 0, so `Date::MIN` works as
/// the start of a range.
pub fn day(d: Date) -> [u8; 4] {
    (d.to_julian_day().max(0) as u32).to_be_bytes()
}

pub fn day_from(bytes: &[u8]) -> Option<Date> {
    let b: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    Date::from_julian_day(u32::from_be_bytes(b) as i32).ok()
}

pub fn id(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

pub fn id_from(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(..8)?.try_into().ok()?))
}

/// `day ++ number`: a contact (`dayseq_contact`); a day's contacts are one
/// prefix scan, a range of days one range scan.
pub fn contact(id: ContactId) -> [u8; 8] {
    let mut k = [0u8; 8];
    k[..4].copy_from_slice(&day(id.day));
    k[4..].copy_from_slice(&id.seq.to_be_bytes());
    k
}

pub fn contact_from(bytes: &[u8]) -> Option<ContactId> {
    if bytes.len() != 8 {
        return None;
    }
    Some(ContactId {
        day: day_from(&bytes[..4])?,
        seq: u32::from_be_bytes(bytes[4..].try_into().ok()?),
    })
}

/// The first and last contact keys of the days `from..=to`.
pub fn contact_range(from: Date, to: Date) -> std::ops::RangeInclusive<[u8; 8]> {
    contact(ContactId { day: from, seq: 0 })..=contact(ContactId {
        day: to,
        seq: u32::MAX,
    })
}

/// `visitor ++ contact`: a visitor's contacts that carry a note
/// (`visitornote_contact`).
pub fn visitor_contact(visitor: u64, c: ContactId) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&id(visitor));
    k[8..].copy_from_slice(&contact(c));
    k
}

pub fn visitor_contact_from(bytes: &[u8]) -> Option<(u64, ContactId)> {
    if bytes.len() != 16 {
        return None;
    }
    Some((id_from(&bytes[..8])?, contact_from(&bytes[8..])?))
}

/// `day ++ id`: the day a visitor was last seen (`lastseen_visitor`).
pub fn day_id(d: Date, id: u64) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..4].copy_from_slice(&day(d));
    k[4..].copy_from_slice(&self::id(id));
    k
}

pub fn day_id_from(bytes: &[u8]) -> Option<(Date, u64)> {
    if bytes.len() != 12 {
        return None;
    }
    Some((day_from(&bytes[..4])?, id_from(&bytes[4..])?))
}

/// `id ++ id`: a visitor's messages (`visitormsg_message`).
pub fn id_pair(a: u64, b: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&id(a));
    k[8..].copy_from_slice(&id(b));
    k
}

/// `time ++ seq` for the audit log: the sign bit flipped so earlier is smaller.
pub fn time_seq(unix: i64, seq: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&((unix as u64) ^ (1 << 63)).to_be_bytes());
    k[8..].copy_from_slice(&seq.to_be_bytes());
    k
}

pub fn time_from(bytes: &[u8]) -> Option<i64> {
    Some((id_from(bytes)? ^ (1 << 63)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn byte_order_is_time_order() {
        let a = ContactId {
            day: date!(2025 - 12 - 31),
            seq: u32::MAX,
        };
        let b = ContactId {
            day: date!(2026 - 01 - 01),
            seq: 1,
        };
        assert!(contact(a) < contact(b));
        assert!(time_seq(-5, 9) < time_seq(3, 0));
        assert_eq!(time_from(&time_seq(-5, 9)), Some(-5));
        assert_eq!(contact_from(&contact(b)), Some(b));
        assert_eq!(visitor_contact_from(&visitor_contact(7, b)), Some((7, b)));
        assert!(contact_range(b.day, b.day).contains(&contact(b)));
        assert_eq!(day_id_from(&day_id(b.day, 9)), Some((b.day, 9)));
        assert!(day_id(a.day, u64::MAX) < day_id(b.day, 0));
        assert!(day_id(a.day, u64::MAX)[..] < day(b.day)[..]);
        assert!(contact_range(Date::MIN, Date::MAX).contains(&contact(b)));
    }
}
