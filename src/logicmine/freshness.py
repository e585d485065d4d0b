"""Is a built site still true to the code? (`logicmine check`, for CI.)"""

from __future__ import annotations

from pathlib import Path

from .config import load_config
from .discover import discover
from .errors import InputError
from .output import read_manifest
from .pipeline import build_inputs, fingerprint_of


def stale_inputs(out: Path, path: Path | None = None,
                 config_file: Path | None = None) -> list[tuple[str, str]]:
    """(change, file) pairs: changed, added, removed inputs, or the settings that differ."""
    manifest = read_manifest(out)
    if manifest is None:
        raise InputError(f"{out}: no logicmine build found there (no manifest); run build first")
    root = Path(path) if path else Path(manifest["root"])
    if not root.is_dir():
        raise InputError(f"{root}: the repository the docs were built from is gone; "
                         "give it with --source")
    config = load_config(root, config_file=config_file)
    inventory = discover(config, exclude_dirs=(out.resolve(),))
    now = build_inputs(config, inventory.files)
    then = manifest.get("inputs", {})
    stale = [("changed", p) for p in sorted(now) if p in then and then[p] != now[p]]
    stale += [("added", p) for p in sorted(now) if p not in then]
    stale += [("removed", p) for p in sorted(then) if p not in now]
    if not stale and manifest.get("fingerprint") != fingerprint_of(config, inventory, now):
        stale.append(("settings", "configuration or logicmine version differs from the build"))
    return stale
