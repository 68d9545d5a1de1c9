"""Generated documents kept in tests/data beside their truth file (`<name>.truth.json`,
written from the generator's own figures): run the engine on one as a user would."""
import json
from pathlib import Path

from extractor.batch.pipeline import process_file


def run_generated(data: Path, name: str, packs, tmp_path: Path) -> tuple[dict, dict]:
    """(the generator's truth, the engine's tables) for the file `data / name`, read from a
    copy in `tmp_path` so nothing is written beside the test data."""
    truth = json.loads((data / f"{name}.truth.json").read_text(encoding="utf-8"))
    path = tmp_path / name
    path.write_bytes((data / name).read_bytes())
    return truth, process_file(path, packs)


SCORE_FIELDS = ("level1", "level2", "level3", "weight", "score", "page")
INDICATOR_FIELDS = ("project", "level1", "level2", "name", "target_text", "actual_text", "weight", "score", "page")


def fields_of(rows: list[dict], fields: tuple[str, ...]) -> list[tuple]:
    """The rows as tuples of the fields compared (the engine's rows and the truth's alike)."""
    return [tuple(r[f] for f in fields) for r in rows]
