"""The ufunc table is the one statement of each elementwise op: docs and classes come from it."""

import pathlib
import re

import numpy as np
import pytest

import autograd as ag
from autograd.ops import ufuncs

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs" / "ops.md"


def test_docs_table_is_printed_from_the_rows():
    assert ufuncs.table_markdown() in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("cls", ufuncs.ROWS, ids=lambda c: c.__name__)
def test_each_row_states_its_rule_once_and_its_methods_record_it(cls):
    assert cls.__doc__.count(cls.rule) == 1            # the rule text appears once, from the row
    x = ag.tensor(np.array([0.5, 1.5]), requires_grad=True)
    for name in re.findall(r"`([a-z_.]+)`", cls.methods):
        if name.startswith("nn."):
            continue
        method = getattr(x, name)
        out = method(x) if cls.arity == 2 else method(2.0) if cls is ufuncs.PowScalar else method()
        assert type(out.grad_fn) is cls, (name, out.grad_fn)
