"""Entry script of the packaged app (PyInstaller): exactly `comic-studio` = studio.cli.main.

Everything a desktop launch needs (``comic-studio FILE.comic``, the app icon and desktop file
name, closing in order on SIGTERM/SIGINT, the ``COMIC_STUDIO_SMOKE`` hook of smoke.sh) lives
in the package: studio/cli, studio/ui/main.py and studio/ui/smoke.py.
"""

from __future__ import annotations

import sys

from studio.cli import main

if __name__ == "__main__":
    sys.exit(main())
