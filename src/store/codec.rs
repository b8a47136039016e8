//! Values: one schema-version byte, then bincode with one fixed set of
//! options (varint integers, little-endian, size limit, no trailing bytes).

use bincode::Options;
use serde::{Serialize, de::DeserializeOwned};

/// The value format written today. 2: contacts keep referral types, a
/// number of people collected for and naloxone kinds (`Contact`,
/// `KeptContact`, `DayRecord` changed; every other kind reads the same).
pub const VALUE_VERSION: u8 = 2;
/// No stored value is larger than this (a contact with a 1,000-character
/// note is about 4 KB).
const MAX_VALUE_BYTES: u64 = 1 << 20;

fn options() -> impl Options {
    bincode::DefaultOptions::new()
        .with_varint_encoding()
        .with_little_endian()
        .with_limit(MAX_VALUE_BYTES)
        .reject_trailing_bytes()
}

pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let mut out = vec![VALUE_VERSION];
    options()
        .serialize_into(&mut out, value)
        .expect("doorlog values are plain data and fit the size limit");
    out
}

/// Why a stored value could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("empty value")]
    Empty,
    #[error("value format {0} is unknown to this doorlog")]
    UnknownVersion(u8),
    #[error("value does not decode: {0}")]
    Bincode(#[from] bincode::Error),
}

/// A kind of value the store keeps. A kind that changed in a value format
/// reads its older form itself; the others read as they are. Old values
/// are read, never rewritten in bulk: an old store opens as fast as ever.
pub trait Stored: DeserializeOwned {
    /// Reads a value written in value format 1.
    fn from_v1(bytes: &[u8]) -> Result<Self, bincode::Error> {
        options().deserialize(bytes)
    }
}

/// Reads `bytes` as the older form `Old` of a kind, and converts it.
pub fn read_old<Old: DeserializeOwned, T: From<Old>>(bytes: &[u8]) -> Result<T, bincode::Error> {
    options().deserialize::<Old>(bytes).map(T::from)
}

pub fn decode<T: Stored>(bytes: &[u8]) -> Result<T, DecodeError> {
    match bytes.split_first() {
        None => Err(DecodeError::Empty),
        Some((&VALUE_VERSION, rest)) => Ok(options().deserialize(rest)?),
        Some((&1, rest)) => Ok(T::from_v1(rest)?),
        Some((&v, _)) => Err(DecodeError::UnknownVersion(v)),
    }
}

use crate::domain::contact::v1;

impl Stored for crate::domain::Contact {
    fn from_v1(bytes: &[u8]) -> Result<Self, bincode::Error> {
        read_old::<v1::Contact, _>(bytes)
    }
}

impl Stored for crate::domain::KeptContact {
    fn from_v1(bytes: &[u8]) -> Result<Self, bincode::Error> {
        read_old::<v1::KeptContact, _>(bytes)
    }
}

impl Stored for crate::domain::Visitor {}
impl Stored for crate::domain::Message {}
impl Stored for crate::domain::AuditEntry {}
impl Stored for crate::domain::StockMove {}
impl Stored for crate::domain::Staff {}
impl Stored for String {}
