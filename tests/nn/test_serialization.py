"""nn.save / nn.load (autograd.save / autograd.load, whose format, errors and faults are tested in
tests/autograd/test_serialization*.py) with nn's objects: state dicts of modules, a failed load
that leaves the model unchanged, and a training run interrupted mid-epoch and resumed from a
checkpoint that ends bitwise equal to the run that never stopped."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
import nn.optim as optim
from autograd.errors import CheckpointError
from nn.data import DataLoader, TensorDataset
from nn.serialization import load, save


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
        np.testing.assert_array_equal(a.numpy(force=True), b.numpy(force=True), err_msg=k)


def test_torch_style_state_dict_round_trip_through_a_pth_file(tmp_path):
    """PyTorch's idiom, with ``torch`` = autograd: save a state dict, load it weights-only on
    the CPU, load_state_dict into a fresh model."""
    import autograd as torch
    ag.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    torch.save(model.state_dict(), tmp_path / "model.pth")
    fresh = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2))
    fresh.load_state_dict(torch.load(tmp_path / "model.pth", map_location="cpu",
                                     weights_only=True))
    for (k, a), (_, b) in zip(model.state_dict().items(), fresh.state_dict().items()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy(), err_msg=k)


def test_failed_load_leaves_model_unchanged(tmp_path):
    ag.manual_seed(0)
    model = nn.Linear(3, 2)
    before = {k: np.array(v.detach().numpy()) for k, v in model.state_dict().items()}
    good = tmp_path / "good.npz"
    save(model.state_dict(), good)
    good.write_bytes(good.read_bytes()[:100])
    with pytest.raises(CheckpointError):
        model.load_state_dict(load(good))
    save({"weight": ag.zeros(2, 3)}, tmp_path / "partial.npz")        # 'bias' is missing
    with pytest.raises(Exception, match="bias"):
        model.load_state_dict(load(tmp_path / "partial.npz"))
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.detach().numpy(), before[k])


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
                         "rng": ag.get_rng_state(),
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
    ag.set_rng_state(ck["rng"])
    _train(model, opt, sched, loader, start_epoch=ck["epoch"])

    for (key, a), (_, b) in zip(straight[0].state_dict().items(), model.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(force=True), b.numpy(force=True), err_msg=key)
    assert straight[1].param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    # and the run did learn something, so equality is not between two untouched models
    assert not np.array_equal(model.state_dict()["0.weight"].numpy(force=True),
                              _setup(make, seed=0)[0].state_dict()["0.weight"].numpy(force=True))


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
    ag.set_rng_state(ck["rng"])
    _train(model, opt, sched, loader, start_epoch=ck["epoch"])
    assert not np.array_equal(straight[0].state_dict()["0.weight"].numpy(force=True),
                              model.state_dict()["0.weight"].numpy(force=True))
