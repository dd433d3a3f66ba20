"""Named refusals of the station: an HTTP status, a message code and what the reply carries."""
from __future__ import annotations

from starlette.exceptions import HTTPException

from sync import messages

from . import texts  # noqa: F401  (registers the codes used below)


class StationError(HTTPException):
    """A refusal a person can act on; rendered as {"code", "message", **extra} in their language.

    It is an HTTPException so that FastAPI re-raises it untouched when it comes out of
    reading a request body (a gzip body too large, say).
    """

    def __init__(self, status: int, code: str, /, extra: dict | None = None,
                 headers: dict | None = None, **params):
        self.status, self.code, self.params, self.extra = status, code, params, extra or {}
        super().__init__(status_code=status, detail=code, headers=headers)

    def message(self, lang: str | None = None) -> str:
        return messages.render(self.code, lang, **self.params)

    def body(self, lang: str | None = None) -> dict:
        extra = {k: ([r.model_dump() if hasattr(r, "model_dump") else r for r in v] if isinstance(v, list) else v)
                 for k, v in self.extra.items()}
        return {"code": self.code, "message": self.message(lang), **extra}

    def __str__(self) -> str:
        return self.message()


class Unavailable(StationError):
    def __init__(self):
        super().__init__(503, "unavailable", headers={"Retry-After": "30"})


class RecordInvalid(StationError):
    """A station-made change (a resolution) that would leave the record invalid: 422 naming the fields."""

    def __init__(self, error):
        self.error = error
        super().__init__(422, "invalid", count=len(error.errors))
        self.extra = {"fields": error.fields()}

    def message(self, lang: str | None = None) -> str:
        return self.error.message(lang)
