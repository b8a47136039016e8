use std::path::Path;

use super::{CmdResult, Ctx, out};

pub fn backup(ctx: &Ctx, dir: &Path) -> CmdResult {
    // On a full disk, read a copy made beside the backup (another disk).
    let scratch = dir.parent().filter(|p| p.is_dir());
    let store = ctx.open_for_reading(scratch)?;
    store.backup_to(dir, &ctx.config.store)?;
    out(&format!("backup written to {}\n", dir.display()))
}

pub fn restore(ctx: &Ctx, dir: &Path) -> CmdResult {
    let kept = crate::store::restore(&ctx.config.data_dir, dir, &ctx.config.store)?;
    let mut text = format!(
        "restored {} into {}\n",
        dir.display(),
        ctx.config.data_dir.display()
    );
    if let Some(old) = kept {
        text.push_str(&format!(
            "the replaced store is kept in {}\n",
            old.display()
        ));
    }
    out(&text)
}
