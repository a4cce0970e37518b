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

/// Peak resident set size of this process so far, in KiB: `VmHWM` of `/proc/self/status`,
/// which starts afresh at `exec` (unlike `getrusage`'s `ru_maxrss`, which keeps the peak of the
/// process that forked and exec'd it, e.g. cargo's); `ru_maxrss` where there is no `/proc`.
pub fn peak_kib() -> i64 {
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        });
    if let Some(kib) = hwm {
        return kib;
    }
    // SAFETY: `usage` is a valid, writable rusage; RUSAGE_SELF is always accepted.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    usage.ru_maxrss
}
