"""The import template people download: a title row, the header row, a notes row.

The same three-row layout the reader understands (title rows above the header and a
notes row under it are recognised and skipped), so the template imports as it is filled.
"""

from __future__ import annotations

import pandas as pd

from carriermap import codes
from carriermap.export import to_csv_bytes, to_xlsx_bytes
from carriermap.i18n import catalogue, labels, t
from carriermap.importing.headers import REQUIRED_COLUMNS, TEMPLATE_FIELDS, header_text
from carriermap.model import FIELDS_BY_NAME

TEMPLATE_FORMATS: tuple[str, ...] = ("xlsx", "csv")


def _note(name: str, lang: str) -> str:
    """What goes in a column: required or optional, and the allowed values of a coded field."""
    need = t("import.template.required" if name in REQUIRED_COLUMNS else "import.template.optional", lang)
    spec = FIELDS_BY_NAME.get(name)
    if name == "crs":
        allowed = "WGS-84 / GCJ-02 / BD-09"
    elif spec is not None and spec.kind == "code":
        vocabulary = spec.vocabulary or name
        allowed = ("、" if lang == "zh" else ", ").join(labels(vocabulary, codes.VOCABULARIES[vocabulary], lang).values())
    else:
        allowed = catalogue(lang).get(f"import.template.note.{name}", "")
    return f"{need}: {allowed}" if allowed else need


def template_frame(lang: str = "zh") -> pd.DataFrame:
    """The template as a frame: headers in ``lang``, one notes row."""
    headers = [header_text(name, lang) for name in TEMPLATE_FIELDS]
    return pd.DataFrame([[_note(name, lang) for name in TEMPLATE_FIELDS]], columns=headers)


def template_bytes(fmt: str = "xlsx", lang: str = "zh") -> bytes:
    """The downloadable template as XLSX (with a title row) or CSV (UTF-8 with BOM)."""
    frame = template_frame(lang)
    if fmt == "csv":
        return to_csv_bytes(frame)
    if fmt != "xlsx":
        raise ValueError(f"unknown template format {fmt!r}; use one of {', '.join(TEMPLATE_FORMATS)}")
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({t("import.template.sheet", lang): frame})))
    sheet = workbook.active
    sheet.insert_rows(1)
    sheet.cell(row=1, column=1, value=t("import.template.title", lang))
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=min(8, len(TEMPLATE_FIELDS)))
    for index, name in enumerate(TEMPLATE_FIELDS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(12, len(header_text(name, lang)) * 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
