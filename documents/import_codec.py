"""A parsed uppdragshandling (documents/importer/result.py) as JSON and back, so that the
worker's reading is stored once and the review page shows it without reading the file again.

Dataclass instances carry their class's name, dates are ISO strings; only the dataclasses of
the importer's result and of assignments.periods are made again, so stored JSON can name no
other class."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from assignments import periods
from documents.importer import result

CLASSES = {
    cls.__name__: cls
    for module in (result, periods)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls)
}


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"@": type(value).__name__, **fields}
    if isinstance(value, dt.date):
        return {"@date": value.isoformat()}
    if isinstance(value, frozenset | set):
        return {"@set": [encode(item) for item in sorted(value)]}
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"@dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} of a parsed document")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "@date" in value:
        return dt.date.fromisoformat(value["@date"])
    if "@set" in value:
        return frozenset(decode(item) for item in value["@set"])
    if "@dict" in value:
        return {decode(k): decode(v) for k, v in value["@dict"]}
    cls = CLASSES[value["@"]]
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    return cls(**{k: decode(v) for k, v in value.items() if k in names})


def parsed_document(stored: dict) -> result.ParsedDocument:
    document = decode(stored)
    if not isinstance(document, result.ParsedDocument):
        raise TypeError("the stored result is no parsed document")
    return document
