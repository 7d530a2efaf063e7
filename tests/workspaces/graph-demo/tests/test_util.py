from shop.util import normalize


def test_normalize():
    assert normalize(" a ") == "a"
