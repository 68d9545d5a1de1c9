import json
import shutil
import subprocess
from pathlib import Path

import pytest

from extractor.packs import load_packs

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(tmp_path, *args):
    """Headless Chromium with its own profile and no network: the report tests' browser."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


@pytest.fixture(scope="session")
def packs():
    return load_packs()


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
