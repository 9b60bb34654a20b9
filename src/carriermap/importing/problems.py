"""Problems found in an import, said the way the user sees the file, in zh or en."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carriermap.formatting import display_value
from carriermap.i18n import t
from carriermap.model import shown_value


class ImportFileError(ValueError):
    """The file as a whole cannot be used (empty, binary, unreadable, invalid GeoJSON, …)."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class RowProblem:
    """One problem: row (as numbered in the file), column (as named in the file), value, message.

    ``row``/``column`` are None for problems of the whole file. Message parameters whose
    name ends in ``_zh``/``_en`` are chosen by language (e.g. district names), so one
    problem can be said in both languages.
    """

    row: int | None
    column: str | int | None
    value: Any
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        """The problem and what to do about it, in ``lang``."""
        params = {}
        for name, value in self.params.items():
            if name.endswith(("_zh", "_en")):
                if name.endswith("_" + lang) or (lang not in ("zh", "en") and name.endswith("_zh")):
                    params[name[:-3]] = value
            else:
                params[name] = value
        return t(self.key, lang, **{name: display_value(value) for name, value in params.items()})

    def as_dict(self, lang: str = "zh") -> dict[str, Any]:
        """``{"row", "column", "value", "message"}`` (the CLI's JSON and the data page's table)."""
        value = self.value
        if isinstance(value, float) and value != value:  # NaN
            value = None
        value = shown_value(value)  # a 1 MB cell is named, not echoed back
        return {"row": self.row, "column": self.column, "value": value, "message": self.message(lang)}


def file_problem(error: ImportFileError) -> RowProblem:
    """A whole-file error as a problem without row or column."""
    return RowProblem(None, None, None, error.key, dict(error.params))
