"""A built wheel, installed into a fresh venv, builds the samples: package data really ships."""

from __future__ import annotations

import json
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args, cwd=None):
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_wheel_installs_and_builds_the_samples(tmp_path):
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", dist, ROOT)
    (wheel,) = dist.glob("logicmine-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("logicmine/_data/parsers/cobol/facts.scm",
                   "logicmine/render/templates/base.html",
                   "logicmine/render/static/style.css"):
        assert needed in names, f"{needed} is missing from the wheel"
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    # dependencies come from this interpreter's site-packages (no download); logicmine itself
    # only from the wheel: a .pth line adds a folder to sys.path without running its .pth files
    purelib = Path(_run(python, "-c", "import sysconfig;print(sysconfig.get_paths()['purelib'])")
                   .stdout.strip())
    deps = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    (purelib / "zz_deps.pth").write_text("\n".join(dict.fromkeys(deps)) + "\n")
    _run(python, "-m", "pip", "install", "--no-deps", "-q", wheel)
    where = _run(python, "-c", "import logicmine;print(logicmine.__file__)").stdout
    assert str(purelib) in where, where
    out = tmp_path / "site"
    _run(env / "bin" / "logicmine", "build", ROOT / "samples" / "cobol", "-o", out, cwd=tmp_path)
    assert (out / "index.html").is_file()
    assert json.loads((out / "rules.json").read_text())["rules"]
