"""The other ways to get a validated, typed news record out of a file.

Each peer reads the file itself and checks what newsrecord checks, each in its own
library's idiom: the same fields with the same types, the file's camelCase keys,
no unknown keys, text fields that take text only, integers that take integers only
(32-bit; sizes not negative), timezone-aware timestamps, ``category`` and ``type``
from their fixed sets, http(s) URLs (image URLs may be root-relative paths) and a
``secured`` token of the right shape. None of them keeps positions for errors or
the text for writing back, which newsrecord does.

- python-frontmatter + cattrs into attrs classes (`load_cattrs`);
- python-frontmatter + pydantic v2 models (`load_pydantic`);
- msgspec's YAML decoder into Structs (`load_msgspec`), after splitting off the
  front matter here;
- PyYAML's C loader on the front matter alone, no validation (`load_yaml`);
- reading the bytes alone (`read_bytes`).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

import attrs
import cattrs
import frontmatter
import msgspec
import msgspec.yaml
import pydantic
import yaml
from cattrs.gen import make_dict_structure_fn, override
from pydantic.alias_generators import to_camel

if TYPE_CHECKING:
    from pathlib import Path

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
URL: Final = r"https?://[^\s/?#]+(?:[/?#]\S*)?"
# A root-relative path: one slash, then no second one.
IMAGE_URL: Final = rf"{URL}|/(?:[^\s/]\S*)?"
_URL: Final = re.compile(URL, re.ASCII)
_IMAGE_URL: Final = re.compile(IMAGE_URL, re.ASCII)
# The front matter of a record: a '---' line, the YAML, a '---' line.
_FRONT_MATTER: Final = re.compile(
    rb"\A---\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.DOTALL
)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover (PyYAML built without libyaml)
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def check_token(text: str) -> str:
    """``text`` if it is a well-formed ``secured`` token, else `ValueError`."""
    halves = text.split(";")
    if len(halves) != 2:
        msg = "a token is two base64 parts joined by ';'"
        raise ValueError(msg)
    try:
        ciphertext = base64.b64decode(halves[0], validate=True)
        iv = base64.b64decode(halves[1], validate=True)
    except binascii.Error as exc:
        msg = "a token is standard base64"
        raise ValueError(msg) from exc
    if len(iv) != 16 or not ciphertext or len(ciphertext) % 16:
        msg = "a token has a 16-byte IV and whole 16-byte blocks of ciphertext"
        raise ValueError(msg)
    return text


def split(data: bytes) -> tuple[bytes, bytes]:
    """The front matter and the body of a record file's bytes."""
    match = _FRONT_MATTER.match(data)
    if match is None:
        msg = "no front matter"
        raise ValueError(msg)
    return match.group(1) or b"", data[match.end() :]


def read_bytes(path: Path) -> bytes:
    """Reading the file alone: the floor under every other row."""
    return path.read_bytes()


def load_yaml(path: Path) -> Any:
    """PyYAML's C loader on the front matter alone: no types, no checks."""
    front_matter, _ = split(path.read_bytes())
    return yaml.load(front_matter, Loader=_Loader)


# --- python-frontmatter + cattrs ---------------------------------------------------


@attrs.frozen
class CImage:
    """An image."""

    url: str = attrs.field()
    width: int = attrs.field()
    height: int = attrs.field()
    is_cached: bool | None = None
    title: str | None = None


@attrs.frozen
class CPerson:
    """An author or a publisher."""

    name: str
    domain: str | None = None


@attrs.frozen
class CProvider:
    """A provider."""

    name: str
    domain: str
    images: tuple[CImage, ...] = ()
    authors: tuple[CPerson, ...] = ()
    publishers: tuple[CPerson, ...] = ()


@attrs.frozen
class CRelated:
    """A related article."""

    title: str
    excerpt: str
    published_date_time: dt.datetime
    type: str
    provider: CProvider
    source_url: str | None = None
    amp_url: str | None = None
    cdn_amp_url: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    quality: int | None = None
    images: tuple[CImage, ...] = ()


@attrs.frozen
class CArticle:
    """A news record."""

    category: Literal["news"]
    title: str
    excerpt: str
    published_date_time: dt.datetime
    type: Literal["article", "video"]
    provider: CProvider
    source_url: str | None = None
    amp_url: str | None = None
    cdn_amp_url: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    amp_web_url: str | None = None
    cdn_amp_web_url: str | None = None
    quality: int | None = None
    heat: int | None = None
    published: bool | None = None
    featured_content: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[CImage, ...] = ()
    related: tuple[CRelated, ...] = ()
    secured: str | None = None
    body: str = ""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _text(value: Any, _: Any) -> str:
    if type(value) is not str:
        msg = f"expected text, got {type(value).__name__}"
        raise TypeError(msg)
    return value


def _integer(value: Any, _: Any) -> int:
    if type(value) is not int or not INT32_MIN <= value <= INT32_MAX:
        msg = f"expected a 32-bit integer, got {value!r}"
        raise TypeError(msg)
    return value


def _size(value: Any, type_: Any) -> int:
    number = _integer(value, type_)
    if number < 0:
        msg = "a size cannot be negative"
        raise ValueError(msg)
    return number


def _boolean(value: Any, _: Any) -> bool:
    if type(value) is not bool:
        msg = f"expected true or false, got {type(value).__name__}"
        raise TypeError(msg)
    return value


def _moment(value: Any, _: Any) -> dt.datetime:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        msg = f"expected a timestamp with a timezone, got {value!r}"
        raise TypeError(msg)
    return value


def _link(value: Any, type_: Any) -> str:
    text = _text(value, type_)
    if _URL.fullmatch(text) is None:
        msg = "expected an http(s) URL"
        raise ValueError(msg)
    return text


def _image_link(value: Any, type_: Any) -> str:
    text = _text(value, type_)
    if _IMAGE_URL.fullmatch(text) is None:
        msg = "expected an http(s) URL or a path"
        raise ValueError(msg)
    return text


def _token(value: Any, type_: Any) -> str:
    return check_token(_text(value, type_))


_CHECKS: Final = {
    "url": _image_link,
    "width": _size,
    "height": _size,
    "source_url": _link,
    "amp_url": _link,
    "cdn_amp_url": _link,
    "original_url": _link,
    "web_url": _link,
    "amp_web_url": _link,
    "cdn_amp_web_url": _link,
    "secured": _token,
}


def make_converter() -> cattrs.Converter:
    """A cattrs converter with strict scalar hooks, camelCase keys, no extra keys."""
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _text)
    converter.register_structure_hook(int, _integer)
    converter.register_structure_hook(bool, _boolean)
    converter.register_structure_hook(dt.datetime, _moment)
    for model in (CImage, CPerson, CProvider, CRelated, CArticle):
        overrides: dict[str, Any] = {
            field.name: override(
                rename=_camel(field.name), struct_hook=_CHECKS.get(field.name)
            )
            for field in attrs.fields(model)
        }
        hook = make_dict_structure_fn(
            model, converter, _cattrs_forbid_extra_keys=True, **overrides
        )
        converter.register_structure_hook(model, hook)
    return converter


_CONVERTER: Final = make_converter()


def load_cattrs(path: Path) -> CArticle:
    """python-frontmatter's ``load``, then cattrs into attrs classes."""
    post = frontmatter.load(path)
    metadata = dict(post.metadata)
    metadata["body"] = post.content
    return _CONVERTER.structure(metadata, CArticle)


# --- python-frontmatter + pydantic ---------------------------------------------------

_Int32 = Annotated[int, pydantic.Field(ge=INT32_MIN, le=INT32_MAX)]
_Size = Annotated[int, pydantic.Field(ge=0, le=INT32_MAX)]
_Url = Annotated[str, pydantic.StringConstraints(pattern=f"^(?:{URL})$")]
_ImageUrl = Annotated[str, pydantic.StringConstraints(pattern=f"^(?:{IMAGE_URL})$")]
_Token = Annotated[str, pydantic.AfterValidator(check_token)]


# Lists, not tuples: in strict mode pydantic takes a tuple only from a tuple.
class _Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(
        strict=True, extra="forbid", frozen=True, alias_generator=to_camel
    )


class PImage(_Model):
    """An image."""

    url: _ImageUrl
    width: _Size
    height: _Size
    is_cached: bool | None = None
    title: str | None = None


class PPerson(_Model):
    """An author or a publisher."""

    name: str
    domain: str | None = None


class PProvider(_Model):
    """A provider."""

    name: str
    domain: str
    images: list[PImage] = []
    authors: list[PPerson] = []
    publishers: list[PPerson] = []


class PRelated(_Model):
    """A related article."""

    title: str
    excerpt: str
    published_date_time: pydantic.AwareDatetime
    type: str
    provider: PProvider
    source_url: _Url | None = None
    amp_url: _Url | None = None
    cdn_amp_url: _Url | None = None
    original_url: _Url | None = None
    web_url: _Url | None = None
    amp_web_url: _Url | None = None
    cdn_amp_web_url: _Url | None = None
    quality: _Int32 | None = None
    images: list[PImage] = []


class PArticle(_Model):
    """A news record."""

    category: Literal["news"]
    title: str
    excerpt: str
    published_date_time: pydantic.AwareDatetime
    type: Literal["article", "video"]
    provider: PProvider
    source_url: _Url | None = None
    amp_url: _Url | None = None
    cdn_amp_url: _Url | None = None
    original_url: _Url | None = None
    web_url: _Url | None = None
    amp_web_url: _Url | None = None
    cdn_amp_web_url: _Url | None = None
    quality: _Int32 | None = None
    heat: _Int32 | None = None
    published: bool | None = None
    featured_content: str | None = None
    topics: list[str] = []
    images: list[PImage] = []
    related: list[PRelated] = []
    secured: _Token | None = None
    body: str = ""


def load_pydantic(path: Path) -> PArticle:
    """python-frontmatter's ``load``, then pydantic v2 models (strict mode)."""
    post = frontmatter.load(path)
    metadata = dict(post.metadata)
    metadata["body"] = post.content
    return PArticle.model_validate(metadata)


# --- msgspec ---------------------------------------------------------------------

_MInt32 = Annotated[int, msgspec.Meta(ge=INT32_MIN, le=INT32_MAX)]
_MSize = Annotated[int, msgspec.Meta(ge=0, le=INT32_MAX)]
_MUrl = Annotated[str, msgspec.Meta(pattern=f"^(?:{URL})$")]
_MImageUrl = Annotated[str, msgspec.Meta(pattern=f"^(?:{IMAGE_URL})$")]
_MMoment = Annotated[dt.datetime, msgspec.Meta(tz=True)]


class MImage(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """An image."""

    url: _MImageUrl
    width: _MSize
    height: _MSize
    is_cached: bool | None = None
    title: str | None = None


class MPerson(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """An author or a publisher."""

    name: str
    domain: str | None = None


class MProvider(
    msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True
):
    """A provider."""

    name: str
    domain: str
    images: tuple[MImage, ...] = ()
    authors: tuple[MPerson, ...] = ()
    publishers: tuple[MPerson, ...] = ()


class MRelated(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """A related article."""

    title: str
    excerpt: str
    published_date_time: _MMoment
    type: str
    provider: MProvider
    source_url: _MUrl | None = None
    amp_url: _MUrl | None = None
    cdn_amp_url: _MUrl | None = None
    original_url: _MUrl | None = None
    web_url: _MUrl | None = None
    amp_web_url: _MUrl | None = None
    cdn_amp_web_url: _MUrl | None = None
    quality: _MInt32 | None = None
    images: tuple[MImage, ...] = ()


class MArticle(msgspec.Struct, frozen=True, rename="camel", forbid_unknown_fields=True):
    """A news record (its body is kept beside it: Structs are decoded whole)."""

    category: Literal["news"]
    title: str
    excerpt: str
    published_date_time: _MMoment
    type: Literal["article", "video"]
    provider: MProvider
    source_url: _MUrl | None = None
    amp_url: _MUrl | None = None
    cdn_amp_url: _MUrl | None = None
    original_url: _MUrl | None = None
    web_url: _MUrl | None = None
    amp_web_url: _MUrl | None = None
    cdn_amp_web_url: _MUrl | None = None
    quality: _MInt32 | None = None
    heat: _MInt32 | None = None
    published: bool | None = None
    featured_content: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[MImage, ...] = ()
    related: tuple[MRelated, ...] = ()
    secured: str | None = None


def load_msgspec(path: Path) -> tuple[MArticle, str]:
    """Decode with msgspec's YAML decoder into Structs; the body comes beside."""
    front_matter, body = split(path.read_bytes())
    article = msgspec.yaml.decode(front_matter, type=MArticle)
    if article.secured is not None:
        check_token(article.secured)
    return article, body.decode("utf-8")
