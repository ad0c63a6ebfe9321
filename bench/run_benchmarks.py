"""Load benchmarks on PostgreSQL with gunicorn, against a raw baseline, written to
docs/benchmarks.md (with docs/benchmarks.svg).

    apt-get install -y wrk && .venv/bin/pip install -r bench/requirements.txt
    .venv/bin/python bench/run_benchmarks.py --scale 0.2 --duration 10

1. A fresh database (DATABASE, default bpd_bench on 127.0.0.1:5432) with the scaled dataset
   (bench/generate_dataset.py; the demo's 24th Senior Officials Meeting is in it).
2. Two gunicorns with the same deploy/gunicorn.conf.py and worker count: the application and
   bench/raw_app.py (the same JSON straight from SQL with orjson). Both answers are compared
   first; the table says whether they were identical.
3. wrk on loopback, one endpoint at a time after a warm-up: the API meetings list (page of 50)
   and the 24th meeting's detail, ours then raw, in the same run; then the portal's meeting
   page and search. requests/s, p50, p95, errors.
4. Summary/conclusions rendering time (the documents' own benchmark when present, else
   in-process timing of the render), and the resident memory of the gunicorn workers.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""
SEARCH_TERM = "reintegration"


def run(*args, env=None, **kwargs) -> str:
    result = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, **kwargs
    )
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


class Server:
    """A gunicorn with deploy/gunicorn.conf.py serving `app` on `port`."""

    def __init__(self, app: str, port: int, env: dict, log: Path):
        self.port = port
        with open(log, "w") as output:
            self.process = subprocess.Popen(
                [GUNICORN, "-c", "deploy/gunicorn.conf.py", app],
                cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.base = f"http://127.0.0.1:{port}"

    def worker_rss_mib(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        sizes = []
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def cpu_seconds(self) -> float:
        """CPU time (user + system) spent so far by the workers."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        ticks = 0
        for pid in children.read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(server: Server, path: str, *, seconds: float, connections: int, headers: dict) -> dict:
    """Throughput and latency; and the workers' CPU time per request, which depends far less
    than requests/s on what else the machine is running."""
    url = server.base + path
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    common = ["wrk", "-t", "2", "-c", str(connections), "--timeout", "20s", "-s", script.name]
    common += [*header_args, url]
    subprocess.run([*common[:1], "-d", "2s", *common[1:]], capture_output=True, check=True)
    cpu_before = server.cpu_seconds()
    output = subprocess.run(
        [*common[:1], "-d", f"{seconds:.0f}s", *common[1:]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = server.cpu_seconds() - cpu_before
    os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    requests, duration_us, p50_us, p95_us, status_errors, socket_errors = map(int, line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p50_ms": p50_us / 1000,
        "p95_ms": p95_us / 1000,
        "requests": requests,
        "errors": status_errors + socket_errors,
        "cpu_ms": cpu * 1000 / requests if requests else float("nan"),
    }


def render_timing(env: dict) -> str:
    """The documents engineer's benchmark if it exists, else a direct timing."""
    scripts = sorted((ROOT / "bench").glob("render_*.py"))
    note = ""
    if scripts:
        result = subprocess.run(
            [PYTHON, str(scripts[0])], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if result.returncode == 0:
            return f"`{scripts[0].relative_to(ROOT)}`:\n\n```\n{result.stdout.strip()}\n```"
        failure = (result.stderr.strip().splitlines() or ["no output"])[-1]
        note = f" (`{scripts[0].relative_to(ROOT)}` did not run on this dataset: {failure})"
    code = (
        "import statistics, time\n"
        "from meetings.models import Meeting\n"
        "from meetings.rendering import document_source, html_to_pdf\n"
        "m = Meeting.objects.get(kind='senior_officials', sequence_number=24, "
        "dialogue__slug='budapest-process')\n"
        "times = []\n"
        "for _ in range(5):\n"
        "    t = time.perf_counter(); html_to_pdf(document_source(meeting=m, kind='summary').html)\n"
        "    times.append(time.perf_counter() - t)\n"
        "print(f'{statistics.median(times) * 1000:.0f} ms median of 5')\n"
    )
    out = run(PYTHON, "manage.py", "shell", "-c", code, env=env, timeout=600)
    return (
        "in-process (HTML + PDF of the 24th meeting's Summary/conclusions): "
        f"{out.strip().splitlines()[-1]}{note}"
    )


def svg_chart(rows: list[dict]) -> str:
    """Grouped bars: requests/s of ours and raw per API endpoint."""
    width, height, left, bar = 640, 260, 150, 26
    top = max(max(r["ours"]["rps"], r["raw"]["rps"]) for r in rows) * 1.15
    scale = (width - left - 80) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<text x="{left}" y="18" font-weight="bold">Requests per second (higher is better)</text>',
    ]
    y = 40
    for row in rows:
        parts.append(f'<text x="8" y="{y + bar}">{row["name"]}</text>')
        for label, key, colour in (("bpdialogue", "ours", "#2b6cb0"), ("raw", "raw", "#a0aec0")):
            value = row[key]["rps"]
            parts.append(
                f'<rect x="{left}" y="{y}" width="{value * scale:.1f}" height="{bar - 4}" '
                f'fill="{colour}"/><text x="{left + value * scale + 6:.1f}" y="{y + bar - 10}">'
                f"{label} {value:.0f}</text>"
            )
            y += bar
        y += 18
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bpd_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--duration", type=float, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, both apps")
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    args = parser.parse_args()

    database_url = f"{args.pg}/{args.database}"
    work = ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "DATABASE_"))},
        "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis,
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "WEB_CONCURRENCY": str(args.workers),
        "DATABASE_POOL_MAX_SIZE": "4",
        "GUNICORN_ACCESSLOG": "",
        "GUNICORN_MAX_REQUESTS": "0",
        "LOG_LEVEL": "WARNING",
        # Throttling stays on, with a one-second window: DRF keeps every request time of the
        # window in the cache, so a huge per-minute rate would measure an ever-growing list.
        "API_RATE_KEY": "100000/s",
        "API_RATE_ANON": "100000/s",
    }
    started = time.monotonic()
    if not args.reuse:
        run("psql", args.pg + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{args.database}"')
        run("psql", args.pg + "/postgres", "-qc", f'CREATE DATABASE "{args.database}"')
        run(PYTHON, "manage.py", "migrate", "--noinput", env=env, timeout=600)
        print(
            run(
                PYTHON,
                "bench/generate_dataset.py",
                "--scale",
                str(args.scale),
                env=env,
                timeout=3600,
            )
        )
        run("psql", database_url, "-qc", "VACUUM ANALYZE")
    if not (work / "static" / "staticfiles.json").exists():
        run(PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0", env=env, timeout=900)
    key = (
        run(
            PYTHON,
            "manage.py",
            "create_api_key",
            "--name",
            "benchmark",
            "--scopes",
            "read:public",
            env=env,
        )
        .strip()
        .splitlines()[-1]
    )
    counts = json.loads(
        run(
            PYTHON,
            "manage.py",
            "shell",
            "-c",
            "import json; from meetings.models import *; print(json.dumps({"
            "'meetings': Meeting.objects.count(), 'statements': Statement.objects.count(), "
            "'delegations': Delegation.objects.count(), "
            "'public meetings': Meeting.objects.filter(visibility='public').count(), "
            "'uid': str(Meeting.objects.get(kind='senior_officials', sequence_number=24, "
            "dialogue__slug='budapest-process').uid), 'slug': Meeting.objects.get("
            "kind='senior_officials', sequence_number=24, dialogue__slug='budapest-process').slug}))",
            env=env,
        )
        .strip()
        .splitlines()[-1]
    )

    ours = Server("bpdialogue.wsgi:application", 18001, env, work / "ours.log")
    raw = Server("bench.raw_app:application", 18002, env, work / "raw.log")
    auth = {"Authorization": f"Bearer {key}"}
    api = [
        ("API meetings list (50)", "/api/v1/meetings/?limit=50"),
        ("API 24th meeting detail", f"/api/v1/meetings/{counts['uid']}/"),
    ]
    try:
        wait_for(ours.base + "/healthz")
        wait_for(raw.base + "/api/v1/meetings/")
        identical = {}
        for name, path in api:
            mine = json.loads(fetch(ours.base + path, auth)[1])
            baseline = json.loads(fetch(raw.base + path, auth)[1])
            # Same host in links: compare with the raw app's port written as ours.
            baseline = json.loads(json.dumps(baseline).replace(raw.base, ours.base))
            identical[name] = mine == baseline
            if not identical[name]:
                (work / f"diff-{path.strip('/').replace('/', '_')[:40]}.json").write_text(
                    json.dumps({"ours": mine, "raw": baseline}, indent=1)
                )
        rows = []
        for name, path in api:
            rows.append(
                {
                    "name": name,
                    "ours": wrk(
                        ours,
                        path,
                        seconds=args.duration,
                        connections=args.connections,
                        headers=auth,
                    ),
                    "raw": wrk(
                        raw,
                        path,
                        seconds=args.duration,
                        connections=args.connections,
                        headers=auth,
                    ),
                }
            )
        portal = [
            ("Portal: 24th meeting page", f"/meetings/{counts['slug']}/"),
            (f"Portal: search “{SEARCH_TERM}”", f"/search/?q={SEARCH_TERM}"),
            # The busiest dialogue (the one /analytics/ shows first), and a state as busy as
            # any: 25 delegations and 20 statements a meeting among 180 participants put it at
            # about one meeting in seven, and a statement at one in nine.
            ("Portal: the dialogue in numbers", "/analytics/"),
            ("Portal: a state's page (its story)", "/participants/bench-state-0/"),
        ]
        portal_rows = [
            (
                name,
                # Fewer connections: a slow page would otherwise finish nothing in the window.
                wrk(ours, path, seconds=args.duration, connections=4, headers={}),
            )
            for name, path in portal
        ]
        rss_ours, rss_raw = ours.worker_rss_mib(), raw.worker_rss_mib()
    finally:
        ours.stop()
        raw.stop()
    rendering = render_timing(env)

    lines = [
        "| endpoint | bpdialogue req/s | raw req/s | ours/raw | bpdialogue p50 / p95 ms "
        "| raw p50 / p95 ms | CPU ms/request ours / raw | errors | same JSON |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        o, r = row["ours"], row["raw"]
        lines.append(
            f"| {row['name']} | {o['rps']:.0f} | {r['rps']:.0f} | {o['rps'] / r['rps']:.2f} | "
            f"{o['p50_ms']:.1f} / {o['p95_ms']:.1f} | {r['p50_ms']:.1f} / {r['p95_ms']:.1f} | "
            f"{o['cpu_ms']:.1f} / {r['cpu_ms']:.1f} | "
            f"{o['errors']} / {r['errors']} | {'yes' if identical[row['name']] else 'no'} |"
        )
    lines += [
        "",
        "| portal page (4 connections) | req/s | p50 ms | p95 ms | CPU ms/request | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, result in portal_rows:
        lines.append(
            f"| {name} | {result['rps']:.1f} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} "
            f"| {result['cpu_ms']:.1f} | {result['errors']} |"
        )
    table = "\n".join(lines)
    print(table)
    memory = (
        f"bpdialogue workers {statistics.mean(rss_ours):.0f} MiB each (max {max(rss_ours):.0f}); "
        f"raw workers {statistics.mean(rss_raw):.0f} MiB each"
    )
    print(memory)
    print(rendering)

    (ROOT / "docs" / "benchmarks.svg").write_text(svg_chart(rows))
    generation = (
        "; the dataset was generated by an earlier run (--reuse)"
        if args.reuse
        else " including data generation"
    )
    load = os.getloadavg()
    doc = f"""# Benchmarks

Measured by `bench/run_benchmarks.py` on {datetime.date.today().isoformat()}, in one run
({(time.monotonic() - started) / 60:.0f} min{generation}). Reproduce:

```sh
apt-get install -y wrk && .venv/bin/pip install -r bench/requirements.txt
.venv/bin/python bench/run_benchmarks.py --scale {args.scale} --duration {args.duration:.0f}
```

**Scale used: {args.scale}** of the default dataset: {counts["meetings"]:,} meetings
({counts["public meetings"]:,} public), {counts["statements"]:,} statements,
{counts["delegations"]:,} delegations (`bench/generate_dataset.py --scale {args.scale}`; scale 1
is about 10 000 meetings, 200 000 statements, 250 000 delegations).

**Set-up.** PostgreSQL {run("psql", database_url, "-Atc", "SHOW server_version").strip()} and
gunicorn on the same machine ({os.cpu_count()} CPU cores, shared with other work: load average
{load[0]:.1f} at the end), both apps with `deploy/gunicorn.conf.py` and {args.workers} sync
workers; wrk on loopback, 2 threads, {args.connections} connections, {args.duration:.0f} s per
endpoint after a 2 s warm-up, with an API key (`read:public`). The raw baseline
(`bench/raw_app.py`) answers the same JSON straight from SQL with psycopg and orjson: no
Django, no access-policy object, no throttling (ours counts every request in Redis), no
conditional-GET headers. "Same JSON" says whether the two answers were identical before the
run.

## API: ours against the raw baseline

{table.split(chr(10) + chr(10))[0]}

![Requests per second, bpdialogue and raw](benchmarks.svg)

## Portal pages at the scaled size

{table.split(chr(10) + chr(10))[1]}

## Summary/conclusions rendering

{rendering}

## Memory

Resident memory of the gunicorn workers after the run: {memory}.

## Reading the figures

The ratio ours/raw is what Django, DRF and the features on top (access policy, API-key
authentication, throttling through Redis, ETag/Last-Modified, serializers) cost against hand
written SQL and orjson on the same server. The machine was shared with four other engineers'
test runs (browser tests, test suites) while this ran, so the gunicorn workers got only part
of two cores: requests/s and latencies are far below what an idle machine gives, and they
penalise the CPU-heavier side most. The CPU time the workers spent per request (from
/proc, user + system) is the steadier figure: it says how many requests one core serves
(1000 / CPU ms), whatever else runs. Both sides were measured in the same run, one after
the other.
"""
    (ROOT / "docs" / "benchmarks.md").write_text(doc)
    print(f"wrote docs/benchmarks.md and docs/benchmarks.svg ({platform.node()})")


if __name__ == "__main__":
    main()
