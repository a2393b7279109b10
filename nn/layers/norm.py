"""Normalisation layers: ``BatchNorm1d``/``BatchNorm2d`` (Ioffe & Szegedy 2015), ``LayerNorm``
(Ba et al. 2016) and ``LocalResponseNorm`` (AlexNet's NORM, Krizhevsky et al. 2012)."""

import numpy as np

import autograd as ag
from autograd import validate
from autograd.errors import ShapeError

from .. import functional as F
from .. import init
from ..module import Module, Parameter
from ._util import factory_dtype


class _BatchNorm(Module):
    """Shared body of BatchNorm1d/2d: per-channel normalisation with learnable scale/shift.

    Parameters
    ----------
    num_features : int
        C, the channel count.
    eps : float
        Added to the variance (default 1e-5).
    momentum : float or None
        Running-statistics update factor (default 0.1); None means a cumulative average.
    affine : bool
        Learn ``weight`` (γ, ones) and ``bias`` (β, zeros), shape (C,).
    bias : bool, keyword-only
        With ``affine``, also learn β (PyTorch 2.x's keyword).
    track_running_stats : bool
        Keep ``running_mean`` (zeros), ``running_var`` (ones) and ``num_batches_tracked``
        (int64) buffers, used in eval mode; without them the batch statistics are always used.
    """

    _expected_dims = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        op = type(self).__name__
        self.num_features = validate.size(num_features, "num_features", op)
        self.eps = validate.number(eps, "eps", op)
        self.momentum = None if momentum is None else validate.number(momentum, "momentum", op)
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = factory_dtype(dtype, device, type(self).__name__)
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))
            if bias:
                self.bias = Parameter(np.zeros(num_features, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", ag.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", ag.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", ag.tensor(0, dtype=np.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self):
        if self.track_running_stats:
            with ag.no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self):
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def _check_input_dim(self, input):
        if input.ndim not in self._expected_dims:
            dims = " or ".join(f"{d}D" for d in self._expected_dims)
            raise ShapeError(f"{type(self).__name__}: expected {dims} input, got "
                             f"{input.ndim}D input of shape {tuple(input.shape)}")
        if input.shape[1] != self.num_features:
            raise ShapeError(f"{type(self).__name__}: expected {self.num_features} channels "
                             f"(dim 1), got input of shape {tuple(input.shape)}")

    def forward(self, input):
        self._check_input_dim(input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:           # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        use_batch_stats = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if track else None,
                            self.running_var if track else None, self.weight, self.bias,
                            use_batch_stats, factor, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input over N (and L), per channel."""

    _expected_dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input over N, H, W, per channel."""

    _expected_dims = (4,)


class LayerNorm(Module):
    """Normalise over the trailing ``normalized_shape`` dims of each sample, then scale by
    ``weight`` (ones) and shift by ``bias`` (zeros), both of shape ``normalized_shape``."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        self.normalized_shape = validate.shape(normalized_shape, "normalized_shape", "LayerNorm")
        self.eps = validate.number(eps, "eps", "LayerNorm")
        self.elementwise_affine = elementwise_affine
        dtype = factory_dtype(dtype, device, type(self).__name__)
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(np.zeros(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class LocalResponseNorm(Module):
    """AlexNet's NORM layer: b_c = a_c / (k + alpha/n Σ_{n neighbouring channels} a²)^beta
    over (N, C, *) input (PyTorch's formula; AlexNet used size=5, alpha=1e-4, beta=0.75, k=2).
    """

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        op = "LocalResponseNorm"
        self.size = validate.integer(size, "size", op, minimum=1)
        self.alpha, self.beta, self.k = (validate.number(v, name, op) for v, name in
                                         ((alpha, "alpha"), (beta, "beta"), (k, "k")))

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
