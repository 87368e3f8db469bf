"""The kinds of PDF document Zorg makes. Each app registers its own (in its
AppConfig.ready), as it registers its start cards and reminders:

- `opzoeken(user, object_id)`: the thing the document is about, as `user`
  may see it, or Http404: the app's `get_<thing>_for_user` policy. Asked
  when the document is requested, again when the worker makes it, and again
  at every download, so a reader who lost access gets a 404 each time.
- `opties(data)`: the request's options, cleaned (a ValidationError with a
  message for the reader), e.g. the period of a care file.
- `opmaken(user, ding, opties)`: what goes in the document for this reader:
  a template, its context, and who and what the audit trail names. It must
  show exactly what the reader may see on screen, and never more."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Opmaak:
    template: str
    context: dict
    # The document's title: in the footer of every page and the file name.
    titel: str
    school: Any
    # The students it names (the audit trail records one event per student).
    leerlingen: list = field(default_factory=list)


def geen_opties(data: Mapping[str, str]) -> dict:
    return {}


@dataclass(frozen=True)
class Documentsoort:
    code: str
    label: str
    opzoeken: Callable[[Any, int], Any]
    opmaken: Callable[[Any, Any, dict], Opmaak]
    opties: Callable[[Mapping[str, str]], dict] = geen_opties
    # The school of the thing (the job's school).
    school_id: Callable[[Any], int | None] = lambda ding: getattr(ding, "school_id", None)


_SOORTEN: dict[str, Documentsoort] = {}


def document_registreren(*soorten: Documentsoort) -> None:
    for soort in soorten:
        bestaand = _SOORTEN.get(soort.code)
        if bestaand is not None and bestaand != soort:
            raise ValueError(f"PDF document kind {soort.code!r} registered twice")
        _SOORTEN[soort.code] = soort


def documentsoort(code: str) -> Documentsoort | None:
    return _SOORTEN.get(code)


def documentsoorten() -> list[Documentsoort]:
    return list(_SOORTEN.values())
