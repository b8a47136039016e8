use clap::Args;

use super::{CmdResult, Ctx, Failure, out};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many service days, ending today.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// About how many contacts per day (±20 %).
    #[arg(long, default_value_t = 150)]
    pub per_day: u32,
    /// Seed for the random generator (same seed, same data).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(ctx: &Ctx, a: DemoArgs) -> CmdResult {
    if a.days == 0 || a.days > 20_000 || a.per_day > 5_000 {
        return Err(Failure::Input(
            "days: 1 to 20000; per-day: 0 to 5000".into(),
        ));
    }
    let store = ctx.open()?;
    let cfg = ctx.config.with_store(&store)?;
    let every = (a.days / 20).max(1);
    let s = crate::demo::fill(
        &store,
        &cfg.catalog,
        &cfg.day_rule,
        crate::demo::DemoPlan::new(ctx.today(), a.days, a.per_day, a.seed),
        |done| {
            if done % every == 0 {
                eprint!("\rdemo: {done}/{} days", a.days);
            }
        },
    )?;
    eprintln!();
    out(&format!(
        "demo: {} visitors, {} contacts\n",
        s.visitors, s.contacts
    ))
}
