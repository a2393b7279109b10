"""What the network learned, as matplotlib figures: feature maps, filters, history, confusions.

Every function returns a ``matplotlib.figure.Figure`` (built without pyplot, so no display,
no backend and no global figure list is involved; it has ``_repr_png_``, so a plain Jupyter
notebook shows it inline, no magics needed) and saves it to ``path`` when one is given. The
saved image is exactly ``figsize * dpi`` pixels (no tight bbox), so a figure's size is
predictable. matplotlib is imported on first use, not with ``viz``.
"""

import numpy as np

from autograd import Tensor, no_grad

__all__ = ["plot_feature_maps", "plot_filters", "plot_history", "plot_confusion_matrix"]


def _figure(figsize, dpi):
    try:
        from ._inline import InlineFigure
    except ImportError as exc:  # pragma: no cover - matplotlib is a declared viz dependency
        raise ImportError("viz plots need matplotlib: pip install matplotlib") from exc
    return InlineFigure(figsize=figsize, dpi=dpi)


def _save(fig, path):
    if path is not None:
        fig.savefig(path, dpi=fig.dpi)
    return fig


def _array(x, what):
    if isinstance(x, Tensor):
        return np.asarray(x.detach().numpy())
    try:
        return np.asarray(x)
    except Exception as exc:
        raise TypeError(f"{what}: expected a Tensor or array, got {type(x).__name__}") from exc


def _grid(n, cols):
    cols = max(1, min(n, cols))
    return (n + cols - 1) // cols, cols


def _hide(ax):
    ax.set_xticks([])
    ax.set_yticks([])


#: Default figures fit a 900 px column at dpi 100 (9 inches), and no text is smaller than 9 pt:
#: legible where README and docs pictures are shown.
MAX_WIDTH_IN = 8.8
MIN_FONT = 9

_MAP_LAYERS = ("Conv", "ReLU", "Pool", "LeakyReLU", "Tanh", "Sigmoid", "BatchNorm")


def plot_feature_maps(model, image, layers=None, max_channels=8, path=None, figsize=None,
                      dpi=100, cmap="gray"):
    """The image after each convolution / ReLU / pooling layer: the slides' stack of
    filtered images (section 3), captured with forward hooks during one forward pass.

    Parameters
    ----------
    model : nn.Module
    image : Tensor or array, shape (C, H, W) or (1, C, H, W)
        One image; the model runs on it under ``no_grad``.
    layers : sequence of str, optional
        Qualified module names to show (``["conv1", "pool1"]``). Default: every module whose
        class name contains Conv, ReLU, Pool, Tanh, Sigmoid or BatchNorm and whose output is
        a (1, C, H, W) map.
    max_channels : int
        Channels shown per layer (the first ones).
    path : str, optional
        Save the figure there (format from the suffix).
    figsize : (float, float), optional
        Inches; default: cells of up to 1.3 inches, at most ``MAX_WIDTH_IN`` (8.8) wide.
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure
        One row per layer: the input first, then each layer's first channels.

    Raises
    ------
    ValueError
        For an image that is not 3-D or a single 4-D image, an unknown layer name, or a
        model with no matching layer.
    """
    img = _array(image, "plot_feature_maps")
    if img.ndim == 3:
        img = img[None]
    if img.ndim != 4 or img.shape[0] != 1:
        raise ValueError(f"plot_feature_maps: image must have shape (C, H, W) or (1, C, H, W), "
                         f"got {tuple(img.shape)}")
    modules = dict(model.named_modules())
    if layers is not None:
        missing = [n for n in layers if n not in modules]
        if missing:
            raise ValueError(f"plot_feature_maps: no module named {missing} in "
                             f"{type(model).__name__} (have {sorted(k for k in modules if k)})")
    captured, handles = [], []

    def hook(name):
        def fn(module, args, output):
            if isinstance(output, Tensor) and output.ndim == 4:
                captured.append((name, type(module).__name__, np.array(output.detach().numpy()[0])))
        return fn

    for name, module in modules.items():
        wanted = (name in layers) if layers is not None else (
            name and any(k in type(module).__name__ for k in _MAP_LAYERS))
        if wanted:
            handles.append(module.register_forward_hook(hook(name)))
    try:
        with no_grad():
            model(Tensor(img.astype(np.float32, copy=False)))
    finally:
        for h in handles:
            h.remove()
    if not captured:
        raise ValueError(f"plot_feature_maps: no conv/ReLU/pool layer of {type(model).__name__} "
                         "produced a (1, C, H, W) map; pass layers=[...]")

    rows = [("input", "image", img[0])] + captured
    cols = max_channels
    cell = min(1.3, MAX_WIDTH_IN / (cols + 1))      # at most a 900 px column wide at dpi 100
    fig = _figure(figsize or (cell * (cols + 1), cell * len(rows) + 0.35), dpi)
    axes = fig.subplots(len(rows), cols + 1, squeeze=False)
    for r, (name, kind, maps) in enumerate(rows):
        label = axes[r][0]
        label.axis("off")
        label.text(0.95, 0.5, f"{name}\n{kind}\n{'x'.join(map(str, maps.shape))}",
                   ha="right", va="center", fontsize=MIN_FONT, transform=label.transAxes)
        for c in range(cols):
            ax = axes[r][c + 1]
            _hide(ax)
            if c < maps.shape[0]:
                ax.imshow(maps[c], cmap=cmap, interpolation="nearest")
            else:
                ax.axis("off")
    fig.suptitle(f"feature maps of {type(model).__name__}", fontsize=11)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=1 - 0.4 / fig.get_figheight(),
                        wspace=0.08,
                        hspace=0.12)
    return _save(fig, path)


def plot_filters(conv_layer_or_weight, max_filters=64, path=None, figsize=None, dpi=100,
                 cmap="gray", cols=8):
    """The learned filters of a convolution layer, one small image per filter.

    Parameters
    ----------
    conv_layer_or_weight : nn.Conv2d (anything with ``.weight``), Tensor or array
        Weight of shape (out_channels, in_channels, kH, kW). Three input channels are shown
        as colour images (each filter scaled to [0, 1]); otherwise one grey image per filter
        and input channel (up to 8 input channels).
    max_filters : int
    path : str, optional
    figsize : (float, float), optional
    dpi : int
    cmap : str
    cols : int
        Images per row.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        When the weight is not 4-D.
    """
    w = getattr(conv_layer_or_weight, "weight", conv_layer_or_weight)
    w = _array(w, "plot_filters")
    if w.ndim != 4:
        raise ValueError(f"plot_filters: expected a weight of shape (out_channels, in_channels, "
                         f"kH, kW), got {tuple(w.shape)}")
    w = w[:max_filters].astype(np.float64)
    rgb = w.shape[1] == 3
    if rgb:
        images = []
        for f in w:
            lo, hi = f.min(), f.max()
            images.append(((f - lo) / (hi - lo if hi > lo else 1.0)).transpose(1, 2, 0))
        titles = [f"{i}" for i in range(len(images))]
    else:
        per = min(w.shape[1], 8)
        images = [w[i, j] for i in range(w.shape[0]) for j in range(per)]
        titles = [f"{i}.{j}" if per > 1 else f"{i}" for i in range(w.shape[0])
                  for j in range(per)]
        cols = per if per > 1 else cols
    n_rows, n_cols = _grid(len(images), cols)
    fig = _figure(figsize or (1.1 * n_cols, 1.2 * n_rows + 0.4), dpi)
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    vmax = np.abs(w).max() or 1.0
    for k, ax in enumerate(axes.flat):
        _hide(ax)
        if k >= len(images):
            ax.axis("off")
            continue
        if rgb:
            ax.imshow(images[k], interpolation="nearest")
        else:   # one symmetric scale for all filters: sign and size are comparable
            ax.imshow(images[k], cmap=cmap, vmin=-vmax, vmax=vmax, interpolation="nearest")
        ax.set_title(titles[k], fontsize=MIN_FONT)
    fig.suptitle(f"{w.shape[0]} filters of {w.shape[1]}x{w.shape[2]}x{w.shape[3]}", fontsize=11)
    return _save(fig, path)


def plot_history(history, path=None, figsize=(8.8, 3.6), dpi=100):
    """Loss and accuracy per epoch.

    Parameters
    ----------
    history : dict of str -> sequence of float
        ``{"train_loss": [...], "test_loss": [...], "train_accuracy": [...], ...}``; keys
        containing ``loss`` go to the left plot, the others (accuracy, ...) to the right.
    path : str, optional
    figsize : (float, float)
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an empty history.
    TypeError
        When ``history`` is not a mapping of sequences.
    """
    if not hasattr(history, "items"):
        raise TypeError(f"plot_history: expected a dict of lists, got {type(history).__name__}")
    series = {k: np.asarray(v, dtype=np.float64) for k, v in history.items() if len(v)}
    if not series:
        raise ValueError("plot_history: the history is empty")
    losses = {k: v for k, v in series.items() if "loss" in k.lower()}
    others = {k: v for k, v in series.items() if k not in losses}
    panels = [(p, t) for p, t in ((losses, "loss"), (others, "accuracy")) if p]
    fig = _figure(figsize, dpi)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (panel, title) in zip(axes, panels):
        for k, v in panel.items():
            ax.plot(np.arange(1, len(v) + 1), v, marker="o", markersize=3, label=k)
        ax.set_xlabel("epoch")
        ax.set_title(title if title == "loss" else ", ".join(panel))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=MIN_FONT)
    fig.tight_layout()
    return _save(fig, path)


def plot_confusion_matrix(y_true, y_pred, class_names=None, normalize=False, path=None,
                          figsize=None, dpi=100, cmap="Blues"):
    """The confusion matrix: row = true class, column = predicted class, cell = count.

    Parameters
    ----------
    y_true, y_pred : Tensor or array of int, shape (N,)
    class_names : sequence of str, optional
        Default: ``0 .. K-1`` with K = 1 + the largest label seen.
    normalize : bool
        Divide each row by its count (the per-class recall on the diagonal).
    path : str, optional
    figsize : (float, float), optional
    dpi : int
    cmap : str

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.matrix`` holds the (K, K) counts (or fractions).

    Raises
    ------
    ValueError
        For shapes that differ, negative labels or labels beyond ``class_names``.
    """
    t = _array(y_true, "plot_confusion_matrix").reshape(-1)
    p = _array(y_pred, "plot_confusion_matrix").reshape(-1)
    if t.shape != p.shape:
        raise ValueError(f"plot_confusion_matrix: y_true has {t.size} labels, y_pred {p.size}")
    t, p = t.astype(np.int64), p.astype(np.int64)
    k = len(class_names) if class_names is not None else int(max(t.max(initial=0),
                                                                 p.max(initial=0)) + 1)
    if t.size and (min(t.min(), p.min()) < 0 or max(t.max(), p.max()) >= k):
        raise ValueError(f"plot_confusion_matrix: labels must lie in [0, {k}), got "
                         f"[{min(t.min(), p.min())}, {max(t.max(), p.max())}]")
    m = np.zeros((k, k), dtype=np.float64)
    np.add.at(m, (t, p), 1)
    if normalize:
        m = m / np.maximum(m.sum(axis=1, keepdims=True), 1)
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    size = min(MAX_WIDTH_IN - 1, max(4.0, 0.55 * k + 2))
    fig = _figure(figsize or (size + 1, size), dpi)
    ax = fig.subplots()
    im = ax.imshow(m, cmap=cmap)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    ax.set_xticks(range(k), names, rotation=45, ha="right", fontsize=MIN_FONT)
    ax.set_yticks(range(k), names, fontsize=MIN_FONT)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    if k <= 20:
        hi = m.max() or 1
        for i in range(k):
            for j in range(k):
                text = f"{m[i, j]:.2f}" if normalize else f"{int(m[i, j])}"
                ax.text(j, i, text, ha="center", va="center",
                        fontsize=MIN_FONT if k <= 12 else 7,
                        color="white" if m[i, j] > hi / 2 else "black")
    acc = np.trace(m) / m.sum() if not normalize and m.sum() else None
    ax.set_title("confusion matrix" + (f" (accuracy {acc:.1%})" if acc is not None else ""))
    fig.tight_layout()
    fig.matrix = m
    return _save(fig, path)
