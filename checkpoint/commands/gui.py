"""`checkpoint gui`: open the officer's desk window on a frame source.

The only module outside `checkpoint.ui` that imports it, and only inside `run`, so the other
commands never load Qt. The source is `--source` or the station setting `camera` (`demo` by
default): `demo`, a camera number, a device path, a folder of images or a video file.

`checkpoint` with no subcommand runs this command. A home nobody has set up (no accounts, no
settings file) opens the first-run wizard first: "Try the demo" (Enter) records demo mode and
opens the demo desk, "Set up this station" ends at the login and the desk; `--demo` skips the
wizard. A station that is not set up yet (demo source, no trusted key, no list) gets the demo
watchlist installed first, so the demo raises hits out of the box; a configured station is
never given the demo's key.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

from checkpoint.accounts import StationSession
from checkpoint.accounts.store import has_accounts
from checkpoint.commands import CommandContext, SubParsers
from checkpoint.config import Settings
from checkpoint.errors import CheckpointError
from checkpoint.paths import INSTALL_ROOT

DEMO_LISTS = INSTALL_ROOT / "watchlists" / "demo"


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="open the officer's desk window",
        description="Open the desk: live view, traveller, screening against the lists in "
        "force, hit decisions, manual MRZ entry.",
    )
    parser.add_argument(
        "--source",
        metavar="demo|INDEX|PATH",
        help="frame source: demo, a camera number, a device, a folder of images or a video "
        "(default: the station's `camera` setting)",
    )
    parser.add_argument(
        "--officer", help="the officer recording decisions (default: the login name)"
    )
    parser.add_argument(
        "--lang",
        metavar="CODE",
        help="language of the window, e.g. fr or en (default: the system's)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo desk: the demo source and, on a new station, the demo watchlist",
    )
    parser.add_argument(
        "--travellers",
        type=_positive,
        metavar="N",
        help="with --demo: screen N travellers unattended (every hit referred), print "
        "what was screened and exit; a smoke test of an installation",
    )
    parser.set_defaults(func=run)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return int(text)


def install_demo_list(home: Path, database: Path, key: str | None = None) -> bool:
    """Install the demo watchlist in a station with no trusted key and no list; say if done.

    `key` opens an encrypted station's database."""
    from checkpoint.storage import open_database  # noqa: PLC0415
    from checkpoint.watchlist.bundle import verify_bundle  # noqa: PLC0415
    from checkpoint.watchlist.keys import trust_key, trusted_keys  # noqa: PLC0415
    from checkpoint.watchlist.store import import_bundle, list_statuses  # noqa: PLC0415

    db = open_database(database, key)
    try:
        if trusted_keys(home) or list_statuses(db):
            return False
        signer = trust_key(home, DEMO_LISTS / "DEMO-ONLY-signing-key.pub")
        content = verify_bundle(DEMO_LISTS / "demo-list-v1.zip", trusted_keys(home))
        import_bundle(db, content, signer_name=f"{signer.name} ({signer.key_id})")
        return True
    finally:
        db.conn.close()


def first_run(home: Path, language: str | None) -> Settings | None:
    """Show the first-run wizard; the settings to go on with, or None when it was closed."""
    from checkpoint.firstrun import skip_to_demo  # noqa: PLC0415
    from checkpoint.ui.application import create_application  # noqa: PLC0415
    from checkpoint.ui.wizard import FirstRunWizard  # noqa: PLC0415

    create_application(language=language)
    wizard = FirstRunWizard(home)
    try:
        wizard.exec()
    finally:
        wizard.shutdown()
    if wizard.choice == "demo":
        return skip_to_demo(home)
    if wizard.choice == "done" and wizard.outcome is not None:
        return wizard.outcome.settings
    return None


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    # Imported here: only this command needs Qt and the readers' models.
    from checkpoint.camera import DemoSource, open_source  # noqa: PLC0415
    from checkpoint.firstrun import needs_setup  # noqa: PLC0415
    from checkpoint.hits.desk import (  # noqa: PLC0415
        ProcessDesk,
        default_officer,
        policy_from,
        station_desk,
    )
    from checkpoint.storage import DatabaseWriter, open_database  # noqa: PLC0415
    from checkpoint.ui.application import create_application  # noqa: PLC0415
    from checkpoint.ui.autopilot import Autopilot  # noqa: PLC0415
    from checkpoint.ui.desk_window import DeskServices, DeskWindow  # noqa: PLC0415
    from checkpoint.ui.login import StationGuard, log_in  # noqa: PLC0415

    settings = ctx.settings
    if args.demo and args.source not in (None, "demo"):
        raise CheckpointError("--demo opens the demo source: leave out --source, or --demo.")
    if args.travellers and not args.demo:
        raise CheckpointError("--travellers screens demo travellers only: add --demo.")
    spec = "demo" if args.demo else (args.source or settings.camera)
    # Opened before any window, so a source that cannot open is one sentence. Unattended, each
    # demo traveller stays on the desk until the autopilot calls the next: none is missed while
    # the readers load.
    sources = [DemoSource(frames_each=1_000_000) if args.travellers else open_source(spec)]
    if not args.demo and needs_setup(ctx.home):
        chosen = first_run(ctx.home, getattr(args, "lang", None))
        if chosen is None:
            sources[0].close()
            print(
                "The station is not set up: start Checkpoint again to set it up.", file=ctx.stdout
            )
            return 0
        settings = chosen
        if args.source is None and settings.camera != spec:
            sources[0].close()
            spec = settings.camera
            sources = [open_source(spec)]
    if args.officer and has_accounts(ctx.home):
        sources[0].close()
        raise CheckpointError(
            "On a station with accounts the officer is whoever logs in: leave out --officer."
        )
    app = create_application(language=getattr(args, "lang", None))
    # A station with accounts shows nothing, and cannot open its database, before a login.
    session = log_in(ctx.home, settings, username=ctx.user or "")
    if session is None:
        sources[0].close()
        return 0
    key = session.database_key
    database = session.database_path
    # Creates and migrates the database before any thread reads it.
    open_database(database, key).conn.close()
    if spec.strip() == "demo" and install_demo_list(ctx.home, database, key):
        print("Demo station: the demo watchlist is installed.", file=ctx.stdout)
    writer = DatabaseWriter(database, key)

    def desk_for(session: StationSession) -> DeskWindow:
        """A desk under `session`'s name (a new one when another user unlocks the station)."""
        demo_officer = args.officer or default_officer()
        officer = demo_officer if session.is_demo else session.principal.username
        # The readers run in a process of their own, so the window never waits on them.
        desk_factory = functools.partial(
            station_desk,
            database,
            key,
            station=settings.station_id,
            officer=officer,
            policy=policy_from(settings),
        )

        def open_desk() -> ProcessDesk:
            return ProcessDesk(desk_factory, writer)

        window = DeskWindow(
            DeskServices(
                source=sources.pop() if sources else open_source(spec),
                open_desk=open_desk,
                database=database,
                writer=writer,
                officer=officer,
                hq_url=settings.hq_url,
                database_key=key,
                principal=session.principal,
                retention=settings.retention,
            )
        )
        window.show()
        window.start()
        return window

    def shut(window: object) -> None:
        if isinstance(window, DeskWindow):
            window.shutdown()

    guard = StationGuard(ctx.home, settings, desk_for, shut)
    guard.quit_requested.connect(app.quit)
    try:
        window = guard.open(session)
        try:
            autopilot = (
                Autopilot(window, args.travellers)
                if args.travellers and isinstance(window, DeskWindow)
                else None
            )
            status = int(app.exec())
            if autopilot is None:
                return status
            print(autopilot.summary(), file=ctx.stdout)
            return status if autopilot.finished else 1
        finally:
            guard.stop()
            if guard.window is not None:
                shut(guard.window)
    finally:
        writer.close()
