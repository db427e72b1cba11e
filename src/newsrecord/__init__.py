"""newsrecord: strict, exact and fast reading of news records.

A news record is a Markdown file with YAML front matter describing one news
article, and the other kinds of record of its family (videos, courses, profiles,
...). `load` and `loads` return a typed, validated `Article`; `load_record` and
`loads_record` return the record of whatever kind a file holds (`KINDS` lists
them); `dump` and `dumps` write one back, byte for byte as it was read when
unchanged; `to_dict` and `from_dict` turn one into a JSON-ready mapping and
back. `load_dir` loads every record of a folder, in worker processes; `export`
writes the news records of whole folders to one JSON Lines or Parquet file.
"""

from ._api import dump, dumps, load, load_record, loads, loads_record
from ._errors import (
    FieldError,
    FrontMatterError,
    KindError,
    NewsRecordError,
    ValidationError,
)
from ._export import Exported, export
from ._family import (
    Account,
    Action,
    Answer,
    Book,
    Challenge,
    Collection,
    Conference,
    Course,
    Download,
    Form,
    Forum,
    Function,
    Funding,
    Message,
    Organization,
    Profile,
    Ratings,
    Reading,
    Sponsor,
    Sponsorship,
    Stats,
    Video,
    VideoLink,
)
from ._folder import LoadResult, LoadResults, load_dir
from ._kinds import KIND_CLASSES as KINDS
from ._limits import Limits
from ._mapping import from_dict, to_dict
from ._model import (
    Article,
    Author,
    Image,
    Provider,
    Publisher,
    ReadOnlyMapping,
    Record,
    RelatedArticle,
    SecuredToken,
)
from ._version import __version__

# Tracebacks and pickles name the errors where users import them from.
for _error in (FrontMatterError, KindError, NewsRecordError, ValidationError):
    _error.__module__ = __name__
del _error

__all__ = [
    "KINDS",
    "Account",
    "Action",
    "Answer",
    "Article",
    "Author",
    "Book",
    "Challenge",
    "Collection",
    "Conference",
    "Course",
    "Download",
    "Exported",
    "FieldError",
    "Form",
    "Forum",
    "FrontMatterError",
    "Function",
    "Funding",
    "Image",
    "KindError",
    "Limits",
    "LoadResult",
    "LoadResults",
    "Message",
    "NewsRecordError",
    "Organization",
    "Profile",
    "Provider",
    "Publisher",
    "Ratings",
    "ReadOnlyMapping",
    "Reading",
    "Record",
    "RelatedArticle",
    "SecuredToken",
    "Sponsor",
    "Sponsorship",
    "Stats",
    "ValidationError",
    "Video",
    "VideoLink",
    "__version__",
    "dump",
    "dumps",
    "export",
    "from_dict",
    "load",
    "load_dir",
    "load_record",
    "loads",
    "loads_record",
    "to_dict",
]
