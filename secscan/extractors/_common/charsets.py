"""Windows character-set numbers (LOGFONT lfCharSet, RTF \fcharset) -> Python codecs.

Shared by the metafile and RTF readers, which meet the same numbers. The Chinese entries are the
supersets Windows itself decodes with: GB18030 for GB2312/GBK text, cp950 for Big5.
"""

from __future__ import annotations

CHARSET_CODECS = {
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    130: "johab",
    134: "gb18030",
    136: "cp950",
    161: "cp1253",
    162: "cp1254",
    163: "cp1258",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
}
