"""autograd.port: PyTorch import statements rewritten to this framework's modules, every other
line byte-identical; the command line on files and directories."""

import pytest

from autograd.port import PortError, check_port, import_lines, main, map_module, port_source

# (PyTorch source, ported source): one import form each, as real scripts write them
CASES = [
    ("import torch\n", "import autograd as torch\n"),
    ("import torch as th\n", "import autograd as th\n"),
    ("import torch.nn as nn\n", "import nn\n"),
    ("import torch.nn.functional as F\n", "import nn.functional as F\n"),
    ("import torch.nn.init as init\n", "import nn.init as init\n"),
    ("import torch.optim as optim\n", "import nn.optim as optim\n"),
    ("import torch.utils.data as data\n", "import nn.data as data\n"),
    ("import torch.autograd as autograd\n", "import autograd\n"),
    ("import torch.backends.cudnn as cudnn\n", "import autograd.backends.cudnn as cudnn\n"),
    ("import torchvision.datasets as dset\n", "import nn.data.datasets as dset\n"),
    ("import torchvision.transforms as transforms\n", "import nn.data.transforms as transforms\n"),
    ("import torchvision.utils as vutils\n", "import nn.data.utils as vutils\n"),
    ("import torchvision.models as models\n", "import nn.models as models\n"),
    ("import torchvision\n", "import nn.vision as torchvision\n"),
    # `import torch.X` binds the name torch and loads torch.X
    ("import torch.nn\n", 'import autograd as torch; __import__("nn")\n'),
    ("import torch.utils.data\n", 'import autograd as torch; __import__("nn.data")\n'),
    ("import torch.nn.parallel\n", 'import autograd as torch; __import__("nn.parallel")\n'),
    ("import torch.autograd\n", "import autograd as torch\n"),
    ("import torchvision.transforms\n",
     'import nn.vision as torchvision; __import__("nn.data.transforms")\n'),
    ("import torch, torchvision\n", "import autograd as torch, nn.vision as torchvision\n"),
    ("import torch, torch.nn, os\n", 'import autograd as torch, os; __import__("nn")\n'),
    ("import os, torch, numpy as np\n", "import os, autograd as torch, numpy as np\n"),
    ("from torch import nn\n", "import nn\n"),
    ("from torch import nn, optim\n", "import nn; from nn import optim\n"),
    ("from torch import nn as tnn\n", "import nn as tnn\n"),
    ("from torch import autograd\n", "import autograd\n"),
    ("from torch import Tensor, nn\n", "from autograd import Tensor; import nn\n"),
    ("from torch.nn import functional as F\n", "from nn import functional as F\n"),
    ("from torch.nn import Module, Linear\n", "from nn import Module, Linear\n"),
    ("from torch.utils.data import DataLoader\n", "from nn.data import DataLoader\n"),
    ("from torch.utils.data import Dataset, DataLoader, TensorDataset\n",
     "from nn.data import Dataset, DataLoader, TensorDataset\n"),
    ("from torch.utils import data\n", "from nn import data\n"),
    ("from torch.optim.lr_scheduler import StepLR\n", "from nn.optim.lr_scheduler import StepLR\n"),
    ("from torch.optim import lr_scheduler\n", "from nn.optim import lr_scheduler\n"),
    ("from torch.autograd import Function, Variable\n",
     "from autograd import Function, Variable\n"),
    ("from torchvision import datasets, transforms\n",
     "from nn.data import datasets, transforms\n"),
    ("from torchvision import datasets, models, transforms\n",
     "from nn.data import datasets; from nn import models; from nn.data import transforms\n"),
    ("from torchvision.transforms import ToTensor, Lambda, Compose\n",
     "from nn.data.transforms import ToTensor, Lambda, Compose\n"),
    ("from torchvision.utils import save_image\n", "from nn.data.utils import save_image\n"),
    ("from torchvision.io import read_image\n", "from nn.data.io import read_image\n"),
    ("from torchvision.datasets.folder import default_loader\n",
     "from nn.data.datasets.folder import default_loader\n"),
    ("import torchvision.transforms.functional as TF\n",
     "import nn.data.transforms.functional as TF\n"),
    ("from torchvision.models import resnet18\n", "from nn.models import resnet18\n"),
    ("from torch import *\n", "from autograd import *\n"),
    # comments, indentation, several statements on a line
    ("import torch  # the framework\n", "import autograd as torch  # the framework\n"),
    ("x = 1; import torch; y = 2\n", "x = 1; import autograd as torch; y = 2\n"),
    ("if True: import torch.nn\n", 'if True: import autograd as torch; __import__("nn")\n'),
    ("def f():\n    import torch.nn as nn\n    return nn\n",
     "def f():\n    import nn\n    return nn\n"),
    ("try:\n    import torchvision\nexcept ImportError:\n    torchvision = None\n",
     "try:\n    import nn.vision as torchvision\nexcept ImportError:\n    torchvision = None\n"),
    ("if True: from torch import nn, optim\n", "if True: import nn; from nn import optim\n"),
    ("import torch\r\nx = torch.ones(2)\r\n", "import autograd as torch\r\nx = torch.ones(2)\r\n"),
    # multi-line imports keep their line count and their comments
    ("from torch.utils.data import (DataLoader,\n                              Dataset)\nx = 1\n",
     "from nn.data import DataLoader, Dataset\n\nx = 1\n"),
    ("from torchvision import (datasets,  # data\n                         models)    # zoo\n",
     "from nn.data import datasets; from nn import models  # data\n# zoo\n"),
    ("from torch.nn import \\\n    Linear\n", "from nn import Linear\n\n"),
    # not PyTorch's: untouched
    ("import numpy as np\n", "import numpy as np\n"),
    ("import torchaudio\n", "import torchaudio\n"),
    ("from . import torch\n", "from . import torch\n"),
    ("from __future__ import print_function\n", "from __future__ import print_function\n"),
    ("s = 'import torch'\n", "s = 'import torch'\n"),
]


@pytest.mark.parametrize("source, expected", CASES)
def test_port_source_rewrites_each_import_form(source, expected):
    assert port_source(source) == expected


def test_map_module_longest_prefix():
    assert map_module("torch") == "autograd"
    assert map_module("torch.nn.functional") == "nn.functional"
    assert map_module("torch.nn.utils.rnn") == "nn.utils.rnn"
    assert map_module("torch.utils.data.sampler") == "nn.data.sampler"
    assert map_module("torch.utils.checkpoint") == "autograd.utils.checkpoint"
    assert map_module("torch.cuda") == "autograd.cuda"
    assert map_module("torchvision.transforms.functional") == "nn.data.transforms.functional"
    assert map_module("torchaudio") is None
    assert map_module("torchx") is None


PROGRAM = '''\
"""A docstring that mentions import torch."""
from __future__ import print_function
import argparse
import torch
import torch.nn as nn   # layers
import torch.nn.functional as F
from torchvision import datasets, transforms
from torch.optim.lr_scheduler import StepLR


class Net(nn.Module):
    def forward(self, x):
        import torch.optim as optim
        return F.relu(torch.flatten(x, 1))  # torch.nn stays


def main():
    loader = torch.utils.data.DataLoader(datasets.MNIST('../data'), batch_size=64)
'''


def test_only_import_lines_change_and_the_rest_is_byte_identical():
    ported = port_source(PROGRAM)
    before, after = PROGRAM.splitlines(True), ported.splitlines(True)
    assert len(before) == len(after)
    changed = [i + 1 for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert changed == [4, 5, 6, 7, 8, 13]
    assert import_lines(PROGRAM) == {4, 5, 6, 7, 8, 13}
    assert after[4] == "import nn   # layers\n"
    assert after[12] == "        import nn.optim as optim\n"
    check_port(PROGRAM, ported)             # the check the port itself ran
    assert port_source(ported) == ported    # a ported script has nothing left to port


def test_check_port_fails_loudly_when_another_line_changed():
    ported = port_source(PROGRAM).replace("torch.flatten(x, 1)", "torch.flatten(x, 2)")
    with pytest.raises(PortError, match=r"line 14 is not an import line but changed"):
        check_port(PROGRAM, ported)
    with pytest.raises(PortError, match="line count changed from 18 to 19"):
        check_port(PROGRAM, port_source(PROGRAM) + "\n")
    with pytest.raises(PortError, match="rewritten source does not parse"):
        check_port("import torch\n", "import autograd as\n")


def test_unparsable_source_is_an_error():
    with pytest.raises(PortError, match="the source does not parse"):
        port_source("import torch\ndef f(:\n")


def test_command_line_file_directory_and_stdout(tmp_path, capsys):
    src = tmp_path / "train.py"
    src.write_text("import torch\nprint(torch.ones(2))\n")
    out = tmp_path / "ported.py"
    assert main([str(src), str(out)]) == 0
    assert out.read_text() == "import autograd as torch\nprint(torch.ones(2))\n"

    tree = tmp_path / "project"
    (tree / "pkg").mkdir(parents=True)
    (tree / "pkg" / "model.py").write_text("from torch import nn\n")
    (tree / "notes.txt").write_text("import torch\n")
    dst = tmp_path / "out"
    assert main([str(tree), str(dst)]) == 0
    assert (dst / "pkg" / "model.py").read_text() == "import nn\n"
    assert (dst / "notes.txt").read_text() == "import torch\n"        # copied, not rewritten

    assert main([str(src), str(tree / "pkg" / "model.py"), str(tmp_path / "many")]) == 0
    assert sorted(p.name for p in (tmp_path / "many").iterdir()) == ["model.py", "train.py"]

    assert main([str(src), "-"]) == 0
    assert capsys.readouterr().out == "import autograd as torch\nprint(torch.ones(2))\n"
    assert main(["--diff", str(src), "-"]) == 0
    diff = capsys.readouterr().out
    changed = [line for line in diff.splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-import torch", "+import autograd as torch"]


def test_command_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    bad.write_text("import torch\ndef f(:\n")
    assert main([str(bad), str(tmp_path / "x.py")]) == 1
    assert "bad.py: port: the source does not parse" in capsys.readouterr().err
    assert not (tmp_path / "x.py").exists()
    with pytest.raises(SystemExit):
        main([str(tmp_path / "missing.py"), str(tmp_path / "y.py")])
    with pytest.raises(SystemExit):
        main([str(bad)])


def test_source_encoding_is_kept(tmp_path):
    src = tmp_path / "latin.py"
    src.write_bytes(b"# -*- coding: latin-1 -*-\nimport torch\ns = '\xe9'\n")
    out = tmp_path / "out.py"
    assert main([str(src), str(out)]) == 0
    assert out.read_bytes() == b"# -*- coding: latin-1 -*-\nimport autograd as torch\ns = '\xe9'\n"
