def records(doc):
    return []
