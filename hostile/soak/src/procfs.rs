//! What the process holds, from /proc/self: threads, open descriptors, resident memory.

#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub threads: u64,
    pub fds: u64,
    pub rss_kb: u64,
    /// Tasks alive on the soak's own tokio runtime (the emulator's and the Rust clients').
    pub tasks: usize,
}

fn status_field(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

pub fn sample() -> Sample {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let fds = std::fs::read_dir("/proc/self/fd").map(|d| d.count() as u64).unwrap_or(0);
    let tasks = tokio::runtime::Handle::try_current().map(|h| h.metrics().num_alive_tasks()).unwrap_or(0);
    Sample { threads: status_field(&status, "Threads:"), fds, rss_kb: status_field(&status, "VmRSS:"), tasks }
}
