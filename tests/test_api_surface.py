"""The public API: what `newsrecord` exports is what the API reference documents."""

from __future__ import annotations

import inspect
import pickle
import re
from pathlib import Path

import newsrecord

API_PAGE = Path(__file__).resolve().parents[1] / "docs" / "api.md"
_DOCUMENTED = re.compile(r"^\.\. (?:auto\w+|py:\w+):: newsrecord\.(\w+)$", re.MULTILINE)


def documented_names() -> list[str]:
    """The names the API reference documents, in page order."""
    return _DOCUMENTED.findall(API_PAGE.read_text(encoding="utf-8"))


def _own_docstring(obj: object) -> str:
    """A class's own docstring (not one it inherits), or a function's."""
    doc = vars(obj).get("__doc__") if inspect.isclass(obj) else obj.__doc__
    return (doc or "").strip()


class TestAll:
    def test_all_is_the_documented_api(self) -> None:
        """`__all__` names exactly the objects the API reference documents."""
        documented = documented_names()
        assert len(documented) == len(set(documented))
        assert sorted(newsrecord.__all__) == sorted(documented)

    def test_all_names_exist(self) -> None:
        """Every name in `__all__` is an attribute of the package."""
        missing = [name for name in newsrecord.__all__ if not hasattr(newsrecord, name)]
        assert missing == []

    def test_no_other_public_names(self) -> None:
        """The package has no public attribute beyond `__all__` and its submodules."""
        public = {
            name
            for name, value in vars(newsrecord).items()
            if not name.startswith("_") and not inspect.ismodule(value)
        }
        assert public == set(newsrecord.__all__) - {"__version__"}


class TestDocstrings:
    def test_every_public_object_has_its_own_docstring(self) -> None:
        """Each exported class and function has a docstring of its own."""
        undocumented = [
            name
            for name in newsrecord.__all__
            if callable(getattr(newsrecord, name))
            and not _own_docstring(getattr(newsrecord, name))
        ]
        assert undocumented == []

    def test_public_methods_have_docstrings(self) -> None:
        """Each public method or property of an exported class has a docstring."""
        undocumented = []
        for name in newsrecord.__all__:
            obj = getattr(newsrecord, name)
            if not inspect.isclass(obj):
                continue
            for member, value in vars(obj).items():
                function = getattr(value, "__func__", value)
                if member.startswith("_") or not (
                    inspect.isfunction(function) or isinstance(function, property)
                ):
                    continue
                if not (function.__doc__ or "").strip():
                    undocumented.append(f"{name}.{member}")
        assert undocumented == []

    def test_version_is_a_string(self) -> None:
        """`__version__` is the version text itself."""
        assert isinstance(newsrecord.__version__, str)


class TestErrorNames:
    def test_errors_are_named_where_users_import_them(self) -> None:
        """Tracebacks show `newsrecord.ValidationError`, not a private module path."""
        errors = [
            newsrecord.NewsRecordError,
            newsrecord.FrontMatterError,
            newsrecord.ValidationError,
            newsrecord.KindError,
        ]
        assert {error.__module__ for error in errors} == {"newsrecord"}

    def test_renamed_errors_still_pickle(self) -> None:
        """An error pickles by its public name and comes back equal in every field."""
        error = newsrecord.FrontMatterError(
            "the front matter is empty", code="not-a-mapping", path="a.md", line=2
        )
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes)
        assert type(copy) is newsrecord.FrontMatterError
        assert (copy.code, copy.path, copy.line, str(copy)) == (
            error.code,
            error.path,
            error.line,
            str(error),
        )
