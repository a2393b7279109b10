"""Random number generation with PyTorch's API: ``Generator``, ``manual_seed``,
``get_rng_state`` / ``set_rng_state``, ``default_generator``.

Every random draw of the framework (``randn``, ``rand``, ``randint``, ``randperm``,
``Tensor.normal_``/``uniform_``, ``nn.init``, dropout, ``DataLoader`` shuffling) comes from one
``Generator``: the one passed as ``generator=``, else ``default_generator``, which
``manual_seed`` reseeds. A Generator wraps numpy's PCG64 ``numpy.random.Generator``; the streams
are numpy's, not PyTorch's (the same seed gives other numbers than in PyTorch).
"""

import json

import numpy as np

from .tensor import wrap

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "numpy_generator"]


class Generator:
    """A seeded source of random numbers (``torch.Generator``).

    Parameters
    ----------
    device : str
        Only 'cpu'.
    """

    def __init__(self, device="cpu"):
        if str(device) != "cpu":
            raise RuntimeError(f"Generator: only the CPU is supported, got device {device!r}")
        self._seed = 0
        self._rng = np.random.default_rng(0)

    def manual_seed(self, seed):
        """Reseed with the int ``seed``; returns self (``torch.Generator.manual_seed``)."""
        self._seed = int(seed)
        self._rng = np.random.default_rng(self._seed)
        return self

    def seed(self):
        """Reseed from the operating system's entropy; returns the new seed."""
        new = int(np.random.SeedSequence().entropy % (2 ** 63))
        self.manual_seed(new)
        return new

    def initial_seed(self):
        """The seed given to the last ``manual_seed`` (or ``seed``)."""
        return self._seed

    def get_state(self):
        """The full state as a uint8 Tensor (``torch.Generator.get_state``); pass it to
        ``set_state`` to replay the same numbers."""
        state = json.dumps({"seed": self._seed, "bit_generator": self._rng.bit_generator.state})
        return wrap(np.frombuffer(state.encode(), dtype=np.uint8).copy())

    def set_state(self, state):
        """Restore a state from ``get_state``; returns self.

        Raises
        ------
        ValueError
            When ``state`` is not a state this class produced.
        """
        try:
            data = json.loads(bytes(np.asarray(state, dtype=np.uint8)).decode())
            rng = np.random.default_rng()
            rng.bit_generator.state = data["bit_generator"]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
            raise ValueError(f"set_state: not a generator state ({e})") from None
        self._seed, self._rng = int(data["seed"]), rng
        return self

    @property
    def numpy(self):
        """The underlying ``numpy.random.Generator`` (draws advance this Generator)."""
        return self._rng

    def __repr__(self):
        return f"<autograd.Generator seed={self._seed}>"


default_generator = Generator().manual_seed(0)


def numpy_generator(generator=None):
    """The ``numpy.random.Generator`` to draw from: ``generator`` (an autograd or numpy
    Generator) or the default one. The one "generator or default" rule of the framework."""
    if generator is None:
        return default_generator._rng
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(f"generator must be an autograd.Generator, got {type(generator).__name__}")


def manual_seed(seed):
    """Reseed the default generator (``torch.manual_seed``); returns it."""
    return default_generator.manual_seed(seed)


def seed():
    """Reseed the default generator from the operating system; returns the seed."""
    return default_generator.seed()


def initial_seed():
    """The default generator's seed."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state, a uint8 Tensor (``torch.get_rng_state``)."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator's state from ``get_rng_state`` (``torch.set_rng_state``)."""
    default_generator.set_state(new_state)
