"""`plantalent serve` and `plantalent users add|list|disable`."""

from __future__ import annotations

from typing import Any

import typer
import uvicorn

from api.app import create_app
from api.cli.common import driver_for, echo_json
from graph.db import connect
from graph.errors import InvalidInput
from graph.keys import person_ref_key
from graph.masking import jsonable
from graph.schema import init_schema
from graph.settings import LOOPBACK_HOSTS, Settings
from queries.units import unit_exists
from queries.users import DEFAULT_TOKEN_DAYS, cli_actor, create_user, disable_user, list_users

app = typer.Typer()
users_app = typer.Typer(help="Web users and their tokens", no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command("serve")
def serve(host: str = typer.Option("127.0.0.1", help="loopback address to bind (put a proxy in front for others)"),
          port: int = typer.Option(8000, min=1, max=65535),
          workers: int = typer.Option(1, min=1, max=16, help="worker processes (each holds its own expert index and model)"),
          access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="log every request")) -> None:
    """Serve the web pages and the JSON API (OpenAPI at /docs) with uvicorn."""
    if host not in LOOPBACK_HOSTS or host == "":
        raise InvalidInput(f"--host {host}: the service binds loopback only (127.0.0.1 / ::1); use a reverse proxy for TLS and outside access")
    settings = Settings()
    typer.echo(f"plantalent web on http://{host}:{port}/ (API docs /docs, {workers} worker(s))", err=True)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "info", "proxy_headers": False, "access_log": access_log}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Worker processes import the app factory; the managed Neo4j, the schema and the pseudonym key
    # are made here, once, so that the workers find them instead of racing to create them (two
    # workers creating the same constraint deadlock in Neo4j, and one has to retry).
    driver = connect(settings)
    try:
        init_schema(driver, settings)
        person_ref_key(driver, settings)
    finally:
        driver.close()
    # The supervisor kills a worker that does not answer its ping within timeout_worker_healthcheck
    # (5 s by default); a worker importing the app and warming up on a busy machine can take longer,
    # and was then killed and restarted over and over, never serving.
    uvicorn.run("api.app:app_from_env", factory=True, workers=workers, timeout_worker_healthcheck=120, **options)


@users_app.command("add")
def users_add(role: str = typer.Option(..., help="manager | inspector | unit_hr | admin"),
              unit: str | None = typer.Option(None, "--unit", help="UNIT_ID (USCC), required for unit_hr"),
              name: str | None = typer.Option(None, "--name", help="display name"),
              province: str | None = typer.Option(None, "--province", help="scope a manager/inspector to one province (e.g. 浙江省)"),
              days: int = typer.Option(DEFAULT_TOKEN_DAYS, "--days", help="days the token holds")) -> None:
    """Create a user and print its token once on stdout (only its SHA-256 is stored); audited."""
    settings = Settings()
    with driver_for(settings) as driver:
        if unit:
            unit = unit.strip().upper()
            if not unit_exists(driver, settings, unit):
                typer.echo(f"warning: unit {unit} is not in the graph (yet)", err=True)
        user_id, token = create_user(driver, settings, role, unit, name, province=province, days=days, actor=cli_actor())
    scope = f", unit {unit}" if unit else f", province {province}" if province else ""
    typer.echo(f"created user {user_id} ({role}{scope}, token valid {days} days); the token is shown only now:", err=True)
    typer.echo(token)


@users_app.command("disable")
def users_disable(user_id: str = typer.Argument(..., help="USER_ID (from users list)")) -> None:
    """Disable a user: its token answers 401 from now on, in every service process within seconds; audited."""
    settings = Settings()
    with driver_for(settings) as driver:
        disable_user(driver, settings, user_id, actor=cli_actor())
    typer.echo(f"disabled user {user_id}", err=True)


@users_app.command("list")
def users_list(as_json: bool = typer.Option(False, "--json", help="print JSON")) -> None:
    """List users (roles and units, never tokens)."""
    settings = Settings()
    with driver_for(settings) as driver:
        rows = list_users(driver, settings)
    if as_json:
        echo_json(jsonable(rows), indent=None)
        return
    for r in rows:
        state = "disabled" if r.get("disabled") else f"until {str(r.get('expires_at') or '-')[:10]}"
        typer.echo(f"{r['user_id']}\t{r['role']}\t{r.get('unit_id') or r.get('province') or '-'}\t{r.get('name') or ''}\t{state}")
