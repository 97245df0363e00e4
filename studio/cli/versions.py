"""`versions` and `use-version`: a panel's versions, numbered 1..n per panel."""

from __future__ import annotations

import json
from typing import Any

from studio.cli.common import EXIT_OK, CliError, with_project
from studio.core.versions import pick_version, version_number


def cmd_versions(args: Any) -> int:
    with with_project(args) as project:
        panel = project.panel_at(args.page, args.panel)
        versions = project.versions(panel.id)
    data = {
        "page": args.page,
        "panel": args.panel,
        "current": panel.current_version,
        "current_number": version_number(versions, panel.current_version),
        "versions": [
            {
                "id": v.id,
                "number": number,
                "provider": v.provider,
                "job_id": v.job_id,
                "prompt": v.prompt,
                "created_at": v.created_at,
                "kind": v.kind.value,
                "width": v.width,
                "height": v.height,
                "watermarked": v.watermarked,
                "source_url": v.source_url,
                "current": v.id == panel.current_version,
            }
            for number, v in enumerate(versions, start=1)
        ],
    }
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif not versions:
        print("This panel has no versions yet.")
    else:
        total = len(versions)
        for v in data["versions"]:
            mark = "*" if v["current"] else " "
            name = f"version {v['number']} of {total}"
            print(f"{mark} {name:<16} {v['provider']:<12} {v['kind']:<6} {v['prompt'][:60]}")
    return EXIT_OK


def cmd_use_version(args: Any) -> int:
    """`--version K`: the number `versions` shows (1..n); a global version id of the same
    panel is still accepted when K is not such a number (scripts written before numbers)."""
    with with_project(args) as project:
        panel = project.panel_at(args.page, args.panel)
        versions = project.versions(panel.id)
        chosen = pick_version(versions, args.version)
        if chosen is None:
            have = f"versions 1 to {len(versions)}" if versions else "no versions yet"
            raise CliError(
                f"Page {args.page} panel {args.panel} has {have}; there is no version "
                f"{args.version} (see `comic-studio versions`)."
            )
        project.set_current_version(panel.id, chosen.id)
        number = version_number(versions, chosen.id)
    print(f"Page {args.page} panel {args.panel} now shows version {number} of {len(versions)}.")
    return EXIT_OK
