"""viz: pictures of backpropagation and of what a network learned.

    import viz
    with viz.record():                            # keep what the pictures need
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    g = viz.draw_graph(loss)                      # graphviz.Digraph: inline in Jupyter
    viz.render(g, "graph.svg")
    viz.draw_backward(loss)                       # dE/d at every node and edge
    viz.draw_graph(loss, collapse_modules=True)   # one node per layer
    chain = viz.draw_chain(loss, w).chain         # d err/d w as a product along the path(s)
    viz.step_backward(loss).save("backprop.html") # backprop step by step, in a browser
    viz.plot_history(history, path="history.png") # matplotlib figures (inline in Jupyter)

viz only draws: the graph, its order and every gradient are the engine's (``autograd.graph``).
Importing ``viz`` is cheap: graphviz and matplotlib are imported on first use.
"""

import importlib

_EXPORTS = {
    "record": "recording",
    "trace": "_trace", "Trace": "_trace", "TensorNode": "_trace", "OpNode": "_trace",
    "summarize": "_trace",
    "draw_graph": "graph", "draw_backward": "graph", "render": "graph", "Graph": "graph",
    "DotNotFoundError": "graph", "DEFAULT_MAX_NODES": "graph",
    "draw_chain": "chain", "Chain": "chain", "ChainPath": "chain",
    "trace_modules": "modules", "ModuleTrace": "modules", "ModuleCall": "modules",
    "draw_model": "model",
    "plot_feature_maps": "plots", "plot_filters": "plots", "plot_history": "plots",
    "plot_confusion_matrix": "plots",
    "StepPage": "stepper", "StepData": "stepper",
    "step_backward": "steps", "step_forward": "steps", "step_data": "steps",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
