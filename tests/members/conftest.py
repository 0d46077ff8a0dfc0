"""The founding fixtures (an application in 中原区 and its contact) serve the member tests too."""

from ..founding.conftest import application, founder, high_tech

__all__ = ["application", "founder", "high_tech"]
