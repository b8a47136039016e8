use clap::{ArgGroup, Args};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{CmdResult, Ctx, Failure, out};
use crate::domain::contact::parse_item_arg;
use crate::domain::{Channel, ContactDraft, Flags, Gender, InvalidInput, ItemLine, Naloxone};

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("who").required(true).args(["visitor", "code", "anonymous"])))]
pub struct RecordArgs {
    /// The visitor's alias (case and accents ignored).
    #[arg(long, value_name = "ALIAS")]
    pub visitor: Option<String>,
    /// The visitor's anonymous code.
    #[arg(long, value_name = "CODE")]
    pub code: Option<String>,
    /// No visitor named.
    #[arg(long)]
    pub anonymous: bool,
    /// An item handed out, `ID` or `ID=QTY` (1-1000); repeat for more.
    #[arg(long = "item", value_name = "ID[=QTY]")]
    pub items: Vec<String>,
    /// Used equipment returned, `ID` or `ID=QTY`; repeat for more.
    #[arg(long = "returned", value_name = "ID[=QTY]")]
    pub returned: Vec<String>,
    /// A conversation topic; repeat for more.
    #[arg(long = "topic", value_name = "ID")]
    pub topics: Vec<String>,
    #[arg(long, default_value = "door", value_name = "door|phone|outreach")]
    pub channel: String,
    /// A short note (at most 1,000 characters). `-` reads it from standard
    /// input: a note given as TEXT is visible to other users in `ps`.
    #[arg(long)]
    pub note: Option<String>,
    /// When, RFC 3339 (2026-03-29T01:30:00+01:00); default now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// The visitor reported an overdose.
    #[arg(long)]
    pub overdose: bool,
    /// A referral was made, of a type from the catalog's list
    /// (`treatment`, `housing`, ...); repeat for more. Without a type it
    /// is counted as `unspecified`.
    #[arg(long = "referral", value_name = "TYPE", num_args = 0..=1,
          default_missing_value = crate::domain::contact::UNSPECIFIED_REFERRAL)]
    pub referrals: Vec<String>,
    /// The visitor collected for N other people (without N: one).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "1")]
    pub for_others: Option<u8>,
    /// Naloxone went out as the first kit, or as a refill because the last
    /// was used on someone (an overdose reversal), lost, taken or expired.
    #[arg(long, value_name = "first|used|lost|taken|expired")]
    pub naloxone: Option<String>,
    /// For anonymous contacts, statistics only: f, m or x.
    #[arg(long)]
    pub gender: Option<String>,
}

pub fn run(ctx: &Ctx, a: RecordArgs) -> CmdResult {
    let at = match &a.at {
        Some(raw) => OffsetDateTime::parse(raw.trim(), &Rfc3339)
            .map_err(|_| InvalidInput::new("at", "rfc3339"))?,
        None => ctx.now(),
    };
    if at > ctx.now() + time::Duration::days(1) {
        return Err(InvalidInput::new("at", "future").into());
    }
    let mut d = ContactDraft::new(at);
    d.channel = Channel::parse(&a.channel)?;
    for raw in &a.items {
        let (item, out) = parse_item_arg(raw)?;
        d.items.push(ItemLine {
            item,
            out,
            returned: 0,
        });
    }
    for raw in &a.returned {
        let (item, returned) = parse_item_arg(raw)?;
        d.items.push(ItemLine {
            item,
            out: 0,
            returned,
        });
    }
    d.topics = a.topics.iter().map(|t| t.trim().to_string()).collect();
    d.note = match a.note.as_deref() {
        Some("-") => Some(read_note()?),
        other => other.map(String::from),
    };
    d.flags = Flags {
        overdose_reported: a.overdose,
        collecting_for: a.for_others.unwrap_or(0),
        naloxone: a.naloxone.as_deref().map(Naloxone::parse).transpose()?,
    };
    d.referrals = a.referrals.iter().map(|r| r.trim().to_string()).collect();
    d.gender = a.gender.as_deref().map(Gender::parse).transpose()?;
    let store = ctx.open()?;
    // The store's catalog and settings; everything checked before a write.
    let cfg = ctx.config.with_store(&store)?;
    let (day, hour) = cfg.day_rule.day_and_hour(at);
    d.clone().into_contact(&cfg.catalog, day, hour)?;

    let visitor = match (&a.visitor, &a.code) {
        (Some(alias), _) => Some(store.visitor_by_alias(alias)?.ok_or_else(|| {
            Failure::Input("visitor: no active visitor has this alias; register them with `doorlog visitor add`".into())
        })?),
        (_, Some(code)) => {
            let code = ctx.config.code_scheme.check(code)?;
            Some(store.visitor_by_code(&code)?.ok_or_else(|| {
                Failure::Input("code: no active visitor has this code; register them with `doorlog visitor add --code`".into())
            })?)
        }
        _ => None,
    };
    d.visitor = visitor.map(|v| v.id);
    let saved = store.record(d.into_contact(&cfg.catalog, day, hour)?)?;
    out(&format!("{}\n", saved.id()))
}

pub fn undo(ctx: &Ctx, id: &str) -> CmdResult {
    let id: crate::domain::ContactId = id.parse()?;
    let store = ctx.open_existing()?;
    let c = store.undo(id, ctx.now().unix_timestamp(), None)?;
    out(&format!(
        "undone contact {}
",
        c.id()
    ))
}

/// The note from standard input (`--note -`), up to a little over the
/// longest note, so the check below says "too long" instead of reading on.
fn read_note() -> Result<String, Failure> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let limit = (crate::domain::text::MAX_NOTE_CHARS * 4 + 16) as u64;
    std::io::stdin()
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::Input(format!("note: cannot read standard input: {e}")))?;
    String::from_utf8(bytes)
        .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
        .map_err(|_| Failure::Input("note: standard input is not UTF-8 text".into()))
}
