"""torchvision's data side: nn.data.datasets (MNIST, FashionMNIST, FakeData, ImageFolder),
nn.data.transforms, nn.data.utils (make_grid, save_image), nn.data.io (read_image), and the
DataLoader on their (Tensor, int) samples.

Literal expected values were computed with torch 2.13 running torchvision's algorithms as
read from its source (to_tensor, normalize, the tensor grayscale formula, ``.byte()``,
``interpolate(antialias=True)``, make_grid, save_image's rounding) and with Pillow for the
PIL paths (which torchvision delegates to Pillow).
"""

import gzip
import os

import numpy as np
import pytest
from PIL import Image

import autograd as ag
from autograd.errors import DatasetNotFoundError, ShapeError
from nn.data import DataLoader, datasets, default_collate, io, transforms, utils
from nn.data.transforms import functional as F


def _idx(array):
    """The IDX encoding of a uint8 array (magic 0x0000 08 ndim, big-endian int32 sizes)."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def _mnist_root(tmp_path, name="MNIST", n_train=5, n_test=3, gz=True):
    raw = tmp_path / name / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = np.arange(n, dtype=np.uint8) % 10
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            data = _idx(array)
            path = raw / f"{split}-{kind}-ubyte"
            if gz:
                path = path.with_name(path.name + ".gz")
                data = gzip.compress(data)
            path.write_bytes(data)
    return tmp_path


# -- MNIST / FashionMNIST ------------------------------------------------------------------------
@pytest.mark.parametrize("gz", [True, False])
def test_mnist_reads_idx_files_as_torchvision(tmp_path, gz):
    root = _mnist_root(tmp_path, gz=gz)
    train = datasets.MNIST(str(root), train=True)
    test = datasets.MNIST(root, train=False, download=True)      # files present: no error
    assert (len(train), len(test)) == (5, 3)
    assert train.data.dtype == np.uint8 and tuple(train.data.shape) == (5, 28, 28)
    assert train.targets.dtype == np.int64 and train.targets.tolist() == [0, 1, 2, 3, 4]
    image, target = train[3]
    assert isinstance(image, Image.Image) and image.mode == "L" and image.size == (28, 28)
    assert target == 3 and type(target) is int
    np.testing.assert_array_equal(np.asarray(image), train.data.numpy()[3])
    assert train.classes[0] == "0 - zero" and train.class_to_idx["9 - nine"] == 9
    assert train.raw_folder == os.path.join(str(root), "MNIST", "raw")


def test_mnist_transforms_and_repr(tmp_path):
    root = _mnist_root(tmp_path)
    t = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    ds = datasets.MNIST(str(root), train=True, transform=t, target_transform=lambda y: y * 10)
    x, y = ds[2]
    assert x.shape == (1, 28, 28) and x.dtype == np.float32 and y == 20
    expected = (ds.data.numpy()[2].astype(np.float32) / np.float32(255) - np.float32(0.1307)) \
        / np.float32(0.3081)
    np.testing.assert_array_equal(x.numpy()[0], expected)
    # torchvision's repr: only the first line of the transform block is indented
    lines = repr(ds).splitlines()
    assert lines[:5] == ["Dataset MNIST", "    Number of datapoints: 5",
                         f"    Root location: {root}", "    Split: Train",
                         "    StandardTransform"]
    assert lines[5:9] == ["Transform: Compose(", "               ToTensor()",
                          "               Normalize(mean=(0.1307,), std=(0.3081,))",
                          "           )"]
    assert lines[9].startswith("Target transform: <function ") and len(lines) == 10


def test_fashion_mnist_folder_and_classes(tmp_path):
    root = _mnist_root(tmp_path, name="FashionMNIST")
    ds = datasets.FashionMNIST(root)
    assert ds.classes[9] == "Ankle boot" and len(ds) == 5
    with pytest.raises(DatasetNotFoundError, match=r"MNIST: Dataset not found.*MNIST/raw"):
        datasets.MNIST(root)                 # the MNIST folder is not there


def test_missing_files_are_a_clear_error_even_with_download(tmp_path):
    with pytest.raises(DatasetNotFoundError, match="downloads nothing") as info:
        datasets.FashionMNIST(str(tmp_path), download=True)
    message = str(info.value)
    assert "train-images-idx3-ubyte" in message and "FashionMNIST/raw" in message
    assert "dataset-fashion-mnist" in message
    assert isinstance(info.value, RuntimeError) and isinstance(info.value, FileNotFoundError)


def test_bad_idx_files(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "train-images-idx3-ubyte").write_bytes(_idx(np.zeros((2, 28), np.uint8)))
    (raw / "train-labels-idx1-ubyte").write_bytes(_idx(np.zeros(2, np.uint8)))
    with pytest.raises(ValueError, match=r"images \(N, H, W\)"):
        datasets.MNIST(tmp_path)


def test_old_attribute_names_warn(tmp_path):
    ds = datasets.MNIST(_mnist_root(tmp_path))
    with pytest.warns(UserWarning, match="train_labels has been renamed targets"):
        assert ds.train_labels is ds.targets


def test_real_fashion_mnist_if_installed(tmp_path):
    system = "/usr/share/datasets/fashion-mnist"
    if not os.path.isdir(system):
        pytest.skip("Debian's dataset-fashion-mnist is not installed")
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    for name in os.listdir(system):
        os.symlink(os.path.join(system, name), raw / name)
    ds = datasets.FashionMNIST(tmp_path, train=False, transform=transforms.ToTensor())
    x, y = ds[0]
    assert len(ds) == 10000 and x.shape == (1, 28, 28) and y == 9      # an ankle boot
    assert float(x.numpy().max()) <= 1.0


# -- DataLoader on torchvision-style samples --------------------------------------------------
def test_dataloader_collates_tensor_int_pairs_like_torch(tmp_path):
    ds = datasets.MNIST(_mnist_root(tmp_path), transform=transforms.ToTensor())
    batches = list(DataLoader(ds, batch_size=2))
    assert len(batches) == 3
    images, labels = batches[0]
    assert isinstance(batches[0], list)              # torch collates tuples into a list
    assert images.shape == (2, 1, 28, 28) and images.dtype == np.float32
    assert labels.dtype == np.int64 and labels.tolist() == [0, 1]
    assert batches[-1][0].shape == (1, 1, 28, 28)
    with pytest.raises(TypeError, match=r"PIL.*ToTensor"):
        next(iter(DataLoader(datasets.MNIST(tmp_path), batch_size=2)))


def test_default_collate_matches_torch():
    # torch.utils.data.default_collate on the same inputs (torch 2.13)
    ints, floats = default_collate([(1, 2.0), (3, 4.0)])
    assert ints.dtype == np.int64 and ints.tolist() == [1, 3]
    assert floats.dtype == np.float64 and floats.tolist() == [2.0, 4.0]
    assert isinstance(default_collate([(1, 2.0), (3, 4.0)]), list)
    assert default_collate([True, False]).dtype == np.bool_
    assert default_collate([np.float32(1.5), np.float32(2)]).dtype == np.float32
    assert default_collate([np.int32(1), np.int32(2)]).dtype == np.int32
    from collections import namedtuple
    P = namedtuple("P", "x y")
    point = default_collate([P(1, 2.0), P(3, 4.0)])
    assert type(point) is P and point.x.tolist() == [1, 3]
    assert default_collate([[1, 2], [3, 4]])[1].tolist() == [2, 4]
    d = default_collate([{"a": 1, "b": "x"}, {"a": 2, "b": "y"}])
    assert d["a"].tolist() == [1, 2] and d["b"] == ["x", "y"]
    with pytest.raises(ShapeError, match="each element in list of batch should be of equal"):
        default_collate([[1, 2], [3]])
    with pytest.raises(TypeError, match="<U1"):
        default_collate([np.array(["a"]), np.array(["b"])])


# -- FakeData ----------------------------------------------------------------------------------
def test_fake_data_is_deterministic_per_index_and_leaves_the_generator_alone():
    ds = datasets.FakeData(size=4, image_size=(3, 5, 7), num_classes=3,
                           transform=transforms.ToTensor())
    ag.manual_seed(0)
    before = ag.rand(3).tolist()
    ag.manual_seed(0)
    x, y = ds[1]
    assert ag.rand(3).tolist() == before
    x2, y2 = ds[1]
    np.testing.assert_array_equal(x.numpy(), x2.numpy())
    assert x.shape == (3, 5, 7) and type(y) is int and 0 <= y < 3 and y == y2
    # the image is ToPILImage(randn): x255 and wrapped to uint8, then ToTensor /255
    noise = ag.randn(3, 5, 7, generator=np.random.default_rng(1))
    expected = (np.trunc(noise.numpy() * np.float32(255)).astype(np.int64) % 256) / 255
    np.testing.assert_allclose(x.numpy(), expected, atol=1e-7)
    assert not np.array_equal(ds[2][0].numpy(), x.numpy())
    with pytest.raises(IndexError, match="FakeData index out of range"):
        ds[4]
    pil, _ = datasets.FakeData(size=1, image_size=(1, 4, 4))[0]
    assert pil.mode == "L"


# -- ImageFolder ---------------------------------------------------------------------------------
def _folder(tmp_path):
    root = tmp_path / "images"
    for cls, names in (("dog", ["b.png", "a.PNG", "notes.txt"]), ("cat", ["z.jpg"]),
                       ("cat/sub", ["y.bmp"])):
        (root / cls).mkdir(parents=True, exist_ok=True)
        for i, name in enumerate(names):
            path = root / cls / name
            if name.endswith(".txt"):
                path.write_text("not an image")
            else:
                Image.new("L" if i else "RGB", (4, 3), color=(i * 40) if i else (10, 20, 30)) \
                    .save(path, format={"png": "PNG", "jpg": "JPEG", "bmp": "BMP"}[
                        name.lower().rsplit(".", 1)[1]])
    return root


def test_image_folder_like_torchvision(tmp_path):
    root = _folder(tmp_path)
    ds = datasets.ImageFolder(str(root), transform=transforms.ToTensor())
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    rel = [(os.path.relpath(p, root), c) for p, c in ds.samples]
    assert rel == [("cat/z.jpg", 0), ("cat/sub/y.bmp", 0), ("dog/a.PNG", 1), ("dog/b.png", 1)]
    assert ds.targets == [0, 0, 1, 1] and ds.imgs is ds.samples
    x, y = ds[3]
    assert x.shape == (3, 3, 4) and y == 1          # loaded as RGB
    np.testing.assert_allclose(x.numpy()[:, 0, 0], np.array([10, 20, 30]) / 255, atol=1e-7)
    only_png = datasets.ImageFolder(root, is_valid_file=lambda p: p.endswith(".png"),
                                    allow_empty=True)
    assert [c for _, c in only_png.samples] == [1]


def test_folder_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        datasets.ImageFolder(tmp_path / "empty")
    (tmp_path / "empty" / "cls").mkdir()
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes cls"):
        datasets.ImageFolder(tmp_path / "empty")
    with pytest.raises(ValueError, match="Both extensions and is_valid_file"):
        datasets.make_dataset(str(tmp_path / "empty"), {"cls": 0})
    assert datasets.is_image_file("x.JPEG") and not datasets.is_image_file("x.txt")


def test_dataset_folder_with_own_loader(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "1.npy").write_bytes(b"")
    ds = datasets.DatasetFolder(tmp_path, loader=lambda p: os.path.basename(p),
                                extensions=(".npy",))
    assert ds[0] == ("1.npy", 0)


# -- transforms: conversions ---------------------------------------------------------------------
IMG = np.arange(18, dtype=np.uint8).reshape(2, 3, 3) * 13           # (H, W, C)


def test_to_tensor_pil_and_ndarray():
    t = transforms.ToTensor()(Image.fromarray(IMG))
    assert t.shape == (3, 2, 3) and t.dtype == np.float32
    # torch: from_numpy(np.array(pic)).permute(2, 0, 1).float().div(255)
    assert t.numpy().flatten().tolist()[:4] == [0.0, 0.15294118225574493, 0.30588236451148987,
                                                0.4588235318660736]
    np.testing.assert_array_equal(transforms.ToTensor()(IMG).numpy(), t.numpy())
    gray = transforms.ToTensor()(IMG[:, :, 0])
    assert gray.shape == (1, 2, 3)
    floats = transforms.ToTensor()(np.full((2, 2, 1), 7.0))          # non-uint8: kept as is
    assert floats.dtype == np.float64 and floats.numpy().max() == 7.0
    bilevel = transforms.ToTensor()(Image.fromarray(np.array([[True, False]])))
    assert bilevel.numpy().tolist() == [[[1.0, 0.0]]]
    assert transforms.PILToTensor()(Image.fromarray(IMG)).dtype == np.uint8
    with pytest.raises(TypeError, match="pic should be a PIL Image or ndarray"):
        transforms.ToTensor()(t)
    with pytest.raises(ValueError, match="2/3 dimensional"):
        transforms.ToTensor()(np.zeros((1, 1, 1, 1), np.uint8))


def test_to_pil_image_casts_floats_like_torch_byte():
    f = ag.tensor([[[-0.5, 0.0, 0.25], [0.999, 1.0, 1.5]]])
    image = transforms.ToPILImage()(f)
    assert image.mode == "L"
    # torch: f.mul(255).byte() == [129, 0, 63, 254, 255, 126]
    assert np.asarray(image).flatten().tolist() == [129, 0, 63, 254, 255, 126]
    rgb = transforms.ToPILImage()(ag.from_numpy(np.ascontiguousarray(IMG.transpose(2, 0, 1))))
    assert rgb.mode == "RGB"
    np.testing.assert_array_equal(np.asarray(rgb), IMG)
    assert transforms.ToPILImage()(np.zeros((2, 2, 4), np.uint8)).mode == "RGBA"
    assert transforms.ToPILImage()(np.zeros((2, 2, 2), np.uint8)).mode == "LA"
    assert transforms.ToPILImage(mode="F")(ag.ones(1, 2, 2)).mode == "F"
    # float ndarrays are scaled too (torchvision >= 0.16: (npimg * 255).astype(np.uint8))
    assert np.asarray(transforms.ToPILImage()(np.array([[0.5, -0.5]], np.float32))).tolist() \
        == [[127, 129]]
    with pytest.raises(ValueError, match="should not have > 4 channels"):
        transforms.ToPILImage()(ag.zeros(5, 2, 2))
    with pytest.raises(ValueError, match="Incorrect mode|incorrect mode"):
        transforms.ToPILImage(mode="RGB")(ag.zeros(1, 2, 2))
    with pytest.raises(TypeError, match="should be a Tensor or ndarray"):
        transforms.ToPILImage()([1, 2])


def test_normalize_matches_torch():
    t = transforms.ToTensor()(IMG)
    n = transforms.Normalize((0.5, 0.4, 0.3), (0.2, 0.25, 0.3))(t)
    values = n.numpy().flatten().tolist()
    assert values[:3] == [-2.5, -1.7352941036224365, -0.9705881476402283]
    assert values[-1] == 1.8888888359069824
    assert t.numpy()[0, 0, 0] == 0.0                           # out of place by default
    same = transforms.Normalize(0.5, 0.5, inplace=True)
    out = same(t)
    assert out is t and t.numpy()[0, 0, 0] == -1.0
    with pytest.raises(TypeError, match="float tensor"):
        transforms.Normalize(0, 1)(ag.zeros(1, 2, 2, dtype=ag.int64))
    with pytest.raises(ValueError, match="std evaluated to zero"):
        transforms.Normalize((0.5,), (0.0,))(ag.zeros(1, 2, 2))
    with pytest.raises(ValueError, match=r"\(\.\.\., C, H, W\)"):
        transforms.Normalize(0, 1)(ag.zeros(2, 2))
    assert repr(transforms.Normalize((0.1307,), (0.3081,))) == \
        "Normalize(mean=(0.1307,), std=(0.3081,))"


def test_random_apply_choice_order():
    add = transforms.Lambda(lambda x: x + 1)
    double = transforms.Lambda(lambda x: x * 2)
    assert transforms.RandomApply([add, double], p=1.0)(1) == 4
    assert transforms.RandomApply([add, double], p=0.0)(1) == 1
    ag.manual_seed(0)
    applied = [transforms.RandomApply([add], p=0.3)(0) for _ in range(200)]
    assert 30 < sum(applied) < 90
    import random
    random.seed(0)
    picks = [transforms.RandomChoice([add, double], p=[0.9, 0.1])(3) for _ in range(100)]
    assert set(picks) == {4, 6} and picks.count(4) > 70
    random.seed(1)
    orders = {transforms.RandomOrder([add, double])(1) for _ in range(30)}
    assert orders == {4, 3}                         # (1+1)*2 or 1*2+1
    with pytest.raises(ValueError, match="Length of p doesn't match"):
        transforms.RandomChoice([add], p=[0.5, 0.5])


def test_lambda_and_compose():
    t = transforms.Compose([transforms.Lambda(lambda x: x + 1), transforms.Lambda(str)])
    assert t(1) == "2"
    assert repr(t) == "Compose(\n    Lambda()\n    Lambda()\n)"
    with pytest.raises(TypeError, match="Argument lambd should be callable, got 'int'"):
        transforms.Lambda(3)


def test_grayscale_pil_and_tensor():
    pil = Image.fromarray(IMG)
    assert np.asarray(transforms.Grayscale()(pil)).flatten().tolist() == \
        [11, 50, 89, 128, 167, 206]                               # Pillow's integer luma
    three = transforms.Grayscale(num_output_channels=3)(pil)
    assert three.mode == "RGB" and np.asarray(three)[0, 1].tolist() == [50, 50, 50]
    u8 = ag.from_numpy(np.ascontiguousarray(IMG.transpose(2, 0, 1)))
    # torchvision's tensor formula (0.2989 r + 0.587 g + 0.114 b).to(uint8), run in torch
    assert F.rgb_to_grayscale(u8).numpy().flatten().tolist() == [10, 49, 88, 127, 166, 205]
    f = F.rgb_to_grayscale(transforms.ToTensor()(IMG), num_output_channels=3)
    assert f.shape == (3, 2, 3)
    assert f.numpy()[2].flatten().tolist()[:2] == [0.041549019515514374, 0.19447492063045502]
    with pytest.raises(ValueError, match="num_output_channels should be either 1 or 3"):
        F.rgb_to_grayscale(u8, 2)
    with pytest.raises(ValueError, match="1 or 3 channels"):
        F.rgb_to_grayscale(ag.zeros(2, 3, 3))


# -- transforms: geometry --------------------------------------------------------------------
SQUARE = np.arange(30, dtype=np.uint8).reshape(5, 6)                 # H=5, W=6


def _as_tensor(array):
    return ag.from_numpy(np.ascontiguousarray(array[None]))


def test_resize_pil_and_tensor():
    pil = Image.fromarray(np.zeros((10, 20), np.uint8))
    assert transforms.Resize(5)(pil).size == (10, 5)               # shorter edge -> 5
    assert transforms.Resize((4, 7))(pil).size == (7, 4)
    assert transforms.Resize(7)(Image.fromarray(np.zeros((9, 13), np.uint8))).size == (10, 7)
    assert transforms.Resize(10, max_size=15)(pil).size == (15, 7)
    assert transforms.Resize(10)(pil) is pil                        # already that size
    a = ag.arange(24, dtype=ag.float32).reshape(1, 1, 4, 6) / 23
    # torch: interpolate(a, (2, 3), mode="bilinear", align_corners=False, antialias=True)
    expected = [0.21739131212234497, 0.29503104090690613, 0.37267082929611206,
                0.6273292303085327, 0.7049689292907715, 0.7826087474822998]
    np.testing.assert_allclose(transforms.Resize((2, 3))(a).numpy().flatten(), expected,
                               atol=1e-6)
    up = transforms.Resize((3, 7))(a).numpy().flatten()
    np.testing.assert_allclose(up[:3], [0.0782608687877655, 0.11242236196994781,
                                        0.1496894359588623], atol=1e-6)
    ints = transforms.Resize((2, 3))(_as_tensor(SQUARE))
    assert ints.dtype == np.uint8 and ints.shape == (1, 2, 3)
    assert repr(transforms.Resize(32)) == \
        "Resize(size=32, interpolation=bilinear, max_size=None, antialias=True)"
    with pytest.raises(TypeError, match="Size should be int or sequence"):
        transforms.Resize(2.5)
    with pytest.raises(ValueError, match="max_size should only be passed"):
        transforms.Resize((2, 3), max_size=5)(pil)


def test_center_crop_rounding_and_padding():
    # top = round((5 - 2) / 2) = 2, left = round((6 - 3) / 2) = 2 (Python rounds half to even)
    expected = SQUARE[2:4, 2:5]
    np.testing.assert_array_equal(np.asarray(transforms.CenterCrop((2, 3))(
        Image.fromarray(SQUARE))), expected)
    np.testing.assert_array_equal(transforms.CenterCrop((2, 3))(_as_tensor(SQUARE)).numpy()[0],
                                  expected)
    grown = transforms.CenterCrop((6, 9))(Image.fromarray(SQUARE))   # zero-padded first
    g = np.asarray(grown)
    assert g.shape == (6, 9)
    np.testing.assert_array_equal(g[0:5, 1:7], SQUARE)          # pad l=1 t=0 r=2 b=1
    assert g[5].sum() == 0 and g[:, 0].sum() == 0 and g[:, 7:].sum() == 0
    np.testing.assert_array_equal(
        transforms.CenterCrop((6, 9))(_as_tensor(SQUARE)).numpy()[0], g)
    assert repr(transforms.CenterCrop(4)) == "CenterCrop(size=(4, 4))"


def test_pad_modes_pil_and_tensor():
    row = np.array([[1, 2, 3, 4]], dtype=np.uint8)
    pil = Image.fromarray(row)
    # torchvision's documented examples: reflect [3 2 1 2 3 4 3 2], symmetric [2 1 1 2 3 4 4 3]
    assert np.asarray(transforms.Pad((2, 0), padding_mode="reflect")(pil))[0].tolist() == \
        [3, 2, 1, 2, 3, 4, 3, 2]
    assert np.asarray(transforms.Pad((2, 0), padding_mode="symmetric")(pil))[0].tolist() == \
        [2, 1, 1, 2, 3, 4, 4, 3]
    assert np.asarray(transforms.Pad((1, 0), padding_mode="edge")(pil))[0].tolist() == \
        [1, 1, 2, 3, 4, 4]
    assert np.asarray(transforms.Pad((1, 0, 0, 1), fill=9)(pil)).tolist() == \
        [[9, 1, 2, 3, 4], [9, 9, 9, 9, 9]]
    t = transforms.Pad((2, 0), padding_mode="reflect")(_as_tensor(row))
    assert t.numpy()[0, 0].tolist() == [3, 2, 1, 2, 3, 4, 3, 2]
    rgb = transforms.Pad(1, fill=(255, 0, 7))(Image.fromarray(IMG))
    assert rgb.size == (5, 4) and np.asarray(rgb)[0, 0].tolist() == [255, 0, 7]
    assert np.asarray(transforms.Pad(-1)(Image.fromarray(SQUARE))).shape == (3, 4)   # crops
    with pytest.raises(ValueError, match="Padding mode should be"):
        transforms.Pad(1, padding_mode="wrap")
    with pytest.raises(ValueError, match="1, 2, or 4 element"):
        transforms.Pad((1, 2, 3))


def test_crop_outside_the_image_is_zero():
    out = F.crop(_as_tensor(SQUARE), -1, 4, 3, 3).numpy()[0]
    assert out.tolist() == [[0, 0, 0], [4, 5, 0], [10, 11, 0]]
    np.testing.assert_array_equal(np.asarray(F.crop(Image.fromarray(SQUARE), -1, 4, 3, 3)), out)


def test_random_crop_and_flips_use_the_framework_generator():
    pil = Image.fromarray(SQUARE)
    crop = transforms.RandomCrop(3)
    ag.manual_seed(3)
    first = [np.asarray(crop(pil)).tolist() for _ in range(5)]
    ag.manual_seed(3)
    assert [np.asarray(crop(pil)).tolist() for _ in range(5)] == first
    assert len({str(c) for c in first}) > 1                         # the corner moves
    for c in first:                                                 # each is a 3x3 window
        top, left = divmod(int(c[0][0]), 6)
        assert c == SQUARE[top:top + 3, left:left + 3].tolist()
    padded = transforms.RandomCrop(7, pad_if_needed=True)(pil)
    assert padded.size == (7, 7)
    assert np.asarray(transforms.RandomCrop((5, 6))(pil)).tolist() == SQUARE.tolist()
    with pytest.raises(ValueError, match="Required crop size"):
        transforms.RandomCrop(9)(pil)
    assert repr(transforms.RandomCrop(32, padding=4)) == "RandomCrop(size=(32, 32), padding=4)"

    always = transforms.RandomHorizontalFlip(p=1.0)
    np.testing.assert_array_equal(np.asarray(always(pil)), SQUARE[:, ::-1])
    np.testing.assert_array_equal(always(_as_tensor(SQUARE)).numpy()[0], SQUARE[:, ::-1])
    assert transforms.RandomHorizontalFlip(p=0.0)(pil) is pil
    np.testing.assert_array_equal(np.asarray(transforms.RandomVerticalFlip(1.0)(pil)),
                                  SQUARE[::-1])
    ag.manual_seed(0)
    flips = [transforms.RandomHorizontalFlip()(pil) is not pil for _ in range(200)]
    assert 60 < sum(flips) < 140


def test_random_resized_crop():
    pil = Image.fromarray(np.arange(100 * 80, dtype=np.uint32).reshape(100, 80).astype(np.uint8))
    t = transforms.RandomResizedCrop(16)
    ag.manual_seed(1)
    sizes = set()
    for _ in range(20):
        top, left, h, w = t.get_params(pil, t.scale, t.ratio)
        assert 0 <= top <= 100 - h and 0 <= left <= 80 - w
        assert 0.08 * 8000 * 0.5 <= h * w <= 8000 and 3 / 4 * 0.8 <= w / h <= 4 / 3 * 1.25
        sizes.add((h, w))
    assert len(sizes) > 5
    assert t(pil).size == (16, 16)
    # impossible ratio: the fallback is the centre crop clamped to the ratio
    assert transforms.RandomResizedCrop.get_params(pil, (1.0, 1.0), (3.0, 4.0)) == \
        (36, 0, 27, 80)
    assert repr(t) == ("RandomResizedCrop(size=(16, 16), scale=(0.08, 1.0), "
                       "ratio=(0.75, 1.3333), interpolation=bilinear, antialias=True)")


# -- utils -------------------------------------------------------------------------------------
BATCH = ag.tensor([[[[1., 2.], [3., 4.]]], [[[-1., 0.], [5., 9.]]], [[[0.5, 0.5], [0.5, 0.5]]]])


def test_make_grid_matches_torchvision():
    g = utils.make_grid(BATCH, nrow=2, padding=1, pad_value=0.25)
    assert g.shape == (3, 7, 7)
    assert g.numpy()[0].tolist() == [
        [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25], [0.25, 1.0, 2.0, 0.25, -1.0, 0.0, 0.25],
        [0.25, 3.0, 4.0, 0.25, 5.0, 9.0, 0.25], [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
        [0.25, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25], [0.25, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25],
        [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]]
    assert (g.numpy()[0] == g.numpy()[2]).all()                 # gray repeated to 3 channels
    norm = utils.make_grid(BATCH, nrow=2, padding=1, normalize=True).numpy()[0]
    assert norm[2].tolist() == [0.0, 0.4000000059604645, 0.5, 0.0, 0.6000000238418579, 1.0, 0.0]
    assert norm[4].tolist()[1] == 0.15000000596046448
    each = utils.make_grid(BATCH, nrow=3, padding=0, normalize=True, scale_each=True)
    assert each.numpy()[0].tolist() == [
        [0.0, 0.3333333432674408, 0.0, 0.10000000149011612, 0.0, 0.0],
        [0.6666666865348816, 1.0, 0.6000000238418579, 1.0, 0.0, 0.0]]
    ranged = utils.make_grid(BATCH, nrow=3, padding=0, normalize=True, value_range=(0.0, 4.0))
    assert ranged.numpy()[0].tolist() == [[0.25, 0.5, 0.0, 0.0, 0.125, 0.125],
                                          [0.75, 1.0, 1.0, 1.0, 0.125, 0.125]]
    single = utils.make_grid(BATCH[0])
    assert single.shape == (3, 2, 2)                             # one image: no padding
    listed = utils.make_grid([BATCH[0], BATCH[1]], padding=0)
    assert listed.shape == (3, 2, 4)
    assert BATCH.numpy()[1, 0, 0, 0] == -1.0                     # the input is not modified
    with pytest.raises(TypeError, match="value_range has to be a tuple"):
        utils.make_grid(BATCH, normalize=True, value_range=[0, 1])
    with pytest.raises(TypeError, match="tensor or list of tensors expected"):
        utils.make_grid(np.zeros((2, 1, 2, 2)))


def test_save_image_rounds_like_torchvision(tmp_path):
    images = ag.tensor([[[0.0, 0.2], [0.5, 1.0]]]).expand(2, 1, 2, 2) * \
        ag.tensor([1.0, 0.5]).reshape(2, 1, 1, 1)
    path = tmp_path / "grid.png"
    utils.save_image(images, str(path))
    saved = np.asarray(Image.open(path))
    assert saved.shape == (6, 10, 3)
    # torch: grid.mul(255).add_(0.5).clamp_(0, 255).to(uint8)
    assert saved[:, :, 0].tolist() == [[0] * 10, [0] * 10, [0, 0, 0, 51, 0, 0, 0, 26, 0, 0],
                                       [0, 0, 128, 255, 0, 0, 64, 128, 0, 0], [0] * 10, [0] * 10]
    with open(tmp_path / "obj.png", "wb") as f:
        utils.save_image(images, f, format="PNG")
    assert Image.open(tmp_path / "obj.png").size == (10, 6)


# -- io ----------------------------------------------------------------------------------------
def test_read_image_modes(tmp_path):
    rgba = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4) * 10
    Image.fromarray(rgba).save(tmp_path / "a.png")
    t = io.read_image(str(tmp_path / "a.png"))
    assert t.dtype == np.uint8 and t.shape == (4, 2, 3)
    np.testing.assert_array_equal(t.numpy(), rgba.transpose(2, 0, 1))
    assert io.read_image(tmp_path / "a.png", io.ImageReadMode.RGB).shape == (3, 2, 3)
    gray = io.read_image(tmp_path / "a.png", io.ImageReadMode.GRAY)
    assert gray.shape == (1, 2, 3)
    np.testing.assert_array_equal(gray.numpy()[0],
                                  np.asarray(Image.fromarray(rgba).convert("L")))
    Image.fromarray(rgba[:, :, 0]).save(tmp_path / "g.png")
    assert io.read_image(tmp_path / "g.png").shape == (1, 2, 3)
    assert io.read_image(tmp_path / "g.png", "RGB").shape == (3, 2, 3)
    Image.fromarray(rgba[:, :, 0]).convert("P").save(tmp_path / "p.png")
    assert io.read_image(tmp_path / "p.png").shape == (3, 2, 3)   # palette expanded
    encoded = io.read_file(tmp_path / "a.png")
    assert encoded.dtype == np.uint8 and encoded.ndim == 1
    np.testing.assert_array_equal(io.decode_image(encoded).numpy(), t.numpy())
    io.write_png(t, tmp_path / "b.png")
    np.testing.assert_array_equal(io.read_image(tmp_path / "b.png").numpy(), t.numpy())


def test_read_image_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        io.read_image(tmp_path / "missing.png")
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with pytest.raises(RuntimeError, match="not a readable image"):
        io.read_image(tmp_path / "bad.png")
    Image.new("L", (2, 2)).save(tmp_path / "ok.png")
    with pytest.raises(ValueError, match="mode should be an ImageReadMode"):
        io.read_image(tmp_path / "ok.png", mode="CMYK")


def test_nn_vision_namespace():
    import nn.models
    import nn.vision as torchvision
    assert torchvision.datasets is datasets and torchvision.transforms is transforms
    assert torchvision.utils is utils and torchvision.io is io
    assert torchvision.models is nn.models
    # torchvision's submodules, which scripts import from directly
    from nn.data.datasets.folder import default_loader
    from nn.data.datasets.mnist import FashionMNIST
    from nn.data.datasets.vision import VisionDataset
    assert default_loader is datasets.default_loader and FashionMNIST is datasets.FashionMNIST
    assert issubclass(datasets.CIFAR10, VisionDataset)


# -- CIFAR -------------------------------------------------------------------------------------
def _cifar_root(tmp_path, n=4):
    import pickle
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for i, name in enumerate(["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                              "data_batch_5", "test_batch"]):
        entry = {"batch_label": f"batch {i}", "labels": [(i + k) % 10 for k in range(n)],
                 "data": rng.integers(0, 256, size=(n, 3072), dtype=np.uint8),
                 "filenames": [f"img{k}.png" for k in range(n)]}
        with open(folder / name, "wb") as f:
            pickle.dump(entry, f, protocol=2)
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": ["airplane", "automobile", "bird", "cat", "deer", "dog",
                                     "frog", "horse", "ship", "truck"]}, f, protocol=2)
    return tmp_path


def test_cifar10_reads_python_batches(tmp_path):
    root = _cifar_root(tmp_path)
    train = datasets.CIFAR10(str(root), train=True, transform=transforms.ToTensor())
    test = datasets.CIFAR10(root, train=False)
    assert len(train) == 20 and len(test) == 4
    assert train.data.shape == (20, 32, 32, 3) and train.data.dtype == np.uint8
    assert train.targets[:5] == [0, 1, 2, 3, 1] and train.classes[3] == "cat"
    assert train.class_to_idx["truck"] == 9
    image, target = test[1]
    assert image.mode == "RGB" and image.size == (32, 32) and target == 6
    # CHW rows of 1024 per channel in the file, HWC in .data (torchvision's transpose)
    import pickle
    with open(root / "cifar-10-batches-py" / "test_batch", "rb") as f:
        raw = pickle.load(f)["data"][1]
    np.testing.assert_array_equal(np.asarray(image)[0, 0], raw[[0, 1024, 2048]])
    x, _ = train[0]
    assert x.shape == (3, 32, 32) and x.dtype == np.float32


def test_cifar_errors_and_archive(tmp_path):
    import pickle
    import tarfile
    with pytest.raises(DatasetNotFoundError, match="cifar-10-batches-py"):
        datasets.CIFAR10(tmp_path / "none", download=True)
    root = _cifar_root(tmp_path / "a")
    with tarfile.open(tmp_path / "cifar-10-python.tar.gz", "w:gz") as tar:
        tar.add(root / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    assert len(datasets.CIFAR10(tmp_path, download=True)) == 20       # extracted, not fetched

    class Evil:
        def __reduce__(self):
            return (os.system, ("true",))
    with open(root / "cifar-10-batches-py" / "test_batch", "wb") as f:
        pickle.dump({"data": Evil()}, f, protocol=2)
    with pytest.raises(ValueError, match="refusing to unpickle"):
        datasets.CIFAR10(root, train=False)
