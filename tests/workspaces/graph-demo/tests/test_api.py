from shop.api import create_order


def test_create():
    assert create_order("a")


class TestOrder:
    def test_total(self):
        from shop.models import Order

        assert Order("a").total() == 1
