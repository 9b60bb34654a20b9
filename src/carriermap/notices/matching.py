"""Which carrier of the register a name in a notice is: the same name, else a similar one to confirm.

Names are compared as keys: NFKC, lower case, without spaces, brackets and punctuation, and
without a company-form suffix (有限公司, 股份有限公司 …), since notices often name the operating
company where the register names the carrier. Exact keys match at once; otherwise the most
similar register names (one contains the other, or :data:`SIMILAR` ratio) are offered for the
editor to confirm — never applied on their own.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

SIMILAR = 0.75
CANDIDATES = 3
_COMPANY = re.compile(r"(股份有限公司|有限责任公司|有限公司|公司)$")
_PUNCTUATION = re.compile(r"[\s()\[\]{}<>《》“”\"'·•,.,。、:;:;\-—_]+")


def notice_key(name: Any) -> str:
    """A name as compared across a notice and the register."""
    text = unicodedata.normalize("NFKC", str(name or "")).lower()
    return _COMPANY.sub("", _PUNCTUATION.sub("", text))


@dataclass(frozen=True)
class Candidate:
    """A register carrier a notice name may be, with how alike the names are (0–1)."""

    carrier_id: int
    name: str
    score: float


class RegisterNames:
    """The register's names, looked up exactly or by similarity."""

    def __init__(self, carriers: list[dict[str, Any]]):
        self.by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for carrier in carriers:
            self.by_key[notice_key(carrier["name"])].append(carrier)
        self.keys = list(self.by_key)

    def exact(self, name: str) -> list[dict[str, Any]]:
        """Carriers whose name key equals ``name``'s."""
        return list(self.by_key.get(notice_key(name), []))

    def similar(self, name: str) -> list[Candidate]:
        """Up to :data:`CANDIDATES` carriers with a similar name, most alike first."""
        key = notice_key(name)
        if not key:
            return []
        scores: dict[str, float] = {}
        for other in difflib.get_close_matches(key, self.keys, n=CANDIDATES, cutoff=SIMILAR):
            scores[other] = difflib.SequenceMatcher(None, key, other).ratio()
        if len(key) >= 4:
            for other in self.keys:
                if len(other) >= 4 and (key in other or other in key):
                    scores[other] = max(scores.get(other, 0.0), min(len(key), len(other)) / max(len(key), len(other)))
        ranked = sorted(scores.items(), key=lambda item: -item[1])[:CANDIDATES]
        return [Candidate(int(c["id"]), str(c["name"]), round(score, 3))
                for other, score in ranked for c in self.by_key[other]][:CANDIDATES]
