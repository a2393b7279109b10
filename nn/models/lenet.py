"""LeNet-5 [LeCun, Bottou, Bengio and Haffner 1998, "Gradient-based learning applied to document
recognition"], the slides' CONV-POOL-CONV-POOL-FC-FC network for handwritten digits.

Modern variant (as most re-implementations, and the slides' later architectures): ReLU instead
of the scaled tanh, max pooling instead of the trainable average "subsampling", and a plain
linear output layer instead of the RBF units. The geometry is the paper's: 32x32 inputs
(MNIST's 28x28 digits padded by 2, done here by conv1's ``padding=2``), 5x5 filters at stride 1,
2x2 pooling at stride 2, C1 = 6 maps, C3 = 16 maps (fully connected to S2, not the paper's
sparse table), C5/F6/output = 120/84/num_classes units.
"""

import nn

__all__ = ["LeNet5", "lenet5"]


class LeNet5(nn.Module):
    """LeNet-5 for (N, in_channels, 28, 28) images (or 32x32 with ``padding=0``).

    Layers (28x28 input, shapes per image as C x H x W)::

        conv1  Conv2d(in, 6, 5, padding=2)  -> 6 x 28 x 28   (the paper's C1 on a 32x32 input)
        pool1  MaxPool2d(2, 2)              -> 6 x 14 x 14   (S2)
        conv2  Conv2d(6, 16, 5)             -> 16 x 10 x 10  (C3)
        pool2  MaxPool2d(2, 2)              -> 16 x 5 x 5    (S4)
        fc1    Linear(400, 120)                              (C5)
        fc2    Linear(120, 84)                               (F6)
        fc3    Linear(84, num_classes)                       (output)

    ReLU follows every layer but the last. 61,706 parameters for in_channels=1, num_classes=10.

    Parameters
    ----------
    num_classes : int
    in_channels : int
    padding : int
        conv1's zero padding: 2 for 28x28 inputs (default), 0 for already padded 32x32 ones.
    """

    def __init__(self, num_classes=10, in_channels=1, padding=2):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 6, kernel_size=5, padding=padding)
        self.pool1 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)
        self.pool2 = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, num_classes)
        self.relu = nn.ReLU()

    def forward(self, x):
        """x : Tensor, shape=(N, in_channels, 28, 28) -> logits, shape=(N, num_classes)."""
        x = self.pool1(self.relu(self.conv1(x)))
        x = self.pool2(self.relu(self.conv2(x)))
        x = self.flatten(x)
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        return self.fc3(x)


def lenet5(num_classes=10, in_channels=1, **kwargs):
    """LeNet-5 (modern ReLU/max-pool variant) for 28x28 inputs; see :class:`LeNet5`."""
    return LeNet5(num_classes=num_classes, in_channels=in_channels, **kwargs)
