//! `testcache:` lines (`GODEBUG=gocachetest=1`): the test-result cache's decisions, one typed
//! event per line, as `(*runCache).tryCacheWithID`, `(*runCache).saveOutput` and
//! `computeTestInputsID` in `cmd/go/internal/test/test.go` print them.

use std::borrow::Cow;

use crate::model::{Digest, TestCacheEvent};

/// Parses the text after `testcache: `.
pub(crate) fn test_cache_event(text: &str) -> TestCacheEvent<'_> {
    parse(text).unwrap_or(TestCacheEvent::Other(Cow::Borrowed(text)))
}

fn parse(text: &str) -> Option<TestCacheEvent<'_>> {
    let b = Cow::Borrowed;
    if text == "caching disabled in local directory mode" {
        return Some(TestCacheEvent::DisabledLocalDirectory);
    }
    if let Some(p) = text
        .strip_prefix("caching disabled for package outside of module root, GOPATH, or GOROOT: ")
    {
        return Some(TestCacheEvent::DisabledOutsideModule { package: b(p) });
    }
    if let Some(arg) = text.strip_prefix("caching disabled for test argument: ") {
        return Some(TestCacheEvent::DisabledByArgument { argument: b(arg) });
    }
    // Every other line is "<importpath>: <message>"; import paths contain no ": ".
    let (package, msg) = text.split_once(": ")?;
    let package = b(package);
    let detail = |prefix: &str| msg.strip_prefix(prefix).map(Cow::Borrowed);
    Some(if let Some(r) = msg.strip_prefix("save test ID ") {
        let (test, inputs, key) = id_chain(r)?;
        TestCacheEvent::Save {
            package,
            test_id: test,
            inputs_id: inputs,
            key,
        }
    } else if let Some(r) = msg.strip_prefix("test ID ") {
        if let Some((test, inputs, key)) = id_chain(r) {
            TestCacheEvent::InputsLookup {
                package,
                test_id: test,
                inputs_id: inputs,
                key,
            }
        } else {
            let (id_hex, result) = r.split_once(" => ")?;
            TestCacheEvent::TestId {
                package,
                binary_id: hex_string(id_hex)?,
                test_id: Digest::from_hex(result.as_bytes())?,
            }
        }
    } else if let Some(d) = detail("input list not found: ") {
        TestCacheEvent::InputListNotFound { package, detail: d }
    } else if msg == "input list malformed" {
        TestCacheEvent::InputListMalformed {
            package,
            detail: None,
        }
    } else if let Some(d) = msg.strip_prefix("input list malformed (") {
        TestCacheEvent::InputListMalformed {
            package,
            detail: Some(b(d.strip_suffix(')').unwrap_or(d))),
        }
    } else if let Some(r) = msg.strip_prefix("input file ") {
        let (path, reason) = r.rsplit_once(": ")?;
        TestCacheEvent::InputFileRejected {
            package,
            path: b(path),
            reason: b(reason),
        }
    } else if let Some(d) = detail("cached cover profile missing: ") {
        TestCacheEvent::CoverProfileMissing { package, detail: d }
    } else if let Some(d) = detail("coverage metadata changed, re-running test: ") {
        TestCacheEvent::CoverageMetadataChanged { package, detail: d }
    } else if let Some(d) = detail("test output not found: ") {
        TestCacheEvent::OutputNotFound { package, detail: d }
    } else if msg == "test output malformed" {
        TestCacheEvent::OutputMalformed { package }
    } else if msg == "test output expired due to go clean -testcache" {
        TestCacheEvent::OutputExpired { package }
    } else if let Some(d) = detail("reading testlog: ") {
        TestCacheEvent::TestlogUnreadable { package, detail: d }
    } else if let Some(d) = detail("reading cover profile: ") {
        TestCacheEvent::CoverProfileUnreadable { package, detail: d }
    } else {
        return None;
    })
}

/// `<hex> => input ID <hex> => <hex>`.
fn id_chain(r: &str) -> Option<(Digest, Digest, Digest)> {
    let (test, r) = r.split_once(" => input ID ")?;
    let (inputs, key) = r.split_once(" => ")?;
    Some((
        Digest::from_hex(test.as_bytes())?,
        Digest::from_hex(inputs.as_bytes())?,
        Digest::from_hex(key.as_bytes())?,
    ))
}

/// `%x` of a string: the hex of its bytes (here a 20-character build-ID half).
fn hex_string(hex: &str) -> Option<Cow<'static, str>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
        .collect();
    String::from_utf8(bytes?).ok().map(Cow::Owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "5a872dd365aa78f2eb02112f05cab73e082927efba608517ff1c665b838c7fb2";

    #[test]
    fn test_id_line_decodes_the_string_hex() {
        let line =
            format!("example.com/a: test ID 46345a4f344d35325f2d494b79386f6b70383943 => {H}");
        match test_cache_event(&line) {
            TestCacheEvent::TestId {
                package,
                binary_id,
                test_id,
            } => {
                assert_eq!(package, "example.com/a");
                assert_eq!(binary_id, "F4ZO4M52_-IKy8okp89C");
                assert_eq!(test_id.to_string(), H);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn chains_and_misses() {
        let save = format!("p: save test ID {H} => input ID {H} => {H}");
        assert!(matches!(
            test_cache_event(&save),
            TestCacheEvent::Save { .. }
        ));
        let lookup = format!("p: test ID {H} => input ID {H} => {H}");
        assert!(matches!(
            test_cache_event(&lookup),
            TestCacheEvent::InputsLookup { .. }
        ));
        assert!(matches!(
            test_cache_event("p: test output not found: cache entry not found"),
            TestCacheEvent::OutputNotFound { .. }
        ));
        assert!(matches!(
            test_cache_event("caching disabled for test argument: -test.count=1"),
            TestCacheEvent::DisabledByArgument { .. }
        ));
        assert!(matches!(
            test_cache_event("p: input file /x/a.txt: file used as input is too new"),
            TestCacheEvent::InputFileRejected { .. }
        ));
        assert!(matches!(
            test_cache_event("something new"),
            TestCacheEvent::Other(_)
        ));
    }
}
