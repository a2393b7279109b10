"""Checkpoints: ``save(obj, f)`` and ``load(f, map_location=None, *, weights_only=True)``, the
signatures of ``torch.save``/``torch.load``, stored as an ``.npz`` archive that never holds a
pickle.

What can be saved: nested dicts, lists and tuples whose leaves are Tensors, ndarrays, Python
(or numpy) ints, floats, bools, strings and None, nested at most ``MAX_DEPTH`` (100) levels.
That covers a model's ``state_dict()``, an optimizer's (int keys, tuples such as ``betas``), a
scheduler's, a DataLoader's, and plain training records::

    autograd.save({'model': model.state_dict(), 'optimizer': optimizer.state_dict(),
                   'epoch': 3}, 'runs/ckpt.pt')       # any name: .pt, .pth, .npz, ...
    ckpt = autograd.load('runs/ckpt.pt')            # arrays come back as Tensors

Format (version 2): a zip archive of uncompressed ``.npy`` members, readable by
``numpy.load(f, allow_pickle=False)``. The member ``__manifest__.npy`` is a uint8 array holding
a UTF-8 JSON document::

    {"format": "autograd-checkpoint", "version": 2,
     "arrays": {"a0": {"shape": [50, 20], "dtype": "<f4", "sha256": "9f86d0..."}, ...},
     "root": {"__dict__": [["w", {"__array__": "a0"}], ["epoch", 2]]}}

Each array is the member ``a0.npy``, ``a1.npy``, ... (C order, never ``fortran_order``), and
its manifest record gives its shape, its dtype (numpy's ``dtype.str``: the dtypes a Tensor can
hold, bool, uint8, int8..int64, float16..float64, native byte order) and the SHA-256 of its
bytes. In ``root`` an array is ``{"__array__": name}``, a tuple
``{"__tuple__": [...]}`` and a dict ``{"__dict__": [[key, value], ...]}`` (so int keys stay
ints); JSON's own lists, numbers, strings, booleans and null are themselves (floats include
``NaN`` and ``Infinity``). Version 1 files (no ``arrays`` table) still load; their bytes are
checked by the zip CRC-32 only.

Loading trusts nothing in the file. It never unpickles (no code from a file runs); it reads
every member to its end, so the zip CRC-32 is always checked; it checks each ``.npy`` header
against the manifest's shape and dtype and the bytes against the SHA-256; it validates the
manifest's schema strictly (known tags only, every listed array used exactly once, no member
the manifest does not list, no duplicate keys, nesting bounded). Any failure raises
``CheckpointError`` naming the file and, where there is one, the key (``obj['model']['w']``).

Saving to a path is atomic and durable: the archive goes to ``.{name}.{host}.{pid}.{token}.tmp``
in the target's directory, is fsync'ed, renamed over the target (``os.replace``), and the
directory is fsync'ed. A crash, a kill or a full disk mid-save leaves the previous checkpoint
intact; a temporary left by a killed save is removed by the next save to the same path (when
its process is gone, or it is over an hour old). A new file gets the umask's permissions; a
replaced one keeps its own. A symbolic link is written through, as ``open(path, 'wb')`` would.
"""

import errno
import hashlib
import io
import json
import os
import re
import secrets
import socket
import stat
import time
import zipfile

import numpy as np

from . import dtypes as _dtypes
from .creation import from_numpy
from .errors import CheckpointError, DeviceError
from .tensor import Tensor

__all__ = ["save", "load", "MAX_DEPTH"]

FORMAT = "autograd-checkpoint"
VERSION = 2
MAX_DEPTH = 100                  # containers inside containers; a state dict needs about 4
STALE_AFTER = 3600.0             # seconds: a temporary this old is no save in progress
_MANIFEST = "__manifest__"
_KINDS = "biuf"                  # bool, int, uint, float: never object ('O') or complex
_CHUNK = 1 << 24                 # read array data 16 MiB at a time
_MAX_NPY_HEADER = 10000          # numpy's own default bound on an .npy header


# -- saving ---------------------------------------------------------------------------------
class _Encoder:
    """Turns a nested object into the manifest's ``root`` plus named arrays and their records.

    ``where`` is the key path of the node (``obj['model'][0]``), for the error messages;
    ``parents`` holds the ids of the containers above it, to refuse cycles.
    """

    def __init__(self):
        self.arrays = {}
        self.records = {}

    def encode(self, obj, where="obj", parents=()):
        if isinstance(obj, (Tensor, np.ndarray)):
            return self._array(obj.detach().numpy() if isinstance(obj, Tensor) else obj, where)
        if obj is None or isinstance(obj, str):
            return obj
        if isinstance(obj, (bool, np.bool_)):      # before int: bool is an int subclass
            return bool(obj)
        if isinstance(obj, (int, np.integer)):     # numpy scalars become Python numbers
            return int(obj)
        if isinstance(obj, (float, np.floating)):
            return float(obj)
        if isinstance(obj, (dict, list, tuple)):
            return self._container(obj, where, parents)
        if hasattr(obj, "state_dict") and hasattr(obj, "load_state_dict"):
            raise TypeError(f"save: cannot store a whole {type(obj).__name__} at {where}: "
                            "checkpoints hold tensors and containers, never pickled code; "
                            "save its state_dict() and, to load, build the object again and "
                            "call load_state_dict(autograd.load(f)) (PyTorch's recommended way)")
        raise TypeError(f"save: cannot store {type(obj).__name__} at {where}: checkpoints hold "
                        "Tensors, ndarrays, numbers, strings, None, and dicts/lists/tuples of "
                        "them")

    def _container(self, obj, where, parents):
        if id(obj) in parents:
            raise ValueError(f"save: the {type(obj).__name__} at {_short(where)} contains "
                             "itself (a reference cycle); checkpoints hold trees")
        if len(parents) == MAX_DEPTH:
            raise ValueError(f"save: the object is nested deeper than MAX_DEPTH = {MAX_DEPTH} "
                             f"levels of dicts/lists/tuples (at {_short(where)})")
        parents = parents + (id(obj),)
        if isinstance(obj, dict):
            return {"__dict__": [[self._key(key, where),
                                  self.encode(value, f"{where}[{key!r}]", parents)]
                                 for key, value in obj.items()]}
        values = [self.encode(v, f"{where}[{i}]", parents) for i, v in enumerate(obj)]
        return {"__tuple__": values} if isinstance(obj, tuple) else values

    def _key(self, key, where):
        if key is None or isinstance(key, (bool, int, float, str, np.bool_, np.integer,
                                           np.floating)):
            return self.encode(key, where)
        raise TypeError(f"save: the dict at {_short(where)} has a key of type "
                        f"{type(key).__name__}; keys must be str, int, float, bool or None")

    def _array(self, array, where):
        if array.dtype.kind not in _KINDS:
            raise TypeError(f"save: the array at {where} has dtype {array.dtype}; only bool, "
                            "int, uint and float arrays can be stored (no pickled objects)")
        if not array.dtype.isnative:                  # loads as a Tensor: native byte order
            array = array.astype(array.dtype.newbyteorder("="))
        if array.dtype not in _dtypes.SUPPORTED:
            raise TypeError(f"save: the array at {where} has dtype {array.dtype}, which a "
                            "Tensor cannot hold (bool, uint8, int8..int64, float16..float64)")
        name = f"a{len(self.arrays)}"
        array = array if array.flags.c_contiguous else array.copy(order="C")
        self.arrays[name] = array
        self.records[name] = {"shape": list(array.shape), "dtype": array.dtype.str,
                              "sha256": _sha256(array)}
        return {"__array__": name}


def _short(where, keep=12):
    """A key path cut to its first ``keep`` steps (a 5,000-level path is no help)."""
    steps = where.count("[")
    if steps <= keep:
        return where
    return where[:_nth(where, "[", keep + 1)] + f"...({steps} levels)"


def _nth(text, char, n):
    index = -1
    for _ in range(n):
        index = text.index(char, index + 1)
    return index


def _sha256(array):
    """SHA-256 (hex) of a C-contiguous array's bytes."""
    return hashlib.sha256(array.reshape(-1).view(np.uint8)).hexdigest()


def save(obj, f):
    """Write ``obj`` (a state dict or a nested dict/list/tuple of arrays and scalars) to ``f``.

    Parameters
    ----------
    obj : nested dicts, lists and tuples (at most ``MAX_DEPTH`` = 100 levels) of Tensors and
        ndarrays (a dtype a Tensor can hold; any shape, stored in C order and native byte
        order),
        Python or numpy ints, floats, bools, strings and None. Dict keys: str, int, float,
        bool or None. A Tensor is stored detached (its data only).
    f : str or os.PathLike (any extension: ``.pt``, ``.pth``, ``.npz``, ...), or a binary file
        object with ``write`` (``io.BytesIO``, ``open(..., 'wb')``). A path is replaced
        atomically (see the module docstring); a file object is simply written to.

    Raises
    ------
    TypeError
        ``obj`` holds something a checkpoint cannot store (the message gives its key path), or
        ``f`` is neither a path nor a binary file object. Nothing is written.
    ValueError
        ``obj`` is nested deeper than ``MAX_DEPTH`` or contains itself. Nothing is written.
    CheckpointError
        The file cannot be written (no space left, permission denied, no such directory, ...):
        the message names the path, ``errno`` is the system's; an existing checkpoint at the
        path is left as it was.
    """
    encoder = _Encoder()
    manifest = {"format": FORMAT, "version": VERSION, "arrays": encoder.records,
                "root": encoder.encode(obj)}
    text = json.dumps(manifest, allow_nan=True).encode("utf-8")
    members = {_MANIFEST: np.frombuffer(text, dtype=np.uint8), **encoder.arrays}
    if isinstance(f, (str, os.PathLike)):
        _save_to_path(os.fsdecode(f), members)
    elif isinstance(f, io.TextIOBase) or not hasattr(f, "write"):
        raise TypeError(f"save: f must be a path (str or os.PathLike) or a binary file object "
                        f"with write(), not {type(f).__name__}"
                        + (" (open the file in binary mode, 'wb')"
                           if isinstance(f, io.TextIOBase) else ""))
    else:
        try:
            _write_archive(f, members)
        except OSError as exc:
            raise _os_error(_label(f), "cannot be written", exc) from exc


def _write_archive(file, members):
    """The ``.npz`` layout numpy's ``savez`` writes, with ``allow_pickle=False``."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in members.items():
            with archive.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _save_to_path(path, members):
    target = os.path.realpath(path)               # write through a symlink, as open() would
    directory, name = os.path.split(target)
    if os.path.isdir(target):
        raise CheckpointError(f"checkpoint {path!r}: is a directory, not a checkpoint file")
    _remove_stale_temporaries(directory, name)
    tmp = os.path.join(directory, f".{name}.{_host()}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)   # 0o666 & ~umask
    except OSError as exc:
        raise _os_error(path, "cannot be written", exc) from exc
    try:
        with os.fdopen(fd, "wb") as file:
            _keep_mode(file.fileno(), target)
            _write_archive(file, members)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, target)
    except BaseException as exc:                  # KeyboardInterrupt too: no temp left behind
        _unlink_quietly(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, CheckpointError):
            raise _os_error(path, "cannot be written", exc) from exc
        raise
    _fsync_directory(directory)


def _keep_mode(fd, target):
    """A replaced checkpoint keeps its permission bits (open(path, 'wb') would keep them)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.fchmod(fd, mode)


def _host():
    """This machine's name as it appears in temporaries: letters, digits and '-'."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def _remove_stale_temporaries(directory, name):
    """Delete ``.{name}.{host}.{pid}.{token}.tmp`` files in ``directory`` whose save is over:
    its process is gone (same host), or it is older than ``STALE_AFTER``. Only regular files
    matching that pattern for this very target are touched."""
    pattern = re.compile(re.escape(f".{name}.") + r"([A-Za-z0-9-]+)\.(\d{1,10})\.[0-9a-f]{8}"
                         r"\.tmp\Z")
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        match = pattern.match(entry.name)
        if match and _is_stale(entry, match.group(1), int(match.group(2))):
            _unlink_quietly(entry.path)


def _is_stale(entry, host, pid):
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if time.time() - info.st_mtime > STALE_AFTER:
        return True
    return host == _host() and not _pid_alive(pid)


def _pid_alive(pid):
    if os.name != "posix":        # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):   # EPERM: it exists, under another user
        return True
    return True


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


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


_REASONS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
            errno.EFBIG: "file too large (a file size limit?)", errno.EACCES: "permission denied",
            errno.EPERM: "permission denied", errno.EROFS: "read-only file system",
            errno.ENOENT: "no such file or directory", errno.EISDIR: "is a directory"}


def _os_error(label, what, exc):
    """A CheckpointError naming the file, the system's reason and errno."""
    reason = _REASONS.get(exc.errno) or exc.strerror or f"{type(exc).__name__}: {exc}"
    note = "; a previous checkpoint there is intact" if what == "cannot be written" else ""
    error = CheckpointError(f"checkpoint {label!r}: {what}: {reason}{note}")
    error.errno = exc.errno
    return error


# -- loading --------------------------------------------------------------------------------
def load(f, map_location=None, *, weights_only=True):
    """Read a checkpoint written by :func:`save`; arrays come back as Tensors.

    Parameters
    ----------
    f : str or os.PathLike (any extension), or a binary file object with ``read``
        (``io.BytesIO``, ``open(..., 'rb')``), read from its current position to its end.
    map_location : None, ``'cpu'`` (or ``'cpu:N'``), a device (any object whose ``.type`` is
        ``'cpu'``, as ``torch.device('cpu')``'s), a dict or a callable, as in ``torch.load``.
        Every array was saved on the CPU, location tag ``'cpu'``, and is loaded there. A dict
        maps location tags: ``{'cuda:0': 'cpu'}`` changes nothing, ``{'cpu': 'cuda:0'}`` is
        refused. A callable is called as ``map_location(tensor, 'cpu')`` for every array; it
        returns a Tensor to use instead, or None to keep the loaded one.
    weights_only : bool or None, accepted for ``torch.load`` compatibility. The format holds
        no pickle, so loading is always as safe as ``weights_only=True``, whatever the value.
        (``pickle_module``, ``mmap`` and pickle arguments are not accepted: there is no pickle.)

    Returns
    -------
    The saved object: dicts (in their order), lists, tuples, int/float/bool/None keys and
    scalars as they were saved, and every array (Tensor or ndarray when saved) as a Tensor with
    its dtype and shape (``requires_grad=False``).

    Raises
    ------
    CheckpointError
        The file is missing, unreadable (permission denied), empty, truncated, corrupted
        (checksum, size, shape or dtype mismatch), malformed (manifest schema), or not a
        checkpoint (a PyTorch pickle, a plain zip/npz, a ``.npy``, ...). The message names the
        file and, where there is one, the key; nothing is returned partially.
    DeviceError
        ``map_location`` names a device other than the CPU ('cuda', 'mps', ...): this
        framework runs on the CPU only (``torch.load`` raises RuntimeError there too).
    TypeError
        ``map_location`` or ``weights_only`` has an unsupported type, ``f`` is neither a path
        nor a binary file object, or a ``map_location`` callable returns neither a Tensor nor
        None.
    """
    place = _placement(map_location)
    if weights_only not in (True, False, None):
        raise TypeError(f"load: weights_only must be a bool or None, not {weights_only!r}")
    if isinstance(f, (str, os.PathLike)):
        label = os.fsdecode(f)
        with _open_for_reading(label) as file:
            return _read(file, label, place)
    if isinstance(f, io.TextIOBase) or not hasattr(f, "read"):
        raise TypeError(f"load: f must be a path (str or os.PathLike) or a binary file object "
                        f"with read(), not {type(f).__name__}"
                        + (" (open the file in binary mode, 'rb')"
                           if isinstance(f, io.TextIOBase) else ""))
    label = _label(f)
    try:
        data = f.read()
    except OSError as exc:
        raise _os_error(label, "cannot be read", exc) from exc
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"load: {label} returned {type(data).__name__} from read(), not bytes "
                        "(open the file in binary mode, 'rb')")
    return _read(io.BytesIO(data), label, place)


def _label(file):
    """How a file object is named in messages: its ``name``, else its type."""
    name = getattr(file, "name", None)
    return os.fsdecode(name) if isinstance(name, (str, bytes)) else f"<{type(file).__name__}>"


def _open_for_reading(path):
    try:
        return open(path, "rb")
    except OSError as exc:
        raise _os_error(path, "cannot be opened", exc) from exc


# -- map_location ---------------------------------------------------------------------------
def _placement(map_location):
    """``map_location`` as a function ``(tensor, where) -> tensor``; non-CPU devices refused."""
    if map_location is None:
        return _keep
    if isinstance(map_location, dict):
        _require_cpu(map_location.get("cpu", "cpu"), map_location)
        return _keep
    if isinstance(map_location, str) or isinstance(getattr(map_location, "type", None), str):
        _require_cpu(map_location, map_location)
        return _keep
    if callable(map_location):
        return lambda tensor, where: _call_location(map_location, tensor, where)
    raise TypeError(f"load: map_location must be None, a device string such as 'cpu', a "
                    f"device, a dict or a callable, not {type(map_location).__name__}")


def _keep(tensor, where):
    return tensor


def _require_cpu(location, given):
    kind = location if isinstance(location, str) else getattr(location, "type", None)
    if isinstance(kind, str) and re.fullmatch(r"cpu(:\d+)?", kind):
        return
    raise DeviceError(f"load: map_location={given!r} asks for the device {location!r}, but "
                      "this framework runs on the CPU only; use map_location='cpu' (or leave "
                      "it None)")


def _call_location(map_location, tensor, where):
    placed = map_location(tensor, "cpu")
    if placed is None:
        return tensor
    if not isinstance(placed, Tensor):
        raise TypeError(f"load: map_location returned {type(placed).__name__} for the array at "
                        f"{where}; it must return a Tensor or None")
    return placed


# -- reading the archive ----------------------------------------------------------------------
def _read(file, label, place):
    """Sniff the file, open the archive, check its members, decode the manifest's root."""
    _refuse_foreign(file, label)
    try:
        archive = zipfile.ZipFile(file)
    except Exception as exc:   # BadZipFile, OSError, ValueError, EOFError, ... from bad bytes
        raise _corrupted(label, exc) from exc
    with archive:
        manifest = _read_manifest(archive, label)
        reader = _Decoder(archive, manifest, label, place)
        obj = reader.decode(manifest["root"])
        reader.check_all_used()
    return obj


def _refuse_foreign(file, label):
    """Clear messages for what people mistake for checkpoints, before any parsing."""
    head = file.read(8)
    file.seek(0)
    if not head:
        raise CheckpointError(f"checkpoint {label!r}: the file is empty (an interrupted write?)")
    if head.startswith(b"\x93NUMPY"):
        raise CheckpointError(f"checkpoint {label!r}: a single .npy array (numpy.save), not a "
                              "checkpoint archive")
    if head[:1] == b"\x80":
        raise CheckpointError(f"checkpoint {label!r}: a Python pickle (PyTorch's legacy "
                              "torch.save format?); checkpoints are never unpickled, so it is "
                              "not loaded")
    if not zipfile.is_zipfile(file):
        raise CheckpointError(f"checkpoint {label!r}: not an .npz archive (wrong format, "
                              "truncated or corrupted)")
    file.seek(0)


def _corrupted(label, exc, where=None):
    at = f" (reading {where})" if where else ""
    return CheckpointError(f"checkpoint {label!r}: cannot be read{at} ({type(exc).__name__}: "
                           f"{exc}); the file is truncated or corrupted")


def _read_manifest(archive, label):
    names = [info.filename for info in archive.infolist()]
    if any(name.endswith("data.pkl") for name in names):
        raise CheckpointError(f"checkpoint {label!r}: a PyTorch checkpoint (torch.save: a zip "
                              "of pickles); checkpoints are never unpickled, so it is not "
                              "loaded. Convert it where PyTorch is installed: autograd.save({k: "
                              "v.numpy() for k, v in torch.load(f).items()}, 'out.pt')")
    if len(set(names)) != len(names):
        raise CheckpointError(f"checkpoint {label!r}: the archive lists a member twice; the "
                              "file is corrupted")
    if _MANIFEST + ".npy" not in names:
        raise CheckpointError(f"checkpoint {label!r}: an .npz/zip archive without a "
                              f"'{_MANIFEST}' entry, so not written by autograd.save")
    data = _read_member(archive, _MANIFEST, {"shape": None, "dtype": "|u1"}, label, "manifest")
    if data.ndim != 1:
        raise CheckpointError(f"checkpoint {label!r}: the manifest is an array of shape "
                              f"{tuple(data.shape)}, not 1-D bytes")
    try:
        manifest = json.loads(data.tobytes().decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CheckpointError(f"checkpoint {label!r}: its manifest is not valid JSON "
                              f"({type(exc).__name__}: {exc})") from exc
    _check_manifest(manifest, names, label)
    return manifest


def _no_duplicates(pairs):
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError(f"duplicate key in a JSON object: {sorted(keys)}")
    return dict(pairs)


def _check_manifest(manifest, names, label):
    """The top level: format, version, the arrays table, and the members it implies."""
    def bad(reason):
        return CheckpointError(f"checkpoint {label!r}: {reason}")

    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise bad(f"the manifest does not name the format {FORMAT!r}")
    version = manifest.get("version")
    if type(version) is not int or version not in (1, VERSION):
        raise bad(f"format version {version!r} is not supported (this version reads 1 and "
                  f"{VERSION})")
    expected = {"format", "version", "root"} | ({"arrays"} if version == 2 else set())
    if set(manifest) != expected:
        raise bad(f"the manifest's entries are {sorted(manifest)}, not {sorted(expected)} "
                  f"(version {version}); 'root' missing or unknown entries")
    if version == 1:
        manifest["arrays"] = {n[:-4]: None for n in names if n != _MANIFEST + ".npy"
                              and n.endswith(".npy")}
    elif not isinstance(manifest["arrays"], dict):
        raise bad("the manifest's 'arrays' entry is not a table of array records")
    for name, record in manifest["arrays"].items():
        if record is not None:
            _check_record(name, record, bad)
    members = {_MANIFEST + ".npy"} | {name + ".npy" for name in manifest["arrays"]}
    unexpected = sorted(set(names) - members)
    missing = sorted(members - set(names))
    if unexpected:
        raise bad(f"the archive holds members the manifest does not list: {unexpected[:5]}")
    if missing:
        raise bad(f"the manifest lists arrays the archive does not contain: {missing[:5]}")


def _check_record(name, record, bad):
    if not isinstance(record, dict) or set(record) != {"shape", "dtype", "sha256"}:
        raise bad(f"the record of array {name!r} is not {{shape, dtype, sha256}}: {record!r:.80}")
    shape, dtype, digest = record["shape"], record["dtype"], record["sha256"]
    if not (isinstance(shape, list) and len(shape) <= 64
            and all(type(n) is int and n >= 0 for n in shape)):
        raise bad(f"array {name!r} has an invalid shape record {shape!r:.80}")
    if not (isinstance(dtype, str) and _allowed_dtype(dtype)):
        raise bad(f"array {name!r} has an unsupported dtype record {dtype!r:.40} (only bool, "
                  "int, uint and float arrays are stored; never objects)")
    if not (isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest)):
        raise bad(f"array {name!r} has an invalid sha256 record {digest!r:.80}")


def _allowed_dtype(text):
    try:
        dtype = np.dtype(text)
    except (TypeError, ValueError):
        return False
    return dtype.kind in _KINDS and dtype.str == text


def _read_member(archive, name, record, label, where):
    """One ``.npy`` member, read to its end (so the zip CRC-32 is checked) and checked against
    its manifest record (shape and dtype before any allocation, then the SHA-256)."""
    try:
        info = archive.getinfo(name + ".npy")
        if info.compress_type != zipfile.ZIP_STORED:
            raise CheckpointError(f"checkpoint {label!r}: member {info.filename} of {where} is "
                                  f"compressed (method {info.compress_type}); checkpoints are "
                                  "stored uncompressed")
        with archive.open(info) as member:
            array = _read_npy(member, info, record, label, where)
    except CheckpointError:
        raise
    except Exception as exc:   # BadZipFile (CRC), ValueError (header), EOFError, OSError, ...
        raise _corrupted(label, exc, where) from exc
    if record is not None and record.get("sha256") not in (None, _sha256(array)):
        raise CheckpointError(f"checkpoint {label!r}: the array at {where} (member {name}.npy) "
                              "fails its SHA-256 checksum; the file is corrupted")
    return array


def _read_npy(member, info, record, label, where):
    def bad(reason):
        return CheckpointError(f"checkpoint {label!r}: the array at {where} (member "
                               f"{info.filename}) {reason}; the file is corrupted")

    version = np.lib.format.read_magic(member)
    if version not in ((1, 0), (2, 0)):
        raise bad(f"has .npy format version {version}")
    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                   else np.lib.format.read_array_header_2_0)
    shape, fortran_order, dtype = read_header(member, max_header_size=_MAX_NPY_HEADER)
    if dtype.kind not in _KINDS or dtype.hasobject:
        raise bad(f"has dtype {dtype} (a pickled object array?); it is not loaded")
    if fortran_order:
        raise bad("is stored in Fortran order, which autograd.save never writes")
    if record is not None and record["dtype"] != dtype.str:
        raise bad(f"has dtype {dtype.str} in its header but {record['dtype']} in the manifest")
    if record is not None and record["shape"] is not None and tuple(record["shape"]) != shape:
        raise bad(f"has shape {shape} in its header but {tuple(record['shape'])} in the "
                  "manifest")
    nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
    if info.file_size - member.tell() != nbytes:
        raise bad(f"holds {info.file_size - member.tell()} data bytes, but shape {shape} of "
                  f"{dtype.str} needs {nbytes}")
    array = np.empty(shape, dtype=dtype)
    _read_into(member, array.reshape(-1).view(np.uint8), bad)
    return array


def _read_into(member, view, bad):
    """Fill ``view`` (uint8) from the member, then require its end: reading the last byte is
    what makes zipfile compare the CRC-32."""
    done = 0
    while done < view.size:
        chunk = member.read(min(_CHUNK, view.size - done))
        if not chunk:
            raise bad(f"ends after {done} of {view.size} data bytes")
        view[done:done + len(chunk)] = np.frombuffer(chunk, dtype=np.uint8)
        done += len(chunk)
    if member.read(1):
        raise bad("has bytes after its data")


class _Decoder:
    """Rebuilds ``root``, validating every node and reading each array where it is used."""

    def __init__(self, archive, manifest, label, place):
        self.archive, self.records, self.label, self.place = (archive, manifest["arrays"],
                                                              label, place)
        self.used = set()

    def decode(self, node, where="obj", depth=0):
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if depth == MAX_DEPTH:
            raise self.bad(f"the manifest is nested deeper than MAX_DEPTH = {MAX_DEPTH} levels",
                           _short(where))
        if isinstance(node, list):
            return [self.decode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(node)]
        if not (isinstance(node, dict) and len(node) == 1):
            raise self.bad(f"unknown manifest node with keys {sorted(node)}", where)
        (tag, value), = node.items()
        if tag == "__array__":
            return self.array(value, where)
        if tag == "__tuple__" and isinstance(value, list):
            return tuple(self.decode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))
        if tag == "__dict__" and isinstance(value, list):
            return self.dict(value, where, depth)
        raise self.bad(f"unknown manifest node with keys {sorted(node)}", where)

    def dict(self, pairs, where, depth):
        out = {}
        for pair in pairs:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise self.bad(f"malformed dict entry {pair!r:.60} (not a [key, value] pair)",
                               where)
            key = pair[0]
            if not (key is None or isinstance(key, (bool, int, float, str))):
                raise self.bad(f"malformed dict entry: a key of type {type(key).__name__}",
                               where)
            if key in out:
                raise self.bad(f"the dict has the key {key!r} twice", where)
            out[key] = self.decode(pair[1], f"{where}[{key!r}]", depth + 1)
        return out

    def array(self, name, where):
        if not isinstance(name, str) or name not in self.records:
            raise self.bad(f"the manifest refers to array {name!r:.60}, which the archive does "
                           "not contain", where)
        if name in self.used:
            raise self.bad(f"the manifest uses array {name!r} twice", where)
        self.used.add(name)
        array = _read_member(self.archive, name, self.records[name], self.label, where)
        if not array.dtype.isnative:                  # an older file: native byte order
            array = array.astype(array.dtype.newbyteorder("="))
        if array.dtype not in _dtypes.SUPPORTED:
            raise self.bad(f"array {name!r} has dtype {array.dtype}, which a Tensor cannot "
                           "hold", where)
        return self.place(from_numpy(array), where)

    def check_all_used(self):
        unused = sorted(set(self.records) - self.used)
        if unused:
            raise self.bad(f"the archive holds arrays the manifest never uses: {unused[:5]}")

    def bad(self, reason, where=None):
        at = f" (at {where})" if where else ""
        return CheckpointError(f"checkpoint {self.label!r}: {reason}{at}")
