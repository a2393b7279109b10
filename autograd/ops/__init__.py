"""The op families. Each module holds ops as ``Function`` subclasses (forward and backward
side by side) plus the functional entry points re-exported by ``autograd``."""
