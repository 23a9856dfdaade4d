"""A pure-Python GGUF header check, run before a file is handed to llama.cpp.

llama.cpp rejects most bad files with an error, but a crafted or damaged header
can make it allocate absurd amounts or abort the whole process. So before a
model is loaded we read the header ourselves: magic, version, sane counts, every
metadata value and tensor description, and check that the tensor data the header
promises actually fits in the file (a truncated download fails here).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
MAX_TENSORS = 1_000_000
MAX_KV = 100_000
MAX_STRING = 64 * 1024 * 1024
MAX_ARRAY = 50_000_000
MAX_DIMS = 8

# GGUF metadata value types.
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q",
            11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9

# ggml tensor types: (elements per block, bytes per block), for the size check.
GGML_TYPES: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
    9: (32, 36), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210),
    15: (256, 292), 16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18),
    21: (256, 110), 22: (256, 82), 23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4),
    27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2),
}


class GGUFError(ValueError):
    """The file is not a usable GGUF model; the message says why, for a user."""


@dataclass
class GGUFInfo:
    path: Path
    version: int
    tensor_count: int
    size_bytes: int
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def architecture(self) -> str | None:
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else None

    @property
    def name(self) -> str | None:
        value = self.metadata.get("general.name")
        return value if isinstance(value, str) else None


class _Reader:
    """Sequential reads over a memory map of the file (fast even for 256k-token vocabularies)."""

    def __init__(self, buf: Any, size: int) -> None:
        self.buf = buf
        self.size = size
        self.pos = 0

    def need(self, n: int) -> None:
        if self.pos + n > self.size:
            raise GGUFError("the file ends inside its header (truncated download?)")

    def read(self, n: int) -> bytes:
        self.need(n)
        data = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return data

    def unpack(self, fmt: str) -> Any:
        width = struct.calcsize(fmt)
        self.need(width)
        value = struct.unpack_from(fmt, self.buf, self.pos)[0]
        self.pos += width
        return value

    def skip_string(self) -> None:
        length = self.unpack("<Q")
        if length > MAX_STRING:
            raise GGUFError(f"a header string claims {length} bytes (corrupt header)")
        self.need(length)
        self.pos += length

    def string(self) -> str:
        length = self.unpack("<Q")
        if length > MAX_STRING:
            raise GGUFError(f"a header string claims {length} bytes (corrupt header)")
        return self.read(length).decode("utf-8", errors="replace")

    def value(self, vtype: int, keep: bool) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            if keep:
                return self.string()
            self.skip_string()
            return None
        if vtype == _ARRAY:
            item_type = self.unpack("<I")
            count = self.unpack("<Q")
            if count > MAX_ARRAY:
                raise GGUFError(f"a metadata array claims {count} items (corrupt header)")
            if item_type in _SCALARS:
                width = struct.calcsize(_SCALARS[item_type]) * count
                self.need(width)
                self.pos += width  # skip: large vocab tables are not needed here
                return None
            if item_type == _STRING:
                for _ in range(count):
                    self.skip_string()
                return None
            for _ in range(count):
                self.value(item_type, keep=False)
            return None
        raise GGUFError(f"unknown metadata value type {vtype} (corrupt header)")


def read_gguf_header(path: Path | str) -> GGUFInfo:
    """Validate a GGUF file's header and layout; raise GGUFError with a clear reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GGUFError(f"no such file: {path}") from None
    except OSError as exc:
        raise GGUFError(f"cannot read {path}: {exc.strerror}") from None
    if not path.is_file():
        raise GGUFError(f"{path} is not a file")
    if size < 24:
        raise GGUFError(f"{path.name} is only {size} bytes: not a GGUF model")
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return _parse(path, buf, size)
    except OSError as exc:
        raise GGUFError(f"cannot read {path}: {exc.strerror}") from None


def _parse(path: Path, buf: Any, size: int) -> GGUFInfo:
    r = _Reader(buf, size)
    magic = r.read(4)
    if magic != MAGIC:
        raise GGUFError(f"{path.name} is not a GGUF model (starts with {magic!r}, expected b'GGUF')")
    version = r.unpack("<I")
    if version not in SUPPORTED_VERSIONS:
        raise GGUFError(f"{path.name} is GGUF version {version}; supported: 2 and 3")
    tensor_count = r.unpack("<Q")
    kv_count = r.unpack("<Q")
    if not 0 < tensor_count <= MAX_TENSORS:
        raise GGUFError(f"{path.name} claims {tensor_count} tensors (corrupt header)")
    if kv_count > MAX_KV:
        raise GGUFError(f"{path.name} claims {kv_count} metadata entries (corrupt header)")
    metadata: dict[str, Any] = {}
    for _ in range(kv_count):
        key = r.string()
        vtype = r.unpack("<I")
        metadata[key] = r.value(vtype, keep=True)
    alignment = metadata.get("general.alignment", 32)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise GGUFError(f"{path.name} has an invalid alignment {alignment!r}")
    data_end = 0
    for _ in range(tensor_count):
        name = r.string()
        n_dims = r.unpack("<I")
        if not 0 < n_dims <= MAX_DIMS:
            raise GGUFError(f"tensor {name!r} has {n_dims} dimensions (corrupt header)")
        dims = [r.unpack("<Q") for _ in range(n_dims)]
        ttype = r.unpack("<I")
        offset = r.unpack("<Q")
        elements = 1
        for d in dims:
            if d == 0 or d > 2**40:
                raise GGUFError(f"tensor {name!r} has a dimension of {d} (corrupt header)")
            elements *= d
        block = GGML_TYPES.get(ttype)
        nbytes = (elements // block[0]) * block[1] if block else 0
        data_end = max(data_end, offset + nbytes)
    header_end = r.pos
    data_start = (header_end + alignment - 1) // alignment * alignment
    if data_start + data_end > size:
        missing = data_start + data_end - size
        raise GGUFError(
            f"{path.name} is truncated: its tensors need {data_start + data_end:,} bytes "
            f"but the file has {size:,} ({missing:,} missing)"
        )
    return GGUFInfo(path=path, version=version, tensor_count=tensor_count, size_bytes=size,
                    metadata=metadata)
