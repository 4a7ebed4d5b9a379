"""The workshop database: one engine (connection pool) per address, transactions retried on
transient lock failures, the schema migrated on first use.

SQLite (the default, a file under data/) runs in WAL mode and starts write transactions with
BEGIN IMMEDIATE, so two writers never deadlock upgrading a read lock (busy_timeout makes the
second wait). PostgreSQL is for several app servers sharing one database.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TypeVar

from sqlalchemy import URL, Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from ..errors import WorkbenchError
from ..study import REPO_ROOT
from .schema import migrate, schema_version

DATABASE_ENV = "WORKBENCH_DATABASE_URL"
DEFAULT_SQLITE = REPO_ROOT / "data" / "workshops.sqlite"
SQLITE_BUSY_MS = 30_000
RETRIES = 6
# SQLSTATEs worth another try: serialisation failure, deadlock, lock not available.
TRANSIENT_SQLSTATES = ("40001", "40P01", "55P03")

T = TypeVar("T")


class StoreUnavailable(WorkbenchError):
    """The database cannot be reached or opened."""


def default_url() -> str:
    """$WORKBENCH_DATABASE_URL, else the SQLite file data/workshops.sqlite in the repository."""
    return os.environ.get(DATABASE_ENV) or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 30) -> Engine:
    """An engine for `url`; an address that cannot be parsed or whose driver is missing becomes
    StoreUnavailable with a sentence."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailable(f"the workshop database address is not valid: {exc}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, pool_size=pool_size, max_overflow=max_overflow)
        connect_args = {"connect_timeout": 5} if parsed.get_backend_name() == "postgresql" else {}
        return create_engine(parsed, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=120,
                             pool_pre_ping=True, connect_args=connect_args)  # fmt: skip
    # ImportError: the driver (psycopg, an optional extra) is not installed.
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(f"the workshop database address is not supported: {exc}") from None


def private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents readable by the owner only (0700); the default
    data folder is also tightened when it exists already (it holds nothing but the workbench's
    own files). An existing folder named by the user is left as it is."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask; chmod is not
    if folder.resolve() == DEFAULT_SQLITE.parent.resolve() and folder.stat().st_mode & 0o077:
        os.chmod(folder, 0o700)


def private_file(path: Path) -> None:
    """Create the database file readable and writable by the owner only (0600) before SQLite
    opens it; its -wal and -shm files take the same mode from it. A workbench-made file that is
    already there is tightened the same way."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        if path.resolve() == DEFAULT_SQLITE.resolve() and path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
        return
    os.close(fd)
    os.chmod(path, 0o600)


def _sqlite_engine(parsed: URL, *, pool_size: int = 8, max_overflow: int = 24) -> Engine:
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            private_folder(Path(database).parent)
            private_file(Path(database))
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the workshop database {database}: {exc}") from None
    engine = create_engine(
        parsed,
        connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False},
        pool_size=min(pool_size, 8),
        max_overflow=min(max_overflow, 24),
        pool_timeout=120,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        # NORMAL in WAL mode: a commit survives the process being killed (only power loss can undo
        # the last commits), at a fraction of FULL's fsync cost.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ws_write") else "BEGIN")

    return engine


def is_transient(exc: DBAPIError) -> bool:
    """Lock timeouts, deadlocks and serialisation failures: worth another try."""
    if getattr(getattr(exc, "orig", None), "sqlstate", None) in TRANSIENT_SQLSTATES:
        return True
    message = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in message or "database table is locked" in message


def first_line(exc: BaseException) -> str:
    """The driver's message, first line only (a page shows it in a sentence)."""
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return message[0][:200] if message else type(exc).__name__


class WriteQueue:
    """One writer at a time in this process, urgent ones (round changes) first: SQLite runs one
    writer at a time and its waiting writers retry after sleeps, in no order; queueing this
    process's writers here hands the database from one to the next at once, and a round close
    waits for the transaction under way only (other processes still meet busy_timeout)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._held = False
        self._urgent = 0

    @contextmanager
    def hold(self, urgent: bool = False) -> Iterator[None]:
        with self._cond:
            self._urgent += urgent
            try:
                while self._held or (self._urgent and not urgent):
                    self._cond.wait()
            finally:
                self._urgent -= urgent
            self._held = True
        try:
            yield
        finally:
            with self._cond:
                self._held = False
                if self._urgent:  # all of them: the urgent one must be the one to go
                    self._cond.notify_all()
                else:  # one is enough (waking all of them costs more than it saves)
                    self._cond.notify()


def run_transaction(
    engine: Engine,
    work: Callable[[Connection], T],
    *,
    write: bool,
    what: str,
    hold: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> T:
    """Run `work` in one transaction on `engine`, retrying transient lock failures with jittered
    exponential back-off (writers that collided do not collide again); an unreachable database
    becomes StoreUnavailable naming `what`. `hold()` is entered inside the connection, before
    the transaction begins (the workshop's fair writer gate and round locks)."""
    delay = 0.02
    for attempt in range(RETRIES):
        try:
            with engine.connect() as conn:
                if write:
                    conn.execution_options(ws_write=True)  # SQLite: BEGIN IMMEDIATE
                with hold(), conn.begin():
                    return work(conn)
        except DBAPIError as exc:
            if is_transient(exc) and attempt < RETRIES - 1:
                time.sleep(delay * (1 + secrets.randbelow(100) / 100))
                delay *= 2
                continue
            if isinstance(exc, OperationalError) or exc.connection_invalidated:
                raise StoreUnavailable(
                    f"{what} is unreachable ({first_line(exc)}); nothing was saved, try again in a moment"
                ) from None
            raise
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def _both(first: AbstractContextManager[object], second: AbstractContextManager[object]) -> Iterator[None]:
    with first, second:
        yield


class Database:
    """An engine and the transactions run on it; the schema is migrated before the first one.

    Facilitator actions run on a small pool of their own (`control=True`), so a flood of ballots
    queued for connections never makes a round close or the dashboard wait for one.
    """

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self._control: Engine | None = None
        self._schema_ready = False
        self._lock = threading.Lock()
        self._writers = WriteQueue() if self.dialect == "sqlite" else None

    def close(self) -> None:
        self.engine.dispose()
        if self._control is not None:
            self._control.dispose()

    def control_engine(self) -> Engine:
        """The facilitators' pool (made on first use)."""
        if self._control is None:
            with self._lock:
                if self._control is None:
                    self._control = make_engine(self.url, pool_size=2, max_overflow=6)
        return self._control

    def transaction(
        self,
        work: Callable[[Connection], T],
        *,
        write: bool = False,
        control: bool = False,
        guard: Callable[[], AbstractContextManager[object]] | None = None,
        urgent: bool = False,
    ) -> T:
        """Run `work` in one transaction, retrying transient lock failures; an unreachable
        database becomes StoreUnavailable (a plain sentence, never a traceback).

        `control` runs it on the facilitators' pool; `guard` is entered once a connection is
        held, around the transaction (workbench.workshop.rounds.RoundGate); an `urgent` write
        goes first among this process's SQLite writers (a round change)."""
        self._ensure_schema()
        engine = self.control_engine() if control else self.engine
        return self._run(work, write=write, engine=engine, guard=guard, urgent=urgent)

    def schema_version(self) -> int:
        return int(self.transaction(lambda c: c.execute(select(schema_version.c.version)).scalar() or 0))

    def _run(
        self,
        work: Callable[[Connection], T],
        *,
        write: bool,
        engine: Engine | None = None,
        guard: Callable[[], AbstractContextManager[object]] | None = None,
        urgent: bool = False,
    ) -> T:
        def hold() -> AbstractContextManager[object]:
            gate = self._writers.hold(urgent) if write and self._writers is not None else nullcontext()
            if guard is None:
                return gate
            return _both(guard(), gate)

        return run_transaction(engine or self.engine, work, write=write, what="the workshop database", hold=hold)

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._lock:
            if not self._schema_ready:
                try:
                    self._run(migrate, write=True)
                except DBAPIError as exc:  # e.g. --db naming a file that is not a SQLite database
                    raise StoreUnavailable(
                        f"cannot use {self.engine.url.render_as_string(hide_password=True)} as the workshop "
                        f"database ({first_line(exc)})"
                    ) from None
                self._schema_ready = True
