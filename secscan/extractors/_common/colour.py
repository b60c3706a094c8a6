"""What counts as red ink: the colour of 密级 lines, stamps and red-headed (红头) notices.

One threshold for every family (Word runs, DrawingML shapes, metafile text), so a red mark is a
red mark whatever format carries it: strong red, little green and blue (C00000, FF0000, B22222).
"""

from __future__ import annotations

RED_MIN, OTHER_MAX = 0xB0, 0x60


def is_red(red: int, green: int, blue: int) -> bool:
    return red >= RED_MIN and green < OTHER_MAX and blue < OTHER_MAX


def is_red_hex(value: str) -> bool:
    """``RRGGBB`` as Office writes it (w:color, a:srgbClr); anything else is not red."""
    if len(value) != 6:
        return False
    try:
        red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return False
    return is_red(red, green, blue)
