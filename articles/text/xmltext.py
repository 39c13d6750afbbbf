"""Text that XML 1.0 can carry. Headlines pasted from agency systems sometimes hold control
characters (NUL, vertical tab, escape...); XML 1.0 forbids them outright, so a feed or sitemap
holding one would be rejected by every parser. They carry no meaning: they are dropped."""

import re

# Everything XML 1.0 forbids in a document: C0 controls other than tab, newline and carriage
# return, lone surrogates, and the two non-characters U+FFFE and U+FFFF.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """`value` without the characters XML 1.0 cannot hold; anything but a string is returned
    as it is (feeds pass dates, numbers and None through the same path)."""
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    return value
