"""Printing like PyTorch: the tensor repr (number formatting, wrapping, summarizing, suffixes),
``autograd.Size``, ``autograd.dtype`` objects, ``Tensor.__format__`` and ``out=``. The expected
strings are torch 2.13's output for the same values (``torch.`` read as ``autograd.``)."""

import pickle

import numpy as np
import pytest

import autograd as ag
from autograd.errors import DTypeError

# -- literal output of torch 2.13 for the same values ---------------------------------------
CASES = {'big_ints_float': ('[[0.0, 1000.0, 2000.0, 3000.0, 4000.0], [5000.0, 6000.0, 7000.0, '
                            '8000.0, 9000.0]]',
                            'tensor([[   0., 1000., 2000., 3000., 4000.],\n'
                            '        [5000., 6000., 7000., 8000., 9000.]])'),
         'huge': ('[1e9, 1.0]', 'tensor([1.0000e+09, 1.0000e+00])'),
         'ints_as_floats': ('[1.0, 2.0, 3.0]', 'tensor([1., 2., 3.])'),
         'mixed': ('[[0.637, 0.2698], [0.0, 0.06]]',
                   'tensor([[0.6370, 0.2698],\n        [0.0000, 0.0600]])'),
         'nonfinite': ("[float('nan'), float('inf'), 1.5]", 'tensor([   nan,    inf, 1.5000])'),
         'scalar': ('3.25', 'tensor(3.2500)'),
         'sci': ('[[-0.43643524714322124, -1.169801907772864, 173.9367877130134, '
                 '-49.59107284421519, 3.2896962946020205e-06, -2.58572545473924e-06], '
                 '[1.583472878802122e-05, 1.3203609870818391, 63.33526228249152, '
                 '-220.35098806466507, 0.05202897425988651, 68.36861907765345], '
                 '[10.039615758421697, -6.179070447076008e-07, 1.8220113633283232e-05, '
                 '-13.204309700132935, -6.615280218152191e-07, 93.5049988114022], '
                 '[0.49054613825311655, 200.2392583645255, 0.00018851919251246558, '
                 '-6.331940901922267e-06, -0.0037756350523280827, -109.11461176191955]]',
                 'tensor([[-4.3644e-01, -1.1698e+00,  1.7394e+02, -4.9591e+01,  3.2897e-06,\n'
                 '         -2.5857e-06],\n'
                 '        [ 1.5835e-05,  1.3204e+00,  6.3335e+01, -2.2035e+02,  5.2029e-02,\n'
                 '          6.8369e+01],\n'
                 '        [ 1.0040e+01, -6.1791e-07,  1.8220e-05, -1.3204e+01, -6.6153e-07,\n'
                 '          9.3505e+01],\n'
                 '        [ 4.9055e-01,  2.0024e+02,  1.8852e-04, -6.3319e-06, -3.7756e-03,\n'
                 '         -1.0911e+02]])'),
         'tiny': ('[1e-5, 1.0]', 'tensor([1.0000e-05, 1.0000e+00])'),
         'wide': ('[[0.1257, -0.1321, 0.6404, 0.1049, -0.5357, 0.3616, 1.304, 0.9471, -0.7037, '
                  '-1.2654, -0.6233, 0.0413, -2.325, -0.2188, -1.2459, -0.7323, -0.5443, '
                  '-0.3163, 0.4116, 1.0425, -0.1285, 1.3665, -0.6652, 0.3515, 0.9035, 0.094, '
                  '-0.7435, -0.9217, -0.4577, 0.2202], [-1.0096, -0.2092, -0.1592, 0.5408, '
                  '0.2147, 0.3554, -0.6538, -0.1296, 0.784, 1.4934, -1.2591, 1.5139, 1.3459, '
                  '0.7813, 0.2645, -0.3139, 1.458, 1.9603, 1.8016, 1.3151, 0.3574, -1.2083, '
                  '-0.0045, 0.6565, -1.2884, 0.3951, 0.4299, 0.696, -1.1841, -0.6617]]',
                  'tensor([[ 0.1257, -0.1321,  0.6404,  0.1049, -0.5357,  0.3616,  1.3040,  '
                  '0.9471,\n'
                  '         -0.7037, -1.2654, -0.6233,  0.0413, -2.3250, -0.2188, -1.2459, '
                  '-0.7323,\n'
                  '         -0.5443, -0.3163,  0.4116,  1.0425, -0.1285,  1.3665, -0.6652,  '
                  '0.3515,\n'
                  '          0.9035,  0.0940, -0.7435, -0.9217, -0.4577,  0.2202],\n'
                  '        [-1.0096, -0.2092, -0.1592,  0.5408,  0.2147,  0.3554, -0.6538, '
                  '-0.1296,\n'
                  '          0.7840,  1.4934, -1.2591,  1.5139,  1.3459,  0.7813,  0.2645, '
                  '-0.3139,\n'
                  '          1.4580,  1.9603,  1.8016,  1.3151,  0.3574, -1.2083, -0.0045,  '
                  '0.6565,\n'
                  '         -1.2884,  0.3951,  0.4299,  0.6960, -1.1841, -0.6617]])'),
         'zeros': ('[0.0, 0.0, 0.0]', 'tensor([0., 0., 0.])')}
INTS = 'tensor([  1, -20, 300])'
BOOLS = 'tensor([ True, False])'
SUMMARY = ('tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n'
           '         4.9000e+01],\n'
           '        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n'
           '         9.9000e+01],\n'
           '        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n'
           '         1.4900e+02],\n'
           '        ...,\n'
           '        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n'
           '         1.8990e+03],\n'
           '        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n'
           '         1.9490e+03],\n'
           '        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n'
           '         1.9990e+03]])')
EMPTY = ['tensor([], dtype=autograd.int64)', 'tensor([], size=(0, 3))', 'tensor([])']
F64 = 'tensor([1., 1.], dtype=autograd.float64)'
F16 = 'tensor([0.5000], dtype=autograd.float16)'
GRAD = 'tensor([1., 1., 1.], requires_grad=True)'
WRAPPED_SUFFIX = ('tensor([[ 1.1257,  0.8679,  1.6404,  1.1049,  0.4643,  1.3616,  2.3040,  '
                  '1.9471,\n'
                  '          0.2963, -0.2654,  0.3767,  1.0413, -1.3250,  0.7812, -0.2459,  '
                  '0.2677,\n'
                  '          0.4557,  0.6837,  1.4116,  2.0425,  0.8715,  2.3665,  0.3348,  '
                  '1.3515,\n'
                  '          1.9035,  1.0940,  0.2565,  0.0783,  0.5423,  1.2202],\n'
                  '        [-0.0096,  0.7908,  0.8408,  1.5408,  1.2147,  1.3554,  0.3462,  '
                  '0.8704,\n'
                  '          1.7840,  2.4934, -0.2591,  2.5139,  2.3459,  1.7813,  1.2645,  '
                  '0.6861,\n'
                  '          2.4580,  2.9603,  2.8016,  2.3151,  1.3574, -0.2083,  0.9955,  '
                  '1.6565,\n'
                  '         -0.2884,  1.3951,  1.4299,  1.6960, -0.1841,  0.3383]],\n'
                  '       grad_fn=<AddBackward>)')
WIDE_SRC = [[0.1257,
             -0.1321,
             0.6404,
             0.1049,
             -0.5357,
             0.3616,
             1.304,
             0.9471,
             -0.7037,
             -1.2654,
             -0.6233,
             0.0413,
             -2.325,
             -0.2188,
             -1.2459,
             -0.7323,
             -0.5443,
             -0.3163,
             0.4116,
             1.0425,
             -0.1285,
             1.3665,
             -0.6652,
             0.3515,
             0.9035,
             0.094,
             -0.7435,
             -0.9217,
             -0.4577,
             0.2202],
            [-1.0096,
             -0.2092,
             -0.1592,
             0.5408,
             0.2147,
             0.3554,
             -0.6538,
             -0.1296,
             0.784,
             1.4934,
             -1.2591,
             1.5139,
             1.3459,
             0.7813,
             0.2645,
             -0.3139,
             1.458,
             1.9603,
             1.8016,
             1.3151,
             0.3574,
             -1.2083,
             -0.0045,
             0.6565,
             -1.2884,
             0.3951,
             0.4299,
             0.696,
             -1.1841,
             -0.6617]]
SHORT = 'tensor([1.1235])'
PREC2 = 'tensor([1.12, 2.00])'
THRESH5 = 'tensor([0, 1, 2,  ..., 7, 8, 9])'
FORMATS = ['3', '+1.50', '2.5', 'tensor([1.5000])']
FORMAT_ERROR = 'unsupported format string passed to Tensor.__format__'


@pytest.mark.parametrize("name", sorted(CASES))
def test_float_reprs_match_pytorch(name):
    source, expected = CASES[name]
    assert repr(ag.tensor(eval(source))) == expected


def test_other_reprs_match_pytorch():
    assert repr(ag.tensor([1, -20, 300])) == INTS
    assert repr(ag.tensor([True, False])) == BOOLS
    assert repr(ag.arange(2000.0).reshape(40, 50)) == SUMMARY
    assert [repr(ag.tensor([], dtype=ag.int64)), repr(ag.zeros(0, 3)), repr(ag.zeros(0))] == EMPTY
    assert repr(ag.ones(2, dtype=ag.float64)) == F64
    assert repr(ag.tensor([0.5], dtype=ag.float16)) == F16
    assert repr(ag.ones(3, requires_grad=True)) == GRAD
    assert repr(ag.tensor(WIDE_SRC, requires_grad=True) + 1) == WRAPPED_SUFFIX
    assert repr(ag.tensor([1.12345])) == SHORT
    assert str(ag.tensor([1.12345])) == SHORT


def test_set_printoptions_like_pytorch():
    try:
        ag.set_printoptions(precision=2)
        assert repr(ag.tensor([1.12345, 2.0])) == PREC2
        ag.set_printoptions(threshold=5)
        assert repr(ag.arange(10)) == THRESH5
        assert ag.get_printoptions()["threshold"] == 5
        with pytest.raises(ValueError, match="profile"):
            ag.set_printoptions(profile="nope")
    finally:
        ag.set_printoptions(profile="default")
    assert repr(ag.tensor([1.12345])) == SHORT


def test_format_like_pytorch():
    assert [f"{ag.tensor(3)}", "{:+.2f}".format(ag.tensor(1.5)), f"{ag.tensor(2.5):.1f}",
            f"{ag.tensor([1.5])}"] == FORMATS
    with pytest.raises(TypeError, match="unsupported format string passed to Tensor.__format__"):
        "{:.2f}".format(ag.tensor([1.5]))
    assert "{:.4f}".format(ag.tensor([0.25, 0.5]).sum()) == "0.7500"


def test_size_is_a_tuple_that_prints_like_pytorch():
    s = ag.zeros(64, 1, 28, 28).shape
    assert s == (64, 1, 28, 28) and isinstance(s, tuple) and isinstance(s, ag.Size)
    assert repr(s) == str(s) == f"{s}" == "autograd.Size([64, 1, 28, 28])"   # torch.Size([...])
    assert ag.zeros(3).size() == ag.Size([3]) and repr(ag.tensor(1.0).shape) == "autograd.Size([])"
    assert isinstance(s[1:], ag.Size) and s[1:] == (1, 28, 28) and s[0] == 64
    assert isinstance(s + (2,), ag.Size) and s.numel() == 64 * 28 * 28
    assert np.zeros(ag.zeros(2, 3).shape).shape == (2, 3)
    assert pickle.loads(pickle.dumps(s)) == s and ag.zeros(2, 3).size(1) == 3


def test_dtypes_print_like_pytorch_and_stay_numpy_dtypes():
    t = ag.zeros(2)
    assert repr(t.dtype) == str(t.dtype) == "autograd.float32"               # torch.float32
    assert f"{ag.tensor([1]).dtype}" == "autograd.int64" and str(ag.bool) == "autograd.bool"
    assert t.dtype == np.float32 and np.float32 == t.dtype and t.dtype == ag.float32
    assert t.dtype == np.dtype("float32") and np.dtype("float32") == t.dtype
    assert t.dtype is ag.float32 and ag.float is ag.float32 and ag.long is ag.int64
    assert t.dtype != np.float64 and t.dtype != ag.float64 and not (t.dtype == None)  # noqa: E711
    assert np.dtype(t.dtype) == np.float32 and np.zeros(2, t.dtype).dtype == np.float32
    assert np.arange(3).astype(ag.float64).dtype == np.float64
    assert hash(t.dtype) == hash(np.dtype(np.float32)) and {np.dtype("float32"): 1}[t.dtype] == 1
    assert t.dtype.is_floating_point and not ag.int64.is_floating_point
    assert t.dtype.itemsize == 4 and t.dtype.kind == "f" and t.dtype.char == "f"
    assert pickle.loads(pickle.dumps(ag.int16)) is ag.int16
    assert ag.get_default_dtype() is ag.float32 and ag.promote_types(ag.int64, ag.float16) is \
        ag.float16
    assert ag.tensor([1, 2], dtype=ag.uint8).dtype is ag.uint8
    assert ag.tensor([1.0], dtype=np.float64).dtype is ag.float64
    assert isinstance(ag.float32, ag.dtype)
    with pytest.raises(NotImplementedError):
        ag.set_default_dtype(ag.float64)


def test_out_arguments_write_into_the_given_tensor():
    a = ag.ones(2, 3)
    y = ag.zeros(2, 2)
    assert ag.matmul(a, a.T, out=y) is y and y.tolist() == [[3, 3], [3, 3]]
    z = ag.zeros(2, 3)
    assert ag.mul(a, a, out=z) is z and z.tolist() == [[1, 1, 1], [1, 1, 1]]
    r = ag.zeros(2)                                   # resized, as PyTorch (which warns)
    assert ag.add(ag.ones(3), 1, out=r).tolist() == [2, 2, 2] and r.shape == (3,)
    i = ag.zeros(3, dtype=ag.int64)
    with pytest.raises(DTypeError, match="can't be cast"):
        ag.mul(ag.ones(3), 0.5, out=i)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        ag.mul(ag.ones(2, requires_grad=True), 2, out=ag.zeros(2))
    with ag.no_grad():
        assert ag.mul(ag.ones(2, requires_grad=True), 2, out=ag.zeros(2)).tolist() == [2, 2]
