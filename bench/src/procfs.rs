//! What /proc says about a process: resident memory, threads, context switches.

use std::collections::BTreeMap;

fn status_field(text: &str, key: &str) -> Option<u64> {
    text.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l[key.len()..].split_whitespace().next())
        .and_then(|n| n.parse().ok())
}

fn proc_dir(pid: Option<u32>) -> String {
    match pid {
        Some(p) => format!("/proc/{p}"),
        None => "/proc/self".to_owned(),
    }
}

/// VmRSS in KiB.
pub fn rss_kb(pid: Option<u32>) -> u64 {
    let text = std::fs::read_to_string(format!("{}/status", proc_dir(pid))).unwrap_or_default();
    status_field(&text, "VmRSS:").unwrap_or(0)
}

/// Peak VmHWM in KiB.
#[allow(dead_code)]
pub fn hwm_kb(pid: Option<u32>) -> u64 {
    let text = std::fs::read_to_string(format!("{}/status", proc_dir(pid))).unwrap_or_default();
    status_field(&text, "VmHWM:").unwrap_or(0)
}

/// Number of threads (entries of /proc/PID/task).
pub fn threads(pid: Option<u32>) -> usize {
    std::fs::read_dir(format!("{}/task", proc_dir(pid))).map(|d| d.count()).unwrap_or(0)
}

/// Context switches (voluntary + involuntary) per thread, keyed by "tid name".
pub fn switches(pid: Option<u32>) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    let dir = format!("{}/task", proc_dir(pid));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for e in entries.flatten() {
        let tid = e.file_name().to_string_lossy().into_owned();
        let Ok(text) = std::fs::read_to_string(e.path().join("status")) else {
            continue;
        };
        let name = text.lines().find_map(|l| l.strip_prefix("Name:")).map(|s| s.trim().to_owned()).unwrap_or_default();
        let v = status_field(&text, "voluntary_ctxt_switches:").unwrap_or(0);
        let n = status_field(&text, "nonvoluntary_ctxt_switches:").unwrap_or(0);
        out.insert(format!("{tid} {name}"), v + n);
    }
    out
}

/// Switches between two snapshots, per thread (threads born in between count from 0).
pub fn delta(before: &BTreeMap<String, u64>, after: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    after.iter().map(|(k, a)| (k.clone(), a.saturating_sub(before.get(k).copied().unwrap_or(0)))).collect()
}
