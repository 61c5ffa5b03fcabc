"""The shared strategies live in the package, for plugin authors too."""

from doanmodel.testing.strategies import *  # noqa: F403
from doanmodel.testing.strategies import ENTITIES, CHILD_LEVELS, periods, tree_dataset, trees  # noqa: F401
