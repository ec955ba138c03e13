"""`checkpoint gui`: open the officer's desk window on a frame source.

The only module outside `checkpoint.ui` that imports it, and only inside `run`, so the other
commands never load Qt. The source is `--source` or the station setting `camera` (`demo` by
default): `demo`, a camera number, a device path, a folder of images or a video file.
"""

from __future__ import annotations

import argparse

from checkpoint.commands import CommandContext, SubParsers


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
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, ctx: CommandContext) -> int:
    # Imported here: only this command needs Qt and the readers' models.
    from checkpoint.camera import open_source  # noqa: PLC0415
    from checkpoint.hits.desk import Desk, default_officer, policy_from  # noqa: PLC0415
    from checkpoint.paths import database_path  # noqa: PLC0415
    from checkpoint.screening.context import open_context  # noqa: PLC0415
    from checkpoint.storage import DatabaseWriter, open_database  # noqa: PLC0415
    from checkpoint.ui.application import create_application  # noqa: PLC0415
    from checkpoint.ui.desk_window import DeskServices, DeskWindow  # noqa: PLC0415

    settings = ctx.settings
    officer = args.officer or default_officer()
    source = open_source(args.source or settings.camera)
    database = database_path(ctx.home)
    # Creates and migrates the database before any thread reads it.
    open_database(database).conn.close()
    writer = DatabaseWriter(database)

    def open_desk() -> Desk:
        db = open_database(database)
        try:
            context = open_context(
                db, station=settings.station_id, officer=officer, policy=policy_from(settings)
            )
        except BaseException:
            db.conn.close()
            raise
        return Desk(context, writer=writer)

    try:
        app = create_application()
        window = DeskWindow(
            DeskServices(
                source=source,
                open_desk=open_desk,
                database=database,
                writer=writer,
                officer=officer,
                hq_url=settings.hq_url,
            )
        )
        try:
            window.show()
            window.start()
            return int(app.exec())
        finally:
            window.shutdown()
    finally:
        writer.close()
