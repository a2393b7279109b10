"""Two smaller networks the slides mention besides the ImageNet ones.

* ``TextCNN``: CNN for sentence classification [Kim 2014, "Convolutional neural networks for
  sentence classification"]: word embeddings, 1-D convolutions of several widths over time
  (3, 4, 5 words; 100 maps each), ReLU, max-over-time pooling, dropout 0.5, one Linear.
* ``PilotNet``: end-to-end steering [Bojarski et al. 2016, "End to end learning for
  self-driving cars"]: one front-camera image (3 x 66 x 200, YUV in the paper) -> five convs
  (24@5x5/2, 36@5x5/2, 48@5x5/2, 64@3x3, 64@3x3) -> FC 100, 50, 10 -> one steering value;
  252,219 parameters (the paper's "about 250 thousand"). The paper's fixed normalisation
  layer is left to the data pipeline; its nonlinearity is unspecified, ReLU is used.
"""

import autograd
import nn

__all__ = ["TextCNN", "text_cnn", "PilotNet", "pilotnet"]


class TextCNN(nn.Module):
    """Kim (2014) CNN-rand/static architecture.

    Input: token ids, int64, shape (N, L) with L >= max(kernel_sizes). Output: (N, num_classes)
    logits. Per width k: Conv1d(embed_dim, num_filters, k) over the (N, embed_dim, L)
    embedded sequence, ReLU, max over the L - k + 1 positions; the len(kernel_sizes) *
    num_filters features are concatenated, dropped out and classified.

    Parameters
    ----------
    vocab_size : int
    num_classes : int
    embed_dim : int
        300 in the paper (word2vec vectors).
    kernel_sizes : tuple of int
    num_filters : int
    dropout : float
    padding_idx : int, optional
        Embedding row kept at zero for padding tokens.

    Raises
    ------
    ValueError
        Sequences shorter than the widest filter (from the forward pass), empty kernel_sizes.
    """

    def __init__(self, vocab_size, num_classes=2, embed_dim=300, kernel_sizes=(3, 4, 5),
                 num_filters=100, dropout=0.5, padding_idx=None):
        super().__init__()
        if not kernel_sizes:
            raise ValueError("TextCNN: kernel_sizes must not be empty")
        self.kernel_sizes = tuple(int(k) for k in kernel_sizes)
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=padding_idx)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, num_filters, k)
                                    for k in self.kernel_sizes])
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(len(self.kernel_sizes) * num_filters, num_classes)

    def forward(self, tokens):
        """tokens : Tensor, int64, shape=(N, L) -> logits, shape=(N, num_classes)."""
        if tokens.ndim != 2 or tokens.shape[1] < max(self.kernel_sizes):
            raise ValueError(f"TextCNN: expected token ids of shape (N, L) with L >= "
                             f"{max(self.kernel_sizes)}, got shape {tuple(tokens.shape)}")
        x = self.embedding(tokens).transpose(1, 2)        # (N, embed_dim, L)
        pooled = [self.relu(conv(x)).amax(2) for conv in self.convs]   # max over time
        return self.fc(self.dropout(autograd.cat(pooled, 1)))


def text_cnn(vocab_size, num_classes=2, **kwargs):
    """Kim (2014) sentence-classification CNN; see :class:`TextCNN`."""
    return TextCNN(vocab_size, num_classes=num_classes, **kwargs)


class PilotNet(nn.Module):
    """NVIDIA's PilotNet: (N, in_channels, 66, 200) camera images -> (N, num_outputs) steering.

    Shapes per image: 3x66x200 -> 24x31x98 -> 36x14x47 -> 48x5x22 -> 64x3x20 -> 64x1x18 ->
    1152 -> 100 -> 50 -> 10 -> num_outputs.
    """

    def __init__(self, num_outputs=1, in_channels=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 24, kernel_size=5, stride=2), nn.ReLU(inplace=True),
            nn.Conv2d(24, 36, kernel_size=5, stride=2), nn.ReLU(inplace=True),
            nn.Conv2d(36, 48, kernel_size=5, stride=2), nn.ReLU(inplace=True),
            nn.Conv2d(48, 64, kernel_size=3), nn.ReLU(inplace=True),
            nn.Conv2d(64, 64, kernel_size=3), nn.ReLU(inplace=True),
        )
        self.regressor = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64 * 1 * 18, 100), nn.ReLU(inplace=True),
            nn.Linear(100, 50), nn.ReLU(inplace=True),
            nn.Linear(50, 10), nn.ReLU(inplace=True),
            nn.Linear(10, num_outputs),
        )

    def forward(self, x):
        """x : Tensor, shape=(N, in_channels, 66, 200) -> shape=(N, num_outputs)."""
        return self.regressor(self.features(x))


def pilotnet(num_outputs=1, in_channels=3):
    """Bojarski et al. (2016) end-to-end steering network; see :class:`PilotNet`."""
    return PilotNet(num_outputs=num_outputs, in_channels=in_channels)
