"""Fill msgstr entries of locale/ar/LC_MESSAGES/django.po and djangojs.po from *.po.part files.

Usage: python locale/fill_po.py  (then: manage.py compilemessages -l ar)
Keeps existing translations; .po.part files (msgid/msgstr pairs) add to or override them.
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATALOGUES = [HERE / "ar" / "LC_MESSAGES" / name for name in ("django.po", "djangojs.po")]
ENTRY = re.compile(r'msgid "((?:[^"\\]|\\.)*)"\s*\nmsgstr "((?:[^"\\]|\\.)*)"', re.M)
# ngettext entries: msgid, msgid_plural, then msgstr[0] ... msgstr[5] for Arabic.
PLURAL = re.compile(
    r'msgid "((?:[^"\\]|\\.)*)"\nmsgid_plural "((?:[^"\\]|\\.)*)"\n'
    r'((?:msgstr\[\d+\] "(?:[^"\\]|\\.)*"(?:\n|$))+)'
)


def read_pairs(path: Path) -> dict[str, str]:
    return {m[1]: m[2] for m in ENTRY.finditer(path.read_text("utf-8")) if m[1]}


def read_plurals(path: Path) -> dict[str, str]:
    """msgid -> its msgstr[n] lines, for ngettext entries."""
    return {m[1]: m[3].strip() for m in PLURAL.finditer(path.read_text("utf-8"))}


def unfuzzy(block: str, table: dict[str, str], plurals: dict[str, str]) -> str:
    """msgmerge's fuzzy guesses are often wrong: keep a translation only from our tables."""
    if "#, fuzzy" not in block:
        return block
    # "#, fuzzy" alone, or first of several flags ("#, fuzzy, python-format").
    block = "\n".join(
        line.replace("#, fuzzy, ", "#, ") for line in block.splitlines() if line != "#, fuzzy"
    )
    match = ENTRY.search(block)
    if match and match[1] and match[1] not in table:
        block = block.replace(match[0], f'msgid "{match[1]}"\nmsgstr ""')
    match = PLURAL.search(block)
    if match and match[1] not in plurals:
        block = block.replace(match[3], re.sub(r'"(?:[^"\\]|\\.)*"', '""', match[3]))
    return block


def fill_catalogue(po: Path, table: dict[str, str], plurals: dict[str, str]) -> list[str]:
    """Fills one .po file in place; returns the msgids still untranslated."""
    # Join wrapped strings ("...a "\n"moment.") so each entry is one msgid and one msgstr line.
    text = re.sub(r'"\n"(?!msgid|msgstr|#)', "", po.read_text("utf-8"))
    text = "\n\n".join(unfuzzy(block, table, plurals) for block in text.split("\n\n"))
    missing = []

    def fill(match):
        msgid, msgstr = match[1], match[2]
        if msgid in table:
            msgstr = table[msgid]
        elif msgid and not msgstr:
            missing.append(msgid)
        return f'msgid "{msgid}"\nmsgstr "{msgstr}"'

    def fill_plural(match):
        msgid, msgid_plural, msgstrs = match[1], match[2], match[3].strip()
        if msgid in plurals:
            msgstrs = plurals[msgid]
        elif '""' in msgstrs:
            missing.append(msgid)
        return f'msgid "{msgid}"\nmsgid_plural "{msgid_plural}"\n{msgstrs}\n'

    text = ENTRY.sub(fill, text)
    text = PLURAL.sub(fill_plural, text)
    po.write_text(text, "utf-8")
    return missing


def main() -> int:
    table, plurals = {}, {}
    for part in sorted((HERE / "ar" / "LC_MESSAGES").glob("*.po.part")):
        table.update(read_pairs(part))
        plurals.update(read_plurals(part))
    missing = []
    for po in CATALOGUES:
        if po.exists():
            missing += fill_catalogue(po, table, plurals)
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
