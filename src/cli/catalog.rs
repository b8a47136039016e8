//! `doorlog catalog`: the catalog's ids and keys, or the catalog as JSON
//! out of the store and into it. The centre edits it on the catalog screen
//! (Ctrl-T); the file is for moving a catalog between centres.

use std::path::PathBuf;

use super::{CmdResult, Ctx, Failure, out};
use crate::domain::Catalog;
use crate::domain::catalog::name_in;

#[derive(Debug, clap::Args)]
pub struct CatalogArgs {
    /// Write the catalog as JSON into FILE (`-`: standard output).
    #[arg(long, value_name = "FILE", conflicts_with = "import")]
    pub export: Option<PathBuf>,
    /// Replace the store's catalog with FILE's (audited). Items and topics
    /// the file leaves out are kept, retired: old contacts name them.
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: CatalogArgs) -> CmdResult {
    ctx.require_store()?;
    if let Some(file) = &a.import {
        return import(ctx, file);
    }
    let store = ctx.open_for_reading(None)?;
    let cat = ctx.config.with_store(&store)?.catalog;
    match &a.export {
        Some(p) if p.as_os_str() == "-" => out(&format!("{}\n", cat.to_json())),
        Some(p) => {
            crate::files::refuse_special(p).map_err(|e| Failure::Input(format!("export: {e}")))?;
            crate::files::write_atomically(p, format!("{}\n", cat.to_json()).as_bytes())
                .map_err(|e| Failure::Input(format!("export: {}: {e}", p.display())))?;
            out(&format!(
                "catalog: {} items, {} topics written to {}\n",
                cat.items.len(),
                cat.topics.len(),
                p.display()
            ))
        }
        None => out(&listing(&cat, ctx.config.lang.code())),
    }
}

/// Ids, keys and names; retired ones marked.
fn listing(cat: &Catalog, lang: &str) -> String {
    let retired = |active: bool| if active { "" } else { "  (retired)" };
    let mut text = String::from("items (id, key, name):\n");
    for i in &cat.items {
        text.push_str(&format!(
            "  {:<18} {}  {}{}\n",
            i.id,
            i.hotkey,
            name_in(&i.names, lang, &i.id),
            retired(i.active)
        ));
    }
    text.push_str("topics (id, key, name):\n");
    for t in &cat.topics {
        text.push_str(&format!(
            "  {:<18} {}  {}{}\n",
            t.id,
            t.hotkey,
            name_in(&t.names, lang, &t.id),
            retired(t.active)
        ));
    }
    // Referral types take the keys 3-9 at the hatch, in list order.
    text.push_str(
        "referral types (id, key in the conversation, name):
",
    );
    let keys: Vec<(char, usize)> = cat.referral_keys().map(|(k, i, _)| (k, i)).collect();
    for (i, r) in cat.referrals.iter().enumerate() {
        let key = keys
            .iter()
            .find(|(_, at)| *at == i)
            .map_or(' ', |(k, _)| *k);
        text.push_str(&format!(
            "  {:<18} {}  {}{}\n",
            r.id,
            key,
            name_in(&r.names, lang, &r.id),
            retired(r.active)
        ));
    }
    text
}

fn import(ctx: &Ctx, file: &std::path::Path) -> CmdResult {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure::Input(format!("import: {}: {e}", file.display())))?;
    let mut new = Catalog::from_json(&text)?;
    let store = ctx.open()?;
    let old = ctx.config.with_store(&store)?.catalog;
    // A file from before referral types has none: the centre's own list
    // stays (the shipped one would move the keys 3-9 under staff's hands).
    let names_referrals = serde_json::from_str::<serde_json::Value>(&text)
        .is_ok_and(|v| v.get("referrals").is_some());
    if !names_referrals {
        new.referrals = old.referrals.clone();
    }
    let (merged, retired) = new.keeping_retired(&old);
    store.put_catalog(
        &merged,
        "catalog-import",
        &file.display().to_string(),
        None,
        ctx.now().unix_timestamp(),
    )?;
    out(&format!(
        "catalog: {} items, {} topics imported from {}; {} left out and kept retired\n",
        merged.items.iter().filter(|i| i.active).count(),
        merged.topics.iter().filter(|t| t.active).count(),
        file.display(),
        retired
    ))
}
