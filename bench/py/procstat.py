"""What /proc says about this process: context switches per thread (for idle wake-ups)."""
import os
import threading


def switches(pid="self"):
    out = {}
    base = f"/proc/{pid}/task"
    for tid in os.listdir(base):
        try:
            with open(f"{base}/{tid}/status") as f:
                text = f.read()
        except OSError:
            continue
        name, total = "", 0
        for line in text.splitlines():
            if line.startswith("Name:"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("voluntary_ctxt_switches:") or line.startswith("nonvoluntary_ctxt_switches:"):
                total += int(line.split(":", 1)[1])
        out[f"{tid} {name}"] = total
    return out


def idle_result(name, group, client, seconds, sleep):
    """Sleeps `seconds` with `sleep` and counts the process's context switches meanwhile,
    leaving out the calling thread, whose own sleep is the measurement."""
    main = str(threading.get_native_id())
    before = switches()
    sleep(seconds)
    after = switches()
    per_thread, total = {}, 0
    for k, v in after.items():
        d = v - before.get(k, 0)
        if k.split(" ")[0] == main:
            continue
        total += d
        if d:
            per_thread[k] = d
    return {
        "name": name, "group": group, "client": client, "p50_us": None, "p99_us": None,
        "per_s": round(total / seconds, 2), "wakeups_per_s": round(total / seconds, 2), "switches": total,
        "seconds": seconds, "threads": len(after), "per_thread": per_thread, "metric": "wakeups_per_s",
    }


def summary(samples_us):
    v = sorted(samples_us)
    n = len(v)

    def pct(p):
        if not n:
            return 0.0
        rank = max(1, min(n, int(-(-p * n // 100))))
        return v[rank - 1]

    mean = sum(v) / n if n else 0.0
    return {
        "n": n, "p50_us": round(pct(50), 2), "p90_us": round(pct(90), 2), "p99_us": round(pct(99), 2),
        "min_us": round(v[0], 2) if n else 0.0, "max_us": round(v[-1], 2) if n else 0.0,
        "mean_us": round(mean, 2), "per_s": round(1e6 / mean, 2) if mean else 0.0,
    }


def write_samples(path, samples_us):
    if not path:
        return None
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        for s in samples_us:
            f.write(f"{s:.2f}\n")
    return path
