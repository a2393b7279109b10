"""nn.models: exact torchvision parameter counts and state_dict names, 28x28 forward passes,
GoogLeNet's auxiliary outputs, the slides' AlexNet shapes, gradients through whole networks.

Expected parameter counts are torchvision's published figures (literal data); the slides' AlexNet
shapes are SLIDES.md section 5.
"""

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from nn import models

# torchvision's parameter counts at num_classes=1000, in_channels=3
TORCHVISION_COUNTS = [
    ("vgg11", {"init_weights": False}, 132_863_336),
    ("vgg13", {"init_weights": False}, 133_047_848),
    ("vgg16", {"init_weights": False}, 138_357_544),
    ("vgg19", {"init_weights": False}, 143_667_240),
    ("resnet18", {}, 11_689_512),
    ("resnet34", {}, 21_797_672),
    ("resnet50", {}, 25_557_032),
    ("googlenet", {"aux_logits": False}, 6_624_904),
    ("googlenet", {"aux_logits": True}, 13_004_888),
    ("densenet121", {}, 7_978_856),
]


def n_params(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("name,kwargs,expected", TORCHVISION_COUNTS,
                         ids=[f"{n}-{k}" for n, k, _ in TORCHVISION_COUNTS])
def test_parameter_count_equals_torchvision(name, kwargs, expected):
    # init_weights=False on VGG only skips the re-initialisation, not a single parameter
    assert n_params(getattr(models, name)(**kwargs)) == expected


def test_lenet5_parameter_count():
    # conv1 6*1*25+6, conv2 16*6*25+16, fc 400*120+120, 120*84+84, 84*10+10
    assert n_params(models.lenet5()) == 156 + 2416 + 48_120 + 10_164 + 850 == 61_706


def test_num_classes_and_in_channels_change_only_the_ends():
    m = models.resnet18(num_classes=10, in_channels=1)
    # stem conv 64x3x7x7 -> 64x1x7x7; fc 512x1000+1000 -> 512x10+10
    assert n_params(m) == 11_689_512 - 64 * 2 * 49 - 512 * 990 - 990
    assert m.conv1.weight.shape == (64, 1, 7, 7) and m.fc.weight.shape == (10, 512)


def test_small_input_keeps_names_and_swaps_only_the_stem():
    big, small = models.resnet18(), models.resnet18(small_input=True)
    assert list(big.state_dict()) == list(small.state_dict())
    assert small.conv1.weight.shape == (64, 3, 3, 3)
    assert n_params(big) - n_params(small) == 64 * 3 * (49 - 9)


# -- state_dict names ----------------------------------------------------------------------
def test_resnet18_state_dict_names_match_torchvision():
    sd = models.resnet18().state_dict()
    # 20 convs + 20 BN (weight, bias) + fc (2) parameters, 20 BN x 3 buffers
    assert len(sd) == 122
    for key in ["conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "layer1.0.conv1.weight", "layer1.1.bn2.bias", "layer2.0.downsample.0.weight",
                "layer2.0.downsample.1.running_var", "layer4.1.conv2.weight", "fc.weight",
                "fc.bias"]:
        assert key in sd, key
    assert sd["layer2.0.downsample.0.weight"].shape == (128, 64, 1, 1)
    assert sd["layer4.1.conv2.weight"].shape == (512, 512, 3, 3)
    # the exact torchvision order: registration order of conv1, bn1, layer1..4, fc
    bn = ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    expected = ["conv1.weight"] + [f"bn1.{b}" for b in bn]
    for stage in range(1, 5):
        for block in range(2):
            p = f"layer{stage}.{block}."
            expected += [p + "conv1.weight"] + [p + f"bn1.{b}" for b in bn]
            expected += [p + "conv2.weight"] + [p + f"bn2.{b}" for b in bn]
            if stage > 1 and block == 0:
                expected += [p + "downsample.0.weight"] + [p + f"downsample.1.{b}" for b in bn]
    expected += ["fc.weight", "fc.bias"]
    assert list(sd) == expected


def test_resnet50_bottleneck_names_and_shapes():
    sd = models.resnet50().state_dict()
    assert sd["layer1.0.conv3.weight"].shape == (256, 64, 1, 1)
    assert sd["layer3.5.bn3.running_mean"].shape == (1024,)
    assert sd["layer4.0.downsample.0.weight"].shape == (2048, 1024, 1, 1)
    assert sd["fc.weight"].shape == (1000, 2048)


def test_densenet121_and_googlenet_state_dict_names():
    sd = models.densenet121().state_dict()
    for key in ["features.conv0.weight", "features.norm0.running_mean",
                "features.denseblock1.denselayer1.norm1.weight",
                "features.denseblock4.denselayer16.conv2.weight",
                "features.transition3.conv.weight", "features.norm5.running_var",
                "classifier.weight", "classifier.bias"]:
        assert key in sd, key
    assert sd["features.denseblock2.denselayer12.conv1.weight"].shape == (128, 128 + 11 * 32, 1, 1)
    assert sd["classifier.weight"].shape == (1000, 1024)
    sd = models.googlenet().state_dict()
    for key in ["conv1.conv.weight", "conv1.bn.running_mean", "inception3a.branch2.1.conv.weight",
                "inception5b.branch4.1.bn.bias", "aux1.conv.conv.weight", "aux1.fc1.weight",
                "aux2.fc2.bias", "fc.weight"]:
        assert key in sd, key
    # torchvision's "5x5" branch is a 3x3 conv
    assert sd["inception3a.branch3.1.conv.weight"].shape == (32, 16, 3, 3)
    assert "conv1.conv.bias" not in sd


def test_alexnet_parameter_count_and_names_equal_torchvision():
    model = models.alexnet()
    assert n_params(model) == 61_100_840
    sd = model.state_dict()
    assert [k for k in sd if k.endswith("weight")] == [
        "features.0.weight", "features.3.weight", "features.6.weight", "features.8.weight",
        "features.10.weight", "classifier.1.weight", "classifier.4.weight", "classifier.6.weight"]


# -- 28x28 grayscale forward passes ----------------------------------------------------------
SMALL = [
    ("lenet5", {}),
    ("alexnet", {"small_input": True}),
    ("vgg16", {"small_input": True}),
    # torchvision's N(0, 0.01) init leaves a fresh GoogLeNet's eval-mode output at the fc bias
    # (the signal shrinks ~100x per layer; as in PyTorch): run it on batch statistics instead
    ("googlenet", {"small_input": True, "aux_logits": False, "dropout": 0.0, "train": True}),
    ("resnet18", {"small_input": True}),
    ("resnet18", {}),            # torchvision's geometry also runs on 28x28 (ends at 1x1)
    ("resnet50", {"small_input": True}),
    ("densenet121", {"small_input": True}),
]


@pytest.mark.parametrize("name,kwargs", SMALL, ids=[f"{n}-{k}" for n, k in SMALL])
def test_forward_28x28_grayscale(name, kwargs):
    autograd.manual_seed(0)
    kwargs = dict(kwargs)
    train = kwargs.pop("train", False)
    model = getattr(models, name)(num_classes=10, in_channels=1, **kwargs).train(train)
    x = autograd.randn(2, 1, 28, 28)
    with autograd.no_grad():
        y = model(x)
    assert isinstance(y, autograd.Tensor) and y.shape == (2, 10) and y.dtype == np.float32
    assert np.isfinite(y.numpy(force=True)).all()
    # the two images give different logits: the network actually looks at its input
    assert not np.allclose(y.numpy(force=True)[0], y.numpy(force=True)[1])


def test_default_geometry_too_small_raises_framework_error():
    # torchvision's DenseNet stem and transitions shrink 28x28 to 1x1 before transition3's
    # 2x2 average pool: a clear ValueError (ShapeError), not a numpy traceback
    model = models.densenet121(num_classes=10, in_channels=1).eval()
    with pytest.raises(ValueError):
        with autograd.no_grad():
            model(autograd.zeros(1, 1, 28, 28))


def test_resnet18_224_forward():
    model = models.resnet18().eval()
    with autograd.no_grad():
        y = model(autograd.randn(1, 3, 224, 224))
    assert y.shape == (1, 1000)


def test_bad_flag_combinations_raise():
    with pytest.raises(ValueError, match="original"):
        models.alexnet(original=True, small_input=True)
    with pytest.raises(ValueError, match="transform_input"):
        models.googlenet(in_channels=1, transform_input=True)


# -- GoogLeNet auxiliary heads -----------------------------------------------------------------
def test_googlenet_aux_outputs_in_train_and_eval():
    autograd.manual_seed(0)
    model = models.googlenet(num_classes=10, in_channels=1, small_input=True)
    calls = []
    model.aux1.register_forward_hook(lambda m, a, o: calls.append("aux1"))
    model.aux2.register_forward_hook(lambda m, a, o: calls.append("aux2"))
    x = autograd.randn(2, 1, 28, 28)
    with autograd.no_grad():
        out = model.train()(x)
        assert isinstance(out, models.GoogLeNetOutputs)
        assert out._fields == ("logits", "aux_logits2", "aux_logits1")
        assert [t.shape for t in out] == [(2, 10)] * 3
        assert calls == ["aux1", "aux2"]            # aux1 on inception4a runs first
        assert not np.allclose(out.aux_logits1.numpy(force=True), out.aux_logits2.numpy(force=True))
        ev = model.eval()(x)
    assert isinstance(ev, autograd.Tensor) and ev.shape == (2, 10)
    assert calls == ["aux1", "aux2"]                # eval mode skips the auxiliary heads


def test_googlenet_transform_input_rescales_imagenet_normalised_channels():
    model = models.googlenet(aux_logits=False, transform_input=True)
    x = autograd.ones(1, 3, 2, 2)
    got = model._transform_input(x).numpy(force=True)[0, :, 0, 0]
    # torchvision: x_c * (std_c / 0.5) + (mean_c - 0.5) / 0.5
    want = [0.229 / 0.5 + (0.485 - 0.5) / 0.5, 0.224 / 0.5 + (0.456 - 0.5) / 0.5,
            0.225 / 0.5 + (0.406 - 0.5) / 0.5]
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_googlenet_without_aux_returns_logits_in_training():
    model = models.googlenet(num_classes=10, in_channels=1, aux_logits=False, small_input=True)
    assert model.aux1 is None and model.aux2 is None
    with autograd.no_grad():
        y = model.train()(autograd.randn(2, 1, 28, 28))
    assert isinstance(y, autograd.Tensor) and y.shape == (2, 10)


# -- the slides' AlexNet ------------------------------------------------------------------------
def test_alexnet_original_matches_slide_shapes():
    """SLIDES section 5: 227x227x3 -> CONV1 55x55x96 -> POOL1 27x27x96 -> NORM1 -> CONV2
    27x27x256 -> POOL2 13x13x256 -> NORM2 -> CONV3/4 13x13x384 -> CONV5 13x13x256 -> POOL3
    6x6x256 -> FC6 4096 -> FC7 4096 -> FC8."""
    model = models.alexnet(original=True)
    # the slides' ungrouped 96-256-384-384-256 network: conv 11*11*3*96+96, 5*5*96*256+256,
    # 3*3*256*384+384, 3*3*384*384+384, 3*3*384*256+256; FC 9216*4096+4096, ...
    convs = 34_944 + 614_656 + 885_120 + 1_327_488 + 884_992
    fcs = 37_752_832 + 16_781_312 + 4_097_000
    assert n_params(model) == convs + fcs == 62_378_344
    res = nn.summary(model, (3, 227, 227), print_table=False)
    got = [(r.type, r.output_shape) for r in res.layers if r.type != "ReLU"
           and r.name.startswith("features")]
    assert got == [("Conv2d", (96, 55, 55)), ("MaxPool2d", (96, 27, 27)),
                   ("LocalResponseNorm", (96, 27, 27)), ("Conv2d", (256, 27, 27)),
                   ("MaxPool2d", (256, 13, 13)), ("LocalResponseNorm", (256, 13, 13)),
                   ("Conv2d", (384, 13, 13)), ("Conv2d", (384, 13, 13)),
                   ("Conv2d", (256, 13, 13)), ("MaxPool2d", (256, 6, 6))]
    fcs = [r.output_shape for r in res.layers if r.type == "Linear"]
    assert fcs == [(4096,), (4096,), (1000,)]


def test_alexnet_lrn_flag_inserts_two_norms():
    model = models.alexnet(num_classes=10, in_channels=1, lrn=True, small_input=True).eval()
    kinds = [type(m).__name__ for m in model.features]
    assert kinds.count("LocalResponseNorm") == 2
    assert kinds[3] == "LocalResponseNorm" and kinds[7] == "LocalResponseNorm"
    with autograd.no_grad():
        assert model(autograd.randn(2, 1, 28, 28)).shape == (2, 10)


# -- initialisation ---------------------------------------------------------------------------
def test_torchvision_initialisation_statistics():
    autograd.manual_seed(0)
    vgg = models.vgg11(num_classes=10, small_input=True)
    conv = vgg.features[11]                    # 256 -> 512, fan_out = 512 * 9
    assert abs(conv.weight.numpy(force=True).std() - np.sqrt(2 / (512 * 9))) < 0.02 * np.sqrt(2 / 4608)
    assert not conv.bias.numpy(force=True).any()
    fc = vgg.classifier[3]
    assert abs(fc.weight.numpy(force=True).std() - 0.01) < 2e-4 and not fc.bias.numpy(force=True).any()
    res = models.resnet18(zero_init_residual=True)
    assert (res.bn1.weight.numpy(force=True) == 1).all() and not res.bn1.bias.numpy(force=True).any()
    assert not res.layer1[0].bn2.weight.numpy(force=True).any() and (res.layer1[0].bn1.weight.numpy(force=True) == 1).all()
    g = models.googlenet(aux_logits=False)
    w = g.inception4a.branch2[1].conv.weight.numpy(force=True)
    # torchvision today: trunc_normal_(std=0.01, a=-2, b=2), absolute bounds, so ~N(0, 0.01)
    assert np.abs(w).max() <= 2 and abs(w.std() - 0.01) < 5e-4


def test_construction_is_reproducible_under_manual_seed():
    autograd.manual_seed(123)
    a = models.resnet18(num_classes=10)
    autograd.manual_seed(123)
    b = models.resnet18(num_classes=10)
    for (ka, va), (kb, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert ka == kb and np.array_equal(va.numpy(force=True) if hasattr(va, "data") else va,
                                           vb.numpy(force=True) if hasattr(vb, "data") else vb)


# -- gradients through whole networks ----------------------------------------------------------
def _grads_everywhere(model, x, target):
    loss = F.cross_entropy(model(x), target)
    loss.backward()
    for name, p in model.named_parameters():
        assert p.grad is not None, name
        assert p.grad.shape == p.shape and np.isfinite(p.grad.numpy(force=True)).all(), name
    return loss


def test_lenet5_backward_every_parameter_and_numerically_right():
    autograd.manual_seed(0)
    model = models.lenet5().double()
    x = autograd.randn(2, 1, 28, 28, dtype=np.float64)
    target = autograd.tensor([3, 7])
    _grads_everywhere(model, x, target)
    # central differences on a few weights of each layer (float64)
    rng = np.random.default_rng(0)
    for name, p in model.named_parameters():
        idx = tuple(rng.integers(0, s) for s in p.shape)
        old = p.numpy(force=True)[idx]
        vals = []
        for h in (1e-6, -1e-6):
            p.numpy(force=True)[idx] = old + h
            with autograd.no_grad():
                vals.append(F.cross_entropy(model(x), target).item())
        p.numpy(force=True)[idx] = old
        numeric = (vals[0] - vals[1]) / 2e-6
        assert abs(numeric - p.grad.numpy(force=True)[idx]) < 1e-5 + 1e-4 * abs(numeric), name


def test_resnet18_backward_reaches_every_parameter():
    autograd.manual_seed(0)
    model = models.resnet18(num_classes=10, in_channels=1)
    _grads_everywhere(model, autograd.randn(2, 1, 28, 28), autograd.tensor([1, 4]))
    # the stem gets a non-zero signal through all four stages and the shortcuts
    assert np.abs(model.conv1.weight.grad.numpy(force=True)).sum() > 0


# -- the slides' other two networks ------------------------------------------------------------
def test_pilotnet_shapes_and_parameter_count():
    """Bojarski et al. 2016: 66x200 -> 24@31x98 -> 36@14x47 -> 48@5x22 -> 64@3x20 -> 64@1x18;
    about 250 thousand parameters."""
    model = models.pilotnet()
    convs = 1_824 + 21_636 + 43_248 + 27_712 + 36_928     # (k*k*c_in + 1) * c_out each
    assert n_params(model) == convs + 115_300 + 5_050 + 510 + 11 == 252_219
    res = nn.summary(model, (3, 66, 200), print_table=False)
    assert [r.output_shape for r in res.layers if r.type == "Conv2d"] == [
        (24, 31, 98), (36, 14, 47), (48, 5, 22), (64, 3, 20), (64, 1, 18)]
    assert res.output_shape == (1,)


def test_text_cnn_max_over_time_and_gradients():
    autograd.manual_seed(0)
    model = models.text_cnn(50, num_classes=3, embed_dim=8, kernel_sizes=(2, 3), num_filters=4,
                            dropout=0.0)
    tokens = autograd.randint(0, 50, (5, 9))
    y = model(tokens)
    assert y.shape == (5, 3)
    y.sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    # max over time: appending tokens can only keep or raise each pooled feature
    feats = lambda t: np.concatenate(  # noqa: E731
        [model.relu(c(model.embedding(t).transpose(1, 2))).amax(2).numpy(force=True) for c in model.convs], 1)
    longer = autograd.tensor(np.concatenate([tokens.numpy(force=True), tokens.numpy(force=True)[:, :3]], 1))
    with autograd.no_grad():
        assert (feats(longer) >= feats(tokens) - 1e-6).all()
    with pytest.raises(ValueError, match="L >= 3"):
        model(autograd.randint(0, 50, (5, 2)))


# -- torchvision's builder arguments and child order ---------------------------------------
@pytest.mark.parametrize("name", ["alexnet", "vgg11", "vgg16_bn", "resnet18", "resnet50",
                                  "densenet121", "googlenet"])
def test_builders_refuse_pretrained_weights_clearly(name):
    build = getattr(models, name)
    for bad in (dict(weights="IMAGENET1K_V1"), dict(weights="DEFAULT"), dict(pretrained=True)):
        with pytest.raises(ValueError, match="no pretrained weights can be downloaded"):
            build(**bad)


def test_builders_take_weights_none_and_progress():
    model = models.resnet18(weights=None, progress=False, num_classes=3)
    assert model.fc.out_features == 3
    assert models.googlenet(pretrained=False, aux_logits=False).aux1 is None   # old spelling


def test_weight_enums_name_the_missing_weights():
    with pytest.raises(AttributeError, match="no pretrained weights"):
        models.ResNet18_Weights
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        models.nonexistent


def test_children_are_registered_in_torchvision_order():
    # torchvision 0.2x's named_children() of these models
    assert [n for n, _ in models.resnet18().named_children()] == [
        "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool",
        "fc"]
    assert [n for n, _ in models.resnet18(small_input=True).named_children()][:4] == [
        "conv1", "bn1", "relu", "maxpool"]
    assert [n for n, _ in models.densenet121().named_children()] == ["features", "classifier"]
    assert [n for n, _ in models.googlenet().aux1.named_children()] == ["conv", "fc1", "fc2",
                                                                        "dropout"]
