"""Collects the result lines of one bench run into results.json, prints the table, plots the
latency distributions.

    report.py LINES_FILE OUT_DIR

LINES_FILE holds one JSON object per line, as the measuring programs printed them (several
rounds of a measurement share a `name`: their raw samples are merged and the percentiles
recomputed). `ratio` compares each row with the floor of its group measured in the same run:
p50 / floor p50 for round trips (lower is better), per_s / floor per_s for throughput and
events (higher is better), client memory / floor client memory for scale.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import procstat  # noqa: E402

OURS = {"core", "core-raw", "core-tasks", "c", "c-cb", "c-json", "py-sync", "py-async"}
RTT_TARGET = {"core": 1.3, "core-raw": 1.3, "c": 1.5, "c-cb": 1.3, "c-json": 1.5, "py-sync": 2.5, "py-async": 2.5}


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return rows


def read_samples(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    out.append(float(line))
    except OSError:
        pass
    return out


def merge(rows):
    """Rows sharing a name (rounds of one measurement) become one."""
    order, by_name = [], {}
    for r in rows:
        n = r.get("name")
        if n not in by_name:
            order.append(n)
            by_name[n] = []
        by_name[n].append(r)
    out = []
    for n in order:
        group = by_name[n]
        if len(group) == 1:
            r = dict(group[0])
            if r.get("samples"):
                r["samples_files"] = [r["samples"]]
            out.append(r)
            continue
        r = dict(group[-1])
        files = [g["samples"] for g in group if g.get("samples")]
        if files and not any(g.get("skipped") for g in group):
            samples = []
            for p in files:
                samples.extend(read_samples(p))
            if r.get("group", "").startswith("throughput"):
                # per_s is a rate per round: average the rounds' rates.
                per_s = sum(g.get("per_s") or 0 for g in group) / len(group)
                r.update(procstat.summary(samples))
                r["per_s"] = round(per_s, 2)
            else:
                r.update(procstat.summary(samples))
            r["samples_files"] = files
            r["rounds"] = len(group)
        out.append(r)
    return out


def floor_of(rows, group):
    for r in rows:
        if r.get("group") == group and r.get("client") == "floor" and not r.get("skipped"):
            return r
    return None


def vendor_of(rows, group):
    for r in rows:
        if r.get("group") == group and r.get("client") == "vendor" and not r.get("skipped"):
            return r
    return None


def annotate(rows):
    for r in rows:
        g, c = r.get("group", ""), r.get("client", "")
        r.setdefault("ratio", None)
        if r.get("skipped"):
            r["met"] = None
            continue
        fl = floor_of(rows, g)
        if g.startswith("rtt/"):
            if fl and fl.get("p50_us"):
                r["ratio"] = round(r["p50_us"] / fl["p50_us"], 3)
            if c in RTT_TARGET:
                r["target"] = f"p50 <= {RTT_TARGET[c]}x floor"
                ok = r["ratio"] is not None and r["ratio"] <= RTT_TARGET[c]
                v = vendor_of(rows, g)
                if v and r.get("p50_us"):
                    r["vs_vendor"] = round(v["p50_us"] / r["p50_us"], 1)
                    r["target"] += "; >= 100x faster than vendor"
                    ok = ok and r["vs_vendor"] >= 100
                r["met"] = ok
        elif g.startswith("throughput/"):
            if fl and fl.get("per_s"):
                r["ratio"] = round(r["per_s"] / fl["per_s"], 3)
            if g == "throughput/100" and c in OURS:
                r["target"] = ">= 0.5x floor per_s"
                r["met"] = r["ratio"] is not None and r["ratio"] >= 0.5
        elif g.startswith("events"):
            if fl and fl.get("per_s"):
                r["ratio"] = round(r["per_s"] / fl["per_s"], 3)
            # A subscribe() stream is bounded by design (it reports Lagged): informational.
            if c == "core":
                # connect_subscribed's stream is unbounded: nothing may go missing.
                r["target"] = "none lost"
                r["met"] = r.get("lost", 0) == 0 and r.get("received", 0) == r.get("sent", -1)
            elif c not in ("floor", "core-subscribe"):
                # The C and Python queues are bounded (event_capacity): a reader slower than the
                # flood loses the oldest events, and every one lost must be reported (eventsLost).
                r["target"] = "every loss reported"
                r["met"] = (
                    r.get("received", 0) + r.get("lost", 0) == r.get("sent", -1)
                    and r.get("reported_lost", r.get("lost", 0)) == r.get("lost", 0)
                )
        elif g == "state":
            # The floor sees the notification frame; the core its event, and watch() a new snapshot.
            if fl and fl.get("p50_us"):
                r["ratio"] = round(r["p50_us"] / fl["p50_us"], 3)
        elif g == "frames":
            if fl and fl.get("per_s"):
                r["ratio"] = round(r["per_s"] / fl["per_s"], 3)
        elif g.startswith("scale/"):
            if fl and fl.get("client_mem_mb"):
                r["ratio"] = round(r["client_mem_mb"] / fl["client_mem_mb"], 3)
            if c == "core":
                r["target"] = "< 64 MB, threads flat, all connected < 3 s"
                r["met"] = (
                    r.get("client_mem_mb", 1e9) < 64
                    and r.get("threads_connected") == r.get("threads_at_10")
                    and r.get("connect_all_ms", 1e9) < 3000
                    and r.get("failures", 1) == 0
                )
        elif g == "idle":
            if c in OURS:
                # The 5 s keep-alive ping (on by default since issue 10) costs a fraction of one.
                r["target"] = "<= 1 wake-up/s (the default 5 s keep-alive)"
                r["met"] = r.get("wakeups_per_s") is not None and r.get("wakeups_per_s") <= 1
    return rows


def fmt(x, digits=1):
    if x is None:
        return "-"
    if isinstance(x, float):
        if x >= 1e5:
            return f"{x:,.0f}"
        return f"{x:,.{digits}f}"
    return str(x)


def table(rows):
    head = ["name", "p50_us", "p99_us", "per_s", "ratio", "extra", "met"]
    lines = []
    for r in rows:
        if r.get("skipped"):
            extra = f"SKIPPED: {r['skipped']}"
        elif r.get("group", "").startswith("scale/"):
            extra = (f"mem {fmt(r.get('client_mem_mb'))} MB ({fmt(r.get('mem_per_session_kb'))} KB/session), "
                     f"threads {r.get('threads_at_10')}->{r.get('threads_connected')}, "
                     f"connect all {fmt(r.get('connect_all_ms'))} ms, drive all {fmt(r.get('drive_all_getAppState_ms'))} ms, "
                     f"create all {fmt(r.get('create_all_ms'))} ms")
        elif r.get("group") == "events":
            extra = f"{r.get('received')}/{r.get('sent')} received, lost {r.get('lost')}"
        elif r.get("group") == "idle":
            extra = f"{fmt(r.get('wakeups_per_s'), 2)} wake-ups/s over {fmt(r.get('seconds'))} s, {r.get('threads')} threads"
        elif r.get("vs_vendor") is not None:
            extra = f"{fmt(r['vs_vendor'])}x faster than vendor"
        elif r.get("inflight") is not None and r.get("note") is None:
            extra = f"errors {r.get('errors', 0)}"
        elif r.get("note"):
            extra = r["note"]
        else:
            extra = ""
        met = {True: "yes", False: "NO", None: ""}.get(r.get("met"), "")
        lines.append([r.get("name", "?"), fmt(r.get("p50_us")), fmt(r.get("p99_us")), fmt(r.get("per_s")),
                      fmt(r.get("ratio"), 2), extra, met])
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    widths[5] = min(widths[5], 100)
    out = []

    def row(cells):
        return "  ".join(
            (str(c)[: widths[i]]).ljust(widths[i]) if i in (0, 5) else str(c).rjust(widths[i])
            for i, c in enumerate(cells)
        )

    out.append(row(head))
    out.append("  ".join("-" * w for w in widths))
    for cells in lines:
        out.append(row(cells))
    return "\n".join(out)


def plot(rows, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: matplotlib not available, no plot", file=sys.stderr)
        return False
    groups = [g for g in ("rtt/getAppState", "rtt/createConference", "throughput/100")
              if any(r.get("group") == g and r.get("samples_files") for r in rows)]
    if not groups:
        return False
    fig, axes = plt.subplots(len(groups), 1, figsize=(10, 4.2 * len(groups)))
    if len(groups) == 1:
        axes = [axes]
    for ax, g in zip(axes, groups):
        for r in rows:
            if r.get("group") != g or not r.get("samples_files"):
                continue
            s = []
            for p in r["samples_files"]:
                s.extend(read_samples(p))
            s = sorted(x for x in s if x > 0)
            if not s:
                continue
            ys = [(i + 1) / len(s) for i in range(len(s))]
            name = r.get("name", "")
            short = name.split(" in flight ", 1)[1] if " in flight " in name else name.split(" ", 2)[-1]
            label = f"{short} (p50 {fmt(r.get('p50_us'))} us)"
            ax.plot(s, ys, label=label, lw=1.4)
        ax.set_xscale("log")
        ax.set_xlabel("latency, microseconds (log)")
        ax.set_ylabel("fraction of requests")
        ax.set_title(f"{g}: cumulative latency distribution" + (" (100 in flight, one connection)" if g.startswith("throughput") else ""))
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def main():
    lines_file, out_dir = sys.argv[1], sys.argv[2]
    rows = annotate(merge(load(lines_file)))
    results = []
    for r in rows:
        o = {"name": r.get("name"), "p50_us": r.get("p50_us"), "p99_us": r.get("p99_us"),
             "per_s": r.get("per_s"), "ratio": r.get("ratio")}
        for k, v in r.items():
            if k not in o and k != "samples":
                o[k] = v
        results.append(o)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(table(rows))
    if plot(rows, os.path.join(out_dir, "latency.png")):
        print(f"\nplot: {os.path.join(out_dir, 'latency.png')}")
    print(f"results: {os.path.join(out_dir, 'results.json')}")
    missed = [r["name"] for r in rows if r.get("met") is False]
    if missed:
        print("\ntargets missed:\n  " + "\n  ".join(missed))


if __name__ == "__main__":
    main()
