"""A forgiving parser for the shell commands agents ask to run.

It turns a command line into the flat list of simple commands it would execute, nested ones included
(subshells, groups, `$(…)`, backticks, process substitution, substitutions inside unquoted heredocs),
each with its words after quote removal and its redirections. Expansions are kept as parts of a word,
not performed, so the safety policy can decide which ones it can resolve.

It never raises: input it cannot make sense of (an unterminated quote, a stray closing parenthesis
inside a substitution, nesting too deep) is parsed as far as possible and the problem is recorded in
`ParsedScript.error`, so the caller can be conservative about it.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Sequence

import attrs


class PartKind(enum.Enum):
    LITERAL = "literal"  # unquoted text
    QUOTED = "quoted"  # text from quotes or a backslash escape
    GLOB = "glob"  # an unquoted pattern character: * ? [ { }
    TILDE = "tilde"  # a leading unquoted ~ (text is the user name, empty for the current user)
    VAR = "var"  # $NAME (text NAME) or ${…} (text {…})
    COMMAND = "command"  # $(…), `…` or <(…): output nobody can know in advance


@attrs.frozen
class Part:
    kind: PartKind
    text: str


@attrs.frozen
class Word:
    """One shell word after quote removal, as a sequence of literal and expansion parts."""

    parts: tuple[Part, ...]

    @classmethod
    def literal(cls, text: str) -> Word:
        """A word taken as is, as in an argv list that no shell will see."""
        return cls((Part(PartKind.QUOTED, text),))

    @property
    def text(self) -> str:
        """The word as written without quotes, expansions shown in their `$` form."""
        out = []
        for part in self.parts:
            if part.kind is PartKind.TILDE:
                out.append("~" + part.text)
            elif part.kind is PartKind.VAR:
                out.append("$" + part.text)
            elif part.kind is PartKind.COMMAND:
                out.append("$(" + part.text + ")")
            else:
                out.append(part.text)
        return "".join(out)

    @property
    def is_plain(self) -> bool:
        """True when the word contains no variable or command substitution."""
        return all(p.kind not in (PartKind.VAR, PartKind.COMMAND) for p in self.parts)

    @property
    def is_unquoted(self) -> bool:
        return all(p.kind in (PartKind.LITERAL, PartKind.GLOB) for p in self.parts)

    @property
    def has_glob(self) -> bool:
        return any(p.kind is PartKind.GLOB for p in self.parts)


@attrs.frozen
class Redirect:
    op: str  # one of > >> < <> >& <& &> &>> << <<<  (>| is reported as >)
    fd: int | None
    target: Word  # the file, fd, here-string or here-document delimiter
    body: str | None = None  # the text of a here-document


@attrs.frozen
class SimpleCommand:
    """One command the shell would run.

    `cd_steps` are the `cd` targets that ran before it; only the first `cd_sure` of them certainly
    succeeded (a `cd` followed by `;` or `||` may have failed and left the directory unchanged).
    `stdin_from` is the previous stage when the command reads a pipe.
    """

    words: tuple[Word, ...]
    redirects: tuple[Redirect, ...] = ()
    cd_steps: tuple[Word, ...] = ()
    cd_sure: int = 0
    stdin_from: SimpleCommand | None = None


@attrs.frozen
class ParsedScript:
    commands: tuple[SimpleCommand, ...]
    error: str | None = None


def name_set(text: str) -> frozenset[str]:
    """A set of names written as one space-separated string, which keeps long tables short."""
    return frozenset(text.split())


def parse(source: str) -> ParsedScript:
    """Parse a command line into the simple commands it would run. Never raises."""
    parser = _Parser(source, 0, _Chain())
    parser.run()
    return ParsedScript(_freeze(parser.commands), parser.errors[0] if parser.errors else None)


_MAX_DEPTH = 48
_MAX_CD_STEPS = 16
_WORD_END = frozenset(" \t\n;&|<>()")
_RESERVED = name_set("if then else elif fi do done while until for case esac select function ! { } [[ ]] coproc")
_REDIRECT = re.compile(r"(\d*)(>>|>\||>&|>|<<<|<<-|<<|<>|<&|<)|&>>|&>")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-]")
_LITERAL_RUN = re.compile(r"[^ \t\n;&|<>()\\'\"$`*?\[\]{}]+")
_QUOTED_RUN = re.compile(r"[^\"\\$`]+")
_TILDE = re.compile(r"~([A-Za-z0-9._-]*)(?=/|$|[ \t\n;&|<>()])")
_NUMERIC_ESCAPE = re.compile(r"x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|([0-7]{1,3})")
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}
_UNKNOWN = Word((Part(PartKind.COMMAND, "unknown"),))
_HOME = Word((Part(PartKind.TILDE, ""),))


@attrs.define
class _Chain:
    """The `cd`s run so far in a list; the first `sure` certainly succeeded, and `floor` of them did so
    before the current list began (a failure inside a subshell cannot undo those)."""

    steps: tuple[Word, ...] = ()
    sure: int = 0
    floor: int = 0

    def nested(self) -> _Chain:
        return _Chain(self.steps, self.sure, self.sure)

    def add(self, step: Word, *, sure: bool) -> None:
        if len(self.steps) >= _MAX_CD_STEPS:
            # Past this many, where a command runs is simply unknown.
            self.steps = (*self.steps[:-1], _UNKNOWN)
            self.sure = min(self.sure, len(self.steps) - 1)
            return
        if sure and self.sure == len(self.steps):
            self.sure += 1
        self.steps += (step,)

    def doubt(self) -> None:
        self.sure = self.floor


@attrs.define(eq=False)
class _RedirectDraft:
    op: str
    fd: int | None
    target: Word
    body: str | None = None


@attrs.define(eq=False)
class _Draft:
    words: list[Word]
    redirects: list[_RedirectDraft]
    chain: _Chain
    stdin_from: _Draft | None


def _freeze(drafts: list[_Draft]) -> tuple[SimpleCommand, ...]:
    # A pipeline stage is always drafted before the stage it feeds, so one pass in order suffices.
    done: dict[int, SimpleCommand] = {}
    for draft in drafts:
        redirects = tuple(Redirect(r.op, r.fd, r.target, r.body) for r in draft.redirects)
        piped = done.get(id(draft.stdin_from)) if draft.stdin_from is not None else None
        done[id(draft)] = SimpleCommand(tuple(draft.words), redirects, draft.chain.steps, draft.chain.sure, piped)
    return tuple(done[id(d)] for d in drafts)


def _cd_target(words: list[Word]) -> Word | None:
    """The directory a `cd`/`pushd` command moves to, or None if the command is something else."""
    if not words or not words[0].is_plain or words[0].text not in ("cd", "pushd", "popd"):
        return None
    if words[0].text == "popd":
        return _UNKNOWN
    args = [w for w in words[1:] if w.text not in ("-L", "-P", "-e", "-@", "--")]
    if not args:
        return _HOME
    return _UNKNOWN if args[0].text == "-" else args[0]


class _Parser:
    def __init__(self, src: str, depth: int, chain: _Chain) -> None:
        self.src = src
        self.pos = 0
        self.depth = depth
        self.chain = chain
        self.commands: list[_Draft] = []
        self.errors: list[str] = []
        self.heredocs: list[tuple[_RedirectDraft, str, bool, bool]] = []

    def run(self) -> None:
        self._list(None, self.chain)
        if self.heredocs:
            self._read_heredocs()

    def _fail(self, message: str) -> None:
        self.errors.append(message)

    def _peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.src[i] if i < len(self.src) else ""

    def _child(self, text: str, chain: _Chain, *, quoted_body: bool = False) -> None:
        child = _Parser(text, self.depth + 1, chain.nested())
        if child.depth > _MAX_DEPTH:
            self._fail("commands are nested too deeply")
            return
        if quoted_body:
            child._double_quoted(heredoc=True)
        else:
            child.run()
        self.commands.extend(child.commands)
        self.errors.extend(child.errors)

    # Lists and commands ----------------------------------------------------------------------

    def _list(self, closer: str | None, chain: _Chain) -> None:
        outer = self.chain
        self.chain = chain
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            self._fail("commands are nested too deeply")
            self.pos = len(self.src)
        piped: _Draft | None = None
        while self.pos < len(self.src):
            draft = self._command(piped)
            piped = None
            c = self._peek()
            if c == ")":
                self.pos += 1
                if closer == ")":
                    break
                continue
            op = self._operator()
            target = _cd_target(draft.words) if draft is not None else None
            if op in ("|", "|&"):
                piped = draft
            elif op in ("&&", ";", "\n", "||", ";;", ";&", ";;&", ""):
                if target is not None:
                    chain.add(target, sure=op == "&&")
                if op != "&&":
                    chain.doubt()
            if op == "\n" and self.heredocs:
                self._read_heredocs()
        else:
            if closer is not None:
                self._fail("a `(` or `$(` is not closed")
        self.depth -= 1
        self.chain = outer

    def _operator(self) -> str:
        for op in (";;&", "&&", "||", "|&", ";;", ";&", "|", ";", "&", "\n"):
            if self.src.startswith(op, self.pos):
                self.pos += len(op)
                return op
        return ""

    def _skip_blanks(self) -> None:
        while self.pos < len(self.src):
            c = self.src[self.pos]
            if c in " \t":
                self.pos += 1
            elif c == "\\" and self._peek(1) == "\n":
                self.pos += 2
            else:
                return

    def _command(self, piped: _Draft | None) -> _Draft | None:
        words: list[Word] = []
        redirects: list[_RedirectDraft] = []
        naming_function = False
        while True:
            self._skip_blanks()
            c = self._peek()
            if c == "#":
                end = self.src.find("\n", self.pos)
                self.pos = len(self.src) if end < 0 else end
                continue
            if c in ("<", ">") and self._peek(1) == "(":
                words.append(self._process_substitution())
                continue
            match = _REDIRECT.match(self.src, self.pos)
            if match:
                redirects.append(self._redirect(match))
                continue
            if c == "" or c in "\n;&|)":
                break
            if c == "(":
                self.pos += 1
                self._skip_blanks()
                if words and self._peek() == ")":
                    self.pos += 1
                    words.clear()
                    continue
                self._list(")", self.chain.nested())
                continue
            word = self._word()
            if naming_function or (not words and word.is_unquoted and word.text in _RESERVED):
                # `function name { …; }`: the body's commands follow the name, not the keyword.
                naming_function = not naming_function and word.text == "function"
                continue
            words.append(word)
        if not words and not redirects:
            return None
        draft = _Draft(words, redirects, self.chain.nested(), piped)
        self.commands.append(draft)
        return draft

    def _redirect(self, match: re.Match[str]) -> _RedirectDraft:
        self.pos = match.end()
        fd_text, op = match.group(1), match.group(2)
        if op is None:
            op, fd = match.group(0), None
        else:
            fd = int(fd_text) if fd_text and len(fd_text) < 6 else None
        op = ">" if op == ">|" else op
        self._skip_blanks()
        c = self._peek()
        if c == "" or c in _WORD_END:
            self._fail(f"the redirection `{op}` has no target")
            return _RedirectDraft(op, fd, Word(()))
        target = self._word()
        draft = _RedirectDraft(op, fd, target)
        if op in ("<<", "<<-"):
            draft.op = "<<"
            self.heredocs.append((draft, target.text, op == "<<-", not target.is_unquoted))
        return draft

    def _read_heredocs(self) -> None:
        pending, self.heredocs = self.heredocs, []
        for draft, delimiter, strip_tabs, quoted in pending:
            lines = []
            while self.pos < len(self.src):
                end = self.src.find("\n", self.pos)
                end = len(self.src) if end < 0 else end
                line = self.src[self.pos : end]
                self.pos = end + 1
                if (line.lstrip("\t") if strip_tabs else line) == delimiter:
                    break
                lines.append(line.lstrip("\t") if strip_tabs else line)
            self.pos = min(self.pos, len(self.src))
            draft.body = "\n".join(lines)
            if not quoted:
                # An unquoted here-document still runs the substitutions in its body.
                self._child(draft.body, self.chain, quoted_body=True)

    # Words -------------------------------------------------------------------------------------

    def _word(self) -> Word:
        parts: list[Part] = []
        if self._peek() == "~":
            match = _TILDE.match(self.src, self.pos)
            if match:
                parts.append(Part(PartKind.TILDE, match.group(1)))
                self.pos = match.end()
        while self.pos < len(self.src):
            c = self.src[self.pos]
            if c in _WORD_END:
                break
            if c == "\\":
                if self._peek(1) == "\n":
                    self.pos += 2
                    continue
                parts.append(Part(PartKind.QUOTED, self._peek(1) or "\\"))
                self.pos += 2
            elif c == "'":
                end = self.src.find("'", self.pos + 1)
                if end < 0:
                    self._fail("a single quote is not closed")
                    end = len(self.src)
                parts.append(Part(PartKind.QUOTED, self.src[self.pos + 1 : end]))
                self.pos = end + 1
            elif c == '"':
                self.pos += 1
                parts.extend(self._double_quoted(heredoc=False))
            elif c == "$" and self._peek(1) == "'":
                self.pos += 2
                parts.append(Part(PartKind.QUOTED, self._ansi_c()))
            elif c == "$" and self._peek(1) == '"':
                self.pos += 2
                parts.extend(self._double_quoted(heredoc=False))
            elif c in "$`":
                parts.append(self._expansion())
            elif c in "*?[{}":
                parts.append(Part(PartKind.GLOB, c))
                self.pos += 1
            else:
                run = _LITERAL_RUN.match(self.src, self.pos)
                end = run.end() if run else self.pos + 1
                parts.append(Part(PartKind.LITERAL, self.src[self.pos : end]))
                self.pos = end
        return Word(tuple(_merge(parts)))

    def _double_quoted(self, *, heredoc: bool) -> list[Part]:
        parts: list[Part] = []
        while self.pos < len(self.src):
            c = self.src[self.pos]
            if c == '"' and not heredoc:
                self.pos += 1
                return parts
            if c == "\\" and self._peek(1) in ("$", "`", "\\", "\n") + (() if heredoc else ('"',)):
                if self._peek(1) != "\n":
                    parts.append(Part(PartKind.QUOTED, self._peek(1)))
                self.pos += 2
            elif c in "$`" and (c == "`" or self._peek(1) in "({" or _NAME.match(self._peek(1))):
                parts.append(self._expansion())
            else:
                run = _QUOTED_RUN.match(self.src, self.pos)
                end = run.end() if run else self.pos + 1
                parts.append(Part(PartKind.QUOTED, self.src[self.pos : end]))
                self.pos = end
        if not heredoc:
            self._fail("a double quote is not closed")
        return parts

    def _ansi_c(self) -> str:
        out: list[str] = []
        src = self.src
        while self.pos < len(src):
            c = src[self.pos]
            if c == "'":
                self.pos += 1
                return "".join(out)
            if c != "\\":
                out.append(c)
                self.pos += 1
                continue
            nxt = self._peek(1)
            match = _NUMERIC_ESCAPE.match(src, self.pos + 1)
            if match:
                digits = next(g for g in match.groups() if g is not None)
                value = int(digits, 8 if match.group(4) else 16)
                out.append(chr(min(value, 0x10FFFF)))
                self.pos = match.end()
            else:
                out.append(_ESCAPES.get(nxt, "\\" + nxt))
                self.pos += 2
        self._fail("a $'…' quote is not closed")
        return "".join(out)

    def _expansion(self) -> Part:
        """Read `$…` or a backtick substitution at the current position."""
        src, start = self.src, self.pos
        if src[start] == "`":
            end = start + 1
            while end < len(src) and src[end] != "`":
                end += 2 if src[end] == "\\" else 1
            if end >= len(src):
                self._fail("a backtick substitution is not closed")
            inner = src[start + 1 : end]
            self.pos = min(end + 1, len(src))
            self._child(re.sub(r"\\([`$\\])", r"\1", inner), self.chain)
            return Part(PartKind.COMMAND, inner)
        nxt = self._peek(1)
        if nxt == "(":
            self.pos += 2
            self._list(")", self.chain.nested())
            return Part(PartKind.COMMAND, src[start + 2 : max(start + 2, self.pos - 1)])
        if nxt == "{":
            end, level = start + 2, 1
            while end < len(src) and level:
                if src[end] == "\\":
                    end += 1
                elif src.startswith("${", end):
                    level += 1
                    end += 1
                elif src[end] == "}":
                    level -= 1
                end += 1
            if level:
                self._fail("a ${…} expansion is not closed")
            inner = src[start + 2 : end - 1 if not level else end]
            self.pos = end
            if "$(" in inner or "`" in inner:
                self._child(inner, self.chain, quoted_body=True)
            return Part(PartKind.VAR, "{" + inner + "}")
        match = _NAME.match(src, start + 1)
        if match:
            self.pos = match.end()
            return Part(PartKind.VAR, match.group(0))
        self.pos += 1
        return Part(PartKind.LITERAL, "$")

    def _process_substitution(self) -> Word:
        start = self.pos + 2
        self.pos = start
        self._list(")", self.chain.nested())
        return Word((Part(PartKind.COMMAND, self.src[start : max(start, self.pos - 1)]),))


def _merge(parts: list[Part]) -> list[Part]:
    """Join neighbouring literal parts of the same kind, so a word has few parts."""
    merged: list[Part] = []
    for kind, group in itertools.groupby(parts, key=lambda part: part.kind):
        if kind in (PartKind.LITERAL, PartKind.QUOTED):
            merged.append(Part(kind, "".join(part.text for part in group)))
        else:
            merged.extend(group)
    return merged


# Looking through wrappers -----------------------------------------------------------------------


@attrs.frozen
class Invocation:
    """What a simple command finally runs once wrappers such as `sudo` or `bash -c` are looked through."""

    argv: tuple[Word, ...]  # the program and its arguments; empty when nothing visible runs
    scripts: tuple[str, ...] = ()  # shell source handed to a shell (`bash -c`, `eval`, a heredoc for `sh`)
    dynamic_args: bool = False  # more arguments arrive at run time (`xargs`)
    cwd_known: bool = True  # false when a wrapper changes directory (`env -C`, `sudo -D`)


def program_name(word: Word) -> str:
    """The program a command word names (`/usr/bin/git` → `git`), or "" when it is computed at run time."""
    if word.is_plain:
        return word.text.rsplit("/", 1)[-1]
    # `$VENV/bin/python` names python wherever the directory is.
    last = word.parts[-1]
    if last.kind in (PartKind.LITERAL, PartKind.QUOTED) and "/" in last.text:
        return last.text.rsplit("/", 1)[-1]
    return ""


# wrapper → (short options taking a value, long options taking a separate value, operands before the command)
_WRAPPERS: dict[str, tuple[str, frozenset[str], int]] = {
    "env": ("uCS", frozenset({"--unset", "--chdir", "--split-string"}), 0),
    "sudo": (
        "ugpChDrtUTR",
        name_set(
            "--user --group --prompt --close-from --host --role --chdir --type --other-user --command-timeout --chroot"
        ),
        0,
    ),
    "doas": ("uC", frozenset(), 0),
    "nice": ("n", frozenset({"--adjustment"}), 0),
    "nohup": ("", frozenset(), 0),
    "time": ("fo", frozenset({"--format", "--output"}), 0),
    "timeout": ("sk", frozenset({"--signal", "--kill-after"}), 1),
    "exec": ("a", frozenset(), 0),
    "command": ("", frozenset(), 0),
    "builtin": ("", frozenset(), 0),
    "xargs": (
        "EIdLnPsa",
        name_set(
            "--eof --replace --max-lines --max-args --max-procs --max-chars --delimiter --arg-file --process-slot-var"
        ),
        0,
    ),
    "stdbuf": ("ioe", frozenset({"--input", "--output", "--error"}), 0),
    "setsid": ("", frozenset(), 0),
    "ionice": ("cnp", frozenset({"--class", "--classdata", "--pid"}), 0),
    "chroot": ("", frozenset({"--userspec", "--groups"}), 1),
    "busybox": ("", frozenset(), 0),
}
_SHELLS = name_set("sh bash zsh dash ksh mksh ash fish")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")
_CHDIR_OPTIONS = frozenset({"-C", "--chdir", "-D", "--chroot"})


def unwrap(command: SimpleCommand, *, read_stdin: bool = True) -> Invocation:
    """Look through wrappers, assignments and shells to what `command` really runs.

    With `read_stdin`, a shell that reads its commands on stdin gets them from its here-document,
    here-string or the `echo`/`printf` piped into it.
    """
    words = command.words
    dynamic, cwd_known = False, True
    for _ in range(len(words) + 1):
        while (
            words
            and words[0].parts
            and words[0].parts[0].kind is PartKind.LITERAL
            and _ASSIGNMENT.match(words[0].parts[0].text)
        ):
            words = words[1:]
        if not words:
            return Invocation((), (), dynamic, cwd_known)
        name, rest = program_name(words[0]), words[1:]
        if name in _SHELLS:
            scripts = _shell_scripts(rest, command if read_stdin else None)
            return Invocation((), scripts, dynamic, cwd_known)
        if name == "eval":
            return Invocation((), (" ".join(w.text for w in rest),), dynamic, cwd_known)
        if name in ("su", "watch", "trap"):
            # su -c CODE, watch CODE…, trap CODE SIGNAL…: the code runs later, but it runs.
            operands, options = split_options(rest, "csgG", frozenset({"--command", "--shell"}))
            count, _ = _leading_options(rest, "nd", frozenset({"--interval", "--differences"}))
            code = {
                "su": [v.text for o, v in options if o in ("-c", "--command") and v is not None],
                "watch": [" ".join(w.text for w in rest[count:])],
                "trap": [w.text for w in operands[:1]],
            }[name]
            return Invocation((), tuple(code), dynamic, cwd_known)
        if name not in _WRAPPERS or (name == "command" and any(w.text in ("-v", "-V") for w in rest[:1])):
            return Invocation(words, (), dynamic, cwd_known)
        short, long, positional = _WRAPPERS[name]
        count, options = _leading_options(rest, short, long)
        if name == "env" and any(o in ("-S", "--split-string") for o, _ in options):
            split = next(v.text for o, v in options if o in ("-S", "--split-string") and v is not None)
            tail = " ".join(w.text for w in rest[count:])
            return Invocation((), (split + " " + tail,), dynamic, cwd_known)
        dynamic = dynamic or name == "xargs"
        cwd_known = cwd_known and name != "chroot" and not any(o in _CHDIR_OPTIONS for o, _ in options)
        words = rest[count + positional :]
    return Invocation((), (), dynamic, cwd_known)


def _shell_scripts(args: tuple[Word, ...], command: SimpleCommand | None) -> tuple[str, ...]:
    """The source a shell invocation runs: its `-c` string, or what it reads on stdin."""
    i, from_string, from_stdin = 0, False, False
    while i < len(args):
        text = args[i].text
        if text in ("-", "--"):
            i += 1
            break
        if text.startswith("--"):
            i += 2 if text in ("--rcfile", "--init-file") else 1
        elif len(text) > 1 and text[0] in "-+":
            from_string = from_string or (text[0] == "-" and "c" in text)
            from_stdin = from_stdin or "s" in text
            i += 2 if text[-1] in "oO" else 1
        else:
            break
    if from_string:
        return (args[i].text,) if i < len(args) else ()
    if command is None or (i < len(args) and not from_stdin):
        return ()  # a script file, whose contents are not known here
    return stdin_text(command)


def stdin_text(command: SimpleCommand) -> tuple[str, ...]:
    """Best effort at what a command reads on stdin: here-documents, here-strings, `echo … |`."""
    found = []
    for source in (command, command.stdin_from):
        if source is None:
            continue
        for redirect in source.redirects:
            if redirect.op == "<<" and redirect.body is not None:
                found.append(redirect.body)
            elif redirect.op == "<<<":
                found.append(redirect.target.text)
    feeder = unwrap(command.stdin_from, read_stdin=False).argv if command.stdin_from is not None else ()
    if feeder and program_name(feeder[0]) in ("echo", "printf"):
        args = [w.text for w in feeder[1:] if not re.fullmatch(r"-[neE]+", w.text)]
        found.append(" ".join(args).replace("\\n", "\n"))
    return tuple(found)


_Option = tuple[str, "Word | None"]


def _leading_options(args: tuple[Word, ...], short: str, long: frozenset[str]) -> tuple[int, list[_Option]]:
    """Options before the first operand, as (how many words they take, the options)."""
    options: list[_Option] = []
    i = 0
    while i < len(args):
        text = args[i].text
        if text == "--":
            return i + 1, options
        if not text.startswith("-") or text == "-":
            break
        i = _read_option(args, i, short, long, options)
    return i, options


def split_options(
    args: Sequence[Word],
    short: str = "",
    long: frozenset[str] = frozenset(),
) -> tuple[list[Word], list[_Option]]:
    """Split GNU-style arguments into operands and (option, value) pairs.

    `short` lists the single-letter options that take a value, `long` the long ones that take it as
    the next word; `--name=value` always carries its value. Everything after `--` is an operand.
    """
    operands: list[Word] = []
    options: list[_Option] = []
    i = 0
    while i < len(args):
        text = args[i].text
        if text == "--":
            operands.extend(args[i + 1 :])
            break
        if text.startswith("-") and text != "-":
            i = _read_option(args, i, short, long, options)
        else:
            operands.append(args[i])
            i += 1
    return operands, options


def _read_option(args: Sequence[Word], i: int, short: str, long: frozenset[str], out: list[_Option]) -> int:
    text = args[i].text
    nxt = args[i + 1] if i + 1 < len(args) else None
    if text.startswith("--"):
        name, eq, value = text.partition("=")
        if eq:
            out.append((name, reparse_word(value)))
            return i + 1
        out.append((name, nxt if name in long else None))
        return i + 2 if name in long and nxt is not None else i + 1
    for j, letter in enumerate(text[1:], 2):
        if letter in short:
            attached = text[j:]
            out.append(("-" + letter, reparse_word(attached) if attached else nxt))
            return i + 1 if attached or nxt is None else i + 2
        out.append(("-" + letter, None))
    return i + 1


def reparse_word(text: str) -> Word:
    """A word rebuilt from text that was part of a larger word, such as the value in `of=~/x`."""
    script = parse(text)
    if script.error is None and len(script.commands) == 1 and len(script.commands[0].words) == 1:
        return script.commands[0].words[0]
    return Word.literal(text)
