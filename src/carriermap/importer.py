"""Importing carriers: the public API (kept here for callers of the foundation's module).

The work is done in :mod:`carriermap.importing`; see its docstring.
"""

from carriermap.importing import (
    TEMPLATE_FORMATS,
    ImportFileError,
    ImportPlan,
    ImportRejected,
    PlannedRow,
    RowProblem,
    commit_import,
    plan_import,
    template_bytes,
)

__all__ = ["TEMPLATE_FORMATS", "ImportFileError", "ImportPlan", "ImportRejected", "PlannedRow", "RowProblem",
           "commit_import", "plan_import", "template_bytes"]
