//! Messages to pass on, pinned to visitors.

use super::{Result, Store, StoreError, codec, keys};
use crate::domain::message::message_text;
use crate::domain::{InvalidInput, Message};

impl Store {
    /// Pins a message to a visitor, left by `by`.
    pub fn add_message(
        &self,
        visitor: u64,
        text: &str,
        by: Option<u64>,
        at: i64,
    ) -> Result<Message> {
        let text = message_text(text)?;
        if self.visitor(visitor)?.is_none_or(|v| v.erased) {
            return Err(StoreError::Invalid(
                InvalidInput::new("visitor", "no_active_visitor").arg("id", visitor),
            ));
        }
        let m = Message {
            id: self.new_id()?,
            visitor,
            text,
            created: at,
            done: None,
            by,
        };
        self.t
            .messages
            .insert(keys::id_pair(visitor, m.id), codec::encode(&m))
            .map_err(|e| self.err(e))?;
        self.flush()?;
        Ok(m)
    }

    /// A visitor's messages not yet marked done, oldest first.
    pub fn open_messages(&self, visitor: u64) -> Result<Vec<Message>> {
        let mut out = Vec::new();
        for kv in self.t.messages.scan_prefix(keys::id(visitor)) {
            let (_, v) = kv.map_err(|e| self.err(e))?;
            let m: Message = self.decode("visitormsg_message", &v)?;
            if m.done.is_none() {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// Marks a message as passed on.
    pub fn message_done(&self, visitor: u64, id: u64, at: i64) -> Result<()> {
        let key = keys::id_pair(visitor, id);
        let Some(v) = self.t.messages.get(key).map_err(|e| self.err(e))? else {
            return Err(StoreError::Invalid(
                InvalidInput::new("message", "no_message").arg("id", id),
            ));
        };
        let mut m: Message = self.decode("visitormsg_message", &v)?;
        m.done = Some(at);
        self.t
            .messages
            .insert(key, codec::encode(&m))
            .map_err(|e| self.err(e))?;
        self.flush()
    }
}
