"""Every data-page panel words a refused write the same way (rule of the product, or a busy database)."""

from carriermap.i18n import t
from carriermap.permissions import PermissionDenied
from carriermap.store import StoreBusy
from carriermap.ui.refusals import WRITE_REFUSALS, refusal_text


class _Context:
    lang = "zh"

    def t(self, key: str, **fields) -> str:
        return t(key, self.lang, **fields)


def test_a_busy_database_and_a_rule_are_both_refusals_with_catalogue_text():
    busy = StoreBusy("database is locked")
    assert isinstance(busy, WRITE_REFUSALS)
    assert refusal_text(_Context(), busy) == t("store.error.busy", "zh")
    denied = PermissionDenied("data.error.not_in_scope", name="甲孵化器", user="ops")
    assert isinstance(denied, WRITE_REFUSALS)
    assert refusal_text(_Context(), denied) == t("data.error.not_in_scope", "zh", name="甲孵化器", user="ops")
    assert "甲孵化器" in refusal_text(_Context(), denied)
