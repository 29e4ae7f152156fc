"""Practice mode under load (run: .venv/bin/python benchmarks/practice_load.py).

Starts `ontspan serve --practice --workers 4` on PostgreSQL (ONTSPAN_BENCH_POSTGRES_URL, an
empty database it may fill), makes one therapist and N clients (default 200), then lets the
clients act together (arriving over ONTSPAN_BENCH_RAMP_S seconds, default 60), each as a
person on their phone would: log in, open Today, open the session page, write one night in
the sleep diary, open the journal. Reports p50 and p95 per page, errors, and whether every
night written is in the database (aim: p95 < 200 ms for pages, no errors, no record lost)."""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta

import httpx2 as httpx  # the test extra installs httpx under this name

CLIENTS = int(os.environ.get("ONTSPAN_BENCH_CLIENTS", "200"))
# The clients arrive spread over this many seconds (as people open their phones), all of them
# at work together for most of the run; 0 sends all of them in the same instant.
RAMP_S = float(os.environ.get("ONTSPAN_BENCH_RAMP_S", "60"))
PORT = 8779
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "een lang wachtwoord"


def setup(url: str, home: str) -> list[str]:
    env = {**os.environ, "ONTSPAN_DATABASE_URL": url, "ONTSPAN_HOME": home}
    code = (
        "import sys; from datetime import datetime\n"
        "from ontspan.services import practice\n"
        "from ontspan.store.accounts import Accounts\n"
        "from ontspan.store.db import open_engine\n"
        "a = Accounts(open_engine()); now = datetime.now()\n"
        "from ontspan.services.practice import hash_password\n"
        "practice.add_account(a, 'anna@praktijk.nl', 'therapist', sys.argv[1], None, now)\n"
        "hashed = hash_password(sys.argv[1])  # one hash for all: setting up is not measured\n"
        "t = a.by_email('anna@praktijk.nl')\n"
        "for i in range(int(sys.argv[2])):\n"
        "    a.add(f'client{i}@x.nl', 'client', hashed, t.id, now)\n"
    )
    subprocess.run([sys.executable, "-c", code, PASSWORD, str(CLIENTS)], env=env, check=True)
    return [f"client{i}@x.nl" for i in range(CLIENTS)]


async def client_flow(email: str, n: int, timings: dict[str, list[float]],
                      errors: list[str], delay: float = 0.0) -> None:
    await asyncio.sleep(delay)
    async with httpx.AsyncClient(base_url=BASE, timeout=60) as http:
        async def timed(name: str, method: str, path: str, **kw: object) -> httpx.Response:
            start = time.perf_counter()
            response = await http.request(method, path, **kw)  # type: ignore[arg-type]
            timings[name].append(time.perf_counter() - start)
            if response.status_code >= 400:
                errors.append(f"{name} {response.status_code}")
            return response

        page = await timed("login page", "GET", "/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token
        await timed("log in (argon2id)", "POST", "/login",
                    data={"csrf": token.group(1), "email": email, "password": PASSWORD})
        await timed("Today", "GET", "/")
        await timed("session page", "GET", "/session?routine=onderweg")
        night = (date.today() - timedelta(days=1 + n % 5)).isoformat()
        journal = await timed("journal", "GET", "/journal")
        token = re.search(r'name="csrf" value="([^"]+)"', journal.text)
        assert token
        await timed("diary night (write)", "POST", "/journal/night", data={
            "csrf": token.group(1), "night": night, "bed": "23:00", "try": "23:10",
            "latency_min": "20", "awakenings": "1", "awake_min": "10", "final": "06:50",
            "out": "07:00", "quality": "4"})


def main() -> None:
    url = os.environ.get("ONTSPAN_BENCH_POSTGRES_URL")
    if not url:
        sys.exit("set ONTSPAN_BENCH_POSTGRES_URL to an empty PostgreSQL database")
    with tempfile.TemporaryDirectory() as home:
        emails = setup(url, home)
        env = {**os.environ, "ONTSPAN_DATABASE_URL": url, "ONTSPAN_HOME": home}
        server = subprocess.Popen([sys.executable, "-m", "ontspan", "serve", "--practice",
                                   "--workers", "4", "--port", str(PORT)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            for _ in range(100):
                try:
                    httpx.get(f"{BASE}/login", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.3)
            # The session page speaks its lines once; warm the phrase cache first, as a
            # practice's server would be after its first client.
            timings: dict[str, list[float]] = defaultdict(list)
            errors: list[str] = []
            asyncio.run(client_flow(emails[0], 0, defaultdict(list), []))
            start = time.perf_counter()

            async def everyone() -> None:
                await asyncio.gather(*(client_flow(e, i, timings, errors,
                                                   RAMP_S * i / max(1, CLIENTS))
                                       for i, e in enumerate(emails)))

            asyncio.run(everyone())
            wall = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
        from sqlalchemy import create_engine, func, select

        from ontspan.store import schema

        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            nights = conn.execute(select(func.count()).select_from(schema.nights)
                                  .where(schema.nights.c.owner != "")).scalar_one()
        engine.dispose()
    print(f"{CLIENTS} clients arriving over {RAMP_S:g} s against 4 workers on PostgreSQL, "
          f"{wall:.1f} s in all, {os.cpu_count()} cores")
    print(f"{'request':<22} {'p50 ms':>8} {'p95 ms':>8}")
    for name, values in timings.items():
        values.sort()
        p50 = statistics.median(values) * 1000
        p95 = values[int(0.95 * (len(values) - 1))] * 1000
        print(f"{name:<22} {p50:>8.0f} {p95:>8.0f}")
    print(f"errors: {len(errors)} {sorted(set(errors))[:5]}")
    # The warm-up client is client 0 again: its night is the same, saved twice, kept once.
    print(f"diary nights written: {CLIENTS}, in the database: {nights}")


if __name__ == "__main__":
    main()
