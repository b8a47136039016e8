//! Values: one schema-version byte, then bincode with one fixed set of
//! options (varint integers, little-endian, size limit, no trailing bytes).

use bincode::Options;
use serde::{Serialize, de::DeserializeOwned};

/// The value format written today.
pub const VALUE_VERSION: u8 = 1;
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

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    match bytes.split_first() {
        None => Err(DecodeError::Empty),
        Some((&VALUE_VERSION, rest)) => Ok(options().deserialize(rest)?),
        Some((&v, _)) => Err(DecodeError::UnknownVersion(v)),
    }
}
