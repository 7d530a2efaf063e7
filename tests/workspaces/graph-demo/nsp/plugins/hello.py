from shop import create_order


def run():
    return create_order("x")
