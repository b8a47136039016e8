//! The visitor's card on the contact screen: code, birth year, last
//! visits, what they usually take, messages to pass on. Earlier notes and
//! the messages' text only when staff ask (the screen faces the hatch).

use ratatui::text::{Line, Span};
use time::Date;

use super::env::Env;
use super::widgets::items_text;
use crate::domain::{Contact, ItemLine, Message, Visitor};

/// How many earlier visits the card shows at most.
const VISITS: usize = 3;
/// How far back the card looks for them.
const LOOKBACK_DAYS: i64 = 365;

#[derive(Debug, Clone, Default)]
pub struct Card {
    pub visitor: Option<Visitor>,
    /// Latest contacts, newest first.
    pub visits: Vec<Contact>,
    /// Initials of who left each message (same order as the draft's).
    pub left_by: Vec<String>,
    /// Earlier notes (day, text), once asked for.
    pub notes: Option<Vec<(Date, String)>>,
    /// Notes and messages in full, until the next contact.
    pub open: bool,
}

impl Card {
    /// Reads what the card shows; failures are said on the status line.
    pub fn load(id: u64, messages: &[Message], env: &mut Env) -> Card {
        let mut card = Card::default();
        let loaded = (|| -> crate::store::Result<()> {
            card.visitor = env.store.visitor(id)?;
            if let Some(seen) = card.visitor.as_ref().and_then(|v| v.last_seen) {
                card.visits = env.store.visitor_history(id, seen, VISITS, LOOKBACK_DAYS)?;
            }
            for m in messages {
                let by = match m.by {
                    Some(s) => env.store.staff_member(s)?.map(|s| s.initials),
                    None => None,
                };
                card.left_by.push(by.unwrap_or_else(|| "-".into()));
            }
            Ok(())
        })();
        if let Err(e) = loaded {
            env.store_failed(&e);
        }
        card
    }

    /// What they took last time something was handed out (a phone call or
    /// a return-only visit in between does not count), for "the usual".
    /// Items retired since are left out.
    pub fn usual(&self, cat: &crate::domain::Catalog) -> Vec<ItemLine> {
        self.visits
            .iter()
            .find(|c| c.items.iter().any(|l| l.out > 0))
            .map(|c| {
                c.items
                    .iter()
                    .filter(|l| l.out > 0)
                    .filter(|l| cat.item(&l.item).is_some_and(|i| i.active))
                    .map(|l| ItemLine {
                        returned: 0,
                        ..l.clone()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Shows or hides notes and messages; reads the notes the first time.
    pub fn toggle(&mut self, env: &mut Env) {
        self.open = !self.open;
        if self.open
            && self.notes.is_none()
            && let Some(v) = &self.visitor
        {
            match env.store.visitor_notes(v.id) {
                Ok(n) => self.notes = Some(n),
                Err(e) => env.store_failed(&e),
            }
        }
    }

    /// The card's lines, most useful first; the caller keeps as many as fit.
    pub fn lines(&self, env: &Env, messages: &[Message], width: usize) -> Vec<Line<'static>> {
        let tx = &env.tx;
        let cat = &env.cfg.catalog;
        let dim = env.theme.dim();
        let mut out = Vec::new();
        for (i, m) in messages.iter().enumerate() {
            let by = self.left_by.get(i).map_or("-", String::as_str);
            let when = time::OffsetDateTime::from_unix_timestamp(m.created)
                .map(|t| tx.date(env.cfg.day_rule.wall_clock(t).date()))
                .unwrap_or_default();
            if self.open {
                // The whole text, over as many rows as it takes; the key
                // that marks it passed on is said for the first only (it
                // marks that one).
                let key = if i == 0 {
                    "card.message_open_first"
                } else {
                    "card.message_open"
                };
                let text = tx.f(key, &[("by", &by), ("when", &when), ("text", &m.text)]);
                for row in wrap_cells(&text, width) {
                    out.push(Line::styled(row, env.theme.message()));
                }
            } else {
                let text = tx.f("card.message", &[("by", &by), ("when", &when)]);
                out.push(Line::styled(text, env.theme.message()));
            }
        }
        let Some(v) = &self.visitor else {
            return out;
        };
        let mut facts = Vec::new();
        if let Some(code) = &v.code {
            facts.push(tx.f("card.code", &[("code", code)]));
        }
        if let Some(y) = v.birth_year {
            facts.push(tx.f("card.born", &[("year", &y)]));
        }
        match v.last_seen {
            Some(d) => {
                let ago = match (env.day - d).whole_days().max(0) as u64 {
                    0 => tx.t("card.today").to_string(),
                    days => tx.n("card.days_ago", days, &[]),
                };
                facts.push(tx.f("card.last_seen", &[("date", &tx.date(d)), ("ago", &ago)]));
            }
            None => facts.push(tx.t("card.first_visit").to_string()),
        }
        out.push(Line::styled(format!(" {}", facts.join(" · ")), dim));
        let usual = self.usual(cat);
        if !usual.is_empty() {
            let what = items_text(&usual, cat, tx);
            out.push(Line::from(vec![
                Span::styled(format!(" {} ", tx.t("card.usual")), env.theme.key()),
                Span::raw(what),
            ]));
        }
        for c in &self.visits {
            let channel = tx.t(channel_key(c.channel));
            let mut what = items_text(&c.items, cat, tx);
            if what.is_empty() {
                what = tx.t("card.nothing_out").to_string();
            }
            let talk = if c.topics.is_empty() && c.note.is_none() {
                String::new()
            } else {
                format!(" · {}", tx.t("card.talked"))
            };
            out.push(Line::styled(
                format!(" {} {channel}: {what}{talk}", tx.date(c.day)),
                dim,
            ));
        }
        if self.open {
            match self.notes.as_deref() {
                Some([]) | None => out.push(Line::styled(tx.t("card.no_notes").to_string(), dim)),
                Some(notes) => {
                    for (day, text) in notes {
                        let text = format!(" {}: {}", tx.date(*day), text.replace('\n', " / "));
                        out.extend(wrap_cells(&text, width).into_iter().map(Line::from));
                    }
                }
            }
        }
        out
    }
}

/// The text key of a channel's name.
pub fn channel_key(c: crate::domain::Channel) -> &'static str {
    match c {
        crate::domain::Channel::Door => "channel.door",
        crate::domain::Channel::Phone => "channel.phone",
        crate::domain::Channel::Outreach => "channel.outreach",
    }
}

/// `text` in rows of at most `width` terminal cells, broken at spaces where
/// it can be.
fn wrap_cells(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthStr;
    let width = width.max(10);
    let mut rows = vec![String::new()];
    for word in text.split(' ') {
        let row = rows.last_mut().expect("one row at least");
        if !row.is_empty() && row.width() + 1 + word.width() > width {
            rows.push(String::new());
        }
        let row = rows.last_mut().expect("one row at least");
        if !row.is_empty() {
            row.push(' ');
        }
        // A word longer than a row is broken where the row ends.
        for c in word.chars() {
            let row = rows.last_mut().expect("one row at least");
            if row.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > width {
                rows.push(String::new());
            }
            rows.last_mut().expect("one row at least").push(c);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::wrap_cells;

    #[test]
    fn long_texts_wrap_and_long_words_break() {
        let rows = wrap_cells("Ring the caseworker tomorrow", 12);
        assert_eq!(rows, ["Ring the", "caseworker", "tomorrow"]);
        let rows = wrap_cells(&"x".repeat(25), 10);
        assert_eq!(
            rows.iter().map(String::len).collect::<Vec<_>>(),
            [10, 10, 5]
        );
    }
}
