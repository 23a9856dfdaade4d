"""Question-bank files: read native, tabular, Anki (text and .apkg), Markdown and GrillKit banks; write native and friends.

Everything here turns files into ``models.Module`` objects (or back) and raises ``BankError``
with the file and line on bad input. Storing modules is the store's job, not this package's.
"""

from .anki import parse_anki
from .apkg import parse_apkg
from .detect import FORMATS, SUPPORTED_EXTENSIONS, detect_format
from .errors import BankError, NotABank
from .grillkit import parse_grillkit
from .loading import EXPORT_FORMATS, bank_files, export_module, load_bank_files, parse_bank, scan_bank_files
from .markdown import dump_markdown, parse_markdown
from .native import dump_json, dump_yaml, parse_json, parse_yaml
from .reading import read_text
from .tabular import dump_csv, parse_csv

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "BankError",
    "NotABank",
    "bank_files",
    "detect_format",
    "dump_csv",
    "dump_json",
    "dump_markdown",
    "dump_yaml",
    "export_module",
    "load_bank_files",
    "parse_anki",
    "parse_apkg",
    "parse_bank",
    "parse_csv",
    "parse_grillkit",
    "parse_json",
    "parse_markdown",
    "parse_yaml",
    "read_text",
    "scan_bank_files",
]
