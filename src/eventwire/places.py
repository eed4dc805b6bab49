"""Placeholder replaced by the real stage."""
def annotate(doc):
    return doc
