from typing import TYPE_CHECKING

from shop.models import Order
from . import util
from .util import slugify as slug

if TYPE_CHECKING:
    from shop.billing import Invoice


def create_order(name):
    order = Order(name)
    order.save()
    return slug(util.normalize(name))


def invoice_for(order) -> "Invoice":
    return order.invoice
