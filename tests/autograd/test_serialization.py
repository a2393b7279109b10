"""autograd.save / autograd.load: round trips, torch.save/torch.load's entry points (paths of any
extension, file objects, map_location, weights_only), the manifest's strict schema, and atomic
writes. The fault-injection campaign (truncation, bit flips, foreign files, kills, a full disk,
permissions) is test_serialization_faults.py."""

import errno
import hashlib
import io
import json
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
import zipfile

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import autograd.serialization as serialization
from autograd.errors import CheckpointError, DeviceError
from autograd.tensor import Tensor


def _same(a, b):
    """Deep equality where arrays (Tensor after loading) compare bitwise, dtype included."""
    if isinstance(a, (Tensor, np.ndarray)):
        a_data = a.detach().numpy() if isinstance(a, Tensor) else a
        native = a_data.dtype.newbyteorder("=")         # loaded Tensors use native byte order
        assert isinstance(b, Tensor) and b.dtype == native and b.shape == a_data.shape
        assert b.numpy().tobytes() == np.ascontiguousarray(a_data, dtype=native).tobytes()
        return
    assert type(a) is type(b) or (isinstance(a, dict) and isinstance(b, dict)), (a, b)
    if isinstance(a, dict):
        assert list(a) == list(b)
        for key in a:
            assert type(key) is type(next(k for k in b if k == key))
            _same(a[key], b[key])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b)
    else:
        assert a == b


OBJ = {
    "model": {"w": ag.randn(3, 4), "b": np.arange(3, dtype=np.float64),
              "mask": np.array([True, False]), "ids": np.arange(5, dtype=np.int32),
              "u8": np.arange(4, dtype=np.uint8), "half": np.ones(2, np.float16),
              "big_endian": np.arange(3, dtype=">i4"),
              "scalar": np.array(2.5, dtype=np.float32), "empty": np.zeros((0, 3)),
              "strided": np.arange(12.0).reshape(3, 4).T, "fortran": np.asfortranarray(
                  np.arange(6.0).reshape(2, 3))},
    "optimizer": {"state": {0: {"step": 7, "exp_avg": ag.ones(2)}},
                  "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "params": [0, 1]}]},
    "epoch": 3, "big": 2 ** 100, "neg": -5, "name": "run-1 ✓", "none": None, "flag": True,
    "floats": [float("inf"), -float("inf"), float("nan"), 0.1], "nested": [(1, [2, (3,)])],
    "keys": {1: "int", "1": "str", 2.5: "float", None: "none", False: "bool"},
    "lookalike": {"__array__": "a0"}, "np_scalars": [np.float32(0.1), np.int64(4)],
}


@pytest.mark.parametrize("name", ["ck.npz", "ck.pt", "ck.pth", "ck", "ck.tar"])
def test_round_trip_keeps_structure_types_and_bits_whatever_the_extension(tmp_path, name):
    ag.save(OBJ, tmp_path / name)
    back = ag.load(tmp_path / name)
    _same(dict(OBJ, np_scalars=[float(np.float32(0.1)), 4]), back)
    assert back["model"]["strided"].numpy().flags.c_contiguous
    assert back["model"]["w"].requires_grad is False
    assert os.listdir(tmp_path) == [name]                     # name kept, no temp left over


def test_str_path_and_requires_grad_tensor(tmp_path):
    w = ag.randn(2, 2, requires_grad=True)
    ag.save({"w": w}, str(tmp_path / "w.pt"))
    back = ag.load(str(tmp_path / "w.pt"))["w"]
    assert back.requires_grad is False and back.numpy().tobytes() == w.detach().numpy().tobytes()


def test_file_objects_bytesio_and_open_files(tmp_path):
    buffer = io.BytesIO()
    ag.save(OBJ, buffer)
    buffer.seek(0)
    _same(ag.load(buffer)["optimizer"], OBJ["optimizer"])
    with open(tmp_path / "f.pt", "wb") as f:
        ag.save({"a": ag.ones(3)}, f)
    with open(tmp_path / "f.pt", "rb") as f:
        assert ag.load(f)["a"].shape == (3,)
    with pytest.raises(TypeError, match="binary mode"):
        ag.save({"a": 1}, io.StringIO())
    with pytest.raises(TypeError, match="binary mode"):
        ag.load(io.StringIO("x"))
    with pytest.raises(TypeError, match="path .* or a binary file object"):
        ag.save({"a": 1}, 3)
    with pytest.raises(TypeError, match="path .* or a binary file object"):
        ag.load(3)
    with pytest.raises(CheckpointError, match=r"'<BytesIO>': the file is empty"):
        ag.load(io.BytesIO())


def test_nn_save_and_load_are_the_autograd_functions():
    import nn
    import nn.serialization
    assert nn.save is ag.save and nn.load is ag.load
    assert nn.serialization.save is ag.save and nn.serialization.load is ag.load


# -- map_location and weights_only, as torch.load (checked with torch 2.13 CPU: 'cpu' and
# torch.device('cpu') load on the CPU; 'cuda', 'cuda:1', torch.device('cuda') and
# {'cpu': 'cuda:0'} raise RuntimeError "Attempting to deserialize object on a CUDA device ...";
# {'cuda:0': 'cpu'} and both callables load on the CPU; an int is a TypeError; weights_only
# True, False and None all load) ---------------------------------------------------------------
class _Device:
    """Stands for autograd.device / torch.device: an object with a ``type``."""

    def __init__(self, type):
        self.type = type

    def __repr__(self):
        return f"device(type={self.type!r})"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("loc") / "s.pt"
    ag.save({"w": ag.ones(2, 3), "n": 1}, path)
    return path


@pytest.mark.parametrize("location", [None, "cpu", "cpu:0", _Device("cpu"), {"cuda:0": "cpu"},
                                      {"cpu": "cpu"}, {"cpu": _Device("cpu")},
                                      lambda storage, loc: storage,
                                      lambda storage, loc: None])
def test_cpu_locations_load(small, location):
    back = ag.load(small, map_location=location)
    np.testing.assert_array_equal(back["w"].numpy(), np.ones((2, 3), np.float32))


@pytest.mark.parametrize("location", ["cuda", "cuda:1", _Device("cuda"), {"cpu": "cuda:0"},
                                      "mps", "meta", "bogus"])
def test_other_devices_are_refused_clearly(small, location):
    with pytest.raises(DeviceError, match="runs on the CPU only") as info:
        ag.load(small, map_location=location)
    assert isinstance(info.value, RuntimeError)


def test_callable_location_sees_every_tensor_and_can_replace_it(small):
    seen = []

    def location(tensor, tag):
        seen.append((tensor.shape, tag))
        return tensor * 2

    assert ag.load(small, map_location=location)["w"].numpy().tolist() == [[2.0] * 3] * 2
    assert seen == [((2, 3), "cpu")]
    with pytest.raises(TypeError, match=r"returned int for the array at obj\['w'\]"):
        ag.load(small, map_location=lambda t, loc: 3)
    with pytest.raises(TypeError, match="map_location must be"):
        ag.load(small, map_location=3)


@pytest.mark.parametrize("weights_only", [True, False, None])
def test_weights_only_is_accepted_and_changes_nothing(small, weights_only):
    assert ag.load(small, weights_only=weights_only)["n"] == 1
    with pytest.raises(TypeError):
        ag.load(small, None, True)            # keyword-only, as in torch.load
    with pytest.raises(TypeError, match="weights_only"):
        ag.load(small, weights_only="yes")


# -- what save refuses ------------------------------------------------------------------------
def test_unsupported_objects_raise_type_error_naming_the_place(tmp_path):
    with pytest.raises(TypeError, match=r"obj\['a'\]\[1\]"):
        ag.save({"a": [1, object()]}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match=r"obj\['a'\] has dtype object"):
        ag.save({"a": np.array([None, 1], dtype=object)}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match=r"obj\['s'\] has dtype <U1"):
        ag.save({"s": np.array(["a"])}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="key of type tuple"):
        ag.save({(1, 2): 3}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="cannot store set"):
        ag.save({1, 2}, tmp_path / "x.npz")
    assert os.listdir(tmp_path) == []


def test_deep_nesting_and_cycles_are_refused_without_recursion_error(tmp_path):
    deep = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ValueError, match=r"deeper than MAX_DEPTH = 100 .*\(100 levels\)"):
        ag.save(deep, tmp_path / "d.npz")
    cycle = {"a": []}
    cycle["a"].append(cycle)
    with pytest.raises(ValueError, match=r"obj\['a'\]\[0\] contains itself"):
        ag.save(cycle, tmp_path / "c.npz")
    assert os.listdir(tmp_path) == []
    ok = 1
    for _ in range(serialization.MAX_DEPTH):                    # the documented maximum saves
        ok = {"k": ok}
    ag.save(ok, tmp_path / "ok.npz")
    back = ag.load(tmp_path / "ok.npz")
    for _ in range(serialization.MAX_DEPTH):
        back = back["k"]
    assert back == 1
    with pytest.raises(ValueError, match="MAX_DEPTH"):
        ag.save([ok], tmp_path / "ok.npz")                     # one level more


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
    | st.lists(st.floats(-1e6, 1e6, width=32), max_size=4).map(
        lambda v: np.array(v, dtype=np.float32)),
    lambda children: st.lists(children, max_size=3)
    | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=3) | st.integers(-5, 5), children, max_size=3),
    max_leaves=10))
def test_round_trip_property(obj):
    buffer = io.BytesIO()
    ag.save(obj, buffer)
    buffer.seek(0)
    _same(obj, ag.load(buffer))


# -- the format, as documented -------------------------------------------------------------------
def test_file_is_a_plain_npz_whose_manifest_records_shape_dtype_and_sha256(tmp_path):
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    ag.save({"w": w}, tmp_path / "x.ckpt")
    with np.load(tmp_path / "x.ckpt", allow_pickle=False) as archive:
        assert sorted(archive.files) == ["__manifest__", "a0"]
        manifest = json.loads(archive["__manifest__"].tobytes())
        np.testing.assert_array_equal(archive["a0"], w)
    assert manifest == {"format": "autograd-checkpoint", "version": 2,
                        "arrays": {"a0": {"shape": [2, 3], "dtype": "<f4",
                                          "sha256": hashlib.sha256(w.tobytes()).hexdigest()}},
                        "root": {"__dict__": [["w", {"__array__": "a0"}]]}}
    with zipfile.ZipFile(tmp_path / "x.ckpt") as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}


def test_version_1_files_still_load(tmp_path):
    """Written by the previous nn.save: no arrays table, members checked by the zip CRC."""
    path = tmp_path / "v1.npz"
    _archive(path, {"format": "autograd-checkpoint", "version": 1,
                    "root": {"__dict__": [["w", {"__array__": "a0"}], ["e", 2]]}},
             a0=np.ones(3, np.float32))
    back = ag.load(path)
    assert back["e"] == 2 and back["w"].numpy().tolist() == [1.0] * 3


# -- malformed manifests: always CheckpointError naming the path --------------------------------
def _archive(path, manifest, raw=None, **arrays):
    """An .npz with ``manifest`` (a dict, or bytes used as is) and the given members."""
    text = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    np.savez(path, __manifest__=np.frombuffer(text, dtype=np.uint8), **arrays)
    with zipfile.ZipFile(path, "a") as archive:
        for name, data in (raw or {}).items():
            archive.writestr(name, data)


def _record(array):
    return {"shape": list(array.shape), "dtype": array.dtype.str,
            "sha256": hashlib.sha256(array.tobytes()).hexdigest()}


def _v2(root, **records):
    return {"format": "autograd-checkpoint", "version": 2, "arrays": records, "root": root}


ONE = np.ones(2, np.float32)
W = {"__dict__": [["w", {"__array__": "a0"}]]}
MALFORMED = {
    "array missing": (_v2({"__dict__": [["w", {"__array__": "a3"}]]}, a0=_record(ONE)),
                      {"a0": ONE}, None, "'a3'"),
    "listed, not in archive": (_v2(W, a0=_record(ONE), a1=_record(ONE)), {"a0": ONE}, None,
                               "does not contain"),
    "extra array": (_v2(W, a0=_record(ONE)), {"a0": ONE, "a1": ONE}, None, "does not list"),
    "listed, unused": (_v2(W, a0=_record(ONE), a1=_record(ONE)), {"a0": ONE, "a1": ONE}, None,
                       "never uses"),
    "raw member": (_v2(W, a0=_record(ONE)), {"a0": ONE}, {"notes.txt": b"hi"}, "does not list"),
    "raw __manifest__ only": ({}, {}, None, None),     # built below: no __manifest__.npy
    "list as array name": (_v2({"__dict__": [["w", {"__array__": ["a0"]}]]}, a0=_record(ONE)),
                           {"a0": ONE}, None, "refers to array"),
    "int as array name": (_v2({"__array__": 0}, a0=_record(ONE)), {"a0": ONE}, None,
                          "refers to array"),
    "used twice": (_v2([{"__array__": "a0"}, {"__array__": "a0"}], a0=_record(ONE)),
                   {"a0": ONE}, None, "twice"),
    "unknown tag": (_v2({"__weird__": 1}), {}, None, "unknown manifest node"),
    "two tags": (_v2({"__tuple__": [], "__dict__": []}), {}, None, "unknown manifest node"),
    "tuple not a list": (_v2({"__tuple__": 3}), {}, None, "unknown manifest node"),
    "dict entry not a pair": (_v2({"__dict__": [["k"]]}), {}, None, "malformed dict entry"),
    "dict entries not a list": (_v2({"__dict__": {"k": 1}}), {}, None, "unknown manifest node"),
    "list as a key": (_v2({"__dict__": [[["k"], 1]]}), {}, None, "key of type list"),
    "duplicate dict key": (_v2({"__dict__": [["k", 1], ["k", 2]]}), {}, None, "'k' twice"),
    "duplicate JSON key": (b'{"format": "autograd-checkpoint", "format": "x", "version": 2}',
                           {}, None, "duplicate key"),
    "deep JSON": (b"[" * 100000 + b"]" * 100000, {}, None, "not valid JSON"),
    "deep nodes": (_v2(json.loads("[" * 150 + "]" * 150)), {}, None, "MAX_DEPTH"),
    "not JSON": (b"{not json", {}, None, "not valid JSON"),
    "not UTF-8": (b"\xff\xfe{}", {}, None, "not valid JSON"),
    "a list": (b"[1, 2]", {}, None, "format"),
    "other format": ({"format": "something-else", "version": 2, "root": 1}, {}, None, "format"),
    "version 99": ({"format": "autograd-checkpoint", "version": 99, "root": 1}, {}, None,
                   "version 99"),
    "version true": ({"format": "autograd-checkpoint", "version": True, "root": 1}, {}, None,
                     "version True"),
    "no root": ({"format": "autograd-checkpoint", "version": 2, "arrays": {}}, {}, None,
                "'root'"),
    "unknown entry": (dict(_v2(1), extra=1), {}, None, "unknown entries"),
    "arrays not a table": (dict(_v2(1), arrays=[]), {}, None, "not a table"),
    "record not a dict": (_v2(W, a0=[2]), {"a0": ONE}, None, "record of array 'a0'"),
    "record without sha256": (_v2(W, a0={"shape": [2], "dtype": "<f4"}), {"a0": ONE}, None,
                              "record of array 'a0'"),
    "bad shape record": (_v2(W, a0=dict(_record(ONE), shape=[-2])), {"a0": ONE}, None,
                         "invalid shape"),
    "bool in shape": (_v2(W, a0=dict(_record(ONE), shape=[True, 2])), {"a0": ONE}, None,
                      "invalid shape"),
    "object dtype record": (_v2(W, a0=dict(_record(ONE), dtype="|O")), {"a0": ONE}, None,
                            "unsupported dtype"),
    "structured dtype record": (_v2(W, a0=dict(_record(ONE), dtype="|V8")), {"a0": ONE}, None,
                                "unsupported dtype"),
    "garbage dtype record": (_v2(W, a0=dict(_record(ONE), dtype="float banana")),
                             {"a0": ONE}, None, "unsupported dtype"),
    "bad sha256 record": (_v2(W, a0=dict(_record(ONE), sha256="00")), {"a0": ONE}, None,
                          "invalid sha256"),
    "wrong sha256": (_v2(W, a0=dict(_record(ONE), sha256="0" * 64)), {"a0": ONE}, None,
                     r"obj\['w'\] \(member a0.npy\) fails its SHA-256"),
    "wrong shape": (_v2(W, a0=dict(_record(ONE), shape=[1, 2])), {"a0": ONE}, None,
                    r"obj\['w'\].*shape \(2,\) in its header but \(1, 2\)"),
    "wrong dtype": (_v2(W, a0=dict(_record(ONE), dtype="<i4")), {"a0": ONE}, None,
                    r"obj\['w'\].*dtype <f4 in its header but <i4"),
    "fortran member": (_v2(W, a0=_record(np.ones((2, 2), np.float32))),
                       {"a0": np.asfortranarray(np.ones((2, 2), np.float32))}, None,
                       "Fortran order"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_manifests_raise_checkpoint_error(tmp_path, case):
    manifest, arrays, raw, reason = MALFORMED[case]
    path = tmp_path / "m.npz"
    if case == "raw __manifest__ only":       # the JSON as a raw member, not a .npy array
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("__manifest__", json.dumps(_v2(1)))
        reason = "without a '__manifest__' entry"
    else:
        _archive(path, manifest, raw, **arrays)
    with pytest.raises(CheckpointError, match=reason) as info:
        ag.load(path)
    assert str(path) in str(info.value)


def test_repacked_archive_with_other_data_fails_the_sha256_naming_the_key(tmp_path):
    """Same shape and dtype and a valid zip CRC: only the manifest's checksum can tell."""
    path = tmp_path / "r.pt"
    ag.save({"model": {"w": np.zeros((2, 3), np.float32)}}, path)
    with zipfile.ZipFile(path) as archive:
        manifest = archive.read("__manifest__.npy")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("__manifest__.npy", manifest)
        buffer = io.BytesIO()
        np.save(buffer, np.ones((2, 3), np.float32))
        archive.writestr("a0.npy", buffer.getvalue())
    with pytest.raises(CheckpointError, match=r"r\.pt.*obj\['model'\]\['w'\].*SHA-256"):
        ag.load(path)


def test_manifest_member_of_the_wrong_kind(tmp_path):
    path = tmp_path / "m.npz"
    np.savez(path, __manifest__=np.zeros((2, 2), np.uint8))
    with pytest.raises(CheckpointError, match="shape"):
        ag.load(path)
    np.savez(path, __manifest__=np.zeros(3, np.float64))
    with pytest.raises(CheckpointError, match="dtype <f8 in its header but |u1"):
        ag.load(path)


def test_compressed_members_are_refused(tmp_path):
    path = tmp_path / "z.npz"
    text = json.dumps(_v2(W, a0=_record(ONE))).encode()
    np.savez_compressed(path, __manifest__=np.frombuffer(text, np.uint8), a0=ONE)
    with pytest.raises(CheckpointError, match="compressed"):
        ag.load(path)


# -- missing, empty, directories -----------------------------------------------------------
def test_missing_file_directory_and_empty_file(tmp_path):
    with pytest.raises(CheckpointError, match="no such file") as info:
        ag.load(tmp_path / "nope.npz")
    assert info.value.errno == errno.ENOENT and "nope.npz" in str(info.value)
    with pytest.raises(CheckpointError, match="is a directory"):
        ag.load(tmp_path)
    with pytest.raises(CheckpointError, match="is a directory"):
        ag.save({"a": 1}, tmp_path)
    (tmp_path / "e.npz").write_bytes(b"")
    with pytest.raises(CheckpointError, match="e.npz': the file is empty"):
        ag.load(tmp_path / "e.npz")


def test_save_into_missing_directory_names_the_path(tmp_path):
    target = tmp_path / "no" / "such" / "dir.npz"
    with pytest.raises(CheckpointError, match="no such file or directory") as info:
        ag.save({"a": 1}, target)
    assert str(target) in str(info.value) and info.value.errno == errno.ENOENT


# -- atomic writes --------------------------------------------------------------------------
@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.npz"
    ag.save({"w": ag.randn(50, 20), "opt": {"state": {0: {"step": 1}}}, "epoch": 2}, path)
    return path


def _assert_intact(path):
    back = ag.load(path)
    assert back["epoch"] == 2 and back["w"].shape == (50, 20)
    assert sorted(os.listdir(path.parent)) == [path.name]        # no temporary left


def test_failed_write_leaves_old_file_intact_and_names_the_path(good, monkeypatch):
    def half_write(fp, array, **kwargs):
        fp.write(b"partial garbage")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", half_write)
    with pytest.raises(CheckpointError, match="no space left on device") as info:
        ag.save({"epoch": 3, "w": ag.zeros(1)}, good)
    monkeypatch.undo()
    assert str(good) in str(info.value) and info.value.errno == errno.ENOSPC
    _assert_intact(good)


@pytest.mark.parametrize("target", ["replace", "fsync"])
def test_failed_rename_and_failed_fsync_leave_old_file_intact(good, monkeypatch, target):
    def fail(*args):
        raise OSError(errno.EIO, "simulated failure")

    monkeypatch.setattr(os, target, fail)
    with pytest.raises(CheckpointError, match="simulated failure"):
        ag.save({"epoch": 3}, good)
    monkeypatch.undo()
    _assert_intact(good)


def test_interrupt_mid_write_leaves_old_file_intact(good, monkeypatch):
    def interrupted(fp, array, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ag.save({"epoch": 3}, good)
    monkeypatch.undo()
    _assert_intact(good)


def test_unsavable_object_leaves_old_file_intact(good):
    with pytest.raises(TypeError):
        ag.save({"epoch": 3, "bad": {1, 2}}, good)
    _assert_intact(good)


def test_new_file_gets_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path):
    path = tmp_path / "ckpt.npz"
    old = os.umask(0o022)
    try:
        ag.save({"a": np.zeros(2)}, path)
        assert (os.stat(path).st_mode & 0o777) == 0o644
        os.chmod(path, 0o600)
        ag.save({"a": np.ones(2)}, path)
    finally:
        os.umask(old)
    assert (os.stat(path).st_mode & 0o777) == 0o600
    assert ag.load(path)["a"].numpy().tolist() == [1.0, 1.0]


def test_save_through_a_symlink_writes_its_target(tmp_path):
    (tmp_path / "real.pt").write_bytes(b"")
    os.symlink("real.pt", tmp_path / "latest.pt")
    ag.save({"a": 5}, tmp_path / "latest.pt")
    assert os.path.islink(tmp_path / "latest.pt")
    assert ag.load(tmp_path / "real.pt") == {"a": 5}


# -- temporaries: named for their target, cleaned up by the next save ---------------------------
def _host():
    """The machine's name as the documented temporary names spell it."""
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"


def _dead_pid():
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    return int(child.stdout)


def test_the_next_save_removes_stale_temporaries_of_its_target_only(tmp_path):
    dead, me, hour = _dead_pid(), os.getpid(), 3600
    cases = {                             # name -> (age in seconds, removed?)
        f".ckpt.pt.{_host()}.{dead}.0123abcd.tmp": (0, True),             # its process is gone
        f".ckpt.pt.{_host()}.{me}.0123abcd.tmp": (0, False),              # a save in progress
        f".ckpt.pt.{_host()}.{me}.4567cdef.tmp": (2 * hour, True),        # too old to be one
        f".ckpt.pt.other-host.{dead}.0123abcd.tmp": (0, False),           # can't tell: keep
        f".ckpt.pt.other-host.{dead}.4567cdef.tmp": (2 * hour, True),
        f".other.pt.{_host()}.{dead}.0123abcd.tmp": (2 * hour, False),    # another target's
        ".ckpt.pt.tmp": (2 * hour, False), "ckpt.pt.bak": (2 * hour, False),
        f".ckpt.pt.{_host()}.{dead}.0123abcd.tmp.keep": (2 * hour, False),
    }
    now = time.time()
    for name, (age, _) in cases.items():
        (tmp_path / name).write_bytes(b"partial")
        os.utime(tmp_path / name, (now - age, now - age))
    folder = tmp_path / f".ckpt.pt.{_host()}.{dead}.89abcdef.tmp"   # a directory: not touched
    folder.mkdir()
    ag.save({"a": 1}, tmp_path / "ckpt.pt")
    kept = {name for name, (_, removed) in cases.items() if not removed}
    assert set(os.listdir(tmp_path)) == kept | {"ckpt.pt", folder.name}


def test_concurrent_saves_to_one_path_each_use_their_own_temporary(tmp_path):
    path = tmp_path / "ckpt.pt"
    objs = [{"w": np.full(1000, float(i)), "i": i} for i in range(2)]
    errors = []

    def run(obj):
        try:
            for _ in range(10):
                ag.save(obj, path)
        except Exception as exc:   # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(obj,)) for obj in objs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and os.listdir(tmp_path) == ["ckpt.pt"]
    back = ag.load(path)
    _same(objs[back["i"]], back)


def test_saving_a_whole_module_is_refused_with_the_way_out(tmp_path):
    class Model:                                  # anything with state_dict/load_state_dict
        def state_dict(self):
            return {}

        def load_state_dict(self, state):
            pass

    with pytest.raises(TypeError, match=r"whole Model.*state_dict\(\)"):
        ag.save(Model(), str(tmp_path / "model.pth"))
    assert not (tmp_path / "model.pth").exists()
