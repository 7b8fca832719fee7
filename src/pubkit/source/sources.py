"""Read a release source: YAML front matter, typed values and Markdown blocks, as messages with lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from ..config import Project, is_valid_slug, normalize_language, time_zone
from ..errors import SourceError
from ..fileio import read_limited
from .embargo import parse_moment
from ..organization import ORGANIZATION_DOMAIN, ROLE_CONTEXT, Contact, contact_from
from .values import Value, mapping_items, parse_date_node, parse_values

#: Front-matter fields whose text is translated; each becomes a message with the field name as context.
TRANSLATABLE_FIELDS = ("title", "subtitle", "place", "summary", "contact")
#: Front-matter fields that are data, not text.
DATA_FIELDS = ("date", "slug", "organization", "values", "embargo", "embargo_zone", "contacts", "contacts_replace",
               "boilerplate")
#: Front-matter fields that are yes or no.
_FLAG_FIELDS = ("contacts_replace", "boilerplate")
#: The message context of an image's caption (the title of an image standing alone in its paragraph).
CAPTION_CONTEXT = "caption"
#: A domain name taken by the templates catalog (``locale/templates.pot``).
RESERVED_SLUGS = frozenset({"templates", ORGANIZATION_DOMAIN})

MAX_SOURCE_BYTES = 4 * 1024 * 1024
#: The deepest nesting accepted in front matter (mappings, lists) and in Markdown (quotes, lists, emphasis).
#: Real releases use a handful of levels; the parsers and the print engine recurse once per level, so
#: 1,000 levels in 2 KB would otherwise end in a RecursionError.
MAX_NESTING = 32
#: The most emphasis marks (``*`` and ``_``) in one source body: markdown-it makes a token of each, about
#: 500 bytes apiece, so 2 MB of ``*`` would take a gigabyte and 20 seconds before any check could run.
MAX_EMPHASIS_MARKS = 100_000

#: A placeholder: ``{name}`` naming an entry of ``values``.
PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_DIRECTIVE_RE = re.compile(r"^<!--\s*(translators|i18n)\s*:\s*(.*?)\s*-->\s*$", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Message:
    """One translatable unit: a front-matter field, a Markdown block, or an image's alt text."""

    msgid: str
    context: str | None
    line: int
    comments: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    plural: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """A place in the Markdown body that holds text: its parse-tree node and its message.

    ``message`` is None for a block marked ``<!-- i18n: skip -->``: it is published as written.
    ``alt_text`` is True when the message is the alt text of an image standing alone in its block.
    ``caption`` is the title of an image standing alone in its paragraph (``![alt](x.png "caption")``),
    published as the ``<figcaption>`` of a ``<figure>``; ``caption_message`` is its message (context
    ``caption``), None when the block is skipped or the caption has no words to translate.
    """

    node: SyntaxTreeNode
    message: Message | None
    alt_text: bool = False
    caption: str | None = None
    caption_message: Message | None = None


@dataclass
class Source:
    """A release, read and validated."""

    path: Path
    slug: str
    fields: dict[str, object]
    values: dict[str, Value]
    messages: list[Message]
    body: SyntaxTreeNode
    tokens: list[Token] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def message_keys(self) -> list[tuple[str | None, str]]:
        return [(m.context, m.msgid) for m in self.messages]


@cache
def markdown_parser() -> MarkdownIt:
    """CommonMark with tables and raw HTML blocks (needed to see ``<!-- i18n -->`` comments).

    ``text_join`` stays off so that an escaped ``\\{`` remains its own token, never part of a placeholder.
    """
    return MarkdownIt("commonmark", {"html": True}).enable("table").disable("text_join")


@cache
def _placeholder_parser() -> MarkdownIt:
    # Emphasis only groups text, it never hides a placeholder; without it markdown-it keeps a run of
    # '*' in one text token instead of a token per mark (a translator's 2 MB of '*' took a gigabyte).
    return MarkdownIt("commonmark", {"html": True}).enable("table").disable(["text_join", "emphasis"])


def placeholders_in(text: str) -> list[str]:
    """The ``{name}`` placeholders of a message, in order, outside code spans and escapes."""
    found: list[str] = []
    for token in _placeholder_parser().parseInline(text):
        for child in _walk_inline(token.children or []):
            if child.type == "text":
                found.extend(PLACEHOLDER_RE.findall(child.content))
    return found


def _check_marks(lines: list[str], start: int, path: Path) -> None:
    count = 0
    for index in range(start, len(lines)):
        count += lines[index].count("*") + lines[index].count("_")
        if count > MAX_EMPHASIS_MARKS:
            raise SourceError(f"more than {MAX_EMPHASIS_MARKS:,} emphasis marks (* and _) in one source", path,
                              index + 1)


def too_deep(tokens: list[Token]) -> int | None:
    """The 0-based line of the first block or inline nesting deeper than :data:`MAX_NESTING`, else None.

    Counted on markdown-it's flat token stream (``nesting`` is +1 for an opening token, -1 for a
    closing one), so the check itself never recurses.
    """
    depth = 0
    for token in tokens:
        depth += token.nesting
        line = token.map[0] if token.map else 0
        if depth > MAX_NESTING:
            return line
        inline = depth
        for child in token.children or []:
            inline += child.nesting
            if inline - depth > MAX_NESTING:
                return line
    return None


def _walk_inline(tokens):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk_inline(token.children)


def read_source(path: Path) -> Source:
    """Parse one ``sources/<slug>.md``; raise :class:`SourceError` with the offending line."""
    text = _read_text(path)
    lines = text.split("\n")
    if not text.strip():
        raise SourceError("empty source: expected YAML front matter ('---' … '---') with at least a title", path, 1)
    if lines[0].rstrip() != "---":
        raise SourceError("expected YAML front matter: the first line must be '---'", path, 1)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise SourceError("front matter is not closed: add a line '---' after it", path, 1)

    front_matter = _parse_front_matter("\n".join(lines[1:end]), path, first_line=2)
    fields, values, field_messages, slug = _read_fields(front_matter, path)
    tokens, body, blocks = _read_body(lines, end + 1, path)
    messages = list(field_messages)
    for block in blocks:
        messages.extend(m for m in (block.message, block.caption_message) if m is not None)
    _check_placeholders(messages, values, lines, path)
    return Source(
        path=path,
        slug=slug or path.stem,
        fields=fields,
        values=values,
        messages=messages,
        body=body,
        tokens=tokens,
        blocks=blocks,
    )


def read_boilerplate(project: Project) -> Source | None:
    """The organization's boilerplate (``[organization] boilerplate``, Markdown without front matter) as a
    source of its own: its messages go to ``locale/organization.pot``; None when the project has none."""
    organization = project.organization
    if organization is None or organization.boilerplate is None:
        return None
    path = organization.boilerplate
    lines = _read_text(path).split("\n")
    tokens, body, blocks = _read_body(lines, 0, path)
    messages = [m for block in blocks for m in (block.message, block.caption_message) if m is not None]
    _check_placeholders(messages, {}, lines, path)
    return Source(path, ORGANIZATION_DOMAIN, {}, {}, messages, body, tokens, blocks)


def organization_messages(project: Project) -> list[tuple[Path, Message]]:
    """The messages of ``locale/organization.pot``: the boilerplate's blocks and the contacts' roles."""
    found: list[tuple[Path, Message]] = []
    boilerplate = read_boilerplate(project)
    if boilerplate is not None:
        found += [(boilerplate.path, message) for message in boilerplate.messages]
    for contact in project.organization.contacts if project.organization else ():
        if contact.role:
            found.append((project.config_path, _message(contact.role, ROLE_CONTEXT, contact.line, ())))
    return found


def _read_body(lines: list[str], start: int, path: Path) -> tuple[list[Token], SyntaxTreeNode, list[Block]]:
    """The Markdown from ``lines[start]`` on: its tokens, its tree and its blocks of text."""
    _check_marks(lines, start, path)
    tokens = markdown_parser().parse("\n".join(lines[start:]))
    deep = too_deep(tokens)
    if deep is not None:
        raise SourceError(f"Markdown is nested more than {MAX_NESTING} levels deep (quotes, lists or emphasis)",
                          path, start + 1 + deep)
    body = SyntaxTreeNode(tokens)
    return tokens, body, _read_blocks(body, path, lines, start + 1)


def _check_placeholders(messages: list[Message], values: dict[str, Value], lines: list[str], path: Path) -> None:
    for message in messages:
        for name in message.placeholders:
            if name not in values:
                line = _line_of(f"{{{name}}}", lines, message.line)
                known = ", ".join(sorted(values)) or "none are defined"
                raise SourceError(f"placeholder {{{name}}} has no entry in 'values' ({known})", path, line)


def read_sources(project: Project) -> list[Source]:
    """Every source of the project, with slugs checked to be unique (case-insensitively, for portability)."""
    sources = [read_source(path) for path in project.source_files()]
    check_unique_slugs([(source.slug, source.path) for source in sources])
    return sources


def check_unique_slugs(slugs: list[tuple[str, Path]]) -> None:
    """Refuse two releases with one slug: their catalogs and outputs would overwrite each other."""
    seen: dict[str, Path] = {}
    for slug, path in slugs:
        other = seen.setdefault(slug.casefold(), path)
        if other != path:
            raise SourceError(
                f"slug '{slug}' is already used by {other.name}: each release needs its own slug",
                path,
                _field_line(path, "slug"),
            )


def _read_text(path: Path) -> str:
    data = read_limited(path, MAX_SOURCE_BYTES, SourceError, "source file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8", path, line) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _parse_front_matter(text: str, path: Path, first_line: int) -> yaml.MappingNode:
    try:
        _check_yaml_depth(text, path, first_line)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        raise SourceError(f"front matter is not valid YAML: {exc.problem or exc.context}", path, line) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"front matter is not valid YAML: {exc}", path, first_line) from None
    if node is None:
        raise SourceError("front matter is empty: it needs at least a title", path, first_line - 1)
    if not isinstance(node, yaml.MappingNode):
        raise SourceError("front matter must be a mapping of fields (title: …)", path, first_line + node.start_mark.line)
    _refuse_aliases(node, path, first_line, set())
    # Shift every mark so that node lines are lines of the source file.
    _shift_marks(node, first_line)
    return node


def _check_yaml_depth(text: str, path: Path, first_line: int) -> None:
    # PyYAML composes nodes recursively: count the depth on its (flat) token stream first.
    depth = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
                              yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)):
            depth += 1
            if depth > MAX_NESTING:
                raise SourceError(f"front matter is nested more than {MAX_NESTING} levels deep", path,
                                  first_line + token.start_mark.line)
        elif isinstance(token, (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)):
            depth -= 1


def _refuse_aliases(node: yaml.Node, path: Path, first_line: int, seen: set[int], line: int | None = None) -> None:
    # A composed alias is the same node object met twice; refusing them rules out "billion laughs".
    # ``line`` is where the node is used (its key), since an alias node keeps its anchor's position.
    if id(node) in seen:
        where = line if line is not None else first_line + node.start_mark.line
        raise SourceError("YAML aliases (*name) are not allowed in front matter", path, where)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _refuse_aliases(key, path, first_line, seen)
            _refuse_aliases(value, path, first_line, seen, first_line + key.start_mark.line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _refuse_aliases(item, path, first_line, seen, line)


def _shift_marks(node: yaml.Node, first_line: int) -> None:
    node.line = first_line + node.start_mark.line  # type: ignore[attr-defined]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _shift_marks(key, first_line)
            _shift_marks(value, first_line)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _shift_marks(item, first_line)


def _read_fields(node: yaml.MappingNode, path: Path):
    items = mapping_items(node, path, "front matter")
    fields: dict[str, object] = {}
    messages: list[Message] = []
    values: dict[str, Value] = {}
    slug = None
    for name, (key_node, value_node) in items.items():
        if name in TRANSLATABLE_FIELDS:
            if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != "tag:yaml.org,2002:str":
                raise SourceError(f"'{name}' must be text", path, value_node.line)
            text = contact_text(value_node.value) if name == "contact" else " ".join(value_node.value.split())
            if not text:
                raise SourceError(f"'{name}' is empty", path, value_node.line)
            fields[name] = text
            messages.append(_message(text, name, value_node.line, ()))
        elif name == "contacts":
            fields[name] = _contacts(value_node, path)
            messages += [_message(c.role, ROLE_CONTEXT, c.line, ()) for c in fields[name] if c.role]
        elif name in _FLAG_FIELDS:
            if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != "tag:yaml.org,2002:bool":
                raise SourceError(f"'{name}' must be true or false", path, value_node.line)
            fields[name] = value_node.value.lower() in ("true", "yes", "on")
        elif name == "values":
            if not isinstance(value_node, yaml.MappingNode):
                raise SourceError("'values' must be a mapping of names to values", path, value_node.line)
            values = parse_values(mapping_items(value_node, path, "values"), path)
        elif name == "date":
            fields[name] = parse_date_node(value_node, path, "'date'")
        elif name == "embargo":
            fields[name] = _embargo(value_node, path)
        elif name == "embargo_zone":
            fields[name] = _zone(value_node, path)
        elif name in ("slug", "organization"):
            if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != "tag:yaml.org,2002:str":
                raise SourceError(f"'{name}' must be text", path, value_node.line)
            fields[name] = value_node.value
            if name == "slug":
                slug = value_node.value
                if not is_valid_slug(slug):
                    raise SourceError(
                        f"slug '{slug}' may hold only letters, digits, '.', '_' and '-'", path, value_node.line
                    )
        else:
            known = ", ".join(TRANSLATABLE_FIELDS + DATA_FIELDS)
            raise SourceError(f"unknown front matter field '{name}' (known: {known})", path, key_node.line)
    if "title" not in fields:
        raise SourceError("front matter has no 'title'", path, 1)
    effective_slug = slug or path.stem
    if not is_valid_slug(effective_slug):
        raise SourceError(
            f"file name '{path.name}' does not make a valid slug; rename it or set 'slug:' in the front matter",
            path,
            1,
        )
    if effective_slug.casefold() in RESERVED_SLUGS:
        raise SourceError(f"slug '{effective_slug}' is reserved for the {effective_slug.casefold()} catalog; choose another",
                          path, 1)
    return fields, values, messages, slug


def contact_text(text: str) -> str:
    """The free-text ``contact``, one line per line written: ``contact: |`` keeps its lines, and a line
    ending in ``\\`` (Markdown's hard break, also when YAML folded the lines into one) ends a line."""
    text = re.sub(r"[ \t]*(?<!\\)\\(?:[ \t]+|$)", "\n", text, flags=re.MULTILINE)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _contacts(node: yaml.Node, path: Path) -> tuple[Contact, ...]:
    """``contacts:``, a list of press contacts with the keys of ``[[organization.contact]]``."""
    if not isinstance(node, yaml.SequenceNode):
        raise SourceError("'contacts' must be a list of contacts (name, role, phone, email, address, languages)",
                          path, node.line)
    contacts = []
    for item in node.value:
        def fail(message: str, _key: str | None = None, line: int = item.line) -> SourceError:
            return SourceError(message, path, line)

        if not isinstance(item, yaml.MappingNode):
            raise fail("each entry of 'contacts' must be a mapping such as {name: …, email: …}")
        table: dict[str, object] = {}
        for key, (_key_node, value) in mapping_items(item, path, "contact").items():
            if isinstance(value, yaml.SequenceNode):
                table[key] = [v.value if isinstance(v, yaml.ScalarNode) else None for v in value.value]
            else:
                table[key] = value.value if isinstance(value, yaml.ScalarNode) else None
        contacts.append(contact_from(table, fail, normalize_language, path, item.line))
    return tuple(contacts)


def _zone(node: yaml.Node, path: Path) -> str:
    """``embargo_zone: Europe/Zurich``: the IANA zone this release's embargo is shown in."""
    try:
        if not isinstance(node, yaml.ScalarNode):
            raise ValueError("'embargo_zone' must be an IANA time zone such as Europe/Zurich")
        time_zone(node.value)
    except ValueError as exc:
        raise SourceError(f"embargo_zone: {exc}", path, node.line) from None
    return node.value


def _embargo(node: yaml.Node, path: Path):
    """``embargo: 2023-07-25T10:00:00+02:00``: a moment with its zone (embargo.py)."""
    if not isinstance(node, yaml.ScalarNode):
        raise SourceError("'embargo' must be a date and time such as 2023-07-25T10:00:00+02:00", path, node.line)
    try:
        return parse_moment(node.value)
    except ValueError as exc:
        raise SourceError(f"'embargo': {exc}", path, node.line) from None


def _read_blocks(body: SyntaxTreeNode, path: Path, lines: list[str], first_line: int) -> list[Block]:
    blocks: list[Block] = []
    _walk_blocks(body.children, path, first_line, blocks, comments=(), context=None, skip=False)
    return blocks


def _walk_blocks(nodes, path, first_line, blocks, comments, context, skip) -> None:
    pending_comments: list[str] = []
    pending_context: str | None = None
    pending_skip = False
    for node in nodes:
        if node.type == "html_block":
            directive = _DIRECTIVE_RE.match(node.content.strip())
            if directive is None:
                continue
            kind, argument = directive.group(1).lower(), " ".join(directive.group(2).split())
            line = first_line + node.map[0]
            if kind == "translators":
                if not argument:
                    raise SourceError("empty translators comment", path, line)
                pending_comments.append(argument)
            elif argument.lower() == "skip":
                pending_skip = True
            elif argument.lower().startswith("context "):
                name = argument[len("context ") :].strip()
                pending_context = name
            else:
                raise SourceError(
                    f"unknown directive 'i18n: {argument}' (expected 'i18n: skip' or 'i18n: context NAME')", path, line
                )
            continue
        node_comments = comments + tuple(pending_comments)
        node_context = pending_context if pending_context is not None else context
        node_skip = skip or pending_skip
        pending_comments, pending_context, pending_skip = [], None, False
        if node.type == "inline":
            blocks.append(_block_for(node, first_line, node_comments, node_context, node_skip))
        elif node.children:
            _walk_blocks(node.children, path, first_line, blocks, node_comments, node_context, node_skip)


def _block_for(node: SyntaxTreeNode, first_line: int, comments, context, skip) -> Block:
    line = first_line + node.map[0]
    children = [c for c in (node.children or []) if not (c.type in ("text", "softbreak") and not c.content.strip())]
    alt_text = len(children) == 1 and children[0].type == "image"
    caption = caption_message = None
    if alt_text:
        text = " ".join(children[0].content.split())
        title = " ".join(str(children[0].attrs.get("title") or "").split())
        if title and node.parent is not None and node.parent.type == "paragraph":
            caption = title
            if not skip and _has_words(title):
                caption_message = _message(title, CAPTION_CONTEXT, line, tuple(comments))
    else:
        text = message_text(node.content)
    if skip or not _has_words(text):
        return Block(node, None, alt_text, caption, caption_message)
    return Block(node, _message(text, context, line, tuple(comments)), alt_text, caption, caption_message)


def _message(text: str, context: str | None, line: int, comments: tuple[str, ...]) -> Message:
    placeholders = tuple(dict.fromkeys(placeholders_in(text)))
    # The flag makes msgfmt -c, Poedit and Weblate check that translators keep every placeholder.
    flags = ("python-brace-format",) if placeholders else ()
    return Message(text, context, line, comments, placeholders, flags=flags)


def _has_words(text: str) -> bool:
    """A block of only figures, placeholders and punctuation (a table cell "{area}") needs no translator."""
    return bool(re.search(r"[^\W\d_]", PLACEHOLDER_RE.sub("", text)))


def message_text(content: str) -> str:
    """A block's inline Markdown as one msgid: soft line breaks become spaces, hard breaks ``\\``+newline."""
    lines = content.split("\n")
    parts: list[str] = []
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        stripped = line.strip()
        if not last and (line.endswith("  ") or (stripped.endswith("\\") and not stripped.endswith("\\\\"))):
            parts.append(stripped.rstrip("\\").rstrip() + "\\\n")
        else:
            parts.append(stripped + ("" if last else " "))
    return "".join(parts).strip()


def _line_of(needle: str, lines: list[str], start_line: int) -> int:
    for index in range(start_line - 1, len(lines)):
        if needle in lines[index]:
            return index + 1
    return start_line


def _field_line(path: Path, name: str) -> int:
    text = path.read_text(encoding="utf-8", errors="replace")
    match = re.search(rf"^{re.escape(name)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1
