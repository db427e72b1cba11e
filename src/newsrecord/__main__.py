"""The ``newsrecord`` command (also ``python -m newsrecord``).

The command line needs click, from the ``cli`` extra; without it, this says how to
install it in one line instead of failing with a traceback.
"""

from __future__ import annotations

import sys

INSTALL_HINT = (
    "newsrecord: the command line needs click; "
    "install it with: pip install 'newsrecord[cli]'"
)


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments).

    Returns the exit status: 0 for success, 1 when records are invalid, 2 for a
    usage error or a path that cannot be read, 130 when interrupted.
    """
    try:
        from ._cli import run  # noqa: PLC0415 (click is optional: imported here)
    except ModuleNotFoundError as exc:
        if exc.name != "click":
            raise
        print(INSTALL_HINT, file=sys.stderr)  # noqa: T201 (click is what is missing)
        return 2
    except KeyboardInterrupt:  # ^C while the command line is still loading
        print("newsrecord: interrupted", file=sys.stderr)  # noqa: T201 (as _cli does)
        return 130
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
