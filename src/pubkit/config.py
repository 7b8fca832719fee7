"""The publication project: ``pubkit.toml`` (or ``[tool.pubkit]``) validated into a frozen object."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale

from .errors import ConfigError, PubkitError, SourceError, UsageError
from .fileio import read_limited
from .locales import calendar_data, calendar_locales, default_folder, normalize_language
from .organization import Organization, parse_organization
from .safefs import confined_input

CONFIG_FILE = "pubkit.toml"
MAX_CONFIG_BYTES = 1024 * 1024
PYPROJECT_FILE = "pyproject.toml"

#: Keys of the configuration, with the type each must have and its default.
_KEYS: dict[str, tuple[type | tuple[type, ...], Any]] = {
    "source_language": (str, None),
    "languages": (list, None),
    "sources_dir": (str, "sources"),
    "locale_dir": (str, "locale"),
    "templates_dir": (str, "templates"),
    "output_dir": (str, "dist"),
    "preview_dir": (str, "dist-preview"),  # where `build --preview` writes, never over publishable output
    # rendering; each of these may also be set per language in a [language.<lang>] table
    "paper_size": (str, "auto"),
    "min_completeness": ((int, float), 0),
    "font_family": (str, ""),
    "calendar": (str, "auto"),
    "digits": (str, "auto"),
    "gregorian_beside": (bool, False),  # a date in another calendar is followed by its Gregorian date
    "typography": (bool, True),
    # print options for every language
    "pdf_variant": (str, "pdf/ua-1"),
    "crop_marks": (bool, False),
    "bleed": (str, "0mm"),
    "allow_network": (bool, False),
    # bounds on the work one document may cause
    "max_pages": (int, 300),
    "max_render_seconds": ((int, float), 120),
    "language": (dict, None),
    # the newsroom (docs/site.md): where it is published, and how many releases an index page lists
    "base_url": (str, ""),
    "index_page_size": (int, 20),
    "folder": (str, ""),  # only in a [language.<lang>] table: the site folder of that language
    "values": (dict, None),  # only in a [language.<lang>] table: value options (display, notation) there
    "organization": (dict, None),  # name, boilerplate, logo, press contacts (organization.py)
    "embargo_zone": (str, ""),  # the IANA zone embargo times are shown in (source/embargo.py)
    "link_hosts": (list, None),  # hosts a translation may point links at besides the source link's own
}
_REQUIRED = ("source_language", "languages")
#: Settings a ``[language.<lang>]`` table may override.
LANGUAGE_KEYS = ("paper_size", "min_completeness", "font_family", "calendar", "digits", "gregorian_beside",
                 "typography", "folder", "values")
#: Options of a value a language may set for itself, and what they may be (source/values.py checks the kind).
VALUE_OPTIONS = {"display": ("symbol", "narrowSymbol", "code", "name", "long", "short", "narrow"),
                 "notation": ("standard", "compact")}
#: Calendars for dates ("auto": Buddhist for Thai, Persian for Persian and Pashto, Gregorian elsewhere;
#: "islamic-umalqura", the Saudi Hijri calendar, is offered in Arabic, "hebrew" in Hebrew and English).
CALENDARS = ("auto", "gregorian", "buddhist", "persian", "islamic-umalqura", "hebrew")
#: Digits of figures and dates: "auto" (CLDR's default numbering system of the locale: Arabic-Indic in
#: ar_EG, Bengali in bn), "native" (CLDR's native system, Arabic-Indic even in plain ar), "latn" (0-9).
DIGITS = ("auto", "native", "latn")
#: Paper sizes by name (CSS ``@page size`` keywords); "auto" picks A4 or US Letter from the locale.
PAPER_SIZES = ("auto", "A3", "A4", "A5", "B4", "B5", "JIS-B4", "JIS-B5", "Letter", "Legal", "Ledger")
#: "none" (or the older "") is an untagged PDF; every other variant is tagged (render/pdf.py).
PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "none", "", "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-4b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u")
_LENGTH_RE = re.compile(r"^(0|\d+(\.\d+)?(mm|cm|in|pt|px))$")
_FONT_FAMILY_RE = re.compile(r"^[\w \-,\"']+$")


@dataclass(frozen=True)
class LanguageSettings:
    """The rendering settings in force for one language (project defaults, then its own table)."""

    paper_size: str = "auto"
    min_completeness: float = 0
    font_family: str = ""
    calendar: str = "auto"
    digits: str = "auto"
    #: "١٠ رمضان ١٤٤٦ هـ (١٠ مارس ٢٠٢٥)": the Gregorian date after one in another calendar.
    gregorian_beside: bool = False
    #: Locale typography (quotes, French spacing, CJK punctuation) at render time.
    typography: bool = True
    #: The language's folder in the site; "" for its lowercase BCP 47 tag (paths.py).
    folder: str = ""
    #: ``[language.<lang>.values]``: (value name or type, ((option, setting), …)), as written.
    values: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def value_options(self, name: str, kind: str) -> dict[str, str]:
        """The options this language sets for the value ``name`` of type ``kind`` (its name wins)."""
        chosen = dict(self.values)
        return {**dict(chosen.get(kind, ())), **dict(chosen.get(name, ()))}

_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Project:
    """A publication project on disk: where everything lives and which languages it publishes."""

    root: Path
    config_path: Path
    source_language: str
    languages: tuple[str, ...]
    sources_dir: Path
    locale_dir: Path
    templates_dir: Path
    output_dir: Path
    preview_dir: Path | None = None  # None: dist-preview/ in the project
    pdf_variant: str = "pdf/ua-1"  # tagged for screen readers; "none" for an untagged PDF
    crop_marks: bool = False
    bleed: str = "0mm"
    allow_network: bool = False
    max_pages: int = 300
    max_render_seconds: float = 120
    #: The site's address, ending in "/"; "" for a site of relative links without feeds or sitemap.
    base_url: str = ""
    index_page_size: int = 20
    defaults: LanguageSettings = field(default_factory=LanguageSettings)
    per_language: dict[str, LanguageSettings] = field(default_factory=dict)
    #: ``[organization]``: given to every release (organization.py); None when the project has none.
    organization: Organization | None = None
    #: The IANA zone embargo times are shown in ("Europe/Zurich"); "" for the offset the author wrote.
    embargo_zone: str = ""
    #: Hosts a translation may point a link at besides the source link's own host (catalog/checks.py).
    link_hosts: tuple[str, ...] = ()

    @property
    def preview_output_dir(self) -> Path:
        """Where ``build --preview`` writes."""
        return self.preview_dir or self.root / "dist-preview"

    @property
    def output_languages(self) -> tuple[str, ...]:
        """Every language published: the source language first, then the translations."""
        return (self.source_language, *(lang for lang in self.languages if lang != self.source_language))

    def settings(self, language: str) -> LanguageSettings:
        return self.per_language.get(language, self.defaults)

    def pot_path(self, domain: str) -> Path:
        """``locale/<domain>.pot``: a source's slug, or ``templates``."""
        return self.locale_dir / f"{domain}.pot"

    def po_path(self, language: str, domain: str) -> Path:
        """``locale/<lang>/LC_MESSAGES/<domain>.po``."""
        return self.locale_dir / language / "LC_MESSAGES" / f"{domain}.po"

    def source_files(self) -> list[Path]:
        """Every release source, in a stable (sorted) order."""
        if not self.sources_dir.is_dir():
            raise ConfigError(f"no sources folder '{self.sources_dir.name}/' in the project", self.config_path)
        # A source that links out of the project is refused like an image that does. A plain file lies
        # where its folder does: only links (and a folder outside the project) need resolving one by one.
        inside = Path(os.path.realpath(self.sources_dir)).is_relative_to(os.path.realpath(self.root))
        found = []
        for path in self.sources_dir.glob("*.md"):
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:  # removed while listing
                continue
            if stat.S_ISLNK(mode) or (stat.S_ISREG(mode) and not inside):
                confined_input(path, self.root, SourceError, "source")
            elif not stat.S_ISREG(mode):
                continue
            found.append(path)
        return sorted(found)


def parse_languages(tags: list[str]) -> list[str]:
    """Locale tags given on the command line, normalized; an unknown one is a usage error."""
    chosen = []
    for tag in tags:
        try:
            chosen.append(normalize_language(tag))
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return chosen


def load_project(start: Path | str = ".") -> Project:
    """Read and validate the configuration of the project in ``start``."""
    root = Path(start).resolve()
    config_path = root / CONFIG_FILE
    if config_path.is_file():
        text = _read_text(config_path)
        data = _parse_toml(text, config_path)
        section_line = 0
    else:
        pyproject = root / PYPROJECT_FILE
        if not pyproject.is_file():
            raise ConfigError(f"no {CONFIG_FILE} (or [tool.pubkit] in {PYPROJECT_FILE}) in {root}", config_path)
        config_path = pyproject
        text = _read_text(pyproject)
        data = _parse_toml(text, pyproject).get("tool", {}).get("pubkit")
        if not isinstance(data, dict):
            raise ConfigError(f"no [tool.pubkit] table in {PYPROJECT_FILE}", pyproject)
        match = re.search(r"^\s*\[tool\.pubkit\]", text, re.MULTILINE)
        section_line = text.count("\n", 0, match.start()) if match else 0
    return _validate(data, root, config_path, text, section_line)


def _read_text(path: Path) -> str:
    data = read_limited(path, MAX_CONFIG_BYTES, ConfigError, "configuration file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError("not valid UTF-8", path, data[: exc.start].count(b"\n") + 1) from None


def _parse_toml(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        if match:
            line = int(match.group(1))
        elif "end of document" in str(exc):
            line = text.count("\n") + 1
        else:
            line = 1
        raise ConfigError(f"invalid TOML: {message}", path, line) from None


def _first_line(text: str, pattern: str, start: int) -> int | None:
    """The 1-based number of the first line from ``start`` matching ``pattern`` (TOML keeps no positions)."""
    compiled = re.compile(pattern)
    for index, line in enumerate(text.splitlines()[start:], start=start):
        if compiled.match(line):
            return index + 1
    return None


def _key_line(text: str, key: str, section_line: int) -> int:
    """The line where ``key`` is set, for error messages."""
    return _first_line(text, rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", section_line) or section_line + 1


def _validate(data: dict[str, Any], root: Path, path: Path, text: str, section_line: int) -> Project:
    def fail(message: str, key: str) -> PubkitError:
        return ConfigError(message, path, _key_line(text, key, section_line))

    for key, value in data.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise fail(f"unknown key '{key}' (known keys: {known})", key)
        expected, _default = _KEYS[key]
        if not isinstance(value, expected):
            raise fail(f"'{key}' must be a {_type_name(expected)}, not {_type_name(type(value))}", key)
    for key in _REQUIRED:
        if key not in data:
            raise ConfigError(f"missing required key '{key}'", path, section_line + 1)

    source_language, languages = _languages(data, fail, path, text, section_line)
    base_url = _check_top_level(data, fail)
    defaults = LanguageSettings(
        paper_size=data.get("paper_size", "auto"),
        min_completeness=float(data.get("min_completeness", 0)),
        font_family=data.get("font_family", ""),
        calendar=data.get("calendar", "auto"),
        digits=data.get("digits", "auto"),
        gregorian_beside=data.get("gregorian_beside", False),
        typography=data.get("typography", True),
    )
    per_language = _per_language(data, defaults, path, text, section_line)
    _check_calendars(languages, source_language, defaults, per_language, path, text, section_line)
    _check_folders([source_language, *languages], per_language, path, text, section_line)

    def folder(key: str) -> Path:
        value = data.get(key, _KEYS[key][1])
        resolved = (root / value).resolve()
        if not resolved.is_relative_to(root):
            raise fail(f"'{key}' must be a folder inside the project, not '{value}'", key)
        return resolved

    folders = {key: folder(key) for key in ("sources_dir", "locale_dir", "templates_dir", "output_dir")}
    _check_output_dir(folders, fail)
    if folder("preview_dir") == folder("output_dir"):
        raise fail("'preview_dir' must differ from 'output_dir': a preview is never publishable output",
                   "preview_dir" if "preview_dir" in data else "output_dir")
    return Project(
        root=root,
        config_path=path,
        source_language=source_language,
        languages=tuple(languages),
        sources_dir=folders["sources_dir"],
        locale_dir=folders["locale_dir"],
        templates_dir=folders["templates_dir"],
        output_dir=folders["output_dir"],
        preview_dir=folder("preview_dir"),
        pdf_variant=data.get("pdf_variant", "pdf/ua-1"),
        crop_marks=data.get("crop_marks", False),
        bleed=data.get("bleed", "0mm"),
        allow_network=data.get("allow_network", False),
        max_pages=data.get("max_pages", 300),
        max_render_seconds=float(data.get("max_render_seconds", 120)),
        base_url=base_url,
        index_page_size=data.get("index_page_size", 20),
        defaults=defaults,
        per_language=per_language,
        embargo_zone=data.get("embargo_zone", ""),
        link_hosts=_link_hosts(data.get("link_hosts", []), fail),
        organization=_organization(data, root, path, text, section_line, folders["sources_dir"]),
    )


def _languages(data: dict[str, Any], fail, path: Path, text: str, section_line: int) -> tuple[str, list[str]]:
    """``source_language`` and ``languages``, normalized; an unknown or doubled one at its own line."""
    try:
        source_language = normalize_language(data["source_language"])
    except ValueError as exc:
        raise fail(str(exc), "source_language") from None
    languages: list[str] = []
    for tag in data["languages"]:
        try:
            language = normalize_language(tag)
        except ValueError as exc:
            start = _key_line(text, "languages", section_line) - 1
            line = _first_line(text, rf".*[\"']{re.escape(str(tag))}[\"']", start) if isinstance(tag, str) else None
            raise ConfigError(str(exc), path, line or start + 1) from None
        if language in languages:
            raise fail(f"language '{tag}' is listed twice", "languages")
        languages.append(language)
    return source_language, languages


def _check_top_level(data: dict[str, Any], fail) -> str:
    """Checks of the top-level settings beyond their types; the site's address, made to end in '/'."""
    for key in ("max_pages", "max_render_seconds"):
        if key in data and (isinstance(data[key], bool) or not 0 < data[key] <= 100_000):
            raise fail(f"'{key}' must be a positive number", key)
    if "folder" in data:
        raise fail("'folder' names one language's site folder: set it in a [language.<lang>] table", "folder")
    if "values" in data:
        raise fail("'values' sets value options for one language: set it in a [language.<lang>.values] table",
                   "values")
    if "index_page_size" in data and (isinstance(data["index_page_size"], bool)
                                      or not 1 <= data["index_page_size"] <= 10_000):
        raise fail("'index_page_size' must be a whole number from 1 to 10000", "index_page_size")
    if data.get("embargo_zone"):
        try:
            time_zone(data["embargo_zone"])
        except ValueError as exc:
            raise fail(f"embargo_zone: {exc}", "embargo_zone") from None
    for key in ("paper_size", "pdf_variant", "bleed", "font_family", "min_completeness", "calendar", "digits"):
        if key in data:
            _check_setting(key, data[key], fail, key)
    return _base_url(data.get("base_url", ""), fail)


def _per_language(data: dict[str, Any], defaults: LanguageSettings, path: Path, text: str,
                  section_line: int) -> dict[str, LanguageSettings]:
    """The ``[language.<lang>]`` tables: each language's settings over the project's defaults."""
    per_language: dict[str, LanguageSettings] = {}
    for tag, table in data.get("language", {}).items():
        where = f"[language.{tag}]"
        try:
            language = normalize_language(tag)
        except ValueError as exc:
            raise ConfigError(str(exc), path, _table_line(text, tag, section_line)) from None
        if not isinstance(table, dict):
            raise ConfigError(f"'language.{tag}' must be a table such as {where}", path, _table_line(text, tag, section_line))
        for key, value in table.items():
            line = _table_line(text, tag, section_line)
            if key not in LANGUAGE_KEYS:
                raise ConfigError(f"unknown key '{key}' in {where} (known: {', '.join(LANGUAGE_KEYS)})", path, line)
            expected = _KEYS[key][0]
            if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
                raise ConfigError(f"'{key}' in {where} must be a {_type_name(expected)}", path, line)
            _check_setting(key, value, lambda message, _key: ConfigError(message, path, line), key)
        settings = {k: float(v) if k == "min_completeness" else v for k, v in table.items()}
        if "values" in settings:
            settings["values"] = _value_options(settings["values"], where, ConfigError, path, line)
        per_language[language] = replace(defaults, **settings)

    return per_language


def _organization(data: dict[str, Any], root: Path, path: Path, text: str, section_line: int,
                  sources_dir: Path) -> Organization | None:
    if "organization" not in data:
        return None

    def line_of(pattern: str, nth: int = 0, after: int = 0) -> int:
        compiled, seen = re.compile(pattern), 0
        start = max(section_line, after)
        for index, line in enumerate(text.splitlines()[start:], start=start):
            if compiled.match(line):
                if seen == nth:
                    return index + 1
                seen += 1
        return _table_line(text, "organization", section_line)

    organization = parse_organization(data["organization"], root, path, line_of, normalize_language)
    if organization.boilerplate is not None and organization.boilerplate.parent == sources_dir:
        # Every .md there is a release: the boilerplate would be published as one.
        raise ConfigError(f"'boilerplate' must not be in '{sources_dir.name}/', where every Markdown file is a "
                          "release", path, line_of(r"^\s*boilerplate\s*="))
    return organization


_HOST_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$")


def _link_hosts(hosts: list, fail) -> tuple[str, ...]:
    """``link_hosts = ["www.example.com.br"]``: host names, without scheme, path or port."""
    for host in hosts:
        if not isinstance(host, str) or not _HOST_RE.match(host.lower()):
            raise fail(f"link_hosts: '{host}' is not a host name such as www.example.com.br", "link_hosts")
    return tuple(dict.fromkeys(host.lower() for host in hosts))


def _value_options(table: dict, where: str, error, path: Path, line: int) -> tuple:
    """``[language.hi.values]``: ``investment = {display = "name"}`` or ``money = {notation = "compact"}``."""
    options = []
    for name, chosen in table.items():
        if not isinstance(chosen, dict):
            raise error(f"'{name}' in {where}.values must be a table such as {{display = \"name\"}}", path, line)
        for option, setting in chosen.items():
            if option not in VALUE_OPTIONS or setting not in VALUE_OPTIONS[option]:
                allowed = "; ".join(f"{k}: {', '.join(v)}" for k, v in VALUE_OPTIONS.items())
                raise error(f"'{name}' in {where}.values: '{option} = {setting}' is not a value option ({allowed})",
                            path, line)
        options.append((name, tuple(sorted(chosen.items()))))
    return tuple(options)


def _check_output_dir(folders: dict[str, Path], fail) -> None:
    """Builds write and delete in ``output_dir``: it must not share a folder with the project's inputs."""
    output = folders["output_dir"]
    for key in ("sources_dir", "locale_dir", "templates_dir"):
        if output.is_relative_to(folders[key]):
            raise fail(f"'output_dir' must not be or be inside '{key}' ({folders[key].name}/): builds write "
                       "and delete files there", "output_dir")
        if folders[key].is_relative_to(output):
            raise fail(f"'output_dir' must not hold '{key}' ({folders[key].name}/): builds write and delete "
                       "files there", "output_dir")


def _check_setting(key: str, value: Any, fail, where: str) -> None:
    if isinstance(value, bool) and key == "min_completeness":
        raise fail(f"'{key}' must be a number from 0 to 100", where)
    if key == "min_completeness" and not 0 <= value <= 100:
        raise fail(f"'{key}' must be a number from 0 to 100, not {value}", where)
    if key == "paper_size" and value not in PAPER_SIZES:
        raise fail(f"paper_size '{value}' is not one of {', '.join(PAPER_SIZES)}", where)
    if key == "pdf_variant" and value not in PDF_VARIANTS:
        raise fail(f"pdf_variant '{value}' is not one of {', '.join(v for v in PDF_VARIANTS if v)}", where)
    if key == "bleed" and not _LENGTH_RE.match(value):
        raise fail(f"bleed '{value}' is not a length such as 3mm", where)
    if key == "calendar" and value not in CALENDARS:
        raise fail(f"calendar '{value}' is not one of {', '.join(CALENDARS)}", where)
    if key == "digits" and value not in DIGITS:
        raise fail(f"digits '{value}' is not one of {', '.join(DIGITS)}", where)
    if key == "font_family" and value and not _FONT_FAMILY_RE.match(value):
        raise fail(f"font_family '{value}' must be a list of font names separated by commas", where)


_FOLDER_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _base_url(value: str, fail) -> str:
    """An absolute http(s) address of the site's root, always ending in '/' so URLs join under it."""
    from urllib.parse import urlsplit

    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  raises ValueError on a malformed port
    except ValueError:
        parts = None
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment
            or parts.username or parts.password or any(ch.isspace() or ord(ch) < 32 for ch in value)):
        raise fail(f"base_url '{value}' is not the address of a site, such as https://newsroom.example.com/", "base_url")
    return value if value.endswith("/") else value + "/"


def _check_folders(languages: list[str], per_language: dict[str, LanguageSettings], path: Path, text: str,
                   section_line: int) -> None:
    """A language's own site folder must be a plain lowercase name and differ from every other one."""
    seen: dict[str, tuple[str, int | None]] = {}
    for language in dict.fromkeys(languages):
        own = per_language.get(language)
        folder = own.folder if own and own.folder else default_folder(language)
        line = _table_line(text, language, section_line) if own and own.folder else None
        if own and own.folder and not _FOLDER_RE.match(own.folder):
            raise ConfigError(f"folder '{own.folder}' must be lowercase letters, digits, '-' or '_'", path, line)
        if folder in seen:
            other, other_line = seen[folder]
            raise ConfigError(f"languages '{other}' and '{language}' would share the folder '{folder}'",
                              path, line or other_line or section_line + 1)
        seen[folder] = (language, line)


def _check_calendars(languages: list[str], source_language: str, defaults: LanguageSettings,
                     per_language: dict[str, LanguageSettings], path: Path, text: str, section_line: int) -> None:
    """A calendar other than the Gregorian needs CLDR data pubkit ships (Buddhist: Thai; Persian: Persian,
    Pashto; Umm al-Qura: Arabic; Hebrew: Hebrew, English): say so at the line that asks."""
    for language in dict.fromkeys([source_language, *languages]):
        calendar = per_language.get(language, defaults).calendar
        if calendar in ("auto", "gregorian"):
            continue
        if calendar_data(calendar, Locale.parse(language)) is None:
            own = language in per_language and per_language[language].calendar != defaults.calendar
            line = _table_line(text, language, section_line) if own else _key_line(text, "calendar", section_line)
            name = {"islamic-umalqura": "Umm al-Qura"}.get(calendar, calendar.capitalize())
            raise ConfigError(f"no {name} calendar data for '{language}' (pubkit has it for: "
                              f"{', '.join(calendar_locales(calendar))})", path, line)


def _table_line(text: str, tag: str, section_line: int) -> int:
    """The line of the ``[language.<tag>]`` header (or of an inline ``<tag> = {…}``)."""
    header = rf"^\s*\[\s*(tool\.pubkit\.)?language\.[\"']?{re.escape(tag)}[\"']?\s*\]"
    return _first_line(text, header, section_line) or _key_line(text, tag, section_line)


def _type_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "string", list: "list", dict: "table", int: "integer", float: "number", bool: "boolean"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return names.get(kind, kind.__name__)


def time_zone(name: str):
    """The IANA zone ``name`` (``Europe/Zurich``) from the system's tz database; ValueError if unknown."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or "\0" in name or name.startswith(("/", ".")) or ".." in name:
        raise ValueError(f"'{name}' is not an IANA time zone such as Europe/Zurich")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not an IANA time zone such as Europe/Zurich") from None


def is_valid_slug(slug: str) -> bool:
    """Slugs name folders and files in ``locale/`` and ``dist/``: keep them portable."""
    return bool(_SLUG_RE.match(slug))
