#!/usr/bin/env python3
"""Fails when the top-level modules of core/src depend on each other in a cycle.

One direction between modules (e.g. client -> session -> connection -> publish -> state ->
event) keeps the core readable: a newcomer can read it bottom-up. A module's dependencies are
the `crate::<module>` paths in its code (doc comments, tests and the command table's callback
template, which is expanded in client.rs, do not count); names re-exported at the crate root
count for the module they come from.
"""

import collections
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core", "src")
# Names used as `crate::X` that lib.rs re-exports from a module.
ALIASES = {"Client": "client", "Error": "error", "Result": "error", "ErrorKind": "error", "cmd": "catalogue",
           "RoomState": "state", "EventId": "event", "Tls": "tls"}


def modules():
    mods = {}
    for f in os.listdir(ROOT):
        path = os.path.join(ROOT, f)
        if f.endswith(".rs") and f != "lib.rs":
            mods[f[:-3]] = [path]
        elif os.path.isdir(path):
            mods[f] = [os.path.join(dp, x) for dp, _, fs in os.walk(path) for x in fs if x.endswith(".rs")]
    return mods


def dependencies(mods):
    deps = collections.defaultdict(set)
    for m, files in mods.items():
        for fn in files:
            with open(fn) as fh:
                src = fh.read().split("#[cfg(test)]")[0]
            src = "\n".join(l for l in src.split("\n") if not l.strip().startswith("//"))
            src = src.replace("$crate::Client", "")
            names = re.findall(r"crate::([A-Za-z_]+)", src)
            for group in re.findall(r"use crate::\{([^}]*)\}", src):
                names += re.findall(r"\b([A-Za-z_]+)\b", group)
            for n in names:
                t = ALIASES.get(n, n)
                if t in mods and t != m:
                    deps[m].add(t)
    return deps


def cycles(mods, deps):
    color, stack, found = {}, [], []

    def visit(u):
        color[u] = 1
        stack.append(u)
        for v in sorted(deps.get(u, ())):
            if color.get(v) == 1:
                found.append(stack[stack.index(v):] + [v])
            elif v not in color:
                visit(v)
        color[u] = 2
        stack.pop()

    for m in sorted(mods):
        if m not in color:
            visit(m)
    return found


def main():
    mods = modules()
    found = cycles(mods, dependencies(mods))
    for c in found:
        print("core module cycle: " + " -> ".join(c), file=sys.stderr)
    if not found:
        print(f"core modules: {len(mods)}, no cycle")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
