//! Finding a visitor as staff type: alias or anonymous code, forgiving of
//! case, accents and one typo, best match first, recent regulars first
//! among equals. Kept in memory in flat arrays (about 100 bytes a visitor,
//! 10 MB for 100,000), so a keystroke never waits for the disk.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::domain::Visitor;
use crate::domain::text::fold;

/// One visitor as the index has them.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub id: u64,
    pub alias: &'a str,
    pub code: Option<&'a str>,
    /// Julian day of the last visit; `i32::MIN` if never seen.
    last_seen: i32,
}

impl Entry<'_> {
    pub fn last_seen(&self) -> Option<time::Date> {
        time::Date::from_julian_day(self.last_seen)
            .ok()
            .filter(|_| self.last_seen != i32::MIN)
    }
}

/// One bit per letter a-z and digit 0-9 present.
fn mask(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |m, b| match b {
        b'a'..=b'z' => m | 1 << (b - b'a'),
        b'0'..=b'9' => m | 1 << (26 + b - b'0'),
        _ => m,
    })
}

/// How well an entry matches; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Exact,
    AliasPrefix,
    WordPrefix,
    CodePrefix,
    Contains,
    OneTypo,
}

/// The visitors, laid out for a fast scan: what the scan reads each
/// keystroke (folded aliases, letter masks, codes, last visits) sits in
/// flat arrays side by side, not behind one pointer per visitor.
#[derive(Debug, Default, Clone)]
pub struct VisitorIndex {
    ids: Vec<u64>,
    /// All aliases as typed, one after another; `alias_spans[i]` is entry
    /// i's (one allocation for all, not one per visitor).
    aliases: String,
    alias_spans: Vec<(u32, u32)>,
    /// Julian day of each last visit; `i32::MIN` if never seen.
    last_seen: Vec<i32>,
    /// All folded aliases, one after another; `spans[i]` is entry i's.
    folded: Vec<u8>,
    spans: Vec<(u32, u32)>,
    /// The letters and digits in each folded alias, one bit each.
    masks: Vec<u64>,
    /// Codes, zero-padded.
    codes: Vec<[u8; 16]>,
    /// Where each visitor id is in the arrays: a visit or a change finds
    /// its entry at once, and building the index stays linear.
    pos: std::collections::HashMap<u64, usize>,
}

impl VisitorIndex {
    /// The index of the store's visitors (each id once): linear in their
    /// number.
    pub fn new(visitors: impl IntoIterator<Item = Visitor>) -> VisitorIndex {
        let mut index = VisitorIndex::default();
        for v in visitors {
            if !v.erased && !index.pos.contains_key(&v.id) {
                index.push(&v);
            }
        }
        index
    }

    /// The index of the store's active visitors, read one at a time (never
    /// all of them in memory twice).
    pub fn read(store: &crate::store::Store) -> crate::store::Result<VisitorIndex> {
        let mut index = VisitorIndex::default();
        for v in store.each_visitor() {
            let v = v?;
            if !index.pos.contains_key(&v.id) {
                index.push(&v);
            }
        }
        Ok(index)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn get(&self, i: usize) -> Entry<'_> {
        let (s, e) = self.alias_spans[i];
        let code = &self.codes[i];
        let n = code.iter().position(|&b| b == 0).unwrap_or(code.len());
        Entry {
            id: self.ids[i],
            alias: &self.aliases[s as usize..e as usize],
            code: std::str::from_utf8(&code[..n])
                .ok()
                .filter(|c| !c.is_empty()),
            last_seen: self.last_seen[i],
        }
    }

    /// The entry at `i`, if the index still has it.
    pub fn entry(&self, i: usize) -> Option<Entry<'_>> {
        (i < self.len()).then(|| self.get(i))
    }

    /// Adds or replaces a visitor; an erased visitor is removed.
    pub fn upsert(&mut self, v: &Visitor) {
        self.remove(v.id);
        if !v.erased {
            self.push(v);
        }
    }

    /// Takes a visitor out (erased, anonymised).
    pub fn remove(&mut self, id: u64) {
        if let Some(i) = self.pos.remove(&id) {
            self.ids.swap_remove(i);
            self.alias_spans.swap_remove(i);
            self.last_seen.swap_remove(i);
            self.spans.swap_remove(i);
            self.masks.swap_remove(i);
            self.codes.swap_remove(i);
            // The last entry moved into the gap.
            if let Some(&moved) = self.ids.get(i) {
                self.pos.insert(moved, i);
            }
        }
    }

    fn push(&mut self, v: &Visitor) {
        let folded = fold(&v.alias);
        let start = self.folded.len() as u32;
        self.folded.extend_from_slice(folded.as_bytes());
        self.spans.push((start, self.folded.len() as u32));
        self.masks.push(mask(folded.as_bytes()));
        let mut code = [0u8; 16];
        if let Some(c) = &v.code {
            let n = c.len().min(16);
            code[..n].copy_from_slice(&c.as_bytes()[..n]);
        }
        self.codes.push(code);
        self.pos.insert(v.id, self.ids.len());
        self.ids.push(v.id);
        let start = self.aliases.len() as u32;
        self.aliases.push_str(&v.alias);
        self.alias_spans.push((start, self.aliases.len() as u32));
        self.last_seen
            .push(v.last_seen.map_or(i32::MIN, |d| d.to_julian_day()));
    }

    /// Possible duplicates of visitor `id` (to link): the same code, or a
    /// nickname one typo apart; most recently seen first.
    pub fn look_alikes(&self, id: u64, limit: usize) -> Vec<usize> {
        let Some(&me) = self.pos.get(&id) else {
            return Vec::new();
        };
        let (s, e) = self.spans[me];
        let mine = self.folded[s as usize..e as usize].to_vec();
        let code = self.codes[me];
        let mut found = self.like(&mine, code, limit + 1);
        found.retain(|&i| i != me);
        found.truncate(limit);
        found
    }

    /// The `limit` visitors seen last, newest first: what a list shows
    /// before anything is typed.
    pub fn recent(&self, limit: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..self.ids.len()).collect();
        let key = |i: &usize| Reverse(self.last_seen[*i]);
        if all.len() > limit && limit > 0 {
            all.select_nth_unstable_by_key(limit - 1, key);
            all.truncate(limit);
        }
        all.sort_by_key(key);
        all.truncate(limit);
        all
    }

    /// Visitors who may be the one being registered: the same code, or a
    /// nickname one typo apart (the new-visitor form shows them).
    pub fn similar(&self, alias: &str, code: Option<&str>, limit: usize) -> Vec<usize> {
        let folded = fold(alias);
        let mut c = [0u8; 16];
        if let Some(code) = code {
            let n = code.len().min(16);
            c[..n].copy_from_slice(&code.as_bytes()[..n]);
        }
        if folded.is_empty() && c[0] == 0 {
            return Vec::new();
        }
        self.like(folded.as_bytes(), c, limit)
    }

    fn like(&self, folded: &[u8], code: [u8; 16], limit: usize) -> Vec<usize> {
        let mut found: Vec<usize> = (0..self.ids.len())
            .filter(|&i| {
                let (s, e) = self.spans[i];
                (code[0] != 0 && self.codes[i] == code)
                    || (!folded.is_empty()
                        && within_one_edit(&self.folded[s as usize..e as usize], folded))
            })
            .collect();
        found.sort_by_key(|&i| Reverse(self.last_seen[i]));
        found.truncate(limit);
        found
    }

    /// Notes a visit, so the visitor ranks as a recent regular.
    pub fn seen(&mut self, id: u64, day: time::Date) {
        if let Some(seen) = self.pos.get(&id).and_then(|&i| self.last_seen.get_mut(i)) {
            *seen = (*seen).max(day.to_julian_day());
        }
    }

    /// The best `limit` matches (indices for `get`), best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let folded = fold(query);
        if folded.is_empty() || limit == 0 {
            return Vec::new();
        }
        let code: Vec<u8> = query
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .take(16)
            .collect();
        let q = folded.as_bytes();
        let qmask = mask(q);
        // A max-heap of the best `limit` so far: its top is the worst kept.
        let mut best: BinaryHeap<(Tier, Reverse<i32>, usize)> =
            BinaryHeap::with_capacity(limit + 1);
        for i in 0..self.ids.len() {
            let missing = (qmask & !self.masks[i]).count_ones();
            let code_hit = !code.is_empty() && self.codes[i].starts_with(&code);
            if missing > 1 && !code_hit {
                continue;
            }
            let (s, e) = self.spans[i];
            let a = &self.folded[s as usize..e as usize];
            // Once the list is full of better matches, typos need no look.
            let typos = best.len() < limit || best.peek().is_some_and(|w| w.0 >= Tier::OneTypo);
            let Some(tier) = tier(a, q, missing, code_hit, typos) else {
                continue;
            };
            let key = (tier, Reverse(self.last_seen[i]), i);
            if best.len() < limit {
                best.push(key);
            } else if best.peek().is_some_and(|worst| key < *worst) {
                best.pop();
                best.push(key);
            }
        }
        let mut out = best.into_vec();
        out.sort_unstable();
        out.into_iter().map(|(_, _, i)| i).collect()
    }
}

fn words(folded: &[u8]) -> impl Iterator<Item = &[u8]> {
    folded
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// `a` is a folded alias, `q` the folded query with `missing` of its
/// letters absent from `a`.
fn tier(a: &[u8], q: &[u8], missing: u32, code_hit: bool, typos: bool) -> Option<Tier> {
    if missing == 0 {
        if a.starts_with(q) {
            return Some(if a.len() == q.len() {
                Tier::Exact
            } else {
                Tier::AliasPrefix
            });
        }
        if words(a).any(|w| w.starts_with(q)) {
            return Some(Tier::WordPrefix);
        }
    }
    if code_hit {
        return Some(Tier::CodePrefix);
    }
    if missing == 0 && q.len() >= 2 && a.windows(q.len()).any(|w| w == q) {
        return Some(Tier::Contains);
    }
    // One typo: at most one of the query's letters may be missing.
    if typos
        && missing <= 1
        && q.len() >= 3
        && words(a).any(|w| {
            (q.len() - 1..=q.len() + 1).any(|n| n <= w.len() && within_one_edit(q, &w[..n]))
        })
    {
        return Some(Tier::OneTypo);
    }
    None
}

/// True if `a` becomes `b` with at most one insertion, deletion,
/// substitution or swap of two neighbours.
pub fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if start == a.len() && start == b.len() {
        return true;
    }
    let (ra, rb) = (&a[start..], &b[start..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Greater => ra[1..] == *rb,
        std::cmp::Ordering::Less => *ra == rb[1..],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn v(id: u64, alias: &str, code: Option<&str>, seen: Option<time::Date>) -> Visitor {
        Visitor {
            id,
            alias: alias.into(),
            code: code.map(Into::into),
            birth_year: None,
            gender: None,
            registered: date!(2026 - 01 - 01),
            first_seen: seen,
            last_seen: seen,
            erased: false,
        }
    }

    fn names(ix: &VisitorIndex, q: &str) -> Vec<String> {
        ix.search(q, 10)
            .into_iter()
            .map(|i| ix.get(i).alias.to_string())
            .collect()
    }

    #[test]
    fn changes_and_erasures_keep_every_entry_findable() {
        let mut ix = VisitorIndex::new([
            v(1, "Rev", None, None),
            v(2, "Kari", None, None),
            v(3, "Mons", None, None),
        ]);
        // Erasing the first moves the last into its place.
        let mut gone = v(1, "Rev", None, None);
        gone.erased = true;
        ix.upsert(&gone);
        assert_eq!(ix.len(), 2);
        assert!(names(&ix, "rev").is_empty());
        // The moved one is still found, changed and seen by its id.
        ix.upsert(&v(3, "Monsen", None, None));
        ix.seen(3, date!(2026 - 11 - 26));
        assert_eq!(names(&ix, "monsen"), ["Monsen"]);
        let i = ix.search("monsen", 1)[0];
        assert_eq!(ix.get(i).last_seen(), Some(date!(2026 - 11 - 26)));
        assert_eq!(names(&ix, "kari"), ["Kari"]);
    }

    #[test]
    fn best_match_first_then_recent_regulars() {
        let ix = VisitorIndex::new([
            v(1, "Bjørnar", None, Some(date!(2026 - 01 - 02))),
            v(2, "Bjørn", None, Some(date!(2025 - 01 - 02))),
            v(3, "Store Bjørn", None, Some(date!(2026 - 05 - 02))),
            v(4, "Abjorn", None, Some(date!(2026 - 06 - 02))),
            v(5, "Bjarne", Some("BJAR1970"), None),
        ]);
        // Exact, then alias prefix, then word prefix, then inside the
        // alias, then one typo away (bjarn/bjorn).
        assert_eq!(
            names(&ix, "bjorn"),
            ["Bjørn", "Bjørnar", "Store Bjørn", "Abjorn", "Bjarne"]
        );
        // Among equal matches, the one seen most recently comes first.
        assert_eq!(names(&ix, "BJ")[..2], ["Bjørnar", "Bjørn"]);
        // One typo is forgiven: a swap, a missing and an extra letter.
        assert_eq!(names(&ix, "bjrone").first().map(String::as_str), None);
        assert!(names(&ix, "bjron").contains(&"Bjørn".to_string()));
        assert!(names(&ix, "bjrn").contains(&"Bjørn".to_string()));
        assert!(names(&ix, "bjoern").contains(&"Bjørn".to_string()));
        // Codes are found by their beginning, in any case.
        assert_eq!(names(&ix, "bjar1"), ["Bjarne"]);
        assert!(names(&ix, "").is_empty());
    }

    #[test]
    fn one_edit() {
        assert!(within_one_edit(b"abc", b"abc"));
        assert!(within_one_edit(b"abc", b"abd"));
        assert!(within_one_edit(b"abc", b"acb"));
        assert!(within_one_edit(b"abc", b"ab"));
        assert!(within_one_edit(b"ab", b"abc"));
        assert!(!within_one_edit(b"abc", b"bca"));
        assert!(!within_one_edit(b"abc", b"a"));
    }

    #[test]
    fn erased_visitors_leave_the_index() {
        let mut ix = VisitorIndex::new([v(1, "Rev", None, None)]);
        let mut gone = v(1, "", None, None);
        gone.erased = true;
        ix.upsert(&gone);
        assert!(ix.is_empty());
    }
}
