//! The primitives of the field grammar, on the text of one logical line: the productions that
//! the field tables' grammars ([`crate::model::fields::Reader`]) are written in.
//!
//! ```text
//! Q     = '"' { utf8-char | escape } '"'       ; Go strconv.Quote, unquoted
//! L     = "[" [ Q { " " Q } ] "]"               ; a %q-printed []string
//! lists = [ L { " " L } ]
//! toolid-lists = toolid " " L { " " L }         ; a tool ID may hold spaces
//! toolid-list-word = toolid " " L " " word
//! hex64 = 64 * ( "0"…"9" | "a"…"f" )
//! stat  = size " " mode " " mtime " " ("true" | "false")   ; mtime holds spaces
//! ```
//!
//! A [`Cursor`] reads a line that is either borrowed from the log or owned (a line that needed
//! unescaping, or was written in several pieces); what it returns borrows from the log in the
//! first case and is copied in the second, so a field never points into a temporary.

use std::borrow::Cow;
use std::marker::PhantomData;

use super::modinfo::parse_modinfo;
use super::quoted::{go_string, list, lists, whole};
use super::unquote::unquote_body;
use crate::model::fields::Reader;
use crate::model::{Digest, ModInfo, StatInfo, Text};

/// Reads the rest of a line with the grammar's primitives. `L` says whether the results borrow
/// from the line ([`Borrow`]) or copy it ([`Copied`]).
pub(super) struct Cursor<'s, L> {
    rest: &'s str,
    lift: PhantomData<L>,
}

impl<'s, L> Cursor<'s, L> {
    pub(super) fn new(rest: &'s str) -> Self {
        Cursor {
            rest,
            lift: PhantomData,
        }
    }
}

/// How a cursor over text that lives for `'s` makes values that live for `'a`.
pub(super) trait Lift<'s, 'a> {
    fn text(s: Cow<'s, str>) -> Text<'a>;
    fn build_info(m: ModInfo<'s>) -> ModInfo<'a>;
    fn stat(s: StatInfo<'s>) -> StatInfo<'a>;
}

/// The line is the log's own text: results borrow from it.
pub(super) struct Borrow;

impl<'a> Lift<'a, 'a> for Borrow {
    fn text(s: Cow<'a, str>) -> Text<'a> {
        s
    }
    fn build_info(m: ModInfo<'a>) -> ModInfo<'a> {
        m
    }
    fn stat(s: StatInfo<'a>) -> StatInfo<'a> {
        s
    }
}

/// The line is a temporary: results are copied out of it.
pub(super) struct Copied;

impl<'s, 'a> Lift<'s, 'a> for Copied {
    fn text(s: Cow<'s, str>) -> Text<'a> {
        Cow::Owned(s.into_owned())
    }
    fn build_info(m: ModInfo<'s>) -> ModInfo<'a> {
        m.into_owned()
    }
    fn stat(s: StatInfo<'s>) -> StatInfo<'a> {
        s.into_owned()
    }
}

impl<'s, L> Cursor<'s, L> {
    fn take(&mut self, n: usize) -> &'s str {
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        taken
    }
}

fn lift_list<'s, 'a, L: Lift<'s, 'a>>(list: Vec<Text<'s>>) -> Vec<Text<'a>> {
    list.into_iter().map(L::text).collect()
}

impl<'s, 'a, L: Lift<'s, 'a>> Reader<'a> for Cursor<'s, L> {
    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    fn rest(&mut self) -> Text<'a> {
        let all = self.take(self.rest.len());
        L::text(Cow::Borrowed(all))
    }

    fn tag(&mut self, s: &str) -> Option<()> {
        self.rest = self.rest.strip_prefix(s)?;
        Some(())
    }

    fn before(&mut self, sep: &str) -> Option<Text<'a>> {
        let at = match sep.as_bytes() {
            // Most separators are one byte (`=`, ` `): memchr rather than a substring search.
            &[b] => memchr::memchr(b, self.rest.as_bytes())?,
            _ => self.rest.find(sep)?,
        };
        let before = &self.rest[..at];
        self.rest = &self.rest[at + sep.len()..];
        Some(L::text(Cow::Borrowed(before)))
    }

    fn before_last(&mut self, sep: &str) -> Option<Text<'a>> {
        let at = match sep.as_bytes() {
            &[b] => memchr::memrchr(b, self.rest.as_bytes())?,
            _ => self.rest.rfind(sep)?,
        };
        let before = &self.rest[..at];
        self.rest = &self.rest[at + sep.len()..];
        Some(L::text(Cow::Borrowed(before)))
    }

    fn boolean(&mut self) -> Option<bool> {
        if self.tag("true").is_some() {
            Some(true)
        } else {
            self.tag("false").map(|()| false)
        }
    }

    fn quoted(&mut self) -> Option<Text<'a>> {
        let (rest, text) = go_string(self.rest).ok()?;
        self.rest = rest;
        Some(L::text(text))
    }

    fn quoted_digest(&mut self) -> Option<Option<Digest>> {
        let (rest, _) = go_string(self.rest).ok()?;
        // The unquoted text is for display; the ID is the raw bytes between the quotes.
        let body = &self.rest[1..self.rest.len() - rest.len() - 1];
        let raw = unquote_body(body.as_bytes()).ok()?;
        self.rest = rest;
        Some(<[u8; 32]>::try_from(&*raw).ok().map(Digest))
    }

    fn list(&mut self) -> Option<Vec<Text<'a>>> {
        let (rest, list) = list(self.rest).ok()?;
        self.rest = rest;
        Some(lift_list::<L>(list))
    }

    fn lists(&mut self) -> Option<Vec<Vec<Text<'a>>>> {
        let (rest, lists) = lists(self.rest).ok()?;
        self.rest = rest;
        Some(lists.into_iter().map(lift_list::<L>).collect())
    }

    fn tool_and_lists(&mut self, n: usize) -> Option<(Text<'a>, Vec<Vec<Text<'a>>>)> {
        let r = self.rest;
        for (pos, _) in r.match_indices(" [") {
            if let Some(ls) = whole(lists, &r[pos + 1..])
                && ls.len() == n
            {
                let tool = self.take(pos);
                self.rest = "";
                let ls = ls.into_iter().map(lift_list::<L>).collect();
                return Some((L::text(Cow::Borrowed(tool)), ls));
            }
        }
        None
    }

    fn tool_list_word(&mut self) -> Option<(Text<'a>, Vec<Text<'a>>, Text<'a>)> {
        let r = self.rest;
        for (pos, _) in r.match_indices(" [") {
            if let Ok((after, forced)) = list(&r[pos + 1..])
                && let Some(word) = after.strip_prefix(' ')
                && !word.contains(' ')
            {
                self.rest = "";
                return Some((
                    L::text(Cow::Borrowed(&r[..pos])),
                    lift_list::<L>(forced),
                    L::text(Cow::Borrowed(word)),
                ));
            }
        }
        None
    }

    fn digest(&mut self) -> Option<Digest> {
        let digest = Digest::from_hex(self.rest.get(..64)?.as_bytes())?;
        self.take(64);
        Some(digest)
    }

    fn build_info(&mut self) -> Option<Box<ModInfo<'a>>> {
        let (rest, text) = go_string(self.rest).ok()?;
        self.rest = rest;
        Some(Box::new(match text {
            Cow::Borrowed(t) => L::build_info(parse_modinfo(t)),
            Cow::Owned(t) => parse_modinfo(&t).into_owned(),
        }))
    }

    fn stat(&mut self) -> Option<StatInfo<'a>> {
        let info = stat(self.rest)?;
        self.rest = "";
        Some(L::stat(info))
    }
}

/// `stat = size " " mode " " mtime " " bool`, the whole of `r`.
fn stat(r: &str) -> Option<StatInfo<'_>> {
    let (size, r) = r.split_once(' ')?;
    let (mode, r) = r.split_once(' ')?;
    let (mtime, is_dir) = r.rsplit_once(' ')?;
    Some(StatInfo {
        size: size.parse().ok()?,
        mode: Cow::Borrowed(mode),
        mtime: Cow::Borrowed(mtime),
        is_dir: match is_dir {
            "true" => true,
            "false" => false,
            _ => return None,
        },
    })
}
