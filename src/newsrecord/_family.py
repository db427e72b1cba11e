"""The other kinds of record of the family: videos, courses, profiles, ...

Each kind is a frozen, slotted attrs class like `Article`, built from the same
parts (`Provider`, `Image`, `SecuredToken`) and the parts below. As for news,
attribute names are the snake_case of the file's keys, a key a record lacks is
``None`` (``()`` for lists), and keys the kind does not know are kept in
``extra``. The field table (`newsrecord._spec`) gives each key's rule, order and
style of writing, and which front matter is which kind (`newsrecord._kinds`).

Real files of one kind differ by era: keys come and go, ``type`` is quoted or
plain or absent. So few keys are required: what names the record (its title or
name) and, where a kind has one of its own, its ``type``.
"""

from __future__ import annotations

import datetime as dt  # noqa: TC003 (attrs and cattrs read the annotations at runtime)
from collections.abc import Mapping  # noqa: TC003 (read at runtime, as above)
from typing import Any, Literal

import attrs

from ._model import (
    Image,
    Provider,
    Record,
    SecuredToken,
    _body,
    _Checked,
    _extra,
)

# --- parts ---------------------------------------------------------------------


@attrs.frozen
class Ratings(_Checked):
    """How many people rated a course or a book, and their average rating."""

    count: int | None = None
    average: float | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Action(_Checked):
    """Something a download offers to do: its link, and how it is shown."""

    url: str
    type: str | None = None
    title: str | None = None
    attribution: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Account(_Checked):
    """A profile's page elsewhere (Twitter, LinkedIn, Google Scholar, ...)."""

    username: str | None = None
    url: str | None = None
    followers: int | None = None
    citations: int | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Funding(_Checked):
    """A company's funding, as its profile states it."""

    status: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class VideoLink(_Checked):
    """A video listed on a profile."""

    url: str
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Sponsor(_Checked):
    """Who sponsors: a name, a link, and a logo for light and for dark themes."""

    name: str
    url: str | None = None
    logo_for_light_theme: str | None = None
    logo_for_dark_theme: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Message(_Checked):
    """A sponsor's message: a title, a description, a link and an image."""

    title: str
    description: str | None = None
    url: str | None = None
    image: str | None = None
    extra: Mapping[str, Any] = _extra()


# --- the kinds -----------------------------------------------------------------


@attrs.frozen
class Video(Record):
    """A video (``type: video``) listed for learning, not a news item."""

    title: str
    type: Literal["video"]
    excerpt: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    price: str | None = None
    length: str | None = None
    published_date_time: dt.datetime | None = None
    heat: int | None = None
    removed: bool | None = None
    published: bool | None = None
    featured_content: str | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Course(Record):
    """A course (``type: course``): its price, length, ratings and levels."""

    title: str
    type: Literal["course"]
    excerpt: str | None = None
    web_url: str | None = None
    price: str | None = None
    length: str | None = None
    ratings: Ratings | None = None
    heat: int | None = None
    provider: Provider | None = None
    levels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Collection(Record):
    """A collection (``type: collection``): a list of other records' paths.

    Named by its ``title``, or by its ``name`` (collections of functions): it
    needs one of them.
    """

    type: Literal["collection"]
    title: str | None = None
    name: str | None = None
    excerpt: str | None = None
    price: str | None = None
    length: str | None = None
    heat: int | None = None
    provider: Provider | None = None
    levels: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Book(Record):
    """A book (``type: book``): its price, ratings, authors and levels."""

    title: str
    type: Literal["book"]
    excerpt: str | None = None
    web_url: str | None = None
    price: str | None = None
    length: str | None = None
    ratings: Ratings | None = None
    heat: int | None = None
    provider: Provider | None = None
    levels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Download(Record):
    """A download (``type: download``): a sample with links to its files."""

    title: str
    type: Literal["download"]
    excerpt: str | None = None
    original_url: str | None = None
    published_date_time: dt.datetime | None = None
    heat: int | None = None
    actions: tuple[Action, ...] = ()
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Answer(Record):
    """An answer (``type: answer``) to a common question, with its link."""

    title: str
    type: Literal["answer"]
    excerpt: str | None = None
    web_url: str | None = None
    heat: int | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Reading(Record):
    """An article listed for learning (``type: article``, no ``category``).

    Newer files say when it was published, and how long it takes to read.
    """

    title: str
    type: Literal["article"]
    excerpt: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    price: str | None = None
    length: str | None = None
    published_date_time: dt.datetime | None = None
    heat: int | None = None
    provider: Provider | None = None
    levels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Conference(Record):
    """An event: a conference, a webinar or a meetup (``type: conference``, ...).

    When and where it takes place.
    """

    name: str
    type: Literal["conference", "webinar", "meetup"]
    excerpt: str | None = None
    original_url: str | None = None
    start_date_time: dt.datetime | None = None
    end_date_time: dt.datetime | None = None
    location: str | None = None
    price: str | None = None
    website: str | None = None
    heat: int | None = None
    removed: bool | None = None
    published: bool | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Forum(Record):
    """A forum or community group (``type: forum``, absent in older files)."""

    name: str
    type: Literal["forum"] | None = None
    excerpt: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    members: int | None = None
    heat: int | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Function(Record):
    """A function of a language or product (DAX, say): its syntax as its name.

    What it does, and where it is documented. ``type`` is ``article``, or
    written with nothing after it in older files (read as ``""``).
    """

    name: str
    type: Literal["article", ""]
    excerpt: str | None = None
    original_url: str | None = None
    web_url: str | None = None
    heat: int | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Stats(Record):
    """A page of live statistics (``category: stats``): figures of a place.

    What the page counts, and when; the figures and their chart are its body.
    """

    category: Literal["stats"]
    title: str
    excerpt: str | None = None
    published_date_time: dt.datetime | None = None
    updated_date_time: dt.datetime | None = None
    web_url: str | None = None
    type: Literal["article"] | None = None
    heat: int | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Profile(Record):
    """A person or a company (``type: "profile"``): who they are, and where."""

    name: str
    type: Literal["profile"]
    bio: str | None = None
    overview: str | None = None
    location: str | None = None
    heat: int | None = None
    affiliation: Provider | None = None
    website: str | None = None
    twitter: Account | None = None
    linkedin: Account | None = None
    google_scholar: Account | None = None
    wikipedia: Account | None = None
    crunchbase: Account | None = None
    size: str | None = None
    year_founded: int | None = None
    locations: tuple[str, ...] = ()
    funding: Funding | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    videos: tuple[VideoLink, ...] = ()
    secured: SecuredToken | None = None
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Challenge(Record):
    """A coding challenge: a problem, its levels, and related challenges' slugs.

    Older files have no ``type``; newer ones say ``type: article``. The body is
    the problem statement.
    """

    title: str
    type: Literal["article"] | None = None
    excerpt: str | None = None
    original_url: str | None = None
    heat: int | None = None
    provider: Provider | None = None
    levels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Form(Record):
    """A form to fill in elsewhere: a title, a link and topics."""

    title: str
    type: Literal["article"] | None = None
    excerpt: str | None = None
    web_url: str | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Organization(Record):
    """An organization's data file (``taxonomy: organization``): name and logos."""

    taxonomy: Literal["organization"]
    id: str | None = None
    name: str | None = None
    other_names: tuple[str, ...] = ()
    domain: str | None = None
    description: str | None = None
    images: tuple[Image, ...] = ()
    body: str = _body()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Sponsorship(Record):
    """A sponsorship: who sponsors, their messages, the days and places they show.

    It has no ``type``: its ``sponsor`` tells it. ``schedules`` are days as the
    file writes them (quoted, ``"2020-02-20"``); ``placements`` name where the
    messages show.
    """

    sponsor: Sponsor
    messages: tuple[Message, ...] = ()
    schedules: tuple[str, ...] = ()
    placements: tuple[str, ...] = ()
    body: str = _body()
    extra: Mapping[str, Any] = _extra()
