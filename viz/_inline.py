"""A matplotlib Figure that shows itself in Jupyter without pyplot or a global backend.

``viz`` builds its figures without pyplot (no global figure list, no backend chosen for the
process), so IPython has no formatter registered for them and would print
``<Figure size 1000x400 with 2 Axes>``. ``_repr_png_`` renders the figure itself (Agg, through
``savefig``), so a plain notebook shows the plot, and nothing about the process changes.
"""

import io

from matplotlib.figure import Figure

__all__ = ["InlineFigure"]


class InlineFigure(Figure):
    """``matplotlib.figure.Figure`` plus ``_repr_png_``: the PNG that ``savefig`` writes."""

    def _repr_png_(self):
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=self.dpi)
        return buf.getvalue()
