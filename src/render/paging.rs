//! Long listings split into pages of `paginate_by` entries: page 1 at the
//! listing's own URL, later ones at `<listing>/page/<n>/`. A page of a
//! 100,000-document library is as small as one of a 1,000-document one.

use std::ops::Range;

use crate::url::{UrlPath, Urls};

use super::views::{JumpLink, Pager, PagerLink};

/// How many pages either side of the current one the pager links to.
const AROUND: usize = 2;

/// The entries of each page: `len` entries in pages of `per_page` (one
/// page when `None`). There is always a first page, if an empty one.
pub fn ranges(len: usize, per_page: Option<usize>) -> Vec<Range<usize>> {
    match per_page {
        Some(per) if per > 0 && len > per => (0..len).step_by(per).map(|start| start..(start + per).min(len)).collect(),
        _ => std::iter::once(0..len).collect(),
    }
}

/// A page of a paged listing, as the listing's view is made for it.
pub struct PageOf {
    /// From 1.
    pub number: usize,
    /// Its entries, as indexes into the listing's sequence.
    pub range: Range<usize>,
    pub pager: Option<Pager>,
}

/// The runs of equal keys in a sequence (its groups: statuses, years):
/// each key with the index its run starts at and the run's length.
pub fn runs<K: PartialEq>(keys: impl IntoIterator<Item = K>) -> Vec<(K, usize, usize)> {
    let mut runs: Vec<(K, usize, usize)> = Vec::new();
    for (i, key) in keys.into_iter().enumerate() {
        match runs.last_mut() {
            Some((last, _, len)) if *last == key => *len += 1,
            _ => runs.push((key, i, 1)),
        }
    }
    runs
}

/// The page (from 1) that holds entry `index`.
pub fn page_of(index: usize, per_page: Option<usize>) -> usize {
    match per_page {
        Some(per) if per > 0 => index / per + 1,
        _ => 1,
    }
}

/// The pager of page `current` of `total`; `None` for a listing on one page.
pub fn pager(urls: &Urls, listing: &str, current: usize, total: usize) -> Option<Pager> {
    if total <= 1 {
        return None;
    }
    let href = |n: usize| urls.href(&UrlPath::listing_page(listing, n));
    // The pages shown, in order: the ends and those around the current one.
    let mut shown: Vec<usize> = vec![1, total];
    shown.extend(current.saturating_sub(AROUND).max(1)..=(current + AROUND).min(total));
    shown.sort_unstable();
    shown.dedup();
    let mut links: Vec<PagerLink> = Vec::new();
    for number in shown {
        if links.last().is_some_and(|l| l.number + 1 < number) {
            links.push(PagerLink { number: number - 1, url: None, current: false });
        }
        links.push(PagerLink { number, url: Some(href(number)), current: number == current });
    }
    Some(Pager {
        current,
        total,
        prev_url: (current > 1).then(|| href(current - 1)),
        next_url: (current < total).then(|| href(current + 1)),
        links,
    })
}

/// A jump to the heading `anchor` of a group whose first entry is `first`:
/// the bare fragment from the page it starts on, the page and fragment
/// from the others.
pub fn jump(
    urls: &Urls,
    listing: &str,
    per_page: Option<usize>,
    (label, anchor, first, count): (String, String, usize, usize),
    current: usize,
) -> JumpLink {
    let page = page_of(first, per_page);
    let url = if page == current {
        format!("#{anchor}")
    } else {
        format!("{}#{anchor}", urls.href(&UrlPath::listing_page(listing, page)))
    };
    JumpLink { label, url, count }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_every_entry_once() {
        assert_eq!(ranges(0, Some(10)), vec![0..0]);
        assert_eq!(ranges(10, Some(10)), vec![0..10]);
        assert_eq!(ranges(11, Some(10)), vec![0..10, 10..11]);
        assert_eq!(ranges(25, None), vec![0..25]);
        assert_eq!(page_of(0, Some(10)), 1);
        assert_eq!(page_of(10, Some(10)), 2);
        assert_eq!(page_of(99, None), 1);
    }

    #[test]
    fn the_pager_shows_the_ends_and_the_pages_around_the_current_one() {
        let urls = Urls::new(Some("/guild/"));
        assert!(pager(&urls, "practices", 1, 1).is_none());
        let p = pager(&urls, "practices", 5, 10).unwrap();
        let shown: Vec<String> = p
            .links
            .iter()
            .map(|l| match (&l.url, l.current) {
                (None, _) => "…".to_string(),
                (Some(_), true) => format!("[{}]", l.number),
                (Some(_), false) => l.number.to_string(),
            })
            .collect();
        assert_eq!(shown.join(" "), "1 … 3 4 [5] 6 7 … 10");
        assert_eq!(p.prev_url.as_deref(), Some("/guild/practices/page/4/"));
        assert_eq!(p.next_url.as_deref(), Some("/guild/practices/page/6/"));
        let first = pager(&urls, "practices", 1, 3).unwrap();
        assert_eq!(first.prev_url, None);
        assert_eq!(first.links[0].url.as_deref(), Some("/guild/practices/"));
        assert!(first.links.iter().all(|l| l.url.is_some()));
    }

    #[test]
    fn runs_are_the_groups_of_equal_neighbours() {
        assert_eq!(runs(["a", "a", "b", "a"]), vec![("a", 0, 2), ("b", 2, 1), ("a", 3, 1)]);
        assert_eq!(runs(Vec::<u8>::new()), vec![]);
    }

    #[test]
    fn jumps_stay_on_the_page_when_they_can() {
        let urls = Urls::new(None);
        let entry = |first| ("Adopted".to_string(), "status-adopted".to_string(), first, 3);
        assert_eq!(jump(&urls, "practices", Some(10), entry(4), 1).url, "#status-adopted");
        assert_eq!(jump(&urls, "practices", Some(10), entry(24), 1).url, "/practices/page/3/#status-adopted");
        assert_eq!(jump(&urls, "practices", Some(10), entry(4), 2).url, "/practices/#status-adopted");
    }
}
