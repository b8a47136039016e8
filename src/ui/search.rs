//! Finding a visitor as staff type: alias or anonymous code, forgiving of
//! case, accents and one typo, best match first, recent regulars first
//! among equals. Kept in memory (about 60 bytes a visitor), so a keystroke
//! never waits for the disk.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::domain::Visitor;
use crate::domain::text::fold;

#[derive(Debug, Clone)]
pub struct Entry {
    pub id: u64,
    pub alias: String,
    pub code: Option<String>,
    folded: String,
    /// Julian day of the last visit; `i32::MIN` if never seen.
    last_seen: i32,
}

impl Entry {
    pub fn last_seen(&self) -> Option<time::Date> {
        time::Date::from_julian_day(self.last_seen)
            .ok()
            .filter(|_| self.last_seen != i32::MIN)
    }
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

#[derive(Debug, Default, Clone)]
pub struct VisitorIndex {
    entries: Vec<Entry>,
}

impl VisitorIndex {
    pub fn new(visitors: impl IntoIterator<Item = Visitor>) -> VisitorIndex {
        let mut index = VisitorIndex::default();
        for v in visitors {
            index.upsert(&v);
        }
        index
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn get(&self, i: usize) -> &Entry {
        &self.entries[i]
    }

    /// Adds or replaces a visitor; an erased visitor is removed.
    pub fn upsert(&mut self, v: &Visitor) {
        self.entries.retain(|e| e.id != v.id);
        if v.erased {
            return;
        }
        self.entries.push(Entry {
            id: v.id,
            alias: v.alias.clone(),
            code: v.code.clone(),
            folded: fold(&v.alias),
            last_seen: v.last_seen.map_or(i32::MIN, |d| d.to_julian_day()),
        });
    }

    /// Notes a visit, so the visitor ranks as a recent regular.
    pub fn seen(&mut self, id: u64, day: time::Date) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == id) {
            e.last_seen = e.last_seen.max(day.to_julian_day());
        }
    }

    /// The best `limit` matches (indices for `get`), best first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        let q = fold(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let code_q: String = query
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let q = q.as_bytes();
        // A max-heap of the best `limit` so far: its top is the worst kept.
        let mut best: BinaryHeap<(Tier, Reverse<i32>, usize)> =
            BinaryHeap::with_capacity(limit + 1);
        for (i, e) in self.entries.iter().enumerate() {
            let Some(tier) = tier(e, q, &code_q) else {
                continue;
            };
            let key = (tier, Reverse(e.last_seen), i);
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

fn tier(e: &Entry, q: &[u8], code_q: &str) -> Option<Tier> {
    let a = e.folded.as_bytes();
    if a == q {
        return Some(Tier::Exact);
    }
    if a.starts_with(q) {
        return Some(Tier::AliasPrefix);
    }
    let mut words = e
        .folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty());
    if words.clone().any(|w| w.as_bytes().starts_with(q)) {
        return Some(Tier::WordPrefix);
    }
    if !code_q.is_empty() && e.code.as_deref().is_some_and(|c| c.starts_with(code_q)) {
        return Some(Tier::CodePrefix);
    }
    if q.len() >= 2 && contains(a, q) {
        return Some(Tier::Contains);
    }
    if q.len() >= 3
        && words.any(|w| {
            let w = w.as_bytes();
            (q.len() - 1..=q.len() + 1).any(|n| n <= w.len() && within_one_edit(q, &w[..n]))
        })
    {
        return Some(Tier::OneTypo);
    }
    None
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
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
            .map(|i| ix.get(i).alias.clone())
            .collect()
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
