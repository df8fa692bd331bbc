"""Runs a command and prints its wall time and the peak resident memory of its whole process tree
(sampled every 0.2 s from /proc; a JVM that Spark starts counts), then exits with its code.

    python scale-out-peak.py RESULT_FILE COMMAND [ARGS...]

The figures go to RESULT_FILE (the command's own output is left alone).
"""
import os
import subprocess
import sys
import time


def tree_rss_kib(root):
    children = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(pid))
        except (OSError, ValueError, IndexError):
            pass
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def main():
    t0 = time.time()
    result, command = sys.argv[1], sys.argv[2:]
    p = subprocess.Popen(command)
    peak = 0
    while p.poll() is None:
        peak = max(peak, tree_rss_kib(p.pid))
        time.sleep(0.2)
    wall = time.time() - t0
    with open(result, "w") as f:
        f.write(f"{wall:.1f} s, peak {peak / 1024:.0f} MiB\n")
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
