"""The shared strategies live in the package, for plugin authors too."""

from doanmodel.testing.strategies import *  # noqa: F403
from doanmodel.testing.strategies import CHILD_LEVELS, ENTITIES, periods, tree_dataset, trees  # noqa: F401
