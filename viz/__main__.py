"""Command line: draw a zoo model's graph.

    python -m viz lenet5 --input-shape 1,1,28,28 -o lenet.svg
    python -m viz resnet50 --collapse 2 -o resnet50.svg          # one node per residual block
    python -m viz lenet5 --backward --collapse -o lenet_grads.png  # gradient magnitudes
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
                   help="input shape (default 1,1,28,28 for lenet5, else 1,3,224,224)")
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
    p.add_argument("--max-nodes", type=int, default=None,
                   help="draw at most this many nodes, those nearest the output "
                        "(default: viz.DEFAULT_MAX_NODES)")
    p.add_argument("--num-classes", type=int, default=None, help="passed to the constructor")
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
    kwargs = {} if args.num_classes is None else {"num_classes": args.num_classes}
    model = getattr(nn.models, args.model)(**kwargs)
    model.eval()
    shape = args.input_shape or ((1, 1, 28, 28) if args.model.startswith("lenet")
                                 else (1, 3, 224, 224))
    start = time.perf_counter()
    options = {"rankdir": args.rankdir, "show_values": not args.no_values}
    if args.max_nodes is not None:
        options["max_nodes"] = args.max_nodes
    try:
        graph = viz.draw_model(model, input_shape=shape, backward=args.backward,
                               collapse_modules=args.collapse, **options)
        path = viz.render(graph, args.output or f"{args.model}.svg", format=args.format)
    except viz.DotNotFoundError as exc:
        print(f"python -m viz: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"python -m viz: {exc}", file=sys.stderr)
        return 2
    n = len(graph.trace)
    print(f"{path}: {args.model} on input {shape}, {n:,} graph nodes, "
          f"{time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
