"""`python benchmarks/launch.py OUT ARGV...`: run ARGV and write its wait4 rusage to OUT as JSON.

The benchmark measures programs through this small launcher rather than directly: on Linux a
process starts with the peak RSS of the process that forked it (the kernel carries it over fork
and exec), so a program started by the benchmark process would report at least the benchmark's
own size. The launcher imports almost nothing; its few MB are the floor of every figure.
"""

import json
import os
import sys

out, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as handle:
    json.dump({"status": os.waitstatus_to_exitcode(status), "utime": usage.ru_utime,
               "stime": usage.ru_stime, "maxrss_kb": usage.ru_maxrss}, handle)
sys.exit(0)
