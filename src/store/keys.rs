//! Hand-encoded keys. Integers are big-endian so byte order is numeric
//! order: a service day or a range of days is one range scan.

use time::Date;

/// A service day as 4 bytes: the Julian day number, big-endian.
pub fn day(d: Date) -> [u8; 4] {
    (d.to_julian_day() as u32).to_be_bytes()
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

/// `day ++ id`: contacts by day (`daycontact_contact`) and visitors seen on a
/// day (`dayvisitor_contacts`).
pub fn day_id(d: Date, n: u64) -> [u8; 12] {
    let mut k = [0u8; 12];
    k[..4].copy_from_slice(&day(d));
    k[4..].copy_from_slice(&id(n));
    k
}

pub fn day_id_from(bytes: &[u8]) -> Option<(Date, u64)> {
    if bytes.len() != 12 {
        return None;
    }
    Some((day_from(&bytes[..4])?, id_from(&bytes[4..])?))
}

/// `visitor ++ contact`: a visitor's contacts (`visitorcontact_day`).
pub fn id_id(a: u64, b: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&id(a));
    k[8..].copy_from_slice(&id(b));
    k
}

pub fn id_id_from(bytes: &[u8]) -> Option<(u64, u64)> {
    if bytes.len() != 16 {
        return None;
    }
    Some((id_from(&bytes[..8])?, id_from(&bytes[8..])?))
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
        let a = day_id(date!(2025 - 12 - 31), u64::MAX);
        let b = day_id(date!(2026 - 01 - 01), 0);
        assert!(a < b);
        assert!(time_seq(-5, 9) < time_seq(3, 0));
        assert_eq!(time_from(&time_seq(-5, 9)), Some(-5));
        assert_eq!(day_id_from(&b), Some((date!(2026 - 01 - 01), 0)));
        assert_eq!(id_id_from(&id_id(7, 9)), Some((7, 9)));
    }
}
