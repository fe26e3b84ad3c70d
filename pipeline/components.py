"""Import every module that registers a spaCy factory, so configs can name them."""
from . import actors  # noqa: F401
from . import dates  # noqa: F401
from . import events  # noqa: F401
from . import treaties  # noqa: F401
