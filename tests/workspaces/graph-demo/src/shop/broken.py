from .missing import helper  # expect: ARC002
import shop.nothere  # expect: ARC002
from ... import toplevel  # expect: ARC002
import yaml
from shop.util import not_a_module_but_a_name
