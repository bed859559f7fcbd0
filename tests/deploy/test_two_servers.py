"""The deployment path of docs/deploy.md, run on this machine: two gunicorn servers behind
PgBouncer in transaction pooling, with a read replica and Redis as their shared cache.

Everything is started here and stopped here by its PID: a database of the test's own (a
copy of the migrated test database, then `manage.py migrate` through PgBouncer), PgBouncer,
and the two servers. The replica is a second PgBouncer database on the same PostgreSQL
database whose server connections are read-only, as a hot standby's are: a write routed
there would fail, so every write that succeeds went to the primary.
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from groups.models import Member, UnionGroup
from membership.views import STATUS_MISSES_PER_HOUR
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PgBouncer pools PostgreSQL connections; SQLite has no server to pool",
    ),
    # Asks pytest-django for the migrated test database: the deployment's is a copy of it.
    pytest.mark.django_db,
]

ROOT = Path(settings.BASE_DIR)
# A Redis database of this test's own, emptied before and after.
REDIS_URL = "redis://127.0.0.1:6379/7"
# Fewer server connections than the servers' 16 threads: PgBouncer must share them.
POOL_SIZE = 3
USERNAME, NAME = "deploy-hq", "部署测试"
ORGANISATION = "两台服务器测试工会"

SEED = """
import os
import django

django.setup()
from accounts.models import Role
from accounts.services import user_create
from groups.models import UnionGroup, WorkshopUnion
from groups.services import member_create
from unionhome.models import Organisation

Organisation.objects.update_or_create(pk=1, defaults={"name": os.environ["SEED_ORGANISATION"]})
workshop = WorkshopUnion.objects.create(name="部署车间", code="DEPLOY", sort_order=1)
group = UnionGroup.objects.create(workshop=workshop, name="部署一班", code="DEPLOY1")
hq = user_create(
    username=os.environ["SEED_USERNAME"],
    name=os.environ["SEED_NAME"],
    password=os.environ["SEED_PASSWORD"],
    role=Role.HQ,
    is_superuser=True,
)
for number in range(1, 6):
    member_create(
        by=hq, employee_no=f"76{number:04d}", name=f"会员{number}", gender="M", group=group
    )
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def stop(processes: list[tuple[subprocess.Popen, signal.Signals]]) -> None:
    """Stop processes this test started, by their PIDs, all at once (a gunicorn takes
    seconds to stop); kill any that does not stop."""
    for process, sig in processes:
        if process.poll() is None:
            process.send_signal(sig)
    for process, _ in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def pgbouncer_path() -> str:
    found = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    if not os.access(found, os.X_OK):
        pytest.fail("PgBouncer is not installed: apt-get install pgbouncer (.ci/run does it)")
    return found


def redis_client():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"no Redis server answers at {REDIS_URL} ({error}); .ci/run starts one")
    return client


class Deployment:
    """The running servers, with a look into PgBouncer and PostgreSQL."""

    def __init__(self, *, database, postgres, pgbouncer_port, servers, logs, redis):
        self.database = database  # PgBouncer's name of the primary, and PostgreSQL's
        self.replica = f"{database}_replica"
        self.postgres = postgres  # connection keywords for PostgreSQL itself
        self.pgbouncer_port = pgbouncer_port
        self.servers = servers
        self.logs = logs
        self.redis = redis

    def console(self, command: str) -> list[dict]:
        """PgBouncer's admin console (SHOW STATS, SHOW CLIENTS …)."""
        with psycopg.connect(
            host="127.0.0.1",
            port=self.pgbouncer_port,
            dbname="pgbouncer",
            user=self.postgres["user"],
            autocommit=True,
        ) as console:
            cursor = console.execute(command)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor]

    def queries(self) -> dict[str, int]:
        """Queries PgBouncer has passed on, per database: the primary and the replica."""
        stats = self.console("SHOW STATS")
        return {row["database"]: int(row["total_query_count"]) for row in stats}

    def sql(self, query: str, params=()) -> list[tuple]:
        """Straight to PostgreSQL, around PgBouncer: what the primary holds."""
        with psycopg.connect(**self.postgres, dbname=self.database, autocommit=True) as db:
            return db.execute(query, params).fetchall()

    def through_pgbouncer(self, alias: str):
        return psycopg.connect(
            host="127.0.0.1",
            port=self.pgbouncer_port,
            dbname=alias,
            user=self.postgres["user"],
            autocommit=True,
            prepare_threshold=None,
        )


def pgbouncer_ini(folder: Path, *, port: int, database: str, postgres: dict) -> Path:
    """Transaction pooling with a small pool; the primary under the database's own name and
    the replica beside it, read-only."""
    target = " ".join(
        f"{key}={postgres[key]}" for key in ("host", "port", "user", "password") if key in postgres
    )
    target += f" dbname={database}"
    read_only = "connect_query='SET default_transaction_read_only = on'"
    (folder / "users.txt").write_text(f'"{postgres["user"]}" ""\n')
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        f"""[databases]
{database} = {target}
{database}_replica = {target} {read_only}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
admin_users = {postgres["user"]}
pool_mode = transaction
default_pool_size = {POOL_SIZE}
max_client_conn = 200
"""
    )
    for path in (ini, folder / "users.txt"):
        path.chmod(0o644)
    return ini


def server_environment(folder: Path, *, port: int, database: str, user: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        {
            # What docs/deploy.md sets on each application server.
            "DATABASE_URL": f"postgres://{user}@127.0.0.1:{port}/{database}",
            "REPLICA_DATABASE_URL": f"postgres://{user}@127.0.0.1:{port}/{database}_replica",
            "DATABASE_POOLER": "pgbouncer-transaction",
            "CACHE_URL": REDIS_URL,
            # The production settings, on plain http (as bench/run.py runs them).
            "DEBUG": "false",
            "DOTENV": "",
            "SECRET_KEY": "deploy-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "DJANGO_SETTINGS_MODULE": "unionhome.settings.base",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def run(label: str, args: list[str], env: dict) -> None:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{label} failed:\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def deployment(django_db_setup, django_db_blocker):
    pgbouncer = pgbouncer_path()
    redis = redis_client()
    redis.flushdb()
    test_settings = connection.settings_dict
    postgres = {
        "host": test_settings["HOST"] or "127.0.0.1",
        "port": int(test_settings["PORT"] or 5432),
        "user": test_settings["USER"] or "postgres",
    }
    if test_settings["PASSWORD"]:
        postgres["password"] = test_settings["PASSWORD"]
    database = f"unionhome_deploy_{os.getpid()}_{int(time.time())}"
    folder = Path(tempfile.mkdtemp(prefix="unionhome-deploy-"))
    # PgBouncer refuses to run as root; it drops to the postgres user, who reads this folder.
    folder.chmod(0o755)
    port = free_port()
    env = server_environment(folder, port=port, database=database, user=postgres["user"])
    logs = {name: folder / f"{name}.log" for name in ("collectstatic", "pgbouncer", "a", "b")}
    processes: dict[str, subprocess.Popen] = {}

    def start(name, command, **kwargs):
        with logs[name].open("wb") as log:
            processes[name] = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, **kwargs
            )

    created = False
    try:
        # As in production, the static files are collected before the servers start; the
        # database needs none of it, so meanwhile.
        start(
            "collectstatic",
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
        )
        # The test database is migrated already; a copy of it is quicker than migrating
        # afresh, and `migrate` below still runs against the copy, through PgBouncer.
        with django_db_blocker.unblock():
            connections.close_all()
        with psycopg.connect(**postgres, dbname="postgres", autocommit=True) as admin:
            for attempt in range(20):
                try:
                    admin.execute(
                        f'CREATE DATABASE "{database}" TEMPLATE "{test_settings["NAME"]}"'
                    )
                    break
                except psycopg.errors.ObjectInUse:  # a connection still closing
                    if attempt == 19:
                        raise
                    time.sleep(0.5)
        created = True

        ini = pgbouncer_ini(folder, port=port, database=database, postgres=postgres)
        start("pgbouncer", [pgbouncer, *(["-u", "postgres"] if os.geteuid() == 0 else []), ini])
        for _ in range(100):
            if processes["pgbouncer"].poll() is not None:
                pytest.fail("PgBouncer stopped:\n" + tail(logs["pgbouncer"]))
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("PgBouncer did not start:\n" + tail(logs["pgbouncer"]))

        run("migrate", ["manage.py", "migrate", "--noinput", "-v0"], env)
        seed = {
            "SEED_ORGANISATION": ORGANISATION,
            "SEED_USERNAME": USERNAME,
            "SEED_NAME": NAME,
            "SEED_PASSWORD": PASSWORD,
        }
        run("the seed script", ["-c", SEED], {**env, **seed})
        if processes["collectstatic"].wait(timeout=300):
            pytest.fail("collectstatic failed:\n" + tail(logs["collectstatic"]))

        servers = {}
        for name in ("a", "b"):
            servers[name] = f"http://127.0.0.1:{free_port()}"
            # gthread: 2 workers of 4 threads, each thread with its own database connection.
            # --preload loads the application once, in the master, before the fork.
            start(
                name,
                [
                    *(sys.executable, "-m", "gunicorn", "unionhome.wsgi", "--preload"),
                    # Not one control socket in the user's home for both servers.
                    "--no-control-socket",
                    *("--bind", servers[name].removeprefix("http://")),
                    *("--workers", "2", "--threads", "4", "--timeout", "60"),
                ],
                cwd=ROOT,
                env=env,
            )
        for name, server in servers.items():
            for _ in range(300):
                if processes[name].poll() is not None:
                    pytest.fail(f"server {name} stopped:\n" + tail(logs[name]))
                try:
                    urllib.request.urlopen(server + "/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"server {name} did not start:\n" + tail(logs[name]))

        yield Deployment(
            database=database,
            postgres=postgres,
            pgbouncer_port=port,
            servers=list(servers.values()),
            logs=logs,
            redis=redis,
        )
    finally:
        # The servers first (they are PgBouncer's clients), then PgBouncer, then the data.
        # SIGINT: gunicorn's quick shutdown; SIGTERM: PgBouncer's immediate one.
        stop([(processes[n], signal.SIGINT) for n in ("a", "b", "collectstatic") if n in processes])
        stop([(processes["pgbouncer"], signal.SIGTERM)] if "pgbouncer" in processes else [])
        if created:
            with psycopg.connect(**postgres, dbname="postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        redis.flushdb()
        shutil.rmtree(folder, ignore_errors=True)


class Browser:
    """One browser's cookies, sent to both servers as behind a load balancer (a cookie is
    for the host, whatever the port)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url) -> tuple[str, str]:
        with self.opener.open(url, timeout=30) as response:
            return response.geturl(), response.read().decode("utf-8")

    def post(self, url, fields) -> tuple[str, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode("utf-8")

    def log_in(self, server):
        self.get(server + reverse("login"))  # the CSRF cookie
        landed, page = self.post(
            server + reverse("login"), {"username": USERNAME, "password": PASSWORD}
        )
        assert landed.rstrip("/") == server and NAME in page, "not logged in"


def test_a_session_and_the_cache_are_the_same_on_both_servers(deployment):
    a, b = deployment.servers
    browser = Browser()
    browser.log_in(a)

    # The session made on A is good on B.
    landed, page = browser.get(b + reverse("groups:member_list"))
    assert landed.endswith(reverse("groups:member_list")) and NAME in page

    # Both servers read the organisation's name from the shared cache (pages read it
    # without a query). Renamed through A, B shows the new name at once: each process's
    # own cache would keep the old one for minutes.
    for _ in range(4):
        assert ORGANISATION in browser.get(b + "/")[1]
    assert deployment.redis.keys("*organisation-identity*")
    change = reverse("admin:unionhome_organisation_change", args=[1])
    browser.get(a + change)
    renamed = "改了名的测试工会"
    landed, _ = browser.post(a + change, {"name": renamed, "_save": "1"})
    assert not landed.endswith(change), "the admin form was refused"
    for _ in range(4):
        page = browser.get(b + "/")[1]
        assert renamed in page and ORGANISATION not in page

    # The wrong attempts at an application's status are counted once for all servers:
    # half on A and half on B reach the limit, and the next one is refused on either.
    status = reverse("membership:join_status")
    browser.get(a + status)
    wrong = {"reference": "RZ0000000001", "check_code": "000000"}
    with translation.override("zh-hans"):
        refused = html.escape(gettext("Too many wrong attempts. Please try again in an hour."))
    for attempt in range(STATUS_MISSES_PER_HOUR):
        page = browser.post((a, b)[attempt % 2] + status, wrong)[1]
        assert refused not in page
    assert [int(v) for v in deployment.redis.mget(deployment.redis.keys("*status-misses*"))] == [
        STATUS_MISSES_PER_HOUR
    ]
    assert refused in browser.post(a + status, wrong)[1]
    assert refused in browser.post(b + status, wrong)[1]


def test_reads_go_to_the_replica_and_writes_to_the_primary(deployment):
    a, b = deployment.servers
    primary, replica = deployment.database, deployment.replica
    # The replica's connections are read-only, as a standby's: a write there fails.
    with (
        deployment.through_pgbouncer(replica) as db,
        pytest.raises(psycopg.errors.ReadOnlySqlTransaction),
    ):
        db.execute("CREATE TABLE deploy_probe (x int)")
    browser = Browser()
    browser.log_in(b)

    # A page that reads what its user just saved reads the primary only...
    before = deployment.queries()
    assert NAME in browser.get(a + reverse("groups:member_list"))[1]
    after = deployment.queries()
    assert after[primary] > before[primary] and after.get(replica, 0) == before.get(replica, 0)

    # ...the dashboard (reads_from_replica) reads the replica.
    before = after
    assert NAME in browser.get(b + "/")[1]
    after = deployment.queries()
    assert after[replica] > before.get(replica, 0)

    # A member enrolled through A is written to the primary and listed by B at once.
    group = deployment.sql(
        f"SELECT id FROM {UnionGroup._meta.db_table} WHERE code = %s", ["DEPLOY1"]
    )[0][0]
    create = reverse("groups:member_create")
    browser.get(a + create)
    landed, _ = browser.post(
        a + create, {"employee_no": "770001", "name": "跨服务器会员", "gender": "M", "group": group}
    )
    assert not landed.endswith(create), "the member form was refused"
    members = f"SELECT name FROM {Member._meta.db_table} WHERE employee_no = %s"
    assert deployment.sql(members, ["770001"]) == [("跨服务器会员",)]
    assert "跨服务器会员" in browser.get(b + reverse("groups:member_list") + "?q=770001")[1]


def test_a_burst_on_both_servers_through_a_small_pool(deployment):
    """200 requests at once, reads and writes, from more clients than PgBouncer has
    server connections: no error, and every write in the primary."""
    a, b = deployment.servers
    browser = Browser()
    browser.log_in(a)
    group = deployment.sql(
        f"SELECT id FROM {UnionGroup._meta.db_table} WHERE code = %s", ["DEPLOY1"]
    )[0][0]
    create = reverse("groups:member_create")
    browser.get(b + create)
    pages = ["/", reverse("groups:member_list"), reverse("groups:org_tree")]
    pages.append(reverse("groups:member_export", args=["csv"]))  # .iterator(): no named cursor

    def one(number):
        server = (a, b)[number % 2]
        try:
            if number % 10 == 0:  # one in ten enrols a member
                landed, page = browser.post(
                    server + create,
                    {
                        "employee_no": f"79{number:04d}",
                        "name": f"并发会员{number}",
                        "gender": "M",
                        "group": group,
                    },
                )
                return None if not landed.endswith(create) else f"{number}: refused"
            path = pages[number % len(pages)]
            landed, page = browser.get(server + path)
            if path.endswith(".csv"):
                return None if "会员5" in page else f"{number}: {path} without its members"
            return None if NAME in page else f"{number}: {path} landed on {landed}"
        except (urllib.error.URLError, OSError) as error:
            return f"{number}: {error}"

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=24) as pool:
        errors = [error for error in pool.map(one, range(200)) if error]
    elapsed = time.perf_counter() - started
    assert errors == [], errors
    assert elapsed < 90, f"200 requests took {elapsed:.0f} s"
    enrolled = deployment.sql(
        f"SELECT count(*) FROM {Member._meta.db_table} WHERE employee_no LIKE %s", ["79%"]
    )
    assert enrolled == [(20,)]

    # The servers' threads kept their connections to PgBouncer, which served them all
    # with no more than its pool of server connections to PostgreSQL.
    clients = [
        row for row in deployment.console("SHOW CLIENTS") if row["database"] == deployment.database
    ]
    servers = [
        row for row in deployment.console("SHOW SERVERS") if row["database"] == deployment.database
    ]
    assert len(servers) <= POOL_SIZE < len(clients)

    # Nothing went wrong quietly either: no traceback in the servers' logs.
    for name in ("a", "b"):
        log = deployment.logs[name].read_text(errors="replace")
        assert "Traceback" not in log and " ERROR " not in log, tail(deployment.logs[name])
