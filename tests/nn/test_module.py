"""nn.Module machinery: registration, naming, state_dict, modes, hooks, dtype, repr."""

import copy
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd.tensor import Tensor


class LeNetish(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.bn = nn.BatchNorm2d(6)
        self.pool = nn.MaxPool2d(2)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(6 * 2 * 2, 3))

    def forward(self, x):
        return self.head(self.pool(F.relu(self.bn(self.conv1(x)))))


def test_registration_and_dotted_names():
    m = LeNetish()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["conv1.weight", "conv1.bias", "bn.weight", "bn.bias",
                     "head.1.weight", "head.1.bias"]
    assert [n for n, _ in m.named_buffers()] == ["bn.running_mean", "bn.running_var",
                                                 "bn.num_batches_tracked"]
    assert [n for n, _ in m.named_children()] == ["conv1", "bn", "pool", "head"]
    assert [n for n, _ in m.named_modules()] == ["", "conv1", "bn", "pool", "head", "head.0",
                                                 "head.1"]
    assert len(list(m.modules())) == 7
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in m.parameters())
    # attribute access reaches the registered objects; plain attributes stay plain
    assert m.conv1.weight is m._modules["conv1"]._parameters["weight"]
    m.plain = 3
    assert "plain" not in m._parameters and m.plain == 3
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        m.nope


def test_reassignment_and_deletion_move_between_stores():
    m = nn.Module()
    m.w = nn.Parameter(ag.ones(2))
    m.w = nn.Linear(2, 2)                       # now a module, no longer a parameter
    assert "w" not in m._parameters and "w" in m._modules
    with pytest.raises(TypeError, match="child module 'w'"):
        m.w = ag.ones(2)
    del m.w
    assert not hasattr(m, "w")
    m.register_buffer("b", ag.zeros(3))
    with pytest.raises(TypeError, match="buffer 'b'"):
        m.b = 5
    m.b = ag.ones(3)
    assert [n for n, _ in m.named_buffers()] == ["b"]


def test_assigning_before_init_is_a_clear_error():
    class Bad(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(ag.ones(1))

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Bad()

    class Forgot(nn.Module):
        def __init__(self):
            self.size = 3

        def forward(self, x):
            return x

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Forgot()(ag.ones(1))


def test_shared_parameters_are_listed_once():
    lin = nn.Linear(3, 3)
    seq = nn.Sequential(lin, nn.ReLU(), lin)
    assert len(list(seq.parameters())) == 2
    assert len(seq.state_dict()) == 4          # state_dict keeps both names, as PyTorch


def test_parameter_is_a_tensor_sharing_data():
    t = ag.randn(2, 3)
    p = nn.Parameter(t)
    assert isinstance(p, Tensor) and p.requires_grad and p.numpy(force=True) is t.numpy(force=True)
    assert repr(p).startswith("Parameter containing:\ntensor(")
    assert type(p * 2) is Tensor
    assert not nn.Parameter(ag.ones(1), requires_grad=False).requires_grad


def test_state_dict_round_trip_is_bitwise_and_copies():
    ag.manual_seed(1)
    a, b = LeNetish(), LeNetish()
    a.train()
    a(ag.randn(2, 1, 8, 8))                     # moves the BatchNorm buffers
    sd = a.state_dict()
    assert list(sd) == ["conv1.weight", "conv1.bias", "bn.weight", "bn.bias",
                        "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
                        "head.1.weight", "head.1.bias"]
    result = b.load_state_dict(sd)
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert ka == kb and np.array_equal(va.numpy(force=True), vb.numpy(force=True)) and va.dtype == vb.dtype
        assert not np.shares_memory(va.numpy(force=True), vb.numpy(force=True))   # copied, no aliasing
    assert int(b.bn.num_batches_tracked.numpy(force=True)) == 1


def test_load_state_dict_accepts_ndarrays():
    a, b = nn.Linear(3, 2), nn.Linear(3, 2)
    arrays = {k: v.numpy(force=True).copy() for k, v in a.state_dict().items()}
    b.load_state_dict(arrays)
    assert np.array_equal(b.weight.numpy(force=True), a.weight.numpy(force=True))
    arrays["weight"][...] = 7                   # later edits of the source do not leak in
    assert not np.array_equal(b.weight.numpy(force=True), arrays["weight"])


def test_strict_load_lists_every_bad_key_and_changes_nothing():
    m = LeNetish()
    before = {k: v.numpy(force=True).copy() for k, v in m.state_dict().items()}
    sd = OrderedDict((k, v.numpy(force=True) + 1) for k, v in m.state_dict().items())
    del sd["conv1.bias"], sd["bn.running_var"]
    sd["extra.weight"] = np.zeros(2)
    sd["head.1.weight"] = np.zeros((5, 5))
    with pytest.raises(nn.StateDictError) as info:
        m.load_state_dict(sd)
    msg = str(info.value)
    for key in ("conv1.bias", "bn.running_var", "extra.weight", "head.1.weight"):
        assert key in msg
    assert "(5, 5)" in msg and "(3, 24)" in msg
    assert isinstance(info.value, RuntimeError)
    for k, v in m.state_dict().items():          # untouched
        assert np.array_equal(v.numpy(force=True), before[k])


def test_non_strict_load_reports_keys_but_still_refuses_bad_shapes():
    m = nn.Linear(3, 2)
    res = m.load_state_dict({"weight": np.ones((2, 3)), "junk": np.ones(1)}, strict=False)
    assert res.missing_keys == ["bias"] and res.unexpected_keys == ["junk"]
    assert np.all(m.weight.numpy(force=True) == 1)
    with pytest.raises(nn.StateDictError, match="weight"):
        m.load_state_dict({"weight": np.ones((3, 3))}, strict=False)
    with pytest.raises(nn.StateDictError, match="dtype <U1"):
        m.load_state_dict({"weight": np.full((2, 3), "a"), "bias": np.zeros(2)})
    assert np.all(m.weight.numpy(force=True) == 1)


def test_train_eval_propagates():
    m = LeNetish()
    m.eval()
    assert not any(mod.training for mod in m.modules())
    m.train()
    assert all(mod.training for mod in m.modules())


def test_zero_grad_set_to_none_and_zeros():
    m = nn.Linear(3, 2)
    m(ag.randn(4, 3)).sum().backward()
    assert m.weight.grad is not None
    m.zero_grad(set_to_none=False)
    assert np.all(m.weight.grad.numpy(force=True) == 0) and m.weight.grad.shape == (2, 3)
    m.zero_grad()
    assert m.weight.grad is None and m.bias.grad is None


def test_to_dtype_keeps_parameter_objects_and_int_buffers():
    m = LeNetish()
    params = list(m.parameters())
    m.double()
    assert all(p.dtype == np.float64 for p in m.parameters())
    assert [id(p) for p in m.parameters()] == [id(p) for p in params]
    assert m.bn.running_mean.dtype == np.float64
    assert m.bn.num_batches_tracked.dtype == np.int64
    out = m(ag.randn(1, 1, 8, 8, dtype=np.float64))
    assert out.dtype == np.float64
    m.to(np.float32)
    assert all(p.dtype == np.float32 for p in m.parameters())
    m.float()
    assert m.to("cpu") is m
    with pytest.raises(RuntimeError, match="cuda"):
        m.to("cuda")
    with pytest.raises(TypeError, match="floating point"):
        m.to(np.int64)
    assert m.conv1.weight.dtype == np.float32             # a refused cast changes nothing


def test_requires_grad_and_apply():
    m = LeNetish()
    m.requires_grad_(False)
    assert not any(p.requires_grad for p in m.parameters())
    seen = []
    m.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen[-1] == "LeNetish" and seen[0] == "Conv2d"


def test_forward_hooks_and_pre_hooks():
    lin = nn.Linear(2, 2)
    calls = []
    h1 = lin.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    h2 = lin.register_forward_hook(lambda mod, args, out: calls.append(out.shape) or out + 1)
    out = lin(ag.ones(1, 2))
    assert calls == [(1, 2)]
    assert np.allclose(out.numpy(force=True), lin.bias.numpy(force=True) + 1)         # input zeroed, output shifted
    h1.remove()
    h2.remove()
    out = lin(ag.ones(1, 2))
    assert calls == [(1, 2)]
    assert np.allclose(out.numpy(force=True), lin.weight.numpy(force=True).sum(1) + lin.bias.numpy(force=True))


def test_repr_is_nested_like_pytorch():
    text = repr(LeNetish())
    assert text == (
        "LeNetish(\n"
        "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))\n"
        "  (bn): BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, bias=True, "
        "track_running_stats=True)\n"
        "  (pool): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
        "  (head): Sequential(\n"
        "    (0): Flatten(start_dim=1, end_dim=-1)\n"
        "    (1): Linear(in_features=24, out_features=3, bias=True)\n"
        "  )\n"
        ")")


def test_sequential_indexing_and_ordered_dict():
    seq = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 3)), ("act", nn.ReLU()),
                                     ("out", nn.Linear(3, 1))]))
    assert len(seq) == 3 and isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Linear)
    assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear"]
    head = seq[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2
    assert [n for n, _ in seq.named_parameters()][0] == "fc.weight"
    x = ag.randn(4, 2)
    assert np.allclose(seq(x).numpy(force=True), seq[2](seq[1](seq[0](x))).numpy(force=True))
    with pytest.raises(IndexError):
        seq[3]


def test_module_list_and_dict_register_parameters():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    layers.append(nn.Linear(2, 1))
    assert len(layers) == 4 and len(list(layers.parameters())) == 8
    assert [n for n, _ in layers.named_parameters()][-1] == "3.bias"
    d = nn.ModuleDict({"a": nn.Linear(1, 1), "b": nn.ReLU()})
    assert list(d.keys()) == ["a", "b"] and "a" in d
    assert len(list(d.parameters())) == 2


def test_deepcopy_and_pickle_make_independent_copies():
    m = LeNetish()
    for clone in (copy.deepcopy(m), pickle.loads(pickle.dumps(m))):
        assert isinstance(clone.conv1.weight, nn.Parameter)
        assert np.array_equal(clone.conv1.weight.numpy(force=True), m.conv1.weight.numpy(force=True))
        clone.conv1.weight.numpy(force=True)[...] = 0
        assert not np.all(m.conv1.weight.numpy(force=True) == 0)


def test_training_step_reduces_the_loss():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
    x = ag.randn(32, 4)
    y = ag.tensor(np.argmax(x.numpy(force=True)[:, :3], axis=1))
    losses = []
    for _ in range(30):
        loss = F.cross_entropy(model(x), y)
        model.zero_grad()
        loss.backward()
        with ag.no_grad():
            for p in model.parameters():
                p -= 0.5 * p.grad
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_module_list_repr_compresses_repeats_like_pytorch():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)])
    assert repr(layers) == ("ModuleList(\n"
                            "  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
                            "  (2): ReLU()\n"
                            "  (3): Linear(in_features=2, out_features=2, bias=True)\n"
                            ")")
    assert repr(nn.ModuleList()) == "ModuleList()"


def test_global_module_hooks_run_before_each_modules_own_and_are_removable():
    # torch 2.13.0: register_module_forward_hook's hook runs before the module's own hook
    from nn.module import register_module_forward_hook, register_module_forward_pre_hook
    order = []
    net = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    net[0].register_forward_hook(lambda m, a, o: order.append(("own", type(m).__name__)))
    pre = register_module_forward_pre_hook(lambda m, a: order.append(("pre", type(m).__name__)))
    post = register_module_forward_hook(lambda m, a, o: order.append(("post", type(m).__name__)))
    try:
        net(ag.zeros((1, 2)))
    finally:
        pre.remove()
        post.remove()
    assert order == [("pre", "Sequential"), ("pre", "Linear"), ("post", "Linear"),
                     ("own", "Linear"), ("pre", "ReLU"), ("post", "ReLU"), ("post", "Sequential")]
    order.clear()
    net(ag.zeros((1, 2)))
    assert order == [("own", "Linear")]


def test_reassigned_children_parameters_and_buffers_keep_their_place():
    """PyTorch's order (checked on torch 2.13): re-assigning keeps the key where it was."""
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.c = nn.Linear(1, 1), nn.ReLU(), nn.Linear(1, 2)
    m = M()
    m.a = nn.Linear(1, 3)
    m.add_module("b", nn.Tanh())
    assert list(m._modules) == ["a", "b", "c"] and isinstance(m.b, nn.Tanh)
    assert m.a.out_features == 3
    seq = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.Sigmoid())
    seq[0] = nn.Linear(1, 1)
    assert list(seq._modules) == ["0", "1", "2"] and isinstance(seq[0], nn.Linear)
    m.register_buffer("x", ag.zeros(1))
    m.register_buffer("y", ag.zeros(1))
    m.x = ag.ones(1)
    m.register_buffer("x", ag.ones(2))
    assert list(m._buffers) == ["x", "y"]
    assert list(m.state_dict()) == ["x", "y", "a.weight", "a.bias", "c.weight", "c.bias"]
    m.a.weight = nn.Parameter(ag.zeros(3, 1))
    assert list(m.a._parameters) == ["weight", "bias"]
    m.register_buffer("y", ag.zeros(1), persistent=False)
    assert "y" not in m.state_dict()
    m.register_buffer("y", ag.zeros(1))
    assert "y" in m.state_dict()


def test_to_device_objects_and_cuda_refused():
    m = nn.Linear(2, 2)
    assert m.to(ag.device("cpu")) is m and m.to("cpu:0") is m
    assert m.to(ag.device("cpu"), ag.float64).weight.dtype == np.float64
    assert m.to(device="cpu", dtype=ag.float32).weight.dtype == np.float32
    for bad in (lambda: m.to("cuda"), lambda: m.to("mps"), lambda: m.cuda(),
                lambda: nn.Linear(2, 2, device="cuda"), lambda: nn.Conv2d(1, 1, 1, device="cuda")):
        with pytest.raises(RuntimeError, match="CPU"):
            bad()
    assert nn.Conv2d(1, 1, 1, device=ag.device("cpu")).weight.dtype == np.float32
