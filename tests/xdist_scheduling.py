"""How the pytest stages share tests between pytest-xdist workers (`--dist loadgroup`).

Every test is a unit of its own, sent to whichever worker is free, except the tests of the
modules marked `pytestmark = SHARED_DEMO` (tests/conftest.py): they form one unit, so one worker
runs them all and loads the demo site once for the whole run (tests/demo_database.py).

pytest-xdist's own loadgroup scheduling reads the `xdist_group` mark from a suffix its workers
add to each test id; with pytest 9.2 that suffix no longer reaches the scheduler, and the groups
are silently ignored (pytest-dev/pytest-xdist#1386). This scheduler finds the demo modules
itself, from their source, and does not depend on it.
"""

from functools import cache
from pathlib import Path

from xdist.scheduler import LoadScopeScheduling

DEMO_UNIT = "shared_demo"
DEMO_MARK = "pytestmark = SHARED_DEMO"


class DemoModulesTogetherScheduling(LoadScopeScheduling):
    def __init__(self, config, log=None):
        super().__init__(config, log)
        self._rootpath = Path(config.rootpath)

    def _split_scope(self, nodeid):
        if uses_shared_demo(self._rootpath / nodeid.split("::", 1)[0]):
            return DEMO_UNIT
        return nodeid


@cache
def uses_shared_demo(path):
    try:
        return DEMO_MARK in path.read_text(encoding="utf-8")
    except OSError:
        return False
