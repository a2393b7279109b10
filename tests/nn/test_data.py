"""nn.data: datasets, DataLoader batching/shuffling/resuming, IDX parsing and FashionMNIST,
the slides' X/O and four-pixel generators."""

import gzip
import os

import numpy as np
import pytest

import autograd as ag
from autograd.errors import ShapeError
from autograd.tensor import Tensor
from nn.data import (DataLoader, Dataset, FashionMNIST, FourPixelDataset, Subset, TensorDataset,
                     XODataset, canonical_o, canonical_x, default_collate, make_four_pixel,
                     make_xo, random_split, read_idx)
from nn.data.fashion_mnist import SYSTEM_DIR


def _xy(n=10):
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.int64)
    return TensorDataset(x, y)


class PlainDataset:
    """Not a Dataset subclass and no get_batch: the loader must go sample by sample."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.full((2,), i, dtype=np.float32), i


# -- datasets --------------------------------------------------------------------------------
def test_tensor_dataset():
    ds = _xy(10)
    assert len(ds) == 10
    x, y = ds[3]
    np.testing.assert_array_equal(x.numpy(force=True), [9, 10, 11])
    assert y.item() == 3
    xb, yb = ds.get_batch(np.array([4, 1]))
    np.testing.assert_array_equal(yb.numpy(force=True), [4, 1])
    assert xb.shape == (2, 3)
    with pytest.raises(ShapeError, match="first dimension"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))


def test_dataset_base_needs_subclass_methods():
    with pytest.raises(NotImplementedError):
        Dataset()[0]


def test_random_split_lengths_and_fractions():
    ds = _xy(10)
    a, b = random_split(ds, [7, 3], generator=np.random.default_rng(0))
    assert (len(a), len(b)) == (7, 3)
    ids = np.concatenate([a.get_batch(np.arange(7))[1].numpy(force=True), b.get_batch(np.arange(3))[1].numpy(force=True)])
    assert sorted(ids.tolist()) == list(range(10))
    parts = random_split(ds, [0.5, 0.3, 0.2], generator=np.random.default_rng(1))
    assert [len(p) for p in parts] == [5, 3, 2]
    parts = random_split(_xy(11), [0.5, 0.5], generator=np.random.default_rng(1))
    assert [len(p) for p in parts] == [6, 5]
    with pytest.raises(ValueError, match="summing"):
        random_split(ds, [3, 3])
    again = random_split(ds, [7, 3], generator=np.random.default_rng(0))
    np.testing.assert_array_equal(again[0].indices, a.indices)


def test_subset_of_plain_dataset():
    sub = Subset(PlainDataset(5), [4, 2])
    x, y = sub.get_batch(np.array([0, 1]))
    np.testing.assert_array_equal(y.numpy(force=True), [4, 2])
    assert sub[1][1] == 2


# -- collate ------------------------------------------------------------------------------------
def test_default_collate_types():
    batch = default_collate([(np.zeros(2, np.float32), 1, 0.5, True, "a", {"k": ag.ones(3)}),
                             (np.ones(2, np.float32), 2, 1.5, False, "b", {"k": ag.zeros(3)})])
    arr, ints, floats, bools, strs, d = batch
    assert arr.shape == (2, 2) and arr.dtype == np.float32
    assert ints.dtype == np.int64 and ints.tolist() == [1, 2]
    assert floats.dtype == np.float64
    assert bools.dtype == np.bool_
    assert strs == ["a", "b"]
    assert d["k"].shape == (2, 3)
    with pytest.raises(ShapeError, match="different shapes"):
        default_collate([np.zeros(2), np.zeros(3)])
    with pytest.raises(TypeError, match="cannot collate"):
        default_collate([object()])


# -- DataLoader ---------------------------------------------------------------------------------
def test_batches_in_order_with_partial_last():
    loader = DataLoader(_xy(10), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and [b[1].tolist() for b in batches] == \
        [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert isinstance(batches[0][0], Tensor) and batches[0][0].shape == (4, 3)


def test_drop_last():
    loader = DataLoader(_xy(10), batch_size=4, drop_last=True)
    assert len(loader) == 2 and [len(b[1]) for b in loader] == [4, 4]


def test_shuffle_is_a_permutation_reproducible_and_new_each_epoch():
    loader = DataLoader(_xy(50), batch_size=8, shuffle=True, seed=123)
    epoch1 = np.concatenate([y.numpy(force=True) for _, y in loader])
    epoch2 = np.concatenate([y.numpy(force=True) for _, y in loader])
    assert sorted(epoch1.tolist()) == list(range(50))
    assert not np.array_equal(epoch1, epoch2)
    again = DataLoader(_xy(50), batch_size=8, shuffle=True, seed=123)
    np.testing.assert_array_equal(np.concatenate([y.numpy(force=True) for _, y in again]), epoch1)
    other = DataLoader(_xy(50), batch_size=8, shuffle=True, seed=124)
    assert not np.array_equal(np.concatenate([y.numpy(force=True) for _, y in other]), epoch1)


def test_shuffle_without_seed_follows_manual_seed():
    ag.manual_seed(7)
    a = np.concatenate([y.numpy(force=True) for _, y in DataLoader(_xy(30), 4, shuffle=True)])
    ag.manual_seed(7)
    b = np.concatenate([y.numpy(force=True) for _, y in DataLoader(_xy(30), 4, shuffle=True)])
    np.testing.assert_array_equal(a, b)


def test_fast_path_equals_per_sample_path():
    ds = _xy(20)
    fast = DataLoader(ds, batch_size=6, shuffle=True, generator=np.random.default_rng(5))
    slow = DataLoader(ds, batch_size=6, shuffle=True, generator=np.random.default_rng(5),
                      collate_fn=default_collate)
    for (xf, yf), (xs, ys) in zip(fast, slow):
        np.testing.assert_array_equal(xf.numpy(force=True), xs.numpy(force=True))
        np.testing.assert_array_equal(yf.numpy(force=True), ys.numpy(force=True))


def test_plain_dataset_and_custom_collate():
    loader = DataLoader(PlainDataset(5), batch_size=2)
    x, y = next(iter(loader))
    assert x.shape == (2, 2) and y.tolist() == [0, 1]
    loader = DataLoader(PlainDataset(5), batch_size=2, collate_fn=lambda s: len(s))
    assert list(loader) == [2, 2, 1]


def test_bad_batch_size():
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="batch_size"):
            DataLoader(_xy(), batch_size=bad)


def test_resume_mid_epoch_continues_the_same_order():
    def labels(loader, limit=None):
        out = []
        for i, (_, y) in enumerate(loader):
            if limit is not None and i == limit:
                break
            out.append(y.tolist())
        return out

    reference = DataLoader(_xy(23), batch_size=5, shuffle=True, seed=9)
    full = labels(reference) + labels(reference)          # two whole epochs

    loader = DataLoader(_xy(23), batch_size=5, shuffle=True, seed=9)
    first = labels(loader)                                # epoch 1
    partial = []
    for i, (_, y) in enumerate(loader):                   # 2 batches of epoch 2, then "crash"
        partial.append(y.tolist())
        if i == 1:
            state = loader.state_dict()
            break
    assert state["batches_done"] == 2
    resumed = DataLoader(_xy(23), batch_size=5, shuffle=True, seed=0)   # other seed: restored
    resumed.load_state_dict(state)
    assert resumed.state_dict()["batches_done"] == 2
    rest = labels(resumed)
    assert first == full[:5] and len(rest) == 3
    assert partial + rest == full[5:]
    # the epoch after the resumed one is the reference's third epoch
    assert labels(resumed) == labels(reference)


def test_resume_between_epochs_and_errors():
    loader = DataLoader(_xy(12), batch_size=4, shuffle=True, seed=3)
    list(loader)
    state = loader.state_dict()
    assert state["batches_done"] == 0
    twin = DataLoader(_xy(12), batch_size=4, shuffle=True, seed=77)
    twin.load_state_dict(state)
    assert [y.tolist() for _, y in twin] == [y.tolist() for _, y in loader]
    with pytest.raises(ValueError, match="samples"):
        DataLoader(_xy(13), batch_size=4, shuffle=True).load_state_dict(state)
    with pytest.raises(ValueError, match="generator"):
        DataLoader(_xy(12), batch_size=4).load_state_dict(state)


# -- IDX files and FashionMNIST -------------------------------------------------------------------
def _idx_bytes(array, code):
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write_fashion(directory, n=6, train=True, gz=True, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    prefix = "train" if train else "t10k"
    for stem, array in ((f"{prefix}-images-idx3-ubyte", images),
                        (f"{prefix}-labels-idx1-ubyte", labels)):
        data = _idx_bytes(array, 0x08)
        path = os.path.join(directory, stem + (".gz" if gz else ""))
        with open(path, "wb") as f:
            f.write(gzip.compress(data) if gz else data)
    return images, labels


@pytest.mark.parametrize("gz", [True, False])
def test_read_idx_raw_and_gzip(tmp_path, gz):
    array = np.arange(24, dtype=np.int32).reshape(2, 3, 4) - 5
    data = _idx_bytes(array, 0x0C)
    path = tmp_path / "a.idx"
    path.write_bytes(gzip.compress(data) if gz else data)
    out = read_idx(path)
    np.testing.assert_array_equal(out, array)
    assert out.dtype == np.int32 and out.dtype.isnative
    floats = np.linspace(-1, 1, 5).astype(np.float64)
    path.write_bytes(_idx_bytes(floats, 0x0E))
    np.testing.assert_array_equal(read_idx(path), floats)


def test_read_idx_errors(tmp_path):
    good = _idx_bytes(np.zeros((2, 3), np.uint8), 0x08)
    path = tmp_path / "bad"
    path.write_bytes(b"\x00\x00\x07\x02" + good[4:])
    with pytest.raises(ValueError, match="bad magic number 0x00000702"):
        read_idx(path)
    path.write_bytes(b"PK\x03\x04" + good[4:])
    with pytest.raises(ValueError, match="bad magic"):
        read_idx(path)
    path.write_bytes(good[:-1])
    with pytest.raises(ValueError, match="truncated"):
        read_idx(path)
    path.write_bytes(good + b"\x00")
    with pytest.raises(ValueError, match="trailing"):
        read_idx(path)
    path.write_bytes(good[:2])
    with pytest.raises(ValueError, match="too short"):
        read_idx(path)
    path.write_bytes(gzip.compress(good)[:-6])
    with pytest.raises(ValueError, match="gzip"):
        read_idx(path)


@pytest.mark.parametrize("gz", [True, False])
def test_fashion_mnist_from_root(tmp_path, gz):
    images, labels = _write_fashion(tmp_path, n=6, gz=gz)
    ds = FashionMNIST(root=tmp_path, train=True)
    assert len(ds) == 6 and ds.data.shape == (6, 1, 28, 28)
    assert ds.data.dtype == np.float32 and ds.targets.dtype == np.int64
    np.testing.assert_array_equal(ds.data.numpy(force=True)[:, 0], images / np.float32(255))
    np.testing.assert_array_equal(ds.targets.numpy(force=True), labels)
    assert 0 <= ds.data.numpy(force=True).min() and ds.data.numpy(force=True).max() <= 1
    image, label = ds[2]
    assert image.shape == (1, 28, 28) and label == labels[2] and isinstance(label, int)
    assert len(ds.classes) == 10 and ds.classes[9] == "Ankle boot"
    x, y = next(iter(DataLoader(ds, batch_size=4)))
    assert x.shape == (4, 1, 28, 28) and y.tolist() == labels[:4].tolist()


def test_fashion_mnist_transform_and_env_dir(tmp_path, monkeypatch):
    _write_fashion(tmp_path, n=3, train=False, gz=False)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    ds = FashionMNIST(train=False, transform=lambda t: t * 2, target_transform=lambda y: -y)
    image, label = ds[0]
    np.testing.assert_allclose(image.numpy(force=True), ds.data.numpy(force=True)[0] * 2)
    assert label == -int(ds.targets.numpy(force=True)[0])
    x, y = ds.get_batch(np.array([0, 1]))               # per-sample path with transforms
    np.testing.assert_allclose(x.numpy(force=True), ds.data.numpy(force=True)[:2] * 2)


def test_fashion_mnist_torchvision_layout(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    _write_fashion(raw, n=2)
    assert len(FashionMNIST(root=tmp_path)) == 2


def test_fashion_mnist_missing_files_say_how_to_install(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        FashionMNIST(root=tmp_path / "nowhere", train=False)
    message = str(info.value)
    assert "apt-get install dataset-fashion-mnist" in message and "FASHION_MNIST_DIR" in message
    assert "nowhere" in message


def test_fashion_mnist_inconsistent_files(tmp_path):
    _write_fashion(tmp_path, n=4, gz=False)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(
        _idx_bytes(np.zeros(3, np.uint8), 0x08))
    with pytest.raises(ValueError, match="4 images .* 3 labels"):
        FashionMNIST(root=tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(_idx_bytes(np.zeros(4, np.int32), 0x0C))
    with pytest.raises(ValueError, match="uint8 labels"):
        FashionMNIST(root=tmp_path)
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(
        _idx_bytes(np.full(4, 10, np.uint8), 0x08))
    with pytest.raises(ValueError, match="outside 0..9"):
        FashionMNIST(root=tmp_path)


@pytest.mark.skipif(not os.path.isdir(SYSTEM_DIR), reason="dataset-fashion-mnist not installed")
def test_real_fashion_mnist_test_split():
    ds = FashionMNIST(root=SYSTEM_DIR, train=False)
    assert ds.data.shape == (10000, 1, 28, 28)
    assert np.bincount(ds.targets.numpy(force=True), minlength=10).tolist() == [1000] * 10
    assert ds.data.numpy(force=True).min() == 0.0 and ds.data.numpy(force=True).max() == 1.0


# -- the slides' X and O -------------------------------------------------------------------------
SLIDES_X = np.array([
    [-1, -1, -1, -1, -1, -1, -1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, -1, -1, 1, -1, -1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, -1, -1, -1, -1, -1, -1, -1]], dtype=np.float32)


def test_canonical_x_is_the_slides_x():
    np.testing.assert_array_equal(canonical_x(), SLIDES_X)


def test_canonical_o_is_a_symmetric_ring():
    o = canonical_o()
    assert set(np.unique(o)) == {-1.0, 1.0}
    np.testing.assert_array_equal(o, o.T)
    np.testing.assert_array_equal(o, o[::-1])
    np.testing.assert_array_equal(o, o[:, ::-1])
    assert o[4, 4] == -1 and o[4, 1] == 1 and o[1, 4] == 1   # hollow centre, ring at radius 3
    assert (o[0] == -1).all() and (o[:, 0] == -1).all()      # a border, like the X


def test_make_xo_shapes_balance_and_determinism():
    images, labels = make_xo(101, seed=5)
    assert images.shape == (101, 1, 9, 9) and images.dtype == np.float32
    assert labels.dtype == np.int64 and np.bincount(labels).tolist() == [51, 50]
    assert set(np.unique(images)) == {-1.0, 1.0}
    assert ((images > 0).sum(axis=(1, 2, 3)) >= 5).all()      # every image shows a shape
    again, labels2 = make_xo(101, seed=5)
    np.testing.assert_array_equal(again, images)
    np.testing.assert_array_equal(labels2, labels)
    other, _ = make_xo(101, seed=6)
    assert not np.array_equal(other, images)


def test_make_xo_plain_is_canonical():
    images, labels = make_xo(6, seed=0, tricky=False)
    for image, label in zip(images, labels):
        np.testing.assert_array_equal(image[0], canonical_x() if label == 0 else canonical_o())


def test_tricky_variants_differ_from_canonical():
    images, labels = make_xo(200, seed=1)
    xs, os_ = images[labels == 0, 0], images[labels == 1, 0]
    assert np.mean([(x != SLIDES_X).any() for x in xs]) > 0.9
    assert np.mean([(o != canonical_o()).any() for o in os_]) > 0.9
    # translation: the ink's centre moves; scaling/stroke weight: the amount of ink varies
    rows = np.arange(9)[None, :, None]
    centre = ((xs > 0) * rows).sum(axis=(1, 2)) / (xs > 0).sum(axis=(1, 2))
    assert centre.std() > 0.3
    ink = (xs > 0).sum(axis=(1, 2))
    assert ink.max() - ink.min() >= 10                        # canonical X has 13 pixels on
    # the classes stay apart: an X's centre pixel is on far more often than an O's
    assert (xs[:, 3:6, 3:6] > 0).mean() > (os_[:, 3:6, 3:6] > 0).mean() + 0.2


def test_xo_dataset():
    ds = XODataset(n=10, seed=2)
    assert len(ds) == 10 and ds.classes == ["X", "O"]
    image, label = ds[0]
    assert image.shape == (1, 9, 9) and label in (0, 1)
    x, y = next(iter(DataLoader(ds, batch_size=10)))
    np.testing.assert_array_equal(x.numpy(force=True), make_xo(10, seed=2)[0])


# -- four-pixel images -------------------------------------------------------------------------
def test_four_pixel_images_follow_their_class_pattern():
    images, labels = make_four_pixel(400, seed=3)
    assert images.shape == (400, 1, 2, 2) and images.dtype == np.float32
    assert np.bincount(labels).tolist() == [100] * 4
    assert (np.abs(images) >= 0.25).all() and (np.abs(images) <= 1).all()
    patterns = {0: [[1, 1], [1, 1]], 1: [[1, -1], [1, -1]], 2: [[1, -1], [-1, 1]],
                3: [[1, 1], [-1, -1]]}                        # solid, vertical, diagonal, horiz.
    signs = np.sign(images[:, 0])
    for image_signs, label in zip(signs, labels):
        pattern = np.array(patterns[int(label)])
        assert (image_signs == pattern).all() or (image_signs == -pattern).all()
    assert (signs[:, 0, 0] > 0).any() and (signs[:, 0, 0] < 0).any()   # both polarities
    np.testing.assert_array_equal(make_four_pixel(400, seed=3)[0], images)
    ds = FourPixelDataset(n=8, seed=0)
    assert ds.classes == ["solid", "vertical", "diagonal", "horizontal"] and len(ds) == 8


# -- samplers and PyTorch's DataLoader signature ------------------------------------------------
def test_dataloader_takes_pytorch_arguments_in_pytorch_order():
    from nn.data import BatchSampler, SequentialSampler
    ds = _xy(10)
    loader = DataLoader(ds, 4, False, None, None, 0, None, False, True)     # drop_last=True
    assert [y.tolist() for _, y in loader] == [[0, 1, 2, 3], [4, 5, 6, 7]]
    loader = DataLoader(ds, batch_size=4, num_workers=2, pin_memory=True, persistent_workers=True,
                        prefetch_factor=2, timeout=0, worker_init_fn=None)
    assert len(loader) == 3 and len(list(loader)) == 3
    batches = DataLoader(ds, batch_sampler=BatchSampler(SequentialSampler(range(5)), 2, False))
    assert [y.tolist() for _, y in batches] == [[0, 1], [2, 3], [4]]
    assert len(batches) == 3
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(ds, batch_size=2, batch_sampler=[[0, 1]])
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(ds, sampler=range(3), shuffle=True)


def test_samplers():
    from nn.data import RandomSampler, SubsetRandomSampler, WeightedRandomSampler
    ds = _xy(10)
    valid = DataLoader(ds, batch_size=3, sampler=range(6, 10))
    assert [y.tolist() for _, y in valid] == [[6, 7, 8], [9]] and len(valid) == 2
    subset = SubsetRandomSampler([1, 3, 5, 7], generator=np.random.default_rng(0))
    drawn = list(subset)
    assert sorted(drawn) == [1, 3, 5, 7] and len(subset) == 4
    ag.manual_seed(4)
    first = list(RandomSampler(ds))
    ag.manual_seed(4)
    assert list(RandomSampler(ds)) == first and sorted(first) == list(range(10))
    assert len(list(RandomSampler(ds, num_samples=25))) == 25
    assert sorted(set(RandomSampler(ds, num_samples=25))) == list(range(10))
    assert all(0 <= i < 10 for i in RandomSampler(ds, replacement=True, num_samples=50))
    weighted = list(WeightedRandomSampler([0, 0, 1, 0], 20, generator=np.random.default_rng(1)))
    assert weighted == [2] * 20
    with pytest.raises(ValueError, match="without replacement"):
        WeightedRandomSampler([0, 1], 2, replacement=False)
    with pytest.raises(ValueError, match="num_samples should be a positive integer"):
        RandomSampler(ds, num_samples=0)
