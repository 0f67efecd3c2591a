"""Store speed: save and load a scenario on SQLite (exports: bench_export.py).

Targets: save <= 50 ms (issue 7) and load <= 20 ms (issue 21: an organisation and a
history already read are not parsed again) of a scenario on SQLite. A save keeps the
scenario, the organisation (60 people, the ladder) and the aggregated history (13,140
daily counts; stored once, so a save on the same history only checks it is there); a load
reads all three back. Printed: a save (one new version), a load of the latest version,
and a load from a new connection (the organisation and history already read stay
parsed in the process).

    python benchmarks/bench_store.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench_plan import report, timed

from planner import sample, store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    scenario, tickets, history, organisation = sample.load_shipped()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'planner.db'}"
        saved = store.connect(url)
        saved.save(scenario, parent=None, author="bench", history=history,
                   report=tickets.report, organisation=organisation)  # fmt: skip

        def save(_: int) -> None:
            saved.save(scenario, parent=saved.latest(scenario.name), author="bench",
                       note="benchmark", history=history, report=tickets.report,
                       organisation=organisation)  # fmt: skip

        report("save a version (scenario, organisation, history)", timed(save, args.repeat), 50)
        report("load the latest version", timed(lambda _: saved.load(scenario.name),
                                                args.repeat), 20)  # fmt: skip

        def cold(_: int) -> None:
            fresh = store.Store(url)
            fresh.load(scenario.name)
            fresh.close()

        report("connect and load (fresh connection)", timed(cold, args.repeat), 20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
