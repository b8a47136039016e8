//! Staff who use the shared terminal.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Door,
    Coordinator,
}

/// A staff member. The PIN is kept only as an Argon2id hash (PHC string).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: u64,
    pub name: String,
    pub initials: String,
    pub role: Role,
    pub pin_hash: String,
    pub active: bool,
}
