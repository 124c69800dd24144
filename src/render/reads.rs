//! Which documents a page read while it was rendered: the dependencies
//! `render::affected` uses to decide what a live edit re-renders.
//!
//! Every read of a document goes through `Views::doc` (or a cached piece
//! made from such reads, which carries its own list), so the list is what
//! the page's view actually looked at, not a hand-kept guess: a new view
//! that shows another document's title is re-rendered when that title
//! changes without anyone listing it.
//!
//! The list lives in a thread-local while a page renders because the view
//! helpers are shared by every page rendering in parallel; a page renders
//! on one thread from start to end (no rayon inside it), and `record`
//! saves and restores an outer list, so nested recordings (a card made
//! while a page renders, a page rendered by a thread waiting in a join)
//! never mix.

use std::cell::RefCell;

use crate::link::DocId;

thread_local! {
    static READS: RefCell<Option<Vec<DocId>>> = const { RefCell::new(None) };
}

/// Notes that the page being rendered (if any) read document `id`.
pub fn note(id: DocId) {
    READS.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push(id);
        }
    });
}

/// Notes every document of `ids` (what a cached piece read when it was made).
pub fn note_all(ids: &[DocId]) {
    READS.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.extend_from_slice(ids);
        }
    });
}

/// Runs `f`, returning what it returned and the documents it read, sorted
/// and without repeats. An enclosing recording also gets them.
pub fn record<T>(f: impl FnOnce() -> T) -> (T, Vec<DocId>) {
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let value = f();
    let mut read = READS.with(|r| std::mem::replace(&mut *r.borrow_mut(), outer)).unwrap_or_default();
    read.sort_unstable();
    read.dedup();
    note_all(&read);
    (value, read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recording_sees_its_own_reads_and_hands_them_to_the_one_around_it() {
        note(9); // Outside any recording: dropped.
        let ((inner, ()), outer) = record(|| {
            note(3);
            let inner = record(|| {
                note(5);
                note(5);
            });
            note(1);
            (inner.1, ())
        });
        assert_eq!(inner, vec![5]);
        assert_eq!(outer, vec![1, 3, 5]);
        let ((), none) = record(|| ());
        assert!(none.is_empty(), "a finished recording leaves nothing behind");
    }
}
