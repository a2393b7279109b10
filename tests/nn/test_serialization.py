"""nn.save / nn.load: round trips, every kind of damaged file, atomic writes, and a training run
interrupted mid-epoch and resumed from a checkpoint that ends bitwise equal to the run that
never stopped."""

import json
import math
import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
import nn.optim as optim
from autograd import creation
from autograd.errors import CheckpointError
from autograd.tensor import Tensor
from nn.data import DataLoader, TensorDataset
from nn.serialization import load, save


def _same(a, b):
    """Deep equality where arrays (Tensor after loading) compare bitwise, dtype included."""
    if isinstance(a, (Tensor, np.ndarray)):
        a_data = a.data if isinstance(a, Tensor) else a
        assert isinstance(b, Tensor) and b.dtype == a_data.dtype and b.shape == a_data.shape
        np.testing.assert_array_equal(b.data, a_data)
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


def test_round_trip_keeps_structure_types_and_bits(tmp_path):
    obj = {
        "model": {"w": ag.randn(3, 4), "b": np.arange(3, dtype=np.float64),
                  "mask": np.array([True, False]), "ids": np.arange(5, dtype=np.int32),
                  "scalar": np.array(2.5, dtype=np.float32), "empty": np.zeros((0, 3)),
                  "strided": np.arange(12.0).reshape(3, 4).T},
        "optimizer": {"state": {0: {"step": 7, "exp_avg": ag.ones(2)}},
                      "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "params": [0, 1]}]},
        "epoch": 3, "big": 2 ** 100, "neg": -5, "name": "run-1", "none": None, "flag": True,
        "floats": [float("inf"), -float("inf"), float("nan"), 0.1], "nested": [(1, [2, (3,)])],
        "keys": {1: "int", "1": "str", 2.5: "float", None: "none", False: "bool"},
        "lookalike": {"__array__": "a0"}, "np_scalars": [np.float32(0.1), np.int64(4)],
    }
    path = tmp_path / "ck.npz"
    save(obj, path)
    back = load(path)
    expected = dict(obj, np_scalars=[float(np.float32(0.1)), 4])
    _same(expected, back)
    assert back["model"]["strided"].data.flags.c_contiguous
    assert back["model"]["w"].requires_grad is False


def test_file_is_plain_npz_without_pickle(tmp_path):
    save({"w": ag.ones(2)}, tmp_path / "x.ckpt")
    assert os.listdir(tmp_path) == ["x.ckpt"]                  # name kept, no temp left over
    with np.load(tmp_path / "x.ckpt", allow_pickle=False) as archive:
        manifest = json.loads(archive["__manifest__"].tobytes())
        assert manifest["format"] == "autograd-checkpoint"
        np.testing.assert_array_equal(archive["a0"], [1, 1])


def test_parameters_and_module_state_dicts_save(tmp_path):
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    save(model.state_dict(), tmp_path / "m.npz")
    back = load(tmp_path / "m.npz")
    assert list(back) == list(model.state_dict())
    ag.manual_seed(1)
    other = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    other.load_state_dict(back)
    for (k, a), (_, b) in zip(model.state_dict().items(), other.state_dict().items()):
        np.testing.assert_array_equal(a.data, b.data, err_msg=k)


def test_unsupported_objects_raise_type_error_naming_the_place(tmp_path):
    with pytest.raises(TypeError, match=r"obj\['a'\]\[1\]"):
        save({"a": [1, object()]}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="dtype object"):
        save({"a": np.array([None, 1], dtype=object)}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="key of type tuple"):
        save({(1, 2): 3}, tmp_path / "x.npz")
    assert os.listdir(tmp_path) == []


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
    | st.lists(st.floats(-1e6, 1e6, width=32), max_size=4).map(
        lambda v: np.array(v, dtype=np.float32)),
    lambda children: st.lists(children, max_size=3)
    | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=3) | st.integers(-5, 5), children, max_size=3),
    max_leaves=10))
def test_round_trip_property(tmp_path_factory, obj):
    path = tmp_path_factory.mktemp("prop") / "c.npz"
    save(obj, path)
    _same(obj, load(path))


# -- damaged files ----------------------------------------------------------------------------
@pytest.fixture
def good(tmp_path):
    path = tmp_path / "good.npz"
    save({"w": ag.randn(50, 20), "opt": {"state": {0: {"step": 1}}}, "epoch": 2}, path)
    return path


def _expect_error(path, reason):
    with pytest.raises(CheckpointError) as info:
        load(path)
    assert str(path) in str(info.value) and reason in str(info.value)
    assert isinstance(info.value, OSError)


def test_missing_file(tmp_path):
    _expect_error(tmp_path / "nope.npz", "no such file")
    _expect_error(tmp_path, "directory")


def test_empty_file(tmp_path):
    (tmp_path / "e.npz").write_bytes(b"")
    _expect_error(tmp_path / "e.npz", "empty")


@pytest.mark.parametrize("keep", [10, 0.5, 0.99, -22, -1])
def test_truncated_file(good, keep):
    data = good.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    good.write_bytes(data[:cut])
    with pytest.raises(CheckpointError, match="good.npz"):
        load(good)


def test_random_bytes(tmp_path):
    path = tmp_path / "r.npz"
    path.write_bytes(np.random.default_rng(0).bytes(3000))
    _expect_error(path, "not an .npz archive")


def test_flipped_byte_inside_an_array_is_caught(good):
    data = bytearray(good.read_bytes())
    data[len(data) // 3] ^= 0xFF               # inside the 'w' array's payload
    good.write_bytes(bytes(data))
    _expect_error(good, "corrupted")


def test_other_formats(tmp_path):
    np.save(tmp_path / "a.npy", np.ones(3))
    _expect_error(tmp_path / "a.npy", "not an .npz archive")
    (tmp_path / "t.txt").write_text("hello")
    _expect_error(tmp_path / "t.txt", "not an .npz archive")
    np.savez(tmp_path / "plain.npz", w=np.ones(3))
    _expect_error(tmp_path / "plain.npz", "__manifest__")


def _npz_with_manifest(path, manifest, **arrays):
    text = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
    np.savez(path, __manifest__=np.frombuffer(text, dtype=np.uint8), **arrays)


def test_bad_manifests(tmp_path):
    p = tmp_path / "m.npz"
    _npz_with_manifest(p, {"format": "autograd-checkpoint", "version": 1,
                           "root": {"__dict__": [["w", {"__array__": "a3"}]]}}, a0=np.ones(2))
    _expect_error(p, "'a3'")                                   # an array is missing
    _npz_with_manifest(p, b"{not json")
    _expect_error(p, "not valid JSON")
    _npz_with_manifest(p, {"format": "something-else", "version": 1, "root": 1})
    _expect_error(p, "format")
    _npz_with_manifest(p, {"format": "autograd-checkpoint", "version": 99, "root": 1})
    _expect_error(p, "version 99")
    _npz_with_manifest(p, {"format": "autograd-checkpoint", "version": 1})
    _expect_error(p, "'root'")
    _npz_with_manifest(p, {"format": "autograd-checkpoint", "version": 1,
                           "root": {"__weird__": 1}})
    _expect_error(p, "unknown manifest node")


def test_failed_load_leaves_model_unchanged(tmp_path, good):
    ag.manual_seed(0)
    model = nn.Linear(3, 2)
    before = {k: v.data.copy() for k, v in model.state_dict().items()}
    good.write_bytes(good.read_bytes()[:100])
    with pytest.raises(CheckpointError):
        model.load_state_dict(load(good))
    save({"weight": ag.zeros(2, 3)}, tmp_path / "partial.npz")        # 'bias' is missing
    with pytest.raises(Exception, match="bias"):
        model.load_state_dict(load(tmp_path / "partial.npz"))
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.data, before[k])


# -- atomic writes ------------------------------------------------------------------------------
def _assert_intact(path, tmp_path):
    back = load(path)
    assert back["epoch"] == 2 and back["w"].shape == (50, 20)
    assert sorted(os.listdir(tmp_path)) == [path.name]        # no temporary file left


def test_failed_write_leaves_old_file_intact(good, tmp_path, monkeypatch):
    import nn.serialization as serialization

    def half_write(f, **arrays):
        f.write(b"PK\x03\x04 partial garbage")
        raise OSError("No space left on device")

    monkeypatch.setattr(serialization.np, "savez", half_write)
    with pytest.raises(OSError, match="No space"):
        save({"epoch": 3, "w": ag.zeros(1)}, good)
    monkeypatch.undo()
    _assert_intact(good, tmp_path)


def test_failed_rename_and_failed_fsync_leave_old_file_intact(good, tmp_path, monkeypatch):
    def fail(*args):
        raise OSError("simulated failure")

    for target in ("replace", "fsync"):
        with monkeypatch.context() as m:
            m.setattr(os, target, fail)
            with pytest.raises(OSError, match="simulated"):
                save({"epoch": 3}, good)
        _assert_intact(good, tmp_path)


def test_unsavable_object_leaves_old_file_intact(good, tmp_path):
    with pytest.raises(TypeError):
        save({"epoch": 3, "bad": {1, 2}}, good)
    _assert_intact(good, tmp_path)


def test_save_into_missing_directory_raises(tmp_path):
    with pytest.raises(FileNotFoundError):
        save({"a": 1}, tmp_path / "no" / "such" / "dir.npz")


# -- interrupted training resumes bitwise ---------------------------------------------------------
OPTIMIZERS = {
    "sgd-nesterov": lambda ps: optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True,
                                         weight_decay=1e-4),
    "adam-amsgrad": lambda ps: optim.Adam(ps, lr=0.01, amsgrad=True),
    "adamw": lambda ps: optim.AdamW(ps, lr=0.01),
    "rmsprop": lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
}
EPOCHS, CRASH = 3, (1, 2)         # stop after batch 2 of epoch 1


def _setup(make_opt, seed):
    ag.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.2),
                          nn.Linear(16, 3))
    opt = make_opt(list(model.parameters()))
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    data = np.random.default_rng(0)
    x = data.standard_normal((60, 4)).astype(np.float32)
    y = data.integers(0, 3, 60)
    loader = DataLoader(TensorDataset(x, y), batch_size=8, shuffle=True, seed=seed + 100)
    return model, opt, sched, loader


def _train(model, opt, sched, loader, start_epoch, crash=None, path=None):
    for epoch in range(start_epoch, EPOCHS):
        for i, (x, y) in enumerate(loader):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            if (epoch, i) == crash:
                nn.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                         "scheduler": sched.state_dict(), "loader": loader.state_dict(),
                         "rng": creation.default_generator.bit_generator.state,
                         "epoch": epoch}, path)
                return
        sched.step()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_interrupted_training_resumes_bitwise(tmp_path, name):
    make = OPTIMIZERS[name]
    path = tmp_path / "ckpt.npz"
    straight = _setup(make, seed=0)
    _train(*straight, start_epoch=0)

    crashed = _setup(make, seed=0)
    _train(*crashed, start_epoch=0, crash=CRASH, path=path)

    model, opt, sched, loader = _setup(make, seed=5)       # a new process: other init, other RNG
    ck = nn.load(path)
    model.load_state_dict(ck["model"])
    opt.load_state_dict(ck["optimizer"])
    sched.load_state_dict(ck["scheduler"])
    loader.load_state_dict(ck["loader"])
    creation.default_generator.bit_generator.state = ck["rng"]
    _train(model, opt, sched, loader, start_epoch=ck["epoch"])

    for (key, a), (_, b) in zip(straight[0].state_dict().items(), model.state_dict().items()):
        np.testing.assert_array_equal(a.data, b.data, err_msg=key)
    assert straight[1].param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    # and the run did learn something, so equality is not between two untouched models
    assert not np.array_equal(model.state_dict()["0.weight"].data,
                              _setup(make, seed=0)[0].state_dict()["0.weight"].data)


def test_resume_without_the_loader_state_differs(tmp_path):
    """The check above has teeth: forgetting the loader's state changes the result."""
    make = OPTIMIZERS["adamw"]
    path = tmp_path / "ckpt.npz"
    straight = _setup(make, seed=0)
    _train(*straight, start_epoch=0)
    _train(*_setup(make, seed=0), start_epoch=0, crash=CRASH, path=path)
    model, opt, sched, loader = _setup(make, seed=5)
    ck = nn.load(path)
    model.load_state_dict(ck["model"])
    opt.load_state_dict(ck["optimizer"])
    sched.load_state_dict(ck["scheduler"])
    creation.default_generator.bit_generator.state = ck["rng"]
    _train(model, opt, sched, loader, start_epoch=ck["epoch"])
    assert not np.array_equal(straight[0].state_dict()["0.weight"].data,
                              model.state_dict()["0.weight"].data)


def test_saved_file_has_the_umask_permissions_not_mkstemps_0600(tmp_path):
    path = tmp_path / "ckpt.npz"
    old = os.umask(0o022)
    try:
        nn.save({"a": np.zeros(2)}, path)
    finally:
        os.umask(old)
    assert (os.stat(path).st_mode & 0o777) == 0o644
