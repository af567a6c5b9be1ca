"""Isomux: a self-hosted office in the browser for running and coordinating coding agents."""

__version__ = "0.1.0"
