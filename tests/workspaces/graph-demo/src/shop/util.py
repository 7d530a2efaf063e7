def normalize(text):
    return text.strip()


def slugify(text):
    return text.lower()
