//! Staff who use the shared terminal, and their PINs.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};

use super::InvalidInput;
use super::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Door,
    Coordinator,
}

impl Role {
    pub fn parse(raw: &str) -> Result<Role, InvalidInput> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "door" => Ok(Role::Door),
            "coordinator" => Ok(Role::Coordinator),
            _ => Err(InvalidInput::new("role", "role_name")),
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Role::Door => "door",
            Role::Coordinator => "coordinator",
        }
    }
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
    /// Wrong PINs in a row.
    pub failed: u32,
    /// No PIN is checked before this instant (unix seconds).
    pub not_before: i64,
}

/// What is typed to add a staff member (the PIN is hashed before storing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub name: String,
    pub initials: String,
    pub role: Role,
    pub pin_hash: String,
}

impl NewStaff {
    /// Checks name and initials and hashes the PIN.
    pub fn new(
        name: &str,
        initials: &str,
        role: Role,
        pin: &str,
    ) -> Result<NewStaff, InvalidInput> {
        let name = text::one_line("name", name, 64)?;
        let initials = initials.trim().to_uppercase();
        if !(1..=4).contains(&initials.chars().count())
            || !initials.chars().all(char::is_alphabetic)
        {
            return Err(InvalidInput::new("initials", "initials_letters"));
        }
        check_pin(pin)?;
        Ok(NewStaff {
            name,
            initials,
            role,
            pin_hash: hash_pin(pin),
        })
    }
}

/// A PIN is 4 to 12 digits.
pub fn check_pin(pin: &str) -> Result<(), InvalidInput> {
    if (4..=12).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(InvalidInput::new("pin", "pin_digits"))
    }
}

/// Argon2id with 19 MiB (OWASP's recommendation) and 10 passes instead of
/// 2: about 65 ms here, quick at the hatch. A PIN of four digits falls to
/// a stolen store's owner whatever the cost (10,000 tries); what protects
/// it is the lockout and the store's file permissions, so the memory cost
/// is kept where it does not burden the door screen. Earlier doorlogs used
/// 64 MiB and 3 passes, which made the door screen's memory peak at each
/// sign-in; such hashes still verify and are made anew at the next one.
const PIN_MEMORY_KIB: u32 = 19 * 1024;
const PIN_PASSES: u32 = 10;

fn argon2() -> Argon2<'static> {
    let params = Params::new(PIN_MEMORY_KIB, PIN_PASSES, 1, None)
        .expect("fixed Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Was this PIN hash made with today's parameters? (Otherwise it is made
/// anew at the next good sign-in.)
pub fn pin_hash_is_current(hash: &str) -> bool {
    PasswordHash::new(hash)
        .ok()
        .and_then(|h| Params::try_from(&h).ok())
        .is_some_and(|p| {
            p.m_cost() == PIN_MEMORY_KIB && p.t_cost() == PIN_PASSES && p.p_cost() == 1
        })
}

pub fn hash_pin(pin: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(pin.as_bytes(), &salt)
        .expect("hashing a short PIN does not fail")
        .to_string()
}

/// Compares in constant time (inside `argon2`); a damaged hash never matches.
pub fn verify_pin(pin: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(h) => argon2().verify_password(pin.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// How wrong PINs are slowed down and when an account locks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinPolicy {
    /// Wrong PINs in a row before the account locks.
    pub max_failures: u32,
    /// How long a locked account stays locked, in seconds.
    pub lockout_secs: i64,
}

impl Default for PinPolicy {
    fn default() -> Self {
        PinPolicy {
            max_failures: 5,
            lockout_secs: 15 * 60,
        }
    }
}

impl PinPolicy {
    /// The wait before the next try after `failed` wrong PINs in a row:
    /// 0, 1, 2, 4, 8 ... seconds, then the lockout.
    pub fn wait_after(&self, failed: u32) -> i64 {
        if failed >= self.max_failures {
            self.lockout_secs
        } else if failed == 0 {
            0
        } else {
            1 << (failed - 1).min(6)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_are_hashed_and_checked() {
        let h = hash_pin("4711");
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("4711"));
        assert!(verify_pin("4711", &h));
        assert!(!verify_pin("4712", &h));
        assert!(!verify_pin("4711", "not a hash"));
        assert!(pin_hash_is_current(&h));
        // A hash with the parameters of earlier versions still verifies,
        // and is known as one to make anew.
        let old = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(64 * 1024, 3, 1, None).unwrap(),
        )
        .hash_password(b"4711", &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
        assert!(verify_pin("4711", &old));
        assert!(!pin_hash_is_current(&old));
        assert_ne!(hash_pin("4711"), h, "salted");
    }

    #[test]
    fn pin_and_initials_rules() {
        for bad in ["123", "1234567890123", "12a4", ""] {
            assert!(check_pin(bad).is_err(), "{bad}");
        }
        assert!(check_pin("0000").is_ok());
        assert!(NewStaff::new("Kari", "K1", Role::Door, "1234").is_err());
        assert_eq!(
            NewStaff::new("Kari", "kh", Role::Door, "1234")
                .unwrap()
                .initials,
            "KH"
        );
    }

    #[test]
    fn waits_grow_then_lock() {
        let p = PinPolicy::default();
        assert_eq!([0, 1, 2, 3, 4].map(|n| p.wait_after(n)), [0, 1, 2, 4, 8]);
        assert_eq!(p.wait_after(5), 15 * 60);
    }
}
