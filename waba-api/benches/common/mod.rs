//! Helpers shared by the bench binaries.

#![allow(dead_code)] // each bench binary uses a different part

/// Median, min, max.
pub fn stats(v: &[f64]) -> (f64, f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    let median = if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    };
    (median, s[0], s[n - 1])
}

/// Peak resident set size of this process so far, in KiB.
pub fn peak_kib() -> i64 {
    // SAFETY: `usage` is a valid, writable rusage; RUSAGE_SELF is always accepted.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    usage.ru_maxrss
}
