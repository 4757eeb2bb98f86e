"""Evidence files (PDF, images, spreadsheets, documents) attached to facts.

A file is stored once in the workspace under its SHA-256 (``evidence/ab/abcdef….pdf``); the
``evidence`` table links it to an entity and, usually, to one fact (the current revision of
an indicator's value when it was attached). A file is accepted by its extension and only when
its content starts as that type's files do (:func:`content_problem`: a renamed text file is not
a PDF). :func:`verify_evidence` checks a stored file still has its hash.
"""
from __future__ import annotations

import hashlib
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from esgledger.collect.campaign import Desk
from esgledger.model.errors import Bilingual, Location, Problem, ProblemsError
from esgledger.model.period import Period
from esgledger.store import schema_collect as C
from esgledger.store.ledger import now_iso

ACCEPTED = {".pdf", ".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".webp", ".bmp",
            ".xlsx", ".xlsm", ".xls", ".csv", ".docx", ".doc", ".txt", ".ofd"}


CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the OLE container of .xls and .doc
ZIP = b"PK\x03\x04"                         # .xlsx, .xlsm, .docx and .ofd are zip packages
# What a file of each accepted type starts with: (the accepted openings, the type as a message
# names it). A text file (.csv, .txt) has no signature and is checked for NUL bytes instead.
SIGNATURES: dict[str, tuple[tuple[bytes, ...], Bilingual]] = {
    ".pdf": ((b"%PDF-",), Bilingual("PDF 文件以 %PDF- 开头", "a PDF starts with %PDF-")),
    ".png": ((b"\x89PNG\r\n\x1a\n",), Bilingual("PNG 图片以 \\x89PNG 开头", "a PNG image starts with \\x89PNG")),
    ".jpg": ((b"\xff\xd8\xff",), Bilingual("JPEG 图片以 FF D8 FF 开头", "a JPEG image starts with FF D8 FF")),
    ".gif": ((b"GIF87a", b"GIF89a"), Bilingual("GIF 图片以 GIF87a 或 GIF89a 开头", "a GIF image starts with GIF87a or GIF89a")),
    ".tif": ((b"II*\x00", b"MM\x00*"), Bilingual("TIFF 图片以 II* 或 MM* 开头", "a TIFF image starts with II* or MM*")),
    ".bmp": ((b"BM",), Bilingual("BMP 图片以 BM 开头", "a BMP image starts with BM")),
    ".webp": ((b"RIFF",), Bilingual("WebP 图片以 RIFF…WEBP 开头", "a WebP image starts with RIFF…WEBP")),
    ".xlsx": ((ZIP,), Bilingual(".xlsx 工作簿是 zip 压缩包（以 PK 开头）", "an .xlsx workbook is a zip package (starts with PK)")),
    ".xls": ((CFB,), Bilingual(".xls 工作簿是 OLE 容器（以 D0 CF 11 E0 开头）", "an .xls workbook is an OLE container (starts with D0 CF 11 E0)")),
    ".ofd": ((ZIP,), Bilingual("OFD 文件是 zip 压缩包（以 PK 开头）", "an OFD file is a zip package (starts with PK)")),
}
SIGNATURES[".jpeg"] = SIGNATURES[".jpg"]
SIGNATURES[".tiff"] = SIGNATURES[".tif"]
SIGNATURES[".xlsm"] = (SIGNATURES[".xlsx"][0], Bilingual(".xlsm 工作簿是 zip 压缩包（以 PK 开头）", "an .xlsm workbook is a zip package (starts with PK)"))
SIGNATURES[".docx"] = ((ZIP,), Bilingual(".docx 文档是 zip 压缩包（以 PK 开头）", "a .docx document is a zip package (starts with PK)"))
SIGNATURES[".doc"] = ((CFB,), Bilingual(".doc 文档是 OLE 容器（以 D0 CF 11 E0 开头）", "a .doc document is an OLE container (starts with D0 CF 11 E0)"))
TEXT_TYPES = {".csv", ".txt"}
TEXT_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 text (Excel's "Unicode text") has NUL bytes


def content_problem(path: Path) -> Bilingual | None:
    """Why the file's content is not what its extension says (a "pdf" that is a renamed text
    file, an "xlsx" that is not a zip package), or None when its opening matches."""
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head:
        return Bilingual("文件为空", "the file is empty")
    opening = head[:8]
    if suffix in TEXT_TYPES:
        if b"\x00" in head and not head.startswith(TEXT_BOMS):
            return Bilingual(f"内容与扩展名 {suffix} 不符：文本文件中不应有 NUL 字节（开头为 {opening!r}）",
                             f"its content does not match its extension {suffix}: a text file has no NUL bytes "
                             f"(it starts with {opening!r})")
        return None
    starts, what = SIGNATURES[suffix]
    if suffix == ".pdf":  # readers accept a PDF header anywhere in the first kilobyte
        ok = b"%PDF-" in head[:1024]
    elif suffix == ".webp":
        ok = head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    else:
        ok = head.startswith(starts)
    if ok:
        return None
    return Bilingual(f"内容与扩展名 {suffix} 不符：{what.zh}，而该文件开头为 {opening!r}",
                     f"its content does not match its extension {suffix}: {what.en}, this file starts with {opening!r}")


@dataclass(frozen=True)
class EvidenceRecord:
    id: int
    sha256: str
    filename: str
    size: int
    media_type: str | None
    stored_path: str
    entity: str
    indicator: str | None
    period: str | None
    dims: str | None
    fact_id: int | None
    uploaded_by: str | None
    uploaded_at: str
    note: str | None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def attach_evidence(desk: Desk, path: str | Path, entity: str, *, indicator: str | None = None,
                    period: str | None = None, dims: str = "", note: str | None = None) -> EvidenceRecord:
    """Store ``path`` in the workspace and link it to ``entity`` (and to its current value of
    ``indicator`` in ``period``, which must exist)."""
    desk.store.require("evidence", entity)
    path = Path(path)
    loc = Location(file=path.name)
    if not path.is_file():
        raise ProblemsError([Problem("ESG-COLLECT-014", loc, {"found": Bilingual(
            f"{'这是一个目录，不是文件' if path.is_dir() else '文件不存在'}：{path}",
            f"{'a folder, not a file' if path.is_dir() else 'no such file'}: {path}")})])
    if path.suffix.lower() not in ACCEPTED:
        raise ProblemsError([Problem("ESG-COLLECT-014", loc, {
            "found": Bilingual(f"不接受{' ' + path.suffix + ' ' if path.suffix else '无扩展名的'}文件；应为以下之一：" + " ".join(sorted(ACCEPTED)),
                               f"{path.suffix or 'no extension'} files are not accepted; expected one of "
                               + " ".join(sorted(ACCEPTED)))})])
    wrong = content_problem(path)
    if wrong is not None:
        raise ProblemsError([Problem("ESG-COLLECT-014", loc, {"found": wrong})])
    fact_id = None
    if indicator is not None:
        period = str(Period.parse(period)) if period else None
        facts = desk.store.current_facts(entity=entity, indicator=indicator, period=period, dims=dims) \
            if period else []
        if not facts:
            raise ProblemsError([Problem("ESG-COLLECT-015", Location(field="indicator"), {
                "entity": entity, "indicator": indicator, "found": f"{period or '?'} {dims}".strip()})])
        fact_id = facts[0].id
    sha = _sha256(path)
    rel = Path("evidence") / sha[:2] / (sha + path.suffix.lower())
    target = desk.evidence_dir.parent / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(path, tmp)
        if _sha256(tmp) != sha:  # the file changed while it was copied
            tmp.unlink()
            raise ProblemsError([Problem("ESG-COLLECT-014", loc, {"found": Bilingual("读取期间文件被改动", "the file changed while it was read")})])
        tmp.replace(target)
    row = dict(sha256=sha, filename=path.name, size=path.stat().st_size,
               media_type=mimetypes.guess_type(path.name)[0], stored_path=rel.as_posix(), entity=entity,
               indicator=indicator, period=period, dims=dims if indicator else None, fact_id=fact_id,
               uploaded_by=desk.user, uploaded_at=now_iso(), note=note)
    with desk.store.writing() as tx:
        eid = tx.conn.execute(C.evidence.insert().values(**row)).inserted_primary_key[0]
    return EvidenceRecord(id=eid, **row)


def list_evidence(desk: Desk, *, entity: str | None = None, indicator: str | None = None,
                  period: str | None = None) -> list[EvidenceRecord]:
    """Evidence the user may read, oldest first."""
    e = C.evidence.c
    q = select(C.evidence).order_by(e.id)
    if entity is not None:
        desk.store.require("read", entity)
        q = q.where(e.entity == entity)
    else:
        scope = desk.store.scope("read")
        if scope is not None:
            q = q.where(e.entity.in_(sorted(scope)))
    if indicator is not None:
        q = q.where(e.indicator == indicator)
    if period is not None:
        q = q.where(e.period == str(Period.parse(period)))
    with desk.store.reading() as conn:
        return [EvidenceRecord(**dict(r._mapping)) for r in conn.execute(q)]


def evidence_path(desk: Desk, record: EvidenceRecord) -> Path:
    desk.store.require("read", record.entity)
    return desk.evidence_dir.parent / record.stored_path


def verify_evidence(desk: Desk, record: EvidenceRecord) -> bool:
    """The stored file exists and still has the hash it was attached with."""
    p = evidence_path(desk, record)
    return p.is_file() and _sha256(p) == record.sha256


__all__ = ["ACCEPTED", "EvidenceRecord", "attach_evidence", "evidence_path", "list_evidence",
           "verify_evidence"]
