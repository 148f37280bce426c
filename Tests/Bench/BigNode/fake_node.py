# A fake cluster node for the big-view bench: its CLUSTER NODES has N lines (itself, then N-1 nodes at
# 127.0.x.y on its own port, which only 127.0.0.1 listens on, so each refuses at once). Prints its port.
# Usage: python3 fake_node.py 5000 [port]
import asyncio, sys, hashlib
N = int(sys.argv[1]); PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 0
mode = sys.argv[3] if len(sys.argv) > 3 else "dead"
def nid(i): return hashlib.sha1(str(i).encode()).hexdigest()
def build(port):
    lines = []
    prim = N // 2
    per = 16384 // prim
    for i in range(N):
        if i == 0:
            addr = f"127.0.0.1:{port}@{port+10000}"; flags = "myself,master"
        else:
            addr = f"127.0.{1 + i // 250}.{1 + i % 250}:{port}@{port+10000}"; flags = "master" if i < prim else "slave"
            if mode == "fail": flags += ",fail"
        if i < prim:
            lo = i * per; hi = 16383 if i == prim - 1 else lo + per - 1
            lines.append(f"{nid(i)} {addr} {flags} - 0 0 {i+1} connected {lo}-{hi}")
        else:
            lines.append(f"{nid(i)} {addr} {flags} {nid(i - prim)} 0 0 {i - prim + 1} connected")
    return "\n".join(lines) + "\n"
INFO = "# Server\r\nredis_version:7.0.15\r\nrole:master\r\nconnected_clients:1\r\nused_memory:1000000\r\ninstantaneous_ops_per_sec:0\r\nmaster_repl_offset:0\r\n"
CINFO = f"cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_known_nodes:{N}\r\ncluster_current_epoch:{N}\r\n"
def bulk(s): b = s.encode(); return b"$%d\r\n%s\r\n" % (len(b), b)
async def handle(reader, writer):
    port = writer.get_extra_info("sockname")[1]
    nodes = build(port)
    try:
        while True:
            line = await reader.readline()
            if not line: break
            if not line.startswith(b"*"): continue
            n = int(line[1:]); args = []
            for _ in range(n):
                l = await reader.readline(); ln = int(l[1:]); d = await reader.readexactly(ln + 2); args.append(d[:-2].decode())
            c = [a.upper() for a in args]
            if c[:2] == ["CLUSTER", "NODES"]: writer.write(bulk(nodes))
            elif c[:2] == ["CLUSTER", "INFO"]: writer.write(bulk(CINFO))
            elif c[0] == "INFO": writer.write(bulk(INFO))
            elif c[0] == "PING": writer.write(b"+PONG\r\n")
            else: writer.write(b"+OK\r\n")
            await writer.drain()
    except Exception: pass
    writer.close()
async def main():
    srv = await asyncio.start_server(handle, "127.0.0.1", PORT)
    print(srv.sockets[0].getsockname()[1], flush=True)
    await srv.serve_forever()
asyncio.run(main())
