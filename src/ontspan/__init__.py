"""ontspan: learn and practise progressive muscle relaxation."""

__version__ = "0.1.0"
