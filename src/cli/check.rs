use super::{CmdResult, Ctx, Failure, out};
use crate::domain::catalog::name_in;

pub fn catalog(ctx: &Ctx) -> CmdResult {
    ctx.require_store()?;
    let cat = &ctx.config.catalog;
    let lang = ctx.config.lang.code();
    let mut text = String::from("items (id, key, name):\n");
    for i in &cat.items {
        text.push_str(&format!(
            "  {:<18} {}  {}\n",
            i.id,
            i.hotkey,
            name_in(&i.names, lang, &i.id)
        ));
    }
    text.push_str("topics (id, key, name):\n");
    for t in &cat.topics {
        text.push_str(&format!(
            "  {:<18} {}  {}\n",
            t.id,
            t.hotkey,
            name_in(&t.names, lang, &t.id)
        ));
    }
    out(&text)
}

pub fn check(ctx: &Ctx) -> CmdResult {
    let store = ctx.open_for_reading(None)?;
    let r = store.check()?;
    if r.is_ok() {
        out(&format!(
            "ok: {} visitors, {} contacts over {} days; every record decodes and every counter equals a recount\n",
            r.visitors, r.contacts, r.days
        ))
    } else {
        let mut text = format!(
            "the store in {} has {} problem(s):\n",
            store.dir().display(),
            r.problems.len()
        );
        for p in &r.problems {
            text.push_str(&format!("  - {p}\n"));
        }
        text.push_str("restore the latest backup with `doorlog restore BACKUP_DIR`");
        Err(Failure::Unavailable(text))
    }
}

pub fn sweep(ctx: &Ctx) -> CmdResult {
    ctx.require_store()?;
    let store = ctx.open()?;
    let r = store.privacy_sweep(ctx.today(), &ctx.config.privacy, ctx.now().unix_timestamp())?;
    if r.changed() {
        store.compact(&ctx.config.store)?;
    }
    out(&format!(
        "{} notes deleted, {} visitors anonymised; counts unchanged\n",
        r.notes_deleted,
        r.anonymised.len()
    ))
}
