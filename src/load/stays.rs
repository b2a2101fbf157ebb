//! Overlapping stays of one person in `detenties`: within a delivery and across deliveries.

/// Calls `found(this, earlier)` for every stay that begins before the end of a stay of the
/// same person that begins earlier (any earlier one, not only the one just before it) and
/// whose tag `counts(earlier, this)` accepts; `earlier` is the first such stay's tag. A stay
/// is (person, begin, end or `None` while open, tag: its row or its delivery); `stays` must
/// be sorted by person and begin. A stay that begins on the day another ends (a same-day
/// transfer) is no overlap.
pub(crate) fn overlaps<P: PartialEq, T: Copy>(
    stays: &[(P, i32, Option<i32>, T)],
    counts: impl Fn(T, T) -> bool,
    mut found: impl FnMut(T, T),
) {
    let mut person = None;
    // The current person's earlier stays: (tag, end), open ones ending at i32::MAX.
    let mut earlier: Vec<(T, i32)> = Vec::new();
    for (who, begin, end, tag) in stays {
        let (begin, end, tag) = (*begin, *end, *tag);
        if person != Some(who) {
            person = Some(who);
            earlier.clear();
        }
        if let Some(&(other, _)) = earlier.iter().find(|&&(t, e)| begin < e && counts(t, tag)) {
            found(tag, other);
        }
        earlier.push((tag, end.unwrap_or(i32::MAX)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The (this, earlier) tags `overlaps` reports, every earlier tag counting.
    fn all(stays: &[(&str, i32, Option<i32>, u32)]) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        overlaps(stays, |_, _| true, |a, b| out.push((a, b)));
        out
    }

    #[test]
    fn every_earlier_stay_counts_not_only_the_one_before() {
        // 1: 100-500; 2: 150-160 (inside 1); 3: 400-450 begins after 2 ended, inside 1.
        assert_eq!(
            all(&[
                ("P", 100, Some(500), 1),
                ("P", 150, Some(160), 2),
                ("P", 400, Some(450), 3)
            ]),
            [(2, 1), (3, 1)]
        );
        // An open stay overlaps every later one; a same-day transfer is no overlap; another
        // person starts afresh.
        assert_eq!(
            all(&[
                ("P", 100, None, 1),
                ("P", 900, Some(950), 2),
                ("Q", 100, Some(200), 3),
                ("Q", 200, Some(300), 4),
                ("R", 250, Some(260), 5),
            ]),
            [(2, 1)]
        );
        assert!(all(&[]).is_empty());
    }

    #[test]
    fn only_accepted_earlier_stays_count() {
        // Tags as deliveries: only an earlier stay from another delivery counts.
        let stays = [
            ("P", 100, Some(500), 1),
            ("P", 150, Some(600), 1),
            ("P", 550, Some(700), 2),
        ];
        let mut out = Vec::new();
        overlaps(&stays, |a, b| a != b, |a, b| out.push((a, b)));
        // 550 begins after the first stay of delivery 1 ended and before the second ends.
        assert_eq!(out, [(2, 1)]);
        let mut out = Vec::new();
        overlaps(&stays[..2], |a, b| a != b, |a, b| out.push((a, b)));
        assert!(out.is_empty(), "overlap within one delivery is not across");
    }
}
