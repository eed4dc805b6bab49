"""eventwire: offline political event coding with evidence for every field.

The library is the product; the CLI, web server and Spark job are thin layers.

    >>> from eventwire import code_text
    >>> records = code_text("Turkey shot down a Russian warplane on Tuesday.", date="2015-11-25")
"""
from eventwire.startup import collector_paused

# The modules' tables (and spaCy's) live as long as the process: the cyclic garbage collector
# is paused while they are made, and never walks them afterwards (see eventwire.startup).
with collector_paused():
    from eventwire.pipeline import Coder, code_text  # noqa: F401

__version__ = "0.1.0"
