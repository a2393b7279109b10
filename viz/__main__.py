"""Command line: draw a zoo model's graph.

    python -m viz lenet5 --input-shape 1,1,28,28 -o lenet.svg
    python -m viz resnet50 --collapse 2 -o resnet50.svg          # one node per residual block
    python -m viz lenet5 --backward --collapse -o lenet_grads.png  # gradient magnitudes
    python -m viz text_cnn                                      # token ids (1, 32), vocab 1000

Every model ``--list`` prints draws with its default input (``MODELS``); the summary line says
when only the ``--max-nodes`` nodes nearest the output were drawn.
"""

import argparse
import sys
import time


def _shape(text):
    try:
        dims = tuple(int(d) for d in text.replace("x", ",").split(",") if d.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a shape: {text!r} (expected e.g. 1,3,224,224)")
    if not dims or any(d < 1 for d in dims):
        raise argparse.ArgumentTypeError(f"not a shape: {text!r} (positive integers)")
    return dims


def _collapse(text):
    if text.lower() in ("true", "leaf", "layers"):
        return True
    try:
        depth = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--collapse takes a depth (0, 1, 2, ...) or 'leaf', "
                                         f"got {text!r}")
    if depth < 0:
        raise argparse.ArgumentTypeError("--collapse depth must be >= 0")
    return depth


#: Per model: the default input shape, the constructor's required arguments, and for models of
#: token ids the vocabulary size (their input is random ids in [0, vocab)). Others: 1,3,224,224.
MODELS = {
    "lenet5": {"input_shape": (1, 1, 28, 28)},
    "pilotnet": {"input_shape": (1, 3, 66, 200)},            # NVIDIA's 66x200 camera frames
    "text_cnn": {"input_shape": (1, 32), "kwargs": {"vocab_size": 1000}, "tokens": 1000},
}
DEFAULT_INPUT = (1, 3, 224, 224)


def _max_nodes(text):
    if text.lower() in ("all", "none", "0"):
        return None
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--max-nodes takes a positive number or 'all', "
                                         f"got {text!r}")
    if n < 1:
        raise argparse.ArgumentTypeError("--max-nodes must be >= 1 (or 'all')")
    return n


def _model_arg(text):
    """``NAME=VALUE`` with a Python literal value (``small_input=True``, ``vocab_size=5000``)."""
    import ast
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise argparse.ArgumentTypeError(f"--model-arg takes NAME=VALUE, got {text!r}")
    try:
        return name, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return name, value                     # a bare word: a string


def _zoo():
    import nn.models
    return sorted(n for n in nn.models.__all__ if n[:1].islower())


def build_parser():
    """The argparse parser of ``python -m viz`` (model name, --input-shape, -o, --backward, ...)."""
    p = argparse.ArgumentParser(
        prog="python -m viz",
        description="Draw the computation graph of a model from the zoo (nn.models) with "
                    "Graphviz: one node per tensor and operation, a cluster per module.")
    p.add_argument("model", nargs="?", help="zoo constructor name, e.g. lenet5, resnet50")
    p.add_argument("--input-shape", type=_shape, default=None, metavar="N,C,H,W",
                   help="input shape (default: 1,1,28,28 for lenet5, 1,3,66,200 for pilotnet, "
                        "1,32 token ids for text_cnn, else 1,3,224,224)")
    p.add_argument("-o", "--output", default=None,
                   help="output file; the suffix picks the format (svg, png, pdf, dot); "
                        "default MODEL.svg")
    p.add_argument("--format", default=None, help="output format, overriding the suffix")
    p.add_argument("--backward", action="store_true",
                   help="draw after a backward pass: gradients at every node and edge "
                        "(cross-entropy against class 0 as the loss)")
    p.add_argument("--collapse", nargs="?", const=True, default=False, type=_collapse,
                   metavar="DEPTH",
                   help="one node per module: alone, per leaf layer (Conv2d, Linear, ...); "
                        "with a depth, per module at that depth (1 = the model's children)")
    p.add_argument("--rankdir", default="TB", choices=("TB", "LR", "BT", "RL"),
                   help="layout direction (default TB: top to bottom)")
    p.add_argument("--max-nodes", type=_max_nodes, default=False, metavar="N",
                   help="draw at most N nodes, those nearest the output; 'all' draws "
                        "everything (default: viz.DEFAULT_MAX_NODES)")
    p.add_argument("--num-classes", type=int, default=None, help="passed to the constructor")
    p.add_argument("--model-arg", type=_model_arg, action="append", default=[],
                   metavar="NAME=VALUE",
                   help="another constructor argument (repeatable), e.g. small_input=True")
    p.add_argument("--no-values", action="store_true", help="leave out value summaries")
    p.add_argument("--list", action="store_true", help="list the zoo's models and exit")
    return p


def main(argv=None):
    """Draw a zoo model's graph to a file; returns the exit status (0 on success)."""
    args = build_parser().parse_args(argv)
    if args.list:
        print("\n".join(_zoo()))
        return 0
    if not args.model:
        build_parser().error("the model name is required (see --list)")
    import nn.models
    import viz
    if args.model not in _zoo():
        print(f"python -m viz: unknown model {args.model!r}; choose one of: "
              f"{', '.join(_zoo())}", file=sys.stderr)
        return 2
    spec = MODELS.get(args.model, {})
    kwargs = dict(spec.get("kwargs", {}))
    if args.num_classes is not None:
        kwargs["num_classes"] = args.num_classes
    kwargs.update(args.model_arg)
    try:
        model = getattr(nn.models, args.model)(**kwargs)
    except TypeError as exc:                   # an argument the constructor does not take
        print(f"python -m viz: {args.model}({kwargs}): {exc}", file=sys.stderr)
        return 2
    model.eval()
    shape = args.input_shape or spec.get("input_shape", DEFAULT_INPUT)
    start = time.perf_counter()
    options = {"rankdir": args.rankdir, "show_values": not args.no_values}
    if args.max_nodes is not False:
        options["max_nodes"] = args.max_nodes
    try:
        graph = viz.draw_model(model, input=_input(spec, shape), backward=args.backward,
                               collapse_modules=args.collapse, **options)
        path = viz.render(graph, args.output or f"{args.model}.svg", format=args.format)
    except viz.DotNotFoundError as exc:
        print(f"python -m viz: {exc}", file=sys.stderr)
        return 1
    except (ValueError, TypeError) as exc:      # e.g. an input shape the model cannot take
        print(f"python -m viz: {args.model} on input {shape}: {exc}", file=sys.stderr)
        return 2
    n = len(graph.trace)
    drawn = (f"drew {graph.drawn_nodes:,} of its {graph.drawn_nodes + graph.hidden_nodes:,} "
             f"nodes (those nearest the output; --max-nodes all draws every node)"
             if graph.hidden_nodes else f"drew {graph.drawn_nodes:,} nodes")
    print(f"{path}: {args.model} on input {shape}, {n:,} graph nodes, {drawn}, "
          f"{time.perf_counter() - start:.1f} s")
    return 0


def _input(spec, shape):
    """The model's input: N(0, 1) images, or random token ids for models of tokens."""
    import autograd as ag
    ag.manual_seed(0)
    if "tokens" in spec:
        return ag.randint(0, spec["tokens"], size=shape)
    return ag.randn(*shape)


if __name__ == "__main__":
    sys.exit(main())
