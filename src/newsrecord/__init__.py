"""newsrecord: strict, exact and fast reading of news records.

A news record is a Markdown file with YAML front matter describing one news
article. `load` and `loads` return a typed, validated `Article`; `dump` and
`dumps` write one back, byte for byte as it was read when unchanged; `to_dict` and
`from_dict` turn one into a JSON-ready mapping and back. `load_dir` loads every
record of a folder, in worker processes; `export` writes the records of whole
folders to one JSON Lines or Parquet file.
"""

from ._api import dump, dumps, load, loads
from ._errors import (
    FieldError,
    FrontMatterError,
    KindError,
    NewsRecordError,
    ValidationError,
)
from ._export import Exported, export
from ._folder import LoadResult, LoadResults, load_dir
from ._limits import Limits
from ._mapping import from_dict, to_dict
from ._model import (
    Article,
    Author,
    Image,
    Provider,
    Publisher,
    RelatedArticle,
    SecuredToken,
)
from ._version import __version__

# Tracebacks and pickles name the errors where users import them from.
for _error in (FrontMatterError, KindError, NewsRecordError, ValidationError):
    _error.__module__ = __name__
del _error

__all__ = [
    "Article",
    "Author",
    "Exported",
    "FieldError",
    "FrontMatterError",
    "Image",
    "KindError",
    "Limits",
    "LoadResult",
    "LoadResults",
    "NewsRecordError",
    "Provider",
    "Publisher",
    "RelatedArticle",
    "SecuredToken",
    "ValidationError",
    "__version__",
    "dump",
    "dumps",
    "export",
    "from_dict",
    "load",
    "load_dir",
    "loads",
    "to_dict",
]
