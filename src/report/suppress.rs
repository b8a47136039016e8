//! Small-number suppression that holds: after the small counts are taken
//! out, more are, until none of them can be worked out from what is
//! published by the sums the export implies (within a row: contacts are
//! the sum of the channels, doses a multiple of units; down a column: the
//! periods add up to the range's total, which `--by range` publishes).

use std::collections::{BTreeMap, HashMap};

use super::Table;

/// Below this, a coefficient is zero (they are small integers).
const EPS: f64 = 1e-9;

impl Table {
    /// Suppresses every count from 1 to `below - 1` (zeros stay), then as
    /// many more as it takes so that none of them follows from the rest:
    /// for each that would, the smallest other count it is summed with is
    /// suppressed too. Checked by linear algebra over every sum, not only
    /// one at a time.
    pub fn suppress(&mut self, below: u64) {
        // Columns whose range total `--by range` publishes (suppressed the
        // same way; a suppressed total gives nothing away).
        let totals = self.published_totals(below);
        for (r, (_, _, row)) in self.rows.iter().enumerate() {
            for (c, n) in row.iter().enumerate() {
                self.hidden[r][c] = *n > 0 && *n < below && self.of_people(c);
            }
        }
        loop {
            // One at a time first: a sum with one suppressed count.
            while self.one_at_a_time(&totals) {}
            let found = self.worked_out(&totals);
            if found.is_empty() {
                break;
            }
            let mut changed = false;
            for &(r, c) in &found {
                changed |= self.hide_partner(r, c, &totals);
            }
            if !changed {
                // No partner left to take: every count of people in the
                // rows and columns of what still follows goes, rather than
                // a small number getting out.
                for (r, c) in found {
                    for (k, j) in self.partners(r, c, &totals) {
                        if self.rows[k].2[j] > 0 && self.of_people(j) {
                            changed |= !std::mem::replace(&mut self.hidden[k][j], true);
                        }
                    }
                }
                if !changed {
                    break;
                }
            }
        }
        self.hide_ratios();
    }

    /// Does the column count people or what they did (not `days_open`)?
    fn of_people(&self, c: usize) -> bool {
        self.columns[c] != "days_open" && !self.ratios.iter().any(|r| r.0 == c)
    }

    /// A ratio goes where its returned count or its out count goes (with
    /// the other it would give the hidden one back).
    fn hide_ratios(&mut self) {
        for r in 0..self.rows.len() {
            for &(p, returned, out) in &self.ratios {
                let gone = |c: usize| self.hidden[r].get(c).copied().unwrap_or(false);
                if gone(returned) || gone(out) {
                    self.hidden[r][p] = true;
                }
            }
        }
    }

    /// Which columns' range totals are published: the range as one row,
    /// suppressed as `--by range` does it. None for a table of one row.
    fn published_totals(&self, below: u64) -> Vec<bool> {
        let n = self.columns.len();
        let (Some(first), Some(last)) = (self.rows.first(), self.rows.last()) else {
            return vec![false; n];
        };
        if self.rows.len() == 1 {
            return vec![false; n];
        }
        // The range's own row where the table has it (unique visitors and
        // the columns counting them by profile are not sums of periods).
        let whole = self.range.clone().unwrap_or_else(|| {
            (0..n)
                .map(|c| self.rows.iter().map(|r| r.2[c]).sum())
                .collect()
        });
        let mut range = Table {
            rows: vec![(first.0, last.1, whole)],
            hidden: vec![vec![false; n]],
            range: None,
            ..self.clone()
        };
        range.suppress(below);
        (0..n)
            .map(|c| self.additive[c] && !range.hidden[0][c])
            .collect()
    }

    /// The cells summed with cell `(r, c)`: its row's relations, and its
    /// column when the column's total is published.
    fn partners(&self, r: usize, c: usize, totals: &[bool]) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = self
            .relations
            .iter()
            .filter(|rel| rel.iter().any(|&(k, _)| k == c))
            .flat_map(|rel| rel.iter().map(move |&(k, _)| (r, k)))
            .collect();
        if totals[c] {
            out.extend((0..self.rows.len()).map(|k| (k, c)));
        }
        out.retain(|&cell| cell != (r, c));
        out
    }

    /// Suppresses the smallest count summed with `(r, c)`; whether it did.
    fn hide_partner(&mut self, r: usize, c: usize, totals: &[bool]) -> bool {
        let partners = self.partners(r, c, totals);
        self.hide_smallest(&partners)
    }

    /// Suppresses the smallest published count above 0 among `cells`;
    /// whether there was one.
    fn hide_smallest(&mut self, cells: &[(usize, usize)]) -> bool {
        let best = cells
            .iter()
            .filter(|&&(k, j)| !self.hidden[k][j] && self.rows[k].2[j] > 0)
            .min_by_key(|&&(k, j)| self.rows[k].2[j]);
        match best {
            Some(&(k, j)) => {
                self.hidden[k][j] = true;
                true
            }
            None => false,
        }
    }

    /// One pass of the simple rule: a sum with exactly one suppressed
    /// count gets a second. Whether anything changed.
    fn one_at_a_time(&mut self, totals: &[bool]) -> bool {
        let mut changed = false;
        let col = |name: &str| self.columns.iter().position(|c| c == name);
        let (unique, anonymous) = (col("unique_visitors"), col("anonymous_contacts"));
        for r in 0..self.rows.len() {
            for i in 0..self.relations.len() {
                let cells: Vec<(usize, usize)> =
                    self.relations[i].iter().map(|&(c, _)| (r, c)).collect();
                changed |= self.second_of(&cells, totals);
                // A sum whose parts are all suppressed ones: each is 1
                // (a suppressed count is at least 1). Contacts first, the
                // parts after it.
                if self.relations[i].iter().all(|&(_, k)| k.abs() == 1) {
                    changed |= self.not_all_ones(&cells[..1], &cells[1..]);
                }
            }
            // Registered contacts are contacts less anonymous ones, and
            // unique visitors at most that: the two go together.
            if let (Some(u), Some(a)) = (unique, anonymous) {
                for (x, y) in [(u, a), (a, u)] {
                    if self.hidden[r][x] && !self.hidden[r][y] && self.rows[r].2[y] > 0 {
                        self.hidden[r][y] = true;
                        changed = true;
                    }
                }
            }
        }
        for c in (0..self.columns.len()).filter(|&c| totals[c]) {
            let cells: Vec<(usize, usize)> = (0..self.rows.len()).map(|r| (r, c)).collect();
            changed |= self.second_of(&cells, totals);
            // The total is published (in the range file).
            changed |= self.not_all_ones(&[], &cells);
        }
        changed
    }

    /// A known total (`total` published, or none: the column's range
    /// total) over `parts`, every suppressed part 1: they would all
    /// follow. The smallest other part goes too, or else the total.
    fn not_all_ones(&mut self, total: &[(usize, usize)], parts: &[(usize, usize)]) -> bool {
        if total.iter().any(|&(r, c)| self.hidden[r][c]) {
            return false;
        }
        let hidden: Vec<&(usize, usize)> =
            parts.iter().filter(|&&(r, c)| self.hidden[r][c]).collect();
        if hidden.is_empty() || hidden.iter().any(|&&(r, c)| self.rows[r].2[c] != 1) {
            return false;
        }
        self.hide_smallest(parts) || self.hide_smallest(total)
    }

    fn second_of(&mut self, cells: &[(usize, usize)], totals: &[bool]) -> bool {
        let hidden: Vec<&(usize, usize)> =
            cells.iter().filter(|&&(r, c)| self.hidden[r][c]).collect();
        match hidden[..] {
            [&(r, c)] => self.hide_partner(r, c, totals),
            _ => false,
        }
    }

    /// The suppressed cells the published counts determine, by every sum
    /// at once.
    pub fn worked_out(&self, totals: &[bool]) -> Vec<(usize, usize)> {
        let mut unknown: HashMap<(usize, usize), usize> = HashMap::new();
        let mut cells = Vec::new();
        for (r, row) in self.hidden.iter().enumerate() {
            for (c, h) in row.iter().enumerate() {
                if *h {
                    unknown.insert((r, c), cells.len());
                    cells.push((r, c));
                }
            }
        }
        let mut equations: Vec<BTreeMap<usize, f64>> = Vec::new();
        for r in 0..self.rows.len() {
            for rel in &self.relations {
                let eq: BTreeMap<usize, f64> = rel
                    .iter()
                    .filter_map(|&(c, k)| unknown.get(&(r, c)).map(|&u| (u, k as f64)))
                    .collect();
                if !eq.is_empty() {
                    equations.push(eq);
                }
            }
        }
        for c in (0..self.columns.len()).filter(|&c| totals[c]) {
            let eq: BTreeMap<usize, f64> = (0..self.rows.len())
                .filter_map(|r| unknown.get(&(r, c)).map(|&u| (u, 1.0)))
                .collect();
            if !eq.is_empty() {
                equations.push(eq);
            }
        }
        // Sums that share no suppressed cell are solved apart: most
        // columns (topics, items) are a sum of their own.
        let mut parent: Vec<usize> = (0..cells.len()).collect();
        fn root(parent: &mut [usize], mut u: usize) -> usize {
            while parent[u] != u {
                parent[u] = parent[parent[u]];
                u = parent[u];
            }
            u
        }
        for eq in &equations {
            let mut vars = eq.keys();
            if let Some(&first) = vars.next() {
                let a = root(&mut parent, first);
                for &v in vars {
                    let b = root(&mut parent, v);
                    parent[b] = a;
                }
            }
        }
        let mut parts: BTreeMap<usize, Vec<BTreeMap<usize, f64>>> = BTreeMap::new();
        for eq in equations {
            let Some(&first) = eq.keys().next() else {
                continue;
            };
            let r = root(&mut parent, first);
            parts.entry(r).or_default().push(eq);
        }
        parts
            .into_values()
            .flat_map(determined)
            .map(|u| cells[u])
            .collect()
    }
}

/// The unknowns a set of linear equations (over unknowns only: the known
/// counts are constants) fixes: those whose unit vector is in the
/// equations' row space. Gauss-Jordan on sparse rows, the small equations
/// first.
pub fn determined(mut equations: Vec<BTreeMap<usize, f64>>) -> Vec<usize> {
    equations.sort_by_key(BTreeMap::len);
    // Pivot unknown -> its reduced equation (coefficient 1 on the pivot).
    let mut pivots: BTreeMap<usize, BTreeMap<usize, f64>> = BTreeMap::new();
    for mut eq in equations {
        // Take out the known pivots.
        while let Some((&p, &k)) = eq.iter().find(|(u, _)| pivots.contains_key(u)) {
            for (&u, &v) in &pivots[&p] {
                let e = eq.entry(u).or_insert(0.0);
                *e -= k * v;
            }
            eq.retain(|_, v| v.abs() > EPS);
        }
        let Some((&p, &k)) = eq.iter().max_by(|a, b| a.1.abs().total_cmp(&b.1.abs())) else {
            continue;
        };
        for v in eq.values_mut() {
            *v /= k;
        }
        // Take the new pivot out of the earlier ones.
        for other in pivots.values_mut() {
            if let Some(&m) = other.get(&p) {
                for (&u, &v) in &eq {
                    let e = other.entry(u).or_insert(0.0);
                    *e -= m * v;
                }
                other.retain(|_, v| v.abs() > EPS);
            }
        }
        pivots.insert(p, eq);
    }
    pivots
        .into_iter()
        .filter(|(_, eq)| eq.len() == 1)
        .map(|(p, _)| p)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Catalog, DayCounts};
    use time::macros::date;

    /// The range total of a column tied to visitors by profile is the
    /// range's own (`--by range`), not a sum of days: four register and
    /// come on the 1st, one of them and a fifth new one on the 2nd. The
    /// summed "returning" (1) would be small and hide the new visitors'
    /// total; the real range has none returning and publishes 5 new, so
    /// the 2nd's hidden new visitor (1) must not follow from it.
    #[test]
    fn totals_are_taken_from_the_range_itself() {
        use super::super::{By, Counts, Profile, table};
        let (d1, d2) = (date!(2026 - 03 - 01), date!(2026 - 03 - 02));
        let day = |visitors: &[u64], new: u32| DayCounts {
            contacts: visitors.len() as u32,
            new_visitors: new,
            channels: [visitors.len() as u32, 0, 0],
            visitors: visitors.iter().map(|v| (*v, 1)).collect(),
            ..Default::default()
        };
        let profiles = (1..=5)
            .map(|v| {
                let registered = if v == 5 { d2 } else { d1 };
                let p = Profile {
                    registered,
                    birth_year: None,
                    gender: None,
                };
                (v, p)
            })
            .collect();
        let counts = Counts {
            days: vec![(d1, day(&[1, 2, 3, 4], 4)), (d2, day(&[1, 5], 1))],
            profiles,
        };
        let cat = Catalog::default_catalog();
        let mut t = table(&counts, &cat, d1, d2, By::Day);
        t.suppress(3);
        let mut range = table(&counts, &cat, d1, d2, By::Range);
        range.suppress(3);
        let new = t.columns.iter().position(|c| c == "new_visitors").unwrap();
        assert!(t.hidden[1][new], "the 2nd's one new visitor");
        // What the range file really publishes, as column totals.
        let published: Vec<bool> = (0..t.columns.len())
            .map(|c| t.additive[c] && !range.hidden[0][c])
            .collect();
        assert_eq!(t.worked_out(&published), []);
    }

    /// Days with contacts by channel (door, phone). Were the totals of
    /// contacts (9) and door (8) published, the simple rule (a second
    /// cell for every sum with one) would leave the 1st's phone call to be
    /// worked out from several sums together; the check over every sum
    /// finds it. doorlog publishes the range's door suppressed too, and
    /// then nothing follows.
    #[test]
    fn what_follows_from_several_sums_together_is_found() {
        let day = |door: u32, phone: u32| DayCounts {
            contacts: door + phone,
            channels: [door, phone, 0],
            ..Default::default()
        };
        let days = vec![
            (date!(2026 - 03 - 28), day(3, 1)),
            (date!(2026 - 03 - 29), day(3, 0)),
            (date!(2026 - 03 - 30), day(2, 0)),
        ];
        let (from, to) = (date!(2026 - 03 - 28), date!(2026 - 03 - 30));
        let by = super::super::By::Day;
        let mut t = super::super::table(&days.into(), &Catalog::default_catalog(), from, to, by);
        let (door, phone) = (5, 6);
        assert_eq!(t.columns[door], "channel_door");
        let all_totals: Vec<bool> = (0..t.columns.len())
            .map(|c| t.additive[c] && t.rows.iter().map(|r| r.2[c]).sum::<u64>() >= 3)
            .collect();
        for (r, (_, _, row)) in t.rows.clone().iter().enumerate() {
            for (c, n) in row.iter().enumerate() {
                t.hidden[r][c] = *n > 0 && *n < 3;
            }
        }
        while t.one_at_a_time(&all_totals) {}
        assert!(t.worked_out(&all_totals).contains(&(0, phone)));
        t.suppress(3);
        let published = t.published_totals(3);
        assert!(!published[door] && !published[phone]);
        assert_eq!(t.worked_out(&published), []);
        // Counts at 3 and above stay where they can.
        assert!(
            t.rows
                .iter()
                .zip(&t.hidden)
                .any(|(r, h)| r.2[0] >= 3 && !h[0])
        );
    }

    fn eq(terms: &[(usize, f64)]) -> BTreeMap<usize, f64> {
        terms.iter().copied().collect()
    }

    /// A suppressed count is at least 1: three suppressed channels under a
    /// published 3 would each be 1, so the 3 goes too. And unique visitors
    /// go with anonymous contacts (registered contacts are contacts less
    /// anonymous ones, and visitors at most those).
    #[test]
    fn what_follows_from_counts_being_at_least_one_is_suppressed_too() {
        let mut day = DayCounts {
            contacts: 3,
            anonymous_contacts: 3,
            channels: [1, 1, 1],
            ..Default::default()
        };
        let d = date!(2026 - 03 - 28);
        let by = super::super::By::Day;
        let cat = Catalog::default_catalog();
        let mut t = super::super::table(&vec![(d, day.clone())].into(), &cat, d, d, by);
        t.suppress(3);
        assert!(t.hidden[0][0], "contacts");
        // 5 contacts, 4 anonymous, 1 registered visitor.
        day.contacts = 5;
        day.anonymous_contacts = 4;
        day.channels = [5, 0, 0];
        day.visitors.insert(7, 1);
        let mut t = super::super::table(&vec![(d, day)].into(), &cat, d, d, by);
        t.suppress(3);
        assert!(t.hidden[0][1], "unique visitors");
        assert!(t.hidden[0][3], "anonymous contacts with them");
    }

    #[test]
    fn one_unknown_in_a_sum_is_determined_two_are_not() {
        assert_eq!(determined(vec![eq(&[(0, 1.0)])]), [0]);
        assert!(determined(vec![eq(&[(0, 1.0), (1, 1.0)])]).is_empty());
        // x0 = x1, x1 + x2 = ?, x0 + x2 = ? -> x1 - x0 = 0 and x2 follow
        // only together: with x0 + x1 known too, all three are fixed.
        let three = vec![
            eq(&[(0, 1.0), (1, -1.0)]),
            eq(&[(1, 1.0), (2, 1.0)]),
            eq(&[(0, 1.0), (1, 1.0)]),
        ];
        let mut d = determined(three);
        d.sort();
        assert_eq!(d, [0, 1, 2]);
    }
}
