"""`puspaga run` whose Instagram requests go to the bench's stand-in (bench/instagram_standin.py)
instead of i.instagram.com: instagrapi builds and parses every request as in production; only
the transport under it is replaced, by a forward over local HTTP to the stand-in named in
$BENCH_INSTAGRAM. Everything else (Telegram, mail, the database) is untouched.

    BENCH_INSTAGRAM=http://127.0.0.1:PORT python bench/instagram_worker.py run --config FILE
"""

from __future__ import annotations

import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests_mock  # noqa: E402

from bot.cli.main import app  # noqa: E402

STANDIN = os.environ["BENCH_INSTAGRAM"]


def forward(request, context) -> bytes:  # noqa: ANN001 - requests_mock's request and context
    body = request.body.encode() if isinstance(request.body, str) else request.body
    headers = {"Authorization": request.headers.get("Authorization", "")}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    path = request.path_url.split("/api/v1/", 1)[-1]
    url = f"{STANDIN}/api/v1/{path}"  # http://127.0.0.1:… (the bench's own)
    asked = urllib.request.Request(url, body, headers, method=request.method)  # noqa: S310
    try:
        with urllib.request.urlopen(asked, timeout=30) as answer:  # noqa: S310
            context.status_code = answer.status
            return answer.read()
    except urllib.error.HTTPError as refused:
        context.status_code = refused.code
        return refused.read()


if __name__ == "__main__":
    with requests_mock.Mocker(real_http=True) as mock:
        instagram = re.compile(r"https://i\.instagram\.com/")
        mock.register_uri(requests_mock.ANY, instagram, content=forward)
        sys.argv[0] = "puspaga"
        app()
