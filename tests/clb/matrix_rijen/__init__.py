"""Role-matrix rows of the CLB app, one module per part."""

from .school import RIJEN as CLB_SCHOOL
from .trajecten import RIJEN as CLB_TRAJECTEN

__all__ = ["CLB_SCHOOL", "CLB_TRAJECTEN"]
