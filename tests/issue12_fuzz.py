"""Hostile inputs for issue 12, made by the tests: a 4 GiB decompression bomb, page
trees too deep or looping, absurd /Length values, and seeded mutations of the samples
(flipped bytes, truncations, broken xref), with odd and non-UTF-8 names and links."""
from __future__ import annotations

import os
import random
import re
import zlib
from pathlib import Path

import pdfgen

CONTENT = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"


def bomb_4gib(path: Path, gib: int = 4) -> Path:
    """One page whose content stream inflates to `gib` GiB of zeros, in a file of a
    few MB: the same full-flushed deflate block repeated (made in milliseconds)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    n = gib * 1024
    tail = c.flush()
    size = n << 20
    adler = ((size % 65521) << 16) | 1  # adler32 of `size` zero bytes
    data = b"\x78\xda" + block * n + tail + adler.to_bytes(4, "big")
    path.write_bytes(pdfgen._raw_pdf(pdfgen._one_page(data, filter_="/Filter /FlateDecode")))
    return path


def page_tree_pdf(path: Path, depth: int, *, loop: bool = False) -> Path:
    """A page tree `depth` /Pages nodes deep above its one page; with `loop`, the
    deepest node also lists the root among its kids."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    leaf = 2 + depth
    for i in range(depth):
        me = 2 + i
        kids = f"{me + 1} 0 R" + (" 2 0 R" if loop and i == depth - 1 else "")
        parent = f"/Parent {me - 1} 0 R " if i else ""
        objs.append(f"<< /Type /Pages {parent}/Kids [{kids}] /Count 1 >>".encode())
    objs.append((f"<< /Type /Page /Parent {leaf - 1} 0 R /MediaBox [0 0 595 842] /Contents {leaf + 1} 0 R "
                 f"/Resources << /Font << /F1 {leaf + 2} 0 R >> >> >>").encode())
    objs.append(f"<< /Length {len(CONTENT)} >>\nstream\n".encode() + CONTENT + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    path.write_bytes(pdfgen._raw_pdf(objs))
    return path


def with_length(data: bytes, which: int, value: bytes) -> bytes:
    """`data` with the `which`-th direct /Length replaced by `value`."""
    m = list(re.finditer(rb"/Length (\d+)", data))[which]
    return data[:m.start(1)] + value + data[m.end(1):]


def mutations(samples: Path, seed: int = 12) -> dict[str, bytes]:
    """Seeded mutations of the sample PDFs and texts: name -> bytes."""
    rng = random.Random(seed)
    out: dict[str, bytes] = {}
    pdfs = sorted(samples.glob("*.pdf"))
    for src in pdfs:
        data = src.read_bytes()
        stem = src.stem[:12]
        for k in range(1):
            flipped = bytearray(data)
            for _ in range(rng.randint(1, 40)):
                flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
            out[f"{stem}_flip{k}.pdf"] = bytes(flipped)
        out[f"{stem}_trunc.pdf"] = data[: rng.randrange(len(data) // 4, len(data) - 10)]
        xref = data.rfind(b"startxref")
        out[f"{stem}_xref.pdf"] = data[:xref] + b"startxref\n99999999\n%%EOF\n"
        out[f"{stem}_len_neg.pdf"] = with_length(data, 1, b"-100")
        out[f"{stem}_len_huge.pdf"] = with_length(data, 0, b"999999999999")
    text = (samples / "2021_liwan_commerce_dept_report.txt").read_bytes()
    out["report_trunc.txt"] = text[: len(text) // 3]
    out["report_gbk.txt"] = text.decode("utf-8").encode("gb18030")
    out["binary.txt"] = bytes(rng.randrange(256) for _ in range(4096))
    return out


def odd_names(folder: Path, intact: Path) -> list[str]:
    """Copies of an intact text under names a Windows share or a careless user makes;
    returns the names (as str, surrogate escapes for the bytes that are not UTF-8)."""
    names = [os.fsdecode(b"gbk_\xb1\xa8\xb8\xe6.txt"), " leading space.txt", "-dash.txt", "new\nline.txt",
             "x" * 200 + ".txt", "UPPER.TXT", "e\u0301nfd.txt", "tab\there.txt"]
    for name in names:
        (folder / name).write_bytes(intact.read_bytes())
    return names


def links(folder: Path, target: Path) -> None:
    os.symlink(Path(target).resolve(), folder / "link_ok.txt")
    os.symlink(folder / "nowhere.pdf", folder / "dangling.pdf")
    os.symlink(folder / "loop_a.pdf", folder / "loop_b.pdf")
    os.symlink(folder / "loop_b.pdf", folder / "loop_a.pdf")
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "up")  # a folder link back up: walked once
    os.mkfifo(folder / "fifo.pdf")
