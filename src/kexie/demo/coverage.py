"""Coverage statistics for the demo: counted again from the rows once the demo's bulk writes are
done (bulk writes bypass the services' refresh). Deterministic and idempotent."""

from __future__ import annotations

from kexie.coverage.services import rebuild


def load_coverage_demo() -> int:
    """Count the coverage cells from the rows; returns the number of cells."""

    return rebuild()
