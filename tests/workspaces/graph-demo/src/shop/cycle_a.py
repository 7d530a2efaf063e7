from shop import cycle_b  # expect: ARC001

THING = 1
