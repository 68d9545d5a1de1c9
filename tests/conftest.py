import json
from pathlib import Path

import pytest

from extractor.packs import load_packs

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def packs():
    return load_packs()


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
