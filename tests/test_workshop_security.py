"""Workshops under hostile use (issue 16), on SQLite and PostgreSQL (TEST_DATABASE_URL):
join-code limits keyed on the address the trusted proxy saw and exact under concurrency, the
long code that no limit refuses, join caps, the facilitator key, a prompt round close under a
flood of ballots, private database files and the schema upgrade that brought the counters.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from test_workshop import MINI, db_url, pg_schema, sqlite_url  # noqa: F401 - fixtures

from workbench.workshop import PermissionDenied, RoundClosed, WorkshopStore
from workbench.workshop import access as ws_access
from workbench.workshop.access import JoinLimits, client_address, format_code, long_code, trusted_proxies
from workbench.workshop.schema import SCHEMA_VERSION


@pytest.fixture
def store(db_url):  # noqa: F811 - the fixture from test_workshop
    s = WorkshopStore(db_url)
    yield s
    s.close()


def refusal(call) -> str:
    """The reason of the PermissionDenied `call` raises ("ok" when it does not)."""
    try:
        call()
    except PermissionDenied as exc:
        return exc.reason
    return "ok"


# --- whose address: the right-most hop a trusted proxy wrote ---------------------------------


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", [], 0, "203.0.113.7"),
        # No proxy trusted: the header is the client's own words, ignored.
        ("203.0.113.7", ["198.51.100.1"], 0, "203.0.113.7"),
        (None, [], 0, "local"),
        # One proxy: the hop it appended, whatever the client wrote to its left.
        ("10.0.0.2", ["198.51.100.1, 203.0.113.7"], 1, "203.0.113.7"),
        ("10.0.0.2", ["1.1.1.1, 2.2.2.2, 3.3.3.3, 203.0.113.7"], 1, "203.0.113.7"),
        # Two proxies (CDN then nginx): the second hop from the right.
        ("10.0.0.2", ["6.6.6.6, 203.0.113.7, 192.0.2.10"], 2, "203.0.113.7"),
        # Repeated headers are one list, in order.
        ("10.0.0.2", ["6.6.6.6", "203.0.113.7"], 1, "203.0.113.7"),
        # A chain shorter than configured: its left-most hop, still a proxy's.
        ("10.0.0.2", ["203.0.113.7"], 2, "203.0.113.7"),
        # No header behind a trusted proxy: the connection's address.
        ("10.0.0.2", [], 1, "10.0.0.2"),
        # Ports and brackets dropped; IPv6 counted per /64 (one device may hold a whole /64).
        ("10.0.0.2", ["203.0.113.7:50123"], 1, "203.0.113.7"),
        ("10.0.0.2", ["[2001:db8:1:2:aaaa::1]:443"], 1, "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", [], 0, "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", [], 0, "203.0.113.7"),
        ("10.0.0.2", ["unknown"], 1, "hop:unknown"),
    ],
)
def test_client_address_is_the_hop_the_trusted_proxy_wrote(peer, forwarded, proxies, expected):
    assert client_address(peer, forwarded, proxies) == expected


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, 0),
        ({"WORKBENCH_TRUSTED_PROXIES": "2"}, 2),
        ({"WORKBENCH_TRUST_PROXY": "1"}, 1),  # the older switch: one proxy
        ({"WORKBENCH_TRUSTED_PROXIES": "0", "WORKBENCH_TRUST_PROXY": "1"}, 0),
        ({"WORKBENCH_TRUSTED_PROXIES": "-1"}, 0),
        ({"WORKBENCH_TRUSTED_PROXIES": "many"}, 0),
        ({"WORKBENCH_TRUSTED_PROXIES": "11"}, 0),
    ],
)
def test_trusted_proxies_setting(environ, expected):
    assert trusted_proxies(environ) == expected


# --- wrong codes: per client, exact under concurrency, the right code never held back ----------


def test_wrong_codes_are_counted_per_client(store):
    ws = store.create_workshop(criteria=MINI, title="Salle")
    attacker, neighbour = "198.51.100.66", "203.0.113.7"
    for i in range(30):
        assert refusal(lambda i=i: store.check_code(f"ZZZZ{i:02d}", client_key=attacker)) == "code"
    assert refusal(lambda: store.check_code("ZZZZZZ", client_key=attacker)) == "rate_limited"
    # Blocked for short codes, the right one included: a success would confirm a guess.
    assert refusal(lambda: store.join(ws.join_code, name="x", client_key=attacker)) == "rate_limited"
    # Another client is not affected at all, and right codes never count as failures.
    for i in range(40):
        assert store.join(ws.join_code, name=f"p{i}", client_key=neighbour).token
    for i in range(29):
        assert refusal(lambda i=i: store.check_code(f"YYYY{i:02d}", client_key=neighbour)) == "code"
    assert refusal(lambda: store.check_code("YYYY99", client_key=neighbour)) == "code"  # the 30th
    assert refusal(lambda: store.check_code("YYYY98", client_key=neighbour)) == "rate_limited"


def test_the_long_code_is_never_refused(store):
    """A room behind one address that someone's wrong codes blocked still joins by the QR code's
    long code, which cannot be guessed; wrong long codes count like wrong short ones."""
    ws = store.create_workshop(criteria=MINI, title="Salle")
    room = "192.0.2.44"
    for i in range(30):
        refusal(lambda i=i: store.check_code(f"WRONG{i}", client_key=room))
    assert refusal(lambda: store.join(ws.join_code, name="Ann", client_key=room)) == "rate_limited"
    code = store.workshop(ws.facilitator_token)["long_code"]
    assert code == long_code(ws.facilitator_token) and len(code) == 12 and format_code(code).count("-") == 2
    assert store.check_code(format_code(code).lower(), client_key=room)["title"] == "Salle"
    for i in range(50):
        assert store.join(code, name=f"Ann {i}", client_key=room).workshop_id == ws.id
    assert refusal(lambda: store.check_code("A" * 12, client_key="192.0.2.45")) == "code"
    # The long code says nothing of the facilitator token, and another workshop's differs.
    other = store.create_workshop(criteria=MINI, title="Autre")
    assert long_code(other.facilitator_token) != code and code not in ws.facilitator_token


@pytest.mark.parametrize("count", [500])
def test_concurrent_wrong_codes_get_exactly_the_allowed_answers(store, count):
    """The count and the refusal are one atomic statement: 500 wrong codes at once from one client
    get exactly 30 'no workshop' answers (PostgreSQL's count-then-insert gave 37-52)."""
    ws = store.create_workshop(criteria=MINI, title="Course")
    client = "198.51.100.9"

    def guess(i: int) -> str:
        return refusal(lambda: store.check_code(f"Q{i:05d}", client_key=client))

    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(pool.map(guess, range(count)))
    assert answers.count("code") == store.join_attempts == 30
    assert answers.count("rate_limited") == count - 30
    assert store.join(ws.join_code, name="Zoé", client_key="203.0.113.50").token


def test_join_caps_per_client_and_per_workshop(db_url):  # noqa: F811
    store = WorkshopStore(db_url, limits=JoinLimits(joins_per_client=3, max_participants=5))
    ws = store.create_workshop(criteria=MINI, title="Petit", anonymous=True)
    for _ in range(3):
        store.join(ws.join_code, client_key="198.51.100.1")
    with pytest.raises(PermissionDenied) as caught:
        store.join(ws.join_code, client_key="198.51.100.1")
    assert caught.value.reason == "joins" and caught.value.minutes == 60
    for _ in range(2):
        store.join(ws.join_code, client_key="198.51.100.2")
    assert refusal(lambda: store.join(ws.join_code, client_key="198.51.100.3")) == "full"
    # Refused joins count nowhere: exactly the five admitted are there.
    assert store.results(ws.facilitator_token)["participants"] == 5
    # A cap applies to one workshop: another one still takes this client.
    other = store.create_workshop(criteria=MINI, title="Autre", anonymous=True)
    assert store.join(other.join_code, client_key="198.51.100.1").token
    store.close()


def test_counters_keep_no_address(store, db_url):  # noqa: F811
    store.create_workshop(criteria=MINI, title="T")
    for i in range(3):
        refusal(lambda i=i: store.check_code(f"NOPE{i}", client_key="198.51.100.77"))
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text("SELECT scope, key, count FROM ws_limits"))]
    engine.dispose()
    assert ("code_fail", rows[0][1], 3) in rows
    assert all("198.51" not in str(r) and len(r[1]) == 64 for r in rows)


# --- the facilitator key -----------------------------------------------------------------------


def test_facilitator_key(store, monkeypatch):
    monkeypatch.delenv("WORKBENCH_FACILITATOR_KEY", raising=False)
    store.check_facilitator_key("", client_key="198.51.100.5")  # no key set: anyone may create
    monkeypatch.setenv("WORKBENCH_FACILITATOR_KEY", "correct horse battery staple")
    assert refusal(lambda: store.check_facilitator_key("", client_key="198.51.100.5")) == "key"
    assert refusal(lambda: store.check_facilitator_key("correct horse", client_key="198.51.100.5")) == "key"
    store.check_facilitator_key("correct horse battery staple", client_key="198.51.100.5")
    for _ in range(8):
        refusal(lambda: store.check_facilitator_key("guess", client_key="198.51.100.5"))
    # Ten wrong keys: this client waits, even with the right key; another client does not.
    assert refusal(lambda: store.check_facilitator_key("x", client_key="198.51.100.5")) == "key_limited"
    assert (
        refusal(lambda: store.check_facilitator_key("correct horse battery staple", client_key="198.51.100.5"))
        == "key_limited"
    )
    store.check_facilitator_key("correct horse battery staple", client_key="203.0.113.5")


def test_key_comparison_is_exact():
    assert ws_access.key_matches("abc", "abc")
    assert not ws_access.key_matches("abc", "abcd") and not ws_access.key_matches("", "abc")
    assert not ws_access.key_matches("ABC", "abc")


# --- closing a round under a flood of ballots ----------------------------------------------------

WRITERS = 60


def test_close_round_is_prompt_under_a_flood_of_ballots(store, db_url, capsys):  # noqa: F811
    """60 threads submit in a loop; the close returns within 1 s; every accepted ballot is of
    the closed round, began before the close returned and was written before the round's
    closed_at; every ballot begun after the close returned is refused."""
    ws = store.create_workshop(criteria=MINI, title="Déluge", anonymous=True)
    people = [store.join(ws.join_code, client_key=f"198.51.100.{i}") for i in range(WRITERS)]
    stop = threading.Event()
    log: list[tuple[float, float, int | None]] = []  # (call began, call returned, round or None)
    lock = threading.Lock()

    def writer(i: int) -> None:
        n = 0
        while not stop.is_set():
            began = time.time()
            try:
                number: int | None = store.submit_ballot(people[i].token, {"cost": 1 + n % 5, "legal": 1}).round
            except RoundClosed:
                number = None
            with lock:
                log.append((began, time.time(), number))
            n += 1
            if number is None:
                time.sleep(0.01)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for th in threads:
        th.start()
    time.sleep(2.0)  # the flood builds up
    before = len(log)
    store.workshop(ws.facilitator_token)  # as the facilitator page does on each run, before its buttons
    began = time.time()
    closed = store.close_round(ws.facilitator_token)
    returned = time.time()
    time.sleep(1.0)
    stop.set()
    for th in threads:
        th.join()
    took = returned - began
    accepted = [e for e in log if e[2] is not None]
    after = [e for e in log if e[0] > returned]
    with capsys.disabled():
        print(f"\n[{store.dialect}] close_round took {took * 1000:.0f} ms under {WRITERS} writers "
              f"({before} ballots in the 2 s before, {len(accepted)} accepted in all)")  # fmt: skip
    assert before >= WRITERS  # the flood was real
    assert took < 1.0
    assert closed == 1 and all(e[2] == closed for e in accepted)
    assert all(e[0] < returned for e in accepted)
    assert after and all(e[2] is None for e in after)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        closed_at = conn.execute(
            text("SELECT closed_at FROM ws_rounds WHERE workshop_id = :w AND number = 1"), {"w": ws.id}
        ).scalar_one()
        last = conn.execute(
            text("SELECT MAX(submitted_at) FROM ws_ballots WHERE workshop_id = :w AND round = 1"), {"w": ws.id}
        ).scalar_one()
    engine.dispose()
    assert began <= closed_at <= returned and last < closed_at


# --- files and schema -------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_files_are_private(tmp_path):
    old = os.umask(0o022)  # the usual umask, which made 755/644 before
    try:
        folder = tmp_path / "shared" / "data"
        store = WorkshopStore(f"sqlite:///{folder / 'workshops.sqlite'}")
        ws = store.create_workshop(criteria=MINI, title="T")
        store.submit_ballot(store.join(ws.join_code, name="Ann").token, {"cost": 1})
        assert mode(folder) == 0o700 and mode(folder.parent) == 0o700  # both created here
        files = sorted(p.name for p in folder.iterdir())
        assert "workshops.sqlite" in files and "workshops.sqlite-wal" in files
        for name in files:
            assert mode(folder / name) == 0o600, name
        store.close()
    finally:
        os.umask(old)


def test_default_data_folder_is_tightened(tmp_path, monkeypatch):
    from workbench.workshop import connection

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    (data / "workshops.sqlite").touch()
    os.chmod(data / "workshops.sqlite", 0o644)
    monkeypatch.setattr(connection, "DEFAULT_SQLITE", data / "workshops.sqlite")
    store = WorkshopStore(f"sqlite:///{data / 'workshops.sqlite'}")
    assert mode(data) == 0o700 and mode(data / "workshops.sqlite") == 0o600
    store.close()


def test_version_1_database_upgrades(tmp_path):
    url = sqlite_url(tmp_path)
    first = WorkshopStore(url)
    ws = first.create_workshop(criteria=MINI, title="Ancien")
    first.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # back to version 1's shape
        for statement in (
            "DROP INDEX ix_ws_workshops_invite", "ALTER TABLE ws_workshops DROP COLUMN invite_hash",
            "DROP TABLE ws_limits", "DROP TABLE ws_settings",
            "CREATE TABLE ws_join_failures (id INTEGER PRIMARY KEY, client_key VARCHAR(200), at FLOAT)",
            "UPDATE ws_schema_version SET version = 1",
        ):  # fmt: skip
            conn.execute(text(statement))
    store = WorkshopStore(url)
    assert store.schema_version() == SCHEMA_VERSION == 3
    code = store.workshop(ws.facilitator_token)["long_code"]  # stores the long code's hash
    assert store.join(code, name="Ann").workshop_id == ws.id
    with engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    engine.dispose()
    assert "ws_join_failures" not in tables and {"ws_limits", "ws_settings"} <= tables
    store.close()


FLOOD = r"""
import json, sys, threading, time
from workbench.workshop import RoundClosed, WorkshopStore
store = WorkshopStore(sys.argv[1])
tokens = sys.argv[2].split(",")
stop = threading.Event()
log = []
def writer(token):
    n = 0
    while not stop.is_set():
        began = time.time()
        try:
            number = store.submit_ballot(token, {"cost": 1 + n % 5, "legal": 1}).round
        except RoundClosed:
            number = None
            time.sleep(0.01)
        log.append((began, number))
        n += 1
threads = [threading.Thread(target=writer, args=(t,)) for t in tokens]
for th in threads:
    th.start()
time.sleep(1.5)
print("flooding", flush=True)
sys.stdin.readline()  # the test closed the round
time.sleep(1.0)
stop.set()
for th in threads:
    th.join()
print(json.dumps(log), flush=True)
"""


@pytest.mark.postgres
def test_close_round_is_prompt_when_another_server_floods_it(pg_schema):  # noqa: F811
    """Two app servers on one PostgreSQL: 60 writers in another process (so only the database's
    lock orders them) and the close here; FOR SHARE/FOR UPDATE made this wait 20-100 s."""
    import json
    import subprocess
    import sys

    store = WorkshopStore(pg_schema.url)
    ws = store.create_workshop(criteria=MINI, title="Deux serveurs", anonymous=True)
    tokens = [store.join(ws.join_code, client_key=f"198.51.100.{i}").token for i in range(WRITERS)]
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-c", FLOOD, pg_schema.url, ",".join(tokens)], cwd=str(root),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == "flooding", proc.stderr.read()
        store.workshop(ws.facilitator_token)
        began = time.time()
        store.close_round(ws.facilitator_token)
        returned = time.time()
        proc.stdin.write("closed\n")
        proc.stdin.flush()
        log = json.loads(proc.stdout.readline())
    finally:
        proc.kill()
        proc.wait()
    print(f"\n[postgresql, two processes] close_round took {(returned - began) * 1000:.0f} ms; "
          f"{sum(1 for b, r in log if r)} ballots accepted in all")  # fmt: skip
    assert returned - began < 1.0
    accepted = [(b, r) for b, r in log if r is not None]
    assert len(accepted) >= WRITERS and all(r == 1 for _, r in accepted)
    assert all(b < returned for b, _ in accepted)
    assert any(b > returned for b, r in log if r is None)
    with store.engine.connect() as conn:
        closed_at = conn.execute(
            text("SELECT closed_at FROM ws_rounds WHERE workshop_id = :w AND number = 1"), {"w": ws.id}
        ).scalar_one()
        last = conn.execute(
            text("SELECT MAX(submitted_at) FROM ws_ballots WHERE workshop_id = :w AND round = 1"), {"w": ws.id}
        ).scalar_one()
    assert last < closed_at
    store.close()


def test_sqlite_writers_queue_with_round_changes_first():
    """connection.WriteQueue: a round change waiting with ordinary writers goes next."""
    from workbench.workshop.connection import WriteQueue

    queue, order, started = WriteQueue(), [], threading.Barrier(7)

    def write(name: str, urgent: bool) -> None:
        started.wait()
        if urgent:
            time.sleep(0.1)  # arrives last
        with queue.hold(urgent):
            order.append(name)

    threads = [threading.Thread(target=write, args=(f"ballot {i}", False)) for i in range(5)]
    threads.append(threading.Thread(target=write, args=("close", True)))
    with queue.hold():
        for th in threads:
            th.start()
        started.wait()
        time.sleep(0.3)  # everyone is waiting now
    for th in threads:
        th.join()
    assert order[0] == "close" and sorted(order[1:]) == [f"ballot {i}" for i in range(5)]
