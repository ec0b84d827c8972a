//! Finds where each top-level JSON value ends in a stream of bytes, without parsing it.
//!
//! The go command reads the cache program's answers with a `json.Decoder`, so the program may
//! put several values on one line or spread one over several lines. The proxy forwards the
//! bytes as they come and uses this scanner only to cut out each complete value for its log.

/// Splits a byte stream into top-level JSON values, across reads.
#[derive(Debug, Default)]
pub(super) struct ValueScanner {
    /// The bytes of the value being read.
    current: Vec<u8>,
    /// Nesting depth of objects and arrays in the current value.
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// A top-level number or literal (`true`, `null`, …) is being read.
    in_scalar: bool,
}

impl ValueScanner {
    pub(super) fn new() -> ValueScanner {
        ValueScanner::default()
    }

    /// Feeds the next bytes of the stream; calls `done` with each value completed by them.
    pub(super) fn feed(&mut self, bytes: &[u8], mut done: impl FnMut(&[u8])) {
        let mut start = 0; // of the part of `bytes` that belongs to the current value
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if !self.in_value() {
                // Between values.
                if c.is_ascii_whitespace() {
                    i += 1;
                    start = i;
                    continue;
                }
                match c {
                    b'{' | b'[' => self.depth = 1,
                    b'"' => self.in_string = true,
                    _ => self.in_scalar = true,
                }
                i += 1;
                continue;
            }
            let ended = if self.in_scalar {
                // A scalar ends before whitespace or a structural byte; that byte is not part
                // of it.
                if c.is_ascii_whitespace() || matches!(c, b'{' | b'[' | b'"' | b',' | b']' | b'}') {
                    self.finish(&bytes[start..i], &mut done);
                    start = i;
                    continue;
                }
                false
            } else if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                } else if c == b'"' {
                    self.in_string = false;
                }
                !self.in_string && self.depth == 0
            } else {
                match c {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => self.depth = self.depth.saturating_sub(1),
                    _ => {}
                }
                self.depth == 0
            };
            i += 1;
            if ended {
                self.finish(&bytes[start..i], &mut done);
                start = i;
            }
        }
        if start < bytes.len() {
            self.current.extend_from_slice(&bytes[start..]);
        }
    }

    /// The end of the stream: a scalar still being read is complete. Returns the bytes of a
    /// value cut off by the end, if any.
    pub(super) fn end(&mut self, mut done: impl FnMut(&[u8])) -> Option<Vec<u8>> {
        if self.in_scalar {
            self.finish(&[], &mut done);
            return None;
        }
        if self.current.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.current))
        }
    }

    fn in_value(&self) -> bool {
        self.depth > 0 || self.in_string || self.in_scalar
    }

    fn finish(&mut self, tail: &[u8], done: &mut impl FnMut(&[u8])) {
        self.depth = 0;
        self.in_string = false;
        self.escaped = false;
        self.in_scalar = false;
        if self.current.is_empty() {
            done(tail);
        } else {
            self.current.extend_from_slice(tail);
            let value = std::mem::take(&mut self.current);
            done(&value);
        }
    }
}
