import os
from .cycle_a import THING  # expect: ARC001
