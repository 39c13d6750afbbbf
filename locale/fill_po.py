"""Fill msgstr entries of locale/ar/LC_MESSAGES/django.po from *.po.part files and a table.

Usage: python locale/fill_po.py  (then: manage.py compilemessages -l ar)
Keeps existing translations; .po.part files (msgid/msgstr pairs) add to or override them.
"""

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PO = HERE / "ar" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'msgid "((?:[^"\\]|\\.)*)"\s*\nmsgstr "((?:[^"\\]|\\.)*)"', re.M)


def read_pairs(path: Path) -> dict[str, str]:
    return {m[1]: m[2] for m in ENTRY.finditer(path.read_text("utf-8")) if m[1]}


def main() -> int:
    table = {}
    for part in sorted((HERE / "ar" / "LC_MESSAGES").glob("*.po.part")):
        table.update(read_pairs(part))
    # Join wrapped strings ("...a "\n"moment.") so each entry is one msgid and one msgstr line.
    text = re.sub(r'"\n"(?!msgid|msgstr|#)', "", PO.read_text("utf-8"))
    missing = []

    def fill(match):
        msgid, msgstr = match[1], match[2]
        if msgid in table:
            msgstr = table[msgid]
        elif msgid and not msgstr:
            missing.append(msgid)
        return f'msgid "{msgid}"\nmsgstr "{msgstr}"'

    text = ENTRY.sub(fill, text)
    text = text.replace("#, fuzzy\n", "", 1)
    PO.write_text(text, "utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
