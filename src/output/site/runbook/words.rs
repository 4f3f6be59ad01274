//! A runbook's distinct words for the search index, gathered as the page is rendered:
//! hashed (FNV-1a, lowercased) in the same pass that finds their ends, copied only when
//! new (docs/site.md#search).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

/// At most this many distinct words of a runbook go into the search index.
pub(super) const INDEXED_WORDS: usize = 400;

/// Distinct words of three letters or more, lowercase, in order of first appearance
/// (the first [`INDEXED_WORDS`]), gathered as the text goes by.
#[derive(Default)]
pub(super) struct Words {
    /// The words so far, each followed by a space.
    pub(super) list: String,
    pub(super) count: usize,
    /// Where the words so far lie in `list`, by their FNV-1a hash: the first word of a
    /// hash, then any others that share it.
    seen: HashMap<u64, (Span, Vec<Span>), BuildHasherDefault<Prehashed>>,
    /// The word being looked at, lowercased (one buffer for all of them).
    lower: String,
}

/// A word's place in [`Words::list`]: start and length in bytes.
type Span = (u32, u32);

/// Hands on a `u64` key as its own hash (the keys are FNV-1a hashes already).
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(bytes);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_START, |h, b| fnv_step(h, *b))
}

impl Words {
    pub(super) fn add(&mut self, text: &str) {
        if self.count >= INDEXED_WORDS {
            return;
        }
        if self.seen.capacity() == 0 {
            self.seen.reserve(INDEXED_WORDS);
        }
        if text.is_ascii() {
            // The usual case, a byte at a time, lowercased as it is hashed and compared
            // (copied only when it is new).
            // One pass: each word is hashed (lowercased) as its end is looked for.
            let bytes = text.as_bytes();
            let mut start = 0;
            let mut hash = FNV_START;
            for (at, &b) in bytes.iter().enumerate() {
                if b.is_ascii_alphanumeric() {
                    hash = fnv_step(hash, b.to_ascii_lowercase());
                    continue;
                }
                if at - start >= 3 && self.note_ascii(&bytes[start..at], hash) {
                    return;
                }
                start = at + 1;
                hash = FNV_START;
            }
            if bytes.len() - start >= 3 {
                self.note_ascii(&bytes[start..], hash);
            }
            return;
        }
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            // Three letters or more.
            if word.chars().nth(2).is_some() {
                self.lower.clear();
                self.lower.push_str(&word.to_lowercase());
                if self.note() {
                    return;
                }
            }
        }
    }

    /// Adds the ASCII word `word`, lowercased, unless it is there already; true once the
    /// list is full. `hash` is [`fnv1a`] of it lowercased. The same as putting it in
    /// `lower` and calling [`Words::note`].
    fn note_ascii(&mut self, word: &[u8], hash: u64) -> bool {
        let span = (
            u32::try_from(self.list.len()).unwrap_or(u32::MAX),
            u32::try_from(word.len()).unwrap_or(0),
        );
        let list = self.list.as_bytes();
        // The list holds lowercase words: equal ignoring case is equal to the lowercase.
        let is = |&(start, len): &Span| {
            list.get(start as usize..(start as usize + len as usize))
                .is_some_and(|w| w.eq_ignore_ascii_case(word))
        };
        if !is_new(&mut self.seen, hash, span, is) {
            return false;
        }
        self.list
            .extend(word.iter().map(|b| char::from(b.to_ascii_lowercase())));
        self.added()
    }

    /// Adds the word in `lower` unless it is there already; true once the list is full.
    fn note(&mut self) -> bool {
        let span = (
            u32::try_from(self.list.len()).unwrap_or(u32::MAX),
            u32::try_from(self.lower.len()).unwrap_or(0),
        );
        let list = self.list.as_str();
        let lower = self.lower.as_str();
        let is = |&(start, len): &Span| {
            list.get(start as usize..(start as usize + len as usize)) == Some(lower)
        };
        if !is_new(&mut self.seen, fnv1a(lower.as_bytes()), span, is) {
            return false;
        }
        self.list.push_str(&self.lower);
        self.added()
    }

    /// Ends the word just written to `list`; true once the list is full.
    fn added(&mut self) -> bool {
        self.list.push(' ');
        self.count += 1;
        self.count >= INDEXED_WORDS
    }
}

/// Records the word at `span` under `hash` unless a word already there `is` the same;
/// whether it was new.
fn is_new(
    seen: &mut HashMap<u64, (Span, Vec<Span>), BuildHasherDefault<Prehashed>>,
    hash: u64,
    span: Span,
    is: impl Fn(&Span) -> bool,
) -> bool {
    match seen.entry(hash) {
        Entry::Occupied(mut e) => {
            let (first, more) = e.get_mut();
            if is(first) || more.iter().any(&is) {
                return false;
            }
            more.push(span);
        }
        Entry::Vacant(e) => {
            e.insert((span, Vec::new()));
        }
    }
    true
}
