"""Plain text sent with format=flowed (RFC 3676: Thunderbird, Apple Mail, many phones) made
into the lines the writer meant: a line ending in a space goes on in the next one, but only
within the same quote depth, so a quoted line never swallows the reply written below it."""

from __future__ import annotations

SIGNATURE = "-- "


def unflow(text: str, *, delsp: bool = False) -> str:
    out: list[tuple[int, str]] = []  # (quote depth, text) of each paragraph line
    joining = False
    for raw in text.split("\n"):
        depth = len(raw) - len(raw.lstrip(">"))
        line = raw[depth:]
        if line.startswith(" "):
            line = line[1:]  # space-stuffing (RFC 3676 4.4), or the space after ">"
        flowed = line.endswith(" ") and line != SIGNATURE
        if flowed and delsp:
            line = line[:-1]
        if joining and out and out[-1][0] == depth:
            out[-1] = (depth, out[-1][1] + line)
        else:
            out.append((depth, line))
        joining = flowed
    return "\n".join(("> " * depth if depth else "") + line.rstrip(" ") for depth, line in out)
