use clap::Subcommand;

use super::{CmdResult, Ctx, Failure, out};
use crate::domain::{Gender, NewVisitor};

#[derive(Debug, Subcommand)]
pub enum VisitorCmd {
    /// Register a visitor by alias (nickname); the rest is optional.
    Add {
        alias: String,
        /// Anonymous code, e.g. MAKO1993 (scheme set in config.json).
        #[arg(long)]
        code: Option<String>,
        #[arg(long, value_name = "YYYY")]
        birth_year: Option<String>,
        /// f, m or x.
        #[arg(long)]
        gender: Option<String>,
    },
    /// Aliases and codes of active visitors (for staff only; never exported).
    List,
    /// Erase one visitor on request: alias, code and notes go, counts stay.
    Erase { alias: String },
}

pub fn run(ctx: &Ctx, cmd: VisitorCmd) -> CmdResult {
    match cmd {
        VisitorCmd::Add {
            alias,
            code,
            birth_year,
            gender,
        } => {
            let birth_year = match birth_year {
                Some(y) => Some(y.trim().parse::<u16>().map_err(|_| {
                    Failure::Input("birth year: must be four digits, e.g. 1985".into())
                })?),
                None => None,
            };
            let gender = gender.as_deref().map(Gender::parse).transpose()?;
            let now = ctx.now();
            let nv = NewVisitor {
                alias,
                code,
                birth_year,
                gender,
            }
            .validated(&ctx.config.code_scheme, now.year())?;
            let store = ctx.open()?;
            let v = store.add_visitor(nv, ctx.today(), now.unix_timestamp())?;
            out(&format!("{}\n", v.id))
        }
        VisitorCmd::List => {
            let store = ctx.open_for_reading(None)?;
            let mut text = String::from("id\talias\tcode\tlast_seen\n");
            for v in store.visitors()? {
                text.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    v.id,
                    v.alias,
                    v.code.as_deref().unwrap_or("-"),
                    v.last_seen
                        .map(crate::report::iso)
                        .unwrap_or_else(|| "-".into())
                ));
            }
            out(&text)
        }
        VisitorCmd::Erase { alias } => {
            // Repeating an erasure that was cut short finishes it.
            ctx.require_store()?;
            let cfg = &ctx.config;
            let store = crate::store::Store::open(&cfg.data_dir, &cfg.store)?;
            let (store, finished) = store.finish_rewrite(&cfg.store)?;
            let Some(v) = store.visitor_by_alias(&alias)? else {
                if finished {
                    return out(
                        "an erasure that was cut short is now finished: the store's files are rewritten\n",
                    );
                }
                return Err(Failure::Input(
                    "alias: no active visitor has this alias (`doorlog visitor list` shows them)"
                        .into(),
                ));
            };
            store.erase_visitor(v.id, None, ctx.now().unix_timestamp())?;
            // Rewrite the files so no old version of the record stays on disk.
            store.compact(&ctx.config.store)?;
            out(&format!(
                "erased visitor {}: alias, code, notes and messages are gone from the store's files; their counts stay\n",
                v.id
            ))
        }
    }
}
