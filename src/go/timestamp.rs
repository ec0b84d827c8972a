//! Times as whymiss writes them (a capture's `time:`, a side's start, a scenario's dates):
//! RFC 3339 in UTC, to the second.

use std::time::SystemTime;

/// `2026-11-21T18:20:05Z`.
pub(crate) fn rfc3339_utc(time: SystemTime) -> String {
    jiff::Timestamp::try_from(time)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_795_285_205);
        assert_eq!(rfc3339_utc(t), "2026-11-21T18:20:05Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(rfc3339_utc(leap), "2000-02-29T00:00:00Z");
        let subsecond = t + Duration::from_millis(999);
        assert_eq!(rfc3339_utc(subsecond), "2026-11-21T18:20:05Z");
    }
}
