"""An exception that carries a catalogue key and its parameters, so the page and the CLI can
say it in zh or en (``t(error.key, lang, **error.params)``)."""

from __future__ import annotations

from typing import Any


class KeyedError(Exception):
    """A refusal a user must read: ``key`` names a catalogue message, ``params`` fill it."""

    def __init__(self, key: str, **params: Any):
        super().__init__(f"{key} {params}")
        self.key = key
        self.params = params
