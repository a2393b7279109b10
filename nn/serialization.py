"""Checkpoints: ``save(obj, path)`` and ``load(path)`` (``torch.save``/``torch.load`` for state
dicts), stored as ``.npz`` without pickle.

What can be saved: nested dicts, lists and tuples whose leaves are Tensors, ndarrays, Python
(or numpy) ints, floats, bools, strings and None. That covers a model's ``state_dict()``, an
optimizer's (with int keys and tuples such as ``betas``), a scheduler's, a DataLoader's, and
plain training records::

    nn.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(),
             'epoch': 3}, 'runs/ckpt.npz')
    ckpt = nn.load('runs/ckpt.npz')           # arrays come back as Tensors

Format: each array is one ``.npy`` member of the zip archive (``a0``, ``a1``, ...); the
structure lives in the member ``__manifest__``, a UTF-8 JSON document in which an array is
``{"__array__": "a0"}``, a tuple ``{"__tuple__": [...]}`` and a dict
``{"__dict__": [[key, value], ...]}`` (so int keys stay ints). The file is read back with
``allow_pickle=False``: loading a checkpoint never runs code.

Writes are atomic: the archive goes to a temporary file in the target's directory, is
fsync'ed, then renamed over the target (``os.replace``), so a crash or error mid-write leaves
any previous checkpoint intact. Every problem reading a file (missing, empty, truncated,
corrupted, not a checkpoint) raises ``autograd.errors.CheckpointError`` naming the path and the
reason.
"""

import json
import os
import tempfile
import zipfile

import numpy as np

from autograd.errors import CheckpointError
from autograd.tensor import Tensor

__all__ = ["save", "load"]

_FORMAT = "autograd-checkpoint"
_VERSION = 1
_MANIFEST = "__manifest__"


# -- encoding -----------------------------------------------------------------------------
class _Encoder:
    """Turns a nested object into a JSON-able manifest plus a dict of named arrays."""

    def __init__(self):
        self.arrays = {}

    def encode(self, obj, where="obj"):
        if isinstance(obj, (Tensor, np.ndarray)):
            return self._array(obj.data if isinstance(obj, Tensor) else obj, where)
        if obj is None or isinstance(obj, str):
            return obj
        if isinstance(obj, (bool, np.bool_)):      # before int: bool is an int subclass
            return bool(obj)
        if isinstance(obj, (int, np.integer)):     # numpy scalars become Python numbers
            return int(obj)
        if isinstance(obj, (float, np.floating)):
            return float(obj)
        if isinstance(obj, dict):
            items = []
            for key, value in obj.items():
                if not (key is None or isinstance(key, (bool, int, float, str))):
                    raise TypeError(f"save: the dict at {where} has a key of type "
                                    f"{type(key).__name__}; keys must be str, int, float, bool "
                                    "or None")
                items.append([self.encode(key, where), self.encode(value, f"{where}[{key!r}]")])
            return {"__dict__": items}
        if isinstance(obj, (list, tuple)):
            values = [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)]
            return {"__tuple__": values} if isinstance(obj, tuple) else values
        raise TypeError(f"save: cannot store {type(obj).__name__} at {where}: checkpoints hold "
                        "Tensors, ndarrays, numbers, strings, None, and dicts/lists/tuples of "
                        "them")

    def _array(self, array, where):
        if array.dtype.kind not in "biufc":
            raise TypeError(f"save: the array at {where} has dtype {array.dtype}; only numeric "
                            "and bool arrays can be stored (no pickled objects)")
        name = f"a{len(self.arrays)}"
        self.arrays[name] = array if array.flags.c_contiguous else array.copy(order="C")
        return {"__array__": name}


def save(obj, path):
    """Write ``obj`` (a state dict or nested dict/list/tuple of arrays and scalars) to ``path``.

    The file is an ``.npz`` archive (whatever its name); it replaces ``path`` atomically.

    Raises
    ------
    TypeError
        When ``obj`` holds something a checkpoint cannot store (the message gives its place).
    OSError
        When the file cannot be written; an existing ``path`` is then left as it was.
    """
    path = os.fspath(path)
    encoder = _Encoder()
    manifest = {"format": _FORMAT, "version": _VERSION, "root": encoder.encode(obj)}
    text = json.dumps(manifest, allow_nan=True).encode("utf-8")
    arrays = dict(encoder.arrays)
    arrays[_MANIFEST] = np.frombuffer(text, dtype=np.uint8)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp",
                               dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp's 0600 would outlive the rename
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(directory)


def _umask():
    """The process umask (reading it means setting it; set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_directory(directory):
    """Make the rename itself durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- decoding -----------------------------------------------------------------------------
def load(path):
    """Read a checkpoint written by :func:`save`; arrays come back as Tensors.

    Returns
    -------
    The saved object, with dicts, lists, tuples, int keys and scalars as they were saved and
    every array (Tensor or ndarray when saved) as a Tensor (``requires_grad=False``).

    Raises
    ------
    CheckpointError
        When the file is missing, empty, truncated, corrupted, not an ``.npz`` checkpoint, or
        refers to arrays it does not contain; the message names the path and the reason.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise CheckpointError(f"checkpoint {path!r}: no such file")
    if os.path.isdir(path):
        raise CheckpointError(f"checkpoint {path!r}: is a directory, not a checkpoint file")
    if os.path.getsize(path) == 0:
        raise CheckpointError(f"checkpoint {path!r}: the file is empty (an interrupted write?)")
    if not zipfile.is_zipfile(path):
        raise CheckpointError(f"checkpoint {path!r}: not an .npz archive (wrong format, "
                              "truncated or corrupted)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}   # reads and CRC-checks
    except Exception as exc:   # zipfile.BadZipFile, ValueError, EOFError, zlib.error, OSError
        raise CheckpointError(f"checkpoint {path!r}: cannot be read ({type(exc).__name__}: "
                              f"{exc}); the file is truncated or corrupted") from exc
    if _MANIFEST not in arrays:
        raise CheckpointError(f"checkpoint {path!r}: an .npz archive without a '{_MANIFEST}' "
                              "entry, so not written by nn.save")
    try:
        manifest = json.loads(arrays.pop(_MANIFEST).tobytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CheckpointError(f"checkpoint {path!r}: its manifest is not valid JSON "
                              f"({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise CheckpointError(f"checkpoint {path!r}: the manifest does not name the format "
                              f"{_FORMAT!r}")
    if manifest.get("version") != _VERSION:
        raise CheckpointError(f"checkpoint {path!r}: format version {manifest.get('version')!r} "
                              f"is not supported (this version reads {_VERSION})")
    if "root" not in manifest:
        raise CheckpointError(f"checkpoint {path!r}: the manifest has no 'root' entry")
    return _decode(manifest["root"], arrays, path)


def _decode(node, arrays, path):
    if isinstance(node, list):
        return [_decode(v, arrays, path) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1 and "__array__" in node:
        name = node["__array__"]
        if name not in arrays:
            raise CheckpointError(f"checkpoint {path!r}: the manifest refers to array {name!r}, "
                                  "which the archive does not contain")
        return Tensor._wrap(arrays[name])
    if len(node) == 1 and "__tuple__" in node:
        return tuple(_decode(v, arrays, path) for v in node["__tuple__"])
    if len(node) == 1 and "__dict__" in node:
        try:
            return {_decode(k, arrays, path): _decode(v, arrays, path) for k, v in node["__dict__"]}
        except (TypeError, ValueError) as exc:
            raise CheckpointError(f"checkpoint {path!r}: malformed dict entry in the manifest "
                                  f"({exc})") from exc
    raise CheckpointError(f"checkpoint {path!r}: unknown manifest node with keys {sorted(node)}")
