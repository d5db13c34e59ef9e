"""CI's script names no folder outside the repository but ../shared, beside the checkout."""

import re

from tests.settings_helpers import ROOT


def test_ci_run_names_no_folder_outside_the_repository_but_shared():
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"  # the interpreter, the one absolute path it needs
    script = "\n".join(lines[1:])
    assert re.findall(r"(?<![\w.$)\"])/\w[\w/.-]*", script) == []
    assert {
        path for path in re.findall(r"\.\./[\w/.-]*", script) if not path.startswith("../shared")
    } == set()
    assert 'missing="$missing chromium"' in script and 'missing="$missing nginx"' in script
    assert "apt-get install -y -qq $missing" in script
    assert "make test" in script
