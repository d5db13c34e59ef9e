"""fixtures/README.md lists every file in fixtures/ with its SHA-256, and the files are the ones it describes."""

import hashlib
import re
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
README = FIXTURES / "README.md"
SECTION = re.compile(r"^### `(?P<path>[^`]+)`\n- SHA-256: `(?P<sha256>[0-9a-f]{64})`$", re.MULTILINE)


def listed_checksums(text: str) -> dict[str, str]:
    return {match["path"]: match["sha256"] for match in SECTION.finditer(text)}


def fixture_files() -> list[str]:
    return sorted(
        str(path.relative_to(FIXTURES)) for path in FIXTURES.rglob("*") if path.is_file() and path != README
    )


def test_every_fixture_is_listed_once_in_the_readme():
    text = README.read_text(encoding="utf-8")
    listed = [match["path"] for match in SECTION.finditer(text)]
    assert sorted(listed) == fixture_files()


@pytest.mark.parametrize("name", fixture_files())
def test_each_fixture_has_the_sha256_the_readme_gives(name):
    expected = listed_checksums(README.read_text(encoding="utf-8")).get(name)
    assert hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest() == expected, (
        f"fixtures/{name} is not the file fixtures/README.md describes: update its SHA-256 (and what it says)"
    )
