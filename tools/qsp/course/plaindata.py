"""Values of a student's notebook as plain data: written in the sandbox, read by the grader.

Grading runs in two phases (see :mod:`qsp.course.twophase`): the student's notebook executes in a
sandbox, and at each test cell the values that cell reads are written down here, as *plain
data only*; the tests then run in another process on values read back from that record. This
module is both ends of that exchange:

- :func:`encode` (in the sandbox, inside the student's kernel) turns a value into a JSON tree,
  with numeric arrays stored beside it as ``.npy`` files (each once, by content);
- :func:`read_archive` (in the checking process) reads the record back from a zip archive and
  rebuilds each value, trusting nothing in it: every node is validated, arrays are loaded with
  ``allow_pickle=False``, sizes are capped, and anything unexpected becomes an
  :class:`Ungradable` value with a reason a student can act on.

Plain data means: ``None``, booleans, integers, floats, complex numbers, strings; numpy arrays
and scalars of numeric, boolean, text or date dtypes; lists, tuples, sets and dicts of plain
data; pandas ``Index``, ``Series`` and ``DataFrame`` (values by column, with their labels);
``pathlib`` paths; instances of dataclasses defined in the kit (``qsp``), field by field; and,
by name only, modules and functions of a few well-known libraries (numpy, pandas, scipy,
matplotlib, qsp and parts of the standard library), which the reader imports itself. A function
the student wrote, an open file, a generator, or an object of any other class is recorded as
not gradable, with its type. Nothing is ever unpickled.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import io
import json
import math
import re
import zipfile
from pathlib import PurePath
from typing import Any

import numpy as np

FORMAT = "qsp-plaindata-1"

ALLOWED_ROOTS = frozenset({
    "numpy", "pandas", "scipy", "matplotlib", "qsp", "math", "cmath", "statistics", "numbers", "decimal",
    "fractions", "itertools", "functools", "collections", "datetime", "operator", "string", "random",
})
"""Top-level packages whose modules, functions and classes may be passed by name."""

ARRAY_KINDS = frozenset("biufcUSMm")
"""numpy dtype kinds that are plain data: bool, int, uint, float, complex, text, bytes, dates."""

MAX_DEPTH = 24
MAX_ITEMS = 200_000
"""Most elements of one list, tuple, dict or object array."""
MAX_TEXT = 2_000_000
"""Longest string (characters)."""
MAX_INT_DIGITS = 4_000
MAX_ARRAY_BYTES = 400 * 1024 * 1024
"""Largest single array the reader accepts (bytes)."""
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
"""Largest archive the reader accepts, all members together (bytes, uncompressed)."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class PlainDataError(ValueError):
    """A record that is not valid plain data (damaged, or written by something else)."""


@dataclasses.dataclass(frozen=True)
class Ungradable:
    """A value that could not be passed to the tests as plain data.

    Attributes
    ----------
    type_name : str
        The type the value had in the student's notebook (e.g. ``"function"``).
    reason : str
        Why it could not be graded, in words a student can act on.
    """

    type_name: str
    reason: str

    def message(self, name: str) -> str:
        return (f"`{name}` could not be graded: {self.reason} The tests read numbers, arrays and tables; "
                f"make `{name}` hold the value the task asks for (not a {self.type_name}).")


# --------------------------------------------------------------------------- writing (in the sandbox)


def _type_name(value: Any) -> str:
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", kind.__name__)
    return name if module in ("builtins", "__main__") else f"{module}.{name}"


def _allowed_module(name: str | None) -> bool:
    return bool(name) and isinstance(name, str) and name.split(".")[0] in ALLOWED_ROOTS and bool(_NAME.match(name))


class Encoder:
    """Turns values into JSON trees; arrays go to :attr:`arrays` (``{digest: bytes of a .npy}``)."""

    def __init__(self) -> None:
        self.arrays: dict[str, bytes] = {}

    def array(self, array: np.ndarray) -> dict:
        array = np.array(array, copy=True, subok=False, order="C")
        if array.dtype.kind not in ARRAY_KINDS:
            return self.object_array(array)
        if array.dtype.kind == "V" or array.dtype.fields is not None:
            return {"t": "ungradable", "type": "structured array", "reason": "it is a structured numpy array."}
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        data = buffer.getvalue()
        digest = hashlib.sha256(data).hexdigest()[:32]
        self.arrays.setdefault(digest, data)
        return {"t": "array", "ref": digest}

    def object_array(self, array: np.ndarray, depth: int = 0) -> dict:
        if array.size > MAX_ITEMS:
            return {"t": "ungradable", "type": "object array", "reason": f"it is an object array of {array.size} elements."}
        return {"t": "objarray", "shape": list(array.shape),
                "items": [self.encode(item, depth + 1) for item in array.reshape(-1).tolist()]}

    def index(self, index: Any, depth: int) -> dict:
        import pandas as pd

        if isinstance(index, pd.MultiIndex):
            return {"t": "multiindex", "names": [self.encode(n, depth + 1) for n in index.names],
                    "levels": [self.column(index.get_level_values(k), depth + 1) for k in range(index.nlevels)]}
        if isinstance(index, pd.RangeIndex):
            return {"t": "rangeindex", "start": int(index.start), "stop": int(index.stop), "step": int(index.step),
                    "name": self.encode(index.name, depth + 1)}
        return {"t": "index", "values": self.column(index, depth + 1), "name": self.encode(index.name, depth + 1)}

    def column(self, values: Any, depth: int) -> dict:
        """The values of a pandas column or index, with the dtype's name to rebuild it."""
        dtype = str(values.dtype)
        if hasattr(values, "dtype") and values.dtype.kind in ARRAY_KINDS and not dtype.startswith(("category", "string")):
            return {"t": "column", "dtype": dtype, "values": self.array(np.asarray(values))}
        items = np.asarray(values, dtype=object)
        return {"t": "column", "dtype": dtype, "values": self.object_array(items, depth)}

    def encode(self, value: Any, depth: int = 0) -> dict:
        """The JSON tree of ``value`` (see the module docstring for what is plain data)."""
        if depth > MAX_DEPTH:
            return {"t": "ungradable", "type": _type_name(value), "reason": "it is nested too deeply."}
        if value is None:
            return {"t": "none"}
        kind = type(value)
        if kind is bool:
            return {"t": "bool", "v": value}
        if kind is int:
            text = str(value) if abs(value) < 10 ** MAX_INT_DIGITS else None
            if text is None:
                return {"t": "ungradable", "type": "int", "reason": "it is an integer with too many digits."}
            return {"t": "int", "v": text}
        if kind is float:
            return {"t": "float", "v": repr(value)}
        if kind is complex:
            return {"t": "complex", "re": repr(value.real), "im": repr(value.imag)}
        if kind is str:
            if len(value) > MAX_TEXT:
                return {"t": "ungradable", "type": "str", "reason": f"it is a text of {len(value):,} characters."}
            return {"t": "str", "v": value}
        if isinstance(value, np.generic):
            return {"t": "npscalar", "value": self.array(np.asarray(value))}
        if isinstance(value, np.ndarray):
            return self.array(value)
        if kind in (list, tuple, set, frozenset):
            if len(value) > MAX_ITEMS:
                return {"t": "ungradable", "type": kind.__name__, "reason": f"it holds {len(value):,} items."}
            items = sorted(value, key=repr) if kind in (set, frozenset) else value
            return {"t": kind.__name__, "items": [self.encode(item, depth + 1) for item in items]}
        if kind is dict:
            if len(value) > MAX_ITEMS:
                return {"t": "ungradable", "type": "dict", "reason": f"it holds {len(value):,} items."}
            return {"t": "dict", "items": [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]}
        if isinstance(value, PurePath):
            return {"t": "path", "v": str(value)}
        module = getattr(kind, "__module__", "") or ""
        if module.startswith("pandas"):
            return self.pandas(value, depth)
        if isinstance(value, type(math)):
            name = getattr(value, "__name__", None)
            if _allowed_module(name):
                return {"t": "module", "name": name}
            return {"t": "ungradable", "type": "module", "reason": f"it is the module {name!r}, which the grader does not load."}
        if dataclasses.is_dataclass(value) and not isinstance(value, type) and _allowed_module(module):
            fields = {f.name: self.encode(getattr(value, f.name, None), depth + 1) for f in dataclasses.fields(value)}
            return {"t": "dataclass", "module": module, "qualname": kind.__qualname__, "fields": fields}
        if callable(value):
            owner = getattr(value, "__module__", None)
            qualname = getattr(value, "__qualname__", None)
            if _allowed_module(owner) and isinstance(qualname, str) and _NAME.match(qualname):
                return {"t": "ref", "module": owner, "qualname": qualname}
            if isinstance(value, type(_type_name) | type(print)):
                return {"t": "ungradable", "type": "function",
                        "reason": "it is a function defined in the notebook, and the tests read values, not code."}
            what = "class" if isinstance(value, type) else f"{_type_name(value)} object"
            return {"t": "ungradable", "type": what, "reason": f"it is a {what}, not a value the tests can read."}
        if hasattr(value, "__array__") and module.split(".")[0] in ALLOWED_ROOTS:
            try:
                return self.array(np.asarray(value))
            except Exception:  # any failure makes it ungradable
                pass
        return {"t": "ungradable", "type": _type_name(value), "reason": f"it is a {_type_name(value)} object."}

    def pandas(self, value: Any, depth: int) -> dict:
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            if value.shape[1] > MAX_ITEMS:
                return {"t": "ungradable", "type": "DataFrame", "reason": "it has too many columns."}
            return {"t": "frame", "columns": self.index(value.columns, depth + 1), "index": self.index(value.index, depth + 1),
                    "data": [self.column(value.iloc[:, k], depth + 1) for k in range(value.shape[1])]}
        if isinstance(value, pd.Series):
            return {"t": "series", "values": self.column(value, depth + 1), "index": self.index(value.index, depth + 1),
                    "name": self.encode(value.name, depth + 1)}
        if isinstance(value, pd.Index):
            return self.index(value, depth)
        if isinstance(value, pd.Timestamp | pd.Timedelta):
            return {"t": "npscalar", "value": self.array(np.asarray(value.to_numpy()))}
        return {"t": "ungradable", "type": _type_name(value), "reason": f"it is a {_type_name(value)} object."}


def write_capture(folder: str, capture_id: str, values: dict[str, Any]) -> None:
    """Write the values one test cell reads to ``folder`` (``<id>.json`` and ``arrays/*.npy``).

    Called in the sandbox by :func:`qsp.course.capture.capture`; the folder is zipped by the
    runner afterwards (:func:`write_archive`).
    """
    import os

    encoder = Encoder()
    tree = {}
    for name, value in values.items():
        try:
            tree[name] = encoder.encode(value)
        except Exception as error:  # whatever the object does, it is only ungradable
            tree[name] = {"t": "ungradable", "type": _type_name(value), "reason": f"reading it failed ({type(error).__name__})."}
    arrays = os.path.join(folder, "arrays")
    os.makedirs(arrays, exist_ok=True)
    for digest, data in encoder.arrays.items():
        path = os.path.join(arrays, f"{digest}.npy")
        if not os.path.exists(path):
            with open(path, "wb") as handle:
                handle.write(data)
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", capture_id)
    with open(os.path.join(folder, f"{safe}.json"), "w") as handle:
        json.dump({"id": capture_id, "values": tree}, handle)


def write_archive(folder: str, stream: Any, extra: dict[str, bytes]) -> None:
    """Zip the captures in ``folder`` and the ``extra`` members (name -> bytes) into ``stream``."""
    import os

    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("format", FORMAT)
        for name, data in extra.items():
            archive.writestr(name, data)
        if os.path.isdir(folder):
            for entry in sorted(os.listdir(folder)):
                if entry.endswith(".json"):
                    archive.write(os.path.join(folder, entry), f"captures/{entry}")
            arrays = os.path.join(folder, "arrays")
            if os.path.isdir(arrays):
                for entry in sorted(os.listdir(arrays)):
                    archive.write(os.path.join(arrays, entry), f"arrays/{entry}")


# --------------------------------------------------------------------------- reading (trusted)


class Decoder:
    """Rebuilds values from a capture archive, validating every node."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.cache: dict[str, np.ndarray] = {}

    def array(self, ref: Any) -> np.ndarray:
        if not isinstance(ref, str) or not re.fullmatch(r"[0-9a-f]{32}", ref):
            raise PlainDataError("bad array reference")
        if ref not in self.cache:
            try:
                info = self.archive.getinfo(f"arrays/{ref}.npy")
            except KeyError:
                raise PlainDataError("missing array") from None
            if info.file_size > MAX_ARRAY_BYTES:
                raise PlainDataError(f"array of {info.file_size:,} bytes is over the limit")
            with self.archive.open(info) as handle:
                data = handle.read(MAX_ARRAY_BYTES + 1)
            array = np.load(io.BytesIO(data), allow_pickle=False)
            if not isinstance(array, np.ndarray) or array.dtype.kind not in ARRAY_KINDS or array.dtype.fields:
                raise PlainDataError("array of an unsupported dtype")
            self.cache[ref] = array
        return self.cache[ref].copy()

    @staticmethod
    def _text(node: dict, key: str, limit: int = MAX_TEXT) -> str:
        value = node.get(key)
        if not isinstance(value, str) or len(value) > limit:
            raise PlainDataError(f"bad {key!r}")
        return value

    @staticmethod
    def _items(node: dict, key: str = "items") -> list:
        items = node.get(key)
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise PlainDataError(f"bad {key!r}")
        return items

    def _resolve(self, module_name: str, qualname: str) -> Any:
        if not _allowed_module(module_name) or not _NAME.match(qualname) or "__" in qualname:
            raise PlainDataError(f"{module_name}.{qualname} is not a name the grader loads")
        target: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            target = getattr(target, part)
        return target

    def column(self, node: dict, depth: int) -> Any:
        import pandas as pd

        if not isinstance(node, dict) or node.get("t") != "column":
            raise PlainDataError("bad column")
        dtype = self._text(node, "dtype", 64)
        values = self.decode(node.get("values"), depth + 1)
        if not isinstance(values, np.ndarray):
            raise PlainDataError("bad column values")
        try:
            return pd.array(values, dtype=pd.api.types.pandas_dtype(dtype)) if values.dtype == object else values
        except (TypeError, ValueError):
            return values

    def index(self, node: Any, depth: int) -> Any:
        import pandas as pd

        if not isinstance(node, dict):
            raise PlainDataError("bad index")
        kind = node.get("t")
        if kind == "rangeindex":
            numbers = [node.get(k) for k in ("start", "stop", "step")]
            if not all(type(n) is int for n in numbers) or numbers[2] == 0 or abs(numbers[1] - numbers[0]) > 10 ** 9:
                raise PlainDataError("bad range index")
            return pd.RangeIndex(*numbers, name=self.decode(node.get("name"), depth + 1))
        if kind == "index":
            return pd.Index(self.column(node.get("values"), depth + 1), name=self.decode(node.get("name"), depth + 1))
        if kind == "multiindex":
            levels = [self.column(level, depth + 1) for level in self._items(node, "levels")]
            names = [self.decode(name, depth + 1) for name in self._items(node, "names")]
            if len(names) != len(levels) or not levels:
                raise PlainDataError("bad multi-index")
            return pd.MultiIndex.from_arrays(levels, names=names)
        raise PlainDataError("bad index kind")

    def decode(self, node: Any, depth: int = 0) -> Any:  # one branch per kind of node
        """The value of a JSON tree written by :class:`Encoder`; raises :class:`PlainDataError`."""
        if depth > MAX_DEPTH + 4 or not isinstance(node, dict):
            raise PlainDataError("bad node")
        kind = node.get("t")
        if kind == "none":
            return None
        if kind == "bool":
            if type(node.get("v")) is not bool:
                raise PlainDataError("bad bool")
            return node["v"]
        if kind == "int":
            text = self._text(node, "v", MAX_INT_DIGITS + 1)
            if not re.fullmatch(r"-?[0-9]+", text):
                raise PlainDataError("bad int")
            return int(text)
        if kind == "float":
            return float(self._float_text(self._text(node, "v", 64)))
        if kind == "complex":
            return complex(float(self._float_text(self._text(node, "re", 64))), float(self._float_text(self._text(node, "im", 64))))
        if kind == "str":
            return self._text(node, "v")
        if kind == "path":
            from pathlib import Path

            return Path(self._text(node, "v", 4096))
        if kind == "array":
            return self.array(node.get("ref"))
        if kind == "npscalar":
            array = self.decode(node.get("value"), depth + 1)
            if not isinstance(array, np.ndarray) or array.ndim != 0:
                raise PlainDataError("bad numpy scalar")
            return array[()]
        if kind == "objarray":
            shape = node.get("shape")
            items = [self.decode(item, depth + 1) for item in self._items(node)]
            if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape) or math.prod(shape) != len(items):
                raise PlainDataError("bad object array")
            array = np.empty(len(items), dtype=object)
            array[:] = items if items else []
            return array.reshape(shape)
        if kind in ("list", "tuple", "set", "frozenset"):
            items = [self.decode(item, depth + 1) for item in self._items(node)]
            try:
                return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
            except TypeError:
                raise PlainDataError("unhashable set item") from None
        if kind == "dict":
            result = {}
            for pair in self._items(node):
                if not isinstance(pair, list) or len(pair) != 2:
                    raise PlainDataError("bad dict item")
                key = self.decode(pair[0], depth + 1)
                try:
                    result[key] = self.decode(pair[1], depth + 1)
                except TypeError:
                    raise PlainDataError("unhashable dict key") from None
            return result
        if kind == "module":
            name = self._text(node, "name", 200)
            if not _allowed_module(name):
                raise PlainDataError(f"module {name!r} is not loaded by the grader")
            return importlib.import_module(name)
        if kind == "ref":
            target = self._resolve(self._text(node, "module", 200), self._text(node, "qualname", 200))
            if not callable(target):
                raise PlainDataError("reference to something that is not a function or class")
            return target
        if kind == "dataclass":
            cls = self._resolve(self._text(node, "module", 200), self._text(node, "qualname", 200))
            fields = node.get("fields")
            if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)) or not isinstance(fields, dict):
                raise PlainDataError("bad dataclass")
            names = [f.name for f in dataclasses.fields(cls)]
            if sorted(fields) != sorted(names):
                raise PlainDataError(f"the fields of {cls.__qualname__} do not match")
            instance = object.__new__(cls)
            for name in names:
                object.__setattr__(instance, name, self.decode(fields[name], depth + 1))
            return instance
        if kind == "series":
            import pandas as pd

            values = self.column(node.get("values"), depth + 1)
            index = self.index(node.get("index"), depth + 1)
            if len(index) != len(values):
                raise PlainDataError("series index and values differ in length")
            return pd.Series(values, index=index, name=self.decode(node.get("name"), depth + 1), copy=False)
        if kind == "frame":
            import pandas as pd

            columns = self.index(node.get("columns"), depth + 1)
            index = self.index(node.get("index"), depth + 1)
            data = [self.column(column, depth + 1) for column in self._items(node, "data")]
            if len(data) != len(columns) or any(len(values) != len(index) for values in data):
                raise PlainDataError("table columns and labels differ in length")
            frame = pd.DataFrame({k: values for k, values in enumerate(data)}, index=index)
            frame.columns = columns
            return frame
        if kind == "ungradable":
            return Ungradable(self._text(node, "type", 200), self._text(node, "reason", 2000))
        raise PlainDataError(f"unknown kind {str(kind)[:40]!r}")

    @staticmethod
    def _float_text(text: str) -> str:
        if not re.fullmatch(r"-?(inf|nan|[0-9]+(\.[0-9]*)?(e[-+]?[0-9]+)?|\.[0-9]+(e[-+]?[0-9]+)?)", text):
            raise PlainDataError("bad float")
        return text


def read_archive(path: str, *, limit: int = MAX_TOTAL_BYTES) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
    """Read a capture archive written by the sandbox.

    Parameters
    ----------
    path : str
        The zip archive.
    limit : int
        Largest total size of its members (bytes, uncompressed).

    Returns
    -------
    captures : dict
        ``{test cell id: {name: value}}``; a value that could not be rebuilt is an
        :class:`Ungradable`.
    extra : dict
        The other members (``name -> bytes``), e.g. the runner's report.

    Raises
    ------
    PlainDataError
        If the file is not such an archive at all.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise PlainDataError(f"not a capture archive ({error})") from None
    with archive:
        members = archive.infolist()
        if sum(m.file_size for m in members) > limit or len(members) > 100_000:
            raise PlainDataError("the capture archive is over the size limit")
        names = {m.filename for m in members}
        if "format" not in names or archive.read("format").decode(errors="replace") != FORMAT:
            raise PlainDataError("not a capture archive of this version")
        decoder = Decoder(archive)
        captures: dict[str, dict[str, Any]] = {}
        extra: dict[str, bytes] = {}
        for member in members:
            if member.filename.startswith("captures/"):
                try:
                    record = json.loads(archive.read(member))
                    capture_id = record["id"]
                    tree = record["values"]
                    if not isinstance(capture_id, str) or not isinstance(tree, dict):
                        raise PlainDataError("bad capture")
                except (ValueError, KeyError, TypeError, RecursionError):
                    continue
                values = {}
                for name, node in tree.items():
                    if not isinstance(name, str) or not _NAME.match(name) or "." in name:
                        continue
                    try:
                        values[name] = decoder.decode(node)
                    except (PlainDataError, ValueError, TypeError, AttributeError, ImportError, OverflowError,
                            RecursionError, MemoryError) as error:
                        values[name] = Ungradable("value", f"its record could not be read ({str(error)[:120]}).")
                captures[capture_id] = values
            elif member.filename not in ("format",) and not member.filename.startswith("arrays/"):
                extra[member.filename] = archive.read(member)
    return captures, extra
