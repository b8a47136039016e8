use super::{CmdResult, Ctx, Failure, out};

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
    let cfg = ctx.config.with_store(&store)?;
    let r = store.privacy_sweep(ctx.today(), &cfg.privacy, ctx.now().unix_timestamp())?;
    if r.changed() {
        store.compact(&ctx.config.store)?;
    }
    out(&format!(
        "{} notes deleted, {} visitors anonymised; counts unchanged\n",
        r.notes_deleted,
        r.anonymised.len()
    ))
}
