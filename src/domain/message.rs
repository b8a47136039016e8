//! Messages to pass on: a note pinned to a visitor ("mail arrived for you",
//! "call your caseworker"), shown when that visitor is picked, until done.

use serde::{Deserialize, Serialize};

use super::InvalidInput;
use super::text;

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: u64,
    pub visitor: u64,
    pub text: String,
    /// UTC, unix seconds.
    pub created: i64,
    pub done: Option<i64>,
    /// The staff member who left it (schema 2 on; older messages: none).
    pub by: Option<u64>,
}

/// Checks a message's text.
pub fn message_text(raw: &str) -> Result<String, InvalidInput> {
    text::one_line("message", raw, MAX_MESSAGE_CHARS)
}
