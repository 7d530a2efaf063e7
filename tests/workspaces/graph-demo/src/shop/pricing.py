def price(order):
    return 1
