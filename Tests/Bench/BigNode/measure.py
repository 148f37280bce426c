# The big-view bench: one dashboard binary against fake_node.py, in a 120x40 tmux pane. Reports CPU
# (utime+stime of the whole process over the window, % of one core), RSS (VmRSS), and key latency:
# through tmux (send-keys until the screen shows the new screen, 10 ms polls) and inside the
# dashboard (SHARDTOP_KEY_TIMES, read to frame on screen).
# Usage: python3 measure.py BINARY PORT [warm-up s] [window s]

import subprocess, sys, time, os, statistics, uuid
binary, port = sys.argv[1], sys.argv[2]
warm = float(sys.argv[3]) if len(sys.argv) > 3 else 10
window = float(sys.argv[4]) if len(sys.argv) > 4 else 30
name = "bnmeasure-" + uuid.uuid4().hex[:8]
times = f"/tmp/keytimes-{name}"
def tm(*a, out=False):
    r = subprocess.run(["tmux", "-L", name] + list(a), capture_output=True, text=True)
    return r.stdout
tm("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "env", "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
   f"SHARDTOP_KEY_TIMES={times}", "bash", "-c", f"{binary} 127.0.0.1:{port} --interval 1; echo EXITED=$?; sleep 30")
def cap(): return tm("capture-pane", "-p", "-t", name)
t0 = time.time()
while "5000 nodes" not in cap():
    if time.time() - t0 > 120: print("never showed 5000 nodes"); print(cap()); sys.exit(1)
    time.sleep(0.2)
first = time.time() - t0
panepid = int(tm("display-message", "-p", "-t", name, "#{pane_pid}").strip())
pid = int(subprocess.run(["pgrep", "-P", str(panepid)], capture_output=True, text=True).stdout.split()[0])
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
def rss():
    for l in open(f"/proc/{pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1]) / 1024
    return 0
time.sleep(warm)
c0, w0 = cpu(), time.time(); peak = 0
while time.time() - w0 < window:
    peak = max(peak, rss()); time.sleep(1)
c1, w1 = cpu(), time.time()
idle_cpu = (c1 - c0) / (w1 - w0) * 100
# keys
lat = []
seq = [("2", "sorted by"), ("1", "WORST LAG"), ("5", "highlighted:"), ("1", "WORST LAG")] * 3
for key, marker in seq:
    s = time.time(); tm("send-keys", "-t", name, key)
    while marker not in cap():
        if time.time() - s > 10: break
        time.sleep(0.01)
    lat.append((time.time() - s) * 1000)
print(f"first frame with 5000 nodes after {first:.1f} s")
print(f"idle CPU {idle_cpu:.1f} % of a core over {w1-w0:.0f} s; RSS peak {peak:.1f} MiB, end {rss():.1f} MiB")
print(f"key latency through tmux: median {statistics.median(lat):.0f} ms, max {max(lat):.0f} ms, all {[round(x) for x in lat]}")
if os.path.exists(times):
    ins = [float(l.split()[0]) for l in open(times) if l.strip()]
    print(f"key latency inside: median {statistics.median(ins):.2f} ms, max {max(ins):.2f} ms over {len(ins)} keys")
tm("send-keys", "-t", name, "q"); time.sleep(2); tm("kill-server")
