"""Errors of the core that a person can act on: each names the file, line and field."""

from __future__ import annotations


class OntspanError(Exception):
    """A problem the person can fix; the CLI prints it as one line and exits non-zero."""


class SourceError(OntspanError):
    """Bad content in a data file, located by file, line and field."""

    def __init__(self, source: str, line: int | None, field: str, message: str) -> None:
        self.source = source
        self.line = line
        self.field = field
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {field}: {message}")


class PreferenceError(OntspanError):
    """A preference outside what is safe or possible, named by its option."""

    def __init__(self, option: str, message: str) -> None:
        self.option = option
        super().__init__(f"{option}: {message}")


class PhrasedError(OntspanError):
    """An OntspanError whose words live in the phrase file (`key`), in every language.

    Core stays free of I/O: the interface that shows it looks the words up and fills in
    `values` (see `library.explain`)."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(f"{key} {values}")
