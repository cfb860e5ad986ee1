"""Benchmark: rule-anomaly analysis of one large ASA access list, at 5k / 10k / 20k rules.

Writes a realistic ASA configuration (network objects and object-groups of hosts and subnets,
service groups with port ranges, remarks, deny rules, IPv6 and ICMP rules, and some genuine
shadowing, redundancy and multi-rule coverage), parses it with the real ASA parser, and times
``analyse_filter`` on the one big filter: wall time (``time.perf_counter``) and peak Python
memory (``tracemalloc``; CUDD's own tables are outside it, so the process peak RSS is printed too).

    .venv/bin/python benchmarks/anomaly_benchmark.py                  # 5k, 10k, 20k with dd.cudd
    .venv/bin/python benchmarks/anomaly_benchmark.py --sizes 5000 --backend autoref
    .venv/bin/python benchmarks/anomaly_benchmark.py --sizes 5000 --order src-first

No assertion on time: this prints figures for benchmarks/README.md, it is not a test.
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from netaudit.analysis.anomalies import analyse_filter  # noqa: E402
from netaudit.headerspace import BACKEND, DEFAULT_ORDER, HeaderSpace  # noqa: E402
from netaudit.model import Filter  # noqa: E402
from netaudit.parsers.asa import AsaParser  # noqa: E402
from netaudit.parsers.base import SourceFile  # noqa: E402

ACL = "OUTSIDE_IN"

# Variable orders compared in the README (the fields not named keep their default place).
ORDERS: dict[str, tuple[str, ...]] = {
    "default": DEFAULT_ORDER,
    "src-first": ("version", "src4", "dst4", "src6", "dst6", "protocol", "dst_port", "src_port",
                  "icmp_type", "icmp_code", "established", "src_zone", "dst_zone"),
    "service-first": ("version", "protocol", "dst_port", "src_port", "icmp_type", "icmp_code", "established",
                      "dst4", "src4", "dst6", "src6", "src_zone", "dst_zone"),
    "service-between": ("version", "dst4", "dst6", "protocol", "dst_port", "src_port", "icmp_type", "icmp_code",
                        "established", "src4", "src6", "src_zone", "dst_zone"),
}

TCP_PORTS = [22, 25, 53, 80, 110, 143, 389, 443, 445, 636, 1433, 1521, 3306, 3389, 5432, 8080, 8443, 9090]
UDP_NAMES = ["domain", "ntp", "snmp", "syslog", "tftp"]


class _Generator:
    """A deterministic ASA configuration shaped like a large insurer's Internet-edge ACL."""

    def __init__(self, rules: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rules = rules
        self.lines: list[str] = []
        self.acl: list[str] = []
        self.written: list[str] = []  # ACE texts written so far (to copy for real anomalies)
        self.hosts: list[str] = []
        self.groups: list[str] = []
        self.port_groups: list[str] = []

    def host(self) -> str:
        rng = self.rng
        return f"10.{rng.randrange(64)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"

    def subnet(self, prefix: int = 24) -> tuple[str, str]:
        rng = self.rng
        if prefix == 16:
            return f"10.{rng.randrange(64)}.0.0", "255.255.0.0"
        if prefix == 25:
            return f"10.{rng.randrange(64)}.{rng.randrange(256)}.{rng.choice((0, 128))}", "255.255.255.128"
        return f"10.{rng.randrange(64)}.{rng.randrange(256)}.0", "255.255.255.0"

    def objects(self) -> None:
        rng = self.rng
        for i in range(max(50, self.rules // 4)):
            name = f"H-{i:05d}"
            self.lines += [f"object network {name}", f" host {self.host()}"]
            self.hosts.append(name)
        for i in range(max(20, self.rules // 20)):
            name = f"G-{i:04d}"
            self.lines.append(f"object-group network {name}")
            for _ in range(rng.randint(2, 24)):
                kind = rng.random()
                if kind < 0.55:
                    self.lines.append(f" network-object object {rng.choice(self.hosts)}")
                elif kind < 0.75:
                    self.lines.append(f" network-object host {self.host()}")
                else:
                    self.lines.append(" network-object {} {}".format(*self.subnet(rng.choice((24, 25)))))
            if self.groups and rng.random() < 0.15:
                self.lines.append(f" group-object {rng.choice(self.groups)}")
            self.groups.append(name)
        for i in range(max(10, self.rules // 200)):
            name = f"SVC-{i:03d}"
            self.lines.append(f"object-group service {name} tcp")
            for _ in range(rng.randint(1, 6)):
                if rng.random() < 0.7:
                    self.lines.append(f" port-object eq {rng.choice(TCP_PORTS)}")
                else:
                    low = rng.randrange(1024, 60000)
                    self.lines.append(f" port-object range {low} {low + rng.randrange(1, 2000)}")
            self.port_groups.append(name)

    def address(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.35:
            return f"object-group {rng.choice(self.groups)}"
        if kind < 0.55:
            return f"object {rng.choice(self.hosts)}"
        if kind < 0.8:
            return f"host {self.host()}"
        if kind < 0.97:
            return "{} {}".format(*self.subnet(rng.choice((24, 24, 25))))
        return "{} {}".format(*self.subnet(16))

    def tcp_ports(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.5:
            return f"eq {rng.choice(TCP_PORTS)}"
        if kind < 0.75:
            return f"object-group {rng.choice(self.port_groups)}"
        if kind < 0.9:
            low = rng.randrange(1024, 60000)
            return f"range {low} {low + rng.randrange(1, 5000)}"
        return rng.choice(("gt 1023", "lt 1024", "neq 23"))

    def ace(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.62:
            return f"permit tcp {self.address()} {self.address()} {self.tcp_ports()}"
        if kind < 0.72:
            return f"permit udp {self.address()} {self.address()} eq {rng.choice(UDP_NAMES)}"
        if kind < 0.76:
            return f"permit ip {self.address()} {self.address()}"
        if kind < 0.79:
            return f"permit icmp {self.address()} {self.address()} echo"
        if kind < 0.82:
            net = f"2001:db8:{rng.randrange(4096):x}:{rng.randrange(4096):x}::/64"
            return f"permit tcp any6 {net} eq {rng.choice((443, 80, 22))}"
        if kind < 0.88:
            return rng.choice((
                f"deny tcp any host {self.host()} eq {rng.choice((445, 3389, 23))}",
                f"deny ip host {self.host()} any",
                f"deny tcp {self.address()} {self.address()} {self.tcp_ports()}",
            ))
        if kind < 0.92 and self.written:  # an exact copy of an earlier rule: redundant
            return rng.choice(self.written)
        if kind < 0.95 and self.written:  # the opposite of an earlier rule: shadowed
            text = rng.choice(self.written)
            return text.replace("permit", "deny", 1) if text.startswith("permit") else text.replace("deny", "permit", 1)
        if kind < 0.97:  # two halves, then the whole: covered only by their union
            net, _ = self.subnet(24)
            base = net.rsplit(".", 1)[0]
            dst, port = self.host(), rng.choice(TCP_PORTS)
            self.acl.append(f"access-list {ACL} extended permit tcp {base}.0 255.255.255.128 host {dst} eq {port}")
            self.acl.append(f"access-list {ACL} extended permit tcp {base}.128 255.255.255.128 host {dst} eq {port}")
            return f"{rng.choice(('permit', 'deny'))} tcp {base}.0 255.255.255.0 host {dst} eq {port}"
        return f"permit tcp {self.address()} any eq {rng.choice((80, 443))}"

    def access_list(self) -> None:
        rng = self.rng
        remarks = 0
        while len(self.acl) - remarks < self.rules - 1:
            if rng.random() < 0.3:
                remarks += 1
                self.acl.append(f"access-list {ACL} remark CHG-2025-{rng.randrange(10000):04d} requested by app team")
            text = self.ace()
            self.written.append(text)
            self.acl.append(f"access-list {ACL} extended {text}")
        self.acl.append(f"access-list {ACL} extended deny ip any any log")

    def config(self) -> str:
        self.lines += ["ASA Version 9.12(4)", "hostname fw-bench", "interface GigabitEthernet0/0", " nameif outside",
                       " security-level 0", " ip address 203.0.113.1 255.255.255.0"]
        self.objects()
        self.access_list()
        return "\n".join([*self.lines, *self.acl, f"access-group {ACL} in interface outside", ": end", ""])


def build_filter(rules: int, seed: int = 20251124) -> Filter:
    """The benchmark filter: an ASA config with about ``rules`` ACL lines, parsed by AsaParser."""
    text = _Generator(rules, seed).config()
    device = AsaParser().parse(SourceFile("bench.cfg", text.splitlines()))
    return device.filters[ACL]


def measure(acl: Filter, backend: str, order: str, repeat: int) -> tuple[float, float, float, Counter[str]]:
    """Wall and CPU seconds of a fresh analysis (a new header space: nothing cached), the best of
    ``repeat`` runs (other processes share the 2 cores), and the peak MiB of Python objects in
    one more run under tracemalloc (which slows it down, so it is not timed)."""
    runs = []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        anomalies = analyse_filter(HeaderSpace(backend=backend, field_order=ORDERS[order]), acl, None)
        # The analysis pauses the cycle collector; the young-generation pass it then owes would run
        # at the caller's next allocation. It belongs to the analysis: run it inside the timing.
        gc.collect(0)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    tracemalloc.start()
    analyse_filter(HeaderSpace(backend=backend, field_order=ORDERS[order]), acl, None)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    wall, cpu = min(runs)
    return wall, cpu, peak / 2**20, Counter(a.kind for a in anomalies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000])
    parser.add_argument("--backend", choices=("cudd", "autoref"), default=BACKEND)
    parser.add_argument("--order", choices=sorted(ORDERS), default="default")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is shown")
    args = parser.parse_args()
    print(f"BDD backend: dd.{args.backend} (dd.cudd importable: {BACKEND == 'cudd'}), variable order: {args.order}")
    print(f"{'rules':>7} {'parse s':>8} {'analyse s':>10} {'cpu s':>6} {'py MiB':>7} {'RSS MiB':>8}  anomalies")
    for size in args.sizes:
        start = time.perf_counter()
        acl = build_filter(size)
        parse_seconds = time.perf_counter() - start
        wall, cpu, peak, kinds = measure(acl, args.backend, args.order, args.repeat)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        found = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        print(f"{len(acl.rules):>7} {parse_seconds:>8.2f} {wall:>10.2f} {cpu:>6.2f} {peak:>7.1f} {rss:>8.0f}  {found}", flush=True)


if __name__ == "__main__":
    main()
