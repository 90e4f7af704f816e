"""reader: a keyboard-first terminal reader for collections of news articles."""

import warnings as _warnings

# Whoosh 2.7.4 carries a few invalid escape sequences in string literals; Python
# reports them as SyntaxWarning when the files are first compiled. They are
# harmless, so silence them for the whoosh package only.
_warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"whoosh(\..*)?")
_warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"whoosh(\..*)?")

__version__ = "0.1.0"
