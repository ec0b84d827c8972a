//! Protocol edge cases against a fake cache program (a thread speaking the protocol over OS
//! pipes); the real `go` runs through the proxy in tests/cli/cacheprog.rs.
