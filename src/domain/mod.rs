//! Plain types and rules: visitors, contacts, catalog, topics, staff, audit,
//! service day and daily counts. Nothing here knows sled, bincode or ratatui.

pub mod audit;
pub mod catalog;
pub mod contact;
pub mod counts;
pub mod message;
pub mod service_day;
pub mod staff;
pub mod text;
pub mod visitor;

pub use audit::AuditEntry;
pub use catalog::{Catalog, CatalogItem, Category, Topic};
pub use contact::{Channel, Contact, ContactDraft, ContactId, Flags, ItemLine};
pub use counts::DayCounts;
pub use message::Message;
pub use service_day::ServiceDayRule;
pub use staff::{NewStaff, PinPolicy, Role, Staff};
pub use visitor::{Gender, NewVisitor, Visitor};

/// A rule a piece of input broke. The message names the field and says what
/// is allowed; it never repeats the input itself (it may be personal).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InvalidInput {
    pub field: &'static str,
    pub problem: String,
}

impl InvalidInput {
    pub fn new(field: &'static str, problem: impl Into<String>) -> Self {
        Self {
            field,
            problem: problem.into(),
        }
    }
}

/// Dates in stored values: the Julian day number as one integer, so the
/// format does not depend on how `time` chooses to serialise a `Date`.
pub(crate) mod day_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.to_julian_day())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let n = i32::deserialize(d)?;
        Date::from_julian_day(n).map_err(serde::de::Error::custom)
    }

    pub mod opt {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&d.to_julian_day()),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            match Option::<i32>::deserialize(d)? {
                Some(n) => Date::from_julian_day(n)
                    .map(Some)
                    .map_err(serde::de::Error::custom),
                None => Ok(None),
            }
        }
    }
}
