//! The writes several screens share: record or correct a contact, undo
//! one, register a visitor, write an export file. Each says "saved" only
//! after the store has said the write is on disk; a failure is said on the
//! status line, in the screen's language, and the input stays.

use super::draft::Draft;
use super::env::{Env, Saved};
use crate::domain::{ContactDraft, ContactId, NewVisitor, Visitor};

/// Records (or corrects) a draft, then updates today's list and tally and
/// says so. The id once it is on disk.
pub fn save_draft(env: &mut Env, d: &Draft) -> Option<ContactId> {
    let mut cd = ContactDraft::new(env.now);
    cd.channel = d.channel;
    // A visitor linked into another while this was typed: the person kept.
    cd.visitor = d
        .visitor
        .as_ref()
        .map(|(id, _)| env.store.linked_to(*id).ok().flatten().unwrap_or(*id));
    cd.items = d.item_lines(&env.cfg.catalog);
    cd.topics = d
        .topics
        .iter()
        .map(|&i| env.cfg.catalog.topics[i].id.clone())
        .collect();
    cd.note = Some(d.note.value.clone());
    cd.flags = d.flags;
    cd.referrals = d.referrals.clone();
    cd.staff = env.staff_id();
    let (day, hour) = env.cfg.day_rule.day_and_hour(env.now);
    let contact = match cd.into_contact(&env.cfg.catalog, day, hour) {
        // A corrected contact keeps what the catalog no longer lists.
        Ok(mut c) => {
            c.items.extend(d.kept_items.iter().cloned());
            c.topics.extend(d.kept_topics.iter().cloned());
            c
        }
        Err(e) => {
            env.invalid(&e);
            return None;
        }
    };
    let saved = match d.editing {
        Some(id) => env.store.correct(id, contact, env.at(), env.staff_id()),
        None => env.store.record(contact),
    };
    let c = match saved {
        Ok(c) => c,
        Err(e) => {
            env.store_failed(&e);
            return None;
        }
    };
    let alias = d.visitor.clone().map(|(id, alias)| {
        env.index.seen(id, c.day);
        alias
    });
    let id = c.id();
    let today = &mut env.today.contacts;
    match today.iter_mut().find(|s| s.contact.id() == id) {
        Some(s) => s.contact = c,
        None if c.day == env.day => today.push(Saved { contact: c, alias }),
        None => {}
    }
    env.refresh_counts();
    let key = if d.editing.is_some() {
        "status.corrected"
    } else {
        "status.saved"
    };
    let who = match &d.visitor {
        Some((_, alias)) => alias.clone(),
        None => env.tx.t("contact.anonymous").to_string(),
    };
    let mut what = d.summary(&env.cfg.catalog, &env.tx);
    if what.is_empty() {
        what = env.tx.t("contact.talk_only").to_string();
    }
    let msg = env
        .tx
        .f(key, &[("who", &who), ("what", &what), ("id", &id)]);
    env.say(msg);
    Some(id)
}

/// Takes back one of today's contacts; true if it is gone.
pub fn undo(env: &mut Env, id: ContactId) -> bool {
    match env.store.undo(id, env.at(), env.staff_id()) {
        Ok(_) => {
            env.today.contacts.retain(|s| s.contact.id() != id);
            env.refresh_counts();
            let msg = env.tx.f("status.undone", &[("id", &id)]);
            env.say(msg);
            true
        }
        Err(e) => {
            env.store_failed(&e);
            false
        }
    }
}

/// Asks before an undo: says which contact a second key takes back.
pub fn ask_undo(env: &mut Env, id: ContactId, key: &str) {
    let Some(s) = env.today.contacts.iter().find(|s| s.contact.id() == id) else {
        return;
    };
    // Someone else's contact, and not a coordinator: refused at once.
    if !env.is_coordinator() && s.contact.staff.is_some() && s.contact.staff != env.staff_id() {
        let e = crate::store::StoreError::Forbidden("change_others_contact");
        return env.store_failed(&e);
    }
    let local = env
        .cfg
        .day_rule
        .wall_clock(time::OffsetDateTime::from_unix_timestamp(s.contact.at).unwrap_or(env.now));
    let when = format!("{:02}:{:02}", local.hour(), local.minute());
    let who = s
        .alias
        .clone()
        .unwrap_or_else(|| env.tx.t("contact.anonymous").to_string());
    let what = super::widgets::items_text(&s.contact.items, &env.cfg.catalog, &env.tx);
    let msg = env
        .tx
        .f(key, &[("when", &when), ("who", &who), ("what", &what)]);
    env.fail(msg);
}

/// Registers a visitor (checked first) and adds them to the search. On a
/// refusal (said on the status line) the field at fault, if one is.
pub fn register(env: &mut Env, nv: NewVisitor) -> Result<Visitor, Option<&'static str>> {
    let nv = match nv.validated(&env.cfg.code_scheme, env.now.year()) {
        Ok(nv) => nv,
        Err(e) => {
            env.invalid(&e);
            return Err(Some(e.field));
        }
    };
    match env
        .store
        .add_visitor_by(nv, env.day, env.at(), env.staff_id())
    {
        Ok(v) => {
            env.index.upsert(&v);
            env.refresh_counts();
            Ok(v)
        }
        Err(e) => {
            env.store_failed(&e);
            Err(match &e {
                crate::store::StoreError::Invalid(i) => Some(i.field),
                _ => None,
            })
        }
    }
}

/// Writes an export into `DATA_DIR/exports/NAME` (audited as `action`
/// once the file is written) and says where, or why not.
pub fn export_file(env: &mut Env, name: &str, bytes: &[u8], action: &str) {
    let path = env.cfg.export_dir.join(name);
    match crate::files::write_export(env.store, &path, bytes, action, env.staff_id(), env.at()) {
        Ok(()) => {
            let msg = env.tx.f("status.exported", &[("path", &path.display())]);
            env.say(msg);
        }
        Err(e) => {
            let error = match &e {
                crate::files::ExportError::Store(s) => env.tx.store_error(s),
                other => other.to_string(),
            };
            let msg = env.tx.f("status.export_failed", &[("error", &error)]);
            env.fail(msg);
        }
    }
}
