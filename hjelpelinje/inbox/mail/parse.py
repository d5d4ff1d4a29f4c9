"""Reading a raw mail into what the inbox stores, without ever raising and without ever
holding a large attachment twice.

Why not hand the whole mail to `email.message_from_bytes`? Its feed parser splits the body
into lines and joins them again: a mail with a 25 MB attachment costs some 260 MB of memory
that way. So the MIME tree is split here, on the raw bytes (boundaries found with one
regular expression, parts kept as views into the one buffer), and the standard library's
`email` package (policy.default) reads every header: encoded words, addresses, charsets,
RFC 2231 file names. The transfer encodings (base64, quoted-printable) are undone with the
standard library's `binascii` and `quopri`, a megabyte at a time, straight from the buffer
into the encrypted chunks as a part is stored.

Whatever goes wrong (a boundary that never comes, an unknown charset, 8-bit bytes in a
header that are not UTF-8, parts nested too deep) is noted as a reason and the rest is
read all the same: the mail is stored, flagged "could not be read", with its raw bytes
kept beside it.
"""

from __future__ import annotations

import binascii
import codecs
import datetime as dt
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import errors as email_errors
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

# Undecoded bytes handled at a time.
SMALL_PART = 1024 * 1024
# How deep multiparts may nest, and how many parts a mail may have, before the rest is
# left in the raw copy only (a mail built to exhaust the parser stays a mail).
MAX_DEPTH = 20
MAX_PARTS = 500
# The text and HTML kept per mail; anything past it stays in the raw copy.
MAX_TEXT_CHARS = 2_000_000
# How many References are kept for threading (the newest).
MAX_REFERENCES = 50
DECODE_CHUNK = 1024 * 1024 // 3 * 4  # base64 characters per decoded chunk (~1 MiB)

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,500}>")
_AUTOMATIC_SENDERS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?)([+-].*)?$",
    re.IGNORECASE,
)

_header_parser = BytesHeaderParser(policy=policy.default)


@dataclass
class Part:
    """An attachment or an inline image: its bytes are read from the mail on demand."""

    kind: str  # "file" or "inline" (models.Attachment.Kind)
    filename: str
    content_type: str
    content_id: str
    body: memoryview
    encoding: str
    headers: bytes
    reasons: list[str] = field(default_factory=list)

    def chunks(self) -> Iterator[bytes]:
        """The decoded bytes, in pieces of about a megabyte."""
        yield from _decode_stream(self.body, self.encoding, self.headers, self.reasons)


@dataclass
class ParsedMail:
    subject: str = ""
    sender_address: str = ""
    sender_name: str = ""
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    date: dt.datetime | None = None
    text: str = ""
    html: str = ""
    parts: list[Part] = field(default_factory=list)
    automatic: bool = False
    # Why the mail could not be read in full: codes, in the order found ("mime",
    # "charset", "headers", "encoding", "limits").
    reasons: list[str] = field(default_factory=list)

    @property
    def unreadable(self) -> bool:
        return bool(self.reasons)

    def note(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


def clean_text(value: str) -> str:
    """Text that can be stored: 8-bit bytes the parser could only keep as surrogate escapes
    read as UTF-8 (RFC 6532), anything else replaced; NUL removed (PostgreSQL refuses it)."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    value = value.encode("utf-8", "replace").decode("utf-8")
    return value.replace("\x00", "")


def _has_surrogates(value: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def split_header(data: bytes, start: int = 0, end: int | None = None) -> tuple[bytes, int]:
    """The header block of the message or part in data[start:end], and where its body
    starts. Positions are into `data`, so no part is ever copied out of the mail."""
    end = len(data) if end is None else end
    # The header block ends at the first empty line; a part without headers starts with it.
    if data.startswith(b"\n", start, end):
        return b"", start + 1
    if data.startswith(b"\r\n", start, end):
        return b"", start + 2
    match = _HEADER_END.search(data, start, end)
    if match is None:
        return data[start:end], end
    return data[start : match.start()] + b"\n", match.end()


def parse_headers(header_bytes: bytes) -> EmailMessage:
    message = _header_parser.parsebytes(header_bytes)
    assert isinstance(message, EmailMessage)
    return message


def _header(message: EmailMessage, name: str, mail: ParsedMail) -> str:
    """A header's decoded value ('' when absent or beyond reading), noting why not."""
    try:
        value = message.get(name)
    except Exception:  # the header parser has edge cases that raise; the mail still counts
        mail.note("headers")
        raw = message.get_all(name, failobj=[])
        value = raw[0] if raw else None
        return clean_text(str(value)) if value is not None else ""
    if value is None:
        return ""
    defects = getattr(value, "defects", ())
    if any(isinstance(d, email_errors.CharsetError) for d in defects):
        mail.note("charset")
    text = str(value)
    if _has_surrogates(text):
        try:
            text.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeDecodeError:
            # 8-bit bytes that are not UTF-8: the charset was never said, so it is a guess.
            mail.note("headers")
        else:
            pass  # UTF-8 in headers (RFC 6532) is allowed and read as such.
    return clean_text(text)


def _raw_header(message: EmailMessage, name: str) -> str:
    values = message.get_all(name, failobj=[])
    return clean_text(str(values[0])) if values else ""


def message_ids(value: str) -> list[str]:
    return _MESSAGE_ID.findall(value)


def normalise_message_id(value: str) -> str:
    """The Message-ID as it is hashed: the first `<...>` token, or the bare value."""
    found = message_ids(value)
    if found:
        return found[0]
    return re.sub(r"\s+", "", value)[:500]


def normalise_address(address: str) -> str:
    return address.strip().lower()


def _read_sender(message: EmailMessage, mail: ParsedMail) -> None:
    name, address = "", ""
    try:
        header = message.get("From")
        addresses = getattr(header, "addresses", ()) if header is not None else ()
        if addresses:
            first = addresses[0]
            name, address = first.display_name, first.addr_spec
        elif header is not None:
            name, address = parseaddr(str(header))
    except Exception:
        mail.note("headers")
        raw = _raw_header(message, "From")
        found = getaddresses([raw])
        if found:
            name, address = found[0]
    if _has_surrogates(name + address):
        try:
            (name + address).encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeDecodeError:
            mail.note("headers")
    mail.sender_name = clean_text(name)[:500]
    mail.sender_address = clean_text(address)[:500]
    if address == "<>" or not address:
        return
    local = address.rpartition("@")[0] or address
    if _AUTOMATIC_SENDERS.match(local):
        mail.automatic = True


def _read_date(message: EmailMessage) -> dt.datetime | None:
    raw = _raw_header(message, "Date")
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    if not 1970 <= parsed.year <= 9000:
        return None
    return parsed


def _is_automatic(message: EmailMessage) -> bool:
    """RFC 3834 and what mail systems do in practice (Zammad's filters list the same)."""
    auto = _raw_header(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return True
    if _raw_header(message, "Precedence").strip().lower() in {"bulk", "list", "junk"}:
        return True
    for name in ("List-Id", "List-Unsubscribe", "X-Auto-Response-Suppress", "X-Loop"):
        if message.get_all(name):
            return True
    return _raw_header(message, "Return-Path").strip() == "<>"


def read_envelope(header_bytes: bytes) -> ParsedMail:
    """What the headers alone say: for a mail too large to download."""
    mail = ParsedMail()
    try:
        message = parse_headers(header_bytes)
        _read_envelope(message, mail)
    except Exception:
        mail.note("headers")
    return mail


def _read_envelope(message: EmailMessage, mail: ParsedMail) -> None:
    if message.defects:
        mail.note("headers")
    mail.subject = _header(message, "Subject", mail)[:2000]
    _read_sender(message, mail)
    raw_id = _raw_header(message, "Message-ID")
    mail.message_id = normalise_message_id(raw_id) if raw_id.strip() else ""
    mail.in_reply_to = message_ids(_raw_header(message, "In-Reply-To"))[:MAX_REFERENCES]
    mail.references = message_ids(_raw_header(message, "References"))[-MAX_REFERENCES:]
    mail.date = _read_date(message)
    mail.automatic = mail.automatic or _is_automatic(message)


def parse_mail(raw: bytes) -> ParsedMail:
    """Everything the inbox keeps of a mail. Never raises."""
    mail = ParsedMail()
    try:
        header_bytes, body_start = split_header(raw)
        message = parse_headers(header_bytes)
        _read_envelope(message, mail)
        counter = [0]
        _walk(message, header_bytes, raw, body_start, len(raw), mail, depth=0, counter=counter)
    except Exception:
        # Anything unforeseen still leaves a mail to store: what was read, flagged.
        mail.note("mime")
    mail.text = mail.text[:MAX_TEXT_CHARS]
    mail.html = mail.html[:MAX_TEXT_CHARS]
    return mail


def _delimiters(
    data: bytes, start: int, end: int, boundary: str
) -> tuple[list[tuple[int, int]], bool]:
    """Where the delimiter lines in data[start:end] are: (start, end of line) of each, up
    to the closing one, and whether the closing one came.

    A delimiter is "--boundary" at the start of a line, "--" more at the close, then
    optional white space to the line's end (RFC 2046). Found with bytes.find, not a
    regular expression: a 30 MB body is scanned in milliseconds.
    """
    marker = b"--" + boundary.encode("utf-8", "surrogateescape")
    found: list[tuple[int, int]] = []
    at = start
    while True:
        hit = data.find(marker, at, end)
        if hit < 0:
            return found, False
        at = hit + len(marker)
        if hit > start and data[hit - 1] != 0x0A:
            continue
        line_end = data.find(b"\n", at, end)
        if line_end < 0:
            line_end = end
        rest = data[at:line_end].rstrip(b"\r")
        closing = rest.startswith(b"--")
        if (rest[2:] if closing else rest).strip(b" \t"):
            continue  # "--boundaryX": a longer word, not this delimiter
        # The line break before the delimiter belongs to it.
        begin = hit - 1 if hit > start else hit
        if begin > start and data[begin - 1] == 0x0D:
            begin -= 1
        found.append((begin, line_end))
        if closing:
            return found, True
        at = line_end


def _walk(
    message: EmailMessage,
    header_bytes: bytes,
    data: bytes,
    start: int,
    end: int,
    mail: ParsedMail,
    *,
    depth: int,
    counter: list[int],
) -> None:
    counter[0] += 1
    if counter[0] > MAX_PARTS or depth > MAX_DEPTH:
        mail.note("limits")
        return
    body = memoryview(data)[start:end]
    try:
        content_type = message.get_content_type()
    except Exception:
        mail.note("headers")
        content_type = "text/plain"
    if not content_type.startswith("multipart/"):
        _leaf(message, header_bytes, body, mail, content_type=content_type)
        return
    boundary = None
    try:
        boundary = message.get_boundary()
    except Exception:
        mail.note("headers")
    delimiters, closed = _delimiters(data, start, end, boundary) if boundary else ([], False)
    if not delimiters:
        # A multipart without a boundary, or whose boundary never comes: shown as text.
        mail.note("mime")
        _leaf(message, header_bytes, body, mail, content_type="text/plain")
        return
    if not closed:
        mail.note("mime")
    begins = [line_end for _begin, line_end in delimiters]
    ends = [begin for begin, _line_end in delimiters[1:]]
    if not closed:
        ends.append(end)
    for begin, part_end in zip(begins, ends, strict=False):
        # The line break after the delimiter belongs to it too.
        if data.startswith(b"\n", begin, part_end):
            begin += 1
        part_headers, body_start = split_header(data, begin, part_end)
        try:
            part = parse_headers(part_headers)
        except Exception:
            mail.note("headers")
            continue
        if part.defects:
            mail.note("headers")
        _walk(
            part, part_headers, data, body_start, part_end, mail, depth=depth + 1, counter=counter
        )


def _params(message: EmailMessage, mail: ParsedMail) -> tuple[str, str, str, str]:
    """Disposition, filename, Content-ID and transfer encoding of a part."""
    try:
        disposition = message.get_content_disposition() or ""
    except Exception:
        mail.note("headers")
        disposition = ""
    try:
        filename = message.get_filename() or ""
    except Exception:
        mail.note("headers")
        filename = ""
    content_id = ""
    cid = _raw_header(message, "Content-ID")
    if cid:
        content_id = cid.strip().strip("<>").strip()[:500]
    encoding = _raw_header(message, "Content-Transfer-Encoding").strip().lower()
    return disposition, clean_text(str(filename))[:500], clean_text(content_id), encoding


def _leaf(
    message: EmailMessage,
    header_bytes: bytes,
    body: memoryview,
    mail: ParsedMail,
    *,
    content_type: str,
) -> None:
    disposition, filename, content_id, encoding = _params(message, mail)
    if encoding not in {"", "7bit", "8bit", "binary", "base64", "quoted-printable"}:
        mail.note("encoding")
    is_text = content_type in {"text/plain", "text/html"}
    if is_text and disposition != "attachment" and not filename:
        text = _decode_text(message, header_bytes, body, encoding, mail)
        if content_type == "text/html":
            mail.html = f"{mail.html}\n{text}" if mail.html else text
        else:
            mail.text = f"{mail.text}\n\n{text}" if mail.text else text
        return
    kind = "inline" if content_id and disposition != "attachment" else "file"
    if content_type == "message/rfc822" and not filename:
        filename = "message.eml"
    mail.parts.append(
        Part(
            kind=kind,
            filename=filename,
            content_type=content_type,
            content_id=content_id,
            body=body,
            encoding=encoding,
            headers=header_bytes,
            reasons=mail.reasons,
        )
    )


def _charset(message: EmailMessage, mail: ParsedMail) -> str:
    try:
        charset = message.get_content_charset() or "us-ascii"
    except Exception:
        mail.note("headers")
        return "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        mail.note("charset")
        return ""
    return charset


def _decode_text(
    message: EmailMessage,
    header_bytes: bytes,
    body: memoryview,
    encoding: str,
    mail: ParsedMail,
) -> str:
    charset = _charset(message, mail)
    limited = body[: MAX_TEXT_CHARS * 4]
    data = b"".join(_decode_stream(limited, encoding, header_bytes, mail.reasons))
    if not charset:
        # An unknown charset: read as UTF-8 where it is, the rest replaced, and flagged.
        return clean_text(data.decode("utf-8", "replace"))
    if charset.lower() in {"us-ascii", "ascii"}:
        charset = "utf-8"  # undeclared 8-bit text is UTF-8 more often than not
    try:
        text = data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        mail.note("charset")
        text = data.decode(charset, "replace") if charset else data.decode("utf-8", "replace")
    except Exception:
        mail.note("charset")
        text = data.decode("utf-8", "replace")
    return clean_text(text)


def _decode_stream(
    body: memoryview, encoding: str, headers: bytes, reasons: list[str]
) -> Iterator[bytes]:
    """A part's bytes decoded from its transfer encoding, a megabyte at a time."""
    if encoding == "base64":
        yield from _base64_stream(body, reasons)
    elif encoding == "quoted-printable":
        if len(body) <= SMALL_PART:
            yield quopri.decodestring(bytes(body))
            return
        # Split after a line break, so no =XX escape or soft break is cut in two.
        start = 0
        while start < len(body):
            end = min(start + SMALL_PART, len(body))
            if end < len(body):
                newline = bytes(body[start:end]).rfind(b"\n")
                if newline > 0:
                    end = start + newline + 1
            yield quopri.decodestring(bytes(body[start:end]))
            start = end
    else:
        for start in range(0, len(body), SMALL_PART):
            yield bytes(body[start : start + SMALL_PART])


_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")


def _base64_stream(body: memoryview, reasons: list[str]) -> Iterator[bytes]:
    """Base64 decoded leniently, as mail readers do: characters outside the alphabet are
    skipped, missing padding is supplied, and what follows a final '=' is ignored."""
    carry = b""
    for start in range(0, len(body), DECODE_CHUNK):
        piece = bytes(body[start : start + DECODE_CHUNK])
        padded_end = piece.find(b"=")
        final = padded_end >= 0
        if final:
            piece = piece[:padded_end]
        letters = carry + _NOT_BASE64.sub(b"", piece)
        usable = len(letters) - len(letters) % 4
        carry = letters[usable:]
        if usable:
            yield binascii.a2b_base64(letters[:usable])
        if final:
            break
    if len(carry) == 1:
        # One letter left over cannot be a byte: the part was cut short or mangled.
        if "encoding" not in reasons:
            reasons.append("encoding")
    elif carry:
        yield binascii.a2b_base64(carry + b"=" * (-len(carry) % 4))
