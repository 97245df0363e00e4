"""Command-line export, provider listing and usage."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from studio import secrets
from studio.cli.common import CliError, version, with_project


def run_export(args: Any) -> int:
    from studio.export import export
    from studio.render.book import ProjectBook

    with with_project(args) as project:
        book = ProjectBook(
            project, lettered=not args.no_lettering, app_name=f"Comic Studio {version()}"
        )
        if book.page_count() == 0:
            raise CliError("The project has no pages yet: run `comic-studio generate` first.")
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            """Progress on stderr; the result is said once, on stdout, after the export."""
            if tty:
                sys.stderr.write(f"\rExporting page {done}/{total}")
                sys.stderr.flush()
            elif done % 20 == 0 and done < total:
                print(f"Exporting page {done}/{total}", file=sys.stderr)

        out = export(book, args.format, Path(args.out), progress)
        if tty:
            sys.stderr.write("\n")
    print(f"Exported {book.page_count()} page(s) to {out}")
    return 0


def providers_report(args: Any) -> int:
    from studio.providers import registry

    rows = []
    for pinfo in registry.available():
        caps = pinfo.capabilities
        missing = {name: caps.reason(name) for name, ok in caps.as_dict().items() if not ok}
        source = secrets.key_source(pinfo.id) if caps.needs_key else ""
        rows.append(
            {
                "id": pinfo.id,
                "name": pinfo.name,
                "default": pinfo.id == "local",
                "needs_key": caps.needs_key,
                "key_stored": bool(source),
                "key_source": source,
                "base_url": registry.resolve_base_url(pinfo.id) if caps.needs_key else "",
                "capabilities": caps.as_dict(),
                "unsupported": missing,
                "sizes": list(caps.sizes),
                "styles": list(caps.styles),
            }
        )
    if args.json:
        print(json.dumps({"keyring": secrets.backend_name(), "providers": rows}, indent=2))
        return 0
    print(f"Keyring: {secrets.backend_name()}")
    for row in rows:
        key = "no key needed" if not row["needs_key"] else (row["key_source"] or "no key")
        can = ", ".join(k for k, v in row["capabilities"].items() if v)
        print(f"{row['id']:<13} {row['name']:<18} [{key}]  {can}")
    return 0


def usage_report(args: Any) -> int:
    from studio.providers import registry

    provider = registry.create_provider(args.provider, base_url=args.base_url)

    async def fetch() -> dict[str, Any]:
        try:
            return await provider.usage()
        finally:
            await provider.aclose()

    data = asyncio.run(fetch())
    if args.json:
        print(json.dumps({"provider": args.provider, "usage": data}, indent=2))
    else:
        for key, value in data.items():
            print(f"{key}: {json.dumps(value) if isinstance(value, dict | list) else value}")
    return 0
