"""Planning a notice against the register (writes nothing) and committing it as one change set.

:func:`plan_notice` reads the notice and sorts its names: **exact** matches (level,
``level_notice`` and ``level_notice_date`` will be set), **similar** names (shown with their
candidates; applied only when the editor confirms one), **unmatched** names (listed, each
can be added as an unplaced carrier: its city and district parsed from what the notice
says), and the register's carriers that held the level and are **missing** from this newer
notice (listed for review, never changed). A carrier whose level comes from a notice newer
than this one keeps it (listed as ``kept_newer``). :func:`commit_notice` writes the chosen
changes in one transaction, kind ``notice``: one undo reverses all of it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from carriermap.addresses import parse_address
from carriermap.cities import all_cities
from carriermap.importing.plan import ImportRejected
from carriermap.importing.problems import ImportFileError, RowProblem, file_problem
from carriermap.importing.synonyms import resolve
from carriermap.model import clean_carrier, parse_code
from carriermap.notices.matching import Candidate, RegisterNames
from carriermap.notices.reading import NoticeRow, read_notice

NOTICE_KIND = "notice"


class NoticeRejected(ImportRejected):
    """A plan with problems (bad level, date or file) cannot be committed; nothing was written."""


@dataclass
class Match:
    """A notice row matched to one carrier (exactly, or confirmed by the editor)."""

    row: NoticeRow
    carrier: dict[str, Any]
    kept_newer: bool = False

    @property
    def changes(self) -> bool:
        """True when applying the notice changes the carrier."""
        return not self.kept_newer


@dataclass
class Unmatched:
    """A notice name not in the register, and the unplaced carrier it would become (or why it cannot)."""

    row: NoticeRow
    city_adcode: str | None
    district_adcode: str | None
    place_name: str
    addable: bool


@dataclass
class NoticePlan:
    """What applying a notice would do; see the module docstring."""

    filename: str
    level: str | None
    notice: str
    date: str | None
    type_for_new: str = "incubator"
    exact: list[Match] = field(default_factory=list)
    similar: list[tuple[NoticeRow, list[Candidate]]] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    cities: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the notice can be applied."""
        return not self.problems

    def counts(self) -> dict[str, int]:
        """How many names fall in each group."""
        return {"exact": len(self.exact), "similar": len(self.similar), "unmatched": len(self.unmatched),
                "missing": len(self.missing), "kept_newer": sum(m.kept_newer for m in self.exact),
                "skipped": len(self.skipped_rows)}

    def preview(self) -> dict[str, pd.DataFrame]:
        """One frame per group (the data page and the CLI's JSON show them)."""
        exact = pd.DataFrame([{"row": m.row.row, "name": m.row.name, "carrier_id": int(m.carrier["id"]),
                               "register_name": m.carrier["name"], "level_before": m.carrier.get("level"),
                               "notice_before": m.carrier.get("level_notice"), "kept_newer": m.kept_newer}
                              for m in self.exact],
                             columns=["row", "name", "carrier_id", "register_name", "level_before", "notice_before",
                                      "kept_newer"])
        similar = pd.DataFrame([{"row": row.row, "name": row.name, "carrier_id": c.carrier_id,
                                 "register_name": c.name, "score": c.score}
                                for row, candidates in self.similar for c in candidates],
                               columns=["row", "name", "carrier_id", "register_name", "score"])
        unmatched = pd.DataFrame([{"row": u.row.row, "name": u.row.name, "place": u.place_name,
                                   "city_adcode": u.city_adcode, "district_adcode": u.district_adcode,
                                   "addable": u.addable} for u in self.unmatched],
                                 columns=["row", "name", "place", "city_adcode", "district_adcode", "addable"])
        missing = pd.DataFrame([{"carrier_id": int(c["id"]), "name": c["name"], "level_notice": c.get("level_notice"),
                                 "level_notice_date": c.get("level_notice_date")} for c in self.missing],
                               columns=["carrier_id", "name", "level_notice", "level_notice_date"])
        return {"exact": exact, "similar": similar, "unmatched": unmatched, "missing": missing}


def _parse_date(text: str | None) -> str | None:
    try:
        return dt.date.fromisoformat(str(text or "").strip()).isoformat()
    except ValueError:
        return None


def _records(store, cities: tuple[str, ...]) -> list[dict[str, Any]]:
    frames = [store.carriers(city) for city in cities]
    frame = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(not f.empty for f in frames) \
        else pd.DataFrame()
    if frame.empty:
        return []
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _is_newer(carrier: dict[str, Any], date: str) -> bool:
    held = _parse_date(carrier.get("level_notice_date"))
    return held is not None and held > date


def plan_notice(store, source: bytes | str | Path, filename: str | None = None, *, level: str, notice: str,
                date: str, city: str | None = None, carrier_type: str | None = None) -> NoticePlan:
    """Read a notice and match it to the register of ``city`` (default: every covered city); write nothing."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        if not path.is_file():
            plan = NoticePlan(filename, None, notice, None)
            plan.problems.append(file_problem(ImportFileError("error.file_missing", path=str(path))))
            return plan
        source = path.read_bytes()
    code = parse_code("level", level) or (resolve("level", level) or {}).get("level")
    plan = NoticePlan(filename or "", code, str(notice or "").strip(), _parse_date(date))
    plan.cities = (str(city),) if city else tuple(c.adcode for c in all_cities())
    if code is None:
        plan.problems.append(RowProblem(None, "--level", level, "lists.notice.bad_level"))
    if not plan.notice:
        plan.problems.append(RowProblem(None, "--notice", notice, "lists.notice.no_number"))
    if plan.date is None:
        plan.problems.append(RowProblem(None, "--date", date, "lists.notice.bad_date"))
    try:
        rows, plan.skipped_rows = read_notice(source, plan.filename)
    except ImportFileError as error:
        plan.problems.append(file_problem(error))
        return plan
    if not rows:
        plan.problems.append(RowProblem(None, None, None, "lists.notice.no_names"))
    if plan.problems:
        return plan
    register = _records(store, plan.cities)
    names = RegisterNames(register)
    matched: set[int] = set()
    for row in rows:
        found = names.exact(row.name)
        if len(found) == 1:
            carrier = found[0]
            plan.exact.append(Match(row, carrier, kept_newer=_is_newer(carrier, plan.date)))
            matched.add(int(carrier["id"]))
            continue
        candidates = [Candidate(int(c["id"]), str(c["name"]), 1.0) for c in found] or names.similar(row.name)
        if candidates:
            plan.similar.append((row, candidates))
            matched.update(c.carrier_id for c in candidates)
        else:
            plan.unmatched.append(_unmatched(row, plan.cities))
    types = Counter(m.carrier["type"] for m in plan.exact)
    plan.type_for_new = carrier_type or (types.most_common(1)[0][0] if types else "incubator")
    wanted_types = set(types) or {plan.type_for_new}
    plan.missing = [c for c in register if c.get("level") == code and int(c["id"]) not in matched
                    and c.get("type") in wanted_types and c.get("status") != "delisted"
                    and not _is_newer(c, plan.date)]
    return plan


def _unmatched(row: NoticeRow, cities: tuple[str, ...]) -> Unmatched:
    """Where a name not in the register would go: its city and district from what the notice says."""
    text = f"{row.locality}{row.district}{row.address}" or row.name
    hint = cities[0] if len(cities) == 1 else None
    match = parse_address(text, hint)
    if match.city_adcode is None and hint and not (row.locality or row.address):
        match = parse_address(row.name, hint)
    city = match.city_adcode if match.city_adcode in cities else (hint if match.city_adcode is None else None)
    return Unmatched(row, city, match.district_adcode if city else None,
                     match.place_name or "", addable=city is not None)


def changes(plan: NoticePlan, confirm: dict[int, int] | None = None, add_unplaced: set[int] | None = None
            ) -> tuple[list[tuple[dict[str, Any], dict[str, Any]]], list[dict[str, Any]]]:
    """The updates ``(carrier, values)`` and the new unplaced records the choices make."""
    values = {"level": plan.level, "level_notice": plan.notice, "level_notice_date": plan.date}
    chosen = [m.carrier for m in plan.exact if m.changes]
    confirm = confirm or {}
    for row, candidates in plan.similar:
        carrier_id = confirm.get(row.row)
        if carrier_id is None:
            continue
        pick = next((c for c in candidates if c.carrier_id == int(carrier_id)), None)
        if pick is None:
            raise NoticeRejected([RowProblem(row.row, None, carrier_id, "lists.notice.not_a_candidate")])
        chosen.append({"id": pick.carrier_id})
    updates = [(carrier, dict(values)) for carrier in {int(c["id"]): c for c in chosen}.values()]
    inserts = []
    for item in plan.unmatched:
        if item.row.row not in (add_unplaced or set()) or not item.addable:
            continue
        record, problems = clean_carrier({
            "name": item.row.name, "type": plan.type_for_new, "city_adcode": item.city_adcode,
            "district_adcode": item.district_adcode, "address": item.row.address or item.place_name or item.row.name,
            "operator": item.row.operator or None, **values, "source": plan.notice})
        if problems:
            raise NoticeRejected([RowProblem(item.row.row, p.field, p.value, p.key, p.params) for p in problems])
        inserts.append(record)
    return updates, inserts


def commit_notice(store, plan: NoticePlan, actor: str, *, confirm: dict[int, int] | None = None,
                  add_unplaced: set[int] | None = None, connection=None) -> int | None:
    """Apply the plan (exact matches, confirmed similar ones, chosen additions) as ONE change set.

    Returns the change set id (None when nothing changes). Raises :class:`NoticeRejected`
    for a plan with problems and :class:`carriermap.store.ConflictError` when a carrier
    changed since the plan was made (then nothing is written).
    """
    from carriermap.store.repository import Update

    if not plan.ok:
        raise NoticeRejected(plan.problems)
    updates, inserts = changes(plan, confirm, add_unplaced)
    city = plan.cities[0] if len(plan.cities) == 1 else None
    result = store.apply(
        actor=actor, kind=NOTICE_KIND, city_adcode=city, connection=connection,
        summary=f"{plan.notice} {plan.date} {plan.level}: ~{len(updates)} +{len(inserts)} ({plan.filename})",
        updates=[Update(int(carrier["id"]), vals, expected_version=_version(carrier)) for carrier, vals in updates],
        inserts=inserts)
    return result.changeset_id


def _version(carrier: dict[str, Any]) -> int | None:
    version = carrier.get("version")
    return int(version) if version is not None else None


def apply_notice(store, user, plan: NoticePlan, *, confirm: dict[int, int] | None = None,
                 add_unplaced: set[int] | None = None, as_of: dt.date | dt.datetime | None = None) -> int | None:
    """:func:`commit_notice` as an editor: admins, or the official of the (one) city the plan covers.

    A notice sets levels across a city's districts, so district officials and operators may
    not apply one; a frozen quarter is refused like any edit.
    """
    from carriermap.permissions import PermissionDenied, can_manage_city
    from carriermap.snapshots import refuse_if_frozen

    if user is None or not all(can_manage_city(user, city) for city in plan.cities):
        raise PermissionDenied("lists.notice.not_allowed", user=user.name if user else "")
    for city in plan.cities:
        refuse_if_frozen(store, city, as_of if as_of is not None else dt.datetime.now(dt.UTC))
    return commit_notice(store, plan, user.name, confirm=confirm, add_unplaced=add_unplaced)
