"""The ``secured`` token never shows: not in a repr, an error, the CLI or a log.

A leak is any 16 characters of the token's text (so either base64 half, or a good
part of one), any 16 hex digits of its decoded bytes, or 16 characters of their
Python repr. Only ``str(token)``, `to_dict` and ``show --reveal-secured`` give the
token, on purpose: the last one is the control that shows a leak would be seen.
"""

from __future__ import annotations

import base64
import json
import logging
import pickle
import traceback
import warnings
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs
import pytest

import newsrecord
from newsrecord.__main__ import main
from newsrecord._errors import chain
from newsrecord._model import ReadOnlyMapping
from newsrecord._structure import source_document
from records import CIPHERTEXT, IV, TOKEN, record

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

WINDOW = 16


def _windows(text: str) -> set[str]:
    return {text[start : start + WINDOW] for start in range(len(text) - WINDOW + 1)}


def secrets_of(token: str) -> set[str]:
    """Every piece of ``token`` whose presence in an output counts as a leak."""
    pieces = _windows(token)
    for half in token.split(";"):
        try:
            data = base64.b64decode(half, validate=True)
        except ValueError:
            continue
        pieces |= _windows(data.hex()) | _windows(repr(data)[2:-1])
    return pieces


SECRETS = secrets_of(TOKEN)


def leaks(output: str, secrets: set[str] = SECRETS) -> list[str]:
    """The pieces of the token that ``output`` shows, in any letter case."""
    folded = output.casefold()
    return sorted(piece for piece in secrets if piece.casefold() in folded)


class TestTheCheck:
    def test_each_half_and_the_bytes_are_secrets(self) -> None:
        """The check finds either half, and the bytes as hex or as a repr."""
        ciphertext, iv = TOKEN.split(";")
        for shown in (ciphertext, iv, CIPHERTEXT.hex(), IV.hex(), repr(CIPHERTEXT)):
            assert leaks(f"... {shown} ...")
        assert not leaks(repr(newsrecord.loads(record()).secured))


def _errors() -> dict[str, str | bytes]:
    """Records holding the token, each broken in one way."""
    ciphertext, iv = TOKEN.split(";")
    return {
        "field": record({"heat": "heat: hot"}),
        "many-fields": record({"heat": "heat: hot", "quality": "quality: [1]"}),
        "unknown-key-holding-it": record({"heat": "heat: hot"}, add=f"secret: {TOKEN}"),
        "yaml-after-the-token": record(add="x: [unclosed"),
        "yaml-on-the-token-line": record({"secured": f'secured: "{TOKEN}\\q"'}),
        "unclosed-quote": record({"secured": f'secured: "{TOKEN}'}),
        "tab-on-the-token-line": record({"secured": f'secured:\t"{TOKEN}"\t\tx: 1'}),
        "control-character": record({"secured": f'secured: "{TOKEN}\x07"'}),
        "not-utf8": record({"secured": f'secured: "{TOKEN}"'}) + "\udcff",
        "duplicate-secured": record(add=f'secured: "{TOKEN}x"'),
        "token-not-canonical": record({"secured": f'secured: "{TOKEN[:-3]}h=="'}),
        "token-swapped": record({"secured": f'secured: "{iv};{ciphertext}"'}),
        "token-three-parts": record({"secured": f'secured: "{TOKEN};{iv}"'}),
        "token-one-part": record({"secured": f'secured: "{ciphertext}"'}),
        "token-spaces": record({"secured": f'secured: " {TOKEN} "'}),
        "token-url-safe": record(
            {"secured": f'secured: "{TOKEN.replace("+", "-").replace("/", "_")}"'}
        ),
        "token-as-a-key": record(add=f'"{TOKEN}": [unclosed'),
        "token-as-an-unknown-key": record({"heat": "heat: hot"}, add=f'"{TOKEN}": 1'),
        "token-as-a-duplicate-key": record(add=f'"{TOKEN}": 1\n"{TOKEN}": 2'),
        "token-as-a-tag": record(add=f"x: !{TOKEN} value"),
        "token-as-an-alias": record(add=f"x: *{TOKEN}"),
        "token-as-an-anchor-twice": record(add=f"x: &{TOKEN} 1\ny: &{TOKEN} 2\nz: [a"),
        "token-in-a-list": record({"secured": f'secured: ["{TOKEN}"]'}),
        "token-tagged": record({"secured": f'secured: !custom "{TOKEN}"'}),
        "token-in-the-type": record({"type": f"type: {TOKEN}"}),
        "token-in-the-category": record({"category": f"category: {TOKEN}"}),
        "other-kind": record({"type": "type: course"}).replace("news", "courses"),
        # A standard tag PyYAML cannot build the token as: its errors quote the
        # value (int: the first 200 characters; bool: all of it, lowercased).
        **{
            f"token-tagged-{tag}": record({"secured": f'secured: !!{tag} "{TOKEN}"'})
            for tag in ("int", "bool", "float", "timestamp", "binary", "set")
        },
        "token-tagged-int-long": record({"secured": f'secured: !!int "{TOKEN * 3}"'}),
        "token-tagged-int-plain": record({"secured": f"secured: !!int {TOKEN}"}),
        "token-tagged-bool-elsewhere": record(add=f'x: !!bool "{TOKEN}"'),
        "token-tagged-int-in-a-list": record(add=f'x: [!!int "{TOKEN}"]'),
        # The token where an int, a bool or a timestamp belongs.
        "token-as-the-quality": record({"quality": f"quality: {TOKEN}"}),
        "token-as-the-quality-quoted": record({"quality": f'quality: "{TOKEN}"'}),
        "token-as-published": record({"published": f"published: {TOKEN}"}),
        "token-as-the-date": record(
            {"publishedDateTime": f"publishedDateTime: {TOKEN}"}
        ),
        "token-as-the-date-quoted": record(
            {"publishedDateTime": f'publishedDateTime: "{TOKEN}"'}
        ),
        "token-as-an-image-width": record(
            {
                "provider": "provider:\n  name: A\n  domain: a.com\n  images:\n"
                f"    - {{url: /a.png, width: {TOKEN}, height: 1}}"
            }
        ),
        # The file's whole text, token included, in a Unicode error.
        "not-utf8-bytes": (record() + "<p>caf\xe9</p>\n").encode("latin-1"),
        "lone-surrogate": record() + "<p>\ud800</p>\n",
        "token-nested-too-deep": record(add="x: " + "[" * 200 + TOKEN + "]" * 200),
    }


ERRORS = _errors()


def _everything_about(error: BaseException) -> Iterable[str]:
    """Its str and repr, its traceback with every cause, note and sub-exception,
    and every exception chained to it: causes, contexts, group members, with
    their arguments and attributes."""
    yield str(error)
    yield repr(error)
    yield "".join(traceback.format_exception(error))
    yield repr(pickle.loads(pickle.dumps(error)))  # noqa: S301 (our own error)
    for field_error in getattr(error, "errors", ()):
        yield repr(field_error)
    for linked in chain(error):
        yield str(linked)
        yield repr(linked)
        yield repr(linked.args)
        yield repr(getattr(linked, "__notes__", ()))
        for value in getattr(linked, "__dict__", {}).values():
            yield repr(value)
            yield repr(getattr(value, "__dict__", ""))  # a mark's buffer, say


def _secrets_of_the_case(text: str | bytes) -> set[str]:
    """The secrets a broken record holds: its token, and the text it was given."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    secrets = set(SECRETS)
    for written in (text.split("secured: ", 1)[-1].split("\n", 1)[0],):
        secrets |= secrets_of(written.strip('"!custom ').split('"')[-1])
    return secrets


@pytest.mark.usefixtures("yaml_loader")
class TestErrors:
    @pytest.mark.parametrize("name", ERRORS)
    @pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
    def test_no_error_shows_the_token(self, name: str, *, strict: bool) -> None:
        """Whatever is wrong, the error, its causes and its traceback hide it."""
        text = ERRORS[name]
        with pytest.raises(newsrecord.NewsRecordError) as caught:
            newsrecord.loads(text, path="secret.md", strict=strict)
        secrets = _secrets_of_the_case(text)
        for output in _everything_about(caught.value):
            assert not leaks(output, secrets)

    def test_writing_a_wrong_token_does_not_show_it(self) -> None:
        """`dumps` and `from_dict` report a token of the wrong size without it."""
        article = newsrecord.loads(record())
        wrong = newsrecord.SecuredToken(CIPHERTEXT[:-1], IV)
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.dumps(attrs.evolve(article, secured=wrong))
        for output in _everything_about(caught.value):
            assert not leaks(output, secrets_of(str(wrong)))
        for key in (TOKEN.encode(), (TOKEN,)):  # keys that are not text
            with pytest.raises(newsrecord.ValidationError) as caught:
                newsrecord.from_dict({**newsrecord.to_dict(article), key: 1})  # type: ignore[dict-item,misc]
            for output in _everything_about(caught.value):
                assert not leaks(output)
        mapping = newsrecord.to_dict(article)
        mapping["secured"] = TOKEN + ";" + TOKEN.split(";")[1]
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.from_dict(mapping)
        for output in _everything_about(caught.value):
            assert not leaks(output)


class TestReprs:
    def test_record_and_its_parts(self) -> None:
        """The record, its token and the document it was read from hide it."""
        article = newsrecord.loads(record())
        assert article.secured is not None
        for value in (
            article,
            article.secured,
            source_document(article),
            attrs.asdict(article, recurse=False),
            article.provider,
            article.extra,
        ):
            assert not leaks(repr(value))
        assert not leaks(str(article))

    def test_the_token_itself_is_its_text(self) -> None:
        """``str(token)`` is the exact text, on purpose: what writing needs."""
        article = newsrecord.loads(record())
        assert str(article.secured) == TOKEN


#: Records with a `secured` key where the model has none: it lands in `extra`.
NESTED: dict[str, str] = {
    "in-the-provider": record(
        {"provider": f'provider:\n  name: A\n  domain: a.com\n  secured: "{TOKEN}"'}
    ),
    "in-an-image": record(
        {
            "provider": "provider:\n  name: A\n  domain: a.com\n  images:\n"
            f'    - {{url: /a.png, width: 1, height: 1, secured: "{TOKEN}"}}'
        }
    ),
    "in-a-related-article": record(
        add="related:\n  - title: t\n    excerpt: e\n"
        "    publishedDateTime: 2024-02-05T06:15:00Z\n"
        "    sourceUrl: https://a.com/x\n    type: article\n"
        f'    provider: {{name: A, domain: a.com}}\n    secured: "{TOKEN}"'
    ),
    "in-an-unknown-mapping": record(add=f'x:\n  y:\n    secured: "{TOKEN}"'),
    "in-a-list-of-mappings": record(add=f"x: [a, {{secured: {TOKEN}}}]"),
    "through-an-alias": record(
        add=f'x: &a\n  secured: "{TOKEN}"\ny:\n  secured: *a\nz: *a'
    ),
}


def _with_nested_tokens() -> list[newsrecord.Article]:
    """The records of `NESTED`, and records built in Python the same way."""
    loaded = [newsrecord.loads(text) for text in NESTED.values()]
    plain = newsrecord.loads(record())
    built = [
        attrs.evolve(plain, extra={"x": {"secured": TOKEN}}),
        attrs.evolve(plain, extra=MappingProxyType({"x": [{"secured": TOKEN}]})),
        newsrecord.from_dict({**newsrecord.to_dict(plain), "x": {"secured": TOKEN}}),
    ]
    return loaded + built


class TestSecuredKeysAnywhere:
    @pytest.mark.parametrize("article", _with_nested_tokens())
    def test_reprs_hide_it(self, article: newsrecord.Article) -> None:
        """A `secured` key in `extra`, at any depth, shows its size in reprs."""
        assert leaks(json.dumps(newsrecord.to_dict(article)))  # the control
        # The records, and the mappings the package made (not a caller's dict).
        parts: list[object] = [article, article.provider, article.provider.extra]
        parts += [*article.provider.images, *article.related]
        parts += [article.extra] if type(article.extra) is ReadOnlyMapping else []
        for part in parts:
            assert not leaks(repr(part))
            assert not leaks(str(part))
        assert "<hidden: " in repr(article)

    @pytest.mark.parametrize("name", NESTED)
    @pytest.mark.parametrize("output", ["text", "json"])
    def test_show_hides_it(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, output: str
    ) -> None:
        """`show` hides it too, and shows it when asked to reveal tokens."""
        path = tmp_path / "nested.md"
        path.write_text(NESTED[name], encoding="utf-8")
        assert not leaks(_run(capsys, "show", "--format", output, path))
        if output == "json":
            shown = _run(capsys, "show", "--reveal-secured", path)
            assert leaks(shown)
            json.loads(shown)

    @pytest.mark.parametrize("name", NESTED)
    def test_fmt_diff_hides_it(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
    ) -> None:
        """`fmt --diff`, which rewrites such a key's line, shows its size only."""
        path = tmp_path / "nested.md"
        path.write_text(NESTED[name], encoding="utf-8")
        shown = _run(capsys, "fmt", "--diff", path)
        assert not leaks(shown)
        assert "<hidden: " in shown

    @pytest.mark.parametrize("name", NESTED)
    @pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
    def test_export_hides_it(self, tmp_path: Path, name: str, suffix: str) -> None:
        """Export hides it in every format, and keeps it when asked to reveal."""
        source = tmp_path / "nested.md"
        source.write_text(NESTED[name], encoding="utf-8")
        hidden, revealed = tmp_path / f"hidden{suffix}", tmp_path / f"shown{suffix}"
        newsrecord.export(source, hidden)
        newsrecord.export(source, revealed, reveal_secured=True)
        assert not leaks(hidden.read_bytes().decode("utf-8", "replace"))
        assert leaks(revealed.read_bytes().decode("utf-8", "replace"))

    @pytest.mark.parametrize("name", NESTED)
    @pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
    def test_errors_hide_it(self, name: str, *, strict: bool) -> None:
        """An error in such a record, or about the key itself, shows none of it."""
        text = NESTED[name].replace("heat: 7", "heat: hot")
        with pytest.raises(newsrecord.ValidationError) as caught:
            newsrecord.loads(text, strict=strict)
        for output in _everything_about(caught.value):
            assert not leaks(output)


class TestLogs:
    def test_reading_and_writing_log_no_token(
        self, caplog: pytest.LogCaptureFixture, tmp_path: Path
    ) -> None:
        """Nothing logged or warned while reading, writing or failing shows it."""
        caplog.set_level(logging.DEBUG)
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            article = newsrecord.loads(record())
            newsrecord.dump(article, tmp_path / "a.md")
            newsrecord.dump(attrs.evolve(article, heat=8), tmp_path / "a.md")
            newsrecord.load(tmp_path / "a.md")
            newsrecord.from_dict(newsrecord.to_dict(article))
            for text in ERRORS.values():
                with pytest.raises(newsrecord.NewsRecordError):
                    newsrecord.loads(text)
        for entry in caplog.records:
            assert not leaks(entry.getMessage())
        for warning in warned:
            assert not leaks(str(warning.message))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A valid record, an invalid one, and one whose token is single-quoted."""
    (tmp_path / "valid.md").write_text(record(), encoding="utf-8")
    (tmp_path / "invalid.md").write_text(str(ERRORS["many-fields"]), "utf-8")
    (tmp_path / "bad-token.md").write_text(str(ERRORS["token-not-canonical"]), "utf-8")
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    """Run the command line in this process; its standard output and error."""
    main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return captured.out + captured.err


class TestCommandLine:
    @pytest.mark.parametrize("output", ["text", "json"])
    def test_validate(
        self, capsys: pytest.CaptureFixture[str], folder: Path, output: str
    ) -> None:
        """`validate` in text and JSON, on valid and invalid records, hides it."""
        shown = _run(capsys, "validate", "--format", output, "--strict", folder)
        assert "invalid.md" in shown
        assert not leaks(shown, _secrets_of_the_case(ERRORS["token-not-canonical"]))

    @pytest.mark.parametrize("output", ["text", "json"])
    @pytest.mark.parametrize("name", ["valid.md", "invalid.md", "bad-token.md"])
    def test_show(
        self, capsys: pytest.CaptureFixture[str], folder: Path, output: str, name: str
    ) -> None:
        """`show` in JSON and text hides it, for a record that loads or does not."""
        shown = _run(capsys, "show", "--format", output, folder / name)
        assert shown
        assert not leaks(shown, _secrets_of_the_case(ERRORS["token-not-canonical"]))

    @pytest.mark.parametrize("output", ["text", "json"])
    def test_show_reveals_it_only_when_asked(
        self, capsys: pytest.CaptureFixture[str], folder: Path, output: str
    ) -> None:
        """The control: --reveal-secured shows it, and the check sees it."""
        shown = _run(
            capsys, "show", "--reveal-secured", "--format", output, folder / "valid.md"
        )
        assert leaks(shown)
        if output == "json":
            assert json.loads(shown)["front_matter"]["secured"] == TOKEN

    @pytest.mark.parametrize(
        "written",
        [
            f"secured: '{TOKEN}'",
            f"secured: {TOKEN}",
            f'secured: "\\x{ord(TOKEN[0]):02x}{TOKEN[1:]}"',
            f'secured:\n  "{TOKEN}"',
        ],
        ids=["single-quoted", "plain", "escaped", "on-its-own-line"],
    )
    def test_fmt_diff_masks_it(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, written: str
    ) -> None:
        """`fmt --diff` shows the token's line changing, with the token masked."""
        path = tmp_path / "restyled.md"
        path.write_text(record({"secured": written}), encoding="utf-8")
        assert newsrecord.load(path).secured == newsrecord.loads(record()).secured
        shown = _run(capsys, "fmt", "--diff", path)
        assert not leaks(shown)
        changed = [
            line
            for line in shown.splitlines()
            if line.startswith(("-", "+")) and not line.startswith(("---", "+++"))
        ]
        assert changed[-1] == f'+secured: "<hidden: {len(TOKEN)} characters>"'
        assert any(line.startswith("-") and "<hidden: " in line for line in changed)

    def test_fmt_and_check(
        self, capsys: pytest.CaptureFixture[str], folder: Path, tmp_path: Path
    ) -> None:
        """`fmt --check` and `fmt` itself print names and problems, not the token."""
        restyled = tmp_path / "restyled.md"
        restyled.write_text(record({"secured": f"secured: '{TOKEN}'"}), "utf-8")
        for args in (["--check"], []):
            shown = _run(capsys, "fmt", *args, folder, restyled)
            assert "restyled.md" in shown
            assert not leaks(shown)

    def test_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`schema` describes the token, and shows none."""
        shown = _run(capsys, "schema")
        assert "secured" in shown
        assert not leaks(shown)
