"""Reading a workspace's own text files (``esgledger.toml``, ``factors/*.yaml``, ``library/*.yaml``)
as UTF-8, with a problem a person can act on when they are not.

A file saved as GBK (Notepad or WPS on a Chinese Windows) is the usual cause: the first byte
that is not UTF-8 is named with its line and column, and the message says to save the file as
UTF-8. A UTF-8 byte-order mark (Notepad's "UTF-8 with BOM") is accepted and dropped.

>>> text, where = decode_utf8("a = 1\\nname = \\"天山\\"\\n".encode("gbk"))
>>> text is None, where.line, where.column, where.byte
(True, 2, 9, 204)
>>> decode_utf8(b"\\xef\\xbb\\xbfa = 1\\n")[0]
'a = 1\\n'
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from esgledger.model.errors import Bilingual

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class BadByte:
    """Where a file stops being UTF-8: line and column (both from 1, the column in characters
    of the part of the line that decoded) and the byte found there."""

    line: int
    column: int
    byte: int

    def found(self) -> Bilingual:
        """The ``found`` parameter of the problem that reports it."""
        return Bilingual(f"第 {self.line} 行第 {self.column} 列的字节 0x{self.byte:02x}"
                         f"（不是 UTF-8，文件可能是 GBK 编码：请在编辑器中另存为 UTF-8）",
                         f"byte 0x{self.byte:02x} at line {self.line}, column {self.column} "
                         f"(not UTF-8; the file may be GBK: save it as UTF-8 in the editor)")


def expected_utf8(kind: str) -> Bilingual:
    """The ``expected`` parameter: ``kind`` (TOML, YAML) saved as UTF-8."""
    return Bilingual(f"UTF-8 编码的 {kind}", f"UTF-8 encoded {kind}")


def decode_utf8(data: bytes) -> tuple[str | None, BadByte | None]:
    """``(text, None)``, or ``(None, BadByte)`` naming the first byte that is not UTF-8."""
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        head = data[:exc.start]
        line = head.count(b"\n") + 1
        line_start = head.rfind(b"\n") + 1
        column = len(head[line_start:].decode("utf-8", errors="replace")) + 1
        return None, BadByte(line, column, data[exc.start])


def read_utf8(path: Path) -> tuple[str | None, BadByte | None]:
    """:func:`decode_utf8` of the file at ``path``."""
    return decode_utf8(Path(path).read_bytes())
