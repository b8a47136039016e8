//! Stock of the items handed out: deliveries received and physical counts.
//! What is on hand follows from them and from the items handed out at the
//! hatch (the day counts), so nothing is kept twice.

use serde::{Deserialize, Serialize};
use time::Date;

/// A delivery received, or a physical count that corrects the figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockMove {
    pub item: String,
    /// When it was recorded (unix seconds) and its service day.
    pub at: i64,
    #[serde(with = "super::day_serde")]
    pub day: Date,
    /// Units received (0 for a count).
    pub received: u32,
    /// A count: how many were there, and how far that was from the
    /// figure doorlog had (counted − expected).
    pub counted: Option<(u32, i64)>,
    pub note: Option<String>,
    /// Who recorded it (`None`: the command line).
    pub by: Option<u64>,
}

impl StockMove {
    /// A move of nothing yet: the delivery or count is set on it.
    pub fn new(item: &str, day: Date, at: i64, note: Option<String>, by: Option<u64>) -> StockMove {
        StockMove {
            item: item.to_string(),
            at,
            day,
            received: 0,
            counted: None,
            note,
            by,
        }
    }

    /// How much this move changes what is on hand.
    pub fn change(&self) -> i64 {
        i64::from(self.received) + self.counted.map_or(0, |(_, diff)| diff)
    }
}

/// One item's stock now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLine {
    pub item: String,
    /// Received and corrected by counts, less handed out since the first
    /// delivery or count was recorded.
    pub on_hand: i64,
    /// Below this, the item is low (0: no level set).
    pub low_level: u32,
    /// The first move: stock is counted from this moment (its service
    /// day, and the instant in it, unix seconds).
    pub since: Date,
    pub since_at: i64,
}

impl StockLine {
    pub fn is_low(&self) -> bool {
        self.low_level > 0 && self.on_hand < i64::from(self.low_level)
    }
}
