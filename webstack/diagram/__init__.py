"""`webstack diagram`: the architecture of a plan, drawn with AWS's icons."""

from webstack.diagram.model import Architecture, build_architecture
from webstack.diagram.render import write_diagram

__all__ = ["Architecture", "build_architecture", "write_diagram"]
