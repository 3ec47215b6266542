"""The `garrison` command: parse arguments, call core, print, exit 0 / 2 (bad input) / 1."""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import getpass
import json
import logging
import os
import sys
import tomllib
from pathlib import Path

from sqlalchemy.exc import OperationalError

from core import countries
from core.cells import records
from core.export import reports_frame, write_csv, write_json
from core.filters import Filters
from core.ingest import CsvFormatError
from core.presence import presence_as_of
from core.profiles import PROFILES, ProfileFormatError, summary_table, text_progress
from core.review import Actor, Policy, submit_csv, submit_profile
from core.store import ENV_VAR, default_url, is_initialised, make_engine, reading, upgrade, writing
from core.validation import parse_partial_date

PRESENCE_OUTPUT = [
    "deployer",
    "host",
    "troops",
    "troops_low",
    "troops_high",
    "sources",
    "last_report_date",
    "figure_date",
    "status",
    "conflict",
    "figures",
]


class UserError(Exception):
    """Bad input from the user: printed without a traceback, exit code 2."""


def _date(text: str) -> dt.date:
    try:
        return parse_partial_date(text)[0]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date ({exc})") from None


def _until(text: str) -> dt.date:
    """--until 2019 means to the end of 2019."""
    start, precision = parse_partial_date(text)
    if precision == "year":
        return start.replace(month=12, day=31)
    if precision == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


def _filters(args) -> Filters:
    try:
        return Filters.build(
            deployers=args.deployer or (),
            hosts=args.host or (),
            since=getattr(args, "since", None),
            until=_until(args.until) if getattr(args, "until", None) else None,
        )
    except countries.UnknownCountry as exc:
        raise UserError(str(exc)) from None


# Engines this call of main() made: disposed when it returns, so in-process callers do not leak connections.
_ENGINES: list = []


def _engine(args, create: bool = False):
    engine = make_engine(args.db)
    _ENGINES.append(engine)
    if create:
        upgrade(engine)
    elif not is_initialised(engine):
        raise UserError(f"no Garrison store at {args.db}: run `garrison init` first")
    return engine


def cmd_init(args) -> int:
    _engine(args, create=True)
    print(f"store ready at {args.db}")
    return 0


def cmd_import(args) -> int:
    """`import FILE` (the canonical CSV) or `import --profile NAME FILE` (a dataset's own layout, with
    a summary table); progress on stderr, atomic unless --skip-invalid."""
    path = Path(args.file)
    if args.file != "-" and not path.is_file():
        raise UserError(f"{args.file}: no such file")
    engine = _engine(args, create=True)
    # Whoever runs the CLI has the store's file or credentials: their imports are published at once.
    actor = Actor(_os_user(), is_editor=True)
    progress = text_progress(sys.stderr, args.file)
    options = {"source_name": args.file, "review_state": "published", "skip_invalid": args.skip_invalid}
    try:
        stream = sys.stdin if args.file == "-" else path.open(encoding="utf-8-sig", newline="")
        with stream, writing(engine) as session:
            if args.profile:
                result = submit_profile(
                    session, args.profile, stream, actor, "profile", Policy(), progress=progress, **options
                )
            else:
                result = submit_csv(
                    session,
                    stream,
                    actor,
                    "cli",
                    Policy(),
                    progress=lambda done, total: progress("store", done, total),
                    **options,
                )
            if not result.ok and not args.skip_invalid:
                session.rollback()
    except (CsvFormatError, ProfileFormatError) as exc:
        raise UserError(f"{args.file}: {exc}") from None
    except UnicodeDecodeError:
        raise UserError(f"{args.file}: not UTF-8 text; save the CSV as UTF-8") from None
    # A canonical CSV lists every error (the user fixes the file); a dataset's listing can be long.
    shown = result.errors[:50] if args.profile else result.errors
    for error in shown:
        print(f"{args.file}: {error}", file=sys.stderr)
    if len(result.errors) > len(shown):
        print(f"{args.file}: ... and {len(result.errors) - len(shown)} more errors", file=sys.stderr)
    if args.profile:
        print(summary_table(result))
    if not result.ok and not args.skip_invalid:
        print(
            f"{args.file}: {result.invalid} invalid rows; nothing imported "
            "(fix them, or use --skip-invalid to import the valid rows)",
            file=sys.stderr,
        )
        return 2
    if not args.profile:
        print(result.summary())
    return 0


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def cmd_user_add(args) -> int:
    from core import users

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise UserError("the passwords differ; nothing was changed")
    try:
        path = users.add_user(args.name, password, args.secrets)
    except users.UserError as exc:
        raise UserError(str(exc)) from None
    print(f"editor {args.name} saved in {path} (restart the dashboard to pick it up)")
    return 0


def cmd_audit(args) -> int:
    from core.audit import audit_frame

    with reading(_engine(args)) as session:
        frame = audit_frame(session, args.report, limit=args.limit)
    if args.format == "json":
        json.dump(records(frame), sys.stdout, default=str, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        frame = frame.assign(changes=frame["changes"].map(lambda c: json.dumps(c, ensure_ascii=False)))
        frame.to_csv(sys.stdout, index=False)
    if frame.attrs.get("truncated"):
        print(f"garrison: showing the newest {args.limit} audit rows; use --limit for more", file=sys.stderr)
    return 0


def cmd_backup(args) -> int:
    from core.backup import BackupError, backup

    try:
        count = backup(args.db, args.path)
    except BackupError as exc:
        raise UserError(str(exc)) from None
    print(f"backed up {count} reports to {args.path} (integrity_check ok)")
    return 0


def cmd_export(args) -> int:
    filters = _filters(args)
    with reading(_engine(args)) as session:
        frame = reports_frame(session, filters)
    (write_json if args.format == "json" else write_csv)(frame, sys.stdout)
    return 0


def cmd_presence(args) -> int:
    filters = _filters(args)
    with reading(_engine(args)) as session:
        frame = presence_as_of(session, args.as_of, filters)[PRESENCE_OUTPUT]
    if args.format == "json":
        json.dump(records(frame), sys.stdout, default=str, indent=1)
        sys.stdout.write("\n")
    else:
        frame.to_csv(sys.stdout, index=False)
    return 0


def cmd_changes(args) -> int:
    from core.changes import CHANGE_COLUMNS, DateOrderError, changes_between

    filters = _filters(args)
    try:
        with reading(_engine(args)) as session:
            frame = changes_between(session, args.date_from, args.date_to, filters)
    except DateOrderError as exc:
        raise UserError(f"--from is after --to: {exc}; swap them") from None
    if args.format == "json":
        json.dump(records(frame[CHANGE_COLUMNS]), sys.stdout, default=str, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from core.excel import write_table_csv

        write_table_csv(frame[CHANGE_COLUMNS], sys.stdout)
    return 0


def cmd_synth(args) -> int:
    from core.synth import synth_rows, write_synth_csv

    if args.out:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            count = write_synth_csv(out, args.reports, seed=args.seed)
        print(f"wrote {count} synthetic reports to {args.out}", file=sys.stderr)
        return 0
    if args.into_db:
        from core.ingest import import_rows

        engine = _engine(args, create=True)
        with writing(engine) as session:
            result = import_rows(session, enumerate(synth_rows(args.reports, seed=args.seed), start=2))
        print(result.summary())
        return 0 if result.ok else 1
    write_synth_csv(sys.stdout, args.reports, seed=args.seed)
    return 0


def cmd_extract(args) -> int:
    """Drafts only: nothing is stored; a person confirms each draft (dashboard or import)."""
    from core.extract import extract  # the gazetteer loads only for this command

    path = Path(args.file)
    if args.file != "-" and not path.is_file():
        raise UserError(f"{args.file}: no such file")
    try:
        text = sys.stdin.read() if args.file == "-" else path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{args.file}: not UTF-8 text") from None
    drafts = [d.to_dict() for d in extract(text, args.published)]
    json.dump(drafts, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def streamlit_flags(config: Path) -> list[str]:
    """The settings of a Streamlit config.toml as `streamlit run` flags (--section.key=value).

    An installed package has no .streamlit/ beside the working directory, so `serve` passes the
    packaged dashboard/config.toml (which .streamlit/config.toml links to in a checkout) as flags.
    """

    def flatten(table: dict, prefix: str) -> list[str]:
        # A nested table ([theme.light]) becomes dotted names: --theme.light.primaryColor=...
        flags = []
        for key, value in table.items():
            if isinstance(value, dict):
                flags += flatten(value, f"{prefix}{key}.")
            else:
                text = str(value).lower() if isinstance(value, bool) else str(value)
                flags.append(f"--{prefix}{key}={text}")
        return flags

    return flatten(tomllib.loads(config.read_text(encoding="utf-8")), "")


def serve_command(db: str, port: int, address: str) -> tuple[list[str], dict[str, str]]:
    """(argv, environment) that run the installed dashboard on the store at `db`."""
    # server.py serves app.py with the map's code named in each page's index.html (dashboard/preload.py).
    app = Path(__file__).resolve().parents[1] / "dashboard" / "server.py"
    for needed in (app, app.with_name("app.py")):
        if not needed.is_file():
            raise UserError(f"{needed} is missing: the garrison package is incomplete; reinstall it")
    argv = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        *streamlit_flags(app.with_name("config.toml")),
        f"--server.port={port}",
        f"--server.address={address}",
    ]
    return argv, {**os.environ, ENV_VAR: db}


def cmd_serve(args) -> int:
    _engine(args).dispose()  # a missing or uninitialised store is told here, not on the first page view
    argv, env = serve_command(args.db, args.port, args.address)
    print(f"garrison: serving {args.db} at http://{args.address}:{args.port}", file=sys.stderr, flush=True)
    # Streamlit replaces this process: signals (Ctrl-C, a service manager's TERM) reach the server itself.
    os.execve(argv[0], argv, env)
    return 1  # not reached


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="garrison", description="Foreign military presence from sourced reports.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=default_url(), help="database URL (default: $GARRISON_DATABASE_URL or the bundled SQLite file)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", parents=[common], help="create or upgrade the schema")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import", parents=[common], help="import a canonical CSV (atomic)")
    p.add_argument("file", help="CSV file, or - for standard input")
    p.add_argument("--skip-invalid", action="store_true", help="import the valid rows, list the rest")
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        metavar="NAME",
        help="read a dataset's own layout: " + ", ".join(sorted(PROFILES)),
    )
    p.set_defaults(func=cmd_import)

    def country_filters(p):
        p.add_argument("--deployer", nargs="+", action="extend", metavar="COUNTRY")
        p.add_argument("--host", nargs="+", action="extend", metavar="COUNTRY")

    p = sub.add_parser("export", parents=[common], help="write reports to standard output")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    country_filters(p)
    p.add_argument("--since", type=_date, metavar="DATE")
    p.add_argument("--until", metavar="DATE")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("synth", parents=[common], help="deterministic synthetic reports (benchmarks)")
    p.add_argument("--reports", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="FILE", help="write canonical CSV here (default: standard output)")
    p.add_argument("--into-db", action="store_true", help="import straight into the store at --db")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("presence", parents=[common], help="presence per pair as of a date")
    p.add_argument("--as-of", type=_date, default=dt.date.today(), metavar="DATE")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    country_filters(p)
    p.set_defaults(func=cmd_presence)

    p = sub.add_parser("changes", parents=[common], help="what changed per pair between two dates")
    p.add_argument("--from", dest="date_from", type=_date, required=True, metavar="DATE")
    p.add_argument("--to", dest="date_to", type=_date, required=True, metavar="DATE")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    country_filters(p)
    p.set_defaults(func=cmd_changes)

    p = sub.add_parser("user", help="editor accounts")
    user_sub = p.add_subparsers(dest="user_command", required=True)
    p = user_sub.add_parser("add", help="add an editor (or set a new password) in the secrets file")
    p.add_argument("name")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument(
        "--secrets",
        default=None,
        metavar="FILE",
        help="secrets file (default: $GARRISON_SECRETS or .streamlit/secrets.toml)",
    )
    p.set_defaults(func=cmd_user_add)

    p = sub.add_parser("audit", parents=[common], help="the audit trail (who changed what, when)")
    p.add_argument("--report", type=int, metavar="ID", help="one report's history")
    p.add_argument("--limit", type=int, default=1000, metavar="N", help="newest N rows (default 1000)")
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("backup", parents=[common], help="copy a live SQLite store (online backup API)")
    p.add_argument("path", help="new file to write the copy to")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("serve", parents=[common], help="start the dashboard (Streamlit) on the store at --db")
    p.add_argument("--port", type=int, default=8501, metavar="N", help="port to listen on (default 8501)")
    p.add_argument(
        "--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 serves other machines)"
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("extract", help="draft reports from a news article (JSON array on standard output)")
    p.add_argument("file", help="text file, or - for standard input")
    p.add_argument(
        "--published",
        type=_date,
        metavar="YYYY-MM-DD",
        help="publication date: resolves weekdays and month names in the text",
    )
    p.set_defaults(func=cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    # core logs what a user should see as it happens (a writer waiting its turn): on stderr, as garrison's.
    logging.basicConfig(format="garrison: %(message)s", level=logging.WARNING)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "until", None):
            try:
                _until(args.until)
            except ValueError as exc:
                raise UserError(f"--until {args.until!r} is not a date ({exc})") from None
        return args.func(args)
    except UserError as exc:
        print(f"garrison: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OperationalError as exc:
        # The driver's message only: the statement and its parameters can be megabytes long.
        reason = str(exc.orig) if exc.orig is not None else str(exc).splitlines()[0]
        if "full" in reason:
            print(
                f"garrison: the store is full ({reason}): nothing was saved by this command; "
                "free disk space and run it again",
                file=sys.stderr,
            )
        else:
            print(f"garrison: database error: {reason}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence prints, not a traceback
        print(f"garrison: error: {exc}", file=sys.stderr)
        return 1
    finally:
        while _ENGINES:
            _ENGINES.pop().dispose()


if __name__ == "__main__":
    sys.exit(main())
