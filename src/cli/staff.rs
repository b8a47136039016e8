use std::io::{BufRead, IsTerminal};

use clap::Subcommand;

use super::{CmdResult, Ctx, Failure, out, parse_date};
use crate::domain::{NewStaff, Role};
use crate::store::StaffChange;

#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Add a staff member. The PIN (4-12 digits) is read from the terminal
    /// without echo, twice, or from standard input when that is not a terminal.
    Add {
        name: String,
        #[arg(long)]
        initials: String,
        #[arg(long, value_name = "door|coordinator")]
        role: String,
    },
    /// Staff members, their initials and roles (never PINs).
    List,
    /// Give a staff member a new PIN (read like `add`); also unlocks. The
    /// way back in when the only coordinator forgot their PIN.
    Pin {
        initials: String,
    },
    /// Unlock an account locked by wrong PINs (when no coordinator can
    /// sign in to do it on the staff screen).
    Unlock {
        initials: String,
    },
    /// A leaver: cannot sign in any more (not the last coordinator).
    Deactivate {
        initials: String,
    },
    Reactivate {
        initials: String,
    },
    /// Change the role (the last coordinator stays one).
    Role {
        initials: String,
        #[arg(value_name = "door|coordinator")]
        role: String,
    },
}

/// The staff member with these initials: the active one, else an
/// inactive one (to reactivate).
fn by_initials(store: &crate::store::Store, initials: &str) -> Result<u64, Failure> {
    let wanted = initials.trim().to_uppercase();
    let all = store.staff()?;
    all.iter()
        .filter(|s| s.initials == wanted)
        .max_by_key(|s| s.active)
        .map(|s| s.id)
        .ok_or_else(|| Failure::Input(format!("no staff member has the initials {wanted}")))
}

/// Reads the PIN: twice without echo from a terminal, else one line of stdin.
fn read_pin() -> Result<String, Failure> {
    let io = |e: std::io::Error| Failure::Input(format!("PIN: cannot read it: {e}"));
    if std::io::stdin().is_terminal() {
        let a = rpassword::prompt_password("PIN (4-12 digits): ").map_err(io)?;
        let b = rpassword::prompt_password("PIN again: ").map_err(io)?;
        if a != b {
            return Err(Failure::Input(
                "PIN: the two entries differ; nothing was saved".into(),
            ));
        }
        Ok(a)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(io)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

pub fn run(ctx: &Ctx, cmd: StaffCmd) -> CmdResult {
    match cmd {
        StaffCmd::Add {
            name,
            initials,
            role,
        } => {
            let role = Role::parse(&role)?;
            // Check what can be checked before asking for the PIN.
            NewStaff::new(&name, &initials, role, "0000")?;
            let pin = read_pin()?;
            let new = NewStaff::new(&name, &initials, role, &pin)?;
            let store = ctx.open()?;
            let s = store.add_staff(new, None, ctx.now().unix_timestamp())?;
            out(&format!(
                "added {} ({}, {})\n",
                s.initials,
                s.name,
                s.role.id()
            ))
        }
        StaffCmd::Pin { initials } => {
            let pin = read_pin()?;
            crate::domain::staff::check_pin(&pin)?;
            change(
                ctx,
                &initials,
                StaffChange::Pin(crate::domain::staff::hash_pin(&pin)),
            )
        }
        StaffCmd::Unlock { initials } => change(ctx, &initials, StaffChange::Unlock),
        StaffCmd::Deactivate { initials } => change(ctx, &initials, StaffChange::Deactivate),
        StaffCmd::Reactivate { initials } => change(ctx, &initials, StaffChange::Reactivate),
        StaffCmd::Role { initials, role } => {
            let role = Role::parse(&role)?;
            change(ctx, &initials, StaffChange::Role(role))
        }
        StaffCmd::List => {
            let store = ctx.open_for_reading(None)?;
            let mut text = String::from("initials\tname\trole\tactive\n");
            for s in store.staff()? {
                text.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    s.initials,
                    s.name,
                    s.role.id(),
                    if s.active { "yes" } else { "no" }
                ));
            }
            out(&text)
        }
    }
}

/// A change from the command line (audited as the computer account's).
fn change(ctx: &Ctx, initials: &str, what: StaffChange) -> CmdResult {
    let store = ctx.open()?;
    let id = by_initials(&store, initials)?;
    let s = store.change_staff(id, what, None, ctx.now().unix_timestamp())?;
    out(&format!(
        "{} ({}): {}, {}\n",
        s.initials,
        s.name,
        s.role.id(),
        if s.active { "active" } else { "inactive" }
    ))
}

/// `doorlog audit`: the log between two dates (service days are not used
/// here: the log is by the clock, UTC).
pub fn audit(ctx: &Ctx, from: Option<String>, to: Option<String>) -> CmdResult {
    let start = |raw: &Option<String>, field, end: bool| -> Result<i64, Failure> {
        Ok(match raw {
            None if end => i64::MAX,
            None => i64::MIN,
            Some(r) => {
                let d = parse_date(field, r)?;
                let d = if end { d.next_day().unwrap_or(d) } else { d };
                d.midnight().assume_utc().unix_timestamp() - i64::from(end)
            }
        })
    };
    let (from, to) = (start(&from, "from", false)?, start(&to, "to", true)?);
    if from > to {
        return Err(Failure::Input("from: must not be after --to".into()));
    }
    let store = ctx.open_for_reading(None)?;
    let rfc3339 = |at: i64| {
        time::OffsetDateTime::from_unix_timestamp(at)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_else(|| at.to_string())
    };
    let rows = crate::report::audit::audit_rows(store.audit(from, to)?, &store.staff()?, rfc3339);
    let mut text = String::from("time (UTC)\tstaff\taction\ttarget\n");
    for r in rows {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\n",
            r.when, r.staff, r.action, r.target
        ));
    }
    out(&text)
}
