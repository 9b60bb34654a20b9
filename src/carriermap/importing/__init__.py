"""Importing carriers from the files people have: reading, header mapping, validation, matching, planning.

The library API the CLI and the data page call::

    plan = plan_import(data, "载体.xlsx", city="440100", store=store)   # writes nothing
    plan.counts            # {"new": 3, "changed": 1, "unchanged": 40}
    plan.errors("en")      # [{"row": 7, "column": "经度", "value": "abc", "message": "..."}]
    changeset_id = commit_import(store, plan, actor="alice")          # one transaction
    template_bytes("xlsx", "zh")                                       # the downloadable template

Modules: :mod:`.reading` (bytes → text cells), :mod:`.headers` (which column is which),
:mod:`.validation` (cells → clean records, every problem), :mod:`.matching` (existing
carriers), :mod:`.plan` (plan and commit), :mod:`.template`.
"""

from carriermap.importing.plan import ImportPlan, ImportRejected, PlannedRow, commit_import, plan_import
from carriermap.importing.problems import ImportFileError, RowProblem
from carriermap.importing.template import TEMPLATE_FORMATS, template_bytes

__all__ = ["TEMPLATE_FORMATS", "ImportFileError", "ImportPlan", "ImportRejected", "PlannedRow", "RowProblem",
           "commit_import", "plan_import", "template_bytes"]
