"""Load on `dyads serve`: many concurrent clients on the events and dyad-series endpoints of a large store.

    .venv/bin/python bench/load.py [--events 100000] [--clients 100] [--seconds 60] [--think S]
                                   [--cache-mb MB] [--workers N] [--markdown FILE]

Builds a synthetic store (events drawn at random over countries, types, dates and places: no NLP),
starts `dyads serve --cache-mb MB [--workers N]` on it (processes apart from this one) on 127.0.0.1,
and runs the clients from this one,
bounded in time: each client one keep-alive HTTP/1.1 connection and one request at a time, on a lean asyncio
client of its own (the clients share the machine's cores with the server, so what they spend is taken
from it). Without --think each client asks again as soon as it is answered (saturation); with --think S it
pauses a random 0 to 2 S seconds between requests, as people at a page do, and arrives within such a
pause of the start (not all 100 at the same instant, a burst no page sees). Prints requests/s, p50/p90/p99
latency and errors per endpoint, with the machine's load average over the run's last minute; with
--markdown, also appends a table to that file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pyarrow as pa

from dyads.store import EVENT_COLUMNS, EVENTS_ARROW, Store

COUNTRIES = "NER MLI BFA TCD FRA USA RUS CHN NGA SEN DZA MAR EGY SDN ETH KEN UKR TUR IRN ISR".split()
SECTORS = ["GOV", "MIL", "CVL", "REB", "COP", None]
TYPES = {  # PLOVER type: (CAMEO, quad, Goldstein)
    "AGREE": ("057", 1, 8.0), "CONSULT": ("040", 1, 1.0), "SUPPORT": ("051", 1, 3.4),
    "AID": ("070", 2, 7.0), "ACCUSE": ("112", 3, -2.0), "THREATEN": ("130", 3, -4.4),
    "PROTEST": ("141", 3, -6.5), "SANCTION": ("163", 4, -8.0), "ASSAULT": ("180", 4, -9.0),
    "FIGHT": ("190", 4, -10.0),
}  # fmt: skip
PLACES = [
    ("Niamey", "NER", 13.51, 2.11), ("Bamako", "MLI", 12.65, -8.0), ("Paris", "FRA", 48.85, 2.35),
    ("Moscow", "RUS", 55.75, 37.62), ("Dakar", "SEN", 14.69, -17.44), (None, None, None, None),
]  # fmt: skip
FACTUALITY = ["asserted"] * 8 + ["claimed", "future"]
TIMEOUT = 30.0  # seconds a request may take before it counts as an error
# what a request that failed raises: refused or reset, timed out, cut short, or an answer that is not HTTP
FAILED = (OSError, TimeoutError, EOFError, asyncio.LimitOverrunError, ValueError, IndexError)
EVIDENCE = json.dumps({"trigger": "moved", "rule": "bench"})


def synthetic_store(path: Path, n: int, seed: int = 13) -> None:
    """``n`` events, 3 to an article, in the store's own schema (written through Arrow in one go)."""
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    rows = []
    for i in range(n):
        kind = rng.choice(list(TYPES))
        cameo, quad, goldstein = TYPES[kind]
        a, b = rng.sample(COUNTRIES, 2)
        name, country, lat, lon = rng.choice(PLACES)
        place = json.dumps({"name": name, "country": country, "lat": lat, "lon": lon}) if name else None
        text = f"The {a} officials moved against the {b} forces, event {i}."
        actor = [{"entity_text": f"{a} officials", "code": a, "sector": rng.choice(SECTORS)}]
        recipient = [{"entity_text": f"{b} forces", "code": b, "sector": rng.choice(SECTORS)}]
        rows.append({
            "id": f"e{i:07d}", "article_id": f"a{i // 3:07d}", "event": kind, "cameo": cameo,
            "quad_code": quad, "goldstein": goldstein,
            "actor": json.dumps(actor), "recipient": json.dumps(recipient),
            "actor_code": a, "recipient_code": b, "actor_codes": [a], "recipient_codes": [b],
            "date": start + timedelta(days=rng.randrange(6 * 365)), "date_precision": "day",
            "event_loc": place,
            "factuality": rng.choice(FACTUALITY), "event_text": "moved", "text": text, "span": [0, len(text)],
            "confidence": round(rng.random(), 2), "evidence": EVIDENCE,
        })  # fmt: skip
    table = pa.Table.from_pylist(rows, schema=EVENTS_ARROW)
    with Store(path) as st:
        st.con.register("new_events", table)
        st.con.execute(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) SELECT * FROM new_events")
        st.con.execute(
            "INSERT INTO articles (id, published, text) SELECT article_id, min(date), string_agg(text, ' ') "
            "FROM events GROUP BY article_id"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _requests(rng: random.Random) -> tuple[str, dict]:
    """One request as a client of the page would make it: a filtered page of events, or a pair's series."""
    if rng.random() < 0.5:
        country, kind = rng.choice(COUNTRIES), rng.choice(list(TYPES))
        params = rng.choice([
            {}, {"either": country}, {"actor": country, "type": kind},
            {"since": "2021-01-01", "until": "2021-12-31"}, {"place": "Niamey"}, {"cameo": "14"},
            {"either": country, "offset": rng.randrange(0, 500)},
        ])  # fmt: skip
        return "events", {"limit": 50, **params}
    a, b = rng.sample(COUNTRIES, 2)
    return "series", {"a": a, "b": b, "by": rng.choice(["month", "week"])}


class Connection:
    """One keep-alive HTTP/1.1 connection to the server: a GET, its status and body (by Content-Length, or
    chunked)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:  # chunked
            body = b""
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                body += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        if headers.get("connection") == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _client(port: int, until: float, think: float, seed: int, out: dict) -> None:
    rng = random.Random(seed)
    http = Connection(port)
    if think:  # people do not all click at the same instant: each arrives within its first pause
        await asyncio.sleep(rng.uniform(0, 2 * think))
    try:
        while time.perf_counter() < until:
            name, params = _requests(rng)
            started = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(http.get(f"/api/{name}?{urlencode(params)}"), TIMEOUT)
                ok = status == 200
            except FAILED:
                http.close()  # a new connection for the next request
                ok = False
            out[name].append((time.perf_counter() - started, ok))
            if think:
                await asyncio.sleep(rng.uniform(0, 2 * think))
    finally:
        http.close()


async def _run(port: int, clients: int, seconds: float, think: float) -> tuple[dict, float]:
    out: dict[str, list] = {"events": [], "series": []}
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(*(_client(port, until, think, seed, out) for seed in range(clients)))
    return out, time.perf_counter() - started


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state first); none where it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process and its living descendants (a server's workers) have used."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(entry)):
            parents[int(entry)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    tree, grew = {pid}, True
    while grew:
        more = {p for p, (parent, _) in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    ticks = sum(parents[p][1] for p in tree if p in parents)
    return ticks / os.sysconf("SC_CLK_TCK")


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/api/events?limit=1", timeout=5) as res:
            return res.status == 200
    except OSError:
        return False


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=0, help="Mean pause between a client's requests (s).")
    ap.add_argument(
        "--cache-mb", type=float, default=64, help="dyads serve --cache-mb (0: every request queried)"
    )
    ap.add_argument("--workers", type=int, help="dyads serve --workers (default: the server's own)")
    ap.add_argument("--markdown", type=Path, help="Append the results, as a table, to this file.")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        t0 = time.perf_counter()
        synthetic_store(db, args.events)
        print(f"store: {args.events:,} events in {time.perf_counter() - t0:.1f} s", flush=True)
        port = _free_port()
        src = str(Path(__file__).resolve().parents[1] / "src")
        env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from dyads.cli import app; app()",
                "serve",
                "--db",
                str(db),
                "--port",
                str(port),
                "--cache-mb",
                str(args.cache_mb),
                *(["--workers", str(args.workers)] if args.workers else []),
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while not _up(base):
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("the server did not come up")
                time.sleep(0.2)
            server_cpu, client_cpu = _cpu_seconds(server.pid), time.process_time()
            out, wall = asyncio.run(_run(port, args.clients, args.seconds, args.think))
            server_cpu = _cpu_seconds(server.pid) - server_cpu
            client_cpu = time.process_time() - client_cpu
            load = os.getloadavg()[0]  # the last minute: the run itself and whatever else shared the machine
        finally:
            server.terminate()
            server.wait(timeout=30)

    requests = max(1, sum(len(results) for results in out.values()))
    lines = [
        f"{args.clients} clients{f' thinking {args.think:g} s' if args.think else ''}, {wall:.0f} s, "
        f"{args.events:,}-event store, serve --cache-mb {args.cache_mb:g}"
        f"{f' --workers {args.workers}' if args.workers else ''}, "
        f"{os.cpu_count()} CPUs, load average {load:.1f} "
        f"({time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC); CPU a request: server "
        f"{server_cpu / requests * 1000:.1f} ms, clients {client_cpu / requests * 1000:.1f} ms",
        "",
        "| endpoint | requests | requests/s | p50 ms | p90 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, results in [*out.items(), ("all", [r for rs in out.values() for r in rs])]:
        times = [t * 1000 for t, _ in results]
        errors = sum(not ok for _, ok in results)
        lines.append(
            f"| {name} | {len(results):,} | {len(results) / wall:.0f} | {_pct(times, 0.5):.0f} | "
            f"{_pct(times, 0.9):.0f} | {_pct(times, 0.99):.0f} | {errors} |"
        )
    print("\n".join(lines))
    if args.markdown:
        with args.markdown.open("a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n\n")


if __name__ == "__main__":
    main()
