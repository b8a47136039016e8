//! Plain types and rules: visitors, contacts, catalog, topics, staff, audit,
//! service day and daily counts. Nothing here knows sled, bincode or ratatui.

pub mod audit;
pub mod catalog;
pub mod contact;
pub mod counts;
pub mod message;
pub mod service_day;
pub mod staff;
pub mod stock;
pub mod text;
pub mod visitor;

pub use audit::AuditEntry;
pub use catalog::{Catalog, CatalogItem, Category, Referral, Topic};
pub use contact::{
    Channel, Contact, ContactDraft, ContactId, EVENT_IDS, Flags, ItemLine, KeptContact, Naloxone,
};
pub use counts::DayCounts;
pub use message::Message;
pub use service_day::ServiceDayRule;
pub use staff::{NewStaff, PinPolicy, Role, Staff};
pub use stock::{StockLine, StockMove};
pub use visitor::{Gender, NewVisitor, Visitor};

/// A rule a piece of input broke: which field (`field`, text key
/// `field.<id>`), which rule (`problem`, text key `invalid.<id>`) and the
/// values its text names (`args`, filling `{name}` placeholders). It never
/// carries the input itself (it may be personal). `crate::i18n` renders it
/// per language; its `Display` is the English text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidInput {
    pub field: &'static str,
    pub problem: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl InvalidInput {
    pub fn new(field: &'static str, problem: &'static str) -> Self {
        Self {
            field,
            problem,
            args: Vec::new(),
        }
    }

    /// Adds the value of the `{name}` placeholder in the problem's text.
    pub fn arg(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

impl std::error::Error for InvalidInput {}

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
