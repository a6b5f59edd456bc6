"""Query answers as typed pandas DataFrames: numbers as numbers, dates as dates, IRIs whole or compact.

Each column is typed from the RDF datatypes of the values bound in it, so
the same query gives the same dtypes whatever rows it returns:

========================================  =====================================
values in the column                      dtype
========================================  =====================================
only integers (``xsd:integer``, ``int`` …) ``Int64`` (pandas' nullable integer)
numbers with a fraction (decimal, double)  ``float64``
``xsd:boolean``                            ``boolean`` (nullable)
``xsd:date``, ``xsd:dateTime``             ``datetime64[ns]``
``xsd:gYear`` only                         ``Int64``: the year as a number
dates mixed with years or months           ``datetime64[ns]``: a year or month at its first day
anything else (text, IRIs, mixed kinds)    ``object`` (Python strings)
========================================  =====================================

An unbound value is ``<NA>`` (``NaT`` for dates), never ``0`` or ``""``, and
an integer column with gaps stays integer (a plain ``float64`` would turn
4111 participants into 4111.0). Decimals become floats here, for analysis;
the RDF exports keep their exact digits. pandas is imported only when a
frame is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .errors import UsageError
from .namespaces import compact

_INTEGERS = frozenset(str(t) for t in (
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger, XSD.positiveInteger,
    XSD.negativeInteger, XSD.nonPositiveInteger, XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort,
    XSD.unsignedByte,
))
_FRACTIONS = frozenset(str(t) for t in (XSD.decimal, XSD.double, XSD.float))
_DATES = frozenset(str(t) for t in (XSD.date, XSD.dateTime, XSD.dateTimeStamp))
_YEAR = str(XSD.gYear)
_MONTH = str(XSD.gYearMonth)
_BOOLEAN = str(XSD.boolean)
_KIND_OF = {**dict.fromkeys(_INTEGERS, "integer"), **dict.fromkeys(_FRACTIONS, "number"), _BOOLEAN: "boolean",
            **dict.fromkeys(_DATES, "date"), _YEAR: "year", _MONTH: "month"}
_YEAR_LEXICAL = re.compile(r"^(-?[0-9]{4,})")


def _datatype(term) -> str | None:
    return str(term.datatype) if isinstance(term, Literal) and term.datatype else None


def column_kind(values: Iterable[Any]) -> str:
    """The kind of a column from its bound terms: ``integer``, ``number``, ``boolean``, ``date``, ``year`` or ``text``.

    >>> from rdflib import Literal
    >>> column_kind([Literal(1), None, Literal(2)])
    'integer'
    >>> column_kind([Literal(1), Literal("0.94", datatype=XSD.decimal)])
    'number'
    >>> column_kind([Literal("x"), Literal(1)])
    'text'
    >>> column_kind([Literal("2009", datatype=XSD.gYear), Literal("2009-10-15", datatype=XSD.date)])
    'date'
    """
    kinds = {_KIND_OF.get(_datatype(term) or "", "text") for term in values if term is not None}
    if kinds <= {"integer"} and kinds:
        return "integer"
    if kinds <= {"integer", "number"} and kinds:
        return "number"
    if kinds <= {"date", "year", "month"} and kinds - {"year"}:
        return "date"  # a year or a month stands for its first day
    if kinds == {"year"} or len(kinds) == 1:
        return kinds.pop()
    return "text"


def _text(term, compact_iris: bool):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return compact(str(term)) if compact_iris else str(term)
    return str(term)


def _year(term) -> int | None:
    match = _YEAR_LEXICAL.match(str(term).strip())  # gYear may carry a time zone: "2009Z"
    return int(match.group(1)) if match else None


def _first_day(term) -> str:
    """An ISO date for a date, a year (its 1 January) or a month (its first day)."""
    text = str(term)
    datatype = str(term.datatype) if isinstance(term, Literal) and term.datatype else ""
    if datatype == _YEAR:
        return text[:4] + "-01-01"
    if datatype == _MONTH:
        return text[:7] + "-01"
    return text


def _number(term) -> float | None:
    try:
        return float(str(term))
    except ValueError:  # an ill-typed literal: no number
        return None


def _integer(term) -> int | None:
    try:
        return int(str(term))
    except ValueError:
        return None


def _column(pandas, terms: list, kind: str, compact_iris: bool):
    if kind == "integer":
        return pandas.array([None if t is None else _integer(t) for t in terms], dtype="Int64")
    if kind == "year":
        return pandas.array([None if t is None else _year(t) for t in terms], dtype="Int64")
    if kind == "number":
        return pandas.array([float("nan") if t is None or _number(t) is None else _number(t) for t in terms],
                            dtype="float64")
    if kind == "boolean":
        return pandas.array([None if t is None else str(t).strip() in ("true", "1") for t in terms], dtype="boolean")
    if kind == "date":
        return pandas.to_datetime([None if t is None else _first_day(t) for t in terms], errors="coerce", format="ISO8601")
    return pandas.array([_text(t, compact_iris) for t in terms], dtype=object)


def to_dataframe(variables: Sequence[str], rows: Sequence[Mapping[str, Any]], *, compact_iris: bool = False):
    """A pandas DataFrame of SELECT rows (variable name -> rdflib term), each column typed (see the module docstring).

    ``compact_iris=True`` writes IRIs as compact names (``ir:il-2``) instead
    of whole. Raises :class:`~irgraph.errors.UsageError` when pandas is not
    installed.

    >>> from rdflib import Literal, URIRef
    >>> frame = to_dataframe(["s", "n"], [{"s": URIRef("https://w3id.org/irgraph/id/il-2"), "n": Literal(4111)}, {}],
    ...                      compact_iris=True)
    >>> frame["s"][0], str(frame["n"].dtype), bool(frame["n"].isna()[1])
    ('ir:il-2', 'Int64', True)
    """
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise UsageError("to_dataframe() needs pandas: pip install pandas") from None
    columns = {}
    for variable in variables:
        terms = [row.get(variable) for row in rows]
        columns[variable] = _column(pandas, terms, column_kind(terms), compact_iris)
    return pandas.DataFrame(columns, columns=list(variables), index=pandas.RangeIndex(len(rows)))
